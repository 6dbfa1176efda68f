/* riscv64 -> IR: the printed IR of a few instructions (words from
 * riscv64-linux-gnu-as), checked against the ISA manual's semantics, and
 * where blocks must end.  Every block must also pass ir_verify. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "frontend/frontend.h"

#define BASE 0x10000ull

/* Puts the words (2- or 4-byte, by their low bits) at BASE and translates
 * one block from there; returns its IR text (to free). */
static char *translate_words(const uint32_t *w, size_t n, ir_block **out)
{
    static char *map;
    if (!map) {
        map = mmap((void *)BASE, 0x2000, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        cr_assert(map == (char *)BASE, "cannot map the test page at 0x10000");
    }
    memset(map, 0, 0x2000);
    uint64_t pc = BASE;
    for (size_t i = 0; i < n; i++) {
        memcpy((void *)pc, &w[i], 4);
        pc += (w[i] & 3) == 3 ? 4 : 2;
    }
    ir_block *b = ir_block_new(BASE);
    frontend_riscv64.translate(b, BASE);
    char err[128];
    cr_assert(ir_verify(b, err, sizeof err), "ir_verify: %s", err);
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    ir_print(b, f, frontend_riscv64.ctx_name);
    fclose(f);
    if (out)
        *out = b;
    else
        ir_block_free(b);
    return text;
}

static const struct {
    const char *what;
    uint32_t words[4];
    const char *ir;
} rows[] = {
    {"addi a0, a0, 1; ecall: the syscall ends the block",
     {0x00150513, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a0]\n"
     "  v2 = const.i64 1\n"
     "  v3 = add.i64 v1, v2\n"
     "  ctx_store.i64 v3, [a0]\n"
     "---- 0x10004\n"
     "  syscall 0x10008\n"},
    {"c.addi a0, -32 is addi a0, a0, -32; c.j .+8",
     {0x1501, 0xa021},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a0]\n"
     "  v2 = const.i64 -32\n"
     "  v3 = add.i64 v1, v2\n"
     "  ctx_store.i64 v3, [a0]\n"
     "---- 0x10002\n"
     "  goto 0x1000a\n"},
    {"jalr ra, 8(ra): target from the old ra, bit 0 cleared",
     {0x008080e7},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [ra]\n"
     "  v2 = const.i64 8\n"
     "  v3 = add.i64 v1, v2\n"
     "  v4 = const.i64 -2\n"
     "  v5 = and.i64 v3, v4\n"
     "  v6 = const.i64 65540\n"
     "  ctx_store.i64 v6, [ra]\n"
     "  goto_ind v5\n"},
    {"div a0, a1, a2: x/0 is -1",
     {0x02c5c533, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a1]\n"
     "  v2 = ctx_load.i64 [a2]\n"
     "  v3 = divs.i64 v1, v2\n"
     "  v4 = const.i64 0\n"
     "  v5 = setcc.i64 eq v2, v4\n"
     "  v6 = const.i64 -1\n"
     "  v7 = select.i64 v5, v6, v3\n"
     "  ctx_store.i64 v7, [a0]\n"
     "---- 0x10004\n"
     "  syscall 0x10008\n"},
    {"divuw a0, a1, a2: 32-bit, x/0 all ones, sign-extended",
     {0x02c5d53b, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a1]\n"
     "  v2 = ctx_load.i64 [a2]\n"
     "  v3 = divu.i32 v1, v2\n"
     "  v4 = const.i32 0\n"
     "  v5 = setcc.i32 eq v2, v4\n"
     "  v6 = const.i32 -1\n"
     "  v7 = select.i32 v5, v6, v3\n"
     "  v8 = sext.i64 v7, 32\n"
     "  ctx_store.i64 v8, [a0]\n"
     "---- 0x10004\n"
     "  syscall 0x10008\n"},
    {"amoadd.w a0, a1, (a2): old value sign-extended",
     {0x00b6252f, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a2]\n"
     "  v2 = ctx_load.i64 [a1]\n"
     "  v3 = rmw.i32.u32 v1, v2, add\n"
     "  v4 = sext.i64 v3, 32\n"
     "  ctx_store.i64 v4, [a0]\n"
     "---- 0x10004\n"
     "  syscall 0x10008\n"},
    {"lr.d a0, (a1) records the reservation; ebreak traps",
     {0x1005b52f, 0x00100073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a1]\n"
     "  v2 = load.i64.u64 v1\n"
     "  ctx_store.i64 v1, [res_addr]\n"
     "  ctx_store.i64 v2, [res_val]\n"
     "  v5 = const.i64 8\n"
     "  ctx_store.i64 v5, [res_size]\n"
     "  ctx_store.i64 v2, [a0]\n"
     "---- 0x10004\n"
     "  trap breakpoint, 0x10004\n"},
    {"sc.w a0, a1, (a2): CAS only with a matching reservation; rd = 0 on success",
     {0x18b6252f, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a2]\n"
     "  v2 = ctx_load.i64 [a1]\n"
     "  v3 = ctx_load.i64 [res_addr]\n"
     "  v4 = ctx_load.i64 [res_size]\n"
     "  v5 = ctx_load.i64 [res_val]\n"
     "  v6 = setcc.i64 eq v1, v3\n"
     "  v7 = const.i64 4\n"
     "  v8 = setcc.i64 eq v4, v7\n"
     "  v9 = and.i64 v6, v8\n"
     "  v10 = select.i32 v9, v2, v5\n"
     "  v11 = cas.i32.u32 v1, v5, v10\n"
     "  v12 = setcc.i32 eq v11, v5\n"
     "  v13 = const.i64 0\n"
     "  v14 = select.i64 v12, v9, v13\n"
     "  v15 = const.i64 1\n"
     "  v16 = xor.i64 v14, v15\n"
     "  ctx_store.i64 v16, [a0]\n"
     "  v18 = const.i64 -1\n"
     "  ctx_store.i64 v18, [res_addr]\n"
     "---- 0x10004\n"
     "  syscall 0x10008\n"},
    {"lw a0, -4(sp); sd ra, 8(sp); bgeu a0, a1, .+64",
     {0xffc12503, 0x00113423, 0x04b57063},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [sp]\n"
     "  v2 = const.i64 -4\n"
     "  v3 = add.i64 v1, v2\n"
     "  v4 = load.i64.s32 v3\n"
     "  ctx_store.i64 v4, [a0]\n"
     "---- 0x10004\n"
     "  v7 = ctx_load.i64 [sp]\n"
     "  v8 = const.i64 8\n"
     "  v9 = add.i64 v7, v8\n"
     "  v10 = ctx_load.i64 [ra]\n"
     "  store.i64.u64 v9, v10\n"
     "---- 0x10008\n"
     "  v13 = ctx_load.i64 [a0]\n"
     "  v14 = ctx_load.i64 [a1]\n"
     "  branch.i64 geu v13, v14, 0x10048, 0x1000c\n"},
    {"csrr a0, fcsr is frm << 5 | fflags; csrw frm, a1 keeps 3 bits",
     {0x00302573, 0x00259073, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i32 [frm]\n"
     "  v2 = zext.i64 v1, 32\n"
     "  v3 = const.i64 5\n"
     "  v4 = shl.i64 v2, v3\n"
     "  v5 = ctx_load.i32 [fflags]\n"
     "  v6 = zext.i64 v5, 32\n"
     "  v7 = or.i64 v4, v6\n"
     "  ctx_store.i64 v7, [a0]\n"
     "---- 0x10004\n"
     "  v10 = ctx_load.i32 [frm]\n"
     "  v11 = zext.i64 v10, 32\n"
     "  v12 = ctx_load.i64 [a1]\n"
     "  v13 = const.i32 7\n"
     "  v14 = and.i32 v12, v13\n"
     "  ctx_store.i32 v14, [frm]\n"
     "---- 0x10008\n"
     "  syscall 0x1000c\n"},
    {"flw fa0, 4(a0) NaN-boxes; fmv.x.w a0, fa0 sign-extends",
     {0x00452507, 0xe0050553, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a0]\n"
     "  v2 = const.i64 4\n"
     "  v3 = add.i64 v1, v2\n"
     "  v4 = load.i64.u32 v3\n"
     "  v5 = const.i64 -4294967296\n"
     "  v6 = or.i64 v4, v5\n"
     "  ctx_store.i64 v6, [fa0]\n"
     "---- 0x10004\n"
     "  v9 = ctx_load.i64 [fa0]\n"
     "  v10 = sext.i64 v9, 32\n"
     "  ctx_store.i64 v10, [a0]\n"
     "---- 0x10008\n"
     "  syscall 0x1000c\n"},
    {"fence.i ends the block", {0x0000100f}, "---- 0x10000\n  goto 0x10004\n"},
    {"an unknown CSR (0x7c0) is illegal", {0x7c059573},
     "---- 0x10000\n  trap illegal, 0x10000\n"},
    {"fadd.d (FP arithmetic, not yet) is illegal", {0x02b57553},
     "---- 0x10000\n  trap illegal, 0x10000\n"},
    {"0x0000 is illegal", {0x0000}, "---- 0x10000\n  trap illegal, 0x10000\n"},
    {"an illegal word after an instruction ends the block before it",
     {0x00150513, 0x02b57553},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a0]\n"
     "  v2 = const.i64 1\n"
     "  v3 = add.i64 v1, v2\n"
     "  ctx_store.i64 v3, [a0]\n"
     "  goto 0x10004\n"},
};

Test(rv_translate, ir_text)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t n = 0;
        while (n < 4 && rows[i].words[n])
            n++;
        char *text = translate_words(rows[i].words, n ? n : 1, NULL);
        cr_expect_str_eq(text, rows[i].ir, "%s:\n%s", rows[i].what, text);
        free(text);
    }
}

Test(rv_translate, block_extent)
{
    ir_block *b;
    uint32_t w[] = {0x1501, 0x00150513, 0x00100073}; /* c.addi, addi, ebreak */
    free(translate_words(w, 3, &b));
    cr_expect_eq(b->n_guest, 3);
    cr_expect_eq(b->guest_end, BASE + 10);
    ir_block_free(b);

    uint32_t bad[] = {0x00150513, 0x0000};
    free(translate_words(bad, 2, &b));
    cr_expect_eq(b->n_guest, 1, "the illegal word is left for its own block");
    cr_expect_eq(b->guest_end, BASE + 4);
    ir_block_free(b);
}

Test(rv_translate, stops_at_max_insns)
{
    uint32_t w[FRONTEND_MAX_BLOCK_INSNS + 8];
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        w[i] = 0x00150513; /* addi a0, a0, 1 */
    ir_block *b;
    free(translate_words(w, sizeof w / sizeof w[0], &b));
    cr_expect_eq(b->n_guest, FRONTEND_MAX_BLOCK_INSNS);
    cr_expect_eq(b->guest_end, BASE + 4 * FRONTEND_MAX_BLOCK_INSNS);
    const ir_insn *last = &b->insns[b->n - 1];
    cr_expect_eq(last->op, IR_GOTO);
    cr_expect_eq((uint64_t)last->imm, BASE + 4 * FRONTEND_MAX_BLOCK_INSNS);
    ir_block_free(b);
}
