/* linux-user's internal header: the per-process context (options, loaded
 * image and interpreter, brk, guest memory map, signal table, threads) and
 * the per-thread state the syscall handlers see.  Nothing outside
 * linux-user/ includes this.
 */
#ifndef FERRY_LU_H
#define FERRY_LU_H

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "linux-user/elfload.h"
#include "linux-user/guest_abi.h"

#define LU_PAGE 4096ull
#define LU_PAGE_DOWN(x) ((uint64_t)(x) & ~(LU_PAGE - 1))
#define LU_PAGE_UP(x) LU_PAGE_DOWN((uint64_t)(x) + LU_PAGE - 1)

#define LU_NSIG 64            /* guest signals 1..64 */
#define LU_STACK_TOP 0x3fff000000ull
#define LU_STACK_SIZE (8ull << 20)
#define LU_BRK_RESERVE (1ull << 30) /* most the guest heap may grow */
#define LU_AUXV_MAX 24        /* auxv pairs, AT_NULL included */

/* What the command line asked for. */
typedef struct lu_options {
    const char *sysroot;   /* -L */
    const char *argv0;     /* -0 */
    unsigned log;          /* -d, ENGINE_LOG_* */
    const char *logfile;   /* -D */
    const char *disabled_passes;
    bool strace;
    bool stats;            /* --stats: translation statistics at exit */
    bool verify_ir;        /* --verify-ir: check every block's IR */
    const char *cache_dir; /* --cache-dir: the persistent translation cache */
    bool no_cache;         /* --no-cache */
} lu_options;

/* The guests' sigaction and sigaltstack values: the generic Linux ones,
 * which every guest here (and x86-64) shares. */
#define GUEST_SIG_DFL 0
#define GUEST_SIG_IGN 1
#define GUEST_SA_NOCLDSTOP 0x1u
#define GUEST_SA_NOCLDWAIT 0x2u
#define GUEST_SA_SIGINFO 0x4u
#define GUEST_SA_RESTORER 0x04000000u
#define GUEST_SA_ONSTACK 0x08000000u
#define GUEST_SA_RESTART 0x10000000u
#define GUEST_SA_NODEFER 0x40000000u
#define GUEST_SA_RESETHAND 0x80000000u
#define GUEST_SS_ONSTACK 1
#define GUEST_SS_DISABLE 2
#define GUEST_SS_AUTODISARM (1u << 31)

/* One guest signal's disposition, as rt_sigaction gave it. */
typedef struct lu_sigaction {
    uint64_t handler, flags, restorer, mask;
} lu_sigaction;

/* Address ranges the guest owns: the only places it may map, unmap or
 * protect, so that it never touches Ferry's own memory. */
typedef struct lu_range {
    uint64_t start, end;
} lu_range;

typedef struct lu_memmap {
    lu_range *r; /* sorted, disjoint, merged */
    size_t n, cap;
} lu_memmap;

struct lu_proc;
struct lu_thread;
struct engine_exit;

/* How guest code runs, one per process: translated by the engine
 * (cpu_loop.c's lu_runner_engine) or natively in a KVM virtual machine
 * (x86_64/run.c's lu_runner_kvm).  The cpu loop, threads, fork and the
 * memory syscalls go through it. */
typedef struct lu_runner {
    /* Before the first guest thread runs, and again in a fork's child. */
    bool (*start)(struct lu_proc *p);
    /* Run t's guest code until it needs the outside world. */
    void (*run)(struct lu_thread *t, struct engine_exit *x);
    /* From a host signal handler: t leaves guest code soon. */
    void (*kick)(struct lu_thread *t);
    /* cpu is a new thread's copy of t's state (NULL: the copy is all). */
    void (*clone_cpu)(struct lu_thread *t, void *cpu);
    /* Make t->cpu all of the guest's state, before it is copied for a
     * new thread or a fork's child (NULL: it always is). */
    void (*sync_cpu)(struct lu_thread *t);
    /* The guest's view of [start, end) changed: now mapped with prot
     * (PROT_*; 0: nothing there), or as the page at like was (mremap).
     * NULL: the runner needs not know. */
    void (*mem)(struct lu_proc *p, uint64_t start, uint64_t end, int prot);
    void (*mem_like)(struct lu_proc *p, uint64_t start, uint64_t end, uint64_t like);
    /* t's loop ended (NULL: nothing to do). */
    void (*thread_end)(struct lu_thread *t);
    /* The first fd of the runner's own at or after fd, -1: none (NULL: it
     * has none).  To the guest they are not open: close, close_range and
     * dup2 leave them alone. */
    int (*fd_next)(int fd);
    /* --stats: what it did, at the process's end. */
    void (*stats)(struct lu_proc *p, FILE *f);
    /* The process ends or execs another program: keep what should outlive
     * it (NULL: nothing). */
    void (*save)(struct lu_proc *p);
} lu_runner;

extern const lu_runner lu_runner_engine;
extern const lu_runner lu_runner_kvm;

typedef struct lu_proc {
    const guest_abi *abi;
    const lu_runner *run;  /* how its code runs */
    void *kvm;             /* lu_runner_kvm's VM */
    lu_options opt;
    const char *sysroot;   /* -L, or the guest's default if it exists; or NULL */
    lu_image img;
    lu_image interp;       /* the program's ld.so; interp.entry 0: none */
    const char *prog;      /* the program path as given (AT_EXECFN) */
    const char *exe_path;  /* absolute path, for /proc/self/exe */
    const char *ferry_path; /* Ferry's own binary, for a guest execve (sys_exec.c) */
    uint64_t auxv[2 * LU_AUXV_MAX]; /* as given to the guest: /proc/self/auxv */
    size_t auxv_words;
    FILE *log;             /* -d output (stderr unless -D) */
    pthread_mutex_t lock;  /* guards mem, brk, sig */
    lu_memmap mem;
    /* Where guest code may be: the loaded images and PROT_EXEC mappings.
     * Unmapping or replacing memory elsewhere drops no translations, so
     * that one thread's mmap/munmap of data does not flush the code the
     * others are running. */
    lu_memmap code;
    /* Where the guest may execute (PROT_EXEC, PF_X): a fetch elsewhere is
     * SIGSEGV, as on hardware.  exec_lock is a leaf lock: the engine asks
     * while translating, under its own lock. */
    lu_memmap exec;
    pthread_mutex_t exec_lock;
    /* under exec_lock (routines.c), but read without it to tell most
     * pcs at once that no routine starts there */
    struct lu_routines *_Atomic routines;
    uint64_t brk_start, brk_cur, brk_limit; /* limit: end of the reserve */
    lu_sigaction sig[LU_NSIG + 1];
    uint64_t sigtramp;     /* the trampoline page (guest_abi.h LU_TRAMP_*) */
    /* Set by cpu_loop: forget translations of [start, end). */
    void (*invalidate)(void *eng, uint64_t start, uint64_t end);
    void *eng;
    bool exiting;          /* exit_group (or the last exit) was called */
    int exit_status;
    int nthreads;          /* guest threads alive (under lock) */
    int pid;               /* the thread-group leader's tid */
    bool leader_exited;    /* its status is the process's if all threads exit */
    int leader_status;
} lu_proc;

typedef struct lu_thread {
    lu_proc *p;
    void *cpu;
    int tid;
    uint64_t clear_child_tid; /* set_tid_address */
    uint64_t robust_list;     /* set_robust_list's head (thread.c walks it) */
    uint64_t sigmask;         /* bit (sig - 1) */
    uint64_t altstack_sp, altstack_size;
    int32_t altstack_flags;
    /* Signals (signal.c).  sig_pending: what the host handler recorded
     * for this thread and the cpu loop has not delivered yet (bit sig-1,
     * written with atomics), each with its siginfo; the host keeps those
     * blocked meanwhile, so that later ones wait in the kernel. */
    uint64_t sig_pending;
    siginfo_t sig_info[LU_NSIG];
    siginfo_t sig_forced;     /* a trap or fault's signal (si_signo 0: none) */
    uint64_t sig_saved_mask;  /* rt_sigsuspend's mask to put back ... */
    bool sig_restore_mask;    /* ... after the handler it waited for */
    bool sys_eintr;           /* the syscall just run may restart (SYS_RESTART) */
    uint64_t sys_ret_was;     /* what the result register held before the call
                               * (the first argument; x86-64: the number) */
    void *host_altstack;
    sigjmp_buf *fault_jmp;    /* set while Ferry touches guest memory (a
                               * syscall handler, a signal frame): a host
                               * fault there jumps back instead */
    bool exiting;             /* this thread called exit: its loop ends */
    int exit_status;          /* what it passed to exit */
} lu_thread;

/* How a guest run ended. */
typedef struct lu_end {
    bool signaled;
    int status; /* exit status, or the signal */
} lu_end;

/* Guest ABIs we know, by ELF machine or by name (ferry-<name>). */
const guest_abi *lu_abi_for_machine(uint16_t machine);
const guest_abi *lu_abi_by_name(const char *name);

/* lu_proc setup and guest memory ownership (mem.c). */
void lu_proc_init(lu_proc *p, const guest_abi *abi);
void lu_mem_add(lu_proc *p, uint64_t start, uint64_t end);
void lu_mem_remove(lu_proc *p, uint64_t start, uint64_t end);
bool lu_mem_covered(const lu_proc *p, uint64_t start, uint64_t end);
/* The highest start of len free bytes (none of the guest's ranges) within
 * [lo, hi), or 0. */
uint64_t lu_mem_gap(const lu_proc *p, uint64_t len, uint64_t lo, uint64_t hi);
/* mmap without an address, for the guest: where Ferry puts such mappings
 * for a translated guest (top down below the interpreter, the same
 * addresses every run), where the kernel does for one in KVM (mem.c). */
void *lu_mem_place(lu_proc *p, uint64_t len, int prot, int flags, int fd, off_t off);
void lu_code_add(lu_proc *p, uint64_t start, uint64_t end);
void lu_code_remove(lu_proc *p, uint64_t start, uint64_t end);
bool lu_code_overlaps(const lu_proc *p, uint64_t start, uint64_t end);
/* Mark [start, end) executable or not; whether pc may be executed. */
void lu_exec_set(lu_proc *p, uint64_t start, uint64_t end, bool exec);
bool lu_exec_has(lu_proc *p, uint64_t pc);
/* A page of guest code Ferry provides (the signal trampoline, the host
 * routines' entries): len bytes of it copied, the rest zero, read-only and
 * executable for the guest.  0 when it cannot be mapped. */
uint64_t lu_guest_code_page(lu_proc *p, const void *bytes, size_t len);
/* Record an image's executable segments. */
void lu_exec_image(lu_proc *p, const lu_image *img);

/* Host routines for the guest's libc string functions (routines.c): found
 * by symbol in the program (lu_routines_add_file, bias as for its symbols)
 * and in each file the guest maps executable (lu_routines_add_mapping:
 * the guest's fd, file offset and range; called with p->lock held);
 * forgotten where memory is unmapped or replaced.  lu_routine_at has
 * engine_opts.routine's shape.  Nothing for a guest run natively or with
 * --disable-pass routines. */
void lu_routines_add_file(lu_proc *p, const char *path, uint64_t bias);
void lu_routines_add_mapping(lu_proc *p, int fd, uint64_t off, uint64_t start, uint64_t end);
void lu_routines_forget(lu_proc *p, uint64_t start, uint64_t end);

/* Ferry's cache directory for p (cache.c): --cache-dir, else
 * $XDG_CACHE_HOME/ferry, else ~/.cache/ferry, into buf; false when
 * nothing is cached (--no-cache, a set-user-ID program: code or facts
 * from a file its user may write must not be trusted with the owner's
 * rights) or none can be named. */
bool lu_cache_dir(const lu_proc *p, char *buf, size_t len);
/* One function a routine scan found (routines.c): its pc less the scan's
 * base, its size, its kind and whether it is an IFUNC resolver. */
typedef struct lu_scan_hit {
    uint64_t rel;
    uint32_t size;
    uint16_t kind;
    uint8_t ifunc, zero;
} lu_scan_hit;
/* The key of a scan of the file open at fd (its identity, Ferry's build,
 * p's guest machine and n <= 3 params that decide the hits), 0 when it
 * has none (not a regular file, no build ID). */
uint64_t lu_memo_key(const lu_proc *p, int fd, const uint64_t *params, unsigned n);
/* The hits kept under key (malloc'ed, *n of them), or NULL. */
lu_scan_hit *lu_memo_load(const lu_proc *p, uint64_t key, size_t *n);
/* Keep n hits under key, for the next process (atomically, making the
 * directory; quietly not when it cannot be written). */
void lu_memo_save(const lu_proc *p, uint64_t key, const lu_scan_hit *hits, size_t n);
bool lu_routine_at(void *proc, uint64_t pc, frontend_answer *r);
/* Reserve the brk region right after the image. */
void lu_brk_init(lu_proc *p, uint64_t start);

/* The initial stack (stack.c): returns the guest sp, or 0 with errno. */
uint64_t lu_stack_setup(lu_proc *p, char **argv, char **envp);
/* A new environment: env with each "VAR=value" of set applied and each
 * VAR of unset removed (-E, -U).  Both lists end in NULL. */
char **lu_env_edit(char **env, char **set, char **unset);

/* One syscall's row: name, handler, argument kinds for -strace and path
 * mapping (see syscall_table.def), SYS_* flags. */
typedef struct lu_sysdef {
    const char *name;
    int64_t (*fn)(lu_thread *t, const uint64_t a[6]);
    const char *kinds;
    unsigned flags;
} lu_sysdef;
/* SYS_RESTART: restarted after a handler with SA_RESTART (the kernel's
 * ERESTARTSYS calls); SYS_SIGRETURN: sets every register itself;
 * SYS_FAST: also answered inside the engine (lu_syscall_fast);
 * SYS_NOHAND, SYS_RESTART_BLOCK: interrupted, the kernel's ERESTARTNOHAND
 * or ERESTART_RESTARTBLOCK (what -strace shows); SYS_THREAD_EXIT: ends
 * the calling thread only. */
enum { SYS_NORET = 1, SYS_RETX = 2, SYS_RESTART = 4, SYS_SIGRETURN = 8, SYS_FAST = 16,
       SYS_NOHAND = 32, SYS_RESTART_BLOCK = 64, SYS_THREAD_EXIT = 128 };
/* A handler's result: run the call again after the signals now pending
 * are delivered, whatever SA_RESTART says (the kernel's ERESTARTNOINTR). */
#define LU_ERESTARTNOINTR 513

/* Syscalls (syscall.c). */
void lu_syscall(lu_thread *t);
int64_t lu_syscall_nr(lu_thread *t, uint64_t nr, const uint64_t a[6]);
bool lu_syscall_fast(lu_thread *t);
const char *lu_syscall_name(uint64_t nr);

/* -strace (strace.c), printed as strace prints: a call as it starts (up
 * to its first output argument) and as it ends (the rest and its result);
 * a signal taken for a handler or a default action (`--- SIGUSR1 {...}
 * ---`); the process's end (`+++ exited with 0 +++`).  The last two check
 * opt.strace themselves.  lu_guest_read copies guest memory without ever
 * faulting (process_vm_readv): the bytes it could read. */
void lu_strace_call(lu_thread *t, uint64_t nr, const lu_sysdef *d, const uint64_t a[6]);
void lu_strace_result(lu_thread *t, uint64_t nr, const lu_sysdef *d, const uint64_t a[6],
                      int64_t r);
void lu_strace_signal(lu_thread *t, const siginfo_t *si);
void lu_strace_exec(lu_thread *t);
void lu_strace_end(lu_proc *p, lu_end end);
size_t lu_guest_read(void *dst, uint64_t addr, size_t len);

/* Guest path lookups under the sysroot (path.c): an absolute path names
 * the file under sysroot when it exists there, else the host's own.
 * Returns path itself or buf. */
const char *lu_path_map(const char *sysroot, const char *path, char *buf, size_t len);
/* The sysroot to use: -L if given, else the guest's default if it is a
 * directory, else NULL. */
const char *lu_sysroot(const guest_abi *abi, const char *given);

/* Files under /proc that must describe the guest, not Ferry (procfs.c).
 * Returns true when path is one of them, with an fd or -errno in *ret. */
bool lu_proc_open(lu_thread *t, const char *path, int flags, int64_t *ret);
/* Is path /proc/self/NAME (or thread-self, our own pid, or either's
 * task/TID/ of one of our threads)? */
bool lu_proc_self(const char *path, const char *name);
/* The text of a generated file ("/proc/cpuinfo", "/proc/self/auxv"...):
 * malloc'ed, its length in *len; NULL if path is not one. */
char *lu_proc_text(lu_proc *p, const char *path, size_t *len);
/* /proc/self/maps as the guest's kernel would write it: only the guest's
 * mappings, its permissions, labels and paths (procfs_maps.c).  A host
 * path as the guest names it: without the sysroot prefix when that name
 * leads back to the same file ("/usr/aarch64-linux-gnu/lib/libc.so.6":
 * "/lib/libc.so.6"), else path itself; returns a suffix of path. */
void lu_proc_maps(lu_proc *p, FILE *f);
const char *lu_guest_name(const char *sysroot, const char *path);

/* The guest's memory changed (sys_mem.c): tell the runner, if it asks. */
static inline void lu_mem_prot(lu_proc *p, uint64_t start, uint64_t end, int prot)
{
    if (p->run && p->run->mem)
        p->run->mem(p, start, end, prot);
}
/* The runner's own fds (a KVM machine's) are not the guest's: to it they
 * are not open. */
static inline bool lu_runner_fd(const lu_proc *p, uint64_t fd)
{
    return p->run->fd_next && fd < 0x7fffffff && p->run->fd_next((int)fd) == (int)fd;
}
static inline void lu_mem_like(lu_proc *p, uint64_t start, uint64_t end, uint64_t like)
{
    if (p->run && p->run->mem_like)
        p->run->mem_like(p, start, end, like);
}
/* The cpu loop (cpu_loop.c): runs one guest thread until it exits, the
 * process exits, or the guest dies. */
lu_end lu_cpu_loop(lu_thread *t);
/* Debugging and profiling.  -g PORT (gdbstub.c): lu_gdb_start waits for
 * gdb's connection (false: it cannot listen, said on stderr) and sets
 * lu_gdb_on; from then on each cpu loop runs guest code through
 * lu_gdb_run (engine_run_debug; a debugger's stop is talked over with gdb
 * there, or waits while gdb holds the threads, and comes back as
 * ENGINE_INTERRUPT), lets gdb see each signal before it is delivered
 * (lu_gdb_signals: gdb may drop it), and says when its thread's loop ends
 * (lu_gdb_thread_end: a death by a signal is told to gdb; an exit is told
 * from an on_exit handler).
 * --perfmap (cpu_loop.c): lu_perfmap, set before lu_engine_start, names
 * the guest code in the engine's perf map (NULL: no map). */
extern bool lu_gdb_on;
bool lu_gdb_start(lu_proc *p, int port);
void lu_gdb_run(lu_thread *t, struct engine_exit *x);
void lu_gdb_signals(lu_thread *t);
void lu_gdb_thread_end(lu_thread *t, lu_end end);
extern lu_symtab *lu_perfmap;

/* Threads (thread.c): run the first guest thread on this host thread and
 * end the process as the guest's end says (never returns). */
_Noreturn void lu_run_main(lu_proc *p, void *cpu);
_Noreturn void lu_process_end(lu_proc *p, lu_end end);
/* A new thread's registers (thread.c): a malloc'ed copy of t's, returning
 * 0, on stack newsp (0: the same), with thread pointer tls when flags has
 * CLONE_SETTLS; NULL when out of memory. */
void *lu_clone_cpu(lu_thread *t, uint64_t flags, uint64_t newsp, uint64_t tls);

/* Signals (signal.c).  lu_signal_init once at start: the trampoline page,
 * the host handlers Ferry always needs, dispositions and mask inherited
 * across execve.  Each guest thread brackets its loop with
 * lu_signal_thread_start/_end on its own host thread. */
bool lu_signal_init(lu_proc *p, uint64_t *initial_mask);
void lu_signal_thread_start(lu_thread *t);
void lu_signal_thread_end(lu_thread *t);
/* The host side of sig's guest disposition (after rt_sigaction). */
void lu_signal_host_action(lu_proc *p, int sig);
/* The guest mask changed: the host's follows (pending ones stay blocked). */
void lu_signal_mask_changed(lu_thread *t);
/* Run fn(t, arg), which reads or writes guest memory itself: a host fault
 * on a bad guest address returns false at once (where the kernel would
 * answer EFAULT or force SIGSEGV) instead of crashing Ferry.  fn must not
 * hold a lock while it touches guest memory.  Nests. */
typedef void lu_access_fn(lu_thread *t, void *arg);
bool lu_guest_access(lu_thread *t, lu_access_fn *fn, void *arg);
/* Around execve, which keeps the mask and the pending signals: begin
 * returns false when a signal the guest has not blocked waits for
 * delivery (the kernel delivers it before the call, which then starts
 * again: ERESTARTNOINTR); otherwise the signals recorded for the thread
 * (all blocked) go back to the kernel's pending set with their siginfo
 * and the host mask becomes exactly the guest's, which the new image
 * inherits.  exec_failed: the execve returned. */
bool lu_signal_exec_begin(lu_thread *t);
void lu_signal_exec_failed(lu_thread *t);
/* What sig's default action does, as the kernel's sig_kernel_* sets say. */
enum { LU_ACT_TERM, LU_ACT_IGN, LU_ACT_STOP };
int lu_signal_default_action(int sig);
/* The guest thread running on this host thread (NULL: none). */
lu_thread *lu_signal_self(void);
/* Block every signal the host may block (old: what was blocked), and
 * put it back; for the waits in sys_signal.c. */
void lu_signal_block_all(uint64_t *old);
void lu_signal_host_mask(uint64_t mask);
/* The mask the host must have for t now: its guest mask and what is
 * recorded pending, less what must never be blocked. */
uint64_t lu_signal_host_set(lu_thread *t);
/* A trap or fault: the guest must take si's signal (it dies if the
 * signal is blocked or ignored, as with the kernel's force_sig). */
void lu_signal_force(lu_thread *t, const siginfo_t *si);
/* Deliver what is pending and not blocked: run handlers (build their
 * frames) or take default actions.  false: the guest dies (*end). */
bool lu_signal_deliver(lu_thread *t, lu_end *end);
/* Take the lowest recorded pending signal of set off t's queue, with its
 * siginfo; 0 if none. */
int lu_signal_dequeue(lu_thread *t, uint64_t set, siginfo_t *si);
/* A wait that takes a signal mask for its duration (sys_signal.c):
 * begin installs the guest mask and gives the host mask the host call must
 * wait with (false: a signal is already deliverable, return -EINTR without
 * waiting); end(result) puts the old mask back unless a handler is due. */
bool lu_sigmask_wait_begin(lu_thread *t, uint64_t mask, uint64_t *host);
void lu_sigmask_wait_end(lu_thread *t, int64_t r);
/* The FP status words (LU_TRAMP_FP_*) of t's guest, read or set through
 * the engine. */
void lu_fp_status(lu_thread *t, bool set, uint64_t v[2]);
/* sigaltstack's rules (sys_signal.c), also for rt_sigreturn's uc_stack:
 * the new stack ss (NULL: no change), the old one into old (NULL: not
 * wanted); 0 or -errno. */
typedef struct lu_stack {
    uint64_t sp, size;
    int32_t flags;
} lu_stack;
int lu_sigaltstack(lu_thread *t, const lu_stack *ss, lu_stack *old);
/* sas_ss_flags: SS_DISABLE, SS_ONSTACK (sp is on it) or 0, with the
 * flag bits (SS_AUTODISARM) kept. */
int32_t lu_altstack_flags(lu_thread *t, uint64_t sp);
static inline uint32_t lu_sigreturn_size(const guest_abi *abi)
{
    return abi->sigreturn_size ? abi->sigreturn_size : abi->sigframe_size;
}
static inline uint64_t lu_guest_sp(const lu_thread *t)
{
    return *(const uint64_t *)((const char *)t->cpu + t->p->abi->sp_off);
}
/* The guest signal sig dies as the host's: re-raised with its default
 * action (never returns). */
_Noreturn void lu_die_of_signal(int sig);

/* Started by binfmt_misc (binfmt.c).  lu_binfmt_args: when the kernel's
 * auxv says so (P or O flag), the program is argv[1]: returns 1, with P's
 * extra argument moved from argv into opt->argv0 and *execfd the kernel's
 * open program (AT_EXECFD) or -1; returns 0 for an ordinary command line.
 * lu_binfmt_self: Ferry's binary for a guest execve, path when it names
 * this binary, else "/proc/self/exe" (F registration, inside a chroot). */
int lu_binfmt_args(lu_options *opt, int *argc, char **argv, int *execfd);
const char *lu_binfmt_self(const char *path);

/* Handlers: int64_t sys_NAME(lu_thread *t, const uint64_t a[6]),
 * returning the result or a negative errno. */
#define SYS(nr, name, kinds, flags) \
    int64_t sys_##name(lu_thread *t, const uint64_t a[6]);
#include "linux-user/syscall_table.def"
#undef SYS

/* The host result of a passed-through call as the kernel returns it. */
static inline int64_t lu_ret(int64_t r)
{
    return r < 0 ? -(int64_t)errno : r;
}

#define G2H(x) ((void *)(uintptr_t)(x))

#endif
