/* aarch64 -> IR: the printed IR of representative instructions (words
 * from aarch64-linux-gnu-as), checked by hand against the Arm ARM's
 * pseudocode; every block passes ir_verify before and after the passes;
 * and every word of a static glibc hello world's .text either translates
 * or is FP/SIMD (another translator's), SVE or MTE (not offered). */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "frontend/frontend.h"
#include "ir/opt/opt.h"

#define BASE 0x10000ull

static char *map_base(void)
{
    static char *map;
    if (!map) {
        map = mmap((void *)BASE, 0x2000, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        cr_assert(map == (char *)BASE, "cannot map the test page at 0x10000");
    }
    return map;
}

static char *print_block(const ir_block *b)
{
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    ir_print(b, f, frontend_aarch64.ctx_name);
    fclose(f);
    return text;
}

/* Translates one block of the words at BASE; both texts are returned (to
 * free), before and after opt_run, each block having passed ir_verify. */
static void translate_words(const uint32_t *w, size_t n, char **before, char **after)
{
    char *map = map_base(), err[160];
    memset(map, 0, 0x2000);
    memcpy(map, w, 4 * n);
    ir_block *b = ir_block_new(BASE);
    b->no_side_exits = true; /* the golden text: a branch ends the block */
    frontend_aarch64.translate(b, BASE);
    cr_assert(ir_verify(b, err, sizeof err), "ir_verify: %s", err);
    *before = print_block(b);
    opt_run(b, NULL);
    cr_assert(ir_verify(b, err, sizeof err), "ir_verify after the passes: %s", err);
    *after = print_block(b);
    ir_block_free(b);
}

static const struct {
    const char *what;
    uint32_t words[8];
    const char *ir;
} rows[] = {
    {"cmp x0, #5; b.ne: flags saved in the CPU state, b.ne tests them",
     {0xf100141f, 0x54000101},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [x0]\n"
     "  v2 = const.i64 5\n"
     "  v3 = sub.i64 v1, v2\n"
     "  v4 = flags_sub.i64 v1, v2, 64\n"
     "  v5 = flags_save.i64 v4\n"
     "  ctx_store.i64 v5, [nzcv]\n"
     "---- 0x10004\n"
     "  v8 = ctx_load.i64 [nzcv]\n"
     "  v9 = flags_restore.i64 v8\n"
     "  v10 = flags_test.i64 ne v9\n"
     "  v11 = const.i64 0\n"
     "  branch.i64 ne v10, v11, 0x10024, 0x10008\n"},
    {"adds w1, w2, w3 (32-bit flags, W result zero-extended); csinc x4, x5, x6, eq; ldp x29, x30, [sp], #16 (post-index); ret",
     {0x2b030041, 0x9a8604a4, 0xa8c17bfd, 0xd65f03c0},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [x2]\n"
     "  v2 = ctx_load.i64 [x3]\n"
     "  v3 = add.i32 v1, v2\n"
     "  v4 = flags_add.i64 v1, v2, 32\n"
     "  v5 = flags_save.i64 v4\n"
     "  ctx_store.i64 v5, [nzcv]\n"
     "  v7 = zext.i64 v3, 32\n"
     "  ctx_store.i64 v7, [x1]\n"
     "---- 0x10004\n"
     "  v10 = ctx_load.i64 [x5]\n"
     "  v11 = ctx_load.i64 [x6]\n"
     "  v12 = const.i64 1\n"
     "  v13 = add.i64 v11, v12\n"
     "  v14 = ctx_load.i64 [nzcv]\n"
     "  v15 = flags_restore.i64 v14\n"
     "  v16 = flags_test.i64 eq v15\n"
     "  v17 = select.i64 v16, v10, v13\n"
     "  ctx_store.i64 v17, [x4]\n"
     "---- 0x10008\n"
     "  v20 = ctx_load.i64 [sp]\n"
     "  v21 = const.i64 16\n"
     "  v22 = add.i64 v20, v21\n"
     "  v23 = const.i64 8\n"
     "  v24 = add.i64 v20, v23\n"
     "  v25 = load.i64.u64 v20\n"
     "  v26 = load.i64.u64 v24\n"
     "  ctx_store.i64 v25, [x29]\n"
     "  ctx_store.i64 v26, [x30]\n"
     "  ctx_store.i64 v22, [sp]\n"
     "---- 0x1000c\n"
     "  v31 = ctx_load.i64 [x30]\n"
     "  goto_ind v31, return\n"},
    {"ldaxr w0, [x1] (monitor set); stlxr w2, w3, [x1] (CAS from the monitor value, w2 = 0 on success); ldclral x0, x1, [x2] (and not); mrs x0, tpidr_el0; svc #0",
     {0x885ffc20, 0x8802fc23, 0xf8e01041, 0xd53bd040, 0xd4000001},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [x1]\n"
     "  v2 = load.i64.u32 v1\n"
     "  ctx_store.i64 v1, [excl_addr]\n"
     "  ctx_store.i64 v2, [excl_val]\n"
     "  v5 = const.i64 4\n"
     "  ctx_store.i64 v5, [excl_size]\n"
     "  fence 1\n"
     "  ctx_store.i64 v2, [x0]\n"
     "---- 0x10004\n"
     "  v10 = ctx_load.i64 [x1]\n"
     "  fence 2\n"
     "  v12 = ctx_load.i64 [x3]\n"
     "  v13 = ctx_load.i64 [excl_addr]\n"
     "  v14 = ctx_load.i64 [excl_size]\n"
     "  v15 = ctx_load.i64 [excl_val]\n"
     "  v16 = setcc.i64 eq v10, v13\n"
     "  v17 = const.i64 4\n"
     "  v18 = setcc.i64 eq v14, v17\n"
     "  v19 = and.i64 v16, v18\n"
     "  v20 = select.i32 v19, v12, v15\n"
     "  v21 = cas.i32.u32 v10, v15, v20\n"
     "  v22 = setcc.i32 eq v21, v15\n"
     "  v23 = const.i64 0\n"
     "  v24 = select.i64 v22, v19, v23\n"
     "  v25 = const.i64 1\n"
     "  v26 = xor.i64 v24, v25\n"
     "  v27 = zext.i64 v26, 32\n"
     "  ctx_store.i64 v27, [x2]\n"
     "  v29 = const.i64 -1\n"
     "  ctx_store.i64 v29, [excl_addr]\n"
     "---- 0x10008\n"
     "  v32 = ctx_load.i64 [x2]\n"
     "  v33 = ctx_load.i64 [x0]\n"
     "  v34 = const.i64 -1\n"
     "  v35 = xor.i64 v33, v34\n"
     "  v36 = rmw.i64.u64 v32, v35, and\n"
     "  ctx_store.i64 v36, [x1]\n"
     "---- 0x1000c\n"
     "  v39 = ctx_load.i64 [tpidr_el0]\n"
     "  ctx_store.i64 v39, [x0]\n"
     "---- 0x10010\n"
     "  syscall 0x10014\n"},
    {"adc x0, x1, x2 (+C); ccmp w0, #1, #2, ge (nzcv 0010 when ge fails); bl (x30 = next)",
     {0x9a020020, 0x7a41a802, 0x94000040},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [x1]\n"
     "  v2 = ctx_load.i64 [x2]\n"
     "  v3 = ctx_load.i64 [nzcv]\n"
     "  v4 = flags_restore.i64 v3\n"
     "  v5 = flags_test.i64 geu v4\n"
     "  v6 = add.i64 v1, v2\n"
     "  v7 = add.i64 v6, v5\n"
     "  ctx_store.i64 v7, [x0]\n"
     "---- 0x10004\n"
     "  v10 = ctx_load.i64 [x0]\n"
     "  v11 = const.i32 1\n"
     "  v12 = ctx_load.i64 [nzcv]\n"
     "  v13 = flags_restore.i64 v12\n"
     "  v14 = flags_test.i64 ge v13\n"
     "  v15 = flags_sub.i64 v10, v11, 32\n"
     "  v16 = const.i64 536870912\n"
     "  v17 = flags_from_nzcv.i64 v16\n"
     "  v18 = select.i64 v14, v15, v17\n"
     "  v19 = flags_save.i64 v18\n"
     "  ctx_store.i64 v19, [nzcv]\n"
     "---- 0x10008\n"
     "  v22 = const.i64 65548\n"
     "  ctx_store.i64 v22, [x30]\n"
     "  goto 0x10108, call returns to 0x1000c\n"},
};

Test(a64_translate, golden_ir)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t n = 0;
        while (n < 8 && rows[i].words[n])
            n++;
        char *before, *after;
        translate_words(rows[i].words, n, &before, &after);
        cr_expect_str_eq(before, rows[i].ir, "%s", rows[i].what);
        free(before);
        free(after);
    }
}

/* The lead's fold rules turn cmp + b.cond of one block into a compare
 * and branch: no flag op is left. */
Test(a64_translate, cmp_branch_fuses)
{
    static const uint32_t w[] = {0xf100141f, 0x54000101}; /* cmp x0, #5; b.ne */
    char *before, *after;
    translate_words(w, 2, &before, &after);
    cr_expect(strstr(after, "branch.i64 ne v1, v2"), "%s", after);
    cr_expect(!strstr(after, "flags_test"), "%s", after);
    free(before);
    free(after);
}

/* Undecodable words: a trap of their own block at their pc; words before
 * them end their block with a goto to it. */
Test(a64_translate, illegal_traps_at_its_pc)
{
    static const uint32_t udf[] = {0x00000000};
    static const uint32_t after_add[] = {0x91000420, 0x00000000}; /* add; udf */
    char *before, *after;
    translate_words(udf, 1, &before, &after);
    cr_expect_str_eq(before, "---- 0x10000\n  trap illegal, 0x10000\n");
    free(before), free(after);
    translate_words(after_add, 2, &before, &after);
    cr_expect(strstr(before, "goto 0x10004\n"), "%s", before);
    free(before), free(after);
}

/* objdump's text of a word Ferry's base translator may leave alone:
 * FP/SIMD registers, SVE (z, p registers, cnt[bhwd], ptrue, while*) or MTE. */
static bool not_base(regex_t *re, const char *text)
{
    return regexec(re, text, 0, NULL, 0) == 0;
}

/* Every word of a static glibc hello world's .text (objdump -d) is
 * translated, each block verified; the words that become SIGILL must all
 * be FP/SIMD, SVE or MTE. */
Test(a64_translate, glibc_hello_text, .timeout = 300)
{
    char dir[] = "/tmp/ferry-a64-XXXXXX", cmd[512], line[512];
    if (system("command -v aarch64-linux-gnu-gcc >/dev/null 2>&1") != 0)
        cr_skip_test("no aarch64-linux-gnu-gcc");
    cr_assert(mkdtemp(dir));
    snprintf(cmd, sizeof cmd,
             "printf '#include <stdio.h>\\nint main(void){puts(\"hi\");return 0;}\\n' > %s/h.c"
             " && aarch64-linux-gnu-gcc -O2 -static -o %s/h %s/h.c"
             " && aarch64-linux-gnu-objdump -d --section=.text %s/h > %s/h.dis",
             dir, dir, dir, dir, dir);
    cr_assert(system(cmd) == 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s/h.dis", dir);
    FILE *f = fopen(cmd, "r");
    cr_assert(f);
    regex_t re;
    cr_assert(regcomp(&re,
                      "[[:space:],{[](([vqdshbz][0-9]+)|(p[0-9]+[./])|(p[0-9]+$))|"
                      "^(cnt[bhwd]|ptrue|while[a-z]+|irg|gmi|ldg|stz?2?g|dc[[:space:]]+g[a-z]+)",
                      REG_EXTENDED) == 0);
    char *map = map_base(), err[160];
    ir_block *b = ir_block_new(BASE);
    unsigned words = 0, illegal = 0, wrong = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long addr;
        unsigned w;
        int off = 0;
        if (sscanf(line, " %lx: %8x %n", &addr, &w, &off) != 2 || off == 0)
            continue;
        char *text = line + off;
        text[strcspn(text, "\n")] = 0;
        for (char *t = text; *t; t++)
            if (*t == '\t')
                *t = ' ';
        memcpy(map, &w, 4);
        memset(map + 4, 0, 4);
        frontend_aarch64.translate(b, BASE);
        words++;
        if (!ir_verify(b, err, sizeof err)) {
            cr_expect(false, "%08x %s: %s", w, text, err);
            continue;
        }
        opt_run(b, NULL);
        cr_expect(ir_verify(b, err, sizeof err), "%08x %s after the passes: %s", w, text, err);
        const ir_insn *last = &b->insns[b->n - 1];
        if (last->op == IR_TRAP && last->imm == IR_TRAP_ILLEGAL && last->imm2 == (int64_t)BASE) {
            illegal++;
            if (!not_base(&re, text) && strncmp(text, "udf", 3) && strncmp(text, ".inst", 5)) {
                wrong++;
                cr_expect(false, "%08x %s: a base instruction left illegal", w, text);
            }
        }
    }
    fclose(f);
    regfree(&re);
    ir_block_free(b);
    cr_log_info("%u words, %u illegal (FP/SIMD/SVE/MTE), %u base words wrong", words, illegal,
                wrong);
    cr_expect(words > 10000, "only %u words read", words);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect(system(cmd) == 0);
}
