/* x86_lower_block: allocate registers for one IR block, then lower it op
 * by op through the table below (arithmetic in lower_alu.c, bit counts in
 * lower_bits.c, floating point in lower_fp*.c, memory and calls in
 * lower_mem.c, exits in lower_exit.c, NZCV flags in lower_flags.c).  This file also holds the
 * operand helpers those files share.
 */
#include <stdlib.h>

#include "backend/x86_64/lower.h"

x86_opnd lw_opnd(const lw_ctx *c, ir_val v)
{
    const x86_loc *l = &c->loc[v];
    switch (l->kind) {
    case X86_LOC_REG:
        return lw_opnd_reg(l->reg);
    case X86_LOC_SLOT:
        return lw_opnd_mem(x86_mem_at(X86_RSP, 8 * l->slot));
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
    if (c->loc[i].kind == X86_LOC_SLOT)
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

int lw_cmp(lw_ctx *c, unsigned sz, ir_cond cond, ir_val x, ir_val y)
{
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

static void lw_nothing(lw_ctx *c, ir_val i, const ir_insn *in) {}

/* Non-immediate constants (imm64) live in a register or slot. */
static void lw_const(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (ir_is_float((ir_type)in->type)) {
        lw_fconst(c, i, in);
        return;
    }
    if (in->type == IR_V128) {
        lw_vconst(c, i, in);
        return;
    }
    if (c->loc[i].kind == X86_LOC_IMM)
        return;
    int d = lw_dst(c, i);
    emit_mov_ri(&c->buf, d, (uint64_t)x86_const_value(in));
    lw_dst_done(c, i, d);
}

static lw_fn *const lowerers[IR_NUM_OPS] = {
    [IR_CONST] = lw_const, [IR_CTX_LOAD] = lw_ctx_load, [IR_CTX_STORE] = lw_ctx_store,
    [IR_INSN_START] = lw_nothing,
    [IR_ADD] = lw_binop, [IR_SUB] = lw_binop, [IR_AND] = lw_binop, [IR_OR] = lw_binop,
    [IR_XOR] = lw_binop, [IR_SHL] = lw_shift, [IR_SHR] = lw_shift, [IR_SAR] = lw_shift,
    [IR_MUL] = lw_mul, [IR_MULHS] = lw_mulh, [IR_MULHU] = lw_mulh, [IR_MULHSU] = lw_mulh,
    [IR_DIVS] = lw_div, [IR_DIVU] = lw_div, [IR_REMS] = lw_div, [IR_REMU] = lw_div,
    [IR_SEXT] = lw_ext_op, [IR_ZEXT] = lw_ext_op, [IR_SETCC] = lw_setcc,
    [IR_SELECT] = lw_select, [IR_LOAD] = lw_load, [IR_STORE] = lw_store,
    [IR_CAS] = lw_cas, [IR_RMW] = lw_rmw, [IR_FENCE] = lw_fence, [IR_CALL] = lw_call,
    [IR_GOTO] = lw_goto, [IR_GOTO_IND] = lw_goto_ind, [IR_BRANCH] = lw_branch,
    [IR_SYSCALL] = lw_syscall, [IR_TRAP] = lw_trap, [IR_ICACHE_SYNC] = lw_icache_sync,
    [IR_ROTL] = lw_shift, [IR_ROTR] = lw_shift, [IR_CLZ] = lw_bitcount,
    [IR_CTZ] = lw_bitcount, [IR_POPCNT] = lw_bitcount, [IR_BSWAP] = lw_bswap,
    [IR_BITCAST] = lw_bitcast, [IR_FADD] = lw_farith, [IR_FSUB] = lw_farith,
    [IR_FMUL] = lw_farith, [IR_FDIV] = lw_farith, [IR_FSQRT] = lw_farith, [IR_FMA] = lw_fma,
    [IR_FMIN] = lw_fminmax, [IR_FMAX] = lw_fminmax, [IR_FNEG] = lw_fnegabs,
    [IR_FABS] = lw_fnegabs, [IR_FSETCC] = lw_fsetcc, [IR_FCVT_FI] = lw_fcvt_fi,
    [IR_FCVT_IF] = lw_fcvt_if, [IR_FCVT_FF] = lw_fcvt_ff, [IR_FP_FLAGS_GET] = lw_fp_flags_get,
    [IR_FP_FLAGS_SET] = lw_fp_flags_set, [IR_FP_RM_SET] = lw_fp_rm_set,
    [IR_FLAGS_ADD] = lw_flags_arith, [IR_FLAGS_SUB] = lw_flags_arith,
    [IR_FLAGS_ADC] = lw_flags_arith, [IR_FLAGS_SBC] = lw_flags_arith,
    [IR_FLAGS_LOGIC] = lw_flags_logic, [IR_FLAGS_FROM_NZCV] = lw_flags_from_nzcv,
    [IR_FLAGS_TO_NZCV] = lw_flags_to_nzcv, [IR_FLAGS_TEST] = lw_flags_test,
    [IR_VAND ... IR_VMINUV] = lw_vec, /* lower_vec.c's own table */
    [IR_FLAGS_FCMP] = lw_flags_fcmp, [IR_FP_MODE_SET] = lw_fp_mode_set,
};

int x86_lower_block(const ir_block *b, const x86_target *t, uint8_t *buf,
                    size_t cap, uint64_t rx, x86_lowered *out)
{
    return x86_lower_block_map(b, t, buf, cap, rx, out, NULL, NULL);
}

int x86_lower_block_map(const ir_block *b, const x86_target *t, uint8_t *buf,
                        size_t cap, uint64_t rx, x86_lowered *out,
                        x86_insn_map *map, uint32_t *n_map)
{
    uint32_t n_insn = 0;
    x86_loc *loc = malloc((b->n ? b->n : 1) * sizeof *loc);
    if (!loc)
        return -1;
    lw_ctx c = {.buf = x86_buf_init(buf, cap), .b = b, .t = t, .rx = rx,
                .loc = loc, .out = out, .flags_live = IR_NONE, .flags_at = IR_NONE,
                .insn_pc = b->guest_pc};
    out->n_exits = 0;
    x86_cpu_init();
    c.bad = x86_regalloc(b, loc) < 0;
    size_t stop = lw_stop_check(&c);
    for (ir_val i = 0; i < b->n && !c.bad; i++) {
        const ir_insn *in = &b->insns[i];
        lw_fn *fn = lowerers[in->op];
        size_t len = c.buf.len;
        if (in->op == IR_INSN_START)
            c.insn_pc = (uint64_t)in->imm;
        if (in->op == IR_INSN_START && map)
            map[n_insn++] = (x86_insn_map){.host_off = (uint32_t)len, .pc = (uint64_t)in->imm};
        if (!fn)
            c.bad = true;
        else if ((ir_info(in->op)->flags & F_USES_RM) && in->cc == IR_RM_DYN)
            lw_dyn_guard(&c, i, in, fn);
        else
            fn(&c, i, in);
        if (c.flags_at == i && c.buf.len == len) /* no code: EFLAGS as they were */
            c.flags_at = i + 1;
    }
    lw_stop_exit(&c, stop);
    free(loc);
    if (n_map)
        *n_map = n_insn;
    if (c.bad || c.buf.overflow)
        return -1;
    out->size = (uint32_t)c.buf.len;
    return (int)c.buf.len;
}
