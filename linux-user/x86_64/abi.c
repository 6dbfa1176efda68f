/* The x86-64 Linux ABI, for programs of the host's own ISA run in a KVM
 * virtual machine (run.c): syscall number in rax, arguments in rdi, rsi,
 * rdx, r10, r8, r9, the result in rax, the thread pointer in the FS base.
 * Its own syscall numbering maps onto linux-user's rows (syscall.c); the
 * struct layouts are the host's.  AT_HWCAP is CPUID.1:EDX as the kernel
 * gives it, AT_HWCAP2 says FSGSBASE (the VM enables it), /proc/cpuinfo and
 * the vDSO are the host's own (guest and host TSC agree); signal handlers return through sa_restorer, which
 * x86-64 requires, so there is no trampoline page. */
#include <cpuid.h>
#include <elf.h>
#include <string.h>
#include <sys/auxv.h>

#include "linux-user/lu.h"
#include "linux-user/x86_64/x64_abi.h"

static void x64_init_cpu(void *cpu, uint64_t entry, uint64_t sp)
{
    x64_cpu *c = cpu;
    memset(c, 0, sizeof *c); /* the kernel's ELF_PLAT_INIT: registers 0 */
    c->r.rip = entry;
    c->r.rsp = sp;
    c->r.rflags = 0x202; /* IF, and the always-one bit */
}

static uint64_t x64_hwcap(void)
{
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) ? d : 0;
}

static uint64_t x64_hwcap2(void)
{
    return 2; /* HWCAP2_FSGSBASE */
}

/* The signal frame's size the host kernel gives for its XSAVE features,
 * which the guest's frames have too (signal.c). */
static uint64_t x64_minsigstksz(void)
{
    return getauxval(AT_MINSIGSTKSZ);
}

const guest_abi guest_abi_x86_64 = {
    .name = "x86_64",
    .elf_machine = EM_X86_64,
    .cpu_size = sizeof(x64_cpu),
    .pc_off = X64_OFF(rip),
    .syscall_len = 2,
    .fe = NULL, /* not translated: run.c runs it in a KVM VM */
    .uname_machine = "x86_64",
    .platform = "x86_64",
    .hwcap = x64_hwcap,
    .hwcap2 = x64_hwcap2,
    .at_minsigstksz = x64_minsigstksz,
    .cpuinfo = NULL,
    .host_vdso = true,
    .default_sysroot = NULL,
    .sysno_off = X64_OFF(rax),
    .arg_off = { X64_OFF(rdi), X64_OFF(rsi), X64_OFF(rdx), X64_OFF(r10), X64_OFF(r8),
                 X64_OFF(r9) },
    .ret_off = X64_OFF(rax),
    .sp_off = X64_OFF(rsp),
    .tls_off = (uint32_t)offsetof(x64_cpu, fs_base),
    .init_cpu = x64_init_cpu,
    .sigaction_restorer = true,
    .minsigstksz = 2048,
    .open_flags = NULL, /* the host's own values */
    .insn_at = NULL,
    .arch_sys = x64_syscalls,
    .arch_sys_len = X64_NSYS,
    .sys_map = x64_sys_map,
    .sys_map_len = X64_NSYS,
    .trampoline = NULL,
    .sigframe_size = X64_FRAME_SIZE,
    .sigreturn_size = X64_SIGRETURN_SIZE,
    .sig_setup = x64_sig_setup,
    .sig_return = x64_sig_return,
    .gdb = NULL,
};
