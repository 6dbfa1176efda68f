/* fuzzgen: the guest-independent part of the fuzzers' case generators
 * (rvgen, a64gen): the command line, case files, show/count for the
 * shrinker, and reading back the harness's records (diff, report).  Each
 * guest links it with its instruction generators and one table,
 * fzg_guest, saying what differs: initial state, branch fix-ups, how
 * records and states are printed.
 *
 * A case is a list of items; an item is one instruction or a small group
 * that must stay whole (an address set-up and its access, an LR/SC or
 * exclusive pair, auipc+jalr).  Branch targets are counted in items, so
 * dropping items while shrinking keeps every jump forward and inside the
 * case. */
#ifndef FUZZGEN_H
#define FUZZGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fzg_rng { uint64_t s; };
uint64_t fzg_rand(struct fzg_rng *r);
unsigned fzg_below(struct fzg_rng *r, unsigned n);
/* A random integer register value, often a special (0, -1, INT_MIN ...). */
uint64_t fzg_int_value(struct fzg_rng *r);
/* Special doubles and singles (NaNs, infinities, denormals, limits). */
#define FZG_NDOUBLES 25
#define FZG_NSINGLES 25
extern const uint64_t fzg_doubles[FZG_NDOUBLES];
extern const uint32_t fzg_singles[FZG_NSINGLES];

struct fzg_insn {
    uint32_t w;      /* the encoding run under test */
    uint32_t ref;    /* the encoding run under the reference (qemu) */
    uint8_t size;    /* bytes: 2 or 4 */
    uint8_t fix;     /* the guest's fix-up kind (0: none) for the item's branch target */
};

#define FZG_MAX_INSNS 8
struct fzg_item {
    int n;
    struct fzg_insn in[FZG_MAX_INSNS];
    int skip;        /* branch items: how many following items to jump over */
    char text[120];  /* the generator's own disassembly */
};

/* One register of a record, for report. */
struct fzg_value {
    char name[16];
    uint64_t init;   /* its value in the case's initial state */
    bool always;     /* listed even when unchanged */
};

struct fzg_guest {
    const char *prog;                 /* "rvgen": messages and usage */
    const char *const *class_names;
    unsigned nclasses;
    uint32_t magic;                   /* FZ_MAGIC */
    size_t hdr_size;                  /* sizeof(struct fz_case_hdr) */
    bool separate_ref;                /* gen -r writes the reference's own code */
    /* Fills the initial registers (the head is done), then items. */
    void (*init_state)(struct fzg_rng *r, void *hdr);
    void (*item)(struct fzg_rng *r, unsigned cls, struct fzg_item *it);
    /* The bits that put a branch offset into an instruction of kind fix:
     * from_insn is from that instruction, from_item from its item's first. */
    uint32_t (*fixup)(unsigned fix, int32_t from_insn, int32_t from_item);
    uint16_t pad;                     /* a 2-byte nop that pads code to 4 bytes */
    /* show: item text width, the initial state, an assembler file */
    int text_width;
    void (*print_state)(const void *hdr);
    const char *asm_head;             /* lines before the code */
    const char *asm_insn;             /* printf format of one instruction */
    unsigned (*insn_size)(const uint8_t *code);
    /* records: nregs registers, then the buffer's hash */
    unsigned nregs;
    void (*value)(const void *hdr, unsigned i, struct fzg_value *v);
    const char *base_name;            /* the buffer's base register */
};
extern const struct fzg_guest fzg_guest;

#endif
