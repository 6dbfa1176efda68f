/* x86-64's syscall numbering (linux-user/x86_64/syscall.c): every number,
 * the host's own (<sys/syscall.h>: the host is x86-64), lands on a generic
 * row of the same name or on one of x86-64's own rows; the own rows pass
 * the host's struct layouts through (struct stat, epoll_event) and
 * arch_prctl keeps the FS and GS bases in the x64_cpu.  Calls go through
 * the dispatcher on a fake x64_cpu: number in rax, arguments in rdi, rsi,
 * rdx, r10, r8, r9, the result back in rax.
 */
#include <asm/prctl.h>
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/lu.h"
#include "linux-user/x86_64/x64_abi.h"

#define H(p) ((uint64_t)(uintptr_t)(p))

/* The host's names, from its own SYS_ numbers: the oracle for every row. */
static const struct { int nr; const char *name; } host_names[] = {
#define N(name) { SYS_##name, #name },
    N(read) N(write) N(open) N(close) N(stat) N(fstat) N(lstat) N(poll)
    N(lseek) N(mmap) N(mprotect) N(munmap) N(brk) N(rt_sigaction)
    N(rt_sigprocmask) N(rt_sigreturn) N(ioctl) N(pread64) N(pwrite64) N(readv)
    N(writev) N(access) N(pipe) N(select) N(sched_yield) N(mremap) N(msync)
    N(mincore) N(madvise) N(shmget) N(shmat) N(shmctl) N(dup) N(dup2) N(pause)
    N(nanosleep) N(getitimer) N(alarm) N(setitimer) N(getpid) N(sendfile)
    N(socket) N(connect) N(accept) N(sendto) N(recvfrom) N(sendmsg) N(recvmsg)
    N(shutdown) N(bind) N(listen) N(getsockname) N(getpeername) N(socketpair)
    N(setsockopt) N(getsockopt) N(clone) N(fork) N(vfork) N(execve) N(exit)
    N(wait4) N(kill) N(uname) N(semget) N(semop) N(semctl) N(shmdt) N(msgget)
    N(msgsnd) N(msgrcv) N(msgctl) N(fcntl) N(flock) N(fsync) N(fdatasync)
    N(truncate) N(ftruncate) N(getdents) N(getcwd) N(chdir) N(fchdir)
    N(rename) N(mkdir) N(rmdir) N(creat) N(link) N(unlink) N(symlink)
    N(readlink) N(chmod) N(fchmod) N(chown) N(fchown) N(lchown) N(umask)
    N(gettimeofday) N(getrlimit) N(getrusage) N(sysinfo) N(times) N(ptrace)
    N(getuid) N(syslog) N(getgid) N(setuid) N(setgid) N(geteuid) N(getegid)
    N(setpgid) N(getppid) N(getpgrp) N(setsid) N(setreuid) N(setregid)
    N(getgroups) N(setgroups) N(setresuid) N(getresuid) N(setresgid)
    N(getresgid) N(getpgid) N(setfsuid) N(setfsgid) N(getsid) N(capget)
    N(capset) N(rt_sigpending) N(rt_sigtimedwait) N(rt_sigqueueinfo)
    N(rt_sigsuspend) N(sigaltstack) N(utime) N(mknod) N(uselib) N(personality)
    N(ustat) N(statfs) N(fstatfs) N(sysfs) N(getpriority) N(setpriority)
    N(sched_setparam) N(sched_getparam) N(sched_setscheduler)
    N(sched_getscheduler) N(sched_get_priority_max) N(sched_get_priority_min)
    N(sched_rr_get_interval) N(mlock) N(munlock) N(mlockall) N(munlockall)
    N(vhangup) N(modify_ldt) N(pivot_root) N(_sysctl) N(prctl) N(arch_prctl)
    N(adjtimex) N(setrlimit) N(chroot) N(sync) N(acct) N(settimeofday)
    N(mount) N(umount2) N(swapon) N(swapoff) N(reboot) N(sethostname)
    N(setdomainname) N(iopl) N(ioperm) N(create_module) N(init_module)
    N(delete_module) N(get_kernel_syms) N(query_module) N(quotactl)
    N(nfsservctl) N(getpmsg) N(putpmsg) N(afs_syscall) N(tuxcall) N(security)
    N(gettid) N(readahead) N(setxattr) N(lsetxattr) N(fsetxattr) N(getxattr)
    N(lgetxattr) N(fgetxattr) N(listxattr) N(llistxattr) N(flistxattr)
    N(removexattr) N(lremovexattr) N(fremovexattr) N(tkill) N(time) N(futex)
    N(sched_setaffinity) N(sched_getaffinity) N(set_thread_area) N(io_setup)
    N(io_destroy) N(io_getevents) N(io_submit) N(io_cancel) N(get_thread_area)
    N(lookup_dcookie) N(epoll_create) N(epoll_ctl_old) N(epoll_wait_old)
    N(remap_file_pages) N(getdents64) N(set_tid_address) N(restart_syscall)
    N(semtimedop) N(fadvise64) N(timer_create) N(timer_settime)
    N(timer_gettime) N(timer_getoverrun) N(timer_delete) N(clock_settime)
    N(clock_gettime) N(clock_getres) N(clock_nanosleep) N(exit_group)
    N(epoll_wait) N(epoll_ctl) N(tgkill) N(utimes) N(vserver) N(mbind)
    N(set_mempolicy) N(get_mempolicy) N(mq_open) N(mq_unlink) N(mq_timedsend)
    N(mq_timedreceive) N(mq_notify) N(mq_getsetattr) N(kexec_load) N(waitid)
    N(add_key) N(request_key) N(keyctl) N(ioprio_set) N(ioprio_get)
    N(inotify_init) N(inotify_add_watch) N(inotify_rm_watch) N(migrate_pages)
    N(openat) N(mkdirat) N(mknodat) N(fchownat) N(futimesat) N(newfstatat)
    N(unlinkat) N(renameat) N(linkat) N(symlinkat) N(readlinkat) N(fchmodat)
    N(faccessat) N(pselect6) N(ppoll) N(unshare) N(set_robust_list)
    N(get_robust_list) N(splice) N(tee) N(sync_file_range) N(vmsplice)
    N(move_pages) N(utimensat) N(epoll_pwait) N(signalfd) N(timerfd_create)
    N(eventfd) N(fallocate) N(timerfd_settime) N(timerfd_gettime) N(accept4)
    N(signalfd4) N(eventfd2) N(epoll_create1) N(dup3) N(pipe2)
    N(inotify_init1) N(preadv) N(pwritev) N(rt_tgsigqueueinfo)
    N(perf_event_open) N(recvmmsg) N(fanotify_init) N(fanotify_mark)
    N(prlimit64) N(name_to_handle_at) N(open_by_handle_at) N(clock_adjtime)
    N(syncfs) N(sendmmsg) N(setns) N(getcpu) N(process_vm_readv)
    N(process_vm_writev) N(kcmp) N(finit_module) N(sched_setattr)
    N(sched_getattr) N(renameat2) N(seccomp) N(getrandom) N(memfd_create)
    N(kexec_file_load) N(bpf) N(execveat) N(userfaultfd) N(membarrier)
    N(mlock2) N(copy_file_range) N(preadv2) N(pwritev2) N(pkey_mprotect)
    N(pkey_alloc) N(pkey_free) N(statx) N(io_pgetevents) N(rseq)
    N(pidfd_send_signal) N(io_uring_setup) N(io_uring_enter)
    N(io_uring_register) N(open_tree) N(move_mount) N(fsopen) N(fsconfig)
    N(fsmount) N(fspick) N(pidfd_open) N(clone3) N(close_range) N(openat2)
    N(pidfd_getfd) N(faccessat2) N(process_madvise) N(epoll_pwait2)
    N(mount_setattr) N(quotactl_fd) N(landlock_create_ruleset)
    N(landlock_add_rule) N(landlock_restrict_self) N(memfd_secret)
    N(process_mrelease) N(futex_waitv)
#undef N
};

static const char *host_name(uint64_t nr)
{
    for (size_t i = 0; i < sizeof host_names / sizeof host_names[0]; i++)
        if ((uint64_t)host_names[i].nr == nr)
            return host_names[i].name;
    return NULL;
}

static const lu_sysdef *own_row(uint64_t nr)
{
    return nr < X64_NSYS && x64_syscalls[nr].fn ? &x64_syscalls[nr] : NULL;
}

/* The generic row x86-64's call nr is mapped to, or -1. */
static int mapped(uint64_t nr)
{
    return nr < X64_NSYS && x64_sys_map[nr] ? x64_sys_map[nr] - 1 : -1;
}

/* The name of the row serving nr, as the dispatcher's sys_row picks it. */
static const char *row_name(uint64_t nr)
{
    if (own_row(nr))
        return own_row(nr)->name;
    return mapped(nr) >= 0 ? lu_syscall_name((uint64_t)mapped(nr)) : NULL;
}

static lu_proc proc;
static x64_cpu cpu;
static lu_thread thr;

static void setup(void)
{
    lu_proc_init(&proc, &guest_abi_x86_64);
    memset(&cpu, 0, sizeof cpu);
    thr = (lu_thread){ .p = &proc, .cpu = &cpu, .tid = gettid() };
}

static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    cpu.r.rax = nr;
    cpu.r.rdi = a0;
    cpu.r.rsi = a1;
    cpu.r.rdx = a2;
    cpu.r.r10 = a3;
    cpu.r.r8 = cpu.r.r9 = 0;
    lu_syscall(&thr);
    return (int64_t)cpu.r.rax;
}

TestSuite(x64_sys, .init = setup);

Test(x64_sys, sample_calls_land_on_their_generic_rows)
{
    static const struct { int nr; const char *name; int generic; } rows[] = {
        { SYS_read, "read", 63 },           { SYS_write, "write", 64 },
        { SYS_openat, "openat", 56 },       { SYS_mmap, "mmap", 222 },
        { SYS_exit_group, "exit_group", 94 }, { SYS_rt_sigaction, "rt_sigaction", 134 },
        { SYS_rt_sigreturn, "rt_sigreturn", 139 }, { SYS_getrlimit, "getrlimit", 163 },
        { SYS_fadvise64, "fadvise64", 223 }, { SYS_futex, "futex", 98 },
        { SYS_execve, "execve", 221 },      { SYS_clone3, "clone3", 435 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cr_assert_null(own_row(rows[i].nr), "%s has an own row", rows[i].name);
        cr_assert_eq(mapped(rows[i].nr), rows[i].generic, "%s", rows[i].name);
        cr_assert_str_eq(lu_syscall_name(rows[i].generic), rows[i].name);
    }
}

/* No x86-64 call is served by a generic row of another name (the legacy
 * calls rewritten onto their successors have own rows of their name). */
Test(x64_sys, mapped_rows_have_the_calls_name)
{
    for (uint64_t nr = 0; nr < X64_NSYS; nr++) {
        if (mapped(nr) < 0)
            continue;
        const char *g = lu_syscall_name((uint64_t)mapped(nr));
        cr_assert_not_null(g, "x86-64 %llu maps to the empty generic row %d",
                           (unsigned long long)nr, mapped(nr));
        cr_assert_not_null(host_name(nr), "x86-64 %llu is no call", (unsigned long long)nr);
        cr_assert_str_eq(g, host_name(nr), "x86-64 %llu", (unsigned long long)nr);
        cr_assert_null(own_row(nr), "%s: own row and map both", g);
    }
}

Test(x64_sys, own_rows_for_what_generic_rows_convert_or_lack)
{
    static const int own[] = {
        SYS_stat, SYS_fstat, SYS_lstat, SYS_newfstatat, SYS_epoll_ctl, SYS_epoll_wait,
        SYS_epoll_pwait, SYS_epoll_pwait2, SYS_clone, SYS_fork, SYS_vfork, SYS_arch_prctl,
        SYS_open, SYS_creat, SYS_pipe, SYS_dup2, SYS_access, SYS_rename, SYS_readlink,
    };
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        const lu_sysdef *d = own_row(own[i]);
        cr_assert_not_null(d, "no own row for x86-64 %d", own[i]);
        cr_assert_str_eq(d->name, host_name(own[i]));
        cr_assert_eq(mapped(own[i]), -1, "%s is also mapped", d->name);
    }
}

/* Every number: a row of the host's name for it, or none; the counts go
 * to the log. */
Test(x64_sys, whole_table_names)
{
    int n_mapped = 0, n_own = 0, n_none = 0;
    for (uint64_t nr = 0; nr < X64_NSYS; nr++) {
        const char *name = row_name(nr), *host = host_name(nr);
        if (!host) {
            cr_assert_null(name, "row %s at %llu, no x86-64 call", name, (unsigned long long)nr);
            continue;
        }
        if (name)
            cr_assert_str_eq(name, host, "x86-64 %llu", (unsigned long long)nr);
        n_own += own_row(nr) != NULL;
        n_mapped += !own_row(nr) && name;
        n_none += !name;
    }
    cr_log_info("x86-64 calls: %d mapped, %d own rows, %d without", n_mapped, n_own, n_none);
    cr_assert_gt(n_mapped, 220);
}

/* A path kind 'P' on every own row that takes a path, so that -L maps it. */
Test(x64_sys, own_rows_keep_path_kinds)
{
    static const int path_first[] = { SYS_open, SYS_stat, SYS_lstat, SYS_access, SYS_creat,
                                      SYS_mkdir, SYS_rmdir, SYS_unlink, SYS_readlink,
                                      SYS_chmod, SYS_chown, SYS_lchown, SYS_utime,
                                      SYS_utimes, SYS_mknod, SYS_rename, SYS_link };
    for (size_t i = 0; i < sizeof path_first / sizeof path_first[0]; i++)
        cr_assert_eq(own_row(path_first[i])->kinds[0], 'P', "%s",
                     own_row(path_first[i])->name);
    cr_assert_str_eq(own_row(SYS_rename)->kinds, "PP");
    cr_assert_str_eq(own_row(SYS_symlink)->kinds, "sP"); /* the target is text */
    cr_assert_eq(own_row(SYS_newfstatat)->kinds[1], 'P');
}

/* struct stat is the host's: the bytes fstat(2) gives, all 144 of them. */
Test(x64_sys, stat_family_is_the_hosts_struct)
{
    char path[] = "/tmp/test_x64_stat.XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "five!", 5), 5);
    struct stat h, g[2];
    cr_assert_eq(fstat(fd, &h), 0);
    memset(g, 0xaa, sizeof g);
    cr_assert_eq(call(SYS_fstat, (uint64_t)fd, H(&g[0]), 0, 0), 0);
    cr_assert_eq(memcmp(&g[0], &h, sizeof h), 0);
    cr_assert_eq(((uint8_t *)&g[1])[0], 0xaa, "wrote past struct stat");
    memset(g, 0, sizeof g);
    cr_assert_eq(call(SYS_stat, H(path), H(&g[0]), 0, 0), 0);
    cr_assert_eq(g[0].st_ino, h.st_ino);
    cr_assert_eq(g[0].st_size, 5);
    cr_assert_eq(call(SYS_lstat, H(path), H(&g[0]), 0, 0), 0);
    cr_assert_eq(g[0].st_ino, h.st_ino);
    cr_assert_eq(call(SYS_newfstatat, (uint64_t)AT_FDCWD, H(path), H(&g[0]), 0), 0);
    cr_assert_eq(g[0].st_ino, h.st_ino);
    cr_assert_eq(call(SYS_stat, H("/nonexistent"), H(&g[0]), 0, 0), -ENOENT);
    cr_assert_eq(call(SYS_fstat, 9999, H(&g[0]), 0, 0), -EBADF);
    close(fd);
    unlink(path);
}

/* -strace shows x86-64's struct stat (kind '#'), not the asm-generic one. */
Test(x64_sys, strace_shows_the_hosts_stat, .init = cr_redirect_stderr)
{
    setup();
    char path[] = "/tmp/test_x64_strace.XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "12345678901", 11), 11);
    fchmod(fd, 0640);
    struct stat g;
    proc.opt.strace = true;
    cr_assert_eq(call(SYS_fstat, (uint64_t)fd, H(&g), 0, 0), 0);
    fflush(stderr);
    unlink(path);
    char buf[256] = "";
    FILE *f = cr_get_redirected_stderr();
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    char want[128];
    snprintf(want, sizeof want, "fstat(%d, {st_mode=S_IFREG|0640, st_size=11, ...})", fd);
    cr_assert(strstr(buf, want), "strace said: %s", buf);
}

/* x86-64's packed 12-byte struct epoll_event goes through unconverted. */
Test(x64_sys, epoll_events_are_the_hosts)
{
    int ep = (int)call(SYS_epoll_create, 1, 0, 0, 0);
    cr_assert(ep >= 0);
    cr_assert_eq(call(SYS_epoll_create, 0, 0, 0, 0), -EINVAL);
    int fds[2];
    cr_assert_eq(call(SYS_pipe, H(fds), 0, 0, 0), 0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ull };
    _Static_assert(sizeof ev == 12, "x86-64's epoll_event is packed");
    cr_assert_eq(call(SYS_epoll_ctl, (uint64_t)ep, EPOLL_CTL_ADD, (uint64_t)fds[0], H(&ev)), 0);
    cr_assert_eq(write(fds[1], "x", 1), 1);
    struct epoll_event out[3];
    memset(out, 0xcc, sizeof out);
    cr_assert_eq(call(SYS_epoll_wait, (uint64_t)ep, H(out), 3, 0), 1);
    cr_assert_eq(out[0].events, EPOLLIN);
    cr_assert_eq(out[0].data.u64, 0x1122334455667788ull);
    cr_assert_eq(((uint8_t *)&out[1])[0], 0xcc);
    memset(out, 0, sizeof out);
    cpu.r.r8 = 0; /* no sigmask */
    cr_assert_eq(call(SYS_epoll_pwait, (uint64_t)ep, H(out), 3, 0), 1);
    cr_assert_eq(out[0].data.u64, 0x1122334455667788ull);
    uint64_t mask = 0;
    memset(out, 0, sizeof out);
    cpu.r.rax = SYS_epoll_pwait;
    cpu.r.rdi = (uint64_t)ep, cpu.r.rsi = H(out), cpu.r.rdx = 3, cpu.r.r10 = 0;
    cpu.r.r8 = H(&mask), cpu.r.r9 = 8;
    lu_syscall(&thr);
    cr_assert_eq((int64_t)cpu.r.rax, 1);
    cr_assert_eq(out[0].data.u64, 0x1122334455667788ull);
    cpu.r.rax = SYS_epoll_pwait, cpu.r.rdi = (uint64_t)ep, cpu.r.r9 = 16;
    lu_syscall(&thr);
    cr_assert_eq((int64_t)cpu.r.rax, -EINVAL);
    close(ep), close(fds[0]), close(fds[1]);
}

/* The legacy calls do what their successors do. */
Test(x64_sys, legacy_path_calls)
{
    char dir[] = "/tmp/test_x64_dir.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char a[PATH_MAX], b[PATH_MAX], sub[PATH_MAX], lnk[PATH_MAX];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(lnk, sizeof lnk, "%s/lnk", dir);
    int fd = (int)call(SYS_creat, H(a), 0600, 0, 0);
    cr_assert(fd >= 0);
    cr_assert_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
    close(fd);
    fd = (int)call(SYS_open, H(a), O_RDONLY, 0, 0);
    cr_assert(fd >= 0);
    cr_assert_eq(call(SYS_dup2, (uint64_t)fd, (uint64_t)fd, 0, 0), fd);
    cr_assert_eq(call(SYS_dup2, 9999, 9999, 0, 0), -EBADF);
    cr_assert_eq(call(SYS_dup2, (uint64_t)fd, 200, 0, 0), 200);
    close(200), close(fd);
    cr_assert_eq(call(SYS_access, H(a), R_OK, 0, 0), 0);
    cr_assert_eq(call(SYS_rename, H(a), H(b), 0, 0), 0);
    cr_assert_eq(call(SYS_access, H(a), F_OK, 0, 0), -ENOENT);
    cr_assert_eq(call(SYS_link, H(b), H(a), 0, 0), 0);
    cr_assert_eq(call(SYS_symlink, H("b"), H(lnk), 0, 0), 0);
    char buf[16] = "";
    cr_assert_eq(call(SYS_readlink, H(lnk), H(buf), sizeof buf, 0), 1);
    cr_assert_eq(buf[0], 'b');
    cr_assert_eq(call(SYS_chmod, H(b), 0640, 0, 0), 0);
    struct stat st;
    cr_assert_eq(stat(a, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0640);
    cr_assert_eq(call(SYS_utime, H(a), 0, 0, 0), 0);
    int64_t tv[4] = { 1000000000, 5, 1000000001, 999999 };
    cr_assert_eq(call(SYS_utimes, H(a), H(tv), 0, 0), 0);
    cr_assert_eq(stat(a, &st), 0);
    cr_assert_eq(st.st_mtim.tv_sec, 1000000001);
    cr_assert_eq(st.st_mtim.tv_nsec, 999999000);
    tv[1] = 1000000;
    cr_assert_eq(call(SYS_utimes, H(a), H(tv), 0, 0), -EINVAL);
    int64_t ub[2] = { 7, 8 };
    cr_assert_eq(call(SYS_utime, H(a), H(ub), 0, 0), 0);
    cr_assert_eq(stat(a, &st), 0);
    cr_assert_eq(st.st_atim.tv_sec, 7);
    cr_assert_eq(st.st_mtim.tv_sec, 8);
    cr_assert_eq(call(SYS_mkdir, H(sub), 0700, 0, 0), 0);
    cr_assert_eq(call(SYS_rmdir, H(sub), 0, 0, 0), 0);
    cr_assert_eq(call(SYS_unlink, H(lnk), 0, 0, 0), 0);
    cr_assert_eq(call(SYS_unlink, H(a), 0, 0, 0), 0);
    cr_assert_eq(call(SYS_unlink, H(b), 0, 0, 0), 0);
    cr_assert_eq(call(SYS_rmdir, H(dir), 0, 0, 0), 0);
}

/* Under -L an absolute path names the sysroot's file: the own rows keep
 * their 'P' kinds, so the dispatcher maps them before the rewrite. */
Test(x64_sys, legacy_calls_see_the_sysroot)
{
    char root[] = "/tmp/test_x64_root.XXXXXX", file[PATH_MAX];
    cr_assert_not_null(mkdtemp(root));
    snprintf(file, sizeof file, "%s/etc", root);
    mkdir(file, 0755);
    snprintf(file, sizeof file, "%s/etc/x64_only_here", root);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fputs("abc", f);
    fclose(f);
    proc.sysroot = root;
    struct stat st;
    cr_assert_eq(call(SYS_stat, H("/etc/x64_only_here"), H(&st), 0, 0), 0);
    cr_assert_eq(st.st_size, 3);
    int fd = (int)call(SYS_open, H("/etc/x64_only_here"), O_RDONLY, 0, 0);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(call(SYS_unlink, H("/etc/x64_only_here"), 0, 0, 0), 0);
    cr_assert_eq(access(file, F_OK), -1);
    snprintf(file, sizeof file, "%s/etc", root);
    rmdir(file);
    rmdir(root);
}

/* x86-64's struct sigaction: handler, flags, restorer, mask (as aarch64). */
Test(x64_sys, rt_sigaction_has_a_restorer)
{
    uint64_t act[4] = { 0x12340, 0x04000004 /* SA_RESTORER|SA_SIGINFO */, 0x56780,
                        1ull << (SIGINT - 1) };
    uint64_t old[4] = { 9, 9, 9, 9 };
    cr_assert_eq(call(SYS_rt_sigaction, SIGUSR2, H(act), H(old), 8), 0);
    cr_assert_eq(call(SYS_rt_sigaction, SIGUSR2, 0, H(old), 8), 0);
    cr_assert_eq(memcmp(old, act, sizeof act), 0);
}

Test(x64_sys, getpgrp_pipe_time)
{
    cr_assert_eq(call(SYS_getpgrp, 0, 0, 0, 0), getpgrp());
    int64_t t = 0, r = call(SYS_time, H(&t), 0, 0, 0);
    cr_assert_eq(r, t);
    cr_assert(r >= time(NULL) - 1 && r <= time(NULL));
    cr_assert_eq(call(SYS_restart_syscall, 0, 0, 0, 0), -EINTR);
    cr_assert_eq(call(SYS_uselib, H("/lib/x"), 0, 0, 0), -ENOSYS);
    cr_assert_eq(call(SYS_shmget, 0, 4096, 0, 0), -ENOSYS); /* unmapped */
}

Test(x64_sys, arch_prctl_fs_gs_round_trip)
{
    uint64_t v = 0;
    cr_assert_eq(call(SYS_arch_prctl, ARCH_SET_FS, 0x7f0012345000ull, 0, 0), 0);
    cr_assert_eq(cpu.fs_base, 0x7f0012345000ull);
    cr_assert(cpu.state & X64_SEG_DIRTY);
    cr_assert_eq(call(SYS_arch_prctl, ARCH_GET_FS, H(&v), 0, 0), 0);
    cr_assert_eq(v, 0x7f0012345000ull);
    cr_assert_eq(call(SYS_arch_prctl, ARCH_SET_GS, 0x1000, 0, 0), 0);
    cr_assert_eq(call(SYS_arch_prctl, ARCH_GET_GS, H(&v), 0, 0), 0);
    cr_assert_eq(v, 0x1000);
    cr_assert_eq(cpu.fs_base, 0x7f0012345000ull, "GS moved FS");
}

/* The kernel's rules: no base at or above TASK_SIZE_MAX (EPERM), cpuid
 * faulting is not offered. */
Test(x64_sys, arch_prctl_refusals)
{
    cpu.fs_base = 0x5000;
    cr_assert_eq(call(SYS_arch_prctl, ARCH_SET_FS, 1ull << 47, 0, 0), -EPERM);
    cr_assert_eq(call(SYS_arch_prctl, ARCH_SET_FS, (1ull << 47) - 4096, 0, 0), -EPERM);
    cr_assert_eq(call(SYS_arch_prctl, ARCH_SET_GS, ~0ull, 0, 0), -EPERM);
    cr_assert_eq(cpu.fs_base, 0x5000);
    cr_assert_eq(call(SYS_arch_prctl, ARCH_SET_FS, (1ull << 47) - 4097, 0, 0), 0);
    cr_assert_eq(call(SYS_arch_prctl, ARCH_GET_CPUID, 0, 0, 0), 1);
    cr_assert_eq(call(SYS_arch_prctl, ARCH_SET_CPUID, 0, 0, 0), -ENODEV);
    cr_assert_eq(call(SYS_arch_prctl, 0x9999, 0, 0, 0), -EINVAL);
}

/* No I/O ports, no LDT: as a kernel built without them answers. */
Test(x64_sys, no_io_ports_no_ldt)
{
    cr_assert_eq(call(SYS_iopl, 0, 0, 0, 0), -ENOSYS);
    cr_assert_eq(call(SYS_iopl, 3, 0, 0, 0), -ENOSYS);
    cr_assert_eq(call(SYS_ioperm, 0x60, 1, 1, 0), -ENOSYS);
    cr_assert_eq(call(SYS_modify_ldt, 0, 0, 0, 0), -ENOSYS);
    cr_assert_str_eq(own_row(SYS_iopl)->name, "iopl"); /* -strace names it */
}
