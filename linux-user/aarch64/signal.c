/* The aarch64 signal frame, as arch/arm64/kernel/signal.c lays it out:
 * a frame record { x29, x30 } just below the stack top (16-byte aligned),
 * and below it struct rt_sigframe { siginfo; ucontext } whose uc_mcontext
 * is struct sigcontext { fault_address, regs[31], sp, pc, pstate,
 * __reserved[4096] }; __reserved holds an fpsimd_context record (fpsr,
 * fpcr, V0..V31) and then the null terminator record.  A handler starts
 * with x0 = sig, x1 = &info, x2 = &uc, sp = the frame, x29 = the frame
 * record and x30 = sa_restorer (glibc always gives one) or the
 * trampoline.
 */
#include <string.h>

#include "backend/engine.h"
#include "frontend/aarch64/a64_cpu.h"
#include "linux-user/aarch64/a64_abi.h"
#include "linux-user/lu.h"

#define FPSIMD_MAGIC 0x46508001u
#define FPSIMD_SIZE 528u
#define NZCV_MASK 0xf0000000ull

/* What the trampoline page holds (guest_abi.h, LU_TRAMP_*). */
const uint32_t a64_trampoline[LU_TRAMP_WORDS] = {
    0xd2801168, 0xd4000001, 0xd503201f, 0xd503201f, /* mov x8, #139; svc #0 */
    0xd53b4420, 0xd53b4401, 0xd4200000, 0xd503201f, /* mrs x0, fpsr; mrs x1, fpcr; brk #0 */
    0xd51b4420, 0xd51b4401, 0xd4200000, 0xd503201f, /* msr fpsr, x0; msr fpcr, x1; brk #0 */
};

static void put64(uint64_t addr, uint64_t v) { memcpy(G2H(addr), &v, 8); }
static void put32(uint64_t addr, uint32_t v) { memcpy(G2H(addr), &v, 4); }
static uint64_t get64(uint64_t addr) { uint64_t v; memcpy(&v, G2H(addr), 8); return v; }
static uint32_t get32(uint64_t addr) { uint32_t v; memcpy(&v, G2H(addr), 4); return v; }

static void put_fpsimd(uint64_t rec, const a64_cpu *c, const lu_sigframe *f)
{
    put32(rec, FPSIMD_MAGIC);
    put32(rec + 4, FPSIMD_SIZE);
    put32(rec + A64_FPSIMD_FPSR, (uint32_t)f->fp[0]);
    put32(rec + A64_FPSIMD_FPCR, (uint32_t)f->fp[1]);
    memcpy(G2H(rec + A64_FPSIMD_V), c->v, sizeof c->v);
}

void a64_sig_setup(void *cpu, const lu_sigframe *f)
{
    a64_cpu *c = cpu;
    uint64_t record = (f->top - 16) & ~15ull;
    uint64_t frame = record - A64_FRAME_SIZE;
    uint64_t uc = frame + A64_FRAME_UC, mc = uc + A64_UC_MCONTEXT;
    memset(G2H(frame), 0, A64_FRAME_SIZE); /* the terminator record too */
    put64(record, c->x[29]);
    put64(record + 8, c->x[30]);
    memcpy(G2H(frame), f->info, 128);
    put64(uc + A64_UC_STACK, f->ss_sp);
    put32(uc + A64_UC_STACK + 8, (uint32_t)f->ss_flags);
    put64(uc + A64_UC_STACK + 16, f->ss_size);
    put64(uc + A64_UC_SIGMASK, f->mask);
    put64(mc + A64_MC_FAULT, f->fault_addr);
    for (int i = 0; i < 31; i++)
        put64(mc + A64_MC_REGS + 8 * i, c->x[i]);
    put64(mc + A64_MC_SP, c->x[31]);
    put64(mc + A64_MC_PC, c->pc);
    put64(mc + A64_MC_PSTATE, engine_nzcv_of_saved(c->flags)); /* EL0t, nothing masked */
    put_fpsimd(mc + A64_MC_RESERVED, c, f);
    c->x[0] = (uint64_t)f->sig;
    c->x[1] = frame;
    c->x[2] = uc;
    c->x[29] = record;
    c->x[30] = f->restorer;
    c->x[31] = frame;
    c->pc = f->handler;
}

/* The records in __reserved, as the kernel's parse_user_sigframe reads
 * them: fpsimd must be there with its own size; an ESR record (which a
 * fault's frame may carry) is skipped; anything else is a bad frame. */
static bool find_fpsimd(uint64_t res, uint64_t *fpsimd)
{
    *fpsimd = 0;
    for (uint64_t off = 0; off + 8 <= A64_RESERVED_SIZE;) {
        uint32_t magic = get32(res + off), size = get32(res + off + 4);
        if (magic == 0)
            return size == 0 && *fpsimd;
        if (size < 8 || size % 16 || off + size > A64_RESERVED_SIZE)
            return false;
        if (magic == FPSIMD_MAGIC) {
            if (size != FPSIMD_SIZE || *fpsimd)
                return false;
            *fpsimd = res + off;
        } else if (magic != A64_ESR_MAGIC) {
            return false;
        }
        off += size;
    }
    return false;
}

bool a64_sig_return(void *cpu, lu_sigframe *f)
{
    a64_cpu *c = cpu;
    uint64_t frame = c->x[31];
    uint64_t uc = frame + A64_FRAME_UC, mc = uc + A64_UC_MCONTEXT, fpsimd;
    if (frame & 15) /* the kernel insists on an aligned sp */
        return false;
    if (!find_fpsimd(mc + A64_MC_RESERVED, &fpsimd))
        return false;
    f->mask = get64(uc + A64_UC_SIGMASK);
    f->ss_sp = get64(uc + A64_UC_STACK);
    f->ss_flags = (int32_t)get32(uc + A64_UC_STACK + 8);
    f->ss_size = get64(uc + A64_UC_STACK + 16);
    f->fp[0] = get32(fpsimd + A64_FPSIMD_FPSR);
    f->fp[1] = get32(fpsimd + A64_FPSIMD_FPCR);
    for (int i = 0; i < 31; i++)
        c->x[i] = get64(mc + A64_MC_REGS + 8 * i);
    c->x[31] = get64(mc + A64_MC_SP);
    c->pc = get64(mc + A64_MC_PC);
    /* valid_user_regs: a 64-bit EL0 task keeps only its flags */
    c->flags = engine_saved_of_nzcv((uint32_t)(get64(mc + A64_MC_PSTATE) & NZCV_MASK));
    memcpy(c->v, G2H(fpsimd + A64_FPSIMD_V), sizeof c->v);
    return true;
}
