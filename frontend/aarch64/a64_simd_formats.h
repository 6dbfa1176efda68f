/* The formats of a64_simd.decode: field extraction for each encoding
 * shape (Arm ARM C4.1, "A64 instruction set encoding"), and the reserved
 * encodings a whole shape rejects.  Included once, by a64_trans_simd.c,
 * before the generated a64_simd.inc. */
#ifndef FERRY_A64_SIMD_FORMATS_H
#define FERRY_A64_SIMD_FORMATS_H

#include <string.h>

#include "frontend/aarch64/a64_simd.h"

enum {
    A64S_FMT_fp1, A64S_FMT_fcmp, A64S_FMT_fimm, A64S_FMT_fccmp, A64S_FMT_fp2,
    A64S_FMT_fcsel, A64S_FMT_fp3, A64S_FMT_fcvt_fix, A64S_FMT_fcvt_int,
    A64S_FMT_vls_uimm, A64S_FMT_vls_imm9, A64S_FMT_vls_reg, A64S_FMT_vls_lit,
    A64S_FMT_vls_pair, A64S_FMT_vls_multi, A64S_FMT_vls_single, A64S_FMT_vimm,
    A64S_FMT_vshift, A64S_FMT_v3, A64S_FMT_v2, A64S_FMT_v3d, A64S_FMT_vcopy,
    A64S_FMT_vperm, A64S_FMT_vext, A64S_FMT_vtbl, A64S_FMT_velem, A64S_FMT_sshift,
    A64S_FMT_s3, A64S_FMT_s2, A64S_FMT_selem, A64S_FMT_s3d,
};

static inline unsigned bits_of(uint32_t x, int hi, int lo)
{
    return (x >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int64_t sbits_of(uint32_t x, int hi, int lo)
{
    int w = hi - lo + 1;
    return (int64_t)((uint64_t)bits_of(x, hi, lo) << (64 - w)) >> (64 - w);
}

/* The fields every shape has in the same place. */
static void common(a64s_args *a, uint32_t insn)
{
    memset(a, 0, sizeof *a);
    a->rd = (uint8_t)bits_of(insn, 4, 0);
    a->rn = (uint8_t)bits_of(insn, 9, 5);
    a->rm = (uint8_t)bits_of(insn, 20, 16);
    a->ra = (uint8_t)bits_of(insn, 14, 10);
    a->q = (uint8_t)bits_of(insn, 30, 30);
    a->u = (uint8_t)bits_of(insn, 29, 29);
    a->size = (uint8_t)bits_of(insn, 23, 22);
}

/* ---- scalar FP: ftype 10 is reserved everywhere but fmov x, v.d[1] */
static bool a64s_fmt_fp1(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 20, 15);
    return a->size != 2;
}

static bool a64s_fmt_fp2(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 15, 12);
    return a->size != 2;
}

static bool a64s_fmt_fp3(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    return a->size != 2;
}

static bool a64s_fmt_fcmp(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 4, 3); /* bit 1: fcmpe, bit 0: with #0.0 */
    return a->size != 2;
}

static bool a64s_fmt_fimm(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->imm = bits_of(insn, 20, 13);
    return a->size != 2;
}

static bool a64s_fmt_fccmp(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->cond = (uint8_t)bits_of(insn, 15, 12);
    a->opc = (uint8_t)bits_of(insn, 4, 4);
    a->nzcv = (uint8_t)bits_of(insn, 3, 0);
    return a->size != 2;
}

static bool a64s_fmt_fcsel(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->cond = (uint8_t)bits_of(insn, 15, 12);
    return a->size != 2;
}

static bool a64s_fmt_fcvt_fix(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->sf = (uint8_t)bits_of(insn, 31, 31);
    a->imm = 64 - bits_of(insn, 15, 10); /* fbits */
    return a->size != 2 && (a->sf || a->imm <= 32);
}

static bool a64s_fmt_fcvt_int(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->sf = (uint8_t)bits_of(insn, 31, 31);
    a->rmode = (uint8_t)bits_of(insn, 20, 19);
    a->opc = (uint8_t)bits_of(insn, 18, 16);
    return true; /* ftype 10 is fmov's top half: the trans_ checks */
}

/* ---- loads and stores: opc 23:22 (bit 23 with size 00: a Q register) */
static bool vls_common(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->size = (uint8_t)bits_of(insn, 31, 30);
    a->opc = (uint8_t)bits_of(insn, 23, 22);
    if (a->opc & 2) { /* 128-bit */
        if (a->size != 0)
            return false;
        a->size = 4;
    }
    return true;
}

static bool a64s_fmt_vls_uimm(a64s_args *a, uint32_t insn)
{
    if (!vls_common(a, insn))
        return false;
    a->imm = (int64_t)bits_of(insn, 21, 10) << a->size;
    a->mode = A64S_OFFSET;
    return true;
}

static bool a64s_fmt_vls_imm9(a64s_args *a, uint32_t insn)
{
    static const uint8_t modes[4] = {A64S_OFFSET, A64S_POST, 0, A64S_PRE};
    if (!vls_common(a, insn))
        return false;
    a->imm = sbits_of(insn, 20, 12);
    a->mode = modes[bits_of(insn, 11, 10)];
    return true;
}

static bool a64s_fmt_vls_reg(a64s_args *a, uint32_t insn)
{
    if (!vls_common(a, insn))
        return false;
    a->opt = (uint8_t)bits_of(insn, 15, 13);
    a->s = (uint8_t)bits_of(insn, 12, 12);
    return (a->opt & 2) != 0; /* uxtw, lsl/uxtx, sxtw, sxtx */
}

static bool a64s_fmt_vls_lit(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->size = (uint8_t)(2 + bits_of(insn, 31, 30)); /* s, d, q */
    a->imm = sbits_of(insn, 23, 5) * 4;
    return a->size <= 4;
}

/* ldp/stp: opc 31:30 (s, d, q), mode 24:23, L 22 (in u) */
static bool a64s_fmt_vls_pair(a64s_args *a, uint32_t insn)
{
    static const uint8_t modes[4] = {A64S_OFFSET, A64S_POST, A64S_OFFSET, A64S_PRE};
    common(a, insn);
    a->size = (uint8_t)(2 + bits_of(insn, 31, 30));
    a->u = (uint8_t)bits_of(insn, 22, 22);
    a->imm = sbits_of(insn, 21, 15) << a->size;
    a->mode = modes[bits_of(insn, 24, 23)];
    return a->size <= 4;
}

/* ld1-4/st1-4 (multiple structures): opcode 15:12, size 11:10, L 22 (u),
 * post-index 23 (Rm 31: by the transfer size) */
static bool a64s_fmt_vls_multi(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 15, 12);
    a->size = (uint8_t)bits_of(insn, 11, 10);
    a->u = (uint8_t)bits_of(insn, 22, 22);
    a->mode = bits_of(insn, 23, 23) ? A64S_POST_REG : A64S_OFFSET;
    return true;
}

/* single structure: opcode 15:13, S 12, size 11:10, R 21 (in s... see the
 * trans_), L 22 (u) */
static bool a64s_fmt_vls_single(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 15, 13);
    a->s = (uint8_t)bits_of(insn, 12, 12);
    a->size = (uint8_t)bits_of(insn, 11, 10);
    a->opt = (uint8_t)bits_of(insn, 21, 21); /* R: ld2/ld4 vs ld1/ld3 */
    a->u = (uint8_t)bits_of(insn, 22, 22);
    a->mode = bits_of(insn, 23, 23) ? A64S_POST_REG : A64S_OFFSET;
    return true;
}

/* ---- Advanced SIMD */
static bool a64s_fmt_vimm(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->imm = (bits_of(insn, 18, 16) << 5) | bits_of(insn, 9, 5);
    a->opc = (uint8_t)bits_of(insn, 15, 12); /* cmode */
    a->s = (uint8_t)bits_of(insn, 11, 11);   /* o2 */
    return true;
}

static bool a64s_fmt_vshift(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->imm = bits_of(insn, 22, 16); /* immh:immb */
    a->opc = (uint8_t)bits_of(insn, 15, 11);
    return bits_of(insn, 22, 19) != 0;
}

static bool a64s_fmt_sshift(a64s_args *a, uint32_t insn)
{
    bool ok = a64s_fmt_vshift(a, insn);
    a->scalar = 1;
    a->q = 1;
    return ok;
}

static bool a64s_fmt_v3(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 15, 11);
    return true;
}

static bool a64s_fmt_s3(a64s_args *a, uint32_t insn)
{
    a64s_fmt_v3(a, insn);
    a->scalar = 1;
    return true;
}

static bool a64s_fmt_v2(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 16, 12);
    return true;
}

static bool a64s_fmt_s2(a64s_args *a, uint32_t insn)
{
    a64s_fmt_v2(a, insn);
    a->scalar = 1;
    return true;
}

static bool a64s_fmt_v3d(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 15, 12);
    return true;
}

static bool a64s_fmt_s3d(a64s_args *a, uint32_t insn)
{
    a64s_fmt_v3d(a, insn);
    a->scalar = 1;
    return true;
}

/* dup/ins/umov/smov: imm5 in imm, imm4 in opc, op (29) in u */
static bool a64s_fmt_vcopy(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->imm = bits_of(insn, 20, 16);
    a->opc = (uint8_t)bits_of(insn, 14, 11);
    a->scalar = (uint8_t)bits_of(insn, 28, 28);
    return (a->imm & 15) != 0;
}

static bool a64s_fmt_vperm(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->opc = (uint8_t)bits_of(insn, 14, 12);
    return a->opc != 0 && a->opc != 4 && (a->q || a->size != 3);
}

static bool a64s_fmt_vext(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->imm = bits_of(insn, 14, 11);
    return a->q || a->imm < 8;
}

static bool a64s_fmt_vtbl(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    a->imm = bits_of(insn, 14, 13) + 1; /* table registers */
    a->u = (uint8_t)bits_of(insn, 12, 12); /* tbx */
    return true;
}

/* by element: L 21, M 20, Rm 19:16, opcode 15:12, H 11; the index and
 * Rm's width depend on size (16-bit: H:L:M and v0-v15) */
static bool a64s_fmt_velem(a64s_args *a, uint32_t insn)
{
    common(a, insn);
    unsigned h = bits_of(insn, 11, 11), l = bits_of(insn, 21, 21), m = bits_of(insn, 20, 20);
    a->opc = (uint8_t)bits_of(insn, 15, 12);
    if (a->size == 1) {
        a->idx = (uint8_t)(h << 2 | l << 1 | m);
        a->rm &= 15;
    } else if (a->size == 2) {
        a->idx = (uint8_t)(h << 1 | l);
    } else if (a->size == 3) {
        a->idx = (uint8_t)h;
        if (l)
            return false;
    } else {
        return false;
    }
    return true;
}

static bool a64s_fmt_selem(a64s_args *a, uint32_t insn)
{
    bool ok = a64s_fmt_velem(a, insn);
    a->scalar = 1;
    return ok;
}

#endif
