/* Process, identity, limit, time and scheduling syscalls.  The structs
 * these pass (timespec, timeval, rlimit, rusage, sysinfo, utsname,
 * cpu_set, itimerval, siginfo) have the same layout on riscv64 and x86-64, so most go
 * straight to the host.  Thread and process life (clone, exit, wait) is
 * in thread.c; the time calls a vDSO answers are in sys_time.c.
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "linux-user/lu.h"

#define PASS(nr, ...) lu_ret(syscall(nr, __VA_ARGS__))
#define PASS0(nr) lu_ret(syscall(nr))

int64_t sys_getpid(lu_thread *t, const uint64_t a[6]) { return PASS0(SYS_getpid); }
int64_t sys_getppid(lu_thread *t, const uint64_t a[6]) { return PASS0(SYS_getppid); }
int64_t sys_gettid(lu_thread *t, const uint64_t a[6]) { return PASS0(SYS_gettid); }
int64_t sys_getuid(lu_thread *t, const uint64_t a[6]) { return PASS0(SYS_getuid); }
int64_t sys_geteuid(lu_thread *t, const uint64_t a[6]) { return PASS0(SYS_geteuid); }
int64_t sys_getgid(lu_thread *t, const uint64_t a[6]) { return PASS0(SYS_getgid); }
int64_t sys_getegid(lu_thread *t, const uint64_t a[6]) { return PASS0(SYS_getegid); }
int64_t sys_umask(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_umask, a[0]); }
int64_t sys_getrlimit(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_getrlimit, a[0], a[1]); }
int64_t sys_prlimit64(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_prlimit64, a[0], a[1], a[2], a[3]); }
int64_t sys_getrusage(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_getrusage, a[0], a[1]); }
int64_t sys_sysinfo(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_sysinfo, a[0]); }
int64_t sys_kill(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_kill, a[0], a[1]); }
int64_t sys_tgkill(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_tgkill, a[0], a[1], a[2]); }
int64_t sys_tkill(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_tkill, a[0], a[1]); }
/* siginfo has the generic layout on the guests and on x86-64 */
int64_t sys_rt_sigqueueinfo(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_rt_sigqueueinfo, a[0], a[1], a[2]); }
int64_t sys_rt_tgsigqueueinfo(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_rt_tgsigqueueinfo, a[0], a[1], a[2], a[3]); }
/* struct itimerval: two timevals, as on x86-64; SIGALRM goes to the host's
 * handler like any other signal */
int64_t sys_getitimer(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_getitimer, a[0], a[1]); }
int64_t sys_setitimer(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_setitimer, a[0], a[1], a[2]); }
int64_t sys_getrandom(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_getrandom, a[0], a[1], a[2]); }
int64_t sys_nanosleep(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_nanosleep, a[0], a[1]); }
int64_t sys_clock_nanosleep(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_clock_nanosleep, a[0], a[1], a[2], a[3]); }
int64_t sys_sched_getaffinity(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_sched_getaffinity, a[0], a[1], a[2]); }
int64_t sys_sched_yield(lu_thread *t, const uint64_t a[6]) { return PASS0(SYS_sched_yield); }
/* Guest addresses are host addresses, so every futex op works as is. */
int64_t sys_futex(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_futex, a[0], a[1], a[2], a[3], a[4], a[5]); }
/* glibc falls back cleanly when rseq is missing; qemu answers the same. */
int64_t sys_rseq(lu_thread *t, const uint64_t a[6]) { return -ENOSYS; }

int64_t sys_uname(lu_thread *t, const uint64_t a[6])
{
    struct utsname u;
    if (uname(&u) < 0)
        return -errno;
    snprintf(u.machine, sizeof u.machine, "%s", t->p->abi->uname_machine);
    memcpy(G2H(a[0]), &u, sizeof u);
    return 0;
}

int64_t sys_set_tid_address(lu_thread *t, const uint64_t a[6])
{
    t->clear_child_tid = a[0];
    return t->tid;
}

/* The guest's robust list is also the host kernel's for this thread (the
 * head is three 64-bit words on every 64-bit Linux), so that however the
 * thread dies (a fatal signal, exit_group, SIGKILL) the kernel releases
 * its robust futexes; a plain exit walks it first (thread.c), before the
 * joiner wakes, as the kernel orders it.  Ferry's own glibc has no robust
 * mutexes to lose. */
int64_t sys_set_robust_list(lu_thread *t, const uint64_t a[6])
{
    int64_t r = PASS(SYS_set_robust_list, a[0], a[1]);
    if (r == 0)
        t->robust_list = a[0];
    return r;
}

int64_t sys_get_robust_list(lu_thread *t, const uint64_t a[6])
{
    return PASS(SYS_get_robust_list, a[0], a[1], a[2]);
}

/* Only PER_LINUX with its flags (ADDR_NO_RANDOMIZE...) and the query: an
 * execution domain such as PER_LINUX32 would change Ferry's own process. */
int64_t sys_personality(lu_thread *t, const uint64_t a[6])
{
    (void)t;
    if ((uint32_t)a[0] != 0xffffffffu && (a[0] & 0xff) != 0 /* PER_LINUX */)
        return -EINVAL;
    return PASS(SYS_personality, a[0]);
}

/* prctl options, by what they need: the host's answer for this thread,
 * or ours.  Options that would reach into Ferry (seccomp, PR_SET_MM) or
 * that name arm64 or riscv features Ferry does not have (SVE, SME, PAC,
 * MTE, tagged addresses) answer EINVAL as a kernel without them does. */
enum { PR_PASS = 1, PR_TID_ADDRESS };
static const struct { int option; int how; } prctl_ops[] = {
    { 1, PR_PASS },  /* PR_SET_PDEATHSIG */
    { 2, PR_PASS },  /* PR_GET_PDEATHSIG */
    { 3, PR_PASS },  /* PR_GET_DUMPABLE */
    { 4, PR_PASS },  /* PR_SET_DUMPABLE */
    { 7, PR_PASS },  /* PR_GET_KEEPCAPS */
    { 8, PR_PASS },  /* PR_SET_KEEPCAPS */
    { 15, PR_PASS }, /* PR_SET_NAME */
    { 16, PR_PASS }, /* PR_GET_NAME */
    { 23, PR_PASS }, /* PR_CAPBSET_READ */
    { 24, PR_PASS }, /* PR_CAPBSET_DROP */
    { 29, PR_PASS }, /* PR_SET_TIMERSLACK */
    { 30, PR_PASS }, /* PR_GET_TIMERSLACK */
    { 36, PR_PASS }, /* PR_SET_CHILD_SUBREAPER */
    { 37, PR_PASS }, /* PR_GET_CHILD_SUBREAPER */
    { 38, PR_PASS }, /* PR_SET_NO_NEW_PRIVS */
    { 39, PR_PASS }, /* PR_GET_NO_NEW_PRIVS */
    { 40, PR_TID_ADDRESS }, /* PR_GET_TID_ADDRESS */
    { 47, PR_PASS }, /* PR_CAP_AMBIENT */
    { 0x53564d41, PR_PASS }, /* PR_SET_VMA: names anonymous mappings */
};

int64_t sys_prctl(lu_thread *t, const uint64_t a[6])
{
    for (size_t i = 0; i < sizeof prctl_ops / sizeof prctl_ops[0]; i++) {
        if ((int)a[0] != prctl_ops[i].option)
            continue;
        if (prctl_ops[i].how == PR_TID_ADDRESS) {
            *(uint64_t *)G2H(a[1]) = t->clear_child_tid;
            return 0;
        }
        return PASS(SYS_prctl, a[0], a[1], a[2], a[3], a[4]);
    }
    return -EINVAL;
}
