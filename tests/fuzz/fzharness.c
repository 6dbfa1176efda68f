/* fzharness: the core of the fuzzers' guest programs (rvharness,
 * a64harness), built with each guest's cross compiler, stubs and
 * fz_layout.h.  Runs the cases of a file made by the generator, one after
 * another in this process, and prints one record line per case as soon
 * as it is done:
 *   IDX REG... memhash        (hex: FZ_NREGS registers in the guest's order)
 * with -m also the scratch buffer, "m IDX OFFSET 16-bytes-hex" per line.
 * Usage: HARNESS [-m] [-F] [GUEST FLAGS] CASEFILE [FIRST]   (FIRST: resume
 * after a crash).  Every case's code is copied to the same fixed address
 * and synchronized with the instruction cache the guest's way, so a
 * translator that misses that runs stale code.  -F (a work-around while
 * that is broken) gives case k its own slot, FZ_CODE_ADDR +
 * (k % FZ_CODE_SLOTS) * FZ_CODE_SLOT, never rewritten. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fz_layout.h"
#include "fzharness.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void *map_fixed(unsigned long addr, unsigned long size, int prot)
{
    void *p = mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)addr) {
        fprintf(stderr, "%s: cannot map 0x%lx\n", fzh_name, addr);
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

static bool memdump, fresh;

static void run_case(long idx, const struct fz_case_hdr *h, const uint8_t *code)
{
    static char line[4096];
    uint8_t *region = (uint8_t *)FZ_CODE_ADDR, *buf = (uint8_t *)FZ_BUF;
    size_t pro = (size_t)(fz_prologue_end - fz_prologue), epi = (size_t)(fz_epilogue_end - fz_epilogue);
    size_t ncode = h->head.code_bytes;
    const uint64_t *out = (const uint64_t *)(FZ_BUF + FZ_OUT_REGS);
    uint64_t seed = h->head.mem_seed;
    int n;

    if (fresh)
        region += (idx % FZ_CODE_SLOTS) * FZ_CODE_SLOT;
    memcpy(region, fz_prologue, pro);
    memcpy(region + pro, code, ncode);
    memcpy(region + pro + ncode, fz_epilogue, epi);
    fzh_prepare(region, region + pro + ncode, region + pro + ncode + epi, fresh);
    for (int i = 0; i < FZ_BUF_SIZE; i += 8) {
        uint64_t v = fz_mix(&seed);
        memcpy(buf + i, &v, 8);
    }
    ((void (*)(const struct fz_case_hdr *, void *))(void *)region)(h, (void *)(FZ_BUF + FZ_SAVE_AT));
    n = snprintf(line, sizeof line, "%ld", idx);
    for (int i = 0; i < FZ_NREGS; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, " %016llx", (unsigned long long)out[i]);
    n += snprintf(line + n, sizeof line - (size_t)n, " %016llx\n",
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
        if (strcmp(argv[a], "-m") == 0)
            memdump = true;
        else if (strcmp(argv[a], "-F") == 0)
            fresh = true;
        else
            fzh_option(argv[a]);
    }
    if (a >= argc) {
        fprintf(stderr, "usage: %s [-m] [-F] %sCASEFILE [FIRST]\n", fzh_name, fzh_flags);
        return 2;
    }
    file = read_file(argv[a], &len);
    first = a + 1 < argc ? atol(argv[a + 1]) : 0;
    map_fixed(FZ_CODE_ADDR, fresh ? FZ_CODE_SLOT * FZ_CODE_SLOTS : FZ_CODE_SLOT,
              PROT_READ | PROT_WRITE | PROT_EXEC);
    map_fixed(FZ_CTL_ADDR, FZ_CTL_SIZE, PROT_READ | PROT_WRITE);
    while (at + sizeof(struct fz_case_hdr) <= len) {
        struct fz_case_hdr h;
        memcpy(&h, file + at, sizeof h);
        if (h.head.magic != FZ_MAGIC || h.head.code_bytes + FZ_STUB_ROOM > FZ_CODE_SLOT) {
            fprintf(stderr, "%s: bad case %ld\n", fzh_name, idx);
            return 2;
        }
        at += sizeof h;
        if (idx >= first)
            run_case(idx, &h, (const uint8_t *)file + at);
        at += h.head.code_bytes;
        idx++;
    }
    return 0;
}
