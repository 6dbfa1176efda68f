/* aarch64 disassembly for -d in_asm: capstone's text of the word at pc;
 * for the words Ferry decodes that capstone 4 (which predates ARMv8.1)
 * does not know or misnames, objdump's text built from the word's fields,
 * or capstone's text of an equivalent word.  Capstone is loaded on first
 * use (disas/capstone_lib.h); without it only those fallbacks speak. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disas/capstone_lib.h"
#include "frontend/aarch64/a64_formats.h"
#include "frontend/aarch64/a64_simd.h"

static const capstone_lib *cs; /* NULL: no libcapstone */
static csh handle;
static bool handle_ok;
static pthread_once_t handle_once = PTHREAD_ONCE_INIT;

static void open_handle(void)
{
    cs = capstone_lib_get();
    handle_ok = cs && cs->open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &handle) == CS_ERR_OK;
}

/* ---- the fallback: LSE (cas, casp, ld<op>, st<op>, swp), ldapr (RCpc)
 * and ldlar / stllr (LOR, which a64_base.decode's ldar / stlr rows take
 * in), spelt as binutils' objdump does. */

typedef struct { char s[8]; } a64_reg_name;

/* Rt-style register 31 is the zero register; Rn-style (base) is sp. */
static a64_reg_name reg_zr(unsigned r, bool x)
{
    a64_reg_name n;
    if (r == 31)
        snprintf(n.s, sizeof n.s, "%czr", x ? 'x' : 'w');
    else
        snprintf(n.s, sizeof n.s, "%c%u", x ? 'x' : 'w', r);
    return n;
}
static a64_reg_name reg_sp(unsigned r)
{
    a64_reg_name n;
    if (r == 31)
        snprintf(n.s, sizeof n.s, "sp");
    else
        snprintf(n.s, sizeof n.s, "x%u", r);
    return n;
}

/* The b / h suffix of a byte or halfword access. */
static const char *size_suffix(unsigned size)
{
    return size == 0 ? "b" : size == 1 ? "h" : "";
}

/* ld<op> / st<op> by opc (bits 14:12) */
static const char *const ldop_names[8] = {
    "add", "clr", "eor", "set", "smax", "smin", "umax", "umin",
};

/* "mnemonic Rs, Rt, [Xn]": the shape of cas, swp and ld<op>. */
static void print_rs_rt(char *buf, size_t len, const char *mn, uint32_t w, bool x)
{
    snprintf(buf, len, "%s %s, %s, [%s]", mn, reg_zr(a64_bits(w, 20, 16), x).s,
             reg_zr(a64_bits(w, 4, 0), x).s, reg_sp(a64_bits(w, 9, 5)).s);
}
/* "mnemonic Rt, [Xn]" (ldapr, ldlar, stllr) or "mnemonic Rs, [Xn]" (st<op>). */
static void print_r(char *buf, size_t len, const char *mn, unsigned r, uint32_t w, bool x)
{
    snprintf(buf, len, "%s %s, [%s]", mn, reg_zr(r, x).s, reg_sp(a64_bits(w, 9, 5)).s);
}

static void print_casp(char *buf, size_t len, const char *mn, uint32_t w)
{
    bool x = a64_bits(w, 30, 30);
    unsigned s = a64_bits(w, 20, 16), t = a64_bits(w, 4, 0);
    snprintf(buf, len, "%s %s, %s, %s, %s, [%s]", mn, reg_zr(s, x).s,
             reg_zr((s + 1) & 31, x).s, reg_zr(t, x).s, reg_zr((t + 1) & 31, x).s,
             reg_sp(a64_bits(w, 9, 5)).s);
}

/* objdump's text of w (decoded by row d); false for rows capstone should
 * have known.  Acquire is bit 22 (L) of cas / casp and bit 23 (A) of the
 * atomic memory operations; release is bit 15 (o0) or bit 22 (R). */
static bool lse_text(uint32_t w, const char *row, char *buf, size_t len)
{
    unsigned size = a64_bits(w, 31, 30), rt = a64_bits(w, 4, 0);
    const char *sfx = size_suffix(size);
    bool x = size == 3;
    char mn[16];
    if (!strcmp(row, "cas") || !strcmp(row, "casp")) {
        bool casp = row[3] == 'p';
        snprintf(mn, sizeof mn, "%s%s%s%s", row, a64_bits(w, 22, 22) ? "a" : "",
                 a64_bits(w, 15, 15) ? "l" : "", casp ? "" : sfx);
        if (casp)
            print_casp(buf, len, mn, w);
        else
            print_rs_rt(buf, len, mn, w, x);
        return true;
    }
    bool acq = a64_bits(w, 23, 23), rel = a64_bits(w, 22, 22);
    if (!strcmp(row, "swp") || !strcmp(row, "ldop")) {
        const char *op = row[0] == 's' ? "swp" : ldop_names[a64_bits(w, 14, 12)];
        if (row[0] == 'l' && rt == 31 && !acq) { /* st<op>: no result kept */
            snprintf(mn, sizeof mn, "st%s%s%s", op, rel ? "l" : "", sfx);
            print_r(buf, len, mn, a64_bits(w, 20, 16), w, x);
            return true;
        }
        snprintf(mn, sizeof mn, "%s%s%s%s%s", row[0] == 's' ? "" : "ld", op,
                 acq ? "a" : "", rel ? "l" : "", sfx);
        print_rs_rt(buf, len, mn, w, x);
        return true;
    }
    const char *base = !strcmp(row, "ldapr") ? "ldapr"
                       : !strcmp(row, "ldar") && !a64_bits(w, 15, 15) ? "ldlar"
                       : !strcmp(row, "stlr") && !a64_bits(w, 15, 15) ? "stllr"
                                                                     : NULL;
    if (!base)
        return false;
    snprintf(mn, sizeof mn, "%s%s", base, sfx);
    print_r(buf, len, mn, rt, w, x);
    return true;
}

/* ---- words capstone refuses though the Arm ARM does not: a register
 * named twice in a load or store (ldr x1, [x1], #8; ldp x0, x0, [x2]:
 * constrained unpredictable, which Ferry does as written), or don't-care
 * bits set (dup v1.8b, w2 with index bits in imm5).  Capstone gets an
 * equivalent word: the repeated register renamed to a fresh one, which is
 * renamed back in its text, or the don't-care bits cleared. */

enum { F_RN = 1, F_RT2 = 2, F_RS = 4 };
static const uint8_t field_lo[3] = {5, 10, 16}; /* Rn, Rt2, Rs */

/* The register fields of the rows where such repeats occur. */
static const struct {
    const char *row;
    uint8_t fields;
} repeat_rows[] = {
    {"ldst_pre", F_RN}, {"ldst_post", F_RN}, {"ldst_unpriv", F_RN},
    {"ldst_unscaled", F_RN}, {"ldst_uimm", F_RN}, {"ldst_pair", F_RN | F_RT2},
    {"ldxr", F_RN | F_RS}, {"stxr", F_RN | F_RS}, {"ldxp", F_RN | F_RT2 | F_RS},
    {"stxp", F_RN | F_RT2 | F_RS}, {"vls_pair", F_RN | F_RT2}, {"vls_pre", F_RN},
    {"vls_post", F_RN}, {"vls_multi_post", F_RN}, {"vls_single_post", F_RN},
};

/* Capstone 4 prints a negative post-index offset as its 64-bit two's
 * complement ("ldr x1, [x2], #0xfffffffffffffff8"): made "#-0x8". */
static void fix_post_index(char *text, size_t len)
{
    char *p = strstr(text, "], #0x"), *end;
    if (!p)
        return;
    p += 3;
    unsigned long long v = strtoull(p + 1, &end, 16);
    if (end - (p + 1) != 18 || (int64_t)v >= 0 || (int64_t)v < -4096)
        return;
    char rest[96];
    snprintf(rest, sizeof rest, "%s", end);
    snprintf(p, len - (size_t)(p - text), "#-0x%llx%s", -v, rest);
}

/* Hints capstone 4 shows as "hint #n" (pointer authentication, BTI,
 * barriers of ARMv8.1+), by n; NULL where objdump also says "hint". */
static const char *const hint_names[40] = {
    [7] = "xpaclri", [8] = "pacia1716", [10] = "pacib1716", [12] = "autia1716",
    [14] = "autib1716", [16] = "esb", [17] = "psb csync", [18] = "tsb csync",
    [20] = "csdb", [22] = "clearbhb", [24] = "paciaz", [25] = "paciasp",
    [26] = "pacibz", [27] = "pacibsp", [28] = "autiaz", [29] = "autiasp",
    [30] = "autibz", [31] = "autibsp", [32] = "bti", [34] = "bti c",
    [36] = "bti j", [38] = "bti jc",
};

/* Words capstone 4 misnames: sb ("msr s3_3_c3_c0_7, xzr"), ssbb and
 * pssbb ("dsb #0", "dsb #4"), the hints above. */
static const char *renamed(uint32_t w)
{
    unsigned n = a64_bits(w, 11, 5);
    if ((w & 0xfffff01f) == 0xd503201f && n < 40)
        return hint_names[n];
    return w == 0xd50330ff ? "sb" : w == 0xd503309f ? "ssbb"
                                  : w == 0xd503349f ? "pssbb" : NULL;
}

static bool cs_text(const uint8_t *code, uint64_t pc, char *buf, size_t len)
{
    uint32_t w;
    memcpy(&w, code, 4);
    const char *name = renamed(w);
    if (name) {
        snprintf(buf, len, "%s", name);
        return true;
    }
    cs_insn *insn;
    if (!handle_ok || cs->disasm(handle, code, 4, pc, 1, &insn) != 1)
        return false;
    if (insn->op_str[0])
        snprintf(buf, len, "%s %s", insn->mnemonic, insn->op_str);
    else
        snprintf(buf, len, "%s", insn->mnemonic);
    cs->free(insn, 1);
    fix_post_index(buf, len);
    return true;
}

/* In text, the register token <letter><tmp> becomes the name of register
 * orig: <letter><orig>, or for 31 sp (a base) or the zero register. */
static void rename_back(char *text, size_t len, unsigned tmp, unsigned orig, bool base)
{
    char *p = text;
    while ((p = strpbrk(p, "xwqdsbhv")) != NULL) {
        char *end;
        bool start = p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                    (p[-1] >= '0' && p[-1] <= '9'));
        unsigned long r = strtoul(p + 1, &end, 10);
        if (!start || end == p + 1 || r != tmp) {
            p++;
            continue;
        }
        char name[8], rest[96];
        bool gpr = *p == 'x' || *p == 'w';
        if (orig == 31 && gpr)
            snprintf(name, sizeof name, "%s", base ? "sp" : *p == 'x' ? "xzr" : "wzr");
        else
            snprintf(name, sizeof name, "%c%u", *p, orig);
        snprintf(rest, sizeof rest, "%s", end);
        snprintf(p, len - (size_t)(p - text), "%s%s", name, rest);
        return;
    }
}

static uint8_t repeat_fields(const char *row)
{
    for (size_t i = 0; i < sizeof repeat_rows / sizeof repeat_rows[0]; i++)
        if (!strcmp(repeat_rows[i].row, row))
            return repeat_rows[i].fields;
    return 0;
}

/* Each field of the row that repeats another register gets a fresh one. */
static bool repeat_text(uint32_t w, const char *row, uint64_t pc, char *buf, size_t len)
{
    uint8_t fields = repeat_fields(row);
    unsigned used = 1u << a64_bits(w, 4, 0), tmp[3] = {0}, orig[3];
    if (!fields)
        return false;
    for (int f = 0; f < 3; f++)
        used |= 1u << a64_bits(w, field_lo[f] + 4, field_lo[f]);
    for (int f = 0; f < 3; f++) {
        orig[f] = a64_bits(w, field_lo[f] + 4, field_lo[f]);
        if (!(fields & (1 << f)))
            continue;
        unsigned others = 1u << a64_bits(w, 4, 0);
        for (int g = 0; g < 3; g++)
            if (g != f && (fields & (1 << g)))
                others |= 1u << orig[g];
        if (!(others & (1u << orig[f])))
            continue;
        unsigned r = 0;
        while (used & (1u << r))
            r++;
        used |= 1u << r, tmp[f] = r + 1; /* 0: not renamed */
        w = (w & ~(31u << field_lo[f])) | r << field_lo[f];
    }
    uint8_t code[4];
    memcpy(code, &w, 4);
    if (!cs_text(code, pc, buf, len))
        return false;
    for (int f = 0; f < 3; f++)
        if (tmp[f])
            rename_back(buf, len, tmp[f] - 1, orig[f], f == 0);
    return true;
}

/* vcopy (Advanced SIMD copy): dup (general) ignores the imm5 bits above
 * the size's lowest set bit, ins (element) the imm4 bits below its index. */
static bool dontcare_text(uint32_t w, const char *row, uint64_t pc, char *buf, size_t len)
{
    if (strcmp(row, "vcopy"))
        return false;
    unsigned imm5 = a64_bits(w, 20, 16), imm4 = a64_bits(w, 14, 11);
    unsigned k = imm5 ? (unsigned)__builtin_ctz(imm5) : 0;
    if (a64_bits(w, 29, 29))
        w &= ~(((1u << k) - 1) << 11);
    else if (imm4 == 1)
        w = (w & ~(31u << 16)) | (imm5 & -imm5) << 16;
    uint8_t code[4];
    memcpy(code, &w, 4);
    return cs_text(code, pc, buf, len);
}

/* "add x0, x1, #1"; 0 when the word is no known instruction.  For a word
 * capstone does not know but a64_base.decode or a64_simd.decode do, the
 * fallbacks above, or else the row's name and the word ("vcopy 0x...").
 * Capstone handles are not thread-safe: one at a time, as -d output is
 * serialized anyway. */
int a64_disas(uint64_t pc, char *buf, size_t len)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    const uint8_t *code = (const uint8_t *)(uintptr_t)pc;
    int n = 4;
    pthread_once(&handle_once, open_handle);
    pthread_mutex_lock(&lock);
    if (!cs_text(code, pc, buf, len)) {
        uint32_t w;
        memcpy(&w, code, 4);
        a64_args a;
        a64s_args s;
        const a64_insn_desc *d = a64_base_lookup_desc(w, &a);
        const a64s_insn_desc *e = d ? NULL : a64_simd_lookup_desc(w, &s);
        const char *row = d ? d->name : e ? e->name : NULL;
        if (!row) {
            snprintf(buf, len, ".word 0x%08x", w);
            n = 0;
        } else if (!(d && lse_text(w, row, buf, len)) &&
                   !repeat_text(w, row, pc, buf, len) &&
                   !dontcare_text(w, row, pc, buf, len)) {
            snprintf(buf, len, "%s 0x%08x", row, w);
        }
    }
    pthread_mutex_unlock(&lock);
    return n;
}
