/* AArch64 scalar floating point -> IR: the trans_ functions of the scalar
 * FP rows of a64_simd.decode, FPCR/FPSR for MRS/MSR, and the generators
 * the vector FP code shares (Arm min/max NaN rules, frint*, conversions).
 *
 * Singles and doubles live in the low bytes of V registers; a scalar
 * write zeroes the rest.  Every FP op carries IR_FP_ARM_NAN (Arm's NaN
 * propagation and positive default NaN); FPCR.FZ and FPCR.DN reach the
 * backend through FP_MODE_SET, RMode through FP_RM_SET.  The cumulative
 * flags IOC..IXC and IDC are the IR's accrued flags; QC lives in cpu.fpsr.
 * Compares, min/max and fixed-rounding conversions raise IDC here
 * (a64_fp_idc), and min/max flush their result, where the host's DAZ
 * alone would not.
 */
#include "frontend/aarch64/a64_simd.h"
#include "frontend/aarch64/a64_simd_trans.h"

#define FPSR_KEEP (1u << 27)      /* QC: not an IR flag */
#define FPCR_KEEP 0x07c80000u               /* AHP DN FZ RMode FZ16 */

static ir_val cnst(a64_ctx *c, ir_type t, int64_t v) { return ir_const(c->b, t, v); }

static ir_type int_of(ir_type t) { return t == IR_F32 ? IR_I32 : IR_I64; }
static int64_t sign_of(ir_type t) { return t == IR_F32 ? 0x80000000ll : INT64_MIN; }
static int64_t inf_of(ir_type t) { return t == IR_F32 ? 0x7f800000ll : 0x7ff0000000000000ll; }
static int64_t qbit_of(ir_type t) { return t == IR_F32 ? 0x400000ll : 0x8000000000000ll; }

/* ---- FPCR and FPSR */

/* IR_FX_* bits are FPSR's IOC..IXC in reverse order (bit k <-> bit 4-k),
 * and the input-denormal flag (bit 5) is IDC (bit 7): to_fpsr picks the
 * direction. */
static ir_val fx_swap(a64_ctx *c, ir_val f, bool to_fpsr)
{
    ir_block *b = c->b;
    ir_val r = cnst(c, IR_I64, 0);
    for (int k = 0; k < 6; k++) {
        int from = k < 5 ? k : 5, to = k < 5 ? 4 - k : 7;
        if (!to_fpsr) {
            int t = from;
            from = to, to = t;
        }
        ir_val bit = ir_binop(b, IR_AND, IR_I64, ir_binop(b, IR_SHR, IR_I64, f, cnst(c, IR_I64, from)),
                              cnst(c, IR_I64, 1));
        r = ir_binop(b, IR_OR, IR_I64, r, ir_binop(b, IR_SHL, IR_I64, bit, cnst(c, IR_I64, to)));
    }
    return r;
}

static ir_val flags_get(a64_ctx *c)
{
    return ir_emit(c->b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0);
}

static void flags_set(a64_ctx *c, ir_val f)
{
    ir_emit(c->b, IR_FP_FLAGS_SET, IR_VOID, f, IR_NONE, IR_NONE, 0, 0);
}

void a64_fp_raise(a64_ctx *c, ir_val flags)
{
    ir_emit(c->b, IR_FP_FLAGS_RAISE, IR_VOID, flags, IR_NONE, IR_NONE, 0, 0);
}

ir_val a64_fpsr_read(a64_ctx *c)
{
    ir_val kept = ir_zext(c->b, IR_I64, ir_ctx_load(c->b, IR_I32, A64_OFF_FPSR), 32);
    return ir_binop(c->b, IR_OR, IR_I64, kept, fx_swap(c, flags_get(c), true));
}

void a64_fpsr_write(a64_ctx *c, ir_val v)
{
    ir_val v64 = ir_zext(c->b, IR_I64, v, 32);
    flags_set(c, fx_swap(c, v64, false));
    ir_val kept = ir_binop(c->b, IR_AND, IR_I32, v64, cnst(c, IR_I32, FPSR_KEEP));
    ir_ctx_store(c->b, kept, A64_OFF_FPSR);
}

ir_val a64_fpcr_read(a64_ctx *c)
{
    return ir_zext(c->b, IR_I64, ir_ctx_load(c->b, IR_I32, A64_OFF_FPCR), 32);
}

/* RMode 0 RN, 1 RP, 2 RM, 3 RZ: one byte each of a table constant;
 * FZ (bit 24) and DN (bit 25) are IR_FPM_FLUSH_ZERO and _DEFAULT_NAN */
void a64_fpcr_write(a64_ctx *c, ir_val v)
{
    ir_block *b = c->b;
    ir_val v64 = ir_zext(b, IR_I64, v, 32);
    ir_ctx_store(b, ir_binop(b, IR_AND, IR_I32, v64, cnst(c, IR_I32, FPCR_KEEP)), A64_OFF_FPCR);
    int64_t table = IR_RM_RNE | IR_RM_RUP << 8 | IR_RM_RDN << 16 | IR_RM_RTZ << 24;
    ir_val mode = ir_binop(b, IR_AND, IR_I64, ir_binop(b, IR_SHR, IR_I64, v64, cnst(c, IR_I64, 22)),
                           cnst(c, IR_I64, 3));
    ir_val sh = ir_binop(b, IR_SHL, IR_I64, mode, cnst(c, IR_I64, 3));
    ir_val rm = ir_binop(b, IR_AND, IR_I64, ir_binop(b, IR_SHR, IR_I64, cnst(c, IR_I64, table), sh),
                         cnst(c, IR_I64, 0xff));
    ir_emit(b, IR_FP_RM_SET, IR_VOID, rm, IR_NONE, IR_NONE, 0, 0);
    _Static_assert(IR_FPM_FLUSH_ZERO == 1 && IR_FPM_DEFAULT_NAN == 2, "FPCR bits 25:24");
    ir_val modes = ir_binop(b, IR_AND, IR_I64, ir_binop(b, IR_SHR, IR_I64, v64, cnst(c, IR_I64, 24)),
                            cnst(c, IR_I64, 3));
    ir_emit(b, IR_FP_MODE_SET, IR_VOID, modes, IR_NONE, IR_NONE, 0, 0);
}

ir_round a64_rmode_round(unsigned rmode)
{
    static const ir_round r[4] = {IR_RM_RNE, IR_RM_RUP, IR_RM_RDN, IR_RM_RTZ};
    return r[rmode & 3];
}

/* ---- registers */

/* ftype 00 single, 01 double; half (11) has no arithmetic here */
static ir_type ftype(const a64s_args *a)
{
    return a->size == 0 ? IR_F32 : a->size == 1 ? IR_F64 : IR_VOID;
}

static ir_val get_f(a64_ctx *c, ir_type t, unsigned r) { return ir_ctx_load(c->b, t, A64_OFF_V(r)); }

/* One lane of V register r, of 1 << size bytes, as an integer; and its
 * store (the other lanes kept). */
ir_val a64_v_get_lane(a64_ctx *c, unsigned r, unsigned size, unsigned idx)
{
    ir_block *b = c->b;
    uint32_t byte = idx << size;
    if (size == 3)
        return ir_ctx_load(b, IR_I64, A64_OFF_VB(r, byte));
    ir_val w = ir_zext(b, IR_I64, ir_ctx_load(b, IR_I32, A64_OFF_VB(r, byte & ~3u)), 32);
    if (size == 2)
        return w;
    w = ir_binop(b, IR_SHR, IR_I64, w, ir_const(c->b, IR_I64, 8 * (byte & 3)));
    return ir_binop(b, IR_AND, IR_I64, w, ir_const(c->b, IR_I64, size ? 0xffff : 0xff));
}

void a64_v_set_lane(a64_ctx *c, unsigned r, unsigned size, unsigned idx, ir_val v)
{
    ir_block *b = c->b;
    uint32_t byte = idx << size;
    if (size == 3) {
        if (b->insns[v].type != IR_I64)
            v = ir_zext(b, IR_I64, v, 32);
        ir_ctx_store(b, v, A64_OFF_VB(r, byte));
        return;
    }
    v = ir_zext(b, IR_I32, v, 32);
    if (size < 2) { /* read-modify-write of the 32-bit word holding it */
        uint32_t off = A64_OFF_VB(r, byte & ~3u), sh = 8 * (byte & 3);
        int64_t m = (size ? 0xffffll : 0xffll) << sh;
        ir_val w = ir_ctx_load(b, IR_I32, off);
        w = ir_binop(b, IR_AND, IR_I32, w, ir_const(b, IR_I32, ~m));
        v = ir_binop(b, IR_AND, IR_I32, v, ir_const(b, IR_I32, size ? 0xffff : 0xff));
        v = ir_binop(b, IR_OR, IR_I32, w, ir_binop(b, IR_SHL, IR_I32, v, ir_const(b, IR_I32, sh)));
        ir_ctx_store(b, v, off);
        return;
    }
    ir_ctx_store(b, v, A64_OFF_VB(r, byte));
}

void a64_v_zero_from(a64_ctx *c, unsigned r, unsigned from)
{
    if (from <= 4 && from > 0)
        ir_ctx_store(c->b, cnst(c, IR_I32, 0), A64_OFF_VB(r, 4));
    if (from <= 8)
        ir_ctx_store(c->b, cnst(c, IR_I64, 0), A64_OFF_VB(r, 8));
    if (from == 0)
        ir_ctx_store(c->b, cnst(c, IR_I64, 0), A64_OFF_V(r));
}

/* Whole 8-byte stores, so that later reads of the register forward. */
void a64_v_set_scalar(a64_ctx *c, unsigned r, ir_val v)
{
    ir_type t = (ir_type)c->b->insns[v].type;
    if (t == IR_F32)
        v = ir_bitcast(c->b, IR_I32, v);
    if (t == IR_F32 || t == IR_I32)
        v = ir_zext(c->b, IR_I64, v, 32);
    ir_ctx_store(c->b, v, A64_OFF_V(r));
    a64_v_zero_from(c, r, 8);
}

ir_val a64_fneg(a64_ctx *c, ir_type t, ir_val x)
{
    return ir_fop(c->b, IR_FNEG, t, IR_RM_DYN, 0, x, IR_NONE, IR_NONE);
}

ir_val a64_fabs(a64_ctx *c, ir_type t, ir_val x)
{
    return ir_fop(c->b, IR_FABS, t, IR_RM_DYN, 0, x, IR_NONE, IR_NONE);
}

/* ---- NaN tests on the bits (no FP op, so no flags) */

typedef struct fp_bits {
    ir_val bits, nan, snan; /* bits of x; 1 when NaN; 1 when signalling */
} fp_bits;

static fp_bits classify(a64_ctx *c, ir_type t, ir_val x)
{
    ir_block *b = c->b;
    ir_type it = int_of(t);
    fp_bits f;
    f.bits = ir_bitcast(b, it, x);
    ir_val mag = ir_binop(b, IR_AND, it, f.bits, cnst(c, it, ~sign_of(t)));
    f.nan = ir_setcc(b, it, IR_GTU, mag, cnst(c, it, inf_of(t)));
    ir_val q = ir_binop(b, IR_AND, it, f.bits, cnst(c, it, qbit_of(t)));
    ir_val quiet = ir_setcc(b, it, IR_NE, q, cnst(c, it, 0));
    f.snan = ir_binop(b, IR_AND, it, f.nan, ir_binop(b, IR_XOR, it, quiet, cnst(c, it, 1)));
    return f;
}

/* Arm's FPProcessNaNs for two operands, by an FP add of them (whose
 * IR_FP_ARM_NAN result is exactly that, honouring FPCR.DN) on zeros
 * unless a NaN is there, so that it raises nothing else.  The caller
 * selects it only when a NaN is there. */
/* FPCR.FZ makes a denormal input zero and raises IDC.  The backend
 * flushes for every op, but only its rounded ops (DYN rounding) raise
 * IDC: compares, min/max and conversions with a fixed rounding raise it
 * here.  y may be IR_NONE. */
void a64_fp_idc(a64_ctx *c, ir_type t, ir_val x, ir_val y)
{
    ir_block *b = c->b;
    ir_type it = int_of(t);
    int64_t min_normal = t == IR_F32 ? 1ll << 23 : 1ll << 52;
    ir_val den = cnst(c, it, 0);
    for (int k = 0; k < 2; k++) {
        ir_val v = k ? y : x;
        if (v == IR_NONE || b->insns[v].op == IR_CONST)
            continue;
        ir_val mag = ir_binop(b, IR_AND, it, ir_bitcast(b, it, v), cnst(c, it, ~sign_of(t)));
        /* 0 < mag < min_normal, as mag - 1 < min_normal - 1 unsigned */
        ir_val d = ir_setcc(b, it, IR_LTU, ir_binop(b, IR_SUB, it, mag, cnst(c, it, 1)),
                            cnst(c, it, min_normal - 1));
        den = ir_binop(b, IR_OR, it, den, d);
    }
    if (it == IR_I32)
        den = ir_zext(b, IR_I64, den, 32);
    ir_val fpcr = ir_zext(b, IR_I64, ir_ctx_load(b, IR_I32, A64_OFF_FPCR), 32);
    ir_val fz = ir_binop(b, IR_SHR, IR_I64, fpcr, cnst(c, IR_I64, 24));
    ir_val fl = ir_binop(b, IR_AND, IR_I64, ir_binop(b, IR_AND, IR_I64, fz, den), cnst(c, IR_I64, 1));
    a64_fp_raise(c, ir_binop(b, IR_SHL, IR_I64, fl, cnst(c, IR_I64, 5)));
    _Static_assert(IR_FX_INPUT_DENORMAL == 1 << 5, "IDC's bit");
}

ir_val a64_fp_process_nans(a64_ctx *c, ir_type t, ir_val any_nan, ir_val x, ir_val y)
{
    ir_block *b = c->b;
    ir_val z = cnst(c, t, 0);
    x = ir_select(b, t, any_nan, x, z);
    y = ir_select(b, t, any_nan, y, z);
    return ir_fop(b, IR_FADD, t, IR_RM_DYN, A64_NAN, x, y, IR_NONE);
}

/* The host's min and max hand back an operand as it was, so under
 * FPCR.FZ a denormal result is made the zero it stands for. */
static ir_val flush_result(a64_ctx *c, ir_type t, ir_val r)
{
    ir_block *b = c->b;
    ir_type it = int_of(t);
    int64_t min_normal = t == IR_F32 ? 1ll << 23 : 1ll << 52;
    ir_val bits = ir_bitcast(b, it, r);
    ir_val mag = ir_binop(b, IR_AND, it, bits, cnst(c, it, ~sign_of(t)));
    ir_val den = ir_setcc(b, it, IR_LTU, mag, cnst(c, it, min_normal));
    ir_val fpcr = ir_zext(b, it, ir_ctx_load(b, IR_I32, A64_OFF_FPCR), 32);
    ir_val fz = ir_binop(b, IR_AND, it, ir_binop(b, IR_SHR, it, fpcr, cnst(c, it, 24)), cnst(c, it, 1));
    ir_val zero = ir_binop(b, IR_AND, it, bits, cnst(c, it, sign_of(t)));
    return ir_bitcast(b, t, ir_select(b, it, ir_binop(b, IR_AND, it, den, fz), zero, bits));
}

ir_val a64_fp_minmax(a64_ctx *c, ir_type t, ir_op op, bool nm, ir_val x, ir_val y)
{
    ir_block *b = c->b;
    ir_type it = int_of(t);
    ir_val r = ir_fop(b, op, t, IR_RM_DYN, A64_NAN, x, y, IR_NONE);
    fp_bits fx = classify(c, t, x), fy = classify(c, t, y);
    ir_val use_nan;
    if (nm) { /* a signalling NaN, or two NaNs: the NaN; one quiet NaN: the number */
        ir_val s = ir_binop(b, IR_OR, it, fx.snan, fy.snan);
        use_nan = ir_binop(b, IR_OR, it, s, ir_binop(b, IR_AND, it, fx.nan, fy.nan));
    } else {
        use_nan = ir_binop(b, IR_OR, it, fx.nan, fy.nan);
    }
    ir_val any = ir_binop(b, IR_OR, it, fx.nan, fy.nan);
    a64_fp_idc(c, t, x, y);
    r = flush_result(c, t, r);
    return ir_select(b, t, use_nan, a64_fp_process_nans(c, t, any, x, y), r);
}

/* frint*: |x| >= 2^52 (2^23) is already integral (or inf, NaN); below,
 * a round trip through i64 rounds it, and the sign comes back for -0.
 * Only frintx may raise inexact: the flags are put back around it. */
ir_val a64_fp_round(a64_ctx *c, ir_type t, ir_round rm, bool exact, ir_val x)
{
    ir_block *b = c->b;
    ir_type it = int_of(t);
    fp_bits fx = classify(c, t, x);
    ir_val before = flags_get(c);
    ir_val mag = ir_binop(b, IR_AND, it, fx.bits, cnst(c, it, ~sign_of(t)));
    int64_t limit = t == IR_F32 ? 0x4b000000ll : 0x4330000000000000ll;
    ir_val big = ir_setcc(b, it, IR_GEU, mag, cnst(c, it, limit));
    ir_val xs = ir_select(b, t, big, cnst(c, t, 0), x);
    ir_val i = ir_fop(b, IR_FCVT_FI, IR_I64, rm, A64_NAN | IR_FP_SIGNED, xs, IR_NONE, IR_NONE);
    ir_val r = ir_fop(b, IR_FCVT_IF, t, IR_RM_DYN, A64_NAN | IR_FP_SIGNED, i, IR_NONE, IR_NONE);
    ir_val rb = ir_binop(b, IR_OR, it, ir_bitcast(b, it, r),
                         ir_binop(b, IR_AND, it, fx.bits, cnst(c, it, sign_of(t))));
    ir_val quiet = ir_select(b, t, fx.nan, a64_fp_process_nans(c, t, fx.nan, x, x), x);
    ir_val res = ir_select(b, t, big, quiet, ir_bitcast(b, t, rb));
    /* invalid comes only from an sNaN (process_nans), inexact only from
     * the conversion, which frintx alone may raise */
    int64_t keep = IR_FX_INVALID | IR_FX_INPUT_DENORMAL | (exact ? IR_FX_INEXACT : 0);
    ir_val now = ir_binop(b, IR_AND, IR_I64, flags_get(c), cnst(c, IR_I64, keep));
    flags_set(c, ir_binop(b, IR_OR, IR_I64, before, now));
    a64_fp_idc(c, t, x, IR_NONE);
    return res;
}

ir_val a64_fp_flags(a64_ctx *c) { return flags_get(c); }
void a64_fp_set_flags(a64_ctx *c, ir_val flags) { flags_set(c, flags); }

ir_val a64_fp_to_int(a64_ctx *c, ir_type it, ir_type ft, ir_round rm, bool sign, ir_val x)
{
    unsigned aux = A64_NAN | IR_FP_NAN_ZERO | (sign ? IR_FP_SIGNED : 0);
    a64_fp_idc(c, ft, x, IR_NONE);
    return ir_fop(c->b, IR_FCVT_FI, it, rm, aux, x, IR_NONE, IR_NONE);
}

/* ---- data processing, one source */

A64S_TRANS(fmov_r)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    a64_v_set_scalar(c, a->rd, get_f(c, t, a->rn));
    return true;
}

static bool fp_unary(a64_ctx *c, a64s_args *a, ir_op op)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val x = get_f(c, t, a->rn);
    a64_v_set_scalar(c, a->rd, ir_fop(c->b, op, t, IR_RM_DYN, A64_NAN, x, IR_NONE, IR_NONE));
    return true;
}

A64S_TRANS(fabs) { return fp_unary(c, a, IR_FABS); }
A64S_TRANS(fneg) { return fp_unary(c, a, IR_FNEG); }
A64S_TRANS(fsqrt) { return fp_unary(c, a, IR_FSQRT); }

/* Half precision goes through a64_h_f16 (integer C, Arm rounding). */
static ir_val f16_call(a64_ctx *c, unsigned kind, ir_val bits)
{
    ir_val r = ir_call(c->b, &a64_h_f16, cnst(c, IR_I64, kind), bits, IR_NONE);
    a64_fp_raise(c, ir_binop(c->b, IR_SHR, IR_I64, r, cnst(c, IR_I64, 56)));
    return ir_binop(c->b, IR_AND, IR_I64, r, cnst(c, IR_I64, 0xffffffffffffff));
}

/* fcvt: ftype is the source, opc<1:0> the destination (00 s, 01 d, 11 h) */
A64S_TRANS(fcvt)
{
    ir_block *b = c->b;
    unsigned from = a->size, to = a->opc & 3;
    if (from == to || to == 2)
        return false;
    ir_val r;
    if (from == 3) { /* half to single (exact), then on to double */
        ir_val h = ir_zext(b, IR_I64, ir_ctx_load(b, IR_I32, A64_OFF_V(a->rn)), 16);
        r = ir_bitcast(b, IR_F32, ir_zext(b, IR_I32, f16_call(c, A64H_H2S, h), 32));
        if (to == 1)
            r = ir_fop(b, IR_FCVT_FF, IR_F64, IR_RM_DYN, A64_NAN, r, IR_NONE, IR_NONE);
    } else if (to == 3) {
        ir_val x = from == 0 ? ir_zext(b, IR_I64, ir_ctx_load(b, IR_I32, A64_OFF_V(a->rn)), 32)
                             : ir_ctx_load(b, IR_I64, A64_OFF_V(a->rn));
        r = f16_call(c, from == 0 ? A64H_S2H : A64H_D2H, x);
    } else {
        ir_type ft = from ? IR_F64 : IR_F32, tt = to ? IR_F64 : IR_F32;
        r = ir_fop(b, IR_FCVT_FF, tt, IR_RM_DYN, A64_NAN, get_f(c, ft, a->rn), IR_NONE, IR_NONE);
    }
    a64_v_set_scalar(c, a->rd, r);
    return true;
}

/* frint n p m z a - x i (opc<2:0>) */
A64S_TRANS(frint)
{
    static const ir_round rm[8] = {IR_RM_RNE, IR_RM_RUP, IR_RM_RDN, IR_RM_RTZ,
                                   IR_RM_RMM, IR_RM_DYN, IR_RM_DYN, IR_RM_DYN};
    ir_type t = ftype(a);
    unsigned k = a->opc & 7;
    if (t == IR_VOID || k == 5)
        return false;
    ir_val x = get_f(c, t, a->rn);
    a64_v_set_scalar(c, a->rd, a64_fp_round(c, t, rm[k], k == 6, x));
    return true;
}

/* ---- compares */

static ir_val fcmp_flags(a64_ctx *c, ir_val x, ir_val y, bool signal)
{
    ir_val f = ir_emit(c->b, IR_FLAGS_FCMP, IR_I64, x, y, IR_NONE, 0, 0);
    c->b->insns[f].aux = A64_NAN | (signal ? IR_FP_SIGNAL : 0);
    return f;
}

A64S_TRANS(fcmp)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val x = get_f(c, t, a->rn);
    ir_val y = a->opc & 1 ? cnst(c, t, 0) : get_f(c, t, a->rm);
    a64_fp_idc(c, t, x, y);
    a64_set_nzcv_flags(c, fcmp_flags(c, x, y, a->opc & 2));
    return true;
}

/* fccmp: compares (and may raise flags) only when cond holds, so the
 * operands are zeros otherwise; else NZCV = the immediate */
A64S_TRANS(fccmp)
{
    ir_block *b = c->b;
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val holds = a64_cond_holds(c, a->cond);
    ir_val x = ir_select(b, t, holds, get_f(c, t, a->rn), cnst(c, t, 0));
    ir_val y = ir_select(b, t, holds, get_f(c, t, a->rm), cnst(c, t, 0));
    a64_fp_idc(c, t, x, y);
    ir_val f = fcmp_flags(c, x, y, a->opc);
    ir_val imm = ir_emit(b, IR_FLAGS_FROM_NZCV, IR_I64, cnst(c, IR_I64, (int64_t)a->nzcv << 28),
                         IR_NONE, IR_NONE, 0, 0);
    a64_set_nzcv_flags(c, ir_select(b, IR_I64, holds, f, imm));
    return true;
}

A64S_TRANS(fcsel)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val holds = a64_cond_holds(c, a->cond);
    ir_val x = get_f(c, t, a->rn), y = get_f(c, t, a->rm);
    a64_v_set_scalar(c, a->rd, ir_select(c->b, t, holds, x, y));
    return true;
}

/* VFPExpandImm: sign, NOT(b6), b6 repeated, b5:4, then b3:0 atop the fraction */
int64_t a64_fp_expand_imm(unsigned imm8, bool dbl)
{
    uint64_t sign = imm8 >> 7, b6 = (imm8 >> 6) & 1, hi = (imm8 >> 4) & 3, lo = imm8 & 15;
    if (dbl) {
        uint64_t exp = (!b6) << 10 | (b6 ? 0xffu : 0) << 2 | hi;
        return (int64_t)(sign << 63 | exp << 52 | lo << 48);
    }
    uint64_t exp = (!b6) << 7 | (b6 ? 0x1fu : 0) << 2 | hi;
    return (int64_t)(sign << 31 | exp << 23 | lo << 19);
}

A64S_TRANS(fmov_i)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val v = cnst(c, IR_I64, a64_fp_expand_imm((unsigned)a->imm, t == IR_F64));
    a64_v_set_scalar(c, a->rd, v);
    return true;
}

/* ---- two and three sources */

static bool fp_binary(a64_ctx *c, a64s_args *a, ir_op op, bool neg)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val x = get_f(c, t, a->rn), y = get_f(c, t, a->rm);
    ir_val r = ir_fop(c->b, op, t, IR_RM_DYN, A64_NAN, x, y, IR_NONE);
    a64_v_set_scalar(c, a->rd, neg ? a64_fneg(c, t, r) : r);
    return true;
}

A64S_TRANS(fmul) { return fp_binary(c, a, IR_FMUL, false); }
A64S_TRANS(fdiv) { return fp_binary(c, a, IR_FDIV, false); }
A64S_TRANS(fadd) { return fp_binary(c, a, IR_FADD, false); }
A64S_TRANS(fsub) { return fp_binary(c, a, IR_FSUB, false); }
/* fnmul negates the rounded product (Arm ARM FNMUL: FPNeg(FPMul)) */
A64S_TRANS(fnmul) { return fp_binary(c, a, IR_FMUL, true); }

static bool fp_minmax(a64_ctx *c, a64s_args *a, ir_op op, bool nm)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val x = get_f(c, t, a->rn), y = get_f(c, t, a->rm);
    a64_v_set_scalar(c, a->rd, a64_fp_minmax(c, t, op, nm, x, y));
    return true;
}

A64S_TRANS(fmax) { return fp_minmax(c, a, IR_FMAX, false); }
A64S_TRANS(fmin) { return fp_minmax(c, a, IR_FMIN, false); }
A64S_TRANS(fmaxnm) { return fp_minmax(c, a, IR_FMAX, true); }
A64S_TRANS(fminnm) { return fp_minmax(c, a, IR_FMIN, true); }

/* fmadd: a + n*m; fmsub: a - n*m; fnmadd: -a - n*m; fnmsub: -a + n*m;
 * one rounding (negating an operand is exact) */
static bool fp_fma(a64_ctx *c, a64s_args *a, bool neg_prod, bool neg_add)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val n = get_f(c, t, a->rn), m = get_f(c, t, a->rm), ad = get_f(c, t, a->ra);
    if (neg_prod)
        n = a64_fneg(c, t, n);
    if (neg_add)
        ad = a64_fneg(c, t, ad);
    a64_v_set_scalar(c, a->rd, ir_fop(c->b, IR_FMA, t, IR_RM_DYN, A64_NAN, n, m, ad));
    return true;
}

A64S_TRANS(fmadd) { return fp_fma(c, a, false, false); }
A64S_TRANS(fmsub) { return fp_fma(c, a, true, false); }
A64S_TRANS(fnmadd) { return fp_fma(c, a, true, true); }
A64S_TRANS(fnmsub) { return fp_fma(c, a, false, true); }

/* ---- conversions with general registers */

ir_val a64_fp_pow2(a64_ctx *c, ir_type t, int e)
{
    if (t == IR_F32)
        return cnst(c, t, (int64_t)(127 + e) << 23);
    return cnst(c, t, (int64_t)(1023 + e) << 52);
}

/* x * 2^fbits is exact but for overflow (which saturates anyway, with
 * invalid): its overflow and inexact are not the instruction's, so the
 * flags before it come back, keeping only the input-denormal one. */
ir_val a64_fp_to_fixed(a64_ctx *c, ir_type it, ir_type ft, bool sign, unsigned fbits, ir_val x)
{
    ir_block *b = c->b;
    ir_val before = flags_get(c);
    ir_val s = ir_fop(b, IR_FMUL, ft, IR_RM_DYN, A64_NAN, x, a64_fp_pow2(c, ft, (int)fbits), IR_NONE);
    ir_val idc = ir_binop(b, IR_AND, IR_I64, flags_get(c), cnst(c, IR_I64, IR_FX_INPUT_DENORMAL));
    flags_set(c, ir_binop(b, IR_OR, IR_I64, before, idc));
    return a64_fp_to_int(c, it, ft, IR_RM_RTZ, sign, s);
}

static bool fcvt_fix(a64_ctx *c, a64s_args *a, bool sign)
{
    ir_type t = ftype(a), it = a->sf ? IR_I64 : IR_I32;
    if (t == IR_VOID)
        return false;
    ir_val x = a64_fp_to_fixed(c, it, t, sign, (unsigned)a->imm, get_f(c, t, a->rn));
    a64_set_x(c, a->rd, x, a->sf);
    return true;
}

A64S_TRANS(fcvtzs_fix) { return fcvt_fix(c, a, true); }
A64S_TRANS(fcvtzu_fix) { return fcvt_fix(c, a, false); }

static ir_val int_operand(a64_ctx *c, unsigned r, bool sf)
{
    ir_val x = a64_get_x(c, r, sf);
    return sf ? x : ir_zext(c->b, IR_I32, x, 32);
}

/* from fixed point: one rounding to float, then an exact scaling */
static bool cvtf_fix(a64_ctx *c, a64s_args *a, bool sign)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val x = int_operand(c, a->rn, a->sf);
    ir_val f = ir_fop(c->b, IR_FCVT_IF, t, IR_RM_DYN, A64_NAN | (sign ? IR_FP_SIGNED : 0), x, IR_NONE, IR_NONE);
    f = ir_fop(c->b, IR_FMUL, t, IR_RM_DYN, A64_NAN, f, a64_fp_pow2(c, t, -(int)a->imm), IR_NONE);
    a64_v_set_scalar(c, a->rd, f);
    return true;
}

A64S_TRANS(scvtf_fix) { return cvtf_fix(c, a, true); }
A64S_TRANS(ucvtf_fix) { return cvtf_fix(c, a, false); }

static bool fcvt_to_int(a64_ctx *c, a64s_args *a, ir_round rm, bool sign)
{
    ir_type t = ftype(a), it = a->sf ? IR_I64 : IR_I32;
    if (t == IR_VOID)
        return false;
    a64_set_x(c, a->rd, a64_fp_to_int(c, it, t, rm, sign, get_f(c, t, a->rn)), a->sf);
    return true;
}

/* fcvt{n,p,m,z}{s,u}: rmode picks the rounding, opc<0> unsigned */
A64S_TRANS(fcvt_fi) { return fcvt_to_int(c, a, a64_rmode_round(a->rmode), !(a->opc & 1)); }
A64S_TRANS(fcvta_fi) { return fcvt_to_int(c, a, IR_RM_RMM, !(a->opc & 1)); }

A64S_TRANS(cvtf_if)
{
    ir_type t = ftype(a);
    if (t == IR_VOID)
        return false;
    ir_val x = int_operand(c, a->rn, a->sf);
    unsigned aux = A64_NAN | (a->opc & 1 ? 0 : IR_FP_SIGNED);
    a64_v_set_scalar(c, a->rd, ir_fop(c->b, IR_FCVT_IF, t, IR_RM_DYN, aux, x, IR_NONE, IR_NONE));
    return true;
}

/* fmov between general and FP registers: w<->s, x<->d, x<->v.d[1] */
A64S_TRANS(fmov_g)
{
    ir_block *b = c->b;
    bool to_gp = !(a->opc & 1), top = a->rmode == 1;
    bool ok = top ? a->sf && a->size == 2 : (a->sf ? a->size == 1 : a->size == 0);
    if (!ok)
        return false; /* half-precision forms (FEAT_FP16) and reserved ones */
    uint32_t off = A64_OFF_VB(to_gp ? a->rn : a->rd, top ? 8 : 0);
    if (to_gp) {
        a64_set_x(c, a->rd, ir_ctx_load(b, a->sf ? IR_I64 : IR_I32, off), a->sf);
        return true;
    }
    ir_val x = a64_get_x(c, a->rn, a->sf);
    if (!a->sf)
        x = ir_zext(b, IR_I64, x, 32);
    ir_ctx_store(b, x, off);
    if (!top)
        a64_v_zero_from(c, a->rd, 8);
    return true;
}
