/* The 128-bit vector ops lowered to SSE and run natively, checked lane by
 * lane against a C model written from the Arm ARM pseudocode of the
 * AArch64 instruction each op names (ir_ops.def), on edge vectors (0, all
 * ones, each lane size's MIN and MAX, 0x80 patterns) and random ones.
 * Every op and lane size runs with the host's SSSE3/SSE4.1 and with the
 * SSE2 fallbacks, with operands in registers, the same value as both
 * operands, and everything spilled to frame slots.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/x86_64/x86.h"
#include "tests/unit/x86_harness.h"

#define CODE_SIZE (1 << 22)
#define BLOCK_OFF 256
#define PC_OFF 8
#define ENGINE_OFF 16
#define K 32          /* cases per block */
#define IN_OFF 64     /* cpu bytes: K triples of v128, then K integers */
#define INT_OFF (IN_OFF + K * 48)
#define OUT_OFF (INT_OFF + K * 8)
#define EXTRA_OFF (OUT_OFF + K * 16) /* the pressure variant's values */
#define N_EXTRA 16

typedef struct v128 {
    uint8_t b[16];
} v128;

static uint8_t *rw, *rx;
static x86_enter_fn enter;
static x86_target tgt;
static uint8_t cpu[EXTRA_OFF + 2 * 16 * N_EXTRA] __attribute__((aligned(16)));
static x86_cpu_features host;

static void setup(void)
{
    enter = x86_test_code(CODE_SIZE, &rw, &rx, &tgt, PC_OFF, ENGINE_OFF);
    x86_cpu_init();
    host = x86_cpu;
}

TestSuite(x86_vec, .init = setup);

/* ---- the Arm ARM model ---- */

static uint64_t lget(const v128 *v, unsigned es, unsigned i)
{
    uint64_t x = 0;
    memcpy(&x, v->b + i * es, es);
    return x;
}

static void lset(v128 *v, unsigned es, unsigned i, uint64_t x) { memcpy(v->b + i * es, &x, es); }

static uint64_t mask_of(unsigned bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }

static int64_t sx(uint64_t x, unsigned bits)
{
    return bits >= 64 ? (int64_t)x : (int64_t)(x << (64 - bits)) >> (64 - bits);
}

/* SignedSatQ / UnsignedSatQ of a wide result */
static uint64_t sat(__int128 v, unsigned bits, bool sign)
{
    __int128 lo = sign ? -((__int128)1 << (bits - 1)) : 0;
    __int128 hi = sign ? ((__int128)1 << (bits - 1)) - 1 : ((__int128)1 << bits) - 1;
    return (uint64_t)(v < lo ? lo : v > hi ? hi : v) & mask_of(bits);
}

/* One lane of the lane-wise ops, x and y zero-extended from bits. */
static uint64_t lane_op(ir_op op, unsigned bits, uint64_t x, uint64_t y, int64_t imm)
{
    int64_t a = sx(x, bits), b = sx(y, bits);
    uint64_t ones = mask_of(bits);
    switch (op) {
    case IR_VADD: return x + y;
    case IR_VSUB: return x - y;
    case IR_VMUL: return x * y;
    case IR_VNEG: return 0 - x;
    case IR_VABS: return a < 0 ? 0 - x : x;
    case IR_VMINS: return a < b ? x : y;
    case IR_VMAXS: return a > b ? x : y;
    case IR_VMINU: return x < y ? x : y;
    case IR_VMAXU: return x > y ? x : y;
    case IR_VCMPEQ: return x == y ? ones : 0;
    case IR_VCMPGT: return a > b ? ones : 0;
    case IR_VCMPGTU: return x > y ? ones : 0;
    case IR_VSHLI: return imm >= bits ? 0 : x << imm;
    case IR_VSHRI: return imm >= bits ? 0 : x >> imm;
    case IR_VSARI: return (uint64_t)(a >> (imm >= bits ? bits - 1 : imm));
    case IR_VADDSATS: return sat((__int128)a + b, bits, true);
    case IR_VADDSATU: return sat((__int128)x + y, bits, false);
    case IR_VSUBSATS: return sat((__int128)a - b, bits, true);
    case IR_VSUBSATU: return sat((__int128)x - (__int128)y, bits, false);
    default: cr_assert_fail("no lane model for op %d", op); return 0;
    }
}

static bool lane_wise(ir_op op)
{
    return (op >= IR_VADD && op <= IR_VSUBSATU) || op == IR_VAND || op == IR_VOR ||
           op == IR_VXOR || op == IR_VANDN || op == IR_VNOT || op == IR_VBSL;
}

static uint64_t bitwise(ir_op op, uint64_t x, uint64_t y, uint64_t z)
{
    switch (op) {
    case IR_VAND: return x & y;
    case IR_VOR: return x | y;
    case IR_VXOR: return x ^ y;
    case IR_VANDN: return x & ~y;
    case IR_VNOT: return ~x;
    default: return (x & z) | (y & ~z); /* VBSL */
    }
}

/* The permutes: zip, uzp, trn, ext, tbl, rev (Arm ARM shared pseudocode) */
static void permute(ir_op op, unsigned es, int64_t imm, const v128 *a, const v128 *b, v128 *r)
{
    unsigned n = 16 / es, half = n / 2;
    uint8_t cat[32];
    memcpy(cat, a->b, 16);
    memcpy(cat + 16, b->b, 16);
    for (unsigned e = 0; e < n; e++) {
        uint64_t x = 0;
        unsigned p = e / 2;
        switch (op) {
        case IR_VZIP1: case IR_VZIP2:
            x = lget(e & 1 ? b : a, es, p + (op == IR_VZIP2 ? half : 0));
            break;
        case IR_VUZP1: case IR_VUZP2: {
            unsigned k = 2 * e + (op == IR_VUZP2);
            x = lget(k < n ? a : b, es, k % n);
            break;
        }
        case IR_VTRN1: case IR_VTRN2:
            x = lget(e & 1 ? b : a, es, 2 * p + (op == IR_VTRN2));
            break;
        case IR_VEXT:
            x = cat[e + imm];
            break;
        case IR_VTBL:
            x = b->b[e] < 16 ? a->b[b->b[e]] : 0;
            break;
        default: { /* VREV: lanes es reversed in containers of 2^imm bytes */
            unsigned per = (1u << imm) / es, base = e / per * per;
            x = lget(a, es, base + (per - 1 - (e - base)));
        }
        }
        lset(r, es, e, x);
    }
}

/* The op on a, b, c (vectors) and g (integer): the v128 result in r, or
 * the integer one returned. */
static uint64_t model(ir_op op, unsigned ln, int64_t imm, const v128 *a, const v128 *b,
                      const v128 *c, uint64_t g, v128 *r)
{
    unsigned es = 1u << ln, bits = 8 * es, n = 16 / es;
    memset(r, 0, sizeof *r);
    if (lane_wise(op)) {
        bool bw = op <= IR_VBSL;
        unsigned les = bw ? 8 : es, lbits = 8 * les;
        for (unsigned i = 0; i < 16 / les; i++) {
            uint64_t x = lget(a, les, i), y = lget(b, les, i), z = lget(c, les, i);
            lset(r, les, i, (bw ? bitwise(op, x, y, z) : lane_op(op, lbits, x, y, imm)) &
                                mask_of(lbits));
        }
        return 0;
    }
    uint64_t acc;
    switch (op) {
    case IR_VADDP:
        for (unsigned e = 0; e < n; e++) {
            const v128 *s = 2 * e < n ? a : b;
            unsigned k = (2 * e) % n;
            lset(r, es, e, lget(s, es, k) + lget(s, es, k + 1));
        }
        return 0;
    case IR_VDUP:
        for (unsigned e = 0; e < n; e++)
            lset(r, es, e, g);
        return 0;
    case IR_VEXTRACT:
        return lget(a, es, (unsigned)imm);
    case IR_VINSERT:
        *r = *a;
        lset(r, es, (unsigned)imm, g);
        return 0;
    case IR_VWIDENS: case IR_VWIDENU:
        for (unsigned e = 0; e < n / 2; e++) {
            uint64_t x = lget(a, es, e + (imm ? n / 2 : 0));
            lset(r, 2 * es, e, op == IR_VWIDENS ? (uint64_t)sx(x, bits) : x);
        }
        return 0;
    case IR_VNARROW:
        for (unsigned e = 0; e < n / 2; e++)
            lset(r, es, e, lget(a, 2 * es, e));
        return 0;
    case IR_VCNT:
        for (unsigned e = 0; e < 16; e++)
            r->b[e] = (uint8_t)__builtin_popcount(a->b[e]);
        return 0;
    case IR_VADDV: case IR_VMAXSV: case IR_VMAXUV: case IR_VMINSV: case IR_VMINUV:
        acc = lget(a, es, 0);
        for (unsigned e = 1; e < n; e++) {
            uint64_t x = lget(a, es, e);
            int64_t sa = sx(acc, bits), sxx = sx(x, bits);
            switch (op) {
            case IR_VADDV: acc = (acc + x) & mask_of(bits); break;
            case IR_VMAXSV: acc = sxx > sa ? x : acc; break;
            case IR_VMAXUV: acc = x > acc ? x : acc; break;
            case IR_VMINSV: acc = sxx < sa ? x : acc; break;
            default: acc = x < acc ? x : acc; break;
            }
        }
        return acc;
    default:
        permute(op, es, imm, a, b, r);
        return 0;
    }
}

/* ---- inputs ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

#define N_EDGE 14
/* Edge vector k: 0, ones, each lane size's MIN and MAX, 0x80 and 0x7f
 * bytes, alternating lanes, small counts (tbl indexes). */
static void edge(v128 *v, unsigned k)
{
    static const uint64_t pats[N_EDGE][2] = {
        {0, 0}, {~0ull, ~0ull}, {0x8080808080808080, 0x8080808080808080},
        {0x7f7f7f7f7f7f7f7f, 0x7f7f7f7f7f7f7f7f}, {0x8000800080008000, 0x8000800080008000},
        {0x7fff7fff7fff7fff, 0x7fff7fff7fff7fff}, {0x8000000080000000, 0x8000000080000000},
        {0x7fffffff7fffffff, 0x7fffffff7fffffff}, {0x8000000000000000, 0x7fffffffffffffff},
        {0x00ff00ff00ff00ff, 0xff00ff00ff00ff00}, {0x0706050403020100, 0x0f0e0d0c0b0a0908},
        {0x1f10ff8011070f00, 0x0001020304050a0b}, {0x0000000100000000, 0xffffffff00000001},
        {0x0102030405060708, 0x8182838485868788},
    };
    memcpy(v->b, pats[k], 16);
}

static void fill_inputs(unsigned round)
{
    for (unsigned k = 0; k < K; k++) {
        v128 t[3];
        unsigned idx = round * K + k;
        for (int j = 0; j < 3; j++) {
            uint64_t lo = next(), hi = next();
            memcpy(t[j].b, &lo, 8);
            memcpy(t[j].b + 8, &hi, 8);
        }
        if (idx < N_EDGE * N_EDGE) { /* every pair of edge vectors first */
            edge(&t[0], idx / N_EDGE);
            edge(&t[1], idx % N_EDGE);
        }
        memcpy(cpu + IN_OFF + 48 * k, t, 48);
        uint64_t g = idx < N_EDGE ? ((const uint64_t *)t[0].b)[0] : next();
        memcpy(cpu + INT_OFF + 8 * k, &g, 8);
    }
}

/* ---- running ---- */

enum { PLAIN, SAME, SPILLED, N_VARIANTS };
static const char *const variant_names[] = {"plain", "same operand", "spilled"};

static bool int_result(ir_op op) { return ir_vop_yields_int(op); }

static ir_block *build(ir_op op, unsigned ln, int64_t imm, int variant)
{
    ir_block *b = ir_block_new(0x1000);
    ir_val extra[N_EXTRA];
    unsigned nargs = ir_info(op)->nargs;
    if (variant == SPILLED)
        for (int j = 0; j < N_EXTRA; j++)
            extra[j] = ir_ctx_load(b, IR_V128, EXTRA_OFF + 16 * (uint32_t)j);
    /* spilled: all operands loaded first, all results made before any is
     * stored, so that most of them live in frame slots */
    ir_val a[K][3], r[K];
    for (unsigned k = 0; k < K; k++) {
        for (unsigned j = 0; j < 3; j++)
            a[k][j] = j < nargs ? ir_ctx_load(b, IR_V128, IN_OFF + 48 * k + 16 * j) : IR_NONE;
        if (variant == SAME && nargs >= 2)
            a[k][1] = a[k][0];
        if (op == IR_VDUP)
            a[k][0] = ir_ctx_load(b, k & 1 ? IR_I32 : IR_I64, INT_OFF + 8 * k);
        if (op == IR_VINSERT)
            a[k][1] = ir_ctx_load(b, k & 1 ? IR_I32 : IR_I64, INT_OFF + 8 * k);
        if (variant == SPILLED)
            continue;
        r[k] = ir_vop(b, op, ln, a[k][0], a[k][1], a[k][2], imm);
        ir_ctx_store(b, r[k], OUT_OFF + 16 * k);
    }
    for (unsigned k = 0; k < K && variant == SPILLED; k++)
        r[k] = ir_vop(b, op, ln, a[k][0], a[k][1], a[k][2], imm);
    for (unsigned k = 0; k < K && variant == SPILLED; k++)
        ir_ctx_store(b, r[k], OUT_OFF + 16 * k);
    if (variant == SPILLED)
        for (int j = 0; j < N_EXTRA; j++)
            ir_ctx_store(b, extra[j], EXTRA_OFF + 16 * (N_EXTRA + (uint32_t)j));
    ir_goto(b, 0x2000);
    return b;
}

static int lower_and_run(ir_block *b)
{
    x86_lowered low;
    int n = x86_lower_block(b, &tgt, rw + BLOCK_OFF, CODE_SIZE - BLOCK_OFF,
                            (uint64_t)rx + BLOCK_OFF, &low);
    if (n > 0)
        enter(cpu, rx + BLOCK_OFF);
    return n;
}

static void check_case(ir_op op, unsigned ln, int64_t imm, int variant, const char *feat)
{
    ir_block *b = build(op, ln, imm, variant);
    char err[160];
    cr_assert(ir_verify(b, err, sizeof err), "bad test block: %s", err);
    for (unsigned round = 0; round < 8; round++) {
        fill_inputs(round);
        for (int j = 0; j < N_EXTRA; j++)
            for (int i = 0; i < 16; i++)
                cpu[EXTRA_OFF + 16 * j + i] = (uint8_t)(next() >> 7);
        memset(cpu + OUT_OFF, 0xa5, 16 * K);
        cr_assert(lower_and_run(b) > 0, "%s.%u lowering failed", ir_info(op)->name, ln);
        for (unsigned k = 0; k < K; k++) {
            const v128 *in = (const v128 *)(cpu + IN_OFF + 48 * k);
            uint64_t g;
            memcpy(&g, cpu + INT_OFF + 8 * k, 8);
            if ((op == IR_VDUP || op == IR_VINSERT) && (k & 1)) /* an i32: zero-extended */
                g = (uint32_t)g;
            v128 want, got;
            uint64_t wi = model(op, ln, imm, &in[0], variant == SAME ? &in[0] : &in[1], &in[2],
                                g, &want);
            memcpy(&got, cpu + OUT_OFF + 16 * k, 16);
            if (int_result(op)) {
                uint64_t gi;
                memcpy(&gi, &got, 8);
                cr_assert_eq(gi, wi, "%s.%u imm %lld (%s, %s) case %u: got %#llx want %#llx",
                             ir_info(op)->name, ln, (long long)imm, variant_names[variant], feat,
                             round * K + k, (unsigned long long)gi, (unsigned long long)wi);
                continue;
            }
            uint64_t gw[2], ww[2];
            memcpy(gw, &got, 16);
            memcpy(ww, &want, 16);
            cr_assert(!memcmp(&got, &want, 16),
                      "%s.%u imm %lld (%s, %s) case %u: got %016llx:%016llx want %016llx:%016llx",
                      ir_info(op)->name, ln, (long long)imm, variant_names[variant], feat,
                      round * K + k, (unsigned long long)gw[1], (unsigned long long)gw[0],
                      (unsigned long long)ww[1], (unsigned long long)ww[0]);
        }
        if (variant == SPILLED) /* the values live across every op kept */
            cr_assert(!memcmp(cpu + EXTRA_OFF, cpu + EXTRA_OFF + 16 * N_EXTRA, 16 * N_EXTRA));
    }
    ir_block_free(b);
}

/* The lane sizes and immediates each op takes (as the verifier checks). */
static unsigned max_lanes(ir_op op)
{
    for (unsigned ln = 3;; ln--) {
        ir_block *b = ir_block_new(0);
        ir_val a = ir_ctx_load(b, IR_V128, 0), g = ir_ctx_load(b, IR_I64, 0);
        int64_t imm = op == IR_VREV ? 3 : 0;
        ir_val x = op == IR_VDUP ? g : a, y = op == IR_VINSERT ? g : a;
        unsigned nargs = ir_info(op)->nargs;
        ir_vop(b, op, ln, x, nargs > 1 ? y : IR_NONE, nargs > 2 ? a : IR_NONE, imm);
        ir_goto(b, 0);
        bool ok = ir_verify(b, NULL, 0);
        ir_block_free(b);
        if (ok || ln == 0)
            return ln;
    }
}

static void imm_range(ir_op op, unsigned ln, int64_t *lo, int64_t *hi)
{
    *lo = *hi = 0;
    switch (op) {
    case IR_VSHLI: case IR_VSHRI: case IR_VSARI: *hi = 64; break;
    case IR_VEXTRACT: case IR_VINSERT: *hi = (16 >> ln) - 1; break;
    case IR_VEXT: *hi = 15; break;
    case IR_VREV: *lo = ln + 1, *hi = 3; break;
    case IR_VWIDENS: case IR_VWIDENU: *hi = 1; break;
    default: break;
    }
}

/* Every lane size, immediate and variant, with the host's features and
 * with SSE2 alone. */
static void check_op(ir_op op)
{
    for (int f = 0; f < 2; f++) {
        x86_cpu = host;
        if (f)
            x86_cpu.ssse3 = x86_cpu.sse41 = false;
        const char *feat = f ? "sse2" : "host";
        for (unsigned ln = 0; ln <= max_lanes(op); ln++) {
            int64_t lo, hi;
            imm_range(op, ln, &lo, &hi);
            for (int64_t imm = lo; imm <= hi; imm++) {
                for (int var = 0; var < N_VARIANTS; var++)
                    check_case(op, ln, imm, var, feat);
            }
        }
    }
    x86_cpu = host;
}

#define VTEST(name) \
    Test(x86_vec, name) { check_op(IR_##name); }

VTEST(VAND) VTEST(VOR) VTEST(VXOR) VTEST(VANDN) VTEST(VNOT) VTEST(VBSL)
VTEST(VADD) VTEST(VSUB) VTEST(VMUL) VTEST(VNEG) VTEST(VABS)
VTEST(VMINS) VTEST(VMAXS) VTEST(VMINU) VTEST(VMAXU)
VTEST(VCMPEQ) VTEST(VCMPGT) VTEST(VCMPGTU)
VTEST(VSHLI) VTEST(VSHRI) VTEST(VSARI)
VTEST(VADDSATS) VTEST(VADDSATU) VTEST(VSUBSATS) VTEST(VSUBSATU)
VTEST(VADDP) VTEST(VDUP) VTEST(VEXTRACT) VTEST(VINSERT)
VTEST(VZIP1) VTEST(VZIP2) VTEST(VUZP1) VTEST(VUZP2) VTEST(VTRN1) VTEST(VTRN2)
VTEST(VEXT) VTEST(VTBL) VTEST(VREV) VTEST(VWIDENS) VTEST(VWIDENU) VTEST(VNARROW)
VTEST(VCNT) VTEST(VADDV) VTEST(VMAXSV) VTEST(VMAXUV) VTEST(VMINSV) VTEST(VMINUV)

Test(x86_vec, every_vector_op_is_tested)
{
    /* the VTEST list above names IR_VAND..IR_VMINUV: 47 ops */
    cr_assert_eq(IR_VMINUV - IR_VAND + 1, 47);
}

/* CONST.v128: imm low, imm2 high, in registers and spilled */
Test(x86_vec, constants)
{
    static const uint64_t cs[][2] = {
        {0, 0}, {~0ull, ~0ull}, {0x0102030405060708, 0x0102030405060708},
        {0x1122334455667788, 0}, {0, 0x99aabbccddeeff00}, {5, ~0ull}, {~0ull, 0},
    };
    enum { NC = sizeof cs / sizeof cs[0] };
    for (int spill = 0; spill < 2; spill++) {
        ir_block *b = ir_block_new(0x1000);
        ir_val extra[N_EXTRA], k[NC];
        for (int j = 0; j < N_EXTRA && spill; j++)
            extra[j] = ir_ctx_load(b, IR_V128, EXTRA_OFF + 16 * (uint32_t)j);
        for (int j = 0; j < NC; j++)
            k[j] = ir_vconst(b, cs[j][0], cs[j][1]);
        for (int j = 0; j < NC; j++)
            ir_ctx_store(b, k[j], OUT_OFF + 16 * (uint32_t)j);
        for (int j = 0; j < N_EXTRA && spill; j++)
            ir_ctx_store(b, extra[j], EXTRA_OFF + 16 * (N_EXTRA + (uint32_t)j));
        ir_goto(b, 0x2000);
        cr_assert(ir_verify(b, NULL, 0));
        cr_assert(lower_and_run(b) > 0);
        for (int j = 0; j < NC; j++)
            cr_assert(!memcmp(cpu + OUT_OFF + 16 * j, cs[j], 16), "constant %d", j);
        ir_block_free(b);
    }
}

/* VPAIR: two i64 values side by side, the high one 0 or not, in registers
 * or spilled. */
Test(x86_vec, pairs_of_integers)
{
    static const uint64_t ps[][2] = {
        {0x1122334455667788, 0}, {0, 0x99aabbccddeeff00}, {~0ull, ~0ull}, {5, 7},
    };
    enum { NP = sizeof ps / sizeof ps[0] };
    for (int spill = 0; spill < 2; spill++) {
        ir_block *b = ir_block_new(0x1000);
        ir_val extra[N_EXTRA], p[NP];
        for (int j = 0; j < N_EXTRA && spill; j++)
            extra[j] = ir_ctx_load(b, IR_V128, EXTRA_OFF + 16 * (uint32_t)j);
        for (int j = 0; j < NP; j++) {
            ir_val lo = ir_ctx_load(b, IR_I64, OUT_OFF + 16 * (uint32_t)j);
            ir_val hi = ps[j][1] ? ir_ctx_load(b, IR_I64, OUT_OFF + 16 * (uint32_t)j + 8)
                                 : ir_const(b, IR_I64, 0);
            p[j] = ir_emit(b, IR_VPAIR, IR_V128, lo, hi, IR_NONE, 0, 0);
        }
        for (int j = 0; j < NP; j++)
            ir_ctx_store(b, p[j], OUT_OFF + 16 * (uint32_t)(NP + j));
        for (int j = 0; j < N_EXTRA && spill; j++)
            ir_ctx_store(b, extra[j], EXTRA_OFF + 16 * (N_EXTRA + (uint32_t)j));
        ir_goto(b, 0x2000);
        cr_assert(ir_verify(b, NULL, 0));
        for (int j = 0; j < NP; j++) {
            memcpy(cpu + OUT_OFF + 16 * j, ps[j], 16);
            memset(cpu + OUT_OFF + 16 * (NP + j), 0xa5, 16);
        }
        cr_assert(lower_and_run(b) > 0);
        for (int j = 0; j < NP; j++)
            cr_assert(!memcmp(cpu + OUT_OFF + 16 * (NP + j), ps[j], 16), "pair %d", j);
        ir_block_free(b);
    }
}

/* Chains of ops feeding each other, to catch a work register clobbering
 * a value still live: ((a + b) ^ c) - (a & b) and friends. */
Test(x86_vec, chained_ops_keep_live_values)
{
    fill_inputs(3);
    ir_block *b = ir_block_new(0x1000);
    ir_val a = ir_ctx_load(b, IR_V128, IN_OFF), y = ir_ctx_load(b, IR_V128, IN_OFF + 16);
    ir_val c = ir_ctx_load(b, IR_V128, IN_OFF + 32);
    ir_val s = ir_vop(b, IR_VADD, 2, a, y, IR_NONE, 0);
    ir_val x = ir_vop(b, IR_VXOR, 0, s, c, IR_NONE, 0);
    ir_val m = ir_vop(b, IR_VAND, 0, a, y, IR_NONE, 0);
    ir_val d = ir_vop(b, IR_VSUB, 1, x, m, IR_NONE, 0);
    ir_val g = ir_vop(b, IR_VCMPGT, 3, d, a, IR_NONE, 0);
    ir_val z = ir_vop(b, IR_VBSL, 0, a, y, g, 0);
    ir_ctx_store(b, z, OUT_OFF);
    ir_ctx_store(b, a, OUT_OFF + 16);
    ir_goto(b, 0x2000);
    cr_assert(ir_verify(b, NULL, 0));
    cr_assert(lower_and_run(b) > 0);
    const v128 *in = (const v128 *)(cpu + IN_OFF);
    v128 vs, vx, vm, vd, vg, vz, none = {{0}};
    model(IR_VADD, 2, 0, &in[0], &in[1], &none, 0, &vs);
    model(IR_VXOR, 0, 0, &vs, &in[2], &none, 0, &vx);
    model(IR_VAND, 0, 0, &in[0], &in[1], &none, 0, &vm);
    model(IR_VSUB, 1, 0, &vx, &vm, &none, 0, &vd);
    model(IR_VCMPGT, 3, 0, &vd, &in[0], &none, 0, &vg);
    model(IR_VBSL, 0, 0, &in[0], &in[1], &vg, 0, &vz);
    cr_assert(!memcmp(cpu + OUT_OFF, &vz, 16));
    cr_assert(!memcmp(cpu + OUT_OFF + 16, &in[0], 16));
    ir_block_free(b);
}
