/* a64gen's floating-point and Advanced SIMD knowledge: scalar FP (data
 * processing with 1, 2 and 3 sources, compares, conditional select,
 * conversions to and from integers and fixed point, FPCR writes that pick
 * a rounding mode and sometimes FZ or DN) and the common NEON groups
 * (three-same integer and FP, two-register misc, permutes, ext, tbl/tbx,
 * dup/ins/umov/smov, across-lane reductions, shifts by immediate, widening
 * and narrowing, modified immediates, ld1-ld4/st1-st4 on the buffer, the
 * scalar forms, estimates and fused steps) and the crypto class (AES,
 * SHA-1, SHA-256, PMULL). */
#include <string.h>
#include "a64gen.h"
#include "fz_layout.h"

#define RB(n) fzg_below(r, n)
#define V() RB(32)

/* ---- scalar floating point */
void a64g_fp(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned ty = RB(2), d = V(), n = V(), m = V(), a = V();
    switch (RB(14)) {
    case 0: case 1: /* fmul fdiv fadd fsub fmax fmin fmaxnm fminnm fnmul */
        return a64g_emit(it, 0x1e200800 | ty << 22 | m << 16 | RB(9) << 12 | n << 5 | d, "fp 2-source");
    case 2: { /* fmov fabs fneg fsqrt, frint n p m z a x i */
        static const unsigned op[] = { 0, 1, 2, 3, 8, 9, 10, 11, 12, 14, 15 };
        return a64g_emit(it, 0x1e204000 | ty << 22 | op[RB(11)] << 15 | n << 5 | d, "fp 1-source");
    }
    case 3: { /* fcvt between single, double and half */
        static const unsigned cv[][2] = { {0, 5}, {0, 7}, {1, 4}, {1, 7}, {3, 4}, {3, 5} };
        unsigned k = RB(6);
        return a64g_emit(it, 0x1e204000 | cv[k][0] << 22 | cv[k][1] << 15 | n << 5 | d, "fcvt");
    }
    case 4: case 5: /* fmadd fmsub fnmadd fnmsub */
        return a64g_emit(it, 0x1f000000 | ty << 22 | RB(2) << 21 | m << 16 | RB(2) << 15 | a << 10 | n << 5 | d,
                         "fp 3-source");
    case 6: { /* fcmp, fcmpe, against a register or zero */
        unsigned opc = RB(4);
        return a64g_emit(it, 0x1e202000 | ty << 22 | (opc & 1 ? 0 : m) << 16 | n << 5 | opc << 3, "fcmp");
    }
    case 7:   /* fccmp, fccmpe */
        return a64g_emit(it, 0x1e200400 | ty << 22 | m << 16 | RB(16) << 12 | n << 5 | RB(2) << 4 | RB(16),
                         "fccmp");
    case 8:   /* fcsel */
        return a64g_emit(it, 0x1e200c00 | ty << 22 | m << 16 | RB(16) << 12 | n << 5 | d, "fcsel");
    case 9: { /* to and from integers: fcvt{n,a}{s,u}, scvtf, ucvtf, fcvt{p,m,z}{s,u}, fmov */
        static const unsigned rm_op[][2] = { {0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5},
                                              {1, 0}, {1, 1}, {2, 0}, {2, 1}, {3, 0}, {3, 1},
                                              {0, 6}, {0, 7} };
        unsigned k = RB(14), sf = RB(2), to_fp = rm_op[k][1] == 2 || rm_op[k][1] == 3 || rm_op[k][1] == 7;
        if (rm_op[k][1] >= 6)
            sf = ty;                      /* fmov: same width */
        return a64g_emit(it, 0x1e200000 | sf << 31 | ty << 22 | rm_op[k][0] << 19 | rm_op[k][1] << 16 |
                             (to_fp ? a64g_xn(r) : n) << 5 | (to_fp ? d : a64g_xd(r)), "fp<->int");
    }
    case 10: { /* fixed point: fcvtzs, fcvtzu, scvtf, ucvtf */
        static const unsigned rm_op[][2] = { {3, 0}, {3, 1}, {0, 2}, {0, 3} };
        unsigned k = RB(4), sf = RB(2), scale = 64 - 1 - RB(sf ? 64 : 32);
        return a64g_emit(it, 0x1e000000 | sf << 31 | ty << 22 | rm_op[k][0] << 19 | rm_op[k][1] << 16 |
                             scale << 10 | (k >= 2 ? a64g_xn(r) : n) << 5 | (k >= 2 ? d : a64g_xd(r)),
                         "fixed point");
    }
    case 11:  /* fmov immediate */
        return a64g_emit(it, 0x1e201000 | ty << 22 | RB(256) << 13 | d, "fmov imm");
    case 12: { /* FPCR: a rounding mode, sometimes FZ (bit 24) or DN (bit 25) */
        unsigned t = a64g_xtmp(r), v = RB(4) << 6 | (RB(6) == 0) << 8 | (RB(6) == 0) << 9;
        a64g_emit(it, 0xd2a00000 | v << 5 | t, "msr fpcr");   /* movz xT, #v, lsl 16 */
        return a64g_emit(it, 0xd51b4400 | t, "msr fpcr");
    }
    default: { /* FPSR: read it, or write a set of cumulative flags */
        unsigned t = a64g_xtmp(r);
        if (RB(2))
            return a64g_emit(it, 0xd53b4420 | a64g_xd(r), "mrs fpsr");
        a64g_emit(it, 0xd2800000 | (RB(32) | RB(2) << 7) << 5 | t, "msr fpsr");
        return a64g_emit(it, 0xd51b4420 | t, "msr fpsr");
    }
    }
}

/* ---- Advanced SIMD */

/* three-same integer ops: opcode, U, which sizes (bit mask 1 << size) */
static const struct { uint8_t op, u, sizes; } same_int[] = {
    {16, 0, 15}, {16, 1, 15}, {19, 0, 7}, {17, 1, 15}, {17, 0, 15}, {6, 0, 15}, {7, 0, 15},
    {6, 1, 15}, {7, 1, 15}, {1, 0, 15}, {1, 1, 15}, {5, 0, 15}, {5, 1, 15}, {12, 0, 7},
    {12, 1, 7}, {13, 0, 7}, {13, 1, 7}, {14, 0, 7}, {14, 1, 7}, {8, 0, 15}, {8, 1, 15},
    {23, 0, 15}, {22, 0, 6}, {22, 1, 6}, {3, 0, 15}, {3, 1, 15}, {15, 0, 7}, {15, 1, 7},
    {20, 0, 7}, {20, 1, 7}, {18, 0, 7}, {18, 1, 7}, {9, 0, 15}, {9, 1, 15}, {11, 0, 15},
    {11, 1, 15},
};
/* three-same FP: U, a (bit 23), opcode */
static const struct { uint8_t u, a, op; } same_fp[] = {
    {0, 0, 26}, {0, 1, 26}, {1, 0, 27}, {1, 0, 31}, {0, 0, 30}, {0, 1, 30}, {0, 0, 24},
    {0, 1, 24}, {0, 0, 25}, {0, 1, 25}, {0, 0, 28}, {1, 0, 28}, {1, 1, 28}, {1, 1, 26},
    {1, 0, 26}, {0, 0, 31}, {0, 1, 31}, {1, 0, 29}, {1, 1, 29}, {0, 0, 27},
};
/* two-register misc integer: opcode, U, sizes */
static const struct { uint8_t op, u, sizes; } misc_int[] = {
    {0, 0, 7}, {1, 0, 1}, {0, 1, 3}, {5, 0, 1}, {5, 1, 3}, {4, 1, 7}, {4, 0, 7}, {11, 0, 15},
    {11, 1, 15}, {7, 0, 15}, {7, 1, 15}, {8, 0, 15}, {9, 0, 15}, {10, 0, 15}, {8, 1, 15},
    {9, 1, 15}, {2, 0, 7}, {2, 1, 7}, {6, 0, 7}, {6, 1, 7}, {3, 0, 15}, {3, 1, 15},
};
/* two-register misc FP: U, a, opcode */
static const struct { uint8_t u, a, op; } misc_fp[] = {
    {0, 1, 15}, {1, 1, 15}, {1, 1, 31}, {0, 0, 24}, {0, 0, 25}, {0, 1, 24}, {0, 1, 25},
    {1, 0, 24}, {1, 0, 25}, {1, 1, 25}, {0, 1, 27}, {1, 1, 27}, {0, 0, 29}, {1, 0, 29},
    {0, 0, 26}, {1, 0, 26}, {0, 0, 27}, {0, 1, 26}, {0, 1, 12}, {0, 1, 13}, {0, 1, 14},
    {1, 1, 12}, {1, 1, 13}, {0, 1, 29}, {1, 1, 29}, {0, 1, 28}, {1, 1, 28},
};
/* shift by immediate: opcode, U, kind (0 right, 1 left, 2 narrowing right, 3 widening left) */
static const struct { uint8_t op, u, kind; } shifts[] = {
    {0, 0, 0}, {0, 1, 0}, {2, 0, 0}, {2, 1, 0}, {4, 0, 0}, {4, 1, 0}, {6, 0, 0}, {6, 1, 0},
    {10, 0, 1}, {10, 1, 1}, {8, 1, 0}, {14, 0, 1}, {14, 1, 1}, {12, 1, 1},
    {16, 0, 2}, {17, 0, 2}, {18, 0, 2}, {18, 1, 2}, {16, 1, 2}, {19, 0, 2}, {20, 0, 3}, {20, 1, 3},
};

static unsigned pick_size(struct fzg_rng *r, unsigned mask)
{
    unsigned s;
    do
        s = RB(4);
    while (!(mask >> s & 1));
    return s;
}

/* ---- the scalar forms (01 U 1111x ...): one element of b/h/s/d */
static void a64g_simd_scalar(struct fzg_rng *r, struct fzg_item *it)
{
    /* opcode, U, sizes: three-same and two-register misc integer */
    static const struct { uint8_t op, u, sizes; } same[] = {
        {1, 0, 15}, {1, 1, 15}, {5, 0, 15}, {5, 1, 15}, {9, 0, 15}, {9, 1, 15}, {11, 0, 15},
        {11, 1, 15}, {22, 0, 6}, {22, 1, 6}, {6, 0, 8}, {6, 1, 8}, {7, 0, 8}, {7, 1, 8},
        {8, 0, 8}, {8, 1, 8}, {10, 0, 8}, {10, 1, 8}, {16, 0, 8}, {16, 1, 8}, {17, 0, 8}, {17, 1, 8},
    }, misc[] = {
        {3, 0, 15}, {3, 1, 15}, {7, 0, 15}, {7, 1, 15}, {8, 0, 8}, {8, 1, 8}, {9, 0, 8}, {9, 1, 8},
        {10, 0, 8}, {11, 0, 8}, {11, 1, 8}, {20, 0, 7}, {20, 1, 7}, {18, 1, 7},
    };
    /* U, a, opcode: three-same and two-register misc FP */
    static const struct { uint8_t u, a, op; } fsame[] = {
        {0, 0, 27}, {0, 0, 28}, {0, 0, 31}, {0, 1, 31}, {1, 0, 28}, {1, 0, 29}, {1, 1, 26},
        {1, 1, 28}, {1, 1, 29},
    }, fmisc[] = {
        {0, 1, 29}, {1, 1, 29}, {0, 1, 31}, {0, 0, 26}, {1, 1, 27}, {0, 1, 12}, {1, 1, 13},
        {0, 0, 29}, {1, 0, 29},
    };
    unsigned d = V(), n = V(), m = V();
    switch (RB(6)) {
    case 0: {
        unsigned k = RB(sizeof same / sizeof same[0]), size = pick_size(r, same[k].sizes);
        return a64g_emit(it, 0x5e200400 | same[k].u << 29 | size << 22 | m << 16 | same[k].op << 11 |
                             n << 5 | d, "scalar 3-same");
    }
    case 1: {
        unsigned k = RB(sizeof misc / sizeof misc[0]), size = pick_size(r, misc[k].sizes);
        return a64g_emit(it, 0x5e200800 | misc[k].u << 29 | size << 22 | misc[k].op << 12 | n << 5 | d,
                         "scalar 2-misc");
    }
    case 2: {
        unsigned k = RB(sizeof fsame / sizeof fsame[0]);
        return a64g_emit(it, 0x5e200400 | fsame[k].u << 29 | fsame[k].a << 23 | RB(2) << 22 | m << 16 |
                             fsame[k].op << 11 | n << 5 | d, "scalar 3-same fp");
    }
    case 3: {
        unsigned k = RB(sizeof fmisc / sizeof fmisc[0]);
        return a64g_emit(it, 0x5e200800 | fmisc[k].u << 29 | fmisc[k].a << 23 | RB(2) << 22 |
                             fmisc[k].op << 12 | n << 5 | d, "scalar 2-misc fp");
    }
    case 4: { /* sqdmlal sqdmlsl sqdmull */
        static const unsigned op[] = { 9, 11, 13 };
        return a64g_emit(it, 0x5e200000 | (1 + RB(2)) << 22 | m << 16 | op[RB(3)] << 12 | n << 5 | d,
                         "scalar 3-different");
    }
    default: { /* by element: sqdmlal sqdmlsl sqdmull sqdmulh sqrdmulh; fmul fmla fmls fmulx */
        unsigned h = RB(2), l = RB(2);
        if (RB(2)) {
            static const unsigned op[] = { 3, 7, 11, 12, 13 };
            unsigned size = 1 + RB(2), mm = size == 1 ? RB(16) : m;
            return a64g_emit(it, 0x5f000000 | size << 22 | l << 21 | mm << 16 | op[RB(5)] << 12 | h << 11 |
                                 n << 5 | d, "scalar by element");
        }
        static const unsigned fo[] = { 9, 1, 5, 9 };
        unsigned sz = RB(2), fk = RB(4);
        if (sz)
            l = 0;
        return a64g_emit(it, 0x5f801000 | (fk == 3) << 29 | sz << 22 | l << 21 | m << 16 | fo[fk] << 12 |
                             h << 11 | n << 5 | d, "scalar fp by element");
    }
    }
}

/* ---- more vector groups: saturating shifts by register, accumulating
 * absolute differences and saturating accumulates (vector) */
static void neon_more(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned q = RB(2), d = V(), n = V(), m = V(), size = RB(4), u = RB(2);
    if (size == 3)
        q = 1;
    switch (RB(3)) {
    case 0: /* sqshl uqshl sqrshl uqrshl (register) */
        return a64g_emit(it, 0x0e200400 | q << 30 | u << 29 | size << 22 | m << 16 | (9 + 2 * RB(2)) << 11 |
                             n << 5 | d, "simd sat shift reg");
    case 1: /* saba uaba */
        if (size == 3)
            size = RB(3);
        return a64g_emit(it, 0x0e207c00 | q << 30 | u << 29 | size << 22 | m << 16 | n << 5 | d, "simd aba");
    default: /* suqadd usqadd */
        return a64g_emit(it, 0x0e203800 | q << 30 | u << 29 | size << 22 | n << 5 | d, "simd sqadd acc");
    }
}

/* ---- the cryptographic extension */
void a64g_crypto(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned d = V(), n = V(), m = V();
    switch (RB(4)) {
    case 0: /* aese aesd aesmc aesimc */
        return a64g_emit(it, 0x4e280800 | (4 + RB(4)) << 12 | n << 5 | d, "aes");
    case 1: /* sha1c sha1p sha1m sha1su0 sha256h sha256h2 sha256su1 */
        return a64g_emit(it, 0x5e000000 | m << 16 | RB(7) << 12 | n << 5 | d, "sha 3-reg");
    case 2: /* sha1h sha1su1 sha256su0 */
        return a64g_emit(it, 0x5e280800 | RB(3) << 12 | n << 5 | d, "sha 2-reg");
    default: /* pmull, pmull2: .8b -> .8h, .1d -> .1q */
        return a64g_emit(it, 0x0e20e000 | RB(2) << 30 | RB(2) * 3 << 22 | m << 16 | n << 5 | d, "pmull");
    }
}

void a64g_neon(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned q = RB(2), d = V(), n = V(), m = V();
    switch (RB(18)) {
    case 16:
        return a64g_simd_scalar(r, it);
    case 17:
        return neon_more(r, it);
    case 0: case 1: case 2: {
        unsigned k = RB(sizeof same_int / sizeof same_int[0]), size = pick_size(r, same_int[k].sizes);
        if (same_int[k].op == 3)          /* logical: size picks the operation */
            size = RB(4);
        else if (size == 3)
            q = 1;
        return a64g_emit(it, 0x0e200400 | q << 30 | same_int[k].u << 29 | size << 22 | m << 16 |
                             same_int[k].op << 11 | n << 5 | d, "simd 3-same");
    }
    case 3: case 4: {
        unsigned k = RB(sizeof same_fp / sizeof same_fp[0]), sz = RB(2);
        if (sz)
            q = 1;
        return a64g_emit(it, 0x0e200400 | q << 30 | same_fp[k].u << 29 | same_fp[k].a << 23 | sz << 22 |
                             m << 16 | same_fp[k].op << 11 | n << 5 | d, "simd 3-same fp");
    }
    case 5: {
        unsigned k = RB(sizeof misc_int / sizeof misc_int[0]), size = pick_size(r, misc_int[k].sizes);
        unsigned op = misc_int[k].op;
        if (size == 3)                    /* 64-bit lanes only as 2d */
            q = 1;
        return a64g_emit(it, 0x0e200800 | q << 30 | misc_int[k].u << 29 | size << 22 | op << 12 | n << 5 | d,
                         "simd 2-misc");
    }
    case 6: { /* xtn, sqxtn, uqxtn, sqxtun (q selects the "2" form) */
        static const unsigned nu[][2] = { {18, 0}, {20, 0}, {20, 1}, {18, 1} };
        unsigned k = RB(4);
        return a64g_emit(it, 0x0e200800 | q << 30 | nu[k][1] << 29 | RB(3) << 22 | nu[k][0] << 12 | n << 5 | d,
                         "simd narrow");
    }
    case 7: {
        unsigned k = RB(sizeof misc_fp / sizeof misc_fp[0]), sz = RB(2);
        if (misc_fp[k].op == 28)          /* urecpe, ursqrte: .2s/.4s */
            sz = 0;
        if (sz)
            q = 1;
        return a64g_emit(it, 0x0e200800 | q << 30 | misc_fp[k].u << 29 | misc_fp[k].a << 23 | sz << 22 |
                             misc_fp[k].op << 12 | n << 5 | d, "simd 2-misc fp");
    }
    case 8: { /* uzp1 trn1 zip1 uzp2 trn2 zip2; ext; tbl/tbx */
        static const unsigned op[] = { 1, 2, 3, 5, 6, 7 };
        unsigned size = RB(4);
        if (size == 3)
            q = 1;
        if (RB(3) == 0)
            return a64g_emit(it, 0x2e000000 | q << 30 | m << 16 | RB(q ? 16 : 8) << 11 | n << 5 | d, "ext");
        if (RB(3) == 0)
            return a64g_emit(it, 0x0e000000 | q << 30 | m << 16 | RB(4) << 13 | RB(2) << 12 | n << 5 | d, "tbl/tbx");
        return a64g_emit(it, 0x0e000800 | q << 30 | size << 22 | m << 16 | op[RB(6)] << 12 | n << 5 | d, "permute");
    }
    case 9: { /* dup (element, general), ins (general, element), umov, smov */
        unsigned size = RB(4), imm5 = (RB(32) << 1 | 1) << size & 31, imm4 = (RB(16) << size) & 15;
        switch (RB(6)) {
        case 0:
            return a64g_emit(it, 0x0e000400 | (size == 3 ? 1 : q) << 30 | imm5 << 16 | n << 5 | d, "dup element");
        case 1:
            return a64g_emit(it, 0x0e000c00 | (size == 3 ? 1 : q) << 30 | imm5 << 16 | a64g_xn(r) << 5 | d, "dup general");
        case 2:
            return a64g_emit(it, 0x4e001c00 | imm5 << 16 | a64g_xn(r) << 5 | d, "ins general");
        case 3:
            return a64g_emit(it, 0x6e000400 | imm5 << 16 | imm4 << 11 | n << 5 | d, "ins element");
        case 4:
            return a64g_emit(it, 0x0e003c00 | (size == 3) << 30 | imm5 << 16 | n << 5 | a64g_xd(r), "umov");
        default:
            if (size == 3)
                size = 2, imm5 = (RB(8) << 3 | 4) & 31;
            return a64g_emit(it, 0x0e002c00 | (size == 2 ? 1 : q) << 30 | imm5 << 16 | n << 5 | a64g_xd(r), "smov");
        }
    }
    case 10: { /* addv, saddlv, uaddlv, smaxv, umaxv, sminv, uminv; fmaxv etc. */
        static const unsigned op[][2] = { {27, 0}, {3, 0}, {3, 1}, {10, 0}, {10, 1}, {26, 0}, {26, 1} };
        unsigned k = RB(7), size = RB(3);
        if (size == 2)
            q = 1;
        if (RB(4) == 0)                   /* fmaxnmv fminnmv fmaxv fminv (4s) */
            return a64g_emit(it, 0x6e30c800 | RB(2) << 23 | RB(2) * 3 << 12 | n << 5 | d, "fp across");
        return a64g_emit(it, 0x0e300800 | q << 30 | op[k][1] << 29 | size << 22 | op[k][0] << 12 | n << 5 | d,
                         "across lanes");
    }
    case 11: { /* shifts by immediate */
        unsigned k = RB(sizeof shifts / sizeof shifts[0]), kind = shifts[k].kind;
        unsigned size = RB(kind >= 2 ? 3 : 4), esize = 8u << size, immhb, sh;
        if (size == 3)
            q = 1;
        sh = kind == 1 || kind == 3 ? RB(esize) : 1 + RB(esize);   /* left 0..es-1, right 1..es */
        immhb = kind == 1 || kind == 3 ? esize + sh : 2 * esize - sh;
        return a64g_emit(it, 0x0f000400 | q << 30 | shifts[k].u << 29 | immhb << 16 | shifts[k].op << 11 |
                             n << 5 | d, "shift imm");
    }
    case 12: { /* three different: saddl uaddl saddw ssubl ssubw addhn sabal subhn sabdl smlal smlsl
                * smull umull sqdmull raddhn rsubhn sqdmlal sqdmlsl pmull */
        static const unsigned op[][2] = { {0, 0}, {0, 1}, {1, 0}, {2, 0}, {3, 1}, {4, 0}, {5, 1}, {6, 0},
                                          {7, 0}, {8, 0}, {10, 1}, {12, 0}, {12, 1}, {13, 0}, {4, 1}, {6, 1},
                                          {9, 0}, {11, 0}, {14, 0} };
        unsigned k = RB(19), size = RB(3);
        if ((op[k][0] == 13 || op[k][0] == 9 || op[k][0] == 11) && size == 0)
            size = 1;
        if (op[k][0] == 14)
            size = RB(2) * 3;             /* pmull: .8b or .1d */
        return a64g_emit(it, 0x0e200000 | q << 30 | op[k][1] << 29 | size << 22 | m << 16 | op[k][0] << 12 |
                             n << 5 | d, "simd 3-different");
    }
    case 13: { /* modified immediate: movi, mvni, orr, bic, fmov */
        unsigned op = RB(2), cmode = RB(16), abc = RB(8), defgh = RB(32);
        if (op && cmode == 15)
            q = 1;                        /* fmov v.2d */
        return a64g_emit(it, 0x0f000400 | q << 30 | op << 29 | abc << 16 | cmode << 12 | defgh << 5 | d,
                         "modified imm");
    }
    case 14: { /* mul, mla, fmul, fmla by element */
        unsigned size = 1 + RB(2), h = RB(2), l = RB(2), mm = size == 1 ? RB(16) : m;
        static const unsigned op[] = { 8, 0, 4, 2, 10, 12, 13, 3, 7, 11 };
        unsigned k = RB(10), u = (k == 1 || k == 2), f = RB(3) == 0;
        if (f) {                          /* fmul/fmla/fmls/fmulx by element, single or double */
            unsigned sz = RB(2), fk = RB(4);
            if (sz)
                q = 1, l = 0;
            static const unsigned fo[] = { 9, 1, 5, 9 };
            return a64g_emit(it, 0x0f801000 | q << 30 | (fk == 3) << 29 | sz << 22 | l << 21 | m << 16 |
                                 fo[fk] << 12 | h << 11 | n << 5 | d, "fp by element");
        }
        if (op[k] == 10 || op[k] == 2 || op[k] == 12)
            u = RB(2);
        if (k >= 5)                       /* sqdmulh sqrdmulh sqdmlal sqdmlsl sqdmull */
            u = 0;
        return a64g_emit(it, 0x0f000000 | q << 30 | u << 29 | size << 22 | l << 21 | (mm & 31) << 16 |
                             op[k] << 12 | h << 11 | n << 5 | d, "by element");
    }
    default: { /* ld1-ld4 / st1-st4 (multiple structures) from x28 + off */
        static const unsigned op[] = { 0, 2, 4, 6, 7, 8, 10 };
        unsigned k = RB(7), size = RB(4), l = RB(2), t = a64g_xtmp(r);
        if (size == 3 && (op[k] == 0 || op[k] == 4 || op[k] == 8))
            q = 1;
        a64g_emit(it, 0x91000000 | (RB(60) * 16) << 10 | FZ_BASE_REG << 5 | t, "ldN/stN");
        return a64g_emit(it, 0x0c000000 | q << 30 | l << 22 | op[k] << 12 | size << 10 | t << 5 | d, "ldN/stN");
    }
    }
}
