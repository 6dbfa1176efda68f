/* Host routines for the guest's libc string functions.  glibc's riscv64
 * string functions are portable C, a word or a byte at a time, and even
 * aarch64's are 16 bytes at a time: translated, they run 5-12x slower
 * than the host's own AVX2 ones (bench/strings.c).  A guest function
 * whose symbol names one of these (found in the program's .symtab or
 * .dynsym at load, and in each library the guest maps executable) is
 * answered by the host routine instead: the block at its entry calls it
 * and returns (frontend_routine).
 *
 * Only functions whose result C defines completely are here, so that
 * any implementation gives the same one: copies, fills, lengths and
 * searches.  The comparisons are not, as C only says the sign of theirs,
 * with one exception: riscv64's libcs (glibc's generic C, musl) return
 * the difference of the first differing bytes from memcmp, and so does
 * the host routine given to riscv64 guests; aarch64's glibc returns -1
 * or 1 on some paths, and its memcmp stays translated.  What differs from
 * running the guest's instructions is only what C leaves undefined:
 * memcpy of overlapping buffers behaves as memmove, and a fault inside
 * a routine (a bad pointer) is the guest's SIGSEGV at the function's
 * entry with the registers as they were there.  IFUNC symbols are left
 * alone (the implementation the resolver picks has a name of its own,
 * which is here when the file has it).
 */
#include <elf.h>
#include <emmintrin.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* memcmp returning the difference of the first differing bytes (as an
 * int, sign-extended as the guest ABIs want it).  16 bytes at a time, and
 * never a byte outside the n given. */
static uint64_t r_memcmp_bytes(void *cpu, uint64_t a, uint64_t b, uint64_t n)
{
    const unsigned char *x = P(a), *y = P(b);
    size_t i = 0;
    (void)cpu;
    for (; i + 16 <= n; i += 16) {
        __m128i vx = _mm_loadu_si128((const __m128i *)(x + i));
        __m128i vy = _mm_loadu_si128((const __m128i *)(y + i));
        unsigned same = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(vx, vy));
        if (same != 0xffff) {
            i += (size_t)__builtin_ctz(~same);
            return (uint64_t)(int64_t)(x[i] - y[i]);
        }
    }
    for (; i < n; i++)
        if (x[i] != y[i])
            return (uint64_t)(int64_t)(x[i] - y[i]);
    return 0;
}

#define H(fn, n) { #fn, fn, n }
static const ir_helper h_memmove = H(r_memmove, 3), h_memset = H(r_memset, 3),
    h_strlen = H(r_strlen, 1), h_strnlen = H(r_strnlen, 2), h_memchr = H(r_memchr, 3),
    h_rawmemchr = H(r_rawmemchr, 2), h_strchr = H(r_strchr, 2),
    h_strchrnul = H(r_strchrnul, 2), h_strrchr = H(r_strrchr, 2), h_strcpy = H(r_strcpy, 2),
    h_stpcpy = H(r_stpcpy, 2), h_memcmp_bytes = H(r_memcmp_bytes, 3);

/* By symbol: the C names, glibc's internal aliases and aarch64 glibc's
 * implementations behind its IFUNCs.  machine 0: for every guest. */
static const struct routine_name {
    const char *name;
    const ir_helper *h;
    uint16_t machine;
} names[] = {
    {"memcpy", &h_memmove, 0}, {"memmove", &h_memmove, 0},
    {"__memcpy_generic", &h_memmove, 0}, {"__memcpy_simd", &h_memmove, 0},
    {"__memcpy_a64fx", &h_memmove, 0}, {"__memcpy_falkor", &h_memmove, 0},
    {"__memcpy_sve", &h_memmove, 0}, {"__memcpy_thunderx", &h_memmove, 0},
    {"__memcpy_thunderx2", &h_memmove, 0}, {"__memmove_generic", &h_memmove, 0},
    {"__memmove_simd", &h_memmove, 0}, {"__memmove_a64fx", &h_memmove, 0},
    {"__memmove_falkor", &h_memmove, 0}, {"__memmove_sve", &h_memmove, 0},
    {"__memmove_thunderx", &h_memmove, 0}, {"__memmove_thunderx2", &h_memmove, 0},
    {"memset", &h_memset, 0}, {"__memset_generic", &h_memset, 0},
    {"__memset_a64fx", &h_memset, 0}, {"__memset_emag", &h_memset, 0},
    {"__memset_falkor", &h_memset, 0}, {"__memset_kunpeng", &h_memset, 0},
    {"__memset_zva64", &h_memset, 0},
    {"strlen", &h_strlen, 0}, {"__strlen_generic", &h_strlen, 0},
    {"__strlen_asimd", &h_strlen, 0}, {"__strlen_mte", &h_strlen, 0},
    {"strnlen", &h_strnlen, 0}, {"__strnlen", &h_strnlen, 0},
    {"memchr", &h_memchr, 0}, {"__memchr_generic", &h_memchr, 0},
    {"__memchr_nosimd", &h_memchr, 0},
    {"rawmemchr", &h_rawmemchr, 0}, {"__rawmemchr", &h_rawmemchr, 0},
    {"strchr", &h_strchr, 0}, {"strchrnul", &h_strchrnul, 0},
    {"__strchrnul", &h_strchrnul, 0}, {"strrchr", &h_strrchr, 0},
    {"strcpy", &h_strcpy, 0}, {"stpcpy", &h_stpcpy, 0}, {"__stpcpy", &h_stpcpy, 0},
    {"memcmp", &h_memcmp_bytes, EM_RISCV},
};

static const ir_helper *by_name(const char *name, uint16_t machine)
{
    const char *s = name[0] == '_' && name[1] == '_' ? name + 2 : name;
    if (strncmp(s, "mem", 3) && strncmp(s, "str", 3) && strncmp(s, "stp", 3) &&
        strncmp(s, "raw", 3))
        return NULL; /* most symbols: no need to look */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i].name, name) && (!names[i].machine || names[i].machine == machine))
            return names[i].h;
    return NULL;
}

/* Where routines start, sorted by pc; guarded by the process's exec_lock
 * (the engine asks while translating). */
typedef struct lu_routine {
    uint64_t pc;
    const ir_helper *h;
} lu_routine;

struct lu_routines {
    lu_routine *r;
    size_t n, cap;
};

typedef struct scan {
    lu_proc *p;
    bool sorted; /* false once one was added */
} scan;

static void found(void *arg, const char *name, uint64_t pc, uint64_t size, bool ifunc)
{
    scan *sc = arg;
    lu_proc *p = sc->p;
    const ir_helper *h = ifunc ? NULL : by_name(name, p->abi->elf_machine);
    (void)size;
    if (!h)
        return;
    struct lu_routines *t = p->routines;
    if (!t && !(t = p->routines = calloc(1, sizeof *t)))
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        lu_routine *r = realloc(t->r, cap * sizeof *r);
        if (!r)
            return;
        t->r = r, t->cap = cap;
    }
    t->r[t->n++] = (lu_routine){pc, h};
    sc->sorted = false;
}

static int by_pc(const void *a, const void *b)
{
    const lu_routine *x = a, *y = b;
    return x->pc < y->pc ? -1 : x->pc > y->pc;
}

static bool enabled(const lu_proc *p)
{
    return p->abi->fe && !opt_listed(p->opt.disabled_passes, "routines");
}

static void scan_end(scan *sc)
{
    if (!sc->sorted && sc->p->routines)
        qsort(sc->p->routines->r, sc->p->routines->n, sizeof(lu_routine), by_pc);
}

void lu_routines_add_file(lu_proc *p, const char *path, uint64_t bias)
{
    scan sc = {p, true};
    int fd = enabled(p) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0)
        return;
    pthread_mutex_lock(&p->exec_lock);
    lu_elf_functions(fd, bias, found, &sc);
    scan_end(&sc);
    pthread_mutex_unlock(&p->exec_lock);
    close(fd);
}

void lu_routines_add_mapping(lu_proc *p, int fd, uint64_t off, uint64_t start, uint64_t end)
{
    scan sc = {p, true};
    if (!enabled(p))
        return;
    pthread_mutex_lock(&p->exec_lock);
    lu_elf_mapped_functions(fd, off, start, end, found, &sc);
    scan_end(&sc);
    pthread_mutex_unlock(&p->exec_lock);
}

void lu_routines_forget(lu_proc *p, uint64_t start, uint64_t end)
{
    pthread_mutex_lock(&p->exec_lock);
    struct lu_routines *t = p->routines;
    size_t k = 0;
    for (size_t i = 0; t && i < t->n; i++)
        if (t->r[i].pc < start || t->r[i].pc >= end)
            t->r[k++] = t->r[i];
    if (t)
        t->n = k;
    pthread_mutex_unlock(&p->exec_lock);
}

const ir_helper *lu_routine_at(void *proc, uint64_t pc)
{
    lu_proc *p = proc;
    const ir_helper *h = NULL;
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
    if (t && lo < t->n && t->r[lo].pc == pc)
        h = t->r[lo].h;
    pthread_mutex_unlock(&p->exec_lock);
    return h;
}
