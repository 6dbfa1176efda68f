/* Stand-ins for what the FP/SIMD translator (a64_trans_fp.c,
 * a64_trans_simd.c) exports, so the base frontend links alone: no word
 * is FP/SIMD, FPCR keeps its rounding mode in a64_cpu and mirrors it with
 * FP_RM_SET, FPSR reads the IR's accrued flags.  Weak, and listed last
 * in frontend/local.am: when the real files are in libferry.a the linker
 * takes their (earlier) members and never pulls this one. */
#include "frontend/aarch64/a64_internal.h"

__attribute__((weak)) bool a64_decode_simd(a64_ctx *c, uint32_t insn)
{
    (void)c, (void)insn;
    return false;
}

static ir_val k(a64_ctx *c, int64_t v) { return ir_const(c->b, IR_I64, v); }
static ir_val bin(a64_ctx *c, ir_op op, ir_val x, ir_val y)
{
    return ir_binop(c->b, op, IR_I64, x, y);
}

__attribute__((weak)) ir_val a64_fpcr_read(a64_ctx *c)
{
    return ir_zext(c->b, IR_I64, ir_ctx_load(c->b, IR_I32, A64_OFF_FPCR), 32);
}

/* FPCR.RMode (23:22) RN RP RM RZ as an ir_round: nibble rmode of 0x2341 */
__attribute__((weak)) void a64_fpcr_write(a64_ctx *c, ir_val v)
{
    ir_ctx_store(c->b, ir_zext(c->b, IR_I32, v, 32),
                 A64_OFF_FPCR);
    ir_val rmode = bin(c, IR_AND, bin(c, IR_SHR, v, k(c, 22)), k(c, 3));
    ir_val rm = bin(c, IR_SHR, k(c, 0x2341), bin(c, IR_SHL, rmode, k(c, 2)));
    rm = bin(c, IR_AND, rm, k(c, 15));
    ir_emit(c->b, IR_FP_RM_SET, IR_VOID, rm, IR_NONE, IR_NONE, 0, 0);
}

/* IR_FX_* (inexact 1 .. invalid 16) is FPSR's IOC..IXC (bits 0-4)
 * reversed; the other FPSR bits (QC, IDC) live in a64_cpu.fpsr */
static ir_val rev5(a64_ctx *c, ir_val f)
{
    ir_val r = k(c, 0);
    for (int i = 0; i < 5; i++) {
        ir_val bit = bin(c, IR_AND, bin(c, IR_SHR, f, k(c, i)), k(c, 1));
        r = bin(c, IR_OR, r, bin(c, IR_SHL, bit, k(c, 4 - i)));
    }
    return r;
}

__attribute__((weak)) ir_val a64_fpsr_read(a64_ctx *c)
{
    ir_val f = ir_emit(c->b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0);
    ir_val kept = ir_zext(c->b, IR_I64, ir_ctx_load(c->b, IR_I32, A64_OFF_FPSR), 32);
    return bin(c, IR_OR, kept, rev5(c, f));
}

__attribute__((weak)) void a64_fpsr_write(a64_ctx *c, ir_val v)
{
    ir_val kept = bin(c, IR_AND, v, k(c, 0xf8000080)); /* NZCV QC, IDC */
    ir_ctx_store(c->b, ir_zext(c->b, IR_I32, kept, 32),
                 A64_OFF_FPSR);
    ir_emit(c->b, IR_FP_FLAGS_SET, IR_VOID, rev5(c, v), IR_NONE, IR_NONE, 0, 0);
}
