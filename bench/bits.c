/* Bit manipulation: population counts, leading zeros, rotations, byte swaps. */
#include "common.h"

int main(int argc, char **argv)
{
    long n = bench_scale(argc, argv, 40000000);
    uint64_t x = 0x9e3779b97f4a7c15ull, sum = 0;
    for (long i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        sum += (uint64_t)__builtin_popcountll(x) + (uint64_t)__builtin_clzll(x | 1);
        sum ^= __builtin_bswap64(x) >> (i & 31);
        sum += (x >> 17 | x << 47) & 0xff;
    }
    return bench_done("bits", sum);
}
