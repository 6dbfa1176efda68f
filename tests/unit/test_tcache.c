/* Translation cache: the map from guest pc to block, flushes, and the
 * W^X rule (no mapping of the code buffer is writable and executable). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

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
        tc_block nb = {.guest_pc = 0x10000 + 4 * i, .guest_end = 0x10004 + 4 * i,
                       .guest_hash = i, .code = rx, .size = 1};
        const tc_block *b = tcache_commit(tc, &nb);
        cr_assert_eq(b->guest_pc, 0x10000 + 4 * i);
        cr_assert_eq(*tcache_rw(tc, b->code), 0xc3, "RW and RX views show the same bytes");
    }
    const tc_block *b = tcache_lookup(tc, 0x10000 + 4 * 99999);
    cr_assert(b && b->guest_hash == 99999);
    cr_assert_null(tcache_lookup(tc, 0x10002));
    uint64_t gen = tcache_generation(tc);
    tcache_flush(tc);
    cr_assert_eq(tcache_generation(tc), gen + 1);
    cr_assert_null(tcache_lookup(tc, 0x10000 + 4 * 99999));
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
