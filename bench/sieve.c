/* Sieve of Eratosthenes: byte stores and strided loops over 8 MB. */
#include <string.h>

#include "common.h"

int main(int argc, char **argv)
{
    long n = bench_scale(argc, argv, 8000000), rounds = 12;
    unsigned char *comp = malloc((size_t)n + 1);
    uint64_t sum = 0;
    for (long r = 0; r < rounds; r++) {
        memset(comp, 0, (size_t)n + 1);
        for (long i = 2; i * i <= n; i++)
            if (!comp[i])
                for (long j = i * i; j <= n; j += i)
                    comp[j] = 1;
        for (long i = 2; i <= n; i++)
            if (!comp[i])
                sum += (uint64_t)i;
    }
    free(comp);
    return bench_done("sieve", sum);
}
