/* The persistent translation cache's file (tcfile.h).
 *
 * Layout (host byte order; every part 8-byte aligned):
 *   header   magic, key, n, bytes (the file's size), the code buffer
 *            bytes its blocks take (tcache_block_span: a hint only),
 *            n_chunks, n_slots
 *   index    n x {guest pc, offset of its record}, ascending pc
 *   slots    n_slots (a power of two, at least 2n) x u32: an open-
 *            addressing map from pc (tcache_pc_slot) to 1 + its index entry (0:
 *            none), so that finding a block reads a slot or two rather
 *            than a binary search's dozen entries; padded to 8
 *   sums     n_chunks x XXH3 of each TCF_CHUNK bytes of the records (the
 *            last one shorter), checked the first time a record there is
 *            read: one hash a chunk rather than one a record (whose fixed
 *            cost was most of a record's load)
 *   records  each a tcf_rec, its n_exits tcf_exits, then its code
 *            (padded to 8), its instruction table as tcache keeps it
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
#include "backend/tcfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "backend/x86_64/x86.h"

#define TCF_MAGIC "FERRYTC\7"
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

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static size_t body_len(uint32_t size, uint32_t n_pcs, uint32_t n_relocs, uint32_t n_exits)
{
    return n_exits * sizeof(tcf_exit) +
           align8(align8(size) + TC_TABLE_HEAD + 8 * (size_t)n_pcs + 4 * (size_t)n_relocs);
}

/* The whole length of the record at p, as its header says. */
static size_t rec_size(const tcf_rec *r)
{
    return sizeof *r + body_len(r->size, r->n_pcs, r->n_relocs, r->n_exits);
}


/* XXH3 of a chunk (as chunk_sums wrote it), with AVX2 where the host
 * has it (x86_cpu_init: engine_file_open): libxxhash's is built for SSE2,
 * and the chunks were a fifth of a warm start's instructions. */
static uint64_t chunk_hash(const void *p, size_t n)
{
    return x86_cpu.avx2 ? x86_hash_avx2(p, n) : XXH3_64bits(p, n);
}

/* Whether the chunks holding [off, off + len) of the part of v at base
 * (end its end) hash as the sums at sums say (each hashed once; seen:
 * the part's record of that). */
static bool part_sound(const tcf_view *v, size_t base, size_t end, size_t sums, uint8_t *seen,
                       size_t off, size_t len)
{
    size_t first = (off - base) / TCF_CHUNK, last = (off + len - 1 - base) / TCF_CHUNK;
    for (size_t c = first; c <= last; c++) {
        if (!seen[c]) {
            size_t at = base + c * TCF_CHUNK;
            size_t n = end - at < TCF_CHUNK ? end - at : TCF_CHUNK;
            uint64_t sum;
            memcpy(&sum, v->map + sums + 8 * c, 8);
            seen[c] = chunk_hash(v->map + at, n) == sum ? 1 : 2;
        }
        if (seen[c] != 1)
            return false;
    }
    return true;
}

static size_t records_end(const tcf_view *v) { return v->rec_end; }

/* Whether the chunks holding [off, off + len) of v's records are sound. */
static bool chunks_sound(tcf_view *v, size_t off, size_t len)
{
    return part_sound(v, v->rec_at, records_end(v),
                      v->rec_at - 8 * (v->n_chunks + v->n_image_chunks), v->seen, off, len);
}

/* The length of the record at off in v if it is sound, else 0: its
 * chunks hash right, and what it says lies where it may (a damaged file
 * costs translations, never correctness). */
static size_t rec_len(tcf_view *v, size_t off)
{
    tcf_rec r;
    size_t avail = records_end(v) - off;
    if (off < v->rec_at || off >= records_end(v) || off % 8 || avail < sizeof r)
        return 0;
    memcpy(&r, v->map + off, sizeof r);
    if (r.size == 0 || r.size > TCF_MAX_CODE || r.n_pcs > r.size || r.n_relocs > r.size ||
        r.n_exits > TC_MAX_EXITS || r.entry_skip >= r.size || r.guest_lo > r.guest_pc ||
        r.guest_end <= r.guest_pc || rec_size(&r) > avail || !chunks_sound(v, off, rec_size(&r)))
        return 0;
    const uint8_t *q = v->map + off + sizeof r;
    for (uint32_t i = 0; i < r.n_exits; i++) {
        tcf_exit x;
        memcpy(&x, q + i * sizeof x, sizeof x);
        if (x.jmp_off > r.size - 5 || x.stub_off >= r.size || x.prechained > r.in_image)
            return 0;
    }
    q += r.n_exits * sizeof(tcf_exit) + align8(r.size);
    if (r.in_image > 1 || (r.in_image && (r.image_at > v->image_len ||
                                          r.size > v->image_len - r.image_at)))
        return 0;
    uint64_t table_pc;
    uint32_t table_n, table_flags;
    memcpy(&table_pc, q, 8);
    memcpy(&table_n, q + 8, 4);
    memcpy(&table_flags, q + 12, 4);
    if (table_pc != r.guest_pc || table_n != r.n_pcs || table_flags != r.flags)
        return 0;
    /* (a relocation's kind and offset: x86_relocs_in checks them as it
     * writes through them) */
    return rec_size(&r);
}

/* The file at path mapped into v, if it is this user's own (not a link,
 * nobody else may write it), has the key and a sound layout. */
int tcfile_open_trusted(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0 && (fstat(fd, st) != 0 || st->st_uid != geteuid() || (st->st_mode & 022))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* keep_fd: keep the file open if it has an image (only before any guest
 * code runs: a guest may close and reuse any fd number). */
static bool view_open(tcf_view *v, const char *path, uint64_t key, bool keep_fd)
{
    *v = (tcf_view){.fd = -1};
    struct stat st;
    int fd = tcfile_open_trusted(path, &st);
    if (fd < 0)
        return false;
    const uint8_t *m = NULL;
    if (st.st_size >= (off_t)sizeof(tcf_head) && (uint64_t)st.st_size <= TCF_MAX_BYTES) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        m = p == MAP_FAILED ? NULL : p;
    }
    if (!m) {
        close(fd);
        return false;
    }
    size_t n = (size_t)st.st_size;
    tcf_head h;
    memcpy(&h, m, sizeof h);
    bool sized = h.n <= n / sizeof(tcf_entry) && h.n_chunks <= n / 8 && h.n_slots <= n / 4 &&
                 h.n_image_chunks <= n / 8 && h.n_slots >= h.n && !(h.n_slots & (h.n_slots - 1));
    size_t slots_at = sizeof h + (sized ? h.n * sizeof(tcf_entry) : 0);
    uint64_t rec_at = sized ? slots_at + align8(4 * h.n_slots) + 8 * (h.n_chunks + h.n_image_chunks)
                            : UINT64_MAX;
    bool image_fits = h.image_at ? !(h.image_at % 4096) && h.image_at >= rec_at &&
                                       h.image_at <= n && h.image_len == n - h.image_at &&
                                       h.n_image_chunks == (h.image_len + TCF_CHUNK - 1) / TCF_CHUNK
                                 : !h.image_len && !h.n_image_chunks;
    uint64_t rec_end = h.image_at ? h.records_end : n;
    if (memcmp(h.magic, TCF_MAGIC, 8) || h.key != key || h.bytes != n || rec_at > rec_end ||
        rec_end > (h.image_at ? h.image_at : n) ||
        !image_fits || h.n_chunks != (rec_end - rec_at + TCF_CHUNK - 1) / TCF_CHUNK ||
        !(v->seen = calloc(h.n_chunks + 1, 1)) ||
        !(v->image_seen = calloc(h.n_image_chunks + 1, 1))) {
        free(v->seen);
        munmap((void *)m, n);
        close(fd);
        *v = (tcf_view){.fd = -1};
        return false;
    }
    *v = (tcf_view){.map = m, .len = n, .n = h.n, .n_chunks = h.n_chunks, .n_slots = h.n_slots,
                    .slots_at = slots_at, .rec_at = rec_at, .seen = v->seen,
                    .image_at = h.image_at, .image_len = h.image_len,
                    .n_image_chunks = h.n_image_chunks, .image_seen = v->image_seen,
                    .rec_end = rec_end,
                    .fd = h.image_len && keep_fd ? fd : -1};
    if (v->fd < 0)
        close(fd);
    return true;
}

static void view_close(tcf_view *v)
{
    if (v->map)
        munmap((void *)v->map, v->len);
    if (v->fd >= 0)
        close(v->fd);
    free(v->seen);
    free(v->image_seen);
    *v = (tcf_view){.fd = -1};
}

tcfile *tcfile_open(const char *path, uint64_t key)
{
    tcfile *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path))) {
        free(f);
        return NULL;
    }
    f->key = key;
    view_open(&f->file, path, key, true);
    return f;
}

static tcf_entry entry_at(const tcf_view *v, uint64_t i)
{
    tcf_entry e;
    memcpy(&e, v->map + sizeof(tcf_head) + i * sizeof e, sizeof e);
    return e;
}

/* The offset of the sound record for pc in v, or 0; *len its length,
 * *id its index entry's number. */
static size_t lookup(tcf_view *v, uint64_t pc, size_t *len, uint64_t *id)
{
    uint64_t mask = v->n_slots - 1;
    for (uint64_t s = tcache_pc_slot(pc, v->n_slots), probes = 0; v->map && probes < v->n_slots;
         s = (s + 1) & mask, probes++) {
        uint32_t k;
        memcpy(&k, v->map + v->slots_at + 4 * s, 4);
        if (!k || k > v->n)
            return 0;
        tcf_entry e = entry_at(v, k - 1);
        if (e.pc != pc)
            continue;
        *id = k - 1;
        uint64_t rpc;
        if (e.off >= v->len || !(*len = rec_len(v, (size_t)e.off)))
            return 0;
        memcpy(&rpc, v->map + e.off + offsetof(tcf_rec, guest_pc), sizeof rpc);
        return rpc == pc ? (size_t)e.off : 0;
    }
    return 0;
}

void tcfile_extent(const tcfile *f, uint64_t *n_blocks, size_t *bytes)
{
    *n_blocks = f->file.n;
    tcf_head h = {0};
    if (f->file.map)
        memcpy(&h, f->file.map, sizeof h);
    *bytes = h.cache_bytes;
}

bool tcfile_find(tcfile *f, uint64_t pc, tcfile_block *out)
{
    size_t len, off = lookup(&f->file, pc, &len, &out->id);
    if (!off)
        return false;
    const uint8_t *p = f->file.map + off;
    tcf_rec r;
    memcpy(&r, p, sizeof r);
    /* field by field: the exit arrays past n_exits stay as they are */
    out->tb = (tc_block){.guest_pc = r.guest_pc, .guest_lo = r.guest_lo,
                         .guest_end = r.guest_end, .size = r.size, .n_exits = r.n_exits,
                         .flags = r.flags, .entry_skip = r.entry_skip};
    out->guest_hash = r.guest_hash;
    out->answer = r.answer;
    out->code = p + sizeof r + r.n_exits * sizeof(tcf_exit);
    out->n_pcs = r.n_pcs;
    out->n_relocs = r.n_relocs;
    out->table = out->code + align8(r.size);
    out->in_image = r.in_image;
    out->image_at = r.image_at;
    out->pcs = (const int32_t *)(const void *)(out->code + align8(r.size) + TC_TABLE_HEAD);
    out->relocs = (const uint32_t *)(const void *)((const uint8_t *)out->pcs + 8 * (size_t)r.n_pcs);
    for (uint32_t i = 0; i < r.n_exits; i++) {
        tcf_exit x;
        memcpy(&x, p + sizeof r + i * sizeof x, sizeof x);
        out->exits[i] = (tc_exit){.jmp_off = x.jmp_off, .stub_off = x.stub_off};
        out->exit_pc[i] = x.to;
        out->exit_from[i] = r.guest_pc + (uint64_t)(int64_t)x.from;
        out->prechained[i] = x.prechained;
    }
    return true;
}

uint64_t tcfile_count(const tcfile *f) { return f->file.map ? f->file.n : 0; }

void tcfile_set_place(tcfile *f, const tcfile_place *here) { f->place = *here; }

/* The image was made for this run's place (its header says where). */
static bool image_here(const tcfile *f)
{
    tcf_head h;
    if (!f->file.image_len || !f->place.rx)
        return false;
    memcpy(&h, f->file.map, sizeof h);
    return !memcmp(&h.place, &f->place, sizeof h.place);
}

size_t tcfile_image_len(const tcfile *f) { return image_here(f) ? f->file.image_len : 0; }

bool tcfile_map_image(tcfile *f, void *at)
{
    tcf_view *v = &f->file;
    bool ok = at && image_here(f) && v->fd >= 0 &&
              mmap(at, v->image_len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, v->fd,
                   (off_t)v->image_at) == at;
    if (v->fd >= 0)
        close(v->fd);
    v->fd = -1;
    return ok;
}

bool tcfile_image_sound(tcfile *f, uint32_t off, uint32_t len)
{
    tcf_view *v = &f->file;
    return len && off <= v->image_len && len <= v->image_len - off &&
           part_sound(v, v->image_at, v->len, v->rec_at - 8 * v->n_image_chunks, v->image_seen,
                      v->image_at + off, len);
}

/* The record of index entry i's header, if it lies in the records. */
static bool rec_at_entry(const tcf_view *v, uint64_t i, tcf_rec *r)
{
    tcf_entry e = entry_at(v, i);
    if (e.off < v->rec_at || e.off % 8 || e.off > records_end(v) - sizeof *r)
        return false;
    memcpy(r, v->map + e.off, sizeof *r);
    return true;
}

bool tcfile_image_pc(const tcfile *f, uint64_t off, uint64_t *guest_pc, uint8_t *flags)
{
    const tcf_view *v = &f->file;
    tcf_rec r;
    uint64_t lo = 0, hi = v->map ? v->n : 0; /* the first record placed past off */
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (!rec_at_entry(v, mid, &r))
            return false;
        if (r.image_at <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo > 0; lo--) { /* (the records before with no code there) */
        if (!rec_at_entry(v, lo - 1, &r))
            return false;
        if (r.in_image)
            break;
    }
    if (!lo || off >= (uint64_t)r.image_at + r.size)
        return false;
    const uint8_t *t = v->map + entry_at(v, lo - 1).off + sizeof r + r.n_exits * sizeof(tcf_exit) +
                       align8(r.size) + TC_TABLE_HEAD;
    uint32_t rel = (uint32_t)(off - r.image_at);
    int32_t guest_off = 0;
    for (uint32_t i = 0; i < r.n_pcs; i++) { /* (ascending host offsets) */
        int32_t pair[2];
        memcpy(pair, t + 8 * (size_t)i, 8);
        if ((uint32_t)pair[0] > rel)
            break;
        guest_off = pair[1];
    }
    *guest_pc = r.guest_pc + (uint64_t)(int64_t)guest_off;
    if (flags)
        *flags = r.flags;
    return true;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 4096 / elem;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* The guest pc of the instruction whose host code holds offset off
 * (pcs ascend in host offset). */
static uint64_t insn_pc(const tcfile_new *nb, uint32_t off)
{
    uint64_t pc = nb->tb->guest_pc;
    for (uint32_t i = 0; i < nb->n_pcs && nb->pcs[i].host_off <= off; i++)
        pc = nb->pcs[i].guest_pc;
    return pc;
}

void tcfile_add(tcfile *f, const tcfile_new *nb)
{
    const tc_block *tb = nb->tb;
    uint32_t n_pcs = nb->n_pcs, n_relocs = nb->n_relocs;
    size_t body = body_len(tb->size, n_pcs, n_relocs, tb->n_exits), len = sizeof(tcf_rec) + body;
    if (tb->size == 0 || tb->size > TCF_MAX_CODE || f->len + len > TCF_MAX_BYTES / 2 ||
        !grow((void **)&f->buf, &f->cap, f->len + len, 1) ||
        !grow((void **)&f->added, &f->cap_added, f->n_added + 1, sizeof *f->added))
        return;
    uint8_t *p = f->buf + f->len, *q = p + sizeof(tcf_rec);
    memset(p, 0, len);
    for (uint32_t i = 0; i < tb->n_exits; i++, q += sizeof(tcf_exit)) {
        tcf_exit x = {.jmp_off = nb->exits[i].jmp_off, .stub_off = nb->exits[i].stub_off,
                      .from = (int32_t)(insn_pc(nb, nb->exits[i].jmp_off) - tb->guest_pc),
                      .to = nb->exit_pc[i]};
        memcpy(q, &x, sizeof x);
    }
    memcpy(q, nb->code, tb->size);
    q += align8(tb->size);
    uint32_t head[2] = {n_pcs, tb->flags};
    memcpy(q, &tb->guest_pc, 8);
    memcpy(q + 8, head, 8);
    q += TC_TABLE_HEAD;
    for (uint32_t i = 0; i < n_pcs; i++) {
        int32_t pair[2] = {(int32_t)nb->pcs[i].host_off,
                           (int32_t)(nb->pcs[i].guest_pc - tb->guest_pc)};
        memcpy(q + 8 * (size_t)i, pair, 8);
    }
    memcpy(q + 8 * (size_t)n_pcs, nb->relocs, 4 * (size_t)n_relocs);
    tcf_rec r = {.guest_pc = tb->guest_pc, .guest_lo = tb->guest_lo, .guest_end = tb->guest_end,
                 .guest_hash = nb->guest_hash, .size = tb->size, .n_pcs = n_pcs,
                 .n_relocs = n_relocs, .n_exits = tb->n_exits, .flags = tb->flags,
                 .entry_skip = tb->entry_skip, .answer = nb->answer};
    memcpy(p, &r, sizeof r);
    f->added[f->n_added++] = (tcf_entry){.pc = tb->guest_pc, .off = f->len};
    f->len += len;
}

uint64_t tcfile_added(const tcfile *f) { return f->n_added; }

static int by_pc(const void *a, const void *b)
{
    const tcf_ref *x = a, *y = b;
    return x->pc < y->pc ? -1 : x->pc > y->pc;
}

void tcfile_make_dirs(const char *path)
{
    char *d = strdup(path);
    if (!d)
        return;
    for (char *s = strchr(d + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        mkdir(d, 0700);
        *s = '/';
    }
    free(d);
}

/* The records to write: this run's, then those on disk for other pcs
 * (a pc translated again here is newer there). */
static tcf_ref *merge(const tcfile *f, tcf_view *disk, size_t *n)
{
    uint64_t nd = disk->map ? disk->n : 0;
    tcf_ref *refs = malloc((f->n_added + nd + 1) * sizeof *refs);
    if (!refs)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < f->n_added; i++) {
        tcf_rec r;
        const uint8_t *p = f->buf + f->added[i].off;
        memcpy(&r, p, sizeof r);
        refs[k++] = (tcf_ref){.pc = f->added[i].pc, .p = p, .len = rec_size(&r)};
    }
    qsort(refs, k, sizeof *refs, by_pc);
    size_t mine = k;
    for (uint64_t i = 0; i < nd; i++) {
        tcf_ref key = {.pc = entry_at(disk, i).pc}, r = key;
        if (bsearch(&key, refs, mine, sizeof *refs, by_pc))
            continue;
        uint64_t id;
        size_t off = lookup(disk, key.pc, &r.len, &id);
        if (off) {
            r.p = disk->map + off;
            refs[k++] = r;
        }
    }
    qsort(refs, k, sizeof *refs, by_pc);
    /* one record a pc (a file may not be trusted to have them unique) */
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (!u || refs[u - 1].pc != refs[i].pc)
            refs[u++] = refs[i];
    *n = u;
    return refs;
}

static bool write_all(int fd, const void *p, size_t n)
{
    for (const uint8_t *q = p; n;) {
        ssize_t w = write(fd, q, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        q += w;
        n -= (size_t)w;
    }
    return true;
}

/* The record of pc among refs (ascending, unique), or -1. */
static ptrdiff_t ref_index(const tcf_ref *refs, size_t n, uint64_t pc)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (refs[mid].pc < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && refs[lo].pc == pc ? (ptrdiff_t)lo : -1;
}

/* Where each record's code goes in the image for place: at[i] (its
 * offset, ascending), or nowhere (placed[i] false: its relocations do
 * not hold there); the image's length.  (Relocated into scratch once to
 * know.) */
static size_t plan_image(const tcfile_place *place, const tcf_ref *refs, size_t n,
                         uint32_t *at, bool *placed, uint8_t *scratch)
{
    x86_target t = {.leave = place->leave};
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        tcf_rec r;
        memcpy(&r, refs[i].p, sizeof r);
        const uint8_t *code = refs[i].p + sizeof r + r.n_exits * sizeof(tcf_exit);
        const uint32_t *relocs = (const uint32_t *)(const void *)(code + align8(r.size) +
                                                                  TC_TABLE_HEAD + 8 * (size_t)r.n_pcs);
        o = (o + 15) & ~(size_t)15; /* (tcache's TC_ALIGN) */
        memcpy(scratch, code, r.size);
        placed[i] = place->rx && o + r.size <= UINT32_MAX &&
                    x86_relocs_in(scratch, r.size, place->rx + place->image_p + o, relocs,
                                  r.n_relocs, &t, place->host);
        at[i] = (uint32_t)o;
        o += placed[i] ? r.size : 0;
    }
    return o;
}

/* The file being written: through a buffer, each chunk of the part being
 * written hashed as it goes (its sums land where the layout keeps them,
 * written last). */
typedef struct tcf_writer {
    int fd;
    bool ok;
    uint8_t *buf;
    size_t used;
    XXH3_state_t *st;
    size_t fill;          /* bytes of the chunk being hashed */
    uint64_t *sums;
    size_t n_sums;
} tcf_writer;

/* (small: each page of it is a fresh page to fault in, and a write call
 * costs less than one) */
enum { WRITE_BUF = 64 << 10 };

static void flush_buf(tcf_writer *w)
{
    w->ok = w->ok && write_all(w->fd, w->buf, w->used);
    w->used = 0;
}

/* n bytes at p (NULL: zeros) into the file; summed unless sums is NULL. */
static void put(tcf_writer *w, const void *p, size_t n)
{
    for (const uint8_t *q = p; n && w->ok;) {
        if (w->used == WRITE_BUF)
            flush_buf(w);
        size_t take = n < WRITE_BUF - w->used ? n : WRITE_BUF - w->used;
        if (w->sums && take > TCF_CHUNK - w->fill)
            take = TCF_CHUNK - w->fill;
        uint8_t *to = w->buf + w->used;
        if (q)
            memcpy(to, q, take), q += take;
        else
            memset(to, 0, take);
        if (w->sums) {
            XXH3_64bits_update(w->st, to, take);
            if ((w->fill += take) == TCF_CHUNK) {
                w->sums[w->n_sums++] = XXH3_64bits_digest(w->st);
                XXH3_64bits_reset(w->st);
                w->fill = 0;
            }
        }
        w->used += take;
        n -= take;
    }
}

/* Start summing a part into sums (NULL: stop; the last chunk's sum). */
static void sum_into(tcf_writer *w, uint64_t *sums)
{
    if (w->sums && w->fill)
        w->sums[w->n_sums++] = XXH3_64bits_digest(w->st);
    w->sums = sums;
    w->n_sums = 0;
    w->fill = 0;
    XXH3_64bits_reset(w->st);
}

/* Record i as it goes in the file: its image fields, and each exit whose
 * target is placed in the image marked chained there. */
static void put_record(tcf_writer *w, const tcf_ref *refs, size_t n, size_t i,
                       const uint32_t *at, const bool *placed)
{
    tcf_rec r;
    memcpy(&r, refs[i].p, sizeof r);
    r.image_at = at[i];
    r.in_image = placed[i];
    put(w, &r, sizeof r);
    for (uint32_t k = 0; k < r.n_exits; k++) {
        tcf_exit x;
        memcpy(&x, refs[i].p + sizeof r + k * sizeof x, sizeof x);
        ptrdiff_t j = ref_index(refs, n, x.to);
        x.prechained = placed[i] && j >= 0 && placed[j];
        put(w, &x, sizeof x);
    }
    size_t head = sizeof r + r.n_exits * sizeof(tcf_exit);
    put(w, refs[i].p + head, refs[i].len - head);
}

/* Record i's code as it runs at place: relocated, each exit marked
 * chained jumping to its target's code (past the target's stop check
 * when it lies ahead, as engine_link does); code: room for it. */
static void put_code(tcf_writer *w, const tcfile_place *place, const tcf_ref *refs, size_t n,
                     size_t i, const uint32_t *at, const bool *placed, uint8_t *code)
{
    x86_target t = {.leave = place->leave};
    tcf_rec r, rt;
    memcpy(&r, refs[i].p, sizeof r);
    const uint8_t *saved = refs[i].p + sizeof r + r.n_exits * sizeof(tcf_exit);
    const uint32_t *relocs = (const uint32_t *)(const void *)(saved + align8(r.size) +
                                                              TC_TABLE_HEAD + 8 * (size_t)r.n_pcs);
    uint64_t base = place->rx + place->image_p;
    memcpy(code, saved, r.size);
    x86_relocs_in(code, r.size, base + at[i], relocs, r.n_relocs, &t, place->host);
    for (uint32_t k = 0; k < r.n_exits; k++) {
        tcf_exit x;
        memcpy(&x, refs[i].p + sizeof r + k * sizeof x, sizeof x);
        ptrdiff_t j = ref_index(refs, n, x.to);
        if (j < 0 || !placed[j])
            continue;
        memcpy(&rt, refs[j].p, sizeof rt);
        uint64_t from = r.guest_pc + (uint64_t)(int64_t)x.from;
        x86_patch_jmp(code + x.jmp_off + 1, base + at[i] + x.jmp_off,
                      base + at[j] + (x.to > from ? rt.entry_skip : 0));
    }
    put(w, code, r.size);
}

/* The file: header, index, slots, sums (written last, where they go),
 * records, and the image for place when it has one (rx 0: none). */
static bool write_file(const tcfile *f, const tcfile_place *place, const char *tmp,
                       const tcf_ref *refs, size_t n)
{
    uint32_t *at = malloc((n + 1) * sizeof *at);
    bool *placed = malloc(n + 1);
    tcf_writer w = {.fd = -1, .buf = malloc(WRITE_BUF), .st = XXH3_createState()};
    uint8_t *code = malloc(TCF_MAX_CODE);
    size_t n_slots = 16;
    while (n_slots < 2 * n)
        n_slots *= 2;
    size_t slot_bytes = align8(4 * n_slots);
    tcf_entry *index = malloc((n + 1) * sizeof *index);
    uint32_t *slots = calloc(slot_bytes / 4, 4);
    if (!at || !placed || !w.buf || !w.st || !index || !slots || !code) {
        free(at), free(placed), free(w.buf), free(index), free(slots), free(code);
        if (w.st)
            XXH3_freeState(w.st);
        return false;
    }
    size_t image_len = place->rx ? plan_image(place, refs, n, at, placed, code) : 0;
    if (!image_len)
        memset(placed, 0, n), memset(at, 0, n * sizeof *at);
    size_t records = 0;
    uint64_t cache_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        tcf_rec r;
        memcpy(&r, refs[i].p, sizeof r);
        records += refs[i].len;
        cache_bytes += tcache_block_span(r.size, r.n_pcs, false);
    }
    size_t n_chunks = (records + TCF_CHUNK - 1) / TCF_CHUNK;
    size_t n_image_chunks = (image_len + TCF_CHUNK - 1) / TCF_CHUNK;
    size_t head = sizeof(tcf_head) + n * sizeof(tcf_entry) + slot_bytes;
    size_t rec_at = head + 8 * (n_chunks + n_image_chunks), rec_end = rec_at + records;
    size_t image_at = image_len ? (rec_end + 4095) & ~(size_t)4095 : rec_end;
    uint64_t *sums = malloc(8 * (n_chunks + n_image_chunks) + 8);
    for (size_t i = 0, off = rec_at; i < n; off += refs[i].len, i++) {
        uint64_t s = tcache_pc_slot(refs[i].pc, n_slots); /* (merge left one record a pc) */
        while (slots[s])
            s = (s + 1) & (n_slots - 1);
        slots[s] = (uint32_t)i + 1;
        index[i] = (tcf_entry){.pc = refs[i].pc, .off = off};
    }
    tcf_head h = {.key = f->key, .n = n, .bytes = image_at + image_len, .cache_bytes = cache_bytes,
                  .n_chunks = n_chunks, .n_slots = n_slots,
                  .image_at = image_len ? image_at : 0, .image_len = image_len,
                  .n_image_chunks = n_image_chunks, .records_end = rec_end,
                  .place = image_len ? *place : (tcfile_place){0}};
    memcpy(h.magic, TCF_MAGIC, 8);
    w.ok = sums != NULL;
    w.fd = w.ok ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
    w.ok = w.fd >= 0;
    put(&w, &h, sizeof h);
    put(&w, index, n * sizeof *index);
    put(&w, slots, slot_bytes);
    put(&w, NULL, 8 * (n_chunks + n_image_chunks)); /* (the sums, below) */
    sum_into(&w, sums);
    for (size_t i = 0; i < n; i++)
        put_record(&w, refs, n, i, at, placed);
    sum_into(&w, NULL);
    put(&w, NULL, image_at - rec_end);
    sum_into(&w, sums + n_chunks);
    for (size_t i = 0, o = 0; i < n && image_len; i++) {
        if (!placed[i])
            continue;
        put(&w, NULL, at[i] - o); /* (alignment) */
        put_code(&w, place, refs, n, i, at, placed, code);
        tcf_rec r;
        memcpy(&r, refs[i].p, sizeof r);
        o = at[i] + r.size;
    }
    sum_into(&w, NULL);
    flush_buf(&w);
    w.ok = w.ok && pwrite(w.fd, sums, 8 * (n_chunks + n_image_chunks), (off_t)head) ==
                       (ssize_t)(8 * (n_chunks + n_image_chunks));
    int e = errno;
    if (w.fd >= 0 && close(w.fd) < 0 && w.ok)
        w.ok = false, e = errno;
    free(at), free(placed), free(w.buf), free(index), free(slots), free(sums), free(code);
    XXH3_freeState(w.st);
    errno = e;
    return w.ok;
}

/* ---- Keeping the directory's size */

typedef struct tcf_used {
    int64_t when; /* last use: the later of atime (relatime keeps it within a day) and mtime */
    uint64_t size;
    char name[256];
} tcf_used;

static int by_when(const void *a, const void *b)
{
    const tcf_used *x = a, *y = b;
    return x->when < y->when ? -1 : x->when > y->when;
}

void tcfile_trim(const char *dir, uint64_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    tcf_used *u = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        struct stat st;
        if (len < 4 || len >= sizeof u->name || strcmp(de->d_name + len - 3, ".tc") ||
            fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
            !grow((void **)&u, &cap, n + 1, sizeof *u))
            continue;
        u[n] = (tcf_used){.when = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime,
                          .size = (uint64_t)st.st_size};
        memcpy(u[n].name, de->d_name, len + 1);
        total += u[n++].size;
    }
    if (total > max) { /* the least recently used go, down to 3/4 */
        qsort(u, n, sizeof *u, by_when);
        for (size_t i = 0; i < n && total > max / 4 * 3; i++)
            if (unlinkat(dirfd(d), u[i].name, 0) == 0)
                total -= u[i].size;
    }
    free(u);
    closedir(d);
}

bool tcfile_save(tcfile *f)
{
    if (!f->n_added)
        return true;
    tcfile_make_dirs(f->path);
    size_t n;
    tcf_view disk;
    view_open(&disk, f->path, f->key, false);
    tcf_ref *refs = merge(f, &disk, &n);
    char tmp[4096];
    bool ok = refs && (size_t)snprintf(tmp, sizeof tmp, "%s.%d.tmp", f->path, (int)getpid()) < sizeof tmp;
    int e = ok ? 0 : ENOMEM;
    /* the image for this run's place, else for the one the file had (a
     * forked child's buffer is elsewhere: its save keeps the image for
     * the runs to come) */
    tcfile_place place = f->place;
    if (!place.rx && disk.image_len)
        memcpy(&place, disk.map + offsetof(tcf_head, place), sizeof place);
    if (ok && !(ok = write_file(f, &place, tmp, refs, n)))
        e = errno;
    if (ok && rename(tmp, f->path) < 0)
        ok = false, e = errno;
    if (!ok)
        unlink(tmp);
    free(refs);
    view_close(&disk);
    if (ok) {
        f->n_added = f->len = 0;
        char *dir = strdup(f->path), *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash && slash != dir) {
            *slash = 0;
            tcfile_trim(dir, TCF_DIR_MAX);
        }
        free(dir);
    }
    errno = e;
    return ok;
}

void tcfile_close(tcfile *f)
{
    if (!f)
        return;
    view_close(&f->file);
    free(f->buf);
    free(f->added);
    free(f->path);
    free(f);
}

/* ---- Ferry's build ID (its PT_NOTE segments) */

typedef struct build_id_ask {
    uint8_t *id;
    unsigned max, len;
} build_id_ask;

static int note_of_main(struct dl_phdr_info *info, size_t size, void *arg)
{
    build_id_ask *a = arg;
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *nh = (const void *)p;
            const uint8_t *name = p + sizeof *nh, *desc = name + ((nh->n_namesz + 3) & ~3u);
            if (desc + nh->n_descsz > end)
                break;
            if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(name, "GNU", 4)) {
                a->len = nh->n_descsz < a->max ? nh->n_descsz : a->max;
                memcpy(a->id, desc, a->len);
                return 1;
            }
            p = desc + ((nh->n_descsz + 3) & ~3u);
        }
    }
    return 1; /* the first object is the program itself */
}

unsigned tcfile_build_id(uint8_t *id, unsigned max)
{
    build_id_ask a = {.id = id, .max = max};
    dl_iterate_phdr(note_of_main, &a);
    return a.len;
}
