/* Pointer chasing through a shuffled linked list, and table lookups. */
#include "common.h"

typedef struct node {
    struct node *next;
    uint32_t val;
} node;

int main(int argc, char **argv)
{
    long n = 1 << 16, hops = bench_scale(argc, argv, 10000000);
    node *nodes = malloc((size_t)n * sizeof *nodes);
    uint32_t *perm = malloc((size_t)n * sizeof *perm), s = 7;
    for (long i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    for (long i = n - 1; i > 0; i--) {
        s = s * 1103515245u + 12345u;
        uint32_t j = s % (uint32_t)(i + 1), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
    }
    for (long i = 0; i < n; i++)
        nodes[perm[i]].next = &nodes[perm[(i + 1) % n]], nodes[i].val = (uint32_t)i * 2654435761u;
    static uint8_t table[256];
    for (int i = 0; i < 256; i++)
        table[i] = (uint8_t)(i * 167 + 13);
    uint64_t sum = 0;
    node *p = &nodes[0];
    for (long h = 0; h < hops; h++) {
        sum += table[(p->val ^ h) & 255];
        p = p->next;
    }
    free(nodes);
    free(perm);
    return bench_done("chase", sum);
}
