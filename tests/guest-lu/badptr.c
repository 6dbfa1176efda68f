/* Bad pointers in syscall arguments get EFAULT, as from the kernel, for
 * calls whose structures the kernel (or an emulator) reads and writes
 * itself: nothing crashes. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)16)

static void show(const char *what, long r)
{
    printf("%-28s %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void)
{
    show("rt_sigaction new", syscall(SYS_rt_sigaction, SIGUSR1, BAD, NULL, 8));
    show("rt_sigaction old", syscall(SYS_rt_sigaction, SIGUSR1, NULL, BAD, 8));
    show("rt_sigprocmask set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD, NULL, 8));
    show("rt_sigprocmask old", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, BAD, 8));
    show("fstat", syscall(SYS_fstat, 1, BAD));
    show("newfstatat", syscall(SYS_newfstatat, -100, "/", BAD, 0));
    show("newfstatat path", syscall(SYS_newfstatat, -100, BAD, BAD, 0));
    show("openat path", syscall(SYS_openat, -100, BAD, 0));
    show("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD));
    show("clock_gettime NULL", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL));
    show("clock_getres", syscall(SYS_clock_getres, CLOCK_MONOTONIC, BAD));
    show("gettimeofday", syscall(SYS_gettimeofday, BAD, NULL));
    show("uname", syscall(SYS_uname, BAD));
    show("getrlimit", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, BAD));
    show("writev iov", syscall(SYS_writev, 1, BAD, 1));
    show("ppoll fds", syscall(SYS_ppoll, BAD, 1, NULL, NULL, 8));
    show("sigaltstack", syscall(SYS_sigaltstack, BAD, NULL));
    show("pipe2", syscall(SYS_pipe2, BAD, 0));
    show("getcwd", syscall(SYS_getcwd, BAD, 100));
    show("nanosleep", syscall(SYS_nanosleep, BAD, NULL));
    return 0;
}
