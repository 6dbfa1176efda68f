/* Guest threads and processes: clone (a host thread per guest thread, or a
 * host fork), thread and process exit, wait4/waitid, execve.
 *
 * A guest thread is a host pthread with its own copy of the CPU state and
 * its own lu_thread; all share the lu_proc and the engine.  Linux's rules
 * kept here: exit ends one thread (clearing and futex-waking its
 * clear_child_tid), exit_group or a fatal signal ends them all, and when
 * the last thread exits the process exits with the leader's status.
 *
 *   lu_run_main(p, cpu);   // main: runs the first thread, never returns
 */
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/engine.h"
#include "linux-user/lu.h"

#define PASS(nr, ...) lu_ret(syscall(nr, __VA_ARGS__))

/* What clone accepts: glibc's pthread_create, fork, vfork, posix_spawn.
 * Namespaces, CLONE_PIDFD, CLONE_PARENT... are refused with EINVAL. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
                      CLONE_THREAD | CLONE_SYSVSEM)
#define KNOWN_FLAGS (THREAD_FLAGS | CSIGNAL | CLONE_SETTLS | CLONE_PARENT_SETTID | \
                     CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_VFORK | \
                     CLONE_DETACHED)

static uint64_t *reg(const lu_proc *p, void *cpu, uint32_t off)
{
    return (uint64_t *)((char *)cpu + off);
}

_Noreturn void lu_process_end(lu_proc *p, lu_end end)
{
    static atomic_flag ending = ATOMIC_FLAG_INIT;
    if (atomic_flag_test_and_set(&ending)) /* another thread is ending it */
        for (;;)
            pause();
    fflush(stdout);
    if (p->opt.stats && p->eng)
        engine_stats(p->eng, stderr);
    if (p->log && p->log != stderr)
        fclose(p->log);
    p->log = NULL;
    fflush(stderr);
    if (end.signaled)
        lu_die_of_signal(end.status);
    exit(end.status);
}

/* One guest thread's loop has returned: end the thread, or the process
 * when it was exit_group, a fatal signal or the last thread. */
static _Noreturn void thread_done(lu_thread *t, lu_end end, bool leader)
{
    lu_proc *p = t->p;
    if (end.signaled || p->exiting)
        lu_process_end(p, p->exiting && !end.signaled
                              ? (lu_end){ .status = p->exit_status } : end);
    pthread_mutex_lock(&p->lock);
    bool last = --p->nthreads == 0;
    if (leader) {
        p->leader_exited = true;
        p->leader_status = end.status;
    }
    int status = p->leader_exited ? p->leader_status : end.status;
    pthread_mutex_unlock(&p->lock);
    if (last)
        lu_process_end(p, (lu_end){ .status = status });
    lu_signal_thread_end(t);
    if (!leader)
        free(t->cpu);
    pthread_exit(NULL); /* the leader too: the others go on */
}

_Noreturn void lu_run_main(lu_proc *p, void *cpu)
{
    lu_thread t = { .p = p, .cpu = cpu, .tid = gettid() };
    p->pid = getpid();
    p->nthreads = 1;
    if (!lu_signal_init(p, &t.sigmask)) {
        fprintf(stderr, "ferry: cannot map the signal trampoline page\n");
        exit(125);
    }
    lu_signal_thread_start(&t);
    thread_done(&t, lu_cpu_loop(&t), true);
}

/* Handed from the parent to the new thread; the parent waits on ready. */
typedef struct clone_start {
    lu_proc *p;
    void *cpu;
    uint64_t flags, ptid, ctid, sigmask;
    sem_t ready;
    int tid;
} clone_start;

static void *thread_main(void *arg)
{
    clone_start *cs = arg;
    lu_thread t = { .p = cs->p, .cpu = cs->cpu, .tid = gettid(), .sigmask = cs->sigmask };
    lu_signal_thread_start(&t); /* it started with every signal blocked */
    /* The kernel writes both ids before either side runs on. */
    if (cs->flags & CLONE_PARENT_SETTID)
        *(uint32_t *)G2H(cs->ptid) = (uint32_t)t.tid;
    if (cs->flags & CLONE_CHILD_SETTID)
        *(uint32_t *)G2H(cs->ctid) = (uint32_t)t.tid;
    if (cs->flags & CLONE_CHILD_CLEARTID)
        t.clear_child_tid = cs->ctid;
    cs->tid = t.tid;
    sem_post(&cs->ready); /* cs is the parent's again from here */
    thread_done(&t, lu_cpu_loop(&t), false);
}

void *lu_clone_cpu(lu_thread *t, uint64_t flags, uint64_t newsp, uint64_t tls)
{
    const guest_abi *abi = t->p->abi;
    size_t size = (abi->fe->cpu_size + 63) & ~(size_t)63;
    void *cpu = aligned_alloc(64, size);
    if (!cpu)
        return NULL;
    memcpy(cpu, t->cpu, abi->fe->cpu_size);
    *reg(t->p, cpu, abi->ret_off) = 0;
    if (newsp)
        *reg(t->p, cpu, abi->sp_off) = newsp;
    if (flags & CLONE_SETTLS)
        *reg(t->p, cpu, abi->tls_off) = tls;
    return cpu;
}

static int64_t clone_thread(lu_thread *t, const uint64_t a[6])
{
    clone_start cs = { .p = t->p, .flags = a[0], .ptid = a[2], .ctid = a[4],
                       .sigmask = t->sigmask };
    cs.cpu = lu_clone_cpu(t, a[0], a[1], a[3]);
    if (!cs.cpu)
        return -ENOMEM;
    sem_init(&cs.ready, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    pthread_mutex_lock(&t->p->lock);
    t->p->nthreads++;
    pthread_mutex_unlock(&t->p->lock);
    uint64_t mask;
    lu_signal_block_all(&mask); /* no signal for it before it knows itself */
    int e = pthread_create(&th, &attr, thread_main, &cs);
    lu_signal_host_mask(mask);
    pthread_attr_destroy(&attr);
    if (e) {
        pthread_mutex_lock(&t->p->lock);
        t->p->nthreads--;
        pthread_mutex_unlock(&t->p->lock);
        free(cs.cpu);
        return -EAGAIN;
    }
    while (sem_wait(&cs.ready) != 0)
        ;
    sem_destroy(&cs.ready);
    return cs.tid;
}

/* fork, vfork and posix_spawn's CLONE_VM|CLONE_VFORK: a host fork (as
 * qemu-user does; the vfork parent does not wait for the child's exec).
 * The child goes on in its own copy of Ferry with only this thread. */
static int64_t clone_fork(lu_thread *t, const uint64_t a[6])
{
    uint64_t flags = a[0];
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid > 0) {
        if (flags & CLONE_PARENT_SETTID)
            *(uint32_t *)G2H(a[2]) = (uint32_t)pid;
        return pid;
    }
    lu_proc *p = t->p;
    /* The translation cache is a MAP_SHARED memfd that the parent keeps
     * filling: the child translates into a fresh engine of its own. */
    if (!lu_engine_start(p)) {
        fprintf(stderr, "ferry: cannot start the translator engine in a child\n");
        _exit(125);
    }
    t->tid = gettid();
    t->sig_pending = 0; /* a child starts with none pending */
    lu_signal_mask_changed(t);
    p->pid = getpid();
    p->nthreads = 1;
    p->leader_exited = false;
    void *cpu = t->cpu;
    if (a[1])
        *reg(p, cpu, p->abi->sp_off) = a[1];
    if (flags & CLONE_SETTLS)
        *reg(p, cpu, p->abi->tls_off) = a[3];
    if (flags & CLONE_CHILD_SETTID)
        *(uint32_t *)G2H(a[4]) = (uint32_t)t->tid;
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_child_tid = a[4];
    return 0;
}

/* riscv64 and aarch64 order: flags, newsp, parent_tid, tls, child_tid. */
int64_t sys_clone(lu_thread *t, const uint64_t a[6])
{
    uint64_t flags = a[0];
    if (flags & ~(uint64_t)KNOWN_FLAGS)
        return -EINVAL;
    if ((flags & CLONE_THREAD) && (flags & THREAD_FLAGS) != THREAD_FLAGS)
        return -EINVAL; /* a thread shares everything, as glibc asks */
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
        if (!(flags & CLONE_THREAD))
            return -EINVAL; /* a second process in our memory: not done */
        return clone_thread(t, a);
    }
    return clone_fork(t, a);
}

/* The thread ends: the kernel clears and wakes clear_child_tid (what
 * pthread_join waits on). */
int64_t sys_exit(lu_thread *t, const uint64_t a[6])
{
    if (t->clear_child_tid) {
        __atomic_store_n((uint32_t *)G2H(t->clear_child_tid), 0, __ATOMIC_SEQ_CST);
        syscall(SYS_futex, G2H(t->clear_child_tid), FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    }
    t->exit_status = (int)(a[0] & 0xff);
    t->exiting = true;
    return 0;
}

int64_t sys_exit_group(lu_thread *t, const uint64_t a[6])
{
    t->p->exit_status = (int)(a[0] & 0xff);
    t->p->exiting = true;
    return 0;
}

/* struct rusage and siginfo have the same layout for the guests and the
 * host. */
int64_t sys_wait4(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_wait4, a[0], a[1], a[2], a[3]); }
int64_t sys_waitid(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_waitid, a[0], a[1], a[2], a[3], a[4]); }
