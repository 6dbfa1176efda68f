/* Lowering of integer arithmetic (shifts and rotates too), extension,
 * compare and select.  i32 ops work on 32-bit registers, whose writes zero
 * the upper half: an i32 value in a register is always kept zero-extended.
 */
#include "backend/x86_64/lower_opnd.h"

static const struct { uint16_t op; uint8_t ext; } alu_of[] = {
    [IR_ADD] = {ADD_GvEv, ALU_ADD}, [IR_SUB] = {SUB_GvEv, ALU_SUB},
    [IR_AND] = {AND_GvEv, ALU_AND}, [IR_OR] = {OR_GvEv, ALU_OR},
    [IR_XOR] = {XOR_GvEv, ALU_XOR},
};

/* add/sub of a constant to a register into another: lea d, [a + k];
 * an add of two registers into a third: lea d, [a + b] (no mov first) */
static bool try_lea(lw_ctx *c, const ir_insn *in, int d, x86_opnd a, x86_opnd k)
{
    if ((in->op != IR_ADD && in->op != IR_SUB) || a.kind != OPND_REG || a.reg == d)
        return false;
    if (in->op == IR_ADD && k.kind == OPND_REG && k.reg != d) {
        int index = k.reg == X86_RSP ? a.reg : k.reg; /* (rsp cannot index) */
        int base = k.reg == X86_RSP ? k.reg : a.reg;
        emit_rm(&c->buf, lw_size(in->type), LEA_GvM, d, x86_mem_index(base, index, 0, 0));
        return true;
    }
    if (k.kind != OPND_IMM)
        return false;
    int64_t disp = in->op == IR_ADD ? k.imm : -k.imm;
    if (!x86_fits32(disp))
        return false;
    emit_rm(&c->buf, lw_size(in->type), LEA_GvM, d, x86_mem_at(a.reg, (int32_t)disp));
    return true;
}

/* A shift left by 1-3 of a register whose one use is an add soon after it
 * (lw_keeps_reg) with another register: the add's lea index, lea d,
 * [y + x * 2^k]; the shift itself writes nothing. */
static bool scales_into_add(const lw_ctx *c, ir_val v, ir_val *x, unsigned *k, ir_val *y)
{
    const ir_insn *in = &c->b->insns[v];
    x86_opnd xo = lw_opnd(c, in->a[0]);
    if (in->op != IR_SHL || xo.kind != OPND_REG)
        return false;
    x86_opnd n = lw_opnd(c, in->a[1]);
    ir_val u = c->loc[v].end;
    const ir_insn *add = &c->b->insns[u];
    if (n.kind != OPND_IMM || n.imm < 1 || n.imm > 3 || u <= v || !lw_keeps_reg(c, v, u, xo.reg) ||
        add->op != IR_ADD || add->type != in->type || (add->a[0] == v) == (add->a[1] == v))
        return false;
    *y = add->a[0] == v ? add->a[1] : add->a[0];
    *x = in->a[0];
    *k = (unsigned)n.imm;
    return lw_opnd(c, *y).kind == OPND_REG;
}

/* an add of such a shift: lea d, [y + x * 2^k] (lea reads all before it writes) */
static bool try_scaled_lea(lw_ctx *c, const ir_insn *in, int d)
{
    ir_val x, y;
    unsigned k;
    for (int j = 0; j < 2 && in->op == IR_ADD; j++)
        if (c->b->insns[in->a[j]].op == IR_SHL && scales_into_add(c, in->a[j], &x, &k, &y)) {
            x86_mem m = x86_mem_index(lw_opnd(c, y).reg, lw_opnd(c, x).reg, k, 0);
            emit_rm(&c->buf, lw_size(in->type), LEA_GvM, d, m);
            return true;
        }
    return false;
}

/* Whether op with immediate b leaves its other operand as it is. */
static bool is_identity(ir_op op, unsigned sz, x86_opnd b)
{
    if (b.kind != OPND_IMM)
        return false;
    int64_t k = sz == 4 ? (int32_t)b.imm : b.imm;
    switch (op) {
    case IR_ADD: case IR_SUB: case IR_OR: case IR_XOR: return k == 0;
    case IR_AND: return k == -1;
    default: return false;
    }
}

void lw_binop(lw_ctx *c, ir_val i, const ir_insn *in)
{
    unsigned sz = lw_size(in->type);
    int d = lw_dst(c, i);
    x86_opnd a = lw_opnd(c, in->a[0]), b = lw_opnd(c, in->a[1]);
    if (a.kind == OPND_IMM && b.kind != OPND_IMM && in->op != IR_SUB) {
        x86_opnd t = a; /* commutes: keep the immediate second */
        a = b;
        b = t;
    }
    if (!try_scaled_lea(c, in, d) && !try_lea(c, in, d, a, b)) {
        /* (an i32 result is zero-extended: by the op, or by a 32-bit mov) */
        if (is_identity((ir_op)in->op, sz, b)) {
            lw_mov_result(c, sz, d, a);
        } else {
            lw_mov(c, sz, d, a, false);
            lw_alu(c, sz, alu_of[in->op].op, alu_of[in->op].ext, d, b);
        }
    }
    lw_dst_done(c, i, d);
}

void lw_shift(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_val x, y;
    unsigned k;
    if (scales_into_add(c, i, &x, &k, &y) || lw_scales_into_addr(c, i, &x, &k))
        return; /* (the add or the access reads x scaled) */
    static const uint8_t ext[] = {[IR_SHL] = SHIFT_SHL, [IR_SHR] = SHIFT_SHR, [IR_SAR] = SHIFT_SAR,
                                  [IR_ROTL] = SHIFT_ROL, [IR_ROTR] = SHIFT_ROR};
    unsigned sz = lw_size(in->type);
    int d = lw_dst(c, i);
    x86_opnd n = lw_opnd(c, in->a[1]);
    if (n.kind == OPND_IMM) {
        uint8_t k = (uint8_t)(n.imm & (sz * 8 - 1));
        if (k) {
            lw_mov(c, sz, d, lw_opnd(c, in->a[0]), false);
            emit_shift_ri(&c->buf, sz, ext[in->op], d, k);
        } else {
            lw_mov_result(c, sz, d, lw_opnd(c, in->a[0]));
        }
    } else {
        lw_mov(c, 4, X86_RCX, n, false); /* the cpu masks cl mod width */
        lw_mov(c, sz, d, lw_opnd(c, in->a[0]), false);
        emit_xr(&c->buf, sz, GRP2_EvCL, ext[in->op], d);
    }
    lw_dst_done(c, i, d);
}

void lw_mul(lw_ctx *c, ir_val i, const ir_insn *in)
{
    unsigned sz = lw_size(in->type);
    int d = lw_dst(c, i);
    x86_opnd a = lw_opnd(c, in->a[0]), b = lw_opnd(c, in->a[1]);
    if (a.kind == OPND_IMM) {
        x86_opnd t = a;
        a = b;
        b = t;
    }
    if (b.kind == OPND_IMM && a.kind == OPND_IMM) {
        lw_mov(c, sz, d, a, false);
        emit_imul_rri(&c->buf, sz, d, d, (int32_t)b.imm);
    } else if (b.kind == OPND_IMM && a.kind == OPND_REG) {
        emit_imul_rri(&c->buf, sz, d, a.reg, (int32_t)b.imm);
    } else if (b.kind == OPND_IMM) {
        emit_imul_rmi(&c->buf, sz, d, a.mem, (int32_t)b.imm);
    } else {
        lw_mov(c, sz, d, a, false);
        lw_alu(c, sz, IMUL_GvEv, 0, d, b);
    }
    lw_dst_done(c, i, d);
}

/* High half, i64: mul/imul into rdx:rax; MULHSU corrects the unsigned high
 * half: hi(a *su b) = hi(a *u b) - (a < 0 ? b : 0). */
static void mulh64(lw_ctx *c, const ir_insn *in, int d)
{
    lw_mov(c, 8, X86_RAX, lw_opnd(c, in->a[0]), false);
    x86_opnd b = lw_opnd(c, in->a[1]);
    if (b.kind == OPND_IMM || in->op == IR_MULHSU)
        b = lw_opnd_reg(lw_reg(c, in->a[1], X86_RCX));
    int ext = in->op == IR_MULHS ? G3_IMUL : G3_MUL;
    if (b.kind == OPND_REG)
        emit_xr(&c->buf, 8, GRP3_Ev, ext, b.reg);
    else
        emit_xm(&c->buf, 8, GRP3_Ev, ext, b.mem);
    if (in->op == IR_MULHSU) {
        lw_mov(c, 8, X86_R11, lw_opnd(c, in->a[0]), false);
        emit_shift_ri(&c->buf, 8, SHIFT_SAR, X86_R11, 63);
        emit_rr(&c->buf, 8, AND_GvEv, X86_R11, b.reg);
        emit_rr(&c->buf, 8, SUB_GvEv, X86_RDX, X86_R11);
    }
    emit_rr(&c->buf, 8, MOV_GvEv, d, X86_RDX);
}

/* High half, i32: one 64-bit multiply of the extended operands, exact. */
static void mulh32(lw_ctx *c, const ir_insn *in, int d)
{
    bool sa = in->op != IR_MULHU, sb = in->op == IR_MULHS;
    lw_ext(c, 8, X86_R11, lw_opnd(c, in->a[0]), 32, sa);
    lw_ext(c, 8, X86_RAX, lw_opnd(c, in->a[1]), 32, sb);
    emit_rr(&c->buf, 8, IMUL_GvEv, X86_R11, X86_RAX);
    emit_shift_ri(&c->buf, 8, SHIFT_SHR, X86_R11, 32);
    if (d != X86_R11)
        emit_rr(&c->buf, 4, MOV_GvEv, d, X86_R11);
}

void lw_mulh(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int d = lw_dst(c, i);
    if (in->type == IR_I32)
        mulh32(c, in, d);
    else
        mulh64(c, in, d);
    lw_dst_done(c, i, d);
}

/* A divisor that can be neither 0 nor -1 needs no checks. */
static bool divisor_safe(x86_opnd b, unsigned sz, bool sign)
{
    int64_t v = sz == 4 ? (int64_t)(int32_t)b.imm : b.imm;
    return b.kind == OPND_IMM && v != 0 && !(sign && v == -1);
}

/* Division with the IR's results for x/0 (0; rem x) and MIN/-1 (MIN; rem 0)
 * branched around the host divide, which would raise #DE. */
void lw_div(lw_ctx *c, ir_val i, const ir_insn *in)
{
    unsigned sz = lw_size(in->type);
    bool sign = in->op == IR_DIVS || in->op == IR_REMS;
    bool rem = in->op == IR_REMS || in->op == IR_REMU;
    int res = rem ? X86_RDX : X86_RAX, d = lw_dst(c, i);
    x86_buf *e = &c->buf;
    bool checks = !divisor_safe(lw_opnd(c, in->a[1]), sz, sign);
    lw_mov(c, sz, X86_RAX, lw_opnd(c, in->a[0]), false);
    int r = lw_reg(c, in->a[1], X86_RCX);
    size_t j_zero = 0, j_m1 = 0, j_done = 0, j_done2 = 0;
    if (checks) {
        emit_rr(e, sz, TEST_EvGv, r, r);
        j_zero = emit_jcc8(e, X86_CC_E);
        if (sign) {
            emit_ri(e, sz, ALU_CMP, r, -1);
            j_m1 = emit_jcc8(e, X86_CC_E);
        }
    }
    if (sign)
        emit_cqo(e, sz);
    else
        emit_zero(e, X86_RDX);
    emit_xr(e, sz, GRP3_Ev, sign ? G3_IDIV : G3_DIV, r);
    if (checks) {
        j_done = emit_jmp8(e);
        c->bad |= !x86_bind8(e, j_zero);
        if (rem)
            emit_rr(e, sz, MOV_GvEv, X86_RDX, X86_RAX); /* x % 0 == x */
        else
            emit_zero(e, X86_RAX);                      /* x / 0 == 0 */
        if (sign) {
            j_done2 = emit_jmp8(e);
            c->bad |= !x86_bind8(e, j_m1);
            if (rem)
                emit_zero(e, X86_RDX);                  /* x % -1 == 0 */
            else
                emit_xr(e, sz, GRP3_Ev, G3_NEG, X86_RAX); /* x / -1 == -x, MIN stays */
            c->bad |= !x86_bind8(e, j_done2);
        }
        c->bad |= !x86_bind8(e, j_done);
    }
    emit_rr(e, sz, MOV_GvEv, d, res);
    lw_dst_done(c, i, d);
}

/* Whether v is an i32 made by one of the ops above (or a load), which
 * leave it zero-extended in its register whatever their operands. */
static bool zero_extended(const lw_ctx *c, ir_val v)
{
    static const bool made_here[IR_NUM_OPS] = {
        [IR_ADD] = 1, [IR_SUB] = 1, [IR_AND] = 1, [IR_OR] = 1, [IR_XOR] = 1, [IR_SHL] = 1,
        [IR_SHR] = 1, [IR_SAR] = 1, [IR_ROTL] = 1, [IR_ROTR] = 1, [IR_MUL] = 1, [IR_ZEXT] = 1,
        [IR_SEXT] = 1, [IR_SETCC] = 1, [IR_SELECT] = 1, [IR_CTX_LOAD] = 1, [IR_LOAD] = 1,
    };
    const ir_insn *x = &c->b->insns[v];
    bool ext = x->op == IR_ZEXT || x->op == IR_SEXT; /* (of 64 bits: a plain mov) */
    return x->type == IR_I32 && made_here[x->op] && !(ext && x->imm >= 64);
}

void lw_ext_op(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int d = lw_dst(c, i);
    x86_opnd a = lw_opnd(c, in->a[0]);
    /* nothing to do for a zero-extended i32 in its own register (aarch64's
     * every W-register result on its way to the X register) */
    if (!(in->op == IR_ZEXT && in->imm == 32 && lw_is_reg(a, d) && zero_extended(c, in->a[0])))
        lw_ext(c, lw_size(in->type), d, a, (int)in->imm, in->op == IR_SEXT);
    lw_dst_done(c, i, d);
}

void lw_setcc(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int d = lw_dst(c, i);
    x86_opnd a = lw_opnd(c, in->a[0]), b = lw_opnd(c, in->a[1]);
    /* zeroing first (before the flags exist) beats a movzx after */
    bool pre_zero = d != X86_R11 && !lw_is_reg(a, d) && !lw_is_reg(b, d) &&
                    !lw_compared(c, lw_size(in->type), in->a[0], in->a[1]);
    if (pre_zero)
        emit_zero(&c->buf, d);
    int cc = lw_cmp(c, lw_size(in->type), (ir_cond)in->cc, in->a[0], in->a[1]);
    emit_xr(&c->buf, 1, SETcc_Eb + cc, 0, d);
    if (!pre_zero)
        emit_rr(&c->buf, 4 | X86_BM, MOVZX_GvEb, d, d);
    lw_dst_done(c, i, d);
}

static void cmov(lw_ctx *c, unsigned sz, int cc, int d, x86_opnd o)
{
    if (o.kind == OPND_REG)
        emit_rr(&c->buf, sz, CMOVcc_GvEv + cc, d, o.reg);
    else
        emit_rm(&c->buf, sz, CMOVcc_GvEv + cc, d, o.mem);
}

/* d = cond != 0 ? x : y: test, mov d <- y (flags kept), cmovne d <- x.
 * A FLAGS_TEST condition left in EFLAGS needs no test: cmov on its cc. */
void lw_select(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (ir_is_float((ir_type)in->type)) {
        lw_fselect(c, i, in);
        return;
    }
    unsigned sz = lw_size(in->type), csz = lw_vsize(c, in->a[0]);
    int d = lw_dst(c, i), cc = lw_flags_fused_cc(c, i, in);
    x86_opnd k = lw_opnd(c, in->a[0]), x = lw_opnd(c, in->a[1]), y = lw_opnd(c, in->a[2]);
    if (k.kind == OPND_IMM && cc < 0) {
        lw_mov_result(c, sz, d, (csz == 4 ? (int32_t)k.imm : k.imm) ? x : y);
        lw_dst_done(c, i, d);
        return;
    }
    if (x.kind == OPND_IMM) {
        lw_mov(c, sz, X86_RAX, x, cc >= 0);
        x = lw_opnd_reg(X86_RAX);
    }
    if (cc < 0 && k.kind == OPND_REG)
        emit_rr(&c->buf, csz, TEST_EvGv, k.reg, k.reg);
    else if (cc < 0)
        emit_mi(&c->buf, csz, ALU_CMP, k.mem, 0);
    if (cc < 0)
        cc = X86_CC_NE;
    if (lw_is_reg(x, d)) { /* x is the condition's value, in d: keep it unless zero */
        if (y.kind == OPND_IMM) {
            lw_mov(c, sz, X86_RAX, y, true);
            y = lw_opnd_reg(X86_RAX);
        }
        cmov(c, sz, cc ^ 1, d, y);
    } else {
        lw_mov(c, sz, d, y, true);
        cmov(c, sz, cc, d, x);
    }
    lw_dst_done(c, i, d);
}
