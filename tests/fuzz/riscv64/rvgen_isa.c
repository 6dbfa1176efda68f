/* rvgen's instruction knowledge: one table row per plain instruction
 * (name, fixed bits, operand format, class), encoders per format, and the
 * few groups that need set-up (memory addresses, AMOs, LR/SC, jumps through
 * registers, CSR writes that must keep frm valid, compressed forms).
 * Every encoding here is checked against riscv64-linux-gnu-objdump by
 * `rvgen selftest | objdump` (see tests/fuzz/README.md). */
#include <stdio.h>
#include <string.h>
#include "rvgen.h"
#include "fz_layout.h"

const char *const rvg_class_names[RVG_NCLASS] = {
    "int", "mul", "mem", "br", "amo", "csr", "fp", "c", "zb", "zicond",
};

enum fmt {
    F_R, F_R1, F_I, F_SH6, F_SH5, F_U, F_LD, F_ST, F_FLD, F_FST,
    F_FR, F_FR_RM, F_F1_RM, F_R4, F_XF_RM, F_FX_RM, F_XF, F_FX, F_XFF,
};

struct op { const char *name; uint32_t match; uint8_t fmt; uint8_t cls; };

#define OPR(f7, f3, o)  (((uint32_t)(f7) << 25) | ((f3) << 12) | (o))
#define OPR2(f7, r2, f3, o) (OPR(f7, f3, o) | ((uint32_t)(r2) << 20))
/* F/D rows: the same row twice, fmt bit 25 selects double. */
#define FP2(n, f7, r2, f3, o, fm) \
    { n ".s", OPR2(f7, r2, f3, o), fm, RVG_FP }, \
    { n ".d", OPR2((f7) | 1, r2, f3, o), fm, RVG_FP }
#define FMA2(n, o) \
    { n ".s", (o), F_R4, RVG_FP }, { n ".d", (o) | (1u << 25), F_R4, RVG_FP }

static const struct op ops[] = {
    /* RV64I */
    { "lui", 0x37, F_U, RVG_INT }, { "auipc", 0x17, F_U, RVG_INT },
    { "addi", OPR(0, 0, 0x13), F_I, RVG_INT }, { "slti", OPR(0, 2, 0x13), F_I, RVG_INT },
    { "sltiu", OPR(0, 3, 0x13), F_I, RVG_INT }, { "xori", OPR(0, 4, 0x13), F_I, RVG_INT },
    { "ori", OPR(0, 6, 0x13), F_I, RVG_INT }, { "andi", OPR(0, 7, 0x13), F_I, RVG_INT },
    { "slli", OPR(0, 1, 0x13), F_SH6, RVG_INT }, { "srli", OPR(0, 5, 0x13), F_SH6, RVG_INT },
    { "srai", OPR(0x20, 5, 0x13), F_SH6, RVG_INT },
    { "add", OPR(0, 0, 0x33), F_R, RVG_INT }, { "sub", OPR(0x20, 0, 0x33), F_R, RVG_INT },
    { "sll", OPR(0, 1, 0x33), F_R, RVG_INT }, { "slt", OPR(0, 2, 0x33), F_R, RVG_INT },
    { "sltu", OPR(0, 3, 0x33), F_R, RVG_INT }, { "xor", OPR(0, 4, 0x33), F_R, RVG_INT },
    { "srl", OPR(0, 5, 0x33), F_R, RVG_INT }, { "sra", OPR(0x20, 5, 0x33), F_R, RVG_INT },
    { "or", OPR(0, 6, 0x33), F_R, RVG_INT }, { "and", OPR(0, 7, 0x33), F_R, RVG_INT },
    { "addiw", OPR(0, 0, 0x1b), F_I, RVG_INT }, { "slliw", OPR(0, 1, 0x1b), F_SH5, RVG_INT },
    { "srliw", OPR(0, 5, 0x1b), F_SH5, RVG_INT }, { "sraiw", OPR(0x20, 5, 0x1b), F_SH5, RVG_INT },
    { "addw", OPR(0, 0, 0x3b), F_R, RVG_INT }, { "subw", OPR(0x20, 0, 0x3b), F_R, RVG_INT },
    { "sllw", OPR(0, 1, 0x3b), F_R, RVG_INT }, { "srlw", OPR(0, 5, 0x3b), F_R, RVG_INT },
    { "sraw", OPR(0x20, 5, 0x3b), F_R, RVG_INT },
    /* loads and stores, base s11 */
    { "lb", OPR(0, 0, 0x03), F_LD, RVG_MEM }, { "lh", OPR(0, 1, 0x03), F_LD, RVG_MEM },
    { "lw", OPR(0, 2, 0x03), F_LD, RVG_MEM }, { "ld", OPR(0, 3, 0x03), F_LD, RVG_MEM },
    { "lbu", OPR(0, 4, 0x03), F_LD, RVG_MEM }, { "lhu", OPR(0, 5, 0x03), F_LD, RVG_MEM },
    { "lwu", OPR(0, 6, 0x03), F_LD, RVG_MEM },
    { "sb", OPR(0, 0, 0x23), F_ST, RVG_MEM }, { "sh", OPR(0, 1, 0x23), F_ST, RVG_MEM },
    { "sw", OPR(0, 2, 0x23), F_ST, RVG_MEM }, { "sd", OPR(0, 3, 0x23), F_ST, RVG_MEM },
    /* M */
    { "mul", OPR(1, 0, 0x33), F_R, RVG_MUL }, { "mulh", OPR(1, 1, 0x33), F_R, RVG_MUL },
    { "mulhsu", OPR(1, 2, 0x33), F_R, RVG_MUL }, { "mulhu", OPR(1, 3, 0x33), F_R, RVG_MUL },
    { "div", OPR(1, 4, 0x33), F_R, RVG_MUL }, { "divu", OPR(1, 5, 0x33), F_R, RVG_MUL },
    { "rem", OPR(1, 6, 0x33), F_R, RVG_MUL }, { "remu", OPR(1, 7, 0x33), F_R, RVG_MUL },
    { "mulw", OPR(1, 0, 0x3b), F_R, RVG_MUL }, { "divw", OPR(1, 4, 0x3b), F_R, RVG_MUL },
    { "divuw", OPR(1, 5, 0x3b), F_R, RVG_MUL }, { "remw", OPR(1, 6, 0x3b), F_R, RVG_MUL },
    { "remuw", OPR(1, 7, 0x3b), F_R, RVG_MUL },
    /* F and D */
    { "flw", OPR(0, 2, 0x07), F_FLD, RVG_FP }, { "fld", OPR(0, 3, 0x07), F_FLD, RVG_FP },
    { "fsw", OPR(0, 2, 0x27), F_FST, RVG_FP }, { "fsd", OPR(0, 3, 0x27), F_FST, RVG_FP },
    FP2("fadd", 0x00, 0, 0, 0x53, F_FR_RM), FP2("fsub", 0x04, 0, 0, 0x53, F_FR_RM),
    FP2("fmul", 0x08, 0, 0, 0x53, F_FR_RM), FP2("fdiv", 0x0c, 0, 0, 0x53, F_FR_RM),
    FP2("fsqrt", 0x2c, 0, 0, 0x53, F_F1_RM),
    FP2("fsgnj", 0x10, 0, 0, 0x53, F_FR), FP2("fsgnjn", 0x10, 0, 1, 0x53, F_FR),
    FP2("fsgnjx", 0x10, 0, 2, 0x53, F_FR),
    FP2("fmin", 0x14, 0, 0, 0x53, F_FR), FP2("fmax", 0x14, 0, 1, 0x53, F_FR),
    FP2("feq", 0x50, 0, 2, 0x53, F_XFF), FP2("flt", 0x50, 0, 1, 0x53, F_XFF),
    FP2("fle", 0x50, 0, 0, 0x53, F_XFF), FP2("fclass", 0x70, 0, 1, 0x53, F_XF),
    FP2("fcvt.w", 0x60, 0, 0, 0x53, F_XF_RM), FP2("fcvt.wu", 0x60, 1, 0, 0x53, F_XF_RM),
    FP2("fcvt.l", 0x60, 2, 0, 0x53, F_XF_RM), FP2("fcvt.lu", 0x60, 3, 0, 0x53, F_XF_RM),
    { "fcvt.s.w", OPR2(0x68, 0, 0, 0x53), F_FX_RM, RVG_FP }, { "fcvt.d.w", OPR2(0x69, 0, 0, 0x53), F_FX_RM, RVG_FP },
    { "fcvt.s.wu", OPR2(0x68, 1, 0, 0x53), F_FX_RM, RVG_FP }, { "fcvt.d.wu", OPR2(0x69, 1, 0, 0x53), F_FX_RM, RVG_FP },
    { "fcvt.s.l", OPR2(0x68, 2, 0, 0x53), F_FX_RM, RVG_FP }, { "fcvt.d.l", OPR2(0x69, 2, 0, 0x53), F_FX_RM, RVG_FP },
    { "fcvt.s.lu", OPR2(0x68, 3, 0, 0x53), F_FX_RM, RVG_FP }, { "fcvt.d.lu", OPR2(0x69, 3, 0, 0x53), F_FX_RM, RVG_FP },
    { "fcvt.s.d", OPR2(0x20, 1, 0, 0x53), F_F1_RM, RVG_FP },
    { "fcvt.d.s", OPR2(0x21, 0, 0, 0x53), F_F1_RM, RVG_FP },
    { "fmv.x.w", OPR(0x70, 0, 0x53), F_XF, RVG_FP }, { "fmv.w.x", OPR(0x78, 0, 0x53), F_FX, RVG_FP },
    { "fmv.x.d", OPR(0x71, 0, 0x53), F_XF, RVG_FP }, { "fmv.d.x", OPR(0x79, 0, 0x53), F_FX, RVG_FP },
    FMA2("fmadd", 0x43), FMA2("fmsub", 0x47), FMA2("fnmsub", 0x4b), FMA2("fnmadd", 0x4f),
    /* Zba */
    { "add.uw", OPR(0x04, 0, 0x3b), F_R, RVG_ZB },
    { "sh1add", OPR(0x10, 2, 0x33), F_R, RVG_ZB }, { "sh2add", OPR(0x10, 4, 0x33), F_R, RVG_ZB },
    { "sh3add", OPR(0x10, 6, 0x33), F_R, RVG_ZB },
    { "sh1add.uw", OPR(0x10, 2, 0x3b), F_R, RVG_ZB }, { "sh2add.uw", OPR(0x10, 4, 0x3b), F_R, RVG_ZB },
    { "sh3add.uw", OPR(0x10, 6, 0x3b), F_R, RVG_ZB },
    { "slli.uw", OPR(0x04, 1, 0x1b), F_SH6, RVG_ZB },
    /* Zbb */
    { "andn", OPR(0x20, 7, 0x33), F_R, RVG_ZB }, { "orn", OPR(0x20, 6, 0x33), F_R, RVG_ZB },
    { "xnor", OPR(0x20, 4, 0x33), F_R, RVG_ZB },
    { "clz", OPR2(0x30, 0, 1, 0x13), F_R1, RVG_ZB }, { "ctz", OPR2(0x30, 1, 1, 0x13), F_R1, RVG_ZB },
    { "cpop", OPR2(0x30, 2, 1, 0x13), F_R1, RVG_ZB },
    { "clzw", OPR2(0x30, 0, 1, 0x1b), F_R1, RVG_ZB }, { "ctzw", OPR2(0x30, 1, 1, 0x1b), F_R1, RVG_ZB },
    { "cpopw", OPR2(0x30, 2, 1, 0x1b), F_R1, RVG_ZB },
    { "max", OPR(0x05, 6, 0x33), F_R, RVG_ZB }, { "maxu", OPR(0x05, 7, 0x33), F_R, RVG_ZB },
    { "min", OPR(0x05, 4, 0x33), F_R, RVG_ZB }, { "minu", OPR(0x05, 5, 0x33), F_R, RVG_ZB },
    { "sext.b", OPR2(0x30, 4, 1, 0x13), F_R1, RVG_ZB }, { "sext.h", OPR2(0x30, 5, 1, 0x13), F_R1, RVG_ZB },
    { "zext.h", OPR2(0x04, 0, 4, 0x3b), F_R1, RVG_ZB },
    { "rol", OPR(0x30, 1, 0x33), F_R, RVG_ZB }, { "ror", OPR(0x30, 5, 0x33), F_R, RVG_ZB },
    { "rolw", OPR(0x30, 1, 0x3b), F_R, RVG_ZB }, { "rorw", OPR(0x30, 5, 0x3b), F_R, RVG_ZB },
    { "rori", OPR(0x30, 5, 0x13), F_SH6, RVG_ZB }, { "roriw", OPR(0x30, 5, 0x1b), F_SH5, RVG_ZB },
    { "orc.b", OPR2(0x14, 7, 5, 0x13), F_R1, RVG_ZB }, { "rev8", OPR2(0x35, 0x18, 5, 0x13), F_R1, RVG_ZB },
    /* Zbs */
    { "bclr", OPR(0x24, 1, 0x33), F_R, RVG_ZB }, { "bclri", OPR(0x24, 1, 0x13), F_SH6, RVG_ZB },
    { "bext", OPR(0x24, 5, 0x33), F_R, RVG_ZB }, { "bexti", OPR(0x24, 5, 0x13), F_SH6, RVG_ZB },
    { "binv", OPR(0x34, 1, 0x33), F_R, RVG_ZB }, { "binvi", OPR(0x34, 1, 0x13), F_SH6, RVG_ZB },
    { "bset", OPR(0x14, 1, 0x33), F_R, RVG_ZB }, { "bseti", OPR(0x14, 1, 0x13), F_SH6, RVG_ZB },
};
#define NOPS (sizeof ops / sizeof ops[0])

/* ---- operands */

static const char *const xn[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
    "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6",
};
static const char *const rmn[8] = { "rne", "rtz", "rdn", "rup", "rmm", "?5", "?6", "dyn" };

/* A destination: never sp (x2) nor the buffer base s11 (x27); x0 rarely. */
static unsigned xdst(struct fzg_rng *r)
{
    if (fzg_below(r, 40) == 0)
        return 0;
    for (;;) {
        unsigned d = 1 + fzg_below(r, 31);
        if (d != 2 && d != FZ_BASE_REG)
            return d;
    }
}
static unsigned xdst_nz(struct fzg_rng *r)
{
    unsigned d;
    while ((d = xdst(r)) == 0)
        ;
    return d;
}
static unsigned xsrc(struct fzg_rng *r) { return fzg_below(r, 8) == 0 ? 0 : fzg_below(r, 32); }
static unsigned freg(struct fzg_rng *r) { return fzg_below(r, 32); }
static unsigned crg(struct fzg_rng *r) { return 8 + fzg_below(r, 8); }  /* x8..x15 */
static unsigned rm(struct fzg_rng *r) { unsigned v = fzg_below(r, 6); return v == 5 ? 7 : v; }

static int32_t imm12(struct fzg_rng *r)
{
    static const int32_t special[] = { 0, 1, -1, 2, 2047, -2048, 31, 32, 63, 64, 255, -256 };
    switch (fzg_below(r, 3)) {
    case 0: return special[fzg_below(r, sizeof special / sizeof special[0])];
    case 1: return (int32_t)fzg_below(r, 33) - 16;
    default: return (int32_t)fzg_below(r, 4096) - 2048;
    }
}
static unsigned shamt(struct fzg_rng *r, unsigned bits)
{
    static const unsigned special[] = { 0, 1, 31, 32, 63 };
    unsigned v = fzg_below(r, 3) ? fzg_below(r, 1u << bits) : special[fzg_below(r, 5)];
    return v & ((1u << bits) - 1);
}

/* ---- encoders */

#define RD(x) ((uint32_t)(x) << 7)
#define RS1(x) ((uint32_t)(x) << 15)
#define RS2(x) ((uint32_t)(x) << 20)
#define RS3(x) ((uint32_t)(x) << 27)
#define RM(x) ((uint32_t)(x) << 12)
#define BIT(v, n) (((uint32_t)(v) >> (n)) & 1u)
#define BITS(v, hi, lo) (((uint32_t)(v) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))

static uint32_t imm_i(int32_t v) { return BITS(v, 11, 0) << 20; }
static uint32_t imm_s(int32_t v) { return (BITS(v, 11, 5) << 25) | (BITS(v, 4, 0) << 7); }
uint32_t rvg_imm_b(int32_t v)
{
    return (BIT(v, 12) << 31) | (BITS(v, 10, 5) << 25) | (BITS(v, 4, 1) << 8) | (BIT(v, 11) << 7);
}
uint32_t rvg_imm_j(int32_t v)
{
    return (BIT(v, 20) << 31) | (BITS(v, 10, 1) << 21) | (BIT(v, 11) << 20) | (BITS(v, 19, 12) << 12);
}
uint32_t rvg_imm_cb(int32_t v)
{
    return (BIT(v, 8) << 12) | (BITS(v, 4, 3) << 10) | (BITS(v, 7, 6) << 5) |
           (BITS(v, 2, 1) << 3) | (BIT(v, 5) << 2);
}
uint32_t rvg_imm_cj(int32_t v)
{
    return (BIT(v, 11) << 12) | (BIT(v, 4) << 11) | (BITS(v, 9, 8) << 9) | (BIT(v, 10) << 8) |
           (BIT(v, 6) << 7) | (BIT(v, 7) << 6) | (BITS(v, 3, 1) << 3) | (BIT(v, 5) << 2);
}
uint32_t rvg_imm_i(int32_t v) { return imm_i(v); }

static void add(struct fzg_item *it, uint32_t w, unsigned size, enum rvg_fix fix)
{
    struct fzg_insn *in = &it->in[it->n++];
    in->w = in->ref = w;
    in->size = (uint8_t)size;
    in->fix = (uint8_t)fix;
}
#define TXT(...) snprintf(it->text + strlen(it->text), sizeof it->text - strlen(it->text), __VA_ARGS__)

/* Memory offsets from s11: aligned to the access size, inside the buffer. */
static int32_t buf_off(struct fzg_rng *r, unsigned size)
{
    return (int32_t)(fzg_below(r, FZ_BUF_SIZE / size) * size);
}

static void addi_base(struct fzg_item *it, unsigned rd, unsigned rs1, int32_t off)
{
    add(it, 0x13 | RD(rd) | RS1(rs1) | imm_i(off), 4, FIX_NONE);
    TXT("addi %s,%s,%d; ", xn[rd], xn[rs1], off);
}

/* One row of the table with random operands. */
static void gen_table(struct fzg_rng *r, const struct op *o, struct fzg_item *it)
{
    unsigned rd = xdst(r), a = xsrc(r), b = xsrc(r), fd = freg(r), fa = freg(r), fb = freg(r);
    unsigned m = rm(r), size = 1u << (BITS(o->match, 14, 12) & 3);
    int32_t imm = imm12(r), off = buf_off(r, size);
    uint32_t w = o->match;
    switch (o->fmt) {
    case F_R: w |= RD(rd) | RS1(a) | RS2(b); TXT("%s %s,%s,%s", o->name, xn[rd], xn[a], xn[b]); break;
    case F_R1: w |= RD(rd) | RS1(a); TXT("%s %s,%s", o->name, xn[rd], xn[a]); break;
    case F_I: w |= RD(rd) | RS1(a) | imm_i(imm); TXT("%s %s,%s,%d", o->name, xn[rd], xn[a], imm); break;
    case F_SH6: imm = (int32_t)shamt(r, 6); w |= RD(rd) | RS1(a) | RS2(imm);
        TXT("%s %s,%s,%d", o->name, xn[rd], xn[a], imm); break;
    case F_SH5: imm = (int32_t)shamt(r, 5); w |= RD(rd) | RS1(a) | RS2(imm);
        TXT("%s %s,%s,%d", o->name, xn[rd], xn[a], imm); break;
    case F_U: imm = (int32_t)(fzg_rand(r) & 0xfffff); w |= RD(rd) | ((uint32_t)imm << 12);
        TXT("%s %s,0x%x", o->name, xn[rd], imm); break;
    case F_LD: w |= RD(rd) | RS1(FZ_BASE_REG) | imm_i(off); TXT("%s %s,%d(s11)", o->name, xn[rd], off); break;
    case F_ST: w |= RS2(b) | RS1(FZ_BASE_REG) | imm_s(off); TXT("%s %s,%d(s11)", o->name, xn[b], off); break;
    case F_FLD: w |= RD(fd) | RS1(FZ_BASE_REG) | imm_i(off); TXT("%s f%u,%d(s11)", o->name, fd, off); break;
    case F_FST: w |= RS2(fb) | RS1(FZ_BASE_REG) | imm_s(off); TXT("%s f%u,%d(s11)", o->name, fb, off); break;
    case F_FR: w |= RD(fd) | RS1(fa) | RS2(fb); TXT("%s f%u,f%u,f%u", o->name, fd, fa, fb); break;
    case F_FR_RM: w |= RD(fd) | RS1(fa) | RS2(fb) | RM(m);
        TXT("%s f%u,f%u,f%u,%s", o->name, fd, fa, fb, rmn[m]); break;
    case F_F1_RM: w |= RD(fd) | RS1(fa) | RM(m); TXT("%s f%u,f%u,%s", o->name, fd, fa, rmn[m]); break;
    case F_R4: { unsigned fc = freg(r); w |= RD(fd) | RS1(fa) | RS2(fb) | RS3(fc) | RM(m);
        TXT("%s f%u,f%u,f%u,f%u,%s", o->name, fd, fa, fb, fc, rmn[m]); break; }
    case F_XF_RM: w |= RD(rd) | RS1(fa) | RM(m); TXT("%s %s,f%u,%s", o->name, xn[rd], fa, rmn[m]); break;
    case F_FX_RM: w |= RD(fd) | RS1(a) | RM(m); TXT("%s f%u,%s,%s", o->name, fd, xn[a], rmn[m]); break;
    case F_XF: w |= RD(rd) | RS1(fa); TXT("%s %s,f%u", o->name, xn[rd], fa); break;
    case F_FX: w |= RD(fd) | RS1(a); TXT("%s f%u,%s", o->name, fd, xn[a]); break;
    case F_XFF: w |= RD(rd) | RS1(fa) | RS2(fb); TXT("%s %s,f%u,f%u", o->name, xn[rd], fa, fb); break;
    }
    add(it, w, 4, FIX_NONE);
}

static void gen_row(struct fzg_rng *r, enum rvg_class cls, struct fzg_item *it)
{
    unsigned n = 0, pick;
    for (unsigned i = 0; i < NOPS; i++)
        n += ops[i].cls == cls;
    pick = fzg_below(r, n);
    for (unsigned i = 0; i < NOPS; i++)
        if (ops[i].cls == cls && pick-- == 0) {
            gen_table(r, &ops[i], it);
            return;
        }
}

/* A random integer ALU row (for LR/SC bodies) that leaves register keep alone. */
static void gen_alu_not(struct fzg_rng *r, unsigned keep, struct fzg_item *it)
{
    struct fzg_item t = { 0 };
    do {
        memset(&t, 0, sizeof t);
        gen_row(r, RVG_INT, &t);
    } while (BITS(t.in[0].w, 11, 7) == keep || BITS(t.in[0].w, 6, 0) == 0x17);
    it->in[it->n++] = t.in[0];
    TXT("%s; ", t.text);
}

/* ---- groups */

static void gen_mem(struct fzg_rng *r, struct fzg_item *it)
{
    static const char *const ln[7] = { "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu" };
    if (fzg_below(r, 4)) {
        gen_row(r, RVG_MEM, it);
        return;
    }
    /* through another base register, with a negative displacement */
    unsigned base = xdst_nz(r), store = fzg_below(r, 2), reg = store ? xsrc(r) : xdst(r);
    unsigned f3 = store ? fzg_below(r, 4) : fzg_below(r, 7), size = 1u << (f3 & 3);
    int32_t off = buf_off(r, size), disp = -(int32_t)(fzg_below(r, 64) * size);
    addi_base(it, base, FZ_BASE_REG, off - disp);
    if (store) {
        add(it, 0x23 | RM(f3) | RS1(base) | RS2(reg) | imm_s(disp), 4, FIX_NONE);
        TXT("s%c %s,%d(%s)", "bhwd"[f3], xn[reg], disp, xn[base]);
    } else {
        add(it, 0x03 | RM(f3) | RS1(base) | RD(reg) | imm_i(disp), 4, FIX_NONE);
        TXT("%s %s,%d(%s)", ln[f3], xn[reg], disp, xn[base]);
    }
}

static const char *const amo_names[] = {
    "amoadd", "amoswap", "lr", "sc", "amoxor", 0, 0, 0, "amoor", 0, 0, 0, "amoand", 0, 0, 0,
    "amomin", 0, 0, 0, "amomax", 0, 0, 0, "amominu", 0, 0, 0, "amomaxu",
};
static const uint8_t amo_f5[] = { 0, 1, 4, 8, 12, 16, 20, 24, 28 };

static void gen_amo(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned base = xdst_nz(r), dbl = fzg_below(r, 2), size = dbl ? 8 : 4;
    unsigned aqrl = fzg_below(r, 4), f3 = 2 + dbl;
    addi_base(it, base, FZ_BASE_REG, buf_off(r, size));
    if (fzg_below(r, 4)) {
        unsigned f5 = amo_f5[fzg_below(r, sizeof amo_f5)], rd = xdst(r), b = xsrc(r);
        add(it, 0x2f | (f5 << 27) | (aqrl << 25) | RS2(b) | RS1(base) | RM(f3) | RD(rd), 4, FIX_NONE);
        TXT("%s.%c %s,%s,(%s)", amo_names[f5], "wd"[dbl], xn[rd], xn[b], xn[base]);
        return;
    }
    /* LR, a few ALU ops that leave the address alone, SC to the same word */
    unsigned rd = xdst(r), rd2 = xdst(r), b = xsrc(r), k = fzg_below(r, 3);
    if (rd == base)   /* keep the address for the SC: a failing SC to a wild address
                         faults on some implementations, not on others */
        rd = 0;
    add(it, 0x2f | (2u << 27) | (aqrl << 25) | RS1(base) | RM(f3) | RD(rd), 4, FIX_NONE);
    TXT("lr.%c %s,(%s); ", "wd"[dbl], xn[rd], xn[base]);
    while (k--)
        gen_alu_not(r, base, it);
    add(it, 0x2f | (3u << 27) | (aqrl << 25) | RS2(b) | RS1(base) | RM(f3) | RD(rd2), 4, FIX_NONE);
    TXT("sc.%c %s,%s,(%s)", "wd"[dbl], xn[rd2], xn[b], xn[base]);
}

static void gen_br(struct fzg_rng *r, struct fzg_item *it)
{
    static const char *const bn[8] = { "beq", "bne", 0, 0, "blt", "bge", "bltu", "bgeu" };
    static const uint8_t bf3[6] = { 0, 1, 4, 5, 6, 7 };
    unsigned rd = fzg_below(r, 3) ? fzg_below(r, 2) : xdst(r), base = xdst_nz(r);
    it->skip = (int)fzg_below(r, 4);
    switch (fzg_below(r, 6)) {
    case 0:
        add(it, 0x6f | RD(rd), 4, FIX_J);
        TXT("jal %s,+%d items", xn[rd], it->skip);
        break;
    case 1:
        add(it, 0x17 | RD(base), 4, FIX_NONE);
        add(it, 0x67 | RD(rd) | RS1(base), 4, FIX_AUIPC_I);
        TXT("auipc %s,0; jalr %s,(%s) +%d items", xn[base], xn[rd], xn[base], it->skip);
        break;
    default: {
        unsigned f3 = bf3[fzg_below(r, 6)], a = xsrc(r), b = fzg_below(r, 4) ? xsrc(r) : a;
        add(it, 0x63 | RM(f3) | RS1(a) | RS2(b), 4, FIX_B);
        TXT("%s %s,%s,+%d items", bn[f3], xn[a], xn[b], it->skip);
    }
    }
}

/* CSR accesses keep frm in 0..4 (5..7 would make dynamic-rm ops illegal). */
static void gen_csr(struct fzg_rng *r, struct fzg_item *it)
{
    static const char *const cn[4] = { 0, "fflags", "frm", "fcsr" };
    static const char *const opn[8] = { 0, "csrrw", "csrrs", "csrrc", 0, "csrrwi", "csrrsi", "csrrci" };
    unsigned csr = 1 + fzg_below(r, 3), rd = xdst(r), f3 = 1 + fzg_below(r, 3), src = xsrc(r);
    bool imm = fzg_below(r, 2);
    if (imm) {
        src = fzg_below(r, 32);
        if (csr == 2 && f3 == 1)
            src %= 5;             /* csrrwi frm: a valid mode */
        if (csr == 2 && f3 == 2)
            src = 0;              /* csrrsi frm could set 5..7 */
        f3 += 4;
    } else if (csr == 2 || csr == 3) {
        if (f3 == 2 && fzg_below(r, 2))
            src = 0;              /* a plain read */
        else if (f3 != 3) {       /* write or set: through a register with a safe value */
            unsigned t = xdst_nz(r);
            int32_t v = csr == 2 ? (int32_t)fzg_below(r, 5)
                      : (int32_t)((f3 == 1 ? fzg_below(r, 5) << 5 : 0) | fzg_below(r, 32));
            addi_base(it, t, 0, v);
            src = t;
        }
    }
    add(it, 0x73 | ((uint32_t)csr << 20) | RS1(src) | RM(f3) | RD(rd), 4, FIX_NONE);
    if (imm)
        TXT("%s %s,%s,%u", opn[f3], xn[rd], cn[csr], src);
    else
        TXT("%s %s,%s,%s", opn[f3], xn[rd], cn[csr], xn[src]);
}

/* czero.eqz/nez; the reference gets a branch sequence of the same length
 * (qemu 7.2 lacks Zicond): beq/bne rs2,zero,+12; addi rd,rs1,0; j +8; li rd,0. */
static void gen_zicond(struct fzg_rng *r, struct fzg_item *it)
{
    unsigned nez = fzg_below(r, 2), rd = xdst(r), a = xsrc(r), b = xsrc(r);
    add(it, 0x33 | (7u << 25) | RS2(b) | RS1(a) | RM(5 + 2 * nez) | RD(rd), 4, FIX_NONE);
    it->in[0].ref = 0x63 | RM(nez) | RS1(b) | rvg_imm_b(12);
    add(it, 0x13, 4, FIX_NONE);
    it->in[1].ref = 0x13 | RD(rd) | RS1(a);
    add(it, 0x13, 4, FIX_NONE);
    it->in[2].ref = 0x6f | rvg_imm_j(8);
    add(it, 0x13, 4, FIX_NONE);
    it->in[3].ref = 0x13 | RD(rd);
    TXT("czero.%s %s,%s,%s; nop; nop; nop", nez ? "nez" : "eqz", xn[rd], xn[a], xn[b]);
}

/* QEMU 7.2 gets ctzw wrong when bits 31:0 are zero and bit 63 is set
 * (ctzw 0x8000000000000000 gives 63); the Zbb spec says ctzw counts in
 * bits 31:0 only, so 32.  The reference runs ctz on rs1 | 0xffffffff00000000
 * instead, through a temporary spilled below the buffer; the test side
 * pads with nops to keep addresses equal. */
static void qemu_fix_ctzw(struct fzg_rng *r, struct fzg_item *it)
{
    uint32_t w = it->in[0].w;
    unsigned rd = BITS(w, 11, 7), rs = BITS(w, 19, 15), t;
    do
        t = xdst_nz(r);
    while (t == rd || t == rs);
    const uint32_t ref[6] = {
        0x23 | RM(3) | RS1(FZ_BASE_REG) | RS2(t) | imm_s(FZ_SPILL), /* sd t,-8(s11) */
        0x13 | RD(t) | imm_i(-1),                               /* li t,-1 */
        0x13 | RM(1) | RD(t) | RS1(t) | RS2(32),                /* slli t,t,32 */
        0x33 | RM(6) | RD(t) | RS1(t) | RS2(rs),                /* or t,t,rs */
        0x60101013 | RD(rd) | RS1(t),                           /* ctz rd,t */
        0x03 | RM(3) | RD(t) | RS1(FZ_BASE_REG) | imm_i(FZ_SPILL),  /* ld t,-8(s11) */
    };
    for (int k = 0; k < 6; k++) {
        if (k)
            add(it, 0x13, 4, FIX_NONE);
        it->in[k].ref = ref[k];
    }
    TXT("; 5 nops (reference: ctz on a copy)");
}

static void gen_zb(struct fzg_rng *r, struct fzg_item *it)
{
    gen_row(r, RVG_ZB, it);
    if ((it->in[0].w & 0xfff0707f) == 0x6010101b)
        qemu_fix_ctzw(r, it);
}

void rvg_gen_c(struct fzg_rng *r, struct fzg_item *it);

void rvg_item(struct fzg_rng *r, unsigned cls, struct fzg_item *it)
{
    memset(it, 0, sizeof *it);
    switch (cls) {
    case RVG_MEM: gen_mem(r, it); break;
    case RVG_BR: gen_br(r, it); break;
    case RVG_AMO: gen_amo(r, it); break;
    case RVG_CSR: gen_csr(r, it); break;
    case RVG_C: rvg_gen_c(r, it); break;
    case RVG_ZICOND: gen_zicond(r, it); break;
    case RVG_ZB: gen_zb(r, it); break;
    default: gen_row(r, cls, it); break;
    }
}

/* shared with rvgen_c.c */
const char *rvg_xname(unsigned x) { return xn[x & 31]; }
unsigned rvg_xdst_nz(struct fzg_rng *r) { return xdst_nz(r); }
unsigned rvg_xsrc(struct fzg_rng *r) { return xsrc(r); }
unsigned rvg_creg(struct fzg_rng *r) { return crg(r); }
void rvg_add(struct fzg_item *it, uint32_t w, unsigned size, enum rvg_fix fix) { add(it, w, size, fix); }
