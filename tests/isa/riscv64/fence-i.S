/* Zifencei: code stored to memory runs after fence.i (ISA manual,
 * "Zifencei"), also when the old code there ran before. */
#include "test.h"
#define PROT_RWX 7
#define MAP_PRIVATE_ANON 0x22
TEST_BEGIN
        li a0, 0; li a1, 4096; li a2, PROT_RWX; li a3, MAP_PRIVATE_ANON; li a4, -1; li a5, 0
        li a7, 222; ecall                      /* mmap */
        mv s1, a0
        li t0, 0x00100513; sw t0, 0(s1)        /* addi a0, zero, 1 */
        li t0, 0x00008067; sw t0, 4(s1)        /* jalr zero, 0(ra) */
        fence.i
        li a0, 0; jalr ra, 0(s1); CHECK("first code", a0, 1)
        li t0, 0x00200513; sw t0, 0(s1)        /* addi a0, zero, 2 */
        fence.i
        li a0, 0; jalr ra, 0(s1); CHECK("code changed after fence.i", a0, 2)
TEST_END
