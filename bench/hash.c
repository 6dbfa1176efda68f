/* Integer hashing: multiply, xor, shift and rotate in a tight loop. */
#include "common.h"

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

int main(int argc, char **argv)
{
    long n = bench_scale(argc, argv, 60000000);
    uint64_t h = 0;
    for (long i = 0; i < n; i++)
        h += mix((uint64_t)i ^ h);
    return bench_done("hash", h);
}
