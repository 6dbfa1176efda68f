/* Loads and stores of each width: sign- and zero-extension (ISA manual,
 * RV64I "Load and Store Instructions"), negative offsets, and a
 * misaligned access (Linux user mode gives it the aligned result). */
#include "test.h"
#define TEST_LD(op, exp, off)                                   \
    lla a1, data; op a0, off(a1); CHECK(#op " " #off, a0, exp)
TEST_BEGIN
TEST_LD(lb, 0xffffffffffffff87, 0)
TEST_LD(lbu, 0x87, 0)
TEST_LD(lb, 0x7f, 8)
TEST_LD(lh, 0xffffffffffff8687, 0)
TEST_LD(lhu, 0x8687, 0)
TEST_LD(lw, 0xffffffff84858687, 0)
TEST_LD(lwu, 0x84858687, 0)
TEST_LD(lw, 0xffffffff80818283, 4)
TEST_LD(ld, 0x8081828384858687, 0)
TEST_LD(ld, 0x000000000000007f, 8)
        lla a1, data + 16
        lb a0, -16(a1); CHECK("lb -16", a0, 0xffffffffffffff87)
        ld a0, -8(a1); CHECK("ld -8", a0, 0x7f)
/* stores write exactly their width */
        lla a1, buf; li a2, -1; sd a2, 0(a1); sd a2, 8(a1)
        li a2, 0x0102030405060708
        sb a2, 0(a1); ld a0, 0(a1); CHECK("sb", a0, 0xffffffffffffff08)
        sh a2, 0(a1); ld a0, 0(a1); CHECK("sh", a0, 0xffffffffffff0708)
        sw a2, 0(a1); ld a0, 0(a1); CHECK("sw", a0, 0xffffffff05060708)
        sd a2, 0(a1); ld a0, 0(a1); CHECK("sd", a0, 0x0102030405060708)
        sd a2, -8(a1); ld a0, -8(a1); CHECK("sd -8", a0, 0x0102030405060708)
/* misaligned */
        sd a2, 3(a1); ld a0, 3(a1); CHECK("misaligned sd/ld", a0, 0x0102030405060708)
        lw a0, 4(a1); CHECK("misaligned bytes landed", a0, 0x04050607)
TEST_END
        .data
        .balign 8
data:   .dword 0x8081828384858687, 0x7f
        .dword 0
        .dword 0
buf:    .space 32
