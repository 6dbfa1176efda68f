/* Delivering a guest signal, as the kernel does on the way back to user
 * mode: the forced signal of a trap or fault first, then each pending,
 * unblocked one (synchronous first, then the lowest); a handler gets a
 * frame on its stack (the alternate one with SA_ONSTACK) holding the
 * registers, mask, alternate stack and FP state that rt_sigreturn puts
 * back; a default action terminates, stops or ignores.  A syscall that
 * returned EINTR because of it restarts when the handler has SA_RESTART,
 * or when no handler ran at all.
 *
 *   lu_syscall(t);
 *   if (!lu_signal_deliver(t, &end)) return end;   // the guest died
 */
#include <setjmp.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/engine.h"
#include "linux-user/lu.h"

#define BIT(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
#define FRAME_SLACK 32 /* alignment and aarch64's frame record */

static uint64_t *reg(lu_thread *t, size_t off)
{
    return (uint64_t *)((char *)t->cpu + off);
}

/* on_sig_stack: an SS_AUTODISARM stack is never "on" (the kernel's
 * reasoning: it was disarmed when a handler went onto it). */
static bool on_altstack(lu_thread *t, uint64_t sp)
{
    if (t->altstack_flags & GUEST_SS_AUTODISARM)
        return false;
    return sp > t->altstack_sp && sp - t->altstack_sp <= t->altstack_size;
}

int32_t lu_altstack_flags(lu_thread *t, uint64_t sp)
{
    if (!t->altstack_size)
        return GUEST_SS_DISABLE;
    return on_altstack(t, sp) ? GUEST_SS_ONSTACK : 0;
}

/* The FP status lives where the engine keeps it (MXCSR, say): a stub of
 * guest code on the trampoline page reads or writes it as the guest's own
 * instructions would, with the first two argument registers. */
void lu_fp_status(lu_thread *t, bool set, uint64_t v[2])
{
    lu_proc *p = t->p;
    const guest_abi *abi = p->abi;
    uint64_t *pc = reg(t, abi->pc_off);
    uint64_t *a0 = reg(t, abi->arg_off[0]), *a1 = reg(t, abi->arg_off[1]);
    uint64_t save[3] = { *pc, *a0, *a1 };
    uint64_t stub = p->sigtramp + (set ? LU_TRAMP_FP_SET : LU_TRAMP_FP_GET);
    *pc = stub;
    *a0 = v[0];
    *a1 = v[1];
    for (int tries = 0; tries < 8; tries++) { /* a kick may stop it first */
        engine_exit x = engine_run(p->eng, t->cpu);
        if (x.reason == ENGINE_TRAP && x.pc >= stub && x.pc < stub + 16)
            break;
        if (x.reason != ENGINE_INTERRUPT) {
            fprintf(stderr, "ferry: internal error: FP status stub exit %d at 0x%llx\n",
                    (int)x.reason, (unsigned long long)x.pc);
            break;
        }
    }
    v[0] = *a0;
    v[1] = *a1;
    *pc = save[0];
    *a0 = save[1];
    *a1 = save[2];
}

/* Back to the syscall instruction (ecall and svc are 4 bytes, syscall 2),
 * with what the result overwrote (the first argument; x86-64's number). */
static void restart_syscall(lu_thread *t)
{
    *reg(t, t->p->abi->pc_off) -= t->p->abi->syscall_len;
    *reg(t, t->p->abi->ret_off) = t->sys_ret_was;
}


static void frame_setup(lu_thread *t, void *f)
{
    t->p->abi->sig_setup(t->cpu, f);
}

/* Write the frame (false: its memory is not the guest's or not
 * writable, where the kernel would force SIGSEGV). */
static bool write_frame(lu_thread *t, lu_sigframe *f)
{
    lu_proc *p = t->p;
    uint64_t lo = f->top - p->abi->sigframe_size - FRAME_SLACK;
    pthread_mutex_lock(&p->lock);
    bool ours = f->top > lo && lu_mem_covered(p, lo, f->top);
    pthread_mutex_unlock(&p->lock);
    return ours && lu_guest_access(t, frame_setup, f); /* a fault: not writable */
}

static bool setup_frame(lu_thread *t, const lu_sigaction *ka, const siginfo_t *si,
                        uint64_t frame_mask, bool fault)
{
    uint64_t sp = lu_guest_sp(t);
    lu_sigframe f = {
        .sig = si->si_signo, .info = si, .top = sp, .handler = ka->handler,
        .mask = frame_mask, .ss_sp = t->altstack_sp, .ss_size = t->altstack_size,
        .ss_flags = t->altstack_flags, /* as stored: the kernel's sas_ss_flags */
        .fault_addr = fault ? (uint64_t)(uintptr_t)si->si_addr : 0,
    };
    if ((ka->flags & GUEST_SA_ONSTACK) && lu_altstack_flags(t, sp) == 0) {
        f.top = t->altstack_sp + t->altstack_size;
        if (t->altstack_flags & GUEST_SS_AUTODISARM) { /* uc_stack keeps it */
            t->altstack_sp = t->altstack_size = 0;
            t->altstack_flags = GUEST_SS_DISABLE;
        }
    } else if (on_altstack(t, sp) &&
               !on_altstack(t, sp - t->p->abi->sigframe_size - FRAME_SLACK)) {
        return false; /* it would overflow the alternate stack */
    }
    f.restorer = t->p->sigtramp + LU_TRAMP_SIGRETURN;
    if (t->p->abi->sigaction_restorer && (ka->flags & GUEST_SA_RESTORER))
        f.restorer = ka->restorer;
    if (t->p->abi->trampoline) /* else the frame keeps the whole FP state */
        lu_fp_status(t, false, f.fp);
    return write_frame(t, &f);
}

/* The disposition for this delivery, under the lock: a forced signal
 * that is blocked or ignored gets SIG_DFL (force_sig_info); SA_RESETHAND
 * resets the handler as it is taken. */
static lu_sigaction take_action(lu_thread *t, int sig, bool forced)
{
    lu_proc *p = t->p;
    pthread_mutex_lock(&p->lock);
    lu_sigaction *cur = &p->sig[sig], ka = *cur;
    bool reset = false;
    if (forced && (cur->handler == GUEST_SIG_IGN || (t->sigmask & BIT(sig)))) {
        cur->handler = GUEST_SIG_DFL;
        t->sigmask &= ~BIT(sig);
        ka = *cur;
        reset = true;
    } else if (cur->handler > GUEST_SIG_IGN && (cur->flags & GUEST_SA_RESETHAND)) {
        cur->handler = GUEST_SIG_DFL; /* the flags stay, as the kernel's */
        reset = true;
    }
    if (reset)
        lu_signal_host_action(p, sig);
    pthread_mutex_unlock(&p->lock);
    return ka;
}

static bool handle(lu_thread *t, const siginfo_t *si, bool forced, lu_end *end)
{
    int sig = si->si_signo;
    lu_strace_signal(t, si);
    lu_sigaction ka = take_action(t, sig, forced);
    if (ka.handler == GUEST_SIG_IGN)
        return true;
    if (ka.handler == GUEST_SIG_DFL) {
        switch (lu_signal_default_action(sig)) {
        case LU_ACT_IGN: return true;
        case LU_ACT_STOP: syscall(SYS_kill, getpid(), SIGSTOP); return true;
        default: *end = (lu_end){ .signaled = true, .status = sig }; return false;
        }
    }
    if (t->sys_eintr) { /* only the first handler decides */
        t->sys_eintr = false;
        if (ka.flags & GUEST_SA_RESTART)
            restart_syscall(t);
    }
    uint64_t frame_mask = t->sig_restore_mask ? t->sig_saved_mask : t->sigmask;
    t->sig_restore_mask = false;
    if (!setup_frame(t, &ka, si, frame_mask, forced && (sig == SIGSEGV || sig == SIGBUS))) {
        *end = (lu_end){ .signaled = true, .status = SIGSEGV };
        return false;
    }
    t->sigmask |= ka.mask | (ka.flags & GUEST_SA_NODEFER ? 0 : BIT(sig));
    t->sigmask &= ~UNBLOCKABLE;
    return true;
}

bool lu_signal_deliver(lu_thread *t, lu_end *end)
{
    bool changed = false;
    if (t->sig_forced.si_signo) {
        siginfo_t si = t->sig_forced;
        t->sig_forced.si_signo = 0;
        changed = true;
        if (!handle(t, &si, true, end))
            return false;
    }
    siginfo_t si;
    while (lu_signal_dequeue(t, ~t->sigmask, &si)) {
        changed = true;
        if (!handle(t, &si, false, end))
            return false;
    }
    if (t->sys_eintr) { /* no handler ran: the call goes on (ERESTARTSYS) */
        t->sys_eintr = false;
        restart_syscall(t);
    }
    if (t->sig_restore_mask) { /* rt_sigsuspend woke without a handler */
        t->sig_restore_mask = false;
        t->sigmask = t->sig_saved_mask;
        changed = true;
    }
    if (changed)
        lu_signal_mask_changed(t);
    return true;
}
