/* The IR op table (expanded from ir_ops.def) and the block builder.
 * Builders only append; passes rewrite blocks in place (see ir/opt/). */
#include "ir/ir.h"

#include <stdlib.h>
#include <string.h>

const ir_op_info ir_op_table[IR_NUM_OPS] = {
#define IR_OP(name, res, nargs, imm, flags) [IR_##name] = {#name, res, nargs, imm, flags},
#include "ir_ops.def"
#undef IR_OP
};

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        abort(); /* out of memory while translating: nothing sane to do */
    return p;
}

ir_block *ir_block_new(uint64_t guest_pc)
{
    ir_block *b = xrealloc(NULL, sizeof *b);
    memset(b, 0, sizeof *b);
    b->cap = 256;
    b->insns = xrealloc(NULL, b->cap * sizeof *b->insns);
    b->scratch = xrealloc(NULL, sizeof *b->scratch);
    memset(b->scratch, 0, sizeof *b->scratch);
    ir_block_reset(b, guest_pc);
    return b;
}

void ir_block_free(ir_block *b)
{
    if (!b)
        return;
    for (int k = 0; k < IR_SCRATCH_SLOTS; k++)
        free(b->scratch->buf[k]);
    free(b->scratch);
    free(b->insns);
    free(b);
}

void *ir_scratch(const ir_block *b, unsigned k, size_t bytes)
{
    ir_scratch_area *s = b->scratch;
    if (bytes > s->size[k]) {
        size_t n = bytes < 4096 ? 4096 : 2 * bytes;
        free(s->buf[k]);
        s->buf[k] = xrealloc(NULL, n);
        s->size[k] = n;
    }
    return s->buf[k];
}

void ir_block_reset(ir_block *b, uint64_t guest_pc)
{
    b->guest_pc = b->guest_lo = b->guest_end = guest_pc;
    b->n = 0;
    b->n_guest = 0;
    b->n_side_exits = 0;
}

ir_block *ir_block_clone(const ir_block *b)
{
    ir_block *c = xrealloc(NULL, sizeof *c);
    *c = *b;
    c->scratch = xrealloc(NULL, sizeof *c->scratch); /* its own */
    memset(c->scratch, 0, sizeof *c->scratch);
    c->cap = b->n ? b->n : 1;
    c->insns = xrealloc(NULL, c->cap * sizeof *c->insns);
    memcpy(c->insns, b->insns, b->n * sizeof *b->insns);
    return c;
}

ir_val ir_emit(ir_block *b, ir_op op, ir_type t, ir_val a0, ir_val a1, ir_val a2,
               int64_t imm, int64_t imm2)
{
    if (b->n == b->cap) {
        b->cap *= 2;
        b->insns = xrealloc(b->insns, b->cap * sizeof *b->insns);
    }
    ir_insn *i = &b->insns[b->n];
    *i = (ir_insn){.op = op, .type = ir_info(op)->results ? t : IR_VOID,
                   .a = {a0, a1, a2}, .imm = imm, .imm2 = imm2};
    if (!ir_info(op)->results && (ir_info(op)->flags & F_USES_CC))
        i->type = t; /* BRANCH keeps the width it compares at */
    return b->n++;
}

ir_val ir_const(ir_block *b, ir_type t, int64_t v)
{
    if (t == IR_I32)
        v = (int32_t)v;
    return ir_emit(b, IR_CONST, t, IR_NONE, IR_NONE, IR_NONE, v, 0);
}

ir_val ir_ctx_load(ir_block *b, ir_type t, uint32_t off)
{
    return ir_emit(b, IR_CTX_LOAD, t, IR_NONE, IR_NONE, IR_NONE, off, 0);
}

void ir_ctx_store(ir_block *b, ir_val v, uint32_t off)
{
    ir_val i = ir_emit(b, IR_CTX_STORE, IR_VOID, v, IR_NONE, IR_NONE, off, 0);
    b->insns[i].type = b->insns[v].type; /* the width stored */
}

void ir_insn_start(ir_block *b, uint64_t pc)
{
    ir_emit(b, IR_INSN_START, IR_VOID, IR_NONE, IR_NONE, IR_NONE, (int64_t)pc, 0);
}

ir_val ir_binop(ir_block *b, ir_op op, ir_type t, ir_val x, ir_val y)
{
    return ir_emit(b, op, t, x, y, IR_NONE, 0, 0);
}

ir_val ir_sext(ir_block *b, ir_type t, ir_val x, int from_bits)
{
    return ir_emit(b, IR_SEXT, t, x, IR_NONE, IR_NONE, from_bits, 0);
}

ir_val ir_zext(ir_block *b, ir_type t, ir_val x, int from_bits)
{
    return ir_emit(b, IR_ZEXT, t, x, IR_NONE, IR_NONE, from_bits, 0);
}

ir_val ir_setcc(ir_block *b, ir_type t, ir_cond c, ir_val x, ir_val y)
{
    ir_val v = ir_emit(b, IR_SETCC, t, x, y, IR_NONE, 0, 0);
    b->insns[v].cc = c;
    return v;
}

ir_val ir_select(ir_block *b, ir_type t, ir_val c, ir_val x, ir_val y)
{
    return ir_emit(b, IR_SELECT, t, c, x, y, 0, 0);
}

static ir_val with_memop(ir_block *b, ir_val v, ir_memop m)
{
    b->insns[v].aux = m;
    return v;
}

ir_val ir_load(ir_block *b, ir_type t, ir_memop m, ir_val addr)
{
    return with_memop(b, ir_emit(b, IR_LOAD, t, addr, IR_NONE, IR_NONE, 0, 0), m);
}

void ir_store(ir_block *b, ir_memop m, ir_val addr, ir_val v)
{
    ir_val s = ir_emit(b, IR_STORE, IR_VOID, addr, v, IR_NONE, 0, 0);
    b->insns[s].type = b->insns[v].type;
    with_memop(b, s, m);
}

ir_val ir_cas(ir_block *b, ir_type t, ir_memop m, ir_val addr, ir_val expect, ir_val v)
{
    return with_memop(b, ir_emit(b, IR_CAS, t, addr, expect, v, 0, 0), m);
}

ir_val ir_rmw(ir_block *b, ir_type t, ir_memop m, ir_rmw_kind k, ir_val addr, ir_val v)
{
    return with_memop(b, ir_emit(b, IR_RMW, t, addr, v, IR_NONE, k, 0), m);
}

void ir_fence(ir_block *b, ir_fence_kind k)
{
    ir_emit(b, IR_FENCE, IR_VOID, IR_NONE, IR_NONE, IR_NONE, k, 0);
}

ir_val ir_call(ir_block *b, const ir_helper *h, ir_val a0, ir_val a1, ir_val a2)
{
    return ir_emit(b, IR_CALL, IR_I64, a0, a1, a2, (int64_t)(uintptr_t)h, 0);
}

ir_val ir_fop(ir_block *b, ir_op op, ir_type t, ir_round rm, unsigned aux,
              ir_val x, ir_val y, ir_val z)
{
    ir_val v = ir_emit(b, op, t, x, y, z, 0, 0);
    if (ir_info(op)->flags & F_USES_RM)
        b->insns[v].cc = rm;
    b->insns[v].aux = (uint8_t)aux;
    return v;
}

ir_val ir_fsetcc(ir_block *b, ir_type t, ir_cond c, ir_val x, ir_val y)
{
    ir_val v = ir_emit(b, IR_FSETCC, t, x, y, IR_NONE, 0, 0);
    b->insns[v].cc = c;
    return v;
}

ir_val ir_bitcast(ir_block *b, ir_type t, ir_val x)
{
    return ir_emit(b, IR_BITCAST, t, x, IR_NONE, IR_NONE, 0, 0);
}

ir_val ir_flags(ir_block *b, ir_op op, int width, ir_val x, ir_val y, ir_val z)
{
    return ir_emit(b, op, IR_I64, x, y, z, width, 0);
}

ir_val ir_flags_test(ir_block *b, ir_cond c, ir_val flags)
{
    ir_val v = ir_emit(b, IR_FLAGS_TEST, IR_I64, flags, IR_NONE, IR_NONE, 0, 0);
    b->insns[v].cc = c;
    return v;
}

void ir_goto(ir_block *b, uint64_t pc)
{
    ir_emit(b, IR_GOTO, IR_VOID, IR_NONE, IR_NONE, IR_NONE, (int64_t)pc, 0);
}

void ir_goto_ind(ir_block *b, ir_val target)
{
    ir_emit(b, IR_GOTO_IND, IR_VOID, target, IR_NONE, IR_NONE, 0, 0);
}

void ir_goto_call(ir_block *b, uint64_t pc, uint64_t ret_pc)
{
    ir_emit(b, IR_GOTO, IR_VOID, IR_NONE, IR_NONE, IR_NONE, (int64_t)pc, (int64_t)ret_pc);
}

void ir_goto_ind_call(ir_block *b, ir_val target, uint64_t ret_pc)
{
    ir_emit(b, IR_GOTO_IND, IR_VOID, target, IR_NONE, IR_NONE, 0, (int64_t)ret_pc);
}

void ir_goto_return(ir_block *b, ir_val target)
{
    ir_emit(b, IR_GOTO_IND, IR_VOID, target, IR_NONE, IR_NONE, IR_JUMP_RETURN, 0);
}

void ir_branch(ir_block *b, ir_type t, ir_cond c, ir_val x, ir_val y,
               uint64_t taken, uint64_t next)
{
    ir_val v = ir_emit(b, IR_BRANCH, t, x, y, IR_NONE, (int64_t)taken, (int64_t)next);
    b->insns[v].cc = c;
}

void ir_syscall(ir_block *b, uint64_t next_pc)
{
    ir_emit(b, IR_SYSCALL, IR_VOID, IR_NONE, IR_NONE, IR_NONE, (int64_t)next_pc, 0);
}

void ir_trap(ir_block *b, ir_trap_kind kind, uint64_t pc)
{
    ir_emit(b, IR_TRAP, IR_VOID, IR_NONE, IR_NONE, IR_NONE, kind, (int64_t)pc);
}

void ir_icache_sync(ir_block *b, uint64_t next_pc)
{
    ir_emit(b, IR_ICACHE_SYNC, IR_VOID, IR_NONE, IR_NONE, IR_NONE, (int64_t)next_pc, 0);
}

bool ir_ended(const ir_block *b)
{
    return b->n && (ir_info(b->insns[b->n - 1].op)->flags & F_ENDS_BLOCK);
}

#define IR_PAGE(pc) ((pc) & ~(uint64_t)4095)

/* Is target one the block may go on at: in its first page, not yet in it? */
static bool followable(const ir_block *b, uint64_t target)
{
    if (IR_PAGE(target) != IR_PAGE(b->guest_pc))
        return false; /* its page may be another's: not executable, unmapped */
    for (uint32_t i = 0; i < b->n; i++)
        if (b->insns[i].op == IR_INSN_START && (uint64_t)b->insns[i].imm == target)
            return false; /* a loop: the exit stays, chained to the block */
    return !b->stop_at || !b->stop_at(b->stop_arg, target);
}

/* The side exits so far, and the guest instructions since the first. */
static uint32_t side_exits(const ir_block *b, uint32_t *since)
{
    uint32_t n = 0;
    *since = 0;
    if (!b->n_side_exits) /* the common case: no need to look */
        return 0;
    for (uint32_t i = 0; i < b->n; i++) {
        n += b->insns[i].op == IR_EXIT_IF;
        *since += n && b->insns[i].op == IR_INSN_START;
    }
    return n;
}

ir_cond ir_cond_inverse(ir_cond c)
{
    static const uint8_t inverse[IR_NUM_CMP_CONDS] = {
        [IR_EQ] = IR_NE, [IR_NE] = IR_EQ, [IR_LT] = IR_GE, [IR_GE] = IR_LT,
        [IR_LE] = IR_GT, [IR_GT] = IR_LE, [IR_LTU] = IR_GEU, [IR_GEU] = IR_LTU,
        [IR_LEU] = IR_GTU, [IR_GTU] = IR_LEU,
    };
    return (ir_cond)inverse[c];
}

/* Which side of a conditional branch the block may go on into, as a
 * loop's body (ir_follow): its pc, 0 for neither. */
static uint64_t loop_side(const ir_block *b, uint64_t taken, uint64_t next,
                          ir_loops_to *loops_to)
{
    uint64_t head = b->guest_pc;
    if (!loops_to || taken == head || next == head)
        return 0;
    if (followable(b, next) && loops_to(next, head, IR_SIDE_EXIT_REACH))
        return next;
    if (followable(b, taken) && loops_to(taken, head, IR_SIDE_EXIT_REACH))
        return taken;
    return 0;
}

bool ir_follow(ir_block *b, uint64_t *pc, uint32_t room, ir_loops_to *loops_to)
{
    if (b->no_follow || !b->n || room == 0)
        return false;
    ir_insn *x = &b->insns[b->n - 1];
    uint64_t taken = (uint64_t)x->imm, next = (uint64_t)x->imm2;
    /* a call stays one, for the return-address stack (but for a call
     * inline_call answers) */
    if (x->op == IR_GOTO && !x->imm2 && followable(b, taken)) {
        b->n--;
        *pc = taken;
        return true;
    }
    if (x->op == IR_GOTO && b->inline_call) {
        uint64_t resume;
        b->n--; /* the goto, back unless the call is inlined */
        if (b->inline_call(b->stop_arg, b, taken, &resume, false) && followable(b, resume)) {
            b->inline_call(b->stop_arg, b, taken, &resume, true);
            *pc = resume;
            return true;
        }
        b->n++;
    }
    uint32_t since;
    if (x->op != IR_BRANCH || b->no_side_exits ||
        side_exits(b, &since) >= IR_MAX_SIDE_EXITS || since > IR_SIDE_EXIT_REACH)
        return false;
    uint64_t go = loop_side(b, taken, next, loops_to);
    if (!go) /* (followable kept it off a routine's entry) */
        return false;
    /* EXIT_IF cc, exit target; imm2 keeps where the block went on, so
     * that ir_finish can make it a branch again */
    x->op = IR_EXIT_IF;
    b->n_side_exits++;
    if (go == taken) {
        x->cc = (uint8_t)ir_cond_inverse((ir_cond)x->cc);
        x->imm = (int64_t)next;
        x->imm2 = (int64_t)taken;
    }
    *pc = go;
    return true;
}

/* Does the block's exit go back to its start (a loop lower_loop keeps in
 * registers)? */
static bool loops_back(const ir_block *b)
{
    const ir_insn *x = &b->insns[b->n - 1];
    return (x->op == IR_GOTO && !x->imm2 && (uint64_t)x->imm == b->guest_pc) ||
           (x->op == IR_BRANCH && ((uint64_t)x->imm == b->guest_pc ||
                                   (uint64_t)x->imm2 == b->guest_pc));
}

void ir_finish(ir_block *b)
{
    if (!b->n_side_exits || !b->n || !ir_ended(b) || loops_back(b))
        return;
    uint32_t guest = 0;
    for (uint32_t i = 0; i < b->n; i++) {
        ir_insn *x = &b->insns[i];
        guest += x->op == IR_INSN_START;
        if (x->op != IR_EXIT_IF)
            continue;
        x->op = IR_BRANCH; /* the first side exit ends the block again */
        b->n = i + 1;
        b->n_guest = guest;
        return;
    }
}

void ir_cover(ir_block *b, uint64_t pc, uint64_t len)
{
    if (pc < b->guest_lo)
        b->guest_lo = pc;
    if (pc + len > b->guest_end)
        b->guest_end = pc + len;
}

void ir_count_uses(const ir_block *b, uint32_t *uses)
{
    memset(uses, 0, b->n * sizeof *uses);
    for (uint32_t i = 0; i < b->n; i++) {
        const ir_insn *in = &b->insns[i];
        for (int k = 0; k < ir_info(in->op)->nargs; k++)
            if (in->a[k] != IR_NONE)
                uses[in->a[k]]++;
    }
}
