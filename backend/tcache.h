/* The translation cache: one code buffer and the map from guest pc to
 * translated block.
 *
 *   tcache *tc = tcache_new(32 << 20);
 *   uint8_t *rw; uint64_t rx; size_t cap = tcache_reserve(tc, &rw, &rx);
 *   ... write up to cap bytes at rw, to run at rx ...
 *   tcache_commit(tc, &tb, exits);
 *   const tc_block *tb = tcache_lookup(tc, pc);
 *
 * The buffer is one memfd mapped twice: code is written through a
 * read-write view and run through a separate read-execute view, so no page
 * is ever writable and executable at once.  When the buffer is full the
 * whole cache is flushed (every block and every chain goes); the
 * generation counter tells holders of an old block pointer.
 */
#ifndef FERRY_TCACHE_H
#define FERRY_TCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TC_MAX_EXITS 8 /* a branch's two and side exits (x86.h's X86_MAX_EXITS) */

/* A chainable exit of a block: the jmp (or call) at jmp_off within its
 * code, and where the jmp leads unchained. */
typedef struct tc_exit {
    uint32_t jmp_off, stub_off;
} tc_exit;

/* A block: small, since a program's start makes one for each block it
 * loads (a fresh page of them every 85). */
typedef struct tc_block {
    uint64_t guest_pc;
    uint64_t guest_lo;   /* [guest_lo, guest_end): every guest byte translated */
    uint64_t guest_end;
    uint64_t code;       /* RX address of the host code */
    uint32_t size;
    uint32_t exit_at;    /* its exits (tcache_exits; set by the commit) */
    uint8_t n_exits;     /* how many */
    uint8_t flags;       /* the backend's, for tcache_guest_pc's caller */
    uint16_t entry_skip; /* code + entry_skip: the entry past its stop check */
} tc_block;

typedef struct tcache tcache;

/* Where an open-addressing map of n slots (a power of two) starts its
 * probe for pc: the cache's own and the cache file's (tcfile.c). */
static inline uint64_t tcache_pc_slot(uint64_t pc, uint64_t n)
{
    return (pc >> 1) * 0x9e3779b97f4a7c15ull >> 32 & (n - 1);
}

tcache *tcache_new(size_t bytes);
/* The same in shared anonymous memory (--perfmap: perf reads map files
 * only for anonymous mappings; the second view comes from mremap). */
tcache *tcache_new_anon(size_t bytes);
/* The fixed prefix of the buffer (trampolines) survives flushes:
 * reserve it once, right after tcache_new, with tcache_reserve+commit_raw. */
void tcache_commit_raw(tcache *tc, size_t size);
/* Make the pages of the next code_bytes of code and n_blocks records at
 * once (a few system calls) rather than fault them in one by one: blocks
 * about to be loaded from a file (engine_file_open).  Once, before any
 * code runs (0, 0 if none is to come): it also closes the memfd's
 * descriptor, kept open until then to make the pages. */
void tcache_prefault(tcache *tc, size_t code_bytes, size_t n_blocks);
/* A cache file's image (tcfile.h): where in the buffer it goes (past
 * the trampolines, page-aligned); then, once it is mapped there over the
 * RX view, len bytes, before any block is committed: new code goes
 * after it, and image_pc tells the guest pc of code in it (an offset
 * into it; async-signal-safe).  False (nothing changed) if it cannot
 * be.  After the first flush the buffer starts again past it. */
size_t tcache_image_offset(const tcache *tc);
bool tcache_set_image(tcache *tc, size_t len,
                      bool (*image_pc)(void *arg, uint64_t off, uint64_t *guest_pc, uint8_t *flags),
                      void *arg);
/* Where the image is mapped (0: none, or no more after a flush). */
uint64_t tcache_image_rx(const tcache *tc);
/* Whether rx lies in the mapped image, which has no RW view: write n
 * bytes at rx there with tcache_patch_image (false: it could not be). */
bool tcache_in_image(const tcache *tc, uint64_t rx);
bool tcache_patch_image(tcache *tc, uint64_t rx, const void *bytes, size_t n);
/* Record a block of the image where it lies (tb->code), as commit does
 * but taking no buffer space. */
const tc_block *tcache_adopt(tcache *tc, const tc_block *tb, const tc_exit *exits);
/* Free space for the next block: its RW and RX addresses and size. */
size_t tcache_reserve(tcache *tc, uint8_t **rw, uint64_t *rx);
/* Record the block written at rx (tb->code and size say where) with its
 * tb->n_exits exits. */
const tc_block *tcache_commit(tcache *tc, const tc_block *tb, const tc_exit *exits);
/* A committed block's exits (b->n_exits of them). */
const tc_exit *tcache_exits(const tcache *tc, const tc_block *b);
/* Where each guest instruction's host code starts within a block. */
typedef struct tc_insn_pc {
    uint32_t host_off;
    uint64_t guest_pc;
} tc_insn_pc;
/* Bytes a block of size code bytes with n instruction starts takes in the
 * buffer: reserve that much (the table lives right after the code). */
size_t tcache_block_bytes(size_t code_size, uint32_t n);
/* What a block takes of the buffer as a commit advances it (rounded
 * up), with its table (tcache_commit_pcs) or without (commit_table): the
 * persistent cache's estimate, tcfile.c. */
size_t tcache_block_span(size_t code_size, uint32_t n, bool table);
/* tcache_commit, also keeping the block's instruction table (ascending
 * host_off) for tcache_guest_pc. */
const tc_block *tcache_commit_pcs(tcache *tc, const tc_block *tb, const tc_exit *exits,
                                  const tc_insn_pc *pcs, uint32_t n);
/* A block's instruction table as it sits after its code in the buffer:
 * the guest pc (u64), the entry count n and the block's flags (u32
 * each), then n entries {host offset (u32), guest pc - that pc (i32)}
 * ascending in host offset, host byte order, 8-byte aligned. */
#define TC_TABLE_HEAD 16
/* tcache_commit_pcs for a block whose table (that layout) lives at table,
 * outside the buffer (the mapped cache file, which outlives the block):
 * the buffer holds only its code. */
const tc_block *tcache_commit_table(tcache *tc, const tc_block *tb, const tc_exit *exits,
                                    const void *table);
/* The guest pc of the instruction whose host code holds host_pc (RX), if
 * host_pc lies in a block committed with its table, and (unless NULL)
 * that block's flags.  Async-signal-safe, and safe against another thread
 * committing blocks meanwhile; a flush never runs while a thread is
 * inside code (flush.c). */
bool tcache_guest_pc(const tcache *tc, uint64_t host_pc, uint64_t *guest_pc, uint8_t *flags);
/* Every block, for f (in no order). */
void tcache_each(const tcache *tc, void (*f)(void *arg, const tc_block *b), void *arg);
const tc_block *tcache_lookup(const tcache *tc, uint64_t pc);
void tcache_flush(tcache *tc);
uint64_t tcache_generation(const tcache *tc);
/* Whether any translated guest code may lie in [start, end). */
int tcache_overlaps(const tcache *tc, uint64_t start, uint64_t end);
/* The RX view's address, and whether it is where every run of this
 * Ferry puts it (right below Ferry's image: tcache.c's near_image). */
uint64_t tcache_rx(const tcache *tc);
bool tcache_placed(const tcache *tc);
/* RW address of the byte that runs at RX address rx. */
uint8_t *tcache_rw(const tcache *tc, uint64_t rx);
/* Whether rx lies inside the code buffer. */
int tcache_owns(const tcache *tc, uint64_t rx);

#endif
