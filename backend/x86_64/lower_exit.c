/* Lowering of the block exits.  Every exit stores the guest pc and jumps
 * to leave with eax = X86_EXIT_* and rdx = detail.  Direct ones go through
 * a chainable site: a `jmp rel32` with its rel32 4-byte aligned, first
 * pointing at the exit path right after it, later patched to a block.
 * Side exits (EXIT_IF) are such sites too, out of line after the block.
 * Guest calls and returns keep the return-address stack (x86.h).
 */
#include "backend/x86_64/lower_opnd.h"

static void store_pc(lw_ctx *c, uint64_t pc)
{
    x86_mem m = x86_mem_at(X86_R15, (int32_t)c->t->pc_offset);
    if (x86_fits32((int64_t)pc)) {
        emit_mov_mi(&c->buf, 8, m, (int64_t)pc);
    } else {
        emit_mov_ri(&c->buf, X86_RAX, pc);
        emit_rm(&c->buf, 8, MOV_EvGv, X86_RAX, m);
    }
}

static void jmp_leave(lw_ctx *c, int reason)
{
    emit_mov_ri(&c->buf, X86_RAX, (uint64_t)reason);
    int64_t rel = (int64_t)(c->t->leave - (c->rx + c->buf.len + 5));
    if (x86_fits32(rel)) {
        emit_jmp32(&c->buf, (int32_t)rel);
        lw_reloc(c, X86_RELOC_LEAVE32, c->buf.len - 4);
    } else { /* (never in one buffer: not movable) */
        emit_mov_ri(&c->buf, X86_RCX, c->t->leave);
        emit_jmp_r(&c->buf, X86_RCX);
        c->out->movable = false;
    }
}

void lw_fixed_exit(lw_ctx *c)
{
    if (c->home)
        x86_fixed_moves(&c->buf, c->home, true);
}

/* The path a chainable jmp or call at jmp_off takes to pc until chained:
 * it leaves with the jmp's RX address in rdx.  A call of the shared tail
 * after leave and its data (x86.h); the whole path where that tail is
 * out of a rel32's reach (never in one buffer). */
static void chain_stub(lw_ctx *c, uint32_t jmp_off, uint64_t pc)
{
    x86_buf *e = &c->buf;
    if (c->out->n_exits == X86_MAX_EXITS) {
        c->bad = true;
        return;
    }
    uint32_t stub_off = (uint32_t)e->len;
    bool wide = !x86_fits32((int64_t)pc);
    int64_t rel = (int64_t)(c->t->leave + (wide ? X86_CHAIN64 : X86_CHAIN32) -
                            (c->rx + e->len + 5));
    if (x86_fits32(rel)) {
        emit_call32(e, (int32_t)rel);
        lw_reloc(c, wide ? X86_RELOC_CHAIN64 : X86_RELOC_CHAIN32, e->len - 4);
        size_t data = e->len;
        if (wide)
            emit_u64(e, pc);
        else
            emit_u32(e, (uint32_t)pc);
        emit_u32(e, (uint32_t)((int32_t)jmp_off - (int32_t)data));
    } else {
        store_pc(c, pc);
        /* lea rdx, [rip + d] is 7 bytes */
        emit_rm(e, 8, LEA_GvM, X86_RDX,
                x86_mem_at(X86_RIP, (int32_t)jmp_off - (int32_t)(e->len + 7)));
        jmp_leave(c, X86_EXIT_CHAIN);
    }
    c->out->exits[c->out->n_exits++] =
        (x86_exit_site){.jmp_off = jmp_off, .stub_off = stub_off, .target_pc = pc};
}

/* A chainable jmp to pc's block, its stub right after it. */
static void chain_site(lw_ctx *c, uint64_t pc)
{
    x86_buf *e = &c->buf;
    lw_fixed_exit(c);
    emit_nop(e, (unsigned)(-(c->rx + e->len + 1) & 3));
    uint32_t jmp_off = (uint32_t)e->len;
    emit_jmp32(e, 0);
    chain_stub(c, jmp_off, pc);
}

static void exit_site(lw_ctx *c, uint64_t pc)
{
    if (lw_loop_is_back(c, pc)) { /* a loop's back edge stays in the block */
        lw_stop_check(c);
        lw_loop_back(c);
        return;
    }
    chain_site(c, pc);
}

/* ---- The return-address stack (x86.h) */

/* A call finding the stack full starts again from the sentinel. */
static void ras_reset(lw_ctx *c, ir_val i, int arg)
{
    emit_rm(&c->buf, 8, LEA_GvM, X86_RSP, x86_mem_at(X86_FRAME, -16));
}

/* The guest return pc of a call, under the host one the call pushes. */
static void ras_push(lw_ctx *c, ir_val i, uint64_t ret)
{
    x86_buf *e = &c->buf;
    emit_rm(e, 8, CMP_GvEv, X86_RSP, lw_slot(X86_SLOT_RAS_LIMIT));
    lw_cold_resume(c, lw_cold_jcc(c, X86_CC_BE, ras_reset, i, 0));
    if (x86_fits32((int64_t)ret)) {
        emit_push_imm(e, (int32_t)ret);
    } else {
        emit_mov_ri(e, X86_RAX, ret);
        emit_push(e, X86_RAX);
    }
}

/* A direct call's target until chained (out of line: the call's
 * continuation follows the call). */
static void call_stub(lw_ctx *c, ir_val i, int call_off)
{
    chain_stub(c, (uint32_t)call_off, (uint64_t)c->b->insns[i].imm);
}

static void ibtc_jump(lw_ctx *c, ir_val i, int arg);

/* push ret; call the target; the continuation: a chainable jmp to ret.
 * A return to ret `ret 8`s to the continuation. */
static void call_site(lw_ctx *c, ir_val i, const ir_insn *in)
{
    uint64_t ret = (uint64_t)in->imm2;
    ras_push(c, i, ret);
    lw_cold_call(c, in->op == IR_GOTO ? call_stub : ibtc_jump, i);
    chain_site(c, ret);
}

/* A return whose target is the stack's top goes there by `ret 8`; any
 * other takes the indirect-branch cache. */
static void ras_return(lw_ctx *c, ir_val i, const ir_insn *in)
{
    x86_buf *e = &c->buf;
    int r = lw_reg(c, in->a[0], X86_RAX);
    emit_rm(e, 8, CMP_GvEv, r, x86_mem_at(X86_RSP, 8));
    size_t miss = emit_jcc8(e, X86_CC_NE);
    emit_ret_imm(e, 8);
    c->bad |= !x86_bind8(e, miss);
}

void lw_goto(lw_ctx *c, ir_val i, const ir_insn *in)
{
    c->bad |= in->imm2 && c->home; /* (a call ends no loop: lw_goto_ind) */
    if (in->imm2)
        call_site(c, i, in);
    else
        exit_site(c, (uint64_t)in->imm);
}

void lw_goto_ind(lw_ctx *c, ir_val i, const ir_insn *in)
{
    /* A block keeping the fixed registers in the CPU state is a loop,
     * which ends in a goto or branch to itself; its exits reload them,
     * which a target in one of them would not survive.  (Should one end
     * here, the block is lowered again without keeping loops.) */
    c->bad |= c->home != NULL;
    if (in->imm2) {
        call_site(c, i, in);
        return;
    }
    if (in->imm == IR_JUMP_RETURN)
        ras_return(c, i, in);
    ibtc_jump(c, i, 0);
}

/* Store the pc; then the thread's indirect-branch cache (x86.h): its
 * entry table[(pc >> 1) & mask] at rcx + r11 * 8; a hit jumps to its
 * code, a miss leaves.  (The table's address loads while r11 is made.) */
static void ibtc_jump(lw_ctx *c, ir_val i, int arg)
{
    x86_buf *e = &c->buf;
    const ir_insn *in = &c->b->insns[i];
    int r = lw_reg(c, in->a[0], X86_RAX);
    /* the entry: (pc & x86_ibtc_mask) * 8, the mask the thread's (it grows) */
    _Static_assert(sizeof(x86_ibtc_entry) == 16, "an IBTC entry is 16 bytes");
    emit_rr(e, 4, MOV_GvEv, X86_R11, r);
    emit_rm(e, 4, AND_GvEv, X86_R11,
            x86_mem_at(X86_R15, (int32_t)(c->t->engine_offset + X86_ENG_IBTC_MASK)));
    emit_rm(e, 8, MOV_GvEv, X86_RCX,
            x86_mem_at(X86_R15, (int32_t)(c->t->engine_offset + X86_ENG_IBTC)));
    emit_rm(e, 8, CMP_GvEv, r, x86_mem_index(X86_RCX, X86_R11, 3, 0));
    size_t miss = emit_jcc8(e, X86_CC_NE);
    emit_jmp_m(e, x86_mem_index(X86_RCX, X86_R11, 3, 8));
    c->bad |= !x86_bind8(e, miss);
    /* only the engine's lookup needs the pc in the context: a hit's
     * block stores it wherever it leaves */
    emit_rm(e, 8, MOV_EvGv, r, x86_mem_at(X86_R15, (int32_t)c->t->pc_offset));
    jmp_leave(c, X86_EXIT_LOOKUP);
}

/* cmp; jcc taken; [site: next]; taken: [site: taken] */
void lw_branch(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int cc = lw_flags_fused_cc(c, i, in);
    if (cc < 0)
        cc = lw_cmp(c, lw_size(in->type), (ir_cond)in->cc, in->a[0], in->a[1]);
    size_t j = emit_jcc8(&c->buf, cc);
    exit_site(c, (uint64_t)in->imm2);
    c->bad |= !x86_bind8(&c->buf, j);
    exit_site(c, (uint64_t)in->imm);
}

/* A side exit's leaving, after the block: the context holds every store
 * made before it (they are never sunk), so nothing else is needed.  Its
 * target is never the block's start (ir_follow): no loop back edge. */
static void side_exit(lw_ctx *c, ir_val i, int arg)
{
    (void)arg;
    chain_site(c, (uint64_t)c->b->insns[i].imm);
}

/* cmp; jcc to the side exit (out of line); the block goes on */
void lw_exit_if(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int cc = lw_flags_fused_cc(c, i, in);
    if (cc < 0)
        cc = lw_cmp(c, lw_size(in->type), (ir_cond)in->cc, in->a[0], in->a[1]);
    lw_cold_resume(c, lw_cold_jcc(c, cc, side_exit, i, 0));
}

void lw_syscall(lw_ctx *c, ir_val i, const ir_insn *in)
{
    lw_fixed_exit(c);
    store_pc(c, (uint64_t)in->imm);
    jmp_leave(c, X86_EXIT_SYSCALL);
}

void lw_trap(lw_ctx *c, ir_val i, const ir_insn *in)
{
    lw_fixed_exit(c);
    store_pc(c, (uint64_t)in->imm2);
    emit_mov_ri(&c->buf, X86_RDX, (uint64_t)in->imm);
    jmp_leave(c, X86_EXIT_TRAP);
}

void lw_icache_sync(lw_ctx *c, ir_val i, const ir_insn *in)
{
    lw_fixed_exit(c);
    store_pc(c, (uint64_t)in->imm);
    jmp_leave(c, X86_EXIT_ICACHE);
}

/* Every block starts with  cmp byte [r15 + stop], 0; jne stop_exit  so a
 * kicked thread leaves within a few blocks even in a loop of chained
 * blocks (the indirect-branch cache and chains from higher pcs enter
 * blocks here; chains from lower pcs past it: x86_lowered.entry_skip).  Nothing is
 * live at a block's entry, so the exit only stores the block's own pc. */
void lw_stop_check(lw_ctx *c)
{
    x86_mem stop = x86_mem_at(X86_R15, (int32_t)(c->t->engine_offset + X86_ENG_STOP));
    emit_mi(&c->buf, 1, ALU_CMP, stop, 0);
    size_t j = emit_jcc32_fwd(&c->buf, X86_CC_NE);
    if (c->n_stop_jcc < (int)(sizeof c->stop_jcc / sizeof c->stop_jcc[0]))
        c->stop_jcc[c->n_stop_jcc++] = j;
    else
        c->bad = true;
}

void lw_stop_exit(lw_ctx *c)
{
    for (int k = 0; k < c->n_stop_jcc; k++)
        x86_bind32(&c->buf, c->stop_jcc[k]);
    lw_fixed_exit(c); /* (the CPU state is the block's start's) */
    store_pc(c, c->b->guest_pc);
    jmp_leave(c, X86_EXIT_INTERRUPT);
}
