/* Translations that outlive the process: a file of translated blocks,
 * one per guest program, that the next run of the same program loads
 * instead of translating again.
 *
 *   tcfile *f = tcfile_open("/home/u/.cache/ferry/1f2e....tc", key);
 *   tcfile_set_place(f, &here);        // where this run's code buffer is
 *   if (tcfile_image_len(f)) tcfile_map_image(f, at);  // its code, mapped
 *   tcfile_block fb;
 *   if (tcfile_find(f, pc, &fb)) ...   // check the guest bytes, then take
 *                                      // it where it lies, or copy it
 *   tcfile_add(f, &(tcfile_new){...});  // a new block
 *   tcfile_save(f);                    // at the process's end
 *
 * The file is only ever trusted block by block: the engine uses a block
 * when the guest bytes it was made from hash the same now, and the key
 * (Ferry's build, the host CPU's features, the options that shape code)
 * is the same; everything read from the file is bounds-checked and its
 * records are checksummed (a sum each 16 KB, checked when first read), so
 * a damaged file costs translations, never correctness.  Saving merges what is on disk with this run's new blocks
 * and replaces the file atomically (rename), so processes of one program
 * running at once lose at worst some of each other's blocks.  The
 * directory is kept under a size (tcfile_trim).
 */
#ifndef FERRY_TCFILE_H
#define FERRY_TCFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "backend/tcache.h"

typedef struct tcfile tcfile;

/* Where a run's code buffer is: its RX address, the offset in it where a
 * file's image goes (page-aligned, past the trampolines), Ferry's own
 * image (helpers' addresses) and the trampolines' leave entry.  A file
 * saved with one place has an image only a run with the same place maps. */
typedef struct tcfile_place {
    uint64_t rx, image_p, host, leave;
} tcfile_place;

/* A block as saved: tb's code field is meaningless (code is where its
 * bytes are, with its outside addresses to fix, x86_relocs_in). */
typedef struct tcfile_block {
    tc_block tb;
    uint64_t guest_hash;     /* XXH3 of its guest bytes [tb.guest_lo, tb.guest_end) */
    uint64_t answer;         /* a host routine's block: what answered (else 0) */
    tc_exit exits[TC_MAX_EXITS]; /* tb.n_exits */
    const uint8_t *code;     /* tb.size bytes, or NULL: in the image (tcfile_code) */
    const uint32_t *relocs;  /* X86_RELOC entries */
    uint32_t n_relocs;
    const void *table;       /* its instruction table (tcache_commit_table) */
    const int32_t *pcs;      /* in it, n_pcs pairs: host offset, guest pc - tb.guest_pc */
    uint32_t n_pcs;
    uint64_t exit_pc[TC_MAX_EXITS];   /* the guest pc each exit leads to */
    uint64_t exit_from[TC_MAX_EXITS]; /* the pc of the instruction each leaves from */
    bool in_image;           /* its code is in the file's image, at image_at */
    uint32_t image_at;
    bool prechained[TC_MAX_EXITS]; /* there, the exit jumps to exit_pc's block in the image */
    const uint8_t *rec;      /* (the record itself) */
} tcfile_block;

/* The file at path if it exists with this key (else an empty one, made
 * on saving); NULL only when out of memory. */
tcfile *tcfile_open(const char *path, uint64_t key);
/* The block for pc, pointing into the mapped file: close the file only
 * once no block keeps its table there (tcache_commit_table). */
bool tcfile_find(tcfile *f, uint64_t pc, tcfile_block *out);
/* How many blocks the file holds and the bytes of the code buffer they
 * take (0, 0: none usable): what a run of the program will likely load
 * (tcache_prefault). */
void tcfile_extent(const tcfile *f, uint64_t *n_blocks, size_t *bytes);
/* The block's code as saved (outside addresses image-relative, exits
 * unchained: x86_relocs_in's input) into dst, tb.size bytes: a block in
 * the image has it only there; false if it cannot be had (a damaged
 * image). */
bool tcfile_code(tcfile *f, const tcfile_block *fb, uint8_t *dst);

/* The image (tcf layout in tcfile.c): where this run's buffer is, so
 * that saving lays one out for it (none without). */
void tcfile_set_place(tcfile *f, const tcfile_place *here);
/* The file's image, if it was made for this run's place: its length. */
size_t tcfile_image_len(const tcfile *f);
/* Map the image read-execute, privately, at at (MAP_FIXED: what was
 * there goes); false if it could not be.  Called once, right after the
 * open, before any guest code runs (with at NULL when the image is not
 * wanted): the file stays open until then. */
bool tcfile_map_image(tcfile *f, void *at);
/* Whether the image's bytes [off, off + len) are as saved (checked a
 * chunk at a time, the first time each is asked for). */
bool tcfile_image_sound(tcfile *f, uint32_t off, uint32_t len);
/* The guest pc of the instruction whose code holds image offset off, and
 * its block's flags, if off lies in a block's code.  Async-signal-safe
 * (reads the mapped file only). */
bool tcfile_image_pc(const tcfile *f, uint64_t off, uint64_t *guest_pc, uint8_t *flags);

/* A block translated in this run, to keep. */
typedef struct tcfile_new {
    const tc_block *tb;
    uint64_t guest_hash;
    uint64_t answer;         /* a host routine's block: the identity of its
                                answer, which must answer there again for
                                the block to be used; else 0 */
    const tc_exit *exits;    /* tb->n_exits */
    const uint64_t *exit_pc; /* the guest pc each leads to (what a loaded
                                block is chained to at once) */
    const uint8_t *code;     /* as freshly lowered (no exit chained), its host
                                addresses image-relative (x86_relocs_out) */
    const tc_insn_pc *pcs;
    uint32_t n_pcs;
    const uint32_t *relocs;
    uint32_t n_relocs;
} tcfile_new;
void tcfile_add(tcfile *f, const tcfile_new *nb);
/* Blocks added since the open (or the last save). */
uint64_t tcfile_added(const tcfile *f);
/* Write the file when blocks were added; false with errno when it could
 * not be written. */
bool tcfile_save(tcfile *f);
void tcfile_close(tcfile *f);

/* The file at path opened to read, if it is trusted as the cache's: this
 * user's own, nobody else may write it, not a symbolic link; else -1.
 * *st its status. */
int tcfile_open_trusted(const char *path, struct stat *st);

/* mkdir -p of the directory holding path (0700: the cache is the user's;
 * tcfile_save makes its file's so). */
void tcfile_make_dirs(const char *path);

/* Keep the cache files (*.tc, this user's) in dir under max bytes: when
 * they are over, the least recently used go until they are under 3/4 of
 * it.  tcfile_save does it with 1 GiB after each write. */
void tcfile_trim(const char *dir, uint64_t max);

/* The GNU build ID of the running program (Ferry), up to max bytes into
 * id; 0 when it has none (then nothing is cached: no key would tell two
 * builds apart). */
unsigned tcfile_build_id(uint8_t *id, unsigned max);

#endif
