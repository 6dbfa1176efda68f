/* AArch64 vector floating point -> IR, one lane at a time: each lane is
 * the scalar IR op (so rounding, flags and NaNs are exactly the scalar
 * ones, on the host's SSE), and all lanes are read before any is written
 * (Vd may be an operand).  Singles and doubles only: half-precision
 * arithmetic (FEAT_FP16) is not offered.
 */
#include <string.h>

#include "frontend/aarch64/a64_simd_trans.h"

typedef struct vshape {
    ir_type t, it;    /* lane float type and its integer twin */
    unsigned es, nel; /* lane bytes, lanes */
    bool q, scalar;
} vshape;

#define MAXL 4

/* sz: 0 single, 1 double; .1d (sz with Q=0) is reserved */
static bool shape_of(const a64s_args *a, unsigned sz, vshape *s)
{
    s->t = sz ? IR_F64 : IR_F32;
    s->it = sz ? IR_I64 : IR_I32;
    s->es = sz ? 8 : 4;
    s->q = a->q;
    s->scalar = a->scalar;
    s->nel = a->scalar ? 1 : (a->q ? 16 : 8) / s->es;
    return a->scalar || !sz || a->q;
}

static ir_val lane(a64_ctx *c, const vshape *s, ir_type t, unsigned r, unsigned i)
{
    return ir_ctx_load(c->b, t, A64_OFF_VB(r, i * s->es));
}

static void load_lanes(a64_ctx *c, const vshape *s, unsigned r, ir_val *out)
{
    for (unsigned i = 0; i < s->nel; i++)
        out[i] = lane(c, s, s->t, r, i);
}

static void put_lanes(a64_ctx *c, const vshape *s, unsigned d, const ir_val *res)
{
    if (s->scalar) {
        a64_v_set_scalar(c, d, res[0]);
        return;
    }
    for (unsigned i = 0; i < s->nel; i++)
        ir_ctx_store(c->b, res[i], A64_OFF_VB(d, i * s->es));
    if (!s->q)
        a64_v_zero_from(c, d, 8);
}

static ir_val fop2(a64_ctx *c, ir_op op, ir_type t, ir_val x, ir_val y)
{
    return ir_fop(c->b, op, t, IR_RM_DYN, A64_NAN, x, y, IR_NONE);
}

/* all ones when x cc y (IR: EQ quiet, LT/LE signalling), else 0 */
static ir_val fmask(a64_ctx *c, const vshape *s, ir_cond cc, ir_val x, ir_val y)
{
    a64_fp_idc(c, s->t, x, y);
    ir_val r = ir_fsetcc(c->b, s->it, cc, x, y);
    return ir_binop(c->b, IR_SUB, s->it, ir_const(c->b, s->it, 0), r);
}

/* ---- fmulx, frecps, frsqrts: zero times infinity is no invalid
 * operation but 2, 2 and 1.5; a zero includes a denormal that FPCR.FZ
 * flushes (read at run time) */

typedef struct fclass {
    ir_val zero, inf, nan; /* 0/1 in the lane's integer type */
} fclass;

static ir_val kf(a64_ctx *c, const vshape *s, double v)
{
    if (s->t == IR_F32) {
        float f = (float)v;
        uint32_t u;
        memcpy(&u, &f, 4);
        return ir_const(c->b, IR_F32, u);
    }
    int64_t u;
    memcpy(&u, &v, 8);
    return ir_const(c->b, IR_F64, u);
}

static ir_val magnitude(a64_ctx *c, const vshape *s, ir_val x)
{
    int64_t m = s->t == IR_F32 ? 0x7fffffffll : INT64_MAX;
    return ir_binop(c->b, IR_AND, s->it, ir_bitcast(c->b, s->it, x), ir_const(c->b, s->it, m));
}

static fclass fclassify(a64_ctx *c, const vshape *s, ir_val x)
{
    ir_block *b = c->b;
    ir_type it = s->it;
    int64_t inf = s->t == IR_F32 ? 0x7f800000ll : 0x7ff0000000000000ll;
    int64_t min_normal = s->t == IR_F32 ? 1ll << 23 : 1ll << 52;
    ir_val mag = magnitude(c, s, x);
    ir_val fpcr = ir_zext(b, it, ir_ctx_load(b, IR_I32, A64_OFF_FPCR), 32);
    ir_val fz = ir_binop(b, IR_AND, it, ir_binop(b, IR_SHR, it, fpcr, ir_const(b, it, 24)),
                         ir_const(b, it, 1));
    ir_val tiny = ir_setcc(b, it, IR_LTU, mag, ir_const(b, it, min_normal));
    fclass f;
    f.zero = ir_binop(b, IR_OR, it, ir_setcc(b, it, IR_EQ, mag, ir_const(b, it, 0)),
                      ir_binop(b, IR_AND, it, fz, tiny));
    f.inf = ir_setcc(b, it, IR_EQ, mag, ir_const(b, it, inf));
    f.nan = ir_setcc(b, it, IR_GTU, mag, ir_const(b, it, inf));
    return f;
}

/* the operands with the infinity of a zero-times-infinity pair made 1.0,
 * so that the arithmetic below raises nothing for it; *special: 0 x inf */
static void defuse(a64_ctx *c, const vshape *s, ir_val *x, ir_val *y, ir_val *special)
{
    ir_block *b = c->b;
    fclass fx = fclassify(c, s, *x), fy = fclassify(c, s, *y);
    ir_val x_inf = ir_binop(b, IR_AND, s->it, fx.inf, fy.zero);
    ir_val y_inf = ir_binop(b, IR_AND, s->it, fx.zero, fy.inf);
    *special = ir_binop(b, IR_OR, s->it, x_inf, y_inf);
    *x = ir_select(b, s->t, x_inf, kf(c, s, 1.0), *x);
    *y = ir_select(b, s->t, y_inf, kf(c, s, 1.0), *y);
}

/* FPMulX: x * y, or +-2 (sign of x ^ y) for zero times infinity */
static ir_val fmulx(a64_ctx *c, const vshape *s, ir_val x, ir_val y)
{
    ir_block *b = c->b;
    ir_type it = s->it;
    ir_val x1 = x, y1 = y, special;
    defuse(c, s, &x1, &y1, &special);
    ir_val r = ir_fop(b, IR_FMUL, s->t, IR_RM_DYN, A64_NAN, x1, y1, IR_NONE);
    int64_t sign = s->t == IR_F32 ? 0x80000000ll : INT64_MIN;
    ir_val sg = ir_binop(b, IR_AND, it, ir_binop(b, IR_XOR, it, ir_bitcast(b, it, x), ir_bitcast(b, it, y)),
                         ir_const(b, it, sign));
    ir_val two = ir_bitcast(b, s->t, ir_binop(b, IR_OR, it, ir_bitcast(b, it, kf(c, s, 2.0)), sg));
    return ir_select(b, s->t, special, two, r);
}

/* FPRecipStepFused: 2 - x*y with one rounding; the FMA's NaN order
 * (addend, then -x, then y) is FPProcessNaNs(-x, y) */
static ir_val frecps(a64_ctx *c, const vshape *s, ir_val x, ir_val y)
{
    ir_val special;
    defuse(c, s, &x, &y, &special);
    return ir_fop(c->b, IR_FMA, s->t, IR_RM_DYN, A64_NAN, a64_fneg(c, s->t, x), y, kf(c, s, 2.0));
}

/* FPRSqrtStepFused: (3 - x*y) / 2 with one rounding, as 1.5 - (b/2)*a
 * where b is the operand of larger magnitude (halving it is exact when
 * it is at least 2^(emin+1)); when both are smaller the product is far
 * below 3 and (3 - x*y) rounds to within ulps of 3, where halving is
 * exact.  NaNs are FPProcessNaNs(-x, y). */
static ir_val frsqrts(a64_ctx *c, const vshape *s, ir_val x, ir_val y)
{
    ir_block *b = c->b;
    ir_type t = s->t, it = s->it;
    fclass fx = fclassify(c, s, x), fy = fclassify(c, s, y);
    ir_val any_nan = ir_binop(b, IR_OR, it, fx.nan, fy.nan);
    ir_val nan = a64_fp_process_nans(c, t, any_nan, a64_fneg(c, t, x), y);
    ir_val x1 = x, y1 = y, special;
    defuse(c, s, &x1, &y1, &special);
    ir_val ax = magnitude(c, s, x1), ay = magnitude(c, s, y1);
    ir_val xbig = ir_setcc(b, it, IR_GEU, ax, ay);
    ir_val big = ir_select(b, t, xbig, x1, y1), small = ir_select(b, t, xbig, y1, x1);
    ir_val amax = ir_select(b, it, xbig, ax, ay);
    ir_val ok = ir_setcc(b, it, IR_GEU, amax, ir_const(b, it, t == IR_F32 ? 2ll << 23 : 2ll << 52));
    ir_val hb = ir_fop(b, IR_FMUL, t, IR_RM_DYN, A64_NAN, big,
                       ir_select(b, t, ok, kf(c, s, 0.5), kf(c, s, 1.0)), IR_NONE);
    ir_val r = ir_fop(b, IR_FMA, t, IR_RM_DYN, A64_NAN, a64_fneg(c, t, hb), small,
                      ir_select(b, t, ok, kf(c, s, 1.5), kf(c, s, 3.0)));
    r = ir_fop(b, IR_FMUL, t, IR_RM_DYN, A64_NAN, r, ir_select(b, t, ok, kf(c, s, 1.0), kf(c, s, 0.5)),
               IR_NONE);
    return ir_select(b, t, any_nan, nan, r);
}

/* ---- three same */

enum { K_MAXNM, K_MLA, K_ADD, K_MULX, K_CMEQ, K_5, K_MAX, K_RECPS,
       K_MINNM, K_MLS, K_SUB, K_11, K_12, K_13, K_MIN, K_RSQRTS,
       K_MAXNMP, K_17, K_ADDP, K_MUL, K_CMGE, K_ACGE, K_MAXP, K_DIV,
       K_MINNMP, K_25, K_ABD, K_27, K_CMGT, K_ACGT, K_MINP, K_31 };

/* 1: implemented; 2: also as a scalar */
static const uint8_t k_ok[32] = {
    [K_MAXNM] = 1, [K_MLA] = 1, [K_ADD] = 1, [K_MULX] = 3, [K_RECPS] = 3, [K_RSQRTS] = 3, [K_CMEQ] = 3, [K_MAX] = 1, [K_MINNM] = 1,
    [K_MLS] = 1, [K_SUB] = 1, [K_MIN] = 1, [K_MAXNMP] = 1, [K_ADDP] = 1, [K_MUL] = 1,
    [K_CMGE] = 3, [K_ACGE] = 3, [K_MAXP] = 1, [K_DIV] = 1, [K_MINNMP] = 1, [K_ABD] = 3,
    [K_CMGT] = 3, [K_ACGT] = 3, [K_MINP] = 1,
};

static ir_val k_lane(a64_ctx *c, const vshape *s, unsigned k, ir_val x, ir_val y, ir_val d)
{
    ir_type t = s->t;
    switch (k) {
    case K_MAXNM: case K_MAXNMP: return a64_fp_minmax(c, t, IR_FMAX, true, x, y);
    case K_MINNM: case K_MINNMP: return a64_fp_minmax(c, t, IR_FMIN, true, x, y);
    case K_MAX: case K_MAXP: return a64_fp_minmax(c, t, IR_FMAX, false, x, y);
    case K_MIN: case K_MINP: return a64_fp_minmax(c, t, IR_FMIN, false, x, y);
    case K_MLA: return ir_fop(c->b, IR_FMA, t, IR_RM_DYN, A64_NAN, x, y, d);
    case K_MLS: return ir_fop(c->b, IR_FMA, t, IR_RM_DYN, A64_NAN, a64_fneg(c, t, x), y, d);
    case K_ADD: case K_ADDP: return fop2(c, IR_FADD, t, x, y);
    case K_SUB: return fop2(c, IR_FSUB, t, x, y);
    case K_MUL: return fop2(c, IR_FMUL, t, x, y);
    case K_DIV: return fop2(c, IR_FDIV, t, x, y);
    case K_ABD: return a64_fabs(c, t, fop2(c, IR_FSUB, t, x, y));
    case K_MULX: return fmulx(c, s, x, y);
    case K_RECPS: return frecps(c, s, x, y);
    case K_RSQRTS: return frsqrts(c, s, x, y);
    case K_CMEQ: return fmask(c, s, IR_EQ, x, y);
    case K_CMGE: return fmask(c, s, IR_LE, y, x);
    case K_CMGT: return fmask(c, s, IR_LT, y, x);
    case K_ACGE: return fmask(c, s, IR_LE, a64_fabs(c, t, y), a64_fabs(c, t, x));
    case K_ACGT: return fmask(c, s, IR_LT, a64_fabs(c, t, y), a64_fabs(c, t, x));
    }
    return IR_NONE;
}

static bool vfp_3same(a64_ctx *c, a64s_args *a)
{
    unsigned k = a->u << 4 | (a->size >> 1) << 3 | (a->opc & 7);
    vshape s;
    if (!shape_of(a, a->size & 1, &s) || !(k_ok[k] & (a->scalar ? 2 : 1)))
        return false;
    ir_val x[MAXL], y[MAXL], d[MAXL] = {0}, r[MAXL];
    load_lanes(c, &s, a->rn, x);
    load_lanes(c, &s, a->rm, y);
    if (k == K_MLA || k == K_MLS)
        load_lanes(c, &s, a->rd, d);
    bool pair = k == K_MAXNMP || k == K_ADDP || k == K_MAXP || k == K_MINNMP || k == K_MINP;
    for (unsigned i = 0; i < s.nel; i++) {
        if (pair) { /* pairs of the concatenation n:m */
            const ir_val *src = 2 * i < s.nel ? x : y;
            unsigned j = (2 * i) % s.nel;
            r[i] = k_lane(c, &s, k, src[j], src[j + 1], IR_NONE);
        } else {
            r[i] = k_lane(c, &s, k, x[i], y[i], d[i]);
        }
    }
    put_lanes(c, &s, a->rd, r);
    return true;
}

A64S_TRANS(v3same_fp) { return vfp_3same(c, a); }
A64S_TRANS(s3same_fp) { return vfp_3same(c, a); }

/* ---- scalar pairwise: faddp, fmaxp, fminp, fmaxnmp, fminnmp of v.2s/2d */

bool a64_vfp_pair(a64_ctx *c, a64s_args *a)
{
    static const unsigned keys[16] = {[0x0c] = K_MAXNMP, [0x0d] = K_ADDP, [0x0f] = K_MAXP};
    unsigned k = keys[a->opc & 15];
    if (a->opc > 0x0f || !k || (k == K_ADDP && a->size >> 1))
        return false;
    if (a->size >> 1) /* the min forms */
        k = k == K_MAXNMP ? K_MINNMP : K_MINP;
    vshape s;
    shape_of(a, a->size & 1, &s);
    ir_val x = lane(c, &s, s.t, a->rn, 0), y = lane(c, &s, s.t, a->rn, 1);
    a64_v_set_scalar(c, a->rd, k_lane(c, &s, k, x, y, IR_NONE));
    return true;
}

/* ---- across lanes: fmaxnmv, fminnmv, fmaxv, fminv of v.4s, as Arm's
 * Reduce: op(op(e0, e1), op(e2, e3)) */

bool a64_vfp_across(a64_ctx *c, a64s_args *a)
{
    if (!a->u || (a->size & 1) || !a->q)
        return false; /* FP16 forms (U=0), .2d and .2s are not allocated */
    bool min = a->size >> 1, nm = a->opc == 0x0c;
    vshape s;
    shape_of(a, 0, &s);
    ir_val x[MAXL];
    load_lanes(c, &s, a->rn, x);
    ir_op op = min ? IR_FMIN : IR_FMAX;
    ir_val lo = a64_fp_minmax(c, s.t, op, nm, x[0], x[1]);
    ir_val hi = a64_fp_minmax(c, s.t, op, nm, x[2], x[3]);
    a64_v_set_scalar(c, a->rd, a64_fp_minmax(c, s.t, op, nm, lo, hi));
    return true;
}

/* ---- two registers, miscellaneous */

bool a64_vfp_is_2misc(const a64s_args *a)
{
    if (a->opc >= 0x0c && a->opc <= 0x0f)
        return a->size >= 2;
    return a->opc == 0x16 || a->opc == 0x17 || a->opc >= 0x18;
}

/* fcvtl / fcvtn: widen a half of n, or narrow into a half of d */
static bool fcvt_long_narrow(a64_ctx *c, a64s_args *a)
{
    ir_block *b = c->b;
    bool dbl = a->size & 1, lng = a->opc == 0x17;
    if (a->u || a->scalar)
        return false; /* fcvtxn: round to odd, not offered */
    unsigned nel = dbl ? 2 : 4, wsize = dbl ? 3 : 2, nsize = dbl ? 2 : 1;
    ir_val r[MAXL];
    for (unsigned i = 0; i < nel; i++) {
        if (lng && dbl) {
            ir_val x = ir_ctx_load(b, IR_F32, A64_OFF_VB(a->rn, (a->q ? 8 : 0) + 4 * i));
            r[i] = ir_fop(b, IR_FCVT_FF, IR_F64, IR_RM_DYN, A64_NAN, x, IR_NONE, IR_NONE);
        } else if (lng) {
            ir_val h = a64_v_get_lane(c, a->rn, 1, (a->q ? 4 : 0) + i);
            ir_val v = ir_call(b, &a64_h_f16, ir_const(b, IR_I64, A64H_H2S), h, IR_NONE);
            a64_fp_raise(c, ir_binop(b, IR_SHR, IR_I64, v, ir_const(b, IR_I64, 56)));
            r[i] = ir_zext(b, IR_I32, v, 32);
        } else if (dbl) {
            ir_val x = ir_ctx_load(b, IR_F64, A64_OFF_VB(a->rn, 8 * i));
            r[i] = ir_bitcast(b, IR_I32, ir_fop(b, IR_FCVT_FF, IR_F32, IR_RM_DYN, A64_NAN, x, IR_NONE, IR_NONE));
        } else {
            ir_val x = ir_zext(b, IR_I64, ir_ctx_load(b, IR_I32, A64_OFF_VB(a->rn, 4 * i)), 32);
            ir_val v = ir_call(b, &a64_h_f16, ir_const(b, IR_I64, A64H_S2H), x, IR_NONE);
            a64_fp_raise(c, ir_binop(b, IR_SHR, IR_I64, v, ir_const(b, IR_I64, 56)));
            r[i] = v;
        }
    }
    if (lng) {
        for (unsigned i = 0; i < nel; i++)
            ir_ctx_store(b, r[i], A64_OFF_VB(a->rd, i << wsize));
        return true;
    }
    for (unsigned i = 0; i < nel; i++) /* fcvtn2 keeps the low half */
        a64_v_set_lane(c, a->rd, nsize, (a->q ? nel : 0) + i, r[i]);
    if (!a->q)
        a64_v_zero_from(c, a->rd, 8);
    return true;
}

enum { M_ABS, M_NEG, M_SQRT, M_CMP, M_RINT, M_TOINT, M_TOFLT, M_EST };

typedef struct misc_row {
    uint8_t kind, arg; /* arg: cond of M_CMP, rounding, frint exactness */
} misc_row;

/* [u][a][opc - 0x0c]; kind 0 with arg 0 at K_NONE means unallocated */
#define R(k, x) {k + 1, x}
static const misc_row misc_rows[2][2][20] = {
    [0][1] = {[0x0c - 12] = R(M_CMP, 0), [0x0d - 12] = R(M_CMP, 1), [0x0e - 12] = R(M_CMP, 2),
              [0x0f - 12] = R(M_ABS, 0), [0x18 - 12] = R(M_RINT, IR_RM_RUP),
              [0x19 - 12] = R(M_RINT, IR_RM_RTZ), [0x1a - 12] = R(M_TOINT, IR_RM_RUP),
              [0x1b - 12] = R(M_TOINT, IR_RM_RTZ), [0x1c - 12] = R(M_EST, A64E_URECPE),
              [0x1d - 12] = R(M_EST, A64E_RECPE), [0x1f - 12] = R(M_EST, A64E_RECPX)},
    [0][0] = {[0x18 - 12] = R(M_RINT, IR_RM_RNE), [0x19 - 12] = R(M_RINT, IR_RM_RDN),
              [0x1a - 12] = R(M_TOINT, IR_RM_RNE), [0x1b - 12] = R(M_TOINT, IR_RM_RDN),
              [0x1c - 12] = R(M_TOINT, IR_RM_RMM), [0x1d - 12] = R(M_TOFLT, 0)},
    [1][1] = {[0x0c - 12] = R(M_CMP, 3), [0x0d - 12] = R(M_CMP, 4), [0x0f - 12] = R(M_NEG, 0),
              [0x19 - 12] = R(M_RINT, IR_RM_DYN), [0x1a - 12] = R(M_TOINT, IR_RM_RUP),
              [0x1b - 12] = R(M_TOINT, IR_RM_RTZ), [0x1c - 12] = R(M_EST, A64E_URSQRTE),
              [0x1d - 12] = R(M_EST, A64E_RSQRTE), [0x1f - 12] = R(M_SQRT, 0)},
    [1][0] = {[0x18 - 12] = R(M_RINT, IR_RM_RMM), [0x19 - 12] = R(M_RINT, 0x80 | IR_RM_DYN),
              [0x1a - 12] = R(M_TOINT, IR_RM_RNE), [0x1b - 12] = R(M_TOINT, IR_RM_RDN),
              [0x1c - 12] = R(M_TOINT, IR_RM_RMM), [0x1d - 12] = R(M_TOFLT, 0)},
};
#undef R

/* a64_h_fpest on the lane's bits; FP ones also raise its flags */
static ir_val estimate(a64_ctx *c, const vshape *s, unsigned op, bool fp, ir_val x)
{
    ir_block *b = c->b;
    unsigned kind = op | (s->t == IR_F64 ? A64E_DOUBLE : 0);
    ir_val bits = s->it == IR_I32 ? ir_zext(b, IR_I64, x, 32) : x;
    ir_val r = ir_call(b, &a64_h_fpest, ir_const(b, IR_I64, kind), bits, IR_NONE);
    if (fp)
        a64_fp_raise(c, ir_call(b, &a64_h_fpest, ir_const(b, IR_I64, kind | A64E_FLAGS), bits, IR_NONE));
    return s->it == IR_I32 ? ir_zext(b, IR_I32, r, 32) : r;
}

/* x against 0.0: gt, eq, lt (U=0); ge, le (U=1) */
static ir_val cmp_zero(a64_ctx *c, const vshape *s, unsigned k, ir_val x)
{
    ir_val z = ir_const(c->b, s->t, 0);
    switch (k) {
    case 0: return fmask(c, s, IR_LT, z, x);
    case 1: return fmask(c, s, IR_EQ, x, z);
    case 2: return fmask(c, s, IR_LT, x, z);
    case 3: return fmask(c, s, IR_LE, z, x);
    default: return fmask(c, s, IR_LE, x, z);
    }
}

bool a64_vfp_2misc(a64_ctx *c, a64s_args *a)
{
    if (a->opc == 0x16 || a->opc == 0x17) /* size<1> set: bfcvtn or unallocated */
        return !(a->size & 2) && fcvt_long_narrow(c, a);
    misc_row row = a->opc >= 0x0c && a->opc < 0x20 ? misc_rows[a->u][a->size >> 1][a->opc - 12]
                                                   : (misc_row){0, 0};
    vshape s;
    if (!row.kind || !shape_of(a, a->size & 1, &s))
        return false;
    unsigned kind = row.kind - 1u;
    if (a->scalar && (kind == M_ABS || kind == M_NEG || kind == M_SQRT || kind == M_RINT))
        return false; /* those scalars are the FP data-processing rows */
    bool uest = kind == M_EST && (row.arg == A64E_URECPE || row.arg == A64E_URSQRTE);
    if (kind == M_EST && (uest ? a->scalar || (a->size & 1) : row.arg == A64E_RECPX && !a->scalar))
        return false; /* urecpe/ursqrte: .2s .4s only; frecpx: scalar only */
    ir_val x[MAXL], r[MAXL];
    for (unsigned i = 0; i < s.nel; i++)
        x[i] = lane(c, &s, kind == M_TOFLT || kind == M_EST ? s.it : s.t, a->rn, i);
    for (unsigned i = 0; i < s.nel; i++) {
        switch (kind) {
        case M_ABS: r[i] = a64_fabs(c, s.t, x[i]); break;
        case M_NEG: r[i] = a64_fneg(c, s.t, x[i]); break;
        case M_SQRT: r[i] = ir_fop(c->b, IR_FSQRT, s.t, IR_RM_DYN, A64_NAN, x[i], IR_NONE, IR_NONE); break;
        case M_CMP: r[i] = cmp_zero(c, &s, row.arg, x[i]); break;
        case M_RINT:
            r[i] = a64_fp_round(c, s.t, (ir_round)(row.arg & 0x7f), row.arg & 0x80, x[i]);
            break;
        case M_TOINT:
            r[i] = a64_fp_to_int(c, s.it, s.t, (ir_round)row.arg, !a->u, x[i]);
            break;
        case M_EST:
            r[i] = estimate(c, &s, row.arg, !uest, x[i]);
            break;
        default:
            r[i] = ir_fop(c->b, IR_FCVT_IF, s.t, IR_RM_DYN, A64_NAN | (a->u ? 0 : IR_FP_SIGNED), x[i], IR_NONE,
                          IR_NONE);
        }
    }
    put_lanes(c, &s, a->rd, r);
    return true;
}

/* ---- by element: fmla, fmls, fmul with Vm[idx] */

bool a64_vfp_is_elem(const a64s_args *a)
{
    return a->size >= 2 && (a->opc == 1 || a->opc == 5 || a->opc == 9);
}

bool a64_vfp_elem(a64_ctx *c, a64s_args *a)
{
    vshape s;
    if (!shape_of(a, a->size & 1, &s) || (a->u && a->opc != 9))
        return false; /* U=1: fmulx only */
    ir_val x[MAXL], d[MAXL], r[MAXL];
    ir_val m = lane(c, &s, s.t, a->rm, a->idx);
    load_lanes(c, &s, a->rn, x);
    if (a->opc != 9)
        load_lanes(c, &s, a->rd, d);
    for (unsigned i = 0; i < s.nel; i++) {
        if (a->opc == 9)
            r[i] = a->u ? fmulx(c, &s, x[i], m) : fop2(c, IR_FMUL, s.t, x[i], m);
        else
            r[i] = ir_fop(c->b, IR_FMA, s.t, IR_RM_DYN, A64_NAN,
                          a->opc == 5 ? a64_fneg(c, s.t, x[i]) : x[i], m, d[i]);
    }
    put_lanes(c, &s, a->rd, r);
    return true;
}

/* ---- fixed-point conversions by immediate: [su]cvtf, fcvtz[su] */

bool a64_vfp_shift(a64_ctx *c, a64s_args *a)
{
    unsigned immh = (unsigned)a->imm >> 3;
    if (immh < 4)
        return false; /* FP16 (001x) */
    unsigned sz = immh >= 8, fbits = (sz ? 128 : 64) - (unsigned)a->imm;
    vshape s;
    if (!shape_of(a, sz, &s))
        return false;
    bool to_int = a->opc == 0x1f;
    ir_val x[MAXL], r[MAXL];
    for (unsigned i = 0; i < s.nel; i++)
        x[i] = lane(c, &s, to_int ? s.t : s.it, a->rn, i);
    ir_val scale = a64_fp_pow2(c, s.t, -(int)fbits);
    for (unsigned i = 0; i < s.nel; i++) {
        if (to_int) {
            r[i] = a64_fp_to_fixed(c, s.it, s.t, !a->u, fbits, x[i]);
        } else {
            ir_val f = ir_fop(c->b, IR_FCVT_IF, s.t, IR_RM_DYN, A64_NAN | (a->u ? 0 : IR_FP_SIGNED), x[i], IR_NONE,
                              IR_NONE);
            r[i] = fop2(c, IR_FMUL, s.t, f, scale);
        }
    }
    put_lanes(c, &s, a->rd, r);
    return true;
}
