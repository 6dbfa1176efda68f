/* RV64I register and immediate arithmetic, compares, lui/auipc.
 * Expected values: RISC-V unprivileged ISA manual, "RV32I/RV64I Base
 * Integer Instruction Set" (wrap-around arithmetic, signed and unsigned
 * compares, 12-bit sign-extended immediates). */
#include "test.h"
TEST_BEGIN
TEST_RR(add, 3, 1, 2)
TEST_RR(add, 0, -1, 1)
TEST_RR(add, 0x8000000000000000, 0x7fffffffffffffff, 1)
TEST_RR(sub, -1, 0, 1)
TEST_RR(sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
TEST_RR(and, 0x0f00, 0xff00, 0x0ff0)
TEST_RR(or, 0xfff0, 0xff00, 0x0ff0)
TEST_RR(xor, 0xf0f0, 0xff00, 0x0ff0)
TEST_RR(slt, 1, -1, 0)
TEST_RR(slt, 0, 0, -1)
TEST_RR(slt, 0, 5, 5)
TEST_RR(sltu, 0, -1, 0)
TEST_RR(sltu, 1, 0, -1)
TEST_RR(sltu, 0, 5, 5)
TEST_RI(addi, -2048, 0, -2048)
TEST_RI(addi, 2047, 0, 2047)
TEST_RI(addi, 0, -1, 1)
TEST_RI(andi, 0x7f0, 0xfff0, 0x7ff)
TEST_RI(andi, 0xfff0, 0xfff0, -1)
TEST_RI(ori, -1, 0, -1)
TEST_RI(ori, 0x7ff, 0x700, 0x0ff)
TEST_RI(xori, ~0x1234, 0x1234, -1)
TEST_RI(slti, 1, -5, -4)
TEST_RI(slti, 0, -4, -4)
TEST_RI(sltiu, 1, 0, -1)          /* the immediate is sign-extended, then unsigned */
TEST_RI(sltiu, 0, -1, 1)
TEST_RR_SAME(add, 10, 4, 6)
TEST_RR_SAME(sub, -2, 4, 6)
/* lui: imm << 12, sign-extended from 32 bits */
lui a0, 0x80000; CHECK("lui 0x80000", a0, 0xffffffff80000000)
lui a0, 0x7ffff; CHECK("lui 0x7ffff", a0, 0x7ffff000)
/* auipc: pc + (imm << 12) */
1: auipc a0, 0; lla a1, 1b; sub a0, a0, a1; CHECK("auipc 0 is its own pc", a0, 0)
2: auipc a0, 1; lla a1, 2b; sub a0, a0, a1; CHECK("auipc 1", a0, 0x1000)
/* x0 stays 0 */
li a1, 5; add zero, a1, a1; mv a0, zero; CHECK("x0 is 0", a0, 0)
TEST_END
