/* lu_runner_kvm: x86-64 guest code runs natively in a KVM virtual machine
 * (kvm/), one vCPU per guest thread, taken when the thread first runs.
 * Each stop becomes what the cpu loop knows from the translator: a
 * syscall, an interrupt (a host signal or kick), or a fault, which is the
 * signal the x86-64 kernel raises for that exception.  The VM's page
 * tables follow the guest's mappings: those that exist when it starts
 * (the loaded images and the stack) are read from /proc/self/maps, and
 * each later change comes from the memory syscalls (lu_mem_prot).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "backend/engine.h"
#include "linux-user/lu.h"
#include "linux-user/x86_64/x64_abi.h"

#define SI_KERNEL_CODE 0x80 /* si_code of a signal the kernel raised */

/* --stats: the VM's start (kvm_start's beginning to the first KVM_RUN)
 * and its stops by kind, over all threads. */
static struct {
    uint64_t t_start, t_first_run;
    uint64_t stops[5]; /* by kvm_stop */
    uint64_t run_ns;   /* time in KVM_RUN (guest code and exits) */
} stats;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void kvm_stats(lu_proc *p, FILE *f)
{
    static const char *const names[] = { "syscall", "fault", "interrupt", "memory", "error" };
    (void)p;
    fprintf(f, "ferry: kvm: VM start %.3f ms (to the first guest instruction), %.3f ms in the VM\n",
            stats.t_first_run > stats.t_start ? (stats.t_first_run - stats.t_start) / 1e6 : 0.0,
            stats.run_ns / 1e6);
    fprintf(f, "ferry: kvm: stops:");
    for (int i = 0; i < 5; i++)
        fprintf(f, " %s %llu", names[i], (unsigned long long)stats.stops[i]);
    fputc('\n', f);
}

/* A Ferry failure mid-run (the VM refused something): one line, and the
 * exit status --help documents for it. */
static _Noreturn void vm_failed(const char *what)
{
    fprintf(stderr, "ferry: KVM: %s\n", what);
    exit(LU_EXIT_INTERNAL);
}

static int kvm_prot(int prot)
{
    return (prot & PROT_READ ? KVM_PROT_READ : 0) | (prot & PROT_WRITE ? KVM_PROT_WRITE : 0) |
           (prot & PROT_EXEC ? KVM_PROT_EXEC : 0);
}

/* The VM's page tables follow the guest's [start, end). */
static void vm_map(lu_proc *p, uint64_t start, uint64_t end, int prot)
{
    if (p->kvm && !kvm_vm_map(p->kvm, start, end - start, kvm_prot(prot)))
        vm_failed("cannot map guest memory");
}

static void kvm_mem(lu_proc *p, uint64_t start, uint64_t end, int prot)
{
    vm_map(p, start, end, prot);
    /* First touch of a page costs a shadow-page fault (~10 us on PVM,
     * ~1.5 us natively): large writable mappings get the host's huge
     * pages, which the VM's 2 MiB pages can map in one fault (sort:
     * 1.15x native -> 1.05x).  A later madvise of the guest's own
     * overrides it (until an mprotect of the range applies this again). */
    if ((prot & PROT_WRITE) && end - start >= (2u << 20))
        madvise((void *)(uintptr_t)start, end - start, MADV_HUGEPAGE);
}

static void kvm_mem_like(lu_proc *p, uint64_t start, uint64_t end, uint64_t like)
{
    if (p->kvm && !kvm_vm_map(p->kvm, start, end - start, kvm_vm_prot(p->kvm, like)))
        vm_failed("cannot map guest memory");
}

/* The guest's part of one /proc/self/maps line: its pieces inside the
 * guest's ranges, with the host's permissions, executable where the
 * guest may execute (the loader maps code readable only), each run of
 * pages alike in one call: an 8 MiB stack is four 2 MiB pages, not 2,048
 * calls.  The loader's mappings get no huge-page advice (a stack would
 * take a 2 MiB page, zeroed, at its first touch). */
static void map_line(lu_proc *p, uint64_t lo, uint64_t hi, int prot)
{
    for (size_t i = 0; i < p->mem.n && prot; i++) {
        uint64_t s = p->mem.r[i].start > lo ? p->mem.r[i].start : lo;
        uint64_t e = p->mem.r[i].end < hi ? p->mem.r[i].end : hi;
        while (s < e) {
            bool x = lu_exec_has(p, s);
            uint64_t t = s + LU_PAGE;
            while (t < e && lu_exec_has(p, t) == x)
                t += LU_PAGE;
            vm_map(p, s, t, prot | (x ? PROT_EXEC | PROT_READ : 0));
            s = t;
        }
    }
}

/* The host's vDSO and its data pages serve the guest as they are. */
static bool vdso_line(const char *line)
{
    return strstr(line, " [vdso]") || strstr(line, " [vvar");
}

static bool sync_maps(lu_proc *p)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return false;
    char line[512], perm[8];
    unsigned long lo, hi;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) != 3)
            continue;
        int prot = (perm[0] == 'r' ? PROT_READ : 0) | (perm[1] == 'w' ? PROT_WRITE : 0);
        if (vdso_line(line) && p->abi->host_vdso)
            vm_map(p, lo, hi, prot | (perm[2] == 'x' ? PROT_EXEC : 0));
        else
            map_line(p, lo, hi, prot);
    }
    fclose(f);
    return true;
}

/* The VM, or in a fork's child a new one over the same memory; the
 * thread that forked takes a new vCPU with the state sync_cpu saved. */
static bool kvm_start(lu_proc *p)
{
    char err[200];
    if (p->opt.stats && !stats.t_start)
        stats.t_start = now_ns();
    kvm_caps caps;
    if (!kvm_probe(&caps)) {
        fprintf(stderr, "ferry: %s\n", caps.why);
        return false;
    }
    if (p->kvm) {
        p->kvm = kvm_vm_fork(p->kvm, err, sizeof err);
        lu_thread *t = lu_signal_self();
        if (t) {
            x64_cpu *c = t->cpu;
            c->vcpu = NULL;
            c->state |= X64_FP_DIRTY | X64_SEG_DIRTY;
        }
    } else {
        p->kvm = kvm_vm_new(&caps, err, sizeof err);
        if (p->kvm && !sync_maps(p))
            snprintf(err, sizeof err, "cannot read /proc/self/maps");
    }
    if (!p->kvm) {
        fprintf(stderr, "ferry: %s\n", err);
        return false;
    }
    /* -strace shows every call: then none is answered in the VM */
    kvm_vm_fast_calls(p->kvm, p->opt.strace ? 0 : getpid());
    return true;
}

void x64_fp_sync(x64_cpu *c)
{
    if (!(c->state & X64_FP_VALID) && c->vcpu && !kvm_vcpu_get_fp(c->vcpu, c->fp))
        vm_failed("cannot read the FP state");
    c->state |= X64_FP_VALID;
}

/* What the kernel sends for an exception (arch/x86/kernel/traps.c). */
static const struct {
    int sig, code;
    bool addr; /* si_addr is the faulting instruction (else 0) */
} vector_signal[32] = {
    [0] = { SIGFPE, FPE_INTDIV, true },    /* #DE */
    [1] = { SIGTRAP, TRAP_BRKPT, true },   /* #DB */
    [3] = { SIGTRAP, SI_KERNEL_CODE, false }, /* int3 */
    [4] = { SIGSEGV, SI_KERNEL_CODE, false },
    [5] = { SIGSEGV, SI_KERNEL_CODE, false },
    [6] = { SIGILL, ILL_ILLOPN, true },    /* #UD */
    [7] = { SIGFPE, SI_KERNEL_CODE, false },
    [10] = { SIGSEGV, SI_KERNEL_CODE, false },
    [11] = { SIGBUS, SI_KERNEL_CODE, false }, /* segment not present */
    [12] = { SIGBUS, SI_KERNEL_CODE, false }, /* stack segment */
    [13] = { SIGSEGV, SI_KERNEL_CODE, false }, /* #GP */
    [16] = { SIGFPE, FPE_FLTINV, true },   /* x87 */
    [17] = { SIGBUS, BUS_ADRALN, false },  /* alignment check */
    [19] = { SIGFPE, FPE_FLTINV, true },   /* SIMD: refined from MXCSR */
};

/* The si_code of an SSE exception: the first unmasked flag raised, in
 * the kernel's order. */
static int simd_code(x64_cpu *c)
{
    uint32_t mxcsr;
    x64_fp_sync(c);
    memcpy(&mxcsr, c->fp + 24, 4);
    uint32_t hit = mxcsr & ~(mxcsr >> 7) & 0x3f;
    return hit & 1 ? FPE_FLTINV : hit & 4 ? FPE_FLTDIV : hit & 8 ? FPE_FLTOVF
         : hit & 0x12 ? FPE_FLTUND : hit & 0x20 ? FPE_FLTRES : FPE_FLTINV;
}

static void fault(x64_cpu *c, const kvm_fault *f, engine_exit *x)
{
    c->trapno = (uint64_t)f->vector, c->err = f->error, c->cr2 = 0;
    x->reason = ENGINE_FAULT;
    x->pc = c->r.rip;
    if (f->vector == 14) { /* page fault */
        c->cr2 = f->cr2;
        x->host_signal = SIGSEGV;
        x->host_code = f->error & 1 ? SEGV_ACCERR : SEGV_MAPERR;
        x->fault_addr = f->cr2;
        return;
    }
    int v = f->vector >= 0 && f->vector < 32 && vector_signal[f->vector].sig ? f->vector : 13;
    x->host_signal = vector_signal[v].sig;
    x->host_code = v == 19 ? simd_code(c) : vector_signal[v].code;
    x->fault_addr = vector_signal[v].addr ? c->r.rip : 0;
}

/* The host could not back what the guest touched: SIGBUS there, as the
 * kernel raises for a file mapping past its end (address 0 where the
 * instruction cannot be decoded). */
static void no_backing(x64_cpu *c, engine_exit *x)
{
    uint64_t addr = 0;
    if (!x64_fault_addr(c, &addr))
        addr = 0;
    c->trapno = 14, c->err = 4, c->cr2 = addr; /* a user-mode page fault */
    x->reason = ENGINE_FAULT;
    x->pc = c->r.rip;
    x->host_signal = SIGBUS;
    x->host_code = BUS_ADRERR;
    x->fault_addr = addr;
}

/* The thread's vCPU, made at its first run, and what Ferry changed. */
static kvm_vcpu *vcpu_of(lu_thread *t)
{
    x64_cpu *c = t->cpu;
    char err[200];
    if (!c->vcpu && !(c->vcpu = kvm_vcpu_new(t->p->kvm, err, sizeof err)))
        vm_failed(err);
    if ((c->state & X64_FP_DIRTY) && !kvm_vcpu_set_fp(c->vcpu, c->fp))
        vm_failed("cannot set the FP state");
    if (c->state & X64_SEG_DIRTY)
        kvm_vcpu_set_bases(c->vcpu, c->fs_base, c->gs_base);
    c->state &= ~(X64_FP_DIRTY | X64_SEG_DIRTY | X64_FP_VALID);
    return c->vcpu;
}

static void kvm_run_thread(lu_thread *t, engine_exit *x)
{
    x64_cpu *c = t->cpu;
    kvm_vcpu *v = vcpu_of(t);
    memset(x, 0, sizeof *x);
    uint64_t t0 = t->p->opt.stats ? now_ns() : 0;
    if (t0 && !stats.t_first_run)
        stats.t_first_run = t0;
    kvm_stop stop = kvm_vcpu_run(v, &c->r);
    if (t0) {
        __atomic_fetch_add(&stats.run_ns, now_ns() - t0, __ATOMIC_RELAXED);
        __atomic_fetch_add(&stats.stops[stop], 1, __ATOMIC_RELAXED);
    }
    switch (stop) {
    case KVM_STOP_SYSCALL: x->reason = ENGINE_SYSCALL; break;
    case KVM_STOP_INTERRUPT: x->reason = ENGINE_INTERRUPT; break;
    case KVM_STOP_FAULT: fault(c, kvm_vcpu_fault(v), x); break;
    case KVM_STOP_MEMORY: no_backing(c, x); break;
    case KVM_STOP_ERROR: vm_failed(kvm_vcpu_error(v));
    }
}

static void kvm_kick(lu_thread *t)
{
    x64_cpu *c = t->cpu;
    if (c->vcpu)
        kvm_vcpu_kick(c->vcpu);
}

/* The FP state and the FS/GS bases (the guest may set them itself:
 * wrfsbase, or arch_prctl answered in the VM) from the vCPU. */
static void kvm_sync_cpu(lu_thread *t)
{
    x64_cpu *c = t->cpu;
    x64_fp_sync(c);
    if (c->vcpu && !(c->state & X64_SEG_DIRTY) &&
        !kvm_vcpu_get_bases(c->vcpu, &c->fs_base, &c->gs_base))
        vm_failed("cannot read the FS/GS bases");
}

/* A new thread starts with its parent's state (synced before the copy),
 * FP as the kernel's fpu_clone gives it, on a vCPU of its own. */
static void kvm_clone_cpu(lu_thread *t, void *cpu)
{
    x64_cpu *child = cpu;
    (void)t;
    child->vcpu = NULL;
    child->state = X64_FP_VALID | X64_FP_DIRTY | X64_SEG_DIRTY;
}

/* When the thread ends, its vCPU waits for the next thread. */
static void kvm_thread_end(lu_thread *t)
{
    x64_cpu *c = t->cpu;
    kvm_vcpu_free(c->vcpu);
    c->vcpu = NULL;
}

const lu_runner lu_runner_kvm = {
    .start = kvm_start,
    .run = kvm_run_thread,
    .kick = kvm_kick,
    .clone_cpu = kvm_clone_cpu,
    .sync_cpu = kvm_sync_cpu,
    .mem = kvm_mem,
    .mem_like = kvm_mem_like,
    .thread_end = kvm_thread_end,
    .fd_next = kvm_fd_next,
    .stats = kvm_stats,
};
