/* The translation cache: code buffer (two views of one memfd, or of
 * shared anonymous memory for perf) and an open-addressing map from guest
 * pc to block.  See tcache.h. */
#include "backend/tcache.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TC_ALIGN 16

typedef struct tc_table tc_table;

typedef struct tc_span {
    uint32_t off, size;    /* of the code, from the buffer's start */
    const tc_table *table; /* its instruction table (NULL: right after the code) */
} tc_span;

/* One slot of the map: small, so that its pages are few (a start
 * populates the whole table: a static hello's 2,048 slots were 8 pages at
 * 16 bytes).  A tag of the pc spares most probes a read of the block. */
typedef struct tc_slot {
    uint32_t tag;   /* tag_of(the block's pc) */
    uint32_t block; /* 1 + its index in tcache.blocks; 0: empty */
} tc_slot;

/* The table after a block's code (8-byte aligned), or where
 * tcache_commit_table says. */
struct tc_table {
    uint64_t guest_pc;
    uint32_t n, flags;
    struct { uint32_t host_off; int32_t guest_off; } e[]; /* off: to guest_pc, either way */
};
_Static_assert(sizeof(tc_table) == TC_TABLE_HEAD && sizeof(((tc_table *)0)->e[0]) == 8,
               "the layout tcache.h gives");

struct tcache {
    int fd;             /* the memfd until tcache_prefault (else -1) */
    uint8_t *rw;        /* write view */
    uint64_t rx;        /* execute view */
    bool placed;        /* rx is where near_image wanted it */
    size_t size;
    size_t fixed;       /* trampolines: kept across flushes */
    size_t used;
    uint64_t generation;
    tc_slot *slots;     /* the hash map (NULL until the first commit); block
                           == NULL marks an empty slot */
    size_t nslots;      /* a power of two: its size, or the size it will have */
    size_t nblocks;
    /* The blocks themselves, in commit order: never moved (a pointer stays
     * good until the flush), touched page by page as they are made. */
    tc_block *blocks;
    size_t nrecs, maxrecs;
    /* Their exits, likewise: a block's are consecutive from its exit_at. */
    tc_exit *exits;
    size_t nexits, maxexits;
    uint64_t guest_lo, guest_hi; /* span of guest code with translations */
    /* Each block's code range in commit order, which is address order
     * (the buffer fills upward): a fault's host pc finds its block by
     * binary search.  Room for one entry per TC_ALIGN bytes, never moved,
     * so a signal handler may read it while another thread appends. */
    tc_span *spans;
    _Atomic size_t nspans;
    /* A cache file's image, mapped over the RX view at image_p (none:
     * image_len 0): its blocks are adopted where they lie, and its guest
     * pcs come from the file (image_pc). */
    size_t image_p, image_len;
    bool (*image_pc)(void *arg, uint64_t off, uint64_t *guest_pc, uint8_t *flags);
    void *image_arg;
};

/* Small to start: each page of the table is populated when it is made,
 * and a prefault sizes it for the blocks to come before it is. */
#define TC_INITIAL_SLOTS 2048

/* Slots for n blocks: at most half full. */
static size_t slots_for(size_t n)
{
    size_t s = TC_INITIAL_SLOTS;
    while (2 * (n + 1) > s)
        s *= 2;
    return s;
}

static void die(const char *what)
{
    perror(what);
    exit(125);
}

extern const char __executable_start[];

/* Where the RX view goes: right below Ferry's own image, so that a
 * block reaches its helpers and tables with a rel32 (a call rather than
 * a mov of the address and a call through it: X86_RELOC_HOST32), at the
 * same distance in every run (a static Ferry's image is at a fixed
 * address, configure.ac's FERRY_IMAGE_BASE, and the view with it). */
static void *near_image(size_t bytes)
{
    uint64_t img = (uint64_t)(uintptr_t)__executable_start & ~(uint64_t)0x1fffff;
    return img > bytes + (32 << 20) ? (void *)(uintptr_t)(img - bytes - (16 << 20)) : NULL;
}

/* The buffer's two views, RW and RX, of one memfd (named "ferry-code" in
 * /proc/PID/maps) or of shared anonymous memory ("/dev/zero (deleted)":
 * perf names code there from /tmp/perf-PID.map, and a memfd's code it
 * does not).  A shared mapping gets its second view from mremap. */
static void map_views(tcache *tc, size_t bytes, bool anon)
{
    void *rx;
    tc->fd = -1;
    if (anon) {
        tc->rw = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        rx = tc->rw == MAP_FAILED ? MAP_FAILED : mremap(tc->rw, 0, bytes, MREMAP_MAYMOVE);
        if (rx != MAP_FAILED && mprotect(rx, bytes, PROT_READ | PROT_EXEC) < 0)
            rx = MAP_FAILED;
    } else {
        int fd = memfd_create("ferry-code", MFD_CLOEXEC);
        if (fd < 0 || ftruncate(fd, (off_t)bytes) < 0)
            die("ferry: translation cache");
        void *want = near_image(bytes);
        rx = mmap(want, bytes, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
        tc->placed = want && rx == want;
        if (rx == MAP_FAILED)
            rx = mmap(NULL, bytes, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
        tc->rw = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        tc->fd = fd; /* until tcache_prefault */
    }
    if (tc->rw == MAP_FAILED || rx == MAP_FAILED)
        die("ferry: translation cache mapping");
    tc->rx = (uint64_t)(uintptr_t)rx;
}

static tcache *cache_new(size_t bytes, bool anon)
{
    tcache *tc = calloc(1, sizeof *tc);
    if (!tc)
        die("ferry: translation cache");
    map_views(tc, bytes, anon);
    tc->size = bytes;
    tc->spans = mmap(NULL, bytes / TC_ALIGN * sizeof *tc->spans, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    tc->maxrecs = bytes / TC_ALIGN; /* a block takes at least TC_ALIGN bytes */
    tc->blocks = mmap(NULL, tc->maxrecs * sizeof *tc->blocks, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    tc->maxexits = bytes / 16; /* an exit's jmp and path take more code than that */
    tc->exits = mmap(NULL, tc->maxexits * sizeof *tc->exits, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (tc->spans == MAP_FAILED || tc->blocks == MAP_FAILED || tc->exits == MAP_FAILED)
        die("ferry: translation cache index");
    tcache_flush(tc);
    tc->generation = 0;
    return tc;
}

tcache *tcache_new(size_t bytes) { return cache_new(bytes, false); }
tcache *tcache_new_anon(size_t bytes) { return cache_new(bytes, true); }

void tcache_commit_raw(tcache *tc, size_t size)
{
    tc->used += (size + TC_ALIGN - 1) & ~(size_t)(TC_ALIGN - 1);
    tc->fixed = tc->used;
}

/* madvise's populate advice (Linux 5.14); older kernels say EINVAL and
 * the pages fault in as they are used. */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static void populate(const void *p, size_t bytes, int advice)
{
    uintptr_t lo = (uintptr_t)p & ~(uintptr_t)4095;
    uintptr_t hi = ((uintptr_t)p + bytes + 4095) & ~(uintptr_t)4095;
    if (bytes)
        madvise((void *)lo, hi - lo, advice);
}

void tcache_prefault(tcache *tc, size_t code_bytes, size_t n_blocks)
{
    code_bytes = code_bytes < tc->size - tc->used ? code_bytes : tc->size - tc->used;
    n_blocks = n_blocks < tc->maxrecs - tc->nrecs ? n_blocks : tc->maxrecs - tc->nrecs;
    /* The pages made first, then mapped: the write view's populate of a
     * hole (make, then map each page) cost 10-15% more here. */
    if (tc->fd >= 0) {
        if (code_bytes)
            fallocate(tc->fd, 0, (off_t)tc->used, (off_t)code_bytes);
        close(tc->fd);
        tc->fd = -1;
    }
    populate(tc->rw + tc->used, code_bytes, MADV_POPULATE_WRITE);
    /* (not the RX view: its first run of each 64 KB maps all the pages
     * there that exist, the fault-around, in half the time a populate
     * takes here) */
    populate(tc->blocks + tc->nrecs, n_blocks * sizeof *tc->blocks, MADV_POPULATE_WRITE);
    if (!tc->slots)
        tc->nslots = slots_for(n_blocks);
    size_t n_exits = 2 * n_blocks < tc->maxexits - tc->nexits ? 2 * n_blocks : tc->maxexits - tc->nexits;
    populate(tc->exits + tc->nexits, n_exits * sizeof *tc->exits, MADV_POPULATE_WRITE);
    populate(tc->spans + atomic_load(&tc->nspans), n_blocks * sizeof *tc->spans,
             MADV_POPULATE_WRITE);
}

size_t tcache_reserve(tcache *tc, uint8_t **rw, uint64_t *rx)
{
    *rw = tc->rw + tc->used;
    *rx = tc->rx + tc->used;
    return tc->size - tc->used;
}

/* The slot table gets pages of its own, populated at once: a lookup that
 * misses reads a slot before its commit writes it, so a page left to the
 * fault handler costs two faults and a copy of the zero page, and the
 * hash spreads blocks over every page of the table anyway. */
static tc_slot *table_new(size_t nslots)
{
    void *t = mmap(NULL, nslots * sizeof(tc_slot), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (t == MAP_FAILED)
        die("ferry: translation cache map");
    return t;
}

static void table_free(tc_slot *t, size_t nslots)
{
    if (t)
        munmap(t, nslots * sizeof *t);
}

static size_t slot_of(const tcache *tc, uint64_t pc)
{
    return (size_t)tcache_pc_slot(pc, tc->nslots);
}

static uint32_t tag_of(uint64_t pc) { return (uint32_t)pc ^ (uint32_t)(pc >> 32); }

/* The block slot t names (t->block != 0). */
static tc_block *slot_block(const tcache *tc, const tc_slot *t)
{
    return &tc->blocks[t->block - 1];
}

/* The slot for pc: its block's, or the empty one where it would go. */
static size_t probe(const tcache *tc, uint64_t pc)
{
    uint32_t tag = tag_of(pc);
    size_t s = slot_of(tc, pc);
    for (const tc_slot *t; (t = &tc->slots[s])->block; s = (s + 1) & (tc->nslots - 1))
        if (t->tag == tag && slot_block(tc, t)->guest_pc == pc)
            break;
    return s;
}

static void grow(tcache *tc)
{
    tc_slot *old = tc->slots;
    size_t n = tc->nslots;
    tc->nslots *= 2;
    tc->slots = table_new(tc->nslots);
    for (size_t i = 0; i < n; i++)
        if (old[i].block)
            tc->slots[probe(tc, slot_block(tc, &old[i])->guest_pc)] = old[i];
    table_free(old, n);
}

/* Record tb (its code already in the buffer) in the map. */
static tc_block *record(tcache *tc, const tc_block *tb, const tc_exit *exits)
{
    uint64_t pc = tb->guest_pc, lo = tb->guest_lo, end = tb->guest_end;
    if (!tc->slots)
        tc->slots = table_new(tc->nslots);
    else if (2 * (tc->nblocks + 1) > tc->nslots)
        grow(tc);
    size_t s = probe(tc, pc);
    if (!tc->slots[s].block)
        tc->nblocks++;
    if (tc->nrecs == tc->maxrecs || tc->maxexits - tc->nexits < tb->n_exits)
        die("ferry: translation cache records"); /* (the buffer would be full first) */
    tc_block *b = &tc->blocks[tc->nrecs++];
    *b = *tb;
    b->exit_at = (uint32_t)tc->nexits;
    if (tb->n_exits)
        memcpy(&tc->exits[tc->nexits], exits, tb->n_exits * sizeof *exits);
    tc->nexits += tb->n_exits;
    tc->slots[s] = (tc_slot){.tag = tag_of(pc), .block = (uint32_t)(b - tc->blocks) + 1};
    if (lo < tc->guest_lo)
        tc->guest_lo = lo;
    if (end > tc->guest_hi)
        tc->guest_hi = end;
    return b;
}

const tc_block *tcache_commit(tcache *tc, const tc_block *tb, const tc_exit *exits)
{
    tc_block *b = record(tc, tb, exits);
    tc->used += (tb->size + TC_ALIGN - 1) & ~(size_t)(TC_ALIGN - 1);
    return b;
}

const tc_block *tcache_adopt(tcache *tc, const tc_block *tb, const tc_exit *exits)
{
    return record(tc, tb, exits);
}

static size_t page_up(size_t n) { return (n + 4095) & ~(size_t)4095; }

size_t tcache_image_offset(const tcache *tc) { return page_up(tc->fixed); }

bool tcache_set_image(tcache *tc, size_t len,
                      bool (*image_pc)(void *arg, uint64_t off, uint64_t *guest_pc, uint8_t *flags),
                      void *arg)
{
    size_t p = tcache_image_offset(tc);
    if (tc->used != tc->fixed || !len || page_up(len) > tc->size - p)
        return false;
    tc->image_p = p;
    tc->image_len = len;
    tc->image_pc = image_pc;
    tc->image_arg = arg;
    tc->used = p + page_up(len);
    return true;
}

uint64_t tcache_image_rx(const tcache *tc)
{
    return tc->image_len ? tc->rx + tc->image_p : 0;
}

bool tcache_in_image(const tcache *tc, uint64_t rx)
{
    return tc->image_len && rx - (tc->rx + tc->image_p) < tc->image_len;
}

/* At a flush: the image stays mapped, run by no one (nothing is chained
 * to it any more), and the buffer starts again past it. */
static void drop_image(tcache *tc)
{
    if (!tc->image_len)
        return;
    tc->fixed = tc->image_p + page_up(tc->image_len);
    tc->image_len = 0;
}

/* The image has no RW view (its pages are the file's, mapped privately):
 * a write to it makes a copy of the pages it touches with the bytes
 * changed, then puts the copy in their place in one step (mremap), so
 * that a thread running there sees the old page or the new one.  No file
 * descriptor (a guest may close any) and no /proc.  Rare: an exit of an
 * image block chained to a block not in the image, or one whose target
 * turned out unsound. */
bool tcache_patch_image(tcache *tc, uint64_t rx, const void *bytes, size_t n)
{
    uintptr_t lo = (uintptr_t)rx & ~(uintptr_t)4095;
    size_t len = page_up((size_t)(rx + n - lo));
    uint8_t *copy = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (copy == MAP_FAILED)
        return false;
    memcpy(copy, (const void *)lo, len);
    memcpy(copy + (rx - lo), bytes, n);
    if (mprotect(copy, len, PROT_READ | PROT_EXEC) != 0 ||
        mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)lo) != (void *)lo) {
        munmap(copy, len);
        return false;
    }
    return true;
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

size_t tcache_block_bytes(size_t code_size, uint32_t n)
{
    return align8(code_size) + sizeof(tc_table) + n * sizeof(((tc_table *)0)->e[0]);
}

size_t tcache_block_span(size_t code_size, uint32_t n, bool table)
{
    size_t bytes = table ? tcache_block_bytes(code_size, n) : code_size;
    return (bytes + TC_ALIGN - 1) & ~(size_t)(TC_ALIGN - 1);
}

const tc_exit *tcache_exits(const tcache *tc, const tc_block *b)
{
    return &tc->exits[b->exit_at];
}

/* Commit tb, whose code and table (NULL: after the code) take bytes of
 * the buffer, with its span for tcache_guest_pc. */
static const tc_block *commit_span(tcache *tc, const tc_block *tb, const tc_exit *exits,
                                   const tc_table *table, size_t bytes)
{
    size_t k = atomic_load_explicit(&tc->nspans, memory_order_relaxed);
    tc->spans[k] = (tc_span){.off = (uint32_t)(tb->code - tc->rx), .size = tb->size,
                             .table = table};
    atomic_store_explicit(&tc->nspans, k + 1, memory_order_release);
    tc_block copy = *tb;
    copy.size = (uint32_t)bytes;
    tc_block *b = (tc_block *)tcache_commit(tc, &copy, exits);
    b->size = tb->size;
    return b;
}

const tc_block *tcache_commit_pcs(tcache *tc, const tc_block *tb, const tc_exit *exits,
                                  const tc_insn_pc *pcs, uint32_t n)
{
    size_t off = tb->code - tc->rx;
    tc_table *t = (tc_table *)(void *)(tc->rw + off + align8(tb->size));
    t->guest_pc = tb->guest_pc;
    t->n = n;
    t->flags = tb->flags;
    for (uint32_t i = 0; i < n; i++) {
        t->e[i].host_off = pcs[i].host_off;
        t->e[i].guest_off = (int32_t)(pcs[i].guest_pc - tb->guest_pc);
    }
    return commit_span(tc, tb, exits, NULL, tcache_block_bytes(tb->size, n));
}

const tc_block *tcache_commit_table(tcache *tc, const tc_block *tb, const tc_exit *exits,
                                    const void *table)
{
    return commit_span(tc, tb, exits, table, tb->size);
}

bool tcache_guest_pc(const tcache *tc, uint64_t host_pc, uint64_t *guest_pc, uint8_t *flags)
{
    size_t n = atomic_load_explicit(&tc->nspans, memory_order_acquire);
    if (host_pc < tc->rx || host_pc >= tc->rx + tc->size)
        return false;
    uint64_t off = host_pc - tc->rx;
    if (tcache_in_image(tc, host_pc))
        return tc->image_pc(tc->image_arg, off - tc->image_p, guest_pc, flags);
    size_t lo = 0, hi = n; /* the first span starting past off */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (tc->spans[mid].off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || off >= (uint64_t)tc->spans[lo - 1].off + tc->spans[lo - 1].size)
        return false;
    const tc_span *s = &tc->spans[lo - 1];
    const tc_table *t = s->table ? s->table :
        (const tc_table *)(const void *)(tc->rw + s->off + align8(s->size));
    uint32_t rel = (uint32_t)(off - s->off);
    lo = 0;
    hi = t->n; /* the first instruction starting past rel */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->e[mid].host_off <= rel)
            lo = mid + 1;
        else
            hi = mid;
    }
    *guest_pc = t->guest_pc + (uint64_t)(int64_t)(lo ? t->e[lo - 1].guest_off : 0);
    if (flags)
        *flags = (uint8_t)t->flags;
    return true;
}

const tc_block *tcache_lookup(const tcache *tc, uint64_t pc)
{
    if (!tc->slots)
        return NULL;
    const tc_slot *t = &tc->slots[probe(tc, pc)];
    return t->block ? slot_block(tc, t) : NULL;
}

void tcache_flush(tcache *tc)
{
    /* A fresh table (at the next commit) rather than a memset of one
     * that may have grown. */
    table_free(tc->slots, tc->nslots);
    tc->slots = NULL;
    tc->nslots = TC_INITIAL_SLOTS;
    tc->nblocks = 0;
    tc->nrecs = 0;
    tc->nexits = 0;
    atomic_store(&tc->nspans, 0);
    tc->guest_lo = UINT64_MAX;
    tc->guest_hi = 0;
    drop_image(tc);
    tc->used = tc->fixed;
    tc->generation++;
}

uint64_t tcache_generation(const tcache *tc) { return tc->generation; }

void tcache_each(const tcache *tc, void (*f)(void *arg, const tc_block *b), void *arg)
{
    for (size_t i = 0; tc->slots && i < tc->nslots; i++)
        if (tc->slots[i].block)
            f(arg, slot_block(tc, &tc->slots[i]));
}

/* The span [guest_lo, guest_hi) answers most calls; inside it each block
 * is asked, since the span of a dynamic program runs from ld.so to libc
 * and covers their data (ld.so's RELRO mprotect must not flush).  The
 * scan costs far less than the flush it saves. */
int tcache_overlaps(const tcache *tc, uint64_t start, uint64_t end)
{
    if (start >= tc->guest_hi || end <= tc->guest_lo) /* (no block: no table yet) */
        return 0;
    for (size_t i = 0; i < tc->nslots; i++) {
        const tc_block *b = tc->slots[i].block ? slot_block(tc, &tc->slots[i]) : NULL;
        if (b && start < b->guest_end && end > b->guest_lo)
            return 1;
    }
    return 0;
}

uint8_t *tcache_rw(const tcache *tc, uint64_t rx) { return tc->rw + (rx - tc->rx); }

uint64_t tcache_rx(const tcache *tc) { return tc->rx; }

bool tcache_placed(const tcache *tc) { return tc->placed; }

int tcache_owns(const tcache *tc, uint64_t rx)
{
    return rx >= tc->rx && rx < tc->rx + tc->size;
}
