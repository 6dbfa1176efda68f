/* Context forwarding and dead context-store elimination: together they
 * keep guest registers in host values within a block.
 *
 * Forward: a ctx_load of a slot whose value is known (an earlier load or
 * store of it) becomes that value, or its bitcast when the load reads the
 * same 8 bytes as the other of i64 and f64, and a ctx_store of the value
 * the slot is known to hold already (aarch64's zero upper halves of
 * vector registers, written by every scalar FP op) is dropped: memory is
 * the same with or without it.  A v128 load of two slots known as i64
 * values is a VPAIR of them.  Backward: a ctx_store overwritten by a
 * later store with nothing reading the slot in between is dropped.
 * Reads are ctx_loads, helper calls (which may read any of the context),
 * the exit (everything must be in the context there), and any instruction
 * that may fault (the guest state must be exact at a fault).
 * Only whole 8-byte slots are tracked; other widths just invalidate.
 */
#include <stdlib.h>
#include <string.h>

#include "ir/opt/opt.h"

typedef struct ctx_slots {
    uint32_t n;   /* slots: context offsets / 8 seen in the block, plus one */
    ir_val *val;  /* forward: known value of each slot */
    bool *dead;   /* backward: a later store covers the slot */
} ctx_slots;

static uint32_t width(const ir_insn *in)
{
    return in->type == IR_I32 || in->type == IR_F32 ? 4 : in->type == IR_V128 ? 16 : 8;
}

/* An access of whole 8-byte slots (one, or two for a v128), tracked by
 * its first slot. */
static bool whole_slot(const ir_insn *in)
{
    return in->imm % 8 == 0 &&
           (in->type == IR_I64 || in->type == IR_F64 || in->type == IR_V128);
}

static void slots_init(ctx_slots *s, ir_block *b)
{
    uint32_t max = 0;
    for (ir_val v = 0; v < b->n; v++) {
        const ir_insn *in = &b->insns[v];
        if (in->op == IR_CTX_LOAD || in->op == IR_CTX_STORE)
            if ((uint32_t)(in->imm + 16) / 8 > max)
                max = (uint32_t)(in->imm + 16) / 8;
    }
    s->n = max + 1;
    s->val = ir_scratch(b, IR_SCRATCH_VAL, s->n * sizeof *s->val);
    s->dead = ir_scratch(b, IR_SCRATCH_DEAD, s->n * sizeof *s->dead);
    memset(s->dead, 0, s->n * sizeof *s->dead);
    memset(s->val, 0xff, s->n * sizeof *s->val); /* IR_NONE */
}

/* The slots in touches are not known any more, nor a 16-byte value that
 * starts in the slot before them and so covers the first. */
static void forget(ir_block *b, ctx_slots *s, const ir_insn *in)
{
    uint32_t k0 = (uint32_t)in->imm / 8;
    if (k0 > 0 && s->val[k0 - 1] != IR_NONE && b->insns[s->val[k0 - 1]].type == IR_V128)
        s->val[k0 - 1] = IR_NONE;
    for (uint32_t k = k0; k <= (uint32_t)(in->imm + width(in) - 1) / 8; k++)
        s->val[k] = IR_NONE, s->dead[k] = false;
}

/* Whether x and y are the same value: one, or equal constants. */
static bool same_value(const ir_block *b, ir_val x, ir_val y)
{
    const ir_insn *p = &b->insns[x], *q = &b->insns[y];
    return x == y || (p->op == IR_CONST && q->op == IR_CONST && p->type == q->type &&
                      p->imm == q->imm && p->imm2 == q->imm2);
}

/* keep[v] becomes false for a store of what its slot holds already. */
static void forward(ir_block *b, ctx_slots *s, bool *keep)
{
    ir_val *map = ir_scratch(b, IR_SCRATCH_MAP, (b->n ? b->n : 1) * sizeof *map);
    for (ir_val v = 0; v < b->n; v++) {
        ir_insn *in = &b->insns[v];
        map[v] = v;
        opt_rewrite_args(in, map);
        uint32_t k = (uint32_t)in->imm / 8;
        if (in->op == IR_CTX_LOAD && whole_slot(in)) {
            ir_val known = s->val[k];
            ir_type kt = known == IR_NONE ? IR_VOID : (ir_type)b->insns[known].type;
            ir_val hi = in->type == IR_V128 ? s->val[k + 1] : IR_NONE;
            if (kt == in->type)
                map[v] = known;
            else if ((kt == IR_I64 || kt == IR_F64) && (in->type == IR_I64 || in->type == IR_F64))
                /* the same 8 bytes as the other type (fld after ld) */
                *in = (ir_insn){.op = IR_BITCAST, .type = in->type,
                                .a = {known, IR_NONE, IR_NONE}};
            else if (kt == IR_I64 && hi != IR_NONE && b->insns[hi].type == IR_I64)
                /* both halves just stored as integers (aarch64's fmov d0, x1
                 * and its zeroed upper half, then a vector op of v0) */
                *in = (ir_insn){.op = IR_VPAIR, .type = IR_V128, .a = {known, hi, IR_NONE}};
            else
                s->val[k] = v;
        } else if (in->op == IR_CTX_STORE) {
            if (whole_slot(in) && s->val[k] != IR_NONE && same_value(b, s->val[k], in->a[0]) &&
                (in->type != IR_V128 || b->insns[s->val[k]].type == IR_V128)) {
                keep[v] = false;
                continue;
            }
            forget(b, s, in);
            if (whole_slot(in))
                s->val[k] = in->a[0];
        } else if (ir_info(in->op)->flags & F_WRITES_CTX) {
            memset(s->val, 0xff, s->n * sizeof *s->val);
        }
    }
}

/* map: forward's; a load it forwarded (map[v] != v) is used by nobody any
 * more and reads nothing. */
static void dead_stores(ir_block *b, ctx_slots *s, const ir_val *map, bool *keep)
{
    for (ir_val v = b->n; v-- > 0;) {
        const ir_insn *in = &b->insns[v];
        unsigned f = ir_info(in->op)->flags;
        if (!keep[v]) /* forward dropped it */
            continue;
        if (in->op == IR_CTX_STORE) {
            uint32_t k = (uint32_t)in->imm / 8, n = whole_slot(in) ? width(in) / 8 : 1;
            bool dead = s->dead[k] && (n == 1 || s->dead[k + 1]);
            if (dead && (whole_slot(in) || in->imm % 8 + width(in) <= 8))
                keep[v] = false;
            else if (whole_slot(in))
                for (uint32_t j = 0; j < n; j++)
                    s->dead[k + j] = true;
        } else if (in->op == IR_CTX_LOAD) {
            if (map[v] == v)
                forget(b, s, in);
        } else if (f & (F_READS_CTX | F_MAY_FAULT | F_ENDS_BLOCK)) {
            memset(s->dead, 0, s->n * sizeof *s->dead);
        }
    }
    /* the dropped stores become unused constants, for DCE to take away
     * with the rest: one compaction a block instead of two */
    for (ir_val v = 0; v < b->n; v++)
        if (!keep[v])
            b->insns[v] = (ir_insn){.op = IR_CONST, .type = IR_I64,
                                    .a = {IR_NONE, IR_NONE, IR_NONE}};
}

void opt_ctx(ir_block *b)
{
    ctx_slots s;
    slots_init(&s, b);
    bool *keep = ir_scratch(b, IR_SCRATCH_KEEP, b->n ? b->n : 1);
    memset(keep, true, b->n);
    forward(b, &s, keep);
    /* forward's map: a load it forwarded (map[v] != v) is used by nobody
     * now and must not count as a read below */
    const ir_val *map = ir_scratch(b, IR_SCRATCH_MAP, (b->n ? b->n : 1) * sizeof *map);
    memset(s.dead, 0, s.n * sizeof *s.dead);
    dead_stores(b, &s, map, keep);
}
