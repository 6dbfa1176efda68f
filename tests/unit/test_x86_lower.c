/* Lowering tests: small IR blocks are lowered, placed in a code buffer
 * mapped twice (written through RW, run through RX), entered through
 * x86_emit_enter with a fake CPU state, and their results compared with
 * the same operation computed in C (the IR's defined semantics).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/engine.h"
#include "backend/x86_64/regalloc.h"
#include "backend/x86_64/x86.h"
#include "ir/opt/opt.h"
#include "tests/unit/x86_harness.h"

#define CODE_SIZE (1 << 20)
#define BLOCK_OFF 256
#define PC_OFF (8 * 32)
#define ENGINE_OFF (8 * 36) /* cpu[36..37]: the engine's bytes */

static uint8_t *rw, *rx;
static x86_enter_fn enter;
static x86_target tgt;
static x86_lowered low;
static uint64_t cpu[40];
static x86_ibtc_entry ibtc[X86_IBTC_MAX];

static void setup(void)
{
    enter = x86_test_code(CODE_SIZE, &rw, &rx, &tgt, PC_OFF, ENGINE_OFF);
    cpu[(ENGINE_OFF + X86_ENG_IBTC) / 8] = (uint64_t)(uintptr_t)ibtc;
    uint32_t mask = x86_ibtc_mask(X86_IBTC_MAX);
    memcpy((char *)cpu + ENGINE_OFF + X86_ENG_IBTC_MASK, &mask, sizeof mask);
}

TestSuite(x86_lower, .init = setup);

/* Lower b at off and run it. */
static x86_ret run_at(ir_block *b, size_t off)
{
    int n = x86_lower_block(b, &tgt, rw + off, CODE_SIZE - off, (uint64_t)rx + off, &low);
    cr_assert(n > 0, "lowering failed");
    return enter(cpu, rx + off);
}

static x86_ret run(ir_block *b) { return run_at(b, BLOCK_OFF); }

/* ---- arithmetic against a C model ---- */

static const int64_t vals[] = {
    0, 1, -1, 2, 3, 7, -7, 31, 32, 33, 63, 64, INT64_MIN, INT64_MAX, INT32_MIN,
    INT32_MAX, 0x123456789abcdefLL, 0x80000000LL, 0xffffffffLL, -0x100000000LL,
};
#define N_VALS (sizeof vals / sizeof vals[0])

static uint64_t model64(ir_op op, int64_t a, int64_t b)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    switch (op) {
    case IR_ADD: return ua + ub;
    case IR_SUB: return ua - ub;
    case IR_AND: return ua & ub;
    case IR_OR: return ua | ub;
    case IR_XOR: return ua ^ ub;
    case IR_SHL: return ua << (b & 63);
    case IR_SHR: return ua >> (b & 63);
    case IR_SAR: return (uint64_t)(a >> (b & 63));
    case IR_MUL: return ua * ub;
    case IR_MULHS: return (uint64_t)(((__int128)a * b) >> 64);
    case IR_MULHU: return (uint64_t)(((unsigned __int128)ua * ub) >> 64);
    case IR_MULHSU: return (uint64_t)(((__int128)a * (__int128)ub) >> 64);
    case IR_DIVS: return b == 0 ? 0 : (a == INT64_MIN && b == -1) ? ua : (uint64_t)(a / b);
    case IR_DIVU: return b == 0 ? 0 : ua / ub;
    case IR_REMS: return b == 0 ? ua : b == -1 ? 0 : (uint64_t)(a % b);
    case IR_REMU: return b == 0 ? ua : ua % ub;
    case IR_ROTL: return (ua << (b & 63)) | (ua >> ((64 - (b & 63)) & 63));
    case IR_ROTR: return (ua >> (b & 63)) | (ua << ((64 - (b & 63)) & 63));
    default: cr_assert_fail("no model");
    }
    return 0;
}

static uint32_t model32(ir_op op, int32_t a, int32_t b)
{
    uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
    switch (op) {
    case IR_SHL: return ua << (b & 31);
    case IR_SHR: return ua >> (b & 31);
    case IR_SAR: return (uint32_t)(a >> (b & 31));
    case IR_MULHS: return (uint32_t)(((int64_t)a * b) >> 32);
    case IR_MULHU: return (uint32_t)(((uint64_t)ua * ub) >> 32);
    case IR_MULHSU: return (uint32_t)(((int64_t)a * (int64_t)ub) >> 32);
    case IR_DIVS: return b == 0 ? 0 : (a == INT32_MIN && b == -1) ? ua : (uint32_t)(a / b);
    case IR_DIVU: return b == 0 ? 0 : ua / ub;
    case IR_REMS: return b == 0 ? ua : b == -1 ? 0 : (uint32_t)(a % b);
    case IR_REMU: return b == 0 ? ua : ua % ub;
    case IR_ROTL: return (ua << (b & 31)) | (ua >> ((32 - (b & 31)) & 31));
    case IR_ROTR: return (ua >> (b & 31)) | (ua << ((32 - (b & 31)) & 31));
    default: return (uint32_t)model64(op, a, b);
    }
}

/* Operand shapes: both loaded, y a constant, x a constant. */
enum { BOTH_REG, Y_CONST, X_CONST, N_SHAPES };

static ir_val operand(ir_block *b, ir_type t, int shape, int which, int64_t v)
{
    bool is_const = (shape == Y_CONST && which == 1) || (shape == X_CONST && which == 0);
    return is_const ? ir_const(b, t, v) : ir_ctx_load(b, t, 8 * which);
}

static void check_binop(ir_op op, ir_type t, int shape, int64_t x, int64_t y)
{
    ir_block *b = ir_block_new(0x1000);
    cpu[0] = (uint64_t)x;
    cpu[1] = (uint64_t)y;
    cpu[2] = 0;
    ir_val vx = operand(b, t, shape, 0, x), vy = operand(b, t, shape, 1, y);
    ir_ctx_store(b, ir_binop(b, op, t, vx, vy), 16);
    ir_syscall(b, 0x1004);
    x86_ret r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
    uint64_t want = t == IR_I32 ? model32(op, (int32_t)x, (int32_t)y) : model64(op, x, y);
    cr_assert_eq(cpu[2], want, "%s.%s shape %d: %#lx, %#lx -> %#lx, want %#lx", ir_info(op)->name,
                 t == IR_I32 ? "i32" : "i64", shape, x, y, cpu[2], want);
    ir_block_free(b);
}

static void check_op_all(ir_op op)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int s = 0; s < N_SHAPES; s++)
            for (size_t i = 0; i < N_VALS; i++)
                for (size_t j = 0; j < N_VALS; j++)
                    check_binop(op, (ir_type)t, s, vals[i], vals[j]);
}

Test(x86_lower, add_sub_logic)
{
    check_op_all(IR_ADD);
    check_op_all(IR_SUB);
    check_op_all(IR_AND);
    check_op_all(IR_OR);
    check_op_all(IR_XOR);
}

/* An add whose operands live on has a register of its own (lea d, [x + y]
 * when lowered): the sum, and both operands unchanged. */
Test(x86_lower, add_into_a_third_register)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (size_t i = 0; i < N_VALS; i++)
            for (size_t j = 0; j < N_VALS; j++) {
                ir_block *b = ir_block_new(0x1000);
                cpu[0] = (uint64_t)vals[i];
                cpu[1] = (uint64_t)vals[j];
                ir_val x = ir_ctx_load(b, (ir_type)t, 0), y = ir_ctx_load(b, (ir_type)t, 8);
                ir_ctx_store(b, ir_binop(b, IR_ADD, (ir_type)t, x, y), 16);
                ir_ctx_store(b, ir_binop(b, IR_XOR, (ir_type)t, x, y), 24);
                ir_syscall(b, 0x1004);
                cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
                uint64_t sum = t == IR_I32 ? model32(IR_ADD, (int32_t)vals[i], (int32_t)vals[j])
                                           : model64(IR_ADD, vals[i], vals[j]);
                uint64_t x_y = t == IR_I32 ? model32(IR_XOR, (int32_t)vals[i], (int32_t)vals[j])
                                           : model64(IR_XOR, vals[i], vals[j]);
                cr_assert_eq(cpu[2], sum, "add.%s %#lx, %#lx -> %#lx, want %#lx",
                             t == IR_I32 ? "i32" : "i64", vals[i], vals[j], cpu[2], sum);
                cr_assert_eq(cpu[3], x_y, "the operands after the add");
                ir_block_free(b);
            }
}

/* (x << k) + y with y loaded between the two, or before: one lea with an
 * index for k of 1-3 (riscv64's slli + add, an aarch64 add with a
 * shifted register), the plain ops otherwise; a shift with another use
 * stays a shift. */
Test(x86_lower, shift_and_add_as_one_lea)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int k = 1; k <= 4; k++)
            for (int shape = 0; shape < 3; shape++)
                for (size_t i = 0; i < N_VALS; i += 3)
                    for (size_t j = 0; j < N_VALS; j += 5) {
                        ir_block *b = ir_block_new(0x1000);
                        cpu[0] = (uint64_t)vals[i];
                        cpu[1] = (uint64_t)vals[j];
                        ir_val y = shape == 1 ? ir_ctx_load(b, (ir_type)t, 8) : IR_NONE;
                        ir_val x = ir_ctx_load(b, (ir_type)t, 0);
                        ir_val sh = ir_binop(b, IR_SHL, (ir_type)t, x, ir_const(b, (ir_type)t, k));
                        if (shape != 1)
                            y = ir_ctx_load(b, (ir_type)t, 8);
                        ir_ctx_store(b, ir_binop(b, IR_ADD, (ir_type)t, sh, y), 16);
                        if (shape == 2)
                            ir_ctx_store(b, sh, 24);
                        ir_syscall(b, 0x1004);
                        cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
                        uint64_t want = t == IR_I32
                            ? (uint32_t)(((uint32_t)vals[i] << k) + (uint32_t)vals[j])
                            : ((uint64_t)vals[i] << k) + (uint64_t)vals[j];
                        cr_assert_eq(cpu[2], want, "(%#lx << %d) + %#lx (%s, shape %d): %#lx",
                                     vals[i], k, vals[j], t == IR_I32 ? "i32" : "i64", shape,
                                     cpu[2]);
                        ir_block_free(b);
                    }
}

Test(x86_lower, shifts) /* counts 0, 1, 31, 32, 33, 63, 64 are in vals */
{
    check_op_all(IR_SHL);
    check_op_all(IR_SHR);
    check_op_all(IR_SAR);
}

Test(x86_lower, rotates)
{
    check_op_all(IR_ROTL);
    check_op_all(IR_ROTR);
}

static uint64_t model_unary(ir_op op, ir_type t, uint64_t v)
{
    unsigned w = t == IR_I32 ? 32 : 64;
    if (w == 32)
        v = (uint32_t)v;
    switch (op) {
    case IR_CLZ: return v ? (uint64_t)__builtin_clzll(v) - (64 - w) : w;
    case IR_CTZ: return v ? (uint64_t)__builtin_ctzll(v) : w;
    case IR_POPCNT: return (uint64_t)__builtin_popcountll(v);
    case IR_BITREV: {
        uint64_t r = 0;
        for (unsigned k = 0; k < w; k++)
            r |= (v >> k & 1) << (w - 1 - k);
        return r;
    }
    default: return w == 32 ? __builtin_bswap32((uint32_t)v) : __builtin_bswap64(v);
    }
}

/* Each op with the CPU's instruction and with the fallback (bsr/bsf/SWAR),
 * operand in a register, a slot (after spilling) or a constant. */
Test(x86_lower, bit_counts_and_bswap)
{
    static const ir_op ops[] = {IR_CLZ, IR_CTZ, IR_POPCNT, IR_BSWAP, IR_BITREV};
    x86_cpu_init();
    x86_cpu_features saved = x86_cpu;
    for (int fast = 0; fast < 2; fast++) {
        x86_cpu.lzcnt = fast && saved.lzcnt;
        x86_cpu.tzcnt = fast && saved.tzcnt;
        x86_cpu.popcnt = fast && saved.popcnt;
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
            for (int t = IR_I32; t <= IR_I64; t++)
                for (int konst = 0; konst < 2; konst++)
                    for (size_t i = 0; i < N_VALS; i++) {
                        ir_block *b = ir_block_new(0x1000);
                        cpu[0] = (uint64_t)vals[i];
                        cpu[2] = 0x5555;
                        ir_val x = konst ? ir_const(b, (ir_type)t, vals[i]) : ir_ctx_load(b, (ir_type)t, 0);
                        ir_val r = ir_emit(b, ops[o], (ir_type)t, x, IR_NONE, IR_NONE, 0, 0);
                        ir_ctx_store(b, ir_zext(b, IR_I64, r, t == IR_I32 ? 32 : 64), 16);
                        ir_syscall(b, 0);
                        run(b);
                        uint64_t want = model_unary(ops[o], (ir_type)t, (uint64_t)vals[i]);
                        cr_assert_eq(cpu[2], want, "%s.%s fast %d const %d of %#lx: %#lx", ir_info(ops[o])->name,
                                     t == IR_I32 ? "i32" : "i64", fast, konst, vals[i], cpu[2]);
                        ir_block_free(b);
                    }
    }
    x86_cpu = saved;
}

Test(x86_lower, multiply)
{
    check_op_all(IR_MUL);
    check_op_all(IR_MULHS);
    check_op_all(IR_MULHU);
    check_op_all(IR_MULHSU);
}

Test(x86_lower, divide) /* x/0, MIN/-1 and their i32 forms are in vals */
{
    check_op_all(IR_DIVS);
    check_op_all(IR_DIVU);
    check_op_all(IR_REMS);
    check_op_all(IR_REMU);
}

Test(x86_lower, setcc_every_cond)
{
    for (int c = 0; c < IR_NUM_CMP_CONDS; c++)
        for (int t = IR_I32; t <= IR_I64; t++)
            for (int s = 0; s < N_SHAPES; s++)
                for (size_t i = 0; i < N_VALS; i++)
                    for (size_t j = 0; j < N_VALS; j++) {
                        ir_block *b = ir_block_new(0x1000);
                        cpu[0] = (uint64_t)vals[i];
                        cpu[1] = (uint64_t)vals[j];
                        cpu[2] = 0x5555;
                        ir_val x = operand(b, (ir_type)t, s, 0, vals[i]);
                        ir_val y = operand(b, (ir_type)t, s, 1, vals[j]);
                        ir_ctx_store(b, ir_zext(b, IR_I64, ir_setcc(b, (ir_type)t, (ir_cond)c, x, y), 32), 16);
                        ir_syscall(b, 0);
                        run(b);
                        cr_assert_eq(cpu[2], model_cond((ir_cond)c, (ir_type)t, vals[i], vals[j]),
                                     "cond %d type %d shape %d: %#lx ? %#lx", c, t, s, vals[i], vals[j]);
                        ir_block_free(b);
                    }
}

Test(x86_lower, branch_every_cond)
{
    for (int c = 0; c < IR_NUM_CMP_CONDS; c++)
        for (int t = IR_I32; t <= IR_I64; t++)
            for (size_t i = 0; i < N_VALS; i += 3)
                for (size_t j = 0; j < N_VALS; j += 2) {
                    ir_block *b = ir_block_new(0x1000);
                    cpu[0] = (uint64_t)vals[i];
                    cpu[1] = (uint64_t)vals[j];
                    ir_branch(b, (ir_type)t, (ir_cond)c, ir_ctx_load(b, (ir_type)t, 0),
                              ir_ctx_load(b, (ir_type)t, 8), 0x2000, 0x1008);
                    x86_ret r = run(b);
                    bool taken = model_cond((ir_cond)c, (ir_type)t, vals[i], vals[j]);
                    cr_assert_eq(r.reason, X86_EXIT_CHAIN);
                    cr_assert_eq(cpu[32], taken ? 0x2000 : 0x1008);
                    cr_assert_eq(low.n_exits, 2);
                    int e = low.exits[0].target_pc == cpu[32] ? 0 : 1;
                    cr_assert_eq(low.exits[e].target_pc, cpu[32]);
                    cr_assert_eq(r.detail, (uint64_t)rx + BLOCK_OFF + low.exits[e].jmp_off);
                    ir_block_free(b);
                }
}

/* An exit's compact stub (a call of the tail after leave and its data,
 * x86.h) stores any pc, one that fits a signed 32-bit field or not, and
 * leaves with the jmp's address in rdx. */
Test(x86_lower, chain_stubs_of_every_pc_width)
{
    static const uint64_t pcs[] = {0x1008, 0x7ffffffc, 0x80000000, 0x3f00001234,
                                   0xffffffff80000010ull, 0x7fff00001000ull};
    for (size_t k = 0; k < sizeof pcs / sizeof pcs[0]; k++)
        for (int taken = 0; taken < 2; taken++) {
            ir_block *b = ir_block_new(0x1000);
            cpu[0] = (uint64_t)taken;
            ir_branch(b, IR_I64, IR_NE, ir_ctx_load(b, IR_I64, 0), ir_const(b, IR_I64, 0), pcs[k],
                      0x2000);
            x86_ret r = run(b);
            uint64_t want = taken ? pcs[k] : 0x2000;
            cr_assert_eq(r.reason, X86_EXIT_CHAIN);
            cr_assert_eq(cpu[32], want, "pc %#lx", (unsigned long)want);
            int e = low.exits[0].target_pc == want ? 0 : 1;
            cr_assert_eq(r.detail, (uint64_t)rx + BLOCK_OFF + low.exits[e].jmp_off);
            cr_assert_eq(rw[BLOCK_OFF + low.exits[e].stub_off], 0xe8, "a compact stub: a call");
            ir_block_free(b);
        }
}

Test(x86_lower, sext_zext)
{
    static const int from[] = {8, 16, 32};
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int f = 0; f < 3; f++)
            for (size_t i = 0; i < N_VALS; i++)
                for (int sign = 0; sign < 2; sign++) {
                    if (t == IR_I32 && from[f] == 32 && sign)
                        continue;
                    ir_block *b = ir_block_new(0x1000);
                    cpu[0] = (uint64_t)vals[i] ^ 0x8000000000008080ULL;
                    cpu[2] = 0;
                    ir_val x = ir_ctx_load(b, IR_I64, 0);
                    if (t == IR_I32)
                        x = ir_emit(b, IR_ZEXT, IR_I32, x, IR_NONE, IR_NONE, 32, 0); /* the low half */
                    ir_val r = sign ? ir_sext(b, (ir_type)t, x, from[f]) : ir_zext(b, (ir_type)t, x, from[f]);
                    ir_ctx_store(b, r, 16);
                    ir_syscall(b, 0);
                    run(b);
                    uint64_t m = (UINT64_C(1) << from[f]) - 1, v = cpu[0] & m;
                    if (sign && (v >> (from[f] - 1)))
                        v |= ~m;
                    if (t == IR_I32)
                        v = (uint32_t)v;
                    cr_assert_eq(cpu[2], v, "ext from %d sign %d type %d of %#lx", from[f], sign, t, cpu[0]);
                    ir_block_free(b);
                }
}

/* An i32 op may read an i64 (aarch64's lsr w9, w20, wzr reads x20): its
 * result is the low half, zero-extended, even where it is a move onto
 * itself (shift by 0, identity op, select on a constant), so that the
 * zext to i64 after it, which emits nothing for such a result, is right. */
Test(x86_lower, i32_of_an_i64_is_zero_extended)
{
    static const ir_op ops[] = {IR_SHR, IR_SHL, IR_SAR, IR_ROTL, IR_ADD, IR_OR, IR_XOR, IR_AND, IR_SELECT};
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (size_t i = 0; i < N_VALS; i++) {
            ir_block *b = ir_block_new(0x1000);
            cpu[0] = (uint64_t)vals[i] ^ 0xdead000000000000ULL;
            cpu[2] = 0x5555;
            ir_val x = ir_ctx_load(b, IR_I64, 0), r;
            if (ops[o] == IR_SELECT)
                r = ir_emit(b, IR_SELECT, IR_I32, ir_const(b, IR_I32, 1), x, ir_const(b, IR_I32, 7), 0, 0);
            else
                r = ir_binop(b, ops[o], IR_I32, x, ir_const(b, IR_I32, ops[o] == IR_AND ? -1 : 0));
            ir_ctx_store(b, ir_zext(b, IR_I64, r, 32), 16);
            ir_syscall(b, 0);
            run(b);
            cr_assert_eq(cpu[2], (uint32_t)cpu[0], "%s.i32 of %#lx", ir_info(ops[o])->name, cpu[0]);
            ir_block_free(b);
        }
}

Test(x86_lower, select)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int k = 0; k < 4; k++) {
            int64_t cond = k == 0 ? 0 : k == 1 ? 1 : k == 2 ? 0x100000000LL : -1;
            for (int s = 0; s < 3; s++) {
                ir_block *b = ir_block_new(0x1000);
                cpu[0] = (uint64_t)cond;
                cpu[1] = 0x1111111122222222ULL;
                cpu[3] = 0x3333333344444444ULL;
                ir_val c = ir_ctx_load(b, (ir_type)t, 0);
                ir_val x = s == 1 ? ir_const(b, (ir_type)t, 77) : ir_ctx_load(b, (ir_type)t, 8);
                ir_val y = s == 2 ? ir_const(b, (ir_type)t, -5) : ir_ctx_load(b, (ir_type)t, 24);
                ir_ctx_store(b, ir_select(b, (ir_type)t, c, x, y), 16);
                ir_syscall(b, 0);
                cpu[2] = 0;
                run(b);
                bool nz = t == IR_I32 ? (int32_t)cond != 0 : cond != 0;
                uint64_t want = nz ? (s == 1 ? 77 : cpu[1]) : (s == 2 ? (uint64_t)-5 : cpu[3]);
                if (t == IR_I32)
                    want = (uint32_t)want;
                cr_assert_eq(cpu[2], want, "select type %d cond %#lx shape %d", t, cond, s);
                ir_block_free(b);
            }
        }
}

/* select whose value operand is the condition itself (x == c) */
Test(x86_lower, select_aliasing_condition)
{
    for (int k = 0; k < 2; k++) {
        ir_block *b = ir_block_new(0x1000);
        cpu[0] = k ? 9 : 0;
        cpu[1] = 4;
        ir_val c = ir_ctx_load(b, IR_I64, 0);
        ir_ctx_store(b, ir_select(b, IR_I64, c, c, ir_ctx_load(b, IR_I64, 8)), 16);
        ir_syscall(b, 0);
        run(b);
        cr_assert_eq(cpu[2], k ? 9 : 4);
        ir_block_free(b);
    }
}

/* ---- memory ---- */

static uint8_t mem[64] __attribute__((aligned(16)));
static const uint8_t pattern[16] = {0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8,
                                    0x09, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70};

static uint64_t read_le(const uint8_t *p, int size, bool sign)
{
    uint64_t v = 0;
    memcpy(&v, p, (size_t)size);
    if (sign && size < 8 && (v >> (8 * size - 1)))
        v |= ~((UINT64_C(1) << (8 * size)) - 1);
    return v;
}

Test(x86_lower, load_every_memop)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int m = 0; m < 8; m++) {
            int size = 1 << (m & 3);
            if (t == IR_I32 && size == 8)
                continue;
            memcpy(mem, pattern, 16);
            ir_block *b = ir_block_new(0x1000);
            cpu[0] = (uint64_t)(uintptr_t)mem;
            cpu[2] = 0;
            ir_ctx_store(b, ir_load(b, (ir_type)t, (ir_memop)m, ir_ctx_load(b, IR_I64, 0)), 16);
            ir_syscall(b, 0);
            run(b);
            uint64_t want = read_le(mem, size, m & IR_MSIGN);
            if (t == IR_I32)
                want = (uint32_t)want;
            cr_assert_eq(cpu[2], want, "load memop %d type %d", m, t);
            ir_block_free(b);
        }
}

/* [base + index << scale + disp] (opt_fold's): every memop and scale,
 * an f64 load, and a store through an index too. */
Test(x86_lower, indexed_loads_and_stores)
{
    for (int m = 0; m < 8; m++)
        for (unsigned sc = 0; sc < 4; sc++) {
            int size = 1 << (m & 3);
            memcpy(mem, pattern, 16);
            ir_block *b = ir_block_new(0x1000);
            cpu[0] = (uint64_t)(uintptr_t)mem - 4 - (2u << sc); /* + (2 << sc) + 4: mem */
            cpu[1] = 2;
            ir_val base = ir_ctx_load(b, IR_I64, 0), ix = ir_ctx_load(b, IR_I64, 8);
            ir_val ld = ir_load(b, IR_I64, (ir_memop)m, base);
            b->insns[ld].a[1] = ix;
            b->insns[ld].imm2 = sc;
            b->insns[ld].imm = 4;
            ir_ctx_store(b, ld, 16);
            ir_syscall(b, 0);
            run(b);
            cr_assert_eq(cpu[2], read_le(mem, size, m & IR_MSIGN), "indexed load memop %d scale %u", m, sc);
            ir_block_free(b);
        }
    double d = 2.5;
    memcpy(mem + 8, &d, 8);
    ir_block *b = ir_block_new(0x1000);
    cpu[0] = (uint64_t)(uintptr_t)mem;
    cpu[1] = 1;
    ir_val base = ir_ctx_load(b, IR_I64, 0), ix = ir_ctx_load(b, IR_I64, 8);
    ir_val f = ir_load(b, IR_F64, IR_M64, base);
    b->insns[f].a[1] = ix;
    b->insns[f].imm2 = 3;
    ir_store(b, IR_M64, base, f); /* [mem + 1 << 3 + 8] = 2.5 */
    b->insns[b->n - 1].a[2] = ix;
    b->insns[b->n - 1].imm2 = 3;
    b->insns[b->n - 1].imm = 8;
    ir_syscall(b, 0);
    run(b);
    double got;
    memcpy(&got, mem + 16, 8);
    cr_assert_eq(got, 2.5);
    ir_block_free(b);
}

Test(x86_lower, store_every_size)
{
    for (int m = 0; m < 4; m++)
        for (int s = 0; s < 2; s++) {
            memset(mem, 0xee, sizeof mem);
            ir_block *b = ir_block_new(0x1000);
            cpu[0] = (uint64_t)(uintptr_t)mem + 8;
            cpu[1] = 0x0102030405060708ULL;
            ir_val v = s ? ir_const(b, IR_I64, 0x05060708) : ir_ctx_load(b, IR_I64, 8);
            ir_store(b, (ir_memop)m, ir_ctx_load(b, IR_I64, 0), v);
            ir_syscall(b, 0);
            run(b);
            uint64_t src = s ? 0x05060708 : cpu[1];
            for (int k = 0; k < 24; k++) {
                uint8_t want = k >= 8 && k < 8 + (1 << m) ? (uint8_t)(src >> (8 * (k - 8))) : 0xee;
                cr_assert_eq(mem[k], want, "store size %d byte %d", 1 << m, k);
            }
            ir_block_free(b);
        }
}

/* LOAD and STORE address a0 + imm (opt_fold's displacements), integer
 * and float, below and above the base. */
/* A constant address below 2^31 (a static program's globals) is a
 * [disp32] operand: loads and stores of each width and of floats there,
 * with displacements. */
Test(x86_lower, loads_and_stores_at_constant_addresses)
{
    const uint64_t at = 0x30000000;
    uint8_t *page = mmap((void *)(uintptr_t)at, 4096, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cr_assert_eq((uint64_t)(uintptr_t)page, at, "a page at 0x30000000");
    static const ir_memop ops[] = {IR_M8, IR_M16, IR_M32, IR_M64};
    for (size_t k = 0; k < 4; k++)
        for (int fl = 0; fl < 2; fl++) {
            if (fl && ops[k] != IR_M64)
                continue;
            memcpy(page, pattern, 16);
            memset(page + 16, 0xee, 32);
            ir_block *b = ir_block_new(0x1000);
            ir_type t = fl ? IR_F64 : IR_I64;
            ir_val v = ir_load(b, t, ops[k], ir_const(b, IR_I64, (int64_t)at + 4));
            b->insns[v].imm = 4; /* (at + 8) */
            ir_val to = ir_const(b, IR_I64, (int64_t)at + 16), st = b->n;
            ir_store(b, ops[k], to, v);
            b->insns[st].imm = 8; /* (at + 24) */
            ir_syscall(b, 0);
            run(b);
            unsigned n = 1u << k;
            cr_assert(!memcmp(page + 24, page + 8, n), "width %u float %d", n, fl);
            cr_assert_eq(page[24 + n], 0xee, "width %u float %d: no more than its bytes", n, fl);
            ir_block_free(b);
        }
    munmap(page, 4096);
}

/* A table at a constant address below 2^31 indexed by x << k: for k of
 * 1-3 the access is [x * 2^k + disp32] and the shift writes nothing
 * (aarch64's `ldr w1, [x0, w2, sxtw #2]` with x0 a constant); a shift by
 * 4, one also stored elsewhere, and one that is also the value stored
 * stay shifts.  Loads and stores, each shape, against the table's bytes. */
Test(x86_lower, scaled_index_at_a_constant_address)
{
    const uint64_t at = 0x30000000;
    uint8_t *page = mmap((void *)(uintptr_t)at, 4096, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    cr_assert_eq((uint64_t)(uintptr_t)page, at, "a page at 0x30000000");
    for (int k = 1; k <= 4; k++)
        for (int shape = 0; shape < 4; shape++)
            for (uint64_t x = 0; x < 8; x++) {
                for (int i = 0; i < 4096; i++)
                    page[i] = (uint8_t)(i * 7 + 1);
                ir_block *b = ir_block_new(0x1000);
                cpu[0] = x;
                cpu[1] = 0x1122334455667788ull;
                ir_val xv = ir_ctx_load(b, IR_I64, 0);
                ir_val sh = ir_binop(b, IR_SHL, IR_I64, xv, ir_const(b, IR_I64, k));
                ir_val base = ir_const(b, IR_I64, (int64_t)at), addr;
                addr = ir_binop(b, IR_ADD, IR_I64, sh, base);
                if (shape == 0) {
                    ir_ctx_store(b, ir_load(b, IR_I64, IR_M32, addr), 16);
                } else if (shape == 1) {
                    ir_ctx_store(b, ir_load(b, IR_I64, IR_M32, addr), 16);
                    ir_ctx_store(b, sh, 24);
                } else if (shape == 2) {
                    ir_store(b, IR_M64, addr, ir_ctx_load(b, IR_I64, 8));
                } else {
                    ir_store(b, IR_M64, addr, sh);
                }
                ir_syscall(b, 0x1004);
                opt_run(b, NULL);
                cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
                uint64_t off = x << k, want;
                uint8_t expect[8];
                if (shape <= 1) {
                    uint32_t w;
                    for (int j = 0; j < 4; j++)
                        expect[j] = (uint8_t)((off + (uint64_t)j) * 7 + 1);
                    memcpy(&w, expect, 4);
                    cr_assert_eq(cpu[2], w, "k %d shape %d x %lu: loaded %#lx, want %#x", k,
                                 shape, (unsigned long)x, cpu[2], w);
                    if (shape == 1)
                        cr_assert_eq(cpu[3], off, "the shift's other use");
                } else {
                    want = shape == 2 ? 0x1122334455667788ull : off;
                    uint64_t got;
                    memcpy(&got, page + off, 8);
                    cr_assert_eq(got, want, "k %d shape %d x %lu: stored %#lx, want %#lx", k,
                                 shape, (unsigned long)x, got, want);
                    cr_assert_eq(page[off + 8], (uint8_t)((off + 8) * 7 + 1), "no more bytes");
                }
                ir_block_free(b);
            }
    munmap(page, 4096);
}

Test(x86_lower, load_store_displacements)
{
    for (int disp = -8; disp <= 8; disp += 8)
        for (int fl = 0; fl < 2; fl++) {
            memcpy(mem, pattern, 16);
            memset(mem + 16, 0xee, 16);
            ir_block *b = ir_block_new(0x1000);
            cpu[0] = (uint64_t)(uintptr_t)mem + 8;
            ir_type t = fl ? IR_F64 : IR_I64;
            ir_val base = ir_ctx_load(b, IR_I64, 0);
            ir_val v = ir_load(b, t, IR_M64, base);
            b->insns[v].imm = disp;
            ir_val st = b->n;
            ir_store(b, IR_M64, base, v);
            b->insns[st].imm = disp + 16;
            ir_syscall(b, 0);
            run(b);
            cr_assert(!memcmp(mem + 8 + disp + 16, mem + 8 + disp, 8), "disp %d float %d", disp, fl);
            ir_block_free(b);
        }
}

Test(x86_lower, cas_every_size)
{
    for (int m = 0; m < 8; m++)
        for (int hit = 0; hit < 2; hit++) {
            int size = 1 << (m & 3);
            memcpy(mem, pattern, 16);
            uint64_t old = read_le(mem, size, false);
            ir_block *b = ir_block_new(0x1000);
            cpu[0] = (uint64_t)(uintptr_t)mem;
            cpu[1] = hit ? old : old ^ 1;
            cpu[3] = 0x1122334455667788ULL;
            ir_val r = ir_cas(b, IR_I64, (ir_memop)m, ir_ctx_load(b, IR_I64, 0),
                              ir_ctx_load(b, IR_I64, 8), ir_ctx_load(b, IR_I64, 24));
            ir_ctx_store(b, r, 16);
            ir_syscall(b, 0);
            run(b);
            cr_assert_eq(cpu[2], read_le(pattern, size, m & IR_MSIGN), "cas memop %d", m);
            uint64_t now = read_le(mem, size, false);
            cr_assert_eq(now, hit ? read_le((uint8_t *)&cpu[3], size, false) : old);
            cr_assert_eq(memcmp(mem + size, pattern + size, (size_t)(16 - size)), 0);
            ir_block_free(b);
        }
}

static uint64_t model_rmw(ir_rmw_kind k, int size, uint64_t o, uint64_t v)
{
    int64_t so = (int64_t)read_le((uint8_t *)&o, size, true), sv = (int64_t)read_le((uint8_t *)&v, size, true);
    uint64_t uo = read_le((uint8_t *)&o, size, false), uv = read_le((uint8_t *)&v, size, false);
    switch (k) {
    case IR_RMW_XCHG: return v;
    case IR_RMW_ADD: return o + v;
    case IR_RMW_AND: return o & v;
    case IR_RMW_OR: return o | v;
    case IR_RMW_XOR: return o ^ v;
    case IR_RMW_SMIN: return so <= sv ? o : v;
    case IR_RMW_SMAX: return so >= sv ? o : v;
    case IR_RMW_UMIN: return uo <= uv ? o : v;
    default: return uo >= uv ? o : v;
    }
}

Test(x86_lower, rmw_every_kind_and_size)
{
    static const uint64_t operands[] = {0x0102030405060708ULL, 0xfffffffffffffff0ULL, 0x7f7f7f7f7f7f7f7fULL};
    for (int k = 0; k < IR_NUM_RMW; k++)
        for (int m = 0; m < 8; m++)
            for (size_t o = 0; o < 3; o++)
                for (int s = 0; s < 2; s++) {
                    int size = 1 << (m & 3);
                    memcpy(mem, pattern, 16);
                    uint64_t old = read_le(mem, size, false);
                    ir_block *b = ir_block_new(0x1000);
                    cpu[0] = (uint64_t)(uintptr_t)mem;
                    cpu[1] = operands[o];
                    ir_val v = s ? ir_const(b, IR_I64, -16) : ir_ctx_load(b, IR_I64, 8);
                    ir_val r = ir_rmw(b, IR_I64, (ir_memop)m, (ir_rmw_kind)k, ir_ctx_load(b, IR_I64, 0), v);
                    ir_ctx_store(b, r, 16);
                    ir_syscall(b, 0);
                    run(b);
                    uint64_t opv = s ? (uint64_t)-16 : operands[o];
                    cr_assert_eq(cpu[2], read_le(pattern, size, m & IR_MSIGN), "rmw %d memop %d: old", k, m);
                    uint64_t want = model_rmw((ir_rmw_kind)k, size, old, opv);
                    cr_assert_eq(read_le(mem, size, false), read_le((uint8_t *)&want, size, false),
                                 "rmw %d memop %d operand %#lx", k, m, opv);
                    cr_assert_eq(memcmp(mem + size, pattern + size, (size_t)(16 - size)), 0);
                    ir_block_free(b);
                }
}

Test(x86_lower, fences_run)
{
    ir_block *b = ir_block_new(0x1000);
    ir_fence(b, IR_FENCE_FULL);
    ir_fence(b, IR_FENCE_ACQ);
    ir_fence(b, IR_FENCE_REL);
    ir_syscall(b, 0x44);
    cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
    ir_block_free(b);
}

/* ---- calls and register pressure ---- */

/* Trashes every caller-saved register, as any C function may. */
static uint64_t helper_fn(void *c, uint64_t a0, uint64_t a1, uint64_t a2)
{
    __asm__ volatile("mov $-1, %%rsi; mov $-1, %%rdi; mov $-1, %%r8; mov $-1, %%r9;"
                     "mov $-1, %%r10; mov $-1, %%r11; mov $-1, %%rcx; mov $-1, %%rdx"
                     ::: "rsi", "rdi", "r8", "r9", "r10", "r11", "rcx", "rdx");
    ((uint64_t *)c)[5] = 0xcafe;
    return a0 * 100 + a1 * 10 + a2;
}
static const ir_helper helper = {"test_helper", helper_fn, 3};

Test(x86_lower, call_keeps_live_values)
{
    ir_block *b = ir_block_new(0x1000);
    ir_val v[14];
    for (int k = 0; k < 14; k++) {
        cpu[k < 5 ? k : k + 6] = (uint64_t)(k + 1) * 0x10001;
        v[k] = ir_ctx_load(b, IR_I64, 8 * (k < 5 ? k : k + 6));
    }
    /* arguments in swapped places, so they must be shuffled */
    ir_val r = ir_call(b, &helper, v[2], v[0], v[1]);
    ir_val sum = r;
    for (int k = 0; k < 14; k++)
        sum = ir_binop(b, IR_ADD, IR_I64, sum, ir_binop(b, IR_MUL, IR_I64, v[k], ir_const(b, IR_I64, k + 1)));
    ir_ctx_store(b, sum, 8 * 30);
    ir_syscall(b, 0);
    run(b);
    uint64_t want = 3 * 0x10001 * 100 + 1 * 0x10001 * 10 + 2 * 0x10001;
    for (int k = 0; k < 14; k++)
        want += (uint64_t)(k + 1) * 0x10001 * (uint64_t)(k + 1);
    cr_assert_eq(cpu[5], 0xcafe, "the helper got the cpu pointer");
    cr_assert_eq(cpu[30], want);
}

/* Arguments that die at the call sit in rsi/rdi (the first registers the
 * allocator hands out) and must be read before those are overwritten. */
Test(x86_lower, call_shuffles_arguments)
{
    ir_block *b = ir_block_new(0x1000);
    cpu[0] = 1;
    cpu[1] = 2;
    cpu[2] = 3;
    ir_val x = ir_ctx_load(b, IR_I64, 0), y = ir_ctx_load(b, IR_I64, 8), z = ir_ctx_load(b, IR_I64, 16);
    ir_ctx_store(b, ir_call(b, &helper, z, x, y), 8 * 30);
    ir_ctx_store(b, ir_call(b, &helper, y, z, ir_const(b, IR_I64, 7)), 8 * 31);
    ir_syscall(b, 0);
    run(b);
    cr_assert_eq(cpu[30], 312);
    cr_assert_eq(cpu[31], 237);
    ir_block_free(b);
}

/* More live values than registers: each of 24 loads stays live to the end. */
Test(x86_lower, spilling)
{
    for (int big = 0; big < 2; big++) {
        ir_block *b = ir_block_new(0x1000);
        ir_val v[24];
        for (int k = 0; k < 24; k++) {
            cpu[k] = (uint64_t)k * 0x123456789ULL + 1;
            v[k] = ir_ctx_load(b, IR_I64, 8 * k);
        }
        ir_val acc = big ? ir_const(b, IR_I64, 0x7000000000000001LL) : ir_const(b, IR_I64, 0);
        for (int k = 23; k >= 0; k--)
            acc = ir_binop(b, k & 1 ? IR_XOR : IR_SUB, IR_I64, ir_binop(b, IR_MUL, IR_I64, acc, ir_const(b, IR_I64, 3)), v[k]);
        /* a second pass over every value keeps them all live until here */
        for (int k = 0; k < 24; k++)
            acc = ir_binop(b, IR_ADD, IR_I64, acc, ir_binop(b, IR_SHR, IR_I64, v[k], ir_const(b, IR_I64, k)));
        ir_ctx_store(b, acc, 8 * 30);
        ir_syscall(b, 0);
        uint64_t want = big ? 0x7000000000000001ULL : 0;
        for (int k = 23; k >= 0; k--)
            want = k & 1 ? (want * 3) ^ cpu[k] : want * 3 - cpu[k];
        for (int k = 0; k < 24; k++)
            want += cpu[k] >> k;
        run(b);
        cr_assert_eq(cpu[30], want);
        ir_block_free(b);
    }
}

/* ---- exits ---- */

Test(x86_lower, goto_is_a_chainable_site)
{
    ir_block *b = ir_block_new(0x1000);
    ir_goto(b, 0x10078);
    x86_ret r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_CHAIN);
    cr_assert_eq(cpu[32], 0x10078);
    cr_assert_eq(low.n_exits, 1);
    cr_assert_eq(low.exits[0].target_pc, 0x10078);
    uint64_t jmp = (uint64_t)rx + BLOCK_OFF + low.exits[0].jmp_off;
    cr_assert_eq(r.detail, jmp);
    cr_assert_eq((jmp + 1) % 4, 0, "rel32 must be 4-byte aligned");
    cr_assert_eq(rx[BLOCK_OFF + low.exits[0].jmp_off], 0xe9);
    ir_block_free(b);
}

Test(x86_lower, chaining_patches_the_jump)
{
    ir_block *a = ir_block_new(0x1000), *b = ir_block_new(0x2000);
    ir_goto(a, 0x2000);
    ir_syscall(b, 0x2004);
    size_t a_off = BLOCK_OFF + 1, b_off = 4096; /* odd offset: padding must still align */
    cr_assert(x86_lower_block(b, &tgt, rw + b_off, 4096, (uint64_t)rx + b_off, &low) > 0);
    cr_assert(x86_lower_block(a, &tgt, rw + a_off, 4096, (uint64_t)rx + a_off, &low) > 0);
    uint32_t j = low.exits[0].jmp_off;
    cr_assert_eq(((uint64_t)rx + a_off + j + 1) % 4, 0);
    x86_ret r = enter(cpu, rx + a_off);
    cr_assert_eq(r.reason, X86_EXIT_CHAIN);
    x86_patch_jmp(rw + a_off + j + 1, (uint64_t)rx + a_off + j, (uint64_t)rx + b_off);
    r = enter(cpu, rx + a_off);
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
    cr_assert_eq(cpu[32], 0x2004);
    ir_block_free(a);
    ir_block_free(b);
}

/* ---- the return-address stack (x86.h) ---- */

/* Lower b at off; its exits in *l. */
static void lower_at(ir_block *b, size_t off, x86_lowered *l)
{
    cr_assert(x86_lower_block(b, &tgt, rw + off, 4096, (uint64_t)rx + off, l) > 0);
}

/* Chain exit k of the block at off (lowered into l) to the code at to. */
static void chain_to(size_t off, const x86_lowered *l, int k, size_t to)
{
    uint64_t at = (uint64_t)rx + off + l->exits[k].jmp_off;
    x86_patch_jmp(rw + off + l->exits[k].jmp_off + 1, at, (uint64_t)rx + to);
}

/* caller: x1 = 0x1008; call 0x2000 (returns to 0x1008).  callee: return
 * to x1.  at 0x1008: syscall.  Chained, the return goes by `ret 8` to the
 * call's continuation; a return elsewhere takes the IBTC and misses. */
Test(x86_lower, call_and_return)
{
    ir_block *a = ir_block_new(0x1000), *b = ir_block_new(0x2000), *c = ir_block_new(0x1008);
    ir_ctx_store(a, ir_const(a, IR_I64, 0x1008), 8);
    ir_goto_call(a, 0x2000, 0x1008);
    ir_goto_return(b, ir_ctx_load(b, IR_I64, 8));
    ir_syscall(c, 0x100c);
    size_t a_off = BLOCK_OFF + 3, b_off = 4096, c_off = 8192;
    x86_lowered la, lb, lc;
    lower_at(a, a_off, &la);
    lower_at(b, b_off, &lb);
    lower_at(c, c_off, &lc);
    cr_assert_eq(la.n_exits, 2, "the call and its continuation");
    int call = la.exits[0].target_pc == 0x2000 ? 0 : 1;
    cr_assert_eq(la.exits[call].target_pc, 0x2000);
    cr_assert_eq(la.exits[1 - call].target_pc, 0x1008);
    cr_assert_eq(rx[a_off + la.exits[call].jmp_off], 0xe8, "a host call");
    cr_assert_eq(((uint64_t)rx + a_off + la.exits[call].jmp_off + 1) % 4, 0);
    /* unchained: the call leaves for its target, the frame intact */
    x86_ret r = enter(cpu, rx + a_off);
    cr_assert_eq(r.reason, X86_EXIT_CHAIN);
    cr_assert_eq(r.detail, (uint64_t)rx + a_off + la.exits[call].jmp_off);
    cr_assert_eq(cpu[32], 0x2000);
    /* the callee entered alone: the sentinel matches no return */
    memset(ibtc, 0, sizeof ibtc);
    r = enter(cpu, rx + b_off);
    cr_assert_eq(r.reason, X86_EXIT_LOOKUP);
    cr_assert_eq(cpu[32], 0x1008);
    chain_to(a_off, &la, call, b_off);
    chain_to(a_off, &la, 1 - call, c_off);
    r = enter(cpu, rx + a_off);
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL, "returned through the stack");
    cr_assert_eq(cpu[32], 0x100c);
    cpu[1] = 0x1010; /* the caller's block overwrote the return address */
    ir_block_reset(a, 0x1000);
    ir_ctx_store(a, ir_const(a, IR_I64, 0x1010), 8);
    ir_goto_call(a, 0x2000, 0x1008);
    lower_at(a, a_off, &la);
    call = la.exits[0].target_pc == 0x2000 ? 0 : 1;
    chain_to(a_off, &la, call, b_off);
    chain_to(a_off, &la, 1 - call, c_off);
    r = enter(cpu, rx + a_off);
    cr_assert_eq(r.reason, X86_EXIT_LOOKUP, "a return elsewhere looks up");
    cr_assert_eq(cpu[32], 0x1010);
    /* a return to the sentinel's own pc is a lookup of it */
    cpu[1] = X86_RAS_NONE;
    r = enter(cpu, rx + b_off);
    cr_assert_eq(r.reason, X86_EXIT_LOOKUP);
    cr_assert_eq(cpu[32], X86_RAS_NONE);
    ir_block_free(a);
    ir_block_free(b);
    ir_block_free(c);
}

/* A recursion ten times deeper than the stack: at 0x3000, x2 -= 1; if x2
 * is 0 return to x1, else call 0x3000 returning to 0x3008 (the caller's
 * x1 stays 0x3008, each level returns there); 0x3008 returns again, and
 * the outermost return reaches the syscall at 0x4000.  Calls past the
 * depth start from the sentinel again, so the oldest returns miss: the
 * first looks up, the others find it in the indirect-branch cache. */
Test(x86_lower, calls_deeper_than_the_stack)
{
    ir_block *f = ir_block_new(0x3000), *rec = ir_block_new(0x3004),
             *back = ir_block_new(0x3008), *done = ir_block_new(0x4000);
    ir_val n = ir_binop(f, IR_SUB, IR_I64, ir_ctx_load(f, IR_I64, 16), ir_const(f, IR_I64, 1));
    ir_ctx_store(f, n, 16);
    ir_branch(f, IR_I64, IR_EQ, n, ir_const(f, IR_I64, 0), 0x3008, 0x3004);
    ir_ctx_store(rec, ir_const(rec, IR_I64, 0x3008), 8);
    ir_goto_call(rec, 0x3000, 0x3008);
    ir_val k = ir_binop(back, IR_ADD, IR_I64, ir_ctx_load(back, IR_I64, 24), ir_const(back, IR_I64, 1));
    ir_ctx_store(back, k, 24);
    ir_branch(back, IR_I64, IR_EQ, k, ir_ctx_load(back, IR_I64, 32), 0x4000, 0x300c);
    ir_block *ret = ir_block_new(0x300c);
    ir_goto_return(ret, ir_ctx_load(ret, IR_I64, 8));
    ir_syscall(done, 0x4004);
    size_t off[5] = {BLOCK_OFF, 4096, 8192, 12288, 16384};
    x86_lowered l[5];
    ir_block *blk[5] = {f, rec, back, ret, done};
    for (int i = 0; i < 5; i++)
        lower_at(blk[i], off[i], &l[i]);
    /* chain every direct exit to its block */
    const uint64_t pcs[5] = {0x3000, 0x3004, 0x3008, 0x300c, 0x4000};
    for (int i = 0; i < 5; i++)
        for (uint32_t e = 0; e < l[i].n_exits; e++)
            for (int j = 0; j < 5; j++)
                if (l[i].exits[e].target_pc == pcs[j])
                    chain_to(off[i], &l[i], (int)e, off[j]);
    uint64_t depth = 10 * X86_RAS_DEPTH;
    cpu[2] = depth;
    cpu[3] = 0;
    cpu[4] = depth - 1; /* returns counted at 0x3008 before the last one */
    cpu[1] = 0x3008;
    x86_ret r;
    int lookups = 0;
    memset(ibtc, 0, sizeof ibtc);
    uint64_t code = (uint64_t)rx + off[1];
    for (;;) {
        r = enter(cpu, (const void *)code);
        if (r.reason != X86_EXIT_LOOKUP)
            break;
        cr_assert_eq(cpu[32], 0x3008);
        lookups++;
        code = (uint64_t)rx + off[2];
        ibtc[x86_ibtc_index(0x3008, X86_IBTC_MAX)] = (x86_ibtc_entry){0x3008, code}; /* as the engine would */
    }
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
    cr_assert_eq(cpu[32], 0x4004);
    cr_assert_eq(cpu[3], depth - 1);
    cr_assert_eq(lookups, 1, "one miss, the first return past the sentinel (%d)", lookups);
    for (int i = 0; i < 5; i++)
        ir_block_free(blk[i]);
}

Test(x86_lower, goto_ind_syscall_trap)
{
    ir_block *b = ir_block_new(0x1000);
    cpu[3] = 0x7fff12345678ULL;
    ir_goto_ind(b, ir_ctx_load(b, IR_I64, 24));
    x86_ret r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_LOOKUP);
    cr_assert_eq(cpu[32], 0x7fff12345678ULL);
    cr_assert_eq(low.n_exits, 0);

    /* with the target in the thread's cache, the jump goes straight there */
    ir_block *t = ir_block_new(0x7fff12345678ULL);
    ir_syscall(t, 0x77770);
    cr_assert(x86_lower_block(t, &tgt, rw + BLOCK_OFF + 4096, 4096,
                              (uint64_t)rx + BLOCK_OFF + 4096, &low) > 0);
    ibtc[x86_ibtc_index(cpu[3], X86_IBTC_MAX)] = (x86_ibtc_entry){cpu[3], (uint64_t)rx + BLOCK_OFF + 4096};
    r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL, "an indirect jump to a cached block runs it");
    cr_assert_eq(cpu[32], 0x77770);
    cpu[3] += 2 * X86_IBTC_MAX; /* same slot, another pc: a miss */
    ibtc[x86_ibtc_index(cpu[3], X86_IBTC_MAX)] = (x86_ibtc_entry){cpu[3] - 2 * X86_IBTC_MAX, 1};
    r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_LOOKUP, "a different pc in the slot is a miss");
    cr_assert_eq(cpu[32], cpu[3]);
    memset(ibtc, 0, sizeof ibtc);
    ir_block_free(t);

    ir_block_reset(b, 0x1000);
    ir_syscall(b, 0x4000000004ULL); /* a pc beyond imm32 */
    r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
    cr_assert_eq(cpu[32], 0x4000000004ULL);

    for (int k = 0; k < IR_NUM_TRAPS; k++) {
        ir_block_reset(b, 0x1000);
        ir_trap(b, (ir_trap_kind)k, 0x1230 + (uint64_t)k);
        r = run(b);
        cr_assert_eq(r.reason, X86_EXIT_TRAP);
        cr_assert_eq(r.detail, (uint64_t)k);
        cr_assert_eq(cpu[32], 0x1230 + (uint64_t)k);
    }
    ir_block_free(b);
}

Test(x86_lower, too_small_buffer_fails_cleanly)
{
    ir_block *b = ir_block_new(0x1000);
    ir_goto(b, 0x10078);
    cr_assert_eq(x86_lower_block(b, &tgt, rw + BLOCK_OFF, 8, (uint64_t)rx + BLOCK_OFF, &low), -1);
    ir_block_free(b);
}

/* A block that branches back to its own start keeps the registers it
 * reads in host registers across iterations (lower_loop.c).  Here a and b
 * swap every iteration (a cycle for the back edge's moves), c takes a's
 * value, n counts down, s sums b: after 5 iterations every value must be
 * the one the plain semantics give, in the CPU state, at the exit. */
Test(x86_lower, loop_keeps_registers_across_iterations)
{
    ir_block *b = ir_block_new(0x1000);
    memset(cpu, 0, 32 * 8);
    cpu[0] = 11, cpu[1] = 22, cpu[3] = 5, cpu[4] = 100;
    ir_val a = ir_ctx_load(b, IR_I64, 0), bb = ir_ctx_load(b, IR_I64, 8);
    ir_val n = ir_ctx_load(b, IR_I64, 24), s = ir_ctx_load(b, IR_I64, 32);
    ir_ctx_store(b, bb, 0);
    ir_ctx_store(b, a, 8);
    ir_ctx_store(b, a, 16);
    ir_val n1 = ir_binop(b, IR_SUB, IR_I64, n, ir_const(b, IR_I64, 1));
    ir_ctx_store(b, n1, 24);
    ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, s, bb), 32);
    ir_branch(b, IR_I64, IR_NE, n1, ir_const(b, IR_I64, 0), 0x1000, 0x1004);
    x86_ret r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_CHAIN);
    cr_assert_eq(cpu[32], 0x1004, "left through the fall-through exit");
    cr_assert_eq(cpu[0], 22);
    cr_assert_eq(cpu[1], 11);
    cr_assert_eq(cpu[2], 11, "c = a of the last iteration");
    cr_assert_eq(cpu[3], 0);
    cr_assert_eq(cpu[4], 100 + 22 + 11 + 22 + 11 + 22);
    cr_assert_eq(low.n_exits, 1, "the back edge is no chain exit");

    /* kicked: the back edge's stop check leaves with the loop's pc and
     * the state of the iterations done */
    cpu[3] = 1000000;
    cpu[ENGINE_OFF / 8] |= (uint64_t)1 << (8 * X86_ENG_STOP);
    r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_INTERRUPT);
    cr_assert_eq(cpu[32], 0x1000);
    cpu[ENGINE_OFF / 8] = 0;
    ir_block_free(b);
}

/* A register whose bytes a wider store wrote before the block reads them
 * (an i64 half of a v128 stored first) is not carried: the load must see
 * that store, every iteration. */
Test(x86_lower, loop_does_not_carry_what_a_wider_store_wrote)
{
    ir_block *b = ir_block_new(0x1000);
    memset(cpu, 0, 32 * 8);
    cpu[3] = 3;
    cpu[8] = 1, cpu[9] = 2; /* a v128 at 64 */
    ir_val v = ir_ctx_load(b, IR_V128, 64);
    ir_val n = ir_ctx_load(b, IR_I64, 24);
    ir_ctx_store(b, ir_vop(b, IR_VADD, 3, v, v, IR_NONE, 0), 64); /* lanes doubled */
    ir_val hi = ir_ctx_load(b, IR_I64, 72);
    ir_ctx_store(b, hi, 0);
    ir_val n1 = ir_binop(b, IR_SUB, IR_I64, n, ir_const(b, IR_I64, 1));
    ir_ctx_store(b, n1, 24);
    ir_branch(b, IR_I64, IR_NE, n1, ir_const(b, IR_I64, 0), 0x1000, 0x1004);
    x86_ret r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_CHAIN);
    cr_assert_eq(cpu[8], 8);
    cr_assert_eq(cpu[9], 16);
    cr_assert_eq(cpu[0], 16, "the high half after the last iteration's store");
    ir_block_free(b);
}

/* A v128 read of bytes the block wrote as two i64 halves (fmov d0, x1
 * then cnt v0.8b) is loaded as two halves: the value is the halves'. */
Test(x86_lower, v128_load_after_half_stores)
{
    ir_block *b = ir_block_new(0x1000);
    memset(cpu, 0, 32 * 8);
    cpu[0] = 0x1122334455667788ULL;
    cpu[10] = cpu[11] = ~0ULL;
    ir_ctx_store(b, ir_ctx_load(b, IR_I64, 0), 80);
    ir_ctx_store(b, ir_const(b, IR_I64, 0), 88);
    ir_val v = ir_ctx_load(b, IR_V128, 80);
    ir_ctx_store(b, ir_vop(b, IR_VADD, 3, v, v, IR_NONE, 0), 96);
    ir_syscall(b, 0x1004);
    cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
    cr_assert_eq(cpu[12], 0x1122334455667788ULL * 2);
    cr_assert_eq(cpu[13], 0);
    ir_block_free(b);
}

/* Float registers are carried too, in xmm: two f64 that swap every
 * iteration (a cycle for the back edge) and an f64 sum. */
Test(x86_lower, loop_carries_float_registers)
{
    ir_block *b = ir_block_new(0x1000);
    memset(cpu, 0, 32 * 8);
    double x = 1.5, y = -2.25, s = 0;
    memcpy(&cpu[5], &x, 8), memcpy(&cpu[6], &y, 8), memcpy(&cpu[7], &s, 8);
    cpu[3] = 5;
    ir_val fx = ir_ctx_load(b, IR_F64, 40), fy = ir_ctx_load(b, IR_F64, 48);
    ir_val fs = ir_ctx_load(b, IR_F64, 56), n = ir_ctx_load(b, IR_I64, 24);
    ir_ctx_store(b, fy, 40);
    ir_ctx_store(b, fx, 48);
    ir_ctx_store(b, ir_binop(b, IR_FADD, IR_F64, fs, fx), 56);
    ir_val n1 = ir_binop(b, IR_SUB, IR_I64, n, ir_const(b, IR_I64, 1));
    ir_ctx_store(b, n1, 24);
    ir_branch(b, IR_I64, IR_NE, n1, ir_const(b, IR_I64, 0), 0x1000, 0x1004);
    cr_assert_eq(run(b).reason, X86_EXIT_CHAIN);
    memcpy(&x, &cpu[5], 8), memcpy(&y, &cpu[6], 8), memcpy(&s, &cpu[7], 8);
    cr_assert(x == -2.25 && y == 1.5, "%g %g", x, y);
    cr_assert(s == 1.5 - 2.25 + 1.5 - 2.25 + 1.5, "%g", s);
    ir_block_free(b);
}

/* ---- fixed guest registers (x86.h) ---- */

/* The trampolines again, for a target whose slots 8 and 16 (cpu[1],
 * cpu[2]) are fixed. */
static void fix_slots(void)
{
    tgt.n_fixed = 2;
    tgt.fixed_off[0] = 8;
    tgt.fixed_off[1] = 16;
    cr_assert(x86_emit_leave(rw + X86_TEST_LEAVE, X86_TEST_BLOCKS - X86_TEST_LEAVE,
                             (uint64_t)rx + X86_TEST_LEAVE, &tgt) > 0);
    cr_assert(x86_emit_enter(rw, X86_TEST_LEAVE, (uint64_t)rx, &tgt) > 0);
}

/* Reads 4 bytes of guest memory at a0: faults on a bad pointer. */
static uint64_t peek_fn(void *c, uint64_t a0, uint64_t a1, uint64_t a2)
{
    (void)a1, (void)a2;
    uint64_t *cpu_ = c;
    cpu_[3] = cpu_[1] + cpu_[2]; /* the helper sees the fixed slots stored */
    cpu_[2] = 1000;              /* and what it writes is seen after it */
    helper_fn(c, 0, 0, 0);       /* (trashing the caller-saved registers) */
    return a0;
}
static const ir_helper peek = {"peek", peek_fn, 1};

/* A load of a fixed slot reads the fixed register in place, and keeps the
 * value it read past a store to the slot and past a helper that writes
 * the slot in the state (the register is reloaded after it). */
Test(x86_lower, a_fixed_slot_load_keeps_its_value)
{
    fix_slots();
    ir_block *b = ir_block_new(0x1000);
    ir_val x = ir_ctx_load(b, IR_I64, 8), y = ir_ctx_load(b, IR_I64, 16);
    ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, x, ir_const(b, IR_I64, 1)), 8);
    ir_ctx_store(b, x, 48);
    ir_call(b, &peek, ir_const(b, IR_I64, 1), IR_NONE, IR_NONE); /* cpu[2] = 1000 */
    ir_ctx_store(b, y, 56);
    ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 16),
                             ir_ctx_load(b, IR_I64, 8)), 64);
    ir_syscall(b, 0x1004);
    memset(cpu, 0, sizeof cpu);
    cpu[1] = 7;
    cpu[2] = 40;
    cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
    cr_assert_eq(cpu[1], 8);
    cr_assert_eq(cpu[6], 7, "the value read before the store to its slot");
    cr_assert_eq(cpu[7], 40, "the value read before the helper wrote its slot");
    cr_assert_eq(cpu[8], 1008);
    ir_block_free(b);
}

/* A value stored to a fixed slot is made in the fixed register only when
 * nothing may see the slot before the store (a side exit taken in between
 * or a helper called in between sees the old value) and nothing writes it
 * after the store while the value lives. */
Test(x86_lower, a_value_for_a_fixed_slot_waits_for_its_store)
{
    fix_slots();
    /* nothing, an exit, a call between; a call after that writes the slot */
    for (int between = 0; between < 4; between++) {
        ir_block *b = ir_block_new(0x1000);
        if (between == 3) { /* peek writes cpu[2] = 1000 */
            ir_val v = ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 16), ir_const(b, IR_I64, 5));
            ir_ctx_store(b, v, 16);
            ir_call(b, &peek, ir_const(b, IR_I64, 1), IR_NONE, IR_NONE);
            ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, v, ir_const(b, IR_I64, 1)), 48);
            ir_syscall(b, 0x1004);
            memset(cpu, 0, sizeof cpu);
            cpu[2] = 40;
            cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
            cr_assert_eq(cpu[3], 45, "the helper saw the new value");
            cr_assert_eq(cpu[6], 46, "the value as made, not as the helper left the slot");
            ir_block_free(b);
            continue;
        }
        ir_val x = ir_ctx_load(b, IR_I64, 8);
        ir_val v = ir_binop(b, IR_ADD, IR_I64, x, ir_const(b, IR_I64, 5));
        if (between == 1) {
            ir_val y = ir_ctx_load(b, IR_I64, 24); /* (x is dead: v may take its register) */
            ir_val e = ir_emit(b, IR_EXIT_IF, IR_I64, y, y, IR_NONE, 0x3000, 0x1004);
            b->insns[e].cc = IR_EQ;
            b->n_side_exits++;
        } else if (between == 2) {
            ir_call(b, &peek, ir_const(b, IR_I64, 1), IR_NONE, IR_NONE); /* cpu[3] = cpu[1] + cpu[2] */
        }
        ir_ctx_store(b, v, 8);
        ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, v, ir_const(b, IR_I64, 1)), 48);
        ir_syscall(b, 0x1004);
        memset(cpu, 0, sizeof cpu);
        cpu[1] = 7;
        cpu[2] = 40;
        x86_ret r = run(b);
        if (between == 1) {
            cr_assert_eq(r.reason, X86_EXIT_CHAIN);
            cr_assert_eq(cpu[1], 7, "the state at the side exit: the old value");
        } else {
            cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
            cr_assert_eq(cpu[1], 12);
            cr_assert_eq(cpu[6], 13);
        }
        if (between == 2)
            cr_assert_eq(cpu[3], 7 + 40, "the helper saw the old value");
        ir_block_free(b);
    }
}

/* A value whose one use copies it into a fixed slot (a flags value's
 * save, an i32's zero extension) is made in the fixed register: the
 * saved NZCV and the zero-extended i32 arrive whole. */
Test(x86_lower, a_copy_bound_for_a_fixed_slot)
{
    static const uint64_t xs[] = {5, 7, 0x8000000000000000ull, 0xffffffff00000000ull, 3};
    static const uint64_t ys[] = {5, 9, 1, 0xffffffff00000001ull, 0x7fffffffffffffffull};
    fix_slots();
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        ir_block *b = ir_block_new(0x1000);
        ir_val x = ir_ctx_load(b, IR_I64, 24), y = ir_ctx_load(b, IR_I64, 32);
        ir_val f = ir_flags(b, IR_FLAGS_SUB, 64, x, y, IR_NONE);
        ir_ctx_store(b, ir_emit(b, IR_FLAGS_SAVE, IR_I64, f, IR_NONE, IR_NONE, 0, 0), 8);
        ir_val w = ir_binop(b, IR_SUB, IR_I32, ir_ctx_load(b, IR_I32, 24), ir_const(b, IR_I32, 1));
        ir_ctx_store(b, ir_zext(b, IR_I64, w, 32), 16);
        ir_syscall(b, 0x1004);
        memset(cpu, 0, sizeof cpu);
        cpu[1] = cpu[2] = 0x5555555555555555ull;
        cpu[3] = xs[i];
        cpu[4] = ys[i];
        cr_assert_eq(run(b).reason, X86_EXIT_SYSCALL);
        uint64_t d = xs[i] - ys[i];
        uint32_t nzcv = (uint32_t)(d >> 63) << 31 | (uint32_t)(d == 0) << 30 |
                        (uint32_t)(xs[i] >= ys[i]) << 29 |
                        (uint32_t)(((xs[i] ^ ys[i]) & (xs[i] ^ d)) >> 63) << 28;
        cr_assert_eq(engine_nzcv_of_saved(cpu[1]), nzcv, "%#lx - %#lx", xs[i], ys[i]);
        cr_assert_eq(cpu[2], (uint32_t)xs[i] - 1u, "the i32 arrives zero-extended");
        ir_block_free(b);
    }
}

/* Fixed slots are loaded at enter, live in registers through chained
 * blocks, helper calls and many live values, and are stored at leave. */
Test(x86_lower, fixed_slots_live_in_registers)
{
    fix_slots();
    ir_block *a = ir_block_new(0x1000), *b = ir_block_new(0x2000);
    /* a: cpu[1] += 5; cpu[2] = cpu[1] * 2; goto b */
    ir_val x = ir_binop(a, IR_ADD, IR_I64, ir_ctx_load(a, IR_I64, 8), ir_const(a, IR_I64, 5));
    ir_ctx_store(a, x, 8);
    ir_ctx_store(a, ir_binop(a, IR_ADD, IR_I64, x, x), 16);
    ir_goto(a, 0x2000);
    /* b: 20 values live at once, a helper call, cpu[4] = their sum + cpu[1] */
    ir_val v[20], sum = ir_ctx_load(b, IR_I64, 8);
    for (int k = 0; k < 20; k++)
        v[k] = ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 8), ir_const(b, IR_I64, k));
    ir_call(b, &peek, ir_const(b, IR_I64, 1), IR_NONE, IR_NONE);
    for (int k = 0; k < 20; k++)
        sum = ir_binop(b, IR_ADD, IR_I64, sum, v[k]);
    ir_ctx_store(b, sum, 32);
    ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 16), ir_const(b, IR_I64, 1)), 16);
    ir_syscall(b, 0x2004);
    x86_lowered la, lb;
    lower_at(a, BLOCK_OFF, &la);
    lower_at(b, 8192, &lb);
    cr_assert_not(la.fixed_in_ctx);
    chain_to(BLOCK_OFF, &la, 0, 8192);
    memset(cpu, 0, sizeof cpu);
    cpu[1] = 10;
    x86_ret r = enter(cpu, rx + BLOCK_OFF);
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
    cr_assert_eq(cpu[1], 15);
    cr_assert_eq(cpu[3], 15 + 30, "the helper saw both fixed slots");
    cr_assert_eq(cpu[2], 1001, "the helper's write was seen");
    cr_assert_eq(cpu[4], 15 + 20 * 15 + 190);
    cr_assert_eq(cpu[5], 0xcafe);
    ir_block_free(a);
    ir_block_free(b);
}

/* A loop keeps them in the CPU state: stored at its entry, carried like
 * any other, loaded again at its exits. */
/* 0x3000: cpu[1] += 1; cpu[2] += cpu[1]; cpu[4 + j] += j + 1 for each of
 * extra more slots; if cpu[1] != 100 loop.  Fixed slots 8 and 16. */
static ir_block *counting_loop(int extra)
{
    ir_block *b = ir_block_new(0x3000);
    ir_insn_start(b, 0x3000);
    ir_val n = ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 8), ir_const(b, IR_I64, 1));
    ir_ctx_store(b, n, 8);
    ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 16), n), 16);
    for (int j = 0; j < extra; j++)
        ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 32 + 8 * j),
                                 ir_const(b, IR_I64, j + 1)), 32 + 8 * j);
    ir_branch(b, IR_I64, IR_NE, n, ir_const(b, IR_I64, 100), 0x3000, 0x3008);
    return b;
}

/* A loop keeps the fixed slots in their registers, unless it is short of
 * registers (more slots to carry than the pool has: six, not one); then in
 * the state, stored at its entry and loaded at its exits.  Either way the
 * next block finds them in their registers and a stop leaves the state
 * exact. */
Test(x86_lower, a_loop_keeps_fixed_slots_in_registers_or_the_state)
{
    fix_slots();
    for (int extra = 1; extra <= 6; extra += 5) {
        ir_block *b = counting_loop(extra);
        ir_block *done = ir_block_new(0x3008);
        ir_ctx_store(done, ir_ctx_load(done, IR_I64, 16), 24);
        ir_syscall(done, 0x300c);
        x86_lowered l, ld;
        lower_at(b, BLOCK_OFF, &l);
        lower_at(done, 8192, &ld);
        cr_assert_eq(l.fixed_in_ctx, extra > 5, "%d more slots: fixed ones in the state: %d",
                     extra, l.fixed_in_ctx);
        cr_assert_eq(l.n_exits, 1, "%d more slots: %u exits", extra, l.n_exits);
        chain_to(BLOCK_OFF, &l, 0, 8192);
        memset(cpu, 0, sizeof cpu);
        x86_ret r = enter(cpu, rx + BLOCK_OFF);
        cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
        cr_assert_eq(cpu[1], 100);
        cr_assert_eq(cpu[2], 5050);
        cr_assert_eq(cpu[3], 5050, "the next block found it in its register");
        for (int j = 0; j < extra; j++)
            cr_assert_eq(cpu[4 + j], 100 * (uint64_t)(j + 1));
        /* kicked: the stop exit at the back edge leaves the state exact */
        memset(cpu, 0, sizeof cpu);
        ((uint8_t *)cpu)[ENGINE_OFF + X86_ENG_STOP] = 1;
        r = enter(cpu, rx + BLOCK_OFF);
        cr_assert_eq(r.reason, X86_EXIT_INTERRUPT);
        cr_assert_eq(cpu[1], 0);
        ir_block_free(b);
        ir_block_free(done);
    }
}

/* ---- values whose spill home is their guest register (regalloc.h) ---- */

/* 24 values live at once, each stored to a guest register as soon as it
 * is made: those that get no register live in that register's slot
 * (no frame slot, no second store), and all sums come out right.  A value
 * with a fault or a load of its slot before its store gets no such home. */
Test(x86_lower, spilled_values_live_in_their_guest_registers)
{
    ir_block *b = ir_block_new(0x1000);
    ir_val v[24], sum = ir_const(b, IR_I64, 0);
    for (int k = 0; k < 24; k++) {
        v[k] = ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, 8 * (uint32_t)k),
                        ir_const(b, IR_I64, 100 * k));
        ir_ctx_store(b, v[k], 8 * (uint32_t)k);
    }
    /* v[23] again, with a load that may fault before its store */
    ir_val w = ir_binop(b, IR_ADD, IR_I64, v[23], ir_const(b, IR_I64, 1));
    ir_val m = ir_load(b, IR_I64, IR_M64, ir_const(b, IR_I64, (int64_t)(uintptr_t)&cpu[39]));
    ir_ctx_store(b, w, 8 * 24);
    for (int k = 0; k < 24; k++)
        sum = ir_binop(b, IR_ADD, IR_I64, sum, ir_binop(b, IR_MUL, IR_I64, v[k], v[(k + 5) % 24]));
    sum = ir_binop(b, IR_ADD, IR_I64, sum, ir_binop(b, IR_ADD, IR_I64, w, m));
    ir_ctx_store(b, sum, 8 * 25);
    ir_syscall(b, 0x1004);
    x86_loc *loc = calloc(b->n, sizeof *loc);
    cr_assert(x86_regalloc(b, loc) >= 0);
    int homed = 0;
    for (int k = 0; k < 24; k++)
        homed += loc[v[k]].kind == X86_LOC_CTX && loc[v[k]].slot == 8 * k;
    cr_assert(homed > 0, "some spilled value has its guest register as home");
    cr_assert_neq(loc[w].kind, X86_LOC_CTX, "not across a load that may fault");
    free(loc);
    memset(cpu, 0, sizeof cpu);
    uint64_t want[24];
    for (int k = 0; k < 24; k++)
        want[k] = cpu[k] = (uint64_t)k * k + 3;
    cpu[39] = 77;
    for (int k = 0; k < 24; k++)
        want[k] += 100 * (uint64_t)k;
    uint64_t s = 0;
    for (int k = 0; k < 24; k++)
        s += want[k] * want[(k + 5) % 24];
    s += want[23] + 1 + 77;
    x86_ret r = run(b);
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
    for (int k = 0; k < 24; k++)
        cr_assert_eq(cpu[k], want[k], "x%d", k);
    cr_assert_eq(cpu[24], want[23] + 1);
    cr_assert_eq(cpu[25], s);
    ir_block_free(b);
}

/* A block may be entered past its stop check (x86_lowered.entry_skip):
 * with the stop byte set, entering there runs the block, entering at its
 * start leaves.  A loop that keeps the fixed registers in the state
 * stores them first and has no such entry. */
Test(x86_lower, entry_past_the_stop_check)
{
    ir_block *b = ir_block_new(0x1000);
    ir_ctx_store(b, ir_const(b, IR_I64, 42), 8);
    ir_syscall(b, 0x1004);
    x86_lowered l;
    lower_at(b, BLOCK_OFF, &l);
    cr_assert_gt(l.entry_skip, 0);
    memset(cpu, 0, sizeof cpu);
    ((uint8_t *)cpu)[ENGINE_OFF + X86_ENG_STOP] = 1;
    x86_ret r = enter(cpu, rx + BLOCK_OFF);
    cr_assert_eq(r.reason, X86_EXIT_INTERRUPT);
    cr_assert_eq(cpu[1], 0);
    r = enter(cpu, rx + BLOCK_OFF + l.entry_skip);
    cr_assert_eq(r.reason, X86_EXIT_SYSCALL);
    cr_assert_eq(cpu[1], 42);
    ir_block_free(b);
    fix_slots();
    ir_block *loop = counting_loop(6); /* fixed slots in the state */
    lower_at(loop, BLOCK_OFF, &l);
    cr_assert(l.fixed_in_ctx);
    cr_assert_eq(l.entry_skip, 0, "a loop's stores ahead of its stop check are not skipped");
    ir_block_free(loop);
}
