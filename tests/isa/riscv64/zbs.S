/* Zbs (RISC-V Bit-Manipulation ISA-extensions, "Zbs"): the bit index is
 * rs2 mod 64 (or the immediate). */
#include "test.h"
TEST_BEGIN
TEST_RR(bclr, 0x7fffffffffffffff, -1, 63)
TEST_RR(bclr, 0xfffffffffffffffe, -1, 64)
TEST_RR(bext, 1, 0x8000000000000000, 63)
TEST_RR(bext, 0, 0x8000000000000000, 62)
TEST_RR(bext, 1, 0x10, 68)
TEST_RR(binv, 0x8000000000000000, 0, 63)
TEST_RR(binv, 0, 1, 0)
TEST_RR(bset, 1, 0, 0)
TEST_RR(bset, 0x100000000, 0, 32)
TEST_RI(bclri, -2, -1, 0)
TEST_RI(bclri, 0xfffffffeffffffff, -1, 32)
TEST_RI(bexti, 1, 0x20, 5)
TEST_RI(bexti, 0, 0x20, 6)
TEST_RI(binvi, 0x100000000, 0, 32)
TEST_RI(binvi, 0x7fffffffffffffff, -1, 63)
TEST_RI(bseti, 0x8000000000000000, 0, 63)
TEST_RR_SAME(bset, 0x11, 0x1, 4)
TEST_END
