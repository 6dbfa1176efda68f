/* The aarch64 guest's Linux ABI without running guest code: syscalls
 * through a fake a64_cpu (number in x8, arguments x0..x5, result in x0),
 * its auxv (AT_HWCAP, AT_HWCAP2, AT_PLATFORM), /proc/cpuinfo in the arm64
 * kernel's layout, the open-flag translation both ways (checked by the host
 * kernel's behaviour: O_DIRECTORY refusing a file, O_NOFOLLOW a symlink,
 * O_DIRECT making a packet pipe), sigaltstack's arm64 minimum, sa_restorer,
 * and the registers of clone's child (thread and fork).
 * Expected values are arm64's uapi headers (asm/hwcap.h, asm/fcntl.h,
 * asm/signal.h) and arch/arm64/kernel/cpuinfo.c.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/engine.h"
#include "frontend/aarch64/a64_cpu.h"
#include "linux-user/aarch64/a64_abi.h"
#include "linux-user/lu.h"

/* arm64 uapi values */
#define G_HWCAP_FP (1ull << 0)
#define G_HWCAP_ASIMD (1ull << 1)
#define G_HWCAP_AES (1ull << 3)
#define G_HWCAP_PMULL (1ull << 4)
#define G_HWCAP_SHA1 (1ull << 5)
#define G_HWCAP_SHA2 (1ull << 6)
#define G_HWCAP_CRC32 (1ull << 7)
#define G_HWCAP_ATOMICS (1ull << 8)
#define G_HWCAP_CPUID (1ull << 11)
#define G_O_DIRECTORY 040000
#define G_O_NOFOLLOW 0100000
#define G_O_DIRECT 0200000
#define G_O_LARGEFILE 0400000
#define HOST_O_LARGEFILE 0100000 /* x86-64 kernel value (glibc's is 0) */

static lu_proc proc;
static a64_cpu cpu;
static lu_thread thr;

static void setup(void)
{
    lu_proc_init(&proc, &guest_abi_aarch64);
    memset(&cpu, 0, sizeof cpu);
    thr = (lu_thread){ .p = &proc, .cpu = &cpu, .tid = gettid() };
}

/* Run syscall nr the way the cpu loop does, through x8 and x0..x5. */
static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    cpu.x[8] = nr;
    cpu.x[0] = a0;
    cpu.x[1] = a1;
    cpu.x[2] = a2;
    cpu.x[3] = a3;
    lu_syscall(&thr);
    return (int64_t)cpu.x[0];
}

#define H(p) ((uint64_t)(uintptr_t)(p))

TestSuite(lu_a64, .init = setup);

Test(lu_a64, picked_by_machine_and_name)
{
    cr_assert_eq(lu_abi_for_machine(EM_AARCH64), &guest_abi_aarch64);
    cr_assert_eq(lu_abi_by_name("aarch64"), &guest_abi_aarch64);
    cr_assert_eq(lu_abi_for_machine(EM_RISCV), &guest_abi_riscv64);
    cr_assert_str_eq(guest_abi_aarch64.default_sysroot, "/usr/aarch64-linux-gnu");
}

Test(lu_a64, init_cpu)
{
    a64_cpu c;
    memset(&c, 0x5a, sizeof c);
    guest_abi_aarch64.init_cpu(&c, 0x400123, 0x3ffffff000);
    cr_assert_eq(c.pc, 0x400123);
    cr_assert_eq(c.x[31], 0x3ffffff000);
    for (int i = 0; i < 31; i++)
        cr_assert_eq(c.x[i], 0, "x%d", i);
    cr_assert_eq(engine_nzcv_of_saved(c.flags), 0);
    cr_assert_eq(c.tpidr_el0, 0);
    cr_assert_eq(c.fpcr, 0);
    cr_assert_eq(c.fpsr, 0);
    cr_assert_eq(c.excl_addr, (uint64_t)-1);
    for (int i = 0; i < 32; i++)
        for (int j = 0; j < 16; j++)
            cr_assert_eq(c.v[i][j], 0);
}

Test(lu_a64, syscalls_through_x8_and_x0)
{
    struct utsname u;
    cr_assert_eq(call(160, H(&u), 0, 0, 0), 0);
    cr_assert_str_eq(u.machine, "aarch64");
    cr_assert_eq(call(172 /* getpid */, 0, 0, 0, 0), getpid());
    /* riscv64's own rows are not aarch64's */
    cr_assert_eq(call(258, 0, 0, 0, 0), -ENOSYS);
    cr_assert_eq(call(259, 0, 0, 0, 0), -ENOSYS);
    cr_assert_eq(call(244, 0, 0, 0, 0), -ENOSYS);
}

static uint64_t aux_get(const uint64_t *aux, uint64_t key)
{
    for (size_t i = 0; aux[2 * i] != AT_NULL; i++)
        if (aux[2 * i] == key)
            return aux[2 * i + 1];
    return (uint64_t)-1;
}

Test(lu_a64, auxv)
{
    proc.img = (lu_image){ .entry = 0x400000, .phdr = 0x400040, .phnum = 6, .phent = 56 };
    proc.prog = "/bin/prog";
    char *argv[] = { "prog", NULL }, *envp[] = { NULL };
    uint64_t sp = lu_stack_setup(&proc, argv, envp);
    cr_assert_neq(sp, 0);
    const uint64_t *aux = (uint64_t *)G2H(sp) + 1 + 1 + 1 + 1;
    cr_assert_eq(aux_get(aux, AT_HWCAP), G_HWCAP_FP | G_HWCAP_ASIMD | G_HWCAP_AES |
                                             G_HWCAP_PMULL | G_HWCAP_SHA1 | G_HWCAP_SHA2 |
                                             G_HWCAP_CRC32 | G_HWCAP_ATOMICS | G_HWCAP_CPUID);
    cr_assert_eq(aux_get(aux, AT_HWCAP2), 0);
    cr_assert_str_eq(G2H(aux_get(aux, AT_PLATFORM)), "aarch64");
    cr_assert_eq(aux_get(aux, AT_PAGESZ), 4096);
    cr_assert_eq(aux_get(aux, AT_ENTRY), 0x400000);
}

/* riscv64's kernel gives neither AT_HWCAP2 nor AT_PLATFORM. */
Test(lu_a64, riscv64_auxv_unchanged)
{
    lu_proc_init(&proc, &guest_abi_riscv64);
    proc.img = (lu_image){ .entry = 0x10000 };
    char *argv[] = { "prog", NULL }, *envp[] = { NULL };
    uint64_t sp = lu_stack_setup(&proc, argv, envp);
    cr_assert_neq(sp, 0);
    const uint64_t *aux = (uint64_t *)G2H(sp) + 4;
    cr_assert_eq(aux_get(aux, AT_HWCAP2), (uint64_t)-1);
    cr_assert_eq(aux_get(aux, AT_PLATFORM), (uint64_t)-1);
}

/* arch/arm64/kernel/cpuinfo.c c_show(): one block per online cpu, the
 * Features in hwcap_str[] order. */
Test(lu_a64, cpuinfo_text)
{
    size_t len = 0;
    char *text = lu_proc_text(&proc, "/proc/cpuinfo", &len);
    cr_assert_not_null(text);
    cr_assert_eq(strlen(text), len);
    const char *first = "processor\t: 0\n"
                        "BogoMIPS\t: 2000.00\n" /* 1 GHz CNTFRQ_EL0 */
                        "Features\t: fp asimd aes pmull sha1 sha2 crc32 atomics cpuid\n"
                        "CPU implementer\t: 0x41\n"
                        "CPU architecture: 8\n"
                        "CPU variant\t: 0x3\n"
                        "CPU part\t: 0xd0c\n"
                        "CPU revision\t: 1\n"
                        "\n"
                        "processor\t: 1\n";
    size_t cmp = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? strlen(first) : strlen(first) - 14;
    cr_assert_eq(strncmp(text, first, cmp), 0, "%s", text);
    long n = 0;
    for (const char *s = text; (s = strstr(s, "processor\t: ")); s++)
        n++;
    cr_assert_eq(n, sysconf(_SC_NPROCESSORS_ONLN));
    free(text);
}

/* The kernel's rules from ID register fields (arm64 cpufeature.c):
 * FP/AdvSIMD signed (0 implemented, 1 with half precision, 0xf absent),
 * AES 1 aes, 2 also pmull; SHA2 2 also sha512; ATOMIC 2; cpuid always. */
Test(lu_a64, hwcap_rules)
{
    static const struct { uint64_t pfr0, isar0, hwcap; } rows[] = {
        { 0xff0011, 0, 1u << 11 },
        { 0x000011, 0, 0x803 },
        { 0x110011, 0, 0x803 | 1u << 9 | 1u << 10 },
        { 0x000011, 0x210000, 0x983 },
        { 0x000011, 0x110000, 0x883 },           /* ATOMIC 1: no LSE */
        { 0x000011, 0x2120, 0x803 | 0x78 | 1u << 21 },
        { 0x000011, 0x10, 0x803 | 0x8 },          /* AES without PMULL */
        { 0x100000011ull, 0, 0x803 | 1u << 22 },  /* SVE */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        cr_expect_eq(a64_hwcap_from(rows[i].pfr0, rows[i].isar0), rows[i].hwcap,
                     "row %zu: 0x%llx", i,
                     (unsigned long long)a64_hwcap_from(rows[i].pfr0, rows[i].isar0));
}

/* The table itself: each differing bit both ways, the others untouched,
 * O_TMPFILE (which holds O_DIRECTORY) to the host's own value. */
Test(lu_a64, open_flag_table)
{
    static const struct { uint64_t guest, host; } rows[] = {
        { G_O_DIRECTORY, O_DIRECTORY },
        { G_O_NOFOLLOW, O_NOFOLLOW },
        { G_O_DIRECT, O_DIRECT },
        { G_O_LARGEFILE, HOST_O_LARGEFILE },
        { 020000000 | G_O_DIRECTORY, O_TMPFILE },
        { O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_PATH,
          O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_PATH },
        { O_CLOEXEC | G_O_DIRECTORY | G_O_NOFOLLOW | G_O_LARGEFILE,
          O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW | HOST_O_LARGEFILE },
    };
    const guest_abi *a = &guest_abi_aarch64, *r = &guest_abi_riscv64;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cr_expect_eq(lu_bits_to_host(a->open_flags, a->open_flags_len, rows[i].guest),
                     rows[i].host, "row %zu to host", i);
        cr_expect_eq(lu_bits_to_guest(a->open_flags, a->open_flags_len, rows[i].host),
                     rows[i].guest, "row %zu to guest", i);
        /* riscv64: asm-generic, the host's values */
        cr_expect_eq(lu_bits_to_host(r->open_flags, r->open_flags_len, rows[i].host),
                     rows[i].host);
        cr_expect_eq(lu_bits_to_guest(r->open_flags, r->open_flags_len, rows[i].host),
                     rows[i].host);
    }
    /* every combination of the four round-trips */
    for (uint64_t m = 0; m < 16; m++) {
        uint64_t g = ((m & 1) ? G_O_DIRECTORY : 0) | ((m & 2) ? G_O_NOFOLLOW : 0) |
                     ((m & 4) ? G_O_DIRECT : 0) | ((m & 8) ? G_O_LARGEFILE : 0) | O_RDONLY;
        uint64_t h = lu_bits_to_host(a->open_flags, a->open_flags_len, g);
        cr_expect_eq(__builtin_popcountll(h), __builtin_popcountll(g));
        cr_expect_eq(lu_bits_to_guest(a->open_flags, a->open_flags_len, h), g);
    }
}

static char dir[64];
static void rm_dir(void)
{
    char p[128];
    snprintf(p, sizeof p, "%s/file", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/link", dir);
    unlink(p);
    rmdir(dir);
}

/* openat with arm64's values, as the host kernel sees them. */
Test(lu_a64, openat_translates_flags, .fini = rm_dir)
{
    snprintf(dir, sizeof dir, "/tmp/test_lu_a64.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char file[128], link[128];
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    close(open(file, O_CREAT | O_WRONLY, 0600));
    cr_assert_eq(symlink(file, link), 0);
    int64_t fd = call(56, (uint64_t)AT_FDCWD, H(dir), G_O_DIRECTORY, 0);
    cr_assert_geq(fd, 0, "O_DIRECTORY on a directory: %ld", (long)fd);
    close((int)fd);
    /* 040000 is x86-64's O_DIRECT: passed untranslated it would open */
    cr_assert_eq(call(56, (uint64_t)AT_FDCWD, H(file), G_O_DIRECTORY, 0), -ENOTDIR);
    cr_assert_eq(call(56, (uint64_t)AT_FDCWD, H(link), G_O_NOFOLLOW, 0), -ELOOP);
    /* a generated /proc file is a regular file too */
    cr_assert_eq(call(56, (uint64_t)AT_FDCWD, H("/proc/cpuinfo"), G_O_DIRECTORY, 0), -ENOTDIR);
    fd = call(56, (uint64_t)AT_FDCWD, H("/proc/cpuinfo"), 0, 0);
    cr_assert_geq(fd, 0);
    close((int)fd);
    fd = call(56, (uint64_t)AT_FDCWD, H(link), 0, 0);
    cr_assert_geq(fd, 0);
    close((int)fd);
    /* F_GETFL: arm64's kernel forces O_LARGEFILE on, in its own value */
    fd = call(56, (uint64_t)AT_FDCWD, H(file), O_WRONLY | O_APPEND, 0);
    cr_assert_geq(fd, 0);
    int64_t fl = call(25, (uint64_t)fd, F_GETFL, 0, 0);
    cr_assert_eq(fl, O_WRONLY | O_APPEND | G_O_LARGEFILE, "F_GETFL 0%lo", (long)fl);
    cr_assert_eq(call(25, (uint64_t)fd, F_SETFL, O_NONBLOCK, 0), 0);
    cr_assert_eq(call(25, (uint64_t)fd, F_GETFL, 0, 0), O_WRONLY | O_NONBLOCK | G_O_LARGEFILE);
    close((int)fd);
}

/* pipe2's O_DIRECT (a packet pipe) and F_GETFL/F_SETFL of it. */
Test(lu_a64, pipe2_and_fcntl_o_direct)
{
    int fds[2];
    cr_assert_eq(call(59, H(fds), G_O_DIRECT | O_CLOEXEC, 0, 0), 0);
    cr_assert(fcntl(fds[1], F_GETFL) & O_DIRECT, "host pipe is not a packet pipe");
    cr_assert(fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
    int64_t fl = call(25, (uint64_t)fds[1], F_GETFL, 0, 0);
    cr_assert_eq(fl & (G_O_DIRECT | G_O_DIRECTORY), G_O_DIRECT, "F_GETFL 0%lo", (long)fl);
    cr_assert_eq(call(25, (uint64_t)fds[1], F_SETFL, 0, 0), 0);
    cr_assert_not(fcntl(fds[1], F_GETFL) & O_DIRECT);
    cr_assert_eq(call(25, (uint64_t)fds[1], F_SETFL, G_O_DIRECT, 0), 0);
    cr_assert(fcntl(fds[1], F_GETFL) & O_DIRECT);
    close(fds[0]);
    close(fds[1]);
}

/* arm64's MINSIGSTKSZ is 5120: 4096 is too small there, not on riscv64. */
Test(lu_a64, sigaltstack_minimum)
{
    uint64_t ss[3] = { 0x10000, 0, 4096 };
    cr_assert_eq(call(132, H(ss), 0, 0, 0), -ENOMEM);
    ss[2] = 5120;
    cr_assert_eq(call(132, H(ss), 0, 0, 0), 0);
    lu_proc_init(&proc, &guest_abi_riscv64);
    uint64_t a[6] = { H(ss), 0 };
    ss[2] = 4096;
    cr_assert_eq(lu_syscall_nr(&thr, 132, a), 0);
}

/* struct sigaction on arm64: handler, flags, restorer, mask. */
Test(lu_a64, sigaction_has_restorer)
{
    uint64_t act[4] = { 0x401000, 0x04000000 /* SA_RESTORER */, 0x402000, 1ull << 9 };
    uint64_t old[4] = { 1, 1, 1, 1 };
    cr_assert_eq(call(134, SIGUSR1, H(act), 0, 8), 0);
    cr_assert_eq(call(134, SIGUSR1, 0, H(old), 8), 0);
    cr_assert_eq(memcmp(act, old, sizeof act), 0);
}

/* A thread's registers: the parent's, x0 = 0, its own sp and TPIDR_EL0. */
Test(lu_a64, clone_thread_registers)
{
    for (int i = 0; i < 31; i++)
        cpu.x[i] = 0x1000 + (uint64_t)i;
    cpu.x[31] = 0x7000;
    cpu.pc = 0x400800;
    cpu.tpidr_el0 = 0x9000;
    cpu.flags = engine_saved_of_nzcv(0x60000000);
    cpu.v[3][5] = 0x77;
    a64_cpu *c = lu_clone_cpu(&thr, CLONE_VM | CLONE_SETTLS, 0x5550, 0x6660);
    cr_assert_not_null(c);
    cr_assert_eq(c->x[0], 0);
    cr_assert_eq(c->x[31], 0x5550);
    cr_assert_eq(c->tpidr_el0, 0x6660);
    cr_assert_eq(c->pc, 0x400800);
    cr_assert_eq(engine_nzcv_of_saved(c->flags), 0x60000000);
    cr_assert_eq(c->v[3][5], 0x77);
    for (int i = 1; i < 31; i++)
        cr_assert_eq(c->x[i], 0x1000 + (uint64_t)i);
    free(c);
    /* no CLONE_SETTLS, no new stack: the parent's */
    c = lu_clone_cpu(&thr, CLONE_VM, 0, 0x6660);
    cr_assert_eq(c->tpidr_el0, 0x9000);
    cr_assert_eq(c->x[31], 0x7000);
    free(c);
}

/* fork through clone: the child (a host process) sees x0 = 0, the new sp
 * and TPIDR_EL0 and its tid stored at child_tid; the parent gets the pid. */
Test(lu_a64, clone_fork_registers)
{
    static uint32_t ctid;
    cpu.x[31] = 0x7000;
    cpu.tpidr_el0 = 0x9000;
    cpu.x[7] = 77;
    cpu.x[8] = 220;
    cpu.x[0] = CLONE_SETTLS | CLONE_CHILD_SETTID | SIGCHLD;
    cpu.x[1] = 0x5550;
    cpu.x[2] = 0;
    cpu.x[3] = 0x6660;
    cpu.x[4] = H(&ctid);
    fflush(NULL);
    lu_syscall(&thr);
    if (cpu.x[0] == 0) { /* the child */
        bool ok = cpu.x[31] == 0x5550 && cpu.tpidr_el0 == 0x6660 && cpu.x[7] == 77 &&
                  ctid == (uint32_t)getpid();
        _exit(ok ? 0 : 1);
    }
    pid_t pid = (pid_t)cpu.x[0];
    cr_assert_gt(pid, 0);
    cr_assert_eq(cpu.x[31], 0x7000);
    cr_assert_eq(cpu.tpidr_el0, 0x9000);
    int st = -1;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status 0x%x", st);
}
