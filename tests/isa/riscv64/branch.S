/* Branches, jal and jalr.  ISA manual, RV32I "Control Transfer
 * Instructions": signed and unsigned compares, rd = pc + 4, and jalr
 * clearing bit 0 of the target; jalr reads rs1 before writing rd. */
#include "test.h"
#define TEST_BR(op, taken, a, b)                                \
    li a1, a; li a2, b; li a0, 0; op a1, a2, 1f; j 2f; 1: li a0, 1; 2: \
    CHECK(#op " " #a ", " #b, a0, taken)
TEST_BEGIN
TEST_BR(beq, 1, 5, 5)
TEST_BR(beq, 0, 5, 6)
TEST_BR(bne, 1, 5, 6)
TEST_BR(bne, 0, -1, -1)
TEST_BR(blt, 1, -1, 0)
TEST_BR(blt, 0, 0, -1)
TEST_BR(blt, 0, 3, 3)
TEST_BR(bge, 1, 3, 3)
TEST_BR(bge, 1, 0, -1)
TEST_BR(bge, 0, -2, -1)
TEST_BR(bltu, 0, -1, 0)
TEST_BR(bltu, 1, 0, -1)
TEST_BR(bgeu, 1, -1, 0)
TEST_BR(bgeu, 0, 1, 2)
/* jal: rd = the pc after it; a backward jal */
        jal a0, 3f
4:      j test_fail
3:      lla a1, 4b; sub a0, a0, a1; CHECK("jal links pc + 4", a0, 0)
        j 6f
5:      li a0, 42; j 7f
6:      jal zero, 5b
7:      CHECK("backward jal", a0, 42)
/* jalr: target (rs1 + imm) & ~1 */
        lla t0, 8f; addi t0, t0, 1; jalr ra, 0(t0)
9:      j test_fail
8:      lla a1, 9b; sub a0, ra, a1; CHECK("jalr clears bit 0, links pc + 4", a0, 0)
        lla t0, 10f; addi t0, t0, -8; jalr zero, 8(t0)
        j test_fail
10:     lla a1, 11f; jalr a1, 0(a1)    /* rd = rs1: jumps to the old a1 */
12:     j test_fail
11:     lla a2, 12b; sub a0, a1, a2; CHECK("jalr rd=rs1 links", a0, 0)
TEST_END
