/* Branches: every b.cond condition on all 16 NZCV values (Arm ARM,
 * ConditionHolds: EQ Z; CS C; MI N; VS V; HI C && !Z; GE N == V;
 * GT !Z && N == V; odd codes negate except AL/NV, which both hold), cbz/cbnz
 * and tbz/tbnz (a W register ignores bits 63:32), b/bl/br/blr/ret (bl and
 * blr write the address of the next instruction to x30; blr x30 branches
 * to the old x30). */
#include "test.h"

/* b.\cond under NZCV = \f (0-15, N in bit 3); \want is 0 or 1 */
.macro bcond cond, f, want
        SET_NZCV((\f) << 28)
        mov x0, 0
        b.\cond 1f
        b 2f
1:      mov x0, 1
2:      .pushsection .rodata
3:      .asciz "b.\cond with NZCV \f"
        .popsection
        adr x21, 3b; mov x20, x0; mov x19, (\want); cmp x20, x19; b.ne test_fail
.endm
.macro bcond_all f
        n = ((\f) >> 3) & 1
        z = ((\f) >> 2) & 1
        c = ((\f) >> 1) & 1
        v = (\f) & 1
        bcond eq, \f, z
        bcond ne, \f, 1 - z
        bcond cs, \f, c
        bcond cc, \f, 1 - c
        bcond mi, \f, n
        bcond pl, \f, 1 - n
        bcond vs, \f, v
        bcond vc, \f, 1 - v
        bcond hi, \f, c * (1 - z)
        bcond ls, \f, 1 - c * (1 - z)
        bcond ge, \f, 1 - (n ^ v)
        bcond lt, \f, n ^ v
        bcond gt, \f, (1 - z) * (1 - (n ^ v))
        bcond le, \f, 1 - (1 - z) * (1 - (n ^ v))
        bcond al, \f, 1
        bcond nv, \f, 1
.endm

/* x0 = 1 when the branch is taken */
#define TAKEN(exp, a, ...)                                      \
    li x1, a; mov x0, 0; __VA_ARGS__; b 8f; 7: mov x0, 1; 8:    \
    CHECK(#__VA_ARGS__ " [" #a "]", x0, exp)

TEST_BEGIN
        .irp f, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        bcond_all \f
        .endr
TAKEN(1, 0, cbz x1, 7f)
TAKEN(0, 0x100000000, cbz x1, 7f)
TAKEN(1, 0x100000000, cbz w1, 7f)
TAKEN(0, 0x100000000, cbnz w1, 7f)
TAKEN(1, 0x8000000000000000, cbnz x1, 7f)
TAKEN(1, 0x8000000000000000, tbnz x1, 63, 7f)
TAKEN(0, 0x8000000000000000, tbz x1, 63, 7f)
TAKEN(1, 0xfffffffffffffffe, tbz x1, 0, 7f)
TAKEN(1, 0x80000000, tbnz w1, 31, 7f)
TAKEN(1, 0x100000000, tbz x1, 31, 7f)
TAKEN(1, 0x100000000, tbnz x1, 32, 7f)
TAKEN(1, 0, b 7f)
/* backward conditional branch: a counted loop */
        mov x1, 10; mov x0, 0
1:      add x0, x0, 3; subs x1, x1, 1; b.ne 1b
        CHECK("b.ne loop", x0, 30)
        mov x1, 5; mov x0, 0
1:      add x0, x0, 1; sub x1, x1, 1; cbnz x1, 1b
        CHECK("cbnz loop", x0, 5)
        mov x1, 0; mov x0, 0
1:      add x0, x0, 1; add x1, x1, 1; tbz x1, 3, 1b
        CHECK("tbz loop", x0, 8)
/* calls */
        bl func; ret_bl: LA(x9, ret_bl); CHECKR("bl link", x30, x9); CHECK("bl ran func", x0, 42)
        LA(x9, func); blr x9; ret_blr: LA(x9, ret_blr); CHECKR("blr link", x30, x9)
        LA(x30, func2); blr x30; ret_blr30: LA(x9, ret_blr30); CHECKR("blr x30 link", x30, x9)
        CHECK("blr x30 ran func2", x0, 43)
        LA(x9, jump_here); mov x0, 0; br x9; mov x0, 99; jump_here: CHECK("br", x0, 0)
        LA(x9, func3); LA(x30, ret_to); mov x0, 0; br x9; mov x0, 98; ret_to:
        CHECK("ret x10", x0, 44)
TEST_END
        .text
func:   mov x0, 42; ret
func2:  mov x0, 43; ret
func3:  LA(x10, ret_to); mov x0, 44; ret x10
