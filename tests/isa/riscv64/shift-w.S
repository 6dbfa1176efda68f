/* Shifts and the RV64 *w operations.  ISA manual, RV64I: shift amounts
 * are rs2[5:0] (rs2[4:0] for *w); *w results are the low 32 bits
 * sign-extended, even for a shift by 0. */
#include "test.h"
#define MIN64 0x8000000000000000
TEST_BEGIN
TEST_RR(sll, MIN64, 1, 63)
TEST_RR(sll, 5, 5, 64)
TEST_RR(srl, 1, -1, 63)
TEST_RR(srl, -1, -1, 64)
TEST_RR(sra, -1, -1, 63)
TEST_RR(sra, -1, MIN64, 63)
TEST_RR(sra, 0xc000000000000000, MIN64, 1)
TEST_RI(slli, MIN64, 1, 63)
TEST_RI(srli, 1, MIN64, 63)
TEST_RI(srai, -1, MIN64, 63)
TEST_RI(srai, 0x0fffffffffffffff, 0x7fffffffffffffff, 3)
TEST_RR(sllw, 0xffffffff80000000, 1, 31)
TEST_RR(sllw, 1, 1, 32)
TEST_RR(srlw, 1, 0xffffffff80000000, 31)
TEST_RR(srlw, -1, -1, 0)
TEST_RR(srlw, 0x7fffffff, -1, 33)
TEST_RR(sraw, -1, 0x80000000, 31)
TEST_RR(sraw, 0, 0x100000000, 1)
TEST_RR(addw, 0xffffffff80000000, 0x7fffffff, 1)
TEST_RR(addw, 0, 0xffffffff, 1)
TEST_RR(subw, -1, 0, 1)
TEST_RR(subw, 0x7fffffff, 0x80000000, 1)
TEST_RI(addiw, -1, 0xffffffff, 0)
TEST_RI(addiw, 0xffffffff80000000, 0x7fffffff, 1)
TEST_RI(slliw, 0xffffffff80000000, 1, 31)
TEST_RI(srliw, 1, -1, 31)
TEST_RI(srliw, 0xffffffff80000000, 0x80000000, 0)
TEST_RI(sraiw, 0xfffffffff8000000, 0x80000000, 4)
TEST_END
