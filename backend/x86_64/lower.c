/* x86_lower_block: allocate registers for one IR block, then lower it op
 * by op through the table below (arithmetic in lower_alu.c, bit counts in
 * lower_bits.c, floating point in lower_fp*.c, vectors in lower_v*.c,
 * memory and calls in lower_mem.c, exits in lower_exit.c, NZCV flags in
 * lower_flags.c; the operand helpers they share in lower_opnd.c).
 */
#include <stdlib.h>

#include "backend/x86_64/lower_opnd.h"

static void lw_nothing(lw_ctx *c, ir_val i, const ir_insn *in) {}

/* Non-immediate constants (imm64) live in a register or slot. */
static void lw_const(lw_ctx *c, ir_val i, const ir_insn *in)
{
    if (ir_is_float((ir_type)in->type)) {
        lw_fconst(c, i, in);
        return;
    }
    if (in->type == IR_V128) {
        lw_vconst(c, i, in);
        return;
    }
    if (c->loc[i].kind == X86_LOC_IMM)
        return;
    int d = lw_dst(c, i);
    emit_mov_ri(&c->buf, d, (uint64_t)x86_const_value(in));
    lw_dst_done(c, i, d);
}

static lw_fn *const lowerers[IR_NUM_OPS] = {
    [IR_CONST] = lw_const, [IR_CTX_LOAD] = lw_ctx_load, [IR_CTX_STORE] = lw_ctx_store,
    [IR_INSN_START] = lw_nothing,
    [IR_ADD] = lw_binop, [IR_SUB] = lw_binop, [IR_AND] = lw_binop, [IR_OR] = lw_binop,
    [IR_XOR] = lw_binop, [IR_SHL] = lw_shift, [IR_SHR] = lw_shift, [IR_SAR] = lw_shift,
    [IR_MUL] = lw_mul, [IR_MULHS] = lw_mulh, [IR_MULHU] = lw_mulh, [IR_MULHSU] = lw_mulh,
    [IR_DIVS] = lw_div, [IR_DIVU] = lw_div, [IR_REMS] = lw_div, [IR_REMU] = lw_div,
    [IR_SEXT] = lw_ext_op, [IR_ZEXT] = lw_ext_op, [IR_SETCC] = lw_setcc,
    [IR_SELECT] = lw_select, [IR_LOAD] = lw_load, [IR_STORE] = lw_store,
    [IR_CAS] = lw_cas, [IR_RMW] = lw_rmw, [IR_FENCE] = lw_fence, [IR_CALL] = lw_call,
    [IR_GOTO] = lw_goto, [IR_GOTO_IND] = lw_goto_ind, [IR_BRANCH] = lw_branch,
    [IR_EXIT_IF] = lw_exit_if,
    [IR_SYSCALL] = lw_syscall, [IR_TRAP] = lw_trap, [IR_ICACHE_SYNC] = lw_icache_sync,
    [IR_ROTL] = lw_shift, [IR_ROTR] = lw_shift, [IR_CLZ] = lw_bitcount,
    [IR_CTZ] = lw_bitcount, [IR_POPCNT] = lw_bitcount, [IR_BSWAP] = lw_bswap,
    [IR_BITREV] = lw_bitrev,
    [IR_BITCAST] = lw_bitcast, [IR_FADD] = lw_farith, [IR_FSUB] = lw_farith,
    [IR_FMUL] = lw_farith, [IR_FDIV] = lw_farith, [IR_FSQRT] = lw_farith, [IR_FMA] = lw_fma,
    [IR_FMIN] = lw_fminmax, [IR_FMAX] = lw_fminmax, [IR_FNEG] = lw_fnegabs,
    [IR_FABS] = lw_fnegabs, [IR_FSETCC] = lw_fsetcc, [IR_FCVT_FI] = lw_fcvt_fi,
    [IR_FCVT_IF] = lw_fcvt_if, [IR_FCVT_FF] = lw_fcvt_ff, [IR_FP_FLAGS_GET] = lw_fp_flags_get,
    [IR_FP_FLAGS_SET] = lw_fp_flags_set, [IR_FP_FLAGS_RAISE] = lw_fp_flags_raise,
    [IR_FP_RM_SET] = lw_fp_rm_set,
    [IR_FLAGS_ADD] = lw_flags_arith, [IR_FLAGS_SUB] = lw_flags_arith,
    [IR_FLAGS_ADC] = lw_flags_arith, [IR_FLAGS_SBC] = lw_flags_arith,
    [IR_FLAGS_LOGIC] = lw_flags_logic, [IR_FLAGS_FROM_NZCV] = lw_flags_from_nzcv,
    [IR_FLAGS_TO_NZCV] = lw_flags_to_nzcv, [IR_FLAGS_TEST] = lw_flags_test,
    [IR_FLAGS_SAVE] = lw_flags_saved, [IR_FLAGS_RESTORE] = lw_flags_saved,
    [IR_VAND ... IR_VMINUV] = lw_vec, /* lower_vec.c's own table */
    [IR_VPAIR] = lw_vpair,
    [IR_FLAGS_FCMP] = lw_flags_fcmp, [IR_FP_MODE_SET] = lw_fp_mode_set,
};

int x86_lower_block(const ir_block *b, const x86_target *t, uint8_t *buf,
                    size_t cap, uint64_t rx, x86_lowered *out)
{
    return x86_lower_block_map(b, t, buf, cap, rx, out, NULL, NULL);
}

/* Whether op in's code will leave EFLAGS as they are (asked before it is
 * lowered): a save of a flags value or an integer ctx store is movs only
 * (lw_flags_saved, lw_ctx_store), and a side exit on a compare EFLAGS
 * hold already is its jcc only; so that a compare after them may reuse
 * the flags (lw_compared). */
static bool keeps_eflags(const lw_ctx *c, const ir_insn *in)
{
    if (in->op == IR_EXIT_IF)
        return lw_compared(c, lw_size(in->type), in->a[0], in->a[1]);
    return in->op == IR_FLAGS_SAVE || in->op == IR_FLAGS_RESTORE ||
           (in->op == IR_CTX_STORE && !x86_in_xmm((ir_type)c->b->insns[in->a[0]].type));
}

/* The loop's plan (when loops) and the register allocation for c->t:
 * the spill slots it takes, or -1. */
static int allocate(lw_ctx *c, bool loops, x86_pin *pins)
{
    x86_ra_extra extra = {0};
    c->loop.n = 0;
    if (loops)
        lw_loop_plan(c->b, c->t, &c->loop);
    lw_loop_extra(&c->loop, pins, &extra);
    for (int k = 0; k < c->t->n_fixed; k++)
        extra.reserved |= 1ull << x86_fixed_reg[k];
    extra.t = c->t;
    return x86_regalloc_extra(c->b, c->loc, &extra);
}

/* One attempt; loops says whether a loop may keep registers across its
 * iterations (lower_loop.c). */
static int lower_block(const ir_block *b, const x86_target *t, uint8_t *buf, size_t cap,
                       uint64_t rx, x86_lowered *out, x86_insn_map *map, uint32_t *n_map,
                       bool loops)
{
    uint32_t n_insn = 0;
    x86_loc *loc = ir_scratch(b, IR_SCRATCH_BACKEND0, (b->n ? b->n : 1) * sizeof *loc);
    lw_ctx c = {.buf = x86_buf_init(buf, cap), .b = b, .t = t, .rx = rx,
                .loc = loc, .out = out, .flags_live = IR_NONE, .flags_at = IR_NONE,
                .insn_pc = b->guest_pc};
    out->n_exits = 0;
    out->fixed_in_ctx = false;
    out->entry_skip = 0;
    out->movable = true;
    out->n_relocs = 0;
    x86_cpu_init();
    x86_pin pins[LW_MAX_CARRY_SEEN];
    x86_target unfixed;
    int slots = allocate(&c, loops, pins);
    /* a loop short of registers with the fixed ones kept in theirs (carry
     * candidates left out, or values spilled) frees them (lw_ctx.home) */
    if (loops && t->n_fixed && lw_loops_back(b) && (slots != 0 || c.loop.gprs_dropped > 0)) {
        unfixed = *t;
        unfixed.n_fixed = 0;
        c.home = t;
        c.t = t = &unfixed;
        out->fixed_in_ctx = true;
        slots = allocate(&c, loops, pins);
    }
    c.bad = slots < 0;
    if (c.home) /* ahead of the stop exit's reload */
        x86_fixed_moves(&c.buf, c.home, false);
    lw_stop_check(&c);
    if (!c.home) /* (a loop's stores before it may not be skipped) */
        out->entry_skip = (uint32_t)c.buf.len;
    lw_loop_entry(&c);
    for (ir_val i = 0; i < b->n && !c.bad; i++) {
        const ir_insn *in = &b->insns[i];
        lw_fn *fn = lowerers[in->op];
        size_t len = c.buf.len;
        c.cur = i;
        bool keeps = c.flags_at == i && keeps_eflags(&c, in);
        if (in->op == IR_INSN_START)
            c.insn_pc = (uint64_t)in->imm;
        if (in->op == IR_INSN_START && map)
            map[n_insn++] = (x86_insn_map){.host_off = (uint32_t)len, .pc = (uint64_t)in->imm};
        if (!fn)
            c.bad = true;
        else if ((ir_info(in->op)->flags & F_USES_RM) && in->cc == IR_RM_DYN)
            lw_dyn_guard(&c, i, in, fn);
        else
            fn(&c, i, in);
        if (c.flags_at == i && (c.buf.len == len || keeps))
            c.flags_at = i + 1; /* EFLAGS as they were */
    }
    lw_stop_exit(&c);
    lw_cold_emit(&c);
    free(c.cold);
    if (n_map)
        *n_map = n_insn;
    if (c.bad || c.buf.overflow)
        return -1;
    out->size = (uint32_t)c.buf.len;
    return (int)c.buf.len;
}

int x86_lower_block_map(const ir_block *b, const x86_target *t, uint8_t *buf,
                        size_t cap, uint64_t rx, x86_lowered *out,
                        x86_insn_map *map, uint32_t *n_map)
{
    int n = lower_block(b, t, buf, cap, rx, out, map, n_map, !t->no_loops);
    if (n < 0) /* a loop whose pinned registers left too few: plainly */
        n = lower_block(b, t, buf, cap, rx, out, map, n_map, false);
    return n;
}
