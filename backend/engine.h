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
    ENGINE_SYSCALL, /* guest asked for a syscall; pc is already past it */
    ENGINE_TRAP,    /* guest must get a signal: see trap and pc */
} engine_reason;

typedef struct engine_exit {
    engine_reason reason;
    ir_trap_kind trap;  /* for ENGINE_TRAP */
    uint64_t pc;   /* guest pc of the trapping instruction */
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

typedef struct engine_opts {
    unsigned log;         /* ENGINE_LOG_* */
    FILE *logfile;        /* where -d output goes */
    const char *disabled_passes; /* comma list of pass names, or NULL */
    bool no_chain;        /* never patch direct branches */
} engine_opts;

typedef struct engine engine;

engine *engine_new(const frontend *fe, const engine_opts *opts);
engine_exit engine_run(engine *e, void *cpu);
/* Forget every translation of guest code in [start, end). */
void engine_invalidate(engine *e, uint64_t start, uint64_t end);

#endif
