/* Data processing (immediate): add/sub/adds/subs with their flags, logical
 * immediates, move wide, adr/adrp, bitfield moves and their aliases, extr.
 * Rules (Arm ARM, C6 and shared pseudocode AddWithCarry): C is the carry
 * out of the unsigned sum (for subs: set when there is NO borrow), V the
 * signed overflow; ands/tst set N and Z from the result and clear C and V;
 * a W destination zeroes bits 63:32. */
#include "test.h"
#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff
TEST_BEGIN
/* add/sub immediate */
T1(4096, 1, add x0, x1, 4095)
T1(0x1001000, 0x1000000, add x0, x1, 1, lsl 12)
T1(0, 0xffffffff, add w0, w1, 1)
T1(0x80000000, 0x17fffffff, add w0, w1, 1)
T1(-1, 0, sub x0, x1, 1)
T1(0xfffff000, 0, sub w0, w1, 1, lsl 12)
T2F(MIN64, NF|VF, MAX64, 0, adds x0, x1, 1)
T2F(0, ZF|CF, -1, 0, adds x0, x1, 1)
T2F(0x80000000, NF|VF, 0x7fffffff, 0, adds w0, w1, 1)
T2F(0, ZF|CF, 0xffffffff, 0, adds w0, w1, 1)
T2F(-1, NF, 0, 0, subs x0, x1, 1)
T2F(0, ZF|CF, 1, 0, subs x0, x1, 1)
T2F(MAX64, CF|VF, MIN64, 0, subs x0, x1, 1)
T2F(0xffffffff, NF, 0, 0, subs w0, w1, 1)
TFLAGS(CF|VF, 0, 0x80000000, 0, cmp w1, 1)
TFLAGS(ZF|CF, 0, -1, 0, cmn x1, 1)
TFLAGS(NF, ZF|CF, 5, 0, cmp x1, 6)
TFLAGS(ZF|CF, 0, 0x1000, 0, cmp x1, 1, lsl 12)
/* sp as base and destination */
        mov x9, sp; add x0, sp, 32; sub x0, x0, x9; CHECK("add x0, sp, 32", x0, 32)
        mov x9, sp; sub sp, sp, 16; mov x0, sp; add sp, sp, 16; sub x0, x9, x0
        CHECK("sub sp, sp, 16", x0, 16)
        mov x9, sp; mov x1, sp; CHECKR("mov x1, sp", x1, x9)
/* logical immediate */
T1(0x34, 0x1234, and x0, x1, 0xff)
T1(0x5555555555555555, 0, orr x0, x1, 0x5555555555555555)
T1(0x0000ffff0000ffff, -1, eor x0, x1, 0xffff0000ffff0000)
T1(0x80000000, 0xffffffff00000000, orr w0, w1, 0x80000000)
T1(0x00ff00ff00ff00ff, 0, mov x0, 0x00ff00ff00ff00ff)
T1(0xfffffffe, 0xffffffffffffffff, and w0, w1, 0xfffffffe)
T1(0x3c3c3c3c3c3c3c3c, 0, orr x0, x1, 0x3c3c3c3c3c3c3c3c)
T2FC(MIN64, NF, CF|VF, -1, 0, ands x0, x1, 0x8000000000000000)
T2FC(0, ZF, NF|CF|VF, 0xfffffff0, 0, ands w0, w1, 0xf)
TFLAGS(ZF, CF|VF, 2, 0, tst x1, 1)
TFLAGS(NF, 0, 0x80000000, 0, tst w1, 0x80000000)
/* move wide */
T1(0x1234000000000000, 0, movz x0, 0x1234, lsl 48)
T1(-1, 0, movn x0, 0)
T1(0xffffffffedcbffff, 0, movn x0, 0x1234, lsl 16)
T1(0xffffffff, 0, movn w0, 0)
T1(0xedcbffff, 0, movn w0, 0x1234, lsl 16)
T1(0xffffbeefffffffff, -1, mov x0, x1; movk x0, 0xbeef, lsl 32)
T1(0x1234ffff, -1, mov x0, x1; movk w0, 0x1234, lsl 16)
T1(0xabcd, 0x1111, mov x0, x1; movk x0, 0xabcd)
/* adr, adrp: compared with the linker's absolute address */
        adr x0, 1f; LA(x1, 1f); 1: CHECKR("adr forward", x0, x1)
        LA(x1, 2f); 2: adr x0, 2b; CHECKR("adr back", x0, x1)
        adrp x0, adrp_target; LA(x1, adrp_target); and x1, x1, ~0xfff
        CHECKR("adrp", x0, x1)
        adrp x0, adrp_target; add x0, x0, :lo12:adrp_target; LA(x1, adrp_target)
        CHECKR("adrp + add :lo12:", x0, x1)
/* bitfield moves and their aliases */
T1(0x56, 0x12345678, ubfx x0, x1, 8, 8)
T1(0xfffffffffffffff8, 0x80, sbfx x0, x1, 4, 4)
T1(0xff0, 0x1ff, ubfiz x0, x1, 4, 8)
T1(0xfffffffffffffff0, 0xf, sbfiz x0, x1, 4, 4)
T1(0xfffffffffffffff8, 2, sbfm x0, x1, 62, 1)     /* immr > imms: sbfiz lsb 2, width 2 */
T1(0xf, 0xfffffffff0000000, ubfx w0, w1, 28, 4)
T1(0xffffffff, 0x80000000, asr w0, w1, 31)
T2(0xffffffffffff12ff, 0x12, -1, mov x0, x2; bfi x0, x1, 8, 8)
T2(0xab, 0xab00, 0, mov x0, x2; bfxil x0, x1, 8, 8)
T2(0xfffffffffffff00f, 0, -1, mov x0, x2; bfc x0, 4, 8)
T2(0xffff78ff, 0x12345678, 0xffffffffffffffff, mov x0, x2; bfi w0, w1, 8, 8)
T1(0x8000000000000000, 3, lsl x0, x1, 63)
T1(0xf, -1, lsr x0, x1, 60)
T1(0xfffffffffffffff8, MIN64, asr x0, x1, 60)
T1(0x0fffffff, 0xffffffffffffffff, lsr w0, w1, 4)
T1(0xffffffffffffff80, 0x80, sxtb x0, w1)
T1(0xffffffffffff8000, 0x8000, sxth x0, w1)
T1(0xffffffff80000000, 0x80000000, sxtw x0, w1)
T1(0xffffff80, 0x80, sxtb w0, w1)
T1(0xff, 0x1ff, uxtb w0, w1)
T1(0x2345, 0x12345, uxth w0, w1)
/* extr and ror (immediate) */
T1(0x1000000000000000, 1, ror x0, x1, 4)
T1(0x10000000, 1, ror w0, w1, 4)
T2(0x1234abcd00000000, 0x1234, 0xabcd000000000000, extr x0, x1, x2, 16)
T2(0x12abcdef, 0x12, 0xabcdef00, extr w0, w1, w2, 8)
T2(0xabcdef00, 0x12, 0xabcdef00, extr w0, w1, w2, 0)
TEST_END
        .data
        .balign 16
adrp_target: .quad 0
