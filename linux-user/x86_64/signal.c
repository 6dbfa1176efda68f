/* The x86-64 signal frame, as arch/x86/kernel/signal.c, signal_64.c and
 * fpu/signal.c lay it out and read it back.  Below the stack top (less
 * the 128-byte red zone unless the frame goes onto the alternate stack)
 * comes the XSAVE image, 64-byte aligned, then struct rt_sigframe with
 * (frame + 8) 16-byte aligned, as if `call handler` had pushed pretcode:
 *
 *   frame +   0  pretcode (sa_restorer)      rsp at handler entry
 *   frame +   8  ucontext: uc_flags, uc_link, uc_stack {sp, flags, size}
 *   frame +  48    uc_mcontext = struct sigcontext: r8..r15, rdi, rsi, rbp,
 *                  rbx, rdx, rax, rcx, rsp, rip, eflags, cs gs fs ss,
 *                  err, trapno, oldmask, cr2, fpstate, reserved1[8]
 *   frame + 304    uc_sigmask (8 bytes)
 *   frame + 312  siginfo (128 bytes)
 *   fpstate      the XSAVE image: fxsave area whose sw_reserved bytes hold
 *                struct _fpx_sw_bytes, the header, the extended
 *                components; SW_MAGIC2 at fpstate + xstate_size
 *
 * The handler then starts with the init FP state (fpu__clear_user_states),
 * rdi = sig, rsi = &info, rdx = &uc, rax = 0.  rt_sigreturn finds the
 * frame at rsp - 8 and restores as the kernel's XRSTOR/FXRSTOR would.
 * The FP state is cpu->fp, a standard-format image that the vCPU gets
 * through KVM_SET_XSAVE, so every image written here keeps KVM's rules:
 * XCOMP_BV and the reserved header words zero, XSTATE_BV within the
 * guest's XCR0, MXCSR's reserved bits clear; FP and SSE are always in
 * XSTATE_BV (KVM takes MXCSR only then) and so is PKRU (without it KVM
 * keeps the old value), each holding explicit values.
 */
#include <cpuid.h>
#include <pthread.h>
#include <string.h>

#include "linux-user/lu.h"
#include "linux-user/x86_64/x64_abi.h"

/* struct rt_sigframe (asm/sigframe.h) and its ucontext, from the frame */
enum {
    FRAME_UC = 8,
    UC_FLAGS = 0, UC_LINK = 8, UC_STACK = 16, UC_MCONTEXT = 40, UC_SIGMASK = 296,
    FRAME_INFO = 312,
    RT_SIGFRAME_SIZE = 440,
    RED_ZONE = 128,
};

/* struct sigcontext (uapi asm/sigcontext.h), from uc_mcontext: the
 * general registers in this order, then the rest. */
#define R(reg) offsetof(kvm_gregs, reg)
static const uint8_t sc_regs[] = {
    R(r8), R(r9), R(r10), R(r11), R(r12), R(r13), R(r14), R(r15),
    R(rdi), R(rsi), R(rbp), R(rbx), R(rdx), R(rax), R(rcx), R(rsp), R(rip),
};
#undef R
enum {
    SC_EFLAGS = 136, SC_CSGSFS = 144, SC_ERR = 152, SC_TRAPNO = 160,
    SC_OLDMASK = 168, SC_CR2 = 176, SC_FPSTATE = 184,
    USER_CS = 0x33, USER_DS = 0x2b, /* __USER_CS, __USER_DS */
};

/* uc_flags as frame_uc_flags gives a 64-bit task on an XSAVE machine */
#define UC_FP_XSTATE 1
#define UC_SIGCONTEXT_SS 2
#define UC_STRICT_RESTORE_SS 4

#define EFLAGS_CF 0x1
#define EFLAGS_PF 0x4
#define EFLAGS_AF 0x10
#define EFLAGS_ZF 0x40
#define EFLAGS_SF 0x80
#define EFLAGS_TF 0x100
#define EFLAGS_DF 0x400
#define EFLAGS_OF 0x800
#define EFLAGS_RF 0x10000
#define EFLAGS_AC 0x40000
/* what restore_sigcontext takes from the frame (asm/sighandling.h) */
#define FIX_EFLAGS (EFLAGS_AC | EFLAGS_OF | EFLAGS_DF | EFLAGS_TF | EFLAGS_SF | \
                    EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF | EFLAGS_CF | EFLAGS_RF)

/* The XSAVE image: fxsave fields, the software bytes, the header. */
enum {
    FX_FCW = 0, FX_MXCSR = 24, FX_MXCSR_MASK = 28,
    FX_SW = 464, /* struct _fpx_sw_bytes: magic1, extended_size, */
    SW_EXT = 468, SW_XFEATURES = 472, SW_XSIZE = 480, SW_SIZE = 48, /* xfeatures, xstate_size */
    XS_BV = 512, XS_COMP = 520, XS_HEADER_SIZE = 64,
    XS_MIN = 512 + 64, /* sizeof(fxregs_state) + sizeof(xstate_header) */
};
#define SW_MAGIC1 0x46505853u /* FP_XSTATE_MAGIC1 */
#define SW_MAGIC2 0x46505845u /* FP_XSTATE_MAGIC2 */
#define XF_FP 1ull
#define XF_SSE 2ull
#define XF_YMM 4ull
#define XF_FPSSE (XF_FP | XF_SSE)
#define XF_PKRU_BIT 9
#define XF_XTILE (3ull << 17) /* AMX: beyond what KVM_GET_XSAVE holds */
#define MXCSR_DEFAULT 0x1f80u
#define FCW_DEFAULT 0x37fu
#define INIT_PKRU 0x55555554u /* init_pkru_value: only key 0 open */

/* The guest's XSAVE features and where each lives in the image (CPUID
 * leaf 0xd), found once.  The guest's XCR0 is the host's less what
 * KVM_GET_XSAVE's 4096 bytes cannot hold (kvm/vm.c takes the host's,
 * within what KVM supports). */
typedef struct xstate {
    uint64_t features;  /* fpstate->user_xfeatures */
    uint32_t size;      /* fpstate->user_size: standard format, those features */
    uint32_t mxcsr_mask;/* mxcsr_feature_mask */
    uint16_t off[64], len[64];
} xstate;

static xstate xs;
static pthread_once_t xs_once = PTHREAD_ONCE_INIT;

static uint64_t host_xcr0(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
        return XF_FPSSE;
    __asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
    return a | (uint64_t)d << 32;
}

static void xs_init(void)
{
    uint64_t xcr0 = host_xcr0() & ~XF_XTILE;
    xs.features = XF_FPSSE;
    xs.size = XS_MIN;
    xs.off[0] = 0, xs.len[0] = 160;   /* x87: fcw ... st7 (with MXCSR's words) */
    xs.off[1] = 160, xs.len[1] = 256; /* xmm0..15 */
    for (int i = 2; i < 63; i++) {
        unsigned size, off, c, d;
        if (!(xcr0 >> i & 1) || !__get_cpuid_count(0xd, (unsigned)i, &size, &off, &c, &d))
            continue;
        if ((c & 1) || off < XS_MIN || off + size > X64_FP_SIZE) /* supervisor, or too big */
            continue;
        xs.features |= 1ull << i;
        xs.off[i] = (uint16_t)off;
        xs.len[i] = (uint16_t)size;
        if (off + size > xs.size)
            xs.size = off + size;
    }
    _Alignas(16) uint8_t fx[512] = { 0 };
    __asm__ volatile("fxsave64 %0" : "=m"(fx));
    memcpy(&xs.mxcsr_mask, fx + FX_MXCSR_MASK, 4);
    if (!xs.mxcsr_mask)
        xs.mxcsr_mask = 0xffbf; /* a CPU without DAZ */
}

static const xstate *xstate_info(void)
{
    pthread_once(&xs_once, xs_init);
    return &xs;
}

static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint8_t *g(uint64_t addr) { return G2H(addr); }

/* The init state (what XRSTOR gives a component whose XSTATE_BV bit is
 * clear), in the form KVM takes: FP, SSE and PKRU present and explicit. */
static void fp_init(uint8_t *img, const xstate *x, uint32_t pkru)
{
    uint64_t bv = XF_FPSSE;
    memset(img, 0, X64_FP_SIZE);
    img[FX_FCW] = FCW_DEFAULT & 0xff;
    img[FX_FCW + 1] = FCW_DEFAULT >> 8;
    wr32(img + FX_MXCSR, MXCSR_DEFAULT);
    wr32(img + FX_MXCSR_MASK, x->mxcsr_mask);
    if (x->features >> XF_PKRU_BIT & 1) {
        bv |= 1ull << XF_PKRU_BIT;
        wr32(img + x->off[XF_PKRU_BIT], pkru);
    }
    wr64(img + XS_BV, bv);
}

/* copy_fpstate_to_sigframe: XSAVE into a cleared header, then
 * save_xstate_epilog's software bytes, magic2 and FP|SSE in XSTATE_BV. */
static void put_fpstate(uint64_t buf, const x64_cpu *c, const xstate *x)
{
    uint8_t *u = g(buf);
    memcpy(u, c->fp, x->size);
    memset(u + XS_BV, 0, XS_HEADER_SIZE);
    wr64(u + XS_BV, (rd64(c->fp + XS_BV) & x->features) | XF_FPSSE);
    memset(u + FX_SW, 0, SW_SIZE);
    wr32(u + FX_SW, SW_MAGIC1);
    wr32(u + SW_EXT, x->size + 4);
    wr64(u + SW_XFEATURES, x->features);
    wr32(u + SW_XSIZE, x->size);
    wr32(u + x->size, SW_MAGIC2);
}

/* __unsafe_setup_sigcontext: gs and fs read 0 on x86-64 */
static void put_sigcontext(uint64_t mc, const x64_cpu *c, const lu_sigframe *f, uint64_t fp)
{
    for (size_t i = 0; i < sizeof sc_regs; i++)
        wr64(g(mc + 8 * i), *(const uint64_t *)((const char *)&c->r + sc_regs[i]));
    wr64(g(mc + SC_EFLAGS), c->r.rflags);
    wr64(g(mc + SC_CSGSFS), USER_CS | (uint64_t)USER_DS << 48);
    wr64(g(mc + SC_ERR), c->err);
    wr64(g(mc + SC_TRAPNO), c->trapno);
    wr64(g(mc + SC_OLDMASK), f->mask);
    wr64(g(mc + SC_CR2), f->fault_addr ? f->fault_addr : c->cr2);
    wr64(g(mc + SC_FPSTATE), fp);
}

void x64_sig_setup(void *cpu, const lu_sigframe *f)
{
    x64_cpu *c = cpu;
    const xstate *x = xstate_info();
    uint64_t sp = f->top == c->r.rsp ? f->top - RED_ZONE : f->top; /* no red zone on the altstack */
    uint64_t fp = (sp - x->size - 4) & ~63ull;
    uint64_t frame = ((fp - RT_SIGFRAME_SIZE) & ~15ull) - 8;
    uint64_t uc = frame + FRAME_UC;
    x64_fp_sync(c);
    put_fpstate(fp, c, x);
    memset(g(frame), 0, RT_SIGFRAME_SIZE);
    wr64(g(frame), f->restorer);
    wr64(g(uc + UC_FLAGS), UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
    wr64(g(uc + UC_STACK), f->ss_sp);
    wr32(g(uc + UC_STACK + 8), (uint32_t)f->ss_flags);
    wr64(g(uc + UC_STACK + 16), f->ss_size);
    put_sigcontext(uc + UC_MCONTEXT, c, f, fp);
    wr64(g(uc + UC_SIGMASK), f->mask);
    memcpy(g(frame + FRAME_INFO), f->info, 128);
    c->r.rdi = (uint64_t)f->sig;
    c->r.rsi = frame + FRAME_INFO;
    c->r.rdx = uc;
    c->r.rax = 0;
    c->r.rsp = frame;
    c->r.rip = f->handler;
    c->r.rflags &= ~(uint64_t)(EFLAGS_DF | EFLAGS_RF | EFLAGS_TF);
    fp_init(c->fp, x, INIT_PKRU); /* fpu__clear_user_states */
    c->state |= X64_FP_VALID | X64_FP_DIRTY;
}

/* check_xstate_in_sigframe: without both magic words and sane sizes the
 * frame is a legacy fxsave one. */
static bool has_xstate(const uint8_t *u, const xstate *x)
{
    uint32_t size = rd32(u + SW_XSIZE);
    return rd32(u + FX_SW) == SW_MAGIC1 && size >= XS_MIN && size <= x->size &&
           size <= rd32(u + SW_EXT) && rd32(u + size) == SW_MAGIC2;
}

/* __restore_fpregs_from_user into img (already the init state): XRSTOR
 * with the frame's xfeatures (FXRSTOR for a legacy frame), then XRSTORS
 * of the init state for the guest's other features.  The first loads
 * MXCSR when it covers SSE or YMM (the standard form's rule), the second
 * resets it when it covers SSE (the compacted form's: MXCSR goes with
 * SSE), so MXCSR comes from the frame exactly when SSE is restored.
 * false where the instruction would fault (#GP): misaligned, XSTATE_BV
 * outside XCR0, a nonzero XCOMP_BV (no compacted frames here), MXCSR's
 * reserved bits. */
static bool fp_from_frame(uint8_t *img, uint64_t buf, const xstate *x)
{
    const uint8_t *u = g(buf);
    bool xsave = has_xstate(u, x);
    uint64_t rfbm = (xsave ? rd64(u + SW_XFEATURES) : XF_FPSSE) & x->features;
    uint64_t bv = xsave ? rd64(u + XS_BV) : XF_FPSSE;
    if (buf & (xsave ? 63 : 15))
        return false;
    if (xsave && ((bv & ~x->features) || rd64(u + XS_COMP) || rd64(u + XS_COMP + 8)))
        return false;
    uint32_t mxcsr = rd32(u + FX_MXCSR);
    if ((rfbm & (XF_SSE | XF_YMM)) && (mxcsr & ~x->mxcsr_mask))
        return false;
    if (!(rfbm & XF_SSE))
        mxcsr = MXCSR_DEFAULT;
    bv &= rfbm;
    for (int i = 0; i < 63; i++)
        if (bv >> i & 1)
            memcpy(img + x->off[i], u + x->off[i], x->len[i]);
    wr32(img + FX_MXCSR, mxcsr);
    wr32(img + FX_MXCSR_MASK, x->mxcsr_mask);
    wr64(img + XS_BV, bv | rd64(img + XS_BV)); /* FP, SSE, PKRU stay explicit */
    return true;
}

/* fpu__restore_sig: no fpstate is the init state; so is a bad one, which
 * also makes the frame bad. */
static bool restore_fp(x64_cpu *c, uint64_t buf)
{
    const xstate *x = xstate_info();
    c->state |= X64_FP_VALID | X64_FP_DIRTY;
    fp_init(c->fp, x, buf ? 0 : INIT_PKRU);
    if (!buf)
        return true;
    if (fp_from_frame(c->fp, buf, x))
        return true;
    fp_init(c->fp, x, INIT_PKRU);
    return false;
}

/* rt_sigreturn: the frame is where the handler's ret left rsp, less the
 * popped pretcode.  CS and SS stay: a 64-bit task's are fixed. */
bool x64_sig_return(void *cpu, lu_sigframe *f)
{
    x64_cpu *c = cpu;
    uint64_t uc = c->r.rsp - 8 + FRAME_UC, mc = uc + UC_MCONTEXT;
    f->mask = rd64(g(uc + UC_SIGMASK));
    f->ss_sp = rd64(g(uc + UC_STACK));
    f->ss_flags = (int32_t)rd32(g(uc + UC_STACK + 8));
    f->ss_size = rd64(g(uc + UC_STACK + 16));
    uint64_t flags = rd64(g(mc + SC_EFLAGS)), fp = rd64(g(mc + SC_FPSTATE));
    for (size_t i = 0; i < sizeof sc_regs; i++)
        *(uint64_t *)((char *)&c->r + sc_regs[i]) = rd64(g(mc + 8 * i));
    c->r.rflags = (c->r.rflags & ~(uint64_t)FIX_EFLAGS) | (flags & FIX_EFLAGS);
    return restore_fp(c, fp);
}
