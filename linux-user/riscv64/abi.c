/* The riscv64 Linux ABI: syscall number in a7, arguments in a0..a5, the
 * result in a0, sp in x2, the thread pointer in tp (x4); AT_HWCAP and
 * /proc/cpuinfo come from the extension table in isa.c; riscv_hwprobe and
 * riscv_flush_icache are its own syscalls (syscall.c). */
#include <elf.h>
#include <string.h>

#include "frontend/riscv64/rv_cpu.h"
#include "linux-user/lu.h"
#include "linux-user/riscv64/rv_abi.h"

static void rv_init_cpu(void *cpu, uint64_t entry, uint64_t sp)
{
    rv_cpu *c = cpu;
    memset(c, 0, sizeof *c);
    c->pc = entry;
    c->x[2] = sp;
    c->res_addr = (uint64_t)-1; /* no LR reservation */
}

/* A 32-bit word has its low two bits set; anything else is compressed. */
static int rv_insn_at(uint64_t pc, uint32_t *word)
{
    const uint16_t *p = (const uint16_t *)(uintptr_t)pc;
    if ((p[0] & 3) != 3) {
        *word = p[0];
        return 2;
    }
    *word = p[0] | (uint32_t)p[1] << 16;
    return 4;
}

const guest_abi guest_abi_riscv64 = {
    .name = "riscv64",
    .elf_machine = EM_RISCV,
    .cpu_size = sizeof(rv_cpu),
    .pc_off = RV_OFF_PC,
    .syscall_len = 4,
    .fe = &frontend_riscv64,
    .uname_machine = "riscv64",
    .platform = NULL, /* the riscv kernel sets no AT_PLATFORM */
    .hwcap = rv_hwcap,
    .cpuinfo = rv_cpuinfo,
    .default_sysroot = "/usr/riscv64-linux-gnu", /* Debian/Ubuntu cross libc */
    .sysno_off = RV_OFF_X(17),
    .arg_off = { RV_OFF_X(10), RV_OFF_X(11), RV_OFF_X(12), RV_OFF_X(13),
                 RV_OFF_X(14), RV_OFF_X(15) },
    .ret_off = RV_OFF_X(10),
    .sp_off = RV_OFF_X(2),
    .tls_off = RV_OFF_X(4),
    .init_cpu = rv_init_cpu,
    .sigaction_restorer = false, /* riscv has no SA_RESTORER */
    .minsigstksz = 2048,         /* asm-generic/signal.h */
    .open_flags = NULL,          /* asm-generic O_* values: x86-64's too */
    .insn_at = rv_insn_at,
    .arch_sys = rv_syscalls,
    .arch_sys_len = RV_NSYSCALLS,
    .trampoline = rv_trampoline,
    .sigframe_size = RV_FRAME_SIZE,
    .sig_setup = rv_sig_setup,
    .gdb = &rv_gdb,
    .sig_return = rv_sig_return,
};
