/* Signals: how host signals become guest signals, and their delivery.
 *
 * A host handler (on a host altstack per thread) is installed for every
 * signal the guest handles, and always for SIGSEGV and SIGBUS.  A fault in
 * translated code goes to engine_fault, which makes engine_run return
 * ENGINE_FAULT; any other signal is recorded as pending for the thread it
 * hit (an atomic bitmask and its siginfo), kept blocked on the host until
 * delivered (so that later ones wait in the kernel, none lost), and
 * engine_kick makes the thread leave translated code.  The cpu loop then
 * calls lu_signal_deliver after every exit: a guest handler gets the
 * guest's own frame (linux-user/<arch>/signal.c), a default action is
 * taken as the kernel takes it.  The host mask of a thread is always its
 * guest mask plus its recorded signals, so the kernel picks the thread a
 * process-directed signal goes to as it would for the guest.
 *
 * Guest and host signal numbers, SA_* and SS_* values are the same for
 * riscv64 and aarch64 (asm-generic) as for x86-64, so none are converted.
 * Host signal calls are raw syscalls: glibc refuses its own internal
 * signals 32 and 33, which guest glibc uses (SIGCANCEL, SIGSETXID).
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "backend/engine.h"
#include "linux-user/lu.h"

#define BIT(sig) (1ull << ((sig) - 1))
#define HOST_ALTSTACK (64u << 10)

/* Raised by the CPU for Ferry's own code too: never blocked on the host,
 * where a blocked fault kills the process. */
#define SYNC_SIGS (BIT(SIGSEGV) | BIT(SIGBUS) | BIT(SIGILL) | BIT(SIGFPE) | BIT(SIGTRAP))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
#define NEVER_BLOCKED (SYNC_SIGS | UNBLOCKABLE)

/* The kernel's struct sigaction for rt_sigaction on x86-64. */
struct host_sigaction {
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};
#define HOST_SA_RESTORER 0x04000000u

/* x86-64 needs a restorer with a raw rt_sigaction, as glibc's own. */
void lu_host_restorer(void);
__asm__(".text\n"
        ".globl lu_host_restorer\n"
        ".hidden lu_host_restorer\n"
        ".type lu_host_restorer, @function\n"
        "lu_host_restorer:\n"
        "\tmovq $15, %rax\n" /* rt_sigreturn */
        "\tsyscall\n"
        ".size lu_host_restorer, .-lu_host_restorer\n");

static __thread lu_thread *lu_self;

static void host_action(int sig, void *handler, unsigned long flags)
{
    struct host_sigaction a = { handler, flags | HOST_SA_RESTORER, lu_host_restorer,
                                ~NEVER_BLOCKED };
    syscall(SYS_rt_sigaction, sig, &a, NULL, 8);
}

void lu_signal_host_mask(uint64_t mask)
{
    mask &= ~NEVER_BLOCKED;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, 8);
}

void lu_signal_block_all(uint64_t *old)
{
    uint64_t all = ~NEVER_BLOCKED;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, old, 8);
}

uint64_t lu_signal_host_set(lu_thread *t)
{
    return (t->sigmask | __atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST)) & ~NEVER_BLOCKED;
}

/* With everything blocked while the set is read, no signal recorded in
 * between can be unblocked again by mistake. */
void lu_signal_mask_changed(lu_thread *t)
{
    lu_signal_block_all(NULL);
    lu_signal_host_mask(lu_signal_host_set(t));
}

int lu_signal_default_action(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT: return LU_ACT_IGN;
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return LU_ACT_STOP;
    default: return LU_ACT_TERM; /* with or without a core */
    }
}

bool lu_guest_access(lu_thread *t, lu_access_fn *fn, void *arg)
{
    sigjmp_buf jb;
    sigjmp_buf *outer = t->fault_jmp;
    if (sigsetjmp(jb, 0)) {
        t->fault_jmp = outer;
        lu_signal_mask_changed(t); /* the host handler's mask is still on */
        return false;
    }
    t->fault_jmp = &jb;
    fn(t, arg);
    t->fault_jmp = outer;
    return true;
}

lu_thread *lu_signal_self(void)
{
    return lu_self;
}

/* Ferry itself crashed: one line, then the host's default action. */
static void host_crash(int sig, const siginfo_t *si)
{
    char buf[128];
    int n = snprintf(buf, sizeof buf, "ferry: internal error: host signal %d (code %d) "
                     "at address %p\n", sig, si->si_code, si->si_addr);
    if (write(2, buf, (size_t)n) < 0) {
        /* nothing more to do */
    }
    host_action(sig, SIG_DFL, 0);
    uint64_t m = BIT(sig);
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &m, NULL, 8);
    if (si->si_code <= 0) /* a fault comes back by itself on return */
        syscall(SYS_tgkill, getpid(), gettid(), sig);
}

static void host_handler(int sig, siginfo_t *si, void *ucv)
{
    lu_thread *t = lu_self;
    if ((BIT(sig) & SYNC_SIGS) && si->si_code > 0) { /* the CPU raised it */
        if (t && t->p->eng && (sig == SIGSEGV || sig == SIGBUS))
            engine_fault(t->p->eng, sig, si, ucv); /* returns if not guest code */
        if (t && t->fault_jmp)
            siglongjmp(*t->fault_jmp, 1);
        host_crash(sig, si);
        return;
    }
    if (!t) /* no guest thread here (guest threads start all blocked) */
        return;
    int saved = errno;
    t->sig_info[sig - 1] = *si;
    __atomic_fetch_or(&t->sig_pending, BIT(sig), __ATOMIC_SEQ_CST);
    if (!(BIT(sig) & NEVER_BLOCKED)) /* the kernel reads the first word */
        ((uint64_t *)&((ucontext_t *)ucv)->uc_sigmask)[0] |= BIT(sig);
    t->p->run->kick(t);
    errno = saved;
}

/* -strace shows a signal that kills as strace does, and a debugger is told
 * of it first (gdbstub.c): such signals must pass through Ferry. */
static bool deaths_watched(const lu_proc *p)
{
    return p->opt.strace || lu_gdb_on;
}

void lu_signal_host_action(lu_proc *p, int sig)
{
    if (sig == SIGKILL || sig == SIGSTOP)
        return;
    const lu_sigaction *ka = &p->sig[sig];
    bool traced_death = deaths_watched(p) && ka->handler == GUEST_SIG_DFL &&
                        lu_signal_default_action(sig) == LU_ACT_TERM;
    if (sig == SIGSEGV || sig == SIGBUS || ka->handler > GUEST_SIG_IGN || traced_death)
        host_action(sig, (void *)host_handler,
                    SA_SIGINFO | SA_ONSTACK |
                        (ka->flags & (GUEST_SA_NOCLDSTOP | GUEST_SA_NOCLDWAIT)));
    else
        host_action(sig, ka->handler == GUEST_SIG_IGN ? SIG_IGN : SIG_DFL, 0);
}

static bool map_trampoline(lu_proc *p)
{
    if (!p->abi->trampoline) /* x86-64: handlers return through sa_restorer */
        return true;
    p->sigtramp = lu_guest_code_page(p, p->abi->trampoline, LU_TRAMP_WORDS * 4);
    return p->sigtramp != 0;
}

/* What execve keeps: ignored signals stay ignored, the mask stays. */
bool lu_signal_init(lu_proc *p, uint64_t *initial_mask)
{
    if (!map_trampoline(p))
        return false;
    for (int sig = 1; sig <= LU_NSIG; sig++) {
        struct host_sigaction old;
        if (sig != SIGKILL && sig != SIGSTOP &&
            syscall(SYS_rt_sigaction, sig, NULL, &old, 8) == 0 && old.handler == SIG_IGN)
            p->sig[sig].handler = GUEST_SIG_IGN;
    }
    for (int sig = 1; sig <= LU_NSIG; sig++)
        if (sig == SIGSEGV || sig == SIGBUS ||
            (deaths_watched(p) && !p->sig[sig].handler))
            lu_signal_host_action(p, sig);
    uint64_t m = 0;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
    *initial_mask = m & ~UNBLOCKABLE;
    return true;
}

void lu_signal_thread_start(lu_thread *t)
{
    lu_self = t;
    void *st = mmap(NULL, HOST_ALTSTACK, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (st != MAP_FAILED) {
        stack_t ss = { .ss_sp = st, .ss_size = HOST_ALTSTACK };
        sigaltstack(&ss, NULL);
        t->host_altstack = st;
    }
    lu_signal_mask_changed(t);
}

void lu_signal_thread_end(lu_thread *t)
{
    lu_signal_block_all(NULL);
    lu_self = NULL;
    if (t->host_altstack) {
        stack_t ss = { .ss_flags = SS_DISABLE };
        sigaltstack(&ss, NULL);
        munmap(t->host_altstack, HOST_ALTSTACK);
        t->host_altstack = NULL;
    }
}

bool lu_signal_exec_begin(lu_thread *t)
{
    lu_signal_block_all(NULL);
    uint64_t pend = __atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST);
    if (pend & ~t->sigmask) {
        lu_signal_mask_changed(t);
        return false;
    }
    for (int sig = 1; sig <= LU_NSIG; sig++)
        if (pend & BIT(sig)) {
            syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), sig, &t->sig_info[sig - 1]);
            __atomic_fetch_and(&t->sig_pending, ~BIT(sig), __ATOMIC_SEQ_CST);
        }
    uint64_t m = t->sigmask;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8);
    return true;
}

void lu_signal_exec_failed(lu_thread *t)
{
    lu_signal_mask_changed(t);
}

_Noreturn void lu_die_of_signal(int sig)
{
    host_action(sig, SIG_DFL, 0);
    uint64_t m = BIT(sig);
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &m, NULL, 8);
    syscall(SYS_tgkill, getpid(), gettid(), sig);
    _exit(128 + sig); /* a signal whose default does not kill */
}

void lu_signal_force(lu_thread *t, const siginfo_t *si)
{
    t->sig_forced = *si;
}

int lu_signal_dequeue(lu_thread *t, uint64_t set, siginfo_t *si)
{
    uint64_t ready = __atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST) & set;
    if (!ready)
        return 0;
    /* the kernel's next_signal: synchronous ones first, then the lowest */
    uint64_t first = ready & SYNC_SIGS ? ready & SYNC_SIGS : ready;
    int sig = __builtin_ctzll(first) + 1;
    *si = t->sig_info[sig - 1];
    __atomic_fetch_and(&t->sig_pending, ~BIT(sig), __ATOMIC_SEQ_CST);
    return sig;
}
