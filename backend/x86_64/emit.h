/* The x86-64 encoder: one static inline function per operand shape, each
 * writing into a bounds-checked x86_buf.  Opcodes are named in the Intel
 * manual's operand notation; the 0x66 / REX prefixes are built only in
 * emit_prefix().  A write past cap is not made: it sets overflow instead
 * (len keeps counting so the caller learns how much it needed).
 *
 *   x86_buf b = x86_buf_init(code, sizeof code);
 *   emit_rr(&b, 8, ADD_GvEv, X86_RAX, X86_R9);          // add rax, r9
 *   emit_rm(&b, 4, MOV_GvEv, X86_ECX, x86_mem(X86_RSP, 16));
 */
#ifndef FERRY_X86_EMIT_H
#define FERRY_X86_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct x86_buf {
    uint8_t *p;
    size_t len, cap;
    bool overflow;
} x86_buf;

static inline x86_buf x86_buf_init(uint8_t *p, size_t cap)
{
    return (x86_buf){.p = p, .cap = cap};
}

enum {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
    X86_RIP = 16, /* only as an x86_mem base: [rip + disp32] */
    X86_ABS = 17, /* only as an x86_mem base: none, [disp32] or [index * scale + disp32] */
    X86_ECX = X86_RCX,
};

/* Condition codes (the low nibble of Jcc / SETcc / CMOVcc). */
enum {
    X86_CC_O, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
    X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
};

/* Opcodes, one to three bytes (0x0fxx = two-byte map). */
enum {
    ADD_EvGv = 0x01, ADD_GvEv = 0x03, OR_GbEb = 0x0a, OR_GvEv = 0x0b, ADC_GvEv = 0x13, SBB_GvEv = 0x1b,
    AND_GvEv = 0x23,
    SUB_GvEv = 0x2b, XOR_GvEv = 0x33, CMP_EbGb = 0x38, CMP_EvGv = 0x39,
    CMP_GvEv = 0x3b, MOVSXD_GvEd = 0x63, IMUL_GvEvIz = 0x69, IMUL_GvEvIb = 0x6b,
    TEST_EvGv = 0x85, XCHG_EbGb = 0x86, XCHG_EvGv = 0x87, MOV_EbGb = 0x88,
    MOV_EvGv = 0x89, MOV_GvEv = 0x8b, LEA_GvM = 0x8d,
    GRP1_EbIb = 0x80, GRP1_EvIz = 0x81, GRP1_EvIb = 0x83,
    GRP2_EvIb = 0xc1, GRP2_EvCL = 0xd3, MOV_EbIb = 0xc6, MOV_EvIz = 0xc7,
    GRP3_Ev = 0xf7, GRP5_Ev = 0xff,
    CMOVcc_GvEv = 0x0f40, Jcc_Jz = 0x0f80, SETcc_Eb = 0x0f90,
    IMUL_GvEv = 0x0faf, CMPXCHG_EbGb = 0x0fb0, CMPXCHG_EvGv = 0x0fb1,
    MOVZX_GvEb = 0x0fb6, MOVZX_GvEw = 0x0fb7, MOVSX_GvEb = 0x0fbe, MOVSX_GvEw = 0x0fbf,
    XADD_EbGb = 0x0fc0, XADD_EvGv = 0x0fc1,
    Jcc_Jb = 0x70, JMP_Jz = 0xe9, JMP_Jb = 0xeb, MOV_ZvIv = 0xb8,
    PUSH_Iz = 0x68, RET_Iw = 0xc2, CALL_Jz = 0xe8,
};

/* ModRM.reg extensions of the group opcodes. */
enum { ALU_ADD = 0, ALU_OR = 1, ALU_ADC = 2, ALU_SBB = 3, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6,
       ALU_CMP = 7 };
enum { SHIFT_SHL = 4, SHIFT_SHR = 5, SHIFT_SAR = 7 };
enum { G3_TEST = 0, G3_NOT = 2, G3_NEG = 3, G3_MUL = 4, G3_IMUL = 5, G3_DIV = 6, G3_IDIV = 7 };
enum { G5_CALL = 2, G5_JMP = 4 };
enum { SHIFT_ROL = 0, SHIFT_ROR = 1 };
enum { G15_LDMXCSR = 2, G15_STMXCSR = 3 };
enum { GRP8_EvIb = 0x0fba, G8_BT = 4 };

/* One-byte instructions without operands (emit_u8 them). */
enum { PUSHFQ = 0x9c, POPFQ = 0x9d, SAHF = 0x9e, LAHF = 0x9f, CMC = 0xf5, CLC = 0xf8, STC = 0xf9 };

/* Bit scans without a mandatory prefix (plain emit_rr / emit_rm). */
enum { BSF_GvEv = 0x0fbc, BSR_GvEv = 0x0fbd, GRP15_M = 0x0fae };

/* SSE and other prefixed opcodes: the mandatory prefix (none, 0x66, 0xf2,
 * 0xf3) in bits 24..31, then the opcode with its escape bytes (0x0fxx or
 * 0x0f38xx / 0x0f3axx).  Vx/Wx name an xmm register / xmm-or-memory operand as in the
 * Intel manual; Gy/Ey a 32- or 64-bit GPR (REX.W by the size argument). */
#define X86_PFX(p, op) ((uint32_t)(p) << 24 | (uint32_t)(op))
enum {
    MOVSD_VxWx = X86_PFX(0xf2, 0x0f10), MOVSD_WxVx = X86_PFX(0xf2, 0x0f11),
    MOVSS_VxWx = X86_PFX(0xf3, 0x0f10), MOVSS_WxVx = X86_PFX(0xf3, 0x0f11),
    MOVAPS_VxWx = X86_PFX(0, 0x0f28),
    MOVUPS_VxWx = X86_PFX(0, 0x0f10), MOVUPS_WxVx = X86_PFX(0, 0x0f11),
    SQRTSD_VxWx = X86_PFX(0xf2, 0x0f51), SQRTSS_VxWx = X86_PFX(0xf3, 0x0f51),
    ANDPS_VxWx = X86_PFX(0, 0x0f54), ANDNPS_VxWx = X86_PFX(0, 0x0f55),
    ORPS_VxWx = X86_PFX(0, 0x0f56), XORPS_VxWx = X86_PFX(0, 0x0f57),
    ADDSD_VxWx = X86_PFX(0xf2, 0x0f58), MULSD_VxWx = X86_PFX(0xf2, 0x0f59),
    SUBSD_VxWx = X86_PFX(0xf2, 0x0f5c), MINSD_VxWx = X86_PFX(0xf2, 0x0f5d),
    DIVSD_VxWx = X86_PFX(0xf2, 0x0f5e), MAXSD_VxWx = X86_PFX(0xf2, 0x0f5f),
    ADDSS_VxWx = X86_PFX(0xf3, 0x0f58), MULSS_VxWx = X86_PFX(0xf3, 0x0f59),
    SUBSS_VxWx = X86_PFX(0xf3, 0x0f5c), MINSS_VxWx = X86_PFX(0xf3, 0x0f5d),
    DIVSS_VxWx = X86_PFX(0xf3, 0x0f5e), MAXSS_VxWx = X86_PFX(0xf3, 0x0f5f),
    CVTSD2SS_VxWx = X86_PFX(0xf2, 0x0f5a), CVTSS2SD_VxWx = X86_PFX(0xf3, 0x0f5a),
    CVTSI2SD_VxEy = X86_PFX(0xf2, 0x0f2a), CVTSI2SS_VxEy = X86_PFX(0xf3, 0x0f2a),
    CVTTSD2SI_GyWx = X86_PFX(0xf2, 0x0f2c), CVTTSS2SI_GyWx = X86_PFX(0xf3, 0x0f2c),
    CVTSD2SI_GyWx = X86_PFX(0xf2, 0x0f2d), CVTSS2SI_GyWx = X86_PFX(0xf3, 0x0f2d),
    UCOMISD_VxWx = X86_PFX(0x66, 0x0f2e), COMISD_VxWx = X86_PFX(0x66, 0x0f2f),
    UCOMISS_VxWx = X86_PFX(0, 0x0f2e), COMISS_VxWx = X86_PFX(0, 0x0f2f),
    MOVD_VxEy = X86_PFX(0x66, 0x0f6e), MOVD_EyVx = X86_PFX(0x66, 0x0f7e),
    POPCNT_GvEv = X86_PFX(0xf3, 0x0fb8), TZCNT_GvEv = X86_PFX(0xf3, 0x0fbc),
    LZCNT_GvEv = X86_PFX(0xf3, 0x0fbd),
};

/* SSE2 integer ops on xmm registers (the 128-bit vector lowering), then
 * SSSE3 (pshufb) and SSE4.1 ones, which need x86_cpu's checks.  Ux: an xmm
 * register only; Ib: an imm8 follows (emit_pfx_rri). */
enum {
    PADDB_VxWx = X86_PFX(0x66, 0x0ffc), PADDW_VxWx = X86_PFX(0x66, 0x0ffd),
    PADDD_VxWx = X86_PFX(0x66, 0x0ffe), PADDQ_VxWx = X86_PFX(0x66, 0x0fd4),
    PSUBB_VxWx = X86_PFX(0x66, 0x0ff8), PSUBW_VxWx = X86_PFX(0x66, 0x0ff9),
    PSUBD_VxWx = X86_PFX(0x66, 0x0ffa), PSUBQ_VxWx = X86_PFX(0x66, 0x0ffb),
    PMULLW_VxWx = X86_PFX(0x66, 0x0fd5), PMULUDQ_VxWx = X86_PFX(0x66, 0x0ff4),
    PAND_VxWx = X86_PFX(0x66, 0x0fdb), PANDN_VxWx = X86_PFX(0x66, 0x0fdf),
    POR_VxWx = X86_PFX(0x66, 0x0feb), PXOR_VxWx = X86_PFX(0x66, 0x0fef),
    PCMPEQB_VxWx = X86_PFX(0x66, 0x0f74), PCMPEQW_VxWx = X86_PFX(0x66, 0x0f75),
    PCMPEQD_VxWx = X86_PFX(0x66, 0x0f76),
    PCMPGTB_VxWx = X86_PFX(0x66, 0x0f64), PCMPGTW_VxWx = X86_PFX(0x66, 0x0f65),
    PCMPGTD_VxWx = X86_PFX(0x66, 0x0f66),
    PADDSB_VxWx = X86_PFX(0x66, 0x0fec), PADDSW_VxWx = X86_PFX(0x66, 0x0fed),
    PADDUSB_VxWx = X86_PFX(0x66, 0x0fdc), PADDUSW_VxWx = X86_PFX(0x66, 0x0fdd),
    PSUBSB_VxWx = X86_PFX(0x66, 0x0fe8), PSUBSW_VxWx = X86_PFX(0x66, 0x0fe9),
    PSUBUSB_VxWx = X86_PFX(0x66, 0x0fd8), PSUBUSW_VxWx = X86_PFX(0x66, 0x0fd9),
    PMINUB_VxWx = X86_PFX(0x66, 0x0fda), PMAXUB_VxWx = X86_PFX(0x66, 0x0fde),
    PMINSW_VxWx = X86_PFX(0x66, 0x0fea), PMAXSW_VxWx = X86_PFX(0x66, 0x0fee),
    PUNPCKLBW_VxWx = X86_PFX(0x66, 0x0f60), PUNPCKLWD_VxWx = X86_PFX(0x66, 0x0f61),
    PUNPCKLDQ_VxWx = X86_PFX(0x66, 0x0f62), PUNPCKLQDQ_VxWx = X86_PFX(0x66, 0x0f6c),
    PUNPCKHBW_VxWx = X86_PFX(0x66, 0x0f68), PUNPCKHWD_VxWx = X86_PFX(0x66, 0x0f69),
    PUNPCKHDQ_VxWx = X86_PFX(0x66, 0x0f6a), PUNPCKHQDQ_VxWx = X86_PFX(0x66, 0x0f6d),
    PACKSSWB_VxWx = X86_PFX(0x66, 0x0f63), PACKUSWB_VxWx = X86_PFX(0x66, 0x0f67),
    PACKSSDW_VxWx = X86_PFX(0x66, 0x0f6b), PSADBW_VxWx = X86_PFX(0x66, 0x0ff6),
    PSHUFD_VxWxIb = X86_PFX(0x66, 0x0f70), PSHUFLW_VxWxIb = X86_PFX(0xf2, 0x0f70),
    PSHUFHW_VxWxIb = X86_PFX(0xf3, 0x0f70), SHUFPS_VxWxIb = X86_PFX(0, 0x0fc6),
    PEXTRW_GdUxIb = X86_PFX(0x66, 0x0fc5), PINSRW_VxEdIb = X86_PFX(0x66, 0x0fc4),
    MOVDQA_VxWx = X86_PFX(0x66, 0x0f6f), MOVDQA_WxVx = X86_PFX(0x66, 0x0f7f),
    MOVQ_VxWx = X86_PFX(0xf3, 0x0f7e), /* the low qword; the high one cleared */
    MOVHPS_VxM = X86_PFX(0, 0x0f16),   /* the high qword from memory */
    /* shifts by imm8: ModRM.reg is a PSH_* extension */
    PSHW_UxIb = X86_PFX(0x66, 0x0f71), PSHD_UxIb = X86_PFX(0x66, 0x0f72),
    PSHQ_UxIb = X86_PFX(0x66, 0x0f73),
    PSHUFB_VxWx = X86_PFX(0x66, 0x0f3800),
    PMULLD_VxWx = X86_PFX(0x66, 0x0f3840),
    PMINSB_VxWx = X86_PFX(0x66, 0x0f3838), PMINSD_VxWx = X86_PFX(0x66, 0x0f3839),
    PMINUW_VxWx = X86_PFX(0x66, 0x0f383a), PMINUD_VxWx = X86_PFX(0x66, 0x0f383b),
    PMAXSB_VxWx = X86_PFX(0x66, 0x0f383c), PMAXSD_VxWx = X86_PFX(0x66, 0x0f383d),
    PMAXUW_VxWx = X86_PFX(0x66, 0x0f383e), PMAXUD_VxWx = X86_PFX(0x66, 0x0f383f),
};
/* ModRM.reg of PSHW/PSHD/PSHQ: psrl, psra, psll; psrldq / pslldq shift
 * whole bytes (PSHQ only). */
enum { PSH_SRL = 2, PSH_SRA = 4, PSH_SLL = 6, PSH_SRLDQ = 3, PSH_SLLDQ = 7 };

/* Size flags beyond the operand size (1, 2, 4, 8): which ModRM field names
 * a byte register, since spl/bpl/sil/dil need a REX prefix to be reached. */
enum { X86_BR = 0x10, X86_BM = 0x20 };

/* A memory operand [base + disp] (base X86_RIP: [rip + disp32]), or
 * [base + index * 2^scale + disp] (index not rsp). */
typedef struct x86_mem {
    int8_t base;
    int8_t index; /* X86_NO_INDEX: none */
    uint8_t scale;
    int32_t disp;
} x86_mem;
#define X86_NO_INDEX (-1)

static inline x86_mem x86_mem_at(int base, int32_t disp)
{
    return (x86_mem){.base = (int8_t)base, .index = X86_NO_INDEX, .disp = disp};
}

static inline x86_mem x86_mem_index(int base, int index, unsigned scale, int32_t disp)
{
    return (x86_mem){.base = (int8_t)base, .index = (int8_t)index, .scale = (uint8_t)scale,
                     .disp = disp};
}

/* The rm argument of emit_prefix (and VEX) for m: its base, and
 * X86_REX_X when the index register needs REX.X. */
#define X86_REX_X 0x100
static inline int x86_mem_rm(x86_mem m)
{
    return m.base | (m.index != X86_NO_INDEX && (m.index & 8) ? X86_REX_X : 0);
}

static inline bool x86_fits8(int64_t v) { return v == (int8_t)v; }
static inline bool x86_fits32(int64_t v) { return v == (int32_t)v; }

static inline void emit_u8(x86_buf *b, uint8_t v)
{
    if (b->len < b->cap)
        b->p[b->len] = v;
    else
        b->overflow = true;
    b->len++;
}

/* x86 is little-endian like its immediates: whole words at once while
 * they fit (translation emits ~300 KB for a dynamic hello) */
static inline void emit_u32(x86_buf *b, uint32_t v)
{
    if (b->len <= b->cap && b->cap - b->len >= 4) {
        memcpy(b->p + b->len, &v, 4);
        b->len += 4;
        return;
    }
    for (int i = 0; i < 4; i++)
        emit_u8(b, (uint8_t)(v >> (8 * i)));
}

static inline void emit_u64(x86_buf *b, uint64_t v)
{
    if (b->len <= b->cap && b->cap - b->len >= 8) {
        memcpy(b->p + b->len, &v, 8);
        b->len += 8;
        return;
    }
    emit_u32(b, (uint32_t)v);
    emit_u32(b, (uint32_t)(v >> 32));
}

/* Rewrite bytes already emitted (labels); ignored where nothing was written. */
static inline void x86_patch8(x86_buf *b, size_t at, uint8_t v)
{
    if (at < b->cap && at < b->len)
        b->p[at] = v;
}

static inline void x86_patch32(x86_buf *b, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x86_patch8(b, at + i, (uint8_t)(v >> (8 * i)));
}

/* The one place prefixes are made: 0x66 for 16-bit, then REX.W/R/B (and a
 * bare REX when a byte operand is spl/bpl/sil/dil). */
static inline void emit_prefix(x86_buf *b, unsigned sz, int r, int rm)
{
    unsigned size = sz & 0xf;
    unsigned rex = (size == 8 ? 8 : 0) | (r & 8 ? 4 : 0) | (rm & 8 && rm != X86_RIP ? 1 : 0) |
                   (rm & X86_REX_X ? 2 : 0);
    if (size == 2)
        emit_u8(b, 0x66);
    if (((sz & X86_BR) && r >= 4 && r < 8) || ((sz & X86_BM) && rm >= 4 && rm < 8))
        rex |= 0x40;
    if (rex)
        emit_u8(b, (uint8_t)(0x40 | rex));
}

static inline void emit_opcode(x86_buf *b, unsigned op)
{
    if (op > 0xff)
        emit_u8(b, (uint8_t)(op >> 8));
    emit_u8(b, (uint8_t)op);
}

static inline void emit_modrm_reg(x86_buf *b, int r, int rm)
{
    emit_u8(b, (uint8_t)(0xc0 | (r & 7) << 3 | (rm & 7)));
}

/* ModRM (+SIB, disp) for [base+disp]: rsp/r12 need a SIB byte, rbp/r13
 * cannot use mod=00 and take a zero disp8. */
static inline void emit_modrm_mem(x86_buf *b, int r, x86_mem m)
{
    if (m.base == X86_RIP) {
        emit_u8(b, (uint8_t)((r & 7) << 3 | 5));
        emit_u32(b, (uint32_t)m.disp);
        return;
    }
    if (m.base == X86_ABS) { /* SIB with no base: [index * scale + disp32], or [disp32] */
        emit_u8(b, (uint8_t)((r & 7) << 3 | 4));
        emit_u8(b, m.index == X86_NO_INDEX ? 0x25
                                           : (uint8_t)(m.scale << 6 | (m.index & 7) << 3 | 5));
        emit_u32(b, (uint32_t)m.disp);
        return;
    }
    int base = m.base & 7;
    int mod = (m.disp == 0 && base != 5) ? 0 : x86_fits8(m.disp) ? 1 : 2;
    if (m.index != X86_NO_INDEX) { /* SIB: scale, index, base */
        emit_u8(b, (uint8_t)(mod << 6 | (r & 7) << 3 | 4));
        emit_u8(b, (uint8_t)(m.scale << 6 | (m.index & 7) << 3 | base));
    } else {
        emit_u8(b, (uint8_t)(mod << 6 | (r & 7) << 3 | base));
        if (base == 4)
            emit_u8(b, 0x24);
    }
    if (mod == 1)
        emit_u8(b, (uint8_t)m.disp);
    else if (mod == 2)
        emit_u32(b, (uint32_t)m.disp);
}

static inline unsigned x86_byteflags(unsigned sz, unsigned flags)
{
    return (sz & 0xf) == 1 ? sz | flags : sz;
}

/* op r, rm        (both registers; size 1: both byte registers) */
static inline void emit_rr(x86_buf *b, unsigned sz, unsigned op, int r, int rm)
{
    emit_prefix(b, x86_byteflags(sz, X86_BR | X86_BM), r, rm);
    emit_opcode(b, op);
    emit_modrm_reg(b, r, rm);
}

/* op r, [base+disp] */
static inline void emit_rm(x86_buf *b, unsigned sz, unsigned op, int r, x86_mem m)
{
    emit_prefix(b, x86_byteflags(sz, X86_BR), r, x86_mem_rm(m));
    emit_opcode(b, op);
    emit_modrm_mem(b, r, m);
}

/* grp rm          (ModRM.reg = ext: neg/not/mul/div rm, shift rm, cl, setcc rm8) */
static inline void emit_xr(x86_buf *b, unsigned sz, unsigned op, int ext, int rm)
{
    emit_prefix(b, x86_byteflags(sz, X86_BM), 0, rm);
    emit_opcode(b, op);
    emit_modrm_reg(b, ext, rm);
}

/* grp [base+disp] */
static inline void emit_xm(x86_buf *b, unsigned sz, unsigned op, int ext, x86_mem m)
{
    emit_prefix(b, sz, 0, x86_mem_rm(m));
    emit_opcode(b, op);
    emit_modrm_mem(b, ext, m);
}

static inline void emit_imm(x86_buf *b, unsigned sz, int64_t imm)
{
    if ((sz & 0xf) == 1) {
        emit_u8(b, (uint8_t)imm);
    } else if ((sz & 0xf) == 2) {
        emit_u8(b, (uint8_t)imm);
        emit_u8(b, (uint8_t)(imm >> 8));
    } else {
        emit_u32(b, (uint32_t)imm);
    }
}

/* alu rm, imm     (83 /ext ib when it fits, else 81 /ext iz; 80 for bytes) */
static inline void emit_ri(x86_buf *b, unsigned sz, int ext, int rm, int64_t imm)
{
    bool short_imm = (sz & 0xf) != 1 && x86_fits8(imm);
    emit_xr(b, sz, (sz & 0xf) == 1 ? GRP1_EbIb : short_imm ? GRP1_EvIb : GRP1_EvIz, ext, rm);
    emit_imm(b, short_imm ? 1 : sz, imm);
}

/* alu [base+disp], imm */
static inline void emit_mi(x86_buf *b, unsigned sz, int ext, x86_mem m, int64_t imm)
{
    bool short_imm = (sz & 0xf) != 1 && x86_fits8(imm);
    emit_xm(b, sz, (sz & 0xf) == 1 ? GRP1_EbIb : short_imm ? GRP1_EvIb : GRP1_EvIz, ext, m);
    emit_imm(b, short_imm ? 1 : sz, imm);
}

/* shl/shr/sar rm, imm8 */
static inline void emit_shift_ri(x86_buf *b, unsigned sz, int ext, int rm, uint8_t count)
{
    emit_xr(b, sz, GRP2_EvIb, ext, rm);
    emit_u8(b, count);
}

/* bt rm, imm8     (CF = bit imm8 of rm) */
static inline void emit_bt_ri(x86_buf *b, unsigned sz, int rm, uint8_t bit)
{
    emit_xr(b, sz, GRP8_EvIb, G8_BT, rm);
    emit_u8(b, bit);
}

/* bt [base+disp], imm8 */
static inline void emit_bt_mi(x86_buf *b, unsigned sz, x86_mem m, uint8_t bit)
{
    emit_xm(b, sz, GRP8_EvIb, G8_BT, m);
    emit_u8(b, bit);
}

/* imul r, rm, imm (imm8 form when it fits) */
static inline void emit_imul_rri(x86_buf *b, unsigned sz, int r, int rm, int32_t imm)
{
    emit_rr(b, sz, x86_fits8(imm) ? IMUL_GvEvIb : IMUL_GvEvIz, r, rm);
    emit_imm(b, x86_fits8(imm) ? 1 : 4, imm);
}

/* imul r, [base+disp], imm */
static inline void emit_imul_rmi(x86_buf *b, unsigned sz, int r, x86_mem m, int32_t imm)
{
    emit_rm(b, sz, x86_fits8(imm) ? IMUL_GvEvIb : IMUL_GvEvIz, r, m);
    emit_imm(b, x86_fits8(imm) ? 1 : 4, imm);
}

/* mov r, imm      (shortest of: mov r32, imm32 / mov r64, simm32 / movabs) */
static inline void emit_mov_ri(x86_buf *b, int r, uint64_t imm)
{
    if (imm <= UINT32_MAX) {
        emit_prefix(b, 4, 0, r);
        emit_u8(b, (uint8_t)(MOV_ZvIv + (r & 7)));
        emit_u32(b, (uint32_t)imm);
    } else if (x86_fits32((int64_t)imm)) {
        emit_xr(b, 8, MOV_EvIz, 0, r);
        emit_u32(b, (uint32_t)imm);
    } else {
        emit_prefix(b, 8, 0, r);
        emit_u8(b, (uint8_t)(MOV_ZvIv + (r & 7)));
        emit_u64(b, imm);
    }
}

/* mov r64, imm64 always in its 10-byte form (a field to patch later) */
static inline void emit_mov_ri64(x86_buf *b, int r, uint64_t imm)
{
    emit_prefix(b, 8, 0, r);
    emit_u8(b, (uint8_t)(MOV_ZvIv + (r & 7)));
    emit_u64(b, imm);
}

/* xor r32, r32    (zero r; clobbers flags) */
static inline void emit_zero(x86_buf *b, int r)
{
    emit_rr(b, 4, XOR_GvEv, r, r);
}

/* mov [base+disp], imm  (size 8: sign-extended imm32) */
static inline void emit_mov_mi(x86_buf *b, unsigned sz, x86_mem m, int64_t imm)
{
    emit_xm(b, sz, (sz & 0xf) == 1 ? MOV_EbIb : MOV_EvIz, 0, m);
    emit_imm(b, sz, imm);
}

/* lock            (prefix of the next instruction) */
static inline void emit_lock(x86_buf *b) { emit_u8(b, 0xf0); }

/* cqo / cdq       (sign-extend rax / eax into rdx / edx) */
static inline void emit_cqo(x86_buf *b, unsigned sz)
{
    if (sz == 8)
        emit_u8(b, 0x48);
    emit_u8(b, 0x99);
}

/* mfence */
static inline void emit_mfence(x86_buf *b)
{
    emit_u8(b, 0x0f);
    emit_u8(b, 0xae);
    emit_u8(b, 0xf0);
}

/* jcc rel8; returns where the displacement byte is, for x86_bind8 */
static inline size_t emit_jcc8(x86_buf *b, int cc)
{
    emit_u8(b, (uint8_t)(Jcc_Jb + cc));
    emit_u8(b, 0);
    return b->len - 1;
}

/* jmp rel8; returns where the displacement byte is */
static inline size_t emit_jmp8(x86_buf *b)
{
    emit_u8(b, JMP_Jb);
    emit_u8(b, 0);
    return b->len - 1;
}

/* Point a rel8 emitted earlier at the current position (a short forward
 * label); false if it is out of reach. */
static inline bool x86_bind8(x86_buf *b, size_t at)
{
    int64_t d = (int64_t)b->len - (int64_t)(at + 1);
    x86_patch8(b, at, (uint8_t)d);
    return x86_fits8(d);
}

/* jcc rel32 */
static inline void emit_jcc32(x86_buf *b, int cc, int32_t rel)
{
    emit_opcode(b, (unsigned)(Jcc_Jz + cc));
    emit_u32(b, (uint32_t)rel);
}

/* One opcode byte and a 32-bit immediate: jmp rel32, call rel32, push imm32. */
static inline void emit_op_imm32(x86_buf *b, uint8_t op, int32_t imm)
{
    emit_u8(b, op);
    emit_u32(b, (uint32_t)imm);
}
static inline void emit_jmp32(x86_buf *b, int32_t rel) { emit_op_imm32(b, JMP_Jz, rel); }
static inline void emit_call32(x86_buf *b, int32_t rel) { emit_op_imm32(b, CALL_Jz, rel); }

/* call r / jmp r */
static inline void emit_call_r(x86_buf *b, int r) { emit_xr(b, 4, GRP5_Ev, G5_CALL, r); }
static inline void emit_jmp_r(x86_buf *b, int r) { emit_xr(b, 4, GRP5_Ev, G5_JMP, r); }
/* jmp qword [base+disp] */
static inline void emit_jmp_m(x86_buf *b, x86_mem m) { emit_xm(b, 4, GRP5_Ev, G5_JMP, m); }

/* push r / pop r / ret */
static inline void emit_push(x86_buf *b, int r)
{
    emit_prefix(b, 4, 0, r);
    emit_u8(b, (uint8_t)(0x50 + (r & 7)));
}

static inline void emit_pop(x86_buf *b, int r)
{
    emit_prefix(b, 4, 0, r);
    emit_u8(b, (uint8_t)(0x58 + (r & 7)));
}

static inline void emit_ret(x86_buf *b) { emit_u8(b, 0xc3); }

/* push imm32 (sign-extended to 64 bits) */
static inline void emit_push_imm(x86_buf *b, int32_t imm) { emit_op_imm32(b, PUSH_Iz, imm); }

/* ret imm16: return, then release imm more bytes of stack */
static inline void emit_ret_imm(x86_buf *b, uint16_t imm)
{
    emit_u8(b, RET_Iw);
    emit_u8(b, (uint8_t)imm);
    emit_u8(b, (uint8_t)(imm >> 8));
}

/* The prefix, REX and escape bytes of a prefixed opcode (sz 8: REX.W). */
static inline void emit_pfx_op(x86_buf *b, unsigned sz, uint32_t op, int r, int rm)
{
    if (op >> 24)
        emit_u8(b, (uint8_t)(op >> 24));
    emit_prefix(b, sz == 8 ? 8 : 4, r, rm);
    if (op & 0xff0000)
        emit_u8(b, (uint8_t)(op >> 16));
    emit_u8(b, (uint8_t)(op >> 8));
    emit_u8(b, (uint8_t)op);
}

/* op r, rm        (SSE / prefixed: addsd xmm1, xmm2; cvtsi2sd xmm, r64; lzcnt r, r) */
static inline void emit_pfx_rr(x86_buf *b, unsigned sz, uint32_t op, int r, int rm)
{
    emit_pfx_op(b, sz, op, r, rm);
    emit_modrm_reg(b, r, rm);
}

/* op r, [base+disp]   (movsd xmm, qword ptr [rsp + 8]; the store forms too) */
static inline void emit_pfx_rm(x86_buf *b, unsigned sz, uint32_t op, int r, x86_mem m)
{
    emit_pfx_op(b, sz, op, r, x86_mem_rm(m));
    emit_modrm_mem(b, r, m);
}

/* op r, rm, imm8   (pshufd xmm1, xmm2, 0x1b; pextrw eax, xmm3, 5; and the
 * shift groups: psrlw xmm4, 8 is emit_pfx_rri(b, PSHW_UxIb, PSH_SRL, 4, 8)) */
static inline void emit_pfx_rri(x86_buf *b, uint32_t op, int r, int rm, uint8_t imm)
{
    emit_pfx_rr(b, 4, op, r, rm);
    emit_u8(b, imm);
}

/* op r, [base+disp], imm8   (pshufd xmm1, xmmword ptr [rsp + 32], 0x4e) */
static inline void emit_pfx_rmi(x86_buf *b, uint32_t op, int r, x86_mem m, uint8_t imm)
{
    emit_pfx_rm(b, 4, op, r, m);
    emit_u8(b, imm);
}

/* The three-byte VEX prefix of a 0F38-map, 66-prefixed, LIG op: vvvv = v. */
static inline void emit_vex66_0f38(x86_buf *b, bool w, int r, int v, int rm)
{
    emit_u8(b, 0xc4);
    emit_u8(b, (uint8_t)((r & 8 ? 0 : 0x80) | (rm & X86_REX_X ? 0 : 0x40) |
                         (rm & 8 && rm != X86_RIP ? 0 : 0x20) | 2));
    emit_u8(b, (uint8_t)((w ? 0x80 : 0) | (~v & 15) << 3 | 1));
}

/* vfmadd231sd/ss r, v, rm     (r = v * rm + r; sz 8: sd) */
static inline void emit_vfmadd231_rr(x86_buf *b, unsigned sz, int r, int v, int rm)
{
    emit_vex66_0f38(b, sz == 8, r, v, rm);
    emit_u8(b, 0xb9);
    emit_modrm_reg(b, r, rm);
}

/* vfmadd231sd/ss r, v, [base+disp] */
static inline void emit_vfmadd231_rm(x86_buf *b, unsigned sz, int r, int v, x86_mem m)
{
    emit_vex66_0f38(b, sz == 8, r, v, x86_mem_rm(m));
    emit_u8(b, 0xb9);
    emit_modrm_mem(b, r, m);
}

/* bswap r */
static inline void emit_bswap(x86_buf *b, unsigned sz, int r)
{
    emit_prefix(b, sz, 0, r);
    emit_u8(b, 0x0f);
    emit_u8(b, (uint8_t)(0xc8 + (r & 7)));
}

/* ldmxcsr / stmxcsr [base+disp] */
static inline void emit_ldmxcsr(x86_buf *b, x86_mem m) { emit_xm(b, 4, GRP15_M, G15_LDMXCSR, m); }
static inline void emit_stmxcsr(x86_buf *b, x86_mem m) { emit_xm(b, 4, GRP15_M, G15_STMXCSR, m); }

/* jcc rel32 / jmp rel32 to be bound later; returns where the rel32 is */
static inline size_t emit_jcc32_fwd(x86_buf *b, int cc)
{
    emit_jcc32(b, cc, 0);
    return b->len - 4;
}

static inline size_t emit_jmp32_fwd(x86_buf *b)
{
    emit_jmp32(b, 0);
    return b->len - 4;
}

/* Point a rel32 emitted earlier at the current position. */
static inline void x86_bind32(x86_buf *b, size_t at)
{
    x86_patch32(b, at, (uint32_t)((int64_t)b->len - (int64_t)(at + 4)));
}

/* nop of n bytes (0..3): one instruction, so the padding decodes cleanly */
static inline void emit_nop(x86_buf *b, unsigned n)
{
    static const uint8_t nops[4][3] = {{0}, {0x90}, {0x66, 0x90}, {0x0f, 0x1f, 0x00}};
    for (unsigned i = 0; i < n; i++)
        emit_u8(b, nops[n][i]);
}

#endif
