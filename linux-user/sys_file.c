/* File and fd syscalls.  Most pass straight to the host kernel: iovec,
 * flock, dirent64, statx, termios and winsize have the same layout for
 * the guests and x86-64.  O_* flags go through the guest's table
 * (guest_abi.open_flags: aarch64's O_DIRECTORY family differs) wherever
 * they cross: openat, fcntl F_GETFL/F_SETFL, pipe2.  struct stat differs
 * and is converted here.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "linux-user/lu.h"

#define PASS(nr, ...) lu_ret(syscall(nr, __VA_ARGS__))

int64_t sys_read(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_read, a[0], a[1], a[2]); }
int64_t sys_write(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_write, a[0], a[1], a[2]); }
int64_t sys_readv(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_readv, a[0], a[1], a[2]); }
int64_t sys_writev(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_writev, a[0], a[1], a[2]); }
int64_t sys_pread64(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_pread64, a[0], a[1], a[2], a[3]); }
int64_t sys_pwrite64(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_pwrite64, a[0], a[1], a[2], a[3]); }
int64_t sys_lseek(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_lseek, a[0], a[1], a[2]); }
int64_t sys_faccessat2(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_faccessat2, a[0], a[1], a[2], a[3]); }

static uint64_t oflags_to_host(const lu_thread *t, uint64_t guest)
{
    const guest_abi *abi = t->p->abi;
    return lu_bits_to_host(abi->open_flags, abi->open_flags_len, guest);
}

static uint64_t oflags_to_guest(const lu_thread *t, uint64_t host)
{
    const guest_abi *abi = t->p->abi;
    return lu_bits_to_guest(abi->open_flags, abi->open_flags_len, host);
}

/* Some /proc files describe the guest (procfs.c); the rest is the host's. */
int64_t sys_openat(lu_thread *t, const uint64_t a[6])
{
    int64_t r;
    uint64_t flags = oflags_to_host(t, a[2]);
    if (lu_proc_open(t, G2H(a[1]), (int)flags, &r))
        return r;
    return PASS(SYS_openat, a[0], a[1], flags, a[3]);
}
int64_t sys_close(lu_thread *t, const uint64_t a[6])
{
    return lu_runner_fd(t->p, a[0]) ? -EBADF : PASS(SYS_close, a[0]);
}
int64_t sys_dup(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_dup, a[0]); }
int64_t sys_dup3(lu_thread *t, const uint64_t a[6])
{
    return lu_runner_fd(t->p, a[0]) || lu_runner_fd(t->p, a[1]) ? -EBADF : PASS(SYS_dup3, a[0], a[1], a[2]);
}
/* pipe2 takes O_DIRECT (packet mode) besides O_CLOEXEC and O_NONBLOCK. */
int64_t sys_pipe2(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_pipe2, a[0], oflags_to_host(t, a[1])); }

/* The generic F_* numbers are x86-64's; F_GETFL/F_SETFL carry O_* flags. */
int64_t sys_fcntl(lu_thread *t, const uint64_t a[6])
{
    switch ((int)a[1]) {
    case F_SETFL: return PASS(SYS_fcntl, a[0], a[1], oflags_to_host(t, a[2]));
    case F_GETFL: {
        int64_t r = PASS(SYS_fcntl, a[0], a[1], a[2]);
        return r < 0 ? r : (int64_t)oflags_to_guest(t, (uint64_t)r);
    }
    default: return PASS(SYS_fcntl, a[0], a[1], a[2]);
    }
}
int64_t sys_getcwd(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_getcwd, a[0], a[1]); }
int64_t sys_chdir(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_chdir, a[0]); }
int64_t sys_faccessat(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_faccessat, a[0], a[1], a[2]); }
int64_t sys_unlinkat(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_unlinkat, a[0], a[1], a[2]); }
int64_t sys_mkdirat(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_mkdirat, a[0], a[1], a[2]); }
/* The target is the link's text, kept as the guest wrote it (kind s). */
int64_t sys_symlinkat(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_symlinkat, a[0], a[1], a[2]); }
int64_t sys_getdents64(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_getdents64, a[0], a[1], a[2]); }
int64_t sys_statx(lu_thread *t, const uint64_t a[6]) { return PASS(SYS_statx, a[0], a[1], a[2], a[3], a[4]); }

/* ioctl request numbers of terminals (0x54xx: asm-generic's, which x86-64
 * uses too, with the same termios, winsize and int arguments) and sockets
 * (0x89xx, same ifreq/ifconf) pass through, as do the few generic file
 * ones below; anything else is refused until someone needs it. */
int64_t sys_ioctl(lu_thread *t, const uint64_t a[6])
{
    static const uint32_t allowed[] = {
        0x80086601, /* FS_IOC_GETFLAGS */
        0x40086602, /* FS_IOC_SETFLAGS */
        0x40049409, /* FICLONE */
    };
    uint32_t req = (uint32_t)a[1];
    bool pass = (req & 0xff00) == 0x5400 && req <= 0x54ff;
    pass = pass || (req >= 0x8900 && req <= 0x89ff);
    for (size_t i = 0; !pass && i < sizeof allowed / sizeof allowed[0]; i++)
        pass = req == allowed[i];
    if (!pass)
        return -ENOTTY;
    return PASS(SYS_ioctl, a[0], req, a[2]);
}

/* The range less the runner's own fds (a child about to exec closes
 * everything): the pieces between them, each as the guest asked. */
int64_t sys_close_range(lu_thread *t, const uint64_t a[6])
{
    uint64_t lo = a[0], hi = a[1];
    if (lo > hi || !t->p->run->fd_next)
        return PASS(SYS_close_range, a[0], a[1], a[2]);
    for (;;) {
        int own = lo < INT_MAX ? t->p->run->fd_next((int)lo) : -1;
        if (own < 0 || (uint64_t)own > hi)
            return PASS(SYS_close_range, lo, hi, a[2]);
        if ((uint64_t)own > lo) {
            int64_t r = PASS(SYS_close_range, lo, (uint64_t)own - 1, a[2]);
            if (r < 0)
                return r;
        }
        if ((uint64_t)own == hi)
            return 0;
        lo = (uint64_t)own + 1;
    }
}

/* struct open_how { u64 flags, mode, resolve }: flags as openat's. */
int64_t sys_openat2(lu_thread *t, const uint64_t a[6])
{
    uint64_t how[3] = { 0, 0, 0 };
    if (a[3] < 24)
        return -EINVAL;
    memcpy(how, G2H(a[2]), sizeof how);
    for (uint64_t i = 24; i < a[3]; i++) /* newer fields must be 0 */
        if (((const uint8_t *)G2H(a[2]))[i])
            return -E2BIG;
    how[0] = oflags_to_host(t, how[0]);
    int64_t r;
    if (lu_proc_open(t, G2H(a[1]), (int)how[0], &r))
        return r;
    return PASS(SYS_openat2, a[0], a[1], how, sizeof how);
}

/* The asm-generic struct stat of riscv64 and aarch64 (128 bytes). */
typedef struct lu_gstat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
    int32_t blksize, pad2;
    int64_t blocks;
    int64_t atime;
    uint64_t atime_nsec;
    int64_t mtime;
    uint64_t mtime_nsec;
    int64_t ctime;
    uint64_t ctime_nsec;
    uint32_t unused4, unused5;
} lu_gstat;

_Static_assert(sizeof(lu_gstat) == 128, "asm-generic struct stat is 128 bytes");
_Static_assert(offsetof(lu_gstat, size) == 48, "st_size at 48");
_Static_assert(offsetof(lu_gstat, atime) == 72, "st_atime at 72");

static void stat_to_guest(const struct stat *h, uint64_t gaddr)
{
    lu_gstat g = {
        .dev = h->st_dev, .ino = h->st_ino,
        .mode = h->st_mode, .nlink = (uint32_t)h->st_nlink,
        .uid = h->st_uid, .gid = h->st_gid,
        .rdev = h->st_rdev, .size = h->st_size,
        .blksize = (int32_t)h->st_blksize, .blocks = h->st_blocks,
        .atime = h->st_atim.tv_sec, .atime_nsec = (uint64_t)h->st_atim.tv_nsec,
        .mtime = h->st_mtim.tv_sec, .mtime_nsec = (uint64_t)h->st_mtim.tv_nsec,
        .ctime = h->st_ctim.tv_sec, .ctime_nsec = (uint64_t)h->st_ctim.tv_nsec,
    };
    memcpy(G2H(gaddr), &g, sizeof g);
}

int64_t sys_fstat(lu_thread *t, const uint64_t a[6])
{
    struct stat h;
    int64_t r = PASS(SYS_fstat, a[0], &h);
    if (r == 0)
        stat_to_guest(&h, a[1]);
    return r;
}

int64_t sys_newfstatat(lu_thread *t, const uint64_t a[6])
{
    struct stat h;
    int64_t r = PASS(SYS_newfstatat, a[0], a[1], &h, a[3]);
    if (r == 0)
        stat_to_guest(&h, a[2]);
    return r;
}

/* /proc/self/exe must name the guest program, not Ferry, as the guest
 * names it (inside the sysroot: without its prefix, as /proc/self/maps). */
int64_t sys_readlinkat(lu_thread *t, const uint64_t a[6])
{
    const char *path = G2H(a[1]);
    if (path && t->p->exe_path && lu_proc_self(path, "exe")) {
        if ((int64_t)a[3] <= 0)
            return -EINVAL;
        const char *exe = lu_guest_name(t->p->sysroot, t->p->exe_path);
        size_t n = strlen(exe);
        if (n > a[3])
            n = a[3];
        memcpy(G2H(a[2]), exe, n);
        return (int64_t)n;
    }
    return PASS(SYS_readlinkat, a[0], a[1], a[2], a[3]);
}
