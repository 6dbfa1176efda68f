/* aarch64-only parts of the guest ABI, shared by the files of
 * linux-user/aarch64/: the readers of the HWCAP rule table (isa.c). */
#ifndef FERRY_A64_ABI_H
#define FERRY_A64_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* AT_HWCAP: the kernel's rules applied to the frontend's ID registers. */
uint64_t a64_hwcap(void);
/* The same rules for given ID_AA64PFR0_EL1 and ID_AA64ISAR0_EL1 values. */
uint64_t a64_hwcap_from(uint64_t pfr0, uint64_t isar0);
/* AT_HWCAP2: no HWCAP2_* feature is implemented. */
uint64_t a64_hwcap2(void);
/* " fp asimd ..." as /proc/cpuinfo's Features line (after the colon). */
void a64_features_string(char *buf, size_t len);
/* The whole of /proc/cpuinfo. */
void a64_cpuinfo(FILE *f);

/* The signal frame (signal.c): byte offsets as the arm64 kernel's
 * struct rt_sigframe { siginfo info; ucontext uc; } lays them out. */
#define A64_FRAME_UC 128          /* uc, after the 128-byte siginfo */
#define A64_UC_STACK 16           /* uc_stack: ss_sp, ss_flags, ss_size */
#define A64_UC_SIGMASK 40
#define A64_UC_MCONTEXT 176       /* struct sigcontext, 16-byte aligned */
#define A64_MC_FAULT 0
#define A64_MC_REGS 8
#define A64_MC_SP 256
#define A64_MC_PC 264
#define A64_MC_PSTATE 272
#define A64_MC_RESERVED 288       /* __reserved[4096], the records */
#define A64_RESERVED_SIZE 4096
#define A64_FPSIMD_FPSR 8         /* in struct fpsimd_context */
#define A64_FPSIMD_FPCR 12
#define A64_FPSIMD_V 16
#define A64_ESR_MAGIC 0x45535201u
#define A64_FRAME_SIZE 4688       /* sizeof(struct rt_sigframe) */
struct lu_sigframe;
extern const uint32_t a64_trampoline[];
void a64_sig_setup(void *cpu, const struct lu_sigframe *f);
bool a64_sig_return(void *cpu, struct lu_sigframe *f);

/* Its registers for gdb (gdb.c). */
struct gdb_arch;
extern const struct gdb_arch a64_gdb;

#endif
