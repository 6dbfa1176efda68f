/* Host routines for the guest's libc string functions and libgcc's bit
 * helpers.  glibc's riscv64 string functions are portable C, a word or a
 * byte at a time, and even aarch64's are 16 bytes at a time: translated,
 * they run 5-12x slower than the host's own AVX2 ones (bench/strings.c);
 * rv64gc has no clz or popcount instruction, and libgcc's __clzdi2 is a
 * loop over a table.  A guest function whose symbol names one of these
 * (found in the program's .symtab or .dynsym at load, and in each library
 * the guest maps executable) is answered by the host routine instead:
 * the block at its entry calls it and returns (frontend_routine).
 *
 * Only functions whose result is completely defined are here, so that
 * any implementation gives the same one: copies, fills, lengths,
 * searches, bit counts (__clzdi2(0) is 64, as libgcc's C gives it).  The
 * comparisons are not, as C only says the sign of theirs, with two
 * exceptions: riscv64's libcs (glibc's generic C, musl) return the
 * difference of the first differing bytes from memcmp, strcmp and
 * strncmp, and so do the host routines given to riscv64 guests; and
 * aarch64 glibc 2.36's memcmp, whose result Ferry knows exactly (see
 * r_memcmp_glibc_a64), is answered where its code is that very code
 * (known_code: its bytes' hash).  aarch64's other comparisons stay
 * translated.  What differs from running the guest's instructions is only
 * what C leaves undefined: memcpy of overlapping buffers behaves as
 * memmove, and a fault inside a routine (a bad pointer) is the guest's
 * SIGSEGV at the function's entry with the registers as they were there.
 * An IFUNC symbol of one of these names (aarch64 glibc's memcpy,
 * strlen...) is a resolver, which ld.so (or a static program's start)
 * calls to pick an implementation: its block returns the routine's entry
 * in a page of entries Ferry maps into the guest, whose blocks call the
 * routine.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xxhash.h>

#include "backend/engine.h"
#include "ir/opt/opt.h"
#include "linux-user/lu.h"

#define P(x) ((void *)(uintptr_t)(x))
#define U(p) ((uint64_t)(uintptr_t)(p))

static uint64_t r_memmove(void *cpu, uint64_t d, uint64_t s, uint64_t n)
{
    (void)cpu;
    return U(memmove(P(d), P(s), n));
}

static uint64_t r_memset(void *cpu, uint64_t d, uint64_t c, uint64_t n)
{
    (void)cpu;
    return U(memset(P(d), (int)c, n));
}

static uint64_t r_strlen(void *cpu, uint64_t s, uint64_t u1, uint64_t u2)
{
    (void)cpu, (void)u1, (void)u2;
    return strlen(P(s));
}

static uint64_t r_strnlen(void *cpu, uint64_t s, uint64_t n, uint64_t u2)
{
    (void)cpu, (void)u2;
    return strnlen(P(s), n);
}

static uint64_t r_memchr(void *cpu, uint64_t s, uint64_t c, uint64_t n)
{
    (void)cpu;
    return U(memchr(P(s), (int)c, n));
}

static uint64_t r_rawmemchr(void *cpu, uint64_t s, uint64_t c, uint64_t u2)
{
    (void)cpu, (void)u2;
    return U(rawmemchr(P(s), (int)c));
}

static uint64_t r_strchr(void *cpu, uint64_t s, uint64_t c, uint64_t u2)
{
    (void)cpu, (void)u2;
    return U(strchr(P(s), (int)c));
}

static uint64_t r_strchrnul(void *cpu, uint64_t s, uint64_t c, uint64_t u2)
{
    (void)cpu, (void)u2;
    return U(strchrnul(P(s), (int)c));
}

static uint64_t r_strrchr(void *cpu, uint64_t s, uint64_t c, uint64_t u2)
{
    (void)cpu, (void)u2;
    return U(strrchr(P(s), (int)c));
}

static uint64_t r_strcpy(void *cpu, uint64_t d, uint64_t s, uint64_t u2)
{
    (void)cpu, (void)u2;
    return U(strcpy(P(d), P(s)));
}

static uint64_t r_stpcpy(void *cpu, uint64_t d, uint64_t s, uint64_t u2)
{
    (void)cpu, (void)u2;
    return U(stpcpy(P(d), P(s)));
}

/* The comparisons below go 8 bytes at a time: a word's bytes in memory
 * order are its bits from the low end up on this (little-endian) host,
 * as on the guests. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "word scans read memory order");
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static uint64_t word_at(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

/* The high bit of each byte of w that is not zero (exact, no borrow). */
static uint64_t nonzero_bytes(uint64_t w)
{
    return (((w & ~HIGHS) + ~HIGHS) | w) & HIGHS;
}

/* The difference of the bytes at x[i], y[i] as an int, sign-extended as
 * the guest ABIs want it. */
static uint64_t byte_diff(const unsigned char *x, const unsigned char *y, size_t i)
{
    return (uint64_t)(int64_t)(x[i] - y[i]);
}

/* The index of the first byte where x and y differ, n if none; never a
 * byte outside the n given.  Equal runs, the usual case, are the host
 * libc's memcmp's (vectorized: the word loop alone was two thirds of
 * bench/strings on aarch64); a difference is then found by words. */
static size_t first_difference(const unsigned char *x, const unsigned char *y, size_t n)
{
    if (memcmp(x, y, n) == 0)
        return n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t d = word_at(x + i) ^ word_at(y + i);
        if (d)
            return i + (size_t)__builtin_ctzll(d) / 8;
    }
    for (; i < n; i++)
        if (x[i] != y[i])
            return i;
    return n;
}

static uint64_t r_memcmp_bytes(void *cpu, uint64_t a, uint64_t b, uint64_t n)
{
    const unsigned char *x = P(a), *y = P(b);
    size_t i = first_difference(x, y, n);
    (void)cpu;
    return i < n ? byte_diff(x, y, i) : 0;
}

/* aarch64 glibc 2.36's memcmp (sysdeps/aarch64/memcmp.S): -1 or 1 by
 * the first differing bytes, except on its one-byte paths (n == 1, and
 * n == 3 differing only from the last byte) which return their
 * difference.  Measured under qemu-aarch64 against that libc, static and
 * dynamic, on 200,000 random cases (lengths 0-300, every alignment). */
static uint64_t r_memcmp_glibc_a64(void *cpu, uint64_t a, uint64_t b, uint64_t n)
{
    const unsigned char *x = P(a), *y = P(b);
    size_t i = first_difference(x, y, n);
    (void)cpu;
    if (i == n)
        return 0;
    if (n == 1 || (n == 3 && i == 2))
        return byte_diff(x, y, i);
    return x[i] < y[i] ? UINT64_MAX : 1;
}

/* Whether 8 bytes at p stay in its page: read, they cannot fault where
 * its first byte does not. */
static bool in_page8(const unsigned char *p)
{
    return ((uintptr_t)p & (LU_PAGE - 1)) <= LU_PAGE - 8;
}

/* strncmp (strcmp: n = SIZE_MAX) returning the difference of the first
 * differing bytes, or of the bytes at the first NUL: riscv64's libcs'
 * result.  8 bytes at a time where neither string's 8 bytes leave its
 * page, so that nothing past the NUL is read on another page.  In a word,
 * the first byte that differs or is NUL decides (a NUL found by the borrow
 * trick is exact up to the first one, which is all that is looked at). */
static uint64_t strncmp_bytes(const unsigned char *x, const unsigned char *y, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8 && in_page8(x + i) && in_page8(y + i)) {
            uint64_t u = word_at(x + i), v = word_at(y + i);
            uint64_t stop = nonzero_bytes(u ^ v) | ((u - ONES) & ~u & HIGHS);
            if (stop)
                return byte_diff(x, y, i + (size_t)__builtin_ctzll(stop) / 8);
            i += 8;
        } else {
            if (x[i] != y[i] || !x[i])
                return byte_diff(x, y, i);
            i++;
        }
    }
    return 0;
}

static uint64_t r_strcmp_bytes(void *cpu, uint64_t a, uint64_t b, uint64_t u2)
{
    (void)cpu, (void)u2;
    return strncmp_bytes(P(a), P(b), SIZE_MAX);
}

static uint64_t r_strncmp_bytes(void *cpu, uint64_t a, uint64_t b, uint64_t n)
{
    (void)cpu;
    return strncmp_bytes(P(a), P(b), n);
}

/* libgcc's bit helpers, which rv64gc programs call for __builtin_clzll
 * and friends (no Zbb): IR, inlined where they are called.  libgcc's C
 * gives 64 for __clzdi2(0), as IR's CLZ does. */
static ir_val b_clz64(ir_block *b, ir_val x) { return ir_emit(b, IR_CLZ, IR_I64, x, IR_NONE, IR_NONE, 0, 0); }
static ir_val b_popcount64(ir_block *b, ir_val x) { return ir_emit(b, IR_POPCNT, IR_I64, x, IR_NONE, IR_NONE, 0, 0); }
static ir_val b_bswap64(ir_block *b, ir_val x) { return ir_emit(b, IR_BSWAP, IR_I64, x, IR_NONE, IR_NONE, 0, 0); }

static ir_val b_parity64(ir_block *b, ir_val x)
{
    return ir_binop(b, IR_AND, IR_I64, b_popcount64(b, x), ir_const(b, IR_I64, 1));
}

/* x ? ctz(x) + 1 : 0 */
static ir_val b_ffs64(ir_block *b, ir_val x)
{
    ir_val one = ir_binop(b, IR_ADD, IR_I64, ir_emit(b, IR_CTZ, IR_I64, x, IR_NONE, IR_NONE, 0, 0),
                          ir_const(b, IR_I64, 1));
    return ir_select(b, IR_I64, x, one, ir_const(b, IR_I64, 0));
}

/* A 32-bit result sign-extended, as riscv64's ABI keeps one (aarch64
 * ignores the upper half). */
static ir_val b_bswap32(ir_block *b, ir_val x)
{
    ir_val s = ir_emit(b, IR_BSWAP, IR_I32, x, IR_NONE, IR_NONE, 0, 0);
    return ir_sext(b, IR_I64, s, 32);
}

/* The routines, by kind; an IFUNC resolver's answer is its kind's entry
 * in the entry page (entry_page + 16 * kind). */
enum {
    R_MEMMOVE, R_MEMSET, R_STRLEN, R_STRNLEN, R_MEMCHR, R_RAWMEMCHR, R_STRCHR,
    R_STRCHRNUL, R_STRRCHR, R_STRCPY, R_STPCPY, R_MEMCMP_BYTES, R_STRCMP_BYTES,
    R_STRNCMP_BYTES, R_MEMCMP_GLIBC_A64, R_CLZ64, R_POPCOUNT64, R_FFS64, R_PARITY64, R_BSWAP64, R_BSWAP32,
    R_KINDS
};
#define H(k, fn, n) [k] = {.h = &(const ir_helper){#fn, fn, n}}
#define B(k, fn) [k] = {.build = fn}
static const frontend_answer answers[R_KINDS] = {
    H(R_MEMMOVE, r_memmove, 3), H(R_MEMSET, r_memset, 3), H(R_STRLEN, r_strlen, 1),
    H(R_STRNLEN, r_strnlen, 2), H(R_MEMCHR, r_memchr, 3), H(R_RAWMEMCHR, r_rawmemchr, 2),
    H(R_STRCHR, r_strchr, 2), H(R_STRCHRNUL, r_strchrnul, 2), H(R_STRRCHR, r_strrchr, 2),
    H(R_STRCPY, r_strcpy, 2), H(R_STPCPY, r_stpcpy, 2), H(R_MEMCMP_BYTES, r_memcmp_bytes, 3),
    H(R_STRCMP_BYTES, r_strcmp_bytes, 2), H(R_STRNCMP_BYTES, r_strncmp_bytes, 3),
    H(R_MEMCMP_GLIBC_A64, r_memcmp_glibc_a64, 3),
    B(R_CLZ64, b_clz64), B(R_POPCOUNT64, b_popcount64), B(R_FFS64, b_ffs64),
    B(R_PARITY64, b_parity64), B(R_BSWAP64, b_bswap64), B(R_BSWAP32, b_bswap32),
};
#define R_ENTRY 16

/* By symbol: the C names, glibc's internal aliases and aarch64 glibc's
 * implementations behind its IFUNCs.  machine 0: for every guest; a name
 * may have one entry per guest. */
static const struct routine_name {
    const char *name;
    uint8_t kind;
    uint16_t machine;
} names[] = {
    {"memcpy", R_MEMMOVE, 0}, {"memmove", R_MEMMOVE, 0},
    {"__memcpy_generic", R_MEMMOVE, 0}, {"__memcpy_simd", R_MEMMOVE, 0},
    {"__memcpy_a64fx", R_MEMMOVE, 0}, {"__memcpy_falkor", R_MEMMOVE, 0},
    {"__memcpy_sve", R_MEMMOVE, 0}, {"__memcpy_thunderx", R_MEMMOVE, 0},
    {"__memcpy_thunderx2", R_MEMMOVE, 0}, {"__memmove_generic", R_MEMMOVE, 0},
    {"__memmove_simd", R_MEMMOVE, 0}, {"__memmove_a64fx", R_MEMMOVE, 0},
    {"__memmove_falkor", R_MEMMOVE, 0}, {"__memmove_sve", R_MEMMOVE, 0},
    {"__memmove_thunderx", R_MEMMOVE, 0}, {"__memmove_thunderx2", R_MEMMOVE, 0},
    {"memset", R_MEMSET, 0}, {"__memset_generic", R_MEMSET, 0},
    {"__memset_a64fx", R_MEMSET, 0}, {"__memset_emag", R_MEMSET, 0},
    {"__memset_falkor", R_MEMSET, 0}, {"__memset_kunpeng", R_MEMSET, 0},
    {"__memset_zva64", R_MEMSET, 0},
    {"strlen", R_STRLEN, 0}, {"__strlen_generic", R_STRLEN, 0},
    {"__strlen_asimd", R_STRLEN, 0}, {"__strlen_mte", R_STRLEN, 0},
    {"strnlen", R_STRNLEN, 0}, {"__strnlen", R_STRNLEN, 0},
    {"memchr", R_MEMCHR, 0}, {"__memchr", R_MEMCHR, 0}, {"__memchr_generic", R_MEMCHR, 0},
    {"__memchr_nosimd", R_MEMCHR, 0},
    {"rawmemchr", R_RAWMEMCHR, 0}, {"__rawmemchr", R_RAWMEMCHR, 0},
    {"strchr", R_STRCHR, 0}, {"strchrnul", R_STRCHRNUL, 0},
    {"__strchrnul", R_STRCHRNUL, 0}, {"strrchr", R_STRRCHR, 0},
    {"strcpy", R_STRCPY, 0}, {"stpcpy", R_STPCPY, 0}, {"__stpcpy", R_STPCPY, 0},
    {"memcmp", R_MEMCMP_BYTES, EM_RISCV}, {"strcmp", R_STRCMP_BYTES, EM_RISCV},
    {"strncmp", R_STRNCMP_BYTES, EM_RISCV}, {"memcmp", R_MEMCMP_GLIBC_A64, EM_AARCH64},
    {"__clzdi2", R_CLZ64, 0}, {"__popcountdi2", R_POPCOUNT64, 0}, {"__ffsdi2", R_FFS64, 0},
    {"__paritydi2", R_PARITY64, 0}, {"__bswapdi2", R_BSWAP64, 0},
    {"__bswapsi2", R_BSWAP32, 0},
};

/* Kinds that answer one implementation only: the function's st_size
 * and the XXH3 of its bytes must be these. */
static const struct code_id {
    uint8_t kind;
    uint64_t size, hash;
} known_code[] = {
    /* Debian 12's libc6-arm64 2.36 (libc.so.6 and libc.a alike) */
    {R_MEMCMP_GLIBC_A64, 456, 0x28cd13dca3642ae5ull},
};

/* Whether kind may answer the function of size bytes at pc: any for most
 * kinds, else the one known_code names, read without trusting the
 * guest's memory to be readable. */
static bool code_known(int kind, uint64_t pc, uint64_t size)
{
    for (size_t i = 0; i < sizeof known_code / sizeof known_code[0]; i++) {
        const struct code_id *c = &known_code[i];
        if (c->kind != kind)
            continue;
        unsigned char buf[1024];
        if (size != c->size || size > sizeof buf)
            return false;
        struct iovec here = {buf, size}, there = {P(pc), size};
        return process_vm_readv(getpid(), &here, 1, &there, 1, 0) == (ssize_t)size &&
               XXH3_64bits(buf, size) == c->hash;
    }
    return true;
}

/* names[] by name, for a binary search ((name, machine) pairs are unique) */
#define N_NAMES (sizeof names / sizeof names[0])
static const struct routine_name *sorted[N_NAMES];
static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int by_name_cmp(const void *a, const void *b)
{
    return strcmp((*(const struct routine_name *const *)a)->name,
                  (*(const struct routine_name *const *)b)->name);
}

static void sort_names(void)
{
    for (size_t i = 0; i < N_NAMES; i++)
        sorted[i] = &names[i];
    qsort(sorted, N_NAMES, sizeof sorted[0], by_name_cmp);
}

/* The kind named name, or -1. */
static int by_name(const char *name, uint16_t machine)
{
    /* most symbols need no look: the names start mem, str, stp or raw,
     * after __ also c, p, f or b (a library has thousands to pass) */
    const char *s = name[0] == '_' && name[1] == '_' ? name + 2 : name;
    bool maybe = (s[0] == 'm' && s[1] == 'e') || (s[0] == 's' && s[1] == 't') ||
                 (s[0] == 'r' && s[1] == 'a') ||
                 (s != name && (s[0] == 'c' || s[0] == 'p' || s[0] == 'f' || s[0] == 'b'));
    if (!maybe)
        return -1;
    pthread_once(&sorted_once, sort_names);
    size_t lo = 0, hi = N_NAMES; /* the first entry of name, if any */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(sorted[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < N_NAMES && !strcmp(sorted[lo]->name, name); lo++)
        if (!sorted[lo]->machine || sorted[lo]->machine == machine)
            return sorted[lo]->kind;
    return -1;
}

/* What answers the guest at each pc, sorted by pc; guarded by the
 * process's exec_lock (the engine asks while translating).  An IFUNC
 * resolver's entry has no helper, only the value it returns. */
struct lu_routines {
    struct lu_routine {
        uint64_t pc;
        frontend_answer r;
    } *r;
    size_t n, cap;
    uint64_t entry_page; /* 0 until an IFUNC resolver needs it */
    /* every pc is in [lo, hi] (only ever widened): most blocks are not
     * a routine's, and are told so without the lock */
    _Atomic uint64_t lo, hi;
};

typedef struct scan {
    lu_proc *p;
    bool sorted; /* false once one was added */
    unsigned resolvers[32], n_resolvers; /* the kinds of IFUNCs found */
    uint64_t resolver_pc[32];
    /* what it found, for the memo (lu_memo_save): pcs less base */
    uint64_t base;
    lu_scan_hit *hits;
    size_t n_hits, cap_hits;
    bool keep, lost; /* keep the hits; one could not be kept */
} scan;

static void push(lu_proc *p, uint64_t pc, frontend_answer r)
{
    struct lu_routines *t = p->routines;
    if (!t && !(t = p->routines = calloc(1, sizeof *t)))
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        struct lu_routine *n = realloc(t->r, cap * sizeof *n);
        if (!n)
            return;
        t->r = n, t->cap = cap;
    }
    t->r[t->n++] = (struct lu_routine){pc, r};
    if (t->n == 1 || pc < atomic_load(&t->lo))
        atomic_store(&t->lo, pc);
    if (pc > atomic_load(&t->hi))
        atomic_store(&t->hi, pc);
}

/* Remember a hit for the memo. */
static void keep_hit(scan *sc, int k, uint64_t pc, uint64_t size, bool ifunc)
{
    if (sc->n_hits == sc->cap_hits) {
        size_t cap = sc->cap_hits ? 2 * sc->cap_hits : 32;
        lu_scan_hit *h = realloc(sc->hits, cap * sizeof *h);
        if (!h) {
            sc->lost = true;
            return;
        }
        sc->hits = h, sc->cap_hits = cap;
    }
    sc->hits[sc->n_hits++] = (lu_scan_hit){.rel = pc - sc->base, .size = (uint32_t)size,
                                           .kind = (uint16_t)k, .ifunc = ifunc};
}

/* The function at pc is kind k's (found or from the memo). */
static void take(scan *sc, int k, uint64_t pc, uint64_t size, bool ifunc)
{
    if (sc->keep)
        keep_hit(sc, k, pc, size, ifunc);
    if (ifunc) { /* answered once the entry page is there (scan_end) */
        if (sc->n_resolvers < sizeof sc->resolvers / sizeof sc->resolvers[0]) {
            sc->resolvers[sc->n_resolvers] = (unsigned)k;
            sc->resolver_pc[sc->n_resolvers++] = pc;
        }
        return;
    }
    push(sc->p, pc, answers[k]);
    sc->sorted = false;
}

static void found(void *arg, const char *name, uint64_t pc, uint64_t size, bool ifunc)
{
    scan *sc = arg;
    int k = by_name(name, sc->p->abi->elf_machine);
    if (k >= 0 && code_known(k, ifunc ? 0 : pc, size)) /* (no code at 0: a resolver is none) */
        take(sc, k, pc, size, ifunc);
}

static int by_pc(const void *a, const void *b)
{
    const struct lu_routine *x = a, *y = b;
    return x->pc < y->pc ? -1 : x->pc > y->pc;
}

static bool enabled(const lu_proc *p)
{
    return p->abi->fe && !opt_listed(p->opt.disabled_passes, "routines");
}

/* The guest page whose entries are the routines an IFUNC resolver may
 * return: zeros (an undefined instruction on both guests), never run as
 * guest code.  Mapped like the signal trampoline, outside exec_lock. */
static uint64_t entry_page(lu_proc *p)
{
    if (p->routines && p->routines->entry_page)
        return p->routines->entry_page;
    uint64_t page = lu_guest_code_page(p, NULL, 0);
    if (!page)
        return 0;
    pthread_mutex_lock(&p->exec_lock);
    for (int k = 0; k < R_KINDS; k++)
        push(p, page + R_ENTRY * (uint64_t)k, answers[k]);
    if (p->routines)
        p->routines->entry_page = page;
    pthread_mutex_unlock(&p->exec_lock);
    return page;
}

/* Called without exec_lock: the resolvers found, then the sort. */
static void scan_end(scan *sc)
{
    lu_proc *p = sc->p;
    uint64_t page = sc->n_resolvers ? entry_page(p) : 0;
    pthread_mutex_lock(&p->exec_lock);
    for (unsigned i = 0; page && i < sc->n_resolvers; i++)
        push(p, sc->resolver_pc[i],
             (frontend_answer){.value = page + R_ENTRY * (uint64_t)sc->resolvers[i]});
    if ((page || !sc->sorted) && p->routines)
        qsort(p->routines->r, p->routines->n, sizeof *p->routines->r, by_pc);
    pthread_mutex_unlock(&p->exec_lock);
}

/* What to scan: the file open at fd, whole (map false; its symbols at
 * their value + base) or as mapped at [base, end) from offset off. */
typedef struct scan_of {
    int fd;
    bool map;
    uint64_t base, off, end;
} scan_of;

/* Scan what says, or take the hits the memo kept of the same scan in an
 * earlier process (pcs from the scan's base: where a mapping lands, or
 * the bias, need not be the same); a fresh scan's hits are kept. */
static void scan_with_memo(lu_proc *p, const scan_of *what)
{
    scan sc = {.p = p, .sorted = true, .base = what->base};
    uint64_t params[3] = {what->map, what->off, what->end - what->base};
    uint64_t key = lu_memo_key(p, what->fd, params, what->map ? 3 : 1);
    size_t n = 0;
    lu_scan_hit *memo = key ? lu_memo_load(p, key, &n) : NULL;
    sc.keep = key && !memo;
    pthread_mutex_lock(&p->exec_lock);
    if (memo) {
        for (size_t i = 0; i < n; i++)
            if (memo[i].kind < R_KINDS)
                take(&sc, memo[i].kind, what->base + memo[i].rel, memo[i].size, memo[i].ifunc);
    } else if (what->map) {
        lu_elf_mapped_functions(what->fd, what->off, what->base, what->end, found, &sc);
    } else {
        lu_elf_functions(what->fd, what->base, found, &sc);
    }
    pthread_mutex_unlock(&p->exec_lock);
    if (sc.keep && !sc.lost)
        lu_memo_save(p, key, sc.hits, sc.n_hits);
    free(memo);
    free(sc.hits);
    scan_end(&sc);
}

void lu_routines_add_file(lu_proc *p, const char *path, uint64_t bias)
{
    int fd = enabled(p) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0)
        return;
    scan_with_memo(p, &(scan_of){.fd = fd, .base = bias, .end = bias});
    close(fd);
}

void lu_routines_add_mapping(lu_proc *p, int fd, uint64_t off, uint64_t start, uint64_t end)
{
    if (enabled(p))
        scan_with_memo(p, &(scan_of){.fd = fd, .map = true, .base = start, .off = off, .end = end});
}

void lu_routines_forget(lu_proc *p, uint64_t start, uint64_t end)
{
    pthread_mutex_lock(&p->exec_lock);
    struct lu_routines *t = p->routines;
    size_t k = 0;
    for (size_t i = 0; t && i < t->n; i++)
        if (t->r[i].pc < start || t->r[i].pc >= end)
            t->r[k++] = t->r[i];
    if (t) {
        t->n = k;
        if (t->entry_page >= start && t->entry_page < end)
            t->entry_page = 0;
    }
    pthread_mutex_unlock(&p->exec_lock);
}

bool lu_routine_at(void *proc, uint64_t pc, frontend_answer *r)
{
    lu_proc *p = proc;
    bool hit = false;
    struct lu_routines *seen = atomic_load_explicit(&p->routines, memory_order_acquire);
    if (!seen || pc < atomic_load_explicit(&seen->lo, memory_order_relaxed) ||
        pc > atomic_load_explicit(&seen->hi, memory_order_relaxed))
        return false;
    pthread_mutex_lock(&p->exec_lock);
    const struct lu_routines *t = p->routines;
    size_t lo = 0, hi = t ? t->n : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->r[mid].pc < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (t && lo < t->n && t->r[lo].pc == pc) {
        *r = t->r[lo].r;
        hit = true;
    }
    pthread_mutex_unlock(&p->exec_lock);
    return hit;
}
