/* Lowering of the CPU-state accesses ([r15 + off]), guest memory (guest
 * address == host address, so [reg + displacement]), atomics and helper calls.  x86 is
 * TSO: only a full fence needs an instruction; locked ops are full fences.
 */
#include "backend/x86_64/lower_opnd.h"

static x86_mem ctx_mem(const ir_insn *in)
{
    return x86_mem_at(X86_R15, (int32_t)in->imm);
}

/* The fixed register holding the slot in's ctx load or store reads or
 * writes, or -1; bad if it is a fixed slot's but not all of it (frontends
 * say their hot slots are only ever accessed whole). */
static int fixed_of(lw_ctx *c, const ir_insn *in)
{
    static const uint8_t bytes[] = {[IR_I32] = 4, [IR_I64] = 8, [IR_F32] = 4, [IR_F64] = 8,
                                    [IR_V128] = 16};
    uint64_t at = (uint64_t)in->imm;
    for (int k = 0; k < c->t->n_fixed; k++) {
        uint32_t off = c->t->fixed_off[k];
        if (at == off && in->type == IR_I64)
            return x86_fixed_reg[k];
        c->bad |= at < off + 8 && at + bytes[in->type] > off;
    }
    return -1;
}

void lw_ctx_load(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (lw_loop_carried(c, i)) /* already in its register (lower_loop.c) */
        return;
    if (x86_in_xmm((ir_type)in->type)) {
        lw_fctx_load(c, i, in);
        return;
    }
    int d = lw_dst(c, i), f = fixed_of(c, in);
    if (f >= 0)
        lw_mov(c, 8, d, lw_opnd_reg(f), false);
    else
        emit_rm(&c->buf, lw_size(in->type), MOV_GvEv, d, ctx_mem(in));
    lw_dst_done(c, i, d);
}

/* mov [m], v  at sz bytes, from wherever v is */
static void store_val(lw_ctx *c, unsigned sz, x86_mem m, ir_val v)
{
    x86_opnd o = lw_opnd(c, v);
    if (o.kind == OPND_IMM) {
        emit_mov_mi(&c->buf, sz, m, o.imm);
        return;
    }
    int r = lw_reg(c, v, X86_RAX);
    emit_rm(&c->buf, sz, sz == 1 ? MOV_EbGb : MOV_EvGv, r, m);
}

static bool is_fval(const lw_ctx *c, ir_val v)
{
    return x86_in_xmm((ir_type)c->b->insns[v].type);
}

void lw_ctx_store(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (is_fval(c, in->a[0])) {
        lw_fctx_store(c, i, in);
        return;
    }
    const x86_loc *l = &c->loc[in->a[0]];
    if (l->kind == X86_LOC_CTX && l->slot == (uint64_t)in->imm)
        return; /* its home: there since it was made (regalloc.h) */
    int f = fixed_of(c, in);
    if (f >= 0)
        lw_mov(c, 8, f, lw_opnd(c, in->a[0]), true);
    else
        store_val(c, lw_vsize(c, in->a[0]), ctx_mem(in), in->a[0]);
}

static unsigned msize(const ir_insn *in) { return 1u << (in->aux & IR_MSIZE); }
static int mbits(const ir_insn *in) { return 8 * (int)msize(in); }
static bool msign(const ir_insn *in) { return in->aux & IR_MSIGN; }

void lw_load(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (x86_in_xmm((ir_type)in->type)) {
        lw_fmem_load(c, i, in);
        return;
    }
    int d = lw_dst(c, i);
    lw_ext(c, lw_size(in->type), d, lw_opnd_mem(lw_mem_addr(c, in)), mbits(in), msign(in));
    lw_dst_done(c, i, d);
}

void lw_store(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (is_fval(c, in->a[1])) {
        lw_fmem_store(c, i, in);
        return;
    }
    store_val(c, msize(in), lw_mem_addr(c, in), in->a[1]);
}

/* rax = expect; lock cmpxchg [a], new; the old value is left in rax */
void lw_cas(lw_ctx *c, ir_val i, const ir_insn *in)
{
    unsigned sz = msize(in);
    int d = lw_dst(c, i);
    lw_mov(c, lw_vsize(c, in->a[1]), X86_RAX, lw_opnd(c, in->a[1]), false);
    int nv = lw_reg(c, in->a[2], X86_RCX);
    int a = lw_reg(c, in->a[0], X86_R11);
    emit_lock(&c->buf);
    emit_rm(&c->buf, sz, sz == 1 ? CMPXCHG_EbGb : CMPXCHG_EvGv, nv, x86_mem_at(a, 0));
    lw_ext(c, lw_size(in->type), d, lw_opnd_reg(X86_RAX), mbits(in), msign(in));
    lw_dst_done(c, i, d);
}

/* The kinds x86 has no single instruction for: a cmpxchg loop computing
 * r11 = f(old = rax, v); and/or/xor as an ALU op, min/max as cmp + cmov. */
static void rmw_loop(lw_ctx *c, const ir_insn *in, int a)
{
    static const struct { uint16_t op; uint8_t ext, cc; } f[] = {
        [IR_RMW_AND] = {AND_GvEv, ALU_AND, 0}, [IR_RMW_OR] = {OR_GvEv, ALU_OR, 0},
        [IR_RMW_XOR] = {XOR_GvEv, ALU_XOR, 0},
        [IR_RMW_SMIN] = {0, 0, X86_CC_G}, [IR_RMW_SMAX] = {0, 0, X86_CC_L},
        [IR_RMW_UMIN] = {0, 0, X86_CC_A}, [IR_RMW_UMAX] = {0, 0, X86_CC_B},
    };
    unsigned sz = msize(in);
    x86_buf *e = &c->buf;
    x86_opnd v = lw_opnd(c, in->a[1]);
    bool minmax = f[in->imm].op == 0;
    if (minmax)
        v = lw_opnd_reg(lw_reg(c, in->a[1], X86_RDX));
    lw_ext(c, sz == 8 ? 8 : 4, X86_RAX, lw_opnd_mem(x86_mem_at(a, 0)), mbits(in), false);
    size_t loop = e->len;
    emit_rr(e, 8, MOV_GvEv, X86_R11, X86_RAX);
    if (minmax) {
        /* old - v at the access width; take v where old is not kept */
        emit_rr(e, sz, sz == 1 ? CMP_EbGb : CMP_EvGv, v.reg, X86_R11);
        emit_rr(e, 8, CMOVcc_GvEv + f[in->imm].cc, X86_R11, v.reg);
    } else {
        lw_alu(c, 8, f[in->imm].op, f[in->imm].ext, X86_R11, v);
    }
    emit_lock(e);
    emit_rm(e, sz, sz == 1 ? CMPXCHG_EbGb : CMPXCHG_EvGv, X86_R11, x86_mem_at(a, 0));
    size_t j = emit_jcc8(e, X86_CC_NE); /* rax got the current value: retry */
    x86_patch8(e, j, (uint8_t)((int64_t)loop - (int64_t)(j + 1)));
    c->bad |= !x86_fits8((int64_t)loop - (int64_t)(j + 1));
}

void lw_rmw(lw_ctx *c, ir_val i, const ir_insn *in)
{
    unsigned sz = msize(in);
    int d = lw_dst(c, i), old = X86_RAX;
    int a = lw_reg(c, in->a[0], X86_RCX);
    if (in->imm == IR_RMW_XCHG || in->imm == IR_RMW_ADD) {
        lw_mov(c, lw_vsize(c, in->a[1]), X86_R11, lw_opnd(c, in->a[1]), false);
        if (in->imm == IR_RMW_ADD) {
            emit_lock(&c->buf);
            emit_rm(&c->buf, sz, sz == 1 ? XADD_EbGb : XADD_EvGv, X86_R11, x86_mem_at(a, 0));
        } else { /* xchg with memory is locked by itself */
            emit_rm(&c->buf, sz, sz == 1 ? XCHG_EbGb : XCHG_EvGv, X86_R11, x86_mem_at(a, 0));
        }
        old = X86_R11;
    } else {
        rmw_loop(c, in, a);
    }
    lw_ext(c, lw_size(in->type), d, lw_opnd_reg(old), mbits(in), msign(in));
    lw_dst_done(c, i, d);
}

void lw_fence(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (in->imm == IR_FENCE_FULL)
        emit_mfence(&c->buf);
}

/* fn(cpu, a0, a1, a2) under SysV: rdi = r15, rsi, rdx, rcx.  Filled in the
 * order rdx, rcx, rsi, rdi so that no argument's source (an allocatable
 * register, perhaps rsi or rdi) is overwritten before it is read.  Values
 * live across the call sit in callee-saved registers or slots (regalloc). */
void lw_call(lw_ctx *c, ir_val i, const ir_insn *in)
{
    static const uint8_t order[3] = {1, 2, 0};
    static const uint8_t arg_reg[3] = {X86_RSI, X86_RDX, X86_RCX};
    const ir_helper *h = (const ir_helper *)(uintptr_t)in->imm;
    for (int k = 0; k < 3; k++) {
        ir_val v = in->a[order[k]];
        if (v != IR_NONE)
            lw_mov(c, lw_vsize(c, v), arg_reg[order[k]], lw_opnd(c, v), false);
    }
    emit_rr(&c->buf, 8, MOV_GvEv, X86_RDI, X86_R15);
    /* The guest pc of this instruction: a fault inside the helper (guest
     * memory it touches) has no host pc in a block, so engine_fault takes
     * the pc from the CPU state, exact otherwise too (CALL writes ctx). */
    x86_mem pc = x86_mem_at(X86_R15, (int32_t)c->t->pc_offset);
    if (x86_fits32((int64_t)c->insn_pc)) {
        emit_mov_mi(&c->buf, 8, pc, (int64_t)c->insn_pc);
    } else {
        emit_mov_ri(&c->buf, X86_RAX, c->insn_pc);
        emit_rm(&c->buf, 8, MOV_EvGv, X86_RAX, pc);
    }
    /* the fixed guest registers: in the CPU state for the helper (which
     * may read or write them, or fault), and caller-saved */
    x86_fixed_moves(&c->buf, c->t, false);
    lw_host_call(c, (const void *)(uintptr_t)h->fn);
    x86_fixed_moves(&c->buf, c->t, true);
    int d = lw_dst(c, i);
    emit_rr(&c->buf, 8, MOV_GvEv, d, X86_RAX);
    lw_dst_done(c, i, d);
}
