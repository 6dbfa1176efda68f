/* The translator engine's own state, shared by translate.c (guest code to
 * a cached block) and exec.c (running blocks, chaining, exits). */
#ifndef FERRY_ENGINE_IMPL_H
#define FERRY_ENGINE_IMPL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>

#include "backend/engine.h"
#include "backend/tcache.h"
#include "backend/x86_64/x86.h"

struct engine {
    const frontend *fe;
    engine_opts opts;
    tcache *tc;
    ir_block *ir;           /* reused for every translation */
    x86_enter_fn enter;
    x86_target target;
    uint64_t mapped_page;   /* last guest page seen mapped (UINT64_MAX: none) */
    pthread_mutex_t lock;   /* translation is serialized, execution is not */
    _Atomic uint64_t gen;   /* the cache generation, published for entering threads */
    struct engine_thread *threads; /* every thread that runs guest code (under lock) */
    pthread_key_t thread_key;
    /* statistics (--stats), counted under the lock */
    uint64_t n_blocks, n_guest_insns, n_host_bytes, n_chains, n_lookups, n_flushes, n_routines;
    uint64_t n_chain_exits; /* code left through an exit not yet chained */
    uint64_t translate_ns;
    /* debug mode (engine_debug, under the lock): one instruction a block */
    bool debug;
    uint64_t *breakpoints;
    size_t n_breakpoints, cap_breakpoints;
    FILE *perfmap;          /* --perfmap: the open map file */
    struct tcfile *file;    /* the persistent cache (opts.cache_file), or NULL */
    uint64_t n_from_file;   /* blocks taken from it */
};

/* tc_block.flags: the block keeps the fixed guest registers in the CPU
 * state (x86_lowered.fixed_in_ctx). */
#define ENGINE_FIXED_IN_CTX 1

/* tcache_new with the code buffer in shared anonymous memory, where perf
 * looks up /tmp/perf-PID.map (--perfmap; tcache.c). */

/* Each thread that runs guest code (flush.c keeps the list). */
typedef struct engine_thread {
    _Atomic bool in_code;
    engine *e;
    x86_ibtc_entry *ibtc;  /* this thread's indirect-branch cache */
    uint32_t ibtc_size, ibtc_used; /* its entries, and how many are filled */
    struct engine_thread *next;
    /* While in code (fault.c): the cpu run, and where engine_fault jumps
     * back to with the exit it made. */
    void *cpu;
    sigjmp_buf fault_jmp;
    engine_exit fault;
} engine_thread;

/* The calling thread's record (NULL before its first engine_run). */
extern __thread engine_thread *engine_self;

/* Dropping every translation while other threads may be inside
 * translated code (flush.c).  A thread brackets each entry into code with
 * engine_enter_begin (false: a flush came since gen, look up again) and
 * engine_enter_end.  engine_flush is called with e->lock held. */
void engine_threads_init(engine *e);
/* Point cpu's engine bytes at the calling thread's indirect-branch cache. */
void engine_thread_bind(engine *e, void *cpu);
/* Remember pc -> code in the calling thread's cache (e->lock held). */
void engine_ibtc_fill(engine *e, uint64_t pc, uint64_t code);
bool engine_enter_begin(engine *e, uint64_t gen);
void engine_enter_end(engine *e);
void engine_flush(engine *e);

/* Point the chainable jmp at jmp_rx, in a block whose instruction there
 * is at guest pc from, at target: past its stop check when the target's
 * pc is above from (x86_lowered.entry_skip).  e->lock held (translate.c). */
void engine_link(engine *e, uint64_t jmp_rx, uint64_t from, const tc_block *target);
/* Point the jmp at jmp_rx at target: through the RW view, or in a cache
 * file's image (no RW view) by tcache_patch_image (translate.c). */
void engine_patch_jmp(engine *e, uint64_t jmp_rx, uint64_t target);

/* Whether cpu's stop byte was set (engine_kick); clears it (fault.c). */
bool engine_take_stop(engine *e, void *cpu);

/* Open opts.cache_file for e (its target set up), unless the -d logs
 * ask to see every translation (translate.c). */
void engine_file_open(engine *e);

/* The block for pc, translating it if needed (takes e->lock); *gen is
 * the cache generation its code belongs to. */
tc_block engine_block(engine *e, uint64_t pc, uint64_t *gen, bool indirect);

#endif
