/* The one cpu loop: run guest code through the process's runner (the
 * translator engine here, or a KVM vCPU: x86_64/run.c) until it needs the
 * outside world, then decide what the exit means.  Every guest thread
 * runs its own loop over its own CPU state; they share one engine
 * (translation is serialized inside it, execution is not).
 *
 *   p->run->start(p);
 *   lu_thread t = { .p = p, .cpu = cpu, .tid = gettid() };
 *   lu_end end = lu_cpu_loop(&t);
 *
 * After every exit (a syscall, a trap, a fault, a kick) the signals
 * pending for the thread are delivered (sig_deliver.c); a trap or fault
 * becomes the signal hardware would raise, with its siginfo.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "backend/engine.h"
#include "linux-user/lu.h"

/* The signal and si_code real hardware raises for each trap kind; the
 * address is the pc. */
static const struct {
    int sig, code;
} trap_signal[IR_NUM_TRAPS] = {
    [IR_TRAP_ILLEGAL] = { SIGILL, ILL_ILLOPC },
    [IR_TRAP_BREAKPOINT] = { SIGTRAP, TRAP_BRKPT },
    [IR_TRAP_FETCH] = { SIGSEGV, SEGV_ACCERR },
};

lu_symtab *lu_perfmap;

static bool executable_hook(void *proc, uint64_t pc)
{
    return lu_exec_has(proc, pc);
}

/* The engine's syscall exit, before it returns: the calls a vDSO answers
 * go on without the cpu loop (lu_syscall_fast). */
static bool fast_syscall_hook(void *proc, void *cpu)
{
    lu_thread *t = lu_signal_self();
    (void)proc;
    return t && t->cpu == cpu && lu_syscall_fast(t);
}

static void invalidate_hook(void *eng, uint64_t start, uint64_t end)
{
    engine_invalidate(eng, start, end);
}

static void log_unimp(lu_proc *p, uint64_t pc)
{
    uint32_t word = 0;
    int len = p->abi->insn_at ? p->abi->insn_at(pc, &word) : 0;
    /* The disassembler may know what Ferry does not implement (capstone
     * for aarch64): name it when it can. */
    char text[96] = "";
    if (!p->abi->fe->disas(pc, text, sizeof text))
        text[0] = 0;
    fprintf(p->log, "ferry: unimplemented instruction at pc 0x%llx: 0x%0*x%s%s\n",
            (unsigned long long)pc, len == 2 ? 4 : 8, word, *text ? " " : "", text);
}

static void force(lu_thread *t, int sig, int code, uint64_t addr)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = code;
    si.si_addr = (void *)(uintptr_t)addr;
    lu_signal_force(t, &si);
}

static void trap(lu_thread *t, const engine_exit *x)
{
    lu_proc *p = t->p;
    if (x->trap == IR_TRAP_ILLEGAL && (p->opt.log & ENGINE_LOG_UNIMP))
        log_unimp(p, x->pc);
    bool known = x->trap < IR_NUM_TRAPS && trap_signal[x->trap].sig;
    force(t, known ? trap_signal[x->trap].sig : SIGILL,
          known ? trap_signal[x->trap].code : ILL_ILLOPC, x->pc);
}

/* The persistent translation cache's file for this program: in the
 * cache directory (lu_cache_dir), named after the program and a hash of
 * its absolute path (malloc'ed); NULL: none. */
static char *cache_file(const lu_proc *p)
{
    char dir[PATH_MAX], *path = NULL;
    if (!p->exe_path || !lu_cache_dir(p, dir, sizeof dir))
        return NULL;
    char *copy = strdup(p->exe_path);
    if (copy &&
        asprintf(&path, "%s/%s-%016llx.tc", dir, basename(copy),
                 (unsigned long long)XXH3_64bits(p->exe_path, strlen(p->exe_path))) < 0)
        path = NULL;
    free(copy);
    return path;
}

static bool engine_start(lu_proc *p)
{
    engine_opts opts = {
        .log = p->opt.log,
        .logfile = p->log,
        .disabled_passes = p->opt.disabled_passes,
        .executable = executable_hook,
        .exec_arg = p,
        .stats = p->opt.stats,
        .verify = p->opt.verify_ir,
        .fast_syscall = p->opt.strace ? NULL : fast_syscall_hook,
        .fast_arg = p,
        .perfmap = lu_perfmap != NULL,
        .symbol = lu_symtab_name,
        .symbol_arg = lu_perfmap,
        .routine = lu_routine_at,
        .routine_arg = p,
        .cache_file = cache_file(p),
    };
    engine *e = engine_new(p->abi->fe, &opts);
    free((char *)opts.cache_file); /* (the engine keeps its own copy) */
    if (!e) {
        fprintf(stderr, "ferry: cannot start the translator engine\n");
        return false;
    }
    p->eng = e;
    p->invalidate = invalidate_hook;
    return true;
}

static void engine_run_thread(lu_thread *t, engine_exit *x)
{
    if (lu_gdb_on) /* a debugger is attached (gdbstub.c) */
        lu_gdb_run(t, x);
    else
        *x = engine_run(t->p->eng, t->cpu);
}

static void engine_kick_thread(lu_thread *t)
{
    engine_kick(t->p->eng, t->cpu);
}

static void engine_stats_of(lu_proc *p, FILE *f)
{
    if (p->eng)
        engine_stats(p->eng, f);
}

/* A cache directory the user named and Ferry cannot write gets a line;
 * the default one is a convenience: quiet (a read-only home). */
static void engine_save_of(lu_proc *p)
{
    if (p->eng && !engine_save(p->eng) && p->opt.cache_dir)
        fprintf(stderr, "ferry: cannot keep translations in %s: %s\n", p->opt.cache_dir,
                strerror(errno));
}

const lu_runner lu_runner_engine = {
    .start = engine_start,
    .run = engine_run_thread,
    .kick = engine_kick_thread,
    .stats = engine_stats_of,
    .save = engine_save_of,
};

/* The loop of t ends with end. */
static lu_end loop_end(lu_thread *t, lu_end end)
{
    if (lu_gdb_on)
        lu_gdb_thread_end(t, end);
    return end;
}

lu_end lu_cpu_loop(lu_thread *t)
{
    lu_proc *p = t->p;
    for (;;) {
        engine_exit x;
        p->run->run(t, &x);
        switch (x.reason) {
        case ENGINE_SYSCALL:
            lu_syscall(t);
            if (p->exiting || t->exiting)
                return loop_end(t, (lu_end){ .status = p->exiting ? p->exit_status
                                                                  : t->exit_status });
            break;
        case ENGINE_TRAP:
            trap(t, &x);
            break;
        case ENGINE_FAULT:
            force(t, x.host_signal, x.host_code, x.fault_addr);
            break;
        case ENGINE_INTERRUPT:
            break;
        }
        lu_end end;
        if (lu_gdb_on)
            lu_gdb_signals(t);
        if (!lu_signal_deliver(t, &end))
            return loop_end(t, end);
    }
}
