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
    lu_strace_end(p, end);
    fflush(stdout);
    if (p->run->save)
        p->run->save(p);
    if (p->opt.stats && p->run->stats)
        p->run->stats(p, stderr);
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
    if (p->run->thread_end)
        p->run->thread_end(t);
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
        exit(LU_EXIT_INTERNAL);
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
    /* a new thread has no alternate stack: SS_DISABLE, as the kernel's
     * sas_ss_reset (the first thread's flags are 0 until it sets one) */
    lu_thread t = { .p = cs->p, .cpu = cs->cpu, .tid = gettid(), .sigmask = cs->sigmask,
                    .altstack_flags = GUEST_SS_DISABLE };
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
    size_t size = (abi->cpu_size + 63) & ~(size_t)63;
    void *cpu = aligned_alloc(64, size);
    if (!cpu)
        return NULL;
    if (t->p->run->sync_cpu)
        t->p->run->sync_cpu(t);
    memcpy(cpu, t->cpu, abi->cpu_size);
    *reg(t->p, cpu, abi->ret_off) = 0;
    if (newsp)
        *reg(t->p, cpu, abi->sp_off) = newsp;
    if (flags & CLONE_SETTLS)
        *reg(t->p, cpu, abi->tls_off) = tls;
    if (t->p->run->clone_cpu)
        t->p->run->clone_cpu(t, cpu);
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
    if (t->p->run->sync_cpu)
        t->p->run->sync_cpu(t);
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
     * filling: the child translates into a fresh engine of its own.  A
     * KVM VM cannot be used from another process: the child builds its own. */
    if (!p->run->start(p))
        _exit(LU_EXIT_INTERNAL);
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

/* struct clone_args (linux/sched.h): 64 bytes in its first version,
 * larger ones only with their new fields zero. */
struct guest_clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    uint64_t set_tid, set_tid_size, cgroup;
};

/* clone3 as clone: the stack is its lowest address and size, and the
 * exit signal its own field.  Choosing pids (set_tid), CLONE_INTO_CGROUP
 * and CLONE_CLEAR_SIGHAND are refused, as clone refuses the flags it does
 * not do. */
int64_t sys_clone3(lu_thread *t, const uint64_t a[6])
{
    struct guest_clone_args ca = { 0 };
    uint64_t size = a[1];
    if (size < 64 || size > 4096)
        return size < 64 ? -EINVAL : -E2BIG;
    const unsigned char *g = G2H(a[0]);
    for (uint64_t i = sizeof ca; i < size; i++)
        if (g[i])
            return -E2BIG;
    memcpy(&ca, g, size < sizeof ca ? size : sizeof ca);
    if ((ca.flags >> 32) || (ca.exit_signal & ~(uint64_t)CSIGNAL) || ca.set_tid_size ||
        ca.set_tid || ca.cgroup)
        return -EINVAL;
    if (!ca.stack != !ca.stack_size)
        return -EINVAL;
    uint64_t args[6] = { ca.flags | ca.exit_signal, ca.stack + ca.stack_size,
                         ca.parent_tid, ca.tls, ca.child_tid, 0 };
    return sys_clone(t, args);
}

/* The kernel's handle_futex_death: a robust futex this thread still owns
 * gets FUTEX_OWNER_DIED (its waiters bit kept) and one waiter woken, so
 * that the next locker sees EOWNERDEAD.  A pending op on a free futex
 * wakes a waiter that might otherwise sleep on. */
static void futex_death(uint64_t addr, uint32_t tid, bool pi, bool pending)
{
    uint32_t *f = G2H(addr);
    if (addr & 3)
        return;
    uint32_t v = __atomic_load_n(f, __ATOMIC_SEQ_CST);
    for (;;) {
        if (pending && !pi && v == 0) {
            syscall(SYS_futex, f, FUTEX_WAKE, 1, NULL, NULL, 0);
            return;
        }
        if ((v & FUTEX_TID_MASK) != tid)
            return;
        uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (__atomic_compare_exchange_n(f, &v, nv, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            break;
    }
    if (!pi && (v & FUTEX_WAITERS))
        syscall(SYS_futex, f, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* struct robust_list_head { next; futex_offset; list_op_pending }: each
 * entry points at the next (bit 0: a PI futex), the futex word sits at
 * entry + futex_offset.  At most ROBUST_LIST_LIMIT entries, as the kernel. */
static void robust_walk(lu_thread *t, void *arg)
{
    const uint64_t *head = G2H(t->robust_list);
    int64_t off = (int64_t)head[1];
    uint64_t pending = head[2], entry = head[0];
    (void)arg;
    for (int n = 0; entry != t->robust_list && n < 2048; n++) {
        uint64_t next = *(const uint64_t *)G2H(entry & ~1ull);
        if (entry != pending)
            futex_death((entry & ~1ull) + (uint64_t)off, (uint32_t)t->tid, entry & 1, false);
        entry = next;
    }
    if (pending)
        futex_death((pending & ~1ull) + (uint64_t)off, (uint32_t)t->tid, pending & 1, true);
}

static void clear_tid(lu_thread *t, void *arg)
{
    (void)arg;
    __atomic_store_n((uint32_t *)G2H(t->clear_child_tid), 0, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, G2H(t->clear_child_tid), FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* The thread ends as in the kernel's do_exit: its robust futexes are
 * released, then clear_child_tid is cleared and woken (what pthread_join
 * waits on).  A bad pointer in either stops that step only.  The host
 * kernel's copy of the list is dropped: the memory may be reused before
 * the host thread is gone. */
int64_t sys_exit(lu_thread *t, const uint64_t a[6])
{
    t->exit_status = (int)(a[0] & 0xff);
    t->exiting = true;
    if (t->robust_list) {
        lu_guest_access(t, robust_walk, NULL);
        static const uint64_t empty[3];
        syscall(SYS_set_robust_list, empty, sizeof empty);
        t->robust_list = 0;
    }
    if (t->clear_child_tid)
        lu_guest_access(t, clear_tid, NULL);
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
