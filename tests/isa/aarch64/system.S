/* System registers and cache maintenance at EL0: mrs/msr nzcv (bits other
 * than 31:28 are RES0), tpidr_el0, fpcr (RMode, FZ, DN, AHP keep what is
 * written) and fpsr (cumulative: set by an inexact operation, never
 * cleared by a later one), the rounding mode's effect on fadd, dc zva with
 * the block size dczid_el0 gives (the naturally aligned block holding the
 * address is zeroed), ctr_el0 (bit 31 RES1, line sizes), cntvct_el0, and
 * code rewritten in place made visible by dc cvau/ic ivau/dsb/isb. */
#include "test.h"
#define ONE 0x3ff0000000000000
#define TINY 0x3c30000000000000         /* 2^-60: below half an ulp of 1.0 */
TEST_BEGIN
        li x1, 0xffffffff; msr nzcv, x1; mrs x0, nzcv; CHECK("msr nzcv RES0 bits", x0, 0xf0000000)
        li x1, 0x50000000; msr nzcv, x1; mrs x0, nzcv; b.vs 1f; b test_fail_vs
1:      CHECK("msr nzcv", x0, 0x50000000)
        mrs x9, tpidr_el0; li x1, 0x123456789abcdef0; msr tpidr_el0, x1; mrs x0, tpidr_el0
        msr tpidr_el0, x9; CHECK("tpidr_el0", x0, 0x123456789abcdef0)
        li x1, 0x07c00000; msr fpcr, x1; mrs x0, fpcr; CHECK("fpcr AHP DN FZ RMode", x0, 0x07c00000)
        msr fpcr, xzr; mrs x0, fpcr; CHECK("fpcr 0", x0, 0)
        li x1, 0x0800009f; msr fpsr, x1; mrs x0, fpsr; CHECK("fpsr QC and flags", x0, 0x0800009f)
        msr fpsr, xzr; mrs x0, fpsr; CHECK("fpsr 0", x0, 0)
/* fadd 1.0 + 2^-60 and 1.0 - 2^-60 in each rounding mode */
        SET_RM(RN)
TF(ONE, IXC, ONE, TINY, 0, fadd d0, d1, d2)
TF(ONE, IXC, ONE, TINY | (1 << 63), 0, fadd d0, d1, d2)
        SET_RM(RP)
TF(0x3ff0000000000001, IXC, ONE, TINY, 0, fadd d0, d1, d2)
TF(ONE, IXC, ONE, TINY | (1 << 63), 0, fadd d0, d1, d2)
        SET_RM(RM)
TF(ONE, IXC, ONE, TINY, 0, fadd d0, d1, d2)
TF(0x3fefffffffffffff, IXC, ONE, TINY | (1 << 63), 0, fadd d0, d1, d2)
        SET_RM(RZ)
TF(ONE, IXC, ONE, TINY, 0, fadd d0, d1, d2)
TF(0x3fefffffffffffff, IXC, ONE, TINY | (1 << 63), 0, fadd d0, d1, d2)
TF(0x7fefffffffffffff, OFC|IXC, 0x7fefffffffffffff, 0x7fefffffffffffff, 0, fadd d0, d1, d2)
        SET_RM(RN)
TF(0x7ff0000000000000, OFC|IXC, 0x7fefffffffffffff, 0x7fefffffffffffff, 0, fadd d0, d1, d2)
/* cumulative: an exact operation keeps the flags of an earlier one */
        li x9, ONE; fmov d1, x9; li x9, TINY; fmov d2, x9; msr fpsr, xzr
        fadd d0, d1, d2; fadd d0, d1, d1; movi d3, 0; fdiv d0, d1, d3
        CHECK_FPSR("inexact, exact, divide by zero", IXC|DZC)
        msr fpsr, xzr
/* dc zva: the block is 4 << dczid_el0[3:0] bytes unless DZP (bit 4) */
        mrs x0, dczid_el0; and x9, x0, 0x10; CHECK("dczid DZP", x9, 0)
        and x0, x0, 15; cmp x0, 9; b.hi test_fail_dczid
        mov x12, 4; lsl x12, x12, x0               // x12 = block size
        LA(x1, zbuf); mov x2, 0; mov x9, -1
1:      str x9, [x1, x2]; add x2, x2, 8; cmp x2, 4096; b.lo 1b
        add x3, x1, x12; add x3, x3, 8; dc zva, x3   // inside block 1: zeroes all of it
        mov x2, 0; mov x4, 0                       // x4 = zero bytes seen
1:      ldrb w9, [x1, x2]; cmp w9, 0; cinc x4, x4, eq
        cbnz w9, 2f; cmp x2, x12; b.lo test_fail_zva; add x10, x12, x12; cmp x2, x10; b.hs test_fail_zva
2:      add x2, x2, 1; cmp x2, 4096; b.lo 1b
        CHECKR("dc zva zeroed one block", x4, x12)
/* ctr_el0: RES1 bit 31, IminLine and DminLine of 16 to 2048 bytes */
        mrs x0, ctr_el0; lsr x9, x0, 31; and x9, x9, 1; CHECK("ctr_el0 bit 31", x9, 1)
        and x9, x0, 15; sub x9, x9, 2; cmp x9, 7; b.hi test_fail_ctr
        ubfx x9, x0, 16, 4; sub x9, x9, 2; cmp x9, 7; b.hi test_fail_ctr
/* the virtual counter does not go backwards; its frequency is known */
        mrs x1, cntvct_el0; isb; mrs x2, cntvct_el0; cmp x2, x1; b.lo test_fail_cnt
        mrs x0, cntfrq_el0; cbz x0, test_fail_cnt
        nop; yield; hint 0x22
/* code rewritten in place: mmap RWX, write "mov x0, N; ret", sync, call */
        mov x0, 0; mov x1, 4096; mov x2, 7; mov x3, 0x22; mov x4, -1; mov x5, 0
        mov x8, 222; svc 0; cmn x0, 4096; b.hs test_fail_mmap
        mov x13, x0
        li x9, 0xd65f03c0d2800020; str x9, [x13]       // movz x0, 1; ret
        bl sync_code; blr x13; CHECK("first code", x0, 1)
        li x9, 0xd2800040; str w9, [x13]               // movz x0, 2
        bl sync_code; blr x13; CHECK("rewritten code", x0, 2)
        li x9, 0xd2800060; str w9, [x13]               // movz x0, 3
        bl sync_code; blr x13; CHECK("rewritten again", x0, 3)
TEST_END
        .text
sync_code:
        dc cvau, x13; dsb ish; ic ivau, x13; dsb ish; isb; ret
#define FAILJ(lbl, msg) lbl: .pushsection .rodata; 9: .asciz msg; .popsection; adr x21, 9b; mov x20, 0; mov x19, 1; b test_fail
FAILJ(test_fail_vs, "b.vs after msr nzcv")
FAILJ(test_fail_dczid, "dczid_el0 block size over 2 KB")
FAILJ(test_fail_zva, "dc zva zeroed outside its block")
FAILJ(test_fail_ctr, "ctr_el0 line size")
FAILJ(test_fail_cnt, "cntvct_el0 / cntfrq_el0")
FAILJ(test_fail_mmap, "mmap RWX")
        .bss
        .balign 4096
zbuf:   .space 4096
