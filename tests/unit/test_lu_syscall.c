/* Syscall dispatch through a fake riscv64 CPU state: the number in a7,
 * arguments in a0..a5, the result back in a0.  Checked against the host
 * kernel's own answers (stat of the same file, uname) and the kernel's
 * documented semantics (brk, rt_sigaction, mmap over Ferry).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "frontend/riscv64/rv_cpu.h"
#include "linux-user/lu.h"

static lu_proc proc;
static rv_cpu cpu;
static lu_thread thr;

static void setup(void)
{
    lu_proc_init(&proc, &guest_abi_riscv64);
    memset(&cpu, 0, sizeof cpu);
    thr = (lu_thread){ .p = &proc, .cpu = &cpu, .tid = gettid() };
}

/* Run syscall nr with up to six arguments the way the cpu loop does. */
static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    cpu.x[17] = nr;
    cpu.x[10] = a0;
    cpu.x[11] = a1;
    cpu.x[12] = a2;
    cpu.x[13] = a3;
    lu_syscall(&thr);
    return (int64_t)cpu.x[10];
}

#define H(p) ((uint64_t)(uintptr_t)(p))

TestSuite(lu_syscall, .init = setup);

Test(lu_syscall, unknown_number_is_enosys)
{
    cr_assert_eq(call(1000, 0, 0, 0, 0), -ENOSYS);
    cr_assert_eq(call(293 /* rseq */, 0, 0, 0, 0), -ENOSYS);
    cr_assert_eq(call(0xffffffffull, 0, 0, 0, 0), -ENOSYS);
}

Test(lu_syscall, uname_names_the_guest)
{
    struct utsname u, host;
    uname(&host);
    cr_assert_eq(call(160, H(&u), 0, 0, 0), 0);
    cr_assert_str_eq(u.machine, "riscv64");
    cr_assert_str_eq(u.sysname, host.sysname);
    cr_assert_str_eq(u.release, host.release);
}

/* The asm-generic layout (asm-generic/stat.h), field by field. */
static void check_gstat(const uint8_t *g, const struct stat *h)
{
#define AT(off, type) (*(const type *)(g + (off)))
    cr_assert_eq(AT(0, uint64_t), h->st_dev);
    cr_assert_eq(AT(8, uint64_t), h->st_ino);
    cr_assert_eq(AT(16, uint32_t), h->st_mode);
    cr_assert_eq(AT(20, uint32_t), h->st_nlink);
    cr_assert_eq(AT(24, uint32_t), h->st_uid);
    cr_assert_eq(AT(28, uint32_t), h->st_gid);
    cr_assert_eq(AT(32, uint64_t), h->st_rdev);
    cr_assert_eq(AT(48, int64_t), h->st_size);
    cr_assert_eq(AT(56, int32_t), h->st_blksize);
    cr_assert_eq(AT(64, int64_t), h->st_blocks);
    cr_assert_eq(AT(72, int64_t), h->st_atim.tv_sec);
    cr_assert_eq(AT(80, uint64_t), (uint64_t)h->st_atim.tv_nsec);
    cr_assert_eq(AT(88, int64_t), h->st_mtim.tv_sec);
    cr_assert_eq(AT(96, uint64_t), (uint64_t)h->st_mtim.tv_nsec);
    cr_assert_eq(AT(104, int64_t), h->st_ctim.tv_sec);
    cr_assert_eq(AT(112, uint64_t), (uint64_t)h->st_ctim.tv_nsec);
#undef AT
}

Test(lu_syscall, fstat_and_newfstatat_convert)
{
    char path[] = "/tmp/test_lu_stat.XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "twelve bytes", 12), 12);
    struct stat h;
    cr_assert_eq(fstat(fd, &h), 0);
    uint8_t g[128 + 16];
    memset(g, 0xaa, sizeof g);
    cr_assert_eq(call(80, (uint64_t)fd, H(g), 0, 0), 0);
    check_gstat(g, &h);
    cr_assert_eq(g[128], 0xaa, "wrote past the 128-byte struct");
    memset(g, 0xaa, sizeof g);
    cr_assert_eq(call(79, (uint64_t)AT_FDCWD, H(path), H(g), 0), 0);
    check_gstat(g, &h);
    cr_assert_eq(call(79, (uint64_t)AT_FDCWD, H("/nonexistent"), H(g), 0), -ENOENT);
    cr_assert_eq(call(80, 9999, H(g), 0, 0), -EBADF);
    unlink(path);
    close(fd);
}

Test(lu_syscall, write_and_read_pass_through)
{
    int fds[2];
    cr_assert_eq(call(59 /* pipe2 */, H(fds), 0, 0, 0), 0);
    cr_assert_eq(call(64, (uint64_t)fds[1], H("hello"), 5, 0), 5);
    char buf[8] = { 0 };
    cr_assert_eq(call(63, (uint64_t)fds[0], H(buf), sizeof buf, 0), 5);
    cr_assert_str_eq(buf, "hello");
}

#define BRK_AT 0x5000000000ull

Test(lu_syscall, brk_grows_and_fails_like_the_kernel)
{
    lu_brk_init(&proc, BRK_AT);
    cr_assert_eq(proc.brk_limit, BRK_AT + LU_BRK_RESERVE);
    cr_assert_eq(call(214, 0, 0, 0, 0), (int64_t)BRK_AT);
    cr_assert_eq(call(214, BRK_AT + 10000, 0, 0, 0), (int64_t)(BRK_AT + 10000));
    memset(G2H(BRK_AT), 0x5a, 10000); /* the new heap is writable */
    /* out of range: the break stays and is returned */
    cr_assert_eq(call(214, BRK_AT - 4096, 0, 0, 0), (int64_t)(BRK_AT + 10000));
    cr_assert_eq(call(214, BRK_AT + LU_BRK_RESERVE + 4096, 0, 0, 0),
                 (int64_t)(BRK_AT + 10000));
    /* shrinking discards whole pages: growing again reads zeros there */
    cr_assert_eq(call(214, BRK_AT + 100, 0, 0, 0), (int64_t)(BRK_AT + 100));
    cr_assert_eq(call(214, BRK_AT + 3 * 4096, 0, 0, 0), (int64_t)(BRK_AT + 3 * 4096));
    cr_assert_eq(*(uint8_t *)G2H(BRK_AT + 99), 0x5a);
    cr_assert_eq(*(uint8_t *)G2H(BRK_AT + 4096), 0);
    cr_assert_eq(*(uint8_t *)G2H(BRK_AT + 2 * 4096 + 1), 0);
}

Test(lu_syscall, brk_without_reserve_stays_put)
{
    static char ours[4 * 4096]; /* Ferry's memory sits where the heap would go */
    uint64_t at = LU_PAGE_UP(H(ours));
    lu_brk_init(&proc, at);
    cr_assert_eq(proc.brk_limit, at);
    cr_assert_eq(call(214, at + 4096, 0, 0, 0), (int64_t)at);
}

Test(lu_syscall, mmap_never_over_ferry)
{
    static uint64_t ours[2 * 512] = { 42 };
    uint64_t page = LU_PAGE_UP(H(ours));
    *(uint64_t *)G2H(page) = 7;
    int64_t r = call(222, page, 4096, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    cr_assert_eq(r, -ENOMEM);
    cr_assert_eq(call(215, page, 4096, 0, 0), 0); /* a no-op, as for a hole */
    cr_assert_eq(call(226, page, 4096, PROT_NONE, 0), -ENOMEM);
    cr_assert_eq(*(uint64_t *)G2H(page), 7); /* still ours, still readable */
}

Test(lu_syscall, mmap_fixed_in_guest_space)
{
    cpu.x[14] = (uint64_t)-1;
    cpu.x[15] = 0;
    uint64_t at = 0x6000000000ull;
    int64_t r = call(222, at, 3 * 4096, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    cr_assert_eq(r, (int64_t)at);
    *(uint64_t *)G2H(at + 4096) = 1;
    /* mapping again over the guest's own mapping is fine */
    cr_assert_eq(call(222, at + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED),
                 (int64_t)(at + 4096));
    cr_assert_eq(*(uint64_t *)G2H(at + 4096), 0);
    cr_assert_eq(call(226, at, 3 * 4096, PROT_READ, 0), 0);
    cr_assert_eq(call(215, at, 3 * 4096, 0, 0), 0);
    cr_assert(!lu_mem_covered(&proc, at, at + 1));
    cr_assert_eq(call(226, at, 4096, PROT_READ, 0), -ENOMEM);
}

Test(lu_syscall, rt_sigaction_records_and_returns_old)
{
    /* riscv64's struct sigaction: handler, flags, mask (no sa_restorer) */
    uint64_t act[3] = { 0x12340, 0x4 /* SA_SIGINFO */, 1ull << (SIGINT - 1) };
    uint64_t old[3] = { 9, 9, 9 };
    cr_assert_eq(call(134, SIGUSR1, H(act), H(old), 8), 0);
    cr_assert_eq(old[0], 0);
    cr_assert_eq(old[2], 0);
    cr_assert_eq(call(134, SIGUSR1, 0, H(old), 8), 0);
    cr_assert_eq(memcmp(old, act, sizeof act), 0);
    cr_assert_eq(call(134, SIGKILL, H(act), 0, 8), -EINVAL);
    cr_assert_eq(call(134, SIGUSR1, H(act), 0, 16), -EINVAL);
    cr_assert_eq(call(134, 65, 0, H(old), 8), -EINVAL);
}

Test(lu_syscall, rt_sigprocmask)
{
    uint64_t set = (1ull << (SIGUSR1 - 1)) | (1ull << (SIGKILL - 1)), old = 1;
    cr_assert_eq(call(135, SIG_BLOCK, H(&set), H(&old), 8), 0);
    cr_assert_eq(old, 0);
    cr_assert_eq(call(135, SIG_SETMASK, 0, H(&old), 8), 0);
    cr_assert_eq(old, 1ull << (SIGUSR1 - 1)); /* SIGKILL cannot be blocked */
    cr_assert_eq(call(135, 7, H(&set), 0, 8), -EINVAL);
}

Test(lu_syscall, readlink_proc_self_exe_is_the_guest)
{
    proc.exe_path = "/opt/guest/prog";
    char buf[64] = { 0 };
    cr_assert_eq(call(78, (uint64_t)AT_FDCWD, H("/proc/self/exe"), H(buf), sizeof buf), 15);
    cr_assert_str_eq(buf, "/opt/guest/prog");
    memset(buf, 0, sizeof buf);
    cr_assert_eq(call(78, (uint64_t)AT_FDCWD, H("/proc/self/exe"), H(buf), 4), 4);
    cr_assert_str_eq(buf, "/opt");
}

Test(lu_syscall, exit_group_ends_without_clobbering_a0)
{
    cr_assert_eq(call(94, 0x107, 0, 0, 0), 0x107);
    cr_assert(proc.exiting);
    cr_assert_eq(proc.exit_status, 7);
}

Test(lu_syscall, ids_and_ioctl)
{
    cr_assert_eq(call(172, 0, 0, 0, 0), getpid());
    cr_assert_eq(call(178, 0, 0, 0, 0), gettid());
    cr_assert_eq(call(96, 0x1000, 0, 0, 0), gettid());
    int fd = open("/dev/null", O_RDONLY);
    char buf[64];
    cr_assert_eq(call(29, (uint64_t)fd, 0x5401 /* TCGETS */, H(buf), 0), -ENOTTY);
    cr_assert_eq(call(29, (uint64_t)fd, 0x1234, H(buf), 0), -ENOTTY);
    cr_assert_str_eq(lu_syscall_name(64), "write");
    cr_assert_str_eq(lu_syscall_name(79), "newfstatat");
    cr_assert_null(lu_syscall_name(1000));
}
