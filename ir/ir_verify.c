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

static bool is_int(ir_type t) { return t == IR_I32 || t == IR_I64; }

/* Operand types: i64 ops take i64 values; i32 ops read the low half of
 * either; SEXT/ZEXT and stores take any integer; addresses are i64. */
static bool arg_type_ok(const ir_insn *in, int k, ir_type at)
{
    bool addr = k == 0 && (in->op == IR_LOAD || in->op == IR_STORE || in->op == IR_CAS ||
                           in->op == IR_RMW || in->op == IR_GOTO_IND);
    bool any = in->op == IR_SEXT || in->op == IR_ZEXT || in->op == IR_CTX_STORE ||
               in->op == IR_CALL || (in->op == IR_STORE && k == 1) ||
               (k == 1 && (in->op == IR_SHL || in->op == IR_SHR || in->op == IR_SAR)) ||
               (k == 0 && in->op == IR_SELECT);
    if (addr)
        return at == IR_I64;
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
    if (info->results && !is_int(in->type))
        return fail(err, len, "v%u: %s has no integer type", v, info->name);
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
        if (!arg_type_ok(in, k, b->insns[a].type))
            return fail(err, len, "v%u: operand v%u has type %s", v, a,
                        ir_type_name(b->insns[a].type));
    }
    if ((info->flags & F_USES_CC) && in->cc >= IR_NUM_CONDS)
        return fail(err, len, "v%u: bad condition %u", v, in->cc);
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
