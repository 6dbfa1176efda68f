/* Signals as real programs use them: handlers reading back their siginfo
 * and ucontext, SA_RESTART on a blocking read, sigaltstack with
 * SA_ONSTACK and SS_AUTODISARM, masks (sa_mask, SA_NODEFER, SA_RESETHAND,
 * sigpending, sigsuspend, sigtimedwait), faults caught and left with
 * siglongjmp or by rewriting the pc in the ucontext, FP state kept across
 * a handler, signals arriving in pure computation (no syscalls), threads
 * signalling each other, default actions in children.
 * Only what is the same on every machine is printed (x86 reports ud2 as
 * ILL_ILLOPN where the others say ILL_ILLOPC, integer division by zero
 * traps only on x86, __builtin_trap differs: none of it is shown).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31) /* linux/signal.h; glibc does not name it */
#endif

static volatile sig_atomic_t hits;
static volatile int last_sig, last_code, last_pid, last_tid;
static volatile uintptr_t last_pc;
static void *volatile last_addr;
static char trace[64];
static volatile int ntrace;

static uintptr_t uc_pc(void *ucv)
{
    ucontext_t *uc = ucv;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__riscv)
    return (uintptr_t)uc->uc_mcontext.__gregs[REG_PC];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#endif
}

static void set_uc_pc(void *ucv, uintptr_t pc)
{
    ucontext_t *uc = ucv;
#if defined(__x86_64__)
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
#elif defined(__riscv)
    uc->uc_mcontext.__gregs[REG_PC] = pc;
#elif defined(__aarch64__)
    uc->uc_mcontext.pc = pc;
#endif
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
    hits++;
    last_sig = si->si_signo;
    last_code = si->si_code;
    last_pid = si->si_pid;
    last_tid = (int)syscall(SYS_gettid);
    last_pc = uc_pc(uc);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags, const sigset_t *mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    if (mask)
        sa.sa_mask = *mask;
    else
        sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0)
        perror("sigaction");
}

static const char *code_name(int code)
{
    switch (code) {
    case SI_USER: return "SI_USER";
    case SI_TKILL: return "SI_TKILL";
    case SI_QUEUE: return "SI_QUEUE";
    default: return "other";
    }
}

static void test_siginfo(void)
{
    install(SIGUSR1, on_info, 0, NULL);
    hits = 0;
    raise(SIGUSR1);
    printf("raise: hits %d sig %d code %s pid ok %d pc set %d\n", hits, last_sig,
           code_name(last_code), last_pid == getpid(), last_pc != 0);
    kill(getpid(), SIGUSR1);
    printf("kill: hits %d code %s pid ok %d\n", hits, code_name(last_code), last_pid == getpid());
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
    printf("tgkill: hits %d code %s tid ok %d\n", hits, code_name(last_code),
           last_tid == (int)syscall(SYS_gettid));
    union sigval v = { .sival_int = 42 };
    sigqueue(getpid(), SIGUSR1, v);
    printf("sigqueue: hits %d code %s\n", hits, code_name(last_code));
}

/* ---- SA_RESTART: a read on an empty pipe, interrupted by an alarm whose
 * handler then writes the byte the read waits for */
static int pipe_fd[2];

static void on_alarm(int sig, siginfo_t *si, void *uc)
{
    hits++;
    if (write(pipe_fd[1], "x", 1) != 1)
        _exit(3);
}

static void alarm_in(long usec)
{
    struct itimerval it = { .it_value = { .tv_sec = 0, .tv_usec = usec } };
    setitimer(ITIMER_REAL, &it, NULL);
}

static void test_restart(void)
{
    char c;
    if (pipe(pipe_fd) != 0)
        perror("pipe");
    for (int restart = 0; restart < 2; restart++) {
        install(SIGALRM, on_alarm, restart ? SA_RESTART : 0, NULL);
        hits = 0;
        alarm_in(20000);
        ssize_t n = read(pipe_fd[0], &c, 1);
        int e = errno;
        printf("%s: read %zd%s, handler ran %d\n", restart ? "SA_RESTART" : "no SA_RESTART",
               n, n < 0 && e == EINTR ? " EINTR" : "", hits);
        if (n < 0) {
            n = read(pipe_fd[0], &c, 1);
            printf("  read again %zd '%c'\n", n, c);
        }
    }
    close(pipe_fd[0]);
    close(pipe_fd[1]);
}

/* ---- sigaltstack */
static char *alt_base;
static size_t alt_size = 1 << 16;
static volatile int on_alt, alt_flags;

static void on_alt_handler(int sig, siginfo_t *si, void *uc)
{
    char local;
    on_alt = &local >= alt_base && &local < alt_base + alt_size;
    stack_t cur;
    sigaltstack(NULL, &cur);
    alt_flags = cur.ss_flags;
    hits++;
}

static void test_altstack(void)
{
    alt_base = malloc(alt_size);
    stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 }, cur;
    if (sigaltstack(&ss, NULL) != 0)
        perror("sigaltstack");
    install(SIGUSR2, on_alt_handler, SA_ONSTACK, NULL);
    raise(SIGUSR2);
    printf("SA_ONSTACK: on the alternate stack %d, flags inside %s\n", on_alt,
           alt_flags == SS_ONSTACK ? "SS_ONSTACK" : "other");
    install(SIGUSR2, on_alt_handler, 0, NULL);
    raise(SIGUSR2);
    printf("no SA_ONSTACK: on the alternate stack %d, flags inside %d\n", on_alt, alt_flags);
    ss.ss_flags = SS_AUTODISARM;
    if (sigaltstack(&ss, NULL) != 0)
        printf("SS_AUTODISARM refused\n");
    install(SIGUSR2, on_alt_handler, SA_ONSTACK, NULL);
    raise(SIGUSR2);
    sigaltstack(NULL, &cur);
    printf("SS_AUTODISARM: on the alternate stack %d, flags inside %s, after %s size ok %d\n",
           on_alt, alt_flags == SS_DISABLE ? "SS_DISABLE" : "other",
           cur.ss_flags == SS_AUTODISARM ? "SS_AUTODISARM" : "other", cur.ss_size == alt_size);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    free(alt_base);
    ss.ss_flags = 0;
    ss.ss_size = 16;
    int r = sigaltstack(&ss, NULL);
    printf("tiny altstack: %d %s\n", r, strerror(errno));
}

/* ---- masks */
static void note(int sig, siginfo_t *si, void *uc)
{
    if (ntrace < (int)sizeof trace - 1)
        trace[ntrace++] = sig == SIGUSR1 ? '1' : sig == SIGUSR2 ? '2' : '?';
}

static volatile int depth;

static void nested(int sig, siginfo_t *si, void *uc)
{
    note(sig, si, uc);
    if (depth++ == 0)
        raise(sig); /* runs now with SA_NODEFER, else after we return */
    if (ntrace < (int)sizeof trace - 1)
        trace[ntrace++] = 'e';
}

static void usr1_raises_usr2(int sig, siginfo_t *si, void *uc)
{
    note(sig, si, uc);
    raise(SIGUSR2); /* blocked by sa_mask: delivered after we return */
    if (ntrace < (int)sizeof trace - 1)
        trace[ntrace++] = 'e';
}

static void show_trace(const char *what)
{
    trace[ntrace] = 0;
    printf("%s: %s\n", what, trace);
    ntrace = 0;
}

static void test_masks(void)
{
    sigset_t s, old, pend;
    install(SIGUSR2, note, 0, NULL);
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, &old);
    raise(SIGUSR2);
    sigpending(&pend);
    printf("blocked: delivered '%.*s' pending %d\n", ntrace, trace, sigismember(&pend, SIGUSR2));
    sigprocmask(SIG_SETMASK, &old, NULL);
    show_trace("unblocked");
    sigpending(&pend);
    printf("pending after %d\n", sigismember(&pend, SIGUSR2));

    install(SIGUSR1, usr1_raises_usr2, 0, &s);
    raise(SIGUSR1);
    show_trace("sa_mask");
    depth = 0;
    install(SIGUSR1, nested, 0, NULL);
    raise(SIGUSR1);
    show_trace("deferred");
    depth = 0;
    install(SIGUSR1, nested, SA_NODEFER, NULL);
    raise(SIGUSR1);
    show_trace("SA_NODEFER");
    install(SIGUSR1, note, SA_RESETHAND, NULL);
    raise(SIGUSR1);
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    show_trace("SA_RESETHAND");
    printf("  then SIG_DFL %d\n", now.sa_handler == SIG_DFL);

    /* the handler sees the mask it was given, and the old one comes back */
    sigprocmask(SIG_BLOCK, NULL, &old);
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("SIG_IGN survived\n");
}

/* ---- sigtimedwait and sigsuspend */
static void test_waits(void)
{
    sigset_t s, old, now;
    siginfo_t si;
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    install(SIGUSR1, note, 0, NULL);
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, &old);
    kill(getpid(), SIGUSR1);
    int r = sigtimedwait(&s, &si, &ts);
    printf("sigtimedwait: %d code %s, handler ran '%.*s'\n", r, code_name(si.si_code), ntrace, trace);
    r = sigtimedwait(&s, &si, &ts);
    printf("sigtimedwait again: %d %s\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");

    /* sigsuspend: an alarm wakes it, the handler runs, the mask is back */
    install(SIGALRM, note, 0, NULL);
    sigaddset(&s, SIGALRM);
    sigprocmask(SIG_BLOCK, &s, NULL);
    alarm_in(10000);
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    ntrace = 0;
    hits = 0;
    r = sigsuspend(&wait_mask);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("sigsuspend: %d %s, handler ran %d, mask back %d\n", r, errno == EINTR ? "EINTR" : "?",
           ntrace, sigismember(&now, SIGALRM) && sigismember(&now, SIGUSR1));
    ntrace = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ---- faults */
static sigjmp_buf env;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    hits++;
    last_sig = si->si_signo;
    last_code = si->si_code;
    last_addr = si->si_addr;
    last_pc = uc_pc(uc);
    siglongjmp(env, 1);
}

__attribute__((noinline)) static void poke(volatile int *p, int v)
{
    *p = v;
}

static void recover(void)
{
    siglongjmp(env, 2);
}

static void on_fault_redirect(int sig, siginfo_t *si, void *uc)
{
    hits++;
    set_uc_pc(uc, (uintptr_t)recover);
}

/* An instruction every machine here refuses. */
void bad_insn(void);
#if defined(__x86_64__)
__asm__(".text\n.globl bad_insn\n.type bad_insn,@function\nbad_insn:\n\tud2\n\tret\n");
#elif defined(__riscv)
__asm__(".text\n.globl bad_insn\n.type bad_insn,@function\nbad_insn:\n\t.2byte 0\n\t.2byte 0\n\tret\n");
#elif defined(__aarch64__)
__asm__(".text\n.globl bad_insn\n.type bad_insn,@function\nbad_insn:\n\tudf #0\n\tret\n");
#endif

static void test_faults(void)
{
    install(SIGSEGV, on_fault, 0, NULL);
    hits = 0;
    if (sigsetjmp(env, 1) == 0)
        poke(NULL, 1);
    uintptr_t off = last_pc - (uintptr_t)poke;
    printf("NULL write: hits %d sig %d code %s addr %p pc in poke %d\n", hits, last_sig,
           last_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other", last_addr, off < 64);
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(env, 1) == 0)
        poke((int *)(ro + 8), 1);
    printf("read-only write: hits %d code %s addr ok %d\n", hits,
           last_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other", last_addr == ro + 8);
    munmap(ro, 4096);
    /* the mask is back after siglongjmp: SIGSEGV is not blocked */
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("SIGSEGV blocked after siglongjmp %d\n", sigismember(&now, SIGSEGV));

    install(SIGSEGV, on_fault_redirect, 0, NULL);
    int r = sigsetjmp(env, 1);
    if (r == 0)
        poke(NULL, 2);
    printf("pc rewritten in the ucontext: came back through recover %d\n", r == 2);

    /* a mapping past the end of its file: SIGBUS */
    FILE *tf = tmpfile();
    char *past = tf ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fileno(tf), 0) : MAP_FAILED;
    install(SIGBUS, on_fault, 0, NULL);
    if (past != MAP_FAILED && sigsetjmp(env, 1) == 0)
        hits += past[16];
    printf("read past the end of a file: sig %s code %s addr ok %d\n",
           last_sig == SIGBUS ? "SIGBUS" : "other", last_code == BUS_ADRERR ? "BUS_ADRERR" : "other",
           last_addr == past + 16);
    if (past != MAP_FAILED)
        munmap(past, 4096);
    if (tf)
        fclose(tf);

    install(SIGILL, on_fault, 0, NULL);
    if (sigsetjmp(env, 1) == 0)
        bad_insn();
    printf("illegal instruction: sig %d addr ok %d\n", last_sig, last_addr == (void *)bad_insn);
}

/* ---- a stack overflow caught on the alternate stack, as runtimes do */
static volatile int overflow_hits;

static void on_overflow(int sig, siginfo_t *si, void *uc)
{
    overflow_hits++;
    siglongjmp(env, 1);
}

__attribute__((noinline)) static int recurse(volatile char *prev, int n)
{
    volatile char buf[256];
    if (n > (1 << 30)) /* never: the stack ends long before */
        return 0;
    buf[0] = (char)n;
    buf[255] = prev ? prev[0] : 0;
    return recurse(buf, n + 1) + buf[7];
}

static void test_overflow(void)
{
    size_t size = 1 << 16;
    char *alt = malloc(size);
    stack_t ss = { .ss_sp = alt, .ss_size = size, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    install(SIGSEGV, on_overflow, SA_ONSTACK, NULL);
    if (sigsetjmp(env, 1) == 0)
        recurse(NULL, 0);
    printf("stack overflow caught on the alternate stack: %d\n", overflow_hits);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    free(alt);
}

/* ---- SIGCHLD: the handler's siginfo, and a waitpid it interrupts
 * restarts under SA_RESTART */
static volatile int chld_code, chld_status, chld_pid;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid = si->si_pid;
}

static void test_sigchld(void)
{
    install(SIGCHLD, on_chld, SA_RESTART, NULL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(20000);
        _exit(5);
    }
    int st;
    pid_t w = waitpid(pid, &st, 0);
    printf("SIGCHLD: waitpid %d, code %s status %d from the child %d\n", w == pid,
           chld_code == CLD_EXITED ? "CLD_EXITED" : "other", chld_status, chld_pid == pid);
    signal(SIGCHLD, SIG_DFL);
}

/* ---- FP state survives a handler that changes it */
static void fp_handler(int sig, siginfo_t *si, void *uc)
{
    volatile double x = 1.0, y = 3.0;
    fesetround(FE_TOWARDZERO);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double z = x / y; /* inexact */
    (void)z;
    feraiseexcept(FE_DIVBYZERO);
    hits++;
}

static void test_fp(void)
{
    install(SIGUSR1, fp_handler, 0, NULL);
    volatile double a = 1.0, b = 3.0;
    fesetround(FE_UPWARD);
    feclearexcept(FE_ALL_EXCEPT);
    feraiseexcept(FE_OVERFLOW);
    double before = a / b;
    raise(SIGUSR1);
    double after = a / b;
    printf("fp: round upward kept %d, flags kept %d (overflow %d divbyzero %d), same result %d\n",
           fegetround() == FE_UPWARD, fetestexcept(FE_OVERFLOW | FE_DIVBYZERO) != 0,
           fetestexcept(FE_OVERFLOW) != 0, fetestexcept(FE_DIVBYZERO) != 0, before == after);
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
}

/* ---- a signal into a loop that makes no syscall */
static volatile int stop_spin;

static void on_stop(int sig, siginfo_t *si, void *uc)
{
    stop_spin = 1;
    last_tid = (int)syscall(SYS_gettid);
}

static int spin(void)
{
    unsigned long n = 0;
    while (!stop_spin && n < 4000000000ul)
        n++;
    return stop_spin;
}

/* A loop over several blocks, through a call and its return, with
 * branches forward and back: a kick must stop it as it stops the tight
 * loop above (blocks may be entered past their stop check from below). */
static __attribute__((noinline)) unsigned long step(unsigned long n)
{
    if (n & 1)
        return n + 3;
    return n % 7 ? n + 1 : n + 5;
}

static int spin_calls(void)
{
    unsigned long n = 0;
    while (!stop_spin && n < 40000000000ul)
        n = step(n);
    return stop_spin;
}

static void test_spin(void)
{
    install(SIGALRM, on_stop, 0, NULL);
    stop_spin = 0;
    alarm_in(20000);
    printf("alarm into a loop: stopped %d\n", spin());
    stop_spin = 0;
    alarm_in(20000);
    printf("alarm into a loop of calls: stopped %d\n", spin_calls());
}

/* ---- threads */
static volatile int thread_tid;

static void *spinner(void *arg)
{
    thread_tid = (int)syscall(SYS_gettid);
    return (void *)(intptr_t)spin();
}

static void test_threads(void)
{
    install(SIGUSR1, on_stop, 0, NULL);
    stop_spin = 0;
    thread_tid = 0;
    pthread_t th;
    pthread_create(&th, NULL, spinner, NULL);
    while (!thread_tid)
        sched_yield();
    pthread_kill(th, SIGUSR1);
    void *r;
    pthread_join(th, &r);
    printf("pthread_kill into a spinning thread: stopped %d, on that thread %d\n",
           (int)(intptr_t)r, last_tid == thread_tid);

    /* a process signal goes to the one thread that has it unblocked */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    stop_spin = 0;
    thread_tid = 0;
    pthread_create(&th, NULL, spinner, NULL); /* with main's mask: unblocked */
    while (!thread_tid)
        sched_yield();
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    kill(getpid(), SIGUSR1);
    pthread_join(th, &r);
    printf("kill with main blocking it: stopped %d, on the thread %d\n", (int)(intptr_t)r,
           last_tid == thread_tid);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

/* ---- default actions */
static void test_defaults(void)
{
    static const int sigs[] = { SIGTERM, SIGUSR1, SIGSEGV, SIGCHLD };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            struct rlimit no_core = { 0, 0 };
            setrlimit(RLIMIT_CORE, &no_core);
            signal(sigs[i], SIG_DFL);
            if (sigs[i] == SIGSEGV)
                poke(NULL, 3);
            else
                raise(sigs[i]);
            _exit(7);
        }
        int st;
        waitpid(pid, &st, 0);
        if (WIFSIGNALED(st))
            printf("child with %s: killed by %s\n", strsignal(sigs[i]), strsignal(WTERMSIG(st)));
        else
            printf("child with %s: exit %d\n", strsignal(sigs[i]), WEXITSTATUS(st));
    }
}

/* uc_stack as the kernel writes it without an alternate stack: the
 * thread's stored flags, 0 for the first thread, SS_DISABLE for a new one. */
static int seen_ss_flags;

static void on_usr2_stack(int sig, siginfo_t *si, void *ucv)
{
    (void)sig, (void)si;
    seen_ss_flags = ((ucontext_t *)ucv)->uc_stack.ss_flags;
}

static void *raise_usr2(void *arg)
{
    (void)arg;
    raise(SIGUSR2);
    return NULL;
}

static void test_uc_stack(void)
{
    struct sigaction sa = { .sa_sigaction = on_usr2_stack, .sa_flags = SA_SIGINFO }, old;
    sigaction(SIGUSR2, &sa, &old);
    raise(SIGUSR2);
    int first = seen_ss_flags;
    pthread_t th;
    pthread_create(&th, NULL, raise_usr2, NULL);
    pthread_join(th, NULL);
    printf("uc_stack.ss_flags without an altstack: first thread %d, new thread %d\n", first,
           seen_ss_flags);
    sigaction(SIGUSR2, &old, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_uc_stack();
    test_siginfo();
    test_restart();
    test_altstack();
    test_masks();
    test_waits();
    test_faults();
    test_overflow();
    test_sigchld();
    test_fp();
    test_spin();
    test_threads();
    test_defaults();
    return 0;
}
