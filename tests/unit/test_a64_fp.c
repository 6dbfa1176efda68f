/* aarch64 FP and Advanced SIMD: every word of a table (from
 * aarch64-linux-gnu-as) translates to IR that passes ir_verify before
 * and after the passes, words left out give SIGILL, a few translations
 * are checked op by op, and the vector helpers are run on a fake a64_cpu
 * against the Arm ARM's definitions (lane layouts, saturation and QC,
 * pairwise order, structure interleaving, half-precision rounding). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "frontend/aarch64/a64_simd.h"
#include "frontend/frontend.h"
#include "ir/opt/opt.h"

#define BASE 0x20000ull
#define RET 0xd65f03c0u

static char *print_block(const ir_block *b)
{
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    ir_print(b, f, frontend_aarch64.ctx_name);
    fclose(f);
    return text;
}

/* word; ret, as one block: its IR text after the passes (to free) */
static char *translate_one(uint32_t word)
{
    static char *map;
    if (!map) {
        map = mmap((void *)BASE, 0x1000, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        cr_assert(map == (char *)BASE, "cannot map the test page");
    }
    uint32_t w[2] = {word, RET};
    memcpy(map, w, sizeof w);
    ir_block *b = ir_block_new(BASE);
    char err[160];
    frontend_aarch64.translate(b, BASE);
    cr_assert(ir_verify(b, err, sizeof err), "%08x: ir_verify: %s", word, err);
    opt_run(b, NULL);
    cr_assert(ir_verify(b, err, sizeof err), "%08x: ir_verify after the passes: %s", word, err);
    char *text = print_block(b);
    ir_block_free(b);
    return text;
}

static const struct {
    uint32_t word;
    const char *text;
} good[] = {
    {0x1e204020, "fmov s0, s1"},
    {0x1e604062, "fmov d2, d3"},
    {0x1e60c020, "fabs d0, d1"},
    {0x1e214020, "fneg s0, s1"},
    {0x1e61c020, "fsqrt d0, d1"},
    {0x1e22c020, "fcvt d0, s1"},
    {0x1e624020, "fcvt s0, d1"},
    {0x1e23c020, "fcvt h0, s1"},
    {0x1ee24020, "fcvt s0, h1"},
    {0x1ee2c020, "fcvt d0, h1"},
    {0x1e63c020, "fcvt h0, d1"},
    {0x1e644020, "frintn d0, d1"},
    {0x1e24c020, "frintp s0, s1"},
    {0x1e654020, "frintm d0, d1"},
    {0x1e65c020, "frintz d0, d1"},
    {0x1e664020, "frinta d0, d1"},
    {0x1e274020, "frintx s0, s1"},
    {0x1e67c020, "frinti d0, d1"},
    {0x1e612000, "fcmp d0, d1"},
    {0x1e202008, "fcmp s0, #0.0"},
    {0x1e612010, "fcmpe d0, d1"},
    {0x1e602018, "fcmpe d0, #0.0"},
    {0x1e6e1000, "fmov d0, #1.0"},
    {0x1e3c1000, "fmov s0, #-0.5"},
    {0x1e611404, "fccmp d0, d1, #4, ne"},
    {0x1e210410, "fccmpe s0, s1, #0, eq"},
    {0x1e620820, "fmul d0, d1, d2"},
    {0x1e221820, "fdiv s0, s1, s2"},
    {0x1e622820, "fadd d0, d1, d2"},
    {0x1e623820, "fsub d0, d1, d2"},
    {0x1e624820, "fmax d0, d1, d2"},
    {0x1e225820, "fmin s0, s1, s2"},
    {0x1e626820, "fmaxnm d0, d1, d2"},
    {0x1e627820, "fminnm d0, d1, d2"},
    {0x1e628820, "fnmul d0, d1, d2"},
    {0x1e62bc20, "fcsel d0, d1, d2, lt"},
    {0x1f420c20, "fmadd d0, d1, d2, d3"},
    {0x1f028c20, "fmsub s0, s1, s2, s3"},
    {0x1f620c20, "fnmadd d0, d1, d2, d3"},
    {0x1f628c20, "fnmsub d0, d1, d2, d3"},
    {0x1e58f420, "fcvtzs w0, d1, #3"},
    {0x9e19d820, "fcvtzu x0, s1, #10"},
    {0x9e42c020, "scvtf d0, x1, #16"},
    {0x1e03f820, "ucvtf s0, w1, #2"},
    {0x1e780020, "fcvtzs w0, d1"},
    {0x9e390020, "fcvtzu x0, s1"},
    {0x9e600020, "fcvtns x0, d1"},
    {0x1e680020, "fcvtps w0, d1"},
    {0x9e700020, "fcvtms x0, d1"},
    {0x9e640020, "fcvtas x0, d1"},
    {0x1e250020, "fcvtau w0, s1"},
    {0x1e620020, "scvtf d0, w1"},
    {0x9e230020, "ucvtf s0, x1"},
    {0x1e260020, "fmov w0, s1"},
    {0x1e270020, "fmov s0, w1"},
    {0x9e660020, "fmov x0, d1"},
    {0x9e670020, "fmov d0, x1"},
    {0x9eae0020, "fmov x0, v1.d[1]"},
    {0x9eaf0020, "fmov v0.d[1], x1"},
    {0x3dc00020, "ldr q0, [x1]"},
    {0xfd400420, "ldr d0, [x1, #8]"},
    {0xbd4007e0, "ldr s0, [sp, #4]"},
    {0x7d400420, "ldr h0, [x1, #2]"},
    {0x3d400420, "ldr b0, [x1, #1]"},
    {0x3d800420, "str q0, [x1, #16]"},
    {0xfc008420, "str d0, [x1], #8"},
    {0xbc1fcc20, "str s0, [x1, #-4]!"},
    {0x3cdfd020, "ldur q0, [x1, #-3]"},
    {0xfc005020, "stur d0, [x1, #5]"},
    {0x3ce27820, "ldr q0, [x1, x2, lsl #4]"},
    {0xfc22d820, "str d0, [x1, w2, sxtw #3]"},
    {0x9c000201, "ldr q1, .+64"},
    {0x1cffffc1, "ldr s1, .-8"},
    {0xad400400, "ldp q0, q1, [x0]"},
    {0xad810400, "stp q0, q1, [x0, #32]!"},
    {0x6cc107e0, "ldp d0, d1, [sp], #16"},
    {0x2d3f0400, "stp s0, s1, [x0, #-8]"},
    {0xac400400, "ldnp q0, q1, [x0]"},
    {0x4c407000, "ld1 {v0.16b}, [x0]"},
    {0x4cdfa000, "ld1 {v0.16b, v1.16b}, [x0], #32"},
    {0x4c402800, "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [x0]"},
    {0x0cc26000, "ld1 {v0.8b, v1.8b, v2.8b}, [x0], x2"},
    {0x4c007c20, "st1 {v0.2d}, [x1]"},
    {0x4c9fa020, "st1 {v0.16b, v1.16b}, [x1], #32"},
    {0x4c408800, "ld2 {v0.4s, v1.4s}, [x0]"},
    {0x4cdf4000, "ld3 {v0.16b, v1.16b, v2.16b}, [x0], #48"},
    {0x4c400400, "ld4 {v0.8h, v1.8h, v2.8h, v3.8h}, [x0]"},
    {0x0c008020, "st2 {v0.8b, v1.8b}, [x1]"},
    {0x4c9f0820, "st4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1], #64"},
    {0x4d40c800, "ld1r {v0.4s}, [x0]"},
    {0x4ddfc000, "ld1r {v0.16b}, [x0], #1"},
    {0x4d60c400, "ld2r {v0.8h, v1.8h}, [x0]"},
    {0x0d409000, "ld1 {v0.s}[1], [x0]"},
    {0x4ddf1c00, "ld1 {v0.b}[15], [x0], #1"},
    {0x4d408400, "ld1 {v0.d}[1], [x0]"},
    {0x0d005800, "st1 {v0.h}[3], [x0]"},
    {0x0d838400, "st1 {v0.d}[0], [x0], x3"},
    {0x4d608000, "ld2 {v0.s, v1.s}[2], [x0]"},
    {0x4f07e7e0, "movi v0.16b, #0xff"},
    {0x6f00e400, "movi v0.2d, #0"},
    {0x4f002420, "movi v0.4s, #1, lsl #8"},
    {0x6f008460, "mvni v0.8h, #3"},
    {0x2f05e540, "movi d0, #0xff00ff00ff00ff00"},
    {0x4f005420, "orr v0.4s, #1, lsl #16"},
    {0x6f0797e0, "bic v0.8h, #255"},
    {0x4f03f600, "fmov v0.4s, #1.0"},
    {0x6f04f400, "fmov v0.2d, #-2.0"},
    {0x4f00c640, "movi v0.4s, #0x12, msl #8"},
    {0x4e221c20, "and v0.16b, v1.16b, v2.16b"},
    {0x4e621c20, "bic v0.16b, v1.16b, v2.16b"},
    {0x4ea21c20, "orr v0.16b, v1.16b, v2.16b"},
    {0x4ea11c20, "mov v0.16b, v1.16b"},
    {0x0ee21c20, "orn v0.8b, v1.8b, v2.8b"},
    {0x6e221c20, "eor v0.16b, v1.16b, v2.16b"},
    {0x6e621c20, "bsl v0.16b, v1.16b, v2.16b"},
    {0x6ea21c20, "bit v0.16b, v1.16b, v2.16b"},
    {0x2ee21c20, "bif v0.8b, v1.8b, v2.8b"},
    {0x4ea28420, "add v0.4s, v1.4s, v2.4s"},
    {0x6ee28420, "sub v0.2d, v1.2d, v2.2d"},
    {0x4e629c20, "mul v0.8h, v1.8h, v2.8h"},
    {0x4ea29420, "mla v0.4s, v1.4s, v2.4s"},
    {0x6e229420, "mls v0.16b, v1.16b, v2.16b"},
    {0x6e228c20, "cmeq v0.16b, v1.16b, v2.16b"},
    {0x6e623420, "cmhi v0.8h, v1.8h, v2.8h"},
    {0x6ea23c20, "cmhs v0.4s, v1.4s, v2.4s"},
    {0x4ee23420, "cmgt v0.2d, v1.2d, v2.2d"},
    {0x4e223c20, "cmge v0.16b, v1.16b, v2.16b"},
    {0x4e228c20, "cmtst v0.16b, v1.16b, v2.16b"},
    {0x6e226420, "umax v0.16b, v1.16b, v2.16b"},
    {0x6ea26c20, "umin v0.4s, v1.4s, v2.4s"},
    {0x4e626420, "smax v0.8h, v1.8h, v2.8h"},
    {0x4ea26c20, "smin v0.4s, v1.4s, v2.4s"},
    {0x6e22a420, "umaxp v0.16b, v1.16b, v2.16b"},
    {0x6e22ac20, "uminp v0.16b, v1.16b, v2.16b"},
    {0x4ea2a420, "smaxp v0.4s, v1.4s, v2.4s"},
    {0x4e62ac20, "sminp v0.8h, v1.8h, v2.8h"},
    {0x4e22bc20, "addp v0.16b, v1.16b, v2.16b"},
    {0x4ee2bc20, "addp v0.2d, v1.2d, v2.2d"},
    {0x4e220c20, "sqadd v0.16b, v1.16b, v2.16b"},
    {0x6e620c20, "uqadd v0.8h, v1.8h, v2.8h"},
    {0x4ea22c20, "sqsub v0.4s, v1.4s, v2.4s"},
    {0x6e222c20, "uqsub v0.16b, v1.16b, v2.16b"},
    {0x6ea24420, "ushl v0.4s, v1.4s, v2.4s"},
    {0x4ee24420, "sshl v0.2d, v1.2d, v2.2d"},
    {0x6e221420, "urhadd v0.16b, v1.16b, v2.16b"},
    {0x6e227420, "uabd v0.16b, v1.16b, v2.16b"},
    {0x4e62b420, "sqdmulh v0.8h, v1.8h, v2.8h"},
    {0x6ea0b820, "neg v0.4s, v1.4s"},
    {0x4e20b820, "abs v0.16b, v1.16b"},
    {0x4e209820, "cmeq v0.16b, v1.16b, #0"},
    {0x4ea08820, "cmgt v0.4s, v1.4s, #0"},
    {0x6e608820, "cmge v0.8h, v1.8h, #0"},
    {0x6e209820, "cmle v0.16b, v1.16b, #0"},
    {0x4ee0a820, "cmlt v0.2d, v1.2d, #0"},
    {0x4e205820, "cnt v0.16b, v1.16b"},
    {0x6e205820, "not v0.16b, v1.16b"},
    {0x2e605820, "rbit v0.8b, v1.8b"},
    {0x4e201820, "rev16 v0.16b, v1.16b"},
    {0x6e600820, "rev32 v0.8h, v1.8h"},
    {0x4ea00820, "rev64 v0.4s, v1.4s"},
    {0x6ea04820, "clz v0.4s, v1.4s"},
    {0x0e212820, "xtn v0.8b, v1.8h"},
    {0x4e212820, "xtn2 v0.16b, v1.8h"},
    {0x0e614820, "sqxtn v0.4h, v1.4s"},
    {0x6e614820, "uqxtn2 v0.8h, v1.4s"},
    {0x6e202820, "uaddlp v0.8h, v1.16b"},
    {0x4e31b820, "addv b0, v1.16b"},
    {0x4eb1b820, "addv s0, v1.4s"},
    {0x6e30a820, "umaxv b0, v1.16b"},
    {0x6e71a820, "uminv h0, v1.8h"},
    {0x4eb0a820, "smaxv s0, v1.4s"},
    {0x0e31a820, "sminv b0, v1.8b"},
    {0x6e303820, "uaddlv h0, v1.16b"},
    {0x4e703820, "saddlv s0, v1.8h"},
    {0x4f235420, "shl v0.4s, v1.4s, #3"},
    {0x6f0f0420, "ushr v0.16b, v1.16b, #1"},
    {0x4f410420, "sshr v0.2d, v1.2d, #63"},
    {0x6f381420, "usra v0.4s, v1.4s, #8"},
    {0x2f08a420, "ushll v0.8h, v1.8b, #0"},
    {0x4f12a420, "sshll2 v0.4s, v1.8h, #2"},
    {0x2f20a420, "uxtl v0.2d, v1.2s"},
    {0x4f08a420, "sxtl2 v0.8h, v1.16b"},
    {0x0f0c8420, "shrn v0.8b, v1.8h, #4"},
    {0x4f0c8c20, "rshrn2 v0.16b, v1.8h, #4"},
    {0x0f1d9420, "sqshrn v0.4h, v1.4s, #3"},
    {0x2f309420, "uqshrn v0.2s, v1.2d, #16"},
    {0x6f605420, "sli v0.2d, v1.2d, #32"},
    {0x6f3c4420, "sri v0.4s, v1.4s, #4"},
    {0x2e220020, "uaddl v0.8h, v1.8b, v2.8b"},
    {0x4e620020, "saddl2 v0.4s, v1.8h, v2.8h"},
    {0x2ea22020, "usubl v0.2d, v1.2s, v2.2s"},
    {0x2e22c020, "umull v0.8h, v1.8b, v2.8b"},
    {0x4ea2c020, "smull2 v0.2d, v1.4s, v2.4s"},
    {0x2e628020, "umlal v0.4s, v1.4h, v2.4h"},
    {0x2e211000, "uaddw v0.8h, v0.8h, v1.8b"},
    {0x0e224020, "addhn v0.8b, v1.8h, v2.8h"},
    {0x2e227020, "uabdl v0.8h, v1.8b, v2.8b"},
    {0x4e010c20, "dup v0.16b, w1"},
    {0x4e080c20, "dup v0.2d, x1"},
    {0x4e140420, "dup v0.4s, v1.s[2]"},
    {0x0e0f0420, "dup v0.8b, v1.b[7]"},
    {0x4e0c1c20, "mov v0.s[1], w1"},
    {0x4e181c20, "mov v0.d[1], x1"},
    {0x6e074c20, "mov v0.b[3], v1.b[9]"},
    {0x6e084420, "mov v0.d[0], v1.d[1]"},
    {0x0e073c20, "umov w0, v1.b[3]"},
    {0x0e1e3c20, "umov w0, v1.h[7]"},
    {0x0e1c3c20, "mov w0, v1.s[3]"},
    {0x4e183c20, "mov x0, v1.d[1]"},
    {0x4e0a2c20, "smov x0, v1.h[2]"},
    {0x0e1f2c20, "smov w0, v1.b[15]"},
    {0x5e1c0420, "mov s0, v1.s[3]"},
    {0x5e180420, "mov d0, v1.d[1]"},
    {0x6e021820, "ext v0.16b, v1.16b, v2.16b, #3"},
    {0x2e023820, "ext v0.8b, v1.8b, v2.8b, #7"},
    {0x4e023820, "zip1 v0.16b, v1.16b, v2.16b"},
    {0x4e827820, "zip2 v0.4s, v1.4s, v2.4s"},
    {0x4e421820, "uzp1 v0.8h, v1.8h, v2.8h"},
    {0x4e025820, "uzp2 v0.16b, v1.16b, v2.16b"},
    {0x4e822820, "trn1 v0.4s, v1.4s, v2.4s"},
    {0x0e026820, "trn2 v0.8b, v1.8b, v2.8b"},
    {0x4e020020, "tbl v0.16b, {v1.16b}, v2.16b"},
    {0x0e0243c0, "tbl v0.8b, {v30.16b, v31.16b, v0.16b}, v2.8b"},
    {0x4e033020, "tbx v0.16b, {v1.16b, v2.16b}, v3.16b"},
    {0x4e22d420, "fadd v0.4s, v1.4s, v2.4s"},
    {0x4ee2d420, "fsub v0.2d, v1.2d, v2.2d"},
    {0x2e22dc20, "fmul v0.2s, v1.2s, v2.2s"},
    {0x6e22fc20, "fdiv v0.4s, v1.4s, v2.4s"},
    {0x4e62cc20, "fmla v0.2d, v1.2d, v2.2d"},
    {0x4ea2cc20, "fmls v0.4s, v1.4s, v2.4s"},
    {0x4e22f420, "fmax v0.4s, v1.4s, v2.4s"},
    {0x4ee2f420, "fmin v0.2d, v1.2d, v2.2d"},
    {0x4e22c420, "fmaxnm v0.4s, v1.4s, v2.4s"},
    {0x4ea2c420, "fminnm v0.4s, v1.4s, v2.4s"},
    {0x6ea2d420, "fabd v0.4s, v1.4s, v2.4s"},
    {0x4e22e420, "fcmeq v0.4s, v1.4s, v2.4s"},
    {0x6e62e420, "fcmge v0.2d, v1.2d, v2.2d"},
    {0x6ea2e420, "fcmgt v0.4s, v1.4s, v2.4s"},
    {0x6e22ec20, "facge v0.4s, v1.4s, v2.4s"},
    {0x6e22d420, "faddp v0.4s, v1.4s, v2.4s"},
    {0x6e62f420, "fmaxp v0.2d, v1.2d, v2.2d"},
    {0x4ea0f820, "fabs v0.4s, v1.4s"},
    {0x6ee0f820, "fneg v0.2d, v1.2d"},
    {0x6ea1f820, "fsqrt v0.4s, v1.4s"},
    {0x4ea0d820, "fcmeq v0.4s, v1.4s, #0.0"},
    {0x4ee0e820, "fcmlt v0.2d, v1.2d, #0.0"},
    {0x6ea0c820, "fcmge v0.4s, v1.4s, #0.0"},
    {0x4e219820, "frintm v0.4s, v1.4s"},
    {0x6e619820, "frintx v0.2d, v1.2d"},
    {0x4ea1b820, "fcvtzs v0.4s, v1.4s"},
    {0x6ee1b820, "fcvtzu v0.2d, v1.2d"},
    {0x4e21a820, "fcvtns v0.4s, v1.4s"},
    {0x4e21d820, "scvtf v0.4s, v1.4s"},
    {0x6e61d820, "ucvtf v0.2d, v1.2d"},
    {0x0e617820, "fcvtl v0.2d, v1.2s"},
    {0x4e217820, "fcvtl2 v0.4s, v1.8h"},
    {0x0e616820, "fcvtn v0.2s, v1.2d"},
    {0x4e216820, "fcvtn2 v0.8h, v1.4s"},
    {0x4f3cfc20, "fcvtzs v0.4s, v1.4s, #4"},
    {0x4f76e420, "scvtf v0.2d, v1.2d, #10"},
    {0x4fa21820, "fmla v0.4s, v1.4s, v2.s[3]"},
    {0x4fc29820, "fmul v0.2d, v1.2d, v2.d[1]"},
    {0x0f825020, "fmls v0.2s, v1.2s, v2.s[0]"},
    {0x4f728820, "mul v0.8h, v1.8h, v2.h[7]"},
    {0x6fa20020, "mla v0.4s, v1.4s, v2.s[1]"},
    {0x2f72a020, "umull v0.4s, v1.4h, v2.h[3]"},
    {0x6e30c820, "fmaxnmv s0, v1.4s"},
    {0x6eb0f820, "fminv s0, v1.4s"},
    {0x7e30d820, "faddp s0, v1.2s"},
    {0x7e70d820, "faddp d0, v1.2d"},
    {0x7e70c820, "fmaxnmp d0, v1.2d"},
    {0x5ef1b820, "addp d0, v1.2d"},
    {0x5ee28420, "add d0, d1, d2"},
    {0x7ee28420, "sub d0, d1, d2"},
    {0x7ee28c20, "cmeq d0, d1, d2"},
    {0x5ee09820, "cmeq d0, d1, #0"},
    {0x5ee08820, "cmgt d0, d1, #0"},
    {0x7f7d0420, "ushr d0, d1, #3"},
    {0x5f475420, "shl d0, d1, #7"},
    {0x5f410420, "sshr d0, d1, #63"},
    {0x7ea2e420, "fcmgt s0, s1, s2"},
    {0x7ee2d420, "fabd d0, d1, d2"},
    {0x5ea1b820, "fcvtzs s0, s1"},
    {0x5e61d820, "scvtf d0, d1"},
    {0x5f78fc20, "fcvtzs d0, d1, #8"},
    {0x5fa29020, "fmul s0, s1, v2.s[1]"},
    {0x5fc21820, "fmla d0, d1, v2.d[1]"},
    {0x5e220c20, "sqadd b0, b1, b2"},
    {0x7ee0b820, "neg d0, d1"},
    {0x5ee0b820, "abs d0, d1"},
    {0x5ea14820, "sqxtn s0, d1"},
    {0x4e22dc20, "fmulx v0.4s, v1.4s, v2.4s"},
    {0x4ea1d820, "frecpe v0.4s, v1.4s"},
    {0x4ea2fc20, "frsqrts v0.4s, v1.4s, v2.4s"},
    {0x4e62fc20, "frecps v0.2d, v1.2d, v2.2d"},
    {0x5ea1f820, "frecpx s0, s1"},
    {0x4ea1c820, "urecpe v0.4s, v1.4s"},
    {0x7fc29820, "fmulx d0, d1, v2.d[1]"},
    {0x0e629020, "sqdmlal v0.4s, v1.4h, v2.4h"},
    {0x5e62d020, "sqdmull s0, h1, h2"},
    {0x5fa2d020, "sqrdmulh s0, s1, v2.s[1]"},
    {0x4e227c20, "saba v0.16b, v1.16b, v2.16b"},
    {0x4e603820, "suqadd v0.8h, v1.8h"},
    {0x5ee25c20, "sqrshl d0, d1, d2"},
    {0x4e284820, "aese v0.16b, v1.16b"},
    {0x5e024020, "sha256h q0, q1, v2.4s"},
    {0x5e280820, "sha1h s0, s1"},
    {0x4ee2e020, "pmull2 v0.1q, v1.2d, v2.2d"},
};

Test(a64_fp, every_word_translates)
{
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        a64s_args a;
        cr_expect(a64_simd_lookup_desc(good[i].word, &a) != NULL, "%s: no row", good[i].text);
        char *ir = translate_one(good[i].word);
        cr_expect(!strstr(ir, "trap"), "%s (%08x) does not translate:\n%s", good[i].text,
                  good[i].word, ir);
        free(ir);
    }
}

/* left out on purpose: the guest gets SIGILL at the word */
static const struct {
    uint32_t word;
    const char *text;
} bad[] = {
    {0x1ee22820, "fadd h0, h1, h2"},
    {0x1e7e0020, "fjcvtzs w0, d1"},
    {0x0e229020, "sqdmlal v0.8h, v1.8b, v2.8b (bytes: reserved)"},
    {0x5e283820, "sha1h with opcode 00011 (reserved)"},
    {0xcec08020, "sha512su0 v0.2d, v1.2d"},
    {0x2e616820, "fcvtxn v0.2s, v1.2d"},
    {0x4e829420, "sdot v0.4s, v1.16b, v2.16b"},
    {0x4ee08420, "add v0.1d (Q=0, size 3: reserved) as 0x0ee28420"},
};

Test(a64_fp, left_out_words_trap)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t w = i == sizeof bad / sizeof bad[0] - 1 ? 0x0ee28420 : bad[i].word;
        char *ir = translate_one(w);
        cr_expect(strstr(ir, "trap illegal") || strstr(ir, "trap 0"), "%s translated:\n%s",
                  bad[i].text, ir);
        free(ir);
    }
}

/* the IR of a translation holds these ops, in this order */
static const struct {
    uint32_t word;
    const char *text;
    const char *ops[6];
} shapes[] = {
    {0x1f420c20, "fmadd d0, d1, d2, d3: one fused op, Arm NaNs", {"fma.f64.armnan", "[v0]"}},
    {0x1e222820, "fadd s0, s1, s2: Arm NaNs", {"fadd.f32.armnan"}},
    {0xd51b4400, "msr fpcr, x0: rounding, then FZ and DN", {"fp_rm_set", "fp_mode_set"}},
    {0x9e590020, "fcvtzu x0, d1, #64: the scaling's flags dropped",
     {"fp_flags_get", "fmul.f64", "fp_flags_get", "fp_flags_set", "fcvt_fi.i64.rtz"}},
    {0x4e284820, "aese v0.16b, v1.16b: the crypto helper", {"call.i64", "a64_crypto"}},
    {0x4ea1d820, "frecpe v0.4s: the estimate helper, value and flags", {"a64_fpest", "a64_fpest"}},
    {0x1f620c20, "fnmadd d0: both negated", {"fneg.f64", "fneg.f64", "fma.f64"}},
    {0x1e612010, "fcmpe d0, d1: signalling compare into nzcv",
     {"flags_fcmp", "flags_save", "[nzcv]"}},
    {0x1e644020, "frintn d0: rounds through i64 with rne, flags put back",
     {"fp_flags_get", "fcvt_fi.i64.rne", "fcvt_if", "fp_flags_set"}},
    {0x9e780020, "fcvtzs x0, d1: nan to zero, toward zero", {"fcvt_fi.i64.rtz", "[x0]"}},
    {0x1e625820, "fmin d0, d1, d2: the IR's min, then the NaN case", {"fmin.f64", "select.f64"}},
    {0x4ea28420, "add v0.4s: one v128 op", {"ctx_load.v128", "vadd.v128.4s", "ctx_store.v128"}},
    {0x4e221c20, "and v0.16b: one v128 op", {"vand.v128", "[v0]"}},
    {0x4ea11c20, "orr v0.16b, v1.16b, v1.16b (mov): plain copies", {"[v1]", "[v0]"}},
    {0x0e228420, "add v0.8b: the upper half zeroed", {"vadd.v128.16b", "vzip1.v128.2d", "[v0]"}},
    {0x4e620c20, "sqadd v0.8h: QC from the wrapping sum",
     {"vaddsats.v128.8h", "vadd.v128.8h", "vxor", "vextract", "[fpsr]", "[v0]"}},
    {0x4ea20c20, "sqadd v0.4s: the 3same helper", {"call.i64", "a64_3same"}},
    {0x6e229c20, "pmul v0.16b: the 3same helper", {"a64_3same"}},
    {0x0e205820, "cnt v0.8b", {"vcnt.v128.16b", "vzip1.v128.2d"}},
    {0x0e31b820, "addv b0, v1.8b: the low half only", {"vzip1.v128.2d", "vaddv.i64.16b", "[v0]"}},
    {0x6e303820, "uaddlv h0, v1.16b: widened halves", {"vwidenu", "vwidenu", "vadd.v128.8h", "vaddv.i64.8h"}},
    {0x4c40a000, "ld1 {v0.16b, v1.16b}: two v128 loads", {"load.v128", "load.v128", "[v0]", "[v1]"}},
    {0x4c9f7c22, "st1 {v2.2d}, [x1], #16", {"[v2]", "store", "[x1]"}},
    {0x3dc00400, "ldr q0, [x0, #16]", {"load.v128", "ctx_store.v128"}},
    {0x0e027820, "zip2 v0.8b: the high half of zip1", {"vzip1.v128.16b", "vzip2.v128.2d", "[v0]"}},
    {0x4e020020, "tbl, one register", {"vtbl.v128"}},
    {0x4e032020, "tbl, two registers: the helper", {"a64_perm"}},
    {0x6f3d0420, "ushr v0.4s, #3", {"vshri.v128.4s"}},
    {0x2e62c020, "umull v0.4s, v1.4h: widened, then multiplied", {"vwidenu", "vwidenu", "vmul.v128.4s"}},
    {0x2ea2c020, "umull v0.2d: the helper (no 64-bit vmul)", {"a64_3diff"}},
    {0x4e040c20, "dup v0.4s, w1", {"[x1]", "vdup.v128.4s", "[v0]"}},
    {0x0e073c20, "umov w0, v1.b[3]", {"vextract.i64.16b", "[x0]"}},
    {0x6e22a420, "umaxp v0.16b: even lanes against odd", {"vuzp1.v128.16b", "vuzp2.v128.16b", "vmaxu.v128.16b"}},
    {0x0e62ac20, "sminp v0.4h: of the low halves", {"vzip1.v128.2d", "vuzp1.v128.8h", "vmins.v128.8h"}},
    {0x0f0c8420, "shrn v0.8b, v1.8h, #4", {"vshri.v128.8h", "vnarrow.v128.16b", "[v0]"}},
};

Test(a64_fp, translations_have_their_ops)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char *ir = translate_one(shapes[i].word), *at = ir;
        for (int k = 0; k < 6 && shapes[i].ops[k]; k++) {
            char *p = strstr(at, shapes[i].ops[k]);
            cr_expect(p, "%s: no %s after the earlier ops in\n%s", shapes[i].text, shapes[i].ops[k], ir);
            if (p)
                at = p + 1;
        }
        free(ir);
    }
}

/* ---- helpers on a fake cpu */

static a64_cpu cpu;

static void fill(unsigned r, unsigned base, unsigned step)
{
    for (int i = 0; i < 16; i++)
        cpu.v[r][i] = (uint8_t)(base + step * i);
}

static uint64_t lane(unsigned r, unsigned es, unsigned i)
{
    uint64_t x = 0;
    memcpy(&x, cpu.v[r] + es * i, es);
    return x;
}

static void set_lane(unsigned r, unsigned es, unsigned i, uint64_t x) { memcpy(cpu.v[r] + es * i, &x, es); }

#define DNM(d, n, m) (A64V_D(d) | A64V_N(n) | A64V_M(m))

Test(a64_simd_helpers, add_wraps_per_byte)
{
    fill(1, 0, 1), fill(2, 250, 0);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_Q(1) | A64V_OPC(0x10), 0, 0);
    for (unsigned i = 0; i < 16; i++)
        cr_expect_eq(cpu.v[0][i], (uint8_t)(i + 250));
}

Test(a64_simd_helpers, d_form_zeroes_upper_half)
{
    fill(0, 0xaa, 0), fill(1, 1, 0), fill(2, 2, 0);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_OPC(0x10), 0, 0); /* add v0.8b */
    cr_expect_eq(lane(0, 8, 0), 0x0303030303030303ull);
    cr_expect_eq(lane(0, 8, 1), 0);
}

Test(a64_simd_helpers, pairwise_takes_n_then_m)
{
    fill(1, 0, 1), fill(2, 16, 1);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_Q(1) | A64V_U(1) | A64V_OPC(0x14), 0, 0); /* umaxp */
    for (unsigned i = 0; i < 16; i++)
        cr_expect_eq(cpu.v[0][i], 2 * i + 1);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_Q(1) | A64V_OPC(0x17), 0, 0); /* addp .16b */
    for (unsigned i = 0; i < 16; i++)
        cr_expect_eq(cpu.v[0][i], (uint8_t)(4 * i + 1));
}

Test(a64_simd_helpers, saturation_sets_qc)
{
    cpu.fpsr = 0;
    fill(1, 100, 0), fill(2, 100, 0);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_Q(1) | A64V_OPC(0x01), 0, 0); /* sqadd .16b */
    cr_expect_eq(cpu.v[0][5], 127);
    cr_expect(cpu.fpsr & (1u << 27));
    cpu.fpsr = 0;
    for (unsigned i = 0; i < 8; i++)
        set_lane(1, 2, i, 5), set_lane(2, 2, i, i);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_SIZE(1) | A64V_Q(1) | A64V_U(1) | A64V_OPC(0x05), 0, 0);
    cr_expect_eq(lane(0, 2, 3), 2);
    cr_expect_eq(lane(0, 2, 7), 0); /* uqsub 5 - 7 */
    cr_expect(cpu.fpsr & (1u << 27));
}

Test(a64_simd_helpers, shifts_by_register_are_signed_bytes)
{
    for (unsigned i = 0; i < 4; i++)
        set_lane(1, 4, i, (uint32_t)-8), set_lane(2, 4, i, i == 0 ? 0xff : 2);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_SIZE(2) | A64V_Q(1) | A64V_OPC(0x08), 0, 0); /* sshl */
    cr_expect_eq((uint32_t)lane(0, 4, 0), (uint32_t)-4);
    cr_expect_eq((uint32_t)lane(0, 4, 1), (uint32_t)-32);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_SIZE(2) | A64V_Q(1) | A64V_U(1) | A64V_OPC(0x08), 0, 0);
    cr_expect_eq((uint32_t)lane(0, 4, 0), 0x7ffffffcu); /* ushl: logical */
}

Test(a64_simd_helpers, compares_give_all_ones)
{
    fill(1, 0, 1), fill(2, 5, 0);
    a64_h_3same.fn(&cpu, DNM(0, 1, 2) | A64V_Q(1) | A64V_U(1) | A64V_OPC(0x11), 0, 0); /* cmeq */
    for (unsigned i = 0; i < 16; i++)
        cr_expect_eq(cpu.v[0][i], i == 5 ? 0xff : 0);
    a64_h_2misc.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_Q(1) | A64V_OPC(0x09), 0, 0); /* cmeq #0 */
    cr_expect_eq(cpu.v[0][0], 0xff);
    cr_expect_eq(cpu.v[0][1], 0);
}

Test(a64_simd_helpers, narrowing_and_widening)
{
    for (unsigned i = 0; i < 8; i++)
        set_lane(1, 2, i, 0x1234 + i);
    fill(0, 0xee, 0);
    a64_h_2misc.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_Q(1) | A64V_OPC(0x12), 0, 0); /* xtn2 */
    cr_expect_eq(cpu.v[0][0], 0xee);
    cr_expect_eq(cpu.v[0][8], 0x34);
    cr_expect_eq(cpu.v[0][15], 0x3b);
    /* shrn v0.8b, v1.8h, #4: immh:immb = 16 - 4 */
    a64_h_shift.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_OPC(0x10), 12, 0);
    cr_expect_eq(cpu.v[0][0], 0x23);
    cr_expect_eq(lane(0, 8, 1), 0);
    /* ushll v0.8h, v1.8b, #0 (uxtl): immh:immb = 8 */
    fill(1, 0xf0, 1);
    a64_h_shift.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_U(1) | A64V_OPC(0x14), 8, 0);
    cr_expect_eq(lane(0, 2, 0), 0xf0);
    cr_expect_eq(lane(0, 2, 7), 0xf7);
    /* sshll2 v0.8h, v1.16b, #1 */
    a64_h_shift.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_Q(1) | A64V_OPC(0x14), 9, 0);
    cr_expect_eq(lane(0, 2, 0), (uint16_t)(-8 * 2)); /* 0xf8 */
}

Test(a64_simd_helpers, across_lanes)
{
    fill(1, 0xff, 0);
    fill(0, 0x55, 0);
    a64_h_across.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_Q(1) | A64V_U(1) | A64V_OPC(0x03), 0, 0);
    cr_expect_eq(lane(0, 8, 0), 16 * 255); /* uaddlv h0, v1.16b */
    cr_expect_eq(lane(0, 8, 1), 0);
    a64_h_across.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_Q(1) | A64V_OPC(0x0a), 0, 0);
    cr_expect_eq(lane(0, 8, 0), 0xff); /* smaxv of -1s: -1 */
    fill(1, 0, 1);
    a64_h_across.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_Q(1) | A64V_OPC(0x1b), 0, 0);
    cr_expect_eq(lane(0, 8, 0), 120); /* addv b0 */
}

Test(a64_simd_helpers, widening_multiply)
{
    fill(1, 200, 0), fill(2, 200, 0);
    a64_h_3diff.fn(&cpu, DNM(0, 1, 2) | A64V_U(1) | A64V_OPC(0x0c), 0, 0); /* umull .8h */
    cr_expect_eq(lane(0, 2, 3), 40000);
    a64_h_3diff.fn(&cpu, DNM(0, 1, 2) | A64V_OPC(0x0c), 0, 0); /* smull: -56 * -56 */
    cr_expect_eq(lane(0, 2, 3), 3136);
}

Test(a64_simd_helpers, permutes)
{
    fill(1, 0, 1), fill(2, 16, 1);
    a64_h_perm.fn(&cpu, DNM(0, 1, 2) | A64V_Q(1) | A64V_OPC(A64P_ZIP1), 0, 0);
    cr_expect_eq(cpu.v[0][0], 0);
    cr_expect_eq(cpu.v[0][1], 16);
    cr_expect_eq(cpu.v[0][15], 23);
    a64_h_perm.fn(&cpu, DNM(0, 1, 2) | A64V_Q(1) | A64V_OPC(A64P_UZP2), 0, 0);
    cr_expect_eq(cpu.v[0][0], 1);
    cr_expect_eq(cpu.v[0][15], 31);
    a64_h_perm.fn(&cpu, DNM(0, 1, 2) | A64V_SIZE(2) | A64V_Q(1) | A64V_OPC(A64P_TRN2), 0, 0);
    cr_expect_eq(lane(0, 4, 0), lane(1, 4, 1));
    cr_expect_eq(lane(0, 4, 1), lane(2, 4, 1));
    a64_h_perm.fn(&cpu, DNM(0, 1, 2) | A64V_Q(1) | A64V_OPC(A64P_EXT), 3, 0);
    cr_expect_eq(cpu.v[0][0], 3);
    cr_expect_eq(cpu.v[0][13], 16);
}

Test(a64_simd_helpers, table_lookups)
{
    fill(1, 0x40, 1), fill(2, 0x80, 1);
    for (unsigned i = 0; i < 16; i++)
        cpu.v[3][i] = (uint8_t)(i * 3);
    fill(0, 0xcc, 0);
    a64_h_perm.fn(&cpu, DNM(0, 1, 3) | A64V_Q(1) | A64V_OPC(A64P_TBX), 2, 0);
    cr_expect_eq(cpu.v[0][1], 0x43);
    cr_expect_eq(cpu.v[0][6], 0x82);   /* index 18: the second table register */
    cr_expect_eq(cpu.v[0][11], 0xcc);  /* index 33: out of range, tbx keeps */
    a64_h_perm.fn(&cpu, DNM(0, 1, 3) | A64V_Q(1) | A64V_OPC(A64P_TBL), 2, 0);
    cr_expect_eq(cpu.v[0][11], 0);     /* tbl zeroes */
}

Test(a64_simd_helpers, rev_and_cnt)
{
    fill(1, 0, 1);
    a64_h_2misc.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_SIZE(2) | A64V_Q(1), 0, 0); /* rev64 .4s */
    cr_expect_eq(lane(0, 4, 0), lane(1, 4, 1));
    cr_expect_eq(lane(0, 4, 3), lane(1, 4, 2));
    a64_h_2misc.fn(&cpu, A64V_D(0) | A64V_N(1) | A64V_Q(1) | A64V_OPC(0x05), 0, 0); /* cnt */
    cr_expect_eq(cpu.v[0][7], 3);
    cr_expect_eq(cpu.v[0][15], 4);
}

Test(a64_simd_helpers, structure_words_interleave)
{
    for (unsigned i = 0; i < 4; i++)
        set_lane(4, 4, i, i), set_lane(5, 4, i, 10 + i);
    /* st2 {v4.4s, v5.4s}: word 1 is element 1 of each */
    uint64_t d = A64V_D(4) | A64V_SIZE(2) | A64V_Q(1) | A64V_OPC(2);
    cr_expect_eq(a64_h_ldst.fn(&cpu, d, 0, 0), 10ull << 32);
    cr_expect_eq(a64_h_ldst.fn(&cpu, d, 1, 0), 1 | 11ull << 32);
    /* ld3 {v30.16b, v31.16b, v0.16b}: byte k of memory to register k % 3 */
    d = A64V_D(30) | A64V_Q(1) | A64V_U(1) | A64V_OPC(3);
    for (unsigned w = 0; w < 6; w++)
        a64_h_ldst.fn(&cpu, d, w, 0x0706050403020100ull + 0x0808080808080808ull * w);
    cr_expect_eq(cpu.v[30][0], 0);
    cr_expect_eq(cpu.v[31][0], 1);
    cr_expect_eq(cpu.v[0][0], 2);
    cr_expect_eq(cpu.v[30][15], 45);
    cr_expect_eq(cpu.v[0][15], 47);
}

/* half precision: results and the IR_FX_* flags in bits 63:56 */
static const struct {
    unsigned kind;
    uint64_t in, out;
    uint8_t fl;
} halves[] = {
    {A64H_H2S, 0x3c00, 0x3f800000, 0},
    {A64H_H2S, 0x0001, 0x33800000, 0},                  /* 2^-24 */
    {A64H_H2S, 0xfc00, 0xff800000, 0},
    {A64H_H2S, 0x7d01, 0x7fe02000, IR_FX_INVALID},      /* sNaN: quieted, payload kept */
    {A64H_S2H, 0x3f800000, 0x3c00, 0},
    {A64H_S2H, 0x477ff000, 0x7c00, IR_FX_OVERFLOW | IR_FX_INEXACT}, /* 65520 rounds up */
    {A64H_S2H, 0x477fe000, 0x7bff, 0},                  /* 65504 */
    {A64H_S2H, 0x33000000, 0x0000, IR_FX_UNDERFLOW | IR_FX_INEXACT}, /* 2^-25: tie to even */
    {A64H_S2H, 0x33400000, 0x0001, IR_FX_UNDERFLOW | IR_FX_INEXACT}, /* 1.5 * 2^-25 */
    {A64H_S2H, 0x3f800001, 0x3c00, IR_FX_INEXACT},
    {A64H_S2H, 0x387fe000, 0x0400, IR_FX_UNDERFLOW | IR_FX_INEXACT}, /* rounds up to the smallest normal */
    {A64H_D2H, 0xbff0000000000000ull, 0xbc00, 0},
    {A64H_D2H, 0x7ff0000000000001ull, 0x7e00, IR_FX_INVALID},
};

Test(a64_simd_helpers, half_precision)
{
    cpu.fpcr = 0;
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++) {
        uint64_t r = a64_h_f16.fn(&cpu, halves[i].kind, halves[i].in, 0);
        cr_expect_eq(r & 0xffffffffffffffull, halves[i].out, "row %zu: %#llx", i,
                     (unsigned long long)r);
        cr_expect_eq(r >> 56, halves[i].fl, "row %zu: flags %#llx", i,
                     (unsigned long long)(r >> 56));
    }
    cpu.fpcr = 3u << 22; /* RZ: 65520 goes to the largest finite */
    cr_expect_eq(a64_h_f16.fn(&cpu, A64H_S2H, 0x477ff000, 0) & 0xffff, 0x7bff);
}

/* ---- the cryptographic extension: the instructions' helper against
 * FIPS-197 (AES-128, appendix C.1), FIPS 180-4 (SHA-1 and SHA-256 of
 * "abc"), carry-less products worked by hand */

static void crypto(unsigned op, unsigned d, unsigned n, unsigned m)
{
    a64_h_crypto.fn(&cpu, DNM(d, n, m) | A64V_OPC(op), 0, 0);
}

static void set_bytes(unsigned r, const char *hex)
{
    for (int i = 0; i < 16; i++)
        sscanf(hex + 2 * i, "%2hhx", &cpu.v[r][i]);
}

static void set_words(unsigned r, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    uint32_t w[4] = {a, b, c, d};
    memcpy(cpu.v[r], w, 16);
}

static void xor_into(unsigned d, unsigned n)
{
    for (int i = 0; i < 16; i++)
        cpu.v[d][i] ^= cpu.v[n][i];
}

/* round keys 0..10 into v10..v20, as AES code does: SubWord through aese
 * with a zero key on a register holding the word four times (ShiftRows
 * then moves nothing) */
static void aes128_keys(const char *key)
{
    static const uint8_t rcon[10] = {1, 2, 4, 8, 16, 32, 64, 128, 0x1b, 0x36};
    uint32_t w[44];
    set_bytes(9, key);
    memcpy(w, cpu.v[9], 16);
    for (int i = 4; i < 44; i++) {
        uint32_t t = w[i - 1];
        if (i % 4 == 0) {
            set_words(8, t, t, t, t);
            memset(cpu.v[7], 0, 16);
            crypto(A64C_AESE, 8, 7, 0);
            memcpy(&t, cpu.v[8], 4);
            t = (t >> 8 | t << 24) ^ rcon[i / 4 - 1]; /* RotWord after SubWord: same bytes */
        }
        w[i] = w[i - 4] ^ t;
    }
    for (int r = 0; r <= 10; r++)
        memcpy(cpu.v[10 + r], w + 4 * r, 16);
}

Test(a64_crypto, aes128_fips197_c1)
{
    uint8_t want[16], plain[16];
    aes128_keys("000102030405060708090a0b0c0d0e0f");
    set_bytes(0, "00112233445566778899aabbccddeeff");
    memcpy(plain, cpu.v[0], 16);
    for (int r = 0; r < 9; r++) {
        crypto(A64C_AESE, 0, 10 + r, 0);
        crypto(A64C_AESMC, 0, 0, 0);
    }
    crypto(A64C_AESE, 0, 19, 0);
    xor_into(0, 20);
    set_bytes(1, "69c4e0d86a7b0430d8cdb78070b4c55a");
    memcpy(want, cpu.v[1], 16);
    cr_expect_arr_eq(cpu.v[0], want, 16, "AES-128 encryption");
    /* the equivalent inverse cipher: round keys 1..9 through aesimc */
    crypto(A64C_AESD, 0, 20, 0);
    crypto(A64C_AESIMC, 0, 0, 0);
    for (int r = 9; r >= 1; r--) {
        crypto(A64C_AESIMC, 1, 10 + r, 0);
        crypto(A64C_AESD, 0, 1, 0);
        if (r > 1)
            crypto(A64C_AESIMC, 0, 0, 0);
    }
    xor_into(0, 10);
    cr_expect_arr_eq(cpu.v[0], plain, 16, "AES-128 decryption");
}

/* one 64-byte block of "abc", padded, as big-endian words in v1..v4 */
static void abc_block(void)
{
    for (unsigned r = 1; r <= 4; r++)
        set_words(r, 0, 0, 0, 0);
    set_words(1, 0x61626380, 0, 0, 0);
    set_words(4, 0, 0, 0, 0x18);
}

Test(a64_crypto, sha256_of_abc)
{
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    abc_block();
    set_words(10, 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a); /* abcd */
    set_words(11, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19); /* efgh */
    memcpy(cpu.v[20], cpu.v[10], 32);
    for (int g = 0; g < 16; g++) {
        unsigned w = 1 + g % 4;
        uint32_t x[4];
        memcpy(x, cpu.v[w], 16);
        set_words(5, x[0] + k[4 * g], x[1] + k[4 * g + 1], x[2] + k[4 * g + 2], x[3] + k[4 * g + 3]);
        memcpy(cpu.v[6], cpu.v[10], 16);
        crypto(A64C_SHA256H, 10, 11, 5);
        crypto(A64C_SHA256H2, 11, 6, 5);
        if (g < 12) {
            crypto(A64C_SHA256SU0, w, 1 + (g + 1) % 4, 0);
            crypto(A64C_SHA256SU1, w, 1 + (g + 2) % 4, 1 + (g + 3) % 4);
        }
    }
    static const uint32_t want[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                     0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
    for (int i = 0; i < 8; i++) {
        uint32_t h, h0;
        memcpy(&h, cpu.v[10 + i / 4] + 4 * (i % 4), 4);
        memcpy(&h0, cpu.v[20 + i / 4] + 4 * (i % 4), 4);
        cr_expect_eq(h + h0, want[i], "H%d: %08x", i, h + h0);
    }
}

Test(a64_crypto, sha1_of_abc)
{
    static const uint32_t k[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};
    static const uint32_t h0[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    abc_block();
    set_words(10, h0[0], h0[1], h0[2], h0[3]);
    set_words(11, h0[4], 0, 0, 0);
    for (int g = 0; g < 20; g++) {
        unsigned w = 1 + g % 4, op = g < 5 ? A64C_SHA1C : g < 10 || g >= 15 ? A64C_SHA1P : A64C_SHA1M;
        uint32_t x[4], kk = k[g / 5];
        memcpy(x, cpu.v[w], 16);
        set_words(5, x[0] + kk, x[1] + kk, x[2] + kk, x[3] + kk);
        crypto(A64C_SHA1H, 12, 10, 0); /* the next group's e */
        crypto(op, 10, 11, 5);
        memcpy(cpu.v[11], cpu.v[12], 16);
        if (g < 16) {
            crypto(A64C_SHA1SU0, w, 1 + (g + 1) % 4, 1 + (g + 2) % 4);
            crypto(A64C_SHA1SU1, w, 1 + (g + 3) % 4, 0);
        }
    }
    static const uint32_t want[5] = {0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c, 0x9cd0d89d};
    for (int i = 0; i < 5; i++) {
        uint32_t h;
        memcpy(&h, i < 4 ? cpu.v[10] + 4 * i : cpu.v[11], 4);
        cr_expect_eq(h + h0[i], want[i], "H%d: %08x", i, h + h0[i]);
    }
}

/* pmull / pmull2 (3diff opcode 14): .8b x .8b -> .8h and .1d x .1d -> .1q */
Test(a64_crypto, carry_less_products)
{
    static const struct { uint64_t x, y, lo, hi; } d[] = {
        {3, 3, 5, 0},                                             /* (x+1)^2 = x^2+1 */
        {1ull << 63, 1ull << 63, 0, 1ull << 62},                  /* x^126 */
        {~0ull, ~0ull, 0x5555555555555555ull, 0x5555555555555555ull}, /* squares spread the bits */
        {0x87, 1ull << 60, 0x7000000000000000ull, 8},             /* x^7+x^2+x+1 times x^60 */
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        set_lane(1, 8, 1, d[i].x), set_lane(2, 8, 1, d[i].y);
        a64_h_3diff.fn(&cpu, DNM(0, 1, 2) | A64V_SIZE(3) | A64V_Q(1) | A64V_OPC(14), 0, 0);
        cr_expect(lane(0, 8, 0) == d[i].lo && lane(0, 8, 1) == d[i].hi, "pmull2 row %zu: %016llx:%016llx",
                  i, (unsigned long long)lane(0, 8, 1), (unsigned long long)lane(0, 8, 0));
    }
    set_lane(1, 8, 0, 0xff80000000000003ull), set_lane(2, 8, 0, 0xff80000000000003ull);
    a64_h_3diff.fn(&cpu, DNM(0, 1, 2) | A64V_OPC(14), 0, 0); /* pmull v0.8h, v1.8b, v2.8b */
    cr_expect_eq(lane(0, 2, 0), 5);
    cr_expect_eq(lane(0, 2, 6), 0x4000);
    cr_expect_eq(lane(0, 2, 7), 0x5555);
}

/* ---- estimates: worked through the Arm ARM's FPRecipEstimate,
 * FPRSqrtEstimate and FPRecpX pseudocode and its tables */
static const struct {
    unsigned kind, fpcr;
    uint64_t in, out;
    unsigned fl;
} ests[] = {
    {A64E_RECPE, 0, 0x3f800000, 0x3f7f8000, 0},                 /* 1.0 -> 511/512 */
    {A64E_RECPE, 0, 0x40000000, 0x3eff8000, 0},                 /* 2.0 */
    {A64E_RECPE, 0, 0x00000000, 0x7f800000, IR_FX_DIVZERO},
    {A64E_RECPE, 0, 0xff800000, 0x80000000, 0},
    {A64E_RECPE, 0, 0x00000001, 0x7f800000, IR_FX_OVERFLOW | IR_FX_INEXACT},
    {A64E_RECPE, 3u << 22, 0x00000001, 0x7f7fffff, IR_FX_OVERFLOW | IR_FX_INEXACT}, /* RZ */
    {A64E_RECPE, 1u << 24, 0x00400000, 0x7f800000, IR_FX_DIVZERO | IR_FX_INPUT_DENORMAL}, /* FZ */
    {A64E_RECPE, 1u << 24, 0x7f000000, 0x00000000, IR_FX_UNDERFLOW}, /* FZ: a denormal result */
    {A64E_RECPE, 0, 0x7f800001, 0x7fc00001, IR_FX_INVALID},
    {A64E_RECPE, 1u << 25, 0x7fc00001, 0x7fc00000, 0},          /* DN */
    {A64E_RECPE | A64E_DOUBLE, 0, 0x3ff0000000000000ull, 0x3feff00000000000ull, 0},
    {A64E_RSQRTE, 0, 0x3f800000, 0x3f7f8000, 0},                /* 1.0 */
    {A64E_RSQRTE, 0, 0x40000000, 0x3f348000, 0},                /* 2.0 -> 361/512 */
    {A64E_RSQRTE, 0, 0x40800000, 0x3eff8000, 0},                /* 4.0 */
    {A64E_RSQRTE, 0, 0xbf800000, 0x7fc00000, IR_FX_INVALID},
    {A64E_RSQRTE, 0, 0x80000000, 0xff800000, IR_FX_DIVZERO},
    {A64E_RSQRTE, 0, 0x7f800000, 0x00000000, 0},
    {A64E_RSQRTE | A64E_DOUBLE, 0, 0x4010000000000000ull, 0x3fdff00000000000ull, 0},
    {A64E_RECPX, 0, 0x3f800000, 0x40000000, 0},
    {A64E_RECPX, 0, 0x80000001, 0xff000000, 0},
    {A64E_RECPX, 0, 0xff800000, 0x80000000, 0},
    {A64E_URECPE, 0, 0x80000000, 0xff800000, 0},
    {A64E_URECPE, 0, 0x7fffffff, 0xffffffff, 0},
    {A64E_URSQRTE, 0, 0x40000000, 0xff800000, 0},
    {A64E_URSQRTE, 0, 0x3fffffff, 0xffffffff, 0},
};

Test(a64_crypto, reciprocal_estimates)
{
    for (size_t i = 0; i < sizeof ests / sizeof ests[0]; i++) {
        cpu.fpcr = ests[i].fpcr;
        uint64_t r = a64_h_fpest.fn(&cpu, ests[i].kind, ests[i].in, 0);
        uint64_t f = a64_h_fpest.fn(&cpu, ests[i].kind | A64E_FLAGS, ests[i].in, 0);
        cr_expect_eq(r, ests[i].out, "row %zu: %#llx", i, (unsigned long long)r);
        cr_expect_eq(f, ests[i].fl, "row %zu: flags %#llx", i, (unsigned long long)f);
    }
    cpu.fpcr = 0;
}
