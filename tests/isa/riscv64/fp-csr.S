/* fflags, frm and fcsr (ISA manual, "F" chapter, "Floating-Point Control
 * and Status Register"): fcsr = frm << 5 | fflags, bits 8 and up read as
 * zero; flags accrue until written; csrrs/csrrc with x0 do not write.
 * Every rounding mode through frm (rm = dyn) and through the static rm
 * field, which overrides frm; ties in each mode. */
#include "test.h"
#include "fp.h"
/* a single result: fdiv.s a by b under frm = mode, rm = dyn */
#define TEST_DYN_S(mode, exp, flags, op, a, b)                  \
    fsrmi mode; TEST_FRR_S(op, dyn, exp, flags, a, b)
#define TEST_DYN_W(mode, exp, a)                                \
    fsrmi mode; TEST_FX_D(fcvt.w.d, dyn, exp, NX, a)
TEST_BEGIN
        csrw fcsr, zero; frcsr a0; CHECK("fcsr cleared", a0, 0)
        li a1, 0x1ff; csrw fcsr, a1; frcsr a0; CHECK("fcsr keeps 8 bits", a0, 0xff)
        frrm a0; CHECK("frm from fcsr", a0, 7)       /* an invalid frm may be written */
        frflags a0; CHECK("fflags from fcsr", a0, 0x1f)
        li a1, 0x25; fscsr a2, a1; CHECK("fscsr returns the old fcsr", a2, 0xff)
        frrm a0; CHECK("frm = 1", a0, 1)
        frflags a0; CHECK("fflags = 5", a0, 5)
        li a1, 0xff; fsflags a2, a1; CHECK("fsflags returns the old flags", a2, 5)
        frflags a0; CHECK("fflags keeps 5 bits", a0, 0x1f)
        frcsr a0; CHECK("fcsr after fsflags", a0, 0x3f)
        csrrci a0, fflags, 3; CHECK("csrrci returns old", a0, 0x1f)
        frflags a0; CHECK("csrrci cleared", a0, 0x1c)
        csrrsi a0, fflags, 1; frflags a0; CHECK("csrrsi set", a0, 0x1d)
        csrrs a0, fflags, zero; CHECK("csrrs x0 reads", a0, 0x1d)
        li a1, 4; csrrc a0, frm, a1; CHECK("csrrc frm old", a0, 1)
        li a1, 6; csrrs a0, frm, a1; frrm a0; CHECK("csrrs frm", a0, 7)
        fsrmi a0, 2; CHECK("fsrmi returns the old frm", a0, 7)
        frcsr a0; CHECK("fcsr = rdn << 5 | flags", a0, 0x5d)
/* flags accrue */
        fsflags zero; SET_D(fa1, D_1); SET_D(fa2, D_3); fdiv.d fa0, fa1, fa2
        SET_D(fa2, D_0); fdiv.d fa0, fa1, fa2; frflags a0; CHECK("NX then DZ accrue", a0, NX | DZ)
        fsflags zero; fdiv.d fa0, fa1, fa2; frcsr a0; CHECK("fcsr holds the flags", a0, 2 << 5 | DZ)
/* 1/3 and -1/3 in every mode through frm */
TEST_DYN_S(0, 0x3eaaaaab, NX, fdiv.s, S_1, S_3)
TEST_DYN_S(1, 0x3eaaaaaa, NX, fdiv.s, S_1, S_3)
TEST_DYN_S(2, 0x3eaaaaaa, NX, fdiv.s, S_1, S_3)
TEST_DYN_S(3, 0x3eaaaaab, NX, fdiv.s, S_1, S_3)
TEST_DYN_S(4, 0x3eaaaaab, NX, fdiv.s, S_1, S_3)
TEST_DYN_S(0, 0xbeaaaaab, NX, fdiv.s, S_M1, S_3)
TEST_DYN_S(1, 0xbeaaaaaa, NX, fdiv.s, S_M1, S_3)
TEST_DYN_S(2, 0xbeaaaaab, NX, fdiv.s, S_M1, S_3)
TEST_DYN_S(3, 0xbeaaaaaa, NX, fdiv.s, S_M1, S_3)
TEST_DYN_S(4, 0xbeaaaaab, NX, fdiv.s, S_M1, S_3)
/* ties: 1 + 2^-24 is halfway between 1 and 1 + 2^-23; (1 + 2^-23) + 2^-24
 * is halfway between odd 1 + 2^-23 and even 1 + 2^-22 */
TEST_DYN_S(0, 0x3f800000, NX, fadd.s, S_1, 0x33800000)
TEST_DYN_S(1, 0x3f800000, NX, fadd.s, S_1, 0x33800000)
TEST_DYN_S(2, 0x3f800000, NX, fadd.s, S_1, 0x33800000)
TEST_DYN_S(3, 0x3f800001, NX, fadd.s, S_1, 0x33800000)
TEST_DYN_S(4, 0x3f800001, NX, fadd.s, S_1, 0x33800000)
TEST_DYN_S(0, 0x3f800002, NX, fadd.s, 0x3f800001, 0x33800000)
TEST_DYN_S(1, 0x3f800001, NX, fadd.s, 0x3f800001, 0x33800000)
TEST_DYN_S(4, 0x3f800002, NX, fadd.s, 0x3f800001, 0x33800000)
TEST_DYN_S(0, 0xbf800000, NX, fadd.s, S_M1, 0xb3800000)
TEST_DYN_S(2, 0xbf800001, NX, fadd.s, S_M1, 0xb3800000)
TEST_DYN_S(3, 0xbf800000, NX, fadd.s, S_M1, 0xb3800000)
TEST_DYN_S(4, 0xbf800001, NX, fadd.s, S_M1, 0xb3800000)
/* ties to integers through frm: 2.5 and -2.5 */
TEST_DYN_W(0, 2, D_2P5)
TEST_DYN_W(1, 2, D_2P5)
TEST_DYN_W(2, 2, D_2P5)
TEST_DYN_W(3, 3, D_2P5)
TEST_DYN_W(4, 3, D_2P5)
TEST_DYN_W(0, -2, D_M2P5)
TEST_DYN_W(1, -2, D_M2P5)
TEST_DYN_W(2, -3, D_M2P5)
TEST_DYN_W(3, -2, D_M2P5)
TEST_DYN_W(4, -3, D_M2P5)
/* the static rm wins over frm */
        fsrmi 1
TEST_FRR_S(fdiv.s, rne, 0x3eaaaaab, NX, S_1, S_3)
TEST_FRR_S(fdiv.s, rup, 0x3eaaaaab, NX, S_1, S_3)
        fsrmi 3
TEST_FRR_D(fdiv.d, rtz, D_THIRD, NX, D_1, D_3)
TEST_FRR_D(fdiv.d, rdn, D_THIRD, NX, D_1, D_3)
TEST_FRR_D(fdiv.d, dyn, 0x3fd5555555555556, NX, D_1, D_3)
/* frm survives a syscall */
        fsrmi 2; li a0, 1; li a1, 0; li a2, 0; li a7, SYS_WRITE; ecall
        frrm a0; CHECK("frm after a syscall", a0, 2)
TEST_DYN_S(2, 0xbeaaaaab, NX, fdiv.s, S_M1, S_3)
/* with frm invalid, static-rm instructions still run */
        fsrmi 5
TEST_FRR_S(fdiv.s, rtz, 0x3eaaaaaa, NX, S_1, S_3)
TEST_FRR2_S(fmin.s, S_1, 0, S_1, S_3)
        fsrmi 0
TEST_END
