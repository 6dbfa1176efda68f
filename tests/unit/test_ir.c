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

static void i32_index(ir_block *b)
{
    ir_val i = ir_const(b, IR_I32, 1), ld = ir_load(b, IR_I64, IR_M64, ir_const(b, IR_I64, 0x1000));
    b->insns[ld].a[1] = i;
    ir_goto(b, 4);
}
static void scale_too_big(ir_block *b)
{
    ir_val p = ir_const(b, IR_I64, 0x1000), ld = ir_load(b, IR_I64, IR_M64, p);
    b->insns[ld].a[1] = p;
    b->insns[ld].imm2 = 4;
    ir_goto(b, 4);
}
static void scale_without_index(ir_block *b)
{
    ir_val ld = ir_load(b, IR_I64, IR_M64, ir_const(b, IR_I64, 0x1000));
    b->insns[ld].imm2 = 1;
    ir_goto(b, 4);
}

static const bad_case bad_cases[] = {
    {"no exit", no_exit, "v0: block does not end with an exit"},
    {"exit in the middle", exit_in_middle, "v0: exit before the end of the block"},
    {"operand not yet defined", use_before_def, "v0: operand v1 is not defined before it"},
    {"operand yields nothing", use_of_void, "v2: operand v1 yields no value"},
    {"i32 into an i64 op", i32_into_i64_op, "v1: operand v0 has type i32"},
    {"i32 address", i32_address, "v1: operand v0 has type i32"},
    {"i32 index", i32_index, "v2: operand v0 has type i32"},
    {"index scaled by 16", scale_too_big, "v1: bad index scale 4"},
    {"a scale without an index", scale_without_index, "v1: bad index scale 1"},
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

Test(ir_print, vector_ops_show_lanes_and_immediates)
{
    ir_block *b = ir_block_new(0x1000);
    ir_val x = ir_ctx_load(b, IR_V128, 64), y = ir_ctx_load(b, IR_V128, 80);
    ir_val g = ir_ctx_load(b, IR_I64, 8);
    ir_val s = ir_vop(b, IR_VADD, 2, x, y, IR_NONE, 0);
    ir_val a = ir_vop(b, IR_VAND, 0, s, y, IR_NONE, 0);
    ir_val sh = ir_vop(b, IR_VSARI, 1, a, IR_NONE, IR_NONE, 3);
    ir_val e = ir_vop(b, IR_VEXTRACT, 3, sh, IR_NONE, IR_NONE, 1);
    ir_val in = ir_vop(b, IR_VINSERT, 0, sh, e, IR_NONE, 15);
    ir_val k = ir_vconst(b, 0xff, 0x8000000000000000);
    ir_val sel = ir_vop(b, IR_VBSL, 0, in, k, x, 0);
    ir_val d = ir_vop(b, IR_VDUP, 1, g, IR_NONE, IR_NONE, 0);
    ir_val r = ir_vop(b, IR_VREV, 0, d, IR_NONE, IR_NONE, 3);
    ir_val m = ir_vop(b, IR_VMAXUV, 0, r, IR_NONE, IR_NONE, 0);
    ir_ctx_store(b, sel, 64);
    ir_ctx_store(b, m, 8);
    ir_goto(b, 0x1004);
    char err[128] = "";
    cr_assert(ir_verify(b, err, sizeof err), "%s", err);
    char *text = print_block(b);
    cr_assert_str_eq(text,
                     "  v0 = ctx_load.v128 [ctx+64]\n"
                     "  v1 = ctx_load.v128 [ctx+80]\n"
                     "  v2 = ctx_load.i64 [ctx+8]\n"
                     "  v3 = vadd.v128.4s v0, v1\n"
                     "  v4 = vand.v128 v3, v1\n"
                     "  v5 = vsari.v128.8h v4, 3\n"
                     "  v6 = vextract.i64.2d v5, 1\n"
                     "  v7 = vinsert.v128.16b v5, v6, 15\n"
                     "  v8 = const.v128 0xff, 0x8000000000000000\n"
                     "  v9 = vbsl.v128 v7, v8, v0\n"
                     "  v10 = vdup.v128.8h v2\n"
                     "  v11 = vrev.v128.16b v10, 3\n"
                     "  v12 = vmaxuv.i64.16b v11\n"
                     "  ctx_store.v128 v9, [ctx+64]\n"
                     "  ctx_store.i64 v12, [ctx+8]\n"
                     "  goto 0x1004\n");
    free(text);
    ir_block_free(b);
}

/* One vector op on v128 operands (x = a i64 where the op takes an
 * integer), then an exit: whether the verifier accepts it, and why not. */
static bool vec_ok(ir_op op, unsigned lanes, int64_t imm, char *err)
{
    ir_block *b = ir_block_new(0);
    ir_val v = ir_ctx_load(b, IR_V128, 64), g = ir_ctx_load(b, IR_I64, 8);
    unsigned n = ir_info(op)->nargs;
    ir_val x = op == IR_VDUP ? g : v, y = op == IR_VINSERT ? g : v;
    ir_vop(b, op, lanes, x, n > 1 ? y : IR_NONE, n > 2 ? v : IR_NONE, imm);
    ir_goto(b, 4);
    err[0] = 0;
    bool ok = ir_verify(b, err, 128);
    ir_block_free(b);
    return ok;
}

Test(ir_verify, vector_ops_check_lanes_immediates_and_types)
{
    static const struct { ir_op op; unsigned lanes; int64_t imm; const char *msg; } cases[] = {
        {IR_VADD, 3, 0, NULL}, {IR_VMUL, 2, 0, NULL},
        {IR_VMUL, 3, 0, "v2: VMUL takes no lane size 3"},
        {IR_VAND, 1, 0, "v2: VAND takes no lane size 1"},
        {IR_VADDSATS, 1, 0, NULL}, {IR_VADDSATU, 2, 0, "v2: VADDSATU takes no lane size 2"},
        {IR_VSHLI, 0, 64, NULL},
        {IR_VSHRI, 3, 65, "v2: VSHRI immediate 65 out of range"},
        {IR_VSARI, 1, -1, "v2: VSARI immediate -1 out of range"},
        {IR_VEXTRACT, 0, 15, NULL}, {IR_VEXTRACT, 3, 1, NULL},
        {IR_VEXTRACT, 3, 2, "v2: VEXTRACT immediate 2 out of range"},
        {IR_VINSERT, 2, 4, "v2: VINSERT immediate 4 out of range"},
        {IR_VEXT, 0, 15, NULL}, {IR_VEXT, 0, 16, "v2: VEXT immediate 16 out of range"},
        {IR_VREV, 0, 1, NULL}, {IR_VREV, 2, 3, NULL},
        {IR_VREV, 2, 2, "v2: VREV immediate 2 out of range"},
        {IR_VWIDENS, 2, 1, NULL}, {IR_VWIDENU, 0, 2, "v2: VWIDENU immediate 2 out of range"},
        {IR_VADD, 0, 1, "v2: VADD immediate 1 out of range"},
        {IR_VCNT, 1, 0, "v2: VCNT takes no lane size 1"}, {IR_VADDV, 2, 0, NULL},
        {IR_VMINUV, 3, 0, "v2: VMINUV takes no lane size 3"},
        {IR_VBSL, 0, 0, NULL}, {IR_VDUP, 3, 0, NULL}, {IR_VTBL, 0, 0, NULL},
    };
    char err[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = vec_ok(cases[i].op, cases[i].lanes, cases[i].imm, err);
        const char *name = ir_info(cases[i].op)->name;
        if (!cases[i].msg) {
            cr_expect(ok, "%s.%u %lld: %s", name, cases[i].lanes, (long long)cases[i].imm, err);
            continue;
        }
        cr_expect(!ok, "%s.%u %lld accepted", name, cases[i].lanes, (long long)cases[i].imm);
        cr_expect_str_eq(err, cases[i].msg);
    }
}

Test(ir_verify, vector_operand_and_result_types)
{
    char err[128];
    ir_block *b = ir_block_new(0);
    ir_val v = ir_ctx_load(b, IR_V128, 64), g = ir_ctx_load(b, IR_I64, 8);
    ir_vop(b, IR_VADD, 0, v, g, IR_NONE, 0); /* an integer where a vector goes */
    ir_goto(b, 4);
    cr_expect(!ir_verify(b, err, sizeof err));
    cr_expect_str_eq(err, "v2: operand v1 has type i64");
    ir_block_reset(b, 0);
    v = ir_ctx_load(b, IR_V128, 64);
    ir_vop(b, IR_VDUP, 0, v, IR_NONE, IR_NONE, 0); /* a vector where an integer goes */
    ir_goto(b, 4);
    cr_expect(!ir_verify(b, err, sizeof err));
    cr_expect_str_eq(err, "v1: operand v0 has type v128");
    ir_block_reset(b, 0);
    v = ir_ctx_load(b, IR_V128, 64);
    ir_emit(b, IR_VXOR, IR_I64, v, v, IR_NONE, 0, 0); /* a vector op yielding i64 */
    ir_goto(b, 4);
    cr_expect(!ir_verify(b, err, sizeof err));
    cr_expect_str_eq(err, "v1: VXOR yields v128");
    ir_block_reset(b, 0);
    v = ir_ctx_load(b, IR_V128, 64);
    ir_binop(b, IR_ADD, IR_V128, v, v); /* v128 through a scalar op */
    ir_goto(b, 4);
    cr_expect(!ir_verify(b, err, sizeof err));
    cr_expect_str_eq(err, "v1: operand v0 has type v128");
    ir_block_free(b);
}
