/* Running translated code: enter a block, follow exits that stay inside
 * the engine (lookups, chaining), and return the ones linux-user must see.
 *
 *   engine_exit x = engine_run(e, cpu);   // until a syscall or a trap
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backend/engine_impl.h"
#include "ir/opt/opt.h"

#define TCACHE_BYTES (64u << 20)

/* A loop may keep registers across its iterations unless switched off,
 * or while debugging (every instruction is a block of its own then). */
static bool loops_off(const engine *e)
{
    return e->debug || opt_listed(e->opts.disabled_passes, "loops");
}

engine *engine_new(const frontend *fe, const engine_opts *opts)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        abort();
    e->fe = fe;
    e->opts = *opts;
    if (!e->opts.logfile)
        e->opts.logfile = stderr;
    e->tc = opts->perfmap ? tcache_new_anon(TCACHE_BYTES) : tcache_new(TCACHE_BYTES);
    e->ir = ir_block_new(0);
    e->mapped_page = UINT64_MAX;
    pthread_mutex_init(&e->lock, NULL);
    engine_threads_init(e);

    uint8_t *rw;
    uint64_t rx;
    size_t cap = tcache_reserve(e->tc, &rw, &rx);
    e->target = (x86_target){.pc_offset = (uint32_t)fe->pc_offset,
                             .engine_offset = (uint32_t)fe->engine_offset, .leave = rx};
    e->target.no_loops = loops_off(e);
    if (!opt_listed(e->opts.disabled_passes, "fixed"))
        for (int k = 0; k < fe->n_hot && k < X86_MAX_FIXED; k++)
            e->target.fixed_off[e->target.n_fixed++] = fe->hot[k];
    int n = x86_emit_leave(rw, cap, rx, &e->target);
    if (n < 0)
        abort();
    tcache_commit_raw(e->tc, (size_t)n);
    cap = tcache_reserve(e->tc, &rw, &rx);
    n = x86_emit_enter(rw, cap, rx, &e->target);
    if (n < 0)
        abort();
    e->enter = (x86_enter_fn)(uintptr_t)rx;
    tcache_commit_raw(e->tc, (size_t)n);
    engine_file_open(e);
    return e;
}

static uint64_t cpu_pc(const engine *e, const void *cpu)
{
    uint64_t pc;
    memcpy(&pc, (const char *)cpu + e->fe->pc_offset, sizeof pc);
    return pc;
}

/* A direct branch left through its chain exit: point that exit at the
 * target block, unless the cache was flushed while translating it. */
static void chain(engine *e, uint64_t jmp_rx, const tc_block *target, uint64_t gen)
{
    if (e->opts.no_chain)
        return;
    pthread_mutex_lock(&e->lock);
    e->n_chain_exits++;
    uint64_t from = UINT64_MAX; /* (none found: not forward) */
    if (tcache_generation(e->tc) == gen && tcache_owns(e->tc, jmp_rx) && !e->debug) {
        tcache_guest_pc(e->tc, jmp_rx, &from, NULL);
        engine_link(e, jmp_rx, from, target);
    }
    pthread_mutex_unlock(&e->lock);
}

/* Run translated code from code; false if engine_fault jumped back out of
 * it (engine_self->fault says how).  The jump restores no signal mask:
 * engine_fault puts back the one the fault interrupted, which saves a
 * sigprocmask call on every entry. */
static bool run_code(engine *e, void *cpu, uint64_t code, x86_ret *r)
{
    if (sigsetjmp(engine_self->fault_jmp, 0))
        return false;
    *r = e->enter(cpu, (const void *)(uintptr_t)code);
    return true;
}

/* The exits that leave the engine: false for a syscall fast_syscall
 * answered (the guest goes on at pc), else true with *x to return. */
static bool leave(engine *e, void *cpu, const x86_ret *r, uint64_t pc, engine_exit *x)
{
    switch (r->reason) {
    case X86_EXIT_SYSCALL:
        if (e->opts.fast_syscall && e->opts.fast_syscall(e->opts.fast_arg, cpu))
            return false;
        *x = (engine_exit){.reason = ENGINE_SYSCALL, .pc = pc};
        return true;
    case X86_EXIT_INTERRUPT:
        engine_take_stop(e, cpu);
        *x = (engine_exit){.reason = ENGINE_INTERRUPT, .pc = pc};
        return true;
    case X86_EXIT_TRAP:
        *x = (engine_exit){.reason = ENGINE_TRAP, .trap = (ir_trap_kind)r->detail, .pc = pc};
        return true;
    default:
        fprintf(stderr, "ferry: internal error: bad exit %" PRIu64 " at 0x%" PRIx64 "\n",
                r->reason, pc);
        abort();
    }
}

engine_exit engine_run(engine *e, void *cpu)
{
    uint64_t gen;
    engine_thread_bind(e, cpu);
    if (engine_take_stop(e, cpu)) /* kicked while outside code */
        return (engine_exit){.reason = ENGINE_INTERRUPT, .pc = cpu_pc(e, cpu)};
    tc_block tb = engine_block(e, cpu_pc(e, cpu), &gen, false);
    for (;;) {
        if (e->opts.log & ENGINE_LOG_EXEC)
            fprintf(e->opts.logfile, "Trace: [%016" PRIx64 "] %016" PRIx64 "\n",
                    tb.code, tb.guest_pc);
        if (!engine_enter_begin(e, gen)) { /* a flush came between */
            tb = engine_block(e, cpu_pc(e, cpu), &gen, false);
            continue;
        }
        x86_ret r;
        bool ran = run_code(e, cpu, tb.code, &r);
        engine_enter_end(e);
        if (!ran)
            return engine_self->fault;
        uint64_t pc = cpu_pc(e, cpu);
        engine_exit x;
        switch (r.reason) {
        case X86_EXIT_CHAIN: {
            uint64_t from_gen = gen; /* the jmp lives in the block just left */
            tb = engine_block(e, pc, &gen, false);
            chain(e, r.detail, &tb, from_gen);
            break;
        }
        case X86_EXIT_LOOKUP:
            tb = engine_block(e, pc, &gen, true);
            break;
        case X86_EXIT_ICACHE:
            /* fence.i / ic ivau */
            engine_invalidate(e, 0, UINT64_MAX);
            tb = engine_block(e, pc, &gen, false);
            break;
        default:
            if (leave(e, cpu, &r, pc, &x))
                return x;
            tb = engine_block(e, pc, &gen, true);
            break;
        }
    }
}

/* ---- Debug mode (engine.h) */

void engine_debug(engine *e, bool on)
{
    pthread_mutex_lock(&e->lock);
    e->debug = on;
    e->target.no_loops = loops_off(e);
    if (!on)
        e->n_breakpoints = 0;
    engine_flush(e);
    pthread_mutex_unlock(&e->lock);
}

static size_t breakpoint_index(const engine *e, uint64_t pc)
{
    size_t i = 0;
    while (i < e->n_breakpoints && e->breakpoints[i] != pc)
        i++;
    return i;
}

bool engine_breakpoint(engine *e, uint64_t pc, bool insert)
{
    pthread_mutex_lock(&e->lock);
    size_t i = breakpoint_index(e, pc);
    bool ok = insert || i < e->n_breakpoints;
    if (insert && i == e->n_breakpoints) {
        if (e->n_breakpoints == e->cap_breakpoints) {
            e->cap_breakpoints = e->cap_breakpoints ? 2 * e->cap_breakpoints : 16;
            e->breakpoints = realloc(e->breakpoints, e->cap_breakpoints * sizeof *e->breakpoints);
            if (!e->breakpoints)
                abort();
        }
        e->breakpoints[e->n_breakpoints++] = pc;
    } else if (!insert && ok) {
        e->breakpoints[i] = e->breakpoints[--e->n_breakpoints];
    }
    pthread_mutex_unlock(&e->lock);
    return ok;
}

bool engine_breakpoint_at(engine *e, uint64_t pc)
{
    pthread_mutex_lock(&e->lock);
    bool hit = breakpoint_index(e, pc) < e->n_breakpoints;
    pthread_mutex_unlock(&e->lock);
    return hit;
}

void engine_debug_resume(engine *e, const void *cpu, engine_debug_state *d, bool step)
{
    *d = (engine_debug_state){.step = step, .resuming = true, .resume_pc = cpu_pc(e, cpu)};
}

/* Whether the debugger stops the thread before the instruction at pc.
 * No guest has instructions at odd addresses: such a pc is a frontend's
 * own exit (riscv64's frm check), part of the instruction before. */
static bool debug_stops(engine *e, const engine_debug_state *d, uint64_t pc)
{
    if (pc & 1)
        return false;
    if (d->stepped)
        return true;
    return !(d->resuming && pc == d->resume_pc) && engine_breakpoint_at(e, pc);
}

/* One block (one instruction in debug mode) at a time, back here after
 * each: never chained, never through the indirect-branch cache. */
engine_exit engine_run_debug(engine *e, void *cpu, engine_debug_state *d)
{
    engine_thread_bind(e, cpu);
    if (engine_take_stop(e, cpu))
        return (engine_exit){.reason = ENGINE_INTERRUPT, .pc = cpu_pc(e, cpu)};
    for (;;) {
        uint64_t gen, pc = cpu_pc(e, cpu);
        if (debug_stops(e, d, pc)) {
            *d = (engine_debug_state){0};
            return (engine_exit){.reason = ENGINE_TRAP, .trap = IR_TRAP_BREAKPOINT, .pc = pc,
                                 .debug = true};
        }
        tc_block tb = engine_block(e, pc, &gen, false);
        if (!engine_enter_begin(e, gen))
            continue;
        x86_ret r;
        bool ran = run_code(e, cpu, tb.code, &r);
        engine_enter_end(e);
        if (!ran || r.reason != X86_EXIT_INTERRUPT) { /* an instruction ran (or faulted) */
            d->resuming = false;
            d->stepped = d->step;
        }
        if (!ran)
            return engine_self->fault;
        engine_exit x;
        if (r.reason == X86_EXIT_ICACHE)
            engine_invalidate(e, 0, UINT64_MAX);
        else if (r.reason != X86_EXIT_CHAIN && r.reason != X86_EXIT_LOOKUP &&
                 leave(e, cpu, &r, cpu_pc(e, cpu), &x))
            return x;
    }
}

void engine_invalidate(engine *e, uint64_t start, uint64_t end)
{
    /* First cut: any change to translated code drops every translation;
     * chains into the dropped blocks go with them. */
    pthread_mutex_lock(&e->lock);
    if (tcache_overlaps(e->tc, start, end))
        engine_flush(e);
    e->mapped_page = UINT64_MAX;
    pthread_mutex_unlock(&e->lock);
}

void engine_stats(engine *e, FILE *out)
{
    pthread_mutex_lock(&e->lock);
    double ms = (double)e->translate_ns / 1e6;
    fprintf(out, "ferry stats: blocks translated      %" PRIu64 "\n", e->n_blocks);
    fprintf(out, "ferry stats: guest insns translated %" PRIu64 "\n", e->n_guest_insns);
    fprintf(out, "ferry stats: blocks from the cache file %" PRIu64 "\n", e->n_from_file);
    fprintf(out, "ferry stats: host code bytes        %" PRIu64 " (%.1f per guest insn)\n",
            e->n_host_bytes, e->n_guest_insns ? (double)e->n_host_bytes / (double)e->n_guest_insns : 0.0);
    fprintf(out, "ferry stats: time translating       %.2f ms (%.1f us per block)\n", ms,
            e->n_blocks ? ms * 1000 / (double)e->n_blocks : 0.0);
    fprintf(out, "ferry stats: host routines          %" PRIu64 "\n", e->n_routines);
    fprintf(out, "ferry stats: direct branches chained %" PRIu64 "\n", e->n_chains);
    fprintf(out, "ferry stats: unchained exits taken  %" PRIu64 "\n", e->n_chain_exits);
    fprintf(out, "ferry stats: indirect-branch cache misses %" PRIu64 "\n", e->n_lookups);
    fprintf(out, "ferry stats: cache flushes          %" PRIu64 "\n", e->n_flushes);
    pthread_mutex_unlock(&e->lock);
}
