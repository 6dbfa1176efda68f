/* Shared macros of the riscv64 assembly tests: a static program with no
 * libc.  Each CHECK compares a register with the value the RISC-V
 * unprivileged ISA manual gives; on a mismatch the program prints
 *   FAIL: <what>: got 0x<actual>, want 0x<expected>
 * and exits 1.  TEST_END exits 0.  s9, s10 and s11 belong to the macros;
 * t0-t2 are scratch; the instruction under test reads a1, a2 (fa1-fa3)
 * and writes a0 (fa0).
 *
 *   #include "test.h"
 *   TEST_BEGIN
 *   TEST_RR(add, 3, 1, 2)                  // add a0, a1, a2 with 1, 2
 *   TEST_END
 */
#define SYS_WRITE 64
#define SYS_EXIT 93

/* IEEE flags in fflags order */
#define NX 1
#define UF 2
#define OF 4
#define DZ 8
#define NV 16

/* Compare reg with exp; what is a string naming the check. */
#define CHECK(what, reg, exp)                                   \
    .pushsection .rodata; 9990: .asciz what; .popsection;       \
    lla s11, 9990b; mv s10, reg; li s9, exp; bne s10, s9, test_fail

/* rd = op rs1, rs2 and rd = op rs1, imm */
#define TEST_RR(op, exp, a, b)                                  \
    li a1, a; li a2, b; op a0, a1, a2;                          \
    CHECK(#op " " #a ", " #b, a0, exp)
#define TEST_RI(op, exp, a, imm)                                \
    li a1, a; op a0, a1, imm;                                   \
    CHECK(#op " " #a ", " #imm, a0, exp)
#define TEST_R1(op, exp, a)                                     \
    li a1, a; op a0, a1;                                        \
    CHECK(#op " " #a, a0, exp)
/* rd = rs1 op rs2 where rd is also rs1 (the translation must read first) */
#define TEST_RR_SAME(op, exp, a, b)                             \
    li a1, a; li a2, b; op a1, a1, a2;                          \
    CHECK(#op " rd=rs1 " #a ", " #b, a1, exp)

/* ---- floating point: values are bit patterns; fflags are cleared
 * before the instruction and compared after it */
#define FLAGS_CHECK(what, flags)                                \
    frflags t1; CHECK(what " fflags", t1, flags)
#define SET_D(freg, bits) li t0, bits; fmv.d.x freg, t0
#define SET_S(freg, bits) li t0, bits; fmv.w.x freg, t0
/* the low 32 bits of a single result, and a check that it is NaN-boxed */
#define GET_S(reg, freg)                                        \
    fmv.x.d reg, freg; srai t2, reg, 32;                        \
    .pushsection .rodata; 9991: .asciz "single result NaN-boxed"; .popsection; \
    lla s11, 9991b; mv s10, t2; li s9, -1; bne s10, s9, test_fail; \
    slli reg, reg, 32; srli reg, reg, 32

/* fa0 = op fa1, fa2, rm */
#define TEST_FRR_D(op, rm, exp, flags, a, b)                    \
    SET_D(fa1, a); SET_D(fa2, b); fsflags zero;                 \
    op fa0, fa1, fa2, rm; FLAGS_CHECK(#op "." #rm " " #a ", " #b, flags); \
    fmv.x.d t0, fa0; CHECK(#op "." #rm " " #a ", " #b, t0, exp)
#define TEST_FRR_S(op, rm, exp, flags, a, b)                    \
    SET_S(fa1, a); SET_S(fa2, b); fsflags zero;                 \
    op fa0, fa1, fa2, rm; FLAGS_CHECK(#op "." #rm " " #a ", " #b, flags); \
    GET_S(t0, fa0); CHECK(#op "." #rm " " #a ", " #b, t0, exp)
/* fa0 = op fa1, fa2 (no rm: fmin, fmax, fsgnj) */
#define TEST_FRR2_D(op, exp, flags, a, b)                       \
    SET_D(fa1, a); SET_D(fa2, b); fsflags zero;                 \
    op fa0, fa1, fa2; FLAGS_CHECK(#op " " #a ", " #b, flags);   \
    fmv.x.d t0, fa0; CHECK(#op " " #a ", " #b, t0, exp)
#define TEST_FRR2_S(op, exp, flags, a, b)                       \
    SET_S(fa1, a); SET_S(fa2, b); fsflags zero;                 \
    op fa0, fa1, fa2; FLAGS_CHECK(#op " " #a ", " #b, flags);   \
    GET_S(t0, fa0); CHECK(#op " " #a ", " #b, t0, exp)
/* fa0 = op fa1, rm (fsqrt, fcvt between formats) */
#define TEST_FR_D(op, rm, exp, flags, a)                        \
    SET_D(fa1, a); fsflags zero;                                \
    op fa0, fa1, rm; FLAGS_CHECK(#op "." #rm " " #a, flags);    \
    fmv.x.d t0, fa0; CHECK(#op "." #rm " " #a, t0, exp)
#define TEST_FR_S(op, rm, exp, flags, a)                        \
    SET_S(fa1, a); fsflags zero;                                \
    op fa0, fa1, rm; FLAGS_CHECK(#op "." #rm " " #a, flags);    \
    GET_S(t0, fa0); CHECK(#op "." #rm " " #a, t0, exp)
/* single fa0 = op double fa1, rm (fcvt.s.d) */
#define TEST_FR_SD(op, rm, exp, flags, a)                       \
    SET_D(fa1, a); fsflags zero;                                \
    op fa0, fa1, rm; FLAGS_CHECK(#op "." #rm " " #a, flags);    \
    GET_S(t0, fa0); CHECK(#op "." #rm " " #a, t0, exp)
/* fa0 = op fa1, fa2, fa3, rm */
#define TEST_FMA_D(op, rm, exp, flags, a, b, c)                 \
    SET_D(fa1, a); SET_D(fa2, b); SET_D(fa3, c); fsflags zero;  \
    op fa0, fa1, fa2, fa3, rm;                                  \
    FLAGS_CHECK(#op "." #rm " " #a ", " #b ", " #c, flags);     \
    fmv.x.d t0, fa0; CHECK(#op "." #rm " " #a ", " #b ", " #c, t0, exp)
#define TEST_FMA_S(op, rm, exp, flags, a, b, c)                 \
    SET_S(fa1, a); SET_S(fa2, b); SET_S(fa3, c); fsflags zero;  \
    op fa0, fa1, fa2, fa3, rm;                                  \
    FLAGS_CHECK(#op "." #rm " " #a ", " #b ", " #c, flags);     \
    GET_S(t0, fa0); CHECK(#op "." #rm " " #a ", " #b ", " #c, t0, exp)
/* a0 = op fa1, fa2 (compares) and a0 = op fa1[, rm] (fclass, fcvt to int) */
#define TEST_FCMP_D(op, exp, flags, a, b)                       \
    SET_D(fa1, a); SET_D(fa2, b); fsflags zero; op a0, fa1, fa2; \
    FLAGS_CHECK(#op " " #a ", " #b, flags); CHECK(#op " " #a ", " #b, a0, exp)
#define TEST_FCMP_S(op, exp, flags, a, b)                       \
    SET_S(fa1, a); SET_S(fa2, b); fsflags zero; op a0, fa1, fa2; \
    FLAGS_CHECK(#op " " #a ", " #b, flags); CHECK(#op " " #a ", " #b, a0, exp)
#define TEST_FX_D(op, rm, exp, flags, a)                        \
    SET_D(fa1, a); fsflags zero; op a0, fa1, rm;                \
    FLAGS_CHECK(#op "." #rm " " #a, flags); CHECK(#op "." #rm " " #a, a0, exp)
#define TEST_FX_S(op, rm, exp, flags, a)                        \
    SET_S(fa1, a); fsflags zero; op a0, fa1, rm;                \
    FLAGS_CHECK(#op "." #rm " " #a, flags); CHECK(#op "." #rm " " #a, a0, exp)
/* fa0 = op a1, rm (fcvt from int) */
#define TEST_XF_D(op, rm, exp, flags, a)                        \
    li a1, a; fsflags zero; op fa0, a1, rm;                     \
    FLAGS_CHECK(#op "." #rm " " #a, flags);                     \
    fmv.x.d t0, fa0; CHECK(#op "." #rm " " #a, t0, exp)
#define TEST_XF_S(op, rm, exp, flags, a)                        \
    li a1, a; fsflags zero; op fa0, a1, rm;                     \
    FLAGS_CHECK(#op "." #rm " " #a, flags);                     \
    GET_S(t0, fa0); CHECK(#op "." #rm " " #a, t0, exp)

/* gp first: the linker relaxes accesses to data into gp-relative ones */
/* the exact conversions (fcvt.d.w, fcvt.d.wu, fcvt.d.s): as takes no rm */
#define TEST_XF_D_EXACT(op, exp, flags, a)                      \
    li a1, a; fsflags zero; op fa0, a1;                         \
    FLAGS_CHECK(#op " " #a, flags);                             \
    fmv.x.d t0, fa0; CHECK(#op " " #a, t0, exp)
#define TEST_FR_D_EXACT(op, exp, flags, a)                      \
    SET_S(fa1, a); fsflags zero; op fa0, fa1;                   \
    FLAGS_CHECK(#op " " #a, flags);                             \
    fmv.x.d t0, fa0; CHECK(#op " " #a, t0, exp)

#define TEST_BEGIN                                              \
    .text; .globl _start; _start:                               \
    .option push; .option norelax; lla gp, __global_pointer$; .option pop

#define TEST_END                                                \
    li a0, 0; li a7, SYS_EXIT; ecall;                           \
    .include "report.inc"
