/* rvgen's compressed (RVC) forms.  Destinations avoid sp and s11; the
 * sp-relative loads and stores stay inside the buffer (sp = FZ_SP), and
 * the rd'-based ones get their base from c.addi4spn in the same item. */
#include <stdio.h>
#include <string.h>
#include "rvgen.h"
#include "fz_layout.h"

const char *rvg_xname(unsigned x);
unsigned rvg_xdst_nz(struct fzg_rng *r);
unsigned rvg_xsrc(struct fzg_rng *r);
unsigned rvg_creg(struct fzg_rng *r);
void rvg_add(struct fzg_item *it, uint32_t w, unsigned size, enum rvg_fix fix);

#define BIT(v, n) (((uint32_t)(v) >> (n)) & 1u)
#define BITS(v, hi, lo) (((uint32_t)(v) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
#define TXT(...) snprintf(it->text + strlen(it->text), sizeof it->text - strlen(it->text), __VA_ARGS__)
#define XN rvg_xname
#define CR(x) ((uint32_t)((x) - 8))   /* x8..x15 -> 3-bit field */

static int32_t simm6(struct fzg_rng *r, bool nonzero)
{
    int32_t v;
    do
        v = (int32_t)fzg_below(r, 64) - 32;
    while (nonzero && v == 0);
    return v;
}
/* CI: imm[5] at 12, imm[4:0] at 6:2 */
static uint32_t ci(int32_t v) { return (BIT(v, 5) << 12) | (BITS(v, 4, 0) << 2); }

static void c_alu(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned rd = rvg_xdst_nz(r), cd = rvg_creg(r), cs = rvg_creg(r), rs = rvg_xsrc(r);
    int32_t v = simm6(r, true), sh = 1 + (int32_t)fzg_below(r, 63);
    static const char *const an[4] = { "c.sub", "c.xor", "c.or", "c.and" };
    unsigned k = fzg_below(r, 4);
    switch (fzg_below(r, 13)) {
    case 0: rvg_add(it, 0x0001 | (rd << 7) | ci(v), 2, FIX_NONE); TXT("c.addi %s,%d", XN(rd), v); break;
    case 1: v = simm6(r, false); rvg_add(it, 0x2001 | (rd << 7) | ci(v), 2, FIX_NONE);
        TXT("c.addiw %s,%d", XN(rd), v); break;
    case 2: v = simm6(r, false); rvg_add(it, 0x4001 | (rd << 7) | ci(v), 2, FIX_NONE);
        TXT("c.li %s,%d", XN(rd), v); break;
    case 3: rvg_add(it, 0x6001 | (rd << 7) | ci(v), 2, FIX_NONE);
        TXT("c.lui %s,0x%x", XN(rd), (unsigned)v & 0xfffff); break;
    case 4: rvg_add(it, 0x8001 | (CR(cd) << 7) | ci(sh), 2, FIX_NONE); TXT("c.srli %s,%d", XN(cd), sh); break;
    case 5: rvg_add(it, 0x8401 | (CR(cd) << 7) | ci(sh), 2, FIX_NONE); TXT("c.srai %s,%d", XN(cd), sh); break;
    case 6: v = simm6(r, false); rvg_add(it, 0x8801 | (CR(cd) << 7) | ci(v), 2, FIX_NONE);
        TXT("c.andi %s,%d", XN(cd), v); break;
    case 7: rvg_add(it, 0x8c01 | (CR(cd) << 7) | (k << 5) | (CR(cs) << 2), 2, FIX_NONE);
        TXT("%s %s,%s", an[k], XN(cd), XN(cs)); break;
    case 8: k &= 1; rvg_add(it, 0x9c01 | (CR(cd) << 7) | (k << 5) | (CR(cs) << 2), 2, FIX_NONE);
        TXT("%s %s,%s", k ? "c.addw" : "c.subw", XN(cd), XN(cs)); break;
    case 9: rvg_add(it, 0x0002 | (rd << 7) | ci(sh), 2, FIX_NONE); TXT("c.slli %s,%d", XN(rd), sh); break;
    case 10: if (!rs) rs = 1;
        rvg_add(it, 0x8002 | (rd << 7) | (rs << 2), 2, FIX_NONE); TXT("c.mv %s,%s", XN(rd), XN(rs)); break;
    case 11: if (!rs) rs = 1;
        rvg_add(it, 0x9002 | (rd << 7) | (rs << 2), 2, FIX_NONE); TXT("c.add %s,%s", XN(rd), XN(rs)); break;
    default: rvg_add(it, 0x0001, 2, FIX_NONE); TXT("c.nop"); break;
    }
}

/* sp-relative: c.lwsp c.ldsp c.fldsp c.swsp c.sdsp c.fsdsp, offsets < lim */
static void c_sp(struct fzg_rng *r, struct fzg_item *it, unsigned lim)
{
    unsigned rd = rvg_xdst_nz(r), rs = rvg_xsrc(r), f = fzg_below(r, 32);
    unsigned o4 = fzg_below(r, lim / 4 < 64 ? lim / 4 : 64) * 4, o8 = fzg_below(r, lim / 8 < 64 ? lim / 8 : 64) * 8;
    uint32_t l4 = (BIT(o4, 5) << 12) | (BITS(o4, 4, 2) << 4) | (BITS(o4, 7, 6) << 2);
    uint32_t l8 = (BIT(o8, 5) << 12) | (BITS(o8, 4, 3) << 5) | (BITS(o8, 8, 6) << 2);
    uint32_t s4 = (BITS(o4, 5, 2) << 9) | (BITS(o4, 7, 6) << 7);
    uint32_t s8 = (BITS(o8, 5, 3) << 10) | (BITS(o8, 8, 6) << 7);
    switch (fzg_below(r, 6)) {
    case 0: rvg_add(it, 0x4002 | (rd << 7) | l4, 2, FIX_NONE); TXT("c.lwsp %s,%u(sp)", XN(rd), o4); break;
    case 1: rvg_add(it, 0x6002 | (rd << 7) | l8, 2, FIX_NONE); TXT("c.ldsp %s,%u(sp)", XN(rd), o8); break;
    case 2: rvg_add(it, 0x2002 | (f << 7) | l8, 2, FIX_NONE); TXT("c.fldsp f%u,%u(sp)", f, o8); break;
    case 3: rvg_add(it, 0xc002 | (rs << 2) | s4, 2, FIX_NONE); TXT("c.swsp %s,%u(sp)", XN(rs), o4); break;
    case 4: rvg_add(it, 0xe002 | (rs << 2) | s8, 2, FIX_NONE); TXT("c.sdsp %s,%u(sp)", XN(rs), o8); break;
    default: rvg_add(it, 0xa002 | (f << 2) | s8, 2, FIX_NONE); TXT("c.fsdsp f%u,%u(sp)", f, o8); break;
    }
}

/* c.addi4spn rb', then one or two rb'-based loads/stores */
static void c_mem(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned rb = rvg_creg(r), n = 1 + fzg_below(r, 2);
    unsigned nz = 8 * (1 + fzg_below(r, 32));   /* sp + 8..256: 8-aligned */
    rvg_add(it, 0x0000 | (BITS(nz, 5, 4) << 11) | (BITS(nz, 9, 6) << 7) | (BIT(nz, 2) << 6) |
                (BIT(nz, 3) << 5) | (CR(rb) << 2), 2, FIX_NONE);
    TXT("c.addi4spn %s,sp,%u", XN(rb), nz);
    while (n--) {
        static const char *const mn[8] = { 0, "c.fld", "c.lw", "c.ld", 0, "c.fsd", "c.sw", "c.sd" };
        static const uint8_t f3s[6] = { 1, 2, 3, 5, 6, 7 };
        unsigned f3 = f3s[fzg_below(r, 6)], cd = rvg_creg(r), w = (f3 & 3) == 2;
        unsigned o = w ? fzg_below(r, 32) * 4 : fzg_below(r, 32) * 8;
        uint32_t imm = (BITS(o, 5, 3) << 10) |
                       (w ? (BIT(o, 2) << 6) | (BIT(o, 6) << 5) : BITS(o, 7, 6) << 5);
        if (f3 < 4 && cd == rb && n)
            cd = 8 + ((rb - 8 + 1) & 7);   /* keep the base for the next access */
        rvg_add(it, (f3 << 13) | imm | (CR(rb) << 7) | (CR(cd) << 2), 2, FIX_NONE);
        if (f3 == 1 || f3 == 5)
            TXT("; %s f%u,%u(%s)", mn[f3], cd, o, XN(rb));
        else
            TXT("; %s %s,%u(%s)", mn[f3], XN(cd), o, XN(rb));
    }
}

/* c.addi16sp k; sp-relative accesses; c.addi16sp -k: sp is back on exit */
static void c_sp16(struct fzg_rng *r, struct fzg_item *it)
{
    int32_t k = 16 * ((int32_t)fzg_below(r, 31) - 16);
    if (k == 0)
        k = 16;
    for (int pass = 0; pass < 2; pass++) {
        int32_t v = pass ? -k : k;
        rvg_add(it, 0x6101 | (BIT(v, 9) << 12) | (BIT(v, 4) << 6) | (BIT(v, 6) << 5) |
                    (BITS(v, 8, 7) << 3) | (BIT(v, 5) << 2), 2, FIX_NONE);
        TXT("c.addi16sp sp,%d", v);
        if (!pass) {
            TXT("; ");
            c_sp(r, it, 256);
            TXT("; ");
        }
    }
}

static void c_br(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned cs = rvg_creg(r), rb = rvg_xdst_nz(r);
    it->skip = (int)fzg_below(r, 4);
    switch (fzg_below(r, 4)) {
    case 0: rvg_add(it, 0xa001, 2, FIX_CJ); TXT("c.j +%d items", it->skip); break;
    case 1: case 2: {
        unsigned ne = fzg_below(r, 2);
        rvg_add(it, (ne ? 0xe001 : 0xc001) | (CR(cs) << 7), 2, FIX_CB);
        TXT("%s %s,+%d items", ne ? "c.bnez" : "c.beqz", XN(cs), it->skip);
        break;
    }
    default: {
        unsigned link = fzg_below(r, 2);
        rvg_add(it, 0x17 | (rb << 7), 4, FIX_NONE);
        rvg_add(it, 0x13 | (rb << 7) | (rb << 15), 4, FIX_AUIPC_I);
        rvg_add(it, (link ? 0x9002 : 0x8002) | (rb << 7), 2, FIX_NONE);
        TXT("auipc %s,0; addi %s,%s,target; %s %s +%d items", XN(rb), XN(rb), XN(rb),
            link ? "c.jalr" : "c.jr", XN(rb), it->skip);
    }
    }
}

void rvg_gen_c(struct fzg_rng *r, struct fzg_item *it)
{
    switch (fzg_below(r, 10)) {
    case 0: case 1: case 2: case 3: c_alu(r, it); break;
    case 4: case 5: c_sp(r, it, 512); break;
    case 6: case 7: c_mem(r, it); break;
    case 8: c_sp16(r, it); break;
    default: c_br(r, it); break;
    }
}
