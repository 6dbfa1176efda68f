/* The guest-ISA interface: one constant struct per guest architecture.
 *
 *   const frontend *fe = frontend_for_elf(EM_RISCV);
 *   ir_block *b = ir_block_new(pc);
 *   fe->translate(b, pc);          // decodes guest bytes at pc until a block ends
 *
 * A frontend sees guest bytes and emits IR; it never sees x86 or syscalls.
 * Guest memory is host memory at the same address, so translate() reads
 * the instruction bytes directly at (void *)pc.
 */
#ifndef FERRY_FRONTEND_H
#define FERRY_FRONTEND_H

#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

/* Most guest instructions one block may hold. */
#define FRONTEND_MAX_BLOCK_INSNS 64

typedef struct frontend {
    const char *name;     /* "riscv64" */
    uint16_t elf_machine; /* EM_RISCV */
    size_t cpu_size;      /* sizeof the guest CPU state */
    size_t pc_offset;     /* where the guest pc lives in it */
    size_t engine_offset; /* 16 bytes of it kept for the engine's own
                           * per-thread state (zero when a thread starts) */
    /* Decode from pc until the block ends (a branch, a syscall, an
     * undecodable word, or FRONTEND_MAX_BLOCK_INSNS) and emit IR into b,
     * which ends with an exit.  A direct jump or a conditional branch's
     * fall-through within the page of pc may be followed rather than end
     * the block (ir_follow).  Sets
     * [b->guest_lo, b->guest_end) (ir_cover) and b->n_guest. */
    void (*translate)(ir_block *b, uint64_t pc);
    /* Text of the instruction at pc ("addi a0, a0, 1"); returns its length
     * in bytes, or 0 when the bytes are not a known instruction. */
    int (*disas)(uint64_t pc, char *buf, size_t len);
    /* Names a CPU-state offset for the IR printer ("a0"), or NULL. */
    const char *(*ctx_name)(uint32_t off);
    /* The guest's C calling convention, for a function Ferry answers with
     * a host routine (frontend_routine): the CPU-state offsets of the
     * first three integer arguments, of the result and of the return
     * address. */
    uint32_t call_arg[3], call_ret, call_link;
    /* The guest registers most used across blocks, hottest first: the
     * CPU-state offsets of 8-byte slots only ever accessed whole (i64),
     * which a backend may keep in host registers throughout translated
     * code.  n_hot of them. */
    uint32_t hot[4];
    uint8_t n_hot;
} frontend;

extern const frontend frontend_riscv64;
extern const frontend frontend_aarch64;

/* What answers a guest function without its instructions: a call of host
 * routine h with the function's first three arguments; or IR that build
 * emits from its first one (small pure functions, inlined where they are
 * called directly); or, with neither, the constant value. */
typedef struct frontend_answer {
    const ir_helper *h;
    ir_val (*build)(ir_block *b, ir_val x);
    uint64_t value;
} frontend_answer;

/* The block at pc, a guest function's entry, computes answer a from the
 * function's arguments, stores the result where the guest's ABI returns
 * it and returns to the return address: what the function does, without
 * its instructions.  A fault inside h is the guest's at pc, with every
 * register as at the function's entry. */
void frontend_routine(const frontend *fe, ir_block *b, uint64_t pc, const frontend_answer *a);
/* The same in place of a direct call of pc whose return address is known
 * (a->build only): the result stored, and no exit. */
void frontend_inline(const frontend *fe, ir_block *b, uint64_t pc, const frontend_answer *a);

/* The frontend for an ELF e_machine, or NULL. */
const frontend *frontend_for_elf(uint16_t machine);
/* The frontend called name ("riscv64", "aarch64"), or NULL. */
const frontend *frontend_by_name(const char *name);

#endif
