/* Loops that stay in registers.  A block whose exit goes back to its own
 * start (a loop the frontend closed, see ir_follow) keeps the guest
 * registers it reads (integer, float and vector ones) in fixed host
 * registers across its iterations: their
 * ctx_loads are hoisted to the block's entry, and the back edge, after
 * its own stop check, moves each one's latest value into its register and
 * jumps past the entry.  The ctx stores stay where they are, so the CPU
 * state is as exact at every exit (side exits too) and fault as in any
 * other block: only
 * the reloads at the top of each iteration (a store-to-load round trip on
 * the loop's critical path) are gone.
 *
 *   lw_loop_plan(b, t, &c->loop);      // before register allocation
 *   lw_loop_entry(c);                  // after the block's stop check
 *   if (lw_loop_is_back(c, pc)) lw_loop_back(c);   // after a stop check
 */
#include "backend/x86_64/lower_opnd.h"

/* The pool's last: callee-saved ones, then r10 (a loop calls no helper
 * but the FP one, which saves the carried registers with the live ones;
 * r10 only when the loop keeps the fixed guest registers, r8-r10, in the
 * CPU state: lw_ctx.home).
 * XMM registers are all caller-saved: the FP helper call saves pinned
 * ones with the live ones (lw_loop_pinned). */
static const uint8_t carry_gprs[LW_MAX_CARRY] = {X86_R14, X86_R13, X86_R12, X86_RBX, X86_R10};
static const uint8_t carry_xmms[LW_MAX_CARRY_XMM] = {X86_XMM(12), X86_XMM(11), X86_XMM(10),
                                                      X86_XMM(9)};

bool lw_loops_back(const ir_block *b)
{
    if (!b->n)
        return false;
    const ir_insn *x = &b->insns[b->n - 1];
    uint64_t pc = b->guest_pc;
    return (x->op == IR_GOTO && !x->imm2 && (uint64_t)x->imm == pc) || /* a call is none */
           (x->op == IR_BRANCH && ((uint64_t)x->imm == pc || (uint64_t)x->imm2 == pc));
}

static int find(const lw_loop *l, uint32_t off)
{
    for (int k = 0; k < l->n; k++)
        if (l->off[k] == off)
            return k;
    return -1;
}

static void drop(lw_loop *l, int k)
{
    l->n--;
    l->off[k] = l->off[l->n];
    l->load[k] = l->load[l->n];
    l->latest[k] = l->latest[l->n];
    l->type[k] = l->type[l->n];
}

static bool carriable(ir_type t)
{
    return t == IR_I64 || t == IR_F64 || t == IR_V128;
}

static unsigned type_bytes(ir_type t)
{
    return t == IR_V128 ? 16 : t == IR_I32 || t == IR_F32 ? 4 : 8;
}

/* The state of the scan: candidates in l (an i64, f64 or v128 loaded
 * before any store to its bytes), and byte ranges that can no longer be
 * (stored before loaded, loaded twice, accessed at another size or type:
 * a v128 store covers two i64 registers' worth of bytes). */
typedef struct plan {
    lw_loop *l;
    struct { uint32_t lo, hi; } banned[256];
    int n_banned;
    bool full;
} plan;

static bool banned(const plan *s, uint32_t off, unsigned size)
{
    if (s->full)
        return true;
    for (int j = 0; j < s->n_banned; j++)
        if (off < s->banned[j].hi && off + size > s->banned[j].lo)
            return true;
    return false;
}

static void ban(plan *s, uint32_t off, unsigned size)
{
    int k = find(s->l, off);
    if (k >= 0)
        drop(s->l, k);
    if (s->n_banned < 256) {
        s->banned[s->n_banned].lo = off;
        s->banned[s->n_banned++].hi = off + size;
    } else {
        s->full = true; /* too many to keep track of: no more candidates */
    }
}

static void note_access(const ir_block *b, plan *s, ir_val i)
{
    const ir_insn *in = &b->insns[i];
    uint32_t off = (uint32_t)in->imm;
    bool load = in->op == IR_CTX_LOAD;
    ir_type t = (ir_type)(load ? in->type : b->insns[in->a[0]].type);
    unsigned size = type_bytes(t);
    for (int k = 0; k < s->l->n; k++) { /* a partial access to a candidate */
        unsigned ksize = type_bytes(s->l->type[k]);
        if ((s->l->off[k] != off || ksize != size) && off < s->l->off[k] + ksize &&
            off + size > s->l->off[k])
            ban(s, s->l->off[k--], ksize);
    }
    if (banned(s, off, size))
        return;
    int k = find(s->l, off);
    if (!carriable(t) || (off & 7) || (load && k >= 0) || (!load && k < 0) ||
        (k >= 0 && s->l->type[k] != t)) {
        ban(s, off, size);
    } else if (load) {
        if (s->l->n < LW_MAX_CARRY_SEEN) {
            s->l->off[s->l->n] = off;
            s->l->type[s->l->n] = t;
            s->l->load[s->l->n] = i;
            s->l->latest[s->l->n++] = i;
        }
    } else {
        s->l->latest[k] = in->a[0];
    }
}

/* The first candidates of each class get its registers; the rest are
 * dropped (their loads stay where they are). */
static void assign(lw_loop *l, const x86_target *t)
{
    int gprs = 0, xmms = 0, max_gprs = LW_MAX_CARRY;
    l->gprs_dropped = 0;
    while (max_gprs > 0 && x86_fixed_is_reg(t, carry_gprs[max_gprs - 1]))
        max_gprs--; /* (the pool's last is r10, a fixed one's) */
    for (int k = 0; k < l->n; k++) {
        bool xmm = l->type[k] != IR_I64;
        if (xmm ? xmms == LW_MAX_CARRY_XMM : gprs == max_gprs) {
            l->gprs_dropped += !xmm;
            drop(l, k--);
            continue;
        }
        l->reg[k] = xmm ? carry_xmms[xmms++] : carry_gprs[gprs++];
    }
}

void lw_loop_plan(const ir_block *b, const x86_target *t, lw_loop *l)
{
    l->n = 0;
    l->gprs_dropped = 0;
    if (!lw_loops_back(b))
        return;
    plan s = {.l = l};
    for (ir_val i = 0; i < b->n; i++) {
        const ir_insn *in = &b->insns[i];
        if (in->op == IR_CALL) { /* a helper may read or write the state */
            l->n = 0;
            return;
        }
        /* (a fixed guest register is in its own host register already) */
        if ((in->op == IR_CTX_LOAD || in->op == IR_CTX_STORE) &&
            x86_fixed_at(t, (uint32_t)in->imm) < 0)
            note_access(b, &s, i);
    }
    assign(l, t);
}

void lw_loop_extra(const lw_loop *l, x86_pin *pins, x86_ra_extra *x)
{
    for (int k = 0; k < l->n; k++)
        pins[k] = (x86_pin){.val = l->load[k], .reg = l->reg[k],
                            .then = l->latest[k] != l->load[k] ? l->latest[k] : IR_NONE};
    *x = (x86_ra_extra){.pins = pins, .n_pins = l->n, .live_out = l->latest, .n_live_out = l->n};
}

void lw_loop_pinned(const lw_ctx *c, bool live[48])
{
    for (int k = 0; k < c->loop.n; k++)
        live[c->loop.reg[k]] = true;
}

bool lw_loop_carried(const lw_ctx *c, ir_val i)
{
    for (int k = 0; k < c->loop.n; k++)
        if (c->loop.load[k] == i)
            return true;
    return false;
}

/* dst = o, of a carried type, whole register for a register source */
static void carry_mov(lw_ctx *c, ir_type t, int dst, x86_opnd o)
{
    if (t == IR_I64) {
        lw_mov(c, 8, dst, o, true);
    } else if (o.kind == OPND_REG) {
        if (o.reg != dst)
            emit_pfx_rr(&c->buf, 4, MOVAPS_VxWx, dst - X86_XMM(0), o.reg - X86_XMM(0));
    } else if (t == IR_F64) {
        emit_pfx_rm(&c->buf, 4, MOVSD_VxWx, dst - X86_XMM(0), o.mem);
    } else {
        emit_pfx_rm(&c->buf, 4, MOVUPS_VxWx, dst - X86_XMM(0), o.mem);
    }
}

void lw_loop_entry(lw_ctx *c)
{
    for (int k = 0; k < c->loop.n; k++)
        carry_mov(c, c->loop.type[k], c->loop.reg[k],
                  lw_opnd_mem(x86_mem_at(X86_R15, (int32_t)c->loop.off[k])));
    c->loop.body = c->buf.len;
}

/* The parallel move latest[k] -> reg[k]: a move whose register no pending
 * move still reads goes first; a cycle goes through rax or xmm14 (the
 * classes never mix: a register's value is of its own class). */
static void back_moves(lw_ctx *c)
{
    lw_loop *l = &c->loop;
    x86_opnd src[LW_MAX_CARRY_SEEN];
    bool done[LW_MAX_CARRY_SEEN];
    int left = l->n;
    for (int k = 0; k < l->n; k++) {
        src[k] = lw_opnd(c, l->latest[k]); /* registers as the allocator names them */
        done[k] = src[k].kind == OPND_REG && src[k].reg == l->reg[k];
        left -= done[k];
    }
    while (left) {
        int pick = -1;
        for (int k = 0; k < l->n && pick < 0; k++) {
            bool read = false;
            for (int j = 0; j < l->n; j++)
                read |= !done[j] && j != k && src[j].kind == OPND_REG && src[j].reg == l->reg[k];
            if (!done[k] && !read)
                pick = k;
        }
        if (pick < 0) { /* a cycle: free one register through a scratch one */
            int k = 0;
            while (done[k])
                k++;
            bool xmm = l->type[k] != IR_I64;
            int tmp = xmm ? X86_XMM(X86_XS0) : X86_RAX;
            carry_mov(c, xmm ? IR_V128 : IR_I64, tmp, lw_opnd_reg(l->reg[k]));
            for (int j = 0; j < l->n; j++)
                if (!done[j] && src[j].kind == OPND_REG && src[j].reg == l->reg[k])
                    src[j] = lw_opnd_reg(tmp);
            continue;
        }
        carry_mov(c, l->type[pick], l->reg[pick], src[pick]);
        done[pick] = true;
        left--;
    }
}

bool lw_loop_is_back(const lw_ctx *c, uint64_t pc)
{
    return c->loop.n && pc == c->b->guest_pc;
}

void lw_loop_back(lw_ctx *c)
{
    back_moves(c);
    int64_t rel = (int64_t)c->loop.body - (int64_t)(c->buf.len + 5);
    emit_jmp32(&c->buf, (int32_t)rel);
}
