/* linux-user's internal header: the per-process context (options, loaded
 * image, brk, guest memory map, signal table) and the per-thread state the
 * syscall handlers see.  Nothing outside linux-user/ includes this.
 */
#ifndef FERRY_LU_H
#define FERRY_LU_H

#include <errno.h>
#include <pthread.h>
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

/* What the command line asked for. */
typedef struct lu_options {
    const char *sysroot;   /* -L */
    const char *argv0;     /* -0 */
    unsigned log;          /* -d, ENGINE_LOG_* */
    const char *logfile;   /* -D */
    const char *disabled_passes;
    bool strace;
} lu_options;

/* One guest signal's recorded disposition (delivery is a later issue). */
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

typedef struct lu_proc {
    const guest_abi *abi;
    lu_options opt;
    lu_image img;
    const char *prog;      /* the program path as given (AT_EXECFN) */
    const char *exe_path;  /* absolute path, for /proc/self/exe */
    FILE *log;             /* -d output (stderr unless -D) */
    pthread_mutex_t lock;  /* guards mem, brk, sig */
    lu_memmap mem;
    uint64_t brk_start, brk_cur, brk_limit; /* limit: end of the reserve */
    lu_sigaction sig[LU_NSIG + 1];
    /* Set by cpu_loop: forget translations of [start, end). */
    void (*invalidate)(void *eng, uint64_t start, uint64_t end);
    void *eng;
    bool exiting;          /* exit_group (or the last exit) was called */
    int exit_status;
} lu_proc;

typedef struct lu_thread {
    lu_proc *p;
    void *cpu;
    int tid;
    uint64_t clear_child_tid; /* set_tid_address */
    uint64_t robust_list, robust_len;
    uint64_t sigmask;         /* bit (sig - 1) */
    uint64_t altstack_sp, altstack_size;
    int32_t altstack_flags;
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
/* Reserve the brk region right after the image. */
void lu_brk_init(lu_proc *p, uint64_t start);

/* The initial stack (stack.c): returns the guest sp, or 0 with errno. */
uint64_t lu_stack_setup(lu_proc *p, char **argv, char **envp);
/* A new environment: env with each "VAR=value" of set applied and each
 * VAR of unset removed (-E, -U).  Both lists end in NULL. */
char **lu_env_edit(char **env, char **set, char **unset);

/* Syscalls (syscall.c). */
void lu_syscall(lu_thread *t);
int64_t lu_syscall_nr(lu_thread *t, uint64_t nr, const uint64_t a[6]);
const char *lu_syscall_name(uint64_t nr);

/* The cpu loop (cpu_loop.c): runs until the guest exits or dies. */
lu_end lu_cpu_loop(lu_proc *p, void *cpu, int tid);

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
