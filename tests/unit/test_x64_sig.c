/* The x86-64 signal frame (linux-user/x86_64/signal.c) against two
 * oracles.  glibc's view of it: ucontext_t, mcontext_t's gregs and
 * fpregs, as a handler reads them.  And this host's kernel, which runs a
 * real handler in a child process: where it puts the frame and the
 * XSAVE area, the software bytes it writes, the FP state the handler
 * starts with, and the state its rt_sigreturn gives back after the
 * handler changed the frame (or its SIGSEGV for a frame it refuses); the
 * same change made to Ferry's frame must give the same state.  The FP
 * images are the host's own XSAVE output.  x64_fp_sync belongs to the
 * runner (run.c): here a stand-in, the image being in the cpu already.
 */
#include <cpuid.h>
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux-user/lu.h"
#include "linux-user/x86_64/x64_abi.h"

static int fp_syncs;

void x64_fp_sync(x64_cpu *c)
{
    c->state |= X64_FP_VALID;
    fp_syncs++;
}

#define XF_YMM 2
#define XF_PKRU 9
#define EFL_DF 0x400
#define EFL_TF 0x100
#define EFL_RF 0x10000
#define FIX_EFLAGS 0x50dd5 /* AC OF DF TF SF ZF AF PF CF RF */
#define STACK_SIZE (64 << 10)

static uint64_t rd64(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t rd32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void wr64(void *p, uint64_t v) { memcpy(p, &v, 8); }
static void wr32(void *p, uint32_t v) { memcpy(p, &v, 4); }

/* The host's XSAVE components (CPUID leaf 0xd) less AMX, which a
 * 4096-byte image cannot hold. */
static struct hostx {
    uint64_t features;
    uint32_t size; /* their standard-format size */
    uint32_t mxcsr_mask;
    uint16_t off[64], len[64];
} hx;

static void hostx_init(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
        cr_skip_test("SKIP: no XSAVE");
    __asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
    uint64_t xcr0 = (a | (uint64_t)d << 32) & ~(3ull << 17);
    hx = (struct hostx){ .features = 3, .size = 576, .off = { 0, 160 }, .len = { 160, 256 } };
    for (unsigned i = 2; i < 63; i++) {
        if (!(xcr0 >> i & 1))
            continue;
        __cpuid_count(0xd, i, a, b, c, d);
        hx.features |= 1ull << i;
        hx.off[i] = (uint16_t)b;
        hx.len[i] = (uint16_t)a;
        if (a + b > hx.size)
            hx.size = a + b;
    }
    _Alignas(16) uint8_t fx[512];
    __asm__ volatile("fxsave64 %0" : "=m"(fx));
    hx.mxcsr_mask = rd32(fx + 28) ? rd32(fx + 28) : 0xffbf;
}

static inline __attribute__((always_inline)) void xsave(void *buf, uint64_t mask)
{
    __asm__ volatile("xsave64 (%0)" : : "r"(buf), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
                     : "memory");
}

/* A real image of this thread's state with known values in it: x87
 * control word and registers (all tagged valid), MXCSR, each XMM and
 * YMM upper half; FOP/FIP/FDP zero (AMD's XSAVE drops them). */
static void known_image(uint8_t *img)
{
    memset(img, 0, X64_FP_SIZE);
    xsave(img, hx.features);
    img[0] = 0x7f, img[1] = 0x02; /* FCW 0x27f: double precision */
    wr32(img + 2, 0);             /* FSW, FTW (abridged) */
    img[4] = 0xff;
    memset(img + 6, 0, 18);
    wr32(img + 24, 0x5fa1);       /* MXCSR: round up, IE set */
    for (int i = 0; i < 8; i++) { /* st(i) = (1 + i * 2^-63) * 2^i */
        memset(img + 32 + 16 * i, 0, 16);
        wr64(img + 32 + 16 * i, 0x8000000000000000ull | (uint64_t)i);
        img[32 + 16 * i + 8] = (uint8_t)(0x3fff + i);
        img[32 + 16 * i + 9] = (uint8_t)((0x3fff + i) >> 8);
    }
    for (int i = 0; i < 16; i++)
        memset(img + 160 + 16 * i, 0x10 + i, 16);
    uint64_t bv = rd64(img + 512) | 3;
    if (hx.features >> XF_YMM & 1) {
        for (int i = 0; i < 16; i++)
            memset(img + hx.off[XF_YMM] + 16 * i, 0x40 + i, 16);
        bv |= 1ull << XF_YMM;
    }
    wr64(img + 512, bv);
}

/* A thread state to deliver from, on a fake stack whose top is at
 * top_mod modulo a page (placement depends on nothing else). */
typedef struct fx {
    uint8_t *stack;
    uint64_t top;
    x64_cpu *c;
    kvm_gregs r; /* the registers before delivery */
    siginfo_t si;
    lu_sigframe f;
} fx;

static void fx_init(fx *t, uint64_t top_mod)
{
    t->stack = aligned_alloc(4096, STACK_SIZE);
    cr_assert(t->stack);
    memset(t->stack, 0xa5, STACK_SIZE);
    t->top = (uint64_t)(uintptr_t)t->stack + STACK_SIZE - 4096 + (top_mod & 4095);
    t->c = aligned_alloc(64, sizeof(x64_cpu));
    cr_assert(t->c);
    memset(t->c, 0, sizeof *t->c);
    uint64_t *r = (uint64_t *)&t->c->r;
    for (int i = 0; i < 18; i++)
        r[i] = 0x1111000000000000ull * (uint64_t)(i % 15 + 1) + (uint64_t)i;
    t->c->r.rsp = t->top;
    t->c->r.rflags = 0x202 | EFL_DF | EFL_TF | EFL_RF | 0x40000 | 0x81;
    t->c->trapno = 14;
    t->c->err = 6;
    t->c->cr2 = 0xdead000;
    known_image(t->c->fp);
    t->r = t->c->r;
    memset(&t->si, 0, sizeof t->si);
    t->si.si_signo = SIGUSR1;
    t->si.si_code = SI_TKILL;
    t->si.si_pid = 4321;
    t->f = (lu_sigframe){ .sig = SIGUSR1, .info = &t->si, .top = t->top, .handler = 0x401000,
                          .restorer = 0x402000, .mask = 0x8000000000000201ull,
                          .ss_sp = 0x7000000, .ss_size = 0x8000, .ss_flags = SS_DISABLE };
}

static void fx_free(fx *t)
{
    free(t->stack);
    free(t->c);
}

/* glibc's REG_* index and where the register is in the cpu */
#define G(reg, field) { reg, #field, offsetof(kvm_gregs, field) }
static const struct greg {
    int reg;
    const char *name;
    size_t off;
} gregs[] = {
    G(REG_R8, r8), G(REG_R9, r9), G(REG_R10, r10), G(REG_R11, r11), G(REG_R12, r12),
    G(REG_R13, r13), G(REG_R14, r14), G(REG_R15, r15), G(REG_RDI, rdi), G(REG_RSI, rsi),
    G(REG_RBP, rbp), G(REG_RBX, rbx), G(REG_RDX, rdx), G(REG_RAX, rax), G(REG_RCX, rcx),
    G(REG_RSP, rsp), G(REG_RIP, rip), G(REG_EFL, rflags),
};
#undef G

static uint64_t greg(const kvm_gregs *r, size_t off)
{
    return rd64((const char *)r + off);
}

/* What KVM_SET_XSAVE takes: XSTATE_BV within XCR0, XCOMP_BV and the
 * reserved header words zero, MXCSR's reserved bits clear. */
static void expect_kvm_image(const uint8_t *img)
{
    cr_expect_eq(rd64(img + 512) & ~hx.features, 0, "XSTATE_BV within XCR0");
    for (int i = 8; i < 64; i += 8)
        cr_expect_eq(rd64(img + 512 + i), 0, "header word at %d zero", i);
    cr_expect_eq(rd32(img + 24) & ~hx.mxcsr_mask, 0, "MXCSR reserved bits");
}

Test(x64_sig, frame_as_glibc_sees_it, .init = hostx_init)
{
    fx t;
    fx_init(&t, 0x7d8);
    uint8_t *img = aligned_alloc(64, X64_FP_SIZE);
    memcpy(img, t.c->fp, X64_FP_SIZE);
    fp_syncs = 0;
    x64_sig_setup(t.c, &t.f);
    x64_cpu *c = t.c;

    uint64_t frame = c->r.rsp;
    ucontext_t *uc = (ucontext_t *)(uintptr_t)c->r.rdx;
    uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
    cr_expect_eq(fp_syncs, 1, "the FP state was fetched");
    cr_expect_eq((frame + 8) % 16, 0, "rsp + 8 16-byte aligned at handler entry");
    cr_expect_eq((uintptr_t)fp % 64, 0, "XSAVE area 64-byte aligned");
    cr_expect(frame + 440 <= (uintptr_t)fp, "rt_sigframe below the XSAVE area");
    cr_expect((uintptr_t)fp + hx.size + 4 <= t.top - 128, "the red zone skipped");
    cr_expect(t.top - frame <= X64_FRAME_SIZE, "within X64_FRAME_SIZE: %lu",
              (unsigned long)(t.top - frame));
    cr_expect_eq(rd64(G2H(frame)), 0x402000, "pretcode = sa_restorer");
    cr_expect_eq(c->r.rip, 0x401000);
    cr_expect_eq(c->r.rdi, SIGUSR1);
    cr_expect_eq(c->r.rsi, frame + 312, "rsi = &info");
    cr_expect_eq(c->r.rdx, frame + 8, "rdx = &uc");
    cr_expect_eq(c->r.rax, 0);
    cr_expect_eq(c->r.rflags, t.r.rflags & ~(uint64_t)(EFL_DF | EFL_TF | EFL_RF));
    cr_expect_eq(memcmp(G2H(c->r.rsi), &t.si, 128), 0, "siginfo");

    cr_expect_eq(uc->uc_flags, 7, "UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS");
    cr_expect_null(uc->uc_link);
    cr_expect_eq((uintptr_t)uc->uc_stack.ss_sp, 0x7000000);
    cr_expect_eq(uc->uc_stack.ss_flags, SS_DISABLE);
    cr_expect_eq(uc->uc_stack.ss_size, 0x8000);
    cr_expect_eq(uc->uc_sigmask.__val[0], 0x8000000000000201ull);
    greg_t *gr = uc->uc_mcontext.gregs;
    for (size_t i = 0; i < sizeof gregs / sizeof gregs[0]; i++)
        cr_expect_eq((uint64_t)gr[gregs[i].reg], greg(&t.r, gregs[i].off), "%s", gregs[i].name);
    cr_expect_eq((uint64_t)gr[REG_CSGSFS], 0x002b000000000033ull, "cs 0x33, gs fs 0, ss 0x2b");
    cr_expect_eq(gr[REG_ERR], 6);
    cr_expect_eq(gr[REG_TRAPNO], 14);
    cr_expect_eq((uint64_t)gr[REG_OLDMASK], 0x8000000000000201ull);
    cr_expect_eq(gr[REG_CR2], 0xdead000);

    /* the image, with the kernel's software bytes in it */
    struct _libc_fpstate *fs = uc->uc_mcontext.fpregs;
    cr_expect_eq(fs->cwd, 0x27f);
    cr_expect_eq(fs->mxcsr, 0x5fa1);
    cr_expect_eq(fs->_xmm[3].element[0], 0x13131313);
    cr_expect_eq(memcmp(fp, img, 464), 0, "legacy area as saved");
    cr_expect_eq(rd32(fp + 464), 0x46505853, "FP_XSTATE_MAGIC1");
    cr_expect_eq(rd32(fp + 468), hx.size + 4, "extended_size");
    cr_expect_eq(rd64(fp + 472), hx.features, "xfeatures");
    cr_expect_eq(rd32(fp + 480), hx.size, "xstate_size");
    cr_expect_eq(rd32(fp + hx.size), 0x46505845, "FP_XSTATE_MAGIC2 after the area");
    cr_expect_eq(rd64(fp + 512), rd64(img + 512), "XSTATE_BV");
    cr_expect_eq(memcmp(fp + 576, img + 576, hx.size - 576), 0, "extended components");

    /* the handler's FP state: the init state */
    cr_expect_eq(c->state & (X64_FP_VALID | X64_FP_DIRTY), X64_FP_VALID | X64_FP_DIRTY);
    expect_kvm_image(c->fp);
    cr_expect_eq(rd32(c->fp) & 0xffff, 0x37f, "FCW");
    cr_expect_eq(rd32(c->fp + 24), 0x1f80, "MXCSR");
    static const uint8_t zero[256];
    cr_expect_eq(memcmp(c->fp + 160, zero, 256), 0, "XMM zero");
    cr_expect_eq(rd64(c->fp + 512) & ~(1ull << XF_PKRU), 3, "only FP, SSE (and PKRU) explicit");
    free(img);
    fx_free(&t);
}

Test(x64_sig, sigreturn_reads_back_the_frame, .init = hostx_init)
{
    fx t;
    fx_init(&t, 0x100);
    x64_cpu *c = t.c;
    x64_sig_setup(c, &t.f);
    uint64_t frame = c->r.rsp;
    ucontext_t *uc = (ucontext_t *)(uintptr_t)c->r.rdx;
    uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;

    /* a handler changes the frame, and its own registers */
    greg_t *gr = uc->uc_mcontext.gregs;
    gr[REG_RAX] = 0x77;
    gr[REG_R15] = -5;
    gr[REG_RIP] = 0x403000;
    gr[REG_RSP] = 0x12340;
    gr[REG_EFL] = -1;
    gr[REG_CSGSFS] = 0;
    uc->uc_sigmask.__val[0] = 0x4001;
    uc->uc_stack = (stack_t){ .ss_sp = (void *)0x9000000, .ss_flags = 0, .ss_size = 0x10000 };
    uc->uc_mcontext.fpregs->mxcsr = 0x7f80;
    memset(fp + 160 + 16 * 5, 0xc3, 16);
    memset(c, 0x5a, offsetof(x64_cpu, vcpu));
    c->r.rflags = 0x202;
    c->r.rsp = frame + 8; /* its ret took pretcode */
    c->state = 0;
    lu_sigframe f = { 0 };
    cr_assert(x64_sig_return(c, &f));

    kvm_gregs want = t.r;
    want.rax = 0x77, want.r15 = (uint64_t)-5, want.rip = 0x403000, want.rsp = 0x12340;
    want.rflags = 0x202 | FIX_EFLAGS; /* the rest of the flags stay as they are */
    for (size_t i = 0; i < sizeof gregs / sizeof gregs[0]; i++)
        cr_expect_eq(greg(&c->r, gregs[i].off), greg(&want, gregs[i].off), "%s", gregs[i].name);
    cr_expect_eq(f.mask, 0x4001);
    cr_expect_eq(f.ss_sp, 0x9000000);
    cr_expect_eq(f.ss_flags, 0);
    cr_expect_eq(f.ss_size, 0x10000);
    cr_expect_eq(c->state & (X64_FP_VALID | X64_FP_DIRTY), X64_FP_VALID | X64_FP_DIRTY);
    expect_kvm_image(c->fp);
    cr_expect_eq(rd32(c->fp + 24), 0x7f80, "MXCSR from the frame");
    cr_expect_eq(memcmp(c->fp, fp, 24), 0, "x87 control from the frame");
    cr_expect_eq(memcmp(c->fp + 32, fp + 32, 128), 0, "x87 registers from the frame");
    cr_expect_eq(memcmp(c->fp + 160, fp + 160, 256), 0, "XMM from the frame (xmm5 changed)");
    uint64_t bv = rd64(fp + 512);
    cr_expect_eq(rd64(c->fp + 512) & ~(1ull << XF_PKRU), bv & ~(1ull << XF_PKRU), "XSTATE_BV");
    for (int i = 2; i < 63; i++)
        if (bv >> i & 1)
            cr_expect_eq(memcmp(c->fp + hx.off[i], fp + hx.off[i], hx.len[i]), 0,
                         "component %d", i);
    fx_free(&t);
}

/* ---- the kernel as the oracle ---- */

/* What a child process saw: the state it had at the signal (in), the
 * kernel's frame, the handler's state at entry, and the state after
 * rt_sigreturn (out). */
typedef struct native {
    _Alignas(64) uint8_t in[X64_FP_SIZE];
    _Alignas(64) uint8_t out[X64_FP_SIZE];
    _Alignas(64) uint8_t fresh[X64_FP_SIZE];
    _Alignas(64) uint8_t frame_fp[X64_FP_SIZE]; /* the kernel's XSAVE area, as written */
    uint64_t top, frame, fpstate, uc_flags, csgsfs;
    int change, done;
} native;

static native *nat;

typedef void change_fn(ucontext_t *uc);

static uint8_t *fp_of(ucontext_t *uc) { return (uint8_t *)uc->uc_mcontext.fpregs; }
static void change_nothing(ucontext_t *uc) { (void)uc; }
static void change_regs(ucontext_t *uc)
{
    uint8_t *fp = fp_of(uc);
    memset(fp + 160 + 16 * 5, 0xc3, 16);
    wr32(fp + 24, 0x7f80);
    fp[32] ^= 0x55;
    if (hx.features >> XF_YMM & 1)
        memset(fp + hx.off[XF_YMM] + 16 * 2, 0x3c, 16);
}
static void change_magic1(ucontext_t *uc) { wr32(fp_of(uc) + 464, 0); change_regs(uc); }
static void change_magic2(ucontext_t *uc) { wr32(fp_of(uc) + rd32(fp_of(uc) + 480), 0); }
static void change_xsize(ucontext_t *uc)
{
    uint32_t size = rd32(fp_of(uc) + 480) + 64;
    wr32(fp_of(uc) + 480, size);
    wr32(fp_of(uc) + 468, size + 4);
    wr32(fp_of(uc) + size, 0x46505845); /* magic2 moves along */
}
/* the word at off in the XSAVE area: clear some bits, set others */
static void edit64(ucontext_t *uc, int off, uint64_t clear, uint64_t set)
{
    wr64(fp_of(uc) + off, (rd64(fp_of(uc) + off) & ~clear) | set);
}
static void change_rfbm_sse(ucontext_t *uc) { edit64(uc, 472, 2, 0); }
static void change_rfbm_ymm(ucontext_t *uc) { edit64(uc, 472, 4, 0); }
static void change_bv_ymm(ucontext_t *uc) { edit64(uc, 512, 4, 0); }
static void change_bv_sse(ucontext_t *uc) { edit64(uc, 512, 3, 0); }
static void change_bv_bad(ucontext_t *uc) { edit64(uc, 512, 0, 1ull << 8); } /* PT: never XCR0 */
static void change_xcomp(ucontext_t *uc) { edit64(uc, 520, 0, 1); }
static void change_mxcsr(ucontext_t *uc) { edit64(uc, 24, 0xffffffff, 0x1f80 | 1u << 31); }
static void change_null(ucontext_t *uc) { uc->uc_mcontext.fpregs = NULL; }
static void change_misaligned(ucontext_t *uc) { uc->uc_mcontext.fpregs = (void *)(fp_of(uc) + 8); }

static const struct change {
    const char *what;
    change_fn *fn;
} changes[] = {
    { "nothing", change_nothing },
    { "xmm5, MXCSR, st0, a YMM upper half", change_regs },
    { "no FP_XSTATE_MAGIC1: a legacy fxsave frame", change_magic1 },
    { "no FP_XSTATE_MAGIC2", change_magic2 },
    { "xstate_size past the kernel's", change_xsize },
    { "sw xfeatures without SSE", change_rfbm_sse },
    { "sw xfeatures without YMM", change_rfbm_ymm },
    { "XSTATE_BV without YMM", change_bv_ymm },
    { "XSTATE_BV without FP and SSE", change_bv_sse },
    { "XSTATE_BV with a bit outside XCR0", change_bv_bad },
    { "XCOMP_BV nonzero", change_xcomp },
    { "MXCSR reserved bit set", change_mxcsr },
    { "fpstate NULL", change_null },
    { "fpstate misaligned", change_misaligned },
};

static void nat_handler(int sig, siginfo_t *si, void *ctx)
{
    xsave(nat->fresh, hx.features); /* first: the state the kernel gave */
    ucontext_t *uc = ctx;
    uint8_t *fp = fp_of(uc);
    nat->frame = (uint64_t)(uintptr_t)uc - 8;
    nat->fpstate = (uint64_t)(uintptr_t)fp;
    nat->uc_flags = uc->uc_flags;
    nat->csgsfs = (uint64_t)uc->uc_mcontext.gregs[REG_CSGSFS];
    if (!nat->top)
        nat->top = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
    memcpy(nat->frame_fp, fp, hx.size + 4);
    changes[nat->change].fn(uc);
}

/* Load `in`, send the signal to this thread, save the state after the
 * handler's return into `out`: nothing runs between but the kernel. */
static void signal_between(uint8_t *in, uint8_t *out)
{
    long pid = getpid(), tid = syscall(SYS_gettid), sig = SIGUSR1;
    uint64_t lo = (uint32_t)hx.features, hi = hx.features >> 32;
    __asm__ volatile("mov %[lo], %%rax\n\tmov %[hi], %%rdx\n\txrstor64 (%[in])\n\t"
                     "mov %[pid], %%rdi\n\tmov %[tid], %%rsi\n\tmov %[sig], %%rdx\n\t"
                     "mov %[nr], %%eax\n\tsyscall\n\t"
                     "mov %[lo], %%rax\n\tmov %[hi], %%rdx\n\txsave64 (%[out])"
                     :
                     : [in] "r"(in), [out] "r"(out), [lo] "r"(lo), [hi] "r"(hi), [pid] "r"(pid),
                       [tid] "r"(tid), [sig] "r"(sig), [nr] "i"(SYS_tgkill)
                     : "rax", "rcx", "rdx", "rdi", "rsi", "r11", "memory", "cc", "xmm0", "xmm1",
                       "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
                       "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "st", "st(1)", "st(2)",
                       "st(3)", "st(4)", "st(5)", "st(6)", "st(7)");
}

/* Run change `which` under the real kernel; true when the child got
 * back from its handler, false when rt_sigreturn killed it (SIGSEGV). */
static bool run_native(int which, bool altstack)
{
    static uint8_t alt[STACK_SIZE] __attribute__((aligned(4096)));
    memset(nat, 0, sizeof *nat);
    nat->change = which;
    known_image(nat->in);
    if (altstack)
        nat->top = (uint64_t)(uintptr_t)(alt + sizeof alt);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        struct sigaction sa = { .sa_sigaction = nat_handler,
                                .sa_flags = SA_SIGINFO | (altstack ? SA_ONSTACK : 0) };
        stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
        if (sigaction(SIGUSR1, &sa, NULL) || (altstack && sigaltstack(&ss, NULL)))
            _exit(2);
        signal_between(nat->in, nat->out);
        nat->done = 1;
        _exit(0);
    }
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st) ? WEXITSTATUS(st) == 0 && nat->done
                            : WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
              "%s: child status %#x", changes[which].what, st);
    return WIFEXITED(st);
}

static void nat_init(void)
{
    hostx_init();
    nat = mmap(NULL, sizeof *nat, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(nat, MAP_FAILED);
}

/* Ferry's frame for the state the kernel's frame holds, from a stack top
 * placed as the kernel's was (modulo a page). */
static void ferry_frame(fx *t, bool altstack)
{
    fx_init(t, nat->top);
    memset(t->c->fp, 0, X64_FP_SIZE);
    memcpy(t->c->fp, nat->frame_fp, hx.size);
    if (altstack)
        t->c->r.rsp = t->top + 0x10000; /* the frame goes onto another stack */
    x64_sig_setup(t->c, &t->f);
}

/* The state an image stands for: a component whose XSTATE_BV bit is clear
 * is in its init state, whatever the bytes say. */
static void effective(const uint8_t *img, uint8_t *eff)
{
    uint64_t bv = rd64(img + 512);
    memset(eff, 0, X64_FP_SIZE);
    eff[0] = 0x7f, eff[1] = 0x03;
    for (int i = 0; i < 63; i++)
        if ((hx.features & bv) >> i & 1)
            memcpy(eff + hx.off[i], img + hx.off[i], hx.len[i]);
    wr32(eff + 24, rd32(img + 24));
    wr32(eff + 28, 0); /* MXCSR_MASK: not state */
    if (hx.features >> XF_PKRU & 1) /* PKRU's padding: not state */
        memset(eff + hx.off[XF_PKRU] + 4, 0, hx.len[XF_PKRU] - 4u);
}

static void expect_same_state(const uint8_t *got, const uint8_t *want, const char *what)
{
    static uint8_t g[X64_FP_SIZE], w[X64_FP_SIZE];
    effective(got, g);
    effective(want, w);
    cr_expect_eq(rd32(g + 24), rd32(w + 24), "%s: MXCSR %#x, the kernel's %#x", what,
                 rd32(g + 24), rd32(w + 24));
    for (int i = 0; i < 63; i++)
        if (hx.features >> i & 1)
            cr_expect_eq(memcmp(g + hx.off[i], w + hx.off[i], hx.len[i]), 0,
                         "%s: state component %d differs from the kernel's", what, i);
}

Test(x64_sig, frame_placed_as_the_kernel_places_it, .init = nat_init)
{
    for (int alt = 0; alt < 2; alt++) {
        cr_assert(run_native(0, alt));
        const char *what = alt ? "on the altstack" : "on the stack";
        fx t;
        ferry_frame(&t, alt);
        uint64_t frame = t.c->r.rsp;
        uint8_t *fp = (uint8_t *)((ucontext_t *)(uintptr_t)t.c->r.rdx)->uc_mcontext.fpregs;
        const uint8_t *kfp = nat->frame_fp;
        cr_expect_eq(rd64(G2H(frame + 8)), nat->uc_flags, "uc_flags");
        cr_expect_eq(rd64(G2H(frame + 8 + 40 + 8 * REG_CSGSFS)), nat->csgsfs, "cs gs fs ss");
        cr_expect_eq(rd64(fp + 512), rd64(kfp + 512), "XSTATE_BV as the kernel's");
        expect_same_state(t.c->fp, nat->fresh, "the handler's state at entry");
        if (rd64(kfp + 472) != hx.features) { /* AMX: the guest has less */
            cr_log_warn("the host's xfeatures %#lx are more than a guest's %#lx",
                        (unsigned long)rd64(kfp + 472), (unsigned long)hx.features);
            fx_free(&t);
            continue;
        }
        cr_expect_eq(memcmp(fp + 464, kfp + 464, 48), 0, "software bytes as the kernel's");
        cr_expect_eq(rd32(fp + rd32(kfp + 480)), 0x46505845, "magic2 where the kernel put it");
        cr_expect_eq(t.top - frame, nat->top - nat->frame, "%s: frame at top - %lu, kernel's - %lu",
                     what, (unsigned long)(t.top - frame), (unsigned long)(nat->top - nat->frame));
        cr_expect_eq(t.top - (uintptr_t)fp, nat->top - nat->fpstate, "%s: XSAVE area", what);
        fx_free(&t);
    }
}

Test(x64_sig, sigreturn_restores_as_the_kernel_does, .init = nat_init)
{
    for (int i = 0; i < (int)(sizeof changes / sizeof changes[0]); i++) {
        bool native_ok = run_native(i, false);
        fx t;
        ferry_frame(&t, false);
        uint64_t frame = t.c->r.rsp;
        changes[i].fn((ucontext_t *)(uintptr_t)t.c->r.rdx);
        t.c->r.rsp = frame + 8;
        lu_sigframe f = { 0 };
        bool ok = x64_sig_return(t.c, &f);
        cr_expect_eq(ok, native_ok, "%s: sigreturn %s, the kernel's %s", changes[i].what,
                     ok ? "succeeded" : "failed", native_ok ? "succeeded" : "SIGSEGV");
        expect_kvm_image(t.c->fp);
        if (ok && native_ok)
            expect_same_state(t.c->fp, nat->out, changes[i].what);
        fx_free(&t);
    }
}
