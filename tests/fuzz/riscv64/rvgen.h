/* rvgen: the random riscv64 test-case generator.  A case is a list of
 * items; an item is one instruction or a small group that must stay whole
 * (an address set-up and its AMO, an LR/SC pair, auipc+jalr).  Branch
 * targets are counted in items, so dropping items while shrinking keeps
 * every jump forward and inside the case. */
#ifndef RVGEN_H
#define RVGEN_H

#include <stdint.h>
#include <stdbool.h>

enum rvg_class {
    RVG_INT, RVG_MUL, RVG_MEM, RVG_BR, RVG_AMO, RVG_CSR, RVG_FP, RVG_C,
    RVG_ZB, RVG_ZICOND, RVG_NCLASS
};

/* How an instruction's offset is patched once item addresses are known. */
enum rvg_fix { FIX_NONE, FIX_B, FIX_J, FIX_CB, FIX_CJ, FIX_AUIPC_I };

struct rvg_insn {
    uint32_t w;      /* the encoding run under test */
    uint32_t ref;    /* the encoding run under the reference (qemu) */
    uint8_t size;    /* 2 or 4 bytes */
    uint8_t fix;     /* enum rvg_fix: offset to the item's branch target */
};

#define RVG_MAX_INSNS 8
struct rvg_item {
    int n;
    struct rvg_insn in[RVG_MAX_INSNS];
    int skip;        /* branch items: how many following items to jump over */
    char text[120];  /* the generator's own disassembly */
};

struct rvg_rng { uint64_t s; };
uint64_t rvg_rand(struct rvg_rng *r);
unsigned rvg_below(struct rvg_rng *r, unsigned n);

/* Fills *it with one random item of class cls. */
void rvg_item(struct rvg_rng *r, enum rvg_class cls, struct rvg_item *it);
extern const char *const rvg_class_names[RVG_NCLASS];

#endif
