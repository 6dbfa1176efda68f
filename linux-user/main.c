/* ferry's command line: qemu-user compatible options, guest selection from
 * the ELF header (or from argv[0] as ferry-<guest>), loading, the initial
 * stack, then the cpu loop; the exit status mirrors the guest's end.
 *
 *   ferry -strace -E LANG=C ./hello-riscv64 world
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "disas/capstone_lib.h"
#include "backend/engine.h"
#include "kvm/vm.h"
#include "linux-user/lu.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

extern char **environ;

/* Everything the options decide, before the process context exists. */
typedef struct cli {
    lu_options opt;
    char **set, **unset; /* -E, -U */
    int nset, nunset;
    const guest_abi *forced;
    int gdb_port;        /* -g: wait for gdb there (0: no) */
    bool perfmap;        /* --perfmap */
    int kvm;             /* x86-64 programs: KVM_AUTO, --kvm, --no-kvm */
} cli;

enum { KVM_AUTO, KVM_FORCE, KVM_OFF };

static const struct { const char *name; unsigned bit; const char *help; } log_items[] = {
    { "in_asm", ENGINE_LOG_IN_ASM, "guest instructions of each translated block" },
    { "op", ENGINE_LOG_OP, "IR of each block as translated" },
    { "op_opt", ENGINE_LOG_OP_OPT, "IR after the optimization passes" },
    { "out_asm", ENGINE_LOG_OUT_ASM, "generated x86-64 code" },
    { "exec", ENGINE_LOG_EXEC, "each block as it runs" },
    { "unimp", ENGINE_LOG_UNIMP, "unimplemented instructions and syscalls" },
};

static void usage_error(const char *fmt, const char *arg)
{
    fputs("ferry: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (try --help)\n", stderr);
    exit(1);
}

static void help(void)
{
    printf("usage: ferry [options] program [arguments...]\n"
           "Runs a riscv64 or aarch64 Linux program on this x86-64 host (the guest\n"
           "is picked from the ELF header; ferry-riscv64, ferry-aarch64 force one).\n"
           "An x86-64 program runs natively in a KVM virtual machine, every system\n"
           "call still handled by Ferry (-strace, -L); without a usable /dev/kvm it\n"
           "runs natively without Ferry, after one line saying why.\n\n"
           "options (each also has an environment variable):\n"
           "  -L path         the guest's sysroot: its ld.so and libraries; absolute\n"
           "                  paths are looked up there first        FERRY_LD_PREFIX\n"
           "                  (default: /usr/riscv64-linux-gnu or /usr/aarch64-linux-gnu,\n"
           "                  for the program's guest, if present)\n"
           "  -E var=value    set a variable in the guest environment\n"
           "  -U var          remove a variable from the guest environment\n"
           "  -0 argv0        the guest's argv[0]\n"
           "  -d item[,...]   log items (-d help lists them)          FERRY_LOG\n"
           "  -D logfile      write -d output there, not to stderr    FERRY_LOG_FILE\n"
           "  -strace         print the guest's system calls          FERRY_STRACE\n"
           "  --disable-pass name[,...]  switch optimizations off: fold, ctx, dce,\n"
           "                  superblocks, sideexits, loops, fixed, routines\n"
           "  --stats         translation (or KVM) statistics on stderr at exit\n"
           "                                                         FERRY_STATS\n"
           "  --verify-ir     check every block's IR (make check does) FERRY_VERIFY_IR\n"
           "  -g port         wait for gdb on TCP port (any address), then let it\n"
           "                  debug the guest (target remote :port)  FERRY_GDB\n"
           "  --perfmap       write /tmp/perf-PID.map naming the translated guest\n"
           "                  code, for perf report                  FERRY_PERFMAP\n"
           "  --cache-dir dir keep translations there for the next run of the same\n"
           "                  program (default $XDG_CACHE_HOME/ferry, else\n"
           "                  ~/.cache/ferry; not while -d shows translations)\n"
           "                                                         FERRY_CACHE_DIR\n"
           "  --no-cache      neither use nor keep translations of earlier runs\n"
           "                                                         FERRY_NO_CACHE\n"
           "  --kvm           x86-64 programs: run in KVM or fail (126) FERRY_KVM\n"
           "  --no-kvm        x86-64 programs: run natively, without Ferry\n"
           "  -h, --help, --version\n"
           "Options stop at the first argument that is not one.\n\n"
           "binfmt_misc: `ferry-binfmt register` makes the kernel run guest programs\n"
           "through ferry-<guest>, honouring the flags P (argv[0] preserved), O (the\n"
           "program passed open: execute-only files run), C (a set-user-ID program's\n"
           "credentials, implies O), F (Ferry opened at registration: chroots and\n"
           "containers; use a static build). See ferry(1).\n\n"
           "exit status: the guest's own status when it exits; 128+N when it dies of\n"
           "signal N (ferry then dies of the same signal); 1 usage error; 126 the\n"
           "program cannot be run (not an ELF, truncated, unsupported machine, bad\n"
           "segments, its interpreter missing, --kvm without a usable /dev/kvm); 127\n"
           "program not found; 125 Ferry itself failed mid-run (its line says why).\n");
}

static void parse_log(cli *c, const char *items)
{
    char *copy = strdup(items), *save = NULL;
    for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
        if (strcmp(it, "help") == 0) {
            for (size_t i = 0; i < sizeof log_items / sizeof log_items[0]; i++)
                printf("%-8s %s\n", log_items[i].name, log_items[i].help);
            exit(0);
        }
        size_t i = 0;
        while (i < sizeof log_items / sizeof log_items[0] && strcmp(it, log_items[i].name))
            i++;
        if (i == sizeof log_items / sizeof log_items[0])
            usage_error("-d: unknown log item '%s'", it);
        c->opt.log |= log_items[i].bit;
    }
    free(copy);
}

/* The disassembling log items load libcapstone now rather than mid-run;
 * in_asm and out_asm are nothing without it, unimp names fewer words. */
static void load_disassembler(const cli *c)
{
    unsigned need = c->opt.log & (ENGINE_LOG_IN_ASM | ENGINE_LOG_OUT_ASM);
    if (!(c->opt.log & (ENGINE_LOG_IN_ASM | ENGINE_LOG_OUT_ASM | ENGINE_LOG_UNIMP)))
        return;
    if (capstone_lib_get() || !need)
        return;
    fprintf(stderr, "ferry: -d %s needs libcapstone: %s\n",
            need & ENGINE_LOG_IN_ASM ? "in_asm" : "out_asm", capstone_lib_error());
    exit(1);
}

static void push(char ***list, int *n, char *s)
{
    *list = realloc(*list, (*n + 2) * sizeof **list);
    (*list)[(*n)++] = s;
    (*list)[*n] = NULL;
}

static void opt_L(cli *c, char *v) { c->opt.sysroot = v; }
static void opt_E(cli *c, char *v)
{
    if (!strchr(v, '='))
        usage_error("-E %s: expected var=value", v);
    push(&c->set, &c->nset, v);
}
static void opt_U(cli *c, char *v) { push(&c->unset, &c->nunset, v); }
static void opt_0(cli *c, char *v) { c->opt.argv0 = v; }
static void opt_d(cli *c, char *v) { parse_log(c, v); }
static void opt_D(cli *c, char *v) { c->opt.logfile = v; }
static void opt_strace(cli *c, char *v) { c->opt.strace = true; }
/* What --disable-pass knows: the IR passes (ir/opt), the engine's and
 * the backend's (superblocks..fixed), linux-user's routines. */
static void opt_pass(cli *c, char *v)
{
    static const char *const known[] = {"fold", "ctx", "dce", "superblocks", "sideexits",
                                        "loops", "fixed", "routines"};
    char *copy = strdup(v), *save = NULL;
    for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < sizeof known / sizeof known[0] && strcmp(it, known[i]))
            i++;
        if (i == sizeof known / sizeof known[0])
            usage_error("--disable-pass: unknown pass '%s'", it);
    }
    free(copy);
    c->opt.disabled_passes = v;
}
static void opt_stats(cli *c, char *v) { c->opt.stats = true; }
static void opt_verify(cli *c, char *v) { c->opt.verify_ir = true; }
static void opt_g(cli *c, char *v)
{
    char *end;
    long port = strtol(v, &end, 10);
    if (*end || port < 1 || port > 65535)
        usage_error("-g %s: expected a TCP port (1-65535)", v);
    c->gdb_port = (int)port;
}
static void opt_perfmap(cli *c, char *v) { c->perfmap = true; }
static void opt_cache_dir(cli *c, char *v)
{
    if (*v != '/')
        usage_error("--cache-dir %s: expected an absolute path", v);
    c->opt.cache_dir = v;
}
static void opt_no_cache(cli *c, char *v) { c->opt.no_cache = true; }
static void opt_kvm(cli *c, char *v) { c->kvm = KVM_FORCE; }
static void opt_no_kvm(cli *c, char *v) { c->kvm = KVM_OFF; }
static void opt_help(cli *c, char *v) { help(); exit(0); }
static void opt_version(cli *c, char *v)
{
    printf("ferry %s\n", PACKAGE_VERSION);
    exit(0);
}

/* name, takes an argument, environment counterpart, handler */
static const struct option_row {
    const char *name;
    bool arg;
    const char *env;
    void (*fn)(cli *c, char *v);
} options[] = {
    { "L", true, "FERRY_LD_PREFIX", opt_L },
    { "E", true, NULL, opt_E },
    { "U", true, NULL, opt_U },
    { "0", true, NULL, opt_0 },
    { "d", true, "FERRY_LOG", opt_d },
    { "D", true, "FERRY_LOG_FILE", opt_D },
    { "strace", false, "FERRY_STRACE", opt_strace },
    { "disable-pass", true, NULL, opt_pass },
    { "stats", false, "FERRY_STATS", opt_stats },
    { "verify-ir", false, "FERRY_VERIFY_IR", opt_verify },
    { "g", true, "FERRY_GDB", opt_g },
    { "perfmap", false, "FERRY_PERFMAP", opt_perfmap },
    { "cache-dir", true, "FERRY_CACHE_DIR", opt_cache_dir },
    { "no-cache", false, "FERRY_NO_CACHE", opt_no_cache },
    { "kvm", false, "FERRY_KVM", opt_kvm },
    { "no-kvm", false, NULL, opt_no_kvm },
    { "help", false, NULL, opt_help },
    { "h", false, NULL, opt_help },
    { "version", false, NULL, opt_version },
};
#define N_OPTIONS (sizeof options / sizeof options[0])

/* Environment first, so the command line overrides it. */
static void parse_env(cli *c)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char *v = options[i].env ? getenv(options[i].env) : NULL;
        if (v && *v && (options[i].arg || strcmp(v, "0") != 0))
            options[i].fn(c, v);
    }
}

/* Returns the index of the program argument. */
static int parse_args(cli *c, int argc, char **argv)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *name = argv[i] + 1;
        if (strcmp(name, "-") == 0)
            return i + 1; /* "--" */
        if (*name == '-')
            name++; /* qemu accepts -x and --x alike */
        size_t k = 0;
        while (k < N_OPTIONS && strcmp(name, options[k].name))
            k++;
        if (k == N_OPTIONS)
            usage_error("unknown option '%s'", argv[i]);
        if (options[k].arg && i + 1 >= argc)
            usage_error("option '%s' needs an argument", argv[i]);
        options[k].fn(c, options[k].arg ? argv[i + 1] : NULL);
        i += options[k].arg ? 2 : 1;
    }
    return i;
}

/* ferry-riscv64 and ferry-aarch64 force their guest. */
static void pick_guest(cli *c, const char *argv0)
{
    char *copy = strdup(argv0);
    const char *base = basename(copy);
    if (strncmp(base, "ferry-", 6) == 0) {
        c->forced = lu_abi_by_name(base + 6);
        if (!c->forced) {
            fprintf(stderr, "ferry: %s guests are not implemented yet\n", base + 6);
            exit(LU_EXIT_CANNOT_RUN);
        }
    }
    free(copy);
}

static void setup_log(lu_proc *p)
{
    p->log = stderr;
    if (p->opt.logfile) {
        p->log = fopen(p->opt.logfile, "w");
        if (!p->log) {
            fprintf(stderr, "ferry: %s: %s\n", p->opt.logfile, strerror(errno));
            exit(1);
        }
    }
}

/* A dynamic program's interpreter, looked up under the sysroot first as
 * every guest path is; a missing one is one line and 126, as "cannot run". */
static void load_interp(lu_proc *p, const char *prog)
{
    static char err[512], buf[PATH_MAX];
    const char *name = p->img.interp;
    const char *host = lu_path_map(p->sysroot, name, buf, sizeof buf);
    int st = lu_elf_load_interp(host, p->abi->elf_machine, &p->interp, err, sizeof err);
    if (st == LU_EXIT_NOT_FOUND) {
        fprintf(stderr, "ferry: %s: interpreter %s not found (%s%s); give the guest's "
                "sysroot with -L or FERRY_LD_PREFIX\n", prog, name,
                p->sysroot ? "looked in " : "no sysroot",
                p->sysroot ? p->sysroot : "");
        exit(LU_EXIT_CANNOT_RUN);
    }
    if (st) {
        fprintf(stderr, "ferry: %s: interpreter %s: %s\n", prog, host, err);
        exit(LU_EXIT_CANNOT_RUN);
    }
    lu_mem_add(p, p->interp.start, p->interp.brk);
    lu_code_add(p, p->interp.start, p->interp.brk);
    lu_exec_image(p, &p->interp);
    if (lu_perfmap)
        lu_symtab_add(lu_perfmap, host, p->interp.bias);
}

/* The program as the host runs it, with -0, -E and -U applied. */
static _Noreturn void run_native(const cli *c, const char *path, char **gargv)
{
    if (c->opt.argv0)
        gargv[0] = (char *)c->opt.argv0;
    char **genv = lu_env_edit(environ, c->set, c->unset);
    execve(path, gargv, genv ? genv : environ);
    fprintf(stderr, "ferry: %s: %s\n", path, strerror(errno));
    exit(errno == ENOENT ? LU_EXIT_NOT_FOUND : LU_EXIT_CANNOT_RUN);
}

/* A program of the host's own ISA (its guest_abi has no translator: x86-64)
 * runs in KVM (this returns) unless --no-kvm says natively, or /dev/kvm
 * cannot be used: then natively after one line saying why, or not at all
 * with --kvm.  What the loader mapped is left to the execve. */
static void choose_kvm(const cli *c, const char *path, char **gargv)
{
    kvm_caps caps = { .why = "--no-kvm" };
    if (c->kvm != KVM_OFF && kvm_probe(&caps)) {
        if (c->gdb_port) {
            fprintf(stderr, "ferry: -g: x86-64 programs in KVM cannot be debugged "
                    "through Ferry (run gdb on the program itself)\n");
            exit(1);
        }
        return;
    }
    if (c->kvm == KVM_FORCE) {
        fprintf(stderr, "ferry: --kvm: %s\n", caps.why);
        exit(LU_EXIT_CANNOT_RUN);
    }
    if (c->kvm == KVM_AUTO)
        fprintf(stderr, "ferry: %s: running %s natively, without Ferry (--no-kvm to "
                "ask for that)\n", caps.why, path);
    run_native(c, path, gargv);
}

int main(int argc, char **argv)
{
    static cli c;
    static lu_proc p;
    static char err[512];
    pick_guest(&c, argv[0]);
    parse_env(&c);
    unsetenv("FERRY_GDB"); /* not for the programs the guest runs */
    int execfd; /* binfmt_misc (binfmt.c): the program is argv[1], no options */
    int first = lu_binfmt_args(&c.opt, &argc, argv, &execfd);
    if (!first)
        first = parse_args(&c, argc, argv);
    if (first >= argc)
        usage_error("%s", "no program given");
    load_disassembler(&c);
    const char *path = argv[first];
    lu_image img;
    uint16_t want = c.forced ? c.forced->elf_machine : 0;
    int st = lu_elf_load_fd(execfd, path, want, &img, err, sizeof err);
    if (st) {
        fprintf(stderr, "ferry: %s: %s\n", path, err);
        return st;
    }
    if (!img.abi->fe)
        choose_kvm(&c, path, &argv[first]);
    lu_proc_init(&p, img.abi);
    p.opt = c.opt;
    p.sysroot = lu_sysroot(img.abi, c.opt.sysroot);
    p.img = img;
    p.prog = path;
    p.exe_path = realpath(path, NULL);
    setup_log(&p);
    lu_mem_add(&p, img.start, img.brk);
    lu_code_add(&p, img.start, img.brk);
    lu_exec_image(&p, &img);
    lu_routines_add_file(&p, path, img.bias);
    if (c.perfmap && (lu_perfmap = lu_symtab_new()))
        lu_symtab_add(lu_perfmap, path, img.bias);
    if (img.interp[0])
        load_interp(&p, path);
    lu_brk_init(&p, img.brk);
    char **gargv = &argv[first];
    if (c.opt.argv0)
        gargv[0] = (char *)c.opt.argv0;
    char **genv = lu_env_edit(environ, c.set, c.unset);
    uint64_t sp = genv ? lu_stack_setup(&p, gargv, genv) : 0;
    if (!sp) {
        fprintf(stderr, "ferry: %s: cannot set up the guest stack at 0x%llx\n", path,
                (unsigned long long)(LU_STACK_TOP - LU_STACK_SIZE));
        return LU_EXIT_CANNOT_RUN;
    }
    void *cpu = aligned_alloc(64, (p.abi->cpu_size + 63) & ~(size_t)63);
    if (!cpu)
        return LU_EXIT_CANNOT_RUN;
    p.abi->init_cpu(cpu, p.interp.entry ? p.interp.entry : img.entry, sp);
    if (!p.run->start(&p)) /* it said why */
        return 1;
    if (c.gdb_port && !lu_gdb_start(&p, c.gdb_port))
        return 1;
    lu_run_main(&p, cpu);
}
