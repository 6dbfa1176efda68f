/* rvgen's table for the shared generator driver (../fuzzgen.c): the
 * riscv64 initial state (x, NaN-boxed f, fcsr), branch fix-ups, and how
 * states, records and code are shown.  The instructions are rvgen_isa.c
 * and rvgen_c.c. */
#include <stdio.h>
#include "rvgen.h"
#include "fz_layout.h"

/* A NaN-boxed single or a double; riscv64 uses the first 24 doubles and
 * 20 singles of fuzzgen's specials. */
static uint64_t f_value(struct fzg_rng *r)
{
    uint64_t box = 0xffffffff00000000ULL;
    switch (fzg_below(r, 6)) {
    case 0: case 1: return fzg_doubles[fzg_below(r, 24)];
    case 2: case 3: return box | fzg_singles[fzg_below(r, 20)];
    case 4: /* badly boxed single, or a random boxed one */
        return fzg_below(r, 2) ? (fzg_rand(r) & 0xfffffffe00000000ULL) | fzg_singles[fzg_below(r, 20)]
                               : box | (uint32_t)fzg_rand(r);
    default: return fzg_rand(r);
    }
}

static void init_state(struct fzg_rng *r, void *hdr)
{
    struct fz_case_hdr *h = hdr;
    for (int i = 1; i < 32; i++)
        h->x[i] = fzg_int_value(r);
    h->x[2] = FZ_SP;
    h->x[FZ_BASE_REG] = FZ_BUF;
    for (int i = 0; i < 32; i++)
        h->f[i] = f_value(r);
    h->fcsr = (fzg_below(r, 5) << 5) | fzg_below(r, 32);
}

static uint32_t fixup(unsigned fix, int32_t from_insn, int32_t from_item)
{
    switch (fix) {
    case FIX_B: return rvg_imm_b(from_insn);
    case FIX_J: return rvg_imm_j(from_insn);
    case FIX_CB: return rvg_imm_cb(from_insn);
    case FIX_CJ: return rvg_imm_cj(from_insn);
    case FIX_AUIPC_I: return rvg_imm_i(from_item);   /* jalr after the item's auipc */
    default: return 0;
    }
}

static void print_state(const void *hdr)
{
    const struct fz_case_hdr *h = hdr;
    printf("initial state (mem seed 0x%016llx, fcsr 0x%02llx: frm %llu fflags 0x%02llx):\n",
           (unsigned long long)h->head.mem_seed, (unsigned long long)h->fcsr,
           (unsigned long long)h->fcsr >> 5, (unsigned long long)h->fcsr & 31);
    for (int i = 0; i < 32; i++)
        printf("  x%-2d %016llx%s", i, (unsigned long long)h->x[i], i % 4 == 3 ? "\n" : "");
    for (int i = 0; i < 32; i++)
        printf("  f%-2d %016llx%s", i, (unsigned long long)h->f[i], i % 4 == 3 ? "\n" : "");
}

static unsigned insn_size(const uint8_t *code)
{
    return (code[0] & 3) == 3 ? 4 : 2;
}

/* record: x0..x31 f0..f31 fcsr */
static void value(const void *hdr, unsigned i, struct fzg_value *v)
{
    const struct fz_case_hdr *h = hdr;
    if (i < 32) {
        snprintf(v->name, sizeof v->name, "x%u", i);
        v->init = h->x[i];
    } else if (i < 64) {
        snprintf(v->name, sizeof v->name, "f%u", i - 32);
        v->init = h->f[i - 32];
    } else {
        snprintf(v->name, sizeof v->name, "fcsr");
        v->init = h->fcsr;
    }
    v->always = i == 64;
}

const struct fzg_guest fzg_guest = {
    .prog = "rvgen",
    .class_names = rvg_class_names,
    .nclasses = RVG_NCLASS,
    .magic = FZ_MAGIC,
    .hdr_size = sizeof(struct fz_case_hdr),
    .separate_ref = true,
    .init_state = init_state,
    .item = rvg_item,
    .fixup = fixup,
    .pad = 0x0001,                                 /* c.nop */
    .text_width = 40,
    .print_state = print_state,
    .asm_head = ".attribute arch, \"rv64imafdc_zicsr_zifencei_zba_zbb_zbs\"\n.text\n",
    .asm_insn = ".insn 0x%x\n",
    .insn_size = insn_size,
    .nregs = FZ_NREGS,
    .value = value,
    .base_name = "s11",
};
