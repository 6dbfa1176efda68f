/* The trans_ functions of a64_simd.decode, spread over a64_trans_fp.c
 * (scalar FP), a64_trans_vls.c (loads and stores), a64_trans_simd.c
 * (integer and permute vector ops, and the decoder) and a64_trans_vfp.c
 * (vector FP, lane by lane in IR).  One list, so the generated decoder
 * in a64_trans_simd.c sees them all. */
#ifndef FERRY_A64_SIMD_TRANS_H
#define FERRY_A64_SIMD_TRANS_H

#include "frontend/aarch64/a64_simd.h"

#define A64S_TRANS(name) bool trans_##name(a64_ctx *c, a64s_args *a)

#define A64S_TRANS_LIST(X)                                                               \
    X(fmov_r) X(fabs) X(fneg) X(fsqrt) X(fcvt) X(frint) X(fcmp) X(fmov_i) X(fccmp)       \
    X(fmul) X(fdiv) X(fadd) X(fsub) X(fmax) X(fmin) X(fmaxnm) X(fminnm) X(fnmul)         \
    X(fcsel) X(fmadd) X(fmsub) X(fnmadd) X(fnmsub) X(fcvtzs_fix) X(fcvtzu_fix)           \
    X(scvtf_fix) X(ucvtf_fix) X(fcvt_fi) X(fcvta_fi) X(cvtf_if) X(fmov_g)                \
    X(vls_uimm) X(vls_unscaled) X(vls_post) X(vls_pre) X(vls_reg) X(vldr_lit)            \
    X(vls_pair) X(vls_multi) X(vls_multi_post) X(vls_single) X(vls_single_post)          \
    X(vmovi) X(vshift) X(vlogic) X(v3same_fp) X(v3same) X(v2misc) X(vacross) X(v3diff)   \
    X(vcopy) X(vperm) X(vext) X(vtbl) X(velem) X(sshift) X(s3same_fp) X(s3same)          \
    X(s2misc) X(spair) X(sdup) X(selem) X(s3diff) X(aes) X(sha3) X(sha2)

#define A64S_DECLARE(name) A64S_TRANS(name);
A64S_TRANS_LIST(A64S_DECLARE)
#undef A64S_DECLARE

/* Vector FP (a64_trans_vfp.c), called by the rows that mix integer and
 * FP opcodes once they see an FP one; false: not implemented. */
bool a64_vfp_2misc(a64_ctx *c, a64s_args *a);
bool a64_vfp_across(a64_ctx *c, a64s_args *a);
bool a64_vfp_pair(a64_ctx *c, a64s_args *a);   /* scalar faddp, fmaxp... */
bool a64_vfp_elem(a64_ctx *c, a64s_args *a);
bool a64_vfp_shift(a64_ctx *c, a64s_args *a);  /* fixed-point conversions */
bool a64_vfp_is_2misc(const a64s_args *a);
bool a64_vfp_is_elem(const a64s_args *a);

#endif
