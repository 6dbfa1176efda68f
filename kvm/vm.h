/* kvm/: x86-64 guests run natively inside a KVM virtual machine, every
 * system call leaving the VM for linux-user (issue #7).  This first layer
 * is the machine itself: open /dev/kvm, build a long-mode VM whose guest
 * physical and virtual addresses equal Ferry's own (GVA == GPA == HVA, so
 * a syscall's pointers need no translation), map guest memory into it with
 * its permissions, and run a vCPU at ring 3 until it makes a system call
 * or takes an exception (a ring-0 stub per vector reports it and returns
 * through the frame Ferry may have changed: faults become signals).
 *
 *   kvm_caps caps;
 *   if (!kvm_probe(&caps)) fprintf(stderr, "ferry: %s\n", caps.why);
 *   kvm_vm *vm = kvm_vm_new(&caps, err, sizeof err);
 *   kvm_vm_map(vm, addr, len, KVM_PROT_READ | KVM_PROT_EXEC);
 *   kvm_vcpu *v = kvm_vcpu_new(vm, entry, sp, err, sizeof err);
 *   while (kvm_vcpu_run(v) == KVM_STOP_SYSCALL) {
 *       kvm_gregs *r = kvm_vcpu_regs(v);  // rax: number, rdi..r9: arguments
 *       r->rax = handle(...);             // the result; the guest goes on
 *   }
 *
 * On this development machine /dev/kvm is PVM, a software hypervisor:
 * ring-3 code runs natively, but `syscall` stays at CPL 3, so the entry
 * stub the VM's LSTAR names is user code (`out` through the TSS I/O
 * bitmap, then back with popfq; jmp rcx); on hardware KVM it is the usual
 * ring-0 stub (`out; sysretq`).  ../shared/notes/kvm-on-this-machine.md
 * has the measurements this follows.
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
    KVM_STOP_SYSCALL, /* the guest made a system call: registers as it left them */
    KVM_STOP_FAULT,   /* an exception (kvm_vcpu_fault): registers at the faulting
                       * instruction; the next run resumes at the rip, rsp and
                       * rflags they then hold (a signal handler, say) */
    KVM_STOP_ERROR,   /* the VM stopped some other way: kvm_vcpu_error says how */
} kvm_stop;

/* An exception: the x86 vector (14 #PF, 13 #GP, 6 #UD...), its error
 * code (0 where the CPU gives none) and, for a page fault, the address. */
typedef struct kvm_fault {
    int vector;
    uint64_t error, cr2;
} kvm_fault;

kvm_vm *kvm_vm_new(const kvm_caps *caps, char *err, size_t len);
void kvm_vm_free(kvm_vm *vm);
/* Make [addr, addr+len) of Ferry's address space the guest's, at the same
 * address, with these permissions (page-aligned; already mapped in
 * Ferry).  false with errno when KVM refuses it. */
bool kvm_vm_map(kvm_vm *vm, uint64_t addr, uint64_t len, int prot);

/* A vCPU at ring 3 about to run at pc with stack sp. */
kvm_vcpu *kvm_vcpu_new(kvm_vm *vm, uint64_t pc, uint64_t sp, char *err, size_t len);
kvm_stop kvm_vcpu_run(kvm_vcpu *v);
/* The registers at the last stop; changes go back at the next run. */
kvm_gregs *kvm_vcpu_regs(kvm_vcpu *v);
const char *kvm_vcpu_error(const kvm_vcpu *v);
const kvm_fault *kvm_vcpu_fault(const kvm_vcpu *v);
void kvm_vcpu_free(kvm_vcpu *v);

#endif
