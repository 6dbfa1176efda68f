/* The persistent cache's file (backend/tcfile.c): blocks saved by one run
 * are found by the next with every field as saved; a file of another key,
 * a damaged record or a damaged index finds nothing; saving merges with
 * what is on disk, a pc saved again replacing its old record; a block's
 * outside addresses move with it (x86_relocs_out/in); a directory over
 * its size loses its least recently used files. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "backend/tcfile.h"
#include "backend/x86_64/x86.h"

static char dir[64], path[128];

static void setup(void)
{
    strcpy(dir, "/tmp/tcfile-test.XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sub/prog.tc", dir);
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Byte i of the made-up code of the block at pc: each from pc, but the
 * HOST64 field at 50, an offset into Ferry's image (small). */
static uint8_t code_byte(uint64_t pc, uint32_t i)
{
    return i >= 50 && i < 58 ? (i == 50 ? (uint8_t)(0x40 + (pc & 0x3f)) : 0) : (uint8_t)(pc + i);
}

/* A made-up block at pc: size bytes of code (code_byte), two exits (to
 * pc + 12 and pc - 64), three instructions, one relocation of each kind. */
static void add_block(tcfile *f, uint64_t pc, uint32_t size)
{
    uint8_t code[256];
    for (uint32_t i = 0; i < size; i++)
        code[i] = code_byte(pc, i);
    tc_block tb = {.guest_pc = pc, .guest_lo = pc, .guest_end = pc + 12,
                   .size = size, .n_exits = 2, .flags = 1, .entry_skip = 4};
    tc_exit exits[2] = {{8, 13}, {20, 25}};
    tc_insn_pc pcs[3] = {{0, pc}, {10, pc + 4}, {30, pc + 8}};
    uint32_t relocs[2] = {X86_RELOC(X86_RELOC_LEAVE32, 40), X86_RELOC(X86_RELOC_HOST64, 50)};
    uint64_t to[2] = {pc + 12, pc - 64};
    tcfile_add(f, &(tcfile_new){.tb = &tb, .guest_hash = pc * 7, .exits = exits, .exit_pc = to,
                                .code = code, .pcs = pcs, .n_pcs = 3, .relocs = relocs,
                                .n_relocs = 2});
}

static void check_block(tcfile *f, uint64_t pc, uint32_t size)
{
    tcfile_block b;
    cr_assert(tcfile_find(f, pc, &b), "block 0x%lx is in the file", (unsigned long)pc);
    cr_assert_eq(b.tb.guest_pc, pc);
    cr_assert_eq(b.tb.guest_end, pc + 12);
    cr_assert_eq(b.guest_hash, pc * 7);
    cr_assert_eq(b.tb.size, size);
    cr_assert_eq(b.tb.n_exits, 2);
    cr_assert_eq(b.exit_pc[0], pc + 12);
    cr_assert_eq(b.exit_pc[1], pc - 64);
    /* the pc of the instruction each exit leaves from: the one whose host
     * code holds the exit's jmp */
    cr_assert_eq(b.exit_from[0], pc, "exit at host offset 8: the first instruction's");
    cr_assert_eq(b.exit_from[1], pc + 4, "exit at host offset 20: the second's");
    cr_assert_eq(b.tb.flags, 1);
    cr_assert_eq(b.tb.entry_skip, 4);
    cr_assert_eq(b.exits[1].jmp_off, 20);
    cr_assert_eq(b.exits[1].stub_off, 25);
    for (uint32_t i = 0; i < size; i++)
        cr_assert_eq(b.code[i], code_byte(pc, i));
    cr_assert_eq(b.n_pcs, 3);
    cr_assert_eq(b.pcs[2], 10);
    cr_assert_eq(b.pcs[3], 4);
    cr_assert_eq(b.n_relocs, 2);
    cr_assert_eq(b.relocs[1], X86_RELOC(X86_RELOC_HOST64, 50));
}

TestSuite(tcfile, .init = setup, .fini = teardown);

Test(tcfile, saved_blocks_are_found_by_the_next_run)
{
    tcfile *f = tcfile_open(path, 42);
    tcfile_block b;
    cr_assert_not(tcfile_find(f, 0x1000, &b), "no file yet");
    for (uint64_t pc = 0x1000; pc < 0x1000 + 100 * 16; pc += 16)
        add_block(f, pc, 64 + (uint32_t)(pc % 100));
    cr_assert_eq(tcfile_added(f), 100);
    cr_assert(tcfile_save(f));
    cr_assert_eq(tcfile_added(f), 0);
    tcfile_close(f);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);

    f = tcfile_open(path, 42);
    size_t want = 0, bytes;
    uint64_t n;
    for (uint64_t pc = 0x1000; pc < 0x1000 + 100 * 16; pc += 16) {
        check_block(f, pc, 64 + (uint32_t)(pc % 100));
        want += tcache_block_span(64 + pc % 100, 3, false);
    }
    cr_assert_not(tcfile_find(f, 0x1008, &b));
    tcfile_extent(f, &n, &bytes);
    cr_assert_eq(n, 100);
    cr_assert_eq(bytes, want, "the blocks' code buffer bytes: %zu, not %zu", bytes, want);
    tcfile_close(f);

    f = tcfile_open(path, 43);
    cr_assert_not(tcfile_find(f, 0x1000, &b), "another key: nothing");
    tcfile_extent(f, &n, &bytes);
    cr_assert(n == 0 && bytes == 0);
    tcfile_close(f);
}

/* The file's map from pc to record (open addressing): every block of
 * thousands, at the pcs a real program has (4 bytes apart, then far
 * away), is found, and no pc between them. */
Test(tcfile, many_blocks_are_found_and_no_other_pc)
{
    tcfile *f = tcfile_open(path, 5);
    for (uint64_t k = 0; k < 3000; k++)
        add_block(f, (k < 2000 ? 0x400000 + 4 * k : 0x7f0000000000 + 64 * k), 64);
    cr_assert(tcfile_save(f));
    tcfile_close(f);
    f = tcfile_open(path, 5);
    tcfile_block b;
    for (uint64_t k = 0; k < 3000; k++) {
        uint64_t pc = k < 2000 ? 0x400000 + 4 * k : 0x7f0000000000 + 64 * k;
        check_block(f, pc, 64);
        cr_assert_not(tcfile_find(f, pc + 2, &b), "0x%lx was not saved", (unsigned long)(pc + 2));
    }
    cr_assert_not(tcfile_find(f, 0x400000 + 4 * 2000, &b));
    cr_assert_not(tcfile_find(f, 0, &b));
    tcfile_close(f);
}

Test(tcfile, saving_merges_and_the_newer_block_wins)
{
    tcfile *f = tcfile_open(path, 7);
    add_block(f, 0x2000, 64);
    add_block(f, 0x3000, 64);
    cr_assert(tcfile_save(f));
    tcfile_close(f);
    tcfile *g = tcfile_open(path, 7), *h = tcfile_open(path, 7);
    add_block(g, 0x4000, 80);
    cr_assert(tcfile_save(g));
    add_block(h, 0x3000, 96); /* made again, by a run that started earlier */
    cr_assert(tcfile_save(h));
    tcfile_close(g);
    tcfile_close(h);
    f = tcfile_open(path, 7);
    check_block(f, 0x2000, 64);
    check_block(f, 0x3000, 96);
    check_block(f, 0x4000, 80);
    tcfile_close(f);
}

/* Each byte of the file changed in turn (a sample of them): never a
 * block that differs from what was saved. */
Test(tcfile, damage_finds_nothing_wrong)
{
    tcfile *f = tcfile_open(path, 9);
    add_block(f, 0x5000, 100);
    add_block(f, 0x6000, 120);
    cr_assert(tcfile_save(f));
    tcfile_close(f);
    FILE *fp = fopen(path, "rb");
    cr_assert(fp);
    static uint8_t good[4096];
    size_t n = fread(good, 1, sizeof good, fp);
    fclose(fp);
    cr_assert_gt(n, 200);
    for (size_t at = 0; at < n; at += 3) {
        uint8_t bad[4096];
        memcpy(bad, good, n);
        bad[at] ^= 0x5a;
        int fd = open(path, O_WRONLY | O_TRUNC);
        cr_assert(fd >= 0 && write(fd, bad, n) == (ssize_t)n);
        close(fd);
        f = tcfile_open(path, 9);
        for (uint64_t pc = 0x5000; pc <= 0x6000; pc += 0x1000) {
            tcfile_block b;
            if (tcfile_find(f, pc, &b))
                check_block(f, pc, pc == 0x5000 ? 100 : 120);
        }
        tcfile_close(f);
    }
    int fd = open(path, O_WRONLY | O_TRUNC);
    cr_assert(fd >= 0 && write(fd, good, n / 2) == (ssize_t)(n / 2));
    close(fd);
    f = tcfile_open(path, 9);
    tcfile_block b;
    cr_assert_not(tcfile_find(f, 0x6000, &b), "a truncated file finds nothing");
    tcfile_close(f);
}

/* The records are checked a 16 KB chunk at a time: a byte damaged near
 * the file's end costs the blocks of its chunk, not those before it. */
Test(tcfile, damage_costs_only_its_chunk)
{
    tcfile *f = tcfile_open(path, 11);
    for (uint64_t i = 0; i < 400; i++)
        add_block(f, 0x10000 + 16 * i, 200);
    cr_assert(tcfile_save(f));
    tcfile_close(f);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_gt(st.st_size, 4 * 16384, "records over several chunks");
    int fd = open(path, O_RDWR);
    uint8_t byte;
    cr_assert(fd >= 0 && pread(fd, &byte, 1, st.st_size - 100) == 1);
    byte ^= 0x40;
    cr_assert(pwrite(fd, &byte, 1, st.st_size - 100) == 1);
    close(fd);
    f = tcfile_open(path, 11);
    tcfile_block b;
    for (uint64_t i = 0; i < 100; i++)
        check_block(f, 0x10000 + 16 * i, 200);
    cr_assert_not(tcfile_find(f, 0x10000 + 16 * 399, &b), "the damaged chunk's last block");
    tcfile_close(f);
}

Test(tcfile, a_file_others_may_write_is_not_read)
{
    tcfile *f = tcfile_open(path, 5);
    add_block(f, 0x7000, 64);
    cr_assert(tcfile_save(f));
    tcfile_close(f);
    cr_assert_eq(chmod(path, 0666), 0);
    f = tcfile_open(path, 5);
    tcfile_block b;
    cr_assert_not(tcfile_find(f, 0x7000, &b));
    tcfile_close(f);
}

Test(tcfile, a_directory_that_cannot_be_made_fails_the_save)
{
    char file[160];
    snprintf(file, sizeof file, "%s/plain", dir);
    close(open(file, O_WRONLY | O_CREAT, 0600));
    snprintf(file, sizeof file, "%s/plain/sub/prog.tc", dir);
    tcfile *f = tcfile_open(file, 5);
    add_block(f, 0x7000, 64);
    cr_assert_not(tcfile_save(f));
    tcfile_close(f);
}

/* A helper reached by rel32 (X86_RELOC_HOST32: the buffer lies near
 * Ferry's image) is kept image-relative and reached again from wherever
 * the code and the image are in the next process; one it cannot reach
 * from there fails the load. */
Test(tcfile, a_rel32_to_the_image_moves_with_the_code)
{
    uint8_t code[32] = {0};
    uint64_t image = 0x7f5500000000ull, rx = image - 0x5000000, helper = image + 0x2345;
    int32_t rel = (int32_t)(int64_t)(helper - (rx + 12 + 4));
    memcpy(code + 12, &rel, 4);
    uint32_t r = X86_RELOC(X86_RELOC_HOST32, 12);
    cr_assert(x86_relocs_out(code, rx, &r, 1, image, image + 0x10000));
    uint32_t v;
    memcpy(&v, code + 12, 4);
    cr_assert_eq(v, 0x2345, "image-relative in the file");
    x86_target t = {0};
    uint64_t image2 = 0x7f2200000000ull, rx2 = image2 - 0x7000000;
    uint8_t copy[32];
    memcpy(copy, code, sizeof code);
    cr_assert(x86_relocs_in(code, sizeof code, rx2, &r, 1, &t, image2));
    memcpy(&rel, code + 12, 4);
    cr_assert_eq(rx2 + 16 + (uint64_t)(int64_t)rel, image2 + 0x2345, "the rel32 reaches the helper");
    cr_assert_not(x86_relocs_in(copy, sizeof copy, image2 + (3ull << 31), &r, 1, &t, image2),
                  "out of a rel32's reach");
    cr_assert_not(x86_relocs_out(copy, rx, &r, 1, image + 0x3000, image + 0x10000),
                  "outside the image");
}

Test(tcfile, outside_addresses_move_with_the_code)
{
    uint8_t code[64] = {0};
    uint64_t image = 0x555500000000ull, helper = image + 0x1234;
    memcpy(code + 10, &helper, 8);
    uint32_t relocs[2] = {X86_RELOC(X86_RELOC_HOST64, 10), X86_RELOC(X86_RELOC_LEAVE32, 30)};
    cr_assert(x86_relocs_out(code, 0x7f0000100000ull, relocs, 2, image, image + 0x10000));
    uint64_t v;
    memcpy(&v, code + 10, 8);
    cr_assert_eq(v, 0x1234, "image-relative in the file");
    x86_target t = {.leave = 0x7f0000001000ull};
    uint64_t rx = 0x7f0000100000ull, image2 = 0x560000000000ull;
    cr_assert(x86_relocs_in(code, sizeof code, rx, relocs, 2, &t, image2));
    memcpy(&v, code + 10, 8);
    cr_assert_eq(v, image2 + 0x1234);
    int32_t rel;
    memcpy(&rel, code + 30, 4);
    cr_assert_eq(rx + 34 + (uint64_t)(int64_t)rel, t.leave, "the rel32 reaches leave");
    /* a compact chain stub's call reaches the tail after leave */
    uint32_t stubs[2] = {X86_RELOC(X86_RELOC_CHAIN32, 40), X86_RELOC(X86_RELOC_CHAIN64, 48)};
    cr_assert(x86_relocs_in(code, sizeof code, rx, stubs, 2, &t, image2));
    memcpy(&rel, code + 40, 4);
    cr_assert_eq(rx + 44 + (uint64_t)(int64_t)rel, t.leave + X86_CHAIN32);
    memcpy(&rel, code + 48, 4);
    cr_assert_eq(rx + 52 + (uint64_t)(int64_t)rel, t.leave + X86_CHAIN64);
    cr_assert(x86_relocs_out(code, rx, stubs, 2, image2, image2 + 0x10000));
    memcpy(&rel, code + 48, 4);
    cr_assert_eq(rel, 0, "no address of this process in the file");
    cr_assert_not(x86_relocs_out(code, rx, relocs, 1, image, image + 0x10), "outside the image");
    uint32_t bad = X86_RELOC(X86_RELOC_HOST64, 60);
    cr_assert_not(x86_relocs_in(code, sizeof code, rx, &bad, 1, &t, image2), "past the code");
    bad = X86_RELOC(9, 0);
    cr_assert_not(x86_relocs_in(code, sizeof code, rx, &bad, 1, &t, image2), "unknown kind");
}

/* Five 100 KB files used at t, t+1 .. t+4 and one that is not a cache
 * file: trimmed to 350 KB, the three oldest go (500 -> 200 KB, under 3/4
 * of 350), the others stay. */
Test(tcfile, trimming_drops_the_least_recently_used)
{
    static char block[100 * 1024];
    char name[160];
    struct timespec t[2];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "%s/%c.tc", dir, 'a' + i);
        int fd = open(name, O_WRONLY | O_CREAT, 0600);
        cr_assert(fd >= 0 && write(fd, block, sizeof block) == (ssize_t)sizeof block);
        close(fd);
        t[0] = t[1] = (struct timespec){.tv_sec = 1700000000 + (i == 0 ? 9 : i)};
        if (i == 0) /* a's mtime is newest, but its atime the oldest: mtime counts */
            t[0].tv_sec = 1600000000;
        cr_assert_eq(utimensat(AT_FDCWD, name, t, 0), 0);
    }
    snprintf(name, sizeof name, "%s/keep.txt", dir);
    int fd = open(name, O_WRONLY | O_CREAT, 0600);
    cr_assert(fd >= 0 && write(fd, block, sizeof block) == (ssize_t)sizeof block);
    close(fd);
    tcfile_trim(dir, 350 * 1024);
    static const char *const gone[] = {"b.tc", "c.tc", "d.tc"}, *const kept[] = {"a.tc", "e.tc", "keep.txt"};
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s/%s", dir, gone[i]);
        cr_assert_neq(access(name, F_OK), 0, "%s should be gone", gone[i]);
        snprintf(name, sizeof name, "%s/%s", dir, kept[i]);
        cr_assert_eq(access(name, F_OK), 0, "%s should stay", kept[i]);
    }
}

/* The chunks' sums are checked with XXH3 built for AVX2 where the host
 * has it, and written with libxxhash's streaming XXH3: one function. */
Test(tcfile, the_avx2_xxh3_is_xxh3)
{
    x86_cpu_init();
    if (!x86_cpu.avx2)
        cr_skip_test("no AVX2 here");
    static uint8_t buf[40000];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 131 + (i >> 7));
    size_t lens[] = {0, 1, 3, 16, 17, 128, 129, 240, 241, 1000, 1024, 16383, 16384, 16385, 40000};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++)
        for (size_t at = 0; at < 3; at++) {
            size_t n = lens[k] - (at && lens[k] >= at ? at : 0);
            cr_assert_eq(x86_hash_avx2(buf + at, n), XXH3_64bits(buf + at, n), "%zu bytes at %zu", n, at);
        }
}

/* The image (tcf layout): saved for a place, each block's code relocated
 * where it is laid out, each exit whose target is in the file already
 * jumping there (past the target's stop check when it lies ahead); a run
 * at another place gets none; the guest pc of code in it is found; a
 * damaged image byte makes its chunk unsound. */
Test(tcfile, the_image_is_laid_out_relocated_and_chained)
{
    tcfile_place here = {.rx = 0x10000000, .image_p = 0x2000, .host = 0x78000000,
                         .leave = 0x10000040};
    tcfile *f = tcfile_open(path, 13);
    tcfile_set_place(f, &here);
    add_block(f, 0x1000, 64);  /* exits to 0x100c (ahead) and 0xfc0 (behind) */
    add_block(f, 0x100c, 64);  /* to 0x1018 and 0xfcc: in no record */
    add_block(f, 0xfc0, 64);
    cr_assert(tcfile_save(f));
    tcfile_close(f);

    tcfile_place elsewhere = here;
    elsewhere.rx += 0x1000;
    f = tcfile_open(path, 13);
    tcfile_set_place(f, &elsewhere);
    cr_assert_eq(tcfile_image_len(f), 0, "an image for another place is not used");
    tcfile_close(f);

    f = tcfile_open(path, 13);
    tcfile_set_place(f, &here);
    size_t len = tcfile_image_len(f);
    cr_assert_geq(len, 3 * 64);
    tcfile_block a, b, c;
    cr_assert(tcfile_find(f, 0x1000, &a) && tcfile_find(f, 0x100c, &b) && tcfile_find(f, 0xfc0, &c));
    cr_assert(a.in_image && b.in_image && c.in_image);
    cr_assert(a.prechained[0] && a.prechained[1], "both of 0x1000's targets are in the file");
    cr_assert(!b.prechained[0] && !b.prechained[1]);
    cr_assert(c.image_at < a.image_at && a.image_at < b.image_at, "laid out in pc order");
    cr_assert(tcfile_image_sound(f, a.image_at, 64));
    uint8_t *at = mmap(NULL, len + 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(at != MAP_FAILED && tcfile_map_image(f, at));
    uint64_t base = here.rx + here.image_p;
    int32_t rel;
    memcpy(&rel, at + a.image_at + 9, 4);
    cr_assert_eq(base + a.image_at + 13 + (uint64_t)(int64_t)rel, base + b.image_at + 4,
                 "forward: past the target's stop check");
    memcpy(&rel, at + a.image_at + 21, 4);
    cr_assert_eq(base + a.image_at + 25 + (uint64_t)(int64_t)rel, base + c.image_at,
                 "backward: at the target's start");
    cr_assert_null(b.code, "a block in the image has its code there only");
    uint8_t moved[64];
    cr_assert(tcfile_code(f, &b, moved), "its code moved back from the image");
    for (uint32_t i = 0; i < 64; i++)
        if (!(i >= 9 && i < 13) && !(i >= 21 && i < 25) && !(i >= 40 && i < 44))
            cr_assert_eq(moved[i], code_byte(0x100c, i), "byte %u as saved", i);
    cr_assert(tcfile_code(f, &a, moved));
    memcpy(&rel, moved + 9, 4);
    cr_assert_eq(rel, 13 - (8 + 5), "a chained exit back to its stub");
    memcpy(&rel, at + b.image_at + 40, 4);
    cr_assert_eq(base + b.image_at + 44 + (uint64_t)(int64_t)rel, here.leave, "relocated");
    uint64_t pc;
    uint8_t flags;
    cr_assert(tcfile_image_pc(f, a.image_at + 12, &pc, &flags));
    cr_assert_eq(pc, 0x1004);
    cr_assert_eq(flags, 1);
    cr_assert(tcfile_image_pc(f, b.image_at, &pc, NULL) && pc == 0x100c);
    cr_assert(tcfile_image_pc(f, c.image_at + 63, &pc, NULL) && pc == 0xfc8);
    cr_assert_not(tcfile_image_pc(f, b.image_at + 64, &pc, NULL), "past the last block");
    tcfile_close(f);
    munmap(at, len + 4096);

    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    int fd = open(path, O_RDWR);
    uint8_t x;
    cr_assert_eq(pread(fd, &x, 1, st.st_size - 1), 1);
    x ^= 0x40;
    cr_assert_eq(pwrite(fd, &x, 1, st.st_size - 1), 1);
    close(fd);
    f = tcfile_open(path, 13);
    tcfile_set_place(f, &here);
    cr_assert(tcfile_find(f, 0x100c, &b), "the records are sound");
    cr_assert_not(tcfile_image_sound(f, b.image_at, 64), "a damaged image is not");
    cr_assert_not(tcfile_code(f, &b, moved), "nor is code taken from it");
    tcfile_close(f);
}
