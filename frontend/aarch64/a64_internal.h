/* Shared inside the aarch64 frontend: the translation context, register
 * access (XZR vs SP), the two decoders the block loop tries (base integer
 * a64_base.decode; FP/SIMD a64_simd.decode) and the FPCR/FPSR hooks.
 *
 *   a64_ctx c = {.b = b, .pc = pc, .next_pc = pc + 4};
 *   if (!a64_decode_base(&c, insn) && !a64_decode_simd(&c, insn)) -> SIGILL
 */
#ifndef FERRY_A64_INTERNAL_H
#define FERRY_A64_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frontend/aarch64/a64_cpu.h"
#include "ir/ir.h"

#define A64_OFF_TPIDR ((uint32_t)offsetof(a64_cpu, tpidr_el0))
#define A64_OFF_FPCR ((uint32_t)offsetof(a64_cpu, fpcr))
#define A64_OFF_FPSR ((uint32_t)offsetof(a64_cpu, fpsr))
#define A64_OFF_EXCL_ADDR ((uint32_t)offsetof(a64_cpu, excl_addr))
#define A64_OFF_EXCL_VAL ((uint32_t)offsetof(a64_cpu, excl_val))
#define A64_OFF_EXCL_VAL2 ((uint32_t)offsetof(a64_cpu, excl_val2))
#define A64_OFF_EXCL_SIZE ((uint32_t)offsetof(a64_cpu, excl_size))

/* One guest instruction being translated.  A trans_ function that ends
 * the block emits the exit itself (ir_goto, ir_branch, ...); the block
 * loop stops once ir_ended(b). */
typedef struct a64_ctx {
    ir_block *b;
    uint64_t pc;      /* this instruction */
    uint64_t next_pc; /* pc + 4 */
} a64_ctx;

/* One decoded base instruction (a64_formats.h fills it). */
typedef struct a64_args {
    int64_t imm;      /* immediate, offset or branch displacement */
    uint8_t rd, rn, rm, ra; /* ra: also Rt2 of pairs, Rs of CAS/STXR */
    uint8_t sf;       /* 1: 64-bit (X) operation */
    uint8_t shift;    /* shift type (LSL LSR ASR ROR) or extend option */
    uint8_t amount;   /* shift amount / extend left shift */
    uint8_t cond;     /* condition field */
    uint8_t size;     /* log2 access size of loads/stores */
    uint8_t opc;      /* a spare field the format names (see the format) */
    uint8_t immr, imms; /* bitfield / logical immediate fields */
    uint8_t n;        /* N bit */
} a64_args;

/* One .decode row, for tests and -d unimp. */
typedef struct a64_insn_desc {
    const char *name;
    uint8_t fmt;
    uint32_t mask, match;
} a64_insn_desc;

/* ---- operands (a64_translate.c).  Register 31 is XZR for a64_get_x and
 * a64_set_x (writes dropped) and SP for the _sp forms.  Reads give an i64
 * value (or, for XZR with sf = 0, an i32 0) whose low half is the W
 * register when sf = 0: use i32 ops on it.  Writes with sf = 0 store the
 * low 32 bits zero-extended. */
ir_val a64_const(a64_ctx *c, int64_t v);
ir_val a64_get_x(a64_ctx *c, unsigned r, bool sf);
ir_val a64_get_xsp(a64_ctx *c, unsigned r, bool sf);
void a64_set_x(a64_ctx *c, unsigned r, ir_val v, bool sf);
void a64_set_xsp(a64_ctx *c, unsigned r, ir_val v, bool sf);
/* The NZCV of the current instruction as a FLAGS value, and storing one. */
ir_val a64_nzcv_flags(a64_ctx *c);
void a64_set_nzcv_flags(a64_ctx *c, ir_val flags);
/* NZCV as MRS reads and MSR writes it: bits 31:28. */
ir_val a64_nzcv_bits(a64_ctx *c);
void a64_set_nzcv_bits(a64_ctx *c, ir_val nzcv);
/* 1 (i64) when the A64 condition (0..15) holds, else 0. */
ir_val a64_cond_holds(a64_ctx *c, unsigned cond);

/* ---- decoders: each returns true when it translated insn (emitting IR
 * into c->b), false when the word is none of its rows (nothing emitted). */
bool a64_decode_base(a64_ctx *c, uint32_t insn);
/* a64_trans_simd.c / a64_trans_fp.c (FP/SIMD); a weak stub returning
 * false stands in until they are linked. */
bool a64_decode_simd(a64_ctx *c, uint32_t insn);
/* The row of a64_base.decode that insn matches, or NULL (tests). */
const a64_insn_desc *a64_base_lookup_desc(uint32_t insn, a64_args *a);

/* ---- FPCR and FPSR as MRS/MSR see them (architectural bit layout, i64
 * values).  Exported by a64_trans_fp.c; weak fallbacks in a64_sysreg.c. */
ir_val a64_fpcr_read(a64_ctx *c);
void a64_fpcr_write(a64_ctx *c, ir_val v);
ir_val a64_fpsr_read(a64_ctx *c);
void a64_fpsr_write(a64_ctx *c, ir_val v);

/* ---- the rest of the frontend */
void a64_translate(ir_block *b, uint64_t pc);
int a64_disas(uint64_t pc, char *buf, size_t len);
const char *a64_ctx_name(uint32_t off);

#endif
