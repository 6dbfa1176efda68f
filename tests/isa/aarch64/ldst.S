/* Loads and stores: every addressing mode (unsigned offset, unscaled,
 * register offset with lsl/uxtw/sxtw/sxtx, pre- and post-index writeback,
 * literal), sign and zero extension, pairs (ldp/stp/ldpsw/ldnp), SIMD&FP
 * registers (a load to b/h/s/d zeroes the rest of the vector), exclusives
 * (single and pair) and acquire/release.  Rules (Arm ARM, B2.9): a
 * store-exclusive writes 0 on success and 1 when the monitor is open,
 * which it is after any store-exclusive and after clrex; then memory is
 * not written. */
#include "test.h"
#define Q0 0x8877665544332211
#define Q1 0xfedcba9876543210
/* x0 = insn with x1 = buf (+ off), x2 = b */
#define TM(exp, off, b, ...)                                    \
    LA(x1, buf); add x1, x1, off; li x2, b; __VA_ARGS__;        \
    CHECK(#__VA_ARGS__ " [buf+" #off ", " #b "]", x0, exp)
/* x1 - buf after a writeback */
#define CHECK_WB(what, off) LA(x9, buf); sub x9, x1, x9; CHECK(what " writeback", x9, off)
/* scratch memory: x1 = scr, the 16 bytes at scr = fill, fill */
#define SCR(fill) LA(x1, scr); li x9, fill; stp x9, x9, [x1]
TEST_BEGIN
/* unsigned offset and unscaled; sign and zero extension */
TM(Q0, 0, 0, ldr x0, [x1])
TM(Q1, 0, 0, ldr x0, [x1, 8])
TM(0x88776655, 0, 0, ldr w0, [x1, 4])
TM(0x88, 0, 0, ldrb w0, [x1, 7])
TM(0xffffffffffffff88, 0, 0, ldrsb x0, [x1, 7])
TM(0xffffff88, 0, 0, ldrsb w0, [x1, 7])
TM(0x22, 0, 0, ldrsb x0, [x1, 1])
TM(0x8877, 0, 0, ldrh w0, [x1, 6])
TM(0xffffffffffff8877, 0, 0, ldrsh x0, [x1, 6])
TM(0xffff8877, 0, 0, ldrsh w0, [x1, 6])
TM(0x4433, 0, 0, ldrsh w0, [x1, 2])
TM(0xffffffff88776655, 0, 0, ldrsw x0, [x1, 4])
TM(0x44332211, 0, 0, ldrsw x0, [x1])
TM(Q0, 8, 0, ldur x0, [x1, -8])
TM(0x1088776655443322, 0, 0, ldur x0, [x1, 1])
TM(0xffffffff88776655, 8, 0, ldursw x0, [x1, -4])
TM(0xfffffffffffffffe, 16, 0, ldursb x0, [x1, -1])
TM(0xfedc, 16, 0, ldurh w0, [x1, -2])
/* register offset */
TM(Q1, 0, 1, ldr x0, [x1, x2, lsl 3])
TM(Q1, 0, 8, ldr x0, [x1, x2])
TM(0x88776655, 0, 0xffffffff00000001, ldr w0, [x1, w2, uxtw 2])
TM(Q0, 8, 0xffffffff, ldr x0, [x1, w2, sxtw 3])
TM(Q0, 8, -8, ldr x0, [x1, x2, sxtx])
TM(0xfe, 0, 15, ldrb w0, [x1, x2])
TM(0x3210, 0, 4, ldrh w0, [x1, x2, lsl 1])
TM(0xffffff88, 8, 0xffffffff, ldrsb w0, [x1, w2, sxtw])
TM(0xffffffffffffdcfe, 16, -1, ldrsh x0, [x1, x2, lsl 1]; rev16 x0, x0; sxth x0, w0)
/* pre- and post-index: the address register is written back */
TM(Q1, 0, 0, ldr x0, [x1, 8]!)
        CHECK_WB("ldr x0, [x1, 8]!", 8)
TM(Q0, 0, 0, ldr x0, [x1], 16)
        CHECK_WB("ldr x0, [x1], 16", 16)
TM(0x10, 0, 0, ldrb w0, [x1, 8]!)
        CHECK_WB("ldrb w0, [x1, 8]!", 8)
TM(0xffffffff88776655, 8, 0, ldrsw x0, [x1, -4]!)
        CHECK_WB("ldrsw x0, [x1, -4]!", 4)
TM(0xfffffffffffffedc, 14, 0, ldrsh x0, [x1], -14)
        CHECK_WB("ldrsh x0, [x1], -14", 0)
/* pairs */
TM(Q0, 0, 0, ldp x0, x3, [x1])
        CHECK("ldp second", x3, Q1)
TM(0x76543210, 0, 0, ldp w0, w3, [x1, 8])
        CHECK("ldp w second", x3, 0xfedcba98)
TM(0x44332211, 0, 0, ldpsw x0, x3, [x1])
        CHECK("ldpsw second", x3, 0xffffffff88776655)
TM(Q1, 0, 0, ldp x3, x0, [x1, 16]!; ldp x3, x0, [x1, -16])
        CHECK_WB("ldp [x1, 16]!", 16)
TM(Q0, 16, 0, ldp x0, x3, [x1, -16]; ldp x4, x5, [x1], -16)
        CHECK_WB("ldp [x1], -16", 0)
TM(Q1, 0, 0, ldnp x3, x0, [x1])
/* stores write exactly their size */
        SCR(-1); li x2, 0x0123456789abcdef; str x2, [x1]; ldr x0, [x1]
        CHECK("str x", x0, 0x0123456789abcdef)
        SCR(-1); str wzr, [x1]; ldr x0, [x1]; CHECK("str w", x0, 0xffffffff00000000)
        SCR(-1); strh wzr, [x1, 2]; ldr x0, [x1]; CHECK("strh", x0, 0xffffffff0000ffff)
        SCR(-1); strb wzr, [x1, 7]; ldr x0, [x1]; CHECK("strb", x0, 0x00ffffffffffffff)
        SCR(-1); li x2, 5; strb wzr, [x1, x2]; ldr x0, [x1]; CHECK("strb reg", x0, 0xffff00ffffffffff)
        SCR(0); li x2, 0x11; li x3, 0x22; stp x2, x3, [x1]; ldp x0, x3, [x1]
        CHECK("stp first", x0, 0x11); CHECK("stp second", x3, 0x22)
        SCR(-1); li x2, 0x11; li x3, 0x22; stp w2, w3, [x1, 4]; ldr x0, [x1, 8]
        CHECK("stp w", x0, 0xffffffff00000022)
        SCR(0); add x1, x1, 8; li x2, 0x77; str x2, [x1, -8]!; ldr x0, [x1]
        CHECK("str pre-index", x0, 0x77); LA(x9, scr); CHECKR("str pre-index wb", x1, x9)
        SCR(0); li x2, 0x66; stur w2, [x1, 3]; ldr x0, [x1]; CHECK("stur w", x0, 0x66000000)
        SCR(0); li x2, 0x55; str x2, [x1], 8; ldr x0, [x1, -8]; CHECK("str post-index", x0, 0x55)
        mov x9, sp; li x2, 0x1234; li x3, 0x5678; stp x2, x3, [sp, -16]!; ldp x4, x5, [sp], 16
        mov x10, sp; CHECKR("stp/ldp sp writeback", x10, x9)
        CHECK("stp/ldp sp 1", x4, 0x1234); CHECK("stp/ldp sp 2", x5, 0x5678)
        LA(x1, buf); prfm pldl1keep, [x1]; prfm pstl2strm, [x1, 64]
/* SIMD&FP registers: a narrower load zeroes the rest of the vector */
        SET_V(0, -1, -1); LA(x1, buf); ldr q0, [x1]; CHECK_V("ldr q", 0, Q0, Q1)
        SET_V(0, -1, -1); LA(x1, buf); ldr d0, [x1, 8]; CHECK_V("ldr d", 0, Q1, 0)
        SET_V(0, -1, -1); LA(x1, buf); ldr s0, [x1, 4]; CHECK_V("ldr s", 0, 0x88776655, 0)
        SET_V(0, -1, -1); LA(x1, buf); ldr h0, [x1, 2]; CHECK_V("ldr h", 0, 0x4433, 0)
        SET_V(0, -1, -1); LA(x1, buf); ldr b0, [x1, 15]; CHECK_V("ldr b", 0, 0xfe, 0)
        SET_V(0, -1, -1); LA(x1, buf); ldur q0, [x1, 1]; CHECK_V("ldur q", 0, 0x1088776655443322, 0x80fedcba98765432)
        LA(x1, buf); li x2, 1; ldr q0, [x1, x2, lsl 4]; CHECK_V("ldr q reg", 0, 0x0000000080008080, 0xffffffff80000000)
        LA(x1, buf); ldp d0, d1, [x1]; fmov x0, d1; CHECK("ldp d", x0, Q1)
        LA(x1, buf); ldp q0, q1, [x1]; CHECK_V("ldp q first", 0, Q0, Q1); CHECK_V("ldp q second", 1, 0x0000000080008080, 0xffffffff80000000)
        LA(x1, buf); ldp s0, s1, [x1]; fmov w0, s1; CHECK("ldp s", x0, 0x88776655)
        SCR(0); SET_V(0, 0x1111, 0x2222); str q0, [x1]; ldp x3, x4, [x1]
        CHECK("str q lo", x3, 0x1111); CHECK("str q hi", x4, 0x2222)
        SCR(-1); SET_V(0, 0x1111, 0x2222); str h0, [x1]; ldr x0, [x1]; CHECK("str h", x0, 0xffffffffffff1111)
        SCR(-1); SET_V(0, 0x33, 0x2222); str b0, [x1, 1]!; ldr x0, [x1, -1]; CHECK("str b pre", x0, 0xffffffffffff33ff)
        SCR(0); SET_V(0, 0x1111, 0x2222); SET_V(1, 0x3333, 0x4444); add x1, x1, 32; stp q0, q1, [x1, -32]!
        ldr x0, [x1, 24]; CHECK("stp q", x0, 0x4444); LA(x9, scr); CHECKR("stp q pre-index wb", x1, x9)
/* literal */
        ldr x0, lit; CHECK("ldr x literal", x0, 0x80000000ffffff80)
        ldr w0, lit; CHECK("ldr w literal", x0, 0xffffff80)
        ldrsw x0, lit; CHECK("ldrsw literal", x0, 0xffffffffffffff80)
        ldrsw x0, lit + 4; CHECK("ldrsw literal 2", x0, 0xffffffff80000000)
        ldr d0, lit; fmov x0, d0; CHECK("ldr d literal", x0, 0x80000000ffffff80)
        ldr q0, litq; CHECK_V("ldr q literal", 0, 0x0123456789abcdef, 0xfedcba9876543210)
        ldr s0, lit; fmov x0, d0; CHECK("ldr s literal", x0, 0xffffff80)
        prfm pldl1keep, lit
/* exclusives */
        SCR(5); ldxr x0, [x1]; add x0, x0, 1; stxr w4, x0, [x1]
        CHECK("stxr status", x4, 0); ldr x0, [x1]; CHECK("stxr wrote", x0, 6)
        li x0, 9; stxr w4, x0, [x1]; CHECK("stxr without ldxr fails", x4, 1)
        ldr x0, [x1]; CHECK("failed stxr left memory", x0, 6)
        SCR(5); ldxr x0, [x1]; clrex; li x0, 7; stxr w4, x0, [x1]
        CHECK("stxr after clrex fails", x4, 1); ldr x0, [x1]; CHECK("memory after clrex", x0, 5)
        SCR(-1); ldxrb w0, [x1]; CHECK("ldxrb", x0, 0xff); stxrb w4, wzr, [x1]; CHECK("stxrb", x4, 0)
        ldr x0, [x1]; CHECK("stxrb wrote one byte", x0, 0xffffffffffffff00)
        SCR(-1); add x1, x1, 2; ldxrh w0, [x1]; CHECK("ldxrh", x0, 0xffff); stxrh w4, wzr, [x1]; sub x1, x1, 2; CHECK("stxrh", x4, 0)
        ldr x0, [x1]; CHECK("stxrh wrote", x0, 0xffffffff0000ffff)
        SCR(-1); add x1, x1, 4; ldxr w0, [x1]; CHECK("ldxr w", x0, 0xffffffff); stxr w4, wzr, [x1]; sub x1, x1, 4; CHECK("stxr w", x4, 0)
        ldr x0, [x1]; CHECK("stxr w wrote", x0, 0x00000000ffffffff)
        LA(x1, buf); ldxp x0, x3, [x1]; CHECK("ldxp 1", x0, Q0); CHECK("ldxp 2", x3, Q1); clrex
        SCR(0); ldxp x0, x3, [x1]; li x5, 0xaa; li x6, 0xbb; stxp w4, x5, x6, [x1]
        CHECK("stxp status", x4, 0); ldp x0, x3, [x1]; CHECK("stxp 1", x0, 0xaa); CHECK("stxp 2", x3, 0xbb)
        SCR(0); ldaxp w0, w3, [x1]; li x5, 0xcc; li x6, 0xdd; stlxp w4, w5, w6, [x1]
        CHECK("stlxp w status", x4, 0); ldr x0, [x1]; CHECK("stlxp w", x0, 0x000000dd000000cc)
        SCR(3); ldaxr x0, [x1]; stlxr w4, xzr, [x1]; CHECK("ldaxr", x0, 3); CHECK("stlxr", x4, 0)
        ldr x0, [x1]; CHECK("stlxr wrote", x0, 0)
/* acquire/release */
        SCR(0); li x2, 0x8182838485868788; stlr x2, [x1]; ldar x0, [x1]; CHECK("stlr/ldar", x0, 0x8182838485868788)
        ldarb w0, [x1]; CHECK("ldarb", x0, 0x88); ldarh w0, [x1]; CHECK("ldarh", x0, 0x8788)
        ldar w0, [x1]; CHECK("ldar w", x0, 0x85868788)
        stlrb wzr, [x1]; add x2, x1, 2; stlrh wzr, [x2]; ldr x0, [x1]; CHECK("stlrb/stlrh", x0, 0x8182838400008700)
        dmb ish; dmb ishld; dsb sy; isb
TEST_END
        .text
        .balign 16
litq:   .quad 0x0123456789abcdef, 0xfedcba9876543210
lit:    .quad 0x80000000ffffff80
        .data
        .balign 16
buf:    .quad Q0, Q1, 0x0000000080008080, 0xffffffff80000000
scr:    .space 64
