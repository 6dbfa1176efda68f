/* The one cpu loop: run guest code in the translator engine until it
 * needs the outside world, then decide what the exit means.  Every guest
 * thread runs its own loop over its own CPU state; they share one engine
 * (translation is serialized inside it, execution is not).
 *
 *   lu_engine_start(p);
 *   lu_thread t = { .p = p, .cpu = cpu, .tid = gettid() };
 *   lu_end end = lu_cpu_loop(&t);
 *
 * Signal delivery to guest handlers is a later issue: for now a trap
 * ends the guest as Linux would end a process with no handler.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "backend/engine.h"
#include "linux-user/lu.h"

/* The signal real hardware would raise for each trap kind. */
static const int trap_signal[IR_NUM_TRAPS] = {
    [IR_TRAP_ILLEGAL] = SIGILL,
    [IR_TRAP_BREAKPOINT] = SIGTRAP,
    [IR_TRAP_FETCH] = SIGSEGV,
};

static void invalidate_hook(void *eng, uint64_t start, uint64_t end)
{
    engine_invalidate(eng, start, end);
}

static void log_unimp(lu_proc *p, uint64_t pc)
{
    uint32_t word = 0;
    int len = p->abi->insn_at ? p->abi->insn_at(pc, &word) : 0;
    fprintf(p->log, "ferry: unimplemented instruction at pc 0x%llx: 0x%0*x\n",
            (unsigned long long)pc, len == 2 ? 4 : 8, word);
}

static lu_end trap(lu_proc *p, const engine_exit *x)
{
    int sig = x->trap < IR_NUM_TRAPS && trap_signal[x->trap] ? trap_signal[x->trap] : SIGILL;
    if (x->trap == IR_TRAP_ILLEGAL && (p->opt.log & ENGINE_LOG_UNIMP))
        log_unimp(p, x->pc);
    uint64_t h = p->sig[sig].handler;
    if (h > 1) /* neither SIG_DFL nor SIG_IGN: the guest wanted it */
        fprintf(stderr, "ferry: guest signal %d (%s) at pc 0x%llx has a handler, "
                "but delivering signals to guest handlers is not implemented yet\n",
                sig, strsignal(sig), (unsigned long long)x->pc);
    return (lu_end){ .signaled = true, .status = sig };
}

bool lu_engine_start(lu_proc *p)
{
    engine_opts opts = {
        .log = p->opt.log,
        .logfile = p->log,
        .disabled_passes = p->opt.disabled_passes,
    };
    engine *e = engine_new(p->abi->fe, &opts);
    if (!e)
        return false;
    p->eng = e;
    p->invalidate = invalidate_hook;
    return true;
}

lu_end lu_cpu_loop(lu_thread *t)
{
    lu_proc *p = t->p;
    for (;;) {
        engine_exit x = engine_run(p->eng, t->cpu);
        switch (x.reason) {
        case ENGINE_SYSCALL:
            lu_syscall(t);
            if (p->exiting || t->exiting)
                return (lu_end){ .status = p->exiting ? p->exit_status : t->exit_status };
            break;
        case ENGINE_TRAP:
            return trap(p, &x);
        }
    }
}
