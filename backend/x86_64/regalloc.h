/* Linear-scan register allocation of one IR block's values onto host GPRs
 * and, for f32/f64/v128 values, XMM registers.
 *
 *   x86_loc *loc = calloc(b->n, sizeof *loc);
 *   int slots = x86_regalloc(b, loc);   // -1: more than X86_FRAME_SLOTS spills
 *
 * Each value gets one location for its whole life: a register, a frame
 * slot ([rbp + 8*slot]; a v128 value takes two adjacent ones), an
 * immediate (constants that fit in imm32), or, for an i64 value that does
 * not get a register and is stored to a guest register right after it is
 * made, that guest register's slot in the CPU state ([r15 + off]; kind
 * CTX, slot = off) as long as nothing else writes it: the ctx store is
 * then no code.
 * rax, rcx, rdx and r11 are never allocated: the lowering uses them as
 * scratch; xmm13, xmm14 and xmm15 likewise.  A v128 slot is 16-byte
 * aligned (rbp is, in translated code).  A value live across a CALL only gets
 * a callee-saved register (so a float one, XMM being all caller-saved, a
 * slot).  The top X86_LOWER_SLOTS frame slots are the lowering's own.
 */
#ifndef FERRY_X86_REGALLOC_H
#define FERRY_X86_REGALLOC_H

#include <stdint.h>

#include "backend/x86_64/x86.h"
#include "ir/ir.h"

enum { X86_LOC_NONE, X86_LOC_REG, X86_LOC_SLOT, X86_LOC_IMM, X86_LOC_CTX };

/* x86_loc.reg of xmm n (GPRs are 0..15). */
#define X86_XMM(n) (32 + (n))
#define X86_IS_XMM(r) ((r) >= 32)

/* Frame slots kept from the allocator for the lowering: MXCSR images,
 * helper arguments, the registers saved around an internal helper call. */
enum {
    X86_LOWER_SLOTS = 40,
    X86_SLOT_MXCSR = X86_FRAME_SLOTS - X86_LOWER_SLOTS, /* two 4-byte images in one slot */
    X86_SLOT_MXCSR2,                        /* the state before a conversion */
    X86_SLOT_ARG0,                          /* ..+2: helper arguments */
    X86_SLOT_SAVE = X86_SLOT_ARG0 + 3,      /* ..+4: rsi..r10 */
    X86_SLOT_XSAVE = X86_SLOT_SAVE + 5,     /* ..+27: xmm0..13, 16 bytes each */
    X86_SLOT_NAN = X86_SLOT_XSAVE + 28,     /* a compare in a flags window saw a NaN */
    X86_SLOT_RAS_LIMIT,                     /* the lowest rsp a call may push from (enter's) */
    X86_SLOT_LOWER_END,
};
_Static_assert(X86_SLOT_LOWER_END <= X86_FRAME_SLOTS, "the lowering's slots must fit the frame");

/* Values of these types live in XMM registers (or slots). */
static inline bool x86_in_xmm(ir_type t) { return ir_is_float(t) || t == IR_V128; }

typedef struct x86_loc {
    uint8_t kind;  /* X86_LOC_* */
    uint8_t reg;   /* X86_LOC_REG */
    uint16_t slot; /* X86_LOC_SLOT */
    uint32_t end;  /* index of the last insn that uses the value */
} x86_loc;

/* Fill loc[0..b->n); returns the number of frame slots used, or -1. */
int x86_regalloc(const ir_block *b, x86_loc *loc);

/* What a block that loops to itself asks more (lower_loop.c): each pinned
 * value holds its register for the whole block (no other value gets it)
 * but for value then (IR_NONE: none), which takes the register if val is
 * dead by then's definition (the loop's next value of the same guest
 * register, then at its place for the back edge); each live-out value
 * lives until the block's last insn.  And the registers that hold fixed
 * guest registers (x86_target), reserved. */
typedef struct x86_pin {
    ir_val val, then;
    uint8_t reg;
} x86_pin;
typedef struct x86_ra_extra {
    const x86_pin *pins;
    int n_pins;
    const ir_val *live_out;
    int n_live_out;
    uint64_t reserved; /* GPRs (bit n: register n) no value may have */
    const x86_target *t; /* its fixed slots are no value's CTX home; NULL: none */
} x86_ra_extra;
int x86_regalloc_extra(const ir_block *b, x86_loc *loc, const x86_ra_extra *x);

/* The immediate of a constant, as its type reads it. */
static inline int64_t x86_const_value(const ir_insn *in)
{
    return in->type == IR_I32 ? (int64_t)(int32_t)in->imm : in->imm;
}

#endif
