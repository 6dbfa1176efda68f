/* The AArch64 cryptographic extension (FEAT_AES, FEAT_SHA1, FEAT_SHA256)
 * as one C helper on the V registers, written from the Arm ARM
 * pseudocode (AESSubBytes, AESShiftRows, AESMixColumns, SHA1C/P/M,
 * SHA256hash and the schedule updates).  PMULL is in a64_simd_helpers.c.
 * The AES S-boxes are built once from their FIPS-197 definition (the
 * multiplicative inverse in GF(2^8), then the affine map).
 *
 *   a64_h_crypto.fn(cpu, A64V_D(0) | A64V_N(1) | A64V_OPC(A64C_AESE), 0, 0);
 */
#include <pthread.h>
#include <string.h>

#include "frontend/aarch64/a64_simd.h"

static uint8_t sbox[256], inv_sbox[256];
static pthread_once_t sbox_once = PTHREAD_ONCE_INIT;

/* multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 */
static uint8_t gmul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    while (b) {
        if (b & 1)
            r ^= a;
        a = (uint8_t)(a << 1 ^ (a & 0x80 ? 0x1b : 0));
        b >>= 1;
    }
    return r;
}

static uint8_t rotl8(uint8_t x, int k) { return (uint8_t)(x << k | x >> (8 - k)); }

static void build_sboxes(void)
{
    for (int x = 0; x < 256; x++) {
        uint8_t inv = 0; /* x^254 = x^-1 (0 for 0) */
        if (x) {
            uint8_t p = (uint8_t)x;
            inv = 1;
            for (int e = 254; e; e >>= 1, p = gmul(p, p))
                if (e & 1)
                    inv = gmul(inv, p);
        }
        uint8_t s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
        sbox[x] = s;
        inv_sbox[s] = (uint8_t)x;
    }
}

/* The state: byte i is row i % 4 of column i / 4 (FIPS-197's order). */
static void shift_rows(uint8_t *s, bool inverse)
{
    uint8_t t[16];
    for (int c = 0; c < 4; c++)
        for (int r = 0; r < 4; r++) {
            int from = inverse ? (c - r + 4) % 4 : (c + r) % 4;
            t[4 * c + r] = s[4 * from + r];
        }
    memcpy(s, t, 16);
}

static void mix_columns(uint8_t *s, bool inverse)
{
    static const uint8_t fwd[4] = {2, 3, 1, 1}, inv[4] = {14, 11, 13, 9};
    const uint8_t *k = inverse ? inv : fwd;
    for (int c = 0; c < 4; c++) {
        uint8_t col[4], *p = s + 4 * c;
        memcpy(col, p, 4);
        for (int r = 0; r < 4; r++)
            p[r] = gmul(col[r], k[0]) ^ gmul(col[(r + 1) % 4], k[1]) ^
                   gmul(col[(r + 2) % 4], k[2]) ^ gmul(col[(r + 3) % 4], k[3]);
    }
}

static void aes(uint8_t *res, const uint8_t *d, const uint8_t *n, unsigned op)
{
    if (op == A64C_AESMC || op == A64C_AESIMC) {
        memcpy(res, n, 16);
        mix_columns(res, op == A64C_AESIMC);
        return;
    }
    const uint8_t *box = op == A64C_AESD ? inv_sbox : sbox;
    for (int i = 0; i < 16; i++)
        res[i] = d[i] ^ n[i];
    shift_rows(res, op == A64C_AESD);
    for (int i = 0; i < 16; i++)
        res[i] = box[res[i]];
}

/* ---- SHA: 32-bit words, element e of a register is w[e] */

static uint32_t rol(uint32_t x, int k) { return x << k | x >> (32 - k); }
static uint32_t ror(uint32_t x, int k) { return x >> k | x << (32 - k); }
static uint32_t sha_choose(uint32_t x, uint32_t y, uint32_t z) { return ((y ^ z) & x) ^ z; }
static uint32_t sha_majority(uint32_t x, uint32_t y, uint32_t z) { return (x & y) | ((x | y) & z); }
static uint32_t sha_parity(uint32_t x, uint32_t y, uint32_t z) { return x ^ y ^ z; }

/* SHA1C/P/M: four rounds; X = Vd (a, b, c, d), Y = Sn (e), W = Vm */
static void sha1_rounds(uint32_t *x, uint32_t y, const uint32_t *w, unsigned op)
{
    for (int e = 0; e < 4; e++) {
        uint32_t t = op == A64C_SHA1C ? sha_choose(x[1], x[2], x[3])
                     : op == A64C_SHA1P ? sha_parity(x[1], x[2], x[3])
                                        : sha_majority(x[1], x[2], x[3]);
        y = y + rol(x[0], 5) + t + w[e];
        x[1] = rol(x[1], 30);
        uint32_t top = x[3]; /* <Y, X> = ROL(Y:X, 32) */
        x[3] = x[2], x[2] = x[1], x[1] = x[0], x[0] = y;
        y = top;
    }
}

/* SHA256hash: part1 returns X (SHA256H), else Y (SHA256H2) */
static void sha256_hash(uint32_t *out, const uint32_t *x0, const uint32_t *y0, const uint32_t *w,
                        bool part1)
{
    uint32_t x[4], y[4];
    memcpy(x, x0, 16), memcpy(y, y0, 16);
    for (int e = 0; e < 4; e++) {
        uint32_t chs = sha_choose(y[0], y[1], y[2]);
        uint32_t maj = sha_majority(x[0], x[1], x[2]);
        uint32_t s1 = ror(y[0], 6) ^ ror(y[0], 11) ^ ror(y[0], 25);
        uint32_t s0 = ror(x[0], 2) ^ ror(x[0], 13) ^ ror(x[0], 22);
        uint32_t t = y[3] + s1 + chs + w[e];
        x[3] = t + x[3];
        y[3] = t + s0 + maj;
        uint32_t xtop = x[3]; /* <Y, X> = ROL(Y:X, 32) */
        x[3] = x[2], x[2] = x[1], x[1] = x[0], x[0] = y[3];
        y[3] = y[2], y[2] = y[1], y[1] = y[0], y[0] = xtop;
    }
    memcpy(out, part1 ? x : y, 16);
}

static void sha256_su1(uint32_t *r, const uint32_t *d, const uint32_t *n, const uint32_t *m)
{
    uint32_t t0[4] = {n[1], n[2], n[3], m[0]}, t1[2] = {m[2], m[3]};
    for (int e = 0; e < 4; e++) {
        uint32_t elt = e < 2 ? t1[e] : r[e - 2];
        elt = ror(elt, 17) ^ ror(elt, 19) ^ (elt >> 10);
        r[e] = elt + d[e] + t0[e];
    }
}

static void sha(uint32_t *r, const uint32_t *d, const uint32_t *n, const uint32_t *m, unsigned op)
{
    switch (op) {
    case A64C_SHA1C: case A64C_SHA1P: case A64C_SHA1M:
        memcpy(r, d, 16);
        sha1_rounds(r, n[0], m, op);
        return;
    case A64C_SHA1SU0: /* (n<63:0> : d<127:64>) ^ d ^ m */
        r[0] = d[2], r[1] = d[3], r[2] = n[0], r[3] = n[1];
        for (int e = 0; e < 4; e++)
            r[e] ^= d[e] ^ m[e];
        return;
    case A64C_SHA256H: sha256_hash(r, d, n, m, true); return;
    case A64C_SHA256H2: sha256_hash(r, n, d, m, false); return;
    case A64C_SHA256SU1: sha256_su1(r, d, n, m); return;
    case A64C_SHA1H: r[0] = rol(n[0], 30); return;
    case A64C_SHA1SU1: { /* T = d ^ (n >> 32); words rotated by 1, w3 also takes T0 */
        uint32_t t[4] = {d[0] ^ n[1], d[1] ^ n[2], d[2] ^ n[3], d[3]};
        r[0] = rol(t[0], 1), r[1] = rol(t[1], 1), r[2] = rol(t[2], 1);
        r[3] = rol(t[3], 1) ^ rol(t[0], 2);
        return;
    }
    case A64C_SHA256SU0: {
        uint32_t t[4] = {d[1], d[2], d[3], n[0]};
        for (int e = 0; e < 4; e++)
            r[e] = (ror(t[e], 7) ^ ror(t[e], 18) ^ (t[e] >> 3)) + d[e];
        return;
    }
    }
}

static uint64_t h_crypto(void *cpu, uint64_t desc, uint64_t a1, uint64_t a2)
{
    (void)a1, (void)a2;
    a64_cpu *c = cpu;
    a64v_desc v = a64v_unpack(desc);
    uint32_t d[4], n[4], m[4], r[4] = {0};
    memcpy(d, c->v[v.d], 16);
    memcpy(n, c->v[v.n], 16);
    memcpy(m, c->v[v.m], 16);
    if (v.opc <= A64C_AESIMC) {
        pthread_once(&sbox_once, build_sboxes);
        aes((uint8_t *)r, (const uint8_t *)d, (const uint8_t *)n, v.opc);
    } else {
        sha(r, d, n, m, v.opc);
    }
    memcpy(c->v[v.d], r, 16);
    return 0;
}

const ir_helper a64_h_crypto = {"a64_crypto", h_crypto, 1};
