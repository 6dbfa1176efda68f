/* riscv64 -> IR: the printed IR of a few instructions (words from
 * riscv64-linux-gnu-as), checked against the ISA manual's semantics, and
 * where blocks must end.  Every block must also pass ir_verify. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "frontend/frontend.h"
#include "ir/opt/opt.h"

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
    b->no_side_exits = true; /* the golden text: a branch ends the block */
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
     "  goto_ind v5, call returns to 0x10004\n"},
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
     "  v5 = fp_flags_get.i64\n"
     "  v6 = or.i64 v4, v5\n"
     "  ctx_store.i64 v6, [a0]\n"
     "---- 0x10004\n"
     "  v9 = ctx_load.i32 [frm]\n"
     "  v10 = zext.i64 v9, 32\n"
     "  v11 = ctx_load.i64 [a1]\n"
     "  v12 = const.i64 7\n"
     "  v13 = and.i64 v11, v12\n"
     "  v14 = zext.i32 v13, 32\n"
     "  ctx_store.i32 v14, [frm]\n"
     "  v16 = const.i64 5\n"
     "  v17 = setcc.i64 ltu v13, v16\n"
     "  v18 = const.i64 1\n"
     "  v19 = add.i64 v13, v18\n"
     "  v20 = const.i64 1\n"
     "  v21 = select.i64 v17, v19, v20\n"
     "  fp_rm_set v21\n"
     "  v23 = const.i64 5\n"
     "  branch.i64 geu v13, v23, 0x10009, 0x10008\n"},
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
    {"fence.i ends the block, dropping translations", {0x0000100f},
     "---- 0x10000\n  icache_sync 0x10004\n"},
    {"an unknown CSR (0x7c0) is illegal", {0x7c059573},
     "---- 0x10000\n  trap illegal, 0x10000\n"},
    {"fadd.d with rm 5 (reserved) is illegal", {0x02b5d553},
     "---- 0x10000\n  trap illegal, 0x10000\n"},
    {"fadd.s fa0, fa1, fa2 (dyn): singles unboxed (canonical NaN if not boxed), NaN results canonical, result boxed",
     {0x00c5f553, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [fa1]\n"
     "  v2 = const.i64 -4294967296\n"
     "  v3 = setcc.i64 geu v1, v2\n"
     "  v4 = const.i64 -2151677952\n"
     "  v5 = select.i64 v3, v1, v4\n"
     "  v6 = zext.i32 v5, 32\n"
     "  v7 = bitcast.f32 v6\n"
     "  v8 = ctx_load.i64 [fa2]\n"
     "  v9 = const.i64 -4294967296\n"
     "  v10 = setcc.i64 geu v8, v9\n"
     "  v11 = const.i64 -2151677952\n"
     "  v12 = select.i64 v10, v8, v11\n"
     "  v13 = zext.i32 v12, 32\n"
     "  v14 = bitcast.f32 v13\n"
     "  v15 = fadd.f32.canon v7, v14\n"
     "  v16 = bitcast.i32 v15\n"
     "  v17 = zext.i64 v16, 32\n"
     "  v18 = const.i64 -4294967296\n"
     "  v19 = or.i64 v17, v18\n"
     "  ctx_store.i64 v19, [fa0]\n"
     "---- 0x10004\n"
     "  syscall 0x10008\n"},
    {"fsgnjn.d fa0, fa1, fa2: bit operations on the raw doubles",
     {0x22c59553, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [fa1]\n"
     "  v2 = ctx_load.i64 [fa2]\n"
     "  v3 = const.i64 -9223372036854775808\n"
     "  v4 = xor.i64 v2, v3\n"
     "  v5 = const.i64 9223372036854775807\n"
     "  v6 = and.i64 v1, v5\n"
     "  v7 = const.i64 -9223372036854775808\n"
     "  v8 = and.i64 v4, v7\n"
     "  v9 = or.i64 v6, v8\n"
     "  ctx_store.i64 v9, [fa0]\n"
     "---- 0x10004\n"
     "  syscall 0x10008\n"},
    {"fcvt.w.d a0, fa1, rtz: signed, saturating i32, sign-extended",
     {0xc2059553, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.f64 [fa1]\n"
     "  v2 = fcvt_fi.i32.rtz.signed v1\n"
     "  v3 = sext.i64 v2, 32\n"
     "  ctx_store.i64 v3, [a0]\n"
     "---- 0x10004\n"
     "  syscall 0x10008\n"},
    {"fmadd.s fa0, fa1, fa2, fa3, rdn / fnmsub.d: FMA with FNEG of the product",
     {0x68c5a543, 0x6ac5f54b, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [fa1]\n"
     "  v2 = const.i64 -4294967296\n"
     "  v3 = setcc.i64 geu v1, v2\n"
     "  v4 = const.i64 -2151677952\n"
     "  v5 = select.i64 v3, v1, v4\n"
     "  v6 = zext.i32 v5, 32\n"
     "  v7 = bitcast.f32 v6\n"
     "  v8 = ctx_load.i64 [fa2]\n"
     "  v9 = const.i64 -4294967296\n"
     "  v10 = setcc.i64 geu v8, v9\n"
     "  v11 = const.i64 -2151677952\n"
     "  v12 = select.i64 v10, v8, v11\n"
     "  v13 = zext.i32 v12, 32\n"
     "  v14 = bitcast.f32 v13\n"
     "  v15 = ctx_load.i64 [fa3]\n"
     "  v16 = const.i64 -4294967296\n"
     "  v17 = setcc.i64 geu v15, v16\n"
     "  v18 = const.i64 -2151677952\n"
     "  v19 = select.i64 v17, v15, v18\n"
     "  v20 = zext.i32 v19, 32\n"
     "  v21 = bitcast.f32 v20\n"
     "  v22 = fma.f32.rdn.canon v7, v14, v21\n"
     "  v23 = bitcast.i32 v22\n"
     "  v24 = zext.i64 v23, 32\n"
     "  v25 = const.i64 -4294967296\n"
     "  v26 = or.i64 v24, v25\n"
     "  ctx_store.i64 v26, [fa0]\n"
     "---- 0x10004\n"
     "  v29 = ctx_load.f64 [fa1]\n"
     "  v30 = ctx_load.f64 [fa2]\n"
     "  v31 = ctx_load.f64 [fa3]\n"
     "  v32 = fneg.f64 v29\n"
     "  v33 = fma.f64.canon v32, v30, v31\n"
     "  ctx_store.f64 v33, [fa0]\n"
     "---- 0x10008\n"
     "  syscall 0x1000c\n"},
    {"cpopw a0, a1; max a0, a1, a2: POPCNT.i32 and a select",
     {0x6025951b, 0x0ac5e533, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a1]\n"
     "  v2 = popcnt.i32 v1\n"
     "  v3 = sext.i64 v2, 32\n"
     "  ctx_store.i64 v3, [a0]\n"
     "---- 0x10004\n"
     "  v6 = ctx_load.i64 [a1]\n"
     "  v7 = ctx_load.i64 [a2]\n"
     "  v8 = setcc.i64 gt v6, v7\n"
     "  v9 = select.i64 v8, v6, v7\n"
     "  ctx_store.i64 v9, [a0]\n"
     "---- 0x10008\n"
     "  syscall 0x1000c\n"},
    {"czero.nez a0, a1, a2; sh2add.uw a0, a1, a2",
     {0x0ec5f533, 0x20c5c53b, 0x00000073},
     "---- 0x10000\n"
     "  v1 = ctx_load.i64 [a1]\n"
     "  v2 = ctx_load.i64 [a2]\n"
     "  v3 = const.i64 0\n"
     "  v4 = select.i64 v2, v3, v1\n"
     "  ctx_store.i64 v4, [a0]\n"
     "---- 0x10004\n"
     "  v7 = ctx_load.i64 [a1]\n"
     "  v8 = ctx_load.i64 [a2]\n"
     "  v9 = zext.i64 v7, 32\n"
     "  v10 = const.i64 2\n"
     "  v11 = shl.i64 v9, v10\n"
     "  v12 = add.i64 v11, v8\n"
     "  ctx_store.i64 v12, [a0]\n"
     "---- 0x10008\n"
     "  syscall 0x1000c\n"},
    {"0x0000 is illegal", {0x0000}, "---- 0x10000\n  trap illegal, 0x10000\n"},
    {"an illegal word after an instruction ends the block before it",
     {0x00150513, 0x02b5d553},
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

/* An invalid frm (5-7) makes the next dyn-rm F/D instruction illegal.
 * The first odd pc a csrw frm leads to switches the frontend to checking
 * dyn-rm instructions and drops all translations; after that an odd pc is
 * SIGILL at the even pc below it (rv_trans_fp.c.inc).  Criterion runs
 * each Test in its own process, so the switch stays in this one. */
Test(rv_translate, invalid_frm_check)
{
    ir_block *b = ir_block_new(BASE + 5);
    frontend_riscv64.translate(b, BASE + 5);
    cr_expect_eq(b->insns[b->n - 1].op, IR_ICACHE_SYNC);
    cr_expect_eq(b->insns[b->n - 1].imm, BASE + 4);
    frontend_riscv64.translate(b, BASE + 5);
    cr_expect_eq(b->insns[b->n - 1].op, IR_TRAP);
    cr_expect_eq(b->insns[b->n - 1].imm, IR_TRAP_ILLEGAL);
    cr_expect_eq(b->insns[b->n - 1].imm2, BASE + 4);
    ir_block_free(b);

    /* fsqrt.d fa0, fa1 (dyn); then a write of frm no longer ends a block */
    uint32_t w[] = {0x5a05f553, 0x00259073, 0x00000073};
    char *text = translate_words(w, 1, NULL);
    cr_expect_str_eq(text,
                     "---- 0x10000\n"
                     "  v1 = ctx_load.i32 [frm]\n"
                     "  v2 = zext.i64 v1, 32\n"
                     "  v3 = const.i64 5\n"
                     "  v4 = setcc.i64 ltu v2, v3\n"
                     "  v5 = fp_flags_get.i64\n"
                     "  v6 = ctx_load.f64 [fa1]\n"
                     "  v7 = fsqrt.f64.canon v6\n"
                     "  v8 = bitcast.i64 v7\n"
                     "  v9 = ctx_load.i64 [fa0]\n"
                     "  v10 = select.i64 v4, v8, v9\n"
                     "  ctx_store.i64 v10, [fa0]\n"
                     "  v12 = fp_flags_get.i64\n"
                     "  v13 = select.i64 v4, v12, v5\n"
                     "  fp_flags_set v13\n"
                     "  v15 = const.i64 0\n"
                     "  branch.i64 ne v4, v15, 0x10004, 0x10001\n", "%s", text);
    free(text);
    text = translate_words(w + 1, 2, NULL);
    cr_expect(strstr(text, "syscall 0x10008"), "%s", text);
    free(text);
}

/* Every F/D, Zba, Zbb, Zbs and Zicond word of test_rv_decode.c's table
 * translates (no trap), and its IR verifies before and after the passes,
 * both without and with the frm check. */
static const uint32_t ext_words[] = {
    0x00c5f553, 0x00c58553, 0x00c59553, 0x00c5a553, 0x00c5b553, 0x00c5c553,
    0x0820f053, 0x1124f453, 0x19df7fd3, 0x5805f553, 0x02c5f553, 0x0ac59553,
    0x12c5f553, 0x1ac5f553, 0x5a05b553, 0x68c5f543, 0x68c5f547, 0x68c5f54b,
    0x68c5a54f, 0x6ac5f543, 0x6ac5c547, 0x6ac5f54b, 0x6ac5f54f, 0x28c58553,
    0x28c59553, 0x2ac58553, 0x2ac59553, 0xa0c5a553, 0xa0c59553, 0xa0c58553,
    0xa2c5a553, 0xa2c59553, 0xa2c58553, 0xe0059553, 0xe2059553, 0xc005f553,
    0xc0159553, 0xc025f553, 0xc035f553, 0xc2059553, 0xc215f553, 0xc225f553,
    0xc235f553, 0xd005f553, 0xd015f553, 0xd025f553, 0xd035f553, 0xd2058553,
    0xd2158553, 0xd225f553, 0xd2358553, 0x4015f553, 0x42058553, 0x08c5853b,
    0x20c5a533, 0x20c5c533, 0x20c5e533, 0x20c5a53b, 0x20c5c53b, 0x20c5e53b,
    0x0bf5951b, 0x0855951b, 0x40c5f533, 0x40c5e533, 0x40c5c533, 0x60059513,
    0x60159513, 0x60259513, 0x6005951b, 0x6015951b, 0x6025951b, 0x0ac5e533,
    0x0ac5f533, 0x0ac5c533, 0x0ac5d533, 0x60459513, 0x60559513, 0x0805c53b,
    0x60c59533, 0x60c5d533, 0x63f5d513, 0x6015d513, 0x60c5953b, 0x60c5d53b,
    0x61f5d51b, 0x2875d513, 0x6b85d513, 0x48c59533, 0x48c5d533, 0x68c59533,
    0x28c59533, 0x4bf59513, 0x4855d513, 0x6a059513, 0x28059513, 0x0ec5d533,
    0x0ec5f533,
};

static void translate_all_ext(void)
{
    for (size_t i = 0; i < sizeof ext_words / sizeof ext_words[0]; i++) {
        ir_block *b;
        uint32_t w[2] = {ext_words[i], 0x00000073};
        free(translate_words(w, 2, &b));
        cr_expect_neq(b->insns[b->n - 1].op, IR_TRAP, "%08x traps", ext_words[i]);
        opt_run(b, NULL);
        char err[128];
        cr_expect(ir_verify(b, err, sizeof err), "%08x after the passes: %s", ext_words[i], err);
        ir_block_free(b);
    }
}

Test(rv_translate, extensions_verify) { translate_all_ext(); }

Test(rv_translate, extensions_verify_with_frm_check)
{
    ir_block *b = ir_block_new(BASE + 1);
    frontend_riscv64.translate(b, BASE + 1); /* switches the check on */
    ir_block_free(b);
    translate_all_ext();
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

/* Superblocks: a direct jump within the page is followed (the bytes it
 * skips are not translated), a jump back into the block stays a goto (a
 * loop chained to itself), and [guest_lo, guest_end) covers what was
 * translated. */
Test(rv_translate, follows_jumps_within_the_page)
{
    /* 0: addi a0,a0,1; j 0xc; ecall; 0xc: addi a0,a0,2; j 0 */
    static const uint32_t w[] = { 0x00150513, 0x0080006f, 0x00000073, 0x00250513, 0xff1ff06f };
    ir_block *b;
    char *text = translate_words(w, 5, &b);
    cr_assert(strstr(text, "---- 0x1000c\n"), "%s", text);
    cr_assert(!strstr(text, "0x10008"), "the skipped ecall was translated:\n%s", text);
    cr_assert(!strstr(text, "syscall"), "%s", text);
    const char *tail = text + strlen(text) - strlen("  goto 0x10000\n");
    cr_assert_str_eq(tail, "  goto 0x10000\n", "%s", text);
    cr_assert_eq(b->n_guest, 4);
    cr_assert_eq(b->guest_lo, BASE);
    cr_assert_eq(b->guest_end, BASE + 0x14);
    ir_block_free(b);
    free(text);
}

Test(rv_translate, jumps_leaving_the_page_end_the_block)
{
    /* addi a0,a0,1; j .+4096 */
    static const uint32_t w[] = { 0x00150513, 0x0000106f };
    char *text = translate_words(w, 2, NULL);
    const char *tail = text + strlen(text) - strlen("  goto 0x11004\n");
    cr_assert_str_eq(tail, "  goto 0x11004\n", "%s", text);
    free(text);
}
