/* The translation cache: code buffer (two views of one memfd) and an
 * open-addressing map from guest pc to block.  See tcache.h. */
#include "backend/tcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TC_ALIGN 16

struct tcache {
    uint8_t *rw;        /* write view */
    uint64_t rx;        /* execute view */
    size_t size;
    size_t fixed;       /* trampolines: kept across flushes */
    size_t used;
    uint64_t generation;
    tc_block *blocks;   /* hash slots; code == 0 marks an empty one */
    size_t nslots;      /* a power of two */
    size_t nblocks;
    uint64_t guest_lo, guest_hi; /* span of guest code with translations */
};

/* Small to start: each slot touched costs a page fault on a new process. */
#define TC_INITIAL_SLOTS 4096

static void die(const char *what)
{
    perror(what);
    exit(125);
}

tcache *tcache_new(size_t bytes)
{
    tcache *tc = calloc(1, sizeof *tc);
    int fd = memfd_create("ferry-code", MFD_CLOEXEC);
    if (!tc || fd < 0 || ftruncate(fd, (off_t)bytes) < 0)
        die("ferry: translation cache");
    tc->rw = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void *rx = mmap(NULL, bytes, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (tc->rw == MAP_FAILED || rx == MAP_FAILED)
        die("ferry: translation cache mapping");
    close(fd);
    tc->rx = (uint64_t)(uintptr_t)rx;
    tc->size = bytes;
    tcache_flush(tc);
    tc->generation = 0;
    return tc;
}

void tcache_commit_raw(tcache *tc, size_t size)
{
    tc->used += (size + TC_ALIGN - 1) & ~(size_t)(TC_ALIGN - 1);
    tc->fixed = tc->used;
}

size_t tcache_reserve(tcache *tc, uint8_t **rw, uint64_t *rx)
{
    *rw = tc->rw + tc->used;
    *rx = tc->rx + tc->used;
    return tc->size - tc->used;
}

static size_t slot_of(const tcache *tc, uint64_t pc)
{
    return (size_t)((pc >> 1) * 0x9e3779b97f4a7c15ull >> 32) & (tc->nslots - 1);
}

static void grow(tcache *tc)
{
    tc_block *old = tc->blocks;
    size_t n = tc->nslots;
    tc->nslots *= 2;
    tc->blocks = calloc(tc->nslots, sizeof *tc->blocks);
    if (!tc->blocks)
        die("ferry: translation cache map");
    for (size_t i = 0; i < n; i++) {
        if (!old[i].code)
            continue;
        size_t s = slot_of(tc, old[i].guest_pc);
        while (tc->blocks[s].code)
            s = (s + 1) & (tc->nslots - 1);
        tc->blocks[s] = old[i];
    }
    free(old);
}

const tc_block *tcache_commit(tcache *tc, const tc_block *tb)
{
    uint64_t pc = tb->guest_pc, end = tb->guest_end;
    size_t size = tb->size;
    if (2 * (tc->nblocks + 1) > tc->nslots)
        grow(tc);
    size_t s = slot_of(tc, pc);
    while (tc->blocks[s].code && tc->blocks[s].guest_pc != pc)
        s = (s + 1) & (tc->nslots - 1);
    if (!tc->blocks[s].code)
        tc->nblocks++;
    tc->blocks[s] = *tb;
    if (pc < tc->guest_lo)
        tc->guest_lo = pc;
    if (end > tc->guest_hi)
        tc->guest_hi = end;
    tc->used += (size + TC_ALIGN - 1) & ~(size_t)(TC_ALIGN - 1);
    return &tc->blocks[s];
}

const tc_block *tcache_lookup(const tcache *tc, uint64_t pc)
{
    for (size_t s = slot_of(tc, pc);; s = (s + 1) & (tc->nslots - 1)) {
        const tc_block *b = &tc->blocks[s];
        if (!b->code)
            return NULL;
        if (b->guest_pc == pc)
            return b;
    }
}

void tcache_flush(tcache *tc)
{
    /* A fresh table rather than a memset: calloc's pages stay untouched. */
    free(tc->blocks);
    tc->nslots = TC_INITIAL_SLOTS;
    tc->blocks = calloc(tc->nslots, sizeof *tc->blocks);
    if (!tc->blocks)
        die("ferry: translation cache map");
    tc->nblocks = 0;
    tc->guest_lo = UINT64_MAX;
    tc->guest_hi = 0;
    tc->used = tc->fixed;
    tc->generation++;
}

uint64_t tcache_generation(const tcache *tc) { return tc->generation; }

void tcache_each(const tcache *tc, void (*f)(void *arg, const tc_block *b), void *arg)
{
    for (size_t i = 0; i < tc->nslots; i++)
        if (tc->blocks[i].code)
            f(arg, &tc->blocks[i]);
}

int tcache_overlaps(const tcache *tc, uint64_t start, uint64_t end)
{
    return start < tc->guest_hi && end > tc->guest_lo;
}

uint8_t *tcache_rw(const tcache *tc, uint64_t rx) { return tc->rw + (rx - tc->rx); }

int tcache_owns(const tcache *tc, uint64_t rx)
{
    return rx >= tc->rx && rx < tc->rx + tc->size;
}
