/* kvm/: x86-64 guests run natively inside a KVM virtual machine, every
 * system call leaving the VM for linux-user (issue #7).  This layer is the
 * machine itself: open /dev/kvm, build a long-mode VM whose guest physical
 * and virtual addresses equal Ferry's own (GVA == GPA == HVA, so a
 * syscall's pointers need no translation), keep its page tables in step
 * with the guest's mappings and their permissions, and run vCPUs at
 * ring 3 until they make a system call, take an exception (a ring-0 stub
 * per vector reports it and returns through the frame Ferry may have
 * changed: faults become signals) or are kicked.
 *
 *   kvm_caps caps;
 *   if (!kvm_probe(&caps)) fprintf(stderr, "ferry: %s\n", caps.why);
 *   kvm_vm *vm = kvm_vm_new(&caps, err, sizeof err);
 *   kvm_vm_map(vm, addr, len, KVM_PROT_READ | KVM_PROT_EXEC);
 *   kvm_vcpu *v = kvm_vcpu_new(vm, err, sizeof err);
 *   kvm_gregs r = { .rip = entry, .rsp = sp, .rflags = 2 };
 *   while (kvm_vcpu_run(v, &r) == KVM_STOP_SYSCALL)
 *       r.rax = handle(r.rax, r.rdi, ...);   // the result; the guest goes on
 *
 * Memory: a guest mapping is Ferry's memory at the same address, so the
 * VM needs only memslots over it (created lazily, one per 1 GiB of
 * address space touched: a slot's bookkeeping grows with its size, so one
 * slot over everything is out of the question) and page-table entries
 * with its permissions.  Narrowing a mapping also needs the host's own
 * mprotect/munmap of it, whose MMU notifier drops KVM's cached
 * translations (the guest TLB or PVM's shadow page tables): Ferry always
 * does both, so kvm_vm_map never flushes anything itself.
 *
 * On this development machine /dev/kvm is PVM, a software hypervisor:
 * ring-3 code runs natively, `syscall` stays at CPL 3 (the entry stub
 * LSTAR names is user code: it stops with `out` through the TSS I/O
 * bitmap, and Ferry resumes the guest by setting its registers); on
 * hardware KVM the stub is ring 0 and the resume also loads the user
 * segments (untested: no VMX/SVM here).  ../shared/notes/
 * kvm-on-this-machine.md has the measurements this follows.
 */
#ifndef FERRY_KVM_VM_H
#define FERRY_KVM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kvm_caps {
    bool usable; /* /dev/kvm opens and speaks API 12 */
    bool pvm;    /* the kvm_pvm module backs it: syscall keeps CPL 3 */
    char why[160]; /* when not usable: one line, for the user */
} kvm_caps;

/* What /dev/kvm offers here; false (with why) when it cannot be used. */
bool kvm_probe(kvm_caps *caps);

/* The machine's own fds (/dev/kvm, the VM, its vCPUs) live high in the fd
 * table, away from the guest's; the guest must not close or replace them
 * (a child about to exec closes every fd it does not know).  The first of
 * them at or after fd, or -1. */
int kvm_fd_next(int fd);

enum { KVM_PROT_READ = 1, KVM_PROT_WRITE = 2, KVM_PROT_EXEC = 4 };

typedef struct kvm_vm kvm_vm;
typedef struct kvm_vcpu kvm_vcpu;

/* The guest's general registers, in KVM's order (struct kvm_regs). */
typedef struct kvm_gregs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
} kvm_gregs;

typedef enum kvm_stop {
    KVM_STOP_SYSCALL,   /* a system call: rip is past it, rcx and r11 hold
                         * rip and rflags as the instruction left them */
    KVM_STOP_FAULT,     /* an exception (kvm_vcpu_fault), at the faulting
                         * instruction */
    KVM_STOP_INTERRUPT, /* kicked (kvm_vcpu_kick) or a host signal came */
    KVM_STOP_MEMORY,    /* the host could not back memory the guest touched
                         * (a file mapping past its end): KVM does not say
                         * where; rip is the instruction */
    KVM_STOP_ERROR,     /* the VM stopped some other way: kvm_vcpu_error */
} kvm_stop;

/* An exception: the x86 vector (14 #PF, 13 #GP, 6 #UD...), its error
 * code (0 where the CPU gives none) and, for a page fault, the address. */
typedef struct kvm_fault {
    int vector;
    uint64_t error, cr2;
} kvm_fault;

kvm_vm *kvm_vm_new(const kvm_caps *caps, char *err, size_t len);
void kvm_vm_free(kvm_vm *vm);
/* In a fork's child: the parent's VM cannot be used from here, so a new
 * one takes its place with the same memory and page tables (the child's
 * copies); the parent's vCPUs are gone.  NULL (with err) on failure. */
kvm_vm *kvm_vm_fork(kvm_vm *parent, char *err, size_t len);
/* The guest sees [addr, addr+len) of Ferry's address space at the same
 * address with prot (0: nothing there).  Page-aligned.  false with errno
 * when KVM refuses a memslot or page tables cannot be allocated.
 * Thread-safe. */
bool kvm_vm_map(kvm_vm *vm, uint64_t addr, uint64_t len, int prot);
/* What the guest may do with the page at addr (KVM_PROT_*; 0: nothing). */
int kvm_vm_prot(kvm_vm *vm, uint64_t addr);
/* Answer getpid (with pid) and arch_prctl(ARCH_SET_FS) inside the VM,
 * without a stop; pid 0: every system call stops (-strace must see them
 * all).  Not while vCPUs run. */
void kvm_vm_fast_calls(kvm_vm *vm, int pid);

/* A vCPU at ring 3, to be run on one host thread. */
kvm_vcpu *kvm_vcpu_new(kvm_vm *vm, char *err, size_t len);
/* Run the guest from *r until it stops; *r holds its registers then. */
kvm_stop kvm_vcpu_run(kvm_vcpu *v, kvm_gregs *r);
/* Async-signal-safe: the next or current run stops soon (INTERRUPT). */
void kvm_vcpu_kick(kvm_vcpu *v);
const char *kvm_vcpu_error(const kvm_vcpu *v);
const kvm_fault *kvm_vcpu_fault(const kvm_vcpu *v);
/* FS and GS bases: read now; set from the next run on. */
bool kvm_vcpu_get_bases(kvm_vcpu *v, uint64_t *fs, uint64_t *gs);
void kvm_vcpu_set_bases(kvm_vcpu *v, uint64_t fs, uint64_t gs);
/* The FP/vector state as a standard-format XSAVE image (struct kvm_xsave,
 * KVM_FP_SIZE bytes). */
#define KVM_FP_SIZE 4096
bool kvm_vcpu_get_fp(kvm_vcpu *v, void *xsave);
bool kvm_vcpu_set_fp(kvm_vcpu *v, const void *xsave);
void kvm_vcpu_free(kvm_vcpu *v);

#endif
