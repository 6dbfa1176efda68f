/* The two trampolines between C and translated code, and chain patching.
 * enter(cpu, code) saves the callee-saved registers, reserves the spill
 * frame so rsp stays 16-byte aligned at helper calls, sets r15 = cpu and
 * jumps to code; leave undoes that and returns {rax, rdx} as an x86_ret.
 */
#include "backend/x86_64/emit.h"
#include "backend/x86_64/x86.h"

static const uint8_t saved[] = {X86_RBP, X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15};
#define N_SAVED (sizeof saved / sizeof saved[0])

/* On entry rsp = 8 mod 16 (the return address); the pushes keep that, and
 * the frame's extra 8 bytes make it 0 mod 16. */
#define FRAME_BYTES (X86_FRAME_SLOTS * 8 + 8)
_Static_assert(((8 + 8 * N_SAVED + FRAME_BYTES) & 15) == 0, "rsp must end 16-byte aligned");

int x86_emit_enter(uint8_t *buf, size_t cap, uint64_t rx)
{
    x86_buf b = x86_buf_init(buf, cap);
    for (size_t k = 0; k < N_SAVED; k++)
        emit_push(&b, saved[k]);
    emit_ri(&b, 8, ALU_SUB, X86_RSP, FRAME_BYTES);
    emit_rr(&b, 8, MOV_GvEv, X86_R15, X86_RDI);
    emit_jmp_r(&b, X86_RSI);
    return b.overflow ? -1 : (int)b.len;
}

int x86_emit_leave(uint8_t *buf, size_t cap, uint64_t rx)
{
    x86_buf b = x86_buf_init(buf, cap);
    emit_ri(&b, 8, ALU_ADD, X86_RSP, FRAME_BYTES);
    for (size_t k = N_SAVED; k-- > 0;)
        emit_pop(&b, saved[k]);
    emit_ret(&b);
    return b.overflow ? -1 : (int)b.len;
}

/* The rel32 is 4-byte aligned (lowering pads for it), so one aligned
 * store is atomic and a thread running the jmp sees the old or new target. */
void x86_patch_jmp(uint8_t *rel32_rw, uint64_t jmp_rx, uint64_t target_rx)
{
    int32_t rel = (int32_t)(int64_t)(target_rx - (jmp_rx + 5));
    __atomic_store_n((int32_t *)(void *)rel32_rw, rel, __ATOMIC_RELEASE);
}
