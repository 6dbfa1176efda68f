/* Lowering of float values and arithmetic: f32/f64 live in xmm registers
 * (or slots), ops are scalar SSE on them; v128 values, only moved so far,
 * share the xmm moves here.  The guest's rounding mode and
 * flags are MXCSR's (x86.h); a static rounding mode is set around the one
 * op that has it.  Rare cases (RMM, NaN rules x86 lacks) call
 * x86_fp_helper, keeping live registers in frame slots meanwhile.
 */
#include "backend/x86_64/lower_opnd.h"

static bool f64(ir_type t) { return t == IR_F64; }

/* x = bits (through rax) */
static void fset_bits(lw_ctx *c, ir_type t, int x, uint64_t bits)
{
    if (bits == 0) {
        emit_pfx_rr(&c->buf, 4, XORPS_VxWx, x, x);
        return;
    }
    emit_mov_ri(&c->buf, X86_RAX, bits);
    emit_pfx_rr(&c->buf, f64(t) ? 8 : 4, MOVD_VxEy, x, X86_RAX);
}

/* arg: the xmm register, bit 8 set for an f64 */
static void canon_nan(lw_ctx *c, ir_val i, int arg)
{
    bool d = arg & 0x100;
    fset_bits(c, d ? IR_F64 : IR_F32, arg & 0xff, d ? 0x7ff8000000000000ULL : 0x7fc00000);
}

void lw_fcanon(lw_ctx *c, ir_type t, int x)
{
    emit_pfx_rr(&c->buf, 4, lw_sse(t, UCOMISD_VxWx), x, x);
    lw_cold_resume(c, lw_cold_jcc(c, X86_CC_P, canon_nan, IR_NONE, x | (f64(t) ? 0x100 : 0)));
}

/* MXCSR.RC of each static rounding mode */
static const uint8_t rc_of_rm[IR_NUM_RM] = {
    [IR_RM_RNE] = 0, [IR_RM_RDN] = 1, [IR_RM_RUP] = 2, [IR_RM_RTZ] = 3,
};

static x86_mem mxcsr_img(int k) { return x86_mem_at(X86_FRAME, 8 * X86_SLOT_MXCSR + 4 * k); }

void lw_rm_enter(lw_ctx *c, int rm)
{
    if (rm == IR_RM_DYN || rm == IR_RM_RMM)
        return;
    x86_buf *e = &c->buf;
    emit_stmxcsr(e, mxcsr_img(0));
    emit_rm(e, 4, MOV_GvEv, X86_RAX, mxcsr_img(0));
    emit_ri(e, 4, ALU_AND, X86_RAX, ~0x6000);
    if (rc_of_rm[rm])
        emit_ri(e, 4, ALU_OR, X86_RAX, rc_of_rm[rm] << 13);
    emit_rm(e, 4, MOV_EvGv, X86_RAX, mxcsr_img(1));
    emit_ldmxcsr(e, mxcsr_img(1));
}

/* The flags only grow, so the guest's field comes back by one xor:
 * now ^ (static rc ^ guest rc). */
void lw_rm_leave(lw_ctx *c, int rm)
{
    if (rm == IR_RM_DYN || rm == IR_RM_RMM)
        return;
    x86_buf *e = &c->buf;
    emit_stmxcsr(e, mxcsr_img(1));
    emit_rm(e, 4, MOV_GvEv, X86_RAX, mxcsr_img(0));
    emit_ri(e, 4, ALU_AND, X86_RAX, 0x6000);
    if (rc_of_rm[rm])
        emit_ri(e, 4, ALU_XOR, X86_RAX, rc_of_rm[rm] << 13);
    emit_rm(e, 4, 0x31 /* XOR_EvGv */, X86_RAX, mxcsr_img(1));
    emit_ldmxcsr(e, mxcsr_img(1));
}

/* ---- the helper call ---- */

static const uint8_t saved_gpr[] = {X86_RSI, X86_RDI, X86_R8, X86_R9, X86_R10};

/* Save (or restore) the caller-saved registers of values live past i;
 * whole xmm registers, since a v128 value may be among them. */
static void save_live(lw_ctx *c, ir_val i, bool restore)
{
    bool live[48] = {false};
    for (ir_val v = 0; v < i; v++)
        if (c->loc[v].kind == X86_LOC_REG && c->loc[v].end > i)
            live[c->loc[v].reg] = true;
    lw_loop_pinned(c, live); /* from the block's entry, whatever their index */
    for (int k = 0; k < c->t->n_fixed; k++) /* the fixed guest registers: always */
        live[x86_fixed_reg[k]] = true;
    for (size_t k = 0; k < sizeof saved_gpr; k++)
        if (live[saved_gpr[k]])
            emit_rm(&c->buf, 8, restore ? MOV_GvEv : MOV_EvGv, saved_gpr[k],
                    lw_slot(X86_SLOT_SAVE + (int)k));
    for (int x = 0; x < 14; x++)
        if (live[X86_XMM(x)])
            emit_pfx_rm(&c->buf, 4, restore ? MOVUPS_VxWx : MOVUPS_WxVx, x,
                        lw_slot(X86_SLOT_XSAVE + 2 * x));
}

/* [slot] = v's bits, 8 bytes */
static void arg_to_slot(lw_ctx *c, ir_val v, int slot)
{
    x86_opnd o = lw_opnd(c, v);
    bool fp = ir_is_float((ir_type)c->b->insns[v].type);
    if (o.kind == OPND_REG && fp) {
        emit_pfx_rm(&c->buf, 4, MOVSD_WxVx, o.reg - X86_XMM(0), lw_slot(slot));
        return;
    }
    int r = X86_RAX;
    if (o.kind == OPND_REG)
        r = o.reg;
    else if (o.kind == OPND_MEM)
        emit_rm(&c->buf, 8, MOV_GvEv, X86_RAX, o.mem);
    else
        emit_mov_ri(&c->buf, X86_RAX, (uint64_t)o.imm);
    emit_rm(&c->buf, 8, MOV_EvGv, r, lw_slot(slot));
}

void lw_fp_helper(lw_ctx *c, ir_val i, const ir_insn *in, int rm)
{
    static const uint8_t arg_reg[3] = {X86_RDI, X86_RSI, X86_RDX};
    int n = ir_info(in->op)->nargs;
    for (int k = 0; k < n; k++)
        arg_to_slot(c, in->a[k], X86_SLOT_ARG0 + k);
    save_live(c, i, false);
    for (int k = 0; k < n; k++)
        emit_rm(&c->buf, 8, MOV_GvEv, arg_reg[k], lw_slot(X86_SLOT_ARG0 + k));
    uint64_t desc = in->op | (uint64_t)in->type << 8 | (uint64_t)rm << 16 |
                    (uint64_t)in->aux << 24 | (uint64_t)c->b->insns[in->a[0]].type << 32;
    emit_mov_ri(&c->buf, X86_RCX, desc);
    emit_rm(&c->buf, 8, LEA_GvM, X86_R8, x86_mem_at(X86_R15, (int32_t)c->t->engine_offset));
    lw_host_call(c, (const void *)(uintptr_t)x86_fp_helper);
    save_live(c, i, true);
}

/* The whole op by the helper: result into the float destination. */
static void by_helper(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int d = lw_fdst(c, i);
    lw_fp_helper(c, i, in, in->cc);
    emit_pfx_rr(&c->buf, f64((ir_type)in->type) ? 8 : 4, MOVD_VxEy, d, X86_RAX);
    lw_fdst_done(c, i, d);
}

/* A DYN-rounded op while the guest's dynamic mode may be RMM: MXCSR
 * cannot hold RMM, so the engine byte says so and the op then goes to the
 * helper rounded by RMM; otherwise the usual lowering runs.  Arm's flush
 * to zero takes the helper too (x86's DAZ hides the input-denormal flag
 * and its FTZ raises inexact with underflow). */
static void dyn_by_helper(lw_ctx *c, ir_val i, int arg)
{
    const ir_insn *in = &c->b->insns[i];
    ir_type t = (ir_type)in->type;
    lw_fp_helper(c, i, in, IR_RM_DYN);
    if (ir_is_float(t)) {
        int d = lw_fdst(c, i);
        emit_pfx_rr(&c->buf, f64(t) ? 8 : 4, MOVD_VxEy, d, X86_RAX);
        lw_fdst_done(c, i, d);
    } else {
        int d = lw_dst(c, i);
        emit_rr(&c->buf, 8, MOV_GvEv, d, X86_RAX);
        lw_dst_done(c, i, d);
    }
}

void lw_dyn_guard(lw_ctx *c, ir_val i, const ir_insn *in, lw_fn *fast)
{
    emit_mi(&c->buf, 1, ALU_CMP,
            x86_mem_at(X86_R15, (int32_t)(c->t->engine_offset + X86_ENG_RMM)), 0);
    int k = lw_cold_jcc(c, X86_CC_NE, dyn_by_helper, i, 0);
    fast(c, i, in);
    lw_cold_resume(c, k);
}

/* ---- moves ---- */

void lw_fconst(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int d = lw_fdst(c, i);
    uint64_t bits = f64((ir_type)in->type) ? (uint64_t)in->imm : (uint32_t)in->imm;
    fset_bits(c, (ir_type)in->type, d, bits);
    lw_fdst_done(c, i, d);
}

/* Whether the block wrote part of the 16 bytes at off, in pieces of at
 * most 8, before insn i: a 16-byte load of them would wait for those
 * stores to leave the store buffer (a failed store-to-load forward, a
 * dozen cycles), where two 8-byte loads are each forwarded. */
static bool written_in_halves(const lw_ctx *c, ir_val i, uint32_t off)
{
    for (ir_val j = i; j-- > 0;) {
        const ir_insn *s = &c->b->insns[j];
        if (s->op != IR_CTX_STORE || (uint32_t)s->imm + 16 <= off || (uint32_t)s->imm >= off + 16)
            continue;
        return c->b->insns[s->a[0]].type != IR_V128 || (uint32_t)s->imm != off;
    }
    return false;
}

void lw_fctx_load(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int d = lw_fdst(c, i);
    x86_mem m = x86_mem_at(X86_R15, (int32_t)in->imm);
    if (in->type == IR_V128 && written_in_halves(c, i, (uint32_t)in->imm)) {
        emit_pfx_rm(&c->buf, 4, MOVQ_VxWx, d, m);
        emit_pfx_rm(&c->buf, 4, MOVHPS_VxM, d, x86_mem_at(X86_R15, (int32_t)in->imm + 8));
    } else {
        lw_fload(c, (ir_type)in->type, d, lw_opnd_mem(m));
    }
    lw_fdst_done(c, i, d);
}

static void fstore(lw_ctx *c, x86_mem m, ir_val v)
{
    ir_type t = (ir_type)c->b->insns[v].type;
    int x = lw_freg(c, v, X86_XS0);
    emit_pfx_rm(&c->buf, 4, lw_xmm_store_op(t), x, m);
}

void lw_fctx_store(lw_ctx *c, ir_val i, const ir_insn *in)
{
    fstore(c, x86_mem_at(X86_R15, (int32_t)in->imm), in->a[0]);
}

void lw_fmem_load(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int d = lw_fdst(c, i);
    lw_fload(c, (ir_type)in->type, d, lw_opnd_mem(lw_mem_addr(c, in)));
    lw_fdst_done(c, i, d);
}

void lw_fmem_store(lw_ctx *c, ir_val i, const ir_insn *in)
{
    fstore(c, lw_mem_addr(c, in), in->a[1]);
}

/* d = y; test k; jz done; d = x.  d is neither x's nor y's register (the
 * allocator reuses only a0's, the integer condition). */
void lw_fselect(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type t = (ir_type)in->type;
    int d = lw_fdst(c, i);
    unsigned csz = lw_vsize(c, in->a[0]);
    x86_opnd k = lw_opnd(c, in->a[0]);
    if (k.kind == OPND_IMM) {
        lw_fload(c, t, d, lw_fopnd(c, (csz == 4 ? (int32_t)k.imm : k.imm) ? in->a[1] : in->a[2]));
        lw_fdst_done(c, i, d);
        return;
    }
    if (k.kind == OPND_REG)
        emit_rr(&c->buf, csz, TEST_EvGv, k.reg, k.reg);
    else
        emit_mi(&c->buf, csz, ALU_CMP, k.mem, 0);
    lw_fload(c, t, d, lw_fopnd(c, in->a[2]));
    size_t j = emit_jcc8(&c->buf, X86_CC_E);
    lw_fload(c, t, d, lw_fopnd(c, in->a[1]));
    c->bad |= !x86_bind8(&c->buf, j);
    lw_fdst_done(c, i, d);
}

/* movd/movq between the register files; memory and constants directly */
void lw_bitcast(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type t = (ir_type)in->type;
    unsigned sz = t == IR_F64 || t == IR_I64 ? 8 : 4;
    if (ir_is_float(t)) {
        int d = lw_fdst(c, i);
        x86_opnd o = lw_opnd(c, in->a[0]);
        if (o.kind == OPND_MEM)
            lw_fload(c, t, d, o);
        else
            emit_pfx_rr(&c->buf, sz, MOVD_VxEy, d, lw_reg(c, in->a[0], X86_RAX));
        lw_fdst_done(c, i, d);
        return;
    }
    int d = lw_dst(c, i);
    x86_opnd o = lw_fopnd(c, in->a[0]);
    if (o.kind == OPND_MEM)
        emit_rm(&c->buf, sz, MOV_GvEv, d, o.mem);
    else
        emit_pfx_rr(&c->buf, sz, MOVD_EyVx, o.reg, d);
    lw_dst_done(c, i, d);
}

/* ---- arithmetic ---- */

static const uint32_t sse_of[IR_NUM_OPS] = {
    [IR_FADD] = ADDSD_VxWx, [IR_FSUB] = SUBSD_VxWx, [IR_FMUL] = MULSD_VxWx,
    [IR_FDIV] = DIVSD_VxWx, [IR_FSQRT] = SQRTSD_VxWx,
};

/* op x, o */
static void sse_op(lw_ctx *c, ir_type t, uint32_t op, int x, x86_opnd o)
{
    if (o.kind == OPND_REG)
        emit_pfx_rr(&c->buf, 4, lw_sse(t, op), x, o.reg);
    else
        emit_pfx_rm(&c->buf, 4, lw_sse(t, op), x, o.mem);
}

/* Arm judges tininess before rounding (FPRound), x86 after, so an exact
 * result below the smallest normal that rounds up to it underflows on Arm
 * only.  Rounding is monotonic and the smallest normal representable, so
 * tiny after rounding implies tiny before, and a result tiny before but
 * not after is exactly +-min normal: that magnitude takes the helper,
 * which decides exactly (and ORs in the flags x86 missed: x86's are a
 * subset of Arm's then).  Only FMUL, FMA and narrowing FCVT_FF can get
 * there.  FADD/FSUB: a sum below the smallest normal is a multiple of the
 * smallest denormal, so exact.  FDIV: with integer significands A, B <
 * 2^p, A/B = 2^k(1-e) has e >= 2^-p, so a quotient below a power of two
 * is at most its predecessor at precision p: tiny after rounding too.
 * FSQRT: even the smallest denormal's root is far above 2^emin. */
static bool may_round_to_min_normal(const ir_insn *in)
{
    return (in->aux & IR_FP_ARM_NAN) &&
           (in->op == IR_FMUL || in->op == IR_FMA ||
            (in->op == IR_FCVT_FF && in->type == IR_F32));
}

/* ZF = (|x| is the smallest normal), through rax: the bits shifted left
 * by one lose the sign; for f64, 2^53 rotated right by 53 is 1. */
static void test_min_normal(lw_ctx *c, ir_type t, int x)
{
    x86_buf *e = &c->buf;
    unsigned sz = f64(t) ? 8 : 4;
    emit_pfx_rr(e, sz, MOVD_EyVx, x, X86_RAX);
    emit_rr(e, sz, ADD_GvEv, X86_RAX, X86_RAX);
    if (f64(t)) {
        emit_shift_ri(e, 8, SHIFT_ROR, X86_RAX, 53);
        emit_ri(e, 8, ALU_CMP, X86_RAX, 1);
    } else {
        emit_ri(e, 4, ALU_CMP, X86_RAX, 0x01000000);
    }
}

/* The helper redoes the op (a NaN by Arm's rules, a result that may be
 * the minimum normal, an FMA NaN); arg: the rounding mode, and the
 * result's register in bits 8.. */
static void nan_by_helper(lw_ctx *c, ir_val i, int arg)
{
    const ir_insn *in = &c->b->insns[i];
    lw_fp_helper(c, i, in, arg & 0xff);
    emit_pfx_rr(&c->buf, f64((ir_type)in->type) ? 8 : 4, MOVD_VxEy, arg >> 8, X86_RAX);
}

void lw_arm_nan(lw_ctx *c, ir_val i, const ir_insn *in, int rm, int x)
{
    ir_type t = (ir_type)in->type;
    emit_pfx_rr(&c->buf, 4, lw_sse(t, UCOMISD_VxWx), x, x);
    int k_nan = lw_cold_jcc(c, X86_CC_P, nan_by_helper, i, rm | x << 8), k_tiny = -1;
    if (may_round_to_min_normal(in)) {
        test_min_normal(c, t, x);
        k_tiny = lw_cold_jcc(c, X86_CC_E, nan_by_helper, i, rm | x << 8);
    }
    lw_cold_resume(c, k_nan);
    if (k_tiny >= 0)
        lw_cold_resume(c, k_tiny);
}

int lw_arm_nan_dst(const lw_ctx *c, const ir_insn *in, int d)
{
    if (!(in->aux & IR_FP_ARM_NAN))
        return d;
    for (int k = 0; k < ir_info(in->op)->nargs; k++) {
        x86_opnd o = lw_fopnd(c, in->a[k]);
        if (o.kind == OPND_REG && o.reg == d)
            return X86_XS1;
    }
    return d;
}

/* d = a op b (d may be a's register, never b's unless b is a) */
void lw_farith(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type t = (ir_type)in->type;
    if (in->cc == IR_RM_RMM) {
        by_helper(c, i, in);
        return;
    }
    int d = lw_fdst(c, i), x = lw_arm_nan_dst(c, in, d);
    lw_rm_enter(c, in->cc);
    if (in->op == IR_FSQRT) {
        sse_op(c, t, SQRTSD_VxWx, x, lw_fopnd(c, in->a[0]));
    } else {
        x86_opnd b = lw_fopnd(c, in->a[1]);
        lw_fload(c, t, x, lw_fopnd(c, in->a[0]));
        sse_op(c, t, sse_of[in->op], x, b);
    }
    if (in->aux & IR_FP_CANON_NAN)
        lw_fcanon(c, t, x);
    if (in->aux & IR_FP_ARM_NAN)
        lw_arm_nan(c, i, in, in->cc, x);
    lw_rm_leave(c, in->cc);
    lw_fload(c, t, d, lw_opnd_reg(x));
    lw_fdst_done(c, i, d);
}

/* FMA3: xs1 = c; vfmadd231 xs1, a, b.  A NaN result goes to the helper,
 * which knows inf*0 + qNaN is invalid (x86 does not raise it); so does
 * an Arm one of the smallest normal magnitude (may_round_to_min_normal). */
void lw_fma(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type t = (ir_type)in->type;
    if (in->cc == IR_RM_RMM || !x86_cpu.fma3) {
        by_helper(c, i, in);
        return;
    }
    x86_buf *e = &c->buf;
    int d = lw_fdst(c, i);
    lw_rm_enter(c, in->cc);
    lw_fload(c, t, X86_XS1, lw_fopnd(c, in->a[2]));
    int a = lw_freg(c, in->a[0], X86_XS0);
    x86_opnd b = lw_fopnd(c, in->a[1]);
    unsigned sz = f64(t) ? 8 : 4;
    if (b.kind == OPND_REG)
        emit_vfmadd231_rr(e, sz, X86_XS1, a, b.reg);
    else
        emit_vfmadd231_rm(e, sz, X86_XS1, a, b.mem);
    emit_pfx_rr(e, 4, lw_sse(t, UCOMISD_VxWx), X86_XS1, X86_XS1);
    int k_nan = lw_cold_jcc(c, X86_CC_P, nan_by_helper, i, in->cc | d << 8), k_tiny = -1;
    if (may_round_to_min_normal(in)) {
        test_min_normal(c, t, X86_XS1);
        k_tiny = lw_cold_jcc(c, X86_CC_E, nan_by_helper, i, in->cc | d << 8);
    }
    emit_pfx_rr(e, 4, MOVAPS_VxWx, d, X86_XS1);
    lw_cold_resume(c, k_nan);
    if (k_tiny >= 0)
        lw_cold_resume(c, k_tiny);
    lw_rm_leave(c, in->cc);
    lw_fdst_done(c, i, d);
}

/* Ordered and unequal: minsd/maxsd.  Equal: the values or their sign bits
 * (min(-0, +0) = -0 = or, max = and).  Any NaN: the helper. */
void lw_fminmax(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type t = (ir_type)in->type;
    bool max = in->op == IR_FMAX;
    x86_buf *e = &c->buf;
    int d = lw_fdst(c, i);
    x86_opnd b = lw_opnd_reg(lw_freg(c, in->a[1], X86_XS0)); /* andps/orps: no m64 */
    lw_fload(c, t, X86_XS1, lw_fopnd(c, in->a[0]));
    sse_op(c, t, UCOMISD_VxWx, X86_XS1, b);
    size_t j_nan = emit_jcc32_fwd(e, X86_CC_P);
    size_t j_ne = emit_jcc8(e, X86_CC_NE);
    sse_op(c, t, max ? ANDPS_VxWx : ORPS_VxWx, X86_XS1, b);
    size_t j_eq = emit_jmp8(e);
    c->bad |= !x86_bind8(e, j_ne);
    sse_op(c, t, max ? MAXSD_VxWx : MINSD_VxWx, X86_XS1, b);
    c->bad |= !x86_bind8(e, j_eq);
    emit_pfx_rr(e, 4, MOVAPS_VxWx, d, X86_XS1);
    size_t j_done = emit_jmp32_fwd(e);
    x86_bind32(e, j_nan);
    lw_fp_helper(c, i, in, IR_RM_DYN);
    emit_pfx_rr(e, f64(t) ? 8 : 4, MOVD_VxEy, d, X86_RAX);
    x86_bind32(e, j_done);
    lw_fdst_done(c, i, d);
}

/* The sign bit flipped or cleared with a mask built in xs0. */
void lw_fnegabs(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type t = (ir_type)in->type;
    int d = lw_fdst(c, i);
    uint64_t sign = f64(t) ? UINT64_C(1) << 63 : UINT64_C(1) << 31;
    bool neg = in->op == IR_FNEG;
    emit_mov_ri(&c->buf, X86_RAX, neg ? sign : sign - 1);
    emit_pfx_rr(&c->buf, 8, MOVD_VxEy, X86_XS0, X86_RAX);
    lw_fload(c, t, d, lw_fopnd(c, in->a[0]));
    emit_pfx_rr(&c->buf, 4, neg ? XORPS_VxWx : ANDPS_VxWx, d, X86_XS0);
    lw_fdst_done(c, i, d);
}

/* EQ/NE: ucomis (quiet); LT/LE/GT/GE: comis (signaling), LT/LE with the
 * operands swapped so that unordered (CF=ZF=PF=1) reads as false. */
/* ---- flags windows ----
 * glibc's code saves the FP flags around a compare whose flags it does
 * not want (frflags t; flt.d; fsflags t): v = FP_FLAGS_GET; compares;
 * FP_FLAGS_SET v.  A compare raises a flag only on a NaN operand (it is
 * then unordered: PF), so each compare in such a window notes a NaN in a
 * frame byte, and the restore, which would read MXCSR (a stmxcsr waiting
 * for every FP op) to put back what is already there, runs only then. */
static bool touches_mxcsr(const ir_insn *x)
{
    return x->op == IR_CALL || ((ir_info(x->op)->flags & F_FPSTATUS) && x->op != IR_FSETCC);
}

/* The FP_FLAGS_GET whose flags value v is (v itself, or v masked with
 * every exception flag kept: riscv64's fsflags takes the low 5 bits), or
 * IR_NONE; *idc: v keeps the IDC bit too. */
ir_val lw_flags_source(const lw_ctx *c, ir_val v, bool *idc)
{
    const ir_insn *x = &c->b->insns[v];
    *idc = true;
    if (x->op == IR_FP_FLAGS_GET)
        return v;
    if (x->op != IR_AND)
        return IR_NONE;
    const ir_insn *g = &c->b->insns[x->a[0]], *k = &c->b->insns[x->a[1]];
    if (g->op != IR_FP_FLAGS_GET || k->op != IR_CONST || (k->imm & 0x1f) != 0x1f)
        return IR_NONE;
    *idc = k->imm & 0x20;
    return x->a[0];
}

/* The FP_FLAGS_SET that puts back GET g's flags with only compares
 * between them, or IR_NONE. */
ir_val lw_flags_restore_of(const lw_ctx *c, ir_val g)
{
    bool idc;
    for (ir_val j = g + 1; j < c->b->n; j++) {
        const ir_insn *x = &c->b->insns[j];
        if (x->op == IR_FP_FLAGS_SET)
            return lw_flags_source(c, x->a[0], &idc) == g ? j : IR_NONE;
        if (touches_mxcsr(x))
            return IR_NONE;
    }
    return IR_NONE;
}

bool lw_in_flags_window(const lw_ctx *c, ir_val i)
{
    for (ir_val j = i; j-- > 0;) {
        const ir_insn *x = &c->b->insns[j];
        if (x->op == IR_FP_FLAGS_GET)
            return lw_flags_restore_of(c, j) != IR_NONE;
        if (touches_mxcsr(x))
            return false;
    }
    return false;
}

static void note_nan(lw_ctx *c, ir_val i, int arg)
{
    (void)i, (void)arg;
    emit_mov_mi(&c->buf, 1, lw_slot(X86_SLOT_NAN), 1); /* flags kept for the setcc */
}

void lw_flags_window_note(lw_ctx *c)
{
    lw_cold_resume(c, lw_cold_jcc(c, X86_CC_P, note_nan, IR_NONE, 0));
}

void lw_fsetcc(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_cond cc = (ir_cond)in->cc;
    ir_type t = (ir_type)c->b->insns[in->a[0]].type;
    x86_buf *e = &c->buf;
    int d = lw_dst(c, i);
    bool swap = cc == IR_LT || cc == IR_LE;
    ir_val x = swap ? in->a[1] : in->a[0], y = swap ? in->a[0] : in->a[1];
    bool quiet = cc == IR_EQ || cc == IR_NE;
    if (cc > IR_GT) { /* no unsigned float compares */
        c->bad = true;
        return;
    }
    int xr = lw_freg(c, x, X86_XS0);
    sse_op(c, t, quiet ? UCOMISD_VxWx : COMISD_VxWx, xr, lw_fopnd(c, y));
    if (lw_in_flags_window(c, i)) /* its flags may be thrown away (lower_fpcvt.c) */
        lw_flags_window_note(c);
    if (quiet) {
        emit_xr(e, 1, SETcc_Eb + X86_CC_NP, 0, X86_RAX);
        emit_xr(e, 1, SETcc_Eb + (cc == IR_EQ ? X86_CC_E : X86_CC_NE), 0, X86_RCX);
        emit_rr(e, 1, 0x22 /* AND_GbEb */, X86_RAX, X86_RCX);
    } else {
        bool strict = cc == IR_LT || cc == IR_GT;
        emit_xr(e, 1, SETcc_Eb + (strict ? X86_CC_A : X86_CC_AE), 0, X86_RAX);
    }
    emit_rr(e, 4 | X86_BM, MOVZX_GvEb, d, X86_RAX);
    lw_dst_done(c, i, d);
}
