/* Signal syscalls, first cut: dispositions, the mask and the alternate
 * stack are recorded per process / per thread and handed back as old
 * values, with the kernel's argument checks.  Delivering a signal to a
 * guest handler (signal frames, sigreturn) is a later issue.  Until then,
 * SIG_IGN/SIG_DFL and the mask are mirrored on the host for asynchronous
 * signals, so that an ignored SIGPIPE or a blocked SIGINT does not kill
 * Ferry where it would not kill the guest.
 */
#include <signal.h>
#include <string.h>

#include "linux-user/lu.h"

#define GUEST_SIG_DFL 0
#define GUEST_SIG_IGN 1
#define GUEST_SS_DISABLE 2
#define GUEST_SS_ONSTACK 1
#define GUEST_SS_AUTODISARM (1u << 31)

/* Signals the host raises for Ferry's own faults: never mirrored. */
static bool sync_signal(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
           sig == SIGTRAP || sig == SIGKILL || sig == SIGSTOP;
}

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

static void mirror_disposition(int sig, uint64_t handler)
{
    if (sync_signal(sig) || sig >= SIGRTMIN)
        return;
    if (handler == GUEST_SIG_IGN)
        signal(sig, SIG_IGN);
    else if (handler == GUEST_SIG_DFL)
        signal(sig, SIG_DFL);
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
    if (a[2])
        write_act(p, a[2], &p->sig[sig]);
    if (a[1]) {
        p->sig[sig] = nsa;
        mirror_disposition(sig, nsa.handler);
    }
    pthread_mutex_unlock(&p->lock);
    return 0;
}

static void mirror_mask(uint64_t mask)
{
    sigset_t s;
    sigemptyset(&s);
    for (int sig = 1; sig < 32; sig++)
        if ((mask >> (sig - 1)) & 1 && !sync_signal(sig))
            sigaddset(&s, sig);
    pthread_sigmask(SIG_SETMASK, &s, NULL);
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
        /* SIGKILL and SIGSTOP cannot be blocked */
        m &= ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
        t->sigmask = m;
        mirror_mask(m);
    }
    if (a[2])
        *(uint64_t *)G2H(a[2]) = old;
    return 0;
}

/* stack_t: ss_sp u64, ss_flags i32 (+pad), ss_size u64. */
int64_t sys_sigaltstack(lu_thread *t, const uint64_t a[6])
{
    uint64_t nsp = 0, nsize = 0;
    int32_t nflags = 0;
    if (a[0]) {
        const uint8_t *g = G2H(a[0]);
        memcpy(&nsp, g, 8);
        memcpy(&nflags, g + 8, 4);
        memcpy(&nsize, g + 16, 8);
        uint32_t mode = (uint32_t)nflags & ~GUEST_SS_AUTODISARM;
        if (mode != 0 && mode != GUEST_SS_DISABLE)
            return -EINVAL;
        if (mode != GUEST_SS_DISABLE && nsize < t->p->abi->minsigstksz)
            return -ENOMEM;
    }
    if (a[1]) {
        uint8_t *g = G2H(a[1]);
        int32_t flags = t->altstack_size ? t->altstack_flags : GUEST_SS_DISABLE;
        uint32_t pad = 0;
        memcpy(g, &t->altstack_sp, 8);
        memcpy(g + 8, &flags, 4);
        memcpy(g + 12, &pad, 4);
        memcpy(g + 16, &t->altstack_size, 8);
    }
    if (a[0]) {
        bool off = ((uint32_t)nflags & ~GUEST_SS_AUTODISARM) == GUEST_SS_DISABLE;
        t->altstack_sp = off ? 0 : nsp;
        t->altstack_size = off ? 0 : nsize;
        t->altstack_flags = off ? 0 : nflags;
    }
    return 0;
}
