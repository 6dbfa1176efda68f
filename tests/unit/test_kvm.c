/* kvm/: a long-mode VM whose guest code runs at ring 3 and leaves for
 * Ferry at each system call.  Small x86-64 programs (hand-assembled) run
 * in it: a syscall's number and arguments arrive, Ferry's result comes
 * back, the red zone below the stack pointer survives the entry stub,
 * faults (a write to a read-only page, ud2) stop the VM with what
 * happened and resume where Ferry says, a mapping narrowed after the
 * guest used it (mprotect, munmap on both sides) faults at once, and a
 * kick stops a guest spinning in a loop.
 * Skipped (with the reason) where /dev/kvm cannot be used. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
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

static kvm_gregs r;

static kvm_vcpu *start(const uint8_t *prog, size_t len)
{
    char err[200];
    if (!caps.usable)
        cr_skip_test("no usable /dev/kvm: %s", caps.why);
    memcpy(code, prog, len);
    kvm_vcpu *v = kvm_vcpu_new(vm, err, sizeof err);
    cr_assert(v, "%s", err);
    r = (kvm_gregs){ .rip = (uint64_t)(uintptr_t)code,
                     .rsp = (uint64_t)(uintptr_t)stack + 4 * 4096 - 256, .rflags = 2 };
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
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_SYSCALL, "%s", kvm_vcpu_error(v));
    cr_assert_eq(r.rax, 39);
    cr_assert_eq(r.rip, (uint64_t)(uintptr_t)code + 16, "rip is past the syscall");
    cr_assert_eq(r.rcx, r.rip, "rcx holds the return address, as syscall leaves it");
    r.rax = (uint64_t)getpid();
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_SYSCALL, "%s", kvm_vcpu_error(v));
    cr_assert_eq(r.rax, 60);
    cr_assert_eq(r.rdi, 7);
    cr_assert_eq(r.rbx, (uint64_t)getpid(), "the result came back in rax");
    cr_assert_eq(r.rdx, 0x1234, "the red zone survived the entry stub");
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
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_FAULT, "%s", kvm_vcpu_error(v));
    const kvm_fault *f = kvm_vcpu_fault(v);
    cr_assert_eq(f->vector, 14, "a page fault");
    cr_assert_eq(f->cr2, at);
    cr_assert_eq(f->error & 7, 7, "present, write, user: %#lx", (unsigned long)f->error);
    cr_assert_eq(r.rip, at + 7, "the faulting instruction");
    cr_assert_eq(r.rax, at, "the registers as they were");
    cr_assert_eq(code[0], 0x48, "the code page is unchanged");
    r.rip += 3; /* on past the store */
    r.rcx = 0x5555; /* every register comes back as Ferry left it */
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_FAULT, "%s", kvm_vcpu_error(v));
    cr_assert_eq(f->vector, 6, "ud2 is #UD");
    cr_assert_eq(r.rip, at + 10);
    cr_assert_eq(r.rcx, 0x5555);
    r.rip += 2;
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_SYSCALL, "%s", kvm_vcpu_error(v));
    cr_assert_eq(r.rax, 60, "went on to exit");
    kvm_vcpu_free(v);
}

/* Narrowing a mapping the guest has already used: Ferry rewrites the page
 * tables and does the host's own mprotect/munmap; the next access faults
 * (KVM's cached translations went with the host's). */
Test(kvm, narrowed_mappings_fault_at_once)
{
    static const uint8_t prog[] = {
        0xc6, 0x03, 0x01,             /* movb $1, (%rbx) */
        0xb8, 39, 0, 0, 0, 0x0f, 0x05, /* getpid: Ferry narrows the page */
        0xc6, 0x03, 0x02,             /* movb $2, (%rbx): faults */
        0x8a, 0x03,                   /* mov (%rbx), %al: faults after munmap */
        0xf4,
    };
    kvm_vcpu *v = start(prog, sizeof prog);
    uint8_t *data = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t d = (uint64_t)(uintptr_t)data;
    cr_assert(kvm_vm_map(vm, d, 4096, KVM_PROT_READ | KVM_PROT_WRITE));
    r.rbx = d;
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_SYSCALL, "%s", kvm_vcpu_error(v));
    cr_assert_eq(data[0], 1);
    cr_assert(kvm_vm_map(vm, d, 4096, KVM_PROT_READ));
    cr_assert_eq(kvm_vm_prot(vm, d), KVM_PROT_READ);
    mprotect(data, 4096, PROT_READ);
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_FAULT, "%s", kvm_vcpu_error(v));
    cr_assert_eq(kvm_vcpu_fault(v)->vector, 14);
    cr_assert_eq(kvm_vcpu_fault(v)->cr2, d, "the write to the now read-only page");
    cr_assert_eq(data[0], 1);
    cr_assert(kvm_vm_map(vm, d, 4096, 0));
    munmap(data, 4096);
    r.rip += 3;
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_FAULT, "%s", kvm_vcpu_error(v));
    cr_assert_eq(kvm_vcpu_fault(v)->cr2, d, "the read of the unmapped page");
    cr_assert_eq(kvm_vcpu_fault(v)->error & 1, 0, "not present");
    kvm_vcpu_free(v);
}

static kvm_vcpu *kicked;
static pthread_t runner;

static void on_usr1(int sig)
{
    (void)sig;
    kvm_vcpu_kick(kicked);
}

static void *signal_later(void *arg)
{
    (void)arg;
    usleep(20000);
    pthread_kill(runner, SIGUSR1);
    return NULL;
}

/* A host signal stops a vCPU spinning in guest code (Ferry's signal
 * handler kicks the vCPU the same way, for a signal that comes just
 * before a run), and the guest goes on from where it was. */
Test(kvm, a_signal_stops_a_spinning_guest)
{
    static const uint8_t prog[] = { 0x48, 0xff, 0xc0, 0xeb, 0xfb }; /* inc %rax; jmp .-3 */
    kvm_vcpu *v = start(prog, sizeof prog);
    kicked = v;
    runner = pthread_self();
    signal(SIGUSR1, on_usr1);
    pthread_t th;
    pthread_create(&th, NULL, signal_later, NULL);
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_INTERRUPT, "%s", kvm_vcpu_error(v));
    pthread_join(th, NULL);
    uint64_t at = (uint64_t)(uintptr_t)code;
    cr_assert(r.rip == at || r.rip == at + 3, "in the loop: %#lx", (unsigned long)r.rip);
    cr_assert_gt(r.rax, 1000, "it ran");
    kvm_vcpu_kick(v); /* before a run: it stops before any guest code */
    uint64_t rax = r.rax;
    cr_assert_eq(kvm_vcpu_run(v, &r), KVM_STOP_INTERRUPT, "%s", kvm_vcpu_error(v));
    cr_assert_eq(r.rax, rax);
    kvm_vcpu_free(v);
}
