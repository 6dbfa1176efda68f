/* Process, identity, limit, time and scheduling syscalls.  The structs
 * these pass (timespec, timeval, rlimit, rusage, sysinfo, utsname,
 * cpu_set, itimerval, siginfo) have the same layout on riscv64 and x86-64, so most go
 * straight to the host.  Thread and process life (clone, exit, wait) is
 * in thread.c.
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
int64_t sys_clock_gettime(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_clock_gettime, a[0], a[1]); }
int64_t sys_clock_getres(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_clock_getres, a[0], a[1]); }
int64_t sys_gettimeofday(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_gettimeofday, a[0], a[1]); }
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

/* Recorded for the thread-exit work to come; the kernel insists on the
 * size of struct robust_list_head (3 pointers). */
int64_t sys_set_robust_list(lu_thread *t, const uint64_t a[6])
{
    if (a[1] != 24)
        return -EINVAL;
    t->robust_list = a[0];
    t->robust_len = a[1];
    return 0;
}
