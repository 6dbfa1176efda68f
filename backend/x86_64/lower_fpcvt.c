/* Lowering of float/integer conversions and of the guest's floating-point
 * status (MXCSR flags and rounding field).  cvt(t)sd2si gives the
 * "integer indefinite" (MIN) for NaN and out-of-range inputs; that result
 * (or, unsigned, any result outside the range) takes the helper, which
 * knows the saturation and flags of the IR.
 */
#include "backend/x86_64/lower_opnd.h"

static bool f64(ir_type t) { return t == IR_F64; }

/* Float to integer.  Signed: the indefinite value (r - 1 overflows) goes
 * slow, the helper returning MIN itself when that was the answer.
 * Unsigned: a 64-bit signed conversion, slow unless it fits; MXCSR is
 * saved first so the slow path can drop the flags the wider conversion
 * raised (2^32 + 0.5 to u32 is invalid, not inexact). */
void lw_fcvt_fi(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type st = (ir_type)c->b->insns[in->a[0]].type, t = (ir_type)in->type;
    bool sign = in->aux & IR_FP_SIGNED;
    x86_buf *e = &c->buf;
    int d = lw_dst(c, i), rm = in->cc;
    if (rm == IR_RM_RMM) {
        lw_fp_helper(c, i, in, rm);
        emit_rr(e, 8, MOV_GvEv, d, X86_RAX);
        lw_dst_done(c, i, d);
        return;
    }
    bool rtz = rm == IR_RM_RTZ;
    if (!rtz)
        lw_rm_enter(c, rm);
    if (!sign)
        emit_stmxcsr(e, lw_slot(X86_SLOT_MXCSR2));
    uint32_t op = rtz ? CVTTSD2SI_GyWx : CVTSD2SI_GyWx;
    if (!f64(st))
        op = X86_PFX(0xf3, op & 0xffffff);
    unsigned sz = sign && t == IR_I32 ? 4 : 8;
    x86_opnd a = lw_fopnd(c, in->a[0]);
    if (a.kind == OPND_REG)
        emit_pfx_rr(e, sz, op, d, a.reg);
    else
        emit_pfx_rm(e, sz, op, d, a.mem);
    size_t j_slow;
    if (sign) {
        emit_ri(e, sz, ALU_CMP, d, 1);
        j_slow = emit_jcc32_fwd(e, X86_CC_O);
    } else if (t == IR_I64) {
        emit_rr(e, 8, TEST_EvGv, d, d);
        j_slow = emit_jcc32_fwd(e, X86_CC_S);
    } else {
        emit_rr(e, 8, MOV_GvEv, X86_RAX, d);
        emit_shift_ri(e, 8, SHIFT_SHR, X86_RAX, 32);
        j_slow = emit_jcc32_fwd(e, X86_CC_NE);
    }
    size_t j_done = emit_jmp32_fwd(e);
    x86_bind32(e, j_slow);
    if (!sign)
        emit_ldmxcsr(e, lw_slot(X86_SLOT_MXCSR2));
    lw_fp_helper(c, i, in, rm);
    emit_rr(e, 8, MOV_GvEv, d, X86_RAX);
    x86_bind32(e, j_done);
    if (!rtz)
        lw_rm_leave(c, rm);
    lw_dst_done(c, i, d);
}

/* Integer to float: cvtsi2sd of the value (u32: zero-extended to 64
 * bits); a u64 with its top bit set takes the helper. */
void lw_fcvt_if(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type st = (ir_type)c->b->insns[in->a[0]].type, t = (ir_type)in->type;
    bool sign = in->aux & IR_FP_SIGNED;
    x86_buf *e = &c->buf;
    int d = lw_fdst(c, i), rm = in->cc;
    unsigned tsz = f64(t) ? 8 : 4;
    bool exact = st == IR_I32 && f64(t);
    if (rm == IR_RM_RMM && !exact) {
        lw_fp_helper(c, i, in, rm);
        emit_pfx_rr(e, tsz, MOVD_VxEy, d, X86_RAX);
        lw_fdst_done(c, i, d);
        return;
    }
    uint32_t op = f64(t) ? CVTSI2SD_VxEy : CVTSI2SS_VxEy;
    if (!exact)
        lw_rm_enter(c, rm);
    emit_pfx_rr(e, 4, XORPS_VxWx, d, d); /* no false dependency on d */
    x86_opnd a = lw_opnd(c, in->a[0]);
    if (sign && a.kind != OPND_IMM) {
        unsigned sz = st == IR_I32 ? 4 : 8;
        if (a.kind == OPND_REG)
            emit_pfx_rr(e, sz, op, d, a.reg);
        else
            emit_pfx_rm(e, sz, op, d, a.mem);
    } else if (sign || st == IR_I32) {
        lw_ext(c, 8, X86_RAX, a, st == IR_I32 ? 32 : 64, sign);
        emit_pfx_rr(e, 8, op, d, X86_RAX);
    } else {
        lw_mov(c, 8, X86_RAX, a, false);
        emit_rr(e, 8, TEST_EvGv, X86_RAX, X86_RAX);
        size_t j_slow = emit_jcc32_fwd(e, X86_CC_S);
        emit_pfx_rr(e, 8, op, d, X86_RAX);
        size_t j_done = emit_jmp32_fwd(e);
        x86_bind32(e, j_slow);
        lw_fp_helper(c, i, in, rm);
        emit_pfx_rr(e, tsz, MOVD_VxEy, d, X86_RAX);
        x86_bind32(e, j_done);
    }
    if (!exact)
        lw_rm_leave(c, rm);
    lw_fdst_done(c, i, d);
}

/* cvtss2sd is exact; cvtsd2ss rounds by MXCSR.  Both quiet an sNaN with
 * invalid, keeping its payload unless CANON_NAN. */
void lw_fcvt_ff(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_type t = (ir_type)in->type;
    int d = lw_fdst(c, i), rm = f64(t) ? IR_RM_DYN : in->cc;
    if (rm == IR_RM_RMM) {
        lw_fp_helper(c, i, in, rm);
        emit_pfx_rr(&c->buf, 4, MOVD_VxEy, d, X86_RAX);
        lw_fdst_done(c, i, d);
        return;
    }
    int x = lw_arm_nan_dst(c, in, d);
    lw_rm_enter(c, rm);
    x86_opnd a = lw_fopnd(c, in->a[0]);
    uint32_t op = f64(t) ? CVTSS2SD_VxWx : CVTSD2SS_VxWx;
    if (a.kind == OPND_REG)
        emit_pfx_rr(&c->buf, 4, op, x, a.reg);
    else
        emit_pfx_rm(&c->buf, 4, op, x, a.mem);
    if (in->aux & IR_FP_CANON_NAN)
        lw_fcanon(c, t, x);
    if (in->aux & IR_FP_ARM_NAN)
        lw_arm_nan(c, i, in, rm, x);
    lw_rm_leave(c, rm);
    lw_fload(c, t, d, lw_opnd_reg(x));
    lw_fdst_done(c, i, d);
}

/* ---- the floating-point status ---- */

/* MXCSR flags (IE DE ZE OE UE PE, bits 0..5) to IR_FX_* bits, and back:
 * IE-INVALID, ZE-DIVZERO, OE-OVERFLOW, UE-UNDERFLOW, PE-INEXACT; DE none
 * (IR_FX_INPUT_DENORMAL lives in the X86_ENG_IDC byte). */
static const uint8_t fx_of_mx[64] = {
    0, 16, 0, 16, 8, 24, 8, 24, 4, 20, 4, 20, 12, 28, 12, 28, 2, 18, 2, 18, 10, 26, 10,
    26, 6, 22, 6, 22, 14, 30, 14, 30, 1, 17, 1, 17, 9, 25, 9, 25, 5, 21, 5, 21, 13, 29,
    13, 29, 3, 19, 3, 19, 11, 27, 11, 27, 7, 23, 7, 23, 15, 31, 15, 31,
};
static const uint8_t mx_of_fx[32] = {
    0, 32, 16, 48, 8, 40, 24, 56, 4, 36, 20, 52, 12, 44, 28, 60, 1, 33, 17, 49, 9, 41,
    25, 57, 5, 37, 21, 53, 13, 45, 29, 61,
};
/* MXCSR.RC << 13 of an ir_round (DYN and RMM, which x86 lacks: nearest) */
static const uint16_t rc_bits[8] = {
    [IR_RM_RTZ] = 3 << 13, [IR_RM_RDN] = 1 << 13, [IR_RM_RUP] = 2 << 13,
};

static x86_mem csr_slot(void) { return lw_slot(X86_SLOT_MXCSR); }

/* rax = table[index register & mask] (rcx: the index) */
static void table_lookup(lw_ctx *c, const void *table, unsigned elem, int mask)
{
    emit_ri(&c->buf, 4, ALU_AND, X86_RCX, mask);
    lw_host_addr(c, X86_RAX, table);
    if (elem == 2)
        emit_rr(&c->buf, 8, ADD_GvEv, X86_RCX, X86_RCX);
    emit_rr(&c->buf, 8, ADD_GvEv, X86_RAX, X86_RCX);
    emit_rm(&c->buf, 4, elem == 2 ? MOVZX_GvEw : MOVZX_GvEb, X86_RAX, x86_mem_at(X86_RAX, 0));
}

static x86_mem eng_byte(const lw_ctx *c, int k)
{
    return x86_mem_at(X86_R15, (int32_t)(c->t->engine_offset + k));
}

static void set_flags(lw_ctx *c, const ir_insn *in);

/* MXCSR's flags, and IDC from its engine byte (x86.h: not MXCSR.DE) */
void lw_fp_flags_get(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (lw_flags_restore_of(c, i) != IR_NONE) /* a window opens: no NaN yet */
        emit_mov_mi(&c->buf, 1, lw_slot(X86_SLOT_NAN), 0);
    int d = lw_dst(c, i);
    emit_stmxcsr(&c->buf, csr_slot());
    emit_rm(&c->buf, 4, MOV_GvEv, X86_RCX, csr_slot());
    table_lookup(c, fx_of_mx, 1, 0x3f);
    emit_rm(&c->buf, 4, MOVZX_GvEb, X86_RCX, eng_byte(c, X86_ENG_IDC));
    emit_shift_ri(&c->buf, 4, SHIFT_SHL, X86_RCX, 5);
    emit_rr(&c->buf, 4, OR_GvEv, X86_RAX, X86_RCX);
    emit_rr(&c->buf, 4, MOV_GvEv, d, X86_RAX);
    lw_dst_done(c, i, d);
}

/* MXCSR = (MXCSR & ~clear) | value (value: an immediate or in eax) */
/* MXCSR's clear bits become value's.  ldmxcsr costs a pipeline stall:
 * it is skipped when MXCSR already holds the new value, the common case
 * of code that saves the flags around a compare and puts them back
 * (frflags; flt.d; fsflags) when the compare raised nothing.  edx holds
 * the old image (scratch; value is never in it). */
static void csr_update(lw_ctx *c, int clear, x86_opnd value)
{
    emit_stmxcsr(&c->buf, csr_slot());
    emit_rm(&c->buf, 4, MOV_GvEv, X86_RDX, csr_slot());
    emit_mi(&c->buf, 4, ALU_AND, csr_slot(), ~clear);
    if (value.kind == OPND_IMM && value.imm)
        emit_mi(&c->buf, 4, ALU_OR, csr_slot(), value.imm);
    else if (value.kind == OPND_REG)
        emit_rm(&c->buf, 4, 0x09 /* OR_EvGv */, value.reg, csr_slot());
    emit_rm(&c->buf, 4, CMP_GvEv, X86_RDX, csr_slot());
    size_t same = emit_jcc8(&c->buf, X86_CC_E);
    emit_ldmxcsr(&c->buf, csr_slot());
    c->bad |= !x86_bind8(&c->buf, same);
}

/* The index operand in ecx, or its constant */
static bool index_in_rcx(lw_ctx *c, ir_val v, int64_t *imm)
{
    x86_opnd o = lw_opnd(c, v);
    if (o.kind == OPND_IMM) {
        *imm = o.imm;
        return false;
    }
    lw_mov(c, 4, X86_RCX, o, false);
    return true;
}

void lw_fp_flags_set(lw_ctx *c, ir_val i, const ir_insn *in)
{
    bool idc;
    ir_val g = lw_flags_source(c, in->a[0], &idc);
    if (g != IR_NONE && lw_flags_restore_of(c, g) == i) {
        /* a window closes: MXCSR still holds g's flags unless a compare
         * saw a NaN; only IDC, if the value dropped it, must be cleared */
        emit_mi(&c->buf, 1, ALU_CMP, lw_slot(X86_SLOT_NAN), 0);
        size_t nan = emit_jcc32_fwd(&c->buf, X86_CC_NE);
        if (!idc)
            emit_mov_mi(&c->buf, 1, eng_byte(c, X86_ENG_IDC), 0);
        size_t done = emit_jmp32_fwd(&c->buf);
        x86_bind32(&c->buf, nan);
        set_flags(c, in);
        x86_bind32(&c->buf, done);
        return;
    }
    set_flags(c, in);
}

/* FP_FLAGS_SET itself */
static void set_flags(lw_ctx *c, const ir_insn *in)
{
    int64_t k;
    if (index_in_rcx(c, in->a[0], &k)) {
        emit_rr(&c->buf, 4, MOV_GvEv, X86_RDX, X86_RCX);
        emit_shift_ri(&c->buf, 4, SHIFT_SHR, X86_RDX, 5);
        emit_ri(&c->buf, 4, ALU_AND, X86_RDX, 1);
        emit_rm(&c->buf, 1, 0x88 /* MOV_EbGb */, X86_RDX, eng_byte(c, X86_ENG_IDC));
        table_lookup(c, mx_of_fx, 1, 0x1f);
        csr_update(c, 0x3f, lw_opnd_reg(X86_RAX));
    } else {
        emit_mov_mi(&c->buf, 1, eng_byte(c, X86_ENG_IDC), (k >> 5) & 1);
        csr_update(c, 0x3f, (x86_opnd){.kind = OPND_IMM, .imm = mx_of_fx[k & 0x1f]});
    }
}

/* FP_FLAGS_RAISE's work, out of line: ecx holds the flags to add. */
static void raise_flags(lw_ctx *c, ir_val i, int arg)
{
    (void)i, (void)arg;
    emit_rr(&c->buf, 4, MOV_GvEv, X86_RDX, X86_RCX);
    emit_shift_ri(&c->buf, 4, SHIFT_SHR, X86_RDX, 5);
    emit_ri(&c->buf, 4, ALU_AND, X86_RDX, 1);
    emit_rm(&c->buf, 1, 0x08 /* OR_EbGb */, X86_RDX, eng_byte(c, X86_ENG_IDC));
    table_lookup(c, mx_of_fx, 1, 0x1f);
    emit_stmxcsr(&c->buf, csr_slot());
    emit_rm(&c->buf, 4, 0x09 /* OR_EvGv */, X86_RAX, csr_slot());
    emit_ldmxcsr(&c->buf, csr_slot());
}

/* Flags to add are almost always none (IDC, raised only under FZ for a
 * denormal input): a test, and the stmxcsr/ldmxcsr out of line. */
void lw_fp_flags_raise(lw_ctx *c, ir_val i, const ir_insn *in)
{
    x86_opnd o = lw_opnd(c, in->a[0]);
    if (o.kind == OPND_IMM && !(o.imm & 0x3f))
        return;
    lw_mov(c, 4, X86_RCX, o, false);
    emit_rr(&c->buf, 4, TEST_EvGv, X86_RCX, X86_RCX);
    lw_cold_resume(c, lw_cold_jcc(c, X86_CC_NE, raise_flags, i, 0));
}

/* Bit 0 of the RMM byte says RMM; its bit 1 (flush to zero) stays. */
void lw_fp_rm_set(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int64_t k;
    x86_mem rmm = eng_byte(c, X86_ENG_RMM);
    emit_mi(&c->buf, 1, ALU_AND, rmm, ~1);
    if (index_in_rcx(c, in->a[0], &k)) {
        emit_ri(&c->buf, 4, ALU_CMP, X86_RCX, IR_RM_RMM);
        emit_xr(&c->buf, 1, SETcc_Eb + X86_CC_E, 0, X86_RDX);
        emit_rm(&c->buf, 1, 0x08 /* OR_EbGb */, X86_RDX, rmm);
        table_lookup(c, rc_bits, 2, 7);
        csr_update(c, 0x6000, lw_opnd_reg(X86_RAX));
    } else {
        if (k == IR_RM_RMM)
            emit_mi(&c->buf, 1, ALU_OR, rmm, 1);
        csr_update(c, 0x6000, (x86_opnd){.kind = OPND_IMM, .imm = rc_bits[k & 7]});
    }
}

/* The modes byte; flush to zero also sets bit 1 of the RMM byte (DYN ops
 * take the helper, which does Arm's FZ exactly) and MXCSR's DAZ and FTZ
 * (for the ops that stay on SSE: compares, min/max, static roundings). */
void lw_fp_mode_set(lw_ctx *c, ir_val i, const ir_insn *in)
{
    enum { MX_DAZ_FTZ = 0x8040 };
    int64_t k;
    x86_mem rmm = eng_byte(c, X86_ENG_RMM), mode = eng_byte(c, X86_ENG_FPMODE);
    emit_mi(&c->buf, 1, ALU_AND, rmm, ~2);
    if (index_in_rcx(c, in->a[0], &k)) {
        emit_ri(&c->buf, 4, ALU_AND, X86_RCX, IR_FPM_FLUSH_ZERO | IR_FPM_DEFAULT_NAN);
        emit_rm(&c->buf, 1, 0x88 /* MOV_EbGb */, X86_RCX, mode);
        emit_ri(&c->buf, 4, ALU_AND, X86_RCX, IR_FPM_FLUSH_ZERO);
        emit_rr(&c->buf, 4, MOV_GvEv, X86_RDX, X86_RCX);
        emit_rr(&c->buf, 4, ADD_GvEv, X86_RDX, X86_RDX);
        emit_rm(&c->buf, 1, 0x08 /* OR_EbGb */, X86_RDX, rmm);
        emit_rr(&c->buf, 4, MOV_GvEv, X86_RAX, X86_RCX);
        emit_xr(&c->buf, 4, GRP3_Ev, G3_NEG, X86_RAX);
        emit_ri(&c->buf, 4, ALU_AND, X86_RAX, MX_DAZ_FTZ);
        csr_update(c, MX_DAZ_FTZ, lw_opnd_reg(X86_RAX));
    } else {
        bool fz = k & IR_FPM_FLUSH_ZERO;
        emit_mov_mi(&c->buf, 1, mode, k & (IR_FPM_FLUSH_ZERO | IR_FPM_DEFAULT_NAN));
        if (fz)
            emit_mi(&c->buf, 1, ALU_OR, rmm, 2);
        csr_update(c, MX_DAZ_FTZ, (x86_opnd){.kind = OPND_IMM, .imm = fz ? MX_DAZ_FTZ : 0});
    }
}
