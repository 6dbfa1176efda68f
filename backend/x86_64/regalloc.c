/* Linear scan over one straight-line block (Poletto & Sarkar): a value's
 * interval runs from its def to its last use; when registers run out, the
 * interval that ends last goes to a frame slot for its whole life.
 * Integer values take GPRs, float and v128 values XMM registers: two
 * pools, one scan.
 * Two-address help: a result may take the register of its first operand
 * when that operand dies at the same insn (and is of the same class),
 * never the register of another operand, so lowering can always do
 * "mov dst, a0; op dst, a1".
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend/x86_64/emit.h"
#include "backend/x86_64/regalloc.h"
#include "backend/x86_64/x86.h"

/* Caller-saved first: callee-saved ones stay free for values live across
 * a CALL, which may use nothing else. */
/* The fixed guest registers' (x86.h): caller-saved, so that C code the
 * translated code calls keeps nothing of the guest's in them. */
const uint8_t x86_fixed_reg[X86_MAX_FIXED] = {X86_R8, X86_R9, X86_R10};

static const uint8_t gpr_order[] = {
    X86_RSI, X86_RDI, X86_R8, X86_R9, X86_R10, X86_RBX, X86_R12, X86_R13, X86_R14,
};
static const uint8_t xmm_order[] = {
    X86_XMM(0), X86_XMM(1), X86_XMM(2), X86_XMM(3), X86_XMM(4), X86_XMM(5), X86_XMM(6),
    X86_XMM(7), X86_XMM(8), X86_XMM(9), X86_XMM(10), X86_XMM(11), X86_XMM(12),
}; /* xmm13: the vector lowering's third scratch (X86_XS2) */

typedef struct ra_pool {
    const uint8_t *regs;
    size_t n;
} ra_pool;

static const ra_pool pools[2] = {
    {gpr_order, sizeof gpr_order}, {xmm_order, sizeof xmm_order},
};

#define N_SLOTS (X86_FRAME_SLOTS - X86_LOWER_SLOTS)

typedef struct ra_ctx {
    const ir_block *b;
    x86_loc *loc;
    uint32_t *calls_before; /* [i]: CALL insns with index < i */
    uint32_t owner[48];     /* value in each register, or IR_NONE */
    bool pinned[48];        /* held by a pinned value for the whole block */
    uint32_t heir[48];      /* of a pinned register: the value it passes to */
    uint64_t reserved;      /* never any value's (x86_ra_extra) */
    const x86_target *t;    /* (x86_ra_extra) */
    /* slots below n_slots: in use by a value, and the last end of any
     * value in it (beyond n_slots: never used, left uninitialized, as
     * clearing them for every block cost more than the allocation) */
    uint32_t slot_end[N_SLOTS];
    bool slot_used[N_SLOTS];
    int n_slots;
} ra_ctx;

static bool is_callee_saved(int r)
{
    return r == X86_RBX || (r >= X86_R12 && r < 16);
}

static bool crosses_call(const ra_ctx *c, uint32_t v)
{
    return c->calls_before[c->loc[v].end] > c->calls_before[v + 1];
}

static bool reg_free(const ra_ctx *c, int r, uint32_t i)
{
    return c->owner[r] == IR_NONE || c->loc[c->owner[r]].end < i;
}

static void give_reg(ra_ctx *c, uint32_t v, int r)
{
    c->owner[r] = v;
    c->loc[v].kind = X86_LOC_REG;
    c->loc[v].reg = (uint8_t)r;
}

static bool slot_free(const ra_ctx *c, int k, uint32_t v)
{
    return k >= c->n_slots || !c->slot_used[k] || c->slot_end[k] < v;
}

static unsigned type_bytes(ir_type t)
{
    return t == IR_V128 ? 16 : t == IR_I32 || t == IR_F32 ? 4 : 8;
}

/* Whether ctx access k (a load or store) touches the 8 bytes at off. */
static bool overlaps(const ir_insn *k, uint32_t off)
{
    uint64_t at = (uint64_t)k->imm;
    return at < off + 8 && at + type_bytes((ir_type)k->type) > off;
}

/* v's home in the CPU state (X86_LOC_CTX): the slot off of a ctx store
 * of v (i64 both) such that from v's definition to that store nothing
 * may see off (a fault, an exit, a helper, a load of it: it holds v from
 * the definition on), and from the store to v's last use nothing writes
 * it.  Looked for only when v is spilled.  With fixed, the same for a
 * store to a fixed slot: v may live in its fixed register (fixed_home). */
static bool state_home(const ra_ctx *c, uint32_t v, bool fixed, uint32_t *off)
{
    const ir_insn *in = c->b->insns;
    uint32_t end = c->loc[v].end, j = v + 1;
    if (in[v].type != IR_I64 || in[v].op == IR_CTX_LOAD)
        return false;
    while (j <= end && !(in[j].op == IR_CTX_STORE && in[j].a[0] == v))
        j++;
    if (j > end || in[j].type != IR_I64 ||
        (c->t && x86_fixed_at(c->t, (uint32_t)in[j].imm) >= 0) != fixed)
        return false;
    uint32_t o = (uint32_t)in[j].imm;
    for (uint32_t k = v + 1; k <= end; k++) {
        uint16_t f = ir_info(in[k].op)->flags;
        if (k == j)
            continue;
        if (in[k].op == IR_CTX_STORE || (k < j && in[k].op == IR_CTX_LOAD)) {
            if (overlaps(&in[k], o))
                return false;
        } else if (in[k].op == IR_CALL || (f & F_WRITES_CTX) ||
                   (k < j && (f & (F_MAY_FAULT | F_READS_CTX | F_ENDS_BLOCK)))) {
            return false;
        }
    }
    *off = o;
    return true;
}

/* Slots (two adjacent ones for a v128, the first even so that SSE ops
 * may read it as an aligned m128) whose every earlier holder died before
 * v was defined; or v's home in the CPU state. */
static bool give_slot(ra_ctx *c, uint32_t v)
{
    uint32_t off;
    if (state_home(c, v, false, &off)) {
        c->loc[v].kind = X86_LOC_CTX;
        c->loc[v].slot = (uint16_t)off;
        return true;
    }
    int w = c->b->insns[v].type == IR_V128 ? 2 : 1;
    for (int k = 0; k + w <= N_SLOTS; k += w) {
        if (!slot_free(c, k, v) || (w == 2 && !slot_free(c, k + 1, v)))
            continue;
        for (int j = c->n_slots; j < k; j++) /* skipped past the end: not used */
            c->slot_used[j] = false;
        for (int j = k; j < k + w; j++) {
            c->slot_used[j] = true;
            c->slot_end[j] = c->loc[v].end;
        }
        c->loc[v].kind = X86_LOC_SLOT;
        c->loc[v].slot = (uint16_t)k;
        if (k + w > c->n_slots)
            c->n_slots = k + w;
        return true;
    }
    return false;
}

/* Steal the allowed register whose holder ends last, if that is after v. */
static bool spill_for(ra_ctx *c, uint32_t v, const ra_pool *p, bool callee_only)
{
    int best = -1;
    for (size_t k = 0; k < p->n; k++) {
        int r = p->regs[k];
        if ((callee_only && !is_callee_saved(r)) || c->pinned[r] || (c->reserved >> r & 1))
            continue;
        if (best < 0 || c->loc[c->owner[r]].end > c->loc[c->owner[best]].end)
            best = r;
    }
    if (best < 0 || c->loc[c->owner[best]].end <= c->loc[v].end)
        return give_slot(c, v);
    if (!give_slot(c, c->owner[best]))
        return false;
    give_reg(c, v, best);
    return true;
}

/* Whether v's one use, u, copies it (a flags value's save, the zero
 * extension of an i32, which its register holds zero-extended already)
 * with nothing in between: then u's register may be v's. */
static bool copied_next(const ra_ctx *c, uint32_t v, uint32_t *u)
{
    const ir_insn *in = c->b->insns;
    uint32_t j = c->loc[v].end;
    if (j <= v || in[j].a[0] != v || in[j].a[1] == v || x86_in_xmm((ir_type)in[v].type) ||
        !(in[j].op == IR_FLAGS_SAVE ||
          (in[j].op == IR_ZEXT && in[j].imm == 32 && in[v].type == IR_I32)))
        return false;
    for (uint32_t k = v + 1; k < j; k++)
        if (in[k].op != IR_INSN_START && in[k].op != IR_CONST)
            return false;
    *u = j;
    return true;
}

/* The fixed register that v, bound for fixed slot off, may be made in. */
static int fixed_for_store(const ra_ctx *c, uint32_t v, uint32_t off)
{
    const ir_insn *in = c->b->insns;
    int r = x86_fixed_at(c->t, off);
    ir_val a0 = ir_info(in[v].op)->nargs ? in[v].a[0] : IR_NONE;
    uint32_t h = r >= 0 ? c->owner[r] : IR_NONE; /* free, or a0's dying here */
    bool free = h == IR_NONE || c->loc[h].end < v || (h == a0 && c->loc[h].end == v);
    return free ? r : -1;
}

/* The fixed register v may live in: a value stored to a fixed slot, when
 * nothing may see the slot before the store (state_home) and no value
 * still held there dies later; a ctx load of a fixed guest register (no
 * copy) that nothing writes before the load's value dies (no store to its
 * slot, no helper that may write the state, after which the register is
 * reloaded from it); else -1. */
static int fixed_home(const ra_ctx *c, uint32_t v)
{
    const ir_insn *in = c->b->insns;
    uint32_t off, u;
    if (c->t && state_home(c, v, true, &off)) /* a value for a fixed slot */
        return fixed_for_store(c, v, off);
    if (c->t && copied_next(c, v, &u) && state_home(c, u, true, &off)) /* or its copy */
        return fixed_for_store(c, v, off);
    int r = c->t && in[v].op == IR_CTX_LOAD && in[v].type == IR_I64
                ? x86_fixed_at(c->t, (uint32_t)in[v].imm) : -1;
    for (uint32_t k = v + 1; r >= 0 && k <= c->loc[v].end; k++)
        if (in[k].op == IR_CTX_STORE ? overlaps(&in[k], (uint32_t)in[v].imm)
                                     : (ir_info(in[k].op)->flags & F_WRITES_CTX) != 0)
            r = -1; /* (a CALL is the other op that writes the state) */
    return r;
}

static bool alloc_value(ra_ctx *c, uint32_t v)
{
    const ir_insn *in = &c->b->insns[v];
    bool fp = x86_in_xmm((ir_type)in->type);
    const ra_pool *p = &pools[fp];
    bool callee_only = crosses_call(c, v);
    ir_val a0 = ir_info(in->op)->nargs ? in->a[0] : IR_NONE;
    int home = fixed_home(c, v);
    if (home >= 0) { /* (held while any value there lives: two loads of it) */
        uint32_t h = c->owner[home];
        give_reg(c, v, home);
        if (h != IR_NONE && c->loc[h].end > c->loc[v].end)
            c->owner[home] = h;
        return true;
    }
    /* (never a fixed register: its guest register's until a store) */
    if (a0 != IR_NONE && c->loc[a0].kind == X86_LOC_REG && c->loc[a0].end == v &&
        !(c->reserved >> c->loc[a0].reg & 1) && X86_IS_XMM(c->loc[a0].reg) == fp &&
        (!callee_only || is_callee_saved(c->loc[a0].reg))) {
        give_reg(c, v, c->loc[a0].reg);
        return true;
    }
    for (size_t k = 0; k < p->n; k++) {
        int r = p->regs[k];
        if ((!callee_only || is_callee_saved(r)) && !(c->reserved >> r & 1) && reg_free(c, r, v)) {
            give_reg(c, v, r);
            return true;
        }
    }
    return spill_for(c, v, p, callee_only);
}

static void find_ends(const ir_block *b, x86_loc *loc)
{
    for (uint32_t i = 0; i < b->n; i++) {
        const ir_insn *in = &b->insns[i];
        loc[i] = (x86_loc){.kind = X86_LOC_NONE, .end = i};
        for (int k = 0; k < ir_info(in->op)->nargs; k++)
            if (in->a[k] != IR_NONE)
                loc[in->a[k]].end = i;
    }
}

int x86_regalloc(const ir_block *b, x86_loc *loc)
{
    return x86_regalloc_extra(b, loc, &(x86_ra_extra){0});
}

/* Pinned values own their register from the start; live-out values end
 * at the last insn. */
static void apply_extra(ra_ctx *c, const x86_ra_extra *x)
{
    uint32_t last = c->b->n ? c->b->n - 1 : 0;
    for (int k = 0; k < x->n_live_out; k++)
        if (c->loc[x->live_out[k]].end < last)
            c->loc[x->live_out[k]].end = last;
    for (int k = 0; k < x->n_pins; k++) {
        const x86_pin *p = &x->pins[k];
        bool handed = p->then != IR_NONE && p->then > p->val && c->loc[p->val].end < p->then;
        c->loc[p->val].end = c->b->n;
        give_reg(c, p->val, p->reg);
        c->pinned[p->reg] = true;
        c->heir[p->reg] = handed ? p->then : IR_NONE;
    }
}

/* The pinned register v inherits (x86_pin.then), or -1. */
static int inherited(const ra_ctx *c, uint32_t v)
{
    for (int r = 0; r < 48; r++)
        if (c->pinned[r] && c->heir[r] == v)
            return r;
    return -1;
}

static bool is_pinned_val(const x86_ra_extra *x, uint32_t v)
{
    for (int k = 0; k < x->n_pins; k++)
        if (x->pins[k].val == v)
            return true;
    return false;
}

int x86_regalloc_extra(const ir_block *b, x86_loc *loc, const x86_ra_extra *x)
{
    ra_ctx c;
    c.b = b, c.loc = loc, c.n_slots = 0, c.reserved = x->reserved, c.t = x->t;
    memset(c.pinned, 0, sizeof c.pinned);
    c.calls_before = ir_scratch(b, IR_SCRATCH_BACKEND1, (b->n + 1) * sizeof *c.calls_before);
    c.calls_before[0] = 0;
    for (uint32_t i = 0; i < b->n; i++)
        c.calls_before[i + 1] = c.calls_before[i] + (b->insns[i].op == IR_CALL);
    for (int r = 0; r < 48; r++)
        c.owner[r] = IR_NONE;
    find_ends(b, loc);
    apply_extra(&c, x);
    bool ok = true;
    for (uint32_t i = 0; i < b->n && ok; i++) {
        const ir_insn *in = &b->insns[i];
        if (!ir_info(in->op)->results || is_pinned_val(x, i))
            continue;
        int r = x->n_pins ? inherited(&c, i) : -1;
        if (r >= 0)
            give_reg(&c, i, r);
        else if (in->op == IR_CONST && ir_is_int((ir_type)in->type) &&
                 x86_fits32(x86_const_value(in)))
            loc[i].kind = X86_LOC_IMM;
        else
            ok = alloc_value(&c, i);
    }
    return ok ? c.n_slots : -1;
}
