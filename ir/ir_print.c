/* The IR printer: the text of -d op / -d op_opt and of the pass tests.
 *
 *   ---- 0x10078
 *   v1 = ctx_load.i64 [a0]
 *   v2 = add.i64 v1, v0
 *   ctx_store.i64 v2, [a0]
 *   branch.i64 lt v2, v0, 0x10080, 0x1007c
 */
#include <ctype.h>
#include <inttypes.h>

#include "ir/ir.h"

static const char *const type_names[] = {"void", "i32", "i64", "f32", "f64", "v128"};
static const char *const cond_names[IR_NUM_CONDS] = {
    "eq", "ne", "lt", "ge", "le", "gt", "ltu", "geu", "leu", "gtu", "mi", "pl", "vs", "vc"};
static const char *const rmw_names[IR_NUM_RMW] = {
    "xchg", "add", "and", "or", "xor", "smin", "smax", "umin", "umax"};
static const char *const trap_names[IR_NUM_TRAPS] = {"illegal", "breakpoint", "fetch"};

static const char *const round_names[IR_NUM_RM] = {"dyn", "rne", "rtz", "rdn", "rup", "rmm"};

const char *ir_round_name(ir_round r) { return r < IR_NUM_RM ? round_names[r] : "?"; }

const char *ir_type_name(ir_type t) { return t <= IR_V128 ? type_names[t] : "?"; }
const char *ir_cond_name(ir_cond c) { return c < IR_NUM_CONDS ? cond_names[c] : "?"; }

static void print_name(FILE *out, const char *s)
{
    while (*s)
        fputc(tolower((unsigned char)*s++), out);
}

static void print_off(FILE *out, int64_t off, ir_ctx_namer namer)
{
    const char *n = namer ? namer((uint32_t)off) : NULL;
    if (n)
        fprintf(out, "[%s]", n);
    else
        fprintf(out, "[ctx+%" PRId64 "]", off);
}

static void print_imm(FILE *out, const ir_insn *in, ir_ctx_namer namer, int sep)
{
    const char *c = sep ? ", " : " ";
    switch (ir_info(in->op)->imm_kind) {
    case I_INT:
        if (in->op == IR_CONST && in->type == IR_V128) /* low 64 bits, then high */
            fprintf(out, "%s0x%" PRIx64 ", 0x%" PRIx64, c, (uint64_t)in->imm, (uint64_t)in->imm2);
        else if (in->op == IR_RMW)
            fprintf(out, "%s%s", c, in->imm < IR_NUM_RMW ? rmw_names[in->imm] : "?");
        else
            fprintf(out, "%s%" PRId64, c, in->imm);
        break;
    case I_PC:
        fprintf(out, "%s0x%" PRIx64, c, (uint64_t)in->imm);
        break;
    case I_OFF:
        fputs(c, out);
        print_off(out, in->imm, namer);
        break;
    case I_PC2:
        fprintf(out, "%s0x%" PRIx64 ", 0x%" PRIx64, c, (uint64_t)in->imm, (uint64_t)in->imm2);
        break;
    case I_HELPER: {
        const ir_helper *h = (const ir_helper *)(uintptr_t)in->imm;
        fprintf(out, "%s%s", c, h ? h->name : "?");
        break;
    }
    case I_KIND:
        fprintf(out, "%s%s, 0x%" PRIx64, c,
                in->imm >= 0 && in->imm < IR_NUM_TRAPS ? trap_names[in->imm] : "?",
                (uint64_t)in->imm2);
        break;
    }
}

void ir_print_insn(const ir_block *b, ir_val v, FILE *out, ir_ctx_namer namer)
{
    const ir_insn *in = &b->insns[v];
    const ir_op_info *info = ir_info(in->op);
    if (in->op == IR_INSN_START) {
        fprintf(out, "---- 0x%" PRIx64 "\n", (uint64_t)in->imm);
        return;
    }
    fputs("  ", out);
    if (info->results)
        fprintf(out, "v%u = ", v);
    print_name(out, info->name);
    if (in->type != IR_VOID)
        fprintf(out, ".%s", ir_type_name(in->type));
    if (info->flags & F_USES_MEMOP)
        fprintf(out, ".%c%d", (in->aux & IR_MSIGN) ? 's' : 'u', 8 << (in->aux & IR_MSIZE));
    if ((info->flags & F_USES_RM) && in->cc != IR_RM_DYN)
        fprintf(out, ".%s", ir_round_name(in->cc));
    if ((info->flags & F_FP_AUX) && (in->aux & IR_FP_SIGNED))
        fputs(".signed", out);
    if ((info->flags & F_FP_AUX) && (in->aux & IR_FP_CANON_NAN))
        fputs(".canon", out);
    if ((info->flags & F_FP_AUX) && (in->aux & IR_FP_NAN_ZERO))
        fputs(".nan0", out);
    if ((info->flags & F_FP_AUX) && (in->aux & IR_FP_SIGNAL))
        fputs(".signal", out);
    if ((info->flags & F_FP_AUX) && (in->aux & IR_FP_ARM_NAN))
        fputs(".armnan", out);
    if (info->flags & F_LANES) /* as Arm writes the arrangement */
        fprintf(out, ".%d%c", 16 >> (in->aux & 3), "bhsd"[in->aux & 3]);
    if (info->flags & F_USES_CC)
        fprintf(out, " %s", ir_cond_name(in->cc));
    int n = 0;
    bool mem = in->op == IR_LOAD || in->op == IR_STORE;
    for (int k = 0; k < info->nargs; k++) {
        if (in->a[k] == IR_NONE || (mem && k == ir_mem_index(in)))
            continue;
        fprintf(out, "%sv%u", n++ ? ", " : " ", in->a[k]);
    }
    print_imm(out, in, namer, n > 0);
    if (mem && in->a[ir_mem_index(in)] != IR_NONE)
        fprintf(out, ", index v%u << %" PRId64, in->a[ir_mem_index(in)], in->imm2);
    if (mem && in->imm)
        fprintf(out, ", disp %" PRId64, in->imm);
    if ((in->op == IR_GOTO || in->op == IR_GOTO_IND) && in->imm2)
        fprintf(out, ", call returns to 0x%" PRIx64, (uint64_t)in->imm2);
    if (in->op == IR_GOTO_IND && in->imm == IR_JUMP_RETURN)
        fputs(", return", out);
    fputc('\n', out);
}

void ir_print(const ir_block *b, FILE *out, ir_ctx_namer namer)
{
    for (ir_val v = 0; v < b->n; v++)
        ir_print_insn(b, v, out, namer);
}
