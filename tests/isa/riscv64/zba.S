/* Zba (RISC-V Bit-Manipulation ISA-extensions, "Zba"): shNadd rd =
 * rs2 + (rs1 << N); the .uw forms and add.uw/slli.uw first zero-extend
 * the low 32 bits of rs1. */
#include "test.h"
TEST_BEGIN
TEST_RR(add.uw, 0x100000000, -1, 1)
TEST_RR(add.uw, 0x80000005, 0xffffffff80000000, 5)
TEST_RR(sh1add, 7, 3, 1)
TEST_RR(sh2add, -4, -1, 0)
TEST_RR(sh3add, 9, 1, 1)
TEST_RR(sh3add, 0, 0x2000000000000000, 0)
TEST_RR(sh1add.uw, 0x100000000, 0xffffffff80000000, 0)
TEST_RR(sh2add.uw, 8, 0x100000001, 4)
TEST_RR(sh3add.uw, 0x7fffffff8, 0xffffffff, 0)
TEST_RI(slli.uw, 0x100000002, 0xffffffff80000001, 1)
TEST_RI(slli.uw, 0xffffffff00000000, 0xffffffff, 32)
TEST_RI(slli.uw, 0x8000000000000000, 0x80000001, 63)
TEST_RR_SAME(sh1add, 9, 3, 3)
TEST_END
