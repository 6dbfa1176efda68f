/* Reading the persistent cache's file (layout: tcfile_impl.h): a file
 * mapped and read with care, a block found by its pc, the image and its
 * guest pcs; Ferry's build ID for the key. */
#include "backend/tcfile_impl.h"

#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "backend/x86_64/x86.h"

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
        r.guest_end <= r.guest_pc || r.in_image > 1 ||
        (r.in_image && (r.image_at > v->image_len || r.size > v->image_len - r.image_at)) ||
        rec_size(&r) > avail || !chunks_sound(v, off, rec_size(&r)))
        return 0;
    tcf_parts t = rec_parts(v->map + off, &r);
    for (uint32_t i = 0; i < r.n_exits; i++) {
        tcf_exit x;
        memcpy(&x, t.exits + i * sizeof x, sizeof x);
        if (x.jmp_off > r.size - 5 || x.stub_off >= r.size || x.prechained > r.in_image)
            return 0;
    }
    const uint8_t *q = t.table;
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
bool tcf_view_open(tcf_view *v, const char *path, uint64_t key, bool keep_fd)
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
    uint64_t rec_at = sized ? slots_at + tcf_align8(4 * h.n_slots) + 8 * (h.n_chunks + h.n_image_chunks)
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

void tcf_view_close(tcf_view *v)
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
    tcf_view_open(&f->file, path, key, true);
    return f;
}

tcf_entry tcf_entry_at(const tcf_view *v, uint64_t i)
{
    tcf_entry e;
    memcpy(&e, v->map + sizeof(tcf_head) + i * sizeof e, sizeof e);
    return e;
}

/* The offset of the sound record for pc in v, or 0; *len its length. */
size_t tcf_lookup(tcf_view *v, uint64_t pc, size_t *len)
{
    uint64_t mask = v->n_slots - 1;
    for (uint64_t s = tcache_pc_slot(pc, v->n_slots), probes = 0; v->map && probes < v->n_slots;
         s = (s + 1) & mask, probes++) {
        uint32_t k;
        memcpy(&k, v->map + v->slots_at + 4 * s, 4);
        if (!k || k > v->n)
            return 0;
        tcf_entry e = tcf_entry_at(v, k - 1);
        if (e.pc != pc)
            continue;
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
    size_t len, off = tcf_lookup(&f->file, pc, &len);
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
    tcf_parts t = rec_parts(p, &r);
    out->code = t.code;
    out->n_pcs = r.n_pcs;
    out->n_relocs = r.n_relocs;
    out->table = t.table;
    out->in_image = r.in_image;
    out->image_at = r.image_at;
    out->pcs = (const int32_t *)(const void *)(t.table + TC_TABLE_HEAD);
    out->relocs = t.relocs;
    out->rec = p;
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

static bool image_sound(tcf_view *v, uint32_t off, uint32_t len)
{
    return len && off <= v->image_len && len <= v->image_len - off &&
           part_sound(v, v->image_at, v->len, v->rec_at - 8 * v->n_image_chunks, v->image_seen,
                      v->image_at + off, len);
}

bool tcfile_image_sound(tcfile *f, uint32_t off, uint32_t len)
{
    return image_sound(&f->file, off, len);
}

extern const char __executable_start[], _end[];

bool tcf_code(tcf_view *v, const uint8_t *p, const tcf_rec *r, uint8_t *dst)
{
    tcf_parts t = rec_parts(p, r);
    if (t.code) {
        memcpy(dst, t.code, r->size);
        return true;
    }
    tcf_head h;
    memcpy(&h, v->map, sizeof h);
    if (!image_sound(v, r->image_at, r->size))
        return false;
    memcpy(dst, v->map + v->image_at + r->image_at, r->size);
    /* (the saving Ferry is this build: the key says so) */
    uint64_t host_end = h.place.host + (uint64_t)(_end - __executable_start);
    if (!x86_relocs_out(dst, h.place.rx + h.place.image_p + r->image_at, t.relocs, r->n_relocs,
                        h.place.host, host_end))
        return false;
    for (uint32_t i = 0; i < r->n_exits; i++) { /* back to their stubs */
        tcf_exit x;
        memcpy(&x, t.exits + i * sizeof x, sizeof x);
        x86_patch_jmp(dst + x.jmp_off + 1, x.jmp_off, x.stub_off);
    }
    return true;
}

bool tcfile_code(tcfile *f, const tcfile_block *fb, uint8_t *dst)
{
    tcf_rec r;
    memcpy(&r, fb->rec, sizeof r);
    return tcf_code(&f->file, fb->rec, &r, dst);
}

/* The record of index entry i's header, if it lies in the records. */
static bool rec_at_entry(const tcf_view *v, uint64_t i, tcf_rec *r)
{
    tcf_entry e = tcf_entry_at(v, i);
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
    uint64_t at = tcf_entry_at(v, lo - 1).off;
    if (rec_size(&r) > records_end(v) - at)
        return false;
    const uint8_t *t = rec_parts(v->map + at, &r).table + TC_TABLE_HEAD;
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

void tcfile_close(tcfile *f)
{
    if (!f)
        return;
    tcf_view_close(&f->file);
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
