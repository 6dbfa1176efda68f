/* Shared macros of the aarch64 assembly tests: a static program with no
 * libc (_start; svc #0 with x8 = 64 write, 93 exit).  Each CHECK compares
 * a register with the value the Arm Architecture Reference Manual gives;
 * on a mismatch the program prints
 *   FAIL: <what>: got 0x<actual>, want 0x<expected>
 * and exits 1.  TEST_END exits 0.  x19-x21 belong to the macros, x9-x11
 * are scratch; the instruction under test reads x1-x3 (d1-d3, v1-v3) and
 * writes x0 (d0, v0).  Immediates are written without '#': in a #define
 * '#' would stringify, and gas takes A64 immediates without it.
 *
 *   #include "test.h"
 *   TEST_BEGIN
 *   T2(3, 1, 2, add x0, x1, x2)             // x0 = 1 + 2, want 3
 *   TEST_END
 */
#define SYS_WRITE 64
#define SYS_EXIT 93

/* NZCV as MRS reads it */
#define NF 0x80000000
#define ZF 0x40000000
#define CF 0x20000000
#define VF 0x10000000
/* FPSR cumulative flags */
#define IOC 0x01
#define DZC 0x02
#define OFC 0x04
#define UFC 0x08
#define IXC 0x10
#define IDC 0x80
/* FPCR.RMode (bits 23:22) */
#define RN 0
#define RP 1
#define RM 2
#define RZ 3

/* li REG, IMM: any 64-bit constant, without touching NZCV or memory */
.macro li reg, imm
        movz \reg, ((\imm) & 0xffff)
        movk \reg, (((\imm) >> 16) & 0xffff), lsl 16
        movk \reg, (((\imm) >> 32) & 0xffff), lsl 32
        movk \reg, (((\imm) >> 48) & 0xffff), lsl 48
.endm

/* Compare reg with exp; what is a string naming the check. */
#define CHECK(what, reg, exp)                                   \
    .pushsection .rodata; 9990: .asciz what; .popsection;       \
    adr x21, 9990b; mov x20, reg; li x19, exp; cmp x20, x19; b.ne test_fail

/* Compare two registers (addresses known only at link time) */
#define CHECKR(what, reg, reg2)                                 \
    .pushsection .rodata; 9990: .asciz what; .popsection;       \
    adr x21, 9990b; mov x20, reg; mov x19, reg2; cmp x20, x19; b.ne test_fail
/* x = the absolute address of sym (static, below 2^48) */
#define LA(x, sym) movz x, :abs_g2:sym; movk x, :abs_g1_nc:sym; movk x, :abs_g0_nc:sym

/* NZCV now, compared with exp (read first: CHECK itself sets flags) */
#define CHECK_NZCV(what, exp) mrs x10, nzcv; CHECK(what " nzcv", x10, exp)
#define SET_NZCV(v) li x10, v; msr nzcv, x10

/* x0 = insn(x1[, x2[, x3]]): the instruction is the variadic tail */
#define T1(exp, a, ...)                                         \
    li x1, a; __VA_ARGS__; CHECK(#__VA_ARGS__ " [" #a "]", x0, exp)
#define T2(exp, a, b, ...)                                      \
    li x1, a; li x2, b; __VA_ARGS__;                            \
    CHECK(#__VA_ARGS__ " [" #a ", " #b "]", x0, exp)
#define T3(exp, a, b, c, ...)                                   \
    li x1, a; li x2, b; li x3, c; __VA_ARGS__;                  \
    CHECK(#__VA_ARGS__ " [" #a ", " #b ", " #c "]", x0, exp)
/* the same with the flags the instruction sets (NZCV cleared before) */
#define T2F(exp, flags, a, b, ...)                              \
    SET_NZCV(0); li x1, a; li x2, b; __VA_ARGS__;               \
    CHECK_NZCV(#__VA_ARGS__ " [" #a ", " #b "]", flags);        \
    CHECK(#__VA_ARGS__ " [" #a ", " #b "]", x0, exp)
/* flags and result with NZCV = nzcv_in before (adcs, ands clearing C V) */
#define T2FC(exp, flags, nzcv_in, a, b, ...)                    \
    SET_NZCV(nzcv_in); li x1, a; li x2, b; __VA_ARGS__;         \
    CHECK_NZCV(#__VA_ARGS__ " [" #a ", " #b "] in " #nzcv_in, flags); \
    CHECK(#__VA_ARGS__ " [" #a ", " #b "] in " #nzcv_in, x0, exp)
/* conditional: NZCV = nzcv_in before the instruction */
#define T2C(exp, nzcv_in, a, b, ...)                            \
    SET_NZCV(nzcv_in); li x1, a; li x2, b; __VA_ARGS__;         \
    CHECK(#__VA_ARGS__ " [" #a ", " #b "] nzcv " #nzcv_in, x0, exp)
/* flags only (cmp, ccmp, tst ...), NZCV = nzcv_in before */
#define TFLAGS(flags, nzcv_in, a, b, ...)                       \
    SET_NZCV(nzcv_in); li x1, a; li x2, b; __VA_ARGS__;         \
    CHECK_NZCV(#__VA_ARGS__ " [" #a ", " #b "] in " #nzcv_in, flags)

/* ---- floating point: values are bit patterns.  FPSR is cleared before
 * the instruction and compared after it; FPCR.RMode is set by SET_RM. */
#define SET_RM(rm) li x10, ((rm) << 22); msr fpcr, x10
#define SET_FPCR(v) li x10, v; msr fpcr, x10
#define CHECK_FPSR(what, exp) mrs x10, fpsr; CHECK(what " fpsr", x10, exp)
/* d0 = insn(d1, d2, d3) (or s/h registers: the bits are the low ones) */
#define TF(exp, flags, a, b, c, ...)                            \
    li x9, a; fmov d1, x9; li x9, b; fmov d2, x9; li x9, c; fmov d3, x9; \
    msr fpsr, xzr; __VA_ARGS__;                                 \
    CHECK_FPSR(#__VA_ARGS__ " [" #a ", " #b ", " #c "]", flags); \
    fmov x0, d0; CHECK(#__VA_ARGS__ " [" #a ", " #b ", " #c "]", x0, exp)
/* x0 = insn(d1) or d0 = insn(x1): conversions between the files */
#define TFX(exp, flags, a, ...)                                 \
    li x9, a; fmov d1, x9; li x1, a; msr fpsr, xzr; __VA_ARGS__; \
    CHECK_FPSR(#__VA_ARGS__ " [" #a "]", flags);                \
    CHECK(#__VA_ARGS__ " [" #a "]", x0, exp)
/* NZCV after a floating-point compare of d1, d2 */
#define TFCMP(nzcv, flags, a, b, ...)                           \
    li x9, a; fmov d1, x9; li x9, b; fmov d2, x9; SET_NZCV(0);  \
    msr fpsr, xzr; __VA_ARGS__; CHECK_NZCV(#__VA_ARGS__ " [" #a ", " #b "]", nzcv); \
    CHECK_FPSR(#__VA_ARGS__ " [" #a ", " #b "]", flags)

/* ---- vectors: V1, V2, V3 = (lo, hi) pairs of 64-bit halves; V0's two
 * halves are checked.  The full 128 bits are compared, so an instruction
 * on a 64-bit vector must zero the upper half. */
#define SET_V(n, lo, hi) li x9, lo; li x10, hi; fmov d##n, x9; mov v##n.d[1], x10
#define CHECK_V(what, n, lo, hi)                                \
    mov x11, v##n.d[0]; CHECK(what " lo", x11, lo);             \
    mov x11, v##n.d[1]; CHECK(what " hi", x11, hi)
#define TV(lo, hi, alo, ahi, blo, bhi, ...)                     \
    SET_V(1, alo, ahi); SET_V(2, blo, bhi); SET_V(0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa); \
    msr fpsr, xzr; __VA_ARGS__; CHECK_V(#__VA_ARGS__, 0, lo, hi)
/* the same with V0 preset (accumulating and insert-style ops) */
#define TV0(lo, hi, dlo, dhi, alo, ahi, blo, bhi, ...)          \
    SET_V(1, alo, ahi); SET_V(2, blo, bhi); SET_V(0, dlo, dhi); \
    msr fpsr, xzr; __VA_ARGS__; CHECK_V(#__VA_ARGS__, 0, lo, hi)

#define TEST_BEGIN .text; .globl _start; _start:

#define TEST_END                                                \
    mov x0, 0; mov x8, SYS_EXIT; svc 0;                         \
    .include "report.inc"
