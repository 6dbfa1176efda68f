/* Constant folding and algebraic identities.
 *
 * Contract every rule keeps: the folded value is exactly what the op
 * yields by its definition in ir_ops.def at the instruction's type (i32
 * constants are held sign-extended), and a value is only replaced by one
 * of the same type.  Rules try, in order: produce a constant, else a copy
 * of an existing value (QEMU's tcg/optimize.c order).
 */
#include <stdlib.h>

#include "ir/opt/opt.h"

typedef struct fold_ctx {
    ir_block *b;
    ir_val *map;
    uint32_t *uses; /* of each value as the block came, counted at the
                     * first address that may take an index (else NULL) */
} fold_ctx;

static uint64_t bit_reverse(uint64_t x)
{
    x = __builtin_bswap64(x);
    x = (x >> 4 & 0x0f0f0f0f0f0f0f0full) | (x & 0x0f0f0f0f0f0f0f0full) << 4;
    x = (x >> 2 & 0x3333333333333333ull) | (x & 0x3333333333333333ull) << 2;
    return (x >> 1 & 0x5555555555555555ull) | (x & 0x5555555555555555ull) << 1;
}

static bool is_const(const fold_ctx *c, ir_val v)
{
    return v != IR_NONE && c->b->insns[v].op == IR_CONST;
}

static int64_t cval(const fold_ctx *c, ir_val v) { return c->b->insns[v].imm; }

static bool cmp(ir_cond cc, bool w, int64_t x, int64_t y)
{
    int64_t sx = w ? (int32_t)x : x, sy = w ? (int32_t)y : y;
    uint64_t ux = w ? (uint32_t)x : (uint64_t)x, uy = w ? (uint32_t)y : (uint64_t)y;
    switch (cc) {
    case IR_EQ: return ux == uy;
    case IR_NE: return ux != uy;
    case IR_LT: return sx < sy;
    case IR_GE: return sx >= sy;
    case IR_LE: return sx <= sy;
    case IR_GT: return sx > sy;
    case IR_LTU: return ux < uy;
    case IR_GEU: return ux >= uy;
    case IR_LEU: return ux <= uy;
    case IR_GTU: return ux > uy;
    default: return false;
    }
}

/* The value of a two-operand op on constants; false if it is not one. */
static bool eval2(const ir_insn *in, int64_t x, int64_t y, int64_t *out)
{
    bool w = in->type == IR_I32;
    unsigned mask = w ? 31 : 63;
    int64_t min = w ? INT32_MIN : INT64_MIN;
    int64_t sx = w ? (int32_t)x : x, sy = w ? (int32_t)y : y;
    uint64_t ux = w ? (uint32_t)x : (uint64_t)x, uy = w ? (uint32_t)y : (uint64_t)y;
    uint64_t r;
    switch (in->op) {
    case IR_ADD: r = ux + uy; break;
    case IR_SUB: r = ux - uy; break;
    case IR_AND: r = ux & uy; break;
    case IR_OR: r = ux | uy; break;
    case IR_XOR: r = ux ^ uy; break;
    case IR_SHL: r = ux << (uy & mask); break;
    case IR_SHR: r = ux >> (uy & mask); break;
    case IR_SAR: r = (uint64_t)(sx >> (uy & mask)); break;
    case IR_ROTL: r = (ux << (uy & mask)) | (ux >> ((mask + 1 - (uy & mask)) & mask)); break;
    case IR_ROTR: r = (ux >> (uy & mask)) | (ux << ((mask + 1 - (uy & mask)) & mask)); break;
    case IR_MUL: r = ux * uy; break;
    case IR_MULHS: r = w ? (uint64_t)((sx * sy) >> 32) : (uint64_t)(((__int128)sx * sy) >> 64); break;
    case IR_MULHU: r = w ? (ux * uy) >> 32 : (uint64_t)(((unsigned __int128)ux * uy) >> 64); break;
    case IR_MULHSU: r = w ? (uint64_t)((sx * (int64_t)uy) >> 32)
                          : (uint64_t)(((__int128)sx * (__int128)uy) >> 64); break;
    case IR_DIVS: r = uy == 0 ? 0 : (sx == min && sy == -1) ? (uint64_t)min : (uint64_t)(sx / sy); break;
    case IR_DIVU: r = uy == 0 ? 0 : ux / uy; break;
    case IR_REMS: r = uy == 0 ? ux : (sx == min && sy == -1) ? 0 : (uint64_t)(sx % sy); break;
    case IR_REMU: r = uy == 0 ? ux : ux % uy; break;
    case IR_SETCC: r = cmp(in->cc, w, x, y); break;
    default: return false;
    }
    *out = w ? (int32_t)r : (int64_t)r;
    return true;
}

/* The bit-counting ops, at width 32 or 64. */
static bool eval_bits(const ir_insn *in, int64_t x, int64_t *out)
{
    bool w = in->type == IR_I32;
    uint64_t ux = w ? (uint32_t)x : (uint64_t)x;
    int width = w ? 32 : 64;
    int64_t r;
    switch (in->op) {
    case IR_CLZ: r = ux ? __builtin_clzll(ux) - (64 - width) : width; break;
    case IR_CTZ: r = ux ? __builtin_ctzll(ux) : width; break;
    case IR_POPCNT: r = __builtin_popcountll(ux); break;
    case IR_BSWAP: r = w ? (int64_t)__builtin_bswap32((uint32_t)ux) : (int64_t)__builtin_bswap64(ux); break;
    case IR_BITREV: r = (int64_t)(bit_reverse(ux) >> (64 - width)); break;
    default: return false;
    }
    *out = w ? (int32_t)r : r;
    return true;
}

static bool eval1(const ir_insn *in, int64_t x, int64_t *out)
{
    unsigned sh = 64 - (unsigned)in->imm;
    int64_t r;
    if (in->op != IR_SEXT && in->op != IR_ZEXT)
        return eval_bits(in, x, out);
    if (in->imm != 8 && in->imm != 16 && in->imm != 32)
        return false;
    if (in->op == IR_SEXT)
        r = (int64_t)((uint64_t)x << sh) >> sh;
    else if (in->op == IR_ZEXT)
        r = (int64_t)(((uint64_t)x << sh) >> sh);
    else
        return false;
    *out = in->type == IR_I32 ? (int32_t)r : r;
    return true;
}

static void make_const(ir_insn *in, int64_t v)
{
    ir_type t = in->type;
    *in = (ir_insn){.op = IR_CONST, .type = t, .a = {IR_NONE, IR_NONE, IR_NONE}, .imm = v};
}

/* x op k ==> x for the identity constant k of op */
static bool identity(const ir_insn *in, int64_t k)
{
    switch (in->op) {
    case IR_ADD: case IR_SUB: case IR_OR: case IR_XOR:
    case IR_SHL: case IR_SHR: case IR_SAR: case IR_ROTL: case IR_ROTR:
        return k == 0;
    case IR_MUL: case IR_DIVS: case IR_DIVU:
        return k == 1;
    case IR_AND:
        return in->type == IR_I32 ? (int32_t)k == -1 : k == -1;
    default:
        return false;
    }
}

/* x & 0 ==> 0;  x * 0 ==> 0 */
static bool annihilates(const ir_insn *in, int64_t k)
{
    return (in->op == IR_AND || in->op == IR_MUL || in->op == IR_MULHU) && k == 0;
}

static void fold_binop(fold_ctx *c, ir_val v)
{
    ir_insn *in = &c->b->insns[v];
    ir_val x = in->a[0], y = in->a[1];
    int64_t r;
    if (is_const(c, x) && is_const(c, y) && eval2(in, cval(c, x), cval(c, y), &r))
        return make_const(in, r);
    /* k op x ==> x op k for commutative ops, so the rules see one shape */
    if ((ir_info(in->op)->flags & F_COMMUTES) && is_const(c, x) && !is_const(c, y)) {
        in->a[0] = y, in->a[1] = x;
        x = in->a[0], y = in->a[1];
    }
    bool same_type = c->b->insns[x].type == in->type;
    if (is_const(c, y) && annihilates(in, cval(c, y)))
        return make_const(in, 0);
    if (is_const(c, y) && identity(in, cval(c, y)) && same_type) {
        c->map[v] = x;
        return;
    }
    /* x - x ==> 0;  x ^ x ==> 0 */
    if (x == y && (in->op == IR_SUB || in->op == IR_XOR))
        return make_const(in, 0);
}

/* select k, a, b ==> a or b */
static void fold_select(fold_ctx *c, ir_val v)
{
    ir_insn *in = &c->b->insns[v];
    if (!is_const(c, in->a[0]))
        return;
    ir_val pick = cval(c, in->a[0]) ? in->a[1] : in->a[2];
    if (c->b->insns[pick].type == in->type)
        c->map[v] = pick;
}

static ir_op op_of(const fold_ctx *c, ir_val v) { return (ir_op)c->b->insns[v].op; }


/* The flags a FLAGS_TEST reads, seen through FLAGS_FROM_NZCV(FLAGS_TO_NZCV(f))
 * and FLAGS_RESTORE(FLAGS_SAVE(f)). */
static ir_val flags_source(const fold_ctx *c, ir_val f)
{
    const ir_insn *in = &c->b->insns[f];
    if ((in->op == IR_FLAGS_FROM_NZCV && op_of(c, in->a[0]) == IR_FLAGS_TO_NZCV) ||
        (in->op == IR_FLAGS_RESTORE && op_of(c, in->a[0]) == IR_FLAGS_SAVE))
        return c->b->insns[in->a[0]].a[0];
    return f;
}

/* A FLAGS_TEST as a comparison: true with *cc, *x, *y and the width's type
 * when cc of the flags of x - y is x cc y (every condition but mi/pl/vs/vc),
 * or cc of the flags of a logical result r is r cc' 0. */
static bool test_as_compare(const fold_ctx *c, const ir_insn *t, ir_cond *cc, ir_val *x,
                            ir_val *y, ir_type *type)
{
    const ir_insn *f = &c->b->insns[flags_source(c, t->a[0])];
    *type = f->imm == 32 ? IR_I32 : IR_I64;
    if (f->op == IR_FLAGS_SUB && t->cc < IR_NUM_CMP_CONDS) {
        *cc = (ir_cond)t->cc, *x = f->a[0], *y = f->a[1];
        return true;
    }
    /* after a logical op C = V = 0: lt is N, ge !N, gt !Z&!N, le Z|N */
    static const int8_t logic_cc[IR_NUM_CONDS] = {
        [IR_EQ] = IR_EQ, [IR_NE] = IR_NE, [IR_LT] = IR_LT, [IR_GE] = IR_GE, [IR_LE] = IR_LE,
        [IR_GT] = IR_GT, [IR_MI] = IR_LT, [IR_PL] = IR_GE,
        [IR_LTU] = -1, [IR_GEU] = -1, [IR_LEU] = -1, [IR_GTU] = -1, [IR_VS] = -1, [IR_VC] = -1,
    };
    if (f->op == IR_FLAGS_LOGIC && logic_cc[t->cc] >= 0) {
        *cc = (ir_cond)logic_cc[t->cc], *x = f->a[0], *y = IR_NONE;
        return true;
    }
    return false;
}

/* flags_from_nzcv (flags_to_nzcv f) ==> f, flags_restore (flags_save f) ==> f */
static void fold_from_nzcv(fold_ctx *c, ir_val v)
{
    ir_val src = flags_source(c, v);
    if (src != v)
        c->map[v] = src;
}

static ir_val zero_for(fold_ctx *c, ir_val v, ir_val x)
{
    /* a CONST 0 of x's type already in the block, else x ^ x's shape is not
     * available in place: reuse the first such constant, or give up */
    ir_type t = (ir_type)c->b->insns[x].type;
    for (ir_val k = 0; k < v; k++)
        if (c->b->insns[k].op == IR_CONST && c->b->insns[k].imm == 0 && c->b->insns[k].type == t)
            return k;
    return IR_NONE;
}

/* flags_test cc (flags_sub x, y, 64) ==> setcc cc x, y   (and logic: r cc 0) */
static void fold_flags_test(fold_ctx *c, ir_val v)
{
    ir_insn *in = &c->b->insns[v];
    ir_cond cc;
    ir_val x, y;
    ir_type t;
    if (!test_as_compare(c, in, &cc, &x, &y, &t) || t != IR_I64)
        return;
    if (y == IR_NONE && (y = zero_for(c, v, x)) == IR_NONE)
        return;
    *in = (ir_insn){.op = IR_SETCC, .type = IR_I64, .cc = cc, .a = {x, y, IR_NONE}};
}

/* branch ne (setcc cc x, y), 0 ==> branch cc x, y   (eq: the inverse)
 * branch ne (flags_test cc (flags_sub x, y, w)), 0 ==> branch.w cc x, y */
static void fuse_branch(fold_ctx *c, ir_insn *in)
{
    ir_val k = in->a[1], s = in->a[0];
    if (!is_const(c, k) || cval(c, k) != 0 || (in->cc != IR_NE && in->cc != IR_EQ))
        return;
    const ir_insn *t = &c->b->insns[s];
    ir_cond cc;
    ir_val x, y;
    ir_type type;
    if (t->op == IR_SETCC) {
        cc = (ir_cond)t->cc, x = t->a[0], y = t->a[1], type = (ir_type)t->type;
    } else if (t->op != IR_FLAGS_TEST || !test_as_compare(c, t, &cc, &x, &y, &type) ||
               (y == IR_NONE && (y = zero_for(c, s, x)) == IR_NONE)) {
        return;
    }
    in->cc = in->cc == IR_NE ? cc : ir_cond_inverse((ir_cond)cc);
    in->a[0] = x, in->a[1] = y, in->type = type;
}

/* branch cc k1, k2, t, n ==> goto t or n */
static void fold_branch(fold_ctx *c, ir_val v)
{
    ir_insn *in = &c->b->insns[v];
    fuse_branch(c, in);
    if (!is_const(c, in->a[0]) || !is_const(c, in->a[1]))
        return;
    bool taken = cmp(in->cc, in->type == IR_I32, cval(c, in->a[0]), cval(c, in->a[1]));
    int64_t pc = taken ? in->imm : in->imm2;
    *in = (ir_insn){.op = IR_GOTO, .type = IR_VOID, .a = {IR_NONE, IR_NONE, IR_NONE}, .imm = pc};
}

/* A memory access of x + k or x - k (i64, k a constant) accesses x with
 * k added to its displacement, while that fits x86's 32 bits; the add is
 * left to DCE when nothing else uses it. */
/* An address a0 = x + y, used by nothing else, becomes base x and index
 * y (y's shift by 1-3, if y is one used by nothing else, the scale):
 * x86's [base + index * scale + disp], with the add and shift dead. */
static void fold_index(fold_ctx *c, ir_insn *in)
{
    int ix = ir_mem_index(in);
    const ir_insn *a = &c->b->insns[in->a[0]];
    if (in->op != IR_LOAD || in->a[ix] != IR_NONE || a->op != IR_ADD || a->type != IR_I64)
        return;
    if (!c->uses) {
        c->uses = ir_scratch(c->b, IR_SCRATCH_VAL, c->b->n * sizeof *c->uses);
        ir_count_uses(c->b, c->uses);
    }
    if (c->uses[in->a[0]] != 1)
        return;
    ir_val x = a->a[0], y = a->a[1];
    const ir_insn *sx = &c->b->insns[x];
    if (sx->op == IR_SHL && !(c->b->insns[y].op == IR_SHL)) { /* the shift second */
        x = a->a[1];
        y = a->a[0];
    }
    if (is_const(c, x) || is_const(c, y))
        return; /* (a displacement: fold_address's) */
    const ir_insn *sh = &c->b->insns[y];
    int64_t k = sh->op == IR_SHL && sh->type == IR_I64 && is_const(c, sh->a[1]) ? cval(c, sh->a[1]) : 0;
    in->a[0] = x;
    if (k >= 1 && k <= 3 && c->uses[y] == 1) {
        in->a[ix] = sh->a[0];
        in->imm2 = k;
    } else {
        in->a[ix] = y;
        in->imm2 = 0;
    }
}

static void fold_address(fold_ctx *c, ir_insn *in)
{
    for (;;) {
        const ir_insn *a = &c->b->insns[in->a[0]];
        if ((a->op != IR_ADD && a->op != IR_SUB) || a->type != IR_I64)
            return;
        int side = is_const(c, a->a[1]) ? 1 : a->op == IR_ADD && is_const(c, a->a[0]) ? 0 : -1;
        if (side < 0)
            return;
        int64_t k = cval(c, a->a[side]), d;
        if (a->op == IR_SUB && k == INT64_MIN)
            return;
        if (__builtin_add_overflow(in->imm, a->op == IR_SUB ? -k : k, &d) || d != (int32_t)d)
            return;
        in->imm = d;
        in->a[0] = a->a[1 - side];
    }
}

static void fold_memop(fold_ctx *c, ir_insn *in)
{
    fold_address(c, in);
    fold_index(c, in);
    fold_address(c, in); /* the base may have a constant added */
}

static void fold_goto_ind(fold_ctx *c, ir_insn *in)
{
    if (!is_const(c, in->a[0])) /* else a known target: chainable */
        return;
    int64_t pc = cval(c, in->a[0]);
    *in = (ir_insn){.op = IR_GOTO, .type = IR_VOID, .a = {IR_NONE, IR_NONE, IR_NONE}, .imm = pc,
                    .imm2 = in->imm2}; /* a call stays one */
}

/* x with any vzip1.2d of it and a zero vector taken off (what writing
 * a d register, or an op on .8b lanes, makes of a vector: its high half
 * zero); *low: one was. */
static ir_val strip_high_zero(const fold_ctx *c, ir_val x, bool *low)
{
    for (;;) {
        const ir_insn *z = &c->b->insns[x], *k = &c->b->insns[z->a[1]];
        if (z->op != IR_VZIP1 || z->aux != 3 || k->op != IR_CONST || k->imm || k->imm2)
            return x;
        *low = true;
        x = z->a[0];
    }
}

/* addv of cnt's bytes is the count of bits set, which popcnt makes in one
 * instruction: gcc's __builtin_popcountll on aarch64 is  fmov d0, x;
 * cnt v0.8b, v0.8b; addv b0, v0.8b  (a vector of x and 0, counted, its
 * bytes summed), which the lowering made byte by byte with SSE.  Only a
 * count whose vector is known to be one i64 (the low half of a vpair,
 * the high half zero or not counted) becomes popcnt of that i64. */
static void fold_popcount(fold_ctx *c, ir_val v)
{
    ir_insn *in = &c->b->insns[v];
    bool low = false;
    ir_val x = strip_high_zero(c, in->a[0], &low);
    if (in->aux != 0 || op_of(c, x) != IR_VCNT)
        return;
    const ir_insn *p = &c->b->insns[strip_high_zero(c, c->b->insns[x].a[0], &low)];
    const ir_insn *hi = p->op == IR_VPAIR ? &c->b->insns[p->a[1]] : NULL;
    if (!hi || !(low || (hi->op == IR_CONST && hi->imm == 0)))
        return;
    *in = (ir_insn){.op = IR_POPCNT, .type = IR_I64, .a = {p->a[0], IR_NONE, IR_NONE}};
}

/* The leading zeros of x's bits reversed are its trailing zeros, and the
 * other way round: gcc's ctz on aarch64 is  rbit x, x; clz x, x  (a
 * tzcnt here, not a bit reversal of some twenty instructions). */
static void fold_count_of_reversed(fold_ctx *c, ir_insn *in)
{
    if (in->op != IR_CLZ && in->op != IR_CTZ)
        return;
    const ir_insn *r = &c->b->insns[in->a[0]];
    /* an i32 count reads the low half: what a w register held (rbit w
     * writes it zero-extended) */
    if (in->type == IR_I32 && (r->op == IR_ZEXT || r->op == IR_SEXT) && r->imm == 32)
        r = &c->b->insns[r->a[0]];
    if (r->op == IR_BITREV && r->type == in->type) {
        in->op = in->op == IR_CLZ ? IR_CTZ : IR_CLZ;
        in->a[0] = r->a[0];
    }
}

static void fold_insn(fold_ctx *c, ir_val v)
{
    ir_insn *in = &c->b->insns[v];
    int64_t r;
    switch (in->op) {
    case IR_CONST: case IR_CTX_LOAD: case IR_CTX_STORE: case IR_INSN_START:
        return; /* the most common: nothing to fold */
    case IR_LOAD: case IR_STORE: return fold_memop(c, in);
    case IR_SELECT: return fold_select(c, v);
    case IR_BRANCH: return fold_branch(c, v);
    case IR_GOTO_IND: return fold_goto_ind(c, in);
    case IR_EXIT_IF: return fuse_branch(c, in); /* a side exit: its compare folds in */
    case IR_FLAGS_FROM_NZCV: case IR_FLAGS_RESTORE: return fold_from_nzcv(c, v);
    case IR_FLAGS_TEST: return fold_flags_test(c, v);
    case IR_VADDV: return fold_popcount(c, v);
    default: break;
    }
    const ir_op_info *info = ir_info(in->op);
    if (!(info->flags & F_PURE))
        return;
    fold_count_of_reversed(c, in);
    if (info->nargs == 1 && is_const(c, in->a[0]) && eval1(in, cval(c, in->a[0]), &r))
        return make_const(in, r);
    if (info->nargs == 2)
        fold_binop(c, v);
}

void opt_fold(ir_block *b)
{
    fold_ctx c = {b, ir_scratch(b, IR_SCRATCH_MAP, (b->n ? b->n : 1) * sizeof(ir_val)), NULL};
    for (ir_val v = 0; v < b->n; v++) {
        c.map[v] = v;
        opt_rewrite_args(&b->insns[v], c.map);
        fold_insn(&c, v);
    }
}
