/* The x86-64 guest (issue #7): its CPU state as linux-user sees it, and
 * the pieces of its Linux ABI the other files of this folder give
 * abi.c.  Its code is not translated: it runs natively in a KVM virtual
 * machine (kvm/), one vCPU per guest thread, and run.c is the runner that
 * moves this state in and out of the vCPU around each stop.
 *
 * The general registers are the vCPU's as of its last stop; FS and GS
 * bases and the FP/vector state (an XSAVE image) are read from the vCPU
 * only when asked (x64_fp_sync), and whatever Ferry changes (a signal
 * frame, sigreturn, arch_prctl, a new thread) is marked dirty and goes
 * back at the next run.
 */
#ifndef FERRY_X64_ABI_H
#define FERRY_X64_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "kvm/vm.h"
#include "linux-user/guest_abi.h"

/* cpu->state bits */
enum {
    X64_FP_VALID = 1, /* fp holds the FP state as the guest left it */
    X64_FP_DIRTY = 2, /* Ferry changed fp: the vCPU gets it at the next run */
    X64_SEG_DIRTY = 4 /* fs_base/gs_base changed: likewise */
};

#define X64_FP_SIZE 4096 /* struct kvm_xsave: the standard-format XSAVE image */

typedef struct x64_cpu {
    kvm_gregs r;              /* rax ... r15, rip, rflags */
    uint64_t fs_base, gs_base;
    /* The last exception, for the signal frame's sigcontext. */
    uint64_t trapno, err, cr2;
    kvm_vcpu *vcpu;           /* this thread's vCPU; NULL until it first runs */
    uint32_t state;           /* X64_* */
    _Alignas(64) uint8_t fp[X64_FP_SIZE];
} x64_cpu;

#define X64_OFF(reg) ((uint32_t)offsetof(x64_cpu, r.reg))

/* Make cpu->fp the guest's current FP state (X64_FP_VALID). */
void x64_fp_sync(x64_cpu *c);

/* The address a memory access the host could not back touched (KVM's
 * EFAULT), from the faulting instruction's operands (fault_addr.c). */
bool x64_fault_addr(const x64_cpu *c, uint64_t *addr);

/* Syscall numbering (syscall.c): x86-64's numbers to rows.  x64_sys_map[n]
 * is the asm-generic number + 1 of the row that serves x86-64's call n
 * (0: none); x64_syscalls[n] is a row of x86-64's own, which comes first.
 * Both tables are X64_NSYS long (abi.c's initializer needs a constant). */
#define X64_NSYS 512
extern const uint16_t x64_sys_map[X64_NSYS];
extern const struct lu_sysdef x64_syscalls[X64_NSYS];

/* The signal frame (signal.c): struct rt_sigframe of
 * arch/x86/include/asm/sigframe.h with its XSAVE area. */
#define X64_FRAME_SIZE (440 + 128 + X64_FP_SIZE + 4 + 63 + 15 + 8) /* 4754 */
/* What rt_sigreturn reads at its sp: the frame past pretcode (the FP state
 * is found through its pointer). */
#define X64_SIGRETURN_SIZE (440 - 8)
void x64_sig_setup(void *cpu, const lu_sigframe *f);
bool x64_sig_return(void *cpu, lu_sigframe *f);

#endif
