/* Encoder tests: each emit_* form, with low and high registers and the
 * awkward bases (rsp/r12 need a SIB, rbp/r13 a zero disp8), disassembled
 * by capstone and compared with the Intel-syntax text it must decode to.
 */
#include <capstone/capstone.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "backend/x86_64/emit.h"

static uint8_t code[64];
static x86_buf b;

/* All instructions of the buffer, "mnemonic operands" joined by "; ". */
static const char *disas(void)
{
    static char text[512];
    csh h;
    cs_insn *insn;
    cr_assert_eq(cs_open(CS_ARCH_X86, CS_MODE_64, &h), CS_ERR_OK);
    size_t n = cs_disasm(h, code, b.len, 0x1000, 0, &insn);
    text[0] = 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s%s%s", i ? "; " : "",
                                 insn[i].mnemonic, insn[i].op_str[0] ? " " : "", insn[i].op_str);
    size_t decoded = n ? (size_t)(insn[n - 1].address + insn[n - 1].size - 0x1000) : 0;
    if (decoded != b.len)
        snprintf(text + used, sizeof text - used, " <undecoded bytes>");
    if (n)
        cs_free(insn, n);
    cs_close(&h);
    return text;
}

#define CASE(stmt, want)                                                      \
    do {                                                                      \
        b = x86_buf_init(code, sizeof code);                                  \
        stmt;                                                                 \
        cr_assert(!b.overflow);                                               \
        { const char *got_ = disas(); cr_expect_str_eq(got_, want, "%s\n  got:  %s\n  want: %s", #stmt, got_, want); }                         \
    } while (0)

Test(x86_emit, reg_reg)
{
    CASE(emit_rr(&b, 8, ADD_GvEv, X86_RAX, X86_R9), "add rax, r9");
    CASE(emit_rr(&b, 4, SUB_GvEv, X86_R12, X86_RBX), "sub r12d, ebx");
    CASE(emit_rr(&b, 8, XOR_GvEv, X86_R15, X86_R14), "xor r15, r14");
    CASE(emit_rr(&b, 8, MOV_GvEv, X86_RDI, X86_R15), "mov rdi, r15");
    CASE(emit_rr(&b, 4, MOV_GvEv, X86_ECX, X86_R11), "mov ecx, r11d");
    CASE(emit_rr(&b, 2, CMP_GvEv, X86_RSI, X86_R8), "cmp si, r8w");
    CASE(emit_rr(&b, 1, CMP_EbGb, X86_RSI, X86_R11), "cmp r11b, sil");
    CASE(emit_rr(&b, 1, CMP_EbGb, X86_RCX, X86_RAX), "cmp al, cl");
    CASE(emit_rr(&b, 8, IMUL_GvEv, X86_R11, X86_RAX), "imul r11, rax");
    CASE(emit_rr(&b, 4, TEST_EvGv, X86_R13, X86_R13), "test r13d, r13d");
    CASE(emit_rr(&b, 8, CMOVcc_GvEv + X86_CC_NE, X86_RBX, X86_R10), "cmovne rbx, r10");
    CASE(emit_rr(&b, 4, CMOVcc_GvEv + X86_CC_L, X86_R9, X86_RSI), "cmovl r9d, esi");
    CASE(emit_rr(&b, 8, MOVSXD_GvEd, X86_R8, X86_RDI), "movsxd r8, edi");
    CASE(emit_rr(&b, 4 | X86_BM, MOVZX_GvEb, X86_RAX, X86_RSI), "movzx eax, sil");
    CASE(emit_rr(&b, 4 | X86_BM, MOVZX_GvEb, X86_RBX, X86_RBX), "movzx ebx, bl");
    CASE(emit_rr(&b, 8 | X86_BM, MOVSX_GvEb, X86_R12, X86_RDI), "movsx r12, dil");
    CASE(emit_rr(&b, 4, MOVSX_GvEw, X86_RDX, X86_R14), "movsx edx, r14w");
    CASE(emit_rr(&b, 4, MOVZX_GvEw, X86_R10, X86_RCX), "movzx r10d, cx");
    CASE(emit_rr(&b, 8, XADD_EvGv, X86_R11, X86_RBX), "xadd rbx, r11");
}

Test(x86_emit, reg_mem_bases)
{
    CASE(emit_rm(&b, 8, MOV_GvEv, X86_RAX, x86_mem_at(X86_RSP, 8)), "mov rax, qword ptr [rsp + 8]");
    CASE(emit_rm(&b, 8, MOV_GvEv, X86_R9, x86_mem_at(X86_RSP, 0)), "mov r9, qword ptr [rsp]");
    CASE(emit_rm(&b, 4, MOV_GvEv, X86_RCX, x86_mem_at(X86_R12, 0)), "mov ecx, dword ptr [r12]");
    CASE(emit_rm(&b, 8, MOV_GvEv, X86_RBX, x86_mem_at(X86_RBP, 0)), "mov rbx, qword ptr [rbp]");
    CASE(emit_rm(&b, 8, MOV_GvEv, X86_RBX, x86_mem_at(X86_R13, 0)), "mov rbx, qword ptr [r13]");
    CASE(emit_rm(&b, 8, MOV_EvGv, X86_R11, x86_mem_at(X86_R15, 0x100)), "mov qword ptr [r15 + 0x100], r11");
    CASE(emit_rm(&b, 8, ADD_GvEv, X86_R14, x86_mem_at(X86_RSP, 2040)), "add r14, qword ptr [rsp + 0x7f8]");
    CASE(emit_rm(&b, 4, CMP_EvGv, X86_RSI, x86_mem_at(X86_RBP, -8)), "cmp dword ptr [rbp - 8], esi");
    CASE(emit_rm(&b, 1, MOV_EbGb, X86_RDI, x86_mem_at(X86_RBX, 0)), "mov byte ptr [rbx], dil");
    CASE(emit_rm(&b, 2, MOV_EvGv, X86_RAX, x86_mem_at(X86_R12, 0x7f)), "mov word ptr [r12 + 0x7f], ax");
    CASE(emit_rm(&b, 8, MOVSXD_GvEd, X86_RAX, x86_mem_at(X86_R13, 0x80)), "movsxd rax, dword ptr [r13 + 0x80]");
    CASE(emit_rm(&b, 4, MOVZX_GvEb, X86_R8, x86_mem_at(X86_RSI, 0)), "movzx r8d, byte ptr [rsi]");
    CASE(emit_rm(&b, 8, MOVSX_GvEw, X86_RDX, x86_mem_at(X86_R11, 0)), "movsx rdx, word ptr [r11]");
    CASE(emit_rm(&b, 8, LEA_GvM, X86_RDX, x86_mem_at(X86_RIP, -12)), "lea rdx, [rip - 0xc]");
    CASE(emit_rm(&b, 4, LEA_GvM, X86_RSI, x86_mem_at(X86_RDI, -5)), "lea esi, [rdi - 5]");
    CASE(emit_rm(&b, 8, CMPXCHG_EvGv, X86_R11, x86_mem_at(X86_RCX, 0)), "cmpxchg qword ptr [rcx], r11");
    CASE(emit_rm(&b, 1, XCHG_EbGb, X86_RSI, x86_mem_at(X86_R12, 0)), "xchg byte ptr [r12], sil");
    CASE(emit_rm(&b, 8, IMUL_GvEv, X86_RBX, x86_mem_at(X86_RSP, 0x10)), "imul rbx, qword ptr [rsp + 0x10]");
    CASE((emit_lock(&b), emit_rm(&b, 4, XADD_EvGv, X86_R11, x86_mem_at(X86_R13, 0))),
         "lock xadd dword ptr [r13], r11d");
}

/* [base + index * scale + disp]: the SIB byte, REX.X for r8-r15 as the
 * index (and VEX's X), rbp and r13 as bases taking a disp8 of 0, r12 as
 * an index (only rsp cannot be one). */
Test(x86_emit, reg_mem_indexed)
{
    CASE(emit_rm(&b, 8, MOV_GvEv, X86_RAX, x86_mem_index(X86_RBX, X86_RCX, 3, 0)),
         "mov rax, qword ptr [rbx + rcx*8]");
    CASE(emit_rm(&b, 4, MOV_GvEv, X86_R12, x86_mem_index(X86_R13, X86_R14, 2, 0)),
         "mov r12d, dword ptr [r13 + r14*4]");
    CASE(emit_rm(&b, 8, MOV_GvEv, X86_RSI, x86_mem_index(X86_RBP, X86_R12, 0, 0x7f)),
         "mov rsi, qword ptr [rbp + r12 + 0x7f]");
    CASE(emit_rm(&b, 8, MOV_EvGv, X86_R9, x86_mem_index(X86_RSP, X86_R8, 1, -0x1000)),
         "mov qword ptr [rsp + r8*2 - 0x1000], r9");
    CASE(emit_rm(&b, 1, MOV_EbGb, X86_RSI, x86_mem_index(X86_R11, X86_RDI, 0, 0)),
         "mov byte ptr [r11 + rdi], sil");
    CASE(emit_rm(&b, 4, MOVZX_GvEb, X86_R8, x86_mem_index(X86_R11, X86_R15, 0, 1)),
         "movzx r8d, byte ptr [r11 + r15 + 1]");
    CASE(emit_rm(&b, 8, MOVSXD_GvEd, X86_RDX, x86_mem_index(X86_R10, X86_RCX, 2, 8)),
         "movsxd rdx, dword ptr [r10 + rcx*4 + 8]");
    CASE(emit_mov_mi(&b, 4, x86_mem_index(X86_RAX, X86_R9, 2, 4), 7), "mov dword ptr [rax + r9*4 + 4], 7");
    CASE(emit_pfx_rm(&b, 4, MOVSD_VxWx, 9, x86_mem_index(X86_RDI, X86_R13, 3, 0)),
         "movsd xmm9, qword ptr [rdi + r13*8]");
    CASE(emit_vfmadd231_rm(&b, 8, 1, 2, x86_mem_index(X86_RAX, X86_R10, 3, 0)),
         "vfmadd231sd xmm1, xmm2, qword ptr [rax + r10*8]");
}

/* [disp32] with no base: a constant address below 2^31 */
Test(x86_emit, reg_mem_absolute)
{
    CASE(emit_rm(&b, 8, MOV_GvEv, X86_RAX, x86_mem_at(X86_ABS, 0x457000)),
         "mov rax, qword ptr [0x457000]");
    CASE(emit_rm(&b, 4, MOV_GvEv, X86_R12, x86_mem_at(X86_ABS, 0x7fffffff)),
         "mov r12d, dword ptr [0x7fffffff]");
    CASE(emit_rm(&b, 1, MOV_EbGb, X86_RSI, x86_mem_at(X86_ABS, 0x10)), "mov byte ptr [0x10], sil");
    CASE(emit_mov_mi(&b, 8, x86_mem_at(X86_ABS, 0x400100), -1), "mov qword ptr [0x400100], -1");
    CASE(emit_pfx_rm(&b, 4, MOVSD_VxWx, 9, x86_mem_at(X86_ABS, 0x1000)),
         "movsd xmm9, qword ptr [0x1000]");
    CASE(emit_vfmadd231_rm(&b, 8, 1, 2, x86_mem_at(X86_ABS, 0x2000)),
         "vfmadd231sd xmm1, xmm2, qword ptr [0x2000]");
    CASE(emit_rm(&b, 4, MOV_GvEv, X86_R10, x86_mem_index(X86_ABS, X86_RSI, 2, 0x4574f0)),
         "mov r10d, dword ptr [rsi*4 + 0x4574f0]");
    CASE(emit_rm(&b, 8, MOV_EvGv, X86_RAX, x86_mem_index(X86_ABS, X86_R12, 3, -8)),
         "mov qword ptr [r12*8 - 8], rax");
    CASE(emit_rm(&b, 4, MOVZX_GvEb, X86_RDI, x86_mem_index(X86_ABS, X86_R9, 1, 0x10)),
         "movzx edi, byte ptr [r9*2 + 0x10]");
}

Test(x86_emit, immediates)
{
    CASE(emit_ri(&b, 8, ALU_ADD, X86_RAX, 1), "add rax, 1");
    CASE(emit_ri(&b, 8, ALU_SUB, X86_RSP, 2056), "sub rsp, 0x808");
    CASE(emit_ri(&b, 4, ALU_CMP, X86_R9, -1), "cmp r9d, -1");
    CASE(emit_ri(&b, 8, ALU_AND, X86_R12, 0x12345678), "and r12, 0x12345678");
    CASE(emit_ri(&b, 8, ALU_XOR, X86_RBP, -0x80000000LL), "xor rbp, 0xffffffff80000000");
    CASE(emit_ri(&b, 1, ALU_OR, X86_RSI, 0x40), "or sil, 0x40");
    CASE(emit_mi(&b, 8, ALU_CMP, x86_mem_at(X86_RSP, 0x18), 0), "cmp qword ptr [rsp + 0x18], 0");
    CASE(emit_mi(&b, 4, ALU_ADD, x86_mem_at(X86_R13, 0), 1000), "add dword ptr [r13], 0x3e8");
    CASE(emit_shift_ri(&b, 8, SHIFT_SHL, X86_R10, 63), "shl r10, 0x3f");
    CASE(emit_shift_ri(&b, 4, SHIFT_SAR, X86_RBX, 3), "sar ebx, 3");
    CASE(emit_xr(&b, 8, GRP2_EvCL, SHIFT_SHR, X86_R14), "shr r14, cl");
    CASE(emit_imul_rri(&b, 8, X86_RSI, X86_R8, 10), "imul rsi, r8, 0xa");
    CASE(emit_imul_rri(&b, 4, X86_R13, X86_RAX, 100000), "imul r13d, eax, 0x186a0");
    CASE(emit_imul_rmi(&b, 8, X86_RDI, x86_mem_at(X86_RSP, 8), -3), "imul rdi, qword ptr [rsp + 8], -3");
    CASE(emit_mov_mi(&b, 8, x86_mem_at(X86_R15, 0x100), 0x10078), "mov qword ptr [r15 + 0x100], 0x10078");
    CASE(emit_mov_mi(&b, 4, x86_mem_at(X86_RSP, 0), -1), "mov dword ptr [rsp], 0xffffffff");
    CASE(emit_mov_mi(&b, 2, x86_mem_at(X86_RAX, 0), 0x1234), "mov word ptr [rax], 0x1234");
    CASE(emit_mov_mi(&b, 1, x86_mem_at(X86_RBP, 0), 0x7f), "mov byte ptr [rbp], 0x7f");
}

Test(x86_emit, mov_imm_shortest)
{
    CASE(emit_mov_ri(&b, X86_RAX, 5), "mov eax, 5");
    CASE(emit_mov_ri(&b, X86_R11, 0xffffffff), "mov r11d, 0xffffffff");
    CASE(emit_mov_ri(&b, X86_RCX, (uint64_t)-2), "mov rcx, -2");
    CASE(emit_mov_ri(&b, X86_R9, 0x123456789abcdef0), "movabs r9, 0x123456789abcdef0");
    CASE(emit_zero(&b, X86_R14), "xor r14d, r14d");
    cr_expect_eq(b.len, 3);
    b = x86_buf_init(code, sizeof code);
    emit_mov_ri(&b, X86_RCX, (uint64_t)-2);
    cr_expect_eq(b.len, 7, "simm32 form, not movabs");
}

Test(x86_emit, unary_and_misc)
{
    CASE(emit_xr(&b, 8, GRP3_Ev, G3_NEG, X86_RAX), "neg rax");
    CASE(emit_xr(&b, 4, GRP3_Ev, G3_IDIV, X86_RCX), "idiv ecx");
    CASE(emit_xr(&b, 8, GRP3_Ev, G3_DIV, X86_R10), "div r10");
    CASE(emit_xr(&b, 8, GRP3_Ev, G3_MUL, X86_RCX), "mul rcx");
    CASE(emit_xm(&b, 8, GRP3_Ev, G3_IMUL, x86_mem_at(X86_RSP, 0x20)), "imul qword ptr [rsp + 0x20]");
    CASE(emit_xr(&b, 1, SETcc_Eb + X86_CC_B, 0, X86_RDI), "setb dil");
    CASE(emit_xr(&b, 1, SETcc_Eb + X86_CC_G, 0, X86_R13), "setg r13b");
    CASE(emit_xr(&b, 1, SETcc_Eb + X86_CC_E, 0, X86_RBX), "sete bl");
    CASE(emit_cqo(&b, 8), "cqo");
    CASE(emit_cqo(&b, 4), "cdq");
    CASE(emit_mfence(&b), "mfence");
    CASE(emit_call_r(&b, X86_RAX), "call rax");
    CASE(emit_jmp_r(&b, X86_R11), "jmp r11");
    CASE((emit_push(&b, X86_RBX), emit_push(&b, X86_R15)), "push rbx; push r15");
    CASE((emit_pop(&b, X86_R12), emit_pop(&b, X86_RBP)), "pop r12; pop rbp");
    CASE(emit_ret(&b), "ret");
    CASE((emit_nop(&b, 1), emit_nop(&b, 2), emit_nop(&b, 3)), "nop; nop; nop dword ptr [rax]");
}

Test(x86_emit, jumps)
{
    /* capstone shows targets as absolute addresses (code at 0x1000) */
    CASE(emit_jmp32(&b, 0), "jmp 0x1005");
    CASE(emit_call32(&b, 0x10), "call 0x1015");
    CASE(emit_push_imm(&b, -2), "push -2");
    CASE(emit_ret_imm(&b, 8), "ret 8");
    CASE(emit_jcc32(&b, X86_CC_NE, 0x100), "jne 0x1106");
    CASE({ size_t j = emit_jcc8(&b, X86_CC_LE); emit_ret(&b); cr_expect(x86_bind8(&b, j)); },
         "jle 0x1003; ret");
    CASE({ size_t j = emit_jmp8(&b); emit_nop(&b, 3); cr_expect(x86_bind8(&b, j)); },
         "jmp 0x1005; nop dword ptr [rax]");
}

Test(x86_emit, sse_reg_reg)
{
    CASE(emit_pfx_rr(&b, 4, ADDSD_VxWx, 1, 2), "addsd xmm1, xmm2");
    CASE(emit_pfx_rr(&b, 4, ADDSS_VxWx, 9, 15), "addss xmm9, xmm15");
    CASE(emit_pfx_rr(&b, 4, SUBSD_VxWx, 0, 8), "subsd xmm0, xmm8");
    CASE(emit_pfx_rr(&b, 4, MULSS_VxWx, 14, 3), "mulss xmm14, xmm3");
    CASE(emit_pfx_rr(&b, 4, DIVSD_VxWx, 13, 12), "divsd xmm13, xmm12");
    CASE(emit_pfx_rr(&b, 4, SQRTSS_VxWx, 7, 7), "sqrtss xmm7, xmm7");
    CASE(emit_pfx_rr(&b, 4, SQRTSD_VxWx, 10, 1), "sqrtsd xmm10, xmm1");
    CASE(emit_pfx_rr(&b, 4, MINSD_VxWx, 15, 4), "minsd xmm15, xmm4");
    CASE(emit_pfx_rr(&b, 4, MAXSS_VxWx, 2, 11), "maxss xmm2, xmm11");
    CASE(emit_pfx_rr(&b, 4, MOVAPS_VxWx, 14, 0), "movaps xmm14, xmm0");
    CASE(emit_pfx_rr(&b, 4, XORPS_VxWx, 5, 5), "xorps xmm5, xmm5");
    CASE(emit_pfx_rr(&b, 4, ANDPS_VxWx, 8, 14), "andps xmm8, xmm14");
    CASE(emit_pfx_rr(&b, 4, ORPS_VxWx, 15, 9), "orps xmm15, xmm9");
    CASE(emit_pfx_rr(&b, 4, ANDNPS_VxWx, 1, 0), "andnps xmm1, xmm0");
    CASE(emit_pfx_rr(&b, 4, UCOMISD_VxWx, 3, 12), "ucomisd xmm3, xmm12");
    CASE(emit_pfx_rr(&b, 4, COMISS_VxWx, 11, 2), "comiss xmm11, xmm2");
    CASE(emit_pfx_rr(&b, 4, UCOMISS_VxWx, 0, 0), "ucomiss xmm0, xmm0");
    CASE(emit_pfx_rr(&b, 4, COMISD_VxWx, 15, 14), "comisd xmm15, xmm14");
    CASE(emit_pfx_rr(&b, 4, CVTSS2SD_VxWx, 4, 13), "cvtss2sd xmm4, xmm13");
    CASE(emit_pfx_rr(&b, 4, CVTSD2SS_VxWx, 12, 6), "cvtsd2ss xmm12, xmm6");
    CASE(emit_pfx_rr(&b, 4, MOVSD_VxWx, 1, 2), "movsd xmm1, xmm2");
}

Test(x86_emit, sse_gpr_forms)
{
    CASE(emit_pfx_rr(&b, 8, CVTSI2SD_VxEy, 3, X86_R9), "cvtsi2sd xmm3, r9");
    CASE(emit_pfx_rr(&b, 4, CVTSI2SD_VxEy, 10, X86_RSI), "cvtsi2sd xmm10, esi");
    CASE(emit_pfx_rr(&b, 8, CVTSI2SS_VxEy, 15, X86_RAX), "cvtsi2ss xmm15, rax");
    CASE(emit_pfx_rr(&b, 8, CVTTSD2SI_GyWx, X86_R11, 14), "cvttsd2si r11, xmm14");
    CASE(emit_pfx_rr(&b, 4, CVTTSS2SI_GyWx, X86_RBX, 2), "cvttss2si ebx, xmm2");
    CASE(emit_pfx_rr(&b, 8, CVTSD2SI_GyWx, X86_RDI, 9), "cvtsd2si rdi, xmm9");
    CASE(emit_pfx_rr(&b, 4, CVTSS2SI_GyWx, X86_R12, 0), "cvtss2si r12d, xmm0");
    CASE(emit_pfx_rr(&b, 8, MOVD_VxEy, 14, X86_RAX), "movq xmm14, rax");
    CASE(emit_pfx_rr(&b, 4, MOVD_VxEy, 9, X86_R10), "movd xmm9, r10d");
    CASE(emit_pfx_rr(&b, 8, MOVD_EyVx, 12, X86_RSI), "movq rsi, xmm12");
    CASE(emit_pfx_rr(&b, 4, MOVD_EyVx, 3, X86_R11), "movd r11d, xmm3");
    CASE(emit_pfx_rr(&b, 8, LZCNT_GvEv, X86_RAX, X86_R13), "lzcnt rax, r13");
    CASE(emit_pfx_rr(&b, 4, TZCNT_GvEv, X86_R8, X86_RCX), "tzcnt r8d, ecx");
    CASE(emit_pfx_rr(&b, 8, POPCNT_GvEv, X86_RSI, X86_RDI), "popcnt rsi, rdi");
    CASE(emit_rr(&b, 8, BSR_GvEv, X86_RAX, X86_R12), "bsr rax, r12");
    CASE(emit_rr(&b, 4, BSF_GvEv, X86_RAX, X86_RSI), "bsf eax, esi");
    CASE(emit_bswap(&b, 8, X86_R14), "bswap r14");
    CASE(emit_bswap(&b, 4, X86_RDI), "bswap edi");
    CASE(emit_shift_ri(&b, 8, SHIFT_ROL, X86_R9, 13), "rol r9, 0xd");
    CASE(emit_xr(&b, 4, GRP2_EvCL, SHIFT_ROR, X86_RBX), "ror ebx, cl");
}

Test(x86_emit, sse_memory_and_fma)
{
    CASE(emit_pfx_rm(&b, 4, MOVSD_VxWx, 3, x86_mem_at(X86_RSP, 8)), "movsd xmm3, qword ptr [rsp + 8]");
    CASE(emit_pfx_rm(&b, 4, MOVSS_WxVx, 12, x86_mem_at(X86_R15, 0x100)), "movss dword ptr [r15 + 0x100], xmm12");
    CASE(emit_pfx_rm(&b, 4, MOVSD_WxVx, 0, x86_mem_at(X86_R13, 0)), "movsd qword ptr [r13], xmm0");
    CASE(emit_pfx_rm(&b, 4, MOVSS_VxWx, 15, x86_mem_at(X86_R12, -4)), "movss xmm15, dword ptr [r12 - 4]");
    CASE(emit_pfx_rm(&b, 4, ADDSD_VxWx, 9, x86_mem_at(X86_RSP, 0x7f8)), "addsd xmm9, qword ptr [rsp + 0x7f8]");
    CASE(emit_pfx_rm(&b, 4, UCOMISS_VxWx, 1, x86_mem_at(X86_RBP, 0)), "ucomiss xmm1, dword ptr [rbp]");
    CASE(emit_pfx_rm(&b, 8, CVTTSD2SI_GyWx, X86_R10, x86_mem_at(X86_RSP, 16)), "cvttsd2si r10, qword ptr [rsp + 0x10]");
    CASE(emit_pfx_rm(&b, 4, CVTSI2SS_VxEy, 2, x86_mem_at(X86_RSP, 0)), "cvtsi2ss xmm2, dword ptr [rsp]");
    CASE(emit_pfx_rm(&b, 8, POPCNT_GvEv, X86_RBX, x86_mem_at(X86_RSP, 24)), "popcnt rbx, qword ptr [rsp + 0x18]");
    CASE(emit_ldmxcsr(&b, x86_mem_at(X86_RSP, 0x708)), "ldmxcsr dword ptr [rsp + 0x708]");
    CASE(emit_stmxcsr(&b, x86_mem_at(X86_RSP, 4)), "stmxcsr dword ptr [rsp + 4]");
    CASE(emit_vfmadd231_rr(&b, 8, 15, 14, 3), "vfmadd231sd xmm15, xmm14, xmm3");
    CASE(emit_vfmadd231_rr(&b, 4, 1, 2, 13), "vfmadd231ss xmm1, xmm2, xmm13");
    CASE(emit_vfmadd231_rr(&b, 8, 9, 0, 0), "vfmadd231sd xmm9, xmm0, xmm0");
    CASE(emit_vfmadd231_rm(&b, 8, 15, 7, x86_mem_at(X86_RSP, 0x20)), "vfmadd231sd xmm15, xmm7, qword ptr [rsp + 0x20]");
    CASE(emit_vfmadd231_rm(&b, 4, 4, 11, x86_mem_at(X86_R12, 0)), "vfmadd231ss xmm4, xmm11, dword ptr [r12]");
    CASE({ size_t j = emit_jcc32_fwd(&b, X86_CC_P); emit_ret(&b); x86_bind32(&b, j); },
         "jp 0x1007; ret");
    CASE({ size_t j = emit_jmp32_fwd(&b); x86_bind32(&b, j); }, "jmp 0x1005");
}

Test(x86_emit, overflow_is_recorded)
{
    uint8_t small[4] = {0xcc, 0xcc, 0xcc, 0xcc};
    uint8_t guard = 0xcc;
    x86_buf s = x86_buf_init(small, 3);
    emit_mov_ri(&s, X86_RAX, 0x123456789); /* 10 bytes */
    cr_expect(s.overflow);
    cr_expect_eq(s.len, 10);
    cr_expect_eq(small[3], 0xcc, "nothing written past cap");
    cr_expect_eq(guard, 0xcc);
}

/* What the NZCV flags and v128 lowering use. */
Test(x86_emit, flags_and_v128_forms)
{
    CASE(emit_rr(&b, 8, ADC_GvEv, X86_RCX, X86_R9), "adc rcx, r9");
    CASE(emit_rr(&b, 4, SBB_GvEv, X86_RCX, X86_RSI), "sbb ecx, esi");
    CASE(emit_ri(&b, 8, ALU_ADC, X86_RCX, -1), "adc rcx, -1");
    CASE(emit_ri(&b, 4, ALU_SBB, X86_RCX, 0x12345), "sbb ecx, 0x12345");
    CASE(emit_rm(&b, 8, SBB_GvEv, X86_RCX, x86_mem_at(X86_RSP, 16)), "sbb rcx, qword ptr [rsp + 0x10]");
    CASE(emit_bt_ri(&b, 4, X86_R8, 0), "bt r8d, 0");
    CASE(emit_bt_mi(&b, 4, x86_mem_at(X86_RSP, 24), 0), "bt dword ptr [rsp + 0x18], 0");
    CASE(emit_ri(&b, 1, ALU_ADD, X86_RAX, 0x7f), "add al, 0x7f");
    CASE((emit_u8(&b, LAHF), emit_u8(&b, SAHF), emit_u8(&b, CMC), emit_u8(&b, STC), emit_u8(&b, CLC),
          emit_u8(&b, PUSHFQ), emit_u8(&b, POPFQ)),
         "lahf; sahf; cmc; stc; clc; pushfq; popfq");
    CASE(emit_rr(&b, 4, MOVZX_GvEw, X86_R10, X86_RAX), "movzx r10d, ax");
    CASE(emit_rr(&b, 1, OR_GbEb, X86_RCX, X86_RAX), "or cl, al");
    CASE(emit_pfx_rm(&b, 4, MOVUPS_VxWx, 9, x86_mem_at(X86_R15, 0x200)), "movups xmm9, xmmword ptr [r15 + 0x200]");
    CASE(emit_pfx_rm(&b, 4, MOVUPS_WxVx, 3, x86_mem_at(X86_RSP, 8)), "movups xmmword ptr [rsp + 8], xmm3");
}

/* The SSE2 / SSSE3 / SSE4.1 integer forms of the vector lowering. */
Test(x86_emit, sse_integer_vector_forms)
{
    static const struct { uint32_t op; const char *name; } ops[] = {
        {PADDB_VxWx, "paddb"}, {PADDW_VxWx, "paddw"}, {PADDD_VxWx, "paddd"},
        {PADDQ_VxWx, "paddq"}, {PSUBB_VxWx, "psubb"}, {PSUBW_VxWx, "psubw"},
        {PSUBD_VxWx, "psubd"}, {PSUBQ_VxWx, "psubq"}, {PMULLW_VxWx, "pmullw"},
        {PMULUDQ_VxWx, "pmuludq"}, {PAND_VxWx, "pand"}, {PANDN_VxWx, "pandn"},
        {POR_VxWx, "por"}, {PXOR_VxWx, "pxor"}, {PCMPEQB_VxWx, "pcmpeqb"},
        {PCMPEQW_VxWx, "pcmpeqw"}, {PCMPEQD_VxWx, "pcmpeqd"}, {PCMPGTB_VxWx, "pcmpgtb"},
        {PCMPGTW_VxWx, "pcmpgtw"}, {PCMPGTD_VxWx, "pcmpgtd"}, {PADDSB_VxWx, "paddsb"},
        {PADDSW_VxWx, "paddsw"}, {PADDUSB_VxWx, "paddusb"}, {PADDUSW_VxWx, "paddusw"},
        {PSUBSB_VxWx, "psubsb"}, {PSUBSW_VxWx, "psubsw"}, {PSUBUSB_VxWx, "psubusb"},
        {PSUBUSW_VxWx, "psubusw"}, {PMINUB_VxWx, "pminub"}, {PMAXUB_VxWx, "pmaxub"},
        {PMINSW_VxWx, "pminsw"}, {PMAXSW_VxWx, "pmaxsw"}, {PUNPCKLBW_VxWx, "punpcklbw"},
        {PUNPCKLWD_VxWx, "punpcklwd"}, {PUNPCKLDQ_VxWx, "punpckldq"},
        {PUNPCKLQDQ_VxWx, "punpcklqdq"}, {PUNPCKHBW_VxWx, "punpckhbw"},
        {PUNPCKHWD_VxWx, "punpckhwd"}, {PUNPCKHDQ_VxWx, "punpckhdq"},
        {PUNPCKHQDQ_VxWx, "punpckhqdq"}, {PACKSSWB_VxWx, "packsswb"},
        {PACKUSWB_VxWx, "packuswb"}, {PACKSSDW_VxWx, "packssdw"}, {PSADBW_VxWx, "psadbw"},
        {MOVDQA_VxWx, "movdqa"}, {MOVQ_VxWx, "movq"}, {PSHUFB_VxWx, "pshufb"},
        {PMULLD_VxWx, "pmulld"}, {PMINSB_VxWx, "pminsb"}, {PMINSD_VxWx, "pminsd"},
        {PMINUW_VxWx, "pminuw"}, {PMINUD_VxWx, "pminud"}, {PMAXSB_VxWx, "pmaxsb"},
        {PMAXSD_VxWx, "pmaxsd"}, {PMAXUW_VxWx, "pmaxuw"}, {PMAXUD_VxWx, "pmaxud"},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        char want[64];
        snprintf(want, sizeof want, "%s xmm%zu, xmm%zu", ops[k].name, k % 16, (k * 7 + 3) % 16);
        CASE(emit_pfx_rr(&b, 4, ops[k].op, (int)(k % 16), (int)((k * 7 + 3) % 16)), want);
    }
    CASE(emit_pfx_rm(&b, 4, PADDD_VxWx, 12, x86_mem_at(X86_RSP, 32)),
         "paddd xmm12, xmmword ptr [rsp + 0x20]");
    CASE(emit_pfx_rm(&b, 4, PSHUFB_VxWx, 2, x86_mem_at(X86_R13, 0)),
         "pshufb xmm2, xmmword ptr [r13]");
    CASE(emit_pfx_rr(&b, 4, MOVDQA_WxVx, 9, 1), "movdqa xmm1, xmm9");
}

Test(x86_emit, sse_imm8_vector_forms)
{
    CASE(emit_pfx_rri(&b, PSHUFD_VxWxIb, 1, 2, 0x1b), "pshufd xmm1, xmm2, 0x1b");
    CASE(emit_pfx_rri(&b, PSHUFLW_VxWxIb, 9, 13, 0xb1), "pshuflw xmm9, xmm13, 0xb1");
    CASE(emit_pfx_rri(&b, PSHUFHW_VxWxIb, 15, 0, 0), "pshufhw xmm15, xmm0, 0");
    CASE(emit_pfx_rri(&b, SHUFPS_VxWxIb, 3, 11, 0x88), "shufps xmm3, xmm11, 0x88");
    CASE(emit_pfx_rri(&b, PEXTRW_GdUxIb, X86_RAX, 3, 5), "pextrw eax, xmm3, 5");
    CASE(emit_pfx_rri(&b, PEXTRW_GdUxIb, X86_R11, 14, 7), "pextrw r11d, xmm14, 7");
    CASE(emit_pfx_rri(&b, PINSRW_VxEdIb, 13, X86_RCX, 2), "pinsrw xmm13, ecx, 2");
    CASE(emit_pfx_rri(&b, PINSRW_VxEdIb, 4, X86_R9, 6), "pinsrw xmm4, r9d, 6");
    CASE(emit_pfx_rmi(&b, PSHUFD_VxWxIb, 1, x86_mem_at(X86_RSP, 32), 0x4e),
         "pshufd xmm1, xmmword ptr [rsp + 0x20], 0x4e");
    CASE(emit_pfx_rmi(&b, SHUFPS_VxWxIb, 8, x86_mem_at(X86_RSP, 0x400), 0xdd),
         "shufps xmm8, xmmword ptr [rsp + 0x400], 0xdd");
    CASE(emit_pfx_rri(&b, PSHW_UxIb, PSH_SRL, 4, 8), "psrlw xmm4, 8");
    CASE(emit_pfx_rri(&b, PSHW_UxIb, PSH_SRA, 12, 15), "psraw xmm12, 0xf");
    CASE(emit_pfx_rri(&b, PSHW_UxIb, PSH_SLL, 0, 1), "psllw xmm0, 1");
    CASE(emit_pfx_rri(&b, PSHD_UxIb, PSH_SRL, 15, 31), "psrld xmm15, 0x1f");
    CASE(emit_pfx_rri(&b, PSHD_UxIb, PSH_SRA, 14, 16), "psrad xmm14, 0x10");
    CASE(emit_pfx_rri(&b, PSHD_UxIb, PSH_SLL, 7, 3), "pslld xmm7, 3");
    CASE(emit_pfx_rri(&b, PSHQ_UxIb, PSH_SRL, 9, 32), "psrlq xmm9, 0x20");
    CASE(emit_pfx_rri(&b, PSHQ_UxIb, PSH_SLL, 1, 63), "psllq xmm1, 0x3f");
    CASE(emit_pfx_rri(&b, PSHQ_UxIb, PSH_SRLDQ, 13, 8), "psrldq xmm13, 8");
    CASE(emit_pfx_rri(&b, PSHQ_UxIb, PSH_SLLDQ, 2, 15), "pslldq xmm2, 0xf");
}
