/* The x86-64 backend as the engine sees it: lower one optimized IR block
 * to host code, and emit the enter/leave trampolines.
 *
 *   x86_target t = { .pc_offset = fe->pc_offset, .leave = leave_rx };
 *   x86_lowered out;
 *   if (x86_lower_block(b, &t, rw, cap, rx_addr, &out) < 0) ... // no room
 *
 * Conventions fixed here and nowhere else:
 * - r15 holds the env pointer (the guest CPU state) in all translated code.
 * - rbp (X86_FRAME) holds the spill frame's base: X86_FRAME_SLOTS 8-byte
 *   slots at [rbp], 16-byte aligned.
 * - rsp is the return-address stack's top (X86_RAS_*): translated code
 *   pushes and pops it with host call/ret, and keeps it 16-byte aligned
 *   for helper calls.
 * - enter(cpu, code): saves the host callee-saved registers, reserves the
 *   spill frame, sets rbp, puts the return-address stack's sentinel below
 *   the frame, sets r15 = cpu and jumps to code.
 * - A block leaves by jumping to `leave` with eax = an X86_EXIT_* reason
 *   and rdx = its detail; leave finds the frame from rbp, whatever rsp
 *   holds; enter() then returns {rax, rdx}.
 * - All guest state is in the CPU state at every exit (the IR stores it
 *   before the exit op), so a block may start with no live registers.
 */
#ifndef FERRY_X86_H
#define FERRY_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

enum {
    X86_EXIT_CHAIN = 1,   /* direct goto: rdx = RX address of the patchable jmp (or call); pc stored */
    X86_EXIT_LOOKUP = 2,  /* indirect goto: pc stored, nothing to patch */
    X86_EXIT_SYSCALL = 3, /* pc stored (the next pc) */
    X86_EXIT_TRAP = 4,    /* rdx = ir_trap_kind; pc stored (the trapping insn) */
    X86_EXIT_ICACHE = 5,  /* ICACHE_SYNC: pc stored (the next pc) */
    X86_EXIT_INTERRUPT = 6, /* the stop byte was set at a block's entry: pc
                             * stored (that block's first instruction) */
};

/* MXCSR holds the guest's floating-point state while guest code runs: its
 * rounding field is the dynamic rounding mode (IR_RM_DYN), its exception
 * flags the accrued flags.  Nothing resets it between blocks. */

#define X86_FRAME_SLOTS 256
#define X86_FRAME 5 /* rbp */

/* The return-address stack.  A guest call (a GOTO or GOTO_IND with a
 * return pc, ir.h) pushes the return pc, then host-calls its target: the
 * host return address is the call's continuation, a chainable jmp to the
 * return pc's block.  A guest return (GOTO_IND IR_JUMP_RETURN) whose
 * target is the pc on top `ret 8`s there, so the host CPU's own return
 * predictor sees a call and a return; any other target takes the
 * indirect-branch cache and leaves the stack as it is.  An entry is 16
 * bytes: [rsp] the host continuation, [rsp + 8] the guest pc.  Below the
 * frame lies a sentinel entry whose pc is X86_RAS_NONE (no return
 * matches it but one to that very address, which its continuation, in
 * enter, treats as a lookup); a call finding X86_RAS_DEPTH entries
 * already there starts again from the sentinel (the slot
 * X86_SLOT_RAS_LIMIT holds that bound); every exit empties the stack. */
#define X86_RAS_DEPTH 1024
#define X86_RAS_NONE UINT64_MAX
/* The engine's bytes in the CPU state (x86_target.engine_offset):
 * X86_ENG_RMM: bit 0 while the guest's dynamic rounding mode is RMM, which
 *   MXCSR cannot hold (RC is RNE then); bit 1 while IR_FPM_FLUSH_ZERO is in
 *   force.  Nonzero sends every DYN-rounded op to x86_fp_helper.
 * X86_ENG_FPMODE: the IR_FPM_* bits of the last FP_MODE_SET.
 * X86_ENG_STOP: nonzero asks the thread to leave at its next block entry
 *   (engine_kick); every block checks it first.
 * X86_ENG_IDC: 1 once a flushed denormal input raised Arm's IDC
 *   (IR_FX_INPUT_DENORMAL).  Not MXCSR.DE: x86 sets DE for every denormal
 *   operand while DAZ is off, which Arm does not count. */
#define X86_ENG_RMM 0
#define X86_ENG_FPMODE 1
#define X86_ENG_STOP 2
#define X86_ENG_IDC 3
/* The engine's bytes also hold, at X86_ENG_IBTC, the address of this
 * thread's indirect-branch cache: a power of two entries of {guest pc,
 * host code}, entry x86_ibtc_index(pc, entries), and at X86_ENG_IBTC_MASK
 * (a u32) x86_ibtc_mask(entries), what the probe masks with.  An
 * indirect goto whose target is there jumps straight to it; the engine
 * fills it on a miss, and doubles it as it fills (engine_ibtc_fill) from
 * X86_IBTC_MIN entries (four pages: a short run touches no more) up to
 * X86_IBTC_MAX. */
#define X86_ENG_IBTC_MASK 4
#define X86_ENG_IBTC 8
#define X86_IBTC_MIN 1024
#define X86_IBTC_MAX 4096
typedef struct x86_ibtc_entry {
    uint64_t pc;
    uint64_t code;
} x86_ibtc_entry;
static inline uint32_t x86_ibtc_index(uint64_t pc, uint32_t entries)
{
    return (uint32_t)(pc >> 1) & (entries - 1);
}
/* (pc & mask) * 8 is the entry's offset: (pc >> 1 & (entries - 1)) * 16 */
static inline uint32_t x86_ibtc_mask(uint32_t entries) { return (entries - 1) << 1; }

/* Fixed guest registers: the CPU-state slots (8 bytes each) that live in
 * host registers x86_fixed_reg[k] throughout translated code rather than
 * in the CPU state, which holds them only from the leave trampoline (which
 * stores them) to enter (which loads them).  A fault in translated code
 * finds them in the host context; a helper CALL sees them stored before
 * it and reloads them after.  The registers are caller-saved ones, out of
 * the allocator's pool: an internal helper call saves them with the live
 * values. */
#define X86_MAX_FIXED 3
extern const uint8_t x86_fixed_reg[X86_MAX_FIXED];

typedef struct x86_target {
    uint32_t pc_offset; /* guest pc in the CPU state */
    uint32_t engine_offset; /* the engine's bytes in it (X86_ENG_*) */
    uint64_t leave;         /* RX address of the leave trampoline */
    bool no_loops;          /* keep no registers across a loop's iterations */
    uint8_t n_fixed;        /* fixed guest registers: their slots */
    uint32_t fixed_off[X86_MAX_FIXED];
} x86_target;

/* A fault in translated code: store the fixed guest registers, from the
 * host context the signal handler got (a ucontext_t), into cpu. */
void x86_fixed_from_context(const x86_target *t, const void *host_ucontext, void *cpu);

/* Which fixed register holds the slot at off, or -1. */
static inline int x86_fixed_at(const x86_target *t, uint32_t off)
{
    for (int k = 0; k < t->n_fixed; k++)
        if (t->fixed_off[k] == off)
            return x86_fixed_reg[k];
    return -1;
}

/* Whether host register reg holds a fixed guest register. */
static inline bool x86_fixed_is_reg(const x86_target *t, int reg)
{
    for (int k = 0; k < t->n_fixed; k++)
        if (x86_fixed_reg[k] == reg)
            return true;
    return false;
}

typedef struct x86_ret {
    uint64_t reason; /* X86_EXIT_* */
    uint64_t detail;
} x86_ret;

typedef x86_ret (*x86_enter_fn)(void *cpu, const void *code);

/* A direct-branch exit: a `jmp rel32` (or a call's `call rel32`) at
 * jmp_off within the block whose rel32 (at jmp_off + 1, 4-byte aligned so
 * it can be patched atomically) first points at stub_off, the path that
 * leaves with X86_EXIT_CHAIN (right after a jmp; out of line for a
 * call, whose continuation follows it).  Patching it to a block's entry
 * chains the two; pointing it at stub_off again unchains them. */
/* A block's chainable exits: the branch's two and its side exits (or a
 * call and its continuation). */
#define X86_MAX_EXITS (2 + IR_MAX_SIDE_EXITS)

typedef struct x86_exit_site {
    uint32_t jmp_off, stub_off;
    uint64_t target_pc;
} x86_exit_site;

/* A place in a block's code that holds an address outside the block, so
 * that the code can be moved to another process (the persistent cache,
 * backend/tcfile.h): X86_RELOC(kind, offset of the field). */
enum {
    X86_RELOC_LEAVE32, /* rel32 to x86_target.leave */
    X86_RELOC_HOST64,  /* imm64: an address in Ferry's own image */
    X86_RELOC_HOST32,  /* rel32 to an address in Ferry's own image (a helper's
                          call, a table's lea: the buffer lies near it) */
    X86_RELOC_CHAIN32, /* rel32 to leave + X86_CHAIN32 */
    X86_RELOC_CHAIN64, /* rel32 to leave + X86_CHAIN64 */
};

/* An exit's path until it is chained (its stub) is `call chain` and data
 * rather than the code that stores the pc and leaves: 13 bytes for a pc
 * that fits a signed 32-bit field (call leave + X86_CHAIN32; the pc; the
 * patchable jmp's offset from the data, both int32), 17 for another
 * (X86_CHAIN64; the pc as u64; the offset), against 28 and 34.  The
 * shared tail after leave (x86_emit_leave) pops the data's address,
 * stores the pc and leaves with X86_EXIT_CHAIN and rdx = the jmp. */
#define X86_CHAIN32 64
#define X86_CHAIN64 96
#define X86_CHAIN_STUB32 13
#define X86_CHAIN_STUB64 17
#define X86_RELOC(kind, off) ((uint32_t)(kind) << 28 | (uint32_t)(off))
#define X86_RELOC_KIND(r) ((r) >> 28)
#define X86_RELOC_OFF(r) ((r) & 0x0fffffffu)
#define X86_MAX_RELOCS 64

typedef struct x86_lowered {
    uint32_t size;          /* bytes of host code written */
    uint32_t n_exits;       /* chainable exits (0..X86_MAX_EXITS) */
    x86_exit_site exits[X86_MAX_EXITS];
    /* The block (a loop) keeps the fixed guest registers in the CPU state,
     * its copy exact at every fault: not to be taken from the host
     * context there. */
    bool fixed_in_ctx;
    /* Where a jump may enter the block past its entry's stop check (0: at
     * its start only): one from a block at a lower pc, since any cycle of
     * blocks has an edge to a pc no higher than its source's, which
     * checks, so a kicked thread still leaves within a bounded run. */
    uint32_t entry_skip;
    /* Its outside addresses (X86_RELOC); movable is false when they did
     * not fit or one is of a kind not recorded (the block stays here). */
    bool movable;
    uint32_t n_relocs;
    uint32_t relocs[X86_MAX_RELOCS];
} x86_lowered;

/* Where guest instruction pc's host code starts: its INSN_START's offset
 * in the block (the precise-fault table). */
typedef struct x86_insn_map {
    uint32_t host_off;
    uint64_t pc;
} x86_insn_map;

/* Lower b (verified, optimized) into buf (cap bytes, written through the
 * RW mapping; the code will run at address rx).  Returns the size written,
 * or -1 if cap is too small. */
int x86_lower_block(const ir_block *b, const x86_target *t, uint8_t *buf,
                    size_t cap, uint64_t rx, x86_lowered *out);
/* The same, also filling map[0..] with one entry per INSN_START (map has
 * room for every INSN_START of b); *n_map is how many were written. */
int x86_lower_block_map(const ir_block *b, const x86_target *t, uint8_t *buf,
                        size_t cap, uint64_t rx, x86_lowered *out,
                        x86_insn_map *map, uint32_t *n_map);

/* Emit enter() at buf (to run at rx) for target t (its leave emitted
 * already); returns its size, or -1. */
int x86_emit_enter(uint8_t *buf, size_t cap, uint64_t rx, const x86_target *t);
/* Emit the leave trampoline for target t (its fixed registers), and
 * the chain exits' tail X86_CHAIN32 and X86_CHAIN64 bytes past it;
 * returns the size of both, or -1. */
int x86_emit_leave(uint8_t *buf, size_t cap, uint64_t rx, const x86_target *t);

/* Point the chain jmp whose rel32 lives at rel32_rw (RW mapping; the jmp
 * itself runs at jmp_rx) at target_rx, with one atomic 4-byte store. */
void x86_patch_jmp(uint8_t *rel32_rw, uint64_t jmp_rx, uint64_t target_rx);

/* A block's code (its x86_lowered.relocs) moved between processes: out
 * makes each address in Ferry's image [image, image_end) that code (made
 * to run at rx) names relative to image (false: one lies outside, the
 * block cannot move); in makes the size bytes of code run at rx in this
 * process, its image at image (false: a kind it does not know, a field
 * past the code, or a rel32 that cannot reach). */
bool x86_relocs_out(uint8_t *code, uint64_t rx, const uint32_t *relocs, uint32_t n,
                    uint64_t image, uint64_t image_end);
bool x86_relocs_in(uint8_t *code, uint32_t size, uint64_t rx, const uint32_t *relocs, uint32_t n,
                   const x86_target *t, uint64_t image);

/* What the host CPU has beyond SSE2, read once by x86_cpu_init (which
 * x86_lower_block calls); tests may clear fields to try the fallbacks. */
typedef struct x86_cpu_features {
    bool fma3;   /* vfmadd231sd (and the OS saves AVX state) */
    bool lzcnt;
    bool tzcnt;  /* BMI1 */
    bool popcnt;
    bool lahf;   /* lahf/sahf in 64-bit mode (LAHF-LM) */
    bool ssse3;  /* pshufb (vector table lookups) */
    bool sse41;  /* pmulld, pminsd & co. (vector ops; SSE2 sequences otherwise) */
    bool avx2;   /* (not in code: x86_hash) */
} x86_cpu_features;
extern x86_cpu_features x86_cpu;
void x86_cpu_init(void);
/* XXH3_64bits of n bytes at p, compiled for AVX2: only where x86_cpu.avx2. */
uint64_t x86_hash_avx2(const void *p, size_t n);

/* The slow path of the floating-point ops (fp_soft.c): insn's op on the
 * operand bits a, b, c; desc packs op | type << 8 | rm << 16 | aux << 24 |
 * a0's type << 32; eng points at the engine's bytes of the CPU state (the
 * modes: RMM for IR_RM_DYN, flush-to-zero, default NaN; IDC is set there).
 * Returns the result bits and ORs the flags the op raises into MXCSR. */
uint64_t x86_fp_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t desc, uint8_t *eng);

/* Host code text via capstone, for -d out_asm. */
void x86_disas(FILE *out, const uint8_t *code, size_t size, uint64_t addr);
/* The same for a block with these exits: each compact stub shown as its
 * call and a line for its data. */
void x86_disas_block(FILE *out, const uint8_t *code, size_t size, uint64_t addr,
                     const x86_exit_site *exits, unsigned n);

#endif
