/* Zicond (Integer Conditional Operations 1.0): czero.eqz rd = rs2 == 0 ?
 * 0 : rs1; czero.nez rd = rs2 != 0 ? 0 : rs1, rs2 compared in all 64 bits.
 * Binutils 2.40 has no Zicond mnemonics: the words are written with
 * .insn (OP, funct3 5 / 7, funct7 0000111).  qemu-riscv64 7.2, the
 * cross-check elsewhere, has no Zicond (SIGILL): these values are the
 * specification's alone. */
#include "test.h"
#define TEST_CZ(f3, name, exp, a, b)                            \
    li a1, a; li a2, b; .insn r 0x33, f3, 7, a0, a1, a2;        \
    CHECK(name " " #a ", " #b, a0, exp)
TEST_BEGIN
TEST_CZ(5, "czero.eqz", 0, 5, 0)
TEST_CZ(5, "czero.eqz", 5, 5, 1)
TEST_CZ(5, "czero.eqz", 5, 5, 0x8000000000000000)
TEST_CZ(5, "czero.eqz", -1, -1, 0x100000000)
TEST_CZ(7, "czero.nez", 5, 5, 0)
TEST_CZ(7, "czero.nez", 0, 5, -1)
TEST_CZ(7, "czero.nez", 0, 5, 0x100000000)
        li a1, 9; .insn r 0x33, 5, 7, a1, a1, a1; CHECK("czero.eqz rd=rs1=rs2", a1, 9)
        li a1, 9; .insn r 0x33, 7, 7, a1, a1, a1; CHECK("czero.nez rd=rs1=rs2", a1, 0)
TEST_END
