/* The process context and the guest's share of the address space: a
 * sorted set of ranges the guest owns (image, stack, brk reserve, its own
 * mmaps).  mmap/munmap/mprotect consult it so that the guest never maps
 * over, unmaps or reprotects Ferry's own memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "linux-user/lu.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

void lu_proc_init(lu_proc *p, const guest_abi *abi)
{
    memset(p, 0, sizeof *p);
    p->abi = abi;
    p->run = abi->fe ? &lu_runner_engine : &lu_runner_kvm;
    p->log = stderr;
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->exec_lock, NULL);
}

static void mem_insert(lu_memmap *m, size_t at, lu_range r)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 16;
        lu_range *nr = realloc(m->r, cap * sizeof *nr);
        if (!nr)
            abort(); /* the guest map must never silently lose a range */
        m->r = nr;
        m->cap = cap;
    }
    memmove(&m->r[at + 1], &m->r[at], (m->n - at) * sizeof *m->r);
    m->r[at] = r;
    m->n++;
}

/* Cut [start, end) out of every range. */
static void map_remove(lu_memmap *m, uint64_t start, uint64_t end)
{
    for (size_t i = 0; i < m->n; i++) {
        lu_range r = m->r[i];
        if (r.end <= start || r.start >= end)
            continue;
        if (r.start < start && r.end > end) { /* split in two */
            m->r[i].end = start;
            mem_insert(m, i + 1, (lu_range){ end, r.end });
            return;
        }
        if (r.start < start)
            m->r[i].end = start;
        else if (r.end > end)
            m->r[i].start = end;
        else {
            memmove(&m->r[i], &m->r[i + 1], (m->n - i - 1) * sizeof *m->r);
            m->n--;
            i--;
        }
    }
}

static void map_add(lu_memmap *m, uint64_t start, uint64_t end)
{
    if (start >= end)
        return;
    map_remove(m, start, end);
    size_t i = 0;
    while (i < m->n && m->r[i].start < start)
        i++;
    mem_insert(m, i, (lu_range){ start, end });
    /* merge with touching neighbours */
    if (i + 1 < m->n && m->r[i + 1].start == end) {
        m->r[i].end = m->r[i + 1].end;
        memmove(&m->r[i + 1], &m->r[i + 2], (m->n - i - 2) * sizeof *m->r);
        m->n--;
    }
    if (i > 0 && m->r[i - 1].end == start) {
        m->r[i - 1].end = m->r[i].end;
        memmove(&m->r[i], &m->r[i + 1], (m->n - i - 1) * sizeof *m->r);
        m->n--;
    }
}

static bool map_overlaps(const lu_memmap *m, uint64_t start, uint64_t end)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->r[i].start < end && m->r[i].end > start)
            return true;
    return false;
}

void lu_mem_add(lu_proc *p, uint64_t start, uint64_t end) { map_add(&p->mem, start, end); }
void lu_mem_remove(lu_proc *p, uint64_t start, uint64_t end) { map_remove(&p->mem, start, end); }
void lu_code_add(lu_proc *p, uint64_t start, uint64_t end) { map_add(&p->code, start, end); }
void lu_code_remove(lu_proc *p, uint64_t start, uint64_t end) { map_remove(&p->code, start, end); }
bool lu_code_overlaps(const lu_proc *p, uint64_t start, uint64_t end)
{
    return map_overlaps(&p->code, start, end);
}

void lu_exec_set(lu_proc *p, uint64_t start, uint64_t end, bool exec)
{
    pthread_mutex_lock(&p->exec_lock);
    if (exec)
        map_add(&p->exec, start, end);
    else
        map_remove(&p->exec, start, end);
    pthread_mutex_unlock(&p->exec_lock);
}

bool lu_exec_has(lu_proc *p, uint64_t pc)
{
    pthread_mutex_lock(&p->exec_lock);
    bool r = map_overlaps(&p->exec, pc, pc + 1);
    pthread_mutex_unlock(&p->exec_lock);
    return r;
}

/* A translated guest's mapping without an address goes where Ferry puts
 * it, top-down below the interpreter, not where the host kernel's ASLR
 * would: the same program then gets the same addresses run after run, so
 * that the persistent translation cache (backend/tcfile.h) finds the
 * blocks of its libraries (and the addresses are ones real riscv64 Sv39
 * hardware has).  Something of Ferry's own in the way (MAP_FIXED_NOREPLACE
 * fails) is stepped over; with no room left the kernel picks, as before.
 * An x86-64 guest in KVM keeps the kernel's choices, as natively. */
#define LU_MMAP_TOP LU_INTERP_BASE
#define LU_MMAP_MIN (1ull << 32)

void *lu_mem_place(lu_proc *p, uint64_t len, int prot, int flags, int fd, off_t off)
{
    uint64_t top = LU_MMAP_TOP;
    /* (a stack that grows down keeps the kernel's room below it) */
    for (int tries = 0; p->abi->fe && !(flags & MAP_GROWSDOWN) && tries < 16; tries++) {
        uint64_t at = lu_mem_gap(p, len, LU_MMAP_MIN, top);
        if (!at)
            break;
        void *m = mmap(G2H(at), len, prot, flags | MAP_FIXED_NOREPLACE, fd, off);
        if (m != MAP_FAILED || errno != EEXIST)
            return m;
        top = at; /* Ferry's: look below it */
    }
    return mmap(NULL, len, prot, flags, fd, off);
}

uint64_t lu_guest_code_page(lu_proc *p, const void *bytes, size_t len)
{
    /* placed like the guest's own mappings: the same address every run,
     * so the blocks there (signal return, routine entries) can be kept */
    void *m = lu_mem_place(p, LU_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return 0;
    if (len)
        memcpy(m, bytes, len);
    mprotect(m, LU_PAGE, PROT_READ);
    uint64_t page = (uint64_t)(uintptr_t)m;
    lu_mem_add(p, page, page + LU_PAGE);
    lu_code_add(p, page, page + LU_PAGE);
    lu_exec_set(p, page, page + LU_PAGE, true);
    return page;
}

void lu_exec_image(lu_proc *p, const lu_image *img)
{
    for (unsigned i = 0; i < img->n_exec; i++)
        lu_exec_set(p, img->exec_start[i], img->exec_end[i], true);
}

bool lu_mem_covered(const lu_proc *p, uint64_t start, uint64_t end)
{
    const lu_memmap *m = &p->mem;
    for (size_t i = 0; i < m->n && start < end; i++)
        if (m->r[i].start <= start && m->r[i].end > start)
            start = m->r[i].end;
    return start >= end;
}

uint64_t lu_mem_gap(const lu_proc *p, uint64_t len, uint64_t lo, uint64_t hi)
{
    const lu_memmap *m = &p->mem;
    uint64_t top = hi;
    for (size_t i = m->n; len <= hi - lo; i--) {
        /* the free space between range i-1 (or lo) and top */
        uint64_t below = i ? m->r[i - 1].end : lo;
        if (below < lo)
            below = lo;
        if (top >= below && top - below >= len)
            return top - len;
        if (i == 0 || m->r[i - 1].start <= lo)
            return 0;
        if (m->r[i - 1].start < top)
            top = m->r[i - 1].start;
    }
    return 0;
}

/* The heap grows inside one PROT_NONE reservation after the image; if
 * something is already there the guest simply gets no brk heap (glibc's
 * malloc then falls back to mmap, as on a crowded kernel). */
void lu_brk_init(lu_proc *p, uint64_t start)
{
    p->brk_start = p->brk_cur = p->brk_limit = start;
    for (uint64_t len = LU_BRK_RESERVE; len >= (1ull << 20); len >>= 2) {
        void *r = mmap(G2H(start), len, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
                       -1, 0);
        if (r == G2H(start)) {
            p->brk_limit = start + len;
            lu_mem_add(p, start, start + len);
            return;
        }
        if (r != MAP_FAILED)
            munmap(r, len);
    }
}
