/* The bare cost of a guest system call's trip out of KVM and back, and of
 * starting a VM, with Ferry's kvm/ layer alone (libferry.a, kvm/vm.h): a
 * hand-assembled loop `mov $39,%eax; syscall; jmp back` at ring 3, each
 * stop resumed at once with no syscall handled.  The runner compares
 * `ferry --kvm` against these numbers (issue #7).
 *
 *   kvm_exit [TRIPS [VMS]]
 *   exit_ns 25123.4        per round trip: median of 5 batches of TRIPS
 *   start_us 612.0 845.3   kvm_vm_new + kvm_vm_map + kvm_vcpu_new + the
 *                          first kvm_vcpu_run to the syscall stop: median
 *                          of VMS fresh VMs, and the first (cold) one
 *   phases_us 300.1 20.2 200.3 90.4   the same four steps' medians
 * Exit status 77 (with the reason on stderr) without a usable /dev/kvm.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "kvm/vm.h"

#define BATCHES 5
#define STACK (4 * 4096)
#define PHASES 4 /* kvm_vm_new, kvm_vm_map, kvm_vcpu_new, first run */

/* mov $39,%eax (a number: nothing handles it); syscall; jmp back to the mov */
static const uint8_t loop[] = { 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xf7 };

typedef struct bench {
    kvm_caps caps;
    uint8_t *code, *stack;
} bench;

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "kvm_exit: %s: %s\n", what, why);
    exit(1);
}

/* A fresh VM with the loop's code and stack mapped, its vCPU stopped at
 * the first syscall; *r holds the registers to resume with, at[] the
 * time at the end of each phase. */
static kvm_vcpu *vm_start(bench *b, kvm_vm **vm, kvm_gregs *r, double at[PHASES])
{
    char err[200];
    *vm = kvm_vm_new(&b->caps, err, sizeof err);
    if (!*vm)
        die("kvm_vm_new", err);
    at[0] = now_ns();
    if (!kvm_vm_map(*vm, (uint64_t)(uintptr_t)b->code, 4096, KVM_PROT_READ | KVM_PROT_EXEC) ||
        !kvm_vm_map(*vm, (uint64_t)(uintptr_t)b->stack, STACK, KVM_PROT_READ | KVM_PROT_WRITE))
        die("kvm_vm_map", strerror(errno));
    at[1] = now_ns();
    kvm_vcpu *v = kvm_vcpu_new(*vm, err, sizeof err);
    if (!v)
        die("kvm_vcpu_new", err);
    at[2] = now_ns();
    *r = (kvm_gregs){ .rip = (uint64_t)(uintptr_t)b->code,
                      .rsp = (uint64_t)(uintptr_t)b->stack + STACK - 256, .rflags = 2 };
    if (kvm_vcpu_run(v, r) != KVM_STOP_SYSCALL || r->rax != 39)
        die("first run", kvm_vcpu_error(v));
    at[3] = now_ns();
    return v;
}

static void vm_end(kvm_vm *vm, kvm_vcpu *v)
{
    kvm_vcpu_free(v);
    kvm_vm_free(vm);
}

/* Nanoseconds per round trip: median of BATCHES batches of trips. */
static double exit_ns(bench *b, long trips)
{
    kvm_vm *vm;
    kvm_gregs r;
    double at[PHASES];
    kvm_vcpu *v = vm_start(b, &vm, &r, at);
    double per[BATCHES];
    for (int i = 0; i < BATCHES; i++) {
        double t0 = now_ns();
        for (long k = 0; k < trips; k++)
            if (kvm_vcpu_run(v, &r) != KVM_STOP_SYSCALL)
                die("run", kvm_vcpu_error(v));
        per[i] = (now_ns() - t0) / (double)trips;
    }
    vm_end(vm, v);
    return median(per, BATCHES);
}

/* Microseconds from kvm_vm_new to the first syscall stop: the median of
 * vms fresh VMs (each freed before the next) and the first one; phase[]
 * the median of each phase. */
static double start_us(bench *b, int vms, double *first, double phase[PHASES])
{
    double *t = calloc((size_t)vms * (PHASES + 1), sizeof *t), *p = t + vms;
    if (!t)
        die("calloc", strerror(errno));
    for (int i = 0; i < vms; i++) {
        kvm_vm *vm;
        kvm_gregs r;
        double at[PHASES], t0 = now_ns();
        kvm_vcpu *v = vm_start(b, &vm, &r, at);
        t[i] = (at[PHASES - 1] - t0) / 1e3;
        for (int k = 0; k < PHASES; k++)
            p[k * vms + i] = (at[k] - (k ? at[k - 1] : t0)) / 1e3;
        vm_end(vm, v);
    }
    *first = t[0];
    double m = median(t, vms);
    for (int k = 0; k < PHASES; k++)
        phase[k] = median(p + k * vms, vms);
    free(t);
    return m;
}

int main(int argc, char **argv)
{
    long trips = argc > 1 ? atol(argv[1]) : 2000;
    int vms = argc > 2 ? atoi(argv[2]) : 15;
    bench b;
    if (!kvm_probe(&b.caps)) {
        fprintf(stderr, "kvm_exit: %s\n", b.caps.why);
        return 77;
    }
    b.code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    b.stack = mmap(NULL, STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b.code == MAP_FAILED || b.stack == MAP_FAILED || trips < 1 || vms < 1)
        die("setup", "no memory or bad arguments");
    memcpy(b.code, loop, sizeof loop);
    double first, phase[PHASES], start = start_us(&b, vms, &first, phase);
    printf("exit_ns %.1f\n", exit_ns(&b, trips));
    printf("start_us %.1f %.1f\n", start, first);
    printf("phases_us %.1f %.1f %.1f %.1f\n", phase[0], phase[1], phase[2], phase[3]);
    return 0;
}
