/* mmap at fixed addresses just above the heap, where Linux has nothing
 * yet (Ferry keeps room for brk there): MAP_FIXED_NOREPLACE succeeds on
 * free space and fails with EEXIST on a mapping; the heap then cannot
 * grow into the mapping, and malloc still works. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    uintptr_t brk0 = (uintptr_t)sbrk(0);
    uintptr_t want = (brk0 + (64 << 20)) & ~(uintptr_t)0xffff;
    char *m = mmap((void *)want, 65536, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("noreplace on free space: %s\n", m == (char *)want ? "ok" : strerror(errno));
    if (m != (char *)want)
        return 1;
    strcpy(m, "kept");
    char *again = mmap((void *)want, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
                       MAP_FIXED_NOREPLACE, -1, 0);
    printf("noreplace on a mapping: %s\n", again == MAP_FAILED ? strerror(errno) : "mapped");
    void *over = sbrk((intptr_t)(want - brk0 + 4096));
    printf("brk across the mapping fails: %d, mapping intact: %s\n", over == (void *)-1, m);
    void *small = sbrk(4096);
    printf("brk below it still grows: %d\n", small != (void *)-1);
    char *p = malloc(1 << 20);
    memset(p, 1, 1 << 20);
    printf("malloc after: %d\n", p[12345]);
    return 0;
}
