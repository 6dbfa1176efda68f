/* aarch64 -> IR: operand access (XZR/SP, W views, NZCV), the trans_
 * functions of a64_base.decode (in the a64_trans_*.c.inc files, one per
 * instruction class) and the block loop that feeds guest words first to
 * the base decoder, then to the FP/SIMD one (a64_decode_simd).
 *
 *   ir_block *b = ir_block_new(pc);
 *   a64_translate(b, pc);      // what frontend_aarch64.translate does
 */
#include "frontend/frontend.h"
#include "frontend/aarch64/a64_formats.h"
#include "frontend/aarch64/a64_helpers.h"

/* ---- operands */

ir_val a64_const(a64_ctx *c, int64_t v) { return ir_const(c->b, IR_I64, v); }

/* The W view needs no op of its own: i32 ops read the low half of an
 * i64 value, so the whole register is loaded either way. */
static ir_val reg_load(a64_ctx *c, unsigned r, bool sf)
{
    (void)sf;
    return ir_ctx_load(c->b, IR_I64, A64_OFF_X(r));
}

ir_val a64_get_x(a64_ctx *c, unsigned r, bool sf)
{
    if (r == 31)
        return ir_const(c->b, sf ? IR_I64 : IR_I32, 0);
    return reg_load(c, r, sf);
}

ir_val a64_get_xsp(a64_ctx *c, unsigned r, bool sf) { return reg_load(c, r, sf); }

static void reg_store(a64_ctx *c, unsigned r, ir_val v, bool sf)
{
    if (!sf || c->b->insns[v].type != IR_I64)
        v = ir_zext(c->b, IR_I64, v, 32);
    ir_ctx_store(c->b, v, A64_OFF_X(r));
}

void a64_set_x(a64_ctx *c, unsigned r, ir_val v, bool sf)
{
    if (r != 31)
        reg_store(c, r, v, sf);
}

void a64_set_xsp(a64_ctx *c, unsigned r, ir_val v, bool sf) { reg_store(c, r, v, sf); }

ir_val a64_nzcv_flags(a64_ctx *c)
{
    ir_val n = ir_ctx_load(c->b, IR_I64, A64_OFF_NZCV);
    return ir_emit(c->b, IR_FLAGS_RESTORE, IR_I64, n, IR_NONE, IR_NONE, 0, 0);
}

void a64_set_nzcv_flags(a64_ctx *c, ir_val flags)
{
    ir_val n = ir_emit(c->b, IR_FLAGS_SAVE, IR_I64, flags, IR_NONE, IR_NONE, 0, 0);
    ir_ctx_store(c->b, n, A64_OFF_NZCV);
}

ir_val a64_nzcv_bits(a64_ctx *c)
{
    return ir_emit(c->b, IR_FLAGS_TO_NZCV, IR_I64, a64_nzcv_flags(c), IR_NONE, IR_NONE, 0, 0);
}

void a64_set_nzcv_bits(a64_ctx *c, ir_val nzcv)
{
    a64_set_nzcv_flags(c, ir_emit(c->b, IR_FLAGS_FROM_NZCV, IR_I64, nzcv, IR_NONE, IR_NONE, 0, 0));
}

/* A64 conditions 0..13 in pairs (cond, its negation); AL and NV hold. */
ir_val a64_cond_holds(a64_ctx *c, unsigned cond)
{
    static const ir_cond cc[7][2] = {
        {IR_EQ, IR_NE}, {IR_GEU, IR_LTU}, {IR_MI, IR_PL}, {IR_VS, IR_VC},
        {IR_GTU, IR_LEU}, {IR_GE, IR_LT}, {IR_GT, IR_LE},
    };
    if (cond >= 14)
        return a64_const(c, 1);
    return ir_flags_test(c->b, cc[cond >> 1][cond & 1], a64_nzcv_flags(c));
}

/* ---- small shared pieces for the trans_ files */

static ir_type ty(bool sf) { return sf ? IR_I64 : IR_I32; }
static int width(bool sf) { return sf ? 64 : 32; }
static ir_val cn(a64_ctx *c, bool sf, int64_t v) { return ir_const(c->b, ty(sf), v); }
static ir_val op2(a64_ctx *c, ir_op op, bool sf, ir_val x, ir_val y)
{
    return ir_binop(c->b, op, ty(sf), x, y);
}

#define TRANS(name, gen, ...) \
    static bool trans_##name(a64_ctx *c, a64_args *a) { return gen(c, a, __VA_ARGS__); }

#include "frontend/aarch64/a64_trans_dp.c.inc"
#include "frontend/aarch64/a64_trans_ldst.c.inc"
#include "frontend/aarch64/a64_trans_sys.c.inc"

/* ---- the generated decoder */

#include "frontend/aarch64/a64_base.inc"

bool a64_decode_base(a64_ctx *c, uint32_t insn) { return a64_base_decode(c, insn); }

const a64_insn_desc *a64_base_lookup_desc(uint32_t insn, a64_args *a)
{
    int i = a64_base_lookup(insn, a);
    return i < 0 ? NULL : &a64_base_insns[i];
}

/* Translates one instruction; false (with nothing emitted) if it is not
 * one Ferry implements. */
static bool translate_one(ir_block *b, uint64_t pc)
{
    uint32_t w = *(const uint32_t *)(uintptr_t)pc;
    a64_ctx c = {.b = b, .pc = pc, .next_pc = pc + 4};
    uint32_t mark = b->n;
    ir_insn_start(b, pc);
    if (a64_decode_base(&c, w))
        return true;
    b->n = mark + 1; /* drop anything a refusing trans_ emitted */
    if (a64_decode_simd(&c, w))
        return true;
    b->n = mark;
    return false;
}

/* The target of the direct branch at pc (b, b.cond, cbz/cbnz, tbz/tbnz),
 * or 0. */
static uint64_t a64_branch_target(uint64_t pc)
{
    uint32_t w;
    memcpy(&w, (const void *)(uintptr_t)pc, 4);
    int64_t off;
    if ((w & 0xfc000000) == 0x14000000)
        off = (int64_t)((int32_t)(w << 6) >> 6);
    else if ((w & 0xff000010) == 0x54000000 || (w & 0x7e000000) == 0x34000000)
        off = (int64_t)((int32_t)(w << 8) >> 13);
    else if ((w & 0x7e000000) == 0x36000000)
        off = (int64_t)((int32_t)(w << 13) >> 18);
    else
        return 0;
    return pc + (uint64_t)(off * 4);
}

/* ir_loops_to: a direct branch back to head within max instructions of
 * straight-line code from pc (b, br, blr, ret end it), in pc's page. */
static bool a64_loops_to(uint64_t pc, uint64_t head, uint32_t max)
{
    for (uint32_t i = 0; i < max && (pc & 4095) <= 4092; i++, pc += 4) {
        uint32_t w;
        if (a64_branch_target(pc) == head)
            return true;
        memcpy(&w, (const void *)(uintptr_t)pc, 4);
        if ((w & 0xfc000000) == 0x14000000 || (w & 0xfe1f0000) == 0xd61f0000)
            return false; /* b elsewhere; br, blr, ret and their kin */
    }
    return false;
}

void a64_translate(ir_block *b, uint64_t pc)
{
    ir_block_reset(b, pc);
    uint32_t max = b->max_insns ? b->max_insns : FRONTEND_MAX_BLOCK_INSNS;
    for (;;) {
        if (b->n_guest == max) {
            ir_goto(b, pc);
            break;
        }
        if (!translate_one(b, pc)) {
            /* The trap gets a block of its own, so that everything before
             * it runs (and is committed) normally first. */
            if (b->n_guest) {
                ir_goto(b, pc);
                break;
            }
            ir_insn_start(b, pc);
            ir_trap(b, IR_TRAP_ILLEGAL, pc);
            b->n_guest = 1;
            ir_cover(b, pc, 4);
            break;
        }
        b->n_guest++;
        ir_cover(b, pc, 4);
        pc += 4;
        if (ir_ended(b) && !ir_follow(b, &pc, max - b->n_guest, a64_loops_to))
            break;
    }
    ir_finish(b);
}
