/* Shared by the benchmark programs: a scale from argv[1] and a checksum
 * printed at the end, which the runner compares with the native build. */
#ifndef FERRY_BENCH_COMMON_H
#define FERRY_BENCH_COMMON_H
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline long bench_scale(int argc, char **argv, long dflt)
{
    return argc > 1 ? atol(argv[1]) : dflt;
}

static inline int bench_done(const char *name, uint64_t sum)
{
    printf("%s %016" PRIx64 "\n", name, sum);
    return 0;
}
#endif
