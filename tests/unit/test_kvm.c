/* kvm/vm.c: a long-mode VM whose guest code runs at ring 3 and leaves for
 * Ferry at each system call.  Small x86-64 programs (hand-assembled) run
 * in it: a syscall's number and arguments arrive, Ferry's result comes
 * back, the red zone below the stack pointer survives the entry stub,
 * and faults (a write to a read-only page, ud2) stop the VM with what
 * happened and resume where Ferry says.
 * Skipped (with the reason) where /dev/kvm cannot be used. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm/vm.h"

static kvm_caps caps;
static kvm_vm *vm;
static uint8_t *code, *stack;

static void setup(void)
{
    char err[200];
    if (!kvm_probe(&caps))
        return;
    vm = kvm_vm_new(&caps, err, sizeof err);
    cr_assert(vm, "%s", err);
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    stack = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(code != MAP_FAILED && stack != MAP_FAILED);
    cr_assert(kvm_vm_map(vm, (uint64_t)(uintptr_t)code, 4096, KVM_PROT_READ | KVM_PROT_EXEC));
    cr_assert(kvm_vm_map(vm, (uint64_t)(uintptr_t)stack, 4 * 4096,
                         KVM_PROT_READ | KVM_PROT_WRITE));
}

static void teardown(void)
{
    kvm_vm_free(vm);
}

TestSuite(kvm, .init = setup, .fini = teardown);

static kvm_vcpu *start(const uint8_t *prog, size_t len)
{
    char err[200];
    if (!caps.usable)
        cr_skip_test("no usable /dev/kvm: %s", caps.why);
    memcpy(code, prog, len);
    kvm_vcpu *v = kvm_vcpu_new(vm, (uint64_t)(uintptr_t)code,
                               (uint64_t)(uintptr_t)stack + 4 * 4096 - 256, err, sizeof err);
    cr_assert(v, "%s", err);
    return v;
}

Test(kvm, syscalls_leave_the_vm_and_come_back)
{
    static const uint8_t prog[] = {
        0x48, 0xc7, 0x44, 0x24, 0xf8, 0x34, 0x12, 0x00, 0x00, /* movq $0x1234, -8(%rsp) */
        0xb8, 39, 0, 0, 0,            /* mov $39, %eax (getpid) */
        0x0f, 0x05,                   /* syscall */
        0x48, 0x89, 0xc3,             /* mov %rax, %rbx */
        0x48, 0x8b, 0x54, 0x24, 0xf8, /* mov -8(%rsp), %rdx: the red zone */
        0xb8, 60, 0, 0, 0,            /* mov $60, %eax (exit) */
        0xbf, 7, 0, 0, 0,             /* mov $7, %edi */
        0x0f, 0x05,                   /* syscall */
        0xf4,
    };
    kvm_vcpu *v = start(prog, sizeof prog);
    cr_assert_eq(kvm_vcpu_run(v), KVM_STOP_SYSCALL, "%s", kvm_vcpu_error(v));
    kvm_gregs *r = kvm_vcpu_regs(v);
    cr_assert_eq(r->rax, 39);
    r->rax = (uint64_t)getpid();
    cr_assert_eq(kvm_vcpu_run(v), KVM_STOP_SYSCALL, "%s", kvm_vcpu_error(v));
    cr_assert_eq(r->rax, 60);
    cr_assert_eq(r->rdi, 7);
    cr_assert_eq(r->rbx, (uint64_t)getpid(), "the result came back in rax");
    cr_assert_eq(r->rdx, 0x1234, "the red zone survived the entry stub");
    kvm_vcpu_free(v);
}

/* A page fault reaches Ferry with the vector, error code and address, the
 * registers of the faulting instruction; moving rip on (as a signal
 * handler would be entered) resumes the guest there through the stub. */
Test(kvm, faults_stop_with_their_address_and_resume_where_ferry_says)
{
    static const uint8_t prog[] = {
        0x48, 0x8d, 0x05, 0xf9, 0xff, 0xff, 0xff, /* lea -7(%rip), %rax: this code */
        0xc6, 0x00, 0x01,                         /* movb $1, (%rax): read-only page */
        0x0f, 0x0b,                               /* ud2 */
        0xb8, 60, 0, 0, 0, 0x0f, 0x05, 0xf4,      /* exit */
    };
    kvm_vcpu *v = start(prog, sizeof prog);
    uint64_t at = (uint64_t)(uintptr_t)code;
    cr_assert_eq(kvm_vcpu_run(v), KVM_STOP_FAULT, "%s", kvm_vcpu_error(v));
    const kvm_fault *f = kvm_vcpu_fault(v);
    kvm_gregs *r = kvm_vcpu_regs(v);
    cr_assert_eq(f->vector, 14, "a page fault");
    cr_assert_eq(f->cr2, at);
    cr_assert_eq(f->error & 7, 7, "present, write, user: %#lx", (unsigned long)f->error);
    cr_assert_eq(r->rip, at + 7, "the faulting instruction");
    cr_assert_eq(r->rax, at, "the registers as they were");
    cr_assert_eq(code[0], 0x48, "the code page is unchanged");
    r->rip += 3; /* on past the store */
    cr_assert_eq(kvm_vcpu_run(v), KVM_STOP_FAULT, "%s", kvm_vcpu_error(v));
    cr_assert_eq(f->vector, 6, "ud2 is #UD");
    cr_assert_eq(r->rip, at + 10);
    r->rip += 2;
    cr_assert_eq(kvm_vcpu_run(v), KVM_STOP_SYSCALL, "%s", kvm_vcpu_error(v));
    cr_assert_eq(r->rax, 60, "went on to exit");
    kvm_vcpu_free(v);
}
