/* Shared between the riscv64 decoder, translator and disassembler: the
 * decoded arguments every format fills, the translation context, and the
 * row descriptions the generated tables (rv32.inc, rv16.inc) are made of. */
#ifndef FERRY_RV_INTERNAL_H
#define FERRY_RV_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend/riscv64/rv_cpu.h"
#include "ir/ir.h"

#define RV_OFF_FFLAGS ((uint32_t)offsetof(rv_cpu, fflags))
#define RV_OFF_FRM ((uint32_t)offsetof(rv_cpu, frm))
#define RV_OFF_RES_ADDR ((uint32_t)offsetof(rv_cpu, res_addr))
#define RV_OFF_RES_VAL ((uint32_t)offsetof(rv_cpu, res_val))
#define RV_OFF_RES_SIZE ((uint32_t)offsetof(rv_cpu, res_size))

/* One instruction's operands, in the terms of its 32-bit form: a
 * compressed word is expanded by its format (c.addi a0, 1 gives rd = rs1
 * = 10, imm = 1), so one trans_ function serves both. */
typedef struct rv_args {
    int64_t imm; /* sign-extended immediate, shift amount, or CSR zimm */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t rm;  /* F/D rounding mode field: 0-4, or 7 (dyn) */
    uint8_t aq, rl;
    uint16_t csr;
} rv_args;

/* One guest instruction being translated. */
typedef struct rv_ctx {
    ir_block *b;
    uint64_t pc;      /* this instruction */
    uint64_t next_pc; /* pc + 2 or 4 */
    /* Set by an F/D instruction with a dynamic rounding mode translated
     * with the run-time frm check (rv_trans_fp.c.inc): 1 when frm is
     * valid.  Its results are committed only then, and the block ends. */
    ir_val frm_ok;
    ir_val fflags_before; /* the accrued flags before it */
} rv_ctx;

/* One .decode row: what the disassembler needs. */
typedef struct rv_insn_desc {
    const char *name;
    uint8_t fmt; /* RV_FMT_* */
    uint32_t mask, match;
} rv_insn_desc;

/* The translator's entry point, and the disassembler's lookup. */
void rv_translate(ir_block *b, uint64_t pc);
int rv_disas(uint64_t pc, char *buf, size_t len);
/* Decodes the word at pc: its length (2 or 4) and the row's description
 * and arguments; 0 with *desc = NULL when it is no known instruction. */
int rv_decode_at(uint64_t pc, uint32_t *word, const rv_insn_desc **desc, rv_args *a);
const char *rv_ctx_name(uint32_t off);
const char *rv_xreg_name(unsigned r);
const char *rv_freg_name(unsigned r);

#endif
