/* Internal to the vector lowering (lower_vec.c, lower_vperm.c): the view
 * of one vector op being lowered and the SSE moves its sequences share.
 *
 * Register discipline: v128 operands are read-only xmm registers or
 * 16-byte aligned slots (regalloc aligns them), usable as any SSE source.
 * An op computes into its work register w, which aliases no operand (the
 * result's own register, else XS1; see vx_begin), with XS0 and XS2 free
 * as temporaries, so a sequence may read its operands at any point.
 */
#ifndef FERRY_X86_LOWER_VEC_H
#define FERRY_X86_LOWER_VEC_H

#include "backend/x86_64/lower_opnd.h"

typedef struct vx {
    lw_ctx *c;
    x86_buf *e;
    const ir_insn *in;
    ir_val i;
    x86_opnd a[3]; /* v128 operands (xmm numbers); others as lw_opnd gives them */
    int w;         /* the work register */
    unsigned lanes; /* aux: the lane size's log2 */
} vx;

typedef void vx_fn(vx *v);

enum { VX_T0 = X86_XS0, VX_T1 = X86_XS2 };

static inline x86_opnd vx_r(int x) { return lw_opnd_reg(x); }

/* op r, o   (o an xmm register or aligned memory) */
static inline void vx_op(vx *v, uint32_t op, int r, x86_opnd o)
{
    if (o.kind == OPND_REG)
        emit_pfx_rr(v->e, 4, op, r, o.reg);
    else
        emit_pfx_rm(v->e, 4, op, r, o.mem);
}

/* op r, o, imm8 */
static inline void vx_opi(vx *v, uint32_t op, int r, x86_opnd o, uint8_t imm)
{
    if (o.kind == OPND_REG)
        emit_pfx_rri(v->e, op, r, o.reg, imm);
    else
        emit_pfx_rmi(v->e, op, r, o.mem, imm);
}

/* movaps r, o (nothing if o is r) */
static inline void vx_mov(vx *v, int r, x86_opnd o)
{
    if (o.kind != OPND_REG || o.reg != r)
        vx_op(v, MOVAPS_VxWx, r, o);
}

/* psll/psrl/psra r, n on lanes of 2^lanes bytes (1..3); PSH_SRLDQ and
 * PSH_SLLDQ shift the whole register by n bytes */
static inline void vx_shift(vx *v, int ext, unsigned lanes, int r, unsigned n)
{
    static const uint32_t grp[4] = {0, PSHW_UxIb, PSHD_UxIb, PSHQ_UxIb};
    bool bytes = ext == PSH_SRLDQ || ext == PSH_SLLDQ;
    emit_pfx_rri(v->e, grp[bytes ? 3 : lanes], ext, r, (uint8_t)n);
}

/* x replicated from its low 8 << lanes bits to all 64 */
static inline uint64_t vx_rep(uint64_t x, unsigned lanes)
{
    for (unsigned b = 8u << lanes; b < 64; b *= 2)
        x = (x & ((UINT64_C(1) << b) - 1)) * (1 + (UINT64_C(1) << b));
    return x;
}

/* r = the 64-bit pattern pat in both halves (through rax) */
void vx_splat(vx *v, int r, uint64_t pat);
/* r = the low qword from GPR g (sz 8) or its low dword (sz 4), the rest 0 */
void vx_from_gpr(vx *v, int r, int g, unsigned sz);

/* lower_vperm.c: permutes, lane moves, widening and narrowing, reductions */
vx_fn vx_zip, vx_uzp, vx_trn, vx_ext, vx_tbl, vx_rev, vx_widen, vx_narrow, vx_dup;
vx_fn vx_extract, vx_insert, vx_addp, vx_reduce;
/* out = uzp1 (odd 0) or uzp2 (odd 1) of the operands, using tmp */
void vx_uzp_into(vx *v, int out, int tmp, bool odd);
/* r = op(r, o) for a VMINS..VMAXU op at v->lanes, o read once; false if
 * the host has no single instruction for it */
bool vx_minmax_direct(vx *v, ir_op op, int r, x86_opnd o);

#endif
