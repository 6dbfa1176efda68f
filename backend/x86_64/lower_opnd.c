/* The operand helpers every lowering file shares: where a value is
 * (register, frame slot or immediate), moving it into a register, the
 * destination of a result and its spill, compares, and the same for float
 * and vector values in xmm registers, and the cold paths emitted after a
 * block.
 */
#include <stdlib.h>

#include "backend/x86_64/lower_opnd.h"

static bool f64(ir_type t) { return t == IR_F64; }

x86_opnd lw_opnd(const lw_ctx *c, ir_val v)
{
    const x86_loc *l = &c->loc[v];
    switch (l->kind) {
    case X86_LOC_REG:
        return lw_opnd_reg(l->reg);
    case X86_LOC_SLOT:
        return lw_opnd_mem(lw_slot(l->slot));
    case X86_LOC_CTX:
        return lw_opnd_mem(x86_mem_at(X86_R15, l->slot));
    default:
        return (x86_opnd){.kind = OPND_IMM, .imm = x86_const_value(&c->b->insns[v])};
    }
}

unsigned lw_vsize(const lw_ctx *c, ir_val v)
{
    return lw_size(c->b->insns[v].type);
}

bool lw_is_reg(x86_opnd o, int r)
{
    return o.kind == OPND_REG && o.reg == r;
}

void lw_mov(lw_ctx *c, unsigned sz, int r, x86_opnd o, bool keep_flags)
{
    if (o.kind == OPND_REG) {
        if (o.reg != r)
            emit_rr(&c->buf, sz, MOV_GvEv, r, o.reg);
    } else if (o.kind == OPND_MEM) {
        emit_rm(&c->buf, sz, MOV_GvEv, r, o.mem);
    } else if (o.imm == 0 && !keep_flags) {
        emit_zero(&c->buf, r);
    } else {
        emit_mov_ri(&c->buf, r, sz == 4 ? (uint32_t)o.imm : (uint64_t)o.imm);
    }
}

void lw_mov_result(lw_ctx *c, unsigned sz, int r, x86_opnd o)
{
    if (sz == 4 && lw_is_reg(o, r))
        emit_rr(&c->buf, 4, MOV_GvEv, r, r);
    else
        lw_mov(c, sz, r, o, false);
}

/* Whether the insns in (v, u) leave register r as it is: they write no
 * code, or are ctx loads into other registers. */
bool lw_keeps_reg(const lw_ctx *c, ir_val v, ir_val u, int r)
{
    for (ir_val k = lw_skip_quiet(c, v + 1); k < u; k = lw_skip_quiet(c, k + 1))
        if (c->b->insns[k].op != IR_CTX_LOAD || c->loc[k].kind != X86_LOC_REG ||
            c->loc[k].reg == r)
            return false;
    return true;
}

/* A 64-bit shift left by 1-3 of a register whose one use soon after
 * (lw_keeps_reg) is the address of a load or store without an index, at a
 * 32-bit displacement: that access's [x * 2^k + disp32] (lw_mem_addr);
 * the shift itself writes nothing.  (aarch64's `ldr w1, [x0, w2, sxtw
 * #2]` with x0 a constant: a table lookup.) */
bool lw_scales_into_addr(const lw_ctx *c, ir_val v, ir_val *x, unsigned *k)
{
    const ir_insn *in = &c->b->insns[v];
    if (in->op != IR_SHL || in->type != IR_I64)
        return false;
    x86_opnd xo = lw_opnd(c, in->a[0]), n = lw_opnd(c, in->a[1]);
    ir_val u = c->loc[v].end;
    const ir_insn *m = &c->b->insns[u];
    if (xo.kind != OPND_REG || n.kind != OPND_IMM || n.imm < 1 || n.imm > 3 || u <= v ||
        (m->op != IR_LOAD && m->op != IR_STORE) || m->a[0] != v ||
        m->a[ir_mem_index(m)] != IR_NONE || (m->op == IR_STORE && m->a[1] == v) ||
        m->imm != (int32_t)m->imm || !lw_keeps_reg(c, v, u, xo.reg))
        return false;
    *x = in->a[0];
    *k = (unsigned)n.imm;
    return true;
}

x86_mem lw_mem_addr(lw_ctx *c, const ir_insn *in)
{
    ir_val ix = in->a[ir_mem_index(in)], x;
    unsigned scale;
    if (ix == IR_NONE && lw_scales_into_addr(c, in->a[0], &x, &scale))
        return x86_mem_index(X86_ABS, lw_opnd(c, x).reg, scale, (int32_t)in->imm);
    x86_opnd k = lw_opnd(c, in->a[0]);
    /* a constant address below 2^31 (a static program's globals): [disp32] */
    if (ix == IR_NONE && k.kind == OPND_IMM && k.imm + in->imm >= 0 &&
        k.imm + in->imm <= INT32_MAX)
        return x86_mem_at(X86_ABS, (int32_t)(k.imm + in->imm));
    int a = lw_reg(c, in->a[0], X86_R11);
    if (ix == IR_NONE)
        return x86_mem_at(a, (int32_t)in->imm);
    return x86_mem_index(a, lw_reg(c, ix, X86_RCX), (unsigned)in->imm2, (int32_t)in->imm);
}

int lw_reg(lw_ctx *c, ir_val v, int scratch)
{
    x86_opnd o = lw_opnd(c, v);
    if (o.kind == OPND_REG)
        return o.reg;
    lw_mov(c, lw_vsize(c, v), scratch, o, false);
    return scratch;
}

void lw_alu(lw_ctx *c, unsigned sz, unsigned op, int ext, int r, x86_opnd o)
{
    if (o.kind == OPND_REG)
        emit_rr(&c->buf, sz, op, r, o.reg);
    else if (o.kind == OPND_MEM)
        emit_rm(&c->buf, sz, op, r, o.mem);
    else
        emit_ri(&c->buf, sz, ext, r, o.imm);
}

static int64_t ext_const(int64_t v, int bits, bool sign)
{
    if (bits >= 64)
        return v;
    uint64_t m = (UINT64_C(1) << bits) - 1, u = (uint64_t)v & m;
    if (sign && (u >> (bits - 1)))
        u |= ~m;
    return (int64_t)u;
}

void lw_ext(lw_ctx *c, unsigned sz, int r, x86_opnd o, int bits, bool sign)
{
    if (o.kind == OPND_IMM) {
        int64_t v = ext_const(o.imm, bits, sign);
        lw_mov(c, sz, r, (x86_opnd){.kind = OPND_IMM, .imm = v}, false);
        return;
    }
    unsigned op, osz = sz;
    if (bits == 8 || bits == 16) {
        op = bits == 8 ? (sign ? MOVSX_GvEb : MOVZX_GvEb) : (sign ? MOVSX_GvEw : MOVZX_GvEw);
        osz = sign ? sz : 4; /* movzx r32 already clears the upper half */
        if (bits == 8)
            osz |= X86_BM;
    } else if (bits == 32 && sign && sz == 8) {
        op = MOVSXD_GvEd;
    } else if (bits == 32) {
        op = MOV_GvEv; /* mov r32 zero-extends: emitted even onto itself */
        osz = 4;
    } else {
        lw_mov(c, 8, r, o, false);
        return;
    }
    if (o.kind == OPND_REG)
        emit_rr(&c->buf, osz, op, r, o.reg);
    else
        emit_rm(&c->buf, osz, op, r, o.mem);
}

int lw_dst(const lw_ctx *c, ir_val i)
{
    return c->loc[i].kind == X86_LOC_REG ? c->loc[i].reg : X86_R11;
}

void lw_dst_done(lw_ctx *c, ir_val i, int r)
{
    if (c->loc[i].kind == X86_LOC_SLOT || c->loc[i].kind == X86_LOC_CTX)
        emit_rm(&c->buf, 8, MOV_EvGv, r, lw_opnd(c, i).mem);
}

static const uint8_t cc_of[IR_NUM_CONDS] = {
    [IR_EQ] = X86_CC_E, [IR_NE] = X86_CC_NE, [IR_LT] = X86_CC_L, [IR_GE] = X86_CC_GE,
    [IR_LE] = X86_CC_LE, [IR_GT] = X86_CC_G, [IR_LTU] = X86_CC_B, [IR_GEU] = X86_CC_AE,
    [IR_LEU] = X86_CC_BE, [IR_GTU] = X86_CC_A,
};

/* y cond' x  ==  x cond y */
static const uint8_t cond_swapped[IR_NUM_CONDS] = {
    [IR_EQ] = IR_EQ, [IR_NE] = IR_NE, [IR_LT] = IR_GT, [IR_GE] = IR_LE,
    [IR_LE] = IR_GE, [IR_GT] = IR_LT, [IR_LTU] = IR_GTU, [IR_GEU] = IR_LEU,
    [IR_LEU] = IR_GEU, [IR_GTU] = IR_LTU,
};

bool lw_compared(const lw_ctx *c, unsigned sz, ir_val x, ir_val y)
{
    if (c->flags_live == IR_NONE || c->flags_at != c->cur)
        return false;
    const ir_insn *f = &c->b->insns[c->flags_live];
    return f->op == IR_FLAGS_SUB && f->a[0] == x && f->a[1] == y && (f->imm == 32 ? 4u : 8u) == sz;
}

int lw_cmp(lw_ctx *c, unsigned sz, ir_cond cond, ir_val x, ir_val y)
{
    if (lw_compared(c, sz, x, y))
        return cc_of[cond];
    x86_opnd ox = lw_opnd(c, x), oy = lw_opnd(c, y);
    if (ox.kind == OPND_IMM && oy.kind != OPND_IMM) {
        x86_opnd t = ox;
        ox = oy;
        oy = t;
        cond = (ir_cond)cond_swapped[cond];
    }
    if (ox.kind == OPND_IMM || (ox.kind == OPND_MEM && oy.kind == OPND_MEM)) {
        lw_mov(c, sz, X86_R11, ox, false);
        ox = lw_opnd_reg(X86_R11);
    }
    if (ox.kind == OPND_REG && oy.kind == OPND_IMM && oy.imm == 0)
        emit_rr(&c->buf, sz, TEST_EvGv, ox.reg, ox.reg); /* same flags as cmp r, 0 */
    else if (ox.kind == OPND_REG)
        lw_alu(c, sz, CMP_GvEv, ALU_CMP, ox.reg, oy);
    else if (oy.kind == OPND_REG)
        emit_rm(&c->buf, sz, CMP_EvGv, oy.reg, ox.mem);
    else
        emit_mi(&c->buf, sz, ALU_CMP, ox.mem, oy.imm);
    return cc_of[cond];
}

x86_opnd lw_fopnd(const lw_ctx *c, ir_val v)
{
    x86_opnd o = lw_opnd(c, v);
    if (o.kind == OPND_REG && X86_IS_XMM(o.reg))
        o.reg = (uint8_t)(o.reg - X86_XMM(0));
    return o;
}

uint32_t lw_sse(ir_type t, uint32_t sd_op)
{
    uint32_t p = sd_op >> 24, op = sd_op & 0xffffff;
    if (t != IR_F32)
        return sd_op;
    return p == 0xf2 ? X86_PFX(0xf3, op) : p == 0x66 ? op : sd_op;
}

/* The load and store of an xmm value of type t to or from memory. */
static uint32_t xmm_load_op(ir_type t)
{
    return t == IR_V128 ? MOVUPS_VxWx : f64(t) ? MOVSD_VxWx : MOVSS_VxWx;
}

uint32_t lw_xmm_store_op(ir_type t)
{
    return t == IR_V128 ? MOVUPS_WxVx : f64(t) ? MOVSD_WxVx : MOVSS_WxVx;
}

void lw_fload(lw_ctx *c, ir_type t, int x, x86_opnd o)
{
    if (o.kind == OPND_REG && o.reg != x)
        emit_pfx_rr(&c->buf, 4, MOVAPS_VxWx, x, o.reg);
    else if (o.kind == OPND_MEM)
        emit_pfx_rm(&c->buf, 4, xmm_load_op(t), x, o.mem);
}

int lw_freg(lw_ctx *c, ir_val v, int scratch)
{
    x86_opnd o = lw_fopnd(c, v);
    if (o.kind == OPND_REG)
        return o.reg;
    lw_fload(c, (ir_type)c->b->insns[v].type, scratch, o);
    return scratch;
}

int lw_fdst(const lw_ctx *c, ir_val i)
{
    return c->loc[i].kind == X86_LOC_REG ? c->loc[i].reg - X86_XMM(0) : X86_XS1;
}

void lw_fdst_done(lw_ctx *c, ir_val i, int x)
{
    if (c->loc[i].kind == X86_LOC_SLOT)
        emit_pfx_rm(&c->buf, 4, lw_xmm_store_op((ir_type)c->b->insns[i].type), x, lw_fopnd(c, i).mem);
}

/* ---- cold paths (lower_opnd.h) ---- */

static int add_cold(lw_ctx *c, lw_cold s)
{
    if (c->n_cold == c->cap_cold) {
        c->cap_cold = c->cap_cold ? 2 * c->cap_cold : 16;
        c->cold = realloc(c->cold, (size_t)c->cap_cold * sizeof *c->cold);
        if (!c->cold)
            abort();
    }
    c->cold[c->n_cold] = s;
    return c->n_cold++;
}

int lw_cold_jcc(lw_ctx *c, int cc, lw_cold_fn *fn, ir_val i, int arg)
{
    return add_cold(c, (lw_cold){.jcc = emit_jcc32_fwd(&c->buf, cc), .fn = fn, .i = i,
                                 .arg = arg});
}

#define NO_RESUME SIZE_MAX

void lw_cold_call(lw_ctx *c, lw_cold_fn *fn, ir_val i)
{
    emit_nop(&c->buf, (unsigned)(-(c->rx + c->buf.len + 1) & 3));
    size_t at = c->buf.len;
    emit_call32(&c->buf, 0);
    add_cold(c, (lw_cold){.jcc = at + 1, .resume = NO_RESUME, .fn = fn, .i = i, .arg = (int)at});
}

void lw_cold_resume(lw_ctx *c, int k)
{
    c->cold[k].resume = c->buf.len;
}

void lw_cold_emit(lw_ctx *c)
{
    for (int k = 0; k < c->n_cold && !c->bad; k++) {
        lw_cold s = c->cold[k]; /* (fn may add cold paths of its own) */
        x86_bind32(&c->buf, s.jcc);
        s.fn(c, s.i, s.arg);
        if (s.resume != NO_RESUME)
            emit_jmp32(&c->buf, (int32_t)((int64_t)s.resume - (int64_t)(c->buf.len + 5)));
    }
}

/* ---- Outside addresses (x86_lowered.relocs) */

void lw_reloc(lw_ctx *c, unsigned kind, size_t off)
{
    x86_lowered *o = c->out;
    if (o->n_relocs == X86_MAX_RELOCS || off > X86_RELOC_OFF(UINT32_MAX))
        o->movable = false;
    else
        o->relocs[o->n_relocs++] = X86_RELOC(kind, off);
}

/* The rel32 from the end of an insn of len bytes about to be emitted to
 * p, if it reaches (the code buffer is placed near Ferry's image:
 * tcache_new). */
static bool host_rel(const lw_ctx *c, const void *p, unsigned len, int32_t *rel)
{
    int64_t d = (int64_t)((uint64_t)(uintptr_t)p - (c->rx + c->buf.len + len));
    *rel = (int32_t)d;
    return d == *rel;
}

void lw_host_addr(lw_ctx *c, int r, const void *p)
{
    int32_t rel;
    if (host_rel(c, p, 7, &rel)) { /* lea r, [rip + rel] */
        emit_rm(&c->buf, 8, LEA_GvM, r, x86_mem_at(X86_RIP, rel));
        lw_reloc(c, X86_RELOC_HOST32, c->buf.len - 4);
    } else {
        emit_mov_ri64(&c->buf, r, (uint64_t)(uintptr_t)p);
        lw_reloc(c, X86_RELOC_HOST64, c->buf.len - 8);
    }
}

void lw_host_call(lw_ctx *c, const void *fn)
{
    int32_t rel;
    if (host_rel(c, fn, 5, &rel)) {
        emit_call32(&c->buf, rel);
        lw_reloc(c, X86_RELOC_HOST32, c->buf.len - 4);
    } else {
        lw_host_addr(c, X86_RAX, fn);
        emit_call_r(&c->buf, X86_RAX);
    }
}

/* Insns whose lowering writes no code (x86_lower_block then keeps the
 * EFLAGS it found, and every register as it was): predictions of what
 * follows an insn must agree with it. */
static bool emits_nothing(const lw_ctx *c, ir_val j)
{
    const ir_insn *in = &c->b->insns[j];
    return in->op == IR_INSN_START || (in->op == IR_CONST && c->loc[j].kind == X86_LOC_IMM);
}

ir_val lw_skip_quiet(const lw_ctx *c, ir_val j)
{
    while (j < c->b->n && emits_nothing(c, j))
        j++;
    return j;
}
