/* The libc string functions Ferry answers with host routines
 * (linux-user/routines.c), where the guest's own instructions would
 * differ most: strings and buffers that end at an unreadable page, every
 * alignment against it, the pointers and lengths they return, fills with
 * values wider than a byte, and faults inside them caught by a handler
 * (a read of an unreadable page, a write to a read-only one). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile void *fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    fault_addr = si->si_addr;
    siglongjmp(env, 1);
}

static uint64_t sum;
static void fold(uint64_t v) { sum = sum * 1000003 + v; }

/* Which fault, if any, f(arg) took: 0 none, 1 in page, 2 elsewhere
 * (where in the page is each implementation's own: x86's memset stores
 * its last 32 bytes first). */
static long pg;
static int faults(void (*f)(char *), char *arg, char *page)
{
    fault_addr = NULL;
    if (sigsetjmp(env, 1))
        return (char *)fault_addr >= page && (char *)fault_addr < page + pg ? 1 : 2;
    f(arg);
    return 0;
}

static char *volatile sink;
static void do_strlen(char *s) { fold(strlen(s)); }
static void do_strchr(char *s) { sink = strchr(s, 'q'); }
static void do_memset(char *s) { memset(s, 1, 64); }
static void do_strcpy(char *s) { strcpy(s, "overwrites a read-only page"); }

int main(void)
{
    pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return 1;
    char *end = m + pg, *ro = m + 2 * pg; /* end: unreadable; ro: read-only */
    mprotect(end, pg, PROT_NONE);
    mprotect(ro, pg, PROT_READ);
    struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    /* Strings whose NUL is the last readable byte. */
    for (int len = 0; len < 100; len++) {
        char *s = end - 1 - len;
        memset(s, 'a' + len % 26, (size_t)len);
        s[len] = 0;
        fold(strlen(s));
        fold(strnlen(s, (size_t)len / 2));
        fold(strnlen(s, (size_t)len + 5));
        fold((uint64_t)(strchr(s, 0) - s));
        fold(strchr(s, 'a' + len % 26) ? 1 : 2);
        fold(strchr(s, 'Z') ? 3 : 4);
        fold((uint64_t)(strchrnul(s, 'Z') - s));
        fold((uint64_t)(strchr(s, 'a' + len % 26 + 256) ? 5 : 6)); /* c is a char */
        char *r = strrchr(s, 'a' + len % 26);
        fold(r ? (uint64_t)(r - s) : 7);
        fold((uint64_t)((char *)rawmemchr(s, 0) - s));
        char *c = memchr(s, 0, (size_t)len + 1);
        fold(c ? (uint64_t)(c - s) : 8);
    }
    /* Copies and fills up to the unreadable page, every alignment. */
    for (int al = 0; al < 16; al++)
        for (int n = 0; n < 200; n += 7) {
            char *src = end - n, *dst = m + 64 + al;
            memset(src, 0, (size_t)n);
            for (int i = 0; i < n; i++)
                src[i] = (char)(i * 13 + al);
            fold((uint64_t)((char *)memcpy(dst, src, (size_t)n) - dst));
            fold((uint64_t)memcmp(dst, src, (size_t)n));
            fold((uint64_t)((char *)memset(end - n, 0x1234, (size_t)n) - (end - n)));
            fold(n ? (uint64_t)(unsigned char)end[-1] : 0x34);
            memmove(dst + 3, dst, (size_t)n);
            fold(n ? (uint64_t)(unsigned char)dst[n + 2] : 9);
        }
    strcpy(end - 6, "hello");
    fold((uint64_t)(stpcpy(m + 10, end - 6) - m));
    fold((uint64_t)(strcpy(m + 20, end - 6) - m));
    fold(strlen(m + 10) + strlen(m + 20));
    printf("checksum %016llx\n", (unsigned long long)sum);

    /* The comparisons' signs everywhere; their values are each libc's own
     * (riscv64's libcs return the difference of the first differing bytes,
     * or of the bytes at the NUL). */
    static const unsigned char x[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char y[sizeof x];
    int bad = 0;
    for (size_t i = 0; i + 1 < sizeof x; i++) {
        memcpy(y, x, sizeof x);
        y[i] = (unsigned char)(x[i] + 3 * (i % 2 ? 1 : -1));
        int r = memcmp(x, y, sizeof x);
        int c = strcmp((const char *)x, (const char *)y);
        int n = strncmp((const char *)x, (const char *)y, i + 1);
        int before = strncmp((const char *)x, (const char *)y, i);
        bad += (r > 0) != (x[i] > y[i]) || r == 0;
        bad += (c > 0) != (x[i] > y[i]) || c == 0 || (n > 0) != (c > 0) || n == 0 || before;
#ifdef __riscv
        bad += r != x[i] - y[i] || c != r || n != r;
#endif
    }
    /* A string ending at the unreadable page against a longer one, and
     * against itself: the NUL decides, nothing past it is read. */
    for (int len = 0; len < 40; len++) {
        char *s = end - 1 - len;
        memset(s, 'k', (size_t)len);
        s[len] = 0;
        char longer[64];
        memset(longer, 'k', sizeof longer - 1);
        longer[sizeof longer - 1] = 0;
        int c = strcmp(s, longer), n = strncmp(longer, s, 50);
        bad += c >= 0 || n <= 0 || strcmp(s, s) || strncmp(s, s, 1000);
#ifdef __riscv
        bad += c != -'k' || n != 'k';
#endif
    }
    /* Random strings with NULs and differences anywhere, every length and
     * offset against a byte-by-byte reference (bytes above 0x7f too). */
    uint64_t rnd = 12345;
    for (int t = 0; t < 4000; t++) {
        unsigned char p[48], q[48];
        for (int i = 0; i < 48; i++) {
            rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
            p[i] = q[i] = (unsigned char)(0x41 + (rnd >> 59));
            if ((rnd >> 40) % 29 == 0)
                p[i] = q[i] = 0;
        }
        size_t at = (size_t)(rnd >> 20) % 48, n = (size_t)(rnd >> 30) % 48;
        q[at] = (unsigned char)(rnd >> 8);
        int rm = 0, rs = 0, rn = 0;
        for (size_t i = 0; i < n; i++)
            if (p[i] != q[i]) { rm = p[i] - q[i]; break; }
        p[47] = q[47] = 0;
        for (size_t i = 0;; i++)
            if (p[i] != q[i] || !p[i]) { rs = p[i] - q[i]; break; }
        for (size_t i = 0; i < n; i++)
            if (p[i] != q[i] || !p[i]) { rn = p[i] - q[i]; break; }
        int m = memcmp(p, q, n), c = strcmp((char *)p, (char *)q), k = strncmp((char *)p, (char *)q, n);
        bad += (m > 0) != (rm > 0) || (m < 0) != (rm < 0) || (c > 0) != (rs > 0) ||
               (c < 0) != (rs < 0) || (k > 0) != (rn > 0) || (k < 0) != (rn < 0);
#ifdef __riscv
        bad += m != rm || c != rs || k != rn;
#endif
    }
    printf("memcmp, strcmp, strncmp: %d wrong\n", bad);

    /* libgcc's bit helpers, called as rv64gc programs call them. */
    {
        extern int __clzdi2(unsigned long), __popcountdi2(unsigned long), __ffsdi2(long),
            __paritydi2(unsigned long);
        extern long __bswapdi2(long);
        extern int __bswapsi2(int);
        static int (*volatile clz)(unsigned long) = __clzdi2, (*volatile pop)(unsigned long) =
                                                                   __popcountdi2;
        static int (*volatile ffs)(long) = __ffsdi2, (*volatile par)(unsigned long) = __paritydi2;
        static long (*volatile bs64)(long) = __bswapdi2;
        static int (*volatile bs32)(int) = __bswapsi2;
        uint64_t h = 0, v = 0x9e3779b97f4a7c15ull;
        for (int i = 0; i < 200; i++, v = v * 6364136223846793005ull + 1442695040888963407ull) {
            uint64_t x = v >> (i % 64);
            h = h * 31 + (uint64_t)(x ? clz(x) : 64) + (uint64_t)pop(x) * 7;
            h = h * 31 + (uint64_t)ffs((long)x) + (uint64_t)par(x);
            h = h * 31 + (uint64_t)bs64((long)x) + (uint64_t)(uint32_t)bs32((int)x);
        }
        /* direct calls too (rv64gc: of libgcc's helpers, which Ferry
         * inlines) */
        for (int i = 0; i < 200; i++, v = v * 6364136223846793005ull + 1442695040888963407ull) {
            uint64_t x = v >> (i % 64);
            h = h * 31 + (uint64_t)__builtin_clzll(x | 1) + (uint64_t)__builtin_popcountll(x);
            h = h * 31 + (uint64_t)__builtin_ffsll((long long)x) + (uint64_t)__builtin_parityll(x);
            h = h * 31 + __builtin_bswap64(x) + __builtin_bswap32((uint32_t)x);
        }
        fold(h);
#ifdef __riscv
        printf("clz(0): %d\n", clz(0)); /* libgcc's C: 64 */
#else
        printf("clz(0): %d\n", 64);
#endif
        printf("bit helpers %016llx\n", (unsigned long long)h);
    }

    /* Faults inside them reach the guest's handler. */
    printf("strlen at an unreadable page: %d\n", faults(do_strlen, end, end));
    printf("strchr at an unreadable page: %d\n", faults(do_strchr, end, end));
    printf("memset of a read-only page: %d\n", faults(do_memset, ro, ro));
    printf("strcpy into a read-only page: %d\n", faults(do_strcpy, ro, ro));
    printf("still running: %zu\n", strlen("after the faults"));
    return 0;
}
