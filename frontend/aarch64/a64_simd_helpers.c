/* AArch64 Advanced SIMD integer, permute and structure operations as C
 * helpers on the V registers of the CPU state, named by a descriptor
 * (a64_simd.h: A64V_*), lane by lane as the Arm ARM's pseudocode does.
 * Integer C only: nothing here touches the host's FP state, whose flags
 * are the guest's while translated code runs (vector FP is done in IR).
 *
 *   a64_h_3same.fn(cpu, A64V_D(0) | A64V_N(1) | A64V_M(2) | A64V_Q(1) |
 *                  A64V_OPC(0x10), 0, 0);           // add v0.16b, v1.16b, v2.16b
 */
#include <string.h>

#include "frontend/aarch64/a64_simd.h"

#define QC (1u << 27)

typedef unsigned __int128 u128;
typedef __int128 s128;

static uint64_t lget(const uint8_t *v, unsigned es, unsigned i)
{
    uint64_t x = 0;
    memcpy(&x, v + i * es, es);
    return x;
}

static void lset(uint8_t *v, unsigned es, unsigned i, uint64_t x) { memcpy(v + i * es, &x, es); }

static int64_t sx(uint64_t x, unsigned bits)
{
    return bits >= 64 ? (int64_t)x : (int64_t)(x << (64 - bits)) >> (64 - bits);
}

static uint64_t mask_of(unsigned bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }

static uint64_t ext(uint64_t x, unsigned bits, bool sign)
{
    return sign ? (uint64_t)sx(x, bits) : x & mask_of(bits);
}

/* Saturation to `bits`, signed or unsigned, setting FPSR.QC */
static uint64_t sat(a64_cpu *c, s128 v, unsigned bits, bool sign)
{
    s128 lo = sign ? -((s128)1 << (bits - 1)) : 0;
    s128 hi = sign ? ((s128)1 << (bits - 1)) - 1 : ((s128)1 << bits) - 1;
    if (v < lo || v > hi) {
        c->fpsr |= QC;
        v = v < lo ? lo : hi;
    }
    return (uint64_t)v & mask_of(bits);
}

/* The result of a vector op: `bytes` of res into Vd, the rest zeroed. */
static void vput(a64_cpu *c, unsigned d, const uint8_t *res, unsigned bytes)
{
    uint8_t v[16] = {0};
    memcpy(v, res, bytes);
    memcpy(c->v[d], v, 16);
}

static unsigned vbytes(const a64v_desc *v, unsigned es)
{
    return v->scalar ? es : v->q ? 16 : 8;
}

/* ---- three registers, same type */

static const uint32_t same_ok[2] = {
    /* U=0: shadd sqadd srhadd shsub sqsub cmgt cmge sshl sqshl srshl sqrshl smax
     * smin sabd saba add cmtst mla mul smaxp sminp sqdmulh addp (3 is vlogic) */
    0x00fffff7u,
    /* U=1: same shapes (uqadd.. urshl umax umin uabd uaba sub cmeq mls pmul umaxp
     * uminp sqrdmulh) */
    0x007ffff7u,
};

bool a64v_3same_ok(unsigned u, unsigned opc, unsigned size, bool scalar)
{
    if (opc >= 24 || !(same_ok[u] >> opc & 1))
        return false;
    if (scalar) /* the one-element forms: add/sub, compares, shifts, saturating */
        return (opc == 0x01 || opc == 0x05 || opc == 0x09 || opc == 0x0b ||
                ((opc == 0x16) && (size == 1 || size == 2)) ||
                (size == 3 && (opc == 0x06 || opc == 0x07 || opc == 0x08 || opc == 0x0a ||
                               opc == 0x10 || opc == 0x11)));
    switch (opc) {
    case 0x12: case 0x14: case 0x15: case 0x0c: case 0x0d: case 0x0e: case 0x0f:
    case 0x00: case 0x02: case 0x04:
        return size != 3;
    case 0x13: /* mul (u=0) any size but d; pmul bytes only */
        return u ? size == 0 : size != 3;
    case 0x16:
        return size == 1 || size == 2;
    default:
        return true; /* size 3 with Q=0 is refused by the translator */
    }
}

/* sshl/ushl, srshl/urshl: by the signed low byte of y; right when negative */
static uint64_t shl_reg(uint64_t x, int64_t sh, unsigned bits, bool sign, bool round)
{
    if (sh >= 0)
        return sh >= (int64_t)bits ? 0 : x << sh;
    unsigned r = (unsigned)-sh;
    s128 v = sign ? (s128)sx(x, bits) : (s128)(x & mask_of(bits));
    if (round && r <= bits)
        v += (s128)1 << (r - 1);
    if (r >= bits + 1)
        return sign && !round && v < 0 ? ~0ull : 0;
    return (uint64_t)(v >> r);
}

/* sqshl/uqshl, sqrshl/uqrshl (register): x shifted by the signed sh in
 * infinite precision (right shifts rounded with round), then saturated */
static uint64_t sat_shl_reg(a64_cpu *c, uint64_t x, int64_t sh, unsigned bits, bool sign, bool round)
{
    s128 v = sign ? (s128)sx(x, bits) : (s128)(x & mask_of(bits));
    if (sh < 0) {
        unsigned r = (unsigned)-sh;
        if (r > 66) /* beyond every lane: 0, or -1 for a negative truncated */
            return !round && v < 0 ? mask_of(bits) : 0;
        if (round)
            v += (s128)1 << (r - 1);
        return (uint64_t)(v >> r) & mask_of(bits);
    }
    s128 hi = sign ? ((s128)1 << (bits - 1)) - 1 : ((s128)1 << bits) - 1;
    s128 lo = sign ? -((s128)1 << (bits - 1)) : 0;
    if (v == 0)
        return 0;
    if (sh >= (int64_t)bits || v > hi >> sh || v < lo >> sh)
        return sat(c, v < 0 ? lo - 1 : hi + 1, bits, sign);
    return (uint64_t)(v << sh) & mask_of(bits);
}

static uint64_t pmul8(uint64_t x, uint64_t y)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        if (y >> i & 1)
            r ^= x << i;
    return r;
}

/* One lane of a three-same op; x, y zero-extended; acc: Vd's lane */
static uint64_t same_lane(a64_cpu *c, unsigned u, unsigned opc, uint64_t x, uint64_t y,
                          uint64_t acc, unsigned bits)
{
    bool s = !u;
    s128 a = s ? (s128)sx(x, bits) : (s128)x, b = s ? (s128)sx(y, bits) : (s128)y;
    uint64_t ones = mask_of(bits);
    switch (opc) {
    case 0x00: return (uint64_t)((a + b) >> 1);
    case 0x01: return sat(c, a + b, bits, s);
    case 0x02: return (uint64_t)((a + b + 1) >> 1);
    case 0x04: return (uint64_t)((a - b) >> 1);
    case 0x05: return sat(c, a - b, bits, s);
    case 0x06: return a > b ? ones : 0;
    case 0x07: return a >= b ? ones : 0;
    case 0x08: return shl_reg(x, (int8_t)y, bits, s, false);
    case 0x09: return sat_shl_reg(c, x, (int8_t)y, bits, s, false);
    case 0x0a: return shl_reg(x, (int8_t)y, bits, s, true);
    case 0x0b: return sat_shl_reg(c, x, (int8_t)y, bits, s, true);
    case 0x0c: return (uint64_t)(a > b ? a : b);
    case 0x0d: return (uint64_t)(a < b ? a : b);
    case 0x0e: return (uint64_t)(a > b ? a - b : b - a);
    case 0x0f: return acc + (uint64_t)(a > b ? a - b : b - a);
    case 0x10: return u ? x - y : x + y;
    case 0x11: return u ? ((x ^ y) & ones ? 0 : ones) : (x & y & ones ? ones : 0);
    case 0x12: return u ? acc - x * y : acc + x * y;
    case 0x13: return u ? pmul8(x, y) : x * y;
    case 0x14: return (uint64_t)(a > b ? a : b);
    case 0x15: return (uint64_t)(a < b ? a : b);
    case 0x16: { /* sqdmulh / sqrdmulh: high half of the doubled product */
        s128 p = 2 * (s128)sx(x, bits) * (s128)sx(y, bits);
        if (u)
            p += (s128)1 << (bits - 1);
        return sat(c, p >> bits, bits, true);
    }
    case 0x17: return x + y;
    }
    return 0;
}

static uint64_t h_3same(void *cpu, uint64_t desc, uint64_t a1, uint64_t a2)
{
    (void)a1, (void)a2;
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    unsigned es = 1u << v.size, bits = 8 * es, bytes = vbytes(&v, es), nel = bytes / es;
    uint8_t res[16], n[16], m[16], d[16];
    memcpy(n, c->v[v.n], 16);
    memcpy(m, c->v[v.m], 16);
    memcpy(d, c->v[v.d], 16);
    bool pair = v.opc == 0x14 || v.opc == 0x15 || v.opc == 0x17;
    for (unsigned i = 0; i < nel; i++) {
        uint64_t x, y;
        if (pair) { /* pairs of the concatenation n:m, n first */
            const uint8_t *src = 2 * i < nel ? n : m;
            unsigned k = (2 * i) % nel;
            x = lget(src, es, k), y = lget(src, es, k + 1);
        } else {
            x = lget(n, es, i), y = lget(m, es, i);
        }
        lset(res, es, i, same_lane(c, v.u, v.opc, x, y, lget(d, es, i), bits));
    }
    vput(c, v.d, res, bytes);
    return 0;
}

const ir_helper a64_h_3same = {"a64_3same", h_3same, 1};

/* ---- two registers, miscellaneous (the integer ones) */

bool a64v_2misc_ok(unsigned u, unsigned opc, unsigned size, bool scalar)
{
    if (scalar) /* compares with zero, abs/neg, saturating narrows */
        return ((opc >= 0x08 && opc <= 0x0b && !(u && opc == 0x0a)) && size == 3) ||
               opc == 0x03 || opc == 0x07 || ((opc == 0x14 || (u && opc == 0x12)) && size != 3);
    switch (opc) {
    case 0x00: return size < (u ? 2u : 3u);         /* rev64 / rev32 */
    case 0x01: return !u && size == 0;              /* rev16 */
    case 0x02: case 0x06: return size != 3;         /* [us]addlp, [us]adalp */
    case 0x04: return size != 3;                    /* cls / clz */
    case 0x05: return u ? size <= 1 : size == 0;    /* cnt; not, rbit */
    case 0x03: case 0x07: return true;              /* suqadd/usqadd, sqabs/sqneg */
    case 0x08: case 0x09: case 0x0b: return true;   /* cmgt/cmge, cmeq/cmle #0, abs/neg */
    case 0x0a: return !u;                           /* cmlt #0 */
    case 0x12: case 0x14: return size != 3;         /* xtn, sqxtn, sqxtun, uqxtn */
    case 0x13: return u && size != 3;               /* shll */
    }
    return false;
}

static unsigned clz_n(uint64_t x, unsigned bits)
{
    unsigned n = 0;
    for (int i = (int)bits - 1; i >= 0 && !(x >> i & 1); i--)
        n++;
    return n;
}

static uint64_t misc_lane(a64_cpu *c, unsigned u, unsigned opc, uint64_t x,
                          unsigned bits)
{
    int64_t a = sx(x, bits);
    uint64_t ones = mask_of(bits);
    switch (opc) {
    case 0x04:
        return u ? clz_n(x, bits) : clz_n((x ^ (uint64_t)(a >> 63)) & ones, bits) - 1;
    case 0x05:
        return u ? ~x : (uint64_t)__builtin_popcountll(x); /* rbit: see h_2misc */
    case 0x07: return sat(c, u ? -(s128)a : (a < 0 ? -(s128)a : a), bits, true);
    case 0x08: return (u ? a >= 0 : a > 0) ? ones : 0;
    case 0x09: return (u ? a <= 0 : a == 0) ? ones : 0;
    case 0x0a: return a < 0 ? ones : 0;
    case 0x0b: return u ? (uint64_t)-a : (uint64_t)(a < 0 ? -a : a);
    }
    return 0;
}

static uint64_t rbit8(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        r |= (x >> i & 1) << (7 - i);
    return r;
}

/* rev16/32/64: elements reversed within containers of 2, 4, 8 bytes */
static void rev_elems(uint8_t *res, const uint8_t *n, unsigned es, unsigned cont, unsigned bytes)
{
    unsigned per = cont / es;
    for (unsigned i = 0; i < bytes / es; i++) {
        unsigned base = i / per * per, k = i % per;
        lset(res, es, i, lget(n, es, base + per - 1 - k));
    }
}

/* xtn and the saturating narrows: 2*es lanes of n into es lanes, to the
 * low half (Q=0, upper zeroed) or the high half (Q=1, low kept) */
static void narrow(a64_cpu *c, const a64v_desc *v, const uint8_t *n, uint8_t *res)
{
    unsigned es = 1u << v->size, bits = 8 * es, nel = v->scalar ? 1 : 8 / es;
    unsigned half = v->q && !v->scalar ? 8 : 0;
    memcpy(res, c->v[v->d], 16);
    if (!half)
        memset(res, 0, 16);
    for (unsigned i = 0; i < nel; i++) {
        uint64_t x = lget(n, 2 * es, i);
        uint64_t r;
        if (v->opc == 0x12 && !v->u)
            r = x;
        else if (v->opc == 0x12) /* sqxtun: signed in, unsigned out */
            r = sat(c, sx(x, 2 * bits), bits, false);
        else
            r = v->u ? sat(c, (s128)(x & mask_of(2 * bits)), bits, false)
                     : sat(c, sx(x, 2 * bits), bits, true);
        lset(res + half, es, i, r);
    }
}

static uint64_t h_2misc(void *cpu, uint64_t desc, uint64_t a1, uint64_t a2)
{
    (void)a1, (void)a2;
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    unsigned es = 1u << v.size, bits = 8 * es, bytes = vbytes(&v, es), nel = bytes / es;
    uint8_t res[16] = {0}, n[16], d[16];
    if (v.opc == 5) /* cnt, not, rbit: size picks the operation, lanes are bytes */
        es = 1, bits = 8, nel = bytes;
    memcpy(n, c->v[v.n], 16);
    memcpy(d, c->v[v.d], 16);
    switch (v.opc) {
    case 0x00: case 0x01:
        rev_elems(res, n, es, v.opc ? 2 : v.u ? 4 : 8, bytes);
        break;
    case 0x02: case 0x06: /* [us]addlp, [us]adalp: pairs widened */
        for (unsigned i = 0; i < nel / 2; i++) {
            uint64_t s = ext(lget(n, es, 2 * i), bits, !v.u) + ext(lget(n, es, 2 * i + 1), bits, !v.u);
            lset(res, 2 * es, i, s + (v.opc == 6 ? lget(d, 2 * es, i) : 0));
        }
        break;
    case 0x12: case 0x14:
        narrow(c, &v, n, res);
        memcpy(c->v[v.d], res, 16);
        return 0;
    case 0x13: /* shll: widen, shift by the element size */
        for (unsigned i = 0; i < 8 / es; i++)
            lset(res, 2 * es, i, lget(n + (v.q ? 8 : 0), es, i) << bits);
        bytes = 16;
        break;
    default:
        for (unsigned i = 0; i < nel; i++) {
            uint64_t x = lget(n, es, i), acc = lget(d, es, i), r;
            if (v.opc == 3) /* suqadd: signed Vd + unsigned Vn; usqadd the reverse */
                r = v.u ? sat(c, (s128)acc + sx(x, bits), bits, false)
                        : sat(c, (s128)sx(acc, bits) + (s128)x, bits, true);
            else
                r = v.opc == 5 && v.u && v.size == 1 ? rbit8(x) : misc_lane(c, v.u, v.opc, x, bits);
            lset(res, es, i, r);
        }
    }
    vput(c, v.d, res, bytes);
    return 0;
}

const ir_helper a64_h_2misc = {"a64_2misc", h_2misc, 1};

/* ---- three registers, different widths: size is the narrow one */

bool a64v_3diff_ok(unsigned u, unsigned opc, unsigned size, bool scalar)
{
    bool sqd = !u && (opc == 0x09 || opc == 0x0b || opc == 0x0d); /* sqdmlal sqdmlsl sqdmull */
    if (scalar || sqd)
        return sqd && (size == 1 || size == 2);
    if (opc == 0x0e) /* pmull: 8-bit, or 64-bit (FEAT_PMULL) */
        return !u && (size == 0 || size == 3);
    return size != 3 && (opc <= 8 || opc == 0x0a || opc == 0x0c);
}

/* the saturating doubling multiplies' accumulation: sat(acc +/- sat(2xy)) */
static uint64_t sqdml(a64_cpu *c, int64_t x, int64_t y, uint64_t acc, unsigned opc, unsigned wbits)
{
    s128 p = (s128)sx(sat(c, 2 * (s128)x * y, wbits, true), wbits);
    if (opc == 0x0d || opc == 0x0b + 0x10) /* sqdmull (3diff, by element) */
        return (uint64_t)p & mask_of(wbits);
    bool sub = opc == 0x0b || opc == 0x07;
    s128 a = (s128)sx(acc, wbits);
    return sat(c, sub ? a - p : a + p, wbits, true);
}

/* clmul of two 64-bit values: the 128-bit product over GF(2) */
static u128 clmul64(uint64_t x, uint64_t y)
{
    u128 r = 0;
    for (int i = 0; i < 64; i++)
        if (y >> i & 1)
            r ^= (u128)x << i;
    return r;
}

static uint64_t h_3diff(void *cpu, uint64_t desc, uint64_t a1, uint64_t a2)
{
    (void)a1, (void)a2;
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    unsigned es = 1u << v.size, bits = 8 * es, nel = 8 / es, hi = v.q && !v.scalar ? 8 : 0;
    bool s = !v.u;
    uint8_t res[16] = {0}, n[16], m[16], d[16];
    memcpy(n, c->v[v.n], 16);
    memcpy(m, c->v[v.m], 16);
    memcpy(d, c->v[v.d], 16);
    if (v.opc == 0x0e && v.size == 3) { /* pmull .1q from .1d */
        u128 p = clmul64(lget(n + hi, 8, 0), lget(m + hi, 8, 0));
        memcpy(c->v[v.d], &p, 16);
        return 0;
    }
    if (v.scalar)
        nel = 1;
    if (v.opc == 4 || v.opc == 6) { /* addhn, subhn, raddhn, rsubhn */
        memcpy(res, d, 16);
        if (!hi)
            memset(res, 0, 16);
        for (unsigned i = 0; i < nel; i++) {
            uint64_t x = lget(n, 2 * es, i), y = lget(m, 2 * es, i);
            uint64_t r = v.opc == 4 ? x + y : x - y;
            if (v.u)
                r += 1ull << (bits - 1);
            lset(res + hi, es, i, r >> bits);
        }
        memcpy(c->v[v.d], res, 16);
        return 0;
    }
    for (unsigned i = 0; i < nel; i++) {
        bool wide_n = v.opc == 1 || v.opc == 3; /* [us]addw, [us]subw */
        int64_t x = wide_n ? (int64_t)lget(n, 2 * es, i) : (int64_t)ext(lget(n + hi, es, i), bits, s);
        int64_t y = (int64_t)ext(lget(m + hi, es, i), bits, s);
        uint64_t acc = lget(d, 2 * es, i), r;
        s128 ad = (s128)x - y; /* both extended from `bits`: exact */
        uint64_t abd = (uint64_t)(ad < 0 ? -ad : ad);
        switch (v.opc) {
        case 0: case 1: r = (uint64_t)x + (uint64_t)y; break;
        case 2: case 3: r = (uint64_t)x - (uint64_t)y; break;
        case 5: r = acc + abd; break;
        case 7: r = abd; break;
        case 8: r = acc + (uint64_t)x * (uint64_t)y; break;
        case 0x0a: r = acc - (uint64_t)x * (uint64_t)y; break;
        case 0x0e: r = pmul8((uint64_t)x & 0xff, (uint64_t)y & 0xff); break;
        case 0x09: case 0x0b: case 0x0d: r = sqdml(c, x, y, acc, v.opc, 2 * bits); break;
        default: r = (uint64_t)x * (uint64_t)y; break; /* 0x0c: [us]mull */
        }
        lset(res, 2 * es, i, r);
    }
    vput(c, v.d, res, v.scalar ? 2 * es : 16);
    return 0;
}

const ir_helper a64_h_3diff = {"a64_3diff", h_3diff, 1};

/* ---- across lanes: [us]addlv, [us]maxv, [us]minv, addv */

bool a64v_across_ok(unsigned u, unsigned opc, unsigned size, unsigned q)
{
    if (size == 3 || (size == 2 && !q))
        return false;
    return opc == 0x03 || opc == 0x0a || opc == 0x1a || (opc == 0x1b && !u);
}

static uint64_t h_across(void *cpu, uint64_t desc, uint64_t a1, uint64_t a2)
{
    (void)a1, (void)a2;
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    unsigned es = 1u << v.size, bits = 8 * es, nel = (v.q ? 16 : 8) / es;
    bool s = !v.u;
    const uint8_t *n = c->v[v.n];
    s128 acc = (s128)(int64_t)ext(lget(n, es, 0), bits, s);
    if (!s)
        acc = (s128)lget(n, es, 0);
    for (unsigned i = 1; i < nel; i++) {
        s128 x = s ? (s128)sx(lget(n, es, i), bits) : (s128)lget(n, es, i);
        if (v.opc == 0x0a)
            acc = x > acc ? x : acc;
        else if (v.opc == 0x1a)
            acc = x < acc ? x : acc;
        else
            acc += x;
    }
    unsigned rbytes = v.opc == 0x03 ? 2 * es : es;
    uint8_t res[16] = {0};
    lset(res, rbytes, 0, (uint64_t)acc & mask_of(8 * rbytes));
    vput(c, v.d, res, rbytes);
    return 0;
}

const ir_helper a64_h_across = {"a64_across", h_across, 1};

/* ---- shifts by immediate: the element size is immh's top bit; right
 * shifts are 2*esize - immh:immb, left ones immh:immb - esize */

static unsigned shift_size(unsigned imm7)
{
    unsigned immh = imm7 >> 3;
    return immh >= 8 ? 3 : immh >= 4 ? 2 : immh >= 2 ? 1 : 0;
}

bool a64v_shift_ok(unsigned u, unsigned opc, bool scalar, unsigned immh, unsigned q)
{
    unsigned size = immh >= 8 ? 3 : immh >= 4 ? 2 : immh >= 2 ? 1 : 0;
    bool narrow = opc >= 0x10 && opc <= 0x13;
    if (narrow || opc == 0x14)
        return size != 3 && (!scalar || (narrow && (u || opc >= 0x12)));
    if (!scalar && size == 3 && !q)
        return false;
    switch (opc) {
    case 0x00: case 0x02: case 0x04: case 0x06: case 0x0a:
        return !scalar || size == 3;
    case 0x08:
        return u && (!scalar || size == 3);
    case 0x0c:
        return u;
    case 0x0e:
        return true;
    }
    return false;
}

static uint64_t shr_round(uint64_t x, unsigned sh, unsigned bits, bool sign, bool round)
{
    s128 v = sign ? (s128)sx(x, bits) : (s128)(x & mask_of(bits));
    if (round)
        v += (s128)1 << (sh - 1);
    return (uint64_t)(v >> sh);
}

static uint64_t shift_lane(a64_cpu *c, unsigned u, unsigned opc, uint64_t x, uint64_t d,
                           unsigned sh_r, unsigned sh_l, unsigned bits)
{
    bool s = !u;
    uint64_t ones = mask_of(bits);
    switch (opc) {
    case 0x00: return shr_round(x, sh_r, bits, s, false);
    case 0x02: return d + shr_round(x, sh_r, bits, s, false);
    case 0x04: return shr_round(x, sh_r, bits, s, true);
    case 0x06: return d + shr_round(x, sh_r, bits, s, true);
    case 0x08: {
        uint64_t m = sh_r >= bits ? 0 : ones >> sh_r;
        return (d & ~m) | (sh_r >= bits ? 0 : (x & ones) >> sh_r);
    }
    case 0x0a:
        return u ? (d & ~(ones << sh_l)) | (x << sh_l) : x << sh_l;
    case 0x0c: return sat(c, (s128)sx(x, bits) << sh_l, bits, false);
    case 0x0e: return sat(c, (s ? (s128)sx(x, bits) : (s128)(x & ones)) << sh_l, bits, s);
    }
    return 0;
}

static uint64_t h_shift(void *cpu, uint64_t desc, uint64_t imm7, uint64_t a2)
{
    (void)a2;
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    unsigned size = shift_size((unsigned)imm7), es = 1u << size, bits = 8 * es;
    unsigned sh_r = 2 * bits - (unsigned)imm7, sh_l = (unsigned)imm7 - bits;
    uint8_t res[16], n[16], d[16];
    memcpy(n, c->v[v.n], 16);
    memcpy(d, c->v[v.d], 16);
    if (v.opc >= 0x10 && v.opc <= 0x13) { /* narrowing: 2*es lanes in */
        unsigned nel = v.scalar ? 1 : 8 / es, hi = v.q && !v.scalar ? 8 : 0;
        bool round = v.opc & 1, plain = v.opc <= 0x11 && !v.u;
        bool in_signed = v.opc <= 0x11 || !v.u, out_signed = v.opc >= 0x12 && !v.u;
        memcpy(res, d, 16);
        if (!hi)
            memset(res, 0, 16);
        for (unsigned i = 0; i < nel; i++) {
            uint64_t x = lget(n, 2 * es, i);
            uint64_t r = shr_round(x, sh_r, 2 * bits, in_signed && !plain, round);
            if (!plain)
                r = sat(c, in_signed ? (s128)sx(r, 2 * bits) : (s128)(r & mask_of(2 * bits)),
                        bits, out_signed);
            lset(res + hi, es, i, r);
        }
        memcpy(c->v[v.d], res, 16);
        return 0;
    }
    if (v.opc == 0x14) { /* [us]shll: widen the low or high half, then shift */
        for (unsigned i = 0; i < 8 / es; i++)
            lset(res, 2 * es, i, ext(lget(n + (v.q ? 8 : 0), es, i), bits, !v.u) << sh_l);
        vput(c, v.d, res, 16);
        return 0;
    }
    unsigned bytes = vbytes(&v, es);
    for (unsigned i = 0; i < bytes / es; i++)
        lset(res, es, i, shift_lane(c, v.u, v.opc, lget(n, es, i), lget(d, es, i), sh_r, sh_l, bits));
    vput(c, v.d, res, bytes);
    return 0;
}

const ir_helper a64_h_shift = {"a64_shift", h_shift, 2};

/* ---- by element (integer): Vm[idx] against every lane of Vn */

bool a64v_elem_ok(unsigned u, unsigned opc, unsigned size, bool scalar)
{
    if (size != 1 && size != 2)
        return false;
    if (scalar) /* sqdmlal sqdmlsl sqdmull sqdmulh sqrdmulh */
        return !u && (opc == 3 || opc == 7 || opc == 0x0b || opc == 0x0c || opc == 0x0d);
    if (!u && (opc == 3 || opc == 7 || opc == 0x0b))
        return true;
    if (u)
        return opc == 0 || opc == 4 || opc == 2 || opc == 6 || opc == 0x0a;
    return opc == 8 || opc == 2 || opc == 6 || opc == 0x0a || opc == 0x0c || opc == 0x0d;
}

static uint64_t h_elem(void *cpu, uint64_t desc, uint64_t idx, uint64_t a2)
{
    (void)a2;
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    unsigned es = 1u << v.size, bits = 8 * es;
    bool s = !v.u, sqd = !v.u && (v.opc == 3 || v.opc == 7 || v.opc == 0x0b);
    bool is_long = v.opc == 2 || v.opc == 6 || v.opc == 0x0a || sqd;
    uint8_t res[16] = {0}, n[16], d[16];
    memcpy(n, c->v[v.n], 16);
    memcpy(d, c->v[v.d], 16);
    uint64_t y = lget(c->v[v.m], es, (unsigned)idx);
    if (is_long) {
        const uint8_t *src = n + (v.q && !v.scalar ? 8 : 0);
        unsigned nel = v.scalar ? 1 : 8 / es;
        for (unsigned i = 0; i < nel; i++) {
            uint64_t x = ext(lget(src, es, i), bits, s), p = x * ext(y, bits, s);
            uint64_t acc = lget(d, 2 * es, i);
            if (sqd)
                p = sqdml(c, (int64_t)x, sx(y, bits), acc, v.opc == 0x0b ? 0x1b : v.opc, 2 * bits);
            lset(res, 2 * es, i, sqd || v.opc == 0x0a ? p : v.opc == 2 ? acc + p : acc - p);
        }
        vput(c, v.d, res, v.scalar ? 2 * es : 16);
        return 0;
    }
    unsigned bytes = vbytes(&v, es);
    for (unsigned i = 0; i < bytes / es; i++) {
        uint64_t x = lget(n, es, i), acc = lget(d, es, i), r;
        if (v.opc >= 0x0c)
            r = same_lane(c, v.opc == 0x0d, 0x16, x, y, 0, bits);
        else
            r = v.opc == 0 ? acc + x * y : v.opc == 4 ? acc - x * y : x * y;
        lset(res, es, i, r);
    }
    vput(c, v.d, res, bytes);
    return 0;
}

const ir_helper a64_h_elem = {"a64_elem", h_elem, 2};

/* ---- permutes: zip/uzp/trn, ext, tbl/tbx */

static uint64_t h_perm(void *cpu, uint64_t desc, uint64_t imm, uint64_t a2)
{
    (void)a2;
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    unsigned es = 1u << v.size, bytes = v.q ? 16 : 8, nel = bytes / es;
    uint8_t res[16] = {0}, n[16], m[16], cat[32];
    memcpy(n, c->v[v.n], 16);
    memcpy(m, c->v[v.m], 16);
    switch (v.opc) {
    case A64P_UZP1: case A64P_UZP2:
        memcpy(cat, n, bytes), memcpy(cat + bytes, m, bytes);
        for (unsigned i = 0; i < nel; i++)
            lset(res, es, i, lget(cat, es, 2 * i + (v.opc == A64P_UZP2)));
        break;
    case A64P_TRN1: case A64P_TRN2:
        for (unsigned i = 0; i < nel; i += 2) {
            unsigned k = i + (v.opc == A64P_TRN2);
            lset(res, es, i, lget(n, es, k));
            lset(res, es, i + 1, lget(m, es, k));
        }
        break;
    case A64P_ZIP1: case A64P_ZIP2:
        for (unsigned i = 0; i < nel / 2; i++) {
            unsigned k = i + (v.opc == A64P_ZIP2 ? nel / 2 : 0);
            lset(res, es, 2 * i, lget(n, es, k));
            lset(res, es, 2 * i + 1, lget(m, es, k));
        }
        break;
    case A64P_EXT:
        memcpy(cat, n, bytes), memcpy(cat + bytes, m, bytes);
        memcpy(res, cat + imm, bytes);
        break;
    case A64P_TBL: case A64P_TBX: { /* imm: table registers from Vn, wrapping */
        uint8_t table[64];
        for (unsigned r = 0; r < imm; r++)
            memcpy(table + 16 * r, c->v[(v.n + r) % 32], 16);
        for (unsigned i = 0; i < bytes; i++) {
            unsigned k = m[i];
            res[i] = k < 16 * imm ? table[k] : v.opc == A64P_TBX ? c->v[v.d][i] : 0;
        }
        break;
    }
    }
    vput(c, v.d, res, bytes);
    return 0;
}

const ir_helper a64_h_perm = {"a64_perm", h_perm, 2};

/* ---- ld2-4/st2-4: one 64-bit word of the interleaved memory image,
 * where structure k's element for register r sits at (k*N + r) * es */

static uint64_t h_ldst(void *cpu, uint64_t desc, uint64_t word, uint64_t val)
{
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    unsigned es = 1u << v.size, nregs = v.opc;
    uint64_t out = 0;
    for (unsigned j = 0; j < 8; j++) {
        unsigned off = 8 * (unsigned)word + j, elem = off / es;
        uint8_t *p = &c->v[(v.d + elem % nregs) % 32][(elem / nregs) * es + off % es];
        if (v.u)
            *p = (uint8_t)(val >> (8 * j));
        else
            out |= (uint64_t)*p << (8 * j);
    }
    return out;
}

const ir_helper a64_h_ldst = {"a64_ldst", h_ldst, 3};

/* ---- half precision <-> single/double, in integers with Arm's rules:
 * NaNs keep their payload, quieted (an sNaN raises invalid); rounding by
 * FPCR.RMode; tininess before rounding.  Flags come back in bits 63:56. */

static uint64_t h2s(uint64_t h)
{
    uint64_t sign = (h >> 15 & 1) << 31, exp = h >> 10 & 31, frac = h & 0x3ff;
    if (exp == 31) {
        if (!frac)
            return sign | 0x7f800000;
        uint64_t fl = frac & 0x200 ? 0 : (uint64_t)IR_FX_INVALID << 56;
        return fl | sign | 0x7fc00000 | frac << 13;
    }
    if (exp == 0) {
        if (!frac)
            return sign;
        int e = -14;
        while (!(frac & 0x400))
            frac <<= 1, e--;
        return sign | (uint64_t)(e + 127) << 23 | (frac & 0x3ff) << 13;
    }
    return sign | (exp - 15 + 127) << 23 | frac << 13;
}

/* value = m * 2^e (m != 0) to half, rounded by rmode (0 N, 1 P, 2 M, 3 Z) */
static uint64_t round_to_half(uint64_t sign, uint64_t m, int e, unsigned rmode)
{
    int p = 63 - __builtin_clzll(m), ex = p + e;
    int E = ex >= -14 ? ex - 10 : -24, sh = E - e;
    uint64_t M, rem = 0, half = 0, fl = 0;
    if (sh <= 0) {
        M = m << -sh;
    } else if (sh >= 64) {
        M = 0, rem = 1, half = 2; /* far below half an ulp: only sticky */
    } else {
        M = m >> sh, rem = m & ((1ull << sh) - 1), half = 1ull << (sh - 1);
    }
    if (rem) {
        bool up = rmode == 0 ? (rem > half || (rem == half && (M & 1)))
                  : rmode == 1 ? !sign : rmode == 2 ? sign != 0 : false;
        M += up;
        fl |= IR_FX_INEXACT;
        if (ex < -14)
            fl |= IR_FX_UNDERFLOW;
    }
    if (M >= 2048)
        M >>= 1, E++;
    uint64_t s = sign << 15;
    if (M >= 1024 && E + 10 + 15 >= 31) { /* overflow: inf or the largest */
        bool inf = rmode == 0 || (rmode == 1 && !sign) || (rmode == 2 && sign);
        return (uint64_t)(fl | IR_FX_OVERFLOW | IR_FX_INEXACT) << 56 | s | (inf ? 0x7c00 : 0x7bff);
    }
    uint64_t bits = M >= 1024 ? (uint64_t)(E + 25) << 10 | (M & 0x3ff) : M;
    return fl << 56 | s | bits;
}

static uint64_t to_half(uint64_t x, bool dbl, unsigned rmode)
{
    int fb = dbl ? 52 : 23, eb = dbl ? 11 : 8, bias = dbl ? 1023 : 127;
    uint64_t sign = x >> (fb + eb) & 1, exp = x >> fb & ((1u << eb) - 1);
    uint64_t frac = x & ((1ull << fb) - 1);
    if (exp == (1u << eb) - 1) {
        if (!frac)
            return sign << 15 | 0x7c00;
        uint64_t fl = frac >> (fb - 1) & 1 ? 0 : (uint64_t)IR_FX_INVALID << 56;
        return fl | sign << 15 | 0x7e00 | (frac >> (fb - 10) & 0x1ff);
    }
    if (!exp && !frac)
        return sign << 15;
    uint64_t m = exp ? frac | 1ull << fb : frac;
    int e = (exp ? (int)exp : 1) - bias - fb;
    return round_to_half(sign, m, e, rmode);
}

#define FPCR_FZ (1u << 24)
#define FPCR_DN (1u << 25)

static bool is_nan_bits(uint64_t x, bool dbl)
{
    return dbl ? (x & ~(1ull << 63)) > 0x7ff0000000000000ull : (x & 0x7fffffffu) > 0x7f800000u;
}

/* FPConvert: FPCR.DN gives the default NaN (after an sNaN's invalid);
 * FPCR.FZ flushes single and double inputs (IDC), never half ones */
static uint64_t h_f16(void *cpu, uint64_t kind, uint64_t x, uint64_t a2)
{
    (void)a2;
    uint32_t fpcr = ((a64_cpu *)cpu)->fpcr;
    unsigned rmode = fpcr >> 22 & 3;
    uint64_t r;
    if (kind == A64H_H2S) {
        r = h2s(x & 0xffff);
        if ((fpcr & FPCR_DN) && is_nan_bits(r & 0xffffffffu, false))
            r = (r & ~0xffffffffull) | 0x7fc00000u;
        return r;
    }
    bool dbl = kind == A64H_D2H;
    uint64_t exp = dbl ? x >> 52 & 0x7ff : x >> 23 & 0xff;
    if ((fpcr & FPCR_FZ) && !exp && (dbl ? x << 1 : x << 33))
        return (uint64_t)IR_FX_INPUT_DENORMAL << 56 | (x >> (dbl ? 63 : 31) & 1) << 15;
    r = to_half(x, dbl, rmode);
    if ((fpcr & FPCR_DN) && is_nan_bits(dbl ? x : x & 0xffffffffu, dbl))
        r = (r & ~0xffffull) | 0x7e00;
    return r;
}

const ir_helper a64_h_f16 = {"a64_f16", h_f16, 2};
