/* Writing the persistent cache's file (layout: tcfile_impl.h): this
 * run's blocks serialized as they come, merged at the end with what is on
 * disk and written whole (the image laid out for a place), replacing the
 * file atomically; the directory kept under its size. */
#include "backend/tcfile_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "backend/x86_64/x86.h"

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
    size_t len = sizeof(tcf_rec) + tb->n_exits * sizeof(tcf_exit) + tcf_align8(tb->size) +
                 tail_len(n_pcs, n_relocs);
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
    q += tcf_align8(tb->size);
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
 * (a pc translated again here is newer there), each with its code (a
 * disk record in the disk's image: moved back into *arena, which the
 * caller frees; one whose image is damaged goes). */
static tcf_ref *merge(const tcfile *f, tcf_view *disk, size_t *n, uint8_t **arena)
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
        refs[k++] = (tcf_ref){.pc = f->added[i].pc, .p = p, .len = rec_size(&r),
                              .code = rec_parts(p, &r).code};
    }
    qsort(refs, k, sizeof *refs, by_pc);
    size_t mine = k;
    for (uint64_t i = 0; i < nd; i++) {
        tcf_ref key = {.pc = tcf_entry_at(disk, i).pc}, r = key;
        if (bsearch(&key, refs, mine, sizeof *refs, by_pc))
            continue;
        size_t off = tcf_lookup(disk, key.pc, &r.len);
        if (off) {
            r.p = disk->map + off;
            refs[k++] = r;
        }
    }
    size_t moved = 0;
    for (size_t i = mine; i < k; i++) {
        tcf_rec r;
        memcpy(&r, refs[i].p, sizeof r);
        moved += r.in_image ? r.size : 0;
    }
    *arena = malloc(moved + 1);
    if (!*arena) {
        free(refs);
        return NULL;
    }
    size_t kept = mine;
    for (size_t i = mine, at = 0; i < k; i++) {
        tcf_rec r;
        memcpy(&r, refs[i].p, sizeof r);
        refs[i].code = r.in_image ? *arena + at : rec_parts(refs[i].p, &r).code;
        if (r.in_image && !tcf_code(disk, refs[i].p, &r, *arena + at))
            continue;
        at += r.in_image ? r.size : 0;
        refs[kept++] = refs[i];
    }
    k = kept;
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
    tcf_ref key = {.pc = pc};
    const tcf_ref *r = bsearch(&key, refs, n, sizeof *refs, by_pc);
    return r ? r - refs : -1;
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
        const uint32_t *relocs = rec_parts(refs[i].p, &r).relocs;
        o = (o + 15) & ~(size_t)15; /* (tcache's TC_ALIGN) */
        memcpy(scratch, refs[i].code, r.size);
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

/* The length record i takes in the file (its code in the image or in it). */
static size_t out_len(const tcf_ref *refs, size_t i, const bool *placed)
{
    tcf_rec r;
    memcpy(&r, refs[i].p, sizeof r);
    r.in_image = placed[i];
    return rec_size(&r);
}

/* Record i as it goes in the file: its image fields, each exit whose
 * target is placed in the image marked chained there, its code only if
 * the image has it not. */
static void put_record(tcf_writer *w, const tcf_ref *refs, size_t n, size_t i,
                       const uint32_t *at, const bool *placed)
{
    tcf_rec r;
    memcpy(&r, refs[i].p, sizeof r);
    tcf_parts t = rec_parts(refs[i].p, &r);
    r.image_at = at[i];
    r.in_image = placed[i];
    put(w, &r, sizeof r);
    for (uint32_t k = 0; k < r.n_exits; k++) {
        tcf_exit x;
        memcpy(&x, t.exits + k * sizeof x, sizeof x);
        ptrdiff_t j = ref_index(refs, n, x.to);
        x.prechained = placed[i] && j >= 0 && placed[j];
        put(w, &x, sizeof x);
    }
    if (!placed[i]) {
        put(w, refs[i].code, r.size);
        put(w, NULL, tcf_align8(r.size) - r.size);
    }
    size_t tail = TC_TABLE_HEAD + 8 * (size_t)r.n_pcs + 4 * (size_t)r.n_relocs;
    put(w, t.table, tail);
    put(w, NULL, tail_len(r.n_pcs, r.n_relocs) - tail);
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
    tcf_parts parts = rec_parts(refs[i].p, &r);
    uint64_t base = place->rx + place->image_p;
    memcpy(code, refs[i].code, r.size);
    x86_relocs_in(code, r.size, base + at[i], parts.relocs, r.n_relocs, &t, place->host);
    for (uint32_t k = 0; k < r.n_exits; k++) {
        tcf_exit x;
        memcpy(&x, parts.exits + k * sizeof x, sizeof x);
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
    size_t slot_bytes = tcf_align8(4 * n_slots);
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
        records += out_len(refs, i, placed);
        cache_bytes += tcache_block_span(r.size, r.n_pcs, false);
    }
    size_t n_chunks = (records + TCF_CHUNK - 1) / TCF_CHUNK;
    size_t n_image_chunks = (image_len + TCF_CHUNK - 1) / TCF_CHUNK;
    size_t head = sizeof(tcf_head) + n * sizeof(tcf_entry) + slot_bytes;
    size_t rec_at = head + 8 * (n_chunks + n_image_chunks), rec_end = rec_at + records;
    size_t image_at = image_len ? (rec_end + 4095) & ~(size_t)4095 : rec_end;
    uint64_t *sums = malloc(8 * (n_chunks + n_image_chunks) + 8);
    for (size_t i = 0, off = rec_at; i < n; off += out_len(refs, i, placed), i++) {
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
    tcf_view_open(&disk, f->path, f->key, false);
    uint8_t *arena = NULL;
    tcf_ref *refs = merge(f, &disk, &n, &arena);
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
    free(arena);
    tcf_view_close(&disk);
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
