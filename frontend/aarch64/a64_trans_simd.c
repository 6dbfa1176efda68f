/* AArch64 Advanced SIMD -> IR: the decoder of a64_simd.decode (the block
 * loop's a64_decode_simd), vector register and lane access, and the
 * integer, logic, immediate, copy and permute rows.  What GCC and glibc
 * use most (logic, add/sub/mul, compares, min/max, shifts by immediate,
 * permutes, widening and narrowing, reductions, copies) is the IR's v128
 * ops on whole registers (a64_vreg); the rest of the per-lane
 * integer arithmetic calls the helpers of a64_simd_helpers.c by register
 * number.
 *
 *   a64_ctx c = {.b = b, .pc = pc, .next_pc = pc + 4};
 *   if (!a64_decode_simd(&c, insn)) ... SIGILL
 */
#include "frontend/aarch64/a64_simd_formats.h"
#include "frontend/aarch64/a64_simd_trans.h"

#include "frontend/aarch64/a64_simd.inc"

bool a64_decode_simd(a64_ctx *c, uint32_t insn) { return a64_simd_decode(c, insn); }

const a64s_insn_desc *a64_simd_lookup_desc(uint32_t insn, a64s_args *a)
{
    int i = a64_simd_lookup(insn, a);
    return i < 0 ? NULL : &a64_simd_insns[i];
}

static ir_val k64(a64_ctx *c, int64_t v) { return ir_const(c->b, IR_I64, v); }


/* ---- whole registers as v128 values */

ir_val a64_vreg(a64_ctx *c, unsigned r) { return ir_ctx_load(c->b, IR_V128, A64_OFF_V(r)); }

static ir_val vop(a64_ctx *c, ir_op op, unsigned lanes, ir_val x, ir_val y, ir_val z, int64_t imm)
{
    return ir_vop(c->b, op, lanes, x, y, z, imm);
}

static ir_val vzero(a64_ctx *c) { return ir_vconst(c->b, 0, 0); }

/* the low 64 bits of x, then those of y */
static ir_val vcat(a64_ctx *c, ir_val x, ir_val y) { return vop(c, IR_VZIP1, 3, x, y, IR_NONE, 0); }

ir_val a64_vlow(a64_ctx *c, ir_val x) { return vcat(c, x, vzero(c)); }

void a64_vreg_set(a64_ctx *c, unsigned r, ir_val x, bool q)
{
    ir_ctx_store(c->b, q ? x : a64_vlow(c, x), A64_OFF_V(r));
}

static ir_val vnot(a64_ctx *c, ir_val x) { return vop(c, IR_VNOT, 0, x, IR_NONE, IR_NONE, 0); }

/* FPSR.QC set when a saturating result differs from the wrapping one in
 * any lane (of the low half only for the 64-bit forms) */
static void set_qc(a64_ctx *c, ir_val sat, ir_val wrap, bool q)
{
    ir_block *b = c->b;
    ir_val d = vop(c, IR_VXOR, 0, sat, wrap, IR_NONE, 0);
    ir_val any = vop(c, IR_VEXTRACT, 3, d, IR_NONE, IR_NONE, 0);
    if (q)
        any = ir_binop(b, IR_OR, IR_I64, any, vop(c, IR_VEXTRACT, 3, d, IR_NONE, IR_NONE, 1));
    ir_val qc = ir_binop(b, IR_SHL, IR_I64, ir_setcc(b, IR_I64, IR_NE, any, k64(c, 0)), k64(c, 27));
    ir_val fpsr = ir_ctx_load(b, IR_I32, A64_OFF_FPSR);
    ir_ctx_store(b, ir_binop(b, IR_OR, IR_I32, fpsr, qc), A64_OFF_FPSR);
}

/* ---- helper calls */

static uint64_t desc_of(const a64s_args *a)
{
    return A64V_D(a->rd) | A64V_N(a->rn) | A64V_M(a->rm) | A64V_SIZE(a->size) | A64V_Q(a->q) |
           A64V_U(a->u) | A64V_OPC(a->opc) | A64V_SCALAR(a->scalar);
}

static bool vcall(a64_ctx *c, const ir_helper *h, uint64_t desc, int64_t a1)
{
    ir_val x = h->nargs >= 2 ? k64(c, a1) : IR_NONE;
    ir_call(c->b, h, k64(c, (int64_t)desc), x, IR_NONE);
    return true;
}

/* ---- three same, integer (the FP half is in a64_trans_vfp.c) */

/* The lane-wise ones that are one IR op, by opcode and U (0: a helper) */
static const uint8_t same_op[24][2] = {
    [0x01] = {IR_VADDSATS, IR_VADDSATU}, [0x05] = {IR_VSUBSATS, IR_VSUBSATU},
    [0x06] = {IR_VCMPGT, IR_VCMPGTU},    [0x0c] = {IR_VMAXS, IR_VMAXU},
    [0x0d] = {IR_VMINS, IR_VMINU},       [0x10] = {IR_VADD, IR_VSUB},
    [0x13] = {IR_VMUL, 0},               [0x14] = {IR_VMAXS, IR_VMAXU},
    [0x15] = {IR_VMINS, IR_VMINU},
};

/* Whether a (valid) vector three-same integer op is done in IR */
static bool same_in_ir(const a64s_args *a)
{
    unsigned o = a->opc;
    if (o == 0x01 || o == 0x05)
        return a->size <= 1; /* the IR saturates 8- and 16-bit lanes */
    return same_op[o][a->u] || o == 0x07 || o == 0x11 || o == 0x0e || o == 0x0f ||
           o == 0x12 || (o == 0x17 && !a->u);
}

/* |x - y| (sabd/uabd): max - min, mod 2^w */
static ir_val vabd(a64_ctx *c, unsigned s, bool u, ir_val x, ir_val y)
{
    ir_val hi = vop(c, u ? IR_VMAXU : IR_VMAXS, s, x, y, IR_NONE, 0);
    ir_val lo = vop(c, u ? IR_VMINU : IR_VMINS, s, x, y, IR_NONE, 0);
    return vop(c, IR_VSUB, s, hi, lo, IR_NONE, 0);
}

static void same_ir(a64_ctx *c, a64s_args *a)
{
    unsigned s = a->size, u = a->u, o = a->opc;
    ir_val n = a64_vreg(c, a->rn), m = a64_vreg(c, a->rm), r;
    switch (o) {
    case 0x07: /* cmge, cmhs: not m > n */
        r = vnot(c, vop(c, same_op[0x06][u], s, m, n, IR_NONE, 0));
        break;
    case 0x11: /* cmeq; cmtst: (n & m) != 0 */
        if (u) {
            r = vop(c, IR_VCMPEQ, s, n, m, IR_NONE, 0);
            break;
        }
        r = vop(c, IR_VAND, 0, n, m, IR_NONE, 0);
        r = vnot(c, vop(c, IR_VCMPEQ, s, r, vzero(c), IR_NONE, 0));
        break;
    case 0x0e: case 0x0f: /* sabd uabd; saba uaba */
        r = vabd(c, s, u, n, m);
        if (o == 0x0f)
            r = vop(c, IR_VADD, s, a64_vreg(c, a->rd), r, IR_NONE, 0);
        break;
    case 0x12: /* mla, mls */
        r = vop(c, u ? IR_VSUB : IR_VADD, s, a64_vreg(c, a->rd),
                vop(c, IR_VMUL, s, n, m, IR_NONE, 0), IR_NONE, 0);
        break;
    case 0x14: case 0x15: /* [su]maxp [su]minp: the even lanes against the odd */
        if (!a->q)
            n = vcat(c, n, m), m = vzero(c);
        r = vop(c, IR_VUZP1, s, n, m, IR_NONE, 0);
        r = vop(c, same_op[o][u], s, r, vop(c, IR_VUZP2, s, n, m, IR_NONE, 0), IR_NONE, 0);
        ir_ctx_store(c->b, r, A64_OFF_V(a->rd)); /* 64-bit forms: max(0, 0) above */
        return;
    case 0x17: /* addp: pairs of n:m; the 64-bit form's n:m is one register */
        if (!a->q) {
            r = vop(c, IR_VADDP, s, vcat(c, n, m), vzero(c), IR_NONE, 0);
            ir_ctx_store(c->b, r, A64_OFF_V(a->rd));
            return;
        }
        r = vop(c, IR_VADDP, s, n, m, IR_NONE, 0);
        break;
    default:
        r = vop(c, same_op[o][u], s, n, m, IR_NONE, 0);
        if (o == 0x01 || o == 0x05)
            set_qc(c, r, vop(c, o == 0x01 ? IR_VADD : IR_VSUB, s, n, m, IR_NONE, 0), a->q);
    }
    a64_vreg_set(c, a->rd, r, a->q);
}

static bool int_3same(a64_ctx *c, a64s_args *a)
{
    if (!a->scalar && a->size == 3 && !a->q)
        return false;
    if (!a64v_3same_ok(a->u, a->opc, a->size, a->scalar))
        return false;
    if (!a->scalar && same_in_ir(a)) {
        same_ir(c, a);
        return true;
    }
    return vcall(c, &a64_h_3same, desc_of(a), 0);
}

A64S_TRANS(v3same) { return int_3same(c, a); }
A64S_TRANS(s3same) { return int_3same(c, a); }

/* and bic orr orn (U=0), eor bsl bit bif (U=1), by size */
A64S_TRANS(vlogic)
{
    unsigned op = a->u << 2 | a->size;
    ir_val n = a64_vreg(c, a->rn), m = a->rm == a->rn ? n : a64_vreg(c, a->rm), r;
    ir_val d = op >= 5 ? a64_vreg(c, a->rd) : IR_NONE;
    switch (op) {
    case 0: r = vop(c, IR_VAND, 0, n, m, IR_NONE, 0); break;
    case 1: r = vop(c, IR_VANDN, 0, n, m, IR_NONE, 0); break;
    case 2: r = n == m ? n : vop(c, IR_VOR, 0, n, m, IR_NONE, 0); break; /* mov */
    case 3: r = vop(c, IR_VOR, 0, n, vnot(c, m), IR_NONE, 0); break;
    case 4: r = vop(c, IR_VXOR, 0, n, m, IR_NONE, 0); break;
    case 5: r = vop(c, IR_VBSL, 0, n, m, d, 0); break;   /* d selects n */
    case 6: r = vop(c, IR_VBSL, 0, n, d, m, 0); break;   /* bit: m selects n */
    default: r = vop(c, IR_VBSL, 0, d, n, m, 0); break;  /* bif: m keeps d */
    }
    a64_vreg_set(c, a->rd, r, a->q);
    return true;
}

/* ---- two registers, miscellaneous; across lanes; three different */

/* The vector two-register ops done in IR; false: a helper's */
static bool misc_ir(a64_ctx *c, a64s_args *a)
{
    unsigned s = a->size, u = a->u;
    ir_val n, r, z;
    switch (a->opc) {
    case 0x00: case 0x01: case 0x05: case 0x08: case 0x09: case 0x0a: case 0x0b:
        break;
    case 0x12: /* xtn, xtn2 (the high half, the low one kept) */
        if (u)
            return false;
        r = vop(c, IR_VNARROW, s, a64_vreg(c, a->rn), IR_NONE, IR_NONE, 0);
        if (a->q)
            r = vcat(c, a64_vreg(c, a->rd), r);
        ir_ctx_store(c->b, r, A64_OFF_V(a->rd));
        return true;
    default:
        return false;
    }
    if (a->opc == 0x05 && s != 0) /* rbit */
        return false;
    n = a64_vreg(c, a->rn), z = vzero(c);
    switch (a->opc) {
    case 0x00: r = vop(c, IR_VREV, s, n, IR_NONE, IR_NONE, u ? 2 : 3); break; /* rev64 rev32 */
    case 0x01: r = vop(c, IR_VREV, 0, n, IR_NONE, IR_NONE, 1); break;        /* rev16 */
    case 0x05: r = u ? vnot(c, n) : vop(c, IR_VCNT, 0, n, IR_NONE, IR_NONE, 0); break;
    case 0x08: /* cmgt #0; cmge #0: not 0 > n */
        r = u ? vnot(c, vop(c, IR_VCMPGT, s, z, n, IR_NONE, 0)) : vop(c, IR_VCMPGT, s, n, z, IR_NONE, 0);
        break;
    case 0x09: /* cmeq #0; cmle #0: not n > 0 */
        r = u ? vnot(c, vop(c, IR_VCMPGT, s, n, z, IR_NONE, 0)) : vop(c, IR_VCMPEQ, s, n, z, IR_NONE, 0);
        break;
    case 0x0a: r = vop(c, IR_VCMPGT, s, z, n, IR_NONE, 0); break;            /* cmlt #0 */
    default: r = vop(c, u ? IR_VNEG : IR_VABS, s, n, IR_NONE, IR_NONE, 0); break;
    }
    a64_vreg_set(c, a->rd, r, a->q);
    return true;
}

A64S_TRANS(v2misc)
{
    if (a64_vfp_is_2misc(a))
        return a64_vfp_2misc(c, a);
    bool narrow = a->opc == 0x12 || a->opc == 0x14 || a->opc == 0x13;
    if (a->size == 3 && !a->q && !narrow)
        return false;
    if (!a64v_2misc_ok(a->u, a->opc, a->size, false))
        return false;
    return misc_ir(c, a) || vcall(c, &a64_h_2misc, desc_of(a), 0);
}

A64S_TRANS(s2misc)
{
    if (a64_vfp_is_2misc(a))
        return a64_vfp_2misc(c, a);
    if (!a64v_2misc_ok(a->u, a->opc, a->size, true))
        return false;
    return vcall(c, &a64_h_2misc, desc_of(a), 0);
}

/* [us]addlv: the lanes widened, the halves' sums added, then across */
static ir_val add_long_across(a64_ctx *c, unsigned s, bool u, bool q, ir_val n)
{
    ir_op w = u ? IR_VWIDENU : IR_VWIDENS;
    ir_val x = vop(c, w, s, n, IR_NONE, IR_NONE, 0);
    if (q)
        x = vop(c, IR_VADD, s + 1, x, vop(c, w, s, n, IR_NONE, IR_NONE, 1), IR_NONE, 0);
    if (s < 2)
        return vop(c, IR_VADDV, s + 1, x, IR_NONE, IR_NONE, 0);
    return ir_binop(c->b, IR_ADD, IR_I64, vop(c, IR_VEXTRACT, 3, x, IR_NONE, IR_NONE, 0),
                    vop(c, IR_VEXTRACT, 3, x, IR_NONE, IR_NONE, 1));
}

/* addv, [us]maxv, [us]minv, [us]addlv; the 64-bit forms see the low half
 * (zeroed above for the sums, repeated for max and min) */
A64S_TRANS(vacross)
{
    static const uint8_t ops[2][2] = {{IR_VMAXSV, IR_VMAXUV}, {IR_VMINSV, IR_VMINUV}};
    if (a->opc == 0x0c || a->opc == 0x0f)
        return a64_vfp_across(c, a);
    if (!a64v_across_ok(a->u, a->opc, a->size, a->q))
        return false;
    ir_val n = a64_vreg(c, a->rn), r;
    if (a->opc == 0x03) {
        r = add_long_across(c, a->size, a->u, a->q, n);
    } else if (a->opc == 0x1b) {
        r = vop(c, IR_VADDV, a->size, a->q ? n : a64_vlow(c, n), IR_NONE, IR_NONE, 0);
    } else {
        ir_op op = ops[a->opc == 0x1a][a->u];
        r = vop(c, op, a->size, a->q ? n : vcat(c, n, n), IR_NONE, IR_NONE, 0);
    }
    a64_v_set_scalar(c, a->rd, r);
    return true;
}

/* The vector three-different ops done in IR: long and wide add/sub, and
 * (to 16- and 32-bit lanes) multiplies and absolute differences */
static bool diff_ir(a64_ctx *c, a64s_args *a)
{
    unsigned s = a->size, o = a->opc, w = s + 1;
    bool u = a->u;
    bool mul_abd = o == 5 || o == 7 || o == 8 || o == 0x0a || o == 0x0c; /* vmul, vmax: w <= 2 */
    if (a->scalar || s > 2 || !(o <= 3 || (mul_abd && s <= 1)))
        return false;
    ir_op wop = u ? IR_VWIDENU : IR_VWIDENS;
    ir_val n = a64_vreg(c, a->rn), m = a64_vreg(c, a->rm), r;
    ir_val wm = vop(c, wop, s, m, IR_NONE, IR_NONE, a->q);
    ir_val wn = o == 1 || o == 3 ? n : vop(c, wop, s, n, IR_NONE, IR_NONE, a->q);
    switch (o) {
    case 0: case 1: r = vop(c, IR_VADD, w, wn, wm, IR_NONE, 0); break;
    case 2: case 3: r = vop(c, IR_VSUB, w, wn, wm, IR_NONE, 0); break;
    case 5: case 7: /* the difference of values exact in the wide lanes */
        r = vabd(c, w, false, wn, wm);
        if (o == 5)
            r = vop(c, IR_VADD, w, a64_vreg(c, a->rd), r, IR_NONE, 0);
        break;
    default:
        r = vop(c, IR_VMUL, w, wn, wm, IR_NONE, 0);
        if (o != 0x0c)
            r = vop(c, o == 8 ? IR_VADD : IR_VSUB, w, a64_vreg(c, a->rd), r, IR_NONE, 0);
    }
    ir_ctx_store(c->b, r, A64_OFF_V(a->rd));
    return true;
}

A64S_TRANS(v3diff)
{
    if (!a64v_3diff_ok(a->u, a->opc, a->size, a->scalar))
        return false;
    return diff_ir(c, a) || vcall(c, &a64_h_3diff, desc_of(a), 0);
}

A64S_TRANS(s3diff) { return trans_v3diff(c, a); }

/* scalar pairwise: addp d, v.2d here; the FP ones in a64_trans_vfp.c */
A64S_TRANS(spair)
{
    if (a->u)
        return a64_vfp_pair(c, a);
    if (a->opc != 0x1b || a->size != 3)
        return false;
    ir_val lo = ir_ctx_load(c->b, IR_I64, A64_OFF_V(a->rn));
    ir_val hi = ir_ctx_load(c->b, IR_I64, A64_OFF_VB(a->rn, 8));
    a64_v_set_scalar(c, a->rd, ir_binop(c->b, IR_ADD, IR_I64, lo, hi));
    return true;
}

/* ---- shifts by immediate, by element */

/* sshr ushr ssra usra shl, sshll ushll (sxtl uxtl), shrn in IR; false:
 * a helper's.  Right shifts are 2*esize - immh:immb, left ones
 * immh:immb - esize (1..esize and 0..esize-1). */
static bool shift_ir(a64_ctx *c, a64s_args *a)
{
    unsigned imm = (unsigned)a->imm, immh = imm >> 3, o = a->opc;
    unsigned s = immh >= 8 ? 3 : immh >= 4 ? 2 : immh >= 2 ? 1 : 0, bits = 8u << s;
    unsigned sh_r = 2 * bits - imm, sh_l = imm - bits;
    if (a->scalar || !(o == 0x00 || o == 0x02 || (o == 0x0a && !a->u) || o == 0x14 ||
                       (o == 0x10 && !a->u)))
        return false;
    ir_val n = a64_vreg(c, a->rn), r;
    if (o == 0x14) { /* widen the low or high half, then shift */
        r = vop(c, a->u ? IR_VWIDENU : IR_VWIDENS, s, n, IR_NONE, IR_NONE, a->q);
        if (sh_l)
            r = vop(c, IR_VSHLI, s + 1, r, IR_NONE, IR_NONE, sh_l);
        ir_ctx_store(c->b, r, A64_OFF_V(a->rd));
        return true;
    }
    if (o == 0x10) { /* shrn: the wide lanes shifted, then truncated */
        r = vop(c, IR_VSHRI, s + 1, n, IR_NONE, IR_NONE, sh_r);
        r = vop(c, IR_VNARROW, s, r, IR_NONE, IR_NONE, 0);
        if (a->q)
            r = vcat(c, a64_vreg(c, a->rd), r);
        ir_ctx_store(c->b, r, A64_OFF_V(a->rd));
        return true;
    }
    if (o == 0x0a)
        r = vop(c, IR_VSHLI, s, n, IR_NONE, IR_NONE, sh_l);
    else
        r = vop(c, a->u ? IR_VSHRI : IR_VSARI, s, n, IR_NONE, IR_NONE, sh_r);
    if (o == 0x02)
        r = vop(c, IR_VADD, s, a64_vreg(c, a->rd), r, IR_NONE, 0);
    a64_vreg_set(c, a->rd, r, a->q);
    return true;
}

static bool shift_imm(a64_ctx *c, a64s_args *a)
{
    if (a->opc == 0x1c || a->opc == 0x1f)
        return a64_vfp_shift(c, a);
    unsigned immh = (unsigned)a->imm >> 3;
    if (!a64v_shift_ok(a->u, a->opc, a->scalar, immh, a->q))
        return false;
    return shift_ir(c, a) || vcall(c, &a64_h_shift, desc_of(a), a->imm);
}

A64S_TRANS(vshift) { return shift_imm(c, a); }
A64S_TRANS(sshift) { return shift_imm(c, a); }

/* mul, mla, mls by element: Vm[idx] repeated, then as three-same */
static bool elem_ir(a64_ctx *c, a64s_args *a)
{
    unsigned s = a->size, o = a->opc;
    if (a->scalar || !(a->u ? o == 0 || o == 4 : o == 8))
        return false;
    ir_val y = vop(c, IR_VEXTRACT, s, a64_vreg(c, a->rm), IR_NONE, IR_NONE, a->idx);
    ir_val r = vop(c, IR_VMUL, s, a64_vreg(c, a->rn), vop(c, IR_VDUP, s, y, IR_NONE, IR_NONE, 0),
                   IR_NONE, 0);
    if (a->u)
        r = vop(c, o ? IR_VSUB : IR_VADD, s, a64_vreg(c, a->rd), r, IR_NONE, 0);
    a64_vreg_set(c, a->rd, r, a->q);
    return true;
}

static bool by_elem(a64_ctx *c, a64s_args *a)
{
    if (a64_vfp_is_elem(a))
        return a64_vfp_elem(c, a);
    if (!a64v_elem_ok(a->u, a->opc, a->size, a->scalar))
        return false;
    return elem_ir(c, a) || vcall(c, &a64_h_elem, desc_of(a), a->idx);
}

A64S_TRANS(velem) { return by_elem(c, a); }
A64S_TRANS(selem) { return by_elem(c, a); }

/* ---- permutes.  The 64-bit forms: trn is within pairs, zip1 the low
 * half of the 128-bit zip1 and zip2 its high half; uzp and ext work on
 * the two low halves as one register. */

A64S_TRANS(vperm)
{
    static const uint8_t ops[8] = {0, IR_VUZP1, IR_VTRN1, IR_VZIP1, 0, IR_VUZP2, IR_VTRN2, IR_VZIP2};
    unsigned s = a->size, o = a->opc;
    ir_val n = a64_vreg(c, a->rn), m = a64_vreg(c, a->rm), r;
    if (a->q || o == A64P_TRN1 || o == A64P_ZIP1 || o == A64P_TRN2) {
        a64_vreg_set(c, a->rd, vop(c, ops[o], s, n, m, IR_NONE, 0), a->q);
        return true;
    }
    if (o == A64P_ZIP2) /* the high half of zip1, the rest 0 */
        r = vop(c, IR_VZIP2, 3, vop(c, IR_VZIP1, s, n, m, IR_NONE, 0), vzero(c), IR_NONE, 0);
    else
        r = vop(c, ops[o], s, vcat(c, n, m), vzero(c), IR_NONE, 0);
    ir_ctx_store(c->b, r, A64_OFF_V(a->rd));
    return true;
}

A64S_TRANS(vext)
{
    ir_val n = a64_vreg(c, a->rn), m = a64_vreg(c, a->rm);
    if (!a->q)
        n = m = vcat(c, n, m);
    a64_vreg_set(c, a->rd, vop(c, IR_VEXT, 0, n, m, IR_NONE, a->imm), a->q);
    return true;
}

/* tbl of one register in IR; longer tables and tbx by the helper */
A64S_TRANS(vtbl)
{
    if (a->imm == 1 && !a->u) {
        ir_val t = vop(c, IR_VTBL, 0, a64_vreg(c, a->rn), a64_vreg(c, a->rm), IR_NONE, 0);
        a64_vreg_set(c, a->rd, t, a->q);
        return true;
    }
    a->opc = a->u ? A64P_TBX : A64P_TBL;
    a->size = 0;
    return vcall(c, &a64_h_perm, desc_of(a), a->imm);
}

/* ---- copies: dup, ins, umov, smov (imm5's lowest set bit is the size) */

static ir_val lane_of(a64_ctx *c, unsigned r, unsigned size, unsigned idx)
{
    return vop(c, IR_VEXTRACT, size, a64_vreg(c, r), IR_NONE, IR_NONE, idx);
}

A64S_TRANS(vcopy)
{
    unsigned imm5 = (unsigned)a->imm, size = (unsigned)__builtin_ctz(imm5), idx = imm5 >> (size + 1);
    if (size > 3)
        return false;
    if (a->scalar) { /* dup b/h/s/d, v.t[i] */
        a64_v_set_scalar(c, a->rd, a64_v_get_lane(c, a->rn, size, idx));
        return true;
    }
    if (a->u) { /* ins element */
        if (!a->q)
            return false;
        ir_val v = lane_of(c, a->rn, size, a->opc >> size);
        ir_ctx_store(c->b, vop(c, IR_VINSERT, size, a64_vreg(c, a->rd), v, IR_NONE, idx),
                     A64_OFF_V(a->rd));
        return true;
    }
    ir_val v;
    switch (a->opc) {
    case 0: /* dup element */
    case 1: /* dup general */
        if (size == 3 && !a->q)
            return false;
        v = a->opc ? a64_get_x(c, a->rn, size == 3) : lane_of(c, a->rn, size, idx);
        a64_vreg_set(c, a->rd, vop(c, IR_VDUP, size, v, IR_NONE, IR_NONE, 0), a->q);
        return true;
    case 3: /* ins general */
        if (!a->q)
            return false;
        v = a64_get_x(c, a->rn, size == 3);
        ir_ctx_store(c->b, vop(c, IR_VINSERT, size, a64_vreg(c, a->rd), v, IR_NONE, idx),
                     A64_OFF_V(a->rd));
        return true;
    case 5: /* smov */
        if (size >= 2u + a->q)
            return false;
        v = ir_sext(c->b, IR_I64, lane_of(c, a->rn, size, idx), 8 << size);
        a64_set_x(c, a->rd, v, a->q);
        return true;
    case 7: /* umov: w from b/h/s, x from d */
        if (a->q ? size != 3 : size == 3)
            return false;
        a64_set_x(c, a->rd, lane_of(c, a->rn, size, idx), a->q);
        return true;
    }
    return false;
}

A64S_TRANS(sdup) { return trans_vcopy(c, a); }

/* ---- cryptography: one helper call, the A64C_* operation in opc */

static bool crypto(a64_ctx *c, a64s_args *a, unsigned op)
{
    a->opc = (uint8_t)op;
    return vcall(c, &a64_h_crypto, desc_of(a), 0);
}

A64S_TRANS(aes) { return crypto(c, a, A64C_AESE + (a->opc & 3u)); }

A64S_TRANS(sha3)
{
    unsigned k = a->opc >> 1 & 7; /* sha1c sha1p sha1m sha1su0 sha256h sha256h2 sha256su1 */
    return k < 7 && crypto(c, a, A64C_SHA1C + k);
}

A64S_TRANS(sha2) { return a->opc < 3 && crypto(c, a, A64C_SHA1H + a->opc); }

/* ---- modified immediate: movi, mvni, orr, bic, fmov (AdvSIMDExpandImm) */

static bool expand_imm(unsigned op, unsigned cmode, unsigned imm8, uint64_t *out)
{
    uint64_t i = imm8, r;
    switch (cmode >> 1) {
    case 0: case 1: case 2: case 3:
        r = i << (8 * (cmode >> 1)), r |= r << 32;
        break;
    case 4: case 5:
        r = i << (8 * (cmode >> 1 & 1)), r |= r << 16, r |= r << 32;
        break;
    case 6:
        r = cmode & 1 ? (i << 16 | 0xffff) : (i << 8 | 0xff), r |= r << 32;
        break;
    default:
        if (!(cmode & 1) && !op) {
            r = i * 0x0101010101010101ull;
        } else if (!(cmode & 1)) {
            r = 0;
            for (int k = 0; k < 8; k++)
                r |= (i >> k & 1 ? 0xffull : 0) << (8 * k);
        } else if (!op) {
            r = (uint64_t)a64_fp_expand_imm(imm8, false), r |= r << 32;
        } else {
            r = (uint64_t)a64_fp_expand_imm(imm8, true);
        }
    }
    *out = r;
    return true;
}

A64S_TRANS(vmovi)
{
    unsigned cmode = a->opc, op = a->u;
    bool logic = cmode < 12 && (cmode & 1); /* orr / bic */
    if (a->s || (cmode == 15 && op && !a->q))
        return false; /* o2: FEAT_FP16 fmov; fmov .1d is reserved */
    uint64_t imm;
    expand_imm(op, cmode, (unsigned)a->imm, &imm);
    bool invert = op && cmode < 14; /* mvni and bic invert */
    if (invert)
        imm = ~imm;
    if (!logic) {
        ir_ctx_store(c->b, ir_vconst(c->b, imm, a->q ? imm : 0), A64_OFF_V(a->rd));
        return true;
    }
    ir_val k = ir_vconst(c->b, imm, imm);
    a64_vreg_set(c, a->rd, vop(c, op ? IR_VAND : IR_VOR, 0, a64_vreg(c, a->rd), k, IR_NONE, 0), a->q);
    return true;
}
