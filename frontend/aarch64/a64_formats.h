/* The A64 base instruction formats: how each named layout of an
 * a64_base.decode row turns a word into a64_args, written once here.  A
 * format returns false for a reserved encoding of its shape, so the
 * decoder moves on (and in the end raises SIGILL).  Field use that is not
 * obvious from a64_args' names is said at the format. */
#ifndef FERRY_A64_FORMATS_H
#define FERRY_A64_FORMATS_H

#include <string.h>

#include "frontend/aarch64/a64_internal.h"

#define A64_FORMATS(X)                                                          \
    X(addsub_imm) X(logic_imm) X(movw) X(adr) X(bitfield) X(extr) X(b)          \
    X(bcond) X(cbz) X(tbz) X(br) X(exc) X(sys) X(ldst_uimm) X(ldst_imm9)        \
    X(ldst_reg) X(ldr_lit) X(ldst_pair) X(excl) X(atomic) X(logic_reg)          \
    X(addsub_reg) X(addsub_ext) X(rrr) X(ccmp) X(csel) X(rrrr) X(crc)

enum {
#define X(f) A64_FMT_##f,
    A64_FORMATS(X)
#undef X
    A64_NUM_FMTS
};

/* Bits hi..lo of w. */
static inline uint32_t a64_bits(uint32_t w, int hi, int lo)
{
    return (w >> lo) & (uint32_t)((1ull << (hi - lo + 1)) - 1);
}
static inline int64_t a64_sext(uint64_t v, int bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* The common fields: Rd/Rt, Rn, Rm, sf. */
static inline void a64_common(a64_args *a, uint32_t w)
{
    memset(a, 0, sizeof *a);
    a->rd = a64_bits(w, 4, 0), a->rn = a64_bits(w, 9, 5), a->rm = a64_bits(w, 20, 16);
    a->sf = a64_bits(w, 31, 31);
}

/* DecodeBitMasks (Arm ARM J1) for a logical immediate: false if reserved. */
static inline bool a64_bitmask(unsigned n, unsigned immr, unsigned imms, bool sf,
                               uint64_t *out)
{
    unsigned v = n << 6 | (~imms & 0x3f), len = 0;
    if (!sf && n)
        return false;
    for (unsigned i = 0; i < 7; i++)
        if (v >> i & 1)
            len = i;
    if (v == 0 || len < 1)
        return false;
    unsigned esize = 1u << len, levels = esize - 1;
    unsigned s = imms & levels, r = immr & levels;
    if (s == levels)
        return false;
    uint64_t elem = (2ull << s) - 1, emask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    if (r)
        elem = ((elem >> r) | (elem << (esize - r))) & emask;
    uint64_t m = 0;
    for (unsigned i = 0; i < 64; i += esize)
        m |= elem << i;
    *out = sf ? m : (uint32_t)m;
    return true;
}

/* ---- data processing, immediate */
static inline bool a64_fmt_addsub_imm(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->rm = 0;
    a->imm = (int64_t)a64_bits(w, 21, 10) << (a64_bits(w, 22, 22) ? 12 : 0);
    return true;
}
/* opc: and orr eor ands */
static inline bool a64_fmt_logic_imm(a64_args *a, uint32_t w)
{
    uint64_t m;
    a64_common(a, w);
    a->opc = a64_bits(w, 30, 29);
    a->n = a64_bits(w, 22, 22), a->immr = a64_bits(w, 21, 16), a->imms = a64_bits(w, 15, 10);
    if (!a64_bitmask(a->n, a->immr, a->imms, a->sf, &m))
        return false;
    a->imm = (int64_t)m;
    return true;
}
/* amount: hw * 16 */
static inline bool a64_fmt_movw(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->amount = a64_bits(w, 22, 21) * 16, a->imm = a64_bits(w, 20, 5);
    return a->sf || a->amount < 32;
}
static inline bool a64_fmt_adr(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->imm = a64_sext(a64_bits(w, 23, 5) << 2 | a64_bits(w, 30, 29), 21);
    return true;
}
static inline bool a64_fmt_bitfield(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->n = a64_bits(w, 22, 22), a->immr = a64_bits(w, 21, 16), a->imms = a64_bits(w, 15, 10);
    return a->n == a->sf && (a->sf || (a->immr < 32 && a->imms < 32));
}
/* amount: lsb */
static inline bool a64_fmt_extr(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->n = a64_bits(w, 22, 22), a->amount = a64_bits(w, 15, 10);
    return a->n == a->sf && (a->sf || a->amount < 32);
}

/* ---- branches, exceptions, system */
static inline bool a64_fmt_b(a64_args *a, uint32_t w)
{
    memset(a, 0, sizeof *a);
    a->imm = a64_sext(a64_bits(w, 25, 0), 26) * 4;
    return true;
}
static inline bool a64_fmt_bcond(a64_args *a, uint32_t w)
{
    memset(a, 0, sizeof *a);
    a->imm = a64_sext(a64_bits(w, 23, 5), 19) * 4, a->cond = a64_bits(w, 3, 0);
    return true;
}
static inline bool a64_fmt_cbz(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->rn = a->rm = 0;
    a->imm = a64_sext(a64_bits(w, 23, 5), 19) * 4;
    return true;
}
/* amount: the bit tested; sf: it is in the upper half */
static inline bool a64_fmt_tbz(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->rn = a->rm = 0;
    a->amount = a64_bits(w, 31, 31) << 5 | a64_bits(w, 23, 19);
    a->imm = a64_sext(a64_bits(w, 18, 5), 14) * 4;
    return true;
}
static inline bool a64_fmt_br(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->rd = a->rm = 0, a->sf = 1;
    return true;
}
static inline bool a64_fmt_exc(a64_args *a, uint32_t w)
{
    memset(a, 0, sizeof *a);
    a->imm = a64_bits(w, 20, 5);
    return true;
}
/* imm: op0:op1:CRn:CRm:op2 (bits 20:5, A64_SYSREG), rd: Rt */
static inline bool a64_fmt_sys(a64_args *a, uint32_t w)
{
    memset(a, 0, sizeof *a);
    a->rd = a64_bits(w, 4, 0), a->imm = a64_bits(w, 20, 5);
    return true;
}

/* ---- loads and stores: rd is Rt; opc the load/store kind (bits 23:22) */
static inline void a64_ldst_common(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->size = a64_bits(w, 31, 30), a->opc = a64_bits(w, 23, 22), a->sf = 0;
}
static inline bool a64_fmt_ldst_uimm(a64_args *a, uint32_t w)
{
    a64_ldst_common(a, w);
    a->rm = 0, a->imm = (int64_t)a64_bits(w, 21, 10) << a->size;
    return true;
}
static inline bool a64_fmt_ldst_imm9(a64_args *a, uint32_t w)
{
    a64_ldst_common(a, w);
    a->rm = 0, a->imm = a64_sext(a64_bits(w, 20, 12), 9);
    return true;
}
/* shift: the extend option (UXTW LSL SXTW SXTX); amount: 0 or size */
static inline bool a64_fmt_ldst_reg(a64_args *a, uint32_t w)
{
    a64_ldst_common(a, w);
    a->shift = a64_bits(w, 15, 13), a->amount = a64_bits(w, 12, 12) ? a->size : 0;
    return (a->shift & 2) != 0;
}
/* opc: bits 31:30 (ldr w, ldr x, ldrsw, prfm) */
static inline bool a64_fmt_ldr_lit(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->rn = a->rm = 0, a->sf = 0;
    a->opc = a64_bits(w, 31, 30), a->imm = a64_sext(a64_bits(w, 23, 5), 19) * 4;
    return true;
}
/* ra: Rt2; opc: bits 31:30; shift: index mode (bits 24:23: 0 no-allocate
 * offset, 1 post, 2 offset, 3 pre); n: L (a load); size: log2 of one
 * register's access */
static inline bool a64_fmt_ldst_pair(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->rm = 0, a->ra = a64_bits(w, 14, 10);
    a->opc = a64_bits(w, 31, 30), a->shift = a64_bits(w, 24, 23), a->n = a64_bits(w, 22, 22);
    if (a->opc == 3 || (a->opc == 1 && (!a->n || a->shift == 0)))
        return false; /* stgp (MTE), reserved */
    a->size = a->opc == 2 ? 3 : 2, a->sf = a->opc == 2;
    a->imm = a64_sext(a64_bits(w, 21, 15), 7) << a->size;
    return true;
}
/* rm: Rs; ra: Rt2; n: L (load / CAS acquire); opc: o0 (acquire-release) */
static inline bool a64_fmt_excl(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->size = a64_bits(w, 31, 30), a->ra = a64_bits(w, 14, 10);
    a->n = a64_bits(w, 22, 22), a->opc = a64_bits(w, 15, 15), a->sf = 0;
    return true;
}
/* rm: Rs; opc: o3:opc (bits 15, 14:12) */
static inline bool a64_fmt_atomic(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->size = a64_bits(w, 31, 30), a->opc = a64_bits(w, 15, 12), a->sf = 0;
    return true;
}

/* ---- data processing, register */
/* opc: and orr eor ands; n: the second operand is inverted */
static inline bool a64_fmt_logic_reg(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->opc = a64_bits(w, 30, 29), a->shift = a64_bits(w, 23, 22), a->n = a64_bits(w, 21, 21);
    a->amount = a64_bits(w, 15, 10);
    return a->sf || a->amount < 32;
}
static inline bool a64_fmt_addsub_reg(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->shift = a64_bits(w, 23, 22), a->amount = a64_bits(w, 15, 10);
    return a->shift != 3 && (a->sf || a->amount < 32);
}
/* shift: the extend option; amount: the left shift after it */
static inline bool a64_fmt_addsub_ext(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->shift = a64_bits(w, 15, 13), a->amount = a64_bits(w, 12, 10);
    return a->amount <= 4;
}
static inline bool a64_fmt_rrr(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    return true;
}
/* rm: Rm or imm5; imm: the nzcv used when cond fails */
static inline bool a64_fmt_ccmp(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->rd = 0, a->cond = a64_bits(w, 15, 12), a->imm = a64_bits(w, 3, 0);
    return true;
}
static inline bool a64_fmt_csel(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->cond = a64_bits(w, 15, 12);
    return true;
}
static inline bool a64_fmt_rrrr(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->ra = a64_bits(w, 14, 10);
    return true;
}
/* size: log2 bytes of the data operand (crc32x only with sf) */
static inline bool a64_fmt_crc(a64_args *a, uint32_t w)
{
    a64_common(a, w);
    a->size = a64_bits(w, 11, 10);
    return (a->size == 3) == a->sf;
}

#endif
