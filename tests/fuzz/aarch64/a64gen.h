/* a64gen: the random aarch64 test-case generator, the aarch64 part of
 * ../fuzzgen (items, the driver, the case files: see ../fuzzgen.h).  An
 * item here is one instruction or a group such as an address set-up and
 * its load, an exclusive pair or an FPCR write; every instruction is 4
 * bytes and runs as it is under qemu too. */
#ifndef A64GEN_H
#define A64GEN_H

#include "../fuzzgen.h"

enum a64g_class {
    A64G_INT, A64G_FLAGS, A64G_COND, A64G_MEM, A64G_BR, A64G_ATOMIC,
    A64G_FP, A64G_NEON, A64G_CRYPTO, A64G_NCLASS
};

/* How an instruction's offset is patched once item addresses are known. */
enum a64g_fix { FIX_NONE, FIX_26, FIX_19, FIX_14 };

/* Fills *it with one random item of class cls (enum a64g_class). */
void a64g_item(struct fzg_rng *r, unsigned cls, struct fzg_item *it);
extern const char *const a64g_class_names[A64G_NCLASS];

/* a64gen_simd.c: the fp, neon and crypto classes */
void a64g_fp(struct fzg_rng *r, struct fzg_item *it);
void a64g_neon(struct fzg_rng *r, struct fzg_item *it);
void a64g_crypto(struct fzg_rng *r, struct fzg_item *it);
/* shared helpers of the class generators */
void a64g_emit(struct fzg_item *it, uint32_t w, const char *text);
unsigned a64g_xd(struct fzg_rng *r);      /* a writable GPR: 0-30 but x28, or 31 (zr) */
unsigned a64g_xn(struct fzg_rng *r);      /* any GPR source, 31 = zr */
unsigned a64g_xtmp(struct fzg_rng *r);    /* a writable GPR 0-27 (address temporaries) */

#endif
