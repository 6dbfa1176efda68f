/* A extension: AMOs return the old value (sign-extended for .w) and store
 * op(old, rs2); LR/SC: SC writes 0 to rd on success, nonzero on failure,
 * and any SC ends the reservation (ISA manual, "A" chapter). */
#include "test.h"
#define MEMW(v) lla a1, word; li t0, v; sw t0, 0(a1)
#define MEMD(v) lla a1, dword; li t0, v; sd t0, 0(a1)
#define TEST_AMOW(op, old, new, m, v)                           \
    MEMW(m); li a2, v; op a0, a2, (a1); lw t1, 0(a1);            \
    CHECK(#op " old " #m ", " #v, a0, old); CHECK(#op " new " #m ", " #v, t1, new)
#define TEST_AMOD(op, old, new, m, v)                           \
    MEMD(m); li a2, v; op a0, a2, (a1); ld t1, 0(a1);            \
    CHECK(#op " old " #m ", " #v, a0, old); CHECK(#op " new " #m ", " #v, t1, new)
TEST_BEGIN
TEST_AMOW(amoadd.w, 0x7fffffff, 0xffffffff80000000, 0x7fffffff, 1)
TEST_AMOW(amoswap.w, 0xffffffff80000000, 5, 0x80000000, 5)
TEST_AMOW(amoand.w, 0xc, 0x4, 0xc, 0x6)
TEST_AMOW(amoor.w, 0xc, 0xe, 0xc, 0x6)
TEST_AMOW(amoxor.w, 0xc, 0xa, 0xc, 0x6)
TEST_AMOW(amomin.w, -1, -1, 0xffffffff, 1)
TEST_AMOW(amomax.w, -1, 1, 0xffffffff, 1)
TEST_AMOW(amominu.w, -1, 1, 0xffffffff, 1)
TEST_AMOW(amomaxu.w, -1, -1, 0xffffffff, 1)
TEST_AMOW(amomin.w, 5, 5, 5, 0x100000007)   /* rs2's upper half is ignored */
TEST_AMOD(amoadd.d, -1, 0, -1, 1)
TEST_AMOD(amoswap.d, 1, -2, 1, -2)
TEST_AMOD(amoand.d, -1, 0x8000000000000000, -1, 0x8000000000000000)
TEST_AMOD(amoor.d, 1, 0x8000000000000001, 1, 0x8000000000000000)
TEST_AMOD(amoxor.d, 3, 0, 3, 3)
TEST_AMOD(amomin.d, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 1)
TEST_AMOD(amomax.d, 0x8000000000000000, 1, 0x8000000000000000, 1)
TEST_AMOD(amominu.d, 0x8000000000000000, 1, 0x8000000000000000, 1)
TEST_AMOD(amomaxu.d, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 1)
/* lr/sc */
        MEMD(7); lr.d a0, (a1); CHECK("lr.d", a0, 7)
        li a2, 9; sc.d a3, a2, (a1); CHECK("sc.d succeeds", a3, 0)
        ld a0, 0(a1); CHECK("sc.d stored", a0, 9)
        li a2, 11; sc.d a3, a2, (a1); snez a3, a3; CHECK("sc.d without reservation fails", a3, 1)
        ld a0, 0(a1); CHECK("failed sc.d stores nothing", a0, 9)
        MEMW(0x80000000); lr.w.aq a0, (a1); CHECK("lr.w sign-extends", a0, 0xffffffff80000000)
        li a2, 3; sc.w.rl a3, a2, (a1); CHECK("sc.w succeeds", a3, 0)
        lw a0, 0(a1); CHECK("sc.w stored", a0, 3)
/* an LR/SC loop: atomic increment */
        MEMD(41)
1:      lr.d a0, (a1); addi a0, a0, 1; sc.d a3, a0, (a1); bnez a3, 1b
        ld a0, 0(a1); CHECK("lr/sc loop", a0, 42)
TEST_END
        .data
        .balign 8
word:   .word 0, 0
dword:  .dword 0
