/* The riscv64 signal frame, as arch/riscv/kernel/signal.c lays it out:
 * struct rt_sigframe { siginfo; ucontext } below the stack top, 16-byte
 * aligned; uc_mcontext is struct sigcontext { user_regs_struct (pc, then
 * x1..x31), union __riscv_fp_state (the D view: f[32], fcsr; the rest,
 * the Q view's reserved words and the extension header, zero) }.  A
 * handler starts with a0 = sig, a1 = &info, a2 = &uc, sp = the frame and
 * ra = the rt_sigreturn trampoline (riscv has no SA_RESTORER).
 */
#include <string.h>

#include "frontend/riscv64/rv_cpu.h"
#include "linux-user/lu.h"
#include "linux-user/riscv64/rv_abi.h"

/* What the trampoline page holds (guest_abi.h, LU_TRAMP_*). */
const uint32_t rv_trampoline[LU_TRAMP_WORDS] = {
    0x08b00893, 0x00000073, 0x00000013, 0x00000013, /* li a7, 139; ecall */
    0x00302573, 0x00100073, 0x00000013, 0x00000013, /* frcsr a0; ebreak */
    0x00351073, 0x00100073, 0x00000013, 0x00000013, /* fscsr a0; ebreak */
};

static void put64(uint64_t addr, uint64_t v) { memcpy(G2H(addr), &v, 8); }
static void put32(uint64_t addr, uint32_t v) { memcpy(G2H(addr), &v, 4); }
static uint64_t get64(uint64_t addr) { uint64_t v; memcpy(&v, G2H(addr), 8); return v; }
static uint32_t get32(uint64_t addr) { uint32_t v; memcpy(&v, G2H(addr), 4); return v; }

static void put_stack(uint64_t uc, const lu_sigframe *f)
{
    put64(uc + RV_UC_STACK, f->ss_sp);
    put32(uc + RV_UC_STACK + 8, (uint32_t)f->ss_flags);
    put64(uc + RV_UC_STACK + 16, f->ss_size);
}

void rv_sig_setup(void *cpu, const lu_sigframe *f)
{
    rv_cpu *c = cpu;
    uint64_t frame = (f->top - RV_FRAME_SIZE) & ~15ull;
    uint64_t uc = frame + RV_FRAME_UC, mc = uc + RV_UC_MCONTEXT;
    memset(G2H(frame), 0, RV_FRAME_SIZE);
    memcpy(G2H(frame), f->info, 128);
    put_stack(uc, f);
    put64(uc + RV_UC_SIGMASK, f->mask);
    put64(mc, c->pc);
    for (int i = 1; i < 32; i++)
        put64(mc + 8 * i, c->x[i]);
    memcpy(G2H(mc + RV_MC_FP), c->f, sizeof c->f);
    put32(mc + RV_MC_FCSR, (uint32_t)f->fp[0]);
    c->x[1] = f->restorer;
    c->x[2] = frame;
    c->x[10] = (uint64_t)f->sig;
    c->x[11] = frame;
    c->x[12] = uc;
    c->pc = f->handler;
}

/* Everything a handler may have changed comes back from the frame at sp.
 * The kernel's own checks find nothing wrong with any riscv frame that
 * can be read, so there is no bad frame here. */
bool rv_sig_return(void *cpu, lu_sigframe *f)
{
    rv_cpu *c = cpu;
    uint64_t frame = c->x[2];
    uint64_t uc = frame + RV_FRAME_UC, mc = uc + RV_UC_MCONTEXT;
    f->mask = get64(uc + RV_UC_SIGMASK);
    f->ss_sp = get64(uc + RV_UC_STACK);
    f->ss_flags = (int32_t)get32(uc + RV_UC_STACK + 8);
    f->ss_size = get64(uc + RV_UC_STACK + 16);
    f->fp[0] = get32(mc + RV_MC_FCSR);
    f->fp[1] = 0;
    c->pc = get64(mc);
    for (int i = 1; i < 32; i++)
        c->x[i] = get64(mc + 8 * i);
    memcpy(c->f, G2H(mc + RV_MC_FP), sizeof c->f);
    return true;
}
