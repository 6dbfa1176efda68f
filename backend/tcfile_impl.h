/* The persistent translation cache's file: its layout, and what reading
 * it (tcfile.c) and writing it (tcfile_write.c) share; tcfile.h says
 * what it is for.
 *
 * Layout (host byte order; every part 8-byte aligned):
 *   header   magic, key, n, bytes (the file's size), the code buffer
 *            bytes its blocks take (tcache_block_span: a hint only),
 *            n_chunks, n_slots, the image's offset, length and chunks,
 *            where the records end, the place the image was made for
 *   index    n x {guest pc, offset of its record}, ascending pc
 *   slots    n_slots (a power of two, at least 2n) x u32: an open-
 *            addressing map from pc (tcache_pc_slot) to 1 + its index entry (0:
 *            none), so that finding a block reads a slot or two rather
 *            than a binary search's dozen entries; padded to 8
 *   sums     n_chunks x XXH3 of each TCF_CHUNK bytes of the records (the
 *            last one shorter), checked the first time a record there is
 *            read: one hash a chunk rather than one a record (whose fixed
 *            cost was most of a record's load); then n_image_chunks of
 *            the image's, likewise
 *   records  each a tcf_rec, its n_exits tcf_exits, then its code
 *            (padded to 8; only if it is not in the image, whose code
 *            the copy of a block then takes and moves back: tcf_code),
 *            its instruction table as tcache keeps it
 *            (TC_TABLE_HEAD: guest pc, n_pcs, flags; n_pcs x {host
 *            offset, guest offset}), used where it lies, and its
 *            relocations (n_relocs x u32), padded to 8
 *   image    (page-aligned, image_len bytes; its n_image_chunks sums
 *            follow the records') the code of every record laid out as
 *            it runs in the code buffer of the run that saved it
 *            (tcfile_place: its RX address, where the image goes in it,
 *            Ferry's image), relocated, and each exit whose target is in
 *            the image already jumping there (tcf_exit.prechained): a
 *            run whose buffer sits where that one's did maps it
 *            (tcfile_map_image) instead of copying blocks one by one.
 *            Records come in pc order and so does their code here
 *            (tcf_rec.image_at ascends), which tcfile_image_pc uses.
 * Neither index nor slots is summed: what they lead to is checked (a
 * record's pc must be the one asked for), so damage there costs
 * translations only.
 */
#ifndef FERRY_TCFILE_IMPL_H
#define FERRY_TCFILE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/tcfile.h"

#define TCF_MAGIC "FERRYTC\10"
#define TCF_CHUNK 16384
#define TCF_MAX_CODE (1u << 20)       /* no block is near this */
#define TCF_MAX_BYTES (256ull << 20)  /* a file past this starts again */
#define TCF_DIR_MAX (1ull << 30)      /* a directory past this is trimmed */

typedef struct tcf_head {
    char magic[8];
    uint64_t key;
    uint64_t n;
    uint64_t bytes;
    uint64_t cache_bytes;
    uint64_t n_chunks;
    uint64_t n_slots;
    uint64_t image_at, image_len, n_image_chunks; /* image_at: its file offset (0: none) */
    uint64_t records_end; /* where the records end (the image follows, page-aligned) */
    tcfile_place place;  /* where the image was made to run */
} tcf_head;

typedef struct tcf_entry {
    uint64_t pc, off;
} tcf_entry;

typedef struct tcf_rec {
    uint64_t guest_pc, guest_lo, guest_end, guest_hash;
    uint64_t answer; /* a host routine's block: its answer's identity; else 0 */
    uint32_t size, n_pcs, n_relocs;
    uint8_t n_exits, flags;
    uint16_t entry_skip;
    uint32_t image_at;   /* its code's offset in the image (ascending, record by record) */
    uint32_t in_image;   /* 1: its code is there (0: it could not be placed) */
} tcf_rec;

/* A record's exit: only the ones it has (a fixed eight of them made
 * records three times the size of their code's header, and every byte
 * of a record is hashed once and read through cold pages). */
typedef struct tcf_exit {
    uint32_t jmp_off, stub_off;
    int32_t from;   /* the pc of the instruction it leaves from - guest_pc */
    uint32_t prechained; /* 1: in the image it jumps to the image's block for to */
    uint64_t to;    /* where it leads once chained */
} tcf_exit;

/* A record anywhere (the mapped file, this run's buffer). */
typedef struct tcf_ref {
    uint64_t pc;
    const uint8_t *p;
    size_t len;
    const uint8_t *code; /* its code as tcfile_new has it (saving) */
} tcf_ref;

/* A mapped file read with care: its index and chunk sums, and which
 * chunks were checked. */
typedef struct tcf_view {
    const uint8_t *map; /* NULL: none */
    size_t len;
    uint64_t n, n_chunks, n_slots;
    size_t slots_at;    /* where the slots start */
    size_t rec_at;      /* where the records start */
    uint8_t *seen;      /* a chunk: 0 not checked yet, 1 sound, 2 damaged */
    size_t image_at, image_len; /* (0, 0: no image) */
    size_t rec_end;     /* where the records end */
    uint64_t n_image_chunks;
    uint8_t *image_seen; /* as seen, for the image's chunks */
    int fd;             /* the file, kept open until its image is mapped or
                           will not be: tcfile_map_image (else -1) */
} tcf_view;

struct tcfile {
    char *path;
    uint64_t key;
    tcfile_place place; /* where this run's buffer is (tcfile_set_place; rx 0: none) */
    tcf_view file;      /* the file as opened */
    /* this run's blocks, serialized one after another */
    uint8_t *buf;
    size_t len, cap;
    tcf_entry *added; /* their pcs and offsets in buf */
    size_t n_added, cap_added;
};

static inline size_t tcf_align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* A record's parts after its exits: its code (when not in the image),
 * then its table and relocations. */
static inline size_t code_len(const tcf_rec *r) { return r->in_image ? 0 : tcf_align8(r->size); }

static inline size_t tail_len(uint32_t n_pcs, uint32_t n_relocs)
{
    return tcf_align8(TC_TABLE_HEAD + 8 * (size_t)n_pcs + 4 * (size_t)n_relocs);
}

/* The whole length of the record r heads, as it says. */
static inline size_t rec_size(const tcf_rec *r)
{
    return sizeof *r + r->n_exits * sizeof(tcf_exit) + code_len(r) + tail_len(r->n_pcs, r->n_relocs);
}

/* Where the parts of the record at p (headed r) are. */
typedef struct tcf_parts {
    const uint8_t *exits;
    const uint8_t *code;  /* NULL: in the image */
    const uint8_t *table;
    const uint32_t *relocs;
} tcf_parts;

static inline tcf_parts rec_parts(const uint8_t *p, const tcf_rec *r)
{
    tcf_parts t = {.exits = p + sizeof *r};
    const uint8_t *q = t.exits + r->n_exits * sizeof(tcf_exit);
    t.code = r->in_image ? NULL : q;
    t.table = q + code_len(r);
    t.relocs = (const uint32_t *)(const void *)(t.table + TC_TABLE_HEAD + 8 * (size_t)r->n_pcs);
    return t;
}

/* Between the two halves (tcfile.c): a file mapped into v if it is
 * sound and has the key (keep_fd: keep it open if it has an image, only
 * before any guest code runs: a guest may close any fd number); its
 * index entry i; the offset of the sound record for pc (0: none), *len
 * its length. */
bool tcf_view_open(tcf_view *v, const char *path, uint64_t key, bool keep_fd);
void tcf_view_close(tcf_view *v);
tcf_entry tcf_entry_at(const tcf_view *v, uint64_t i);
size_t tcf_lookup(tcf_view *v, uint64_t pc, size_t *len);
/* The code of record r (at p in v) as it was saved, relocations as
 * x86_relocs_out leaves them and exits unchained, into dst (r->size
 * bytes): from the record, or moved back from the image where the image
 * is sound; false if it cannot be had. */
bool tcf_code(tcf_view *v, const uint8_t *p, const tcf_rec *r, uint8_t *dst);

#endif
