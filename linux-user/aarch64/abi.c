/* The aarch64 Linux ABI: syscall number in x8, arguments in x0..x5, the
 * result in x0, sp in x[31], the thread pointer in TPIDR_EL0; AT_HWCAP and
 * /proc/cpuinfo come from the kernel's HWCAP rules in isa.c applied to
 * the frontend's ID registers.  arm64 has no
 * syscalls of its own past the generic table, but its O_DIRECTORY family
 * of open flags has other values than x86-64's (open_flags below).
 */
#include <elf.h>
#include <string.h>

#include "backend/engine.h"
#include "frontend/aarch64/a64_cpu.h"
#include "linux-user/aarch64/a64_abi.h"
#include "linux-user/lu.h"

static void a64_init_cpu(void *cpu, uint64_t entry, uint64_t sp)
{
    a64_cpu *c = cpu;
    memset(c, 0, sizeof *c); /* FPCR 0: round to nearest, no FZ/DN, as Linux */
    c->pc = entry;
    c->x[31] = sp;
    c->excl_addr = (uint64_t)-1; /* exclusive monitor open (a64_cpu.h) */
    c->flags = engine_saved_of_nzcv(0); /* the saved form of N = Z = C = V = 0 */
}

/* A64 instructions are one little-endian word each. */
static int a64_insn_at(uint64_t pc, uint32_t *word)
{
    memcpy(word, (const void *)(uintptr_t)pc, 4);
    return 4;
}

/* arch/arm64/include/uapi/asm/fcntl.h against asm-generic/fcntl.h (the
 * x86-64 values); every other O_* bit is the same.  O_TMPFILE carries
 * O_DIRECTORY, so it is translated through its row. */
static const lu_bitmap a64_open_flags[] = {
    { 040000, 0200000 },  /* O_DIRECTORY */
    { 0100000, 0400000 }, /* O_NOFOLLOW */
    { 0200000, 040000 },  /* O_DIRECT */
    { 0400000, 0100000 }, /* O_LARGEFILE */
};

const guest_abi guest_abi_aarch64 = {
    .name = "aarch64",
    .elf_machine = EM_AARCH64,
    .cpu_size = sizeof(a64_cpu),
    .pc_off = A64_OFF_PC,
    .syscall_len = 4,
    .fe = &frontend_aarch64,
    .uname_machine = "aarch64",
    .platform = "aarch64", /* ELF_PLATFORM */
    .hwcap = a64_hwcap,
    .hwcap2 = a64_hwcap2, /* arm64 always gives AT_HWCAP2 */
    .cpuinfo = a64_cpuinfo,
    .default_sysroot = "/usr/aarch64-linux-gnu", /* Debian/Ubuntu cross libc */
    .sysno_off = A64_OFF_X(8),
    .arg_off = { A64_OFF_X(0), A64_OFF_X(1), A64_OFF_X(2), A64_OFF_X(3),
                 A64_OFF_X(4), A64_OFF_X(5) },
    .ret_off = A64_OFF_X(0),
    .sp_off = A64_OFF_SP,
    .tls_off = (uint32_t)offsetof(a64_cpu, tpidr_el0),
    .init_cpu = a64_init_cpu,
    .sigaction_restorer = true, /* arm64 has SA_RESTORER */
    .minsigstksz = 5120,        /* arch/arm64/include/uapi/asm/signal.h */
    .open_flags = a64_open_flags,
    .open_flags_len = sizeof a64_open_flags / sizeof a64_open_flags[0],
    .insn_at = a64_insn_at,
    .arch_sys = NULL, /* none: rows 244..259 are unused on arm64 */
    .arch_sys_len = 0,
    .trampoline = a64_trampoline,
    .sigframe_size = A64_FRAME_SIZE,
    .sig_setup = a64_sig_setup,
    .gdb = &a64_gdb,
    .sig_return = a64_sig_return,
};
