/* libc string and memory routines over many sizes and alignments. */
#include <string.h>

#include "common.h"

int main(int argc, char **argv)
{
    long n = bench_scale(argc, argv, 3000000);
    char *a = malloc(4096 + 64), *b = malloc(4096 + 64);
    uint64_t sum = 0;
    for (int i = 0; i < 4096 + 64; i++)
        a[i] = (char)('a' + i % 23);
    for (long i = 0; i < n; i++) {
        size_t off = (size_t)i % 13, len = 64 + (size_t)(i * 37) % 2000;
        memcpy(b + off, a + (i & 7), len);
        b[off + len] = 0;
        sum += strlen(b + off);
        sum += (uint64_t)memcmp(a + (i & 7), b + off, len) + (strchr(b + off, 'w') - b);
    }
    free(a);
    free(b);
    return bench_done("strings", sum);
}
