/* riscv64 disassembly for -d in_asm, in the style of objdump
 * ("addi a0, a0, 1", "ld a0, 8(sp)", "c.beqz a5, 0x10b4c"): the name comes
 * from the generated row tables, the operands from the row's format.
 *
 *   char text[64];
 *   int len = rv_disas(pc, text, sizeof text);   // 2, 4, or 0 if unknown
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "frontend/riscv64/rv_formats.h"

static const char *const xreg_names[32] = {
    "zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3",  "a4",  "a5", "a6", "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8",  "s9",  "s10", "s11", "t3", "t4", "t5", "t6"};

static const char *const freg_names[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
    "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
    "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

const char *rv_xreg_name(unsigned r) { return r < 32 ? xreg_names[r] : "?"; }
const char *rv_freg_name(unsigned r) { return r < 32 ? freg_names[r] : "?"; }

static const uint8_t fmt_print[RV_NUM_FMTS] = {
#define X(f, p, fr) [RV_FMT_##f] = p,
    RV_FORMATS(X)
#undef X
};

static const uint8_t fmt_fregs[RV_NUM_FMTS] = {
#define X(f, p, fr) [RV_FMT_##f] = fr,
    RV_FORMATS(X)
#undef X
};

static const struct { uint16_t num; const char *name; } csr_names[] = {
    {0x001, "fflags"}, {0x002, "frm"}, {0x003, "fcsr"},
    {0xc00, "cycle"},  {0xc01, "time"}, {0xc02, "instret"},
};

/* Appends to a bounded buffer, never past its end. */
typedef struct out { char *p; size_t left; } out;

static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p, o->left, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t k = (size_t)n < o->left ? (size_t)n : (o->left ? o->left - 1 : 0);
    o->p += k, o->left -= k;
}

static void put_csr(out *o, unsigned csr)
{
    for (size_t i = 0; i < sizeof csr_names / sizeof csr_names[0]; i++)
        if (csr_names[i].num == csr) {
            put(o, "%s", csr_names[i].name);
            return;
        }
    put(o, "0x%x", csr);
}

/* fence's pred or succ set as objdump writes it: "iorw", or "0" */
static void put_fence_set(out *o, unsigned set)
{
    if (!set)
        put(o, "0");
    for (int i = 3; i >= 0; i--)
        if (set & (1u << i))
            put(o, "%c", "wroi"[i]);
}

/* ",rtz": a rounding mode suffix, shown when it is not the default */
static void put_rm(out *o, unsigned rm, unsigned dflt)
{
    static const char *const names[8] = {"rne", "rtz", "rdn", "rup", "rmm", "", "", "dyn"};
    if (rm != dflt)
        put(o, ", %s", names[rm & 7]);
}

static void put_operands(out *o, int fmt, const rv_args *a, uint64_t pc)
{
    int fr = fmt_fregs[fmt];
    const char *rd = fr & RV_FRD ? freg_names[a->rd] : xreg_names[a->rd];
    const char *rs1 = fr & RV_FRS1 ? freg_names[a->rs1] : xreg_names[a->rs1];
    const char *rs2 = fr & RV_FRS2 ? freg_names[a->rs2] : xreg_names[a->rs2];
    uint64_t target = pc + (uint64_t)a->imm;
    switch (fmt_print[fmt]) {
    case RV_P_NONE: break;
    case RV_P_R: put(o, " %s, %s, %s", rd, rs1, rs2); break;
    case RV_P_I: put(o, " %s, %s, %" PRId64, rd, rs1, a->imm); break;
    case RV_P_SH: put(o, " %s, %s, 0x%" PRIx64, rd, rs1, a->imm); break;
    case RV_P_MEM: put(o, " %s, %" PRId64 "(%s)", rd, a->imm, rs1); break;
    case RV_P_ST: put(o, " %s, %" PRId64 "(%s)", rs2, a->imm, rs1); break;
    case RV_P_B: put(o, " %s, %s, 0x%" PRIx64, rs1, rs2, target); break;
    case RV_P_U:
    case RV_P_CU: put(o, " %s, 0x%" PRIx64, rd, ((uint64_t)a->imm >> 12) & 0xfffff); break;
    case RV_P_J: put(o, " %s, 0x%" PRIx64, rd, target); break;
    case RV_P_CSR: put(o, " %s, ", rd), put_csr(o, a->csr), put(o, ", %s", rs1); break;
    case RV_P_CSRI: put(o, " %s, ", rd), put_csr(o, a->csr), put(o, ", %" PRId64, a->imm); break;
    case RV_P_LR: put(o, " %s, (%s)", rd, rs1); break;
    case RV_P_AMO: put(o, " %s, %s, (%s)", rd, rs2, rs1); break;
    case RV_P_FENCE:
        put(o, " "), put_fence_set(o, (unsigned)a->imm >> 4);
        put(o, ", "), put_fence_set(o, (unsigned)a->imm & 15);
        break;
    case RV_P_RR: put(o, " %s, %s", rd, rs1); break;
    case RV_P_CI: put(o, " %s, %" PRId64, rd, a->imm); break;
    case RV_P_CSH: put(o, " %s, 0x%" PRIx64, rd, a->imm); break;
    case RV_P_CR: put(o, " %s, %s", rd, rs2); break;
    case RV_P_CJR: put(o, " %s", rs1); break;
    case RV_P_CB: put(o, " %s, 0x%" PRIx64, rs1, target); break;
    case RV_P_CJ: put(o, " 0x%" PRIx64, target); break;
    case RV_P_RRM: put(o, " %s, %s", rd, rs1), put_rm(o, a->rm, 7); break;
    case RV_P_RRMX: put(o, " %s, %s", rd, rs1), put_rm(o, a->rm, 0); break;
    case RV_P_RM: put(o, " %s, %s, %s", rd, rs1, rs2), put_rm(o, a->rm, 7); break;
    case RV_P_R4:
        put(o, " %s, %s, %s, %s", rd, rs1, rs2, freg_names[a->rs3]);
        put_rm(o, a->rm, 7);
        break;
    }
}

int rv_disas(uint64_t pc, char *buf, size_t len)
{
    uint32_t word;
    const rv_insn_desc *d;
    rv_args a;
    out o = {buf, len};
    if (len)
        buf[0] = 0;
    if (pc & 1) /* never guest code (the frm check's exits use odd pcs) */
        return 0;
    int n = rv_decode_at(pc, &word, &d, &a);
    if (!n)
        return 0;
    put(&o, "%s", d->name);
    if (d->fmt == RV_FMT_amo || d->fmt == RV_FMT_lr)
        put(&o, "%s", a.aq && a.rl ? ".aqrl" : a.aq ? ".aq" : a.rl ? ".rl" : "");
    put_operands(&o, d->fmt, &a, pc);
    return n;
}
