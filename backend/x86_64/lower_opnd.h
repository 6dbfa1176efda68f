/* Internal to the x86-64 lowering (lower*.c): the per-block context, the
 * operand view of an allocated value, and the small moves every op's
 * lowering is built from.  Scratch registers: rax, rcx, rdx, r11.
 */
#ifndef FERRY_X86_LOWER_OPND_H
#define FERRY_X86_LOWER_OPND_H

#include "backend/x86_64/emit.h"
#include "backend/x86_64/regalloc.h"
#include "backend/x86_64/x86.h"

/* A block that loops back to its own start (lower_loop.c): the guest
 * registers (ctx offsets) it carries in host registers across iterations,
 * the ctx_load of each (pinned to its register) and its value at the back
 * edge.  n is 0 for any other block. */
#define LW_MAX_CARRY 5     /* general registers */
#define LW_MAX_CARRY_XMM 4 /* float and vector ones */
#define LW_MAX_CARRY_SEEN 16
typedef struct lw_loop {
    int n;
    uint32_t off[LW_MAX_CARRY_SEEN];
    ir_val load[LW_MAX_CARRY_SEEN], latest[LW_MAX_CARRY_SEEN];
    uint8_t type[LW_MAX_CARRY_SEEN]; /* IR_I64, IR_F64 or IR_V128 */
    uint8_t reg[LW_MAX_CARRY_SEEN];
    int gprs_dropped; /* integer candidates that found no register */
    size_t body; /* code offset the back edge jumps to */
} lw_loop;

typedef struct lw_ctx {
    x86_buf buf;
    const ir_block *b;
    const x86_target *t;
    /* A loop that would carry more integer registers than the pool
     * without the fixed ones holds (lw_loop_plan) keeps the fixed guest
     * registers in the CPU state instead, so that the allocator and its
     * carried registers have every host register: it stores them at its
     * entry and loads them again at each exit (lw_fixed_exit).  home is
     * then the engine's target, and t a copy with none; otherwise NULL. */
    const x86_target *home;
    uint64_t rx;      /* where buf[0] runs */
    x86_loc *loc;
    x86_lowered *out;
    bool bad;         /* an op we cannot lower, or a short jump out of reach */
    /* EFLAGS hold flags value flags_live (lower_flags.c's image) when the
     * insn flags_at starts; flags_at is one past the insn that left them. */
    ir_val flags_live, flags_at;
    uint64_t insn_pc; /* the guest instruction being lowered (its INSN_START) */
    ir_val cur;       /* the op being lowered */
    lw_loop loop;
    /* stop checks (rel32 jumps) still to point at the block's stop exit */
    size_t stop_jcc[4];
    int n_stop_jcc;
    /* cold paths, emitted after the block (lw_cold) */
    struct lw_cold *cold;
    int n_cold, cap_cold;
} lw_ctx;

/* Cold paths: code the common case never runs (an FP op's helper when
 * the guest rounds to nearest-away or a result is a NaN) goes after the
 * block, so that the hot path falls straight through:
 *
 *   int k = lw_cold_jcc(c, X86_CC_P, fix_nan, i, arg);  // jp to the stub
 *   ... the rest of the hot path ...
 *   lw_cold_resume(c, k);            // where the stub jumps back to
 *
 * At the end of the block each stub is fn(c, i, arg) then a jmp back. */
typedef void lw_cold_fn(lw_ctx *c, ir_val i, int arg);
typedef struct lw_cold {
    size_t jcc, resume;
    lw_cold_fn *fn;
    ir_val i;
    int arg;
} lw_cold;
int lw_cold_jcc(lw_ctx *c, int cc, lw_cold_fn *fn, ir_val i, int arg);
/* A `call rel32` to a cold path that never comes back (it leaves the
 * block), the rel32 4-byte aligned; fn's arg is the call's offset. */
void lw_cold_call(lw_ctx *c, lw_cold_fn *fn, ir_val i);
void lw_cold_resume(lw_ctx *c, int k);
void lw_cold_emit(lw_ctx *c);

/* The fixed guest registers loaded from their CPU-state slots (or, !load,
 * stored there): as enter and leave do, around a helper call, and at a
 * loop block's entry and exits (trampoline.c). */
void x86_fixed_moves(x86_buf *b, const x86_target *t, bool load);
/* Before a block's exit: the fixed guest registers back from the CPU
 * state, if the block kept them there (lw_ctx.home). */
void lw_fixed_exit(lw_ctx *c);

/* Whether the insns in (v, u) leave register r as it is: they write no
 * code, or are ctx loads into other registers. */
bool lw_keeps_reg(const lw_ctx *c, ir_val v, ir_val u, int r);
/* Whether the shift v is a load's or store's scaled address: then x and
 * k are what it shifts (lw_mem_addr reads it so, lw_shift writes
 * nothing). */
bool lw_scales_into_addr(const lw_ctx *c, ir_val v, ir_val *x, unsigned *k);
/* The guest address of a LOAD or STORE as an x86 memory operand: its base
 * (in r11 if it must be loaded) plus its index, if any (in rcx), scaled,
 * plus its displacement. */
x86_mem lw_mem_addr(lw_ctx *c, const ir_insn *in);

/* Record an outside address at off in the code (x86_lowered.relocs). */
void lw_reloc(lw_ctx *c, unsigned kind, size_t off);
/* r = p, an address in Ferry's own image (a helper, a table), recorded. */
void lw_host_addr(lw_ctx *c, int r, const void *p);
/* Call fn, a helper in Ferry's image: call rel32 where it reaches, else
 * through rax. */
void lw_host_call(lw_ctx *c, const void *fn);

/* Loops (lower_loop.c). */
bool lw_loops_back(const ir_block *b);
void lw_loop_plan(const ir_block *b, const x86_target *t, lw_loop *l);
void lw_loop_extra(const lw_loop *l, x86_pin *pins, x86_ra_extra *x);
bool lw_loop_carried(const lw_ctx *c, ir_val i);
/* Mark the pinned registers live (a helper call must keep them). */
void lw_loop_pinned(const lw_ctx *c, bool live[48]);
void lw_loop_entry(lw_ctx *c);
/* Whether an exit to pc is the loop's back edge; the back edge itself,
 * after the exit's own stop check (the same stop exit as the entry's: the
 * CPU state is that of the block's start again). */
bool lw_loop_is_back(const lw_ctx *c, uint64_t pc);
void lw_loop_back(lw_ctx *c);

/* Where a value is, as an instruction operand. */
enum { OPND_REG, OPND_MEM, OPND_IMM };
typedef struct x86_opnd {
    uint8_t kind;
    uint8_t reg;
    x86_mem mem;
    int64_t imm;
} x86_opnd;

typedef void lw_fn(lw_ctx *c, ir_val i, const ir_insn *in);

static inline unsigned lw_size(ir_type t) { return t == IR_I32 ? 4 : 8; }

static inline x86_opnd lw_opnd_reg(int r) { return (x86_opnd){.kind = OPND_REG, .reg = (uint8_t)r}; }
static inline x86_opnd lw_opnd_mem(x86_mem m) { return (x86_opnd){.kind = OPND_MEM, .mem = m}; }

x86_opnd lw_opnd(const lw_ctx *c, ir_val v);
unsigned lw_vsize(const lw_ctx *c, ir_val v);
bool lw_is_reg(x86_opnd o, int r);
/* mov r, o (nothing if o is r); keep_flags forbids xor-zeroing. */
void lw_mov(lw_ctx *c, unsigned sz, int r, x86_opnd o, bool keep_flags);
/* r = o as an op's whole result: an i32 is zero-extended even when o is
 * r itself (an i32 op may read an i64 value, junk above: lower_alu.c). */
void lw_mov_result(lw_ctx *c, unsigned sz, int r, x86_opnd o);
/* The register holding v: its own, or scratch after loading it there. */
int lw_reg(lw_ctx *c, ir_val v, int scratch);
/* op r, o   for a GvEv opcode (ext: its group-1 form for immediates). */
void lw_alu(lw_ctx *c, unsigned sz, unsigned op, int ext, int r, x86_opnd o);
/* r = o's low `bits` bits, sign- or zero-extended to sz bytes. */
void lw_ext(lw_ctx *c, unsigned sz, int r, x86_opnd o, int bits, bool sign);
/* Register to compute i into, and the store after it (if i is spilled). */
int lw_dst(const lw_ctx *c, ir_val i);
void lw_dst_done(lw_ctx *c, ir_val i, int r);
/* cmp x, y at sz; returns the x86 condition code for `x cond y`. */
/* Whether EFLAGS hold x - y at size sz already: a FLAGS_SUB of the two
 * (aarch64's cmp, whose NZCV is saved before its b.cond) that no code
 * since has touched (lower.c's keeps_eflags).  lw_cmp then emits nothing:
 * ask before emitting anything of the op. */
bool lw_compared(const lw_ctx *c, unsigned sz, ir_val x, ir_val y);
int lw_cmp(lw_ctx *c, unsigned sz, ir_cond cond, ir_val x, ir_val y);
/* The SSE store of a float or vector value of type t (movss/movsd/movups). */
uint32_t lw_xmm_store_op(ir_type t);

/* Floating point (lower_fp*.c).  Scratch xmm registers: XS0, XS1. */
enum { X86_XS0 = 14, X86_XS1 = 15 };
/* The vector lowering (lower_vec.c) also has xmm13 to itself. */
enum { X86_XS2 = 13 };
lw_fn lw_vec, lw_vconst, lw_vpair;
/* A float value's operand (reg: the xmm number). */
x86_opnd lw_fopnd(const lw_ctx *c, ir_val v);
/* movss/movsd x, o (nothing if o is x) */
void lw_fload(lw_ctx *c, ir_type t, int x, x86_opnd o);
/* The xmm holding v: its own, or scratch after loading it there. */
int lw_freg(lw_ctx *c, ir_val v, int scratch);
int lw_fdst(const lw_ctx *c, ir_val i);
void lw_fdst_done(lw_ctx *c, ir_val i, int x);
/* The sd form of an SSE op, or its ss form for an f32 */
uint32_t lw_sse(ir_type t, uint32_t sd_op);
/* If x holds a NaN, make it the default NaN. */
void lw_fcanon(lw_ctx *c, ir_type t, int x);
/* IR_FP_ARM_NAN: if x (insn i's result) is a NaN, the helper makes it
 * again by Arm's rules (x86 returns the first NaN operand, or a negative
 * default NaN).  Compute into lw_arm_nan_dst's register: not an operand's,
 * which the helper still reads. */
void lw_arm_nan(lw_ctx *c, ir_val i, const ir_insn *in, int rm, int x);
int lw_arm_nan_dst(const lw_ctx *c, const ir_insn *in, int d);
/* Around an op with a static rounding mode (not DYN, not RMM): set the
 * MXCSR rounding field, then put the guest's back keeping the new flags. */
void lw_rm_enter(lw_ctx *c, int rm);
void lw_rm_leave(lw_ctx *c, int rm);
/* Call x86_fp_helper for insn i (its operands as they are now, rounding
 * mode rm), keeping every live register; the result is left in rax. */
void lw_fp_helper(lw_ctx *c, ir_val i, const ir_insn *in, int rm);
static inline x86_mem lw_slot(int k) { return x86_mem_at(X86_FRAME, 8 * k); }

lw_fn lw_fconst, lw_fctx_load, lw_fctx_store, lw_fmem_load, lw_fmem_store, lw_fselect;
lw_fn lw_bitcast, lw_farith, lw_fma, lw_fminmax, lw_fnegabs, lw_fsetcc;
lw_fn lw_fp_flags_get, lw_fp_flags_set, lw_fp_flags_raise, lw_fp_rm_set, lw_fcvt_fi, lw_fcvt_if, lw_fcvt_ff;
lw_fn lw_fp_mode_set;
/* The block's entry check of the stop byte (engine_kick), and its exit
 * path, emitted after the block (lower_exit.c). */
void lw_stop_check(lw_ctx *c);
void lw_stop_exit(lw_ctx *c);
lw_fn lw_bitcount, lw_bswap, lw_bitrev, lw_icache_sync;

lw_fn lw_binop, lw_shift, lw_mul, lw_mulh, lw_div, lw_ext_op, lw_setcc, lw_select;
/* The first insn from j on that writes code (INSN_STARTs and immediate
 * constants write none). */
ir_val lw_skip_quiet(const lw_ctx *c, ir_val j);
lw_fn lw_ctx_load, lw_ctx_store, lw_load, lw_store, lw_cas, lw_rmw, lw_fence, lw_call;
lw_fn lw_goto, lw_goto_ind, lw_branch, lw_exit_if, lw_syscall, lw_trap;
/* AArch64 NZCV flags values (lower_flags.c) */
lw_fn lw_flags_arith, lw_flags_logic, lw_flags_from_nzcv, lw_flags_to_nzcv, lw_flags_test;
lw_fn lw_flags_saved;
lw_fn lw_flags_fcmp;
/* If BRANCH i (a0 cc 0) or SELECT i reads a FLAGS_TEST that was left in
 * EFLAGS for it, the x86 condition code the branch is taken on (the
 * select picks a1 on); else -1.  Keep EFLAGS until it is used. */
int lw_flags_fused_cc(lw_ctx *c, ir_val i, const ir_insn *in);
/* Flags windows (lower_fp.c): the GET a flags value comes from (itself or
 * masked keeping every flag; *idc: IDC kept too), the SET that restores
 * GET g's value with only compares between, or IR_NONE; whether FP
 * compare i is in such a window, and the note of a NaN after it. */
ir_val lw_flags_source(const lw_ctx *c, ir_val v, bool *idc);
ir_val lw_flags_restore_of(const lw_ctx *c, ir_val g);
bool lw_in_flags_window(const lw_ctx *c, ir_val i);
void lw_flags_window_note(lw_ctx *c);
/* Lower in by fast, or by the RMM helper while the guest's dynamic
 * rounding mode is RMM (for F_USES_RM ops with cc == IR_RM_DYN). */
void lw_dyn_guard(lw_ctx *c, ir_val i, const ir_insn *in, lw_fn *fast);

#endif
