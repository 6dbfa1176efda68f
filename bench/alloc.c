/* malloc-heavy work: many small blocks of varying sizes, freed out of order. */
#include <string.h>

#include "common.h"

int main(int argc, char **argv)
{
    long rounds = bench_scale(argc, argv, 4000000);
    enum { SLOTS = 4096 };
    static char *slot[SLOTS];
    uint64_t sum = 0;
    uint32_t s = 1;
    for (long r = 0; r < rounds; r++) {
        s = s * 1664525u + 1013904223u;
        unsigned k = s >> 20 & (SLOTS - 1);
        if (slot[k]) {
            sum += (unsigned char)slot[k][0];
            free(slot[k]);
        }
        size_t len = 8 + (s & 255);
        slot[k] = malloc(len);
        memset(slot[k], (int)(r & 127), len);
    }
    for (int k = 0; k < SLOTS; k++)
        free(slot[k]);
    return bench_done("alloc", sum);
}
