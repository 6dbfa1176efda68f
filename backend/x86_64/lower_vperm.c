/* Vector permutes, lane moves between GPRs and vectors, widening and
 * narrowing, and across-lane reductions, in SSE2 (see lower_vec.h for the
 * register discipline).  Arm's zip/uzp/trn are punpck, pack and shufps
 * forms; reductions fold the vector onto itself by byte shifts.
 */
#include "backend/x86_64/lower_vec.h"

static const uint32_t punpckl[4] = {PUNPCKLBW_VxWx, PUNPCKLWD_VxWx, PUNPCKLDQ_VxWx,
                                    PUNPCKLQDQ_VxWx};
static const uint32_t punpckh[4] = {PUNPCKHBW_VxWx, PUNPCKHWD_VxWx, PUNPCKHDQ_VxWx,
                                    PUNPCKHQDQ_VxWx};

void vx_zip(vx *v)
{
    vx_mov(v, v->w, v->a[0]);
    vx_op(v, (v->in->op == IR_VZIP1 ? punpckl : punpckh)[v->lanes], v->w, v->a[1]);
}

/* 8/16-bit lanes: each operand's even lanes moved into the low half of
 * its 2x-wide lanes (odd: shifted down), then packed without saturating:
 * packuswb of 0..255, packssdw of sign-extended values. */
void vx_uzp_into(vx *v, int out, int tmp, bool odd)
{
    if (v->lanes >= 2) {
        vx_mov(v, out, v->a[0]);
        if (v->lanes == 2)
            vx_opi(v, SHUFPS_VxWxIb, out, v->a[1], odd ? 0xdd : 0x88);
        else
            vx_op(v, odd ? PUNPCKHQDQ_VxWx : PUNPCKLQDQ_VxWx, out, v->a[1]);
        return;
    }
    unsigned wide = v->lanes + 1, bits = 8u << v->lanes;
    int down = v->lanes == 0 ? PSH_SRL : PSH_SRA;
    for (int k = 0; k < 2; k++) {
        int r = k ? tmp : out;
        vx_mov(v, r, v->a[k]);
        if (!odd)
            vx_shift(v, PSH_SLL, wide, r, bits);
        vx_shift(v, down, wide, r, bits);
    }
    emit_pfx_rr(v->e, 4, v->lanes == 0 ? PACKUSWB_VxWx : PACKSSDW_VxWx, out, tmp);
}

void vx_uzp(vx *v)
{
    vx_uzp_into(v, v->w, VX_T0, v->in->op == IR_VUZP2);
}

/* addp: uzp1 + uzp2 */
void vx_addp(vx *v)
{
    static const uint32_t padd[4] = {PADDB_VxWx, PADDW_VxWx, PADDD_VxWx, PADDQ_VxWx};
    vx_uzp_into(v, VX_T1, VX_T0, false);
    vx_uzp_into(v, v->w, VX_T0, true);
    emit_pfx_rr(v->e, 4, padd[v->lanes], v->w, VX_T1);
}

/* 8/16-bit: a0's kept lanes and a1's moved next to them in 2x-wide lanes,
 * merged; 32-bit: shufps picks them, pshufd puts them in order. */
void vx_trn(vx *v)
{
    bool two = v->in->op == IR_VTRN2;
    int w = v->w;
    if (v->lanes == 3) {
        vx_mov(v, w, v->a[0]);
        vx_op(v, two ? PUNPCKHQDQ_VxWx : PUNPCKLQDQ_VxWx, w, v->a[1]);
        return;
    }
    if (v->lanes == 2) {
        vx_mov(v, w, v->a[0]);
        vx_opi(v, SHUFPS_VxWxIb, w, v->a[1], two ? 0xdd : 0x88);
        emit_pfx_rri(v->e, PSHUFD_VxWxIb, w, w, 0xd8);
        return;
    }
    unsigned wide = v->lanes + 1, bits = 8u << v->lanes;
    vx_mov(v, w, v->a[0]);
    vx_mov(v, VX_T0, v->a[1]);
    if (two) { /* a0's odd lanes down, a1's odd lanes kept */
        vx_shift(v, PSH_SRL, wide, w, bits);
        vx_shift(v, PSH_SRL, wide, VX_T0, bits);
        vx_shift(v, PSH_SLL, wide, VX_T0, bits);
    } else { /* a0's even lanes kept, a1's even lanes up */
        vx_shift(v, PSH_SLL, wide, w, bits);
        vx_shift(v, PSH_SRL, wide, w, bits);
        vx_shift(v, PSH_SLL, wide, VX_T0, bits);
    }
    emit_pfx_rr(v->e, 4, POR_VxWx, w, VX_T0);
}

/* (a1:a0) >> 8*imm as two byte shifts */
void vx_ext(vx *v)
{
    unsigned n = (unsigned)v->in->imm;
    if (n == 0) {
        vx_mov(v, v->w, v->a[0]);
        return;
    }
    if (v->in->a[0] == v->in->a[1] && n % 4 == 0) {
        /* a rotation by whole dwords: one pshufd, which reads a0 whole
         * before it writes, so straight into the result's register even
         * when that is a0's (aarch64's `ext v0, v0, v0, #8`) */
        unsigned q = n / 4, order = 0;
        for (unsigned j = 0; j < 4; j++)
            order |= ((j + q) % 4) << (2 * j);
        const x86_loc *l = &v->c->loc[v->i];
        if (l->kind == X86_LOC_REG)
            v->w = l->reg - X86_XMM(0);
        vx_opi(v, PSHUFD_VxWxIb, v->w, v->a[0], (uint8_t)order);
        return;
    }
    vx_mov(v, VX_T0, v->a[0]);
    vx_shift(v, PSH_SRLDQ, 0, VX_T0, n);
    vx_mov(v, v->w, v->a[1]);
    vx_shift(v, PSH_SLLDQ, 0, v->w, 16 - n);
    emit_pfx_rr(v->e, 4, POR_VxWx, v->w, VX_T0);
}

/* Reversal within 2^imm-byte containers = swapping neighbouring units of
 * 2^k bytes for every k from aux up to imm - 1. */
void vx_rev(vx *v)
{
    int w = v->w;
    vx_mov(v, w, v->a[0]);
    for (unsigned k = v->lanes; k < (unsigned)v->in->imm; k++) {
        if (k == 0) {
            emit_pfx_rr(v->e, 4, MOVAPS_VxWx, VX_T0, w);
            vx_shift(v, PSH_SRL, 1, VX_T0, 8);
            vx_shift(v, PSH_SLL, 1, w, 8);
            emit_pfx_rr(v->e, 4, POR_VxWx, w, VX_T0);
        } else if (k == 1) {
            emit_pfx_rri(v->e, PSHUFLW_VxWxIb, w, w, 0xb1);
            emit_pfx_rri(v->e, PSHUFHW_VxWxIb, w, w, 0xb1);
        } else {
            emit_pfx_rri(v->e, PSHUFD_VxWxIb, w, w, 0xb1);
        }
    }
}

/* unsigned: interleaved with zeros; signed: with itself, then shifted
 * down arithmetically (32-bit: interleaved with the sign masks) */
void vx_widen(vx *v)
{
    const uint32_t *unpack = v->in->imm ? punpckh : punpckl;
    unsigned ln = v->lanes;
    int w = v->w;
    if (v->in->op == IR_VWIDENU || ln == 2) {
        vx_splat(v, VX_T0, 0);
        if (v->in->op == IR_VWIDENS)
            vx_op(v, PCMPGTD_VxWx, VX_T0, v->a[0]);
        vx_mov(v, w, v->a[0]);
        emit_pfx_rr(v->e, 4, unpack[ln], w, VX_T0);
        return;
    }
    vx_mov(v, w, v->a[0]);
    emit_pfx_rr(v->e, 4, unpack[ln], w, w);
    vx_shift(v, PSH_SRA, ln + 1, w, 8u << ln);
}

/* xtn: each lane's low half, packed into the low qword */
void vx_narrow(vx *v)
{
    int w = v->w;
    unsigned ln = v->lanes, bits = 8u << ln;
    if (ln == 2) {
        vx_opi(v, PSHUFD_VxWxIb, w, v->a[0], 0x08);
        emit_pfx_rr(v->e, 4, MOVQ_VxWx, w, w);
        return;
    }
    vx_mov(v, w, v->a[0]);
    vx_shift(v, PSH_SLL, ln + 1, w, bits);
    vx_shift(v, ln == 0 ? PSH_SRL : PSH_SRA, ln + 1, w, bits);
    vx_splat(v, VX_T0, 0);
    emit_pfx_rr(v->e, 4, ln == 0 ? PACKUSWB_VxWx : PACKSSDW_VxWx, w, VX_T0);
}

/* the integer into lane 0, then copied across */
void vx_dup(vx *v)
{
    int w = v->w, g = lw_reg(v->c, v->in->a[0], X86_RAX);
    vx_from_gpr(v, w, g, v->lanes == 3 ? lw_vsize(v->c, v->in->a[0]) : 4);
    if (v->lanes == 0)
        emit_pfx_rr(v->e, 4, PUNPCKLBW_VxWx, w, w);
    if (v->lanes <= 1) {
        emit_pfx_rri(v->e, PSHUFLW_VxWxIb, w, w, 0);
        emit_pfx_rr(v->e, 4, PUNPCKLQDQ_VxWx, w, w);
    } else if (v->lanes == 2) {
        emit_pfx_rri(v->e, PSHUFD_VxWxIb, w, w, 0);
    } else {
        emit_pfx_rr(v->e, 4, PUNPCKLQDQ_VxWx, w, w);
    }
}

/* r = its low `bits` bits, zero-extended (from 32 up: a 32-bit result
 * that movd or a 32-bit op already zero-extended) */
static void zext_gpr(vx *v, int r, unsigned bits)
{
    if (bits < 32)
        emit_ri(v->e, 4, ALU_AND, r, (int64_t)((1u << bits) - 1));
}

/* d = lane k of the register x, zero-extended */
static void extract_reg(vx *v, int d, int x, unsigned k)
{
    x86_buf *e = v->e;
    switch (v->lanes) {
    case 0:
        emit_pfx_rri(e, PEXTRW_GdUxIb, d, x, (uint8_t)(k / 2));
        if (k & 1)
            emit_shift_ri(e, 4, SHIFT_SHR, d, 8);
        else
            zext_gpr(v, d, 8);
        break;
    case 1:
        emit_pfx_rri(e, PEXTRW_GdUxIb, d, x, (uint8_t)k);
        break;
    default:
        if (k) {
            emit_pfx_rri(e, PSHUFD_VxWxIb, VX_T0, x, (uint8_t)(v->lanes == 2 ? k : 0xee));
            x = VX_T0;
        }
        emit_pfx_rr(e, v->lanes == 3 ? 8 : 4, MOVD_EyVx, x, d);
    }
}

/* umov: from a register by pextrw / pshufd + movd, from a slot by a load */
void vx_extract(vx *v)
{
    int d = lw_dst(v->c, v->i);
    unsigned k = (unsigned)v->in->imm, sz = 1u << v->lanes;
    x86_opnd a = v->a[0];
    if (a.kind == OPND_MEM) {
        x86_mem m = a.mem;
        m.disp += (int32_t)(k * sz);
        lw_ext(v->c, 8, d, lw_opnd_mem(m), 8 * (int)sz, false);
    } else {
        extract_reg(v, d, a.reg, k);
    }
    lw_dst_done(v->c, v->i, d);
}

/* ins: pinsrw for 16 bits (twice for 32, with the byte merged in a GPR
 * for 8), movsd / punpcklqdq of a movq for 64 */
void vx_insert(vx *v)
{
    x86_buf *e = v->e;
    int w = v->w;
    unsigned k = (unsigned)v->in->imm;
    vx_mov(v, w, v->a[0]);
    int g = lw_reg(v->c, v->in->a[1], X86_RAX);
    switch (v->lanes) {
    case 0:
        emit_pfx_rri(e, PEXTRW_GdUxIb, X86_RCX, w, (uint8_t)(k / 2));
        emit_rr(e, 4, MOV_GvEv, X86_RDX, g);
        zext_gpr(v, X86_RDX, 8);
        if (k & 1)
            emit_shift_ri(e, 4, SHIFT_SHL, X86_RDX, 8);
        emit_ri(e, 4, ALU_AND, X86_RCX, k & 1 ? 0xff : 0xff00);
        emit_rr(e, 4, OR_GvEv, X86_RCX, X86_RDX);
        emit_pfx_rri(e, PINSRW_VxEdIb, w, X86_RCX, (uint8_t)(k / 2));
        break;
    case 1:
        emit_pfx_rri(e, PINSRW_VxEdIb, w, g, (uint8_t)k);
        break;
    case 2:
        emit_pfx_rri(e, PINSRW_VxEdIb, w, g, (uint8_t)(2 * k));
        emit_rr(e, 4, MOV_GvEv, X86_RCX, g);
        emit_shift_ri(e, 4, SHIFT_SHR, X86_RCX, 16);
        emit_pfx_rri(e, PINSRW_VxEdIb, w, X86_RCX, (uint8_t)(2 * k + 1));
        break;
    default:
        vx_from_gpr(v, VX_T0, g, lw_vsize(v->c, v->in->a[1])); /* an i32: zero-extended */
        emit_pfx_rr(e, 4, k ? PUNPCKLQDQ_VxWx : MOVSD_VxWx, w, VX_T0);
    }
}

/* One folding step of a reduction: x = op(x, y) at the lane size, y free
 * to clobber.  32-bit min/max without SSE4.1: compare and select (the
 * lanes biased to signed beforehand when unsigned). */
static void fold_step(vx *v, ir_op op, int x, int y)
{
    static const uint32_t padd[3] = {PADDB_VxWx, PADDW_VxWx, PADDD_VxWx};
    if (op == IR_VADDV) {
        emit_pfx_rr(v->e, 4, padd[v->lanes], x, y);
        return;
    }
    if (vx_minmax_direct(v, op, x, vx_r(y)))
        return;
    bool max = op == IR_VMAXS || op == IR_VMAXU;
    int m = X86_XS2;
    emit_pfx_rr(v->e, 4, MOVAPS_VxWx, m, max ? x : y);
    emit_pfx_rr(v->e, 4, PCMPGTD_VxWx, m, max ? y : x); /* m: where to keep x */
    emit_pfx_rr(v->e, 4, PXOR_VxWx, x, y);
    emit_pfx_rr(v->e, 4, PAND_VxWx, x, m);
    emit_pfx_rr(v->e, 4, PXOR_VxWx, x, y);
}

/* The min/max op of a reduction, and the sign flip (bias) that lets the
 * other signedness's instruction do it where the host lacks this one. */
static ir_op reduce_op(vx *v, uint64_t *bias)
{
    static const uint8_t lane_op[] = {
        [IR_VMAXSV - IR_VMAXSV] = IR_VMAXS, [IR_VMAXUV - IR_VMAXSV] = IR_VMAXU,
        [IR_VMINSV - IR_VMAXSV] = IR_VMINS, [IR_VMINUV - IR_VMAXSV] = IR_VMINU,
    };
    *bias = 0;
    if (v->in->op == IR_VADDV)
        return IR_VADDV;
    ir_op op = (ir_op)lane_op[v->in->op - IR_VMAXSV];
    bool s = op == IR_VMAXS || op == IR_VMINS;
    bool direct = v->lanes == 0 ? !s || x86_cpu.sse41 : v->lanes == 1 ? s || x86_cpu.sse41
                                                                       : x86_cpu.sse41;
    if (direct)
        return op;
    if (v->lanes == 2 && s)
        return op; /* fold_step's signed compare */
    *bias = vx_rep(UINT64_C(1) << ((8u << v->lanes) - 1), v->lanes);
    if (v->lanes == 2)
        return op;
    return (ir_op)(op + (s ? 2 : -2));
}

/* addv 8-bit: psadbw against zero sums each qword's bytes; otherwise fold
 * by halves (8, 4, 2, 1 bytes) down to one lane, then read lane 0. */
void vx_reduce(vx *v)
{
    x86_buf *e = v->e;
    int d = lw_dst(v->c, v->i), x = X86_XS1, y = X86_XS0;
    unsigned bits = 8u << v->lanes;
    uint64_t bias;
    ir_op op = reduce_op(v, &bias);
    vx_mov(v, x, v->a[0]);
    if (bias) {
        vx_splat(v, y, bias);
        emit_pfx_rr(e, 4, PXOR_VxWx, x, y);
    }
    if (op == IR_VADDV && v->lanes == 0) {
        vx_splat(v, y, 0);
        emit_pfx_rr(e, 4, PSADBW_VxWx, x, y);
        emit_pfx_rri(e, PSHUFD_VxWxIb, y, x, 0xee);
        emit_pfx_rr(e, 4, PADDD_VxWx, x, y);
    } else {
        for (unsigned s = 8; s >= bits / 8; s /= 2) {
            emit_pfx_rr(e, 4, MOVAPS_VxWx, y, x);
            vx_shift(v, PSH_SRLDQ, 0, y, s);
            fold_step(v, op, x, y);
        }
    }
    emit_pfx_rr(e, 4, MOVD_EyVx, x, d);
    if (bias)
        emit_ri(e, 4, ALU_XOR, d, (int64_t)(uint32_t)bias);
    zext_gpr(v, d, bits);
    lw_dst_done(v->c, v->i, d);
}
