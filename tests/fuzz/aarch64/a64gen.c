/* a64gen's table for the shared generator driver (../fuzzgen.c): the
 * aarch64 initial state (x0-x30, NZCV, V0-V31, FPCR, FPSR), branch
 * fix-ups, and how states and records are shown.  The instructions are
 * a64gen_isa.c and a64gen_simd.c. */
#include <stdio.h>
#include "a64gen.h"
#include "fz_layout.h"

/* A 64-bit lane pattern: a double, two singles, four halves, or random. */
static uint64_t f_value(struct fzg_rng *r)
{
    switch (fzg_below(r, 6)) {
    case 0: case 1: return fzg_doubles[fzg_below(r, FZG_NDOUBLES)];
    case 2: case 3: return (uint64_t)fzg_singles[fzg_below(r, FZG_NSINGLES)] << 32 |
                           fzg_singles[fzg_below(r, FZG_NSINGLES)];
    case 4: return fzg_below(r, 2) ? (uint64_t)(int64_t)(int8_t)fzg_rand(r) * 0x0101010101010101ULL
                                   : (uint64_t)(uint16_t)fzg_rand(r) * 0x0001000100010001ULL;
    default: return fzg_rand(r);
    }
}

static void init_state(struct fzg_rng *r, void *hdr)
{
    struct fz_case_hdr *h = hdr;
    for (int i = 0; i < 31; i++)
        h->x[i] = fzg_int_value(r);
    h->x[FZ_BASE_REG] = FZ_BUF;
    h->nzcv = (uint64_t)fzg_below(r, 16) << 28;
    for (int i = 0; i < 32; i++) {
        h->v[i][0] = f_value(r);
        h->v[i][1] = f_value(r);
    }
    /* FPCR: a rounding mode, sometimes FZ or DN; FPSR: some flags and QC */
    h->fpcr = (uint64_t)fzg_below(r, 4) << 22 | (uint64_t)(fzg_below(r, 8) == 0) << 24 |
              (uint64_t)(fzg_below(r, 8) == 0) << 25;
    h->fpsr = fzg_below(r, 2) ? 0 : (fzg_below(r, 32) | fzg_below(r, 2) << 7 | fzg_below(r, 2) << 27);
}

static uint32_t fixup(unsigned fix, int32_t from_insn, int32_t from_item)
{
    (void)from_item;
    switch (fix) {
    case FIX_26: return ((uint32_t)from_insn >> 2) & 0x3ffffff;
    case FIX_19: return (((uint32_t)from_insn >> 2) & 0x7ffff) << 5;
    case FIX_14: return (((uint32_t)from_insn >> 2) & 0x3fff) << 5;
    default: return 0;
    }
}

static void print_state(const void *hdr)
{
    const struct fz_case_hdr *h = hdr;
    printf("initial state (mem seed 0x%016llx, nzcv 0x%llx, fpcr 0x%08llx, fpsr 0x%08llx):\n",
           (unsigned long long)h->head.mem_seed, (unsigned long long)h->nzcv >> 28,
           (unsigned long long)h->fpcr, (unsigned long long)h->fpsr);
    for (int i = 0; i < 31; i++)
        printf("  x%-2d %016llx%s", i, (unsigned long long)h->x[i], i % 4 == 3 || i == 30 ? "\n" : "");
    for (int i = 0; i < 32; i++)
        printf("  v%-2d %016llx:%016llx%s", i, (unsigned long long)h->v[i][1],
               (unsigned long long)h->v[i][0], i % 2 == 1 ? "\n" : "");
}

/* record: x0..x30 nzcv v0.lo v0.hi .. v31.hi fpcr fpsr */
static void value(const void *hdr, unsigned i, struct fzg_value *v)
{
    const struct fz_case_hdr *h = hdr;
    if (i < 31) {
        snprintf(v->name, sizeof v->name, "x%u", i);
        v->init = h->x[i];
    } else if (i == 31) {
        snprintf(v->name, sizeof v->name, "nzcv");
        v->init = h->nzcv;
    } else if (i < 96) {
        snprintf(v->name, sizeof v->name, "v%u.%s", (i - 32) / 2, i & 1 ? "hi" : "lo");
        v->init = h->v[(i - 32) / 2][i & 1];
    } else {
        snprintf(v->name, sizeof v->name, i == 96 ? "fpcr" : "fpsr");
        v->init = i == 96 ? h->fpcr : h->fpsr;
    }
    v->always = i == 31 || i == 97;
}

const struct fzg_guest fzg_guest = {
    .prog = "a64gen",
    .class_names = a64g_class_names,
    .nclasses = A64G_NCLASS,
    .magic = FZ_MAGIC,
    .hdr_size = sizeof(struct fz_case_hdr),
    .separate_ref = false,
    .init_state = init_state,
    .item = a64g_item,
    .fixup = fixup,
    .text_width = 28,
    .print_state = print_state,
    .asm_head = ".arch armv8.2-a+crc+lse+fp16\n.text\n",
    .asm_insn = ".inst 0x%08x\n",
    .nregs = FZ_NREGS,
    .value = value,
    .base_name = "x28",
};
