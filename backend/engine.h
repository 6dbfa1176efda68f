/* The translator engine: run guest code until it needs the outside world.
 *
 *   engine *e = engine_new(&frontend_riscv64, &opts);
 *   for (;;) {
 *       engine_exit x = engine_run(e, cpu);   // translates misses itself
 *       if (x.reason == ENGINE_SYSCALL) ...    // linux-user decides
 *   }
 *
 * Block lookups, translation and chaining stay inside; only exits that
 * need linux-user come back.  The guest pc is in the CPU state.
 */
#ifndef FERRY_ENGINE_H
#define FERRY_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "frontend/frontend.h"

typedef enum engine_reason {
    ENGINE_SYSCALL,   /* guest asked for a syscall; pc is already past it */
    ENGINE_TRAP,      /* guest must get a signal: see trap and pc */
    ENGINE_FAULT,     /* a guest memory access faulted: see host_signal,
                       * fault_addr, pc (the faulting instruction); the CPU
                       * state is exact for that instruction */
    ENGINE_INTERRUPT, /* engine_kick asked the thread to stop; pc is the next
                       * instruction to run, the CPU state exact */
} engine_reason;

typedef struct engine_exit {
    engine_reason reason;
    ir_trap_kind trap;   /* for ENGINE_TRAP */
    uint64_t pc;         /* guest pc of the trapping or faulting instruction */
    int host_signal;     /* for ENGINE_FAULT: SIGSEGV or SIGBUS */
    int host_code;       /* its si_code (SEGV_MAPERR, SEGV_ACCERR, BUS_ADRALN...) */
    uint64_t fault_addr; /* for ENGINE_FAULT: the address the access touched */
    bool debug;          /* for ENGINE_TRAP: the debugger's stop (a breakpoint
                          * or a finished step, engine_run_debug), not a
                          * trap of the guest's own */
} engine_exit;

/* What -d asks to see, and where it goes. */
enum {
    ENGINE_LOG_IN_ASM = 1 << 0,
    ENGINE_LOG_OP = 1 << 1,
    ENGINE_LOG_OP_OPT = 1 << 2,
    ENGINE_LOG_OUT_ASM = 1 << 3,
    ENGINE_LOG_EXEC = 1 << 4,
    ENGINE_LOG_UNIMP = 1 << 5,
};

/* A guest function answered without its instructions (engine_opts.routine). */
typedef frontend_answer engine_routine;

typedef struct engine_opts {
    unsigned log;         /* ENGINE_LOG_* */
    FILE *logfile;        /* where -d output goes */
    const char *disabled_passes; /* comma list of pass names, or NULL */
    bool no_chain;        /* never patch direct branches */
    bool stats;           /* time the translations (engine_stats) */
    bool verify;          /* check each block's IR after every stage */
    /* Whether the guest may execute at pc (its PROT_EXEC memory); a block
     * may not start where it may not: the guest gets IR_TRAP_FETCH.  NULL:
     * any mapped page.  Called while translating, under the engine's lock;
     * a page it said yes for is taken to stay so until engine_invalidate
     * (which the embedder calls once it says no there). */
    bool (*executable)(void *arg, uint64_t pc);
    void *exec_arg;
    /* Answers a syscall inside the engine when it can (what a vDSO would
     * answer: the time calls), so that the guest goes on at the next pc
     * without engine_run returning; false: ENGINE_SYSCALL as usual.  NULL:
     * every syscall returns.  Called on the guest's thread, outside the
     * engine's lock, with the CPU state exact. */
    bool (*fast_syscall)(void *arg, void *cpu);
    void *fast_arg;
    /* --perfmap: append "START SIZE NAME" (hex start and size of each
     * block's host code) to /tmp/perf-PID.map, so that perf names guest
     * code.  symbol writes the name of guest pc ("main+0x1c") into buf;
     * NULL, or false: "guest:0x<pc>".  Called under the engine's lock. */
    bool perfmap;
    bool (*symbol)(void *arg, uint64_t pc, char *buf, size_t len);
    void *symbol_arg;
    /* What answers the guest function starting at pc instead of its
     * instructions (libc's string functions, found by their symbols),
     * filled into *r: the block at pc becomes it (frontend_routine), and
     * a direct call of one that r->build answers becomes that IR in the
     * caller's block (frontend_inline).  NULL, or false: pc is translated
     * as usual.  --disable-pass routines switches it off.  Called under
     * the engine's lock. */
    bool (*routine)(void *arg, uint64_t pc, engine_routine *r);
    void *routine_arg;
    /* The persistent translation cache: a file of this program's blocks
     * from earlier runs, used where the guest bytes are still the same
     * (backend/tcfile.h), and written with this run's by engine_save.
     * NULL: none.  Not used while the -d logs show translations.  Read by
 * engine_new only (the caller may free it then). */
    const char *cache_file;
} engine_opts;

typedef struct engine engine;

engine *engine_new(const frontend *fe, const engine_opts *opts);
/* Translation statistics so far, one "name value" line each (--stats). */
void engine_stats(engine *e, FILE *out);
engine_exit engine_run(engine *e, void *cpu);
/* Keep this run's new translations in opts.cache_file for the next run
 * (at the process's end, before an exec); false with errno when the file
 * could not be written.  Threads may still run meanwhile. */
bool engine_save(engine *e);
/* Forget every translation of guest code in [start, end), and what
 * opts.executable said of any page. */
void engine_invalidate(engine *e, uint64_t start, uint64_t end);

/* Debugging (a gdbstub).  In debug mode every block is one guest
 * instruction and nothing is chained or kept in the indirect-branch cache,
 * so that engine_run_debug sees every instruction boundary; switching the
 * mode drops every translation.  Outside it nothing costs more: the
 * caller picks engine_run_debug only while a debugger is attached.
 * Breakpoints are guest pcs shared by all threads; a step is one
 * thread's, kept in its engine_debug_state across calls.
 *
 *   engine_debug(e, true);
 *   engine_breakpoint(e, 0x10078, true);        // gdb's Z0
 *   engine_debug_state d;
 *   engine_debug_resume(e, cpu, &d, false);     // gdb's c (true: s)
 *   x = engine_run_debug(e, cpu, &d);
 *   if (x.reason == ENGINE_TRAP && x.debug) ... // report SIGTRAP at x.pc
 *
 * engine_run_debug returns engine_run's exits, and ENGINE_TRAP with
 * IR_TRAP_BREAKPOINT, debug set and the pc: before the instruction at a
 * breakpoint (except the one it resumed at, which was reported already)
 * and, when stepping, once one instruction has run.  A syscall, fault or
 * trap of that instruction returns first, as usual; the step's stop comes
 * at the next call.  engine_run in debug mode ignores both (linux-user
 * runs its own stubs of guest code with it). */
typedef struct engine_debug_state {
    bool step;          /* stop once one instruction has run */
    bool stepped;       /* it has */
    bool resuming;      /* none has run since the resume at resume_pc */
    uint64_t resume_pc;
} engine_debug_state;
void engine_debug(engine *e, bool on);
/* Add (insert) or remove a breakpoint at pc; false: it was not set.
 * engine_breakpoint_at: whether one is set at pc. */
bool engine_breakpoint(engine *e, uint64_t pc, bool insert);
bool engine_breakpoint_at(engine *e, uint64_t pc);
/* Start d for running cpu on from its pc, one instruction if step. */
void engine_debug_resume(engine *e, const void *cpu, engine_debug_state *d, bool step);
engine_exit engine_run_debug(engine *e, void *cpu, engine_debug_state *d);

/* Faults and interruption.  linux-user owns the host's signal handlers and
 * calls these from them:
 *
 *   static void on_segv(int sig, siginfo_t *si, void *uc) {
 *       engine_fault(e, sig, si, uc);   // returns only if not guest code
 *       ... Ferry's own crash ...
 *   }
 *
 * engine_fault: when the host fault happened in translated code run by
 * this thread, make the CPU state exact for the faulting guest instruction
 * and make this thread's engine_run return ENGINE_FAULT (it does not
 * return then); otherwise it returns.
 * engine_kick: async-signal-safe; the thread running cpu leaves translated
 * code at its next block boundary and engine_run returns ENGINE_INTERRUPT
 * (at once, if it is not in translated code: the next engine_run returns
 * before running any guest instruction).  Any thread may kick any cpu. */
void engine_fault(engine *e, int sig, void *host_siginfo, void *host_ucontext);
void engine_kick(engine *e, void *cpu);

/* Condition flags in the CPU state are in the backend's saved form
 * (IR_FLAGS_SAVE; opaque, 0 is not N = Z = C = V = 0): these convert it
 * to and from AArch64's NZCV bits 31:28, for a new CPU state, signal
 * frames and debuggers. */
uint32_t engine_nzcv_of_saved(uint64_t saved);
uint64_t engine_saved_of_nzcv(uint32_t nzcv);

#endif
