/* The KVM machine for x86-64 guests (see vm.h): one VM per process, its
 * system area (GDT, TSS with an I/O bitmap, the syscall entry stub, a
 * kernel stack, page-table pages) in one 2 MiB block of Ferry's memory,
 * guest memory mapped at the addresses it has in Ferry, 4 KiB pages with
 * the guest's permissions.  The order of the vCPU setup matters (CPUID
 * before SREGS, which KVM checks against it), as the KVM note says.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm/vm.h"

#define PAGE 4096ull
#define SYS_SIZE (2ull << 20)
/* the system area */
enum {
    SYS_GDT = 0x0, SYS_TSS = 0x1000, SYS_IDT = 0x3800, SYS_STUB = 0x4000,
    SYS_EXC = 0x4100, /* the exception stubs, EXC_STUB bytes each */
    SYS_KSTACK = 0x6000,
    SYS_PT = 0x10000, /* page-table pages from here to the end */
};
enum { SEL_KCODE = 0x10, SEL_KDATA = 0x18, SEL_UCODE32 = 0x23, SEL_UDATA = 0x2b,
       SEL_UCODE = 0x33, SEL_TSS = 0x40 };
#define TSS_LIMIT (104 + 8192) /* the TSS, then an I/O bitmap for every port */
#define PORT_SYSCALL 0x20
#define PORT_EXC 0x40 /* + the vector: an exception's stub */
#define N_VECTORS 32
#define EXC_STUB 16
/* the vectors whose frame has an error code */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
                      (v) == 29 || (v) == 30)
/* page-table entry bits */
#define PT_P 1ull
#define PT_RW 2ull
#define PT_US 4ull
#define PT_NX (1ull << 63)
#define PT_ADDR 0x000ffffffffff000ull

struct kvm_vm {
    int kvm, fd;
    bool pvm;
    uint8_t *sys;           /* the system area, at GPA == its address */
    uint64_t pt_next;       /* next free page-table page (offset in sys) */
    uint32_t slots;         /* memslots used */
    struct kvm_cpuid2 *cpuid;
    uint64_t xcr0;
};

struct kvm_vcpu {
    kvm_vm *vm;
    int fd;
    struct kvm_run *run;
    size_t run_size;
    kvm_gregs regs;
    kvm_fault fault;
    uint64_t frame;    /* in an exception: its frame on the kernel stack, else 0 */
    uint64_t kregs[3]; /* and the stub's own rip, rsp, rflags */
    char error[160];
};

static void say(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

bool kvm_probe(kvm_caps *caps)
{
    memset(caps, 0, sizeof *caps);
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        say(caps->why, sizeof caps->why, "cannot open /dev/kvm: %s", strerror(errno));
        return false;
    }
    int api = ioctl(fd, KVM_GET_API_VERSION, 0);
    close(fd);
    if (api != KVM_API_VERSION) {
        say(caps->why, sizeof caps->why, "/dev/kvm speaks API %d, not %d", api, KVM_API_VERSION);
        return false;
    }
    caps->pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
    caps->usable = true;
    return true;
}

/* ---- the guest's page tables ---- */

static uint64_t *table_at(uint64_t entry)
{
    return (uint64_t *)(uintptr_t)(entry & PT_ADDR);
}

static uint64_t new_table(kvm_vm *vm)
{
    if (vm->pt_next + PAGE > SYS_SIZE)
        return 0;
    uint64_t t = (uint64_t)(uintptr_t)vm->sys + vm->pt_next;
    vm->pt_next += PAGE;
    memset((void *)(uintptr_t)t, 0, PAGE);
    return t;
}

/* The 4 KiB page at va maps to itself with flags; false when out of tables. */
static bool map_page(kvm_vm *vm, uint64_t va, uint64_t flags)
{
    uint64_t *t = (uint64_t *)(uintptr_t)((uint64_t)(uintptr_t)vm->sys + SYS_PT);
    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t *e = &t[(va >> shift) & 511];
        if (!(*e & PT_P)) {
            uint64_t n = new_table(vm);
            if (!n)
                return false;
            *e = n | PT_P | PT_RW | PT_US;
        }
        t = table_at(*e);
    }
    t[(va >> 12) & 511] = (va & PT_ADDR) | flags;
    return true;
}

static bool map_pages(kvm_vm *vm, uint64_t addr, uint64_t len, uint64_t flags)
{
    for (uint64_t a = addr; a < addr + len; a += PAGE)
        if (!map_page(vm, a, flags))
            return false;
    return true;
}

static bool memslot(kvm_vm *vm, uint64_t addr, uint64_t len)
{
    struct kvm_userspace_memory_region r = {
        .slot = vm->slots, .guest_phys_addr = addr, .memory_size = len, .userspace_addr = addr,
    };
    if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) != 0)
        return false;
    vm->slots++;
    return true;
}

bool kvm_vm_map(kvm_vm *vm, uint64_t addr, uint64_t len, int prot)
{
    uint64_t flags = PT_P | PT_US | (prot & KVM_PROT_WRITE ? PT_RW : 0) |
                     (prot & KVM_PROT_EXEC ? 0 : PT_NX);
    if ((addr | len) & (PAGE - 1)) {
        errno = EINVAL;
        return false;
    }
    if (!memslot(vm, addr, len))
        return false;
    if (!map_pages(vm, addr, len, flags)) {
        errno = ENOMEM;
        return false;
    }
    return true;
}

/* ---- the system area ---- */

/* A segment descriptor: flags (G, D/B, L) in bits 55..52, access byte in
 * 47..40; base 0 and limit 0xfffff for the code and data ones. */
static uint64_t seg(unsigned access, unsigned flags)
{
    return 0xffffull | 0xfull << 48 | (uint64_t)access << 40 | (uint64_t)flags << 52;
}

static void write_gdt(kvm_vm *vm)
{
    uint64_t *gdt = (uint64_t *)(void *)(vm->sys + SYS_GDT);
    uint64_t tss = (uint64_t)(uintptr_t)vm->sys + SYS_TSS;
    gdt[SEL_KCODE / 8] = seg(0x9b, 0xa);   /* 64-bit ring 0 code */
    gdt[SEL_KDATA / 8] = seg(0x93, 0xc);
    gdt[SEL_UCODE32 / 8] = seg(0xfb, 0xc); /* sysret's 32-bit CS slot */
    gdt[SEL_UDATA / 8] = seg(0xf3, 0xc);
    gdt[SEL_UCODE / 8] = seg(0xfb, 0xa);   /* 64-bit ring 3 code */
    gdt[SEL_TSS / 8] = (TSS_LIMIT & 0xffffull) | (tss & 0xffffffull) << 16 | 0x89ull << 40 |
                       (uint64_t)(TSS_LIMIT >> 16 & 0xf) << 48 | (tss >> 24 & 0xff) << 56;
    gdt[SEL_TSS / 8 + 1] = tss >> 32;
}

/* RSP0 for exceptions from ring 3; every I/O port refused but the one the
 * syscall stub uses (a ring-3 `out` on PVM). */
static void write_tss(kvm_vm *vm)
{
    uint8_t *tss = vm->sys + SYS_TSS;
    uint64_t rsp0 = (uint64_t)(uintptr_t)vm->sys + SYS_KSTACK + PAGE;
    memcpy(tss + 4, &rsp0, 8);
    uint16_t iomap = 104;
    memcpy(tss + 102, &iomap, 2);
    memset(tss + 104, 0xff, 8192);
    tss[104 + PORT_SYSCALL / 8] &= (uint8_t)~(1u << (PORT_SYSCALL % 8));
}

/* The entry LSTAR names.  PVM: syscall stayed at ring 3, so the stub
 * returns as user code does, stepping over the red zone for its push;
 * hardware: ring 0, sysretq. */
static void write_stub(kvm_vm *vm)
{
    static const uint8_t pvm[] = {
        0xe6, PORT_SYSCALL,                   /* out $0x20, %al: to Ferry */
        0x48, 0x8d, 0x64, 0x24, 0x80,         /* lea -0x80(%rsp), %rsp */
        0x41, 0x53,                           /* push %r11 */
        0x9d,                                 /* popfq */
        0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00, /* lea 0x80(%rsp), %rsp */
        0xff, 0xe1,                           /* jmp *%rcx */
    };
    static const uint8_t hw[] = { 0xe6, PORT_SYSCALL, 0x48, 0x0f, 0x07 }; /* out; sysretq */
    memcpy(vm->sys + SYS_STUB, vm->pvm ? pvm : hw, vm->pvm ? sizeof pvm : sizeof hw);
}

/* Each exception goes to a ring-0 stub that evens the frame (a 0 where
 * the CPU pushed no error code), tells Ferry through its own port (AL is
 * sent, nothing changes), and returns to the frame as Ferry left it:
 *   [push $0]; out %al, $0x40+v; add $8, %rsp; iretq */
static void write_idt(kvm_vm *vm)
{
    uint64_t base = (uint64_t)(uintptr_t)vm->sys;
    for (int v = 0; v < N_VECTORS; v++) {
        uint8_t *s = vm->sys + SYS_EXC + EXC_STUB * v, n = 0;
        if (!HAS_ERROR(v))
            s[n++] = 0x6a, s[n++] = 0x00;
        s[n++] = 0xe6, s[n++] = (uint8_t)(PORT_EXC + v);
        s[n++] = 0x48, s[n++] = 0x83, s[n++] = 0xc4, s[n++] = 0x08;
        s[n++] = 0x48, s[n++] = 0xcf;
        uint64_t at = base + SYS_EXC + EXC_STUB * (uint64_t)v;
        uint64_t *g = (uint64_t *)(void *)(vm->sys + SYS_IDT + 16 * v);
        g[0] = (at & 0xffff) | (uint64_t)SEL_KCODE << 16 | 0x8eull << 40 |
               (at >> 16 & 0xffff) << 48; /* a 64-bit interrupt gate, DPL 0 */
        g[1] = at >> 32;
    }
}

static bool setup_sys(kvm_vm *vm)
{
    vm->sys = mmap(NULL, SYS_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (vm->sys == MAP_FAILED)
        return false;
    vm->pt_next = SYS_PT + PAGE; /* the first page is the PML4 */
    write_gdt(vm);
    write_tss(vm);
    write_stub(vm);
    write_idt(vm);
    uint64_t base = (uint64_t)(uintptr_t)vm->sys;
    if (!memslot(vm, base, SYS_SIZE))
        return false;
    /* ring 0 structures supervisor-only; the stub user code on PVM */
    return map_pages(vm, base, SYS_STUB, PT_P | PT_RW | PT_NX) &&
           map_page(vm, base + SYS_STUB, PT_P | (vm->pvm ? PT_US : 0)) &&
           map_pages(vm, base + SYS_STUB + PAGE, SYS_PT - SYS_STUB - PAGE, PT_P | PT_RW | PT_NX);
}

static bool get_cpuid(kvm_vm *vm)
{
    int n = 256;
    vm->cpuid = calloc(1, sizeof *vm->cpuid + n * sizeof(struct kvm_cpuid_entry2));
    if (!vm->cpuid)
        return false;
    vm->cpuid->nent = (uint32_t)n;
    if (ioctl(vm->kvm, KVM_GET_SUPPORTED_CPUID, vm->cpuid) != 0)
        return false;
    uint64_t xsave = 0;
    for (uint32_t i = 0; i < vm->cpuid->nent; i++) {
        struct kvm_cpuid_entry2 *e = &vm->cpuid->entries[i];
        if (e->function == 0xd && e->index == 0)
            xsave = e->eax | (uint64_t)e->edx << 32;
    }
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    vm->xcr0 = xsave & (lo | (uint64_t)hi << 32);
    return true;
}

kvm_vm *kvm_vm_new(const kvm_caps *caps, char *err, size_t len)
{
    kvm_vm *vm = calloc(1, sizeof *vm);
    if (!vm)
        return NULL;
    vm->kvm = vm->fd = -1;
    vm->pvm = caps->pvm;
    vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    vm->fd = vm->kvm < 0 ? -1 : ioctl(vm->kvm, KVM_CREATE_VM, 0);
    if (vm->fd < 0) {
        say(err, len, "cannot create a KVM virtual machine: %s", strerror(errno));
        kvm_vm_free(vm);
        return NULL;
    }
    if (!setup_sys(vm) || !get_cpuid(vm)) {
        say(err, len, "cannot set up the KVM virtual machine: %s", strerror(errno));
        kvm_vm_free(vm);
        return NULL;
    }
    return vm;
}

void kvm_vm_free(kvm_vm *vm)
{
    if (!vm)
        return;
    if (vm->sys && vm->sys != MAP_FAILED)
        munmap(vm->sys, SYS_SIZE);
    if (vm->fd >= 0)
        close(vm->fd);
    if (vm->kvm >= 0)
        close(vm->kvm);
    free(vm->cpuid);
    free(vm);
}

/* ---- the vCPU ---- */

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, bool code)
{
    *s = (struct kvm_segment){ .base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
                               .present = 1, .dpl = (uint8_t)(sel & 3), .db = !code,
                               .s = 1, .l = code, .g = 1 };
}

static bool set_sregs(kvm_vcpu *v)
{
    kvm_vm *vm = v->vm;
    struct kvm_sregs s;
    if (ioctl(v->fd, KVM_GET_SREGS, &s) != 0)
        return false;
    uint64_t base = (uint64_t)(uintptr_t)vm->sys;
    set_seg(&s.cs, SEL_UCODE, 0xb, true);
    set_seg(&s.ss, SEL_UDATA, 0x3, false);
    s.ds = s.es = s.fs = s.gs = s.ss;
    s.tr = (struct kvm_segment){ .base = base + SYS_TSS, .limit = TSS_LIMIT, .selector = SEL_TSS,
                                 .type = 11, .present = 1 };
    s.ldt = (struct kvm_segment){ .unusable = 1 };
    s.gdt.base = base + SYS_GDT;
    s.gdt.limit = SEL_TSS + 15;
    s.idt.base = base + SYS_IDT;
    s.idt.limit = 16 * N_VECTORS - 1;
    s.cr0 = 0x80050033; /* PG AM WP NE ET MP PE */
    s.cr4 = 0x20 | 0x200 | 0x400 | 0x10000 | 0x40000; /* PAE OSFXSR OSXMMEXCPT FSGSBASE OSXSAVE */
    s.efer = 0x1 | 0x100 | 0x400 | 0x800;             /* SCE LME LMA NXE */
    s.cr3 = base + SYS_PT;
    return ioctl(v->fd, KVM_SET_SREGS, &s) == 0;
}

static bool set_msrs(kvm_vcpu *v)
{
    uint64_t stub = (uint64_t)(uintptr_t)v->vm->sys + SYS_STUB;
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

kvm_vcpu *kvm_vcpu_new(kvm_vm *vm, uint64_t pc, uint64_t sp, char *err, size_t len)
{
    kvm_vcpu *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->vm = vm;
    v->fd = -1;
    v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
    int size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (v->fd < 0 || size <= 0)
        goto fail;
    v->run_size = (size_t)size;
    v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    if (v->run == MAP_FAILED) {
        v->run = NULL;
        goto fail;
    }
    if (ioctl(v->fd, KVM_SET_CPUID2, vm->cpuid) != 0 || !set_sregs(v) || !set_xcr0(v) ||
        !set_msrs(v))
        goto fail;
    v->regs = (kvm_gregs){ .rip = pc, .rsp = sp, .rflags = 2 };
    if (ioctl(v->fd, KVM_SET_REGS, &v->regs) != 0)
        goto fail;
    v->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
    return v;
fail:
    say(err, len, "cannot set up a KVM vCPU: %s", strerror(errno));
    kvm_vcpu_free(v);
    return NULL;
}

kvm_gregs *kvm_vcpu_regs(kvm_vcpu *v)
{
    return &v->regs;
}

const kvm_fault *kvm_vcpu_fault(const kvm_vcpu *v)
{
    return &v->fault;
}

/* The frame an exception's stub stands on: error code, rip, cs, rflags,
 * rsp, ss.  The guest's registers are those of ring 3 (rip, rsp, rflags
 * from the frame); the stub's own are kept to go on with. */
static void take_exception(kvm_vcpu *v, int vector)
{
    uint64_t *f = (uint64_t *)(uintptr_t)v->regs.rsp;
    struct kvm_sregs s;
    v->frame = v->regs.rsp;
    v->kregs[0] = v->regs.rip, v->kregs[1] = v->regs.rsp, v->kregs[2] = v->regs.rflags;
    v->fault = (kvm_fault){ .vector = vector, .error = f[0],
                            .cr2 = ioctl(v->fd, KVM_GET_SREGS, &s) == 0 ? s.cr2 : 0 };
    v->regs.rip = f[1], v->regs.rflags = f[3], v->regs.rsp = f[4];
}

/* Back from an exception: the ring-3 registers Ferry chose go into the
 * frame the stub returns through. */
static void leave_exception(kvm_vcpu *v)
{
    uint64_t *f = (uint64_t *)(uintptr_t)v->frame;
    f[1] = v->regs.rip, f[3] = v->regs.rflags | 2, f[4] = v->regs.rsp;
    v->regs.rip = v->kregs[0], v->regs.rsp = v->kregs[1], v->regs.rflags = v->kregs[2];
    v->frame = 0;
}

const char *kvm_vcpu_error(const kvm_vcpu *v)
{
    return v->error;
}

/* Ferry's own stops are a write of the syscall port; anything else ends
 * the run with a line saying what the VM did. */
kvm_stop kvm_vcpu_run(kvm_vcpu *v)
{
    struct kvm_run *r = v->run;
    _Static_assert(sizeof(kvm_gregs) == sizeof r->s.regs.regs, "kvm_gregs is struct kvm_regs");
    if (v->frame)
        leave_exception(v);
    memcpy(&r->s.regs.regs, &v->regs, sizeof v->regs);
    r->kvm_dirty_regs = KVM_SYNC_X86_REGS;
    for (;;) {
        if (ioctl(v->fd, KVM_RUN, 0) != 0) {
            if (errno == EINTR)
                continue;
            say(v->error, sizeof v->error, "KVM_RUN: %s", strerror(errno));
            return KVM_STOP_ERROR;
        }
        r->kvm_dirty_regs = 0;
        memcpy(&v->regs, &r->s.regs.regs, sizeof v->regs);
        if (r->exit_reason == KVM_EXIT_IO && r->io.port == PORT_SYSCALL &&
            r->io.direction == KVM_EXIT_IO_OUT)
            return KVM_STOP_SYSCALL;
        if (r->exit_reason == KVM_EXIT_IO && r->io.port >= PORT_EXC &&
            r->io.port < PORT_EXC + N_VECTORS && r->io.direction == KVM_EXIT_IO_OUT) {
            take_exception(v, r->io.port - PORT_EXC);
            return KVM_STOP_FAULT;
        }
        say(v->error, sizeof v->error, "the VM stopped (exit reason %u) at rip %#llx",
            r->exit_reason, (unsigned long long)v->regs.rip);
        return KVM_STOP_ERROR;
    }
}

void kvm_vcpu_free(kvm_vcpu *v)
{
    if (!v)
        return;
    if (v->run)
        munmap(v->run, v->run_size);
    if (v->fd >= 0)
        close(v->fd);
    free(v);
}
