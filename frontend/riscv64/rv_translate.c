/* riscv64 -> IR: the trans_ function of every row of rv32.decode and
 * rv16.decode (compressed rows reuse their 32-bit twin's), and the block
 * loop that feeds them guest words.  Each trans_ emits the IR of one guest
 * instruction and returns false only for an encoding Ferry does not
 * implement (the block loop then raises SIGILL at it).
 *
 *   ir_block *b = ir_block_new(pc);
 *   rv_translate(b, pc);      // what frontend_riscv64.translate does
 */
#include <time.h>

#include "frontend/frontend.h"
#include "frontend/riscv64/rv_formats.h"

/* ---- operands */

static ir_val cnst(rv_ctx *c, int64_t v) { return ir_const(c->b, IR_I64, v); }

/* x0 reads as 0 */
static ir_val get_x(rv_ctx *c, unsigned r)
{
    return r ? ir_ctx_load(c->b, IR_I64, RV_OFF_X(r)) : cnst(c, 0);
}

/* writes to x0 are dropped */
static void set_x(rv_ctx *c, unsigned r, ir_val v)
{
    if (r)
        ir_ctx_store(c->b, v, RV_OFF_X(r));
}

/* an i32 result, sign-extended as RV64 keeps all 32-bit results */
static void set_x_w(rv_ctx *c, unsigned r, ir_val v32)
{
    set_x(c, r, ir_sext(c->b, IR_I64, v32, 32));
}


static ir_val add_imm(rv_ctx *c, ir_val x, int64_t imm)
{
    return imm ? ir_binop(c->b, IR_ADD, IR_I64, x, cnst(c, imm)) : x;
}

/* rs1 + imm: the address of a load, store or jalr */
static ir_val addr_of(rv_ctx *c, rv_args *a) { return add_imm(c, get_x(c, a->rs1), a->imm); }

/* ---- integer arithmetic */

/* rd = rs1 op rs2 at type t (i32: the *w forms) */
static bool gen_r(rv_ctx *c, rv_args *a, ir_op op, ir_type t)
{
    ir_val x = get_x(c, a->rs1), y = get_x(c, a->rs2); /* in this order: IR text is tested */
    ir_val v = ir_binop(c->b, op, t, x, y);
    if (t == IR_I32)
        set_x_w(c, a->rd, v);
    else
        set_x(c, a->rd, v);
    return true;
}

/* rd = rs1 op imm */
static bool gen_i(rv_ctx *c, rv_args *a, ir_op op, ir_type t)
{
    ir_val x = get_x(c, a->rs1), y = ir_const(c->b, t, a->imm);
    ir_val v = ir_binop(c->b, op, t, x, y);
    if (t == IR_I32)
        set_x_w(c, a->rd, v);
    else
        set_x(c, a->rd, v);
    return true;
}

static bool gen_setcc(rv_ctx *c, rv_args *a, ir_cond cc, bool imm)
{
    ir_val x = get_x(c, a->rs1), y = imm ? cnst(c, a->imm) : get_x(c, a->rs2);
    set_x(c, a->rd, ir_setcc(c->b, IR_I64, cc, x, y));
    return true;
}

/* The IR's x/0 is 0; RISC-V's is all ones (for div and divu alike).
 * MIN/-1 == MIN and the remainders already agree. */
static bool gen_div(rv_ctx *c, rv_args *a, ir_op op, ir_type t)
{
    ir_block *b = c->b;
    ir_val x = get_x(c, a->rs1), y = get_x(c, a->rs2);
    ir_val q = ir_binop(b, op, t, x, y);
    ir_val zero = ir_setcc(b, t, IR_EQ, y, ir_const(b, t, 0));
    q = ir_select(b, t, zero, ir_const(b, t, -1), q);
    if (t == IR_I32)
        set_x_w(c, a->rd, q);
    else
        set_x(c, a->rd, q);
    return true;
}

#define TRANS(name, gen, ...) \
    static bool trans_##name(rv_ctx *c, rv_args *a) { return gen(c, a, __VA_ARGS__); }

TRANS(add, gen_r, IR_ADD, IR_I64)
TRANS(sub, gen_r, IR_SUB, IR_I64)
TRANS(sll, gen_r, IR_SHL, IR_I64)
TRANS(srl, gen_r, IR_SHR, IR_I64)
TRANS(sra, gen_r, IR_SAR, IR_I64)
TRANS(xor, gen_r, IR_XOR, IR_I64)
TRANS(or, gen_r, IR_OR, IR_I64)
TRANS(and, gen_r, IR_AND, IR_I64)
TRANS(slt, gen_setcc, IR_LT, false)
TRANS(sltu, gen_setcc, IR_LTU, false)
TRANS(addw, gen_r, IR_ADD, IR_I32)
TRANS(subw, gen_r, IR_SUB, IR_I32)
TRANS(sllw, gen_r, IR_SHL, IR_I32)
TRANS(srlw, gen_r, IR_SHR, IR_I32)
TRANS(sraw, gen_r, IR_SAR, IR_I32)
TRANS(addi, gen_i, IR_ADD, IR_I64)
TRANS(xori, gen_i, IR_XOR, IR_I64)
TRANS(ori, gen_i, IR_OR, IR_I64)
TRANS(andi, gen_i, IR_AND, IR_I64)
TRANS(slli, gen_i, IR_SHL, IR_I64)
TRANS(srli, gen_i, IR_SHR, IR_I64)
TRANS(srai, gen_i, IR_SAR, IR_I64)
TRANS(slti, gen_setcc, IR_LT, true)
TRANS(sltiu, gen_setcc, IR_LTU, true)
TRANS(addiw, gen_i, IR_ADD, IR_I32)
TRANS(slliw, gen_i, IR_SHL, IR_I32)
TRANS(srliw, gen_i, IR_SHR, IR_I32)
TRANS(sraiw, gen_i, IR_SAR, IR_I32)
TRANS(mul, gen_r, IR_MUL, IR_I64)
TRANS(mulh, gen_r, IR_MULHS, IR_I64)
TRANS(mulhsu, gen_r, IR_MULHSU, IR_I64)
TRANS(mulhu, gen_r, IR_MULHU, IR_I64)
TRANS(div, gen_div, IR_DIVS, IR_I64)
TRANS(divu, gen_div, IR_DIVU, IR_I64)
TRANS(rem, gen_r, IR_REMS, IR_I64)
TRANS(remu, gen_r, IR_REMU, IR_I64)
TRANS(mulw, gen_r, IR_MUL, IR_I32)
TRANS(divw, gen_div, IR_DIVS, IR_I32)
TRANS(divuw, gen_div, IR_DIVU, IR_I32)
TRANS(remw, gen_r, IR_REMS, IR_I32)
TRANS(remuw, gen_r, IR_REMU, IR_I32)

static bool trans_lui(rv_ctx *c, rv_args *a)
{
    set_x(c, a->rd, cnst(c, a->imm));
    return true;
}

static bool trans_auipc(rv_ctx *c, rv_args *a)
{
    set_x(c, a->rd, cnst(c, (int64_t)(c->pc + a->imm)));
    return true;
}

/* ---- control flow: each ends the block */

/* The ISA's hints for a return-address stack: a jump that links ra or t0
 * is a call; one through ra or t0 that links neither is a return. */
static bool is_link(int r) { return r == 1 || r == 5; }

static bool trans_jal(rv_ctx *c, rv_args *a)
{
    if (a->rd)
        set_x(c, a->rd, cnst(c, (int64_t)c->next_pc));
    if (is_link(a->rd))
        ir_goto_call(c->b, c->pc + a->imm, c->next_pc);
    else
        ir_goto(c->b, c->pc + a->imm);
    return true;
}

static bool trans_jalr(rv_ctx *c, rv_args *a)
{
    /* the target first: rd may be rs1 */
    ir_val t = addr_of(c, a);
    t = ir_binop(c->b, IR_AND, IR_I64, t, cnst(c, ~(int64_t)1));
    if (a->rd)
        set_x(c, a->rd, cnst(c, (int64_t)c->next_pc));
    if (is_link(a->rd))
        ir_goto_ind_call(c->b, t, c->next_pc);
    else if (is_link(a->rs1))
        ir_goto_return(c->b, t);
    else
        ir_goto_ind(c->b, t);
    return true;
}

static bool gen_branch(rv_ctx *c, rv_args *a, ir_cond cc)
{
    ir_val x = get_x(c, a->rs1), y = get_x(c, a->rs2);
    ir_branch(c->b, IR_I64, cc, x, y, c->pc + a->imm, c->next_pc);
    return true;
}

TRANS(beq, gen_branch, IR_EQ)
TRANS(bne, gen_branch, IR_NE)
TRANS(blt, gen_branch, IR_LT)
TRANS(bge, gen_branch, IR_GE)
TRANS(bltu, gen_branch, IR_LTU)
TRANS(bgeu, gen_branch, IR_GEU)

static bool trans_ecall(rv_ctx *c, rv_args *a)
{
    ir_syscall(c->b, c->next_pc);
    return true;
}

static bool trans_ebreak(rv_ctx *c, rv_args *a)
{
    ir_trap(c->b, IR_TRAP_BREAKPOINT, c->pc);
    return true;
}

/* Every fence is a full fence: the IR has nothing finer that x86 needs. */
static bool trans_fence(rv_ctx *c, rv_args *a)
{
    ir_fence(c->b, IR_FENCE_FULL);
    return true;
}

static bool trans_fence_tso(rv_ctx *c, rv_args *a) { return trans_fence(c, a); }

/* fence.i: translations made before it may be stale; the engine drops
 * them and continues after it. */
static bool trans_fence_i(rv_ctx *c, rv_args *a)
{
    ir_icache_sync(c->b, c->next_pc);
    return true;
}

/* ---- loads and stores */

static bool gen_load(rv_ctx *c, rv_args *a, ir_memop m)
{
    set_x(c, a->rd, ir_load(c->b, IR_I64, m, addr_of(c, a)));
    return true;
}

static bool gen_store(rv_ctx *c, rv_args *a, ir_memop m)
{
    ir_val addr = addr_of(c, a), v = get_x(c, a->rs2);
    ir_store(c->b, m, addr, v);
    return true;
}

TRANS(lb, gen_load, IR_M8 | IR_MSIGN)
TRANS(lh, gen_load, IR_M16 | IR_MSIGN)
TRANS(lw, gen_load, IR_M32 | IR_MSIGN)
TRANS(ld, gen_load, IR_M64)
TRANS(lbu, gen_load, IR_M8)
TRANS(lhu, gen_load, IR_M16)
TRANS(lwu, gen_load, IR_M32)
TRANS(sb, gen_store, IR_M8)
TRANS(sh, gen_store, IR_M16)
TRANS(sw, gen_store, IR_M32)
TRANS(sd, gen_store, IR_M64)

/* ---- A: LR/SC and AMOs.  CAS and RMW are sequentially consistent in the
 * IR, so aq/rl need no extra fences there; LR is a plain load, fenced
 * before when it carries rl (lr.aqrl). */

static bool gen_lr(rv_ctx *c, rv_args *a, ir_memop m)
{
    ir_block *b = c->b;
    if (a->rl)
        ir_fence(b, IR_FENCE_FULL);
    ir_val addr = get_x(c, a->rs1);
    ir_val v = ir_load(b, IR_I64, m, addr);
    ir_ctx_store(b, addr, RV_OFF_RES_ADDR);
    ir_ctx_store(b, v, RV_OFF_RES_VAL);
    ir_ctx_store(b, cnst(c, 1 << (m & IR_MSIZE)), RV_OFF_RES_SIZE);
    set_x(c, a->rd, v);
    return true;
}

/* SC in straight IR (QEMU's approach, without a branch): it succeeds when
 * the address and size match the reservation and a CAS from the value LR
 * read to rs2 succeeds.  With no matching reservation the CAS stores back
 * the value it expects (new = expected), which changes no memory, and the
 * result is failure either way.  The reservation is always cleared. */
static bool gen_sc(rv_ctx *c, rv_args *a, ir_memop m, ir_type t)
{
    ir_block *b = c->b;
    ir_val addr = get_x(c, a->rs1), v = get_x(c, a->rs2);
    ir_val raddr = ir_ctx_load(b, IR_I64, RV_OFF_RES_ADDR);
    ir_val rsize = ir_ctx_load(b, IR_I64, RV_OFF_RES_SIZE);
    ir_val rval = ir_ctx_load(b, IR_I64, RV_OFF_RES_VAL);
    ir_val same_addr = ir_setcc(b, IR_I64, IR_EQ, addr, raddr);
    ir_val same_size = ir_setcc(b, IR_I64, IR_EQ, rsize, cnst(c, 1 << (m & IR_MSIZE)));
    ir_val match = ir_binop(b, IR_AND, IR_I64, same_addr, same_size);
    ir_val newv = ir_select(b, t, match, v, rval);
    ir_val old = ir_cas(b, t, m, addr, rval, newv);
    ir_val swapped = ir_setcc(b, t, IR_EQ, old, rval);
    ir_val ok = ir_select(b, IR_I64, swapped, match, cnst(c, 0));
    set_x(c, a->rd, ir_binop(b, IR_XOR, IR_I64, ok, cnst(c, 1)));
    ir_ctx_store(b, cnst(c, -1), RV_OFF_RES_ADDR);
    return true;
}

static bool gen_amo(rv_ctx *c, rv_args *a, enum ir_rmw k, ir_type t)
{
    ir_memop m = t == IR_I32 ? IR_M32 : IR_M64;
    ir_val addr = get_x(c, a->rs1), v = get_x(c, a->rs2);
    ir_val old = ir_rmw(c->b, t, m, k, addr, v);
    if (t == IR_I32)
        set_x_w(c, a->rd, old);
    else
        set_x(c, a->rd, old);
    return true;
}

TRANS(lr_w, gen_lr, IR_M32 | IR_MSIGN)
TRANS(lr_d, gen_lr, IR_M64)
TRANS(sc_w, gen_sc, IR_M32, IR_I32)
TRANS(sc_d, gen_sc, IR_M64, IR_I64)
TRANS(amoswap_w, gen_amo, IR_RMW_XCHG, IR_I32)
TRANS(amoadd_w, gen_amo, IR_RMW_ADD, IR_I32)
TRANS(amoxor_w, gen_amo, IR_RMW_XOR, IR_I32)
TRANS(amoand_w, gen_amo, IR_RMW_AND, IR_I32)
TRANS(amoor_w, gen_amo, IR_RMW_OR, IR_I32)
TRANS(amomin_w, gen_amo, IR_RMW_SMIN, IR_I32)
TRANS(amomax_w, gen_amo, IR_RMW_SMAX, IR_I32)
TRANS(amominu_w, gen_amo, IR_RMW_UMIN, IR_I32)
TRANS(amomaxu_w, gen_amo, IR_RMW_UMAX, IR_I32)
TRANS(amoswap_d, gen_amo, IR_RMW_XCHG, IR_I64)
TRANS(amoadd_d, gen_amo, IR_RMW_ADD, IR_I64)
TRANS(amoxor_d, gen_amo, IR_RMW_XOR, IR_I64)
TRANS(amoand_d, gen_amo, IR_RMW_AND, IR_I64)
TRANS(amoor_d, gen_amo, IR_RMW_OR, IR_I64)
TRANS(amomin_d, gen_amo, IR_RMW_SMIN, IR_I64)
TRANS(amomax_d, gen_amo, IR_RMW_SMAX, IR_I64)
TRANS(amominu_d, gen_amo, IR_RMW_UMIN, IR_I64)
TRANS(amomaxu_d, gen_amo, IR_RMW_UMAX, IR_I64)

#include "frontend/riscv64/rv_trans_fp.c.inc"
#include "frontend/riscv64/rv_trans_bits.c.inc"

/* ---- Zicsr: the FP status CSRs and the user counters */

enum { CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
       CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02 };

/* cycle, time and instret all read a host clock in nanoseconds: user
 * code only ever takes differences of them. */
static uint64_t rv_helper_clock(void *cpu, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const ir_helper rv_clock_helper = {"rv_clock", rv_helper_clock, 0};

static ir_val fflags_get(rv_ctx *c)
{
    return ir_emit(c->b, IR_FP_FLAGS_GET, IR_I64, IR_NONE, IR_NONE, IR_NONE, 0, 0);
}

/* The CSR's value, or IR_NONE for one Ferry does not have.  fflags live
 * in the host's FP status (FP_FLAGS_*); frm is kept in rv_cpu as written
 * (5-7 included: see rv_trans_fp.c.inc) and mirrored by FP_RM_SET. */
static ir_val csr_read(rv_ctx *c, unsigned csr)
{
    switch (csr) {
    case CSR_FFLAGS:
        return fflags_get(c);
    case CSR_FRM:
        return frm_value(c);
    case CSR_FCSR: { /* one statement per op: the IR's order is tested */
        ir_val frm = frm_value(c);
        frm = ir_binop(c->b, IR_SHL, IR_I64, frm, cnst(c, 5));
        ir_val flags = fflags_get(c);
        return ir_binop(c->b, IR_OR, IR_I64, frm, flags);
    }
    case CSR_CYCLE: case CSR_TIME: case CSR_INSTRET:
        return ir_call(c->b, &rv_clock_helper, IR_NONE, IR_NONE, IR_NONE);
    }
    return IR_NONE;
}

static void fflags_set(rv_ctx *c, ir_val v)
{
    v = ir_binop(c->b, IR_AND, IR_I64, v, cnst(c, 0x1f));
    ir_emit(c->b, IR_FP_FLAGS_SET, IR_VOID, v, IR_NONE, IR_NONE, 0, 0);
}

/* frm = v & 7; returns that value (for the check after the write) */
static ir_val frm_set(rv_ctx *c, ir_val v)
{
    ir_val frm = ir_binop(c->b, IR_AND, IR_I64, v, cnst(c, 7));
    ir_ctx_store(c->b, lo32(c, frm), RV_OFF_FRM);
    fp_rm_follow(c, frm);
    return frm;
}

/* Writes the CSR; false if it cannot be written (the counters).  *frm is
 * the new frm value when frm changed, else IR_NONE. */
static bool csr_write(rv_ctx *c, unsigned csr, ir_val v, ir_val *frm)
{
    *frm = IR_NONE;
    switch (csr) {
    case CSR_FFLAGS:
        fflags_set(c, v);
        return true;
    case CSR_FRM:
        *frm = frm_set(c, v);
        return true;
    case CSR_FCSR:
        fflags_set(c, v);
        *frm = frm_set(c, ir_binop(c->b, IR_SHR, IR_I64, v, cnst(c, 5)));
        return true;
    }
    return false; /* the counters are read-only: writing them is illegal */
}

enum { CSR_W, CSR_S, CSR_C };

/* rd = csr; csr = src (W), csr | src (S), csr & ~src (C).  S and C with
 * rs1 = x0 (or zimm 0) do not write, so they may read read-only CSRs. */
static bool gen_csr(rv_ctx *c, rv_args *a, int kind, bool is_imm)
{
    bool writes = kind == CSR_W || (is_imm ? a->imm != 0 : a->rs1 != 0);
    ir_val old = csr_read(c, a->csr), frm = IR_NONE;
    if (old == IR_NONE)
        return false;
    if (writes) {
        ir_val src = is_imm ? cnst(c, a->imm) : get_x(c, a->rs1);
        ir_val v = src;
        if (kind == CSR_S)
            v = ir_binop(c->b, IR_OR, IR_I64, old, src);
        else if (kind == CSR_C)
            v = ir_binop(c->b, IR_AND, IR_I64, old,
                         ir_binop(c->b, IR_XOR, IR_I64, src, cnst(c, -1)));
        if (!csr_write(c, a->csr, v, &frm))
            return false;
    }
    set_x(c, a->rd, old);
    if (frm != IR_NONE)
        fp_frm_written(c, frm);
    return true;
}

TRANS(csrrw, gen_csr, CSR_W, false)
TRANS(csrrs, gen_csr, CSR_S, false)
TRANS(csrrc, gen_csr, CSR_C, false)
TRANS(csrrwi, gen_csr, CSR_W, true)
TRANS(csrrsi, gen_csr, CSR_S, true)
TRANS(csrrci, gen_csr, CSR_C, true)

/* ---- the generated decoders */

#include "frontend/riscv64/rv32.inc"
#include "frontend/riscv64/rv16.inc"

int rv_decode_at(uint64_t pc, uint32_t *word, const rv_insn_desc **desc, rv_args *a)
{
    /* read 16 bits first: a compressed insn may end a readable page */
    uint16_t lo = *(const uint16_t *)(uintptr_t)pc;
    int idx;
    *desc = NULL;
    if ((lo & 3) != 3) {
        *word = lo;
        idx = rv16_lookup(lo, a);
        if (idx >= 0)
            *desc = &rv16_insns[idx];
        return idx >= 0 ? 2 : 0;
    }
    *word = lo | (uint32_t)*(const uint16_t *)(uintptr_t)(pc + 2) << 16;
    idx = rv32_lookup(*word, a);
    if (idx >= 0)
        *desc = &rv32_insns[idx];
    return idx >= 0 ? 4 : 0;
}

/* Translates one instruction; false (with nothing emitted) if it is not
 * one Ferry implements. */
static bool translate_one(ir_block *b, uint64_t pc, unsigned *len)
{
    uint16_t lo = *(const uint16_t *)(uintptr_t)pc;
    rv_ctx c = {.b = b, .pc = pc, .frm_ok = IR_NONE};
    uint32_t mark = b->n;
    bool ok;
    ir_insn_start(b, pc);
    if ((lo & 3) != 3) {
        *len = 2, c.next_pc = pc + 2;
        ok = rv16_decode(&c, lo);
    } else {
        uint32_t w = lo | (uint32_t)*(const uint16_t *)(uintptr_t)(pc + 2) << 16;
        *len = 4, c.next_pc = pc + 4;
        /* 48-bit and longer encodings (low bits 11111) are not rv64gc */
        ok = (lo & 0x1f) != 0x1f && rv32_decode(&c, w);
    }
    if (!ok)
        b->n = mark; /* drop anything a refusing trans_ emitted */
    else if (c.frm_ok != IR_NONE)
        rv_fp_finish(&c);
    return ok;
}

/* The target of the direct branch or jump at pc (len its length), or 0.
 * The immediates as the ISA manual scatters them: B and J types, and the
 * compressed c.beqz/c.bnez (CB) and c.j (CJ). */
static uint64_t rv_branch_target(uint64_t pc, unsigned *len)
{
    uint16_t h;
    memcpy(&h, (const void *)(uintptr_t)pc, 2);
    *len = (h & 3) == 3 ? 4 : 2;
    if (*len == 2) {
        uint32_t f = h >> 13;
        if ((h & 3) == 1 && (f == 6 || f == 7)) { /* c.beqz, c.bnez */
            int32_t o = (h >> 4 & 0x100) | (h >> 7 & 0x18) | (h << 1 & 0xc0) |
                        (h >> 2 & 6) | (h << 3 & 0x20);
            return pc + (uint64_t)(int64_t)((o ^ 0x100) - 0x100);
        }
        if ((h & 3) == 1 && f == 5) { /* c.j */
            int32_t o = (h >> 1 & 0x800) | (h >> 7 & 0x10) | (h >> 1 & 0x300) |
                        (h << 2 & 0x400) | (h >> 1 & 0x40) | (h << 1 & 0x80) |
                        (h >> 2 & 0xe) | (h << 3 & 0x20);
            return pc + (uint64_t)(int64_t)((o ^ 0x800) - 0x800);
        }
        return 0;
    }
    uint32_t w;
    memcpy(&w, (const void *)(uintptr_t)pc, 4);
    if ((w & 0x7f) == 0x63) { /* beq ... bgeu */
        int32_t o = (int32_t)((w >> 19 & 0x1000) | (w << 4 & 0x800) | (w >> 20 & 0x7e0) |
                              (w >> 7 & 0x1e));
        return pc + (uint64_t)(int64_t)((o ^ 0x1000) - 0x1000);
    }
    if ((w & 0x7f) == 0x6f) { /* jal */
        int32_t o = (int32_t)((w >> 11 & 0x100000) | (w & 0xff000) | (w >> 9 & 0x800) |
                              (w >> 20 & 0x7fe));
        return pc + (uint64_t)(int64_t)((o ^ 0x100000) - 0x100000);
    }
    return 0;
}

/* Does the instruction at pc (len bytes) always leave the straight line:
 * jal, jalr, c.j, c.jr, c.jalr? */
static bool rv_jumps(uint64_t pc, unsigned len)
{
    uint16_t h;
    memcpy(&h, (const void *)(uintptr_t)pc, 2);
    if (len == 4)
        return (h & 0x7f) == 0x6f || (h & 0x7f) == 0x67;
    return ((h & 3) == 1 && h >> 13 == 5) ||
           ((h & 3) == 2 && h >> 12 == 8 && (h & 0x7c) == 0 && (h & 0xf80)) ||
           ((h & 3) == 2 && h >> 12 == 9 && (h & 0x7c) == 0 && (h & 0xf80));
}

/* ir_loops_to: a direct branch or jump back to head within max
 * instructions of straight-line code from pc, in pc's page. */
static bool rv_loops_to(uint64_t pc, uint64_t head, uint32_t max)
{
    for (uint32_t i = 0; i < max && (pc & 4095) <= 4092; i++) {
        unsigned len;
        if (rv_branch_target(pc, &len) == head)
            return true;
        if (rv_jumps(pc, len))
            return false;
        pc += len;
    }
    return false;
}

void rv_translate(ir_block *b, uint64_t pc)
{
    ir_block_reset(b, pc);
    if (pc & 1) { /* not guest code: the frm check's exits */
        rv_translate_odd(b, pc);
        return;
    }
    uint32_t max = b->max_insns ? b->max_insns : FRONTEND_MAX_BLOCK_INSNS;
    for (;;) {
        unsigned len;
        if (b->n_guest == max) {
            ir_goto(b, pc);
            break;
        }
        if (!translate_one(b, pc, &len)) {
            /* The trap gets a block of its own, so that everything before
             * it runs (and is committed) normally first. */
            if (b->n_guest) {
                ir_goto(b, pc);
                break;
            }
            ir_insn_start(b, pc);
            ir_trap(b, IR_TRAP_ILLEGAL, pc);
            b->n_guest = 1;
            ir_cover(b, pc, len);
            break;
        }
        b->n_guest++;
        ir_cover(b, pc, len);
        pc += len;
        if (ir_ended(b) && !ir_follow(b, &pc, max - b->n_guest, rv_loops_to))
            break;
    }
    ir_finish(b);
}
