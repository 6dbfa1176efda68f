/* The C extension: each compressed instruction does what its 32-bit
 * expansion does (ISA manual, "C" chapter), written out explicitly. */
#include "test.h"
TEST_BEGIN
        .option push
        .option rvc
        li s0, 10; c.addi s0, -3; CHECK("c.addi", s0, 7)
        c.li a0, -32; CHECK("c.li", a0, -32)
        c.lui a1, 0xfffe0; CHECK("c.lui negative", a1, 0xfffffffffffe0000)
        li a2, 0x7fffffff; c.addiw a2, 1; CHECK("c.addiw sign-extends", a2, 0xffffffff80000000)
        li a3, 1; c.slli a3, 63; CHECK("c.slli", a3, 0x8000000000000000)
        c.srli a3, 62; CHECK("c.srli", a3, 2)
        li a4, -64; c.srai a4, 3; CHECK("c.srai", a4, -8)
        li a5, 0xff; c.andi a5, -16; CHECK("c.andi", a5, 0xf0)
        li a1, 99; c.mv a0, a1; CHECK("c.mv", a0, 99)
        li a0, 5; li a1, 6; c.add a0, a1; CHECK("c.add", a0, 11)
        li a0, 5; li a1, 6; c.sub a0, a1; CHECK("c.sub", a0, -1)
        li a0, 0xc; li a1, 0xa; c.xor a0, a1; CHECK("c.xor", a0, 6)
        li a0, 0xc; li a1, 0xa; c.or a0, a1; CHECK("c.or", a0, 0xe)
        li a0, 0xc; li a1, 0xa; c.and a0, a1; CHECK("c.and", a0, 8)
        li a0, 0x80000000; li a1, 1; c.subw a0, a1; CHECK("c.subw", a0, 0x7fffffff)
        li a0, 0x7fffffff; li a1, 1; c.addw a0, a1; CHECK("c.addw", a0, 0xffffffff80000000)
/* stack-relative and register-relative loads and stores */
        mv s1, sp; c.addi16sp sp, -64
        sub a0, s1, sp; CHECK("c.addi16sp", a0, 64)
        c.addi4spn a0, sp, 16; addi a1, sp, 16; sub a0, a0, a1; CHECK("c.addi4spn", a0, 0)
        li a0, -2; c.sdsp a0, 8(sp); c.ldsp a1, 8(sp); CHECK("c.sdsp/c.ldsp", a1, -2)
        li a0, 0x80000001; c.swsp a0, 16(sp); c.lwsp a1, 16(sp); CHECK("c.swsp/c.lwsp", a1, 0xffffffff80000001)
        mv s0, sp; li a0, 0x123456789; c.sd a0, 24(s0); c.ld a2, 24(s0); CHECK("c.sd/c.ld", a2, 0x123456789)
        li a0, -5; c.sw a0, 32(s0); c.lw a3, 32(s0); CHECK("c.sw/c.lw", a3, -5)
        li t0, 0x4000000000000000; fmv.d.x fa0, t0
        c.fsd fa0, 40(s0); c.fld fa1, 40(s0); fmv.x.d a0, fa1; CHECK("c.fsd/c.fld", a0, 0x4000000000000000)
        c.fsdsp fa0, 48(sp); c.fldsp fa2, 48(sp); fmv.x.d a0, fa2; CHECK("c.fsdsp/c.fldsp", a0, 0x4000000000000000)
        c.addi16sp sp, 64
/* control flow */
        li a0, 0; c.j 1f; li a0, 1
1:      CHECK("c.j", a0, 0)
        li s0, 0; li a0, 0; c.beqz s0, 2f; li a0, 1
2:      CHECK("c.beqz taken", a0, 0)
        li s0, 1; li a0, 0; c.beqz s0, 3f; li a0, 1
3:      CHECK("c.beqz not taken", a0, 1)
        li s0, -1; li a0, 0; c.bnez s0, 4f; li a0, 1
4:      CHECK("c.bnez taken", a0, 0)
        lla a5, 5f; c.jr a5; j test_fail
5:      lla a5, 6f; c.jalr a5
7:      j 8f
6:      lla a0, 7b; sub a0, ra, a0; CHECK("c.jalr links pc + 2", a0, 0); c.jr ra
8:      c.nop
        .option pop
TEST_END
