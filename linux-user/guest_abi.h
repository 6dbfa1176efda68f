/* A guest's Linux ABI: one constant struct per guest (linux-user/<arch>/).
 * Everything the cpu loop and the syscall layer need to know about where a
 * guest keeps syscall arguments, and the facts of its auxv, lives here. */
#ifndef FERRY_GUEST_ABI_H
#define FERRY_GUEST_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "frontend/frontend.h"

/* What a signal frame holds beyond the registers, handed between the
 * generic delivery code (signal.c) and a guest's frame layout.  The mask,
 * stack and FP words are what sigreturn puts back. */
typedef struct lu_sigframe {
    int sig;
    const void *info;       /* 128-byte siginfo, generic layout (the host's) */
    uint64_t top;           /* the frame goes below this address */
    uint64_t handler;       /* where the handler starts */
    uint64_t restorer;      /* its return address: rt_sigreturn's code */
    uint64_t mask;          /* uc_sigmask: bit sig-1 */
    uint64_t ss_sp, ss_size;/* uc_stack */
    int32_t ss_flags;
    uint64_t fp[2];         /* the FP status words (LU_TRAMP_FP_*) */
    uint64_t fault_addr;    /* aarch64's sigcontext.fault_address */
} lu_sigframe;

/* The guest code Ferry puts in a page of its own (signal.c), as words at
 * these byte offsets: the return from a handler (rt_sigreturn, where a
 * handler's return address points unless sa_restorer says otherwise), and
 * two stubs that end in a breakpoint trap: FP_GET puts the FP status words
 * in the first two argument registers, FP_SET sets them from there.  They
 * let linux-user read and write the guest FP status through the engine
 * that owns it, without knowing where the engine keeps it. */
#define LU_TRAMP_SIGRETURN 0
#define LU_TRAMP_FP_GET 16
#define LU_TRAMP_FP_SET 32
#define LU_TRAMP_WORDS 12

/* One flag whose guest and host values differ (both single bits). */
typedef struct lu_bitmap {
    uint64_t guest, host;
} lu_bitmap;

typedef struct guest_abi {
    const char *name;          /* "riscv64": ferry-NAME forces it */
    uint16_t elf_machine;      /* EM_RISCV */
    size_t cpu_size;           /* its CPU state (the thread's cpu) */
    uint32_t pc_off;           /* where the pc is in it */
    uint32_t syscall_len;      /* bytes of the syscall instruction (a restart
                                * goes back over it) */
    /* The translator's frontend, or NULL: the guest is the host's own ISA
     * and runs natively in a KVM virtual machine (x86_64/). */
    const frontend *fe;
    const char *uname_machine; /* "riscv64" */
    const char *platform;      /* AT_PLATFORM string, or NULL */
    uint64_t (*hwcap)(void);   /* AT_HWCAP */
    uint64_t (*hwcap2)(void);  /* AT_HWCAP2, or NULL: the kernel gives none */
    uint64_t (*at_minsigstksz)(void); /* AT_MINSIGSTKSZ, or NULL: none given */
    /* /proc/cpuinfo as the guest's kernel would write it. */
    void (*cpuinfo)(FILE *f);
    /* x86-64: the host's own vDSO serves the guest (it runs natively):
     * AT_SYSINFO_EHDR names it, the VM maps it and its data pages, and
     * /proc/self/maps shows them. */
    bool host_vdso;
    /* The sysroot used without -L when it exists (qemu's -L), or NULL. */
    const char *default_sysroot;
    uint32_t sysno_off;        /* CPU-state offsets of the syscall number, */
    uint32_t arg_off[6];       /* its six arguments, */
    uint32_t ret_off;          /* and where the result goes */
    uint32_t sp_off;           /* the stack pointer */
    uint32_t tls_off;          /* the thread pointer clone's CLONE_SETTLS sets */
    /* Set up a fresh CPU state to start at entry with stack sp. */
    void (*init_cpu)(void *cpu, uint64_t entry, uint64_t sp);
    bool sigaction_restorer;   /* guest struct sigaction has sa_restorer */
    uint32_t minsigstksz;      /* sigaltstack's smallest size (MINSIGSTKSZ) */
    /* The O_* bits whose values differ from the host's (x86-64), one row
     * each; bits not listed are the same.  NULL: all are (asm-generic). */
    const struct lu_bitmap *open_flags;
    size_t open_flags_len;
    /* The instruction word at pc and its length in bytes, for -d unimp. */
    int (*insn_at)(uint64_t pc, uint32_t *word);
    /* This guest's own syscalls (asm-generic leaves 244..259 to each
     * arch), indexed by number; rows past the generic table's. */
    const struct lu_sysdef *arch_sys;
    size_t arch_sys_len;
    /* A guest not numbered as asm-generic (x86-64): sys_map[n] is the
     * generic number + 1 of the row serving its call n (0: none, unless
     * arch_sys[n] is one of its own, which comes first).  NULL: its
     * numbers are asm-generic's. */
    const uint16_t *sys_map;
    size_t sys_map_len;
    /* Signals: the trampoline page's words (LU_TRAMP_*), the frame's
     * size, its construction (the
     * registers set as the kernel enters a handler) and rt_sigreturn's
     * reading of the frame at the guest sp (false: a bad frame).
     * sigframe_size: sizeof(struct rt_sigframe); alignment and the
     * aarch64 frame record take at most 32 bytes more. */
    const uint32_t *trampoline;
    uint32_t sigframe_size;
    /* What rt_sigreturn reads at the sp it finds (0: sigframe_size); x86-64's
     * frame lies partly below it and keeps its FP state elsewhere. */
    uint32_t sigreturn_size;
    void (*sig_setup)(void *cpu, const lu_sigframe *f);
    bool (*sig_return)(void *cpu, lu_sigframe *f);
    /* Its registers as gdb sees them (gdb_regs.h), for -g. */
    const struct gdb_arch *gdb;
} guest_abi;

extern const guest_abi guest_abi_riscv64;
extern const guest_abi guest_abi_aarch64;
extern const guest_abi guest_abi_x86_64;

/* Flags through a guest_abi's table (open_flags): guest value to host, and
 * back (what F_GETFL returns).  Bits not in the table pass unchanged. */
uint64_t lu_bits_to_host(const lu_bitmap *m, size_t n, uint64_t guest);
uint64_t lu_bits_to_guest(const lu_bitmap *m, size_t n, uint64_t host);

#endif
