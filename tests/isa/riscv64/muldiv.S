/* M extension.  Expected values: ISA manual, "M" chapter: high halves of
 * the 128-bit product, division rounding toward zero, and its table of
 * division by zero (quotient all ones, remainder the dividend) and
 * overflow (MIN / -1 = MIN, remainder 0); *w forms use the low 32 bits
 * and sign-extend the 32-bit result. */
#include "test.h"
#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff
TEST_BEGIN
TEST_RR(mul, -6, 3, -2)
TEST_RR(mul, 0xfffffffffffffffe, MAX64, 2)
TEST_RR(mulh, 0, -1, -1)
TEST_RR(mulh, 0x4000000000000000, MIN64, MIN64)
TEST_RR(mulh, -1, -1, 1)
TEST_RR(mulhu, 0xfffffffffffffffe, -1, -1)
TEST_RR(mulhu, 1, MIN64, 2)
TEST_RR(mulhsu, -1, -1, -1)         /* -1 * (2^64 - 1) */
TEST_RR(mulhsu, 1, 2, -1)           /* 2 * (2^64 - 1) */
TEST_RR(div, -3, 7, -2)
TEST_RR(div, -3, -7, 2)
TEST_RR(div, -1, 7, 0)
TEST_RR(div, MIN64, MIN64, -1)
TEST_RR(divu, -1, 7, 0)
TEST_RR(divu, MAX64, -1, 2)
TEST_RR(rem, 1, 7, -2)
TEST_RR(rem, -1, -7, 2)
TEST_RR(rem, 7, 7, 0)
TEST_RR(rem, 0, MIN64, -1)
TEST_RR(remu, 7, 7, 0)
TEST_RR(remu, 1, -1, 2)
TEST_RR(mulw, -2, 0x7fffffff, 2)
TEST_RR(mulw, 3, 0x100000001, 3)
TEST_RR(divw, 0xffffffff80000000, 0x80000000, -1)
TEST_RR(divw, -1, 5, 0)
TEST_RR(divw, 2, 0x100000006, 3)
TEST_RR(divuw, -1, 0xffffffff, 0)
TEST_RR(divuw, 0xffffffff80000000, 0x80000000, 1)
TEST_RR(remw, 0, 0x80000000, -1)
TEST_RR(remw, 0xffffffff80000000, 0x80000000, 0)
TEST_RR(remuw, 5, 5, 0)
TEST_RR(remuw, 0xfffffffffffffffb, 0xfffffffb, 0)
TEST_RR_SAME(div, 2, 6, 3)
TEST_END
