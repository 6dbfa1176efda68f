/* The IR verifier: checks what every pass and the backend rely on.
 * Run after the frontend and after each pass in debug builds and tests. */
#include <inttypes.h>
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
    case IR_FP_FLAGS_RAISE:
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

static bool is_vec_op(ir_op op) { return op >= IR_VAND && op <= IR_VMINUV; }

/* Operand types of the vector ops: v128, but for the integers VDUP and
 * VINSERT put into lanes. */
static bool vec_arg_ok(const ir_insn *in, int k, ir_type at)
{
    if ((in->op == IR_VDUP && k == 0) || (in->op == IR_VINSERT && k == 1))
        return is_int(at);
    return at == IR_V128;
}

/* The largest lane size (log2 bytes) each vector op takes. */
static unsigned vec_max_lanes(ir_op op)
{
    switch (op) {
    case IR_VAND: case IR_VOR: case IR_VXOR: case IR_VANDN: case IR_VNOT: case IR_VBSL:
    case IR_VEXT: case IR_VTBL: case IR_VCNT:
        return 0;
    case IR_VADDSATS: case IR_VADDSATU: case IR_VSUBSATS: case IR_VSUBSATU:
        return 1;
    case IR_VMUL: case IR_VMINS: case IR_VMAXS: case IR_VMINU: case IR_VMAXU:
    case IR_VWIDENS: case IR_VWIDENU: case IR_VNARROW:
    case IR_VADDV: case IR_VMAXSV: case IR_VMAXUV: case IR_VMINSV: case IR_VMINUV:
        return 2;
    default:
        return 3;
    }
}

/* Whether imm is in the op's range (ir_ops.def), given its lane size. */
static bool vec_imm_ok(const ir_insn *in)
{
    int64_t imm = in->imm;
    switch (in->op) {
    case IR_VSHLI: case IR_VSHRI: case IR_VSARI:
        return imm >= 0 && imm <= 64;
    case IR_VEXTRACT: case IR_VINSERT:
        return imm >= 0 && imm < (16 >> in->aux);
    case IR_VEXT:
        return imm >= 0 && imm < 16;
    case IR_VREV:
        return imm > in->aux && imm <= 3;
    case IR_VWIDENS: case IR_VWIDENU:
        return imm == 0 || imm == 1;
    default:
        return imm == 0;
    }
}

static bool verify_vec(const ir_block *b, ir_val v, char *err, size_t len)
{
    const ir_insn *in = &b->insns[v];
    const char *name = ir_info(in->op)->name;
    ir_type want = ir_vop_yields_int((ir_op)in->op) ? IR_I64 : IR_V128;
    if (in->type != want)
        return fail(err, len, "v%u: %s yields %s", v, name, ir_type_name(want));
    if (in->aux > vec_max_lanes((ir_op)in->op))
        return fail(err, len, "v%u: %s takes no lane size %u", v, name, in->aux);
    if (!vec_imm_ok(in))
        return fail(err, len, "v%u: %s immediate %lld out of range", v, name, (long long)in->imm);
    return true;
}

/* Operand types: i64 ops take i64 values; i32 ops read the low half of
 * either; SEXT/ZEXT and stores take any integer; addresses are i64. */
static bool arg_type_ok(const ir_insn *in, int k, ir_type at, const ir_block *b)
{
    bool addr = (k == 0 && (in->op == IR_LOAD || in->op == IR_STORE || in->op == IR_CAS ||
                            in->op == IR_RMW || in->op == IR_GOTO_IND)) ||
                ((in->op == IR_LOAD || in->op == IR_STORE) && k == ir_mem_index(in));
    bool any = in->op == IR_SEXT || in->op == IR_ZEXT || in->op == IR_CALL ||
               (k == 1 && (in->op == IR_SHL || in->op == IR_SHR || in->op == IR_SAR)) ||
               (k == 0 && in->op == IR_SELECT);
    if (addr)
        return at == IR_I64;
    if (is_vec_op((ir_op)in->op))
        return vec_arg_ok(in, k, at);
    if (in->op == IR_CTX_STORE || (in->op == IR_STORE && k == 1))
        return at != IR_VOID;
    if (in->op == IR_VPAIR)
        return at == IR_I64;
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
            if ((in->op == IR_LOAD || in->op == IR_STORE) && k == ir_mem_index(in))
                continue; /* no index */
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
    if ((in->op == IR_LOAD || in->op == IR_STORE) &&
        (in->a[ir_mem_index(in)] == IR_NONE ? in->imm2 != 0 : (uint64_t)in->imm2 > 3))
        return fail(err, len, "v%u: bad index scale %" PRId64, v, in->imm2);
    if ((info->flags & F_USES_RM) && in->cc >= IR_NUM_RM)
        return fail(err, len, "v%u: bad rounding mode %u", v, in->cc);
    if ((info->flags & F_USES_CC) &&
        in->cc >= (in->op == IR_FLAGS_TEST ? IR_NUM_CONDS : IR_NUM_CMP_CONDS))
        return fail(err, len, "v%u: bad condition %u", v, in->cc);
    if (in->op >= IR_FLAGS_ADD && in->op <= IR_FLAGS_LOGIC && in->imm != 32 && in->imm != 64)
        return fail(err, len, "v%u: flags width %lld", v, (long long)in->imm);
    if (is_vec_op((ir_op)in->op) && !verify_vec(b, v, err, len))
        return false;
    if (in->type == IR_V128 && in->op != IR_CTX_LOAD && in->op != IR_LOAD &&
        in->op != IR_CTX_STORE && in->op != IR_STORE && in->op != IR_CONST &&
        in->op != IR_VPAIR && !is_vec_op((ir_op)in->op))
        return fail(err, len, "v%u: %s does not take v128", v, info->name);
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
