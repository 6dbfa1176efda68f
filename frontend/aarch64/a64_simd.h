/* Shared inside the AArch64 FP/SIMD translator: the operands the formats
 * of a64_simd.decode fill (a64_simd_formats.h), the descriptor that names
 * registers and shapes to the vector helpers (a64_simd_helpers.c), and the
 * IR generators one translator file lends another.
 *
 *   a64s_args a;  if (a64_simd_lookup_desc(insn, &a)) ... a.rd, a.q, a.size
 */
#ifndef FERRY_A64_SIMD_H
#define FERRY_A64_SIMD_H

#include "frontend/aarch64/a64_internal.h"

/* One decoded FP/SIMD instruction.  Fields keep their encoding's
 * positions where a format has them: rd 4:0, rn 9:5, rm 20:16, ra 14:10
 * (Rt2 of pairs), q 30, u 29, size 23:22 (ftype of scalar FP). */
typedef struct a64s_args {
    int64_t imm;             /* immediate, offset, shift or fbits */
    uint8_t rd, rn, rm, ra;
    uint8_t q, u, size, opc; /* opc: the opcode field the format names */
    uint8_t sf, rmode, cond, nzcv;
    uint8_t idx;             /* element index (by-element, copy) */
    uint8_t mode;            /* loads/stores: A64S_* addressing */
    uint8_t scalar;          /* 1: the scalar (one element) form */
    uint8_t opt, s;          /* register offset: extend option, S */
} a64s_args;

/* Addressing of SIMD&FP loads and stores. */
enum { A64S_OFFSET, A64S_POST, A64S_PRE, A64S_POST_REG };

typedef struct a64s_insn_desc {
    const char *name;
    uint8_t fmt;
    uint32_t mask, match;
} a64s_insn_desc;

/* The row of a64_simd.decode that insn matches, or NULL (tests, -d). */
const a64s_insn_desc *a64_simd_lookup_desc(uint32_t insn, a64s_args *a);

/* ---- vector helper descriptors (the helpers' a0): registers, shape and
 * the encoding's own opcode, which the helper switches on. */
#define A64V_D(x) ((uint64_t)(x))
#define A64V_N(x) ((uint64_t)(x) << 5)
#define A64V_M(x) ((uint64_t)(x) << 10)
#define A64V_SIZE(x) ((uint64_t)(x) << 15)
#define A64V_Q(x) ((uint64_t)(x) << 17)
#define A64V_U(x) ((uint64_t)(x) << 18)
#define A64V_OPC(x) ((uint64_t)(x) << 19)
#define A64V_SCALAR(x) ((uint64_t)(x) << 25)

typedef struct a64v_desc {
    unsigned d, n, m, size, q, u, opc, scalar;
} a64v_desc;

static inline a64v_desc a64v_unpack(uint64_t x)
{
    a64v_desc v = {(unsigned)x & 31, (unsigned)(x >> 5) & 31, (unsigned)(x >> 10) & 31,
                   (unsigned)(x >> 15) & 3, (unsigned)(x >> 17) & 1, (unsigned)(x >> 18) & 1,
                   (unsigned)(x >> 19) & 31, (unsigned)(x >> 25) & 1};
    return v;
}

/* The helpers (a64_simd_helpers.c); each takes the descriptor as a0.
 * Integer-only C: none touches the host FP state. */
extern const ir_helper a64_h_3same;  /* a1 unused */
extern const ir_helper a64_h_2misc;
extern const ir_helper a64_h_3diff;
extern const ir_helper a64_h_across;
extern const ir_helper a64_h_shift;  /* a1: the immh:immb field */
extern const ir_helper a64_h_elem;   /* a1: element index */
extern const ir_helper a64_h_perm;   /* opc: A64P_*; a1: imm (ext, tbl len) */
extern const ir_helper a64_h_ldst;   /* structure words; see below */
extern const ir_helper a64_h_f16;    /* half-precision conversions */

/* Which (u, opc) each integer helper implements, for the translator to
 * reject the rest before it emits anything (bit opc of [u]), and which
 * element sizes they take (a64_simd_helpers.c). */
bool a64v_3same_ok(unsigned u, unsigned opc, unsigned size, bool scalar);
bool a64v_2misc_ok(unsigned u, unsigned opc, unsigned size, bool scalar);
bool a64v_3diff_ok(unsigned u, unsigned opc, unsigned size, bool scalar);
bool a64v_across_ok(unsigned u, unsigned opc, unsigned size, unsigned q);
bool a64v_shift_ok(unsigned u, unsigned opc, bool scalar, unsigned immh, unsigned q);
bool a64v_elem_ok(unsigned u, unsigned opc, unsigned size, bool scalar);

/* a64_h_perm sub-operations (opc); 1-7 are the permute opcode field. */
enum { A64P_UZP1 = 1, A64P_TRN1 = 2, A64P_ZIP1 = 3, A64P_UZP2 = 5, A64P_TRN2 = 6,
       A64P_ZIP2 = 7, A64P_EXT = 8, A64P_TBL = 9, A64P_TBX = 10 };

/* a64_h_ldst: a0 = descriptor (d = first register, size, q, opc = number
 * of registers of an ld2-4/st2-4 structure), a1 = 64-bit word index of
 * the interleaved memory image; u = 0: returns that word gathered from
 * the registers (stores); u = 1: scatters a2 (the word loaded) into them. */

/* a64_h_f16: a0 = A64H_* kind, a1 = the bits; returns the result's bits
 * with the IR_FX_* flags it raised in bits 63:56 (rounding from FPCR). */
enum { A64H_H2S, A64H_S2H, A64H_D2H };

/* a64_h_fpest (a64_fp_est.c): a0 = A64E_* | A64E_DOUBLE [| A64E_FLAGS],
 * a1 = the operand's bits; returns the estimate's bits, or with
 * A64E_FLAGS the IR_FX_* flags computing it raises (FPCR from the CPU). */
enum { A64E_RECPE, A64E_RSQRTE, A64E_RECPX, A64E_URECPE, A64E_URSQRTE,
       A64E_DOUBLE = 8, A64E_FLAGS = 16 };
extern const ir_helper a64_h_fpest;

/* a64_h_crypto (a64_crypto.c): a0 = descriptor (d, n, m; opc an A64C_*):
 * the AES and SHA instructions on the V registers. */
enum { A64C_AESE, A64C_AESD, A64C_AESMC, A64C_AESIMC, A64C_SHA1C, A64C_SHA1P,
       A64C_SHA1M, A64C_SHA1SU0, A64C_SHA256H, A64C_SHA256H2, A64C_SHA256SU1,
       A64C_SHA1H, A64C_SHA1SU1, A64C_SHA256SU0 };
extern const ir_helper a64_h_crypto;

/* The aux of every FP op the translator emits: Arm's NaN rules. */
#define A64_NAN IR_FP_ARM_NAN

/* ---- IR generators of a64_trans_fp.c used by the vector code */
/* x op y for op IR_FMIN/IR_FMAX: Arm fmin/fmax (nm = false: any NaN
 * gives the processed NaN) or fminnm/fmaxnm (a quiet NaN loses to a number). */
ir_val a64_fp_minmax(a64_ctx *c, ir_type t, ir_op op, bool nm, ir_val x, ir_val y);
/* Arm's FPProcessNaNs(x, y) (honouring FPCR.DN) for the caller to select
 * when any_nan (an integer 0/1 of t's width); raises invalid for an sNaN
 * and nothing when there is no NaN. */
ir_val a64_fp_process_nans(a64_ctx *c, ir_type t, ir_val any_nan, ir_val x, ir_val y);
/* IDC for a denormal x or y (IR_NONE: none) while FPCR.FZ is set: for
 * the ops whose backend lowering does not raise it (see a64_trans_fp.c) */
void a64_fp_idc(a64_ctx *c, ir_type t, ir_val x, ir_val y);
/* frint*: x rounded to an integral value by rm; exact: raise inexact
 * (frintx) or not (all others). */
ir_val a64_fp_round(a64_ctx *c, ir_type t, ir_round rm, bool exact, ir_val x);
/* float to integer of width it (saturating, NaN to 0), rounded by rm */
ir_val a64_fp_to_int(a64_ctx *c, ir_type it, ir_type ft, ir_round rm, bool sign, ir_val x);
/* FPToFixed: x * 2^fbits to an integer of width it, toward zero; the
 * scaling raises no flag of its own (only the conversion does) */
ir_val a64_fp_to_fixed(a64_ctx *c, ir_type it, ir_type ft, bool sign, unsigned fbits, ir_val x);
/* 2^e as a constant of float type t */
ir_val a64_fp_pow2(a64_ctx *c, ir_type t, int e);
/* The accrued flags (i64 of IR_FX_* bits), and replacing them */
ir_val a64_fp_flags(a64_ctx *c);
void a64_fp_set_flags(a64_ctx *c, ir_val flags);
/* ORs flags (an i64 of IR_FX_* bits) into the accrued flags */
void a64_fp_raise(a64_ctx *c, ir_val flags);
/* rounding of an A64 rmode field (0 N, 1 P, 2 M, 3 Z) */
ir_round a64_rmode_round(unsigned rmode);
ir_val a64_fneg(a64_ctx *c, ir_type t, ir_val x);
ir_val a64_fabs(a64_ctx *c, ir_type t, ir_val x);

/* VFPExpandImm: an 8-bit FP immediate as single or double bits */
int64_t a64_fp_expand_imm(unsigned imm8, bool dbl);

/* ---- vector register access (a64_trans_simd.c) */
/* Element idx of 1 << size bytes of register r, zero-extended to i64. */
ir_val a64_v_get_lane(a64_ctx *c, unsigned r, unsigned size, unsigned idx);
/* Writes element idx (the low bits of v, any integer type); the rest of
 * the register is kept. */
void a64_v_set_lane(a64_ctx *c, unsigned r, unsigned size, unsigned idx, ir_val v);
#define A64_OFF_VB(r, byte) (A64_OFF_V(r) + (uint32_t)(byte))
/* Register r as a v128 value, and writing one: with !q only the low 64
 * bits of x, the rest zeroed (the 64-bit forms).  a64_vlow: x's low 64
 * bits, the rest 0. */
ir_val a64_vreg(a64_ctx *c, unsigned r);
void a64_vreg_set(a64_ctx *c, unsigned r, ir_val x, bool q);
ir_val a64_vlow(a64_ctx *c, ir_val x);
/* Zeroes register r from byte `from` (8 or 4 or 0) to its end. */
void a64_v_zero_from(a64_ctx *c, unsigned r, unsigned from);
/* A scalar result (f32/f64/i32/i64) into register r; the rest zeroed. */
void a64_v_set_scalar(a64_ctx *c, unsigned r, ir_val v);

#endif
