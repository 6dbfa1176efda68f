/* x86-64's syscalls (syscall_table.def here): its numbers mapped onto the
 * generic rows that serve them as they are (x64_sys_map), and its own
 * rows (x64_syscalls) for the rest:
 *  - calls whose generic handler converts a struct to the asm-generic
 *    layout (struct stat, struct epoll_event) pass straight to the host,
 *    whose layout is x86-64's;
 *  - the legacy calls asm-generic left out (open, stat, fork, rename...)
 *    are rewritten onto the generic handler of their successor, so that
 *    fd, flag and /proc handling stay in one place (paths are already
 *    mapped under the sysroot: the dispatcher did it for this row's 'P');
 *  - clone's argument order, arch_prctl, and what Ferry's VM cannot give.
 *
 *   x64_sys_map[SYS_read] == 63 + 1;  x64_syscalls[SYS_arch_prctl].fn(t, a);
 */
#include <asm/prctl.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "linux-user/lu.h"
#include "linux-user/x86_64/x64_abi.h"

#define PASS(nr, ...) lu_ret(syscall(nr, __VA_ARGS__))
/* A generic handler's arguments, the missing ones 0. */
#define ARGS(...) ((const uint64_t[6]){ __VA_ARGS__ })
#define H(p) ((uint64_t)(uintptr_t)(p))
#define CWD ((uint64_t)(int64_t)AT_FDCWD)

/* The kernel's TASK_SIZE_MAX with 4-level paging: no FS or GS base at or
 * above it (arch_prctl answers EPERM). */
#define X64_TASK_SIZE_MAX ((1ull << 47) - LU_PAGE)

/* Every row's number is the host's own for its name. */
#define ALIAS(nr, name, generic) _Static_assert((nr) == SYS_##name, #name);
#define SYSP(nr, name, kinds, flags) _Static_assert((nr) == SYS_##name, #name);
#define SYS(nr, name, kinds, flags) _Static_assert((nr) == SYS_##name, #name);
#define NOSYS(nr, name, kinds) _Static_assert((nr) == SYS_##name, #name);
#include "linux-user/x86_64/syscall_table.def"

const uint16_t x64_sys_map[X64_NSYS] = {
#define ALIAS(nr, name, generic) [nr] = (generic) + 1,
#include "linux-user/x86_64/syscall_table.def"
};

#define SYS(nr, name, kinds, flags) \
    static int64_t x64_##name(lu_thread *t, const uint64_t a[6]);
#define SYSP(nr, name, kinds, flags)                                          \
    static int64_t x64_##name(lu_thread *t, const uint64_t a[6])              \
    {                                                                         \
        return PASS(SYS_##name, a[0], a[1], a[2], a[3], a[4], a[5]);          \
    }
#include "linux-user/x86_64/syscall_table.def"

static int64_t x64_nosys(lu_thread *t, const uint64_t a[6])
{
    return -ENOSYS;
}

const lu_sysdef x64_syscalls[X64_NSYS] = {
#define SYS(nr, name, kinds, flags) [nr] = { #name, x64_##name, kinds, flags },
#define SYSP(nr, name, kinds, flags) [nr] = { #name, x64_##name, kinds, flags },
#define NOSYS(nr, name, kinds) [nr] = { #name, x64_nosys, kinds, 0 },
#include "linux-user/x86_64/syscall_table.def"
};

/* ---- Legacy calls onto their generic successors ---- */

static int64_t x64_open(lu_thread *t, const uint64_t a[6])
{
    return sys_openat(t, ARGS(CWD, a[0], a[1], a[2]));
}

static int64_t x64_creat(lu_thread *t, const uint64_t a[6])
{
    return sys_openat(t, ARGS(CWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, a[1]));
}

static int64_t x64_access(lu_thread *t, const uint64_t a[6])
{
    return sys_faccessat(t, ARGS(CWD, a[0], a[1]));
}

static int64_t x64_pipe(lu_thread *t, const uint64_t a[6])
{
    return sys_pipe2(t, ARGS(a[0], 0));
}

/* Every ioctl's argument is laid out as the host's: all pass, but on the
 * runner's own fds (the KVM machine's), which the guest does not have. */
static int64_t x64_ioctl(lu_thread *t, const uint64_t a[6])
{
    if (lu_runner_fd(t->p, a[0]))
        return -EBADF;
    return lu_ret(syscall(SYS_ioctl, a[0], a[1], a[2]));
}

/* dup2(fd, fd) is fd when it is open, where dup3 says EINVAL. */
static int64_t x64_dup2(lu_thread *t, const uint64_t a[6])
{
    if ((uint32_t)a[0] == (uint32_t)a[1]) {
        int64_t r = sys_fcntl(t, ARGS(a[0], F_GETFD));
        return r < 0 ? r : (int64_t)(uint32_t)a[1];
    }
    return sys_dup3(t, ARGS(a[0], a[1], 0));
}

/* rt_sigsuspend with the mask the thread has. */
static int64_t x64_pause(lu_thread *t, const uint64_t a[6])
{
    uint64_t mask = t->sigmask;
    return sys_rt_sigsuspend(t, ARGS(H(&mask), sizeof mask));
}

static int64_t x64_rename(lu_thread *t, const uint64_t a[6])
{
    return sys_renameat(t, ARGS(CWD, a[0], CWD, a[1]));
}

static int64_t x64_mkdir(lu_thread *t, const uint64_t a[6])
{
    return sys_mkdirat(t, ARGS(CWD, a[0], a[1]));
}

static int64_t x64_rmdir(lu_thread *t, const uint64_t a[6])
{
    return sys_unlinkat(t, ARGS(CWD, a[0], AT_REMOVEDIR));
}

static int64_t x64_link(lu_thread *t, const uint64_t a[6])
{
    return sys_linkat(t, ARGS(CWD, a[0], CWD, a[1], 0));
}

static int64_t x64_unlink(lu_thread *t, const uint64_t a[6])
{
    return sys_unlinkat(t, ARGS(CWD, a[0], 0));
}

/* (target, linkpath): the target is text, never mapped. */
static int64_t x64_symlink(lu_thread *t, const uint64_t a[6])
{
    return sys_symlinkat(t, ARGS(a[0], CWD, a[1]));
}

/* readlinkat answers /proc/self/exe with the guest's program. */
static int64_t x64_readlink(lu_thread *t, const uint64_t a[6])
{
    return sys_readlinkat(t, ARGS(CWD, a[0], a[1], a[2]));
}

static int64_t x64_chmod(lu_thread *t, const uint64_t a[6])
{
    return sys_fchmodat(t, ARGS(CWD, a[0], a[1]));
}

static int64_t x64_chown(lu_thread *t, const uint64_t a[6])
{
    return sys_fchownat(t, ARGS(CWD, a[0], a[1], a[2], 0));
}

static int64_t x64_lchown(lu_thread *t, const uint64_t a[6])
{
    return sys_fchownat(t, ARGS(CWD, a[0], a[1], a[2], AT_SYMLINK_NOFOLLOW));
}

static int64_t x64_mknod(lu_thread *t, const uint64_t a[6])
{
    return sys_mknodat(t, ARGS(CWD, a[0], a[1], a[2]));
}

static int64_t x64_getpgrp(lu_thread *t, const uint64_t a[6])
{
    return sys_getpgid(t, ARGS(0));
}

/* struct utimbuf { time_t actime, modtime; }: whole seconds. */
static int64_t x64_utime(lu_thread *t, const uint64_t a[6])
{
    struct timespec ts[2];
    if (a[1]) {
        const int64_t *u = G2H(a[1]);
        ts[0] = (struct timespec){ .tv_sec = u[0] };
        ts[1] = (struct timespec){ .tv_sec = u[1] };
    }
    return sys_utimensat(t, ARGS(CWD, a[0], a[1] ? H(ts) : 0, 0));
}

/* utimes and futimesat: two struct timeval, microseconds checked as the
 * kernel's do_futimesat does.  A NULL path with a dirfd is the fd itself,
 * for futimesat as for utimensat. */
static int64_t utimes_at(lu_thread *t, uint64_t dirfd, uint64_t path, uint64_t tv)
{
    struct timespec ts[2];
    if (tv) {
        const int64_t *v = G2H(tv);
        for (int i = 0; i < 2; i++) {
            if (v[2 * i + 1] < 0 || v[2 * i + 1] >= 1000000)
                return -EINVAL;
            ts[i] = (struct timespec){ .tv_sec = v[2 * i], .tv_nsec = v[2 * i + 1] * 1000 };
        }
    }
    return sys_utimensat(t, ARGS(dirfd, path, tv ? H(ts) : 0, 0));
}

static int64_t x64_utimes(lu_thread *t, const uint64_t a[6])
{
    return utimes_at(t, CWD, a[0], a[1]);
}

static int64_t x64_futimesat(lu_thread *t, const uint64_t a[6])
{
    return utimes_at(t, a[0], a[1], a[2]);
}

/* The vDSO's call; the kernel's coarse seconds are time()'s. */
static int64_t x64_time(lu_thread *t, const uint64_t a[6])
{
    int64_t now = (int64_t)time(NULL);
    if (a[0])
        memcpy(G2H(a[0]), &now, sizeof now);
    return now;
}

static int64_t x64_epoll_create(lu_thread *t, const uint64_t a[6])
{
    if ((int)a[0] <= 0)
        return -EINVAL;
    return sys_epoll_create1(t, ARGS(0));
}

static int64_t x64_inotify_init(lu_thread *t, const uint64_t a[6])
{
    return sys_inotify_init1(t, ARGS(0));
}

static int64_t x64_eventfd(lu_thread *t, const uint64_t a[6])
{
    return sys_eventfd2(t, ARGS(a[0], 0));
}

static int64_t x64_signalfd(lu_thread *t, const uint64_t a[6])
{
    return sys_signalfd4(t, ARGS(a[0], a[1], a[2], 0));
}

/* ---- Processes and threads ---- */

/* x86-64's order is (flags, newsp, parent_tid, child_tid, tls); the
 * generic handler takes riscv64's and aarch64's, tls before child_tid. */
static int64_t x64_clone(lu_thread *t, const uint64_t a[6])
{
    return sys_clone(t, ARGS(a[0], a[1], a[2], a[4], a[3]));
}

static int64_t x64_fork(lu_thread *t, const uint64_t a[6])
{
    return sys_clone(t, ARGS(SIGCHLD));
}

static int64_t x64_vfork(lu_thread *t, const uint64_t a[6])
{
    return sys_clone(t, ARGS(CLONE_VM | CLONE_VFORK | SIGCHLD));
}

/* Ferry never sets up a restart block (those calls return EINTR), so
 * this is the kernel's do_no_restart_syscall. */
static int64_t x64_restart_syscall(lu_thread *t, const uint64_t a[6])
{
    return -EINTR;
}

/* ---- Waits with x86-64's struct epoll_event, which is the host's ---- */

/* epoll_pwait and epoll_pwait2 (timeout in ms or a timespec, as nr takes
 * it): the events go straight to the guest; the guest's signal mask is
 * installed for the wait only, as sys_poll.c does for the other guests. */
static int64_t epoll_wait_masked(lu_thread *t, long nr, const uint64_t a[6])
{
    if (!a[4])
        return PASS(nr, a[0], a[1], a[2], a[3], NULL, 8);
    if (a[5] != 8)
        return -EINVAL;
    uint64_t mask, host;
    memcpy(&mask, G2H(a[4]), sizeof mask);
    if (!lu_sigmask_wait_begin(t, mask, &host))
        return -EINTR;
    int64_t r = PASS(nr, a[0], a[1], a[2], a[3], &host, 8);
    lu_sigmask_wait_end(t, r);
    return r;
}

static int64_t x64_epoll_pwait(lu_thread *t, const uint64_t a[6])
{
    return epoll_wait_masked(t, SYS_epoll_pwait, a);
}

static int64_t x64_epoll_pwait2(lu_thread *t, const uint64_t a[6])
{
    return epoll_wait_masked(t, SYS_epoll_pwait2, a);
}

/* ---- What the VM gives or not ---- */

/* The FS and GS bases as the guest last left them: the vCPU's, unless
 * Ferry changed them since (they go to the vCPU at the next run). */
static void bases_sync(x64_cpu *c)
{
    uint64_t fs, gs;
    if (c->vcpu && !(c->state & X64_SEG_DIRTY) && kvm_vcpu_get_bases(c->vcpu, &fs, &gs)) {
        c->fs_base = fs;
        c->gs_base = gs;
    }
}

/* (code, addr).  CPUID faulting is not offered: cpuid always works. */
static int64_t x64_arch_prctl(lu_thread *t, const uint64_t a[6])
{
    x64_cpu *c = t->cpu;
    switch ((int)a[0]) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
        if (a[1] >= X64_TASK_SIZE_MAX)
            return -EPERM;
        *((int)a[0] == ARCH_SET_FS ? &c->fs_base : &c->gs_base) = a[1];
        c->state |= X64_SEG_DIRTY;
        return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS: {
        bases_sync(c);
        uint64_t v = (int)a[0] == ARCH_GET_FS ? c->fs_base : c->gs_base;
        memcpy(G2H(a[1]), &v, sizeof v);
        return 0;
    }
    case ARCH_GET_CPUID: return 1;
    case ARCH_SET_CPUID: return -ENODEV;
    default: return -EINVAL;
    }
}
