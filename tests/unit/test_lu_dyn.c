/* Dynamic programs and the guest's view of its machine, without running
 * guest code: the real riscv64 ld.so loaded as an interpreter (checked
 * against its own ELF header), the sysroot path rule and its use by the
 * dispatcher, the auxv of a dynamic program and /proc/self/auxv, the
 * generated /proc/cpuinfo, riscv_hwprobe, clone's refusals.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/riscv64/rv_cpu.h"
#include "linux-user/lu.h"

#define SYSROOT "/usr/riscv64-linux-gnu"
#define LDSO SYSROOT "/lib/ld-linux-riscv64-lp64d.so.1"

static lu_proc proc;
static rv_cpu cpu;
static lu_thread thr;

static void setup(void)
{
    lu_proc_init(&proc, &guest_abi_riscv64);
    memset(&cpu, 0, sizeof cpu);
    thr = (lu_thread){ .p = &proc, .cpu = &cpu, .tid = gettid() };
}

static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                    uint64_t a4)
{
    uint64_t a[6] = { a0, a1, a2, a3, a4, 0 };
    return lu_syscall_nr(&thr, nr, a);
}

#define H(p) ((uint64_t)(uintptr_t)(p))

TestSuite(lu_dyn, .init = setup);

static Elf64_Ehdr read_ehdr(const char *path)
{
    Elf64_Ehdr eh;
    int fd = open(path, O_RDONLY);
    cr_assert(fd >= 0);
    cr_assert_eq(read(fd, &eh, sizeof eh), (ssize_t)sizeof eh);
    close(fd);
    return eh;
}

Test(lu_dyn, loads_the_real_ld_so)
{
    if (access(LDSO, R_OK) != 0)
        cr_skip_test("no %s", LDSO);
    lu_image img;
    char err[256] = "";
    cr_assert_eq(lu_elf_load_interp(LDSO, EM_RISCV, &img, err, sizeof err), 0, "%s", err);
    Elf64_Ehdr eh = read_ehdr(LDSO);
    cr_assert_eq(eh.e_type, ET_DYN);
    cr_assert_eq(img.bias, LU_INTERP_BASE);
    cr_assert_eq(img.start, LU_INTERP_BASE);
    cr_assert_eq(img.entry, LU_INTERP_BASE + eh.e_entry);
    cr_assert_str_empty(img.interp);
    /* its first page is its ELF header, as the file says */
    cr_assert_eq(memcmp(G2H(LU_INTERP_BASE), &eh, sizeof eh), 0);
    cr_assert_eq(img.phdr, LU_INTERP_BASE + eh.e_phoff);
}

/* libc.so.6 is itself a program with an interpreter: not an interpreter. */
Test(lu_dyn, interpreter_with_an_interpreter_is_refused)
{
    const char *libc = SYSROOT "/lib/libc.so.6";
    if (access(libc, R_OK) != 0)
        cr_skip_test("no %s", libc);
    lu_image img;
    char err[256] = "";
    cr_assert_eq(lu_elf_check(libc, EM_RISCV, &img, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(img.interp, "/lib/ld-linux-riscv64-lp64d.so.1");
    cr_assert_eq(lu_elf_load_interp(libc, EM_RISCV, &img, err, sizeof err), 126);
    cr_assert(strstr(err, "interpreter of its own"), "%s", err);
}

Test(lu_dyn, missing_interpreter_is_not_found)
{
    lu_image img;
    char err[256] = "";
    cr_assert_eq(lu_elf_load_interp("/nonexistent/ld.so", EM_RISCV, &img, err, sizeof err),
                 LU_EXIT_NOT_FOUND);
}

/* A sysroot with /lib/present and a dangling symlink /lib/dangling,
 * removed when the test's process ends. */
static char root[64];
static void rm_root(void)
{
    const char *names[] = { "/lib/present", "/lib/dangling", "/lib", "" };
    char p[128];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", root, names[i]);
        if (unlink(p) != 0)
            rmdir(p);
    }
}
static void make_root(void)
{
    char p[128];
    strcpy(root, "/tmp/test_lu_dyn.XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    snprintf(p, sizeof p, "%s/lib", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lib/present", root);
    close(open(p, O_CREAT | O_WRONLY, 0644));
    snprintf(p, sizeof p, "%s/lib/dangling", root);
    cr_assert_eq(symlink("/nowhere/at/all", p), 0);
    atexit(rm_root);
}

Test(lu_dyn, path_rule)
{
    make_root();
    char in_root[PATH_MAX], buf[PATH_MAX];
    const struct { const char *sysroot, *path; bool mapped; } cases[] = {
        { root, "/lib/present", true },
        { root, "/lib/dangling", true },   /* lstat: the entry exists */
        { root, "/lib", true },
        { root, "/lib/absent", false },    /* falls back to the host */
        { root, "lib/present", false },    /* relative: never mapped */
        { root, "/", false },              /* one root for the guest */
        { NULL, "/lib/present", false },   /* no sysroot */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *r = lu_path_map(cases[i].sysroot, cases[i].path, buf, sizeof buf);
        snprintf(in_root, sizeof in_root, "%s%s", root, cases[i].path);
        if (cases[i].mapped)
            cr_expect_str_eq(r, in_root, "%s", cases[i].path);
        else
            cr_expect_eq(r, cases[i].path, "%s", cases[i].path);
    }
}

Test(lu_dyn, path_rule_too_long_falls_back)
{
    make_root();
    char tiny[8];
    const char *path = "/lib/present";
    cr_assert_eq(lu_path_map(root, path, tiny, sizeof tiny), path);
}

/* The dispatcher maps kind 'P' arguments: faccessat and openat find the
 * sysroot's file, a host path still works, -strace is not needed. */
Test(lu_dyn, dispatcher_maps_paths)
{
    make_root();
    cr_assert_eq(call(48, (uint64_t)AT_FDCWD, H("/lib/present"), F_OK, 0, 0), -ENOENT);
    proc.sysroot = root;
    cr_assert_eq(call(48, (uint64_t)AT_FDCWD, H("/lib/present"), F_OK, 0, 0), 0);
    int64_t fd = call(56, (uint64_t)AT_FDCWD, H("/lib/present"), O_RDONLY, 0, 0);
    cr_assert_geq(fd, 0);
    close((int)fd);
    cr_assert_eq(call(48, (uint64_t)AT_FDCWD, H("/proc/self/status"), F_OK, 0, 0), 0);
}

Test(lu_dyn, default_sysroot)
{
    struct stat sb;
    bool have = stat(SYSROOT, &sb) == 0;
    cr_assert_str_eq(lu_sysroot(&guest_abi_riscv64, "/given"), "/given");
    if (have)
        cr_assert_str_eq(lu_sysroot(&guest_abi_riscv64, NULL), SYSROOT);
    else
        cr_assert_null(lu_sysroot(&guest_abi_riscv64, NULL));
}

static uint64_t aux_get(const uint64_t *aux, uint64_t key)
{
    for (size_t i = 0; aux[2 * i] != AT_NULL; i++)
        if (aux[2 * i] == key)
            return aux[2 * i + 1];
    return (uint64_t)-1;
}

/* A dynamic program: AT_PHDR/AT_ENTRY are the program's, AT_BASE the
 * interpreter's load address; /proc/self/auxv holds the same words. */
Test(lu_dyn, auxv_of_a_dynamic_program)
{
    proc.img = (lu_image){ .entry = 0x40000005b0, .phdr = 0x4000000040, .phnum = 10,
                           .phent = 56, .bias = 0x4000000000 };
    proc.interp = (lu_image){ .entry = 0x3f000102b6, .bias = LU_INTERP_BASE,
                              .start = LU_INTERP_BASE };
    proc.prog = "/bin/prog";
    char *argv[] = { "prog", NULL }, *envp[] = { NULL };
    uint64_t sp = lu_stack_setup(&proc, argv, envp);
    cr_assert_neq(sp, 0);
    const uint64_t *aux = (uint64_t *)G2H(sp) + 1 + 1 + 1 + 1;
    cr_assert_eq(aux_get(aux, AT_ENTRY), 0x40000005b0);
    cr_assert_eq(aux_get(aux, AT_PHDR), 0x4000000040);
    cr_assert_eq(aux_get(aux, AT_PHNUM), 10);
    cr_assert_eq(aux_get(aux, AT_BASE), LU_INTERP_BASE);
    /* I M A F D C, bit letter - 'A' */
    cr_assert_eq(aux_get(aux, AT_HWCAP), 0x112d);
    size_t len = 0;
    char *text = lu_proc_text(&proc, "/proc/self/auxv", &len);
    cr_assert_not_null(text);
    size_t words = 0;
    while (aux[words] != AT_NULL)
        words += 2;
    cr_assert_eq(len, (words + 2) * 8);
    cr_assert_eq(memcmp(text, aux, len), 0);
    free(text);
}

Test(lu_dyn, proc_files_open_as_the_guest_sees_them)
{
    int64_t r = -1;
    char own[64], buf[4096];
    snprintf(own, sizeof own, "/proc/%d/auxv", getpid());
    proc.auxv[0] = AT_PAGESZ;
    proc.auxv[1] = 4096;
    proc.auxv_words = 4;
    cr_assert(lu_proc_open(&thr, own, O_RDONLY, &r));
    cr_assert_geq(r, 0);
    cr_assert_eq(read((int)r, buf, sizeof buf), 32);
    cr_assert_eq(((uint64_t *)buf)[1], 4096);
    close((int)r);
    cr_assert(lu_proc_open(&thr, "/proc/cpuinfo", O_RDWR, &r));
    cr_assert_eq(r, -EACCES);
    cr_assert_not(lu_proc_open(&thr, "/proc/self/status", O_RDONLY, &r));
    cr_assert_not(lu_proc_open(&thr, "/proc/self/auxvx", O_RDONLY, &r));
}

/* The riscv kernel's show_cpuinfo() layout, one block per online cpu. */
Test(lu_dyn, cpuinfo_text)
{
    size_t len = 0;
    char *text = lu_proc_text(&proc, "/proc/cpuinfo", &len);
    cr_assert_not_null(text);
    cr_assert_eq(strlen(text), len);
    const char *first = "processor\t: 0\nhart\t\t: 0\n"
                        "isa\t\t: rv64imafdc_zicond_zicsr_zifencei_zba_zbb_zbs\n"
                        "mmu\t\t: sv39\n";
    cr_assert_eq(strncmp(text, first, strlen(first)), 0, "%s", text);
    long n = 0;
    for (const char *s = text; (s = strstr(s, "processor")); s++)
        n++;
    cr_assert_eq(n, sysconf(_SC_NPROCESSORS_ONLN));
    free(text);
}

/* riscv_hwprobe: known keys answered, an unknown key becomes -1 with
 * value 0, flags other than 0 refused. */
Test(lu_dyn, hwprobe)
{
    int64_t pairs[][2] = { { 3, 99 }, { 4, 99 }, { 0, 99 }, { 77, 99 } };
    cr_assert_eq(call(258, H(pairs), 4, 0, 0, 0), 0);
    cr_assert_eq(pairs[0][1], 1);                 /* BASE_BEHAVIOR_IMA */
    /* FD | C | ZBA | ZBB | ZBS | ZICOND */
    cr_assert_eq((uint64_t)pairs[1][1], (1ull << 0) | (1ull << 1) | (1ull << 3) |
                                        (1ull << 4) | (1ull << 5) | (1ull << 35));
    cr_assert_eq(pairs[2][1], 0);                 /* MVENDORID */
    cr_assert_eq(pairs[3][0], -1);
    cr_assert_eq(pairs[3][1], 0);
    cr_assert_eq(call(258, H(pairs), 1, 0, 0, 2), -EINVAL);
}

/* clone forms Ferry does not do are refused, never half done. */
Test(lu_dyn, clone_refusals)
{
    cr_assert_eq(call(220, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0), -EINVAL);
    cr_assert_eq(call(220, CLONE_VM | SIGCHLD, 0x1000, 0, 0, 0), -EINVAL);
    cr_assert_eq(call(220, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0), -EINVAL);
    /* clone3: struct clone_args is 64 bytes at least; the same refusals */
    uint64_t ca[11] = { CLONE_NEWNS, 0, 0, 0, SIGCHLD };
    cr_assert_eq(call(435, 0, 0, 0, 0, 0), -EINVAL);
    cr_assert_eq(call(435, H(ca), 64, 0, 0, 0), -EINVAL);
    ca[0] = 0;
    ca[8] = H(ca); /* set_tid: choosing pids */
    ca[9] = 1;
    cr_assert_eq(call(435, H(ca), 88, 0, 0, 0), -EINVAL);
    ca[8] = ca[9] = 0;
    ca[5] = H(ca); /* a stack without a size */
    cr_assert_eq(call(435, H(ca), 88, 0, 0, 0), -EINVAL);
}
