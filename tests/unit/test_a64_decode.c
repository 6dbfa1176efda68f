/* aarch64 decoding: words from aarch64-linux-gnu-as (-march=armv8.3-a),
 * the a64_base.decode row and fields each must give (checked against the
 * Arm ARM's encodings; the assembler's text is in the comment), and the
 * -d in_asm text: capstone 4's, or objdump's (binutils 2.40) where
 * capstone does not know the word (LSE, RCpc, LOR, newer hints). */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>

#include "frontend/frontend.h"
#include "frontend/aarch64/a64_formats.h"

static const struct {
    uint32_t word;
    const char *row;
    unsigned rd, rn, rm; /* rd is Rt, rm is Rs where the format says so */
    int64_t imm;
    const char *text;
} rows[] = {
    {0x91000420, "add_imm", 0, 1, 0, 1, "add x0, x1, #1"}, /* as: add x0, x1, #0x1 */
    {0x317ffc62, "adds_imm", 2, 3, 0, 16773120, "adds w2, w3, #0xfff, lsl #12"}, /* as: adds w2, w3, #0xfff, lsl #12 */
    {0xf10043ff, "subs_imm", 31, 31, 0, 16, "cmp sp, #0x10"}, /* as: cmp sp, #0x10 */
    {0x910003bf, "add_imm", 31, 29, 0, 0, "mov sp, x29"}, /* as: mov sp, x29 */
    {0x92089c20, "logic_imm", 0, 1, 8, -71777214294589696, "and x0, x1, #0xff00ff00ff00ff00"}, /* as: and x0, x1, #0xff00ff00ff00ff00 */
    {0x3200f3e5, "logic_imm", 5, 31, 0, 1431655765, "orr w5, wzr, #0x55555555"}, /* as: mov w5, #0x55555555 */
    {0xf2400041, "logic_imm", 1, 2, 0, 1, "ands x1, x2, #1"}, /* as: ands x1, x2, #0x1 */
    {0xd2e24680, "movz", 0, 20, 2, 4660, "movz x0, #0x1234, lsl #48"}, /* as: mov x0, #0x1234000000000000 */
    {0x12800001, "movn", 1, 0, 0, 0, "movn w1, #0"}, /* as: mov w1, #0xffffffff */
    {0xf2b7dde2, "movk", 2, 15, 23, 48879, "movk x2, #0xbeef, lsl #16"}, /* as: movk x2, #0xbeef, lsl #16 */
    {0x10000803, "adr", 3, 0, 0, 256, "adr x3, #0x10100"}, /* as: adr x3, 128 <.text+0x128> */
    {0x90000004, "adrp", 4, 0, 0, 0, "adrp x4, #0x10000"}, /* as: adrp x4, 0 <.text> */
    {0x93407c20, "sbfm", 0, 1, 0, 0, "sxtw x0, w1"}, /* as: sxtw x0, w1 */
    {0x53042c62, "ubfm", 2, 3, 4, 0, "ubfx w2, w3, #4, #8"}, /* as: ubfx w2, w3, #4, #8 */
    {0xb3783cc5, "bfm", 5, 6, 24, 0, "bfi x5, x6, #8, #0x10"}, /* as: bfi x5, x6, #8, #16 */
    {0xd37df107, "ubfm", 7, 8, 29, 0, "lsl x7, x8, #3"}, /* as: lsl x7, x8, #3 */
    {0x93cb3149, "extr", 9, 10, 11, 0, "extr x9, x10, x11, #0xc"}, /* as: extr x9, x10, x11, #12 */
    {0x13821441, "extr", 1, 2, 2, 0, "ror w1, w2, #5"}, /* as: ror w1, w2, #5 */
    {0x14000002, "b", 0, 0, 0, 8, "b #0x10008"}, /* as: b 50 <.text+0x50> */
    {0x97ffffff, "bl", 0, 0, 0, -4, "bl #0xfffc"}, /* as: bl 48 <.text+0x48> */
    {0x54000201, "b_cond", 0, 0, 0, 64, "b.ne #0x10040"}, /* as: b.ne 90 <.text+0x90> */
    {0x34000061, "cbz", 1, 0, 0, 12, "cbz w1, #0x1000c"}, /* as: cbz w1, 60 <.text+0x60> */
    {0xb5ffffa2, "cbnz", 2, 0, 0, -12, "cbnz x2, #0xfff4"}, /* as: cbnz x2, 4c <.text+0x4c> */
    {0xb6400083, "tbz", 3, 0, 0, 16, "tbz x3, #0x28, #0x10010"}, /* as: tbz x3, #40, 6c <.text+0x6c> */
    {0x37180084, "tbnz", 4, 0, 0, 16, "tbnz w4, #3, #0x10010"}, /* as: tbnz w4, #3, 70 <.text+0x70> */
    {0xd61f0200, "br", 0, 16, 0, 0, "br x16"}, /* as: br x16 */
    {0xd63f0100, "blr", 0, 8, 0, 0, "blr x8"}, /* as: blr x8 */
    {0xd65f03c0, "ret", 0, 30, 0, 0, "ret"}, /* as: ret */
    {0xd4000001, "svc", 0, 0, 0, 0, "svc #0"}, /* as: svc #0x0 */
    {0xd4207d00, "brk", 0, 0, 0, 1000, "brk #0x3e8"}, /* as: brk #0x3e8 */
    {0xd503201f, "hint", 31, 0, 0, 6400, "nop"}, /* as: nop */
    {0xd5033f5f, "clrex", 31, 0, 0, 6650, "clrex"}, /* as: clrex */
    {0xd5033b9f, "dsb", 31, 0, 0, 6620, "dsb ish"}, /* as: dsb ish */
    {0xd50339bf, "dmb", 31, 0, 0, 6605, "dmb ishld"}, /* as: dmb ishld */
    {0xd5033fdf, "isb", 31, 0, 0, 6654, "isb"}, /* as: isb */
    {0xd50b7420, "sys", 0, 0, 0, 23457, "dc zva, x0"}, /* as: dc zva, x0 */
    {0xd50b7521, "sys", 1, 0, 0, 23465, "ic ivau, x1"}, /* as: ic ivau, x1 */
    {0xd53bd040, "mrs", 0, 0, 0, 56962, "mrs x0, tpidr_el0"}, /* as: mrs x0, tpidr_el0 */
    {0xd51b4201, "msr", 1, 0, 0, 55824, "msr nzcv, x1"}, /* as: msr nzcv, x1 */
    {0xd53be042, "mrs", 2, 0, 0, 57090, "mrs x2, cntvct_el0"}, /* as: mrs x2, cntvct_el0 */
    {0xd53b4403, "mrs", 3, 0, 0, 55840, "mrs x3, fpcr"}, /* as: mrs x3, fpcr */
    {0xf9400420, "ldst_uimm", 0, 1, 0, 8, "ldr x0, [x1, #8]"}, /* as: ldr x0, [x1, #8] */
    {0x397fffe2, "ldst_uimm", 2, 31, 0, 4095, "ldrb w2, [sp, #0xfff]"}, /* as: ldrb w2, [sp, #4095] */
    {0xb9801083, "ldst_uimm", 3, 4, 0, 16, "ldrsw x3, [x4, #0x10]"}, /* as: ldrsw x3, [x4, #16] */
    {0x79c000c5, "ldst_uimm", 5, 6, 0, 0, "ldrsh w5, [x6]"}, /* as: ldrsh w5, [x6] */
    {0xb9000507, "ldst_uimm", 7, 8, 0, 4, "str w7, [x8, #4]"}, /* as: str w7, [x8, #4] */
    {0xf9800000, "ldst_uimm", 0, 0, 0, 0, "prfm pldl1keep, [x0]"}, /* as: prfm pldl1keep, [x0] */
    {0xf85f8041, "ldst_unscaled", 1, 2, 0, -8, "ldur x1, [x2, #-8]"}, /* as: ldur x1, [x2, #-8] */
    {0xf8410483, "ldst_post", 3, 4, 0, 16, "ldr x3, [x4], #0x10"}, /* as: ldr x3, [x4], #16 */
    {0xf81f0fe5, "ldst_pre", 5, 31, 0, -16, "str x5, [sp, #-0x10]!"}, /* as: str x5, [sp, #-16]! */
    {0xf86878e6, "ldst_reg", 6, 7, 8, 0, "ldr x6, [x7, x8, lsl #3]"}, /* as: ldr x6, [x7, x8, lsl #3] */
    {0x386bc949, "ldst_reg", 9, 10, 11, 0, "ldrb w9, [x10, w11, sxtw]"}, /* as: ldrb w9, [x10, w11, sxtw] */
    {0x5800020c, "ldr_lit", 12, 0, 0, 64, "ldr x12, #0x10040"}, /* as: ldr x12, 110 <.text+0x110> */
    {0x98fffe0d, "ldr_lit", 13, 0, 0, -64, "ldrsw x13, #0xffc0"}, /* as: ldrsw x13, 94 <.text+0x94> */
    {0xa8c17bfd, "ldst_pair", 29, 31, 0, 16, "ldp x29, x30, [sp], #0x10"}, /* as: ldp x29, x30, [sp], #16 */
    {0xa9be7bfd, "ldst_pair", 29, 31, 0, -32, "stp x29, x30, [sp, #-0x20]!"}, /* as: stp x29, x30, [sp, #-32]! */
    {0x69410440, "ldst_pair", 0, 2, 0, 8, "ldpsw x0, x1, [x2, #8]"}, /* as: ldpsw x0, x1, [x2, #8] */
    {0x284010a3, "ldst_pair", 3, 5, 0, 0, "ldnp w3, w4, [x5]"}, /* as: ldnp w3, w4, [x5] */
    {0xc85f7c20, "ldxr", 0, 1, 31, 0, "ldxr x0, [x1]"}, /* as: ldxr x0, [x1] */
    {0xc8027c83, "stxr", 3, 4, 2, 0, "stxr w2, x3, [x4]"}, /* as: stxr w2, x3, [x4] */
    {0x085ffcc5, "ldxr", 5, 6, 31, 0, "ldaxrb w5, [x6]"}, /* as: ldaxrb w5, [x6] */
    {0x8807fd28, "stxr", 8, 9, 7, 0, "stlxr w7, w8, [x9]"}, /* as: stlxr w7, w8, [x9] */
    {0xc87f0440, "ldxp", 0, 2, 31, 0, "ldxp x0, x1, [x2]"}, /* as: ldxp x0, x1, [x2] */
    {0xc82314c4, "stxp", 4, 6, 3, 0, "stxp w3, x4, x5, [x6]"}, /* as: stxp w3, x4, x5, [x6] */
    {0xc8dffc41, "ldar", 1, 2, 31, 0, "ldar x1, [x2]"}, /* as: ldar x1, [x2] */
    {0x889ffc83, "stlr", 3, 4, 31, 0, "stlr w3, [x4]"}, /* as: stlr w3, [x4] */
    {0xf8bfc0c5, "ldapr", 5, 6, 31, 0, "ldapr x5, [x6]"}, /* as: ldapr x5, [x6] */
    {0xc8a07c41, "cas", 1, 2, 0, 0, "cas x0, x1, [x2]"}, /* as: cas x0, x1, [x2] */
    {0x08e3fca4, "cas", 4, 5, 3, 0, "casalb w3, w4, [x5]"}, /* as: casalb w3, w4, [x5] */
    {0x48207c82, "casp", 2, 4, 0, 0, "casp x0, x1, x2, x3, [x4]"}, /* as: casp x0, x1, x2, x3, [x4] */
    {0xf8200041, "ldop", 1, 2, 0, 0, "ldadd x0, x1, [x2]"}, /* as: ldadd x0, x1, [x2] */
    {0xb8e310a4, "ldop", 4, 5, 3, 0, "ldclral w3, w4, [x5]"}, /* as: ldclral w3, w4, [x5] */
    {0x78264107, "ldop", 7, 8, 6, 0, "ldsmaxh w6, w7, [x8]"}, /* as: ldsmaxh w6, w7, [x8] */
    {0xf829816a, "swp", 10, 11, 9, 0, "swp x9, x10, [x11]"}, /* as: swp x9, x10, [x11] */
    {0xb820003f, "ldop", 31, 1, 0, 0, "stadd w0, [x1]"}, /* as: stadd w0, [x1] */
    {0x8b020c20, "add_reg", 0, 1, 2, 0, "add x0, x1, x2, lsl #3"}, /* as: add x0, x1, x2, lsl #3 */
    {0x6b850883, "subs_reg", 3, 4, 5, 0, "subs w3, w4, w5, asr #2"}, /* as: subs w3, w4, w5, asr #2 */
    {0x8b274be6, "add_ext", 6, 31, 7, 0, "add x6, sp, w7, uxtw #2"}, /* as: add x6, sp, w7, uxtw #2 */
    {0xeb29c11f, "subs_ext", 31, 8, 9, 0, "cmp x8, w9, sxtw"}, /* as: cmp x8, w9, sxtw */
    {0xeae21020, "logic_reg", 0, 1, 2, 0, "bics x0, x1, x2, ror #4"}, /* as: bics x0, x1, x2, ror #4 */
    {0x2a250083, "logic_reg", 3, 4, 5, 0, "orn w3, w4, w5"}, /* as: orn w3, w4, w5 */
    {0xca2800e6, "logic_reg", 6, 7, 8, 0, "eon x6, x7, x8"}, /* as: eon x6, x7, x8 */
    {0x9a020020, "adc", 0, 1, 2, 0, "adc x0, x1, x2"}, /* as: adc x0, x1, x2 */
    {0x7a050083, "sbcs", 3, 4, 5, 0, "sbcs w3, w4, w5"}, /* as: sbcs w3, w4, w5 */
    {0xfa431804, "ccmp_imm", 0, 0, 3, 4, "ccmp x0, #3, #4, ne"}, /* as: ccmp x0, #0x3, #0x4, ne */
    {0x3a420020, "ccmn_reg", 0, 1, 2, 0, "ccmn w1, w2, #0, eq"}, /* as: ccmn w1, w2, #0x0, eq */
    {0x9a82b020, "csel", 0, 1, 2, 0, "csel x0, x1, x2, lt"}, /* as: csel x0, x1, x2, lt */
    {0x1a849483, "csinc", 3, 4, 4, 0, "cinc w3, w4, hi"}, /* as: cinc w3, w4, hi */
    {0xda87a0c5, "csinv", 5, 6, 7, 0, "csinv x5, x6, x7, ge"}, /* as: csinv x5, x6, x7, ge */
    {0xda895528, "csneg", 8, 9, 9, 0, "cneg x8, x9, mi"}, /* as: cneg x8, x9, mi */
    {0x9b020c20, "madd", 0, 1, 2, 0, "madd x0, x1, x2, x3"}, /* as: madd x0, x1, x2, x3 */
    {0x1b067ca4, "madd", 4, 5, 6, 0, "mul w4, w5, w6"}, /* as: mul w4, w5, w6 */
    {0x9b292907, "smaddl", 7, 8, 9, 0, "smaddl x7, w8, w9, x10"}, /* as: smaddl x7, w8, w9, x10 */
    {0x9bcd7d8b, "umulh", 11, 12, 13, 0, "umulh x11, x12, x13"}, /* as: umulh x11, x12, x13 */
    {0x9b507dee, "smulh", 14, 15, 16, 0, "smulh x14, x15, x16"}, /* as: smulh x14, x15, x16 */
    {0x1ac20820, "udiv", 0, 1, 2, 0, "udiv w0, w1, w2"}, /* as: udiv w0, w1, w2 */
    {0x9ac50c83, "sdiv", 3, 4, 5, 0, "sdiv x3, x4, x5"}, /* as: sdiv x3, x4, x5 */
    {0x9ac820e6, "lslv", 6, 7, 8, 0, "lsl x6, x7, x8"}, /* as: lsl x6, x7, x8 */
    {0x1acb2d49, "rorv", 9, 10, 11, 0, "ror w9, w10, w11"}, /* as: ror w9, w10, w11 */
    {0x1ac24020, "crc32", 0, 1, 2, 0, "crc32b w0, w1, w2"}, /* as: crc32b w0, w1, w2 */
    {0x9ac55c83, "crc32c", 3, 4, 5, 0, "crc32cx w3, w4, x5"}, /* as: crc32cx w3, w4, x5 */
    {0xdac00020, "rbit", 0, 1, 0, 0, "rbit x0, x1"}, /* as: rbit x0, x1 */
    {0x5ac00462, "rev16", 2, 3, 0, 0, "rev16 w2, w3"}, /* as: rev16 w2, w3 */
    {0xdac008a4, "rev32", 4, 5, 0, 0, "rev32 x4, x5"}, /* as: rev32 x4, x5 */
    {0x5ac008e6, "rev_w", 6, 7, 0, 0, "rev w6, w7"}, /* as: rev w6, w7 */
    {0xdac00d28, "rev_x", 8, 9, 0, 0, "rev x8, x9"}, /* as: rev x8, x9 */
    {0xdac0116a, "clz", 10, 11, 0, 0, "clz x10, x11"}, /* as: clz x10, x11 */
    {0x5ac015ac, "cls", 12, 13, 0, 0, "cls w12, w13"}, /* as: cls w12, w13 */
};

#define BASE 0x10000ull

/* The word at BASE, where the texts' pc-relative targets were taken. */
static uint64_t at_base(uint32_t w)
{
    static void *map;
    if (!map) {
        map = mmap((void *)BASE, 0x1000, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        cr_assert(map == (void *)BASE, "cannot map the test page");
    }
    memcpy(map, &w, 4);
    return BASE;
}

Test(a64_decode, rows_fields_and_text)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        a64_args a;
        uint32_t w = rows[i].word;
        const a64_insn_desc *d = a64_base_lookup_desc(w, &a);
        cr_assert(d, "%08x: no row", w);
        cr_expect_str_eq(d->name, rows[i].row, "%08x", w);
        cr_expect_eq(a.rd, rows[i].rd, "%08x (%s): rd %u", w, rows[i].row, a.rd);
        cr_expect_eq(a.rn, rows[i].rn, "%08x (%s): rn %u", w, rows[i].row, a.rn);
        cr_expect_eq(a.rm, rows[i].rm, "%08x (%s): rm %u", w, rows[i].row, a.rm);
        cr_expect_eq(a.imm, rows[i].imm, "%08x (%s): imm %lld", w, rows[i].row,
                     (long long)a.imm);
        char text[96];
        cr_expect_eq(frontend_aarch64.disas(at_base(w), text, sizeof text), 4, "%08x", w);
        cr_expect_str_eq(text, rows[i].text, "%08x", w);
    }
}

/* -d in_asm texts where capstone 4 alone fails: words and texts from
 * aarch64-linux-gnu-as -march=armv8.5-a+lse+rcpc and objdump -d, spacing
 * normalized.  Where capstone prints an equivalent word (a repeated
 * register renamed, don't-care bits cleared) the text keeps its style
 * (hex offsets, ins for mov), objdump's being in the comment. */
static const struct {
    uint32_t word;
    const char *text;
} texts[] = {
    {0xc8df7c41, "ldlar x1, [x2]"},
    {0x08df7fe3, "ldlarb w3, [sp]"},
    {0x889f7ca4, "stllr w4, [x5]"},
    {0x489f7ce6, "stllrh w6, [x7]"},
    {0x38bfc128, "ldaprb w8, [x9]"},
    {0x78bfc3ea, "ldaprh w10, [sp]"},
    {0x08a07c41, "casb w0, w1, [x2]"},
    {0x48e37ca4, "casah w3, w4, [x5]"},
    {0xc8a6ffe7, "casl x6, x7, [sp]"},
    {0x0860fc82, "caspal w0, w1, w2, w3, [x4]"},
    {0x487e7cbc, "caspa x30, xzr, x28, x29, [x5]"},
    {0x4826ffe8, "caspl x6, x7, x8, x9, [sp]"},
    {0xf8e00041, "ldaddal x0, x1, [x2]"},
    {0x786330a4, "ldsetlh w3, w4, [x5]"},
    {0x38a660ff, "ldumaxab w6, wzr, [x7]"}, /* acquire: no st<op> alias */
    {0x3829516a, "ldsminb w9, w10, [x11]"},
    {0xf8ac21cd, "ldeora x12, x13, [x14]"},
    {0xf86f43f0, "ldsmaxl x15, x16, [sp]"},
    {0x78317272, "lduminh w17, w18, [x19]"},
    {0x3860003f, "staddlb w0, [x1]"},
    {0xf822107f, "stclr x2, [x3]"},
    {0x786423ff, "steorlh w4, [sp]"},
    {0xb83f60bf, "stumax wzr, [x5]"},
    {0xf8e08041, "swpal x0, x1, [x2]"},
    {0x382380a4, "swpb w3, w4, [x5]"},
    {0x787f83e6, "swplh wzr, w6, [sp]"},
    {0xd50330ff, "sb"}, /* capstone: msr s3_3_c3_c0_7, xzr */
    {0xd503309f, "ssbb"}, /* capstone: dsb #0 */
    {0xd503349f, "pssbb"},
    {0xd503233f, "paciasp"}, /* capstone: hint #0x19 */
    {0xd50323bf, "autiasp"},
    {0xd503245f, "bti c"},
    {0xd50324df, "bti jc"},
    {0xd50320ff, "xpaclri"},
    {0xd503229f, "csdb"},
    {0xf85f8441, "ldr x1, [x2], #-0x8"}, /* as: ldr x1, [x2], #-8 */
    {0x7857a483, "ldrh w3, [x4], #-0x86"}, /* as: ldrh w3, [x4], #-134 */
    {0xa8bf07e0, "stp x0, x1, [sp], #-0x10"}, /* as: stp x0, x1, [sp], #-16 */
    {0xf8408421, "ldr x1, [x1], #8"}, /* as: ldr x1, [x1], #8 */
    {0x385ffc42, "ldrb w2, [x2, #-1]!"}, /* as: ldrb w2, [x2, #-1]! */
    {0xf84f08c6, "ldtr x6, [x6, #0xf0]"}, /* as: ldtr x6, [x6, #240] */
    {0xa9bf0821, "stp x1, x2, [x1, #-0x10]!"}, /* as: stp x1, x2, [x1, #-16]! */
    {0xa9400040, "ldp x0, x0, [x2]"}, /* as: ldp x0, x0, [x2] */
    {0xa8c10c63, "ldp x3, x3, [x3], #0x10"}, /* as: ldp x3, x3, [x3], #16 */
    {0xc87f0c83, "ldxp x3, x3, [x4]"}, /* as: ldxp x3, x3, [x4] */
    {0xc8057cc5, "stxr w5, x5, [x6]"}, /* as: stxr w5, x5, [x6] */
    {0xc827a4e8, "stlxp w7, x8, x9, [x7]"}, /* as: stlxp w7, x8, x9, [x7] */
    {0xad400441, "ldp q1, q1, [x2]"}, /* as: ldp q1, q1, [x2] */
    {0x6dc10fe3, "ldp d3, d3, [sp, #0x10]!"}, /* as: ldp d3, d3, [sp, #16]! */
    {0x0e0d0e81, "dup v1.8b, w20"}, /* .inst: imm5 01101; as: dup v1.8b, w20 */
    {0x6e161ce0, "ins v0.h[5], v7.h[1]"}, /* .inst; as: mov v0.h[5], v7.h[1] */
};

Test(a64_decode, disas_past_capstone)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char text[96];
        uint32_t w = texts[i].word;
        cr_expect_eq(frontend_aarch64.disas(at_base(w), text, sizeof text), 4, "%08x", w);
        cr_expect_str_eq(text, texts[i].text, "%08x", w);
    }
}

/* Reserved encodings of a row's shape are refused by its format. */
Test(a64_decode, reserved)
{
    static const uint32_t words[] = {
        0x00000000, /* udf #0 */
        0x12000000 | 1u << 22, /* and w0, w0, #imm with N = 1 */
        0x92000000 | 0x3f << 10 | 1u << 22, /* bitmask imms = all ones */
        0x8b000000 | 3u << 22, /* add (shifted) with shift ROR */
        0x0b000000 | 32u << 10, /* add w, shift amount 32 */
        0x12a00000 | 2u << 21, /* movn w with hw = 2 */
        0x93000000, /* sbfm x with N = 0 */
        0xf8600800, /* ldr (register) option 000 */
        0xe9400000, /* ldp with opc 11 */
        0x1ac04c00, /* crc32x without sf */
        0x8b200000 | 5u << 10, /* add (extended) shift 5 */
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        a64_args a;
        const a64_insn_desc *d = a64_base_lookup_desc(words[i], &a);
        cr_expect(!d, "%08x decodes as %s", words[i], d ? d->name : "");
    }
}

/* DecodeBitMasks against values from the assembler and the ARM ARM. */
Test(a64_decode, bitmask)
{
    static const struct { unsigned n, immr, imms; bool sf; uint64_t v; } m[] = {
        {0, 8, 0x27, true, 0xff00ff00ff00ff00ull},
        {0, 0, 0x3c, false, 0x55555555},
        {1, 0, 0, true, 1},
        {1, 1, 0x3e, true, 0xbfffffffffffffffull}, /* 63 ones rotated by 1 */
        {0, 0, 0x1e, false, 0x7fffffff},
        {0, 0, 0x30, true, 0x0101010101010101ull},
        {0, 0, 0x38, true, 0x1111111111111111ull},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        uint64_t v;
        cr_assert(a64_bitmask(m[i].n, m[i].immr, m[i].imms, m[i].sf, &v), "row %zu", i);
        cr_expect_eq(v, m[i].v, "row %zu: %#llx", i, (unsigned long long)v);
    }
}
