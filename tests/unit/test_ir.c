/* IR unit tests: the op table, builder, printer and verifier. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"

static char *print_block(const ir_block *b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ir_print(b, f, NULL);
    fclose(f);
    return buf;
}

Test(ir_table, every_op_has_a_name_and_sane_counts)
{
    for (int op = 0; op < IR_NUM_OPS; op++) {
        const ir_op_info *i = ir_info(op);
        cr_assert(i->name && *i->name, "op %d has no name", op);
        cr_assert(i->results <= 1 && i->nargs <= 3, "%s", i->name);
        if (i->flags & F_ENDS_BLOCK)
            cr_assert_eq(i->results, 0, "%s ends a block yet yields a value", i->name);
    }
}

Test(ir_print, shows_each_kind_of_operand)
{
    static const ir_helper h = {"helper_x", NULL, 1};
    ir_block *b = ir_block_new(0x1000);
    ir_insn_start(b, 0x1000);
    ir_val a = ir_ctx_load(b, IR_I64, 16);
    ir_val c = ir_const(b, IR_I64, -3);
    ir_val s = ir_binop(b, IR_ADD, IR_I64, a, c);
    ir_val l = ir_load(b, IR_I64, IR_M32 | IR_MSIGN, s);
    ir_store(b, IR_M8, s, l);
    ir_val k = ir_setcc(b, IR_I64, IR_LTU, l, c);
    ir_val r = ir_rmw(b, IR_I64, IR_M64, IR_RMW_ADD, s, k);
    ir_val x = ir_call(b, &h, r, IR_NONE, IR_NONE);
    ir_ctx_store(b, x, 16);
    ir_branch(b, IR_I64, IR_GE, x, c, 0x2000, 0x1008);
    cr_assert(ir_verify(b, NULL, 0));
    char *text = print_block(b);
    cr_assert_str_eq(text,
        "---- 0x1000\n"
        "  v1 = ctx_load.i64 [ctx+16]\n"
        "  v2 = const.i64 -3\n"
        "  v3 = add.i64 v1, v2\n"
        "  v4 = load.i64.s32 v3\n"
        "  store.i64.u8 v3, v4\n"
        "  v6 = setcc.i64 ltu v4, v2\n"
        "  v7 = rmw.i64.u64 v3, v6, add\n"
        "  v8 = call.i64 v7, helper_x\n"
        "  ctx_store.i64 v8, [ctx+16]\n"
        "  branch.i64 ge v8, v2, 0x2000, 0x1008\n");
    free(text);
    ir_block_free(b);
}

Test(ir_print, i32_constants_are_sign_extended)
{
    ir_block *b = ir_block_new(0);
    ir_const(b, IR_I32, 0xffffffffu);
    ir_trap(b, IR_TRAP_ILLEGAL, 0x40);
    char *text = print_block(b);
    cr_assert_str_eq(text, "  v0 = const.i32 -1\n  trap illegal, 0x40\n");
    free(text);
    ir_block_free(b);
}

typedef struct bad_case {
    const char *why;
    void (*build)(ir_block *b);
    const char *message;
} bad_case;

static void no_exit(ir_block *b) { ir_const(b, IR_I64, 1); }
static void exit_in_middle(ir_block *b)
{
    ir_goto(b, 4);
    ir_const(b, IR_I64, 1);
    ir_goto(b, 8);
}
static void use_before_def(ir_block *b)
{
    ir_val v = ir_binop(b, IR_ADD, IR_I64, 1, 1);
    (void)v;
    ir_goto(b, 4);
}
static void use_of_void(ir_block *b)
{
    ir_val c = ir_const(b, IR_I64, 1);
    ir_ctx_store(b, c, 0);
    ir_binop(b, IR_ADD, IR_I64, c, 1);
    ir_goto(b, 4);
}
static void i32_into_i64_op(ir_block *b)
{
    ir_val c = ir_const(b, IR_I32, 1);
    ir_binop(b, IR_ADD, IR_I64, c, c);
    ir_goto(b, 4);
}
static void i32_address(ir_block *b)
{
    ir_load(b, IR_I64, IR_M64, ir_const(b, IR_I32, 1));
    ir_goto(b, 4);
}

static const bad_case bad_cases[] = {
    {"no exit", no_exit, "v0: block does not end with an exit"},
    {"exit in the middle", exit_in_middle, "v0: exit before the end of the block"},
    {"operand not yet defined", use_before_def, "v0: operand v1 is not defined before it"},
    {"operand yields nothing", use_of_void, "v2: operand v1 yields no value"},
    {"i32 into an i64 op", i32_into_i64_op, "v1: operand v0 has type i32"},
    {"i32 address", i32_address, "v1: operand v0 has type i32"},
};

Test(ir_verify, rejects_each_malformed_block)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        ir_block *b = ir_block_new(0);
        bad_cases[i].build(b);
        char err[128] = "";
        cr_expect(!ir_verify(b, err, sizeof err), "%s: accepted", bad_cases[i].why);
        cr_expect_str_eq(err, bad_cases[i].message, "%s", bad_cases[i].why);
        ir_block_free(b);
    }
}

Test(ir_verify, i32_ops_read_the_low_half_of_i64_values)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_ctx_load(b, IR_I64, 8);
    ir_val s = ir_binop(b, IR_ADD, IR_I32, x, x);
    ir_ctx_store(b, ir_sext(b, IR_I64, s, 32), 8);
    ir_goto(b, 4);
    char err[128] = "";
    cr_assert(ir_verify(b, err, sizeof err), "%s", err);
    ir_block_free(b);
}

Test(ir_print, floating_point_ops_show_rounding_and_nan_rules)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_ctx_load(b, IR_F64, 8);
    ir_val y = ir_ctx_load(b, IR_F64, 16);
    ir_val s = ir_fop(b, IR_FADD, IR_F64, IR_RM_DYN, IR_FP_CANON_NAN, x, y, IR_NONE);
    ir_val m = ir_fop(b, IR_FMA, IR_F64, IR_RM_RUP, IR_FP_CANON_NAN, s, x, y);
    ir_val c = ir_fop(b, IR_FCVT_FI, IR_I32, IR_RM_RTZ, IR_FP_SIGNED, m, IR_NONE, IR_NONE);
    ir_val f = ir_fop(b, IR_FCVT_FF, IR_F32, IR_RM_DYN, 0, m, IR_NONE, IR_NONE);
    ir_val lt = ir_fsetcc(b, IR_I64, IR_LT, x, y);
    ir_val bits = ir_bitcast(b, IR_I32, f);
    ir_ctx_store(b, c, 24);
    ir_ctx_store(b, lt, 32);
    ir_ctx_store(b, bits, 40);
    ir_goto(b, 4);
    char err[128] = "";
    cr_assert(ir_verify(b, err, sizeof err), "%s", err);
    char *text = print_block(b);
    cr_assert_str_eq(text,
        "  v0 = ctx_load.f64 [ctx+8]\n"
        "  v1 = ctx_load.f64 [ctx+16]\n"
        "  v2 = fadd.f64.canon v0, v1\n"
        "  v3 = fma.f64.rup.canon v2, v0, v1\n"
        "  v4 = fcvt_fi.i32.rtz.signed v3\n"
        "  v5 = fcvt_ff.f32 v3\n"
        "  v6 = fsetcc.i64 lt v0, v1\n"
        "  v7 = bitcast.i32 v5\n"
        "  ctx_store.i32 v4, [ctx+24]\n"
        "  ctx_store.i64 v6, [ctx+32]\n"
        "  ctx_store.i32 v7, [ctx+40]\n"
        "  goto 0x4\n");
    free(text);
    ir_block_free(b);
}

Test(ir_verify, float_ops_check_their_operand_types)
{
    ir_block *b = ir_block_new(0);
    ir_val i = ir_ctx_load(b, IR_I64, 8);
    ir_fop(b, IR_FADD, IR_F64, IR_RM_DYN, 0, i, i, IR_NONE); /* ints into fadd */
    ir_goto(b, 4);
    char err[128] = "";
    cr_assert(!ir_verify(b, err, sizeof err));
    cr_assert_str_eq(err, "v1: operand v0 has type i64");
    ir_block_free(b);
}

Test(ir_verify, flags_ops_and_their_conditions)
{
    ir_block *b = ir_block_new(0);
    ir_val x = ir_ctx_load(b, IR_I64, 8), y = ir_ctx_load(b, IR_I64, 16);
    ir_val f = ir_flags(b, IR_FLAGS_SUB, 64, x, y, IR_NONE);
    ir_val hi = ir_flags_test(b, IR_GTU, f);
    ir_val vs = ir_flags_test(b, IR_VS, f);
    ir_ctx_store(b, ir_flags(b, IR_FLAGS_TO_NZCV, 0, f, IR_NONE, IR_NONE), 24);
    ir_ctx_store(b, hi, 32);
    ir_ctx_store(b, vs, 40);
    ir_ctx_store(b, ir_ctx_load(b, IR_V128, 48), 64);
    ir_goto(b, 4);
    char err[128] = "";
    cr_assert(ir_verify(b, err, sizeof err), "%s", err);
    char *text = print_block(b);
    cr_assert(strstr(text, "v2 = flags_sub.i64 v0, v1, 64\n"), "%s", text);
    cr_assert(strstr(text, "v4 = flags_test.i64 vs v2\n"), "%s", text);
    free(text);
    b->insns[hi].op = IR_SETCC; /* vs is for FLAGS_TEST only */
    b->insns[hi].a[1] = x;
    b->insns[hi].cc = IR_VS;
    cr_assert(!ir_verify(b, err, sizeof err));
    cr_assert_str_eq(err, "v3: bad condition 12");
    ir_block_free(b);
}
