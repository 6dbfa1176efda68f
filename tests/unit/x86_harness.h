/* Shared by the x86 lowering tests: a code buffer like the engine's (one
 * memfd mapped RW for writing and RX for running), with the enter and
 * leave trampolines at its start, and the target that lowers into it.
 *
 *   enter = x86_test_code(CODE_SIZE, &rw, &rx, &tgt, PC_OFF, ENGINE_OFF);
 *   x86_lower_block(b, &tgt, rw + 256, ..., (uint64_t)rx + 256, &low);
 *   x86_ret r = enter(cpu, rx + 256);
 */
#ifndef FERRY_TEST_X86_HARNESS_H
#define FERRY_TEST_X86_HARNESS_H

#include <criterion/criterion.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/x86_64/x86.h"

/* Blocks go from X86_TEST_BLOCKS on; the trampolines sit below it. */
#define X86_TEST_LEAVE 128
#define X86_TEST_BLOCKS 256

static inline x86_enter_fn x86_test_code(size_t size, uint8_t **rw, uint8_t **rx,
                                         x86_target *tgt, uint32_t pc_off, uint32_t engine_off)
{
    int fd = memfd_create("x86test", 0);
    cr_assert(fd >= 0);
    cr_assert_eq(ftruncate(fd, (off_t)size), 0);
    *rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    *rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    cr_assert(*rw != MAP_FAILED && *rx != MAP_FAILED);
    close(fd);
    *tgt = (x86_target){.pc_offset = pc_off, .engine_offset = engine_off,
                        .leave = (uint64_t)*rx + X86_TEST_LEAVE};
    cr_assert(x86_emit_leave(*rw + X86_TEST_LEAVE, X86_TEST_BLOCKS - X86_TEST_LEAVE,
                             (uint64_t)*rx + X86_TEST_LEAVE, tgt) > 0);
    cr_assert(x86_emit_enter(*rw, X86_TEST_LEAVE, (uint64_t)*rx, tgt) > 0);
    return (x86_enter_fn)(void *)*rx;
}

/* An integer compare by C's definition, at i32 (the low halves) or i64:
 * the model the lowering's compares are checked against. */
static inline bool model_cond(ir_cond c, ir_type t, int64_t a, int64_t b)
{
    if (t == IR_I32) {
        a = (int32_t)a;
        b = (int32_t)b;
    }
    uint64_t ua = t == IR_I32 ? (uint32_t)a : (uint64_t)a, ub = t == IR_I32 ? (uint32_t)b : (uint64_t)b;
    switch (c) {
    case IR_EQ: return a == b;
    case IR_NE: return a != b;
    case IR_LT: return a < b;
    case IR_GE: return a >= b;
    case IR_LE: return a <= b;
    case IR_GT: return a > b;
    case IR_LTU: return ua < ub;
    case IR_GEU: return ua >= ub;
    case IR_LEU: return ua <= ub;
    default: return ua > ub;
    }
}

#endif
