/* Signal syscalls: dispositions (per process) with their host side, the
 * mask and alternate stack (per thread), the waits (rt_sigsuspend,
 * rt_sigtimedwait), rt_sigpending and rt_sigreturn, with the kernel's
 * argument checks.  Delivery itself is sig_deliver.c; the host handlers
 * and masks are signal.c.
 */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/lu.h"

#define BIT(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))

static void read_act(const lu_proc *p, uint64_t addr, lu_sigaction *sa)
{
    const uint64_t *g = G2H(addr);
    sa->handler = g[0];
    sa->flags = g[1];
    sa->restorer = p->abi->sigaction_restorer ? g[2] : 0;
    sa->mask = p->abi->sigaction_restorer ? g[3] : g[2];
}

static void write_act(const lu_proc *p, uint64_t addr, const lu_sigaction *sa)
{
    uint64_t *g = G2H(addr);
    g[0] = sa->handler;
    g[1] = sa->flags;
    if (p->abi->sigaction_restorer) {
        g[2] = sa->restorer;
        g[3] = sa->mask;
    } else {
        g[2] = sa->mask;
    }
}

int64_t sys_rt_sigaction(lu_thread *t, const uint64_t a[6])
{
    lu_proc *p = t->p;
    int sig = (int)a[0];
    if (a[3] != 8 || sig < 1 || sig > LU_NSIG)
        return -EINVAL;
    if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    lu_sigaction nsa;
    if (a[1]) /* read before writing: act and oldact may alias */
        read_act(p, a[1], &nsa);
    pthread_mutex_lock(&p->lock);
    lu_sigaction old = p->sig[sig];
    if (a[1]) {
        nsa.mask &= ~UNBLOCKABLE;
        p->sig[sig] = nsa;
        lu_signal_host_action(p, sig);
    }
    pthread_mutex_unlock(&p->lock);
    if (a[2]) /* guest memory only outside the lock (a fault is EFAULT) */
        write_act(p, a[2], &old);
    return 0;
}

int64_t sys_rt_sigprocmask(lu_thread *t, const uint64_t a[6])
{
    int how = (int)a[0];
    if (a[3] != 8)
        return -EINVAL;
    uint64_t old = t->sigmask, set = a[1] ? *(uint64_t *)G2H(a[1]) : 0;
    if (a[1]) {
        uint64_t m = old;
        switch (how) {
        case SIG_BLOCK: m |= set; break;
        case SIG_UNBLOCK: m &= ~set; break;
        case SIG_SETMASK: m = set; break;
        default: return -EINVAL;
        }
        t->sigmask = m & ~UNBLOCKABLE;
        lu_signal_mask_changed(t); /* unblocked ones are delivered after */
    }
    if (a[2])
        *(uint64_t *)G2H(a[2]) = old;
    return 0;
}

/* What is pending and blocked: the host's (thread and process) and what
 * the host handler recorded. */
int64_t sys_rt_sigpending(lu_thread *t, const uint64_t a[6])
{
    if (a[1] != 8)
        return -EINVAL;
    uint64_t host = 0;
    syscall(SYS_rt_sigpending, &host, 8);
    *(uint64_t *)G2H(a[0]) =
        (host | __atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST)) & t->sigmask;
    return 0;
}

/* Wait with the mask given; the handler then runs with it and its frame
 * holds the old one, which rt_sigreturn puts back (the kernel's
 * saved_sigmask). */
int64_t sys_rt_sigsuspend(lu_thread *t, const uint64_t a[6])
{
    if (a[1] != 8)
        return -EINVAL;
    uint64_t nmask = *(uint64_t *)G2H(a[0]) & ~UNBLOCKABLE;
    lu_signal_block_all(NULL); /* nothing recorded between look and wait */
    t->sig_saved_mask = t->sigmask;
    t->sig_restore_mask = true;
    t->sigmask = nmask;
    if (!(__atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST) & ~nmask)) {
        uint64_t host = lu_signal_host_set(t);
        syscall(SYS_rt_sigsuspend, &host, 8); /* returns once a handler ran */
    }
    return -EINTR; /* lu_signal_deliver sets the host mask again */
}

/* A wait with a temporary mask (ppoll, pselect6, epoll_pwait): as
 * rt_sigsuspend, the guest mask is the given one until the wait ends, and
 * stays so for a handler the wait was interrupted for (its frame holds the
 * old mask).  Everything is blocked on the host from here on, so the
 * caller's host call must take *host as its own atomic mask. */
bool lu_sigmask_wait_begin(lu_thread *t, uint64_t mask, uint64_t *host)
{
    lu_signal_block_all(NULL);
    t->sig_saved_mask = t->sigmask;
    t->sig_restore_mask = true;
    t->sigmask = mask & ~UNBLOCKABLE;
    *host = lu_signal_host_set(t);
    /* one already recorded and now unblocked: no wait at all */
    return !(__atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST) & ~t->sigmask);
}

/* r: the call's result.  EINTR: a handler runs next with the wait's mask
 * and puts the old one back on return (lu_signal_deliver). */
void lu_sigmask_wait_end(lu_thread *t, int64_t r)
{
    if (r == -EINTR)
        return;
    t->sig_restore_mask = false;
    t->sigmask = t->sig_saved_mask;
    lu_signal_mask_changed(t);
}

/* (set, info, timeout, sigsetsize): the set stays blocked on the host
 * while we look at what the handler recorded and then wait in the host
 * kernel, so no signal of it can slip to the handler in between. */
int64_t sys_rt_sigtimedwait(lu_thread *t, const uint64_t a[6])
{
    if (a[3] != 8)
        return -EINVAL;
    uint64_t set = *(uint64_t *)G2H(a[0]) & ~UNBLOCKABLE;
    siginfo_t si;
    uint64_t old;
    lu_signal_block_all(&old);
    int64_t r = lu_signal_dequeue(t, set, &si);
    if (!r) {
        lu_signal_host_mask(old | set);
        r = lu_ret(syscall(SYS_rt_sigtimedwait, &set, &si, G2H(a[2]), 8));
    }
    lu_signal_mask_changed(t);
    if (r > 0 && a[1])
        memcpy(G2H(a[1]), &si, 128);
    return r;
}

int64_t sys_rt_sigreturn(lu_thread *t, const uint64_t a[6])
{
    lu_proc *p = t->p;
    uint64_t sp = lu_guest_sp(t);
    lu_sigframe f = { 0 };
    pthread_mutex_lock(&p->lock);
    uint64_t size = lu_sigreturn_size(p->abi);
    bool ours = sp + size > sp && lu_mem_covered(p, sp, sp + size);
    pthread_mutex_unlock(&p->lock);
    if (!ours || !p->abi->sig_return(t->cpu, &f)) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        si.si_signo = SIGSEGV;
        si.si_code = SI_KERNEL;
        lu_signal_force(t, &si);
        return 0;
    }
    t->sigmask = f.mask & ~UNBLOCKABLE;
    lu_signal_mask_changed(t);
    /* restore_altstack: errors other than EFAULT are ignored */
    lu_stack ss = { .sp = f.ss_sp, .size = f.ss_size, .flags = f.ss_flags };
    lu_sigaltstack(t, &ss, NULL);
    if (p->abi->trampoline) /* x86-64's sig_return put its FP state back itself */
        lu_fp_status(t, true, f.fp);
    return 0;
}

/* The kernel's do_sigaltstack. */
int lu_sigaltstack(lu_thread *t, const lu_stack *ss, lu_stack *old)
{
    uint64_t sp = lu_guest_sp(t);
    if (old) {
        old->sp = t->altstack_sp;
        old->size = t->altstack_size;
        old->flags = lu_altstack_flags(t, sp) | (t->altstack_flags & (int32_t)GUEST_SS_AUTODISARM);
    }
    if (!ss)
        return 0;
    if (lu_altstack_flags(t, sp) == GUEST_SS_ONSTACK)
        return -EPERM;
    uint32_t mode = (uint32_t)ss->flags & ~GUEST_SS_AUTODISARM;
    if (mode != 0 && mode != GUEST_SS_ONSTACK && mode != GUEST_SS_DISABLE)
        return -EINVAL;
    if (mode == GUEST_SS_DISABLE) {
        t->altstack_sp = t->altstack_size = 0;
    } else {
        if (ss->size < t->p->abi->minsigstksz)
            return -ENOMEM;
        t->altstack_sp = ss->sp;
        t->altstack_size = ss->size;
    }
    t->altstack_flags = ss->flags;
    return 0;
}

/* stack_t: ss_sp u64, ss_flags i32 (+pad), ss_size u64. */
int64_t sys_sigaltstack(lu_thread *t, const uint64_t a[6])
{
    lu_stack ss, old;
    if (a[0]) {
        const uint8_t *g = G2H(a[0]);
        memcpy(&ss.sp, g, 8);
        memcpy(&ss.flags, g + 8, 4);
        memcpy(&ss.size, g + 16, 8);
    }
    int r = lu_sigaltstack(t, a[0] ? &ss : NULL, &old);
    if (a[1] && r == 0) {
        uint8_t *g = G2H(a[1]);
        uint32_t pad = 0;
        memcpy(g, &old.sp, 8);
        memcpy(g + 8, &old.flags, 4);
        memcpy(g + 12, &pad, 4);
        memcpy(g + 16, &old.size, 8);
    }
    return r;
}
