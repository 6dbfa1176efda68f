/* qsort with a comparison callback: indirect calls into libc and back. */
#include "common.h"

static int cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long n = bench_scale(argc, argv, 1500000);
    uint32_t *a = malloc((size_t)n * sizeof *a);
    uint32_t s = 1;
    for (long i = 0; i < n; i++)
        a[i] = s = s * 1664525u + 1013904223u;
    qsort(a, (size_t)n, sizeof *a, cmp);
    uint64_t sum = 0;
    for (long i = 0; i < n; i += 97)
        sum = sum * 31 + a[i];
    free(a);
    return bench_done("sort", sum);
}
