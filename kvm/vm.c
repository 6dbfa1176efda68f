/* The KVM machine for x86-64 guests (see vm.h): one VM per process; its
 * memory is Ferry's at the same addresses, covered by lazily made
 * memslots of 16 MiB chunks; guest page tables (4 KiB and 2 MiB pages)
 * carry each mapping's permissions; page tables and system pages
 * (machine.h) come from a pool of 2 MiB blocks of Ferry's memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kvm/machine.h"

/* ---- the machine's fds ---- */

#define MAX_FDS 65536
static uint8_t fd_ours[MAX_FDS / 8];

int kvm_fd_keep(int fd)
{
    struct rlimit rl;
    if (fd < 0)
        return fd;
    long floor = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < MAX_FDS ? (long)rl.rlim_cur / 2 : 512;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, floor > 3 ? floor : 3);
    if (high >= 0 && high < MAX_FDS) {
        close(fd);
        fd = high;
    } else if (high >= 0) {
        close(high);
    }
    if (fd < MAX_FDS)
        __atomic_fetch_or(&fd_ours[fd / 8], (uint8_t)(1u << (fd % 8)), __ATOMIC_SEQ_CST);
    return fd;
}

void kvm_fd_drop(int fd)
{
    if (fd < 0)
        return;
    if (fd < MAX_FDS)
        __atomic_fetch_and(&fd_ours[fd / 8], (uint8_t)~(1u << (fd % 8)), __ATOMIC_SEQ_CST);
    close(fd);
}

int kvm_fd_next(int fd)
{
    for (int f = fd < 0 ? 0 : fd; f < MAX_FDS; f++)
        if (__atomic_load_n(&fd_ours[f / 8], __ATOMIC_SEQ_CST) & (1u << (f % 8)))
            return f;
    return -1;
}

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
    int api = ioctl(fd, KVM_GET_API_VERSION, 0), e = errno;
    close(fd);
    if (api < 0) {
        say(caps->why, sizeof caps->why, "/dev/kvm is not a KVM device: %s", strerror(e));
        return false;
    }
    if (api != KVM_API_VERSION) {
        say(caps->why, sizeof caps->why, "/dev/kvm speaks API %d, not %d", api, KVM_API_VERSION);
        return false;
    }
    caps->pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
    caps->usable = true;
    return true;
}

/* ---- memslots: one per 1 GiB chunk of address space the guest uses ---- */

static bool chunk_has(const kvm_vm *vm, uint64_t c)
{
    return vm->chunk[c / 8] & (1u << (c % 8));
}

/* Slot `slot` over n chunks from chunk c.  The last chunk stops a page
 * short of 2^47, where the host's user address space ends (TASK_SIZE). */
static bool memslot(kvm_vm *vm, uint32_t slot, uint64_t c, uint64_t n)
{
    uint64_t start = c << CHUNK_SHIFT, size = n << CHUNK_SHIFT;
    struct kvm_userspace_memory_region r = {
        .slot = slot, .guest_phys_addr = start,
        .memory_size = start + size > USER_TOP - PAGE ? USER_TOP - PAGE - start : size,
        .userspace_addr = start,
    };
    return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) == 0;
}

/* Memslots over every chunk of [start, end) that has none: one per run
 * of such chunks (at most 64 GiB), so that a large mapping costs a few
 * slots, not thousands. */
static bool cover(kvm_vm *vm, uint64_t start, uint64_t end)
{
    if (end > USER_TOP || start >= end) {
        errno = EINVAL;
        return start == end;
    }
    uint64_t last = (end - 1) >> CHUNK_SHIFT;
    for (uint64_t c = start >> CHUNK_SHIFT; c <= last; c++) {
        if (chunk_has(vm, c))
            continue;
        uint64_t n = 1;
        while (c + n <= last && n < MAX_RUN && !chunk_has(vm, c + n))
            n++;
        kvm_run_slot *l = realloc(vm->runs, (vm->slots + 1) * sizeof *l);
        if (!l)
            return false;
        vm->runs = l;
        if (!memslot(vm, vm->slots, c, n))
            return false;
        l[vm->slots++] = (kvm_run_slot){ c, n };
        for (uint64_t k = c; k < c + n; k++)
            vm->chunk[k / 8] |= (uint8_t)(1u << (k % 8));
        c += n - 1;
    }
    return true;
}

/* ---- the pool ---- */

/* A new block: in the chunk of the host's vDSO where there is room, since
 * the guest maps the vDSO and so needs that chunk's memslot anyway (making
 * one costs ~90 us at each start here: 4 slots -> 3 for a static hello),
 * else wherever the kernel likes. */
static void *pool_block(void)
{
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    uint64_t vdso = getauxval(AT_SYSINFO_EHDR), base = vdso >> CHUNK_SHIFT << CHUNK_SHIFT;
    for (uint64_t a = base; vdso && a < base + (1ull << CHUNK_SHIFT); a += POOL_BLOCK) {
        void *b = mmap((void *)(uintptr_t)a, POOL_BLOCK, PROT_READ | PROT_WRITE,
                       flags | MAP_FIXED_NOREPLACE, -1, 0);
        if (b == (void *)(uintptr_t)a)
            return b;
        if (b != MAP_FAILED) /* a kernel without MAP_FIXED_NOREPLACE */
            munmap(b, POOL_BLOCK);
    }
    return mmap(NULL, POOL_BLOCK, PROT_READ | PROT_WRITE, flags, -1, 0);
}

static bool pool_grow(kvm_vm *vm)
{
    void *b = pool_block();
    uint64_t *list = realloc(vm->blocks, (vm->nblocks + 1) * sizeof *list);
    if (b == MAP_FAILED || !list) {
        if (b != MAP_FAILED)
            munmap(b, POOL_BLOCK);
        return false;
    }
    vm->blocks = list;
    vm->pool = list[vm->nblocks++] = (uint64_t)(uintptr_t)b;
    vm->pool_used = 0;
    return cover(vm, vm->pool, vm->pool + POOL_BLOCK);
}

uint64_t kvm_pool_page(kvm_vm *vm)
{
    if ((!vm->pool || vm->pool_used == POOL_BLOCK) && !pool_grow(vm))
        return 0;
    uint64_t p = vm->pool + vm->pool_used;
    vm->pool_used += PAGE;
    return p; /* fresh anonymous memory: zero */
}

/* ---- page tables ---- */

static uint64_t *table_at(uint64_t entry)
{
    return (uint64_t *)(uintptr_t)(entry & PT_ADDR);
}

static uint64_t pte_flags(int prot, bool user)
{
    if (!prot)
        return 0;
    return PT_P | (user ? PT_US : 0) | (prot & KVM_PROT_WRITE ? PT_RW : 0) |
           (prot & KVM_PROT_EXEC ? 0 : PT_NX);
}

/* A 2 MiB page entry becomes a table of 512 4 KiB ones, the same. */
static bool split(kvm_vm *vm, uint64_t *e)
{
    uint64_t n = kvm_pool_page(vm), *t = (uint64_t *)(uintptr_t)n;
    if (!n)
        return false;
    uint64_t flags = *e & ~PT_ADDR & ~PT_PS, base = *e & PT_ADDR;
    for (int i = 0; i < 512; i++)
        t[i] = (base + (uint64_t)i * PAGE) | flags;
    *e = n | PT_P | PT_RW | PT_US;
    return true;
}

/* [a, end) within table t, whose entries each cover 2^shift bytes, gets
 * flags (0: nothing there).  Whole aligned 2 MiB stretches become large
 * pages; absent tables stay absent where nothing is mapped. */
static bool set_range(kvm_vm *vm, uint64_t *t, int shift, uint64_t a, uint64_t end,
                      uint64_t flags)
{
    uint64_t size = 1ull << shift;
    while (a < end) {
        uint64_t next = (a & ~(size - 1)) + size, stop = next < end ? next : end;
        uint64_t *e = &t[(a >> shift) & 511];
        bool whole = a % size == 0 && stop == next;
        if (shift == 12 || (shift == 21 && whole && (!(*e & PT_P) || (*e & PT_PS)))) {
            *e = flags ? (a & PT_ADDR) | flags | (shift == 21 ? PT_PS : 0) : 0;
        } else if (*e & PT_P || flags) {
            uint64_t n;
            if ((*e & PT_P) && (*e & PT_PS) && !split(vm, e))
                return false;
            if (!(*e & PT_P)) {
                if (!(n = kvm_pool_page(vm)))
                    return false;
                *e = n | PT_P | PT_RW | PT_US;
            }
            if (!set_range(vm, table_at(*e), shift - 9, a, stop, flags))
                return false;
        }
        a = stop;
    }
    return true;
}

static bool set_ptes(kvm_vm *vm, uint64_t addr, uint64_t len, uint64_t flags)
{
    if (set_range(vm, (uint64_t *)(uintptr_t)vm->pml4, 39, addr, addr + len, flags))
        return true;
    errno = ENOMEM;
    return false;
}

/* The entry that maps va (a 4 KiB or 2 MiB page), or 0. */
static uint64_t entry_of(kvm_vm *vm, uint64_t va)
{
    uint64_t *t = (uint64_t *)(uintptr_t)vm->pml4;
    for (int shift = 39; shift >= 12; shift -= 9) {
        uint64_t e = t[(va >> shift) & 511];
        if (!(e & PT_P) || shift == 12 || (e & PT_PS))
            return e;
        t = table_at(e);
    }
    return 0;
}

bool kvm_vm_map(kvm_vm *vm, uint64_t addr, uint64_t len, int prot)
{
    if ((addr | len) & (PAGE - 1) || addr + len > USER_TOP || addr + len < addr) {
        errno = EINVAL;
        return false;
    }
    pthread_mutex_lock(&vm->lock);
    bool ok = (!prot || cover(vm, addr, addr + len)) &&
              set_ptes(vm, addr, len, pte_flags(prot, true));
    pthread_mutex_unlock(&vm->lock);
    return ok;
}

int kvm_vm_prot(kvm_vm *vm, uint64_t addr)
{
    pthread_mutex_lock(&vm->lock);
    uint64_t f = entry_of(vm, addr);
    pthread_mutex_unlock(&vm->lock);
    if (!(f & PT_P) || !(f & PT_US))
        return 0;
    return KVM_PROT_READ | (f & PT_RW ? KVM_PROT_WRITE : 0) | (f & PT_NX ? 0 : KVM_PROT_EXEC);
}

/* ---- system pages ---- */

/* A page for the machine itself, mapped in the guest for ring 0 (or for
 * the user, the syscall stub on PVM). */
static uint64_t sys_page(kvm_vm *vm, int prot, bool user)
{
    uint64_t p = kvm_pool_page(vm);
    return p && set_ptes(vm, p, PAGE, pte_flags(prot, user)) ? p : 0;
}

/* Each exception goes to a ring-0 stub that evens the frame (a 0 where
 * the CPU pushed no error code), tells Ferry through its own port (AL is
 * sent, nothing changes), and returns to the frame as Ferry left it:
 *   [push $0]; out %al, $0x40+v; add $8, %rsp; iretq */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
                      (v) == 29 || (v) == 30)

static void write_idt(kvm_vm *vm)
{
    for (int v = 0; v < N_VECTORS; v++) {
        uint8_t *s = (uint8_t *)(uintptr_t)(vm->exc_stubs + EXC_STUB * (uint64_t)v), n = 0;
        if (!HAS_ERROR(v))
            s[n++] = 0x6a, s[n++] = 0x00;
        s[n++] = 0xe6, s[n++] = (uint8_t)(PORT_EXC + v);
        s[n++] = 0x48, s[n++] = 0x83, s[n++] = 0xc4, s[n++] = 0x08;
        s[n++] = 0x48, s[n++] = 0xcf;
        uint64_t at = vm->exc_stubs + EXC_STUB * (uint64_t)v;
        uint64_t *g = (uint64_t *)(uintptr_t)(vm->idt + 16 * (uint64_t)v);
        g[0] = (at & 0xffff) | (uint64_t)SEL_KCODE << 16 | 0x8eull << 40 |
               (at >> 16 & 0xffff) << 48; /* a 64-bit interrupt gate, DPL 0 */
        g[1] = at >> 32;
    }
}

/* The entry LSTAR names.  Every call but those answered in place ends in
 * `out`, which stops the VM; Ferry then resumes the guest itself (the
 * ud2 is never reached).  With fast calls, getpid returns the pid and
 * arch_prctl(ARCH_SET_FS, addr) with a user address sets the FS base
 * right here, and the stub returns as sysret would: PVM keeps CPL 3, so
 * rflags come back through popfq below the red zone, then jmp *rcx;
 * hardware has ring 0 and sysretq. */
static const uint8_t stub_fast[] = {
    0x3d, 39, 0, 0, 0,                         /*  0: cmp $39,%eax (getpid) */
    0x74, 47 - 7,                              /*  5: je getpid */
    0x3d, 158, 0, 0, 0,                        /*  7: cmp $158,%eax (arch_prctl) */
    0x75, 75 - 14,                             /* 12: jne slow */
    0x48, 0x81, 0xff, 0x02, 0x10, 0, 0,        /* 14: cmp $0x1002,%rdi (ARCH_SET_FS) */
    0x75, 75 - 23,                             /* 21: jne slow */
    0x48, 0xb8, 0x00, 0xf0, 0xff, 0xff, 0xff, 0x7f, 0, 0, /* 23: movabs $TASK_SIZE,%rax */
    0x48, 0x39, 0xc6,                          /* 33: cmp %rax,%rsi */
    0x73, 70 - 38,                             /* 36: jae slow158 */
    0xf3, 0x48, 0x0f, 0xae, 0xd6,              /* 38: wrfsbase %rsi */
    0x31, 0xc0,                                /* 43: xor %eax,%eax */
    0xeb, 52 - 47,                             /* 45: jmp ret */
    0xb8, 0, 0, 0, 0,                          /* 47: getpid: mov $pid,%eax */
    0x48, 0x8d, 0x64, 0x24, 0x80,              /* 52: ret: lea -0x80(%rsp),%rsp */
    0x41, 0x53,                                /* 57: push %r11 */
    0x9d,                                      /* 59: popfq */
    0x48, 0x8d, 0xa4, 0x24, 0x80, 0, 0, 0,     /* 60: lea 0x80(%rsp),%rsp */
    0xff, 0xe1,                                /* 68: jmp *%rcx */
    0xb8, 158, 0, 0, 0,                        /* 70: slow158: mov $158,%eax */
    0xe6, PORT_SYSCALL,                        /* 75: slow: out %al,$0x20 */
    0x0f, 0x0b,                                /* 77: ud2 */
};
enum { STUB_PID = 48, STUB_RET = 52, STUB_RET_LEN = 18 };
static const uint8_t stub_plain[] = { 0xe6, PORT_SYSCALL, 0x0f, 0x0b }; /* out; ud2 */

void kvm_vm_fast_calls(kvm_vm *vm, int pid)
{
    uint8_t *s = (uint8_t *)(uintptr_t)vm->sys_stub;
    if (pid <= 0) {
        memcpy(s, stub_plain, sizeof stub_plain);
        return;
    }
    memcpy(s, stub_fast, sizeof stub_fast);
    memcpy(s + STUB_PID, &pid, 4);
    if (!vm->pvm) { /* ring 0: sysretq, the rest of the return block nops */
        memset(s + STUB_RET, 0x90, STUB_RET_LEN);
        memcpy(s + STUB_RET, "\x48\x0f\x07", 3);
    }
}

static bool setup_sys(kvm_vm *vm)
{
    vm->pml4 = kvm_pool_page(vm);
    if (!vm->pml4)
        return false;
    vm->idt = sys_page(vm, KVM_PROT_READ, false);
    vm->exc_stubs = sys_page(vm, KVM_PROT_READ | KVM_PROT_EXEC, false);
    vm->sys_stub = sys_page(vm, KVM_PROT_READ | KVM_PROT_EXEC, vm->pvm);
    if (!vm->idt || !vm->exc_stubs || !vm->sys_stub)
        return false;
    write_idt(vm);
    kvm_vm_fast_calls(vm, 0);
    return true;
}

/* A vCPU's GDT+TSS page and kernel stack page, side by side. */
uint64_t kvm_area_new(kvm_vm *vm)
{
    uint64_t a = sys_page(vm, KVM_PROT_READ | KVM_PROT_WRITE, false);
    uint64_t k = a ? sys_page(vm, KVM_PROT_READ | KVM_PROT_WRITE, false) : 0;
    if (k == a + PAGE)
        return a;
    /* a pool block ended between them: the new block has room for both */
    return k && sys_page(vm, KVM_PROT_READ | KVM_PROT_WRITE, false) == k + PAGE ? k : 0;
}

/* ---- the VM ---- */

void kvm_vcpu_destroy(kvm_vcpu *v)
{
    if (v->run)
        munmap(v->run, v->vm->run_size);
    kvm_fd_drop(v->fd);
    free(v);
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

/* /dev/kvm and a fresh VM on it. */
static bool open_vm(kvm_vm *vm, char *err, size_t len)
{
    vm->kvm = kvm_fd_keep(open("/dev/kvm", O_RDWR | O_CLOEXEC));
    vm->fd = vm->kvm < 0 ? -1 : kvm_fd_keep(ioctl(vm->kvm, KVM_CREATE_VM, 0));
    int size = vm->fd < 0 ? -1 : ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (vm->fd < 0 || size <= 0) {
        say(err, len, "cannot create a KVM virtual machine: %s", strerror(errno));
        return false;
    }
    vm->run_size = (size_t)size;
    return true;
}

kvm_vm *kvm_vm_new(const kvm_caps *caps, char *err, size_t len)
{
    kvm_vm *vm = calloc(1, sizeof *vm);
    if (!vm)
        return NULL;
    vm->kvm = vm->fd = -1;
    vm->pvm = caps->pvm;
    pthread_mutex_init(&vm->lock, NULL);
    vm->chunk = calloc(N_CHUNKS / 8, 1); /* untouched pages cost nothing */
    if (!vm->chunk || !open_vm(vm, err, len)) {
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

kvm_vm *kvm_vm_fork(kvm_vm *parent, char *err, size_t len)
{
    kvm_vm *vm = malloc(sizeof *vm);
    if (!vm)
        return NULL;
    for (size_t i = 0; i < parent->nvcpus; i++)
        kvm_vcpu_destroy(parent->vcpus[i]);
    parent->nvcpus = 0;
    kvm_fd_drop(parent->fd);
    kvm_fd_drop(parent->kvm);
    *vm = *parent;
    free(parent); /* its lists are the child's now */
    pthread_mutex_init(&vm->lock, NULL);
    vm->nslots_made = vm->slots;
    vm->slots = 0;
    if (!open_vm(vm, err, len))
        return NULL;
    for (uint32_t i = 0; i < vm->nslots_made; i++)
        if (!memslot(vm, vm->slots++, vm->runs[i].chunk, vm->runs[i].n)) {
            say(err, len, "cannot map the guest's memory into a new VM: %s", strerror(errno));
            return NULL;
        }
    return vm;
}

void kvm_vm_free(kvm_vm *vm)
{
    if (!vm)
        return;
    for (size_t i = 0; i < vm->nvcpus; i++)
        kvm_vcpu_destroy(vm->vcpus[i]);
    for (size_t i = 0; i < vm->nblocks; i++)
        munmap((void *)(uintptr_t)vm->blocks[i], POOL_BLOCK);
    kvm_fd_drop(vm->fd);
    kvm_fd_drop(vm->kvm);
    free(vm->blocks);
    free(vm->vcpus);
    free(vm->chunk);
    free(vm->runs);
    free(vm->cpuid);
    free(vm);
}
