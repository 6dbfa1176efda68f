/* riscv64-only parts of the guest ABI, shared by the files of linux-user/riscv64/:
 * the extension table's readers (isa.c) and riscv_hwprobe's constants
 * (asm/hwprobe.h of Linux). */
#ifndef FERRY_RV_ABI_H
#define FERRY_RV_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RV_PROBE_KEY_MVENDORID 0
#define RV_PROBE_KEY_MARCHID 1
#define RV_PROBE_KEY_MIMPID 2
#define RV_PROBE_KEY_BASE_BEHAVIOR 3
#define RV_PROBE_BASE_BEHAVIOR_IMA (1ull << 0)
#define RV_PROBE_KEY_IMA_EXT_0 4
#define RV_PROBE_IMA_FD (1ull << 0)
#define RV_PROBE_IMA_C (1ull << 1)
#define RV_PROBE_EXT_ZBA (1ull << 3)
#define RV_PROBE_EXT_ZBB (1ull << 4)
#define RV_PROBE_EXT_ZBS (1ull << 5)
#define RV_PROBE_EXT_ZICOND (1ull << 35)

/* AT_HWCAP: bit (letter - 'a') for each single-letter extension. */
uint64_t rv_hwcap(void);
/* "rv64imafdc_zicond_..." as /proc/cpuinfo's isa line. */
void rv_isa_string(char *buf, size_t len);
/* riscv_hwprobe's RISCV_HWPROBE_KEY_IMA_EXT_0 value. */
uint64_t rv_probe_ima_ext0(void);
/* The whole of /proc/cpuinfo. */
void rv_cpuinfo(FILE *f);

/* The signal frame (signal.c): byte offsets as the riscv kernel's
 * struct rt_sigframe { siginfo info; ucontext uc; } lays them out. */
#define RV_FRAME_UC 128          /* uc, after the 128-byte siginfo */
#define RV_UC_STACK 16           /* uc_stack: ss_sp, ss_flags, ss_size */
#define RV_UC_SIGMASK 40
#define RV_UC_MCONTEXT 176       /* struct sigcontext, 16-byte aligned */
#define RV_MC_FP 256             /* sc_fpregs: f[32], after pc, x1..x31 */
#define RV_MC_FCSR (RV_MC_FP + 256)
#define RV_FRAME_SIZE 1088       /* sizeof(struct rt_sigframe) */
struct lu_sigframe;
extern const uint32_t rv_trampoline[];
void rv_sig_setup(void *cpu, const struct lu_sigframe *f);
bool rv_sig_return(void *cpu, struct lu_sigframe *f);

/* riscv64's own syscalls, indexed by number (syscall.c). */
#define RV_NSYSCALLS 260
struct lu_sysdef;
extern const struct lu_sysdef rv_syscalls[RV_NSYSCALLS];

/* Its registers for gdb (gdb.c). */
struct gdb_arch;
extern const struct gdb_arch rv_gdb;

#endif
