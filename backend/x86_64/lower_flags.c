/* Lowering of AArch64 NZCV flags values.  A flags value is the x86 EFLAGS
 * image of its operation with CF holding NOT(C), so that every AArch64
 * condition is one x86 condition code (sub/sbb leave the borrow, NOT C,
 * already; add/adc take a cmc).  As an integer it is lahf's AH over seto's
 * AL: bit 15 N (SF), 14 Z (ZF), 8 NOT C (CF), 0 V (OF), other bits junk
 * of AF/PF that nothing reads.  FLAGS_TEST puts it back into EFLAGS (add
 * al, 0x7f recreates OF, sahf the rest) unless EFLAGS still hold it, the
 * common case of a test right after its op: then the value is not even
 * made when nothing else reads it.
 */
#include "backend/engine.h"
#include "backend/x86_64/lower_opnd.h"

enum { IMG_V = 1, IMG_NC = 0x100, IMG_Z = 0x4000, IMG_N = 0x8000 };

/* The x86 condition code of each AArch64 condition on the image. */
static const uint8_t test_cc[IR_NUM_CONDS] = {
    [IR_EQ] = X86_CC_E, [IR_NE] = X86_CC_NE, [IR_LT] = X86_CC_L, [IR_GE] = X86_CC_GE,
    [IR_LE] = X86_CC_LE, [IR_GT] = X86_CC_G, [IR_LTU] = X86_CC_B, [IR_GEU] = X86_CC_AE,
    [IR_LEU] = X86_CC_BE, [IR_GTU] = X86_CC_A, [IR_MI] = X86_CC_S, [IR_PL] = X86_CC_NS,
    [IR_VS] = X86_CC_O, [IR_VC] = X86_CC_NO,
};

/* True if flags value v is left in EFLAGS only (flags_done): every use is
 * a FLAGS_TEST in the run that follows it (quiet insns aside), and those
 * read EFLAGS, not the value. */
static bool only_tested_next(const lw_ctx *c, ir_val v)
{
    ir_op op = (ir_op)c->b->insns[v].op;
    bool lazy = (op >= IR_FLAGS_ADD && op <= IR_FLAGS_LOGIC) || op == IR_FLAGS_FCMP;
    if (!lazy || !x86_cpu.lahf) /* the fallback capture loses EFLAGS */
        return false;
    ir_val j = lw_skip_quiet(c, v + 1);
    while (j < c->b->n && c->b->insns[j].op == IR_FLAGS_TEST && c->b->insns[j].a[0] == v)
        j = lw_skip_quiet(c, j + 1);
    return c->loc[v].end < j;
}

/* True if FLAGS_TEST t is read only by the insn after it, a BRANCH on
 * t != 0 or t == 0, or an integer SELECT on t: that insn then uses EFLAGS
 * and t is never made. */
static bool fuses(const lw_ctx *c, ir_val t)
{
    ir_val j = lw_skip_quiet(c, t + 1);
    if (j >= c->b->n || c->loc[t].end != j)
        return false;
    const ir_insn *u = &c->b->insns[j];
    if (u->a[0] != t || u->a[1] == t || u->a[2] == t)
        return false;
    if (u->op == IR_SELECT)
        return ir_is_int((ir_type)u->type);
    if ((u->op != IR_BRANCH && u->op != IR_EXIT_IF) || (u->cc != IR_EQ && u->cc != IR_NE))
        return false;
    x86_opnd z = lw_opnd(c, u->a[1]);
    return z.kind == OPND_IMM && z.imm == 0;
}

static bool flags_live(const lw_ctx *c, ir_val i, ir_val v)
{
    return c->flags_live == v && c->flags_at == i;
}

static void set_live(lw_ctx *c, ir_val i, ir_val v)
{
    c->flags_live = v;
    c->flags_at = i + 1;
}

/* r = the image of EFLAGS (lahf keeps EFLAGS; the fallback does not). */
static void capture(lw_ctx *c, int r)
{
    x86_buf *e = &c->buf;
    if (x86_cpu.lahf) {
        emit_u8(e, LAHF);
        emit_xr(e, 1, SETcc_Eb + X86_CC_O, 0, X86_RAX);
        emit_rr(e, 4, MOVZX_GvEw, r, X86_RAX);
        return;
    }
    emit_u8(e, PUSHFQ); /* rax = (flags & 0xff) << 8 | OF */
    emit_pop(e, X86_RAX);
    emit_rr(e, 4, MOV_GvEv, X86_RCX, X86_RAX);
    emit_shift_ri(e, 4, SHIFT_SHR, X86_RCX, 11);
    emit_ri(e, 4, ALU_AND, X86_RCX, 1);
    emit_rr(e, 4 | X86_BM, MOVZX_GvEb, X86_RAX, X86_RAX);
    emit_shift_ri(e, 4, SHIFT_SHL, X86_RAX, 8);
    emit_rr(e, 4, OR_GvEv, X86_RAX, X86_RCX);
    emit_rr(e, 4, MOV_GvEv, r, X86_RAX);
}

/* EFLAGS = the image in eax. */
static void restore(lw_ctx *c)
{
    x86_buf *e = &c->buf;
    if (x86_cpu.lahf) {
        emit_ri(e, 1, ALU_ADD, X86_RAX, 0x7f); /* OF = (al == 1) */
        emit_u8(e, SAHF);
        return;
    }
    emit_rr(e, 4, MOV_GvEv, X86_RCX, X86_RAX); /* SF ZF AF PF CF, OF at 11 */
    emit_ri(e, 4, ALU_AND, X86_RCX, 1);
    emit_shift_ri(e, 4, SHIFT_SHL, X86_RCX, 11);
    emit_shift_ri(e, 4, SHIFT_SHR, X86_RAX, 8);
    emit_ri(e, 4, ALU_AND, X86_RAX, 0xd5);
    emit_rr(e, 4, OR_GvEv, X86_RAX, X86_RCX);
    emit_push(e, X86_RAX);
    emit_u8(e, POPFQ);
}

/* EFLAGS now hold flags value i: make the value unless only tests read it. */
static void flags_done(lw_ctx *c, ir_val i)
{
    if (!only_tested_next(c, i)) {
        int d = lw_dst(c, i);
        capture(c, d);
        lw_dst_done(c, i, d);
    }
    if (x86_cpu.lahf)
        set_live(c, i, i);
}

/* CF = bit 0 of v, inverted if asked. */
static void set_carry(lw_ctx *c, ir_val v, bool invert)
{
    x86_buf *e = &c->buf;
    x86_opnd o = lw_opnd(c, v);
    if (o.kind == OPND_IMM) {
        emit_u8(e, ((o.imm & 1) != 0) != invert ? STC : CLC);
        return;
    }
    if (o.kind == OPND_REG)
        emit_bt_ri(e, 4, o.reg, 0);
    else
        emit_bt_mi(e, 4, o.mem, 0);
    if (invert)
        emit_u8(e, CMC);
}

/* add/sub/adc/sbb at the op's width in rcx (cmp when a0 is in a register).
 * SBC's carry in is C, x86's borrow in NOT C; ADD/ADC's carry out is C,
 * which the image keeps inverted. */
void lw_flags_arith(lw_ctx *c, ir_val i, const ir_insn *in)
{
    static const struct { uint16_t op; uint8_t ext; } alu[] = {
        [IR_FLAGS_ADD] = {ADD_GvEv, ALU_ADD}, [IR_FLAGS_SUB] = {CMP_GvEv, ALU_CMP},
        [IR_FLAGS_ADC] = {ADC_GvEv, ALU_ADC}, [IR_FLAGS_SBC] = {SBB_GvEv, ALU_SBB},
    };
    unsigned sz = in->imm == 32 ? 4 : 8;
    x86_opnd a = lw_opnd(c, in->a[0]), b = lw_opnd(c, in->a[1]);
    int r = X86_RCX;
    if (in->op == IR_FLAGS_SUB && a.kind == OPND_REG)
        r = a.reg;
    else
        lw_mov(c, sz, X86_RCX, a, false);
    if (in->op == IR_FLAGS_ADC || in->op == IR_FLAGS_SBC)
        set_carry(c, in->a[2], in->op == IR_FLAGS_SBC);
    lw_alu(c, sz, alu[in->op].op, alu[in->op].ext, r, b);
    if (in->op == IR_FLAGS_ADD || in->op == IR_FLAGS_ADC)
        emit_u8(&c->buf, CMC);
    flags_done(c, i);
}

/* test leaves CF = OF = 0; stc makes CF = NOT C with C = 0. */
void lw_flags_logic(lw_ctx *c, ir_val i, const ir_insn *in)
{
    unsigned sz = in->imm == 32 ? 4 : 8;
    x86_opnd a = lw_opnd(c, in->a[0]);
    if (a.kind == OPND_MEM) {
        emit_mi(&c->buf, sz, ALU_CMP, a.mem, 0);
    } else {
        int r = lw_reg(c, in->a[0], X86_RCX);
        emit_rr(&c->buf, sz, TEST_EvGv, r, r);
    }
    emit_u8(&c->buf, STC);
    flags_done(c, i);
}

static uint32_t image_of_nzcv(uint32_t nzcv)
{
    return (nzcv >> 31 & 1 ? IMG_N : 0) | (nzcv >> 30 & 1 ? IMG_Z : 0) |
           (nzcv >> 29 & 1 ? 0 : IMG_NC) | (nzcv >> 28 & 1 ? IMG_V : 0);
}

/* n = nzcv >> 28; n * 0x1081 puts N at 15, Z at 14, C at 8 and V at 0
 * with no two partial products on one bit; mask, then invert C. */
void lw_flags_from_nzcv(lw_ctx *c, ir_val i, const ir_insn *in)
{
    x86_buf *e = &c->buf;
    int d = lw_dst(c, i);
    x86_opnd a = lw_opnd(c, in->a[0]);
    if (a.kind == OPND_IMM) {
        emit_mov_ri(e, d, image_of_nzcv((uint32_t)a.imm));
    } else {
        lw_mov(c, 4, d, a, false);
        emit_shift_ri(e, 4, SHIFT_SHR, d, 28);
        emit_imul_rri(e, 4, d, d, 0x1081);
        emit_ri(e, 4, ALU_AND, d, IMG_N | IMG_Z | IMG_NC | IMG_V);
        emit_ri(e, 4, ALU_XOR, d, IMG_NC);
    }
    lw_dst_done(c, i, d);
}

/* The reverse: masked and C inverted, times 2^16 + 2^21 + 2^28 moves N, Z
 * to 31, 30, C to 29, V to 28, every other product landing below 28 or
 * above 31 (carries only go up). */
void lw_flags_to_nzcv(lw_ctx *c, ir_val i, const ir_insn *in)
{
    x86_buf *e = &c->buf;
    int d = lw_dst(c, i);
    lw_mov(c, 4, d, lw_opnd(c, in->a[0]), false);
    emit_ri(e, 4, ALU_AND, d, IMG_N | IMG_Z | IMG_NC | IMG_V);
    emit_ri(e, 4, ALU_XOR, d, IMG_NC);
    emit_imul_rri(e, 4, d, d, 0x10210000);
    emit_ri(e, 4, ALU_AND, d, (int32_t)0xf0000000u);
    lw_dst_done(c, i, d);
}

/* The saved form (FLAGS_SAVE, FLAGS_RESTORE) is the image itself: a
 * block that sets flags stores its image, not the NZCV bits, and a block
 * that reads them takes it as it is.  (So the zero state is C = 1: a CPU
 * state starts from engine_saved_of_nzcv.) */
void lw_flags_saved(lw_ctx *c, ir_val i, const ir_insn *in)
{
    int d = lw_dst(c, i);
    lw_mov(c, 4, d, lw_opnd(c, in->a[0]), true); /* (EFLAGS stay: lw_keeps_eflags) */
    lw_dst_done(c, i, d);
}

uint32_t engine_nzcv_of_saved(uint64_t saved)
{
    uint32_t img = (uint32_t)saved;
    return (img & IMG_N ? 1u << 31 : 0) | (img & IMG_Z ? 1u << 30 : 0) |
           (img & IMG_NC ? 0 : 1u << 29) | (img & IMG_V ? 1u << 28 : 0);
}

uint64_t engine_saved_of_nzcv(uint32_t nzcv)
{
    return image_of_nzcv(nzcv);
}

/* setcc on the restored EFLAGS (xor-zeroing d first when they must be
 * restored anyway; a movzx after when they are live). */
void lw_flags_test(lw_ctx *c, ir_val i, const ir_insn *in)
{
    x86_buf *e = &c->buf;
    ir_val f = in->a[0];
    bool live = flags_live(c, i, f);
    int d = lw_dst(c, i);
    bool pre_zero = !live && d != X86_R11;
    if (!live) {
        c->bad |= only_tested_next(c, f); /* never made: the runs disagree */
        lw_mov(c, 4, X86_RAX, lw_opnd(c, f), false);
        if (pre_zero)
            emit_zero(e, d);
        restore(c);
    }
    set_live(c, i, f);
    if (fuses(c, i))
        return;
    emit_xr(e, 1, SETcc_Eb + test_cc[in->cc], 0, d);
    if (!pre_zero)
        emit_rr(e, 4 | X86_BM, MOVZX_GvEb, d, d);
    lw_dst_done(c, i, d);
}

int lw_flags_fused_cc(lw_ctx *c, ir_val i, const ir_insn *in)
{
    ir_val t = in->a[0];
    const ir_insn *ti = &c->b->insns[t];
    if (ti->op != IR_FLAGS_TEST || !fuses(c, t))
        return -1;
    if (!flags_live(c, i, ti->a[0])) { /* t was never made: cannot happen */
        c->bad = true;
        return -1;
    }
    int cc = test_cc[ti->cc];
    return (in->op == IR_BRANCH || in->op == IR_EXIT_IF) && in->cc == IR_EQ ? cc ^ 1 : cc;
}

/* ucomis/comis leave ZF PF CF; the image comes from one byte compare
 * x - y: greater 1 - 0 (0010), less 0 - 1 (1000), equal 0 - 0 (0110),
 * unordered 0x80 - 1 (0011: V, no borrow), with x = a | p << 7, y = b. */
void lw_flags_fcmp(lw_ctx *c, ir_val i, const ir_insn *in)
{
    x86_buf *e = &c->buf;
    ir_type t = (ir_type)c->b->insns[in->a[0]].type;
    uint32_t op = lw_sse(t, in->aux & IR_FP_SIGNAL ? COMISD_VxWx : UCOMISD_VxWx);
    int x = lw_freg(c, in->a[0], X86_XS0);
    x86_opnd y = lw_fopnd(c, in->a[1]);
    if (y.kind == OPND_REG)
        emit_pfx_rr(e, 4, op, x, y.reg);
    else
        emit_pfx_rm(e, 4, op, x, y.mem);
    emit_xr(e, 1, SETcc_Eb + X86_CC_A, 0, X86_RCX);
    emit_xr(e, 1, SETcc_Eb + X86_CC_B, 0, X86_RDX);
    emit_xr(e, 1, SETcc_Eb + X86_CC_P, 0, X86_RAX);
    emit_shift_ri(e, 4, SHIFT_SHL, X86_RAX, 7);
    emit_rr(e, 1, OR_GbEb, X86_RCX, X86_RAX);
    emit_rr(e, 1, CMP_EbGb, X86_RDX, X86_RCX);
    flags_done(c, i);
}
