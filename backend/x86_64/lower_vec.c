/* Lowering of the 128-bit vector ops (VAND..VMINUV and CONST.v128) to
 * SSE2, using SSSE3 / SSE4.1 forms where x86_cpu says the host has them:
 * the table at the end names each op's handler; bitwise and lane
 * arithmetic, compares, shifts and constants are here, permutes, lane
 * moves and reductions in lower_vperm.c.  Everything runs on SSE2 alone;
 * SSSE3's pshufb (VTBL) and SSE4.1's pmulld, pmin/pmax forms are used
 * where the host has them.
 */
#include "backend/x86_64/lower_vec.h"

static bool is_v128(const lw_ctx *c, ir_val a)
{
    return a != IR_NONE && c->b->insns[a].type == IR_V128;
}

/* The operands and the work register.  two_addr: the sequence is
 * "w = a0; op w, a1" (a1 read once, right after the move), so w may be
 * a0's own register, which the allocator gives the result when a0 dies. */
static void vx_begin(vx *v, lw_ctx *c, ir_val i, const ir_insn *in, bool two_addr)
{
    *v = (vx){.c = c, .e = &c->buf, .in = in, .i = i, .lanes = in->aux, .w = X86_XS1};
    int dst = in->type == IR_V128 && c->loc[i].kind == X86_LOC_REG
                  ? c->loc[i].reg - X86_XMM(0) : -1;
    bool alias = false;
    for (int k = 0; k < ir_info(in->op)->nargs; k++) {
        ir_val a = in->a[k];
        if (!is_v128(c, a)) {
            v->a[k] = a == IR_NONE ? (x86_opnd){0} : lw_opnd(c, a);
            continue;
        }
        v->a[k] = lw_fopnd(c, a);
        if (v->a[k].kind == OPND_REG && v->a[k].reg == dst && !(two_addr && a == in->a[0]))
            alias = true;
    }
    if (dst >= 0 && !alias)
        v->w = dst;
}

/* The result from w to where the allocator put it. */
static void vx_end(vx *v)
{
    const x86_loc *l = &v->c->loc[v->i];
    if (v->in->type != IR_V128)
        return;
    if (l->kind == X86_LOC_SLOT)
        emit_pfx_rm(v->e, 4, MOVUPS_WxVx, v->w, lw_fopnd(v->c, v->i).mem);
    else if (l->reg - X86_XMM(0) != v->w)
        emit_pfx_rr(v->e, 4, MOVAPS_VxWx, l->reg - X86_XMM(0), v->w);
}

void vx_splat(vx *v, int r, uint64_t pat)
{
    if (pat == 0) {
        emit_pfx_rr(v->e, 4, PXOR_VxWx, r, r);
    } else if (pat == ~UINT64_C(0)) {
        emit_pfx_rr(v->e, 4, PCMPEQD_VxWx, r, r);
    } else {
        emit_mov_ri(v->e, X86_RAX, pat);
        vx_from_gpr(v, r, X86_RAX, 8);
        emit_pfx_rri(v->e, PSHUFD_VxWxIb, r, r, 0x44); /* qword 0 to both */
    }
}

void vx_from_gpr(vx *v, int r, int g, unsigned sz)
{
    emit_pfx_rr(v->e, sz, MOVD_VxEy, r, g);
}

/* Whether the host has op: 0F38-map ops are SSSE3 (pshufb) or SSE4.1. */
static bool have(uint32_t op)
{
    if ((op & 0xffff00) != 0x0f3800)
        return op != 0;
    return op == PSHUFB_VxWx ? x86_cpu.ssse3 : x86_cpu.sse41;
}

typedef struct vx_row {
    vx_fn *fn;
    uint8_t two_addr; /* bit k: two-address at lane size k (vx_begin) */
    uint32_t ops[4];  /* by lane size, for the handlers that take them */
} vx_row;

static const vx_row *row_of(ir_op op);

/* w = a0; op w, a1 */
static void vx_simple(vx *v)
{
    vx_mov(v, v->w, v->a[0]);
    vx_op(v, row_of(v->in->op)->ops[v->lanes], v->w, v->a[1]);
}

/* a0 & ~a1: pandn computes ~dst & src */
static void vx_andn(vx *v)
{
    vx_mov(v, v->w, v->a[1]);
    vx_op(v, PANDN_VxWx, v->w, v->a[0]);
}

static void vx_not(vx *v)
{
    vx_splat(v, VX_T0, ~UINT64_C(0));
    vx_mov(v, v->w, v->a[0]);
    vx_op(v, PXOR_VxWx, v->w, vx_r(VX_T0));
}

/* a1 ^ ((a0 ^ a1) & a2) */
static void vx_bsl(vx *v)
{
    vx_mov(v, v->w, v->a[0]);
    vx_op(v, PXOR_VxWx, v->w, v->a[1]);
    vx_op(v, PAND_VxWx, v->w, v->a[2]);
    vx_op(v, PXOR_VxWx, v->w, v->a[1]);
}

static const uint32_t psub[4] = {PSUBB_VxWx, PSUBW_VxWx, PSUBD_VxWx, PSUBQ_VxWx};
static const uint32_t pcmpgt[3] = {PCMPGTB_VxWx, PCMPGTW_VxWx, PCMPGTD_VxWx};

static void vx_neg(vx *v)
{
    vx_splat(v, v->w, 0);
    vx_op(v, psub[v->lanes], v->w, v->a[0]);
}

/* r = all ones in the lanes of o that are negative */
static void sign_mask(vx *v, int r, x86_opnd o)
{
    if (v->lanes == 3) {
        vx_opi(v, PSHUFD_VxWxIb, r, o, 0xf5); /* high dwords to both halves */
        vx_shift(v, PSH_SRA, 2, r, 31);
        return;
    }
    vx_splat(v, r, 0);
    vx_op(v, pcmpgt[v->lanes], r, o);
}

/* (a0 ^ m) - m with m = a0 < 0: MIN stays MIN, as Arm's abs wraps */
static void vx_abs(vx *v)
{
    sign_mask(v, VX_T0, v->a[0]);
    vx_mov(v, v->w, v->a[0]);
    vx_op(v, PXOR_VxWx, v->w, vx_r(VX_T0));
    vx_op(v, psub[v->lanes], v->w, vx_r(VX_T0));
}

/* 8-bit lanes: the even bytes' products from pmullw as they are, the odd
 * ones' from pmullw of both shifted down.  32-bit without pmulld: pmuludq
 * of the even lanes and of the odd ones, interleaved. */
static void vx_mul(vx *v)
{
    int w = v->w;
    if (v->lanes == 1 || (v->lanes == 2 && x86_cpu.sse41)) {
        vx_mov(v, w, v->a[0]);
        vx_op(v, v->lanes == 1 ? PMULLW_VxWx : PMULLD_VxWx, w, v->a[1]);
        return;
    }
    unsigned ln = v->lanes == 0 ? 1 : 3, sh = v->lanes == 0 ? 8 : 32;
    vx_mov(v, VX_T0, v->a[0]);
    vx_shift(v, PSH_SRL, ln, VX_T0, sh);
    vx_mov(v, VX_T1, v->a[1]);
    vx_shift(v, PSH_SRL, ln, VX_T1, sh);
    vx_mov(v, w, v->a[0]);
    if (v->lanes == 0) {
        vx_op(v, PMULLW_VxWx, VX_T0, vx_r(VX_T1));
        vx_shift(v, PSH_SLL, 1, VX_T0, 8);
        vx_op(v, PMULLW_VxWx, w, v->a[1]);
        vx_shift(v, PSH_SLL, 1, w, 8);
        vx_shift(v, PSH_SRL, 1, w, 8);
        vx_op(v, POR_VxWx, w, vx_r(VX_T0));
        return;
    }
    vx_op(v, PMULUDQ_VxWx, VX_T0, vx_r(VX_T1));
    vx_op(v, PMULUDQ_VxWx, w, v->a[1]);
    emit_pfx_rri(v->e, PSHUFD_VxWxIb, w, w, 0x08);           /* dwords 0, 2 low */
    emit_pfx_rri(v->e, PSHUFD_VxWxIb, VX_T0, VX_T0, 0x08);
    emit_pfx_rr(v->e, 4, PUNPCKLDQ_VxWx, w, VX_T0);
}

/* min/max: the SSE2 forms (pminub, pmaxub, pminsw, pmaxsw), SSE4.1's. */
static const uint32_t minmax_ops[4][3] = {
    [IR_VMINS - IR_VMINS] = {PMINSB_VxWx, PMINSW_VxWx, PMINSD_VxWx},
    [IR_VMAXS - IR_VMINS] = {PMAXSB_VxWx, PMAXSW_VxWx, PMAXSD_VxWx},
    [IR_VMINU - IR_VMINS] = {PMINUB_VxWx, PMINUW_VxWx, PMINUD_VxWx},
    [IR_VMAXU - IR_VMINS] = {PMAXUB_VxWx, PMAXUW_VxWx, PMAXUD_VxWx},
};

bool vx_minmax_direct(vx *v, ir_op op, int r, x86_opnd o)
{
    uint32_t x = minmax_ops[op - IR_VMINS][v->lanes];
    if (!have(x))
        return false;
    vx_op(v, x, r, o);
    return true;
}

static bool is_signed_mm(ir_op op) { return op == IR_VMINS || op == IR_VMAXS; }
static bool is_max(ir_op op) { return op == IR_VMAXS || op == IR_VMAXU; }

/* Without SSE4.1: 8-bit signed and 16-bit unsigned through the other
 * signedness by flipping the sign bits; 32-bit as a compare and select,
 * a1 ^ ((a0 ^ a1) & mask). */
static void vx_minmax(vx *v)
{
    ir_op op = (ir_op)v->in->op;
    int w = v->w;
    uint64_t bias = vx_rep(UINT64_C(1) << ((8u << v->lanes) - 1), v->lanes);
    vx_mov(v, w, v->a[0]);
    if (vx_minmax_direct(v, op, w, v->a[1]))
        return;
    if (v->lanes < 2) { /* the other signedness has the op */
        ir_op other = (ir_op)(op + (is_signed_mm(op) ? 2 : -2));
        vx_splat(v, VX_T1, bias);
        vx_op(v, PXOR_VxWx, w, vx_r(VX_T1));
        vx_mov(v, VX_T0, v->a[1]);
        vx_op(v, PXOR_VxWx, VX_T0, vx_r(VX_T1));
        vx_minmax_direct(v, other, w, vx_r(VX_T0));
        vx_op(v, PXOR_VxWx, w, vx_r(VX_T1));
        return;
    }
    /* mask: where a0 is the answer (max: a0 > a1, min: a1 > a0) */
    vx_mov(v, VX_T0, v->a[is_max(op) ? 0 : 1]);
    vx_mov(v, w, v->a[is_max(op) ? 1 : 0]);
    if (!is_signed_mm(op)) {
        vx_splat(v, VX_T1, bias);
        vx_op(v, PXOR_VxWx, VX_T0, vx_r(VX_T1));
        vx_op(v, PXOR_VxWx, w, vx_r(VX_T1));
    }
    vx_op(v, PCMPGTD_VxWx, VX_T0, vx_r(w));
    vx_mov(v, w, v->a[0]);
    vx_op(v, PXOR_VxWx, w, v->a[1]);
    vx_op(v, PAND_VxWx, w, vx_r(VX_T0));
    vx_op(v, PXOR_VxWx, w, v->a[1]);
}

static void vx_cmpeq(vx *v)
{
    static const uint32_t eq[3] = {PCMPEQB_VxWx, PCMPEQW_VxWx, PCMPEQD_VxWx};
    vx_mov(v, v->w, v->a[0]);
    vx_op(v, eq[v->lanes < 3 ? v->lanes : 2], v->w, v->a[1]);
    if (v->lanes == 3) { /* both dwords equal */
        emit_pfx_rri(v->e, PSHUFD_VxWxIb, VX_T0, v->w, 0xb1);
        vx_op(v, PAND_VxWx, v->w, vx_r(VX_T0));
    }
}

/* 64-bit a0 > a1 from dword compares, after flipping the bits of bias:
 * high dwords greater, or equal with the low dwords greater (unsigned:
 * the bias flips their sign bits). */
static void gt64(vx *v, uint64_t bias)
{
    int w = v->w;
    vx_splat(v, VX_T1, bias);
    vx_mov(v, w, v->a[0]);
    vx_op(v, PXOR_VxWx, w, vx_r(VX_T1));
    vx_mov(v, VX_T0, v->a[1]);
    vx_op(v, PXOR_VxWx, VX_T0, vx_r(VX_T1));
    emit_pfx_rr(v->e, 4, MOVAPS_VxWx, VX_T1, w);
    emit_pfx_rr(v->e, 4, PCMPGTD_VxWx, VX_T1, VX_T0);     /* gt */
    emit_pfx_rr(v->e, 4, PCMPEQD_VxWx, w, VX_T0);         /* eq */
    emit_pfx_rri(v->e, PSHUFD_VxWxIb, VX_T0, VX_T1, 0xa0); /* low gt under each high */
    emit_pfx_rr(v->e, 4, PAND_VxWx, VX_T0, w);
    emit_pfx_rr(v->e, 4, POR_VxWx, VX_T0, VX_T1);
    emit_pfx_rri(v->e, PSHUFD_VxWxIb, w, VX_T0, 0xf5);   /* high dwords to both */
}

/* signed: pcmpgt; unsigned: the same after flipping both sign bits */
static void vx_cmpgt(vx *v)
{
    bool u = v->in->op == IR_VCMPGTU;
    if (v->lanes == 3) {
        gt64(v, u ? UINT64_C(0x8000000080000000) : UINT64_C(0x80000000));
        return;
    }
    vx_mov(v, v->w, v->a[0]);
    if (u) {
        vx_splat(v, VX_T1, vx_rep(UINT64_C(1) << ((8u << v->lanes) - 1), v->lanes));
        vx_op(v, PXOR_VxWx, v->w, vx_r(VX_T1));
        vx_mov(v, VX_T0, v->a[1]);
        vx_op(v, PXOR_VxWx, VX_T0, vx_r(VX_T1));
        vx_op(v, pcmpgt[v->lanes], v->w, vx_r(VX_T0));
    } else {
        vx_op(v, pcmpgt[v->lanes], v->w, v->a[1]);
    }
}

/* 64-bit arithmetic shift right by 1..62: the logical shift, with the
 * sign mask shifted up into the vacated bits */
static void sar64(vx *v, unsigned n)
{
    sign_mask(v, VX_T0, v->a[0]);
    vx_mov(v, v->w, v->a[0]);
    vx_shift(v, PSH_SRL, 3, v->w, n);
    vx_shift(v, PSH_SLL, 3, VX_T0, 64 - n);
    vx_op(v, POR_VxWx, v->w, vx_r(VX_T0));
}

/* 8-bit lanes through 16-bit shifts: the bits that crossed from the
 * neighbouring byte are masked off; sar then sign-extends from bit 7-n
 * as (x ^ m) - m with m = 0x80 >> n. */
static void shift8(vx *v, int ext, unsigned n)
{
    int w = v->w;
    vx_mov(v, w, v->a[0]);
    vx_shift(v, ext == PSH_SLL ? PSH_SLL : PSH_SRL, 1, w, n);
    vx_splat(v, VX_T0, vx_rep(ext == PSH_SLL ? (0xffu << n) & 0xff : 0xffu >> n, 0));
    vx_op(v, PAND_VxWx, w, vx_r(VX_T0));
    if (ext == PSH_SRA) {
        vx_splat(v, VX_T0, vx_rep(0x80u >> n, 0));
        vx_op(v, PXOR_VxWx, w, vx_r(VX_T0));
        vx_op(v, PSUBB_VxWx, w, vx_r(VX_T0));
    }
}

static void vx_shift_imm(vx *v)
{
    static const uint8_t ext_of[3] = {PSH_SLL, PSH_SRL, PSH_SRA};
    int ext = ext_of[v->in->op - IR_VSHLI];
    unsigned bits = 8u << v->lanes, n = (unsigned)v->in->imm;
    if (ext == PSH_SRA && n >= bits)
        n = bits - 1; /* the same: every bit a copy of the sign */
    if (n >= bits) {
        vx_splat(v, v->w, 0);
    } else if (n == 0) {
        vx_mov(v, v->w, v->a[0]);
    } else if (v->lanes == 0) {
        shift8(v, ext, n);
    } else if (ext == PSH_SRA && v->lanes == 3) {
        if (n == 63)
            sign_mask(v, v->w, v->a[0]);
        else
            sar64(v, n);
    } else {
        vx_mov(v, v->w, v->a[0]);
        vx_shift(v, ext, v->lanes, v->w, n);
    }
}

/* Per byte: x - ((x >> 1) & 0x55), then pairs and nibbles summed. */
static void vx_cnt(vx *v)
{
    int w = v->w;
    vx_mov(v, w, v->a[0]);
    emit_pfx_rr(v->e, 4, MOVAPS_VxWx, VX_T0, w);
    vx_shift(v, PSH_SRL, 1, VX_T0, 1);
    vx_splat(v, VX_T1, vx_rep(0x55, 0));
    emit_pfx_rr(v->e, 4, PAND_VxWx, VX_T0, VX_T1);
    emit_pfx_rr(v->e, 4, PSUBB_VxWx, w, VX_T0);
    emit_pfx_rr(v->e, 4, MOVAPS_VxWx, VX_T0, w);
    vx_shift(v, PSH_SRL, 1, VX_T0, 2);
    vx_splat(v, VX_T1, vx_rep(0x33, 0));
    emit_pfx_rr(v->e, 4, PAND_VxWx, VX_T0, VX_T1);
    emit_pfx_rr(v->e, 4, PAND_VxWx, w, VX_T1);
    emit_pfx_rr(v->e, 4, PADDB_VxWx, w, VX_T0);
    emit_pfx_rr(v->e, 4, MOVAPS_VxWx, VX_T0, w);
    vx_shift(v, PSH_SRL, 1, VX_T0, 4);
    emit_pfx_rr(v->e, 4, PADDB_VxWx, w, VX_T0);
    vx_splat(v, VX_T1, vx_rep(0x0f, 0));
    emit_pfx_rr(v->e, 4, PAND_VxWx, w, VX_T1);
}

/* movzx eax, byte [rbp + rax + disp32] (rbp: X86_FRAME): the one indexed
 * address the lowering needs, so it is spelled out here rather than in
 * emit.h */
static void load_byte_indexed(x86_buf *e, int32_t disp)
{
    _Static_assert(X86_FRAME == X86_RBP, "the SIB byte names rbp");
    static const uint8_t op[] = {0x0f, 0xb6, 0x84, 0x05}; /* ModRM: mod 2, SIB base rbp, index rax */
    for (size_t k = 0; k < sizeof op; k++)
        emit_u8(e, op[k]);
    emit_u32(e, (uint32_t)disp);
}

/* Without pshufb, byte by byte through the lowering's save area:
 * table at [T], indexes at [T+16], result at [T+32]. */
static void tbl_bytes(vx *v)
{
    x86_buf *e = v->e;
    int32_t t = 8 * X86_SLOT_XSAVE;
    vx_mov(v, VX_T0, v->a[0]);
    emit_pfx_rm(e, 4, MOVUPS_WxVx, VX_T0, x86_mem_at(X86_FRAME, t));
    vx_mov(v, VX_T0, v->a[1]);
    emit_pfx_rm(e, 4, MOVUPS_WxVx, VX_T0, x86_mem_at(X86_FRAME, t + 16));
    for (int i = 0; i < 16; i++) {
        emit_rm(e, 4, MOVZX_GvEb, X86_RAX, x86_mem_at(X86_FRAME, t + 16 + i));
        emit_ri(e, 4, ALU_CMP, X86_RAX, 16);
        emit_rr(e, 4, SBB_GvEv, X86_RCX, X86_RCX); /* ecx = index < 16 ? ~0 : 0 */
        emit_ri(e, 4, ALU_AND, X86_RAX, 15);
        load_byte_indexed(e, t);
        emit_rr(e, 4, AND_GvEv, X86_RAX, X86_RCX);
        emit_rm(e, 1, MOV_EbGb, X86_RAX, x86_mem_at(X86_FRAME, t + 32 + i));
    }
    emit_pfx_rm(e, 4, MOVUPS_VxWx, v->w, x86_mem_at(X86_FRAME, t + 32));
}

void vx_tbl(vx *v)
{
    if (!x86_cpu.ssse3) {
        tbl_bytes(v);
        return;
    }
    /* index + 0x70 saturating: >= 16 sets bit 7 (a zero byte), < 16 keeps
     * the low nibble pshufb reads */
    vx_splat(v, VX_T0, vx_rep(0x70, 0));
    vx_op(v, PADDUSB_VxWx, VX_T0, v->a[1]);
    vx_mov(v, v->w, v->a[0]);
    emit_pfx_rr(v->e, 4, PSHUFB_VxWx, v->w, VX_T0);
}

#define ROW(op) [IR_##op - IR_VAND]
#define ALL 15
static const vx_row rows[IR_VMINUV - IR_VAND + 1] = {
    ROW(VAND) = {vx_simple, ALL, {PAND_VxWx}},
    ROW(VOR) = {vx_simple, ALL, {POR_VxWx}},
    ROW(VXOR) = {vx_simple, ALL, {PXOR_VxWx}},
    ROW(VANDN) = {vx_andn, 0, {0}},
    ROW(VNOT) = {vx_not, ALL, {0}},
    ROW(VBSL) = {vx_bsl, 0, {0}},
    ROW(VADD) = {vx_simple, ALL, {PADDB_VxWx, PADDW_VxWx, PADDD_VxWx, PADDQ_VxWx}},
    ROW(VSUB) = {vx_simple, ALL, {PSUBB_VxWx, PSUBW_VxWx, PSUBD_VxWx, PSUBQ_VxWx}},
    ROW(VMUL) = {vx_mul, 0, {0}},
    ROW(VNEG) = {vx_neg, 0, {0}},
    ROW(VABS) = {vx_abs, 0, {0}},
    ROW(VMINS) = {vx_minmax, 0, {0}},
    ROW(VMAXS) = {vx_minmax, 0, {0}},
    ROW(VMINU) = {vx_minmax, 0, {0}},
    ROW(VMAXU) = {vx_minmax, 0, {0}},
    ROW(VCMPEQ) = {vx_cmpeq, ALL, {0}},
    ROW(VCMPGT) = {vx_cmpgt, 7, {0}},
    ROW(VCMPGTU) = {vx_cmpgt, 0, {0}},
    ROW(VSHLI) = {vx_shift_imm, 0, {0}},
    ROW(VSHRI) = {vx_shift_imm, 0, {0}},
    ROW(VSARI) = {vx_shift_imm, 0, {0}},
    ROW(VADDSATS) = {vx_simple, ALL, {PADDSB_VxWx, PADDSW_VxWx}},
    ROW(VADDSATU) = {vx_simple, ALL, {PADDUSB_VxWx, PADDUSW_VxWx}},
    ROW(VSUBSATS) = {vx_simple, ALL, {PSUBSB_VxWx, PSUBSW_VxWx}},
    ROW(VSUBSATU) = {vx_simple, ALL, {PSUBUSB_VxWx, PSUBUSW_VxWx}},
    ROW(VADDP) = {vx_addp, 0, {0}},
    ROW(VDUP) = {vx_dup, 0, {0}},
    ROW(VEXTRACT) = {vx_extract, 0, {0}},
    ROW(VINSERT) = {vx_insert, ALL, {0}},
    ROW(VZIP1) = {vx_zip, ALL, {0}},
    ROW(VZIP2) = {vx_zip, ALL, {0}},
    ROW(VUZP1) = {vx_uzp, 0, {0}},
    ROW(VUZP2) = {vx_uzp, 0, {0}},
    ROW(VTRN1) = {vx_trn, 0, {0}},
    ROW(VTRN2) = {vx_trn, 0, {0}},
    ROW(VEXT) = {vx_ext, 0, {0}},
    ROW(VTBL) = {vx_tbl, 0, {0}},
    ROW(VREV) = {vx_rev, ALL, {0}},
    ROW(VWIDENS) = {vx_widen, 0, {0}},
    ROW(VWIDENU) = {vx_widen, 0, {0}},
    ROW(VNARROW) = {vx_narrow, 0, {0}},
    ROW(VCNT) = {vx_cnt, ALL, {0}},
    ROW(VADDV) = {vx_reduce, 0, {0}},
    ROW(VMAXSV) = {vx_reduce, 0, {0}},
    ROW(VMAXUV) = {vx_reduce, 0, {0}},
    ROW(VMINSV) = {vx_reduce, 0, {0}},
    ROW(VMINUV) = {vx_reduce, 0, {0}},
};
#undef ROW
#undef ALL

static const vx_row *row_of(ir_op op) { return &rows[op - IR_VAND]; }

void lw_vec(lw_ctx *c, ir_val i, const ir_insn *in)
{
    const vx_row *r = row_of((ir_op)in->op);
    vx v;
    vx_begin(&v, c, i, in, r->two_addr >> (in->aux & 3) & 1);
    r->fn(&v);
    vx_end(&v);
}

/* CONST.v128: imm the low qword, imm2 the high one */
/* movq w, lo; then, unless the high half is 0 (movq cleared it), the
 * high one beside it */
void lw_vpair(lw_ctx *c, ir_val i, const ir_insn *in)
{
    vx v;
    vx_begin(&v, c, i, in, false);
    x86_opnd hi = lw_opnd(c, in->a[1]);
    vx_from_gpr(&v, v.w, lw_reg(c, in->a[0], X86_RAX), 8);
    if (hi.kind != OPND_IMM || hi.imm != 0) {
        vx_from_gpr(&v, VX_T0, lw_reg(c, in->a[1], X86_RAX), 8);
        emit_pfx_rr(v.e, 4, PUNPCKLQDQ_VxWx, v.w, VX_T0);
    }
    vx_end(&v);
}

void lw_vconst(lw_ctx *c, ir_val i, const ir_insn *in)
{
    vx v;
    vx_begin(&v, c, i, in, false);
    uint64_t lo = (uint64_t)in->imm, hi = (uint64_t)in->imm2;
    if (lo == hi) {
        vx_splat(&v, v.w, lo);
    } else {
        emit_mov_ri(v.e, X86_RAX, lo);
        vx_from_gpr(&v, v.w, X86_RAX, 8);
        if (hi) {
            emit_mov_ri(v.e, X86_RAX, hi);
            vx_from_gpr(&v, VX_T0, X86_RAX, 8);
            emit_pfx_rr(v.e, 4, PUNPCKLQDQ_VxWx, v.w, VX_T0);
        }
    }
    vx_end(&v);
}
