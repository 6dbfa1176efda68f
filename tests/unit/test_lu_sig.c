/* Signal frames and signal syscalls without running guest code.  The
 * frame offsets are those of the guests' own headers, as their cross
 * compilers compute them (offsetof in /usr/<triplet>/include: ucontext_t,
 * mcontext_t, struct sigcontext, struct fpsimd_context); the register
 * conventions at handler entry are arch/riscv/kernel/signal.c and
 * arch/arm64/kernel/signal.c.  Each test builds a frame from a CPU state
 * with a distinct value in every register, checks where each value
 * landed, changes the frame as a handler may, and checks rt_sigreturn's
 * reading.  The syscall tests check sigaltstack's, rt_sigprocmask's and
 * rt_sigpending's rules as the kernel states them (signal(7),
 * sigaltstack(2)).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/engine.h"
#include "frontend/aarch64/a64_cpu.h"
#include "frontend/riscv64/rv_cpu.h"
#include "linux-user/aarch64/a64_abi.h"
#include "linux-user/lu.h"
#include "linux-user/riscv64/rv_abi.h"

/* offsetof values printed by riscv64-linux-gnu-gcc and aarch64-linux-gnu-gcc */
static const struct {
    const char *what;
    int got, want;
} layout[] = {
    { "rv sizeof(siginfo_t)", RV_FRAME_UC, 128 },
    { "rv ucontext_t.uc_stack", RV_UC_STACK, 16 },
    { "rv ucontext_t.uc_sigmask", RV_UC_SIGMASK, 40 },
    { "rv ucontext_t.uc_mcontext", RV_UC_MCONTEXT, 176 },
    { "rv mcontext_t.__fpregs", RV_MC_FP, 256 },
    { "rv d_ext.fcsr", RV_MC_FCSR, 256 + 256 },
    { "rv frame: siginfo + sizeof(ucontext_t)", RV_FRAME_SIZE, 128 + 960 },
    { "a64 sizeof(siginfo_t)", A64_FRAME_UC, 128 },
    { "a64 ucontext_t.uc_stack", A64_UC_STACK, 16 },
    { "a64 ucontext_t.uc_sigmask", A64_UC_SIGMASK, 40 },
    { "a64 ucontext_t.uc_mcontext", A64_UC_MCONTEXT, 176 },
    { "a64 sigcontext.regs", A64_MC_REGS, 8 },
    { "a64 sigcontext.sp", A64_MC_SP, 256 },
    { "a64 sigcontext.pc", A64_MC_PC, 264 },
    { "a64 sigcontext.pstate", A64_MC_PSTATE, 272 },
    { "a64 sigcontext.__reserved", A64_MC_RESERVED, 288 },
    { "a64 fpsimd_context.fpsr", A64_FPSIMD_FPSR, 8 },
    { "a64 fpsimd_context.fpcr", A64_FPSIMD_FPCR, 12 },
    { "a64 fpsimd_context.vregs", A64_FPSIMD_V, 16 },
    { "a64 frame: siginfo + sizeof(ucontext_t)", A64_FRAME_SIZE, 128 + 4560 },
};

Test(lu_sig, layouts_match_the_guest_headers)
{
    for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++)
        cr_expect_eq(layout[i].got, layout[i].want, "%s: %d, want %d", layout[i].what,
                     layout[i].got, layout[i].want);
}

static uint8_t stack_mem[64 << 10] __attribute__((aligned(16)));
#define STACK_TOP ((uint64_t)(uintptr_t)(stack_mem + sizeof stack_mem - 40)) /* unaligned on purpose */

static uint64_t rd64(uint64_t a) { uint64_t v; memcpy(&v, G2H(a), 8); return v; }
static uint32_t rd32(uint64_t a) { uint32_t v; memcpy(&v, G2H(a), 4); return v; }
static void wr64(uint64_t a, uint64_t v) { memcpy(G2H(a), &v, 8); }
static void wr32(uint64_t a, uint32_t v) { memcpy(G2H(a), &v, 4); }

static siginfo_t test_info(int sig)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = SI_TKILL;
    si.si_pid = 1234;
    return si;
}

static lu_sigframe test_frame(const siginfo_t *si)
{
    return (lu_sigframe){ .sig = si->si_signo, .info = si, .top = STACK_TOP,
                          .handler = 0x10000, .restorer = 0x20000, .mask = 0x8000000000000201ull,
                          .ss_sp = 0x30000, .ss_size = 0x4000, .ss_flags = 2,
                          .fp = { 0xe5, 0x3000000 }, .fault_addr = 0x77 };
}

Test(lu_sig, riscv64_frame_and_handler_entry)
{
    static rv_cpu c;
    for (int i = 0; i < 32; i++) {
        c.x[i] = i ? 0x1000 + i : 0;
        c.f[i] = 0x4000000000000000ull + i;
    }
    c.x[2] = STACK_TOP;
    c.pc = 0x4242;
    siginfo_t si = test_info(SIGUSR1);
    lu_sigframe f = test_frame(&si);
    rv_sig_setup(&c, &f);

    uint64_t frame = c.x[2], uc = frame + 128, mc = uc + 176;
    cr_assert_eq(frame & 15, 0, "frame aligned to 16");
    cr_assert(frame + RV_FRAME_SIZE <= STACK_TOP && frame + RV_FRAME_SIZE + 16 > STACK_TOP);
    cr_expect_eq(c.pc, 0x10000);
    cr_expect_eq(c.x[1], 0x20000, "ra = the trampoline");
    cr_expect_eq(c.x[10], SIGUSR1);
    cr_expect_eq(c.x[11], frame, "a1 = &info");
    cr_expect_eq(c.x[12], uc, "a2 = &uc");
    cr_expect_eq(memcmp(G2H(frame), &si, 128), 0, "siginfo copied");
    cr_expect_eq(rd64(uc + 40), 0x8000000000000201ull, "uc_sigmask");
    cr_expect_eq(rd64(uc + 16), 0x30000);
    cr_expect_eq(rd32(uc + 24), 2, "ss_flags");
    cr_expect_eq(rd64(uc + 32), 0x4000);
    cr_expect_eq(rd64(mc), 0x4242, "gregs[0] = pc");
    for (int i = 1; i < 32; i++)
        cr_expect_eq(rd64(mc + 8 * i), i == 2 ? STACK_TOP : 0x1000 + (uint64_t)i, "gregs[%d]", i);
    for (int i = 0; i < 32; i++)
        cr_expect_eq(rd64(mc + 256 + 8 * i), 0x4000000000000000ull + i, "f%d", i);
    cr_expect_eq(rd32(mc + 512), 0xe5, "fcsr");

    /* a handler changes the frame: rt_sigreturn reads it all back */
    wr64(mc, 0x5550);
    wr64(mc + 8 * 10, 0xaaaa);
    wr64(mc + 256 + 8 * 3, 0x1234);
    wr32(mc + 512, 0x41);
    wr64(uc + 40, 0x400);
    memset(&f, 0, sizeof f);
    cr_assert(rv_sig_return(&c, &f));
    cr_expect_eq(c.pc, 0x5550);
    cr_expect_eq(c.x[10], 0xaaaa);
    cr_expect_eq(c.x[2], STACK_TOP, "sp back");
    cr_expect_eq(c.x[1], 0x1001, "ra back");
    cr_expect_eq(c.x[0], 0, "x0 stays 0");
    cr_expect_eq(c.f[3], 0x1234);
    cr_expect_eq(f.fp[0], 0x41);
    cr_expect_eq(f.mask, 0x400);
    cr_expect_eq(f.ss_sp, 0x30000);
    cr_expect_eq(f.ss_flags, 2);
}

Test(lu_sig, aarch64_frame_and_handler_entry)
{
    static a64_cpu c;
    for (int i = 0; i < 31; i++)
        c.x[i] = 0x1000 + i;
    for (int i = 0; i < 32; i++)
        memset(c.v[i], i + 1, 16);
    c.x[31] = STACK_TOP;
    c.pc = 0x4244;
    c.flags = engine_saved_of_nzcv(0x60000000);
    siginfo_t si = test_info(SIGUSR2);
    lu_sigframe f = test_frame(&si);
    a64_sig_setup(&c, &f);

    uint64_t frame = c.x[31], uc = frame + 128, mc = uc + 176, res = mc + 288;
    cr_assert_eq(frame & 15, 0);
    uint64_t record = (STACK_TOP - 16) & ~15ull;
    cr_expect_eq(frame, record - A64_FRAME_SIZE, "frame right below the frame record");
    cr_expect_eq(c.x[29], record);
    cr_expect_eq(rd64(record), 0x1000 + 29, "record: old fp");
    cr_expect_eq(rd64(record + 8), 0x1000 + 30, "record: old lr");
    cr_expect_eq(c.pc, 0x10000);
    cr_expect_eq(c.x[30], 0x20000, "lr = sa_restorer");
    cr_expect_eq(c.x[0], SIGUSR2);
    cr_expect_eq(c.x[1], frame);
    cr_expect_eq(c.x[2], uc);
    cr_expect_eq(rd64(uc + 40), 0x8000000000000201ull);
    cr_expect_eq(rd64(mc), 0x77, "fault_address");
    for (int i = 0; i < 31; i++)
        cr_expect_eq(rd64(mc + 8 + 8 * i), 0x1000 + (uint64_t)i, "regs[%d]", i);
    cr_expect_eq(rd64(mc + 256), STACK_TOP);
    cr_expect_eq(rd64(mc + 264), 0x4244);
    cr_expect_eq(rd64(mc + 272), 0x60000000, "pstate: NZCV, EL0t");
    cr_expect_eq(rd32(res), 0x46508001, "FPSIMD_MAGIC");
    cr_expect_eq(rd32(res + 4), 528);
    cr_expect_eq(rd32(res + 8), 0xe5, "fpsr");
    cr_expect_eq(rd32(res + 12), 0x3000000, "fpcr");
    cr_expect_eq(memcmp(G2H(res + 16), c.v, 512), 0, "V0..V31");
    cr_expect_eq(rd64(res + 528), 0, "terminator record");

    wr64(mc + 264, 0x5554);
    wr64(mc + 8 + 8 * 5, 0xbbbb);
    wr64(mc + 272, 0xf00003c5); /* only NZCV may come back */
    wr32(res + 8, 0x10);
    memset(G2H(res + 16 + 16 * 7), 0xee, 16);
    memset(&f, 0, sizeof f);
    cr_assert(a64_sig_return(&c, &f));
    cr_expect_eq(c.pc, 0x5554);
    cr_expect_eq(c.x[5], 0xbbbb);
    cr_expect_eq(c.x[29], 0x1000 + 29);
    cr_expect_eq(c.x[30], 0x1000 + 30);
    cr_expect_eq(c.x[31], STACK_TOP);
    cr_expect_eq(engine_nzcv_of_saved(c.flags), 0xf0000000);
    cr_expect_eq(c.v[7][3], 0xee);
    cr_expect_eq(f.fp[0], 0x10);
    cr_expect_eq(f.fp[1], 0x3000000);
}

/* The kernel refuses a frame at a misaligned sp or without its fpsimd
 * record (parse_user_sigframe); registers are then left alone. */
Test(lu_sig, aarch64_bad_frames)
{
    static a64_cpu c;
    siginfo_t si = test_info(SIGUSR1);
    lu_sigframe f = test_frame(&si);
    c.x[31] = STACK_TOP;
    a64_sig_setup(&c, &f);
    uint64_t frame = c.x[31], res = frame + 128 + 176 + 288;
    c.x[31] = frame + 8;
    c.pc = 0x99;
    cr_expect(!a64_sig_return(&c, &f), "misaligned sp");
    cr_expect_eq(c.pc, 0x99);
    c.x[31] = frame;
    wr32(res, 0x12345678);
    cr_expect(!a64_sig_return(&c, &f), "unknown record");
    wr32(res, 0);
    wr32(res + 4, 0);
    cr_expect(!a64_sig_return(&c, &f), "no fpsimd record");
    wr32(res, 0x46508001);
    wr32(res + 4, 528);
    cr_expect(a64_sig_return(&c, &f));
}

/* ---- syscalls through a fake riscv64 thread */
static lu_proc proc;
static rv_cpu cpu;
static lu_thread thr;

static void setup(void)
{
    lu_proc_init(&proc, &guest_abi_riscv64);
    memset(&cpu, 0, sizeof cpu);
    thr = (lu_thread){ .p = &proc, .cpu = &cpu, .tid = gettid() };
}

static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    cpu.x[17] = nr;
    cpu.x[10] = a0;
    cpu.x[11] = a1;
    cpu.x[12] = a2;
    cpu.x[13] = a3;
    lu_syscall(&thr);
    return (int64_t)cpu.x[10];
}

struct g_stack {
    uint64_t sp;
    int32_t flags, pad;
    uint64_t size;
};

Test(lu_sig, sigaltstack_rules, .init = setup)
{
    static uint8_t alt[8192];
    uint64_t base = (uint64_t)(uintptr_t)alt;
    struct g_stack ss = { base, 0, 0, sizeof alt }, old;
    cpu.x[2] = 0x7000000; /* not on it */
    cr_expect_eq(call(132, (uint64_t)(uintptr_t)&ss, 0, 0, 0), 0);
    cr_expect_eq(call(132, 0, (uint64_t)(uintptr_t)&old, 0, 0), 0);
    cr_expect_eq(old.sp, base);
    cr_expect_eq(old.flags, 0);
    cpu.x[2] = base + 100; /* now on it: reported, and no change allowed */
    cr_expect_eq(call(132, 0, (uint64_t)(uintptr_t)&old, 0, 0), 0);
    cr_expect_eq(old.flags, SS_ONSTACK);
    cr_expect_eq(call(132, (uint64_t)(uintptr_t)&ss, 0, 0, 0), -EPERM);
    cpu.x[2] = 0x7000000;
    struct g_stack bad = { base, 5, 0, sizeof alt };
    cr_expect_eq(call(132, (uint64_t)(uintptr_t)&bad, 0, 0, 0), -EINVAL);
    struct g_stack tiny = { base, 0, 0, 2047 }; /* riscv MINSIGSTKSZ is 2048 */
    cr_expect_eq(call(132, (uint64_t)(uintptr_t)&tiny, 0, 0, 0), -ENOMEM);
    /* SS_AUTODISARM: never "on" it, and the flag is reported back */
    struct g_stack arm = { base, (int32_t)(1u << 31), 0, sizeof alt };
    cr_expect_eq(call(132, (uint64_t)(uintptr_t)&arm, 0, 0, 0), 0);
    cpu.x[2] = base + 100;
    cr_expect_eq(call(132, 0, (uint64_t)(uintptr_t)&old, 0, 0), 0);
    cr_expect_eq((uint32_t)old.flags, 1u << 31);
    struct g_stack off = { 0, SS_DISABLE, 0, 0 };
    cr_expect_eq(call(132, (uint64_t)(uintptr_t)&off, 0, 0, 0), 0);
    cr_expect_eq(call(132, 0, (uint64_t)(uintptr_t)&old, 0, 0), 0);
    cr_expect_eq(old.flags, SS_DISABLE);
    cr_expect_eq(old.size, 0);
}

/* SIGKILL and SIGSTOP cannot be blocked; what the host handler recorded
 * and the host kernel holds both show in rt_sigpending, blocked ones only. */
Test(lu_sig, masks_and_pending, .init = setup)
{
    uint64_t set = ~0ull, old = 0, pend = 0;
    cr_expect_eq(call(135, SIG_SETMASK, (uint64_t)(uintptr_t)&set, 0, 8), 0);
    cr_expect_eq(call(135, SIG_BLOCK, 0, (uint64_t)(uintptr_t)&old, 8), 0);
    cr_expect_eq(old, ~0ull & ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1))));
    cr_expect_eq(call(135, 7, (uint64_t)(uintptr_t)&set, 0, 8), -EINVAL);
    cr_expect_eq(call(135, SIG_SETMASK, (uint64_t)(uintptr_t)&set, 0, 4), -EINVAL);

    thr.sig_pending = 1ull << (SIGUSR1 - 1);
    kill(getpid(), SIGUSR2); /* blocked on the host too: stays pending there */
    cr_expect_eq(call(136, (uint64_t)(uintptr_t)&pend, 8, 0, 0), 0);
    cr_expect(pend & (1ull << (SIGUSR1 - 1)));
    cr_expect(pend & (1ull << (SIGUSR2 - 1)));
    set = ~(1ull << (SIGUSR1 - 1));
    call(135, SIG_SETMASK, (uint64_t)(uintptr_t)&set, 0, 8);
    cr_expect_eq(call(136, (uint64_t)(uintptr_t)&pend, 8, 0, 0), 0);
    cr_expect(!(pend & (1ull << (SIGUSR1 - 1))), "not blocked: not reported");
}

/* rt_sigtimedwait takes what the host handler recorded first, with its
 * siginfo, and waits in the host kernel for the rest. */
Test(lu_sig, sigtimedwait_recorded_and_host, .init = setup)
{
    uint64_t set = (1ull << (SIGUSR1 - 1)) | (1ull << (SIGUSR2 - 1));
    call(135, SIG_BLOCK, (uint64_t)(uintptr_t)&set, 0, 8);
    thr.sig_pending = 1ull << (SIGUSR2 - 1);
    memset(&thr.sig_info[SIGUSR2 - 1], 0, sizeof(siginfo_t));
    thr.sig_info[SIGUSR2 - 1].si_signo = SIGUSR2;
    thr.sig_info[SIGUSR2 - 1].si_code = SI_QUEUE;
    siginfo_t si;
    struct timespec ts = { 0, 1000000 };
    cr_expect_eq(call(137, (uint64_t)(uintptr_t)&set, (uint64_t)(uintptr_t)&si,
                      (uint64_t)(uintptr_t)&ts, 8), SIGUSR2);
    cr_expect_eq(si.si_code, SI_QUEUE);
    cr_expect_eq(thr.sig_pending, 0);
    kill(getpid(), SIGUSR1);
    cr_expect_eq(call(137, (uint64_t)(uintptr_t)&set, (uint64_t)(uintptr_t)&si,
                      (uint64_t)(uintptr_t)&ts, 8), SIGUSR1);
    cr_expect_eq(si.si_code, SI_USER);
    cr_expect_eq(si.si_pid, getpid());
    cr_expect_eq(call(137, (uint64_t)(uintptr_t)&set, (uint64_t)(uintptr_t)&si,
                      (uint64_t)(uintptr_t)&ts, 8), -EAGAIN);
}
