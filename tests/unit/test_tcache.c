/* Translation cache: the map from guest pc to block, flushes, and the
 * W^X rule (no mapping of the code buffer is writable and executable). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/tcache.h"

Test(tcache, maps_pcs_to_blocks_across_growth)
{
    tcache *tc = tcache_new(1 << 20);
    for (uint64_t i = 0; i < 100000; i++) {
        uint8_t *rw;
        uint64_t rx;
        if (tcache_reserve(tc, &rw, &rx) < 16)
            tcache_flush(tc);
        tcache_reserve(tc, &rw, &rx);
        rw[0] = 0xc3;
        /* up to two exits, each naming its block */
        tc_exit x[2] = {{(uint32_t)i, (uint32_t)i + 1}, {(uint32_t)i + 2, (uint32_t)i + 3}};
        tc_block nb = {.guest_pc = 0x10000 + 4 * i, .guest_lo = 0x10000 + 4 * i,
                       .guest_end = 0x10004 + 4 * i, .code = rx, .size = 1,
                       .n_exits = (uint8_t)(i % 3)};
        const tc_block *b = tcache_commit(tc, &nb, x);
        cr_assert_eq(b->guest_pc, 0x10000 + 4 * i);
        cr_assert_eq(*tcache_rw(tc, b->code), 0xc3, "RW and RX views show the same bytes");
    }
    for (uint64_t i = 99990; i < 100000; i++) {
        const tc_block *b = tcache_lookup(tc, 0x10000 + 4 * i);
        cr_assert(b && b->guest_end == 0x10004 + 4 * i && b->n_exits == i % 3);
        const tc_exit *x = tcache_exits(tc, b);
        for (uint32_t k = 0; k < b->n_exits; k++)
            cr_assert(x[k].jmp_off == i + 2 * k && x[k].stub_off == i + 2 * k + 1,
                      "block %lu's exit %u", (unsigned long)i, k);
    }
    cr_assert_lt(sizeof(tc_block), 64, "a block's record is small");
    cr_assert_null(tcache_lookup(tc, 0x10002));
    uint64_t gen = tcache_generation(tc);
    tcache_flush(tc);
    cr_assert_eq(tcache_generation(tc), gen + 1);
    cr_assert_null(tcache_lookup(tc, 0x10000 + 4 * 99999));
}

/* The map's slots keep a 32-bit tag of the pc: pcs that share one (here
 * 3,000 of them, their high and low words xored alike) are still told
 * apart, across the map's growth, and a pc with their tag that was never
 * committed is not found; a pc committed again names its newer block. */
Test(tcache, pcs_sharing_a_tag)
{
    tcache *tc = tcache_new(1 << 20);
    for (uint64_t k = 0; k < 3000; k++) {
        uint8_t *rw;
        uint64_t rx;
        tcache_reserve(tc, &rw, &rx);
        uint64_t pc = k << 32 | (0x4000 ^ k);
        tc_block nb = {.guest_pc = pc, .guest_lo = pc, .guest_end = pc + 4, .code = rx, .size = 16};
        tcache_commit(tc, &nb, NULL);
    }
    for (uint64_t k = 0; k < 3000; k++) {
        const tc_block *b = tcache_lookup(tc, k << 32 | (0x4000 ^ k));
        cr_assert(b && b->guest_pc == (k << 32 | (0x4000 ^ k)), "pc %lu", (unsigned long)k);
    }
    cr_assert_null(tcache_lookup(tc, (uint64_t)3000 << 32 | (0x4000 ^ 3000)), "same tag, never committed");
    uint8_t *rw;
    uint64_t rx;
    tcache_reserve(tc, &rw, &rx);
    tc_block again = {.guest_pc = 7ull << 32 | (0x4000 ^ 7), .guest_end = 1, .code = rx, .size = 16};
    tcache_commit(tc, &again, NULL);
    cr_assert_eq(tcache_lookup(tc, again.guest_pc)->code, rx, "the newer block");
}

Test(tcache, no_mapping_is_writable_and_executable)
{
    tcache_new(1 << 20);
    FILE *f = fopen("/proc/self/maps", "r");
    cr_assert(f);
    char line[512];
    int code_maps = 0;
    while (fgets(line, sizeof line, f)) {
        char perms[5];
        if (sscanf(line, "%*s %4s", perms) != 1)
            continue;
        cr_expect(!(perms[1] == 'w' && perms[2] == 'x'), "W+X mapping: %s", line);
        if (strstr(line, "ferry-code"))
            code_maps++;
    }
    fclose(f);
    cr_assert_eq(code_maps, 2, "the code buffer has a RW and a RX view");
}

/* A host pc inside a block names the guest instruction whose code holds
 * it (the last one starting at or before it); outside any block, none. */
Test(tcache, host_pc_to_guest_pc)
{
    tcache *tc = tcache_new(1 << 20);
    uint8_t *rw;
    uint64_t rx, blocks[50], pc;
    tcache_reserve(tc, &rw, &rx);
    tcache_commit_raw(tc, 64); /* trampolines: no block */
    for (int k = 0; k < 50; k++) {
        tcache_reserve(tc, &rw, &rx);
        /* 3 instructions at host offsets 0, 10, 10 (an empty one), 30; 40 bytes */
        tc_insn_pc pcs[4] = {{0, 0x1000 + 16 * k}, {10, 0x1004 + 16 * k},
                             {10, 0x1008 + 16 * k}, {30, 0x100c + 16 * k}};
        tc_block nb = {.guest_pc = 0x1000 + 16 * k, .guest_end = 0x1010 + 16 * k,
                       .code = rx, .size = 40};
        cr_assert_geq(tcache_reserve(tc, &rw, &rx), tcache_block_bytes(40, 4));
        tcache_commit_pcs(tc, &nb, NULL, pcs, 4);
        blocks[k] = rx;
    }
    cr_assert_not(tcache_guest_pc(tc, blocks[0] - 1, &pc, NULL), "the trampolines");
    for (int k = 0; k < 50; k++) {
        static const struct { int off; uint64_t insn; } probe[] = {
            {0, 0}, {9, 0}, {10, 8}, {29, 8}, {30, 12}, {39, 12}};
        for (size_t p = 0; p < sizeof probe / sizeof probe[0]; p++) {
            cr_assert(tcache_guest_pc(tc, blocks[k] + probe[p].off, &pc, NULL));
            cr_expect_eq(pc, 0x1000 + 16 * k + probe[p].insn);
        }
        cr_expect_not(tcache_guest_pc(tc, blocks[k] + 40, &pc, NULL), "the table is not code");
    }
    tcache_flush(tc);
    cr_expect_not(tcache_guest_pc(tc, blocks[3], &pc, NULL), "flushed");
}

/* A block committed with its table elsewhere (the cache file's, in the
 * layout TC_TABLE_HEAD describes) takes only its code's bytes of the
 * buffer, and host pcs in it find their instructions in that table. */
Test(tcache, a_table_outside_the_buffer)
{
    tcache *tc = tcache_new(1 << 20);
    uint8_t *rw;
    uint64_t rx, rx2, pc;
    uint8_t flags;
    tcache_reserve(tc, &rw, &rx);
    /* guest pc 0x3000, 3 entries, flags 1: offsets 0, 8, 20 -> +0, +4, -16 */
    static const struct { uint64_t pc; uint32_t n, flags; struct { uint32_t h; int32_t g; } e[3]; }
        table = {0x3000, 3, 1, {{0, 0}, {8, 4}, {20, -16}}};
    _Static_assert(sizeof table == TC_TABLE_HEAD + 3 * 8, "the layout");
    tc_block nb = {.guest_pc = 0x3000, .guest_lo = 0x2ff0, .guest_end = 0x3008,
                   .code = rx, .size = 40, .flags = 1};
    cr_assert_eq(tcache_commit_table(tc, &nb, NULL, &table)->code, rx);
    tcache_reserve(tc, &rw, &rx2);
    cr_expect_eq(rx2, rx + tcache_block_span(40, 3, false), "only the code's bytes");
    cr_expect_eq(tcache_block_span(40, 3, false), 48);
    static const struct { int off; uint64_t pc; } probe[] = {
        {0, 0x3000}, {7, 0x3000}, {8, 0x3004}, {19, 0x3004}, {20, 0x2ff0}, {39, 0x2ff0}};
    for (size_t p = 0; p < sizeof probe / sizeof probe[0]; p++) {
        cr_assert(tcache_guest_pc(tc, rx + probe[p].off, &pc, &flags));
        cr_expect_eq(pc, probe[p].pc, "offset %d: 0x%lx", probe[p].off, (unsigned long)pc);
        cr_expect_eq(flags, 1);
    }
    cr_expect_not(tcache_guest_pc(tc, rx + 40, &pc, NULL), "past its code");
    cr_expect_eq(tcache_lookup(tc, 0x3000)->size, 40);
}

/* A superblock that followed a jump backwards holds instructions below its
 * entry pc: their pcs come back exact, and an invalidation of only that
 * part of its range finds it. */
Test(tcache, superblock_below_its_entry)
{
    tcache *tc = tcache_new(1 << 20);
    uint8_t *rw;
    uint64_t rx, pc;
    tcache_reserve(tc, &rw, &rx);
    tc_insn_pc pcs[3] = {{0, 0x2100}, {12, 0x2000}, {20, 0x2004}};
    tc_block nb = {.guest_pc = 0x2100, .guest_lo = 0x2000, .guest_end = 0x2104,
                   .code = rx, .size = 30};
    tcache_commit_pcs(tc, &nb, NULL, pcs, 3);
    cr_assert(tcache_guest_pc(tc, rx + 14, &pc, NULL));
    cr_expect_eq(pc, 0x2000);
    cr_assert(tcache_guest_pc(tc, rx + 25, &pc, NULL));
    cr_expect_eq(pc, 0x2004);
    cr_expect(tcache_overlaps(tc, 0x2000, 0x2004));
    cr_expect_not(tcache_overlaps(tc, 0x2104, 0x3000));
}

/* Prefaulting makes the next code pages resident in both views at once,
 * clamped to the buffer, and the blocks then committed there are sound. */
Test(tcache, prefault_makes_the_next_pages_resident)
{
    tcache *tc = tcache_new(1 << 20);
    uint8_t *rw;
    uint64_t rx;
    tcache_reserve(tc, &rw, &rx);
    unsigned char in[16];
    cr_assert_eq(mincore((void *)((uintptr_t)rw & ~(uintptr_t)4095), sizeof in * 4096, in), 0);
    int before = 0;
    for (size_t i = 0; i < sizeof in; i++)
        before += in[i] & 1;
    cr_assert_lt(before, (int)sizeof in, "a fresh buffer is not resident yet");
    tcache_prefault(tc, 64 << 10, 100);
    for (int view = 0; view < 2; view++) {
        void *p = (void *)(((view ? (uintptr_t)rx : (uintptr_t)rw)) & ~(uintptr_t)4095);
        cr_assert_eq(mincore(p, sizeof in * 4096, in), 0);
        for (size_t i = 0; i < sizeof in; i++)
            cr_assert(in[i] & 1, "page %zu of view %d resident after the prefault", i, view);
    }
    tcache_prefault(tc, (size_t)1 << 40, (size_t)1 << 40); /* more than there is: clamped */
    rw[0] = 0xc3;
    tc_block nb = {.guest_pc = 0x1000, .guest_end = 0x1004, .code = rx, .size = 1};
    cr_assert_eq(tcache_commit(tc, &nb, NULL)->guest_pc, 0x1000);
    cr_assert_eq(tcache_lookup(tc, 0x1000)->code, rx);
}

static bool image_pc(void *arg, uint64_t off, uint64_t *guest_pc, uint8_t *flags)
{
    *guest_pc = 0x5000 + off;
    *flags = 1;
    return off < *(size_t *)arg;
}

/* A cache file's image mapped in the buffer (tcfile.h): its blocks are
 * adopted where they lie, new code goes past it, its guest pcs come from
 * the hook, a patch lands in it (its pages the file's: no RW view) while
 * the rest of the page stays, and after a flush the buffer starts again
 * past it. */
Test(tcache, an_image_in_the_buffer)
{
    tcache *tc = tcache_new(1 << 20);
    uint8_t *rw;
    uint64_t rx;
    tcache_reserve(tc, &rw, &rx);
    rw[0] = 0xc3;
    tcache_commit_raw(tc, 64); /* trampolines */
    size_t p = tcache_image_offset(tc), len = 5000;
    cr_assert_eq(p % 4096, 0);
    cr_assert_geq(p, 64);
    cr_assert(tcache_set_image(tc, len, image_pc, &len));
    FILE *file = tmpfile();
    uint8_t page[8192];
    memset(page, 0x90, sizeof page);
    fwrite(page, 1, sizeof page, file);
    fflush(file);
    void *at = (void *)(uintptr_t)(rx + p);
    cr_assert_eq(mmap(at, len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fileno(file), 0), at);
    tc_block ib = {.guest_pc = 0x5000, .guest_lo = 0x5000, .guest_end = 0x5010,
                   .code = rx + p + 16, .size = 32};
    const tc_block *b = tcache_adopt(tc, &ib, NULL);
    cr_assert_eq(tcache_lookup(tc, 0x5000), b);
    cr_assert(tcache_in_image(tc, rx + p + 4999) && !tcache_in_image(tc, rx + p + 5000));
    cr_assert(tcache_overlaps(tc, 0x5008, 0x5009));
    uint8_t *nrw;
    uint64_t nrx;
    tcache_reserve(tc, &nrw, &nrx);
    cr_assert_eq(nrx, rx + p + 8192, "new code goes past the image (page-aligned)");
    uint64_t pc;
    uint8_t flags;
    cr_assert(tcache_guest_pc(tc, rx + p + 20, &pc, &flags) && pc == 0x5000 + 20 && flags == 1);
    uint32_t v = 0x12345678;
    cr_assert(tcache_patch_image(tc, rx + p + 4094, &v, 4), "a patch across two pages");
    cr_assert_eq(memcmp((void *)(uintptr_t)(rx + p + 4094), &v, 4), 0);
    cr_assert_eq(*(uint8_t *)(uintptr_t)(rx + p + 4093), 0x90);
    cr_assert_eq(*(uint8_t *)(uintptr_t)(rx + p + 4098), 0x90);
    uint8_t back;
    cr_assert_eq(pread(fileno(file), &back, 1, 4094), 1);
    cr_assert_eq(back, 0x90, "the file is not written");
    tcache_flush(tc);
    cr_assert_not(tcache_in_image(tc, rx + p + 16));
    cr_assert_null(tcache_lookup(tc, 0x5000));
    tcache_reserve(tc, &nrw, &nrx);
    cr_assert_eq(nrx, rx + p + 8192, "after a flush the buffer starts past the image");
    fclose(file);
}
