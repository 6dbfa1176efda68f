/* Large mappings as runtimes make them (Go arenas, JIT heaps, sanitizer
 * shadows): a 64 GiB PROT_NONE reservation, 8 GiB of read-write memory
 * touched here and there, a page in its middle made read-only (a write
 * there faults, its neighbours do not), then parts unmapped and mapped
 * again.  Prints what succeeded; run natively and under Ferry. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf env;
static void on_segv(int sig) { siglongjmp(env, sig); }

static int writes(volatile char *p)
{
    if (sigsetjmp(env, 1))
        return 0;
    *p = 1;
    return 1;
}

int main(void)
{
    signal(SIGSEGV, on_segv);
    size_t big = 64ull << 30, rw = 8ull << 30;
    char *r = mmap(NULL, big, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("reserve 64 GiB: %d\n", r != MAP_FAILED);
    char *h = mmap(r + (1ull << 30), rw, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    printf("8 GiB read-write inside it: %d\n", h == r + (1ull << 30));
    long sum = 0;
    for (size_t off = 0; off < rw; off += 256ull << 20) {
        h[off] = (char)(off >> 28);
        sum += h[off];
    }
    printf("touched every 256 MiB: sum %ld\n", sum);
    char *mid = h + (4ull << 30) + 12345 * 4096ull;
    printf("mprotect a middle page read-only: %d\n", mprotect(mid, 4096, PROT_READ) == 0);
    printf("write there: %d, below: %d, above: %d\n", writes(mid), writes(mid - 1),
           writes(mid + 4096));
    printf("unmap 1 GiB of it: %d\n", munmap(h + (2ull << 30), 1ull << 30) == 0);
    printf("write in the hole: %d, after it: %d\n", writes(h + (2ull << 30) + 4096),
           writes(h + (3ull << 30)));
    char *again = mmap(h + (2ull << 30), 2ull << 20, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("map 2 MiB back: %d, write: %d, reads zero: %d\n", again == h + (2ull << 30),
           writes(again + 8192), again[4096] == 0);
    printf("reserve outside the 8 GiB still refuses writes: %d\n", writes(r + 4096) == 0);
    printf("unmap all: %d\n", munmap(r, big) == 0);
    return 0;
}
