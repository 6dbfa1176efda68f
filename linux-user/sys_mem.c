/* Memory syscalls.  Guest memory is host memory, so mmap & co. go to the
 * host kernel, but only over ranges the guest owns (lu_mem_*) or that are
 * free: a guest MAP_FIXED over Ferry's own memory fails with ENOMEM
 * instead of silently destroying the translator.  brk is emulated inside
 * a reservation made at load time, with the kernel's semantics.
 * PROT_EXEC is dropped on the host for translated guests: their code is
 * read, never executed; it marks where guest code may be (lu_code_*), and
 * only changes there drop translations.  A guest run natively (KVM) keeps
 * it, and every change is also told to its runner (lu_mem_prot), whose
 * page tables follow.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/lu.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define GUEST_MAX (1ull << 47)

static int host_prot(const lu_proc *p, uint64_t prot)
{
    if (!p->abi->fe)
        return (int)prot;
    int h = (int)prot & ~PROT_EXEC;
    if (prot & PROT_EXEC)
        h |= PROT_READ;
    return h;
}

/* [start, end) no longer holds what it held: record whether it holds
 * code now, then forget its translations if it held code (after: the
 * engine remembers a page the exec map called executable until told). */
static void code_changed(lu_proc *p, uint64_t start, uint64_t end, bool exec)
{
    bool held = lu_code_overlaps(p, start, end);
    if (exec)
        lu_code_add(p, start, end);
    else
        lu_code_remove(p, start, end);
    lu_exec_set(p, start, end, exec);
    if (held) {
        if (p->invalidate)
            p->invalidate(p->eng, start, end);
        lu_routines_forget(p, start, end);
    }
}

static bool bad_range(uint64_t addr, uint64_t len)
{
    return len == 0 || addr + len < addr || addr + len > GUEST_MAX;
}

/* Make every part of [start, end) the guest does not own yet its own, if
 * it is free (MAP_FIXED_NOREPLACE): true when the whole range is now the
 * guest's to map over.  On failure the claims are undone. */
static bool claim(lu_proc *p, uint64_t start, uint64_t end)
{
    uint64_t a = start;
    while (a < end) {
        if (lu_mem_covered(p, a, a + LU_PAGE)) {
            a += LU_PAGE;
            continue;
        }
        uint64_t b = a + LU_PAGE;
        while (b < end && !lu_mem_covered(p, b, b + LU_PAGE))
            b += LU_PAGE;
        void *r = mmap(G2H(a), b - a, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
                       -1, 0);
        if (r != G2H(a)) {
            if (r != MAP_FAILED)
                munmap(r, b - a);
            /* undo: the claimed pieces were free before */
            for (uint64_t u = start; u < a; u += LU_PAGE)
                if (!lu_mem_covered(p, u, u + LU_PAGE))
                    munmap(G2H(u), LU_PAGE);
            return false;
        }
        a = b;
    }
    return true;
}

/* A fixed mapping at or above the break takes the rest of the brk
 * reservation from there on: the heap may no longer grow into it, as on
 * Linux, where brk fails when it would meet a mapping. */
static void cut_brk_reserve(lu_proc *p, uint64_t start, uint64_t end)
{
    uint64_t top = LU_PAGE_UP(p->brk_cur);
    if (end <= top || start >= p->brk_limit)
        return;
    uint64_t cut = start > top ? start : top;
    munmap(G2H(cut), p->brk_limit - cut);
    lu_mem_remove(p, cut, p->brk_limit);
    p->brk_limit = cut;
}

int64_t sys_mmap(lu_thread *t, const uint64_t a[6])
{
    lu_proc *p = t->p;
    uint64_t addr = a[0], len = LU_PAGE_UP(a[1]);
    int flags = (int)a[3];
    if (a[1] == 0 || len < a[1])
        return -EINVAL;
    bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
    if (fixed && ((addr & (LU_PAGE - 1)) || bad_range(addr, len)))
        return (addr & (LU_PAGE - 1)) ? -EINVAL : -ENOMEM;
    pthread_mutex_lock(&p->lock);
    if (fixed)
        cut_brk_reserve(p, addr, addr + len);
    int64_t r = -ENOMEM;
    if (!(flags & MAP_FIXED) || (flags & MAP_FIXED_NOREPLACE) ||
        claim(p, addr, addr + len)) {
        void *m = fixed || addr ? mmap(G2H(addr), len, host_prot(p, a[2]), flags, (int)a[4], (off_t)a[5])
                                : lu_mem_place(p, len, host_prot(p, a[2]), flags, (int)a[4], (off_t)a[5]);
        r = m == MAP_FAILED ? -errno : (int64_t)(uintptr_t)m;
    }
    if (r >= 0) {
        lu_mem_add(p, (uint64_t)r, (uint64_t)r + len);
        code_changed(p, (uint64_t)r, (uint64_t)r + len, a[2] & PROT_EXEC);
        if ((a[2] & PROT_EXEC) && !(flags & MAP_ANONYMOUS))
            lu_routines_add_mapping(p, (int)a[4], a[5], (uint64_t)r, (uint64_t)r + len);
        lu_mem_prot(p, (uint64_t)r, (uint64_t)r + len, (int)a[2]);
    }
    pthread_mutex_unlock(&p->lock);
    return r;
}

/* Unmap only what the guest owns; the rest is a hole or Ferry's, and
 * unmapping a hole is a no-op for the kernel too. */
int64_t sys_munmap(lu_thread *t, const uint64_t a[6])
{
    lu_proc *p = t->p;
    uint64_t start = a[0], end = a[0] + LU_PAGE_UP(a[1]);
    if ((start & (LU_PAGE - 1)) || bad_range(start, end - start))
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->mem.n; i++) {
        uint64_t s = p->mem.r[i].start > start ? p->mem.r[i].start : start;
        uint64_t e = p->mem.r[i].end < end ? p->mem.r[i].end : end;
        if (s < e)
            munmap(G2H(s), e - s);
    }
    lu_mem_remove(p, start, end);
    code_changed(p, start, end, false);
    lu_mem_prot(p, start, end, 0);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

int64_t sys_mprotect(lu_thread *t, const uint64_t a[6])
{
    uint64_t start = a[0], end = a[0] + LU_PAGE_UP(a[1]);
    if (start & (LU_PAGE - 1))
        return -EINVAL;
    if (a[1] == 0)
        return 0;
    if (bad_range(start, end - start) || !lu_mem_covered(t->p, start, end))
        return -ENOMEM;
    int64_t r = lu_ret(mprotect(G2H(start), end - start, host_prot(t->p, a[2])));
    if (r == 0) {
        /* Made executable: the bytes stay, nothing to forget.  No longer
         * executable: its translations must not run again. */
        pthread_mutex_lock(&t->p->lock);
        lu_mem_prot(t->p, start, end, (int)a[2]);
        if (a[2] & PROT_EXEC) {
            lu_code_add(t->p, start, end);
            lu_exec_set(t->p, start, end, true);
        } else {
            code_changed(t->p, start, end, false);
        }
        pthread_mutex_unlock(&t->p->lock);
    }
    return r;
}

int64_t sys_madvise(lu_thread *t, const uint64_t a[6])
{
    uint64_t start = a[0], end = a[0] + LU_PAGE_UP(a[1]);
    if (start & (LU_PAGE - 1))
        return -EINVAL;
    if (a[1] == 0)
        return 0;
    if (bad_range(start, end - start) || !lu_mem_covered(t->p, start, end))
        return -ENOMEM;
    return lu_ret(madvise(G2H(start), end - start, (int)a[2]));
}

int64_t sys_mremap(lu_thread *t, const uint64_t a[6])
{
    lu_proc *p = t->p;
    uint64_t old = a[0], olen = LU_PAGE_UP(a[1]), nlen = LU_PAGE_UP(a[2]);
    int flags = (int)a[3];
    if ((old & (LU_PAGE - 1)) || nlen == 0)
        return -EINVAL;
    if (!lu_mem_covered(p, old, old + (olen ? olen : LU_PAGE)))
        return -EFAULT;
    pthread_mutex_lock(&p->lock);
    int64_t r = -ENOMEM;
    if (!(flags & MREMAP_FIXED) ||
        (!bad_range(a[4], nlen) && claim(p, a[4], a[4] + nlen))) {
        void *m = mremap(G2H(old), a[1], a[2], flags, G2H(a[4]));
        r = m == MAP_FAILED ? -errno : (int64_t)(uintptr_t)m;
    }
    if (r >= 0) {
        lu_mem_like(p, (uint64_t)r, (uint64_t)r + nlen, old);
        if (olen && !(flags & MREMAP_DONTUNMAP) && (uint64_t)r != old)
            lu_mem_prot(p, old, old + olen, 0);
        else if (nlen < olen) /* shrunk in place */
            lu_mem_prot(p, old + nlen, old + olen, 0);
        if (olen && !(flags & MREMAP_DONTUNMAP))
            lu_mem_remove(p, old, old + olen);
        bool exec = lu_code_overlaps(p, old, old + olen);
        lu_mem_add(p, (uint64_t)r, (uint64_t)r + nlen);
        if (!(flags & MREMAP_DONTUNMAP))
            code_changed(p, old, old + olen, false);
        if (exec) /* the code moved: it may run at its new address */
            lu_code_add(p, (uint64_t)r, (uint64_t)r + nlen);
    }
    pthread_mutex_unlock(&p->lock);
    return r;
}

/* The kernel's brk: a request outside [start, reserve end] or one that
 * cannot be met leaves the break where it is, and the call returns the
 * current break either way.  Shrinking throws the pages away, so growing
 * again reads zeros. */
int64_t sys_brk(lu_thread *t, const uint64_t a[6])
{
    lu_proc *p = t->p;
    uint64_t want = a[0];
    pthread_mutex_lock(&p->lock);
    if (want >= p->brk_start && want <= p->brk_limit) {
        uint64_t oldtop = LU_PAGE_UP(p->brk_cur), newtop = LU_PAGE_UP(want);
        bool ok = true;
        if (newtop > oldtop) {
            ok = mprotect(G2H(oldtop), newtop - oldtop, PROT_READ | PROT_WRITE) == 0;
            if (ok)
                lu_mem_prot(p, oldtop, newtop, PROT_READ | PROT_WRITE);
        } else if (newtop < oldtop) {
            ok = mmap(G2H(newtop), oldtop - newtop, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
                      -1, 0) != MAP_FAILED;
            if (ok)
                lu_mem_prot(p, newtop, oldtop, 0);
        }
        if (ok)
            p->brk_cur = want;
    }
    int64_t r = (int64_t)p->brk_cur;
    pthread_mutex_unlock(&p->lock);
    return r;
}
