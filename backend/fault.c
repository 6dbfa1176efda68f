/* Faults and kicks: the two ways a host signal reaches the engine.
 * engine_fault maps a host fault inside translated code to the guest
 * instruction that made it (each block keeps a table of where its guest
 * instructions start, tcache.c) and jumps back into this thread's
 * engine_run; engine_kick sets the stop byte every block checks first.
 */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <ucontext.h>

#include "backend/engine_impl.h"

static uint8_t *stop_byte(engine *e, void *cpu)
{
    return (uint8_t *)cpu + e->fe->engine_offset + X86_ENG_STOP;
}

void engine_kick(engine *e, void *cpu)
{
    __atomic_store_n(stop_byte(e, cpu), 1, __ATOMIC_SEQ_CST);
}

bool engine_take_stop(engine *e, void *cpu)
{
    return __atomic_exchange_n(stop_byte(e, cpu), 0, __ATOMIC_SEQ_CST) != 0;
}

/* The guest state needs little repair: the IR stores guest registers
 * before any op that may fault (the ctx pass keeps that order), so only
 * the pc is set, and the fixed guest registers come from the host
 * context.  A fault outside the code buffer while this thread is in code
 * is one in a helper translated code called: its pc is in the CPU state.  MXCSR is the guest's rounding mode and flags, but the kernel
 * gave the handler a fresh one: it comes back from the interrupted
 * context, as does the signal mask (run_code saved none). */
void engine_fault(engine *e, int sig, void *host_siginfo, void *host_ucontext)
{
    engine_thread *t = engine_self;
    const siginfo_t *si = host_siginfo;
    ucontext_t *uc = host_ucontext;
    if (!t || t->e != e || !atomic_load(&t->in_code))
        return;
    uint64_t pc, host_pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    if (tcache_owns(e->tc, host_pc)) {
        uint8_t flags;
        if (!tcache_guest_pc(e->tc, host_pc, &pc, &flags))
            return; /* the trampolines */
        memcpy((char *)t->cpu + e->fe->pc_offset, &pc, sizeof pc);
        if (!(flags & ENGINE_FIXED_IN_CTX))
            x86_fixed_from_context(&e->target, uc, t->cpu);
    } else {
        /* in a C helper that translated code called (IR_CALL), which
         * stored its guest pc first */
        memcpy(&pc, (char *)t->cpu + e->fe->pc_offset, sizeof pc);
    }
    t->fault = (engine_exit){.reason = ENGINE_FAULT, .pc = pc, .host_signal = sig,
                             .host_code = si->si_code,
                             .fault_addr = (uint64_t)(uintptr_t)si->si_addr};
    if (uc->uc_mcontext.fpregs) {
        uint32_t mxcsr = uc->uc_mcontext.fpregs->mxcsr;
        __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
    }
    /* The raw call: pthread_sigmask would drop glibc's own signals 32 and
     * 33 from the mask, unblocking a SIGCANCEL the guest had blocked. */
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &uc->uc_sigmask, NULL, (size_t)8);
    siglongjmp(t->fault_jmp, 1);
}
