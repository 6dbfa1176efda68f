/* a64gen: the random aarch64 test-case generator.  A case is a list of
 * items; an item is one instruction or a small group that must stay whole
 * (an address set-up and its load, an exclusive pair, an FPCR write).
 * Branch targets are counted in items, so dropping items while shrinking
 * keeps every jump forward and inside the case. */
#ifndef A64GEN_H
#define A64GEN_H

#include <stdint.h>
#include <stdbool.h>

enum a64g_class {
    A64G_INT, A64G_FLAGS, A64G_COND, A64G_MEM, A64G_BR, A64G_ATOMIC,
    A64G_FP, A64G_NEON, A64G_CRYPTO, A64G_NCLASS
};

/* How an instruction's offset is patched once item addresses are known. */
enum a64g_fix { FIX_NONE, FIX_26, FIX_19, FIX_14 };

struct a64g_insn {
    uint32_t w;      /* the encoding */
    uint8_t fix;     /* enum a64g_fix: offset to the item's branch target */
};

#define A64G_MAX_INSNS 8
struct a64g_item {
    int n;
    struct a64g_insn in[A64G_MAX_INSNS];
    int skip;        /* branch items: how many following items to jump over */
    char text[64];   /* what the generator meant (objdump shows the rest) */
};

struct a64g_rng { uint64_t s; };
uint64_t a64g_rand(struct a64g_rng *r);
unsigned a64g_below(struct a64g_rng *r, unsigned n);

/* Fills *it with one random item of class cls. */
void a64g_item(struct a64g_rng *r, enum a64g_class cls, struct a64g_item *it);
extern const char *const a64g_class_names[A64G_NCLASS];

/* a64gen_simd.c: the fp, neon and crypto classes */
void a64g_fp(struct a64g_rng *r, struct a64g_item *it);
void a64g_neon(struct a64g_rng *r, struct a64g_item *it);
void a64g_crypto(struct a64g_rng *r, struct a64g_item *it);
/* shared helpers of the class generators */
void a64g_emit(struct a64g_item *it, uint32_t w, const char *text);
unsigned a64g_xd(struct a64g_rng *r);      /* a writable GPR: 0-30 but x28, or 31 (zr) */
unsigned a64g_xn(struct a64g_rng *r);      /* any GPR source, 31 = zr */
unsigned a64g_xtmp(struct a64g_rng *r);    /* a writable GPR 0-27 (address temporaries) */

#endif
