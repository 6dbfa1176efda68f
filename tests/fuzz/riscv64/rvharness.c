/* rvharness: the riscv64 guest program of the differential fuzzer.  Runs
 * the cases of a file made by rvgen, one after another in this process,
 * and prints one record line per case as soon as it is done:
 *   IDX x0..x31 f0..f31 fcsr memhash        (hex)
 * with -m also the scratch buffer, "m IDX OFFSET 16-bytes-hex" per line.
 * Usage: rvharness [-m] [-F] [-I] CASEFILE [FIRST]   (FIRST: resume after a crash)
 * Every case's code is copied to the same fixed address followed by a
 * fence.i, so a translator that misses the fence runs stale code.  -F
 * (a work-around while fence.i is broken) gives case k its own slot,
 * FZ_CODE_ADDR + (k % 4096) * FZ_CODE_SLOT, never rewritten, and no fence.i.
 * -I leaves fcsr alone (nops instead of its accesses; recorded as 0), for
 * translators that cannot do floating point yet. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz_layout.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

extern const char fz_prologue[], fz_prologue_end[], fz_epilogue[], fz_epilogue_end[];
extern const char fz_fcsr_in[], fz_fcsr_out[], fz_fcsr_clear[];

static void *map_fixed(unsigned long addr, unsigned long size, int prot)
{
    void *p = mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)addr) {
        fprintf(stderr, "rvharness: cannot map 0x%lx\n", addr);
        exit(2);
    }
    return p;
}

static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    char *buf;
    size_t got = 0;
    if (fd < 0 || fstat(fd, &st) != 0 || !(buf = malloc((size_t)st.st_size + 1))) {
        perror(path);
        exit(2);
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n <= 0) {
            perror(path);
            exit(2);
        }
        got += (size_t)n;
    }
    close(fd);
    *len = got;
    return buf;
}

static void put_line(const char *s, size_t n)
{
    while (n) {   /* unbuffered: a crash in the next case keeps this record */
        ssize_t w = write(1, s, n);
        if (w <= 0)
            exit(2);
        s += w;
        n -= (size_t)w;
    }
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    while (n--)
        h = (h ^ *p++) * 0x100000001b3ULL;
    return h;
}

static int memdump, fresh, no_fcsr;

/* Writes a nop over the copy of the stub instruction at sym. */
static void nop_out(uint8_t *copy, const char *stub, const char *sym)
{
    static const uint32_t nop = 0x00000013;
    memcpy(copy + (sym - stub), &nop, 4);
}

static void run_case(long idx, const struct fz_case_hdr *h, const uint8_t *code)
{
    static char line[2048];
    uint8_t *region = (uint8_t *)FZ_CODE_ADDR, *buf = (uint8_t *)FZ_BUF;
    size_t pro = (size_t)(fz_prologue_end - fz_prologue), epi = (size_t)(fz_epilogue_end - fz_epilogue);
    const uint64_t *ox = (const uint64_t *)(FZ_BUF + FZ_OUT_X), *of = (const uint64_t *)(FZ_BUF + FZ_OUT_F);
    uint64_t seed = h->mem_seed;
    int n = 0;

    if (fresh)
        region += (idx % 4096) * FZ_CODE_SLOT;
    memcpy(region, fz_prologue, pro);
    memcpy(region + pro, code, h->code_bytes);
    memcpy(region + pro + h->code_bytes, fz_epilogue, epi);
    if (no_fcsr) {
        nop_out(region, fz_prologue, fz_fcsr_in);
        nop_out(region + pro + h->code_bytes, fz_epilogue, fz_fcsr_out);
        nop_out(region + pro + h->code_bytes, fz_epilogue, fz_fcsr_clear);
    }
    if (!fresh)
        __asm__ volatile("fence.i" ::: "memory");
    for (int i = 0; i < FZ_BUF_SIZE; i += 8) {
        uint64_t v = fz_mix(&seed);
        memcpy(buf + i, &v, 8);
    }
    ((void (*)(const struct fz_case_hdr *, void *))(void *)region)(h, (void *)(FZ_BUF + FZ_HOST_SAVE));
    n += snprintf(line + n, sizeof line - (size_t)n, "%ld", idx);
    for (int i = 0; i < 32; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, " %016llx", (unsigned long long)ox[i]);
    for (int i = 0; i < 32; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, " %016llx", (unsigned long long)of[i]);
    n += snprintf(line + n, sizeof line - (size_t)n, " %016llx %016llx\n",
                  (unsigned long long)*(const uint64_t *)(FZ_BUF + FZ_OUT_FCSR),
                  (unsigned long long)fnv(buf, FZ_BUF_SIZE));
    put_line(line, (size_t)n);
    for (int off = 0; memdump && off < FZ_BUF_SIZE; off += 16) {
        n = snprintf(line, sizeof line, "m %ld %03x ", idx, off);
        for (int b = 0; b < 16; b++)
            n += snprintf(line + n, sizeof line - (size_t)n, "%02x", buf[off + b]);
        line[n++] = '\n';
        put_line(line, (size_t)n);
    }
}

int main(int argc, char **argv)
{
    size_t len, at = 0;
    char *file;
    long first, idx = 0;
    int a = 1;

    for (; a < argc && argv[a][0] == '-'; a++) {
        memdump |= strcmp(argv[a], "-m") == 0;
        fresh |= strcmp(argv[a], "-F") == 0;
        no_fcsr |= strcmp(argv[a], "-I") == 0;
    }
    if (a >= argc) {
        fprintf(stderr, "usage: rvharness [-m] [-F] [-I] CASEFILE [FIRST]\n");
        return 2;
    }
    file = read_file(argv[a], &len);
    first = a + 1 < argc ? atol(argv[a + 1]) : 0;
    map_fixed(FZ_CODE_ADDR, fresh ? FZ_CODE_SIZE : FZ_CODE_SLOT, PROT_READ | PROT_WRITE | PROT_EXEC);
    map_fixed(FZ_CTL_ADDR, FZ_CTL_SIZE, PROT_READ | PROT_WRITE);
    while (at + sizeof(struct fz_case_hdr) <= len) {
        struct fz_case_hdr h;
        memcpy(&h, file + at, sizeof h);
        if (h.magic != FZ_MAGIC || h.code_bytes + 1024 > FZ_CODE_SLOT) {
            fprintf(stderr, "rvharness: bad case %ld\n", idx);
            return 2;
        }
        at += sizeof h;
        if (idx >= first)
            run_case(idx, &h, (const uint8_t *)file + at);
        at += h.code_bytes;
        idx++;
    }
    return 0;
}
