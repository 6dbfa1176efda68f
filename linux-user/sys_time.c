/* The time calls a vDSO answers on the guest machine: clock_gettime,
 * clock_getres, gettimeofday.  Ferry answers them through the host's own
 * vDSO (glibc's functions, not raw syscalls), and their rows are SYS_FAST:
 * the engine asks linux-user for them on a syscall exit without a round
 * trip through the cpu loop (cpu_loop.c), which makes them as cheap as a
 * guest vDSO would.  struct timespec, timeval and timezone have the same
 * layout on the guests and x86-64; a bad pointer faults into EFAULT
 * (lu_guest_access), as the kernel answers. */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "linux-user/lu.h"

int64_t sys_clock_gettime(lu_thread *t, const uint64_t a[6])
{
    struct timespec ts;
    (void)t;
    if (clock_gettime((clockid_t)a[0], &ts) != 0)
        return -errno;
    memcpy(G2H(a[1]), &ts, sizeof ts);
    return 0;
}

int64_t sys_clock_getres(lu_thread *t, const uint64_t a[6])
{
    struct timespec ts;
    (void)t;
    if (clock_getres((clockid_t)a[0], &ts) != 0)
        return -errno;
    if (a[1])
        memcpy(G2H(a[1]), &ts, sizeof ts);
    return 0;
}

int64_t sys_gettimeofday(lu_thread *t, const uint64_t a[6])
{
    struct timeval tv;
    struct timezone tz;
    (void)t;
    if (gettimeofday(&tv, &tz) != 0)
        return -errno;
    if (a[0])
        memcpy(G2H(a[0]), &tv, sizeof tv);
    if (a[1])
        memcpy(G2H(a[1]), &tz, sizeof tz);
    return 0;
}
