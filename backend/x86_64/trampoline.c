/* The two trampolines between C and translated code, and chain patching.
 * enter(cpu, code) saves the callee-saved registers, reserves the spill
 * frame (rbp its base), puts the return-address stack's sentinel entry
 * below it, sets r15 = cpu, loads the fixed guest registers and jumps to
 * code; leave stores them and undoes the rest from rbp, wherever the
 * return-address stack left rsp, and returns {rax, rdx} as an x86_ret.
 */
#include <string.h>
#include <ucontext.h>

#include "backend/x86_64/lower_opnd.h"

_Static_assert(X86_FRAME == X86_RBP, "x86.h names rbp by number");

static const uint8_t saved[] = {X86_RBP, X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15};
#define N_SAVED (sizeof saved / sizeof saved[0])

/* On entry rsp = 8 mod 16 (the return address); the pushes keep that, and
 * the frame's extra 8 bytes make it 0 mod 16. */
#define FRAME_BYTES (X86_FRAME_SLOTS * 8 + 8)
_Static_assert(((8 + 8 * N_SAVED + FRAME_BYTES) & 15) == 0, "rsp must end 16-byte aligned");

/* Where a return to X86_RAS_NONE itself lands (the sentinel's
 * continuation): the engine looks that pc up, as the indirect-branch
 * cache's miss would. */
static void sentinel_continuation(x86_buf *b, uint64_t rx, const x86_target *t)
{
    emit_mov_mi(b, 8, x86_mem_at(X86_R15, (int32_t)t->pc_offset), (int64_t)X86_RAS_NONE);
    emit_mov_ri(b, X86_RAX, X86_EXIT_LOOKUP);
    emit_jmp32(b, (int32_t)(int64_t)(t->leave - (rx + b->len + 5)));
}

void x86_fixed_moves(x86_buf *b, const x86_target *t, bool load)
{
    for (int k = 0; k < t->n_fixed; k++)
        emit_rm(b, 8, load ? MOV_GvEv : MOV_EvGv, x86_fixed_reg[k],
                x86_mem_at(X86_R15, (int32_t)t->fixed_off[k]));
}

int x86_emit_enter(uint8_t *buf, size_t cap, uint64_t rx, const x86_target *t)
{
    x86_buf b = x86_buf_init(buf, cap);
    for (size_t k = 0; k < N_SAVED; k++)
        emit_push(&b, saved[k]);
    emit_ri(&b, 8, ALU_SUB, X86_RSP, FRAME_BYTES);
    emit_rr(&b, 8, MOV_GvEv, X86_RBP, X86_RSP);
    emit_rm(&b, 8, LEA_GvM, X86_RAX, x86_mem_at(X86_RSP, -16 * (X86_RAS_DEPTH + 1)));
    emit_rm(&b, 8, MOV_EvGv, X86_RAX, x86_mem_at(X86_RBP, 8 * X86_SLOT_RAS_LIMIT));
    /* the sentinel: [rsp + 8] = X86_RAS_NONE, [rsp] = its continuation */
    emit_ri(&b, 8, ALU_SUB, X86_RSP, 16);
    emit_mov_mi(&b, 8, x86_mem_at(X86_RSP, 8), (int64_t)X86_RAS_NONE);
    size_t lea = b.len;
    emit_rm(&b, 8, LEA_GvM, X86_RAX, x86_mem_at(X86_RIP, 0));
    emit_rm(&b, 8, MOV_EvGv, X86_RAX, x86_mem_at(X86_RSP, 0));
    emit_rr(&b, 8, MOV_GvEv, X86_R15, X86_RDI);
    x86_fixed_moves(&b, t, true);
    emit_jmp_r(&b, X86_RSI);
    x86_patch32(&b, lea + 3, (uint32_t)(b.len - (lea + 7)));
    sentinel_continuation(&b, rx, t);
    return b.overflow ? -1 : (int)b.len;
}

/* int3 up to offset at (false: past it already). */
static bool pad_to(x86_buf *b, size_t at)
{
    if (b->len > at)
        return false;
    while (b->len < at)
        emit_u8(b, 0xcc);
    return true;
}

/* The chain exits' tail (x86.h): entered by a stub's call, the data's
 * address on the stack.  rcx is free at an exit (leave reads rax, rdx). */
static bool chain_tail(x86_buf *b, uint64_t rx, const x86_target *t)
{
    if (!pad_to(b, X86_CHAIN32))
        return false;
    emit_pop(b, X86_RDX);
    emit_rm(b, 8, MOVSXD_GvEd, X86_RAX, x86_mem_at(X86_RDX, 0));
    emit_rm(b, 8, MOVSXD_GvEd, X86_RCX, x86_mem_at(X86_RDX, 4));
    size_t common = b->len;
    emit_rm(b, 8, MOV_EvGv, X86_RAX, x86_mem_at(X86_R15, (int32_t)t->pc_offset));
    emit_rr(b, 8, ADD_GvEv, X86_RDX, X86_RCX);
    emit_mov_ri(b, X86_RAX, X86_EXIT_CHAIN);
    emit_jmp32(b, (int32_t)(int64_t)(t->leave - (rx + b->len + 5)));
    if (!pad_to(b, X86_CHAIN64))
        return false;
    emit_pop(b, X86_RDX);
    emit_rm(b, 8, MOV_GvEv, X86_RAX, x86_mem_at(X86_RDX, 0));
    emit_rm(b, 8, MOVSXD_GvEd, X86_RCX, x86_mem_at(X86_RDX, 8));
    emit_jmp32(b, (int32_t)common - (int32_t)(b->len + 5));
    return true;
}

int x86_emit_leave(uint8_t *buf, size_t cap, uint64_t rx, const x86_target *t)
{
    x86_buf b = x86_buf_init(buf, cap);
    x86_fixed_moves(&b, t, false);
    emit_rm(&b, 8, LEA_GvM, X86_RSP, x86_mem_at(X86_RBP, FRAME_BYTES));
    for (size_t k = N_SAVED; k-- > 0;)
        emit_pop(&b, saved[k]);
    emit_ret(&b);
    return !chain_tail(&b, rx, t) || b.overflow ? -1 : (int)b.len;
}

void x86_fixed_from_context(const x86_target *t, const void *host_ucontext, void *cpu)
{
    /* mcontext's gregs by x86 register number (glibc's REG_* order differs) */
    static const uint8_t greg[16] = {
        REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
        REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
    };
    const ucontext_t *uc = host_ucontext;
    for (int k = 0; k < t->n_fixed; k++) {
        uint64_t v = (uint64_t)uc->uc_mcontext.gregs[greg[x86_fixed_reg[k]]];
        memcpy((char *)cpu + t->fixed_off[k], &v, sizeof v);
    }
}

/* The rel32 is 4-byte aligned (lowering pads for it), so one aligned
 * store is atomic and a thread running the jmp (or call) sees the old or
 * new target. */
void x86_patch_jmp(uint8_t *rel32_rw, uint64_t jmp_rx, uint64_t target_rx)
{
    int32_t rel = (int32_t)(int64_t)(target_rx - (jmp_rx + 5));
    __atomic_store_n((int32_t *)(void *)rel32_rw, rel, __ATOMIC_RELEASE);
}

bool x86_relocs_out(uint8_t *code, uint64_t rx, const uint32_t *relocs, uint32_t n,
                    uint64_t image, uint64_t image_end)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = X86_RELOC_OFF(relocs[i]);
        uint8_t *p = code + off;
        uint64_t a;
        int32_t rel;
        switch (X86_RELOC_KIND(relocs[i])) {
        case X86_RELOC_LEAVE32:
        case X86_RELOC_CHAIN32:
        case X86_RELOC_CHAIN64:
            memset(p, 0, 4);
            break;
        case X86_RELOC_HOST64:
            memcpy(&a, p, 8);
            if (a < image || a >= image_end)
                return false;
            a -= image;
            memcpy(p, &a, 8);
            break;
        case X86_RELOC_HOST32:
            memcpy(&rel, p, 4);
            a = rx + off + 4 + (uint64_t)(int64_t)rel;
            if (a < image || a >= image_end || a - image > UINT32_MAX)
                return false;
            rel = (int32_t)(uint32_t)(a - image);
            memcpy(p, &rel, 4);
            break;
        default:
            return false;
        }
    }
    return true;
}

bool x86_relocs_in(uint8_t *code, uint32_t size, uint64_t rx, const uint32_t *relocs,
                   uint32_t n, const x86_target *t, uint64_t image)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = X86_RELOC_OFF(relocs[i]), kind = X86_RELOC_KIND(relocs[i]);
        uint8_t *p = code + off;
        uint64_t a;
        uint32_t u;
        int64_t rel;
        if (off + (kind == X86_RELOC_HOST64 ? 8 : 4) > size) {
            return false;
        } else if (kind == X86_RELOC_LEAVE32 || kind == X86_RELOC_CHAIN32 ||
                   kind == X86_RELOC_CHAIN64) {
            uint64_t to = t->leave + (kind == X86_RELOC_CHAIN32   ? X86_CHAIN32
                                      : kind == X86_RELOC_CHAIN64 ? X86_CHAIN64 : 0);
            int32_t r32 = (int32_t)(int64_t)(to - (rx + off + 4));
            memcpy(p, &r32, 4);
        } else if (kind == X86_RELOC_HOST64) {
            memcpy(&a, p, 8);
            a += image;
            memcpy(p, &a, 8);
        } else if (kind == X86_RELOC_HOST32) {
            memcpy(&u, p, 4);
            rel = (int64_t)(image + u - (rx + off + 4));
            if (rel != (int32_t)rel)
                return false;
            int32_t r32 = (int32_t)rel;
            memcpy(p, &r32, 4);
        } else {
            return false;
        }
    }
    return true;
}
