/* AArch64 SIMD&FP loads and stores -> IR: ldr/str/ldur/stur/ldp/stp of
 * b/h/s/d/q registers (all addressing modes, literals), ld1-4/st1-4 of
 * multiple structures, single lanes and ldNr.  Every memory access is an
 * IR load or store (so a fault is at a known guest pc); all loads of an
 * instruction come before its register writes.  ld2-4/st2-4 of multiple
 * structures move 64-bit words between memory and a64_h_ldst, which
 * interleaves them; q registers move as v128 values, lanes by VINSERT
 * and VEXTRACT, the rest as whole 8-byte context slots.
 */
#include "frontend/aarch64/a64_simd_trans.h"

static ir_val k64(a64_ctx *c, int64_t v) { return ir_const(c->b, IR_I64, v); }

static ir_val add(a64_ctx *c, ir_val x, int64_t k)
{
    return k ? ir_binop(c->b, IR_ADD, IR_I64, x, k64(c, k)) : x;
}

/* ---- one whole register of 1 << size bytes (size 4: q) */

/* the memop of a v128 access: its size is the type's */
#define M128 IR_M64

/* 1 << size bytes at addr: a v128, else an i64 (zero-extended) */
static ir_val load_reg(a64_ctx *c, unsigned size, ir_val addr)
{
    if (size == 4)
        return ir_load(c->b, IR_V128, M128, addr);
    return ir_load(c->b, IR_I64, (ir_memop)size, addr);
}

/* a loaded value into register r, the rest of it zeroed */
static void put_reg(a64_ctx *c, unsigned r, ir_val v)
{
    ir_ctx_store(c->b, v, A64_OFF_V(r));
    if (c->b->insns[v].type != IR_V128)
        ir_ctx_store(c->b, k64(c, 0), A64_OFF_VB(r, 8));
}

static void store_reg(a64_ctx *c, unsigned r, unsigned size, ir_val addr)
{
    if (size == 4)
        ir_store(c->b, M128, addr, a64_vreg(c, r));
    else
        ir_store(c->b, (ir_memop)size, addr, ir_ctx_load(c->b, IR_I64, A64_OFF_V(r)));
}

/* ldr/str of Rt at addr, then the base write-back (if any) */
static bool single_reg(a64_ctx *c, a64s_args *a, ir_val addr, ir_val wb)
{
    if (a->opc & 1)
        put_reg(c, a->rd, load_reg(c, a->size, addr));
    else
        store_reg(c, a->rd, a->size, addr);
    if (wb != IR_NONE)
        a64_set_xsp(c, a->rn, wb, true);
    return true;
}

static bool imm_form(a64_ctx *c, a64s_args *a)
{
    ir_val base = a64_get_xsp(c, a->rn, true);
    ir_val moved = add(c, base, a->imm);
    ir_val addr = a->mode == A64S_POST ? base : moved;
    return single_reg(c, a, addr, a->mode == A64S_OFFSET ? IR_NONE : moved);
}

A64S_TRANS(vls_uimm) { return imm_form(c, a); }
A64S_TRANS(vls_unscaled) { return imm_form(c, a); }
A64S_TRANS(vls_post) { return imm_form(c, a); }
A64S_TRANS(vls_pre) { return imm_form(c, a); }

/* [Xn, Rm, extend #shift]: uxtw, lsl (uxtx), sxtw, sxtx */
A64S_TRANS(vls_reg)
{
    ir_block *b = c->b;
    ir_val off = a64_get_x(c, a->rm, true);
    if ((a->opt & 3) == 2)
        off = (a->opt & 4) ? ir_sext(b, IR_I64, off, 32) : ir_zext(b, IR_I64, off, 32);
    if (a->s && a->size)
        off = ir_binop(b, IR_SHL, IR_I64, off, k64(c, a->size));
    ir_val addr = ir_binop(b, IR_ADD, IR_I64, a64_get_xsp(c, a->rn, true), off);
    return single_reg(c, a, addr, IR_NONE);
}

A64S_TRANS(vldr_lit)
{
    put_reg(c, a->rd, load_reg(c, a->size, k64(c, (int64_t)(c->pc + (uint64_t)a->imm))));
    return true;
}

/* ldp/stp/ldnp/stnp; u is L.  A load pair into one register is
 * CONSTRAINED UNPREDICTABLE: Ferry gives it the second value. */
A64S_TRANS(vls_pair)
{
    unsigned es = 1u << a->size;
    ir_val base = a64_get_xsp(c, a->rn, true);
    ir_val moved = add(c, base, a->imm);
    ir_val addr = a->mode == A64S_POST ? base : moved;
    if (a->u) {
        ir_val v1 = load_reg(c, a->size, addr), v2 = load_reg(c, a->size, add(c, addr, es));
        put_reg(c, a->rd, v1);
        put_reg(c, a->ra, v2);
    } else {
        store_reg(c, a->rd, a->size, addr);
        store_reg(c, a->ra, a->size, add(c, addr, es));
    }
    if (a->mode != A64S_OFFSET)
        a64_set_xsp(c, a->rn, moved, true);
    return true;
}

/* post-index by Rm, or (Rm = 31) by the bytes moved */
static void post_index(a64_ctx *c, a64s_args *a, ir_val base, unsigned bytes)
{
    if (a->mode != A64S_POST_REG)
        return;
    ir_val inc = a->rm == 31 ? k64(c, bytes) : a64_get_x(c, a->rm, true);
    a64_set_xsp(c, a->rn, ir_binop(c->b, IR_ADD, IR_I64, base, inc), true);
}

/* ---- multiple structures */

A64S_TRANS(vls_multi)
{
    static const uint8_t rpt[16] = {[0] = 1, [2] = 4, [4] = 1, [6] = 3, [7] = 1, [8] = 1, [10] = 2};
    static const uint8_t selem[16] = {[0] = 4, [2] = 1, [4] = 3, [6] = 1, [7] = 1, [8] = 2, [10] = 1};
    unsigned op = a->opc, nregs = rpt[op] * selem[op], rbytes = a->q ? 16 : 8;
    if (!rpt[op] || (a->size == 3 && !a->q && selem[op] > 1))
        return false;
    ir_block *b = c->b;
    ir_val base = a64_get_xsp(c, a->rn, true);
    unsigned words = nregs * rbytes / 8;
    if (selem[op] == 1) { /* ld1/st1: consecutive registers, whole */
        unsigned size = a->q ? 4 : 3;
        ir_val w[4];
        for (unsigned r = 0; r < nregs; r++) {
            if (a->u)
                w[r] = load_reg(c, size, add(c, base, r * rbytes));
            else
                store_reg(c, (a->rd + r) % 32, size, add(c, base, r * rbytes));
        }
        for (unsigned r = 0; a->u && r < nregs; r++)
            put_reg(c, (a->rd + r) % 32, w[r]);
    } else { /* interleaved: a64_h_ldst per word */
        uint64_t desc = A64V_D(a->rd) | A64V_SIZE(a->size) | A64V_Q(a->q) | A64V_U(a->u) |
                        A64V_OPC(nregs);
        ir_val w[8];
        for (unsigned i = 0; a->u && i < words; i++)
            w[i] = ir_load(b, IR_I64, IR_M64, add(c, base, 8 * i));
        for (unsigned i = 0; i < words; i++) {
            ir_val v = ir_call(b, &a64_h_ldst, k64(c, (int64_t)desc), k64(c, i),
                               a->u ? w[i] : k64(c, 0));
            if (!a->u)
                ir_store(b, IR_M64, add(c, base, 8 * i), v);
        }
        for (unsigned r = 0; a->u && !a->q && r < nregs; r++)
            a64_v_zero_from(c, (a->rd + r) % 32, 8);
    }
    post_index(c, a, base, words * 8);
    return true;
}

A64S_TRANS(vls_multi_post) { return trans_vls_multi(c, a); }

/* ---- single structure: one lane of 1-4 registers, or ldNr */

A64S_TRANS(vls_single)
{
    ir_block *b = c->b;
    unsigned scale = a->opc >> 1, n = ((a->opc & 1) << 1 | a->opt) + 1, idx, size;
    bool repl = scale == 3;
    if (repl) {
        if (!a->u || a->s)
            return false;
        size = a->size, idx = 0;
    } else if (scale == 0) {
        size = 0, idx = a->q << 3 | a->s << 2 | a->size;
    } else if (scale == 1) {
        if (a->size & 1)
            return false;
        size = 1, idx = a->q << 2 | a->s << 1 | a->size >> 1;
    } else if (!(a->size & 1)) {
        if (a->size & 2)
            return false;
        size = 2, idx = a->q << 1 | a->s;
    } else {
        if (a->size != 1 || a->s)
            return false;
        size = 3, idx = a->q;
    }
    unsigned es = 1u << size;
    ir_val base = a64_get_xsp(c, a->rn, true), v[4];
    if (a->u) {
        for (unsigned k = 0; k < n; k++)
            v[k] = ir_load(b, IR_I64, (ir_memop)size, add(c, base, k * es));
        for (unsigned k = 0; k < n; k++) {
            unsigned r = (a->rd + k) % 32;
            if (repl)
                a64_vreg_set(c, r, ir_vop(b, IR_VDUP, size, v[k], IR_NONE, IR_NONE, 0), a->q);
            else
                ir_ctx_store(b, ir_vop(b, IR_VINSERT, size, a64_vreg(c, r), v[k], IR_NONE, idx),
                             A64_OFF_V(r));
        }
    } else {
        for (unsigned k = 0; k < n; k++) {
            ir_val r = a64_vreg(c, (a->rd + k) % 32);
            ir_store(b, (ir_memop)size, add(c, base, k * es),
                     ir_vop(b, IR_VEXTRACT, size, r, IR_NONE, IR_NONE, idx));
        }
    }
    post_index(c, a, base, n * es);
    return true;
}

A64S_TRANS(vls_single_post) { return trans_vls_single(c, a); }
