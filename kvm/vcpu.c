/* vCPUs of the KVM machine (vm.h): each at ring 3 with its own GDT, TSS
 * and kernel stack (for the exception stubs), CPUID from KVM's supported
 * list set before SREGS (KVM checks CR4 against it), then XCR0 and the
 * syscall MSRs, as the KVM note orders.  A run goes until the guest's
 * `syscall` reaches the entry stub's `out`, an exception's stub reports
 * it, or a host signal or kick interrupts KVM_RUN.
 *
 * The registers Ferry sees are always the guest's own: at a syscall, rip
 * and rflags are what sysret would give back (rcx, r11); in an exception,
 * rip, rsp and rflags come from the frame on the kernel stack, and go
 * back into it for the stub's iretq.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm/machine.h"

static void say(kvm_vcpu *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->error, sizeof v->error, fmt, ap);
    va_end(ap);
}

/* ---- setup ---- */

/* A segment descriptor: flags (G, D/B, L) in bits 55..52, access byte in
 * 47..40; base 0 and limit 0xfffff for the code and data ones. */
static uint64_t seg(unsigned access, unsigned flags)
{
    return 0xffffull | 0xfull << 48 | (uint64_t)access << 40 | (uint64_t)flags << 52;
}

/* The GDT (Linux's selectors), the TSS after it: RSP0 at the top of the
 * kernel stack, and every I/O port refused but those Ferry's stubs use. */
static void write_area(kvm_vcpu *v)
{
    uint64_t *gdt = (uint64_t *)(uintptr_t)v->area;
    uint8_t *tss = (uint8_t *)(uintptr_t)(v->area + TSS_OFF);
    uint64_t base = v->area + TSS_OFF, rsp0 = v->area + 2 * PAGE;
    gdt[SEL_KCODE / 8] = seg(0x9b, 0xa);   /* 64-bit ring 0 code */
    gdt[SEL_KDATA / 8] = seg(0x93, 0xc);
    gdt[SEL_UCODE32 / 8] = seg(0xfb, 0xc); /* sysret's 32-bit CS slot */
    gdt[SEL_UDATA / 8] = seg(0xf3, 0xc);
    gdt[SEL_UCODE / 8] = seg(0xfb, 0xa);   /* 64-bit ring 3 code */
    gdt[SEL_TSS / 8] = (TSS_LIMIT & 0xffffull) | (base & 0xffffffull) << 16 | 0x89ull << 40 |
                       (uint64_t)(TSS_LIMIT >> 16 & 0xf) << 48 | (base >> 24 & 0xff) << 56;
    gdt[SEL_TSS / 8 + 1] = base >> 32;
    memcpy(tss + 4, &rsp0, 8);
    uint16_t iomap = 104;
    memcpy(tss + 102, &iomap, 2);
    memset(tss + 104, 0xff, IOMAP_BYTES);
    tss[104 + PORT_SYSCALL / 8] &= (uint8_t)~(1u << (PORT_SYSCALL % 8));
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, bool code)
{
    *s = (struct kvm_segment){ .base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
                               .present = 1, .dpl = (uint8_t)(sel & 3), .db = !code,
                               .s = 1, .l = code, .g = 1 };
}

static void user_segs(struct kvm_sregs *s)
{
    set_seg(&s->cs, SEL_UCODE, 0xb, true);
    set_seg(&s->ss, SEL_UDATA, 0x3, false);
}

static bool set_sregs(kvm_vcpu *v)
{
    kvm_vm *vm = v->vm;
    struct kvm_sregs s;
    if (ioctl(v->fd, KVM_GET_SREGS, &s) != 0)
        return false;
    user_segs(&s);
    s.ds = s.es = s.fs = s.gs = s.ss;
    s.tr = (struct kvm_segment){ .base = v->area + TSS_OFF, .limit = TSS_LIMIT,
                                 .selector = SEL_TSS, .type = 11, .present = 1 };
    s.ldt = (struct kvm_segment){ .unusable = 1 };
    s.gdt.base = v->area;
    s.gdt.limit = GDT_SIZE - 1;
    s.idt.base = vm->idt;
    s.idt.limit = 16 * N_VECTORS - 1;
    s.cr0 = 0x80050033; /* PG AM WP NE ET MP PE */
    s.cr4 = 0x20 | 0x200 | 0x400 | 0x10000 | 0x40000; /* PAE OSFXSR OSXMMEXCPT FSGSBASE OSXSAVE */
    s.efer = 0x1 | 0x100 | 0x400 | 0x800;             /* SCE LME LMA NXE */
    s.cr3 = vm->pml4;
    return ioctl(v->fd, KVM_SET_SREGS, &s) == 0;
}

static bool set_msrs(kvm_vcpu *v)
{
    uint64_t stub = v->vm->sys_stub;
    struct {
        struct kvm_msrs h;
        struct kvm_msr_entry e[4];
    } m = { .h.nmsrs = 4,
            .e = { { .index = 0xc0000081, .data = (uint64_t)SEL_UCODE32 << 48 | (uint64_t)SEL_KCODE << 32 },
                   { .index = 0xc0000082, .data = stub },   /* LSTAR */
                   { .index = 0xc0000083, .data = stub },   /* CSTAR */
                   { .index = 0xc0000084, .data = 0x47700 } } }; /* FMASK: TF DF IF IOPL AC NT */
    return ioctl(v->fd, KVM_SET_MSRS, &m) == 4;
}

static bool set_xcr0(kvm_vcpu *v)
{
    struct kvm_xcrs x = { .nr_xcrs = 1, .xcrs = { { .xcr = 0, .value = v->vm->xcr0 } } };
    return ioctl(v->fd, KVM_SET_XCRS, &x) == 0;
}

/* A fresh vCPU: its area, fd and kvm_run, under vm->lock. */
static bool create(kvm_vcpu *v)
{
    kvm_vm *vm = v->vm;
    v->area = kvm_area_new(vm);
    if (!v->area)
        return false;
    write_area(v);
    v->fd = kvm_fd_keep(ioctl(vm->fd, KVM_CREATE_VCPU, (int)vm->nvcpus));
    if (v->fd < 0)
        return false;
    v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    if (v->run == MAP_FAILED) {
        v->run = NULL;
        return false;
    }
    if (ioctl(v->fd, KVM_SET_CPUID2, vm->cpuid) != 0 || !set_xcr0(v) || !set_msrs(v))
        return false;
    /* The guest's TSC is the host's (KVM would start it near 0), so that
     * the host's vDSO computes the right time in it.  PVM shares the
     * host's TSC already and may refuse the attribute. */
    uint64_t off = 0;
    struct kvm_device_attr tsc = { .group = KVM_VCPU_TSC_CTRL, .attr = KVM_VCPU_TSC_OFFSET,
                                   .addr = (uint64_t)(uintptr_t)&off };
    (void)ioctl(v->fd, KVM_SET_DEVICE_ATTR, &tsc);
    v->run->kvm_valid_regs = KVM_SYNC_X86_REGS | (vm->pvm ? 0 : KVM_SYNC_X86_SREGS);
    return true;
}

/* An idle vCPU, or a new one (NULL with errno). */
static kvm_vcpu *take(kvm_vm *vm)
{
    for (size_t i = 0; i < vm->nvcpus; i++)
        if (vm->vcpus[i]->idle) {
            vm->vcpus[i]->idle = false;
            return vm->vcpus[i];
        }
    kvm_vcpu *v = calloc(1, sizeof *v);
    kvm_vcpu **l = v ? realloc(vm->vcpus, (vm->nvcpus + 1) * sizeof *l) : NULL;
    if (!l) {
        free(v);
        errno = ENOMEM;
        return NULL;
    }
    vm->vcpus = l;
    v->vm = vm;
    v->fd = -1;
    if (!create(v)) {
        int e = errno;
        kvm_vcpu_destroy(v);
        errno = e;
        return NULL;
    }
    l[vm->nvcpus++] = v;
    return v;
}

/* Ring 3 with FS and GS bases 0, nothing pending. */
static bool reset(kvm_vcpu *v)
{
    v->frame = 0;
    v->fs = v->gs = 0;
    v->bases_dirty = false;
    v->run->immediate_exit = 0;
    return set_sregs(v);
}

kvm_vcpu *kvm_vcpu_new(kvm_vm *vm, char *err, size_t len)
{
    pthread_mutex_lock(&vm->lock);
    kvm_vcpu *v = take(vm);
    pthread_mutex_unlock(&vm->lock);
    if (!v || !reset(v)) {
        snprintf(err, len, "cannot set up a KVM vCPU: %s", strerror(errno));
        if (v)
            kvm_vcpu_free(v);
        return NULL;
    }
    return v;
}

void kvm_vcpu_free(kvm_vcpu *v)
{
    if (!v)
        return;
    pthread_mutex_lock(&v->vm->lock);
    v->idle = true;
    pthread_mutex_unlock(&v->vm->lock);
}

/* ---- state ---- */

const char *kvm_vcpu_error(const kvm_vcpu *v)
{
    return v->error;
}

const kvm_fault *kvm_vcpu_fault(const kvm_vcpu *v)
{
    return &v->fault;
}

bool kvm_vcpu_get_bases(kvm_vcpu *v, uint64_t *fs, uint64_t *gs)
{
    struct kvm_sregs s;
    if (v->bases_dirty) {
        *fs = v->fs, *gs = v->gs;
        return true;
    }
    if (ioctl(v->fd, KVM_GET_SREGS, &s) != 0)
        return false;
    *fs = s.fs.base, *gs = s.gs.base;
    return true;
}

void kvm_vcpu_set_bases(kvm_vcpu *v, uint64_t fs, uint64_t gs)
{
    v->fs = fs, v->gs = gs;
    v->bases_dirty = true;
}

static bool load_bases(kvm_vcpu *v)
{
    struct kvm_sregs s;
    if (ioctl(v->fd, KVM_GET_SREGS, &s) != 0)
        return false;
    s.fs.base = v->fs, s.gs.base = v->gs;
    v->bases_dirty = false;
    return ioctl(v->fd, KVM_SET_SREGS, &s) == 0;
}

_Static_assert(sizeof(struct kvm_xsave) == KVM_FP_SIZE, "KVM_FP_SIZE is struct kvm_xsave");

bool kvm_vcpu_get_fp(kvm_vcpu *v, void *xsave)
{
    return ioctl(v->fd, KVM_GET_XSAVE, xsave) == 0;
}

bool kvm_vcpu_set_fp(kvm_vcpu *v, const void *xsave)
{
    return ioctl(v->fd, KVM_SET_XSAVE, xsave) == 0;
}

void kvm_vcpu_kick(kvm_vcpu *v)
{
    __atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
}

/* ---- running ---- */

/* The frame an exception's stub stands on: error code, rip, cs, rflags,
 * rsp, ss.  The guest's registers are those of ring 3 (rip, rsp, rflags
 * from the frame); the stub's own are kept to go on with. */
static void take_exception(kvm_vcpu *v, kvm_gregs *r, int vector)
{
    uint64_t *f = (uint64_t *)(uintptr_t)r->rsp;
    struct kvm_sregs s;
    v->frame = r->rsp;
    v->kregs[0] = r->rip, v->kregs[1] = r->rsp, v->kregs[2] = r->rflags;
    v->fault = (kvm_fault){ .vector = vector, .error = f[0],
                            .cr2 = ioctl(v->fd, KVM_GET_SREGS, &s) == 0 ? s.cr2 : 0 };
    r->rip = f[1], r->rflags = f[3], r->rsp = f[4];
}

/* The registers KVM runs with: the guest's own, except in an exception,
 * where Ferry's choice of rip, rsp and rflags goes into the frame the
 * stub's iretq returns through. */
static void enter(kvm_vcpu *v, const kvm_gregs *r)
{
    struct kvm_run *run = v->run;
    memcpy(&run->s.regs.regs, r, sizeof *r);
    run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
    if (v->frame) {
        uint64_t *f = (uint64_t *)(uintptr_t)v->frame;
        f[1] = r->rip, f[3] = r->rflags | 2, f[4] = r->rsp;
        run->s.regs.regs.rip = v->kregs[0];
        run->s.regs.regs.rsp = v->kregs[1];
        run->s.regs.regs.rflags = v->kregs[2];
        v->frame = 0;
    } else if (!v->vm->pvm) { /* back from the ring-0 syscall stub */
        user_segs(&run->s.regs.sregs);
        run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
    }
}

/* Is rip in one of the machine's stubs (ring 0, or the syscall entry)? */
static bool in_stub(const kvm_vcpu *v, uint64_t rip)
{
    return (rip >= v->vm->exc_stubs && rip < v->vm->exc_stubs + PAGE) ||
           (rip >= v->vm->sys_stub && rip < v->vm->sys_stub + PAGE);
}

/* What an exit of the VM means; -1: not a stop of Ferry's, go on. */
static int stop_of(kvm_vcpu *v, kvm_gregs *r)
{
    struct kvm_run *run = v->run;
    if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT) {
        if (run->io.port == PORT_SYSCALL) {
            r->rip = r->rcx, r->rflags = r->r11; /* where sysret would return */
            return KVM_STOP_SYSCALL;
        }
        if (run->io.port >= PORT_EXC && run->io.port < PORT_EXC + N_VECTORS) {
            take_exception(v, r, run->io.port - PORT_EXC);
            return KVM_STOP_FAULT;
        }
    }
    say(v, "the VM stopped (exit reason %u) at rip %#llx", run->exit_reason,
        (unsigned long long)r->rip);
    return KVM_STOP_ERROR;
}

kvm_stop kvm_vcpu_run(kvm_vcpu *v, kvm_gregs *r)
{
    struct kvm_run *run = v->run;
    _Static_assert(sizeof(kvm_gregs) == sizeof run->s.regs.regs, "kvm_gregs is struct kvm_regs");
    if (v->bases_dirty && !load_bases(v)) {
        say(v, "cannot set the FS/GS bases: %s", strerror(errno));
        return KVM_STOP_ERROR;
    }
    enter(v, r);
    for (;;) {
        int rc = ioctl(v->fd, KVM_RUN, 0);
        int e = errno;
        run->kvm_dirty_regs = 0;
        memcpy(r, &run->s.regs.regs, sizeof *r);
        if (rc == 0)
            return (kvm_stop)stop_of(v, r);
        if (e == EFAULT && !in_stub(v, r->rip))
            return KVM_STOP_MEMORY;
        if (e != EINTR && e != EAGAIN) {
            say(v, "KVM_RUN: %s", strerror(e));
            return KVM_STOP_ERROR;
        }
        __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
        if (!in_stub(v, r->rip)) /* else it stops by itself in a moment */
            return KVM_STOP_INTERRUPT;
    }
}
