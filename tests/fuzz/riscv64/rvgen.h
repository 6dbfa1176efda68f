/* rvgen: the random riscv64 test-case generator, the riscv64 part of
 * ../fuzzgen (items, the driver, the case files: see ../fuzzgen.h).  An
 * item here is one instruction or a group such as an address set-up and
 * its AMO, an LR/SC pair or auipc+jalr; an instruction may have a
 * reference-only encoding for qemu (insn.ref, where qemu is wrong). */
#ifndef RVGEN_H
#define RVGEN_H

#include "../fuzzgen.h"

enum rvg_class {
    RVG_INT, RVG_MUL, RVG_MEM, RVG_BR, RVG_AMO, RVG_CSR, RVG_FP, RVG_C,
    RVG_ZB, RVG_ZICOND, RVG_NCLASS
};

/* How an instruction's offset is patched once item addresses are known. */
enum rvg_fix { FIX_NONE, FIX_B, FIX_J, FIX_CB, FIX_CJ, FIX_AUIPC_I };

/* Fills *it with one random item of class cls (enum rvg_class). */
void rvg_item(struct fzg_rng *r, unsigned cls, struct fzg_item *it);
extern const char *const rvg_class_names[RVG_NCLASS];

/* rvgen_isa.c: the offset fields of the branch formats */
uint32_t rvg_imm_b(int32_t v);
uint32_t rvg_imm_j(int32_t v);
uint32_t rvg_imm_cb(int32_t v);
uint32_t rvg_imm_cj(int32_t v);
uint32_t rvg_imm_i(int32_t v);

#endif
