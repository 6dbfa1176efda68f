/* kvm/'s own header: the VM's layout, shared by vm.c (the VM, its
 * memslots and page tables) and vcpu.c (vCPUs and their stops).
 *
 * System pages, allocated like page tables from a pool of 2 MiB blocks
 * of Ferry's memory, mapped in the guest at their own addresses:
 *   the IDT (supervisor, read-only), the exception stubs (supervisor
 *   code), the syscall entry stub (user code on PVM, where syscall keeps
 *   CPL 3), and per vCPU a GDT+TSS page and a kernel stack page.
 */
#ifndef FERRY_KVM_MACHINE_H
#define FERRY_KVM_MACHINE_H

#include <linux/kvm.h>
#include <pthread.h>

#include "kvm/vm.h"

#define PAGE 4096ull
#define POOL_BLOCK (2ull << 20)
/* A memslot covers 16 MiB: KVM's bookkeeping for a slot costs time in
 * proportion to its size (a 1 GiB slot took ~0.7 ms on PVM, 16 MiB
 * ~50 us), and the slots a program needs grow slowly with its memory. */
#define CHUNK_SHIFT 24
#define USER_TOP (1ull << 47)
#define N_CHUNKS (USER_TOP >> CHUNK_SHIFT)

enum { SEL_KCODE = 0x10, SEL_KDATA = 0x18, SEL_UCODE32 = 0x23, SEL_UDATA = 0x2b,
       SEL_UCODE = 0x33, SEL_TSS = 0x40 };
#define GDT_SIZE (SEL_TSS + 16)
#define TSS_OFF 0x100              /* in the vCPU's GDT+TSS page */
#define PORT_SYSCALL 0x20
#define PORT_EXC 0x40              /* + the vector: an exception's stub */
#define N_VECTORS 32
#define EXC_STUB 16
/* The TSS (104 bytes), then an I/O bitmap reaching only the ports Ferry
 * uses (ports past the limit are refused) and its closing 0xff byte. */
#define IOMAP_BYTES ((PORT_EXC + N_VECTORS) / 8 + 1)
#define TSS_LIMIT (104 + IOMAP_BYTES - 1)

/* page-table entry bits */
#define PT_P 1ull
#define PT_RW 2ull
#define PT_US 4ull
#define PT_PS 0x80ull /* a 2 MiB page in a page directory */
#define PT_NX (1ull << 63)
#define PT_ADDR 0x000ffffffffff000ull

#define MAX_RUN 4096 /* chunks in one memslot: 64 GiB */

typedef struct kvm_run_slot {
    uint64_t chunk, n; /* n chunks from chunk */
} kvm_run_slot;

struct kvm_vm {
    int kvm, fd;
    bool pvm;
    pthread_mutex_t lock;      /* pool, page tables, memslots */
    uint64_t pml4;
    uint64_t idt, exc_stubs, sys_stub; /* the shared system pages */
    uint64_t pool, pool_used;  /* the current pool block and how much is taken */
    uint64_t *blocks;          /* every pool block (for a fork's child) */
    size_t nblocks;
    /* Every vCPU made (KVM cannot destroy one before its VM): those whose
     * thread ended are idle, for the next thread to take. */
    kvm_vcpu **vcpus;
    size_t nvcpus;
    uint32_t slots, nslots_made; /* memslots made (nslots_made: a fork's) */
    uint8_t *chunk;            /* bitmap of the chunks with a memslot */
    kvm_run_slot *runs;        /* slot i covers runs[i] */
    struct kvm_cpuid2 *cpuid;
    uint64_t xcr0;
    size_t run_size;
};

/* Under vm->lock: a page-aligned page from the pool (zeroed), 0 when out
 * of memory; the two pages of a vCPU's area (GDT+TSS, kernel stack),
 * mapped for ring 0. */
uint64_t kvm_pool_page(kvm_vm *vm);
uint64_t kvm_area_new(kvm_vm *vm);
/* fd moved high in the fd table and remembered as the machine's
 * (kvm_fd_next); -1 stays -1.  kvm_fd_drop closes one. */
int kvm_fd_keep(int fd);
void kvm_fd_drop(int fd);
/* A vCPU (vcpu.c runs it; the VM keeps every one, and at its end, or in
 * a fork's child where the parent's cannot be used, lets them go). */
struct kvm_vcpu {
    kvm_vm *vm;
    int fd;
    struct kvm_run *run;
    uint64_t area;     /* GDT+TSS page, then the kernel stack page */
    kvm_fault fault;
    uint64_t frame;    /* in an exception: its frame on the kernel stack, else 0 */
    uint64_t kregs[3]; /* and the stub's own rip, rsp, rflags */
    bool bases_dirty;
    bool idle;         /* its thread ended: the next one may take it */
    uint64_t fs, gs;
    char error[160];
};

void kvm_vcpu_destroy(kvm_vcpu *v);

#endif
