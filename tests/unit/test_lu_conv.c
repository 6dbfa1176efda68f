/* The syscalls real programs of a Debian tree need (tests/distro/): the
 * ones that convert between the guests' structs and x86-64's (epoll_event,
 * open_how, signal masks of waits), the ones answered by Ferry (prctl,
 * personality, ioctl filter, robust list), the pass-through rows, and the
 * sysroot directories that stay the host's.  Checked against the host
 * kernel's own answers and the documented layouts.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "frontend/aarch64/a64_cpu.h"
#include "frontend/riscv64/rv_cpu.h"
#include "linux-user/lu.h"

static lu_proc proc;
static rv_cpu rcpu;
static a64_cpu acpu;
static lu_thread thr;

static void setup_abi(const guest_abi *abi, void *cpu)
{
    lu_proc_init(&proc, abi);
    thr = (lu_thread){ .p = &proc, .cpu = cpu, .tid = gettid() };
}

static void setup(void) { setup_abi(&guest_abi_riscv64, &rcpu); }

#define H(p) ((uint64_t)(uintptr_t)(p))

static int64_t sys(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                   uint64_t a4, uint64_t a5)
{
    const uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };
    return lu_syscall_nr(&thr, nr, a);
}

enum {
    NR_EPOLL_CREATE1 = 20, NR_EPOLL_CTL = 21, NR_EPOLL_PWAIT = 22, NR_IOCTL = 29,
    NR_STATFS = 43, NR_FSTATFS = 44, NR_PIPE2 = 59, NR_WRITE = 64, NR_PSELECT6 = 72,
    NR_PPOLL = 73, NR_PERSONALITY = 92, NR_GET_ROBUST = 100, NR_SET_ROBUST = 99,
    NR_PRCTL = 167, NR_SOCKETPAIR = 199, NR_SENDMSG = 211, NR_RECVMSG = 212,
    NR_OPENAT2 = 437, NR_EPOLL_PWAIT2 = 441,
};

TestSuite(lu_conv, .init = setup);

Test(lu_conv, rows_have_the_generic_numbers)
{
    static const struct { uint64_t nr; const char *name; } rows[] = {
        { 19, "eventfd2" }, { 22, "epoll_pwait" }, { 43, "statfs" }, { 72, "pselect6" },
        { 73, "ppoll" }, { 85, "timerfd_create" }, { 167, "prctl" }, { 198, "socket" },
        { 211, "sendmsg" }, { 212, "recvmsg" }, { 242, "accept4" }, { 276, "renameat2" },
        { 436, "close_range" }, { 437, "openat2" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        cr_assert_str_eq(lu_syscall_name(rows[i].nr), rows[i].name, "row %llu",
                         (unsigned long long)rows[i].nr);
    cr_assert_null(lu_syscall_name(277)); /* seccomp: never passed to the host */
}

/* The guest's epoll_event: events at 0, data at 8 (16 bytes); x86-64's is
 * packed (data at 4). */
typedef struct {
    uint32_t events, pad;
    uint64_t data;
} gev;

Test(lu_conv, epoll_events_convert_both_ways)
{
    int p[2];
    int64_t ep = sys(NR_EPOLL_CREATE1, 0, 0, 0, 0, 0, 0);
    cr_assert_geq(ep, 0);
    cr_assert_eq(sys(NR_PIPE2, H(p), 0, 0, 0, 0, 0), 0);
    gev in = { .events = EPOLLIN, .pad = 0xdead, .data = 0x1122334455667788ull };
    cr_assert_eq(sys(NR_EPOLL_CTL, ep, EPOLL_CTL_ADD, p[0], H(&in), 0, 0), 0);
    cr_assert_eq(write(p[1], "x", 1), 1);
    gev out[4];
    memset(out, 0xff, sizeof out);
    cr_assert_eq(sys(NR_EPOLL_PWAIT, ep, H(out), 4, 1000, 0, 8), 1);
    cr_assert_eq(out[0].events, EPOLLIN);
    cr_assert_eq(out[0].data, 0x1122334455667788ull);
    cr_assert_eq(out[1].events, 0xffffffffu, "only one event written");
    /* epoll_pwait2: a timespec timeout */
    struct timespec ts = { 0, 0 };
    memset(out, 0, sizeof out);
    cr_assert_eq(sys(NR_EPOLL_PWAIT2, ep, H(out), 4, H(&ts), 0, 8), 1);
    cr_assert_eq(out[0].data, 0x1122334455667788ull);
    cr_assert_eq(sys(NR_EPOLL_PWAIT, ep, H(out), 0, 0, 0, 8), -EINVAL);
}

Test(lu_conv, epoll_wait_with_a_mask_restores_the_old_one)
{
    int64_t ep = sys(NR_EPOLL_CREATE1, 0, 0, 0, 0, 0, 0);
    uint64_t mask = 1ull << (SIGUSR1 - 1);
    gev out;
    thr.sigmask = 1ull << (SIGHUP - 1);
    cr_assert_eq(sys(NR_EPOLL_PWAIT, ep, H(&out), 1, 0, H(&mask), 8), 0);
    cr_assert_eq(thr.sigmask, 1ull << (SIGHUP - 1));
    cr_assert_not(thr.sig_restore_mask);
    cr_assert_eq(sys(NR_EPOLL_PWAIT, ep, H(&out), 1, 0, H(&mask), 4), -EINVAL);
}

Test(lu_conv, sigmask_wait_keeps_the_mask_for_a_handler)
{
    uint64_t host, usr = (1ull << (SIGUSR1 - 1)) | (1ull << (SIGUSR2 - 1));
    thr.sigmask = 0x5;
    cr_assert(lu_sigmask_wait_begin(&thr, usr | (1ull << (SIGKILL - 1)), &host));
    cr_assert_eq(thr.sigmask, usr, "SIGKILL cannot be blocked");
    cr_assert_eq(host & usr, usr, "the host waits with them blocked");
    lu_sigmask_wait_end(&thr, -EINTR); /* a handler runs next: kept */
    cr_assert_eq(thr.sigmask, usr);
    cr_assert(thr.sig_restore_mask);
    cr_assert_eq(thr.sig_saved_mask, 0x5);
    thr.sig_restore_mask = false;
    thr.sigmask = 0x5;
    /* one recorded and unblocked by the new mask: no wait */
    thr.sig_pending = 1ull << (SIGUSR1 - 1);
    cr_assert_not(lu_sigmask_wait_begin(&thr, 0, &host));
    thr.sig_pending = 0;
}

Test(lu_conv, ppoll_and_pselect6_with_masks)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(write(p[1], "x", 1), 1);
    struct pollfd fds[1] = { { .fd = p[0], .events = POLLIN } };
    struct timespec ts = { 1, 0 };
    uint64_t mask = 1ull << (SIGUSR2 - 1);
    thr.sigmask = 0;
    cr_assert_eq(sys(NR_PPOLL, H(fds), 1, H(&ts), H(&mask), 8, 0), 1);
    cr_assert_eq(fds[0].revents, POLLIN);
    cr_assert_eq(thr.sigmask, 0);
    cr_assert_eq(sys(NR_PPOLL, H(fds), 1, H(&ts), H(&mask), 16, 0), -EINVAL);
    cr_assert_eq(sys(NR_PPOLL, H(fds), 1, H(&ts), 0, 0, 0), 1);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    uint64_t sm[2] = { H(&mask), 8 };
    cr_assert_eq(sys(NR_PSELECT6, p[0] + 1, H(&rd), 0, 0, H(&ts), H(sm)), 1);
    cr_assert(FD_ISSET(p[0], &rd));
    sm[1] = 7;
    cr_assert_eq(sys(NR_PSELECT6, p[0] + 1, H(&rd), 0, 0, H(&ts), H(sm)), -EINVAL);
}

Test(lu_conv, statfs_is_the_hosts)
{
    struct statfs g, h;
    cr_assert_eq(statfs("/", &h), 0);
    cr_assert_eq(sys(NR_STATFS, H("/"), H(&g), 0, 0, 0, 0), 0);
    cr_assert_eq(g.f_type, h.f_type);
    cr_assert_eq(g.f_bsize, h.f_bsize);
    cr_assert_eq(g.f_namelen, h.f_namelen);
    int fd = open("/", O_RDONLY);
    cr_assert_eq(sys(NR_FSTATFS, fd, H(&g), 0, 0, 0, 0), 0);
    cr_assert_eq(g.f_type, h.f_type);
}

Test(lu_conv, prctl_answers_and_refuses)
{
    char name[16] = "";
    cr_assert_eq(sys(NR_PRCTL, 15 /* PR_SET_NAME */, H("ferry-test"), 0, 0, 0, 0), 0);
    cr_assert_eq(sys(NR_PRCTL, 16 /* PR_GET_NAME */, H(name), 0, 0, 0, 0), 0);
    cr_assert_str_eq(name, "ferry-test");
    uint64_t addr = 0;
    thr.clear_child_tid = 0x1234;
    cr_assert_eq(sys(NR_PRCTL, 40 /* PR_GET_TID_ADDRESS */, H(&addr), 0, 0, 0, 0), 0);
    cr_assert_eq(addr, 0x1234);
    cr_assert_eq(sys(NR_PRCTL, 22 /* PR_SET_SECCOMP */, 2, 0, 0, 0, 0), -EINVAL);
    cr_assert_eq(sys(NR_PRCTL, 51 /* PR_SVE_GET_VL */, 0, 0, 0, 0, 0), -EINVAL);
    cr_assert_eq(sys(NR_PRCTL, 35 /* PR_SET_MM */, 1, 0, 0, 0, 0), -EINVAL);
}

Test(lu_conv, personality_only_per_linux)
{
    cr_assert_geq(sys(NR_PERSONALITY, 0xffffffffu, 0, 0, 0, 0, 0), 0);
    cr_assert_eq(sys(NR_PERSONALITY, 0x0008 /* PER_LINUX32 */, 0, 0, 0, 0, 0), -EINVAL);
}

Test(lu_conv, ioctl_filter)
{
    int p[2], n = -1;
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(write(p[1], "abc", 3), 3);
    cr_assert_eq(sys(NR_IOCTL, p[0], 0x541B /* FIONREAD */, H(&n), 0, 0, 0), 0);
    cr_assert_eq(n, 3);
    cr_assert_eq(sys(NR_IOCTL, p[0], 0x5401 /* TCGETS */, H(&n), 0, 0, 0), -ENOTTY);
    cr_assert_eq(sys(NR_IOCTL, p[0], 0xc0ffee00, 0, 0, 0, 0), -ENOTTY);
}

Test(lu_conv, robust_list_is_the_threads)
{
    uint64_t head = 0, len = 0;
    cr_assert_eq(sys(NR_SET_ROBUST, 0x5000, 24, 0, 0, 0, 0), 0);
    cr_assert_eq(sys(NR_GET_ROBUST, 0, H(&head), H(&len), 0, 0, 0), 0);
    cr_assert_eq(head, 0x5000);
    cr_assert_eq(len, 24);
}

Test(lu_conv, sendmsg_passes_fds)
{
    int sv[2], p[2];
    cr_assert_eq(sys(NR_SOCKETPAIR, AF_UNIX, SOCK_STREAM, 0, H(sv), 0, 0), 0);
    cr_assert_eq(pipe(p), 0);
    char byte = 'q', cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { &byte, 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                        .msg_controllen = sizeof cbuf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p[1], sizeof(int));
    cr_assert_eq(sys(NR_SENDMSG, sv[0], H(&m), 0, 0, 0, 0), 1);
    char got = 0;
    struct iovec riov = { &got, 1 };
    char rbuf[CMSG_SPACE(sizeof(int))];
    struct msghdr r = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rbuf,
                        .msg_controllen = sizeof rbuf };
    cr_assert_eq(sys(NR_RECVMSG, sv[1], H(&r), 0, 0, 0, 0), 1);
    cr_assert_eq(got, 'q');
    int fd;
    memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&r)), sizeof fd);
    cr_assert_eq(write(fd, "z", 1), 1, "the passed fd is the pipe's write end");
    cr_assert_eq(read(p[0], &got, 1), 1);
    cr_assert_eq(got, 'z');
}

/* aarch64's O_DIRECTORY is 040000 (x86-64's O_DIRECT): open_how's flags
 * go through the guest's table as openat's do. */
Test(lu_conv, openat2_converts_arm64_open_flags)
{
    setup_abi(&guest_abi_aarch64, &acpu);
    uint64_t how[3] = { 040000 /* arm64 O_DIRECTORY */, 0, 0 };
    int64_t fd = sys(NR_OPENAT2, (uint64_t)AT_FDCWD, H("/"), H(how), 24, 0, 0);
    cr_assert_geq(fd, 0);
    close((int)fd);
    cr_assert_eq(sys(NR_OPENAT2, (uint64_t)AT_FDCWD, H("/etc/passwd"), H(how), 24, 0, 0),
                 -ENOTDIR);
    uint64_t big[4] = { 0, 0, 0, 1 };
    cr_assert_eq(sys(NR_OPENAT2, (uint64_t)AT_FDCWD, H("/"), H(big), 32, 0, 0), -E2BIG);
    cr_assert_eq(sys(NR_OPENAT2, (uint64_t)AT_FDCWD, H("/"), H(how), 16, 0, 0), -EINVAL);
}

/* Under -L, /tmp and /proc stay the host's even where the tree has them. */
Test(lu_conv, host_directories_are_not_mapped)
{
    char root[] = "/tmp/ferry-lu-conv.XXXXXX", dir[PATH_MAX], buf[PATH_MAX];
    cr_assert_not_null(mkdtemp(root));
    const char *sub[] = { "tmp", "proc", "etc" };
    for (int i = 0; i < 3; i++) {
        snprintf(dir, sizeof dir, "%s/%s", root, sub[i]);
        cr_assert_eq(mkdir(dir, 0755), 0);
    }
    snprintf(dir, sizeof dir, "%s/etc/x", root);
    cr_assert_eq(mkdir(dir, 0755), 0);
    cr_assert_str_eq(lu_path_map(root, "/tmp", buf, sizeof buf), "/tmp");
    cr_assert_str_eq(lu_path_map(root, "/proc/self/exe", buf, sizeof buf), "/proc/self/exe");
    cr_assert_str_eq(lu_path_map(root, "/etc/x", buf, sizeof buf), dir);
    cr_assert_str_eq(lu_path_map(root, "/tmpfoo", buf, sizeof buf), "/tmpfoo");
    rmdir(dir);
    for (int i = 0; i < 3; i++) {
        snprintf(dir, sizeof dir, "%s/%s", root, sub[i]);
        rmdir(dir);
    }
    rmdir(root);
}
