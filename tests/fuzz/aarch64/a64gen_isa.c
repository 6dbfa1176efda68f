/* a64gen's integer knowledge: encoders for data processing (immediate and
 * register), flag-setting and conditional forms, loads and stores through
 * the buffer (x28 or a temporary made from it), forward branches, and
 * exclusives/LSE atomics on aligned buffer addresses.  Encodings follow
 * the Arm ARM's A64 encoding index; fields that would make an unallocated
 * or CONSTRAINED UNPREDICTABLE encoding are drawn from their valid range. */
#include <stdio.h>
#include <string.h>
#include "a64gen.h"
#include "fz_layout.h"

const char *const a64g_class_names[A64G_NCLASS] = {
    "int", "flags", "cond", "mem", "br", "atomic", "fp", "neon", "crypto",
};

#define RB(n) fzg_below(r, n)

void a64g_emit(struct fzg_item *it, uint32_t w, const char *text)
{
    /* a group is named by its main instruction, not its address set-up */
    if (it->n == 0 || strcmp(it->text, "base") == 0 || strcmp(it->text, "index") == 0)
        snprintf(it->text, sizeof it->text, "%s", text);
    it->in[it->n] = (struct fzg_insn){ .w = w, .ref = w, .size = 4, .fix = FIX_NONE };
    it->n++;
}

/* Registers: half the time one of x0-x7, so results feed each other. */
unsigned a64g_xtmp(struct fzg_rng *r) { return RB(2) ? RB(8) : RB(28); }
unsigned a64g_xd(struct fzg_rng *r)
{
    unsigned x = RB(16) == 0 ? 31 : RB(2) ? RB(8) : RB(31);
    return x == FZ_BASE_REG ? 27 : x;
}
unsigned a64g_xn(struct fzg_rng *r) { return RB(16) == 0 ? 31 : RB(2) ? RB(8) : RB(31); }
/* a register where 31 would mean SP (never touched: its value differs) */
static unsigned xn_nosp(struct fzg_rng *r) { return RB(2) ? RB(8) : RB(31); }
static unsigned xd_nosp(struct fzg_rng *r) { unsigned x = xn_nosp(r); return x == FZ_BASE_REG ? 26 : x; }

/* Is N:immr:imms a valid bitmask immediate for the size (DecodeBitMasks)? */
static bool bitmask_ok(unsigned sf, unsigned n, unsigned imms)
{
    unsigned v = (n << 6) | (~imms & 0x3f), len = 0;
    if (!sf && n)
        return false;
    for (int i = 6; i >= 0; i--)
        if (v >> i & 1) {
            len = (unsigned)i;
            break;
        }
    if (len < 1)
        return false;
    unsigned levels = (1u << len) - 1;
    return (imms & levels) != levels;
}

/* ---- data processing without flags */
static void gen_int(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned sf = RB(2), d = a64g_xd(r), n = a64g_xn(r), m = a64g_xn(r), a = a64g_xn(r);
    uint32_t w;
    switch (RB(15)) {
    case 0:   /* add/sub immediate: 31 is SP on both sides */
        w = 0x11000000 | sf << 31 | RB(2) << 30 | RB(2) << 22 | RB(4096) << 10 |
            xn_nosp(r) << 5 | xd_nosp(r);
        return a64g_emit(it, w, "add/sub imm");
    case 1: { /* logical immediate (and/orr/eor) */
        unsigned nb, imms;
        do {
            nb = sf ? RB(2) : 0;
            imms = RB(64);
        } while (!bitmask_ok(sf, nb, imms));
        w = 0x12000000 | sf << 31 | RB(3) << 29 | nb << 22 | RB(sf ? 64 : 32) << 16 | imms << 10 |
            n << 5 | xd_nosp(r);
        return a64g_emit(it, w, "logical imm");
    }
    case 2: { /* movn/movz/movk */
        static const unsigned opc[] = { 0, 2, 3 };
        w = 0x12800000 | sf << 31 | opc[RB(3)] << 29 | RB(sf ? 4 : 2) << 21 | (uint32_t)RB(65536) << 5 | d;
        return a64g_emit(it, w, "move wide");
    }
    case 3:   /* adr/adrp: the case runs at a fixed address */
        w = 0x10000000 | RB(2) << 31 | RB(4) << 29 | RB(1 << 19) << 5 | d;
        return a64g_emit(it, w, "adr/adrp");
    case 4:   /* sbfm/bfm/ubfm */
        w = 0x13000000 | sf << 31 | RB(3) << 29 | sf << 22 | RB(sf ? 64 : 32) << 16 |
            RB(sf ? 64 : 32) << 10 | n << 5 | d;
        return a64g_emit(it, w, "bitfield");
    case 5:   /* extr */
        w = 0x13800000 | sf << 31 | sf << 22 | m << 16 | RB(sf ? 64 : 32) << 10 | n << 5 | d;
        return a64g_emit(it, w, "extr");
    case 6:   /* logical shifted register (and bic orr orn eor eon) */
        w = 0x0a000000 | sf << 31 | RB(3) << 29 | RB(4) << 22 | RB(2) << 21 | m << 16 |
            RB(sf ? 64 : 32) << 10 | n << 5 | d;
        return a64g_emit(it, w, "logical reg");
    case 7:   /* add/sub shifted register */
        w = 0x0b000000 | sf << 31 | RB(2) << 30 | RB(3) << 22 | m << 16 | RB(sf ? 64 : 32) << 10 | n << 5 | d;
        return a64g_emit(it, w, "add/sub shifted");
    case 8:   /* add/sub extended register: 31 is SP for Rn and Rd */
        w = 0x0b200000 | sf << 31 | RB(2) << 30 | m << 16 | RB(8) << 13 | RB(5) << 10 |
            xn_nosp(r) << 5 | xd_nosp(r);
        return a64g_emit(it, w, "add/sub extended");
    case 9: { /* udiv sdiv lslv lsrv asrv rorv */
        static const unsigned op[] = { 2, 3, 8, 9, 10, 11 };
        w = 0x1ac00000 | sf << 31 | m << 16 | op[RB(6)] << 10 | n << 5 | d;
        return a64g_emit(it, w, "div/shift reg");
    }
    case 10: { /* crc32{,c}{b,h,w,x} */
        unsigned sz = RB(4), c = RB(2);
        w = 0x1ac04000 | (sz == 3) << 31 | m << 16 | c << 12 | sz << 10 | n << 5 | d;
        return a64g_emit(it, w, "crc32");
    }
    case 11: { /* rbit rev16 rev32/rev clz cls */
        unsigned op = RB(6);
        if (op == 3 && !sf)
            op = 2;
        w = 0x5ac00000 | sf << 31 | op << 10 | n << 5 | d;
        return a64g_emit(it, w, "1-source");
    }
    case 12: case 13: { /* madd msub smaddl smsubl umaddl umsubl smulh umulh */
        static const unsigned op[][2] = { {0, 0}, {0, 1}, {1, 0}, {1, 1}, {5, 0}, {5, 1}, {2, 0}, {6, 0} };
        unsigned k = RB(8);
        if (k >= 2)
            sf = 1;
        if (k >= 6)
            a = 31;
        w = 0x1b000000 | sf << 31 | op[k][0] << 21 | m << 16 | op[k][1] << 15 | a << 10 | n << 5 | d;
        return a64g_emit(it, w, "multiply");
    }
    default:  /* movz to make a small or special value */
        w = 0x52800000 | sf << 31 | RB(sf ? 4 : 2) << 21 | (uint32_t)RB(65536) << 5 | d;
        return a64g_emit(it, w, "movz");
    }
}

/* ---- flag-setting forms */
static void gen_flags(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned sf = RB(2), d = a64g_xd(r), n = a64g_xn(r), m = a64g_xn(r);
    uint32_t w;
    switch (RB(6)) {
    case 0:   /* adds/subs immediate (cmp/cmn when d = 31) */
        w = 0x31000000 | sf << 31 | RB(2) << 30 | RB(2) << 22 | RB(4096) << 10 | xn_nosp(r) << 5 | d;
        return a64g_emit(it, w, "adds/subs imm");
    case 1: { /* ands immediate */
        unsigned nb, imms;
        do {
            nb = sf ? RB(2) : 0;
            imms = RB(64);
        } while (!bitmask_ok(sf, nb, imms));
        w = 0x72000000 | sf << 31 | nb << 22 | RB(sf ? 64 : 32) << 16 | imms << 10 | n << 5 | d;
        return a64g_emit(it, w, "ands imm");
    }
    case 2:   /* adds/subs shifted */
        w = 0x2b000000 | sf << 31 | RB(2) << 30 | RB(3) << 22 | m << 16 | RB(sf ? 64 : 32) << 10 | n << 5 | d;
        return a64g_emit(it, w, "adds/subs shifted");
    case 3:   /* adds/subs extended: Rn 31 is SP */
        w = 0x2b200000 | sf << 31 | RB(2) << 30 | m << 16 | RB(8) << 13 | RB(5) << 10 | xn_nosp(r) << 5 | d;
        return a64g_emit(it, w, "adds/subs extended");
    case 4:   /* ands/bics shifted */
        w = 0x6a000000 | sf << 31 | RB(4) << 22 | RB(2) << 21 | m << 16 | RB(sf ? 64 : 32) << 10 | n << 5 | d;
        return a64g_emit(it, w, "ands/bics reg");
    default:  /* msr nzcv from a register */
        return a64g_emit(it, 0xd51b4200 | n, "msr nzcv");
    }
}

/* ---- instructions that read NZCV */
static void gen_cond(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned sf = RB(2), d = a64g_xd(r), n = a64g_xn(r), m = a64g_xn(r), cond = RB(16);
    uint32_t w;
    switch (RB(5)) {
    case 0:   /* adc adcs sbc sbcs */
        w = 0x1a000000 | sf << 31 | RB(2) << 30 | RB(2) << 29 | m << 16 | n << 5 | d;
        return a64g_emit(it, w, "adc/sbc");
    case 1:   /* ccmn/ccmp register or immediate */
        w = 0x3a400000 | sf << 31 | RB(2) << 30 | (RB(2) ? m : RB(32)) << 16 | cond << 12 |
            RB(2) << 11 | n << 5 | RB(16);
        return a64g_emit(it, w, "ccmp/ccmn");
    case 2: case 3: /* csel csinc csinv csneg */
        w = 0x1a800000 | sf << 31 | RB(2) << 30 | m << 16 | cond << 12 | RB(2) << 10 | n << 5 | d;
        return a64g_emit(it, w, "csel family");
    default:  /* mrs nzcv */
        return a64g_emit(it, 0xd53b4200 | d, "mrs nzcv");
    }
}

/* add xT, x28, #off */
static void base_at(struct fzg_item *it, unsigned t, unsigned off)
{
    a64g_emit(it, 0x91000000 | off << 10 | FZ_BASE_REG << 5 | t, "base");
}

/* a GPR to load into: not x28, not the base t (writeback forms) */
static unsigned xload(struct fzg_rng *r, unsigned t)
{
    unsigned x;
    do
        x = a64g_xd(r);
    while (x == t);
    return x;
}

/* ---- loads and stores */
static void gen_mem(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned size = RB(4), t = a64g_xtmp(r), opc, rt;
    uint32_t w;
    /* opc: 0 store, 1 load, 2 signed to 64, 3 signed to 32 (size 3 opc 2 = prfm) */
    opc = RB(size == 3 ? 2 : size == 2 ? 3 : 4);
    rt = opc ? xload(r, 99) : a64g_xn(r);
    switch (RB(7)) {
    case 0: case 1: /* unsigned offset from x28 */
        w = 0x39000000 | size << 30 | opc << 22 | (RB((FZ_BUF_SIZE - 8) >> size)) << 10 | FZ_BASE_REG << 5 | rt;
        it->n = 0;
        return a64g_emit(it, w, "ldr/str [x28, imm]");
    case 2: { /* unscaled, pre- or post-index through t = x28 + 512 */
        unsigned mode = RB(3);            /* 0 unscaled, 1 post, 3 pre */
        if (mode == 2)
            mode = 3;
        if (rt == t)                      /* writeback into the data register */
            rt = xload(r, t);
        base_at(it, t, 512);
        w = 0x38000000 | size << 30 | opc << 22 | ((RB(496) - 240) & 0x1ff) << 12 | mode << 10 | t << 5 | rt;
        return a64g_emit(it, w, "ldr/str unscaled/index");
    }
    case 3: { /* register offset: t = x28 + 512, index x(m) small */
        static const unsigned opt[] = { 2, 3, 6, 7 };
        unsigned o = opt[RB(4)], m, idx = RB(32);
        do
            m = a64g_xtmp(r);
        while (m == t);
        if (opc)
            rt = xload(r, 99);
        base_at(it, t, 512);
        if (o >= 6 && RB(2))        /* movn: a negative index */
            a64g_emit(it, 0x92800000 | idx << 5 | m, "index");
        else
            a64g_emit(it, 0xd2800000 | idx << 5 | m, "index");
        w = 0x38200800 | size << 30 | opc << 22 | m << 16 | o << 13 | RB(2) << 12 | t << 5 | rt;
        return a64g_emit(it, w, "ldr/str [xT, xM, ext]");
    }
    case 4: case 5: { /* pairs: offset, post, pre through t = x28 + 512 */
        static const unsigned type[] = { 1, 2, 3 };
        unsigned ty = type[RB(3)], o = RB(3), l = RB(2), rt2;
        if (o == 1 && !l)
            o = 0;                                /* ldpsw only loads */
        rt = xload(r, t);                 /* never the base: writeback */
        do
            rt2 = l ? xload(r, t) : a64g_xn(r);
        while (rt2 == rt || rt2 == t);
        base_at(it, t, 512);
        w = 0x28000000 | o << 30 | ty << 23 | l << 22 | ((RB(112) - 56) & 0x7f) << 15 | rt2 << 10 | t << 5 | rt;
        return a64g_emit(it, w, "ldp/stp");
    }
    default: { /* SIMD&FP unsigned offset: b h s d q */
        unsigned sz = RB(5), l = RB(2);
        unsigned scale = sz, size2 = sz == 4 ? 0 : sz, opc2 = (sz == 4 ? 2 : 0) | l;
        w = 0x3d000000 | size2 << 30 | opc2 << 22 | RB((FZ_BUF_SIZE - 16) >> scale) << 10 |
            FZ_BASE_REG << 5 | RB(32);
        return a64g_emit(it, w, "ldr/str simd");
    }
    }
}

/* ---- forward branches: skip 0-3 items */
static void gen_br(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned n = a64g_xn(r);
    it->skip = (int)RB(4);
    switch (RB(6)) {
    case 0:
        a64g_emit(it, 0x14000000, "b");
        it->in[0].fix = FIX_26;
        return;
    case 1:   /* bl: writes x30 (a fixed address) */
        a64g_emit(it, 0x94000000, "bl");
        it->in[0].fix = FIX_26;
        return;
    case 2: case 3:
        a64g_emit(it, 0x54000000 | RB(16), "b.cond");
        it->in[0].fix = FIX_19;
        return;
    case 4:
        a64g_emit(it, 0x34000000 | RB(2) << 31 | RB(2) << 24 | n, "cbz/cbnz");
        it->in[0].fix = FIX_19;
        return;
    default: {
        unsigned b = RB(64);
        a64g_emit(it, 0x36000000 | (b >> 5) << 31 | RB(2) << 24 | (b & 31) << 19 | n, "tbz/tbnz");
        it->in[0].fix = FIX_14;
        return;
    }
    }
}

/* ---- exclusives and LSE atomics on aligned buffer addresses */
static void gen_atomic(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned t = a64g_xtmp(r), size = RB(4), off = RB(FZ_BUF_SIZE / 16) * 16, s, rt, rt2;
    do
        s = a64g_xtmp(r);
    while (s == t);
    rt = xload(r, t);
    base_at(it, t, off);
    switch (RB(5)) {
    case 0: { /* ldxr/ldaxr; 0-2 ALU ops; stxr/stlxr with status s */
        unsigned k = RB(3);
        a64g_emit(it, 0x085f7c00 | size << 30 | RB(2) << 15 | t << 5 | rt, "ldxr..stxr");
        while (k--)
            a64g_emit(it, 0x8b000000 | rt << 16 | rt << 5 | (RB(2) ? rt : xload(r, t)), "alu");
        do
            rt2 = a64g_xn(r);
        while (rt2 == s);
        a64g_emit(it, 0x08007c00 | size << 30 | s << 16 | RB(2) << 15 | t << 5 | rt2, "stxr");
        return;
    }
    case 1: { /* ldxp/ldaxp then stxp/stlxp */
        unsigned sz = RB(2), a, b;
        do
            rt2 = xload(r, t);
        while (rt2 == rt);
        a64g_emit(it, 0x887f0000 | sz << 30 | RB(2) << 15 | rt2 << 10 | t << 5 | rt, "ldxp..stxp");
        do {
            a = a64g_xn(r);
            b = a64g_xn(r);
        } while (a == s || b == s);
        a64g_emit(it, 0x88200000 | sz << 30 | s << 16 | RB(2) << 15 | b << 10 | t << 5 | a, "stxp");
        return;
    }
    case 2: { /* ldadd ldclr ldeor ldset ldsmax ldsmin ldumax ldumin swp (+a/l) */
        unsigned o3 = RB(9) == 0, opc = o3 ? 0 : RB(8);
        a64g_emit(it, 0x38200000 | size << 30 | RB(2) << 23 | RB(2) << 22 | a64g_xn(r) << 16 |
                      o3 << 15 | opc << 12 | t << 5 | (RB(4) ? rt : 31), "lse");
        return;
    }
    case 3: /* cas: the compare register is written */
        a64g_emit(it, 0x08a07c00 | size << 30 | RB(2) << 22 | rt << 16 | RB(2) << 15 | t << 5 | a64g_xn(r), "cas");
        return;
    default: { /* casp: even pairs, none holding x28 or the base */
        unsigned sz = RB(2), p, q;
        do
            p = RB(14) * 2;
        while (p == t || p + 1 == t);
        q = RB(15) * 2;
        a64g_emit(it, 0x08207c00 | sz << 30 | RB(2) << 22 | p << 16 | RB(2) << 15 | t << 5 | q, "casp");
        return;
    }
    }
}

void a64g_item(struct fzg_rng *r, unsigned cls, struct fzg_item *it)
{
    memset(it, 0, sizeof *it);
    switch (cls) {
    case A64G_INT: gen_int(r, it); break;
    case A64G_FLAGS: gen_flags(r, it); break;
    case A64G_COND: gen_cond(r, it); break;
    case A64G_MEM: gen_mem(r, it); break;
    case A64G_BR: gen_br(r, it); break;
    case A64G_ATOMIC: gen_atomic(r, it); break;
    case A64G_FP: a64g_fp(r, it); break;
    case A64G_CRYPTO: a64g_crypto(r, it); break;
    default: a64g_neon(r, it); break;
    }
}
