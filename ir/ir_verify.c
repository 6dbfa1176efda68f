/* The IR verifier: checks what every pass and the backend rely on.
 * Run after the frontend and after each pass in debug builds and tests. */
#include <stdarg.h>

#include "ir/ir.h"

static bool fail(char *err, size_t len, const char *fmt, ...)
{
    if (err && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, len, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool is_int(ir_type t) { return ir_is_int(t); }

static int width(ir_type t) { return t == IR_I32 || t == IR_F32 ? 32 : t == IR_VOID ? 0 : 64; }

/* Operand types of the floating-point ops. */
static bool fp_arg_ok(const ir_insn *in, int k, ir_type at, const ir_block *b)
{
    switch (in->op) {
    case IR_FSETCC:
        return ir_is_float(at) && at == b->insns[in->a[0]].type;
    case IR_FCVT_FI:
        return ir_is_float(at);
    case IR_FCVT_IF:
    case IR_FP_FLAGS_SET:
    case IR_FP_RM_SET:
    case IR_FP_MODE_SET:
        return is_int(at);
    case IR_FCVT_FF:
        return ir_is_float(at) && at != in->type;
    case IR_BITCAST:
        return at != in->type && width(at) == width(in->type);
    default: /* arithmetic: the instruction's own float type */
        return at == in->type;
    }
}

/* Operand types: i64 ops take i64 values; i32 ops read the low half of
 * either; SEXT/ZEXT and stores take any integer; addresses are i64. */
static bool arg_type_ok(const ir_insn *in, int k, ir_type at, const ir_block *b)
{
    bool addr = k == 0 && (in->op == IR_LOAD || in->op == IR_STORE || in->op == IR_CAS ||
                           in->op == IR_RMW || in->op == IR_GOTO_IND);
    bool any = in->op == IR_SEXT || in->op == IR_ZEXT || in->op == IR_CALL ||
               (k == 1 && (in->op == IR_SHL || in->op == IR_SHR || in->op == IR_SAR)) ||
               (k == 0 && in->op == IR_SELECT);
    if (addr)
        return at == IR_I64;
    if (in->op == IR_CTX_STORE || (in->op == IR_STORE && k == 1))
        return at != IR_VOID;
    if (in->op >= IR_BITCAST && in->op <= IR_FP_MODE_SET)
        return fp_arg_ok(in, k, at, b);
    if (in->op == IR_FLAGS_FCMP)
        return ir_is_float(at) && at == b->insns[in->a[0]].type;
    if (in->op >= IR_FLAGS_ADD && in->op <= IR_FLAGS_TEST) /* flags values are i64 */
        return is_int(at) && (in->imm != 64 || at == IR_I64 || k == 2);
    if (ir_is_float(in->type) && !any) /* SELECT, LOAD of a float */
        return at == in->type;
    if (any || in->type != IR_I64)
        return is_int(at);
    return at == IR_I64;
}

static bool verify_insn(const ir_block *b, ir_val v, char *err, size_t len)
{
    const ir_insn *in = &b->insns[v];
    if (in->op >= IR_NUM_OPS)
        return fail(err, len, "v%u: bad op %u", v, in->op);
    const ir_op_info *info = ir_info(in->op);
    if (info->results && in->type == IR_VOID)
        return fail(err, len, "v%u: %s has no type", v, info->name);
    bool fp_op = in->op >= IR_FADD && in->op <= IR_FCVT_FF && in->op != IR_FSETCC &&
                 in->op != IR_FCVT_FI;
    if (fp_op && !ir_is_float(in->type))
        return fail(err, len, "v%u: %s needs a float type", v, info->name);
    if ((in->op == IR_FSETCC || in->op == IR_FCVT_FI) && !is_int(in->type))
        return fail(err, len, "v%u: %s needs an integer type", v, info->name);
    for (int k = 0; k < 3; k++) {
        ir_val a = in->a[k];
        if (k >= info->nargs) {
            if (a != IR_NONE)
                return fail(err, len, "v%u: %s has an operand %d too many", v, info->name, k);
            continue;
        }
        if (a == IR_NONE) {
            if (in->op == IR_CALL) /* helpers take fewer */
                continue;
            return fail(err, len, "v%u: %s is missing operand %d", v, info->name, k);
        }
        if (a >= v)
            return fail(err, len, "v%u: operand v%u is not defined before it", v, a);
        if (!ir_info(b->insns[a].op)->results)
            return fail(err, len, "v%u: operand v%u yields no value", v, a);
        if (!arg_type_ok(in, k, b->insns[a].type, b))
            return fail(err, len, "v%u: operand v%u has type %s", v, a,
                        ir_type_name(b->insns[a].type));
    }
    if ((info->flags & F_USES_RM) && in->cc >= IR_NUM_RM)
        return fail(err, len, "v%u: bad rounding mode %u", v, in->cc);
    if ((info->flags & F_USES_CC) &&
        in->cc >= (in->op == IR_FLAGS_TEST ? IR_NUM_CONDS : IR_NUM_CMP_CONDS))
        return fail(err, len, "v%u: bad condition %u", v, in->cc);
    if (in->op >= IR_FLAGS_ADD && in->op <= IR_FLAGS_LOGIC && in->imm != 32 && in->imm != 64)
        return fail(err, len, "v%u: flags width %lld", v, (long long)in->imm);
    if (in->type == IR_V128 && in->op != IR_CTX_LOAD && in->op != IR_LOAD &&
        in->op != IR_CTX_STORE && in->op != IR_STORE)
        return fail(err, len, "v%u: only moves take v128 yet", v);
    if (in->op == IR_CALL && !in->imm)
        return fail(err, len, "v%u: call without a helper", v);
    bool last = v + 1 == b->n;
    if (!!(info->flags & F_ENDS_BLOCK) != last)
        return fail(err, len, last ? "v%u: block does not end with an exit"
                                   : "v%u: exit before the end of the block", v);
    return true;
}

bool ir_verify(const ir_block *b, char *err, size_t len)
{
    if (b->n == 0)
        return fail(err, len, "empty block");
    for (ir_val v = 0; v < b->n; v++)
        if (!verify_insn(b, v, err, len))
            return false;
    return true;
}
