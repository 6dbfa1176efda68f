/* An invalid frm (5-7) may be written, and then an F/D instruction with
 * rm = dyn is an illegal instruction (ISA manual, "F" chapter, "Rounding
 * Modes").  Static-rm instructions still run.  The program must die of
 * SIGILL at the fadd.s; exit status 0 or 1 means it did not.
 * expect-status: 132 */
#include "test.h"
#include "fp.h"
TEST_BEGIN
        fsrmi 6
        frrm a0; CHECK("frm holds 6", a0, 6)
TEST_FRR_S(fadd.s, rne, S_3, 0, S_1, S_2)
        fadd.s fa0, fa1, fa2, dyn
        li a0, 0; li a7, SYS_EXIT; ecall
TEST_END
