/* Exact IEEE 754 arithmetic in integers (fp_soft.c): the slow path of the
 * floating-point lowering.  It knows every rounding mode, RMM included,
 * RISC-V's flags (tininess after rounding; Arm's, before rounding, for
 * IR_FP_ARM_NAN ops), saturating conversions and
 * IEEE 754-2019 minimumNumber/maximumNumber, and runs whatever MXCSR holds.
 *
 *   unsigned fx = 0;
 *   uint64_t r = x86_sf_op(IR_FADD, IR_F64, IR_F64, IR_RM_RMM, IR_FP_CANON_NAN, a, b, 0, &fx);
 */
#ifndef FERRY_X86_FP_SOFT_H
#define FERRY_X86_FP_SOFT_H

#include <stdint.h>

#include "ir/ir.h"

/* Beyond the IR's bits: rm | X86_SF_FLUSH applies Arm's FPCR.FZ (denormal
 * inputs are zero and raise IR_FX_INPUT_DENORMAL; results tiny before
 * rounding are zero and raise underflow alone); aux | X86_SF_DEFAULT_NAN
 * is FPCR.DN for IR_FP_ARM_NAN ops.  rm | X86_SF_TINY_BEFORE judges
 * tininess before rounding (Arm's FPRound); x86_sf_op sets it itself for
 * IR_FP_ARM_NAN ops. */
enum { X86_SF_RM = 7, X86_SF_FLUSH = 8, X86_SF_TINY_BEFORE = 16, X86_SF_DEFAULT_NAN = 0x80 };

/* op (BITCAST..FCVT_FF but FNEG/FABS/FSETCC) of result type t, a0's type
 * st, rounding rm (not DYN), IR_FP_* aux; ORs IR_FX_* bits into *fx. */
uint64_t x86_sf_op(ir_op op, ir_type t, ir_type st, int rm, unsigned aux, uint64_t a,
                   uint64_t b, uint64_t c, unsigned *fx);

#endif
