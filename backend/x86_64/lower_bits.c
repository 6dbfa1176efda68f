/* Lowering of the bit-counting ops and byte swap: lzcnt/tzcnt/popcnt when
 * the CPU has them (x86_cpu), else bsr/bsf with the width for zero and a
 * SWAR popcount.  Rotates are in lower_alu.c with the shifts.
 */
#include "backend/x86_64/lower_opnd.h"

/* The operand as a register or memory (constants go through rax). */
static x86_opnd rm_opnd(lw_ctx *c, unsigned sz, ir_val v)
{
    x86_opnd o = lw_opnd(c, v);
    if (o.kind != OPND_IMM)
        return o;
    lw_mov(c, sz, X86_RAX, o, false);
    return lw_opnd_reg(X86_RAX);
}

/* op r, o for plain (bsr) or prefixed (lzcnt) opcodes */
static void op_r_o(lw_ctx *c, unsigned sz, uint32_t op, int r, x86_opnd o)
{
    if (op >> 24 && o.kind == OPND_REG)
        emit_pfx_rr(&c->buf, sz, op, r, o.reg);
    else if (op >> 24)
        emit_pfx_rm(&c->buf, sz, op, r, o.mem);
    else if (o.kind == OPND_REG)
        emit_rr(&c->buf, sz, op, r, o.reg);
    else
        emit_rm(&c->buf, sz, op, r, o.mem);
}

/* rax = popcount(rax) at sz bytes: bits summed in pairs, nibbles, bytes */
static void swar_popcnt(lw_ctx *c, unsigned sz)
{
    static const uint64_t k[4] = {0x5555555555555555ULL, 0x3333333333333333ULL,
                                  0x0f0f0f0f0f0f0f0fULL, 0x0101010101010101ULL};
    x86_buf *e = &c->buf;
    uint64_t m = sz == 8 ? UINT64_MAX : UINT32_MAX;
    emit_rr(e, sz, MOV_GvEv, X86_RCX, X86_RAX);
    emit_shift_ri(e, sz, SHIFT_SHR, X86_RCX, 1);
    emit_mov_ri(e, X86_RDX, k[0] & m);
    emit_rr(e, sz, AND_GvEv, X86_RCX, X86_RDX);
    emit_rr(e, sz, SUB_GvEv, X86_RAX, X86_RCX);
    emit_mov_ri(e, X86_RDX, k[1] & m);
    emit_rr(e, sz, MOV_GvEv, X86_RCX, X86_RAX);
    emit_shift_ri(e, sz, SHIFT_SHR, X86_RCX, 2);
    emit_rr(e, sz, AND_GvEv, X86_RCX, X86_RDX);
    emit_rr(e, sz, AND_GvEv, X86_RAX, X86_RDX);
    emit_rr(e, sz, ADD_GvEv, X86_RAX, X86_RCX);
    emit_rr(e, sz, MOV_GvEv, X86_RCX, X86_RAX);
    emit_shift_ri(e, sz, SHIFT_SHR, X86_RCX, 4);
    emit_rr(e, sz, ADD_GvEv, X86_RAX, X86_RCX);
    emit_mov_ri(e, X86_RDX, k[2] & m);
    emit_rr(e, sz, AND_GvEv, X86_RAX, X86_RDX);
    emit_mov_ri(e, X86_RDX, k[3] & m);
    emit_rr(e, sz, IMUL_GvEv, X86_RAX, X86_RDX);
    emit_shift_ri(e, sz, SHIFT_SHR, X86_RAX, (uint8_t)(8 * sz - 8));
}

void lw_bitcount(lw_ctx *c, ir_val i, const ir_insn *in)
{
    unsigned sz = lw_size(in->type), w = 8 * sz;
    x86_buf *e = &c->buf;
    int d = lw_dst(c, i);
    x86_opnd o = rm_opnd(c, sz, in->a[0]);
    bool fast = in->op == IR_CLZ ? x86_cpu.lzcnt : in->op == IR_CTZ ? x86_cpu.tzcnt : x86_cpu.popcnt;
    if (fast) {
        op_r_o(c, sz, in->op == IR_CLZ ? LZCNT_GvEv : in->op == IR_CTZ ? TZCNT_GvEv : POPCNT_GvEv, d, o);
    } else if (in->op == IR_POPCNT) {
        lw_mov(c, sz, X86_RAX, o, false);
        swar_popcnt(c, sz);
        emit_rr(e, sz, MOV_GvEv, d, X86_RAX);
    } else {
        /* bsr/bsf set ZF for zero (and leave the result undefined) */
        bool clz = in->op == IR_CLZ;
        op_r_o(c, sz, clz ? BSR_GvEv : BSF_GvEv, X86_RAX, o);
        emit_mov_ri(e, X86_RCX, clz ? (uint64_t)-1 : w);
        emit_rr(e, 8, CMOVcc_GvEv + X86_CC_E, X86_RAX, X86_RCX);
        if (clz) {
            emit_mov_ri(e, d, w - 1);
            emit_rr(e, sz, SUB_GvEv, d, X86_RAX);
        } else {
            emit_rr(e, sz, MOV_GvEv, d, X86_RAX);
        }
    }
    lw_dst_done(c, i, d);
}

/* The bytes swapped, then in each byte the nibbles, the bit pairs and
 * the bits (rax the value, rcx and rdx scratch). */
void lw_bitrev(lw_ctx *c, ir_val i, const ir_insn *in)
{
    static const struct { uint8_t s; uint64_t m; } step[3] = {
        {4, 0x0f0f0f0f0f0f0f0fULL}, {2, 0x3333333333333333ULL}, {1, 0x5555555555555555ULL}};
    unsigned sz = lw_size(in->type);
    x86_buf *e = &c->buf;
    int d = lw_dst(c, i);
    lw_mov(c, sz, X86_RAX, lw_opnd(c, in->a[0]), false);
    emit_bswap(e, sz, X86_RAX);
    for (int k = 0; k < 3; k++) {
        emit_mov_ri(e, X86_RDX, step[k].m & (sz == 8 ? UINT64_MAX : UINT32_MAX));
        emit_rr(e, sz, MOV_GvEv, X86_RCX, X86_RAX);
        emit_shift_ri(e, sz, SHIFT_SHR, X86_RCX, step[k].s);
        emit_rr(e, sz, AND_GvEv, X86_RCX, X86_RDX);
        emit_rr(e, sz, AND_GvEv, X86_RAX, X86_RDX);
        emit_shift_ri(e, sz, SHIFT_SHL, X86_RAX, step[k].s);
        emit_rr(e, sz, OR_GvEv, X86_RAX, X86_RCX);
    }
    emit_rr(e, sz, MOV_GvEv, d, X86_RAX);
    lw_dst_done(c, i, d);
}

void lw_bswap(lw_ctx *c, ir_val i, const ir_insn *in)
{
    unsigned sz = lw_size(in->type);
    int d = lw_dst(c, i);
    lw_mov(c, sz, d, lw_opnd(c, in->a[0]), false);
    emit_bswap(&c->buf, sz, d);
    lw_dst_done(c, i, d);
}
