/* Pass tests: a block built with the builder, printed after the pass,
 * compared with the text the pass's algebra says it must become. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"
#include "ir/opt/opt.h"

static char *after(ir_block *b, void (*pass)(ir_block *))
{
    char err[128];
    cr_assert(ir_verify(b, err, sizeof err), "before: %s", err);
    pass(b);
    cr_assert(ir_verify(b, err, sizeof err), "after: %s", err);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ir_print(b, f, NULL);
    fclose(f);
    return buf;
}

static void all_passes(ir_block *b) { opt_run(b, NULL); }
static void ctx_then_dce(ir_block *b) { opt_ctx(b); opt_dce(b); }

/* One folded binop: (op, type, x, y) ==> expected constant. */
typedef struct fold_case {
    ir_op op;
    ir_type t;
    int64_t x, y, want;
} fold_case;

static const fold_case fold_cases[] = {
    {IR_ADD, IR_I64, INT64_MAX, 1, INT64_MIN},
    {IR_ADD, IR_I32, INT32_MAX, 1, INT32_MIN},
    {IR_SUB, IR_I32, 0, 1, -1},
    {IR_SHL, IR_I64, 1, 64, 1},          /* count mod 64 */
    {IR_SHL, IR_I32, 1, 31, INT32_MIN},
    {IR_SHR, IR_I32, -1, 28, 0xf},
    {IR_SAR, IR_I64, INT64_MIN, 63, -1},
    {IR_MULHU, IR_I64, -1, -1, -2},      /* (2^64-1)^2 >> 64 */
    {IR_MULHS, IR_I64, -1, -1, 0},
    {IR_MULHSU, IR_I64, -1, -1, -1},     /* -1 * (2^64-1) >> 64 */
    {IR_DIVS, IR_I64, 7, 0, 0},
    {IR_DIVS, IR_I64, INT64_MIN, -1, INT64_MIN},
    {IR_DIVS, IR_I32, INT32_MIN, -1, INT32_MIN},
    {IR_DIVU, IR_I64, -1, 2, INT64_MAX},
    {IR_REMS, IR_I64, 7, 0, 7},
    {IR_REMS, IR_I64, INT64_MIN, -1, 0},
    {IR_REMS, IR_I64, -7, 2, -1},
    {IR_REMU, IR_I32, -1, 0, -1},
    {IR_ROTL, IR_I64, INT64_MIN, 1, 1},
    {IR_ROTR, IR_I32, 1, 1, INT32_MIN},
    {IR_ROTR, IR_I64, 0x1234, 64, 0x1234},   /* count mod 64 */
};

/* One folded unary op: (op, type, x) ==> expected constant. */
typedef struct fold1_case {
    ir_op op;
    ir_type t;
    int64_t x, want;
} fold1_case;

static const fold1_case fold1_cases[] = {
    {IR_CLZ, IR_I64, 0, 64}, {IR_CLZ, IR_I32, 0, 32}, {IR_CLZ, IR_I32, 1, 31},
    {IR_CLZ, IR_I32, -1, 0}, {IR_CTZ, IR_I64, 0, 64}, {IR_CTZ, IR_I32, 0x100000000, 32},
    {IR_POPCNT, IR_I64, -1, 64}, {IR_POPCNT, IR_I32, -1, 32},
    {IR_BSWAP, IR_I64, 0x0102030405060708, 0x0807060504030201},
    {IR_BSWAP, IR_I32, 0x11223380, (int32_t)0x80332211},
    {IR_BITREV, IR_I64, 0x8000000000000003, (int64_t)0xc000000000000001},
    {IR_BITREV, IR_I32, 0x00000001, (int32_t)0x80000000}, {IR_BITREV, IR_I32, 0x80000000, 1},
    {IR_SEXT, IR_I64, 0x80, -128},
};

Test(opt_fold, folds_unary_ops_by_their_definition)
{
    for (size_t i = 0; i < sizeof fold1_cases / sizeof fold1_cases[0]; i++) {
        const fold1_case *c = &fold1_cases[i];
        ir_block *b = ir_block_new(0);
        ir_val x = ir_const(b, IR_I64, c->x);
        ir_val r = ir_emit(b, c->op, c->t, x, IR_NONE, IR_NONE, c->op == IR_SEXT ? 8 : 0, 0);
        ir_ctx_store(b, r, 0);
        ir_goto(b, 4);
        opt_fold(b);
        cr_expect_eq(b->insns[r].op, IR_CONST, "case %zu not folded", i);
        cr_expect_eq(b->insns[r].imm, c->want, "case %zu: %lld, want %lld", i,
                     (long long)b->insns[r].imm, (long long)c->want);
        ir_block_free(b);
    }
}

Test(opt_fold, folds_binops_by_their_definition)
{
    for (size_t i = 0; i < sizeof fold_cases / sizeof fold_cases[0]; i++) {
        const fold_case *c = &fold_cases[i];
        ir_block *b = ir_block_new(0);
        ir_val x = ir_const(b, IR_I64, c->x), y = ir_const(b, IR_I64, c->y);
        ir_val r = ir_binop(b, c->op, c->t, x, y);
        ir_ctx_store(b, r, 0);
        ir_goto(b, 4);
        opt_fold(b);
        cr_expect_eq(b->insns[r].op, IR_CONST, "case %zu not folded", i);
        cr_expect_eq(b->insns[r].imm, c->want, "case %zu: %lld, want %lld", i,
                     (long long)b->insns[r].imm, (long long)c->want);
        ir_block_free(b);
    }
}

Test(opt_fold, identities_become_copies_and_constants)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_ctx_load(b, IR_I64, 8);
    ir_val a = ir_binop(b, IR_ADD, IR_I64, ir_const(b, IR_I64, 0), x); /* 0 + x ==> x */
    ir_val m = ir_binop(b, IR_MUL, IR_I64, a, ir_const(b, IR_I64, 1)); /* x * 1 ==> x */
    ir_val z = ir_binop(b, IR_XOR, IR_I64, m, m);                      /* x ^ x ==> 0 */
    ir_ctx_store(b, m, 16);
    ir_ctx_store(b, z, 24);
    ir_goto(b, 4);
    char *text = after(b, all_passes);
    cr_assert_str_eq(text,
        "  v0 = ctx_load.i64 [ctx+8]\n"
        "  v1 = const.i64 0\n"
        "  ctx_store.i64 v0, [ctx+16]\n"
        "  ctx_store.i64 v1, [ctx+24]\n"
        "  goto 0x4\n");
    free(text);
    ir_block_free(b);
}

/* gcc's popcount on aarch64 (fmov d0, x; cnt v0.8b; addv b0, v0.8b):
 * the bytes' counts of a vector holding one i64, summed, are popcnt of
 * that i64; not when the vector's high half may count too, nor for
 * addv of wider lanes. */
static ir_val popcount_idiom(ir_block *b, ir_val x, ir_val hi, bool low_only, unsigned lanes)
{
    ir_val zero = ir_vconst(b, 0, 0);
    ir_val v = ir_emit(b, IR_VPAIR, IR_V128, x, hi, IR_NONE, 0, 0);
    ir_val n = ir_vop(b, IR_VCNT, 0, v, IR_NONE, IR_NONE, 0);
    if (low_only) /* cnt v.8b, then addv's own .8b input */
        n = ir_vop(b, IR_VZIP1, 3, ir_vop(b, IR_VZIP1, 3, n, zero, IR_NONE, 0), zero, IR_NONE, 0);
    return ir_vop(b, IR_VADDV, lanes, n, IR_NONE, IR_NONE, 0);
}

Test(opt_fold, the_aarch64_popcount_idiom_is_popcnt)
{
    static const struct { bool low_only, hi_zero; unsigned lanes; bool folds; } cases[] = {
        {true, false, 0, true},   /* .8b: the high half is not counted */
        {false, true, 0, true},   /* .16b of x and 0 */
        {false, false, 0, false}, /* .16b of x and something */
        {true, false, 1, false},  /* addv of halfwords */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ir_block *b = ir_block_new(0);
        ir_val x = ir_ctx_load(b, IR_I64, 8);
        ir_val hi = cases[k].hi_zero ? ir_const(b, IR_I64, 0) : ir_ctx_load(b, IR_I64, 16);
        ir_val r = popcount_idiom(b, x, hi, cases[k].low_only, cases[k].lanes);
        ir_ctx_store(b, r, 24);
        ir_goto(b, 4);
        opt_fold(b);
        const ir_insn *in = &b->insns[r];
        if (cases[k].folds)
            cr_expect(in->op == IR_POPCNT && in->type == IR_I64 && in->a[0] == x,
                      "case %zu: popcnt of the i64", k);
        else
            cr_expect_eq(in->op, IR_VADDV, "case %zu stays a vector sum", k);
        ir_block_free(b);
    }
}

/* gcc's ctz on aarch64 (rbit, clz): a count of leading zeros of the bits
 * reversed is one of trailing zeros, and the other way round; not across
 * widths. */
Test(opt_fold, counting_zeros_of_reversed_bits)
{
    static const struct { ir_op op; ir_type rev_t, t; ir_op want; } cases[] = {
        {IR_CLZ, IR_I64, IR_I64, IR_CTZ}, {IR_CTZ, IR_I64, IR_I64, IR_CLZ},
        {IR_CLZ, IR_I32, IR_I32, IR_CTZ}, {IR_CLZ, IR_I64, IR_I32, IR_CLZ},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ir_block *b = ir_block_new(0);
        ir_val x = ir_ctx_load(b, cases[k].rev_t, 8);
        ir_val r = ir_emit(b, IR_BITREV, cases[k].rev_t, x, IR_NONE, IR_NONE, 0, 0);
        /* rbit w; clz w: the register write's zero-extension between */
        ir_val a = k == 2 ? ir_zext(b, IR_I64, r, 32) : r;
        ir_val n = ir_emit(b, cases[k].op, cases[k].t, a, IR_NONE, IR_NONE, 0, 0);
        ir_ctx_store(b, n, 24);
        ir_goto(b, 4);
        opt_fold(b);
        cr_expect_eq(b->insns[n].op, cases[k].want, "case %zu", k);
        cr_expect_eq(b->insns[n].a[0], cases[k].want == cases[k].op ? a : x, "case %zu", k);
        ir_block_free(b);
    }
}

Test(opt_fold, constant_branch_becomes_goto)
{
    ir_block *b = ir_block_new(0);
    ir_branch(b, IR_I32, IR_LT, ir_const(b, IR_I64, 0x80000000), ir_const(b, IR_I64, 0),
              0x100, 0x200); /* at i32, 0x80000000 is negative */
    char *text = after(b, all_passes);
    cr_assert_str_eq(text, "  goto 0x100\n");
    free(text);
    ir_block_free(b);
}

/* Memory accesses take an added (or subtracted) constant as their
 * displacement, through chains of them, while it fits 32 bits; an i32 add
 * (whose wrap differs) and an address used elsewhere too stay computed. */
Test(opt_fold, constant_offsets_become_displacements)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_ctx_load(b, IR_I64, 0);
    ir_val p8 = ir_binop(b, IR_ADD, IR_I64, x, ir_const(b, IR_I64, 8));
    ir_val v = ir_load(b, IR_I64, IR_M64, ir_binop(b, IR_SUB, IR_I64, p8, ir_const(b, IR_I64, 24)));
    ir_store(b, IR_M32, ir_binop(b, IR_ADD, IR_I64, ir_const(b, IR_I64, 0x7ffffff0), x), v);
    ir_val far = ir_binop(b, IR_ADD, IR_I64, x, ir_const(b, IR_I64, 0x80000000ll));
    ir_store(b, IR_M8, far, v);
    ir_val w = ir_binop(b, IR_ADD, IR_I32, x, ir_const(b, IR_I32, 4));
    ir_store(b, IR_M8, ir_zext(b, IR_I64, w, 32), v);
    ir_ctx_store(b, p8, 8);
    ir_store(b, IR_M16, p8, v);
    ir_syscall(b, 0x10);
    char *text = after(b, all_passes);
    cr_assert_str_eq(text, "  v0 = ctx_load.i64 [ctx+0]\n"
                           "  v1 = const.i64 8\n"
                           "  v2 = add.i64 v0, v1\n"
                           "  v3 = load.i64.u64 v0, disp -16\n"
                           "  store.i64.u32 v0, v3, disp 2147483632\n"
                           "  v5 = const.i64 2147483648\n"
                           "  v6 = add.i64 v0, v5\n"
                           "  store.i64.u8 v6, v3\n"
                           "  v8 = const.i32 4\n"
                           "  v9 = add.i32 v0, v8\n"
                           "  v10 = zext.i64 v9, 32\n"
                           "  store.i64.u8 v10, v3\n"
                           "  ctx_store.i64 v2, [ctx+8]\n"
                           "  store.i64.u16 v0, v3, disp 8\n"
                           "  syscall 0x10\n");
    free(text);
    ir_block_free(b);
}

/* A load's address base + index (a shift of it by 1-3 its scale) folds
 * into the load, the add and shift then dead, with a constant added on
 * either side still a displacement; not when the add is used elsewhere
 * too, nor a shift by more than 3 (its value is the index), nor for a
 * store (indexed stores measured slower on the reference host:
 * bench/RESULTS.md). */
Test(opt_fold, an_added_index_becomes_the_loads)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_ctx_load(b, IR_I64, 0), y = ir_ctx_load(b, IR_I64, 8);
    ir_val sh3 = ir_binop(b, IR_SHL, IR_I64, y, ir_const(b, IR_I64, 3));
    ir_val v1 = ir_load(b, IR_I64, IR_M64, ir_binop(b, IR_ADD, IR_I64, sh3, x));
    ir_val xy = ir_binop(b, IR_ADD, IR_I64, x, y);
    ir_val v2 = ir_load(b, IR_I64, IR_M8, ir_binop(b, IR_ADD, IR_I64, xy, ir_const(b, IR_I64, 16)));
    ir_val sh5 = ir_binop(b, IR_SHL, IR_I64, y, ir_const(b, IR_I64, 5));
    ir_val v3 = ir_load(b, IR_I64, IR_M32, ir_binop(b, IR_ADD, IR_I64, x, sh5));
    ir_val twice = ir_binop(b, IR_ADD, IR_I64, x, v1);
    ir_ctx_store(b, twice, 16);
    ir_val v4 = ir_load(b, IR_I64, IR_M64, twice);
    ir_val sh2 = ir_binop(b, IR_SHL, IR_I64, y, ir_const(b, IR_I64, 2));
    ir_store(b, IR_M32, ir_binop(b, IR_ADD, IR_I64, x, sh2), v2);
    ir_ctx_store(b, v3, 24);
    ir_ctx_store(b, v4, 32);
    ir_syscall(b, 0x10);
    char *text = after(b, all_passes);
    cr_assert_str_eq(text, "  v0 = ctx_load.i64 [ctx+0]\n"
                           "  v1 = ctx_load.i64 [ctx+8]\n"
                           "  v2 = load.i64.u64 v0, index v1 << 3\n"
                           "  v3 = load.i64.u8 v0, index v1 << 0, disp 16\n"
                           "  v4 = const.i64 5\n"
                           "  v5 = shl.i64 v1, v4\n"
                           "  v6 = load.i64.u32 v0, index v5 << 0\n"
                           "  v7 = add.i64 v0, v2\n"
                           "  ctx_store.i64 v7, [ctx+16]\n"
                           "  v9 = load.i64.u64 v7\n"
                           "  v10 = const.i64 2\n"
                           "  v11 = shl.i64 v1, v10\n"
                           "  v12 = add.i64 v0, v11\n"
                           "  store.i64.u32 v12, v3\n"
                           "  ctx_store.i64 v6, [ctx+24]\n"
                           "  ctx_store.i64 v9, [ctx+32]\n"
                           "  syscall 0x10\n");
    free(text);
    ir_block_free(b);
}

/* An indirect goto whose target folds to a constant is a (chainable)
 * direct one. */
Test(opt_fold, constant_indirect_target_becomes_goto)
{
    ir_block *b = ir_block_new(0);
    ir_val t = ir_binop(b, IR_AND, IR_I64, ir_const(b, IR_I64, 0x1235), ir_const(b, IR_I64, -2));
    ir_goto_ind(b, t);
    char *text = after(b, all_passes);
    cr_assert_str_eq(text, "  goto 0x1234\n");
    free(text);
    ir_block_free(b);
    /* a call stays a call */
    b = ir_block_new(0);
    ir_goto_ind_call(b, ir_const(b, IR_I64, 0x1234), 0x10);
    text = after(b, all_passes);
    cr_assert_str_eq(text, "  goto 0x1234, call returns to 0x10\n");
    free(text);
    ir_block_free(b);
}

Test(opt_ctx, forwards_registers_and_drops_overwritten_stores)
{
    ir_block *b = ir_block_new(0);
    ir_val a = ir_ctx_load(b, IR_I64, 80);
    ir_val s = ir_binop(b, IR_ADD, IR_I64, a, ir_const(b, IR_I64, 1));
    ir_ctx_store(b, s, 80);                    /* dead: overwritten below */
    ir_val a2 = ir_ctx_load(b, IR_I64, 80);    /* forwarded: s */
    ir_val t = ir_binop(b, IR_ADD, IR_I64, a2, a2);
    ir_ctx_store(b, t, 80);
    ir_goto(b, 4);
    char *text = after(b, all_passes);
    cr_assert_str_eq(text,
        "  v0 = ctx_load.i64 [ctx+80]\n"
        "  v1 = const.i64 1\n"
        "  v2 = add.i64 v0, v1\n"
        "  v3 = add.i64 v2, v2\n"
        "  ctx_store.i64 v3, [ctx+80]\n"
        "  goto 0x4\n");
    free(text);
    ir_block_free(b);
}

Test(opt_ctx, keeps_stores_before_what_may_fault_or_call)
{
    static const ir_helper h = {"h", NULL, 0};
    ir_block *b = ir_block_new(0);
    ir_val a = ir_ctx_load(b, IR_I64, 8);
    ir_ctx_store(b, a, 16);
    ir_load(b, IR_I64, IR_M64, a);        /* may fault: x2 must be exact */
    ir_ctx_store(b, ir_const(b, IR_I64, 5), 16);
    ir_call(b, &h, IR_NONE, IR_NONE, IR_NONE); /* reads ctx */
    ir_val a2 = ir_ctx_load(b, IR_I64, 16);   /* not forwarded across the call */
    ir_ctx_store(b, a2, 24);
    ir_goto(b, 4);
    char *text = after(b, opt_ctx);
    cr_assert_str_eq(text,
        "  v0 = ctx_load.i64 [ctx+8]\n"
        "  ctx_store.i64 v0, [ctx+16]\n"
        "  v2 = load.i64.u64 v0\n"
        "  v3 = const.i64 5\n"
        "  ctx_store.i64 v3, [ctx+16]\n"
        "  v5 = call.i64 h\n"
        "  v6 = ctx_load.i64 [ctx+16]\n"
        "  ctx_store.i64 v6, [ctx+24]\n"
        "  goto 0x4\n");
    free(text);
    ir_block_free(b);
}

/* A store of what the slot holds already goes, even where a fault could
 * look (memory is the same without it): the same value, an equal
 * constant, a value loaded from the slot; not one of another type, nor
 * after a call that may have written the slot. */
Test(opt_ctx, drops_stores_of_what_the_slot_holds)
{
    static const ir_helper h = {"h", NULL, 0};
    ir_block *b = ir_block_new(0);
    ir_val a = ir_ctx_load(b, IR_I64, 8);
    ir_ctx_store(b, ir_const(b, IR_I64, 0), 16);
    ir_load(b, IR_I64, IR_M64, a);
    ir_ctx_store(b, ir_const(b, IR_I64, 0), 16);  /* equal constant: goes */
    ir_ctx_store(b, a, 8);                         /* loaded from there: goes */
    ir_ctx_store(b, ir_const(b, IR_F64, 0), 16);   /* f64 0: stays */
    ir_call(b, &h, IR_NONE, IR_NONE, IR_NONE);
    ir_ctx_store(b, a, 8);                         /* after the call: stays */
    ir_goto(b, 4);
    char *text = after(b, ctx_then_dce); /* (ctx leaves what it drops to DCE) */
    cr_assert_str_eq(text,
        "  v0 = ctx_load.i64 [ctx+8]\n"
        "  v1 = const.i64 0\n"
        "  ctx_store.i64 v1, [ctx+16]\n"
        "  v3 = load.i64.u64 v0\n"
        "  v4 = const.f64 0\n"
        "  ctx_store.f64 v4, [ctx+16]\n"
        "  v6 = call.i64 h\n"
        "  ctx_store.i64 v0, [ctx+8]\n"
        "  goto 0x4\n");
    free(text);
    ir_block_free(b);
}

Test(opt_dce, drops_unused_pure_values_but_keeps_loads)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_ctx_load(b, IR_I64, 8);
    ir_binop(b, IR_MUL, IR_I64, x, x);     /* unused */
    ir_load(b, IR_I64, IR_M8, x);           /* unused, but may fault */
    ir_goto(b, 4);
    char *text = after(b, opt_dce);
    cr_assert_str_eq(text,
        "  v0 = ctx_load.i64 [ctx+8]\n"
        "  v1 = load.i64.u8 v0\n"
        "  goto 0x4\n");
    free(text);
    ir_block_free(b);
}

Test(opt_run, passes_can_be_switched_off_by_name)
{
    ir_block *b = ir_block_new(0);
    ir_val r = ir_binop(b, IR_ADD, IR_I64, ir_const(b, IR_I64, 2), ir_const(b, IR_I64, 3));
    ir_ctx_store(b, r, 0);
    ir_goto(b, 4);
    opt_run(b, "fold,dce");
    cr_assert_eq(b->n, 5);
    cr_assert(opt_listed("a,ctx,b", "ctx"));
    cr_assert(!opt_listed("a,ctxx", "ctx"));
    ir_block_free(b);
}

/* cmp x, y; b.cond as an AArch64 frontend emits it: flags through NZCV
 * in the context, the condition read back from there. */
static ir_block *cmp_branch(ir_op flags_op, int width, ir_cond cc)
{
    ir_block *b = ir_block_new(0);
    ir_val zero = ir_const(b, IR_I64, 0);
    ir_val x = ir_ctx_load(b, IR_I64, 8), y = ir_ctx_load(b, IR_I64, 16);
    ir_val f = flags_op == IR_FLAGS_LOGIC
                   ? ir_flags(b, IR_FLAGS_LOGIC, width, ir_binop(b, IR_AND, IR_I64, x, y), IR_NONE, IR_NONE)
                   : ir_flags(b, flags_op, width, x, y, IR_NONE);
    ir_ctx_store(b, ir_flags(b, IR_FLAGS_TO_NZCV, 0, f, IR_NONE, IR_NONE), 256);
    ir_val back = ir_flags(b, IR_FLAGS_FROM_NZCV, 0, ir_ctx_load(b, IR_I64, 256), IR_NONE, IR_NONE);
    ir_branch(b, IR_I64, IR_NE, ir_flags_test(b, cc, back), zero, 0x100, 0x104);
    return b;
}

static const char *last_line(char *text)
{
    size_t n = strlen(text);
    while (n && text[n - 1] == '\n')
        text[--n] = 0;
    char *p = strrchr(text, '\n');
    return p ? p + 1 : text;
}

Test(opt_fold, compare_and_branch_fuse_through_nzcv)
{
    static const struct {
        ir_op op;
        int width;
        ir_cond cc;
        const char *branch;
    } cases[] = {
        {IR_FLAGS_SUB, 64, IR_LT, "  branch.i64 lt v0, v1, 0x100, 0x104"},
        {IR_FLAGS_SUB, 64, IR_GTU, "  branch.i64 gtu v0, v1, 0x100, 0x104"},
        {IR_FLAGS_SUB, 32, IR_LE, "  branch.i32 le v0, v1, 0x100, 0x104"},
        {IR_FLAGS_LOGIC, 64, IR_EQ, "  branch.i64 eq v3, v0, 0x100, 0x104"},
        {IR_FLAGS_LOGIC, 64, IR_MI, "  branch.i64 lt v3, v0, 0x100, 0x104"},
        {IR_FLAGS_ADD, 64, IR_EQ, "  branch.i64 ne v6, v0, 0x100, 0x104"}, /* cmn: no fusion */
        {IR_FLAGS_SUB, 64, IR_VS, "  branch.i64 ne v6, v0, 0x100, 0x104"}, /* vs: none either */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ir_block *b = cmp_branch(cases[i].op, cases[i].width, cases[i].cc);
        char *text = after(b, all_passes);
        cr_expect(strstr(text, "ctx_store.i64") != NULL, "case %zu: NZCV must still be stored", i);
        const char *got = last_line(text);
        cr_expect_str_eq(got, cases[i].branch, "case %zu: %s", i, got);
        free(text);
        ir_block_free(b);
    }
}

Test(opt_ctx, forwards_v128_registers_and_keeps_mixed_widths_exact)
{
    ir_block *b = ir_block_new(0);
    ir_val v = ir_ctx_load(b, IR_V128, 64);
    ir_ctx_store(b, v, 96);                      /* dead: overwritten below */
    ir_val w = ir_ctx_load(b, IR_V128, 96);      /* forwarded: v */
    ir_ctx_store(b, w, 96);
    ir_val hi = ir_ctx_load(b, IR_I64, 104);     /* upper half: from memory */
    ir_ctx_store(b, hi, 8);
    ir_ctx_store(b, ir_const(b, IR_I64, 0), 104); /* overwrites only half of 96 */
    ir_goto(b, 4);
    char *text = after(b, all_passes);
    cr_assert_str_eq(text,
        "  v0 = ctx_load.v128 [ctx+64]\n"
        "  ctx_store.v128 v0, [ctx+96]\n"
        "  v2 = ctx_load.i64 [ctx+104]\n"
        "  ctx_store.i64 v2, [ctx+8]\n"
        "  v4 = const.i64 0\n"
        "  ctx_store.i64 v4, [ctx+104]\n"
        "  goto 0x4\n");
    free(text);
    ir_block_free(b);
}

/* A register stored as i64 and read back as f64 (fld, then an FP op on
 * it) is the same 8 bytes: the load becomes a bitcast of the stored value. */
Test(opt_ctx, forwards_through_a_bitcast_between_i64_and_f64)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_load(b, IR_I64, IR_M64, ir_ctx_load(b, IR_I64, 8));
    ir_ctx_store(b, x, 16);
    ir_val f = ir_ctx_load(b, IR_F64, 16);
    ir_ctx_store(b, ir_binop(b, IR_FADD, IR_F64, f, f), 24);
    ir_goto(b, 4);
    char *text = after(b, opt_ctx);
    cr_assert(strstr(text, "bitcast.f64 v1\n"), "%s", text);
    cr_assert(!strstr(text, "ctx_load.f64"), "%s", text);
    free(text);
    ir_block_free(b);
}

/* A store into the upper half of a vector register (fcvtn2, ins) makes
 * the whole vector stored before unknown: a later v128 load reads memory
 * (found when side exits kept both in one block). */
Test(opt_ctx, a_half_store_forgets_the_whole_vector)
{
    ir_block *b = ir_block_new(0);
    ir_val v = ir_ctx_load(b, IR_V128, 64);
    ir_ctx_store(b, v, 96);
    ir_ctx_store(b, ir_const(b, IR_I32, 7), 104); /* upper half of 96 */
    ir_val w = ir_ctx_load(b, IR_V128, 96);      /* not v */
    ir_ctx_store(b, w, 128);
    ir_goto(b, 4);
    char *text = after(b, opt_ctx);
    cr_assert(strstr(text, "= ctx_load.v128 [ctx+96]\n"), "%s", text);
    free(text);
    ir_block_free(b);
}

/* A v128 load of a register whose two halves were just stored as i64
 * values (aarch64's fmov d0, x1 and the zero above it) is a VPAIR of
 * them: no store-to-load round trip through memory; the stores stay. */
Test(opt_ctx, a_vector_of_two_stored_halves_is_a_pair)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_ctx_load(b, IR_I64, 8);
    ir_ctx_store(b, x, 96);
    ir_ctx_store(b, ir_const(b, IR_I64, 0), 104);
    ir_val w = ir_ctx_load(b, IR_V128, 96);
    ir_ctx_store(b, w, 128);
    ir_goto(b, 4);
    char *text = after(b, opt_ctx);
    cr_assert(strstr(text, "= vpair.v128 v0, v2\n"), "%s", text);
    cr_assert(!strstr(text, "ctx_load.v128"), "%s", text);
    cr_assert(strstr(text, "ctx_store.i64 v0, [ctx+96]\n"), "%s", text);
    free(text);
    ir_block_free(b);
}

static bool always_loops(uint64_t from, uint64_t head, uint32_t max)
{
    (void)from, (void)head, (void)max;
    return true;
}

/* A side exit reads the context: the stores before it stay, though later
 * ones cover them. */
Test(opt_ctx, keeps_stores_before_a_side_exit)
{
    ir_block *b = ir_block_new(0);
    ir_val a = ir_ctx_load(b, IR_I64, 8);
    ir_ctx_store(b, a, 16);
    ir_branch(b, IR_I64, IR_EQ, a, ir_const(b, IR_I64, 0), 0x40, 0x8);
    uint64_t pc;
    cr_assert(ir_follow(b, &pc, 10, always_loops) && pc == 0x8, "the fall-through is followed");
    ir_ctx_store(b, ir_const(b, IR_I64, 1), 16);
    ir_goto(b, 0);                         /* the loop's back edge */
    ir_finish(b);
    char *text = after(b, all_passes);
    cr_assert_str_eq(text,
        "  v0 = ctx_load.i64 [ctx+8]\n"
        "  ctx_store.i64 v0, [ctx+16]\n"
        "  v2 = const.i64 0\n"
        "  exit_if.i64 eq v0, v2, 0x40\n"
        "  v4 = const.i64 1\n"
        "  ctx_store.i64 v4, [ctx+16]\n"
        "  goto 0x0\n");
    free(text);
    ir_block_free(b);
}

/* Side exits stay only in a loop: a block that does not go back to its
 * start is cut back to its first side exit, a branch again. */
/* inline_call: a call of 0x8000 (another page) becomes the callee's IR
 * and the block goes on at the return address the callback gives; a
 * call it refuses, or whose return is out of the block's page, stays. */
static bool inline_8000(void *arg, ir_block *b, uint64_t pc, uint64_t *resume, bool emit)
{
    (void)arg;
    if (pc != 0x8000)
        return false;
    *resume = (uint64_t)b->insns[b->insns[b->n - 1].a[0]].imm; /* the link just stored */
    if (emit)
        ir_ctx_store(b, ir_const(b, IR_I64, 7), 24);
    return true;
}

Test(ir_follow, inlines_a_call_the_engine_answers)
{
    static const uint64_t ret[] = {0x8, 0x9000};
    for (int k = 0; k < 2; k++)
        for (uint64_t callee = 0x8000; callee <= 0x8004; callee += 4) {
            ir_block *b = ir_block_new(0);
            b->inline_call = inline_8000;
            ir_insn_start(b, 0);
            ir_ctx_store(b, ir_const(b, IR_I64, (int64_t)ret[k]), 8);
            ir_goto_call(b, callee, ret[k]);
            uint64_t pc = 0;
            bool in = callee == 0x8000 && ret[k] == 0x8;
            cr_assert_eq(ir_follow(b, &pc, 10, NULL), in);
            if (in) {
                cr_assert_eq(pc, 0x8);
                cr_assert_eq(b->insns[b->n - 1].op, IR_CTX_STORE);
                cr_assert_eq(b->insns[b->n - 1].imm, 24);
            } else {
                cr_assert_eq(b->insns[b->n - 1].op, IR_GOTO);
                cr_assert_eq(b->insns[b->n - 1].imm, (int64_t)callee);
            }
            ir_block_free(b);
        }
}

/* A call within the page is not followed: it stays a call, for the
 * return-address stack; a plain jump there is. */
Test(ir_follow, a_call_stays_a_call)
{
    for (int call = 0; call < 2; call++) {
        ir_block *b = ir_block_new(0);
        ir_insn_start(b, 0);
        if (call)
            ir_goto_call(b, 0x40, 0x4);
        else
            ir_goto(b, 0x40);
        uint64_t pc = 0;
        cr_assert_eq(ir_follow(b, &pc, 10, NULL), !call);
        ir_block_free(b);
    }
}

Test(ir_follow, side_exits_outside_a_loop_are_undone)
{
    ir_block *b = ir_block_new(0);
    ir_insn_start(b, 0);
    ir_val a = ir_ctx_load(b, IR_I64, 8);
    ir_branch(b, IR_I64, IR_EQ, a, ir_const(b, IR_I64, 0), 0x40, 0x4);
    uint64_t pc;
    cr_assert(ir_follow(b, &pc, 10, always_loops));
    ir_insn_start(b, 0x4);
    ir_ctx_store(b, a, 16);
    ir_goto(b, 0x100);                     /* not back to 0: no loop */
    ir_finish(b);
    char *text = after(b, opt_dce);
    cr_assert(strstr(text, "branch.i64 eq v1, v2, 0x40, 0x4\n"), "%s", text);
    cr_assert(!strstr(text, "ctx_store"), "%s", text);
    free(text);
    ir_block_free(b);
}

static bool loops_from_0x20(uint64_t from, uint64_t head, uint32_t max)
{
    (void)head, (void)max;
    return from == 0x20;
}

/* A loop whose way back is the branch's taken side (strlen's word loop:
 * `beqz t, next_word` then `j top`): the block goes on there, and the
 * fall-through becomes the side exit, on the inverted condition. */
Test(ir_follow, a_loop_through_the_taken_side_inverts_the_exit)
{
    ir_block *b = ir_block_new(0);
    ir_insn_start(b, 0);
    ir_val a = ir_ctx_load(b, IR_I64, 8);
    ir_branch(b, IR_I64, IR_EQ, a, ir_const(b, IR_I64, 0), 0x20, 0x4);
    uint64_t pc;
    cr_assert(ir_follow(b, &pc, 10, loops_from_0x20) && pc == 0x20, "the taken side");
    ir_insn_start(b, 0x20);
    ir_goto(b, 0);
    ir_finish(b);
    char *text = after(b, opt_dce);
    cr_assert(strstr(text, "exit_if.i64 ne v1, v2, 0x4\n"), "%s", text);
    free(text);
    ir_block_free(b);
}

/* Reading the FP flags has no effect: unused (csrrw x0, fflags, rs), it
 * goes, where the read would cost a stmxcsr that waits for the FP ops. */
Test(opt_dce, drops_an_unused_fp_flags_read)
{
    ir_block *b = ir_block_new(0);
    ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0);
    ir_val used = ir_emit(b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0);
    ir_ctx_store(b, used, 8);
    ir_goto(b, 4);
    char *text = after(b, opt_dce);
    cr_assert_str_eq(text,
        "  v0 = fp_flags_get.i64\n"
        "  ctx_store.i64 v0, [ctx+8]\n"
        "  goto 0x4\n");
    free(text);
    ir_block_free(b);
}
