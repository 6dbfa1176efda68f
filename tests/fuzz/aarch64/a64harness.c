/* a64harness: the aarch64 guest program of the differential fuzzer.  Runs
 * the cases of a file made by a64gen, one after another in this process,
 * and prints one record line per case as soon as it is done:
 *   IDX x0..x30 nzcv v0.lo v0.hi .. v31.hi fpcr fpsr memhash     (hex)
 * with -m also the scratch buffer, "m IDX OFFSET 16-bytes-hex" per line.
 * Usage: a64harness [-m] [-F] CASEFILE [FIRST]   (FIRST: resume after a crash)
 * Every case's code is copied to the same fixed address followed by
 * dc cvau / ic ivau / dsb ish / isb (__builtin___clear_cache), so a
 * translator that misses the invalidation runs stale code.  -F (a
 * work-around while that is broken) gives case k its own slot,
 * FZ_CODE_ADDR + (k % 2048) * FZ_CODE_SLOT, never rewritten. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "a64_layout.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

extern const char fz_prologue[], fz_prologue_end[], fz_epilogue[], fz_epilogue_end[];

static void *map_fixed(unsigned long addr, unsigned long size, int prot)
{
    void *p = mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)addr) {
        fprintf(stderr, "a64harness: cannot map 0x%lx\n", addr);
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

static int memdump, fresh;

static void run_case(long idx, const struct fz_case_hdr *h, const uint8_t *code)
{
    static char line[4096];
    uint8_t *region = (uint8_t *)FZ_CODE_ADDR, *buf = (uint8_t *)FZ_BUF;
    size_t pro = (size_t)(fz_prologue_end - fz_prologue), epi = (size_t)(fz_epilogue_end - fz_epilogue);
    const uint64_t *out = (const uint64_t *)(FZ_BUF - FZ_OUT_BASE);
    uint64_t seed = h->mem_seed;
    int n = 0;

    if (fresh)
        region += (idx % 2048) * FZ_CODE_SLOT;
    memcpy(region, fz_prologue, pro);
    memcpy(region + pro, code, h->code_bytes);
    memcpy(region + pro + h->code_bytes, fz_epilogue, epi);
    __builtin___clear_cache((char *)region, (char *)region + pro + h->code_bytes + epi);
    for (int i = 0; i < FZ_BUF_SIZE; i += 8) {
        uint64_t v = fz_mix(&seed);
        memcpy(buf + i, &v, 8);
    }
    ((void (*)(const struct fz_case_hdr *, void *))(void *)region)(h, (void *)(FZ_BUF - FZ_OUT_BASE + FZ_HOST_SAVE));
    n += snprintf(line + n, sizeof line - (size_t)n, "%ld", idx);
    for (int i = 0; i < 32; i++)      /* x0..x30, nzcv */
        n += snprintf(line + n, sizeof line - (size_t)n, " %016llx", (unsigned long long)out[i]);
    for (int i = 0; i < 64; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, " %016llx",
                      (unsigned long long)out[FZ_OUT_V / 8 + i]);
    n += snprintf(line + n, sizeof line - (size_t)n, " %016llx %016llx %016llx\n",
                  (unsigned long long)out[FZ_OUT_FPCR / 8], (unsigned long long)out[FZ_OUT_FPSR / 8],
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
    }
    if (a >= argc) {
        fprintf(stderr, "usage: a64harness [-m] [-F] CASEFILE [FIRST]\n");
        return 2;
    }
    file = read_file(argv[a], &len);
    first = a + 1 < argc ? atol(argv[a + 1]) : 0;
    map_fixed(FZ_CODE_ADDR, fresh ? FZ_CODE_SIZE : FZ_CODE_SLOT, PROT_READ | PROT_WRITE | PROT_EXEC);
    map_fixed(FZ_CTL_ADDR, FZ_CTL_SIZE, PROT_READ | PROT_WRITE);
    while (at + sizeof(struct fz_case_hdr) <= len) {
        struct fz_case_hdr h;
        memcpy(&h, file + at, sizeof h);
        if (h.magic != FZ_MAGIC || h.code_bytes + 2048 > FZ_CODE_SLOT) {
            fprintf(stderr, "a64harness: bad case %ld\n", idx);
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
