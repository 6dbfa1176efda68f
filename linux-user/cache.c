/* Ferry's cache directory, and the small facts kept there beside the
 * translations (backend/tcfile.h): what scanning a file's symbols for
 * host routines found (routines.c), so that the next process mapping the
 * same file need not read its symbol table again.  Reading and sorting
 * libc's few thousand symbols cost a dynamic hello about 0.25 ms of its
 * 4; the memo costs a few system calls.
 *
 * A memo file, "routines-KEY.tc" (".tc": tcfile_trim keeps it with the
 * translations), holds magic, key, n and n hits {pc from the scan's base
 * (u64), size (u32), kind (u16), ifunc (u8), 0}, host byte order.  KEY
 * hashes Ferry's build (kinds are its numbering), the guest machine, the
 * scanned file's identity (device, inode, size, change and modification
 * times) and what else decides the hits (lu_memo_key's params), so a
 * memo is only ever read for the very file it was made from; a file
 * that is not this user's own, or that others may write, or that is
 * damaged, is not used (the scan runs), and the cache's rules for
 * set-user-ID programs and --no-cache hold (lu_cache_dir).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "backend/tcfile.h"
#include "linux-user/lu.h"

#define MEMO_MAGIC "FERRYRS\1"
#define MEMO_MAX 65536 /* hits: far more than any libc has */

typedef struct memo_head {
    char magic[8];
    uint64_t key;
    uint64_t n;
} memo_head;

bool lu_cache_dir(const lu_proc *p, char *buf, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (p->opt.no_cache || getauxval(AT_SECURE))
        return false;
    if (p->opt.cache_dir)
        return (size_t)snprintf(buf, len, "%s", p->opt.cache_dir) < len;
    if (xdg && *xdg == '/')
        return (size_t)snprintf(buf, len, "%s/ferry", xdg) < len;
    return home && *home == '/' && (size_t)snprintf(buf, len, "%s/.cache/ferry", home) < len;
}

static uint8_t build_id[64];
static unsigned build_id_len;
static pthread_once_t build_id_once = PTHREAD_ONCE_INIT;

static void read_build_id(void) { build_id_len = tcfile_build_id(build_id, sizeof build_id); }

uint64_t lu_memo_key(const lu_proc *p, int fd, const uint64_t *params, unsigned n)
{
    struct stat st;
    pthread_once(&build_id_once, read_build_id);
    if (!build_id_len || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return 0;
    uint64_t f[12] = {p->abi->elf_machine, (uint64_t)st.st_dev, (uint64_t)st.st_ino,
                      (uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec,
                      (uint64_t)st.st_mtim.tv_nsec, (uint64_t)st.st_ctim.tv_sec,
                      (uint64_t)st.st_ctim.tv_nsec, n};
    for (unsigned i = 0; i < n && i < 3; i++)
        f[9 + i] = params[i];
    uint64_t k = XXH3_64bits_withSeed(f, sizeof f, XXH3_64bits(build_id, build_id_len));
    return k ? k : 1;
}

static bool memo_path(const lu_proc *p, uint64_t key, char *buf, size_t len)
{
    char dir[4096];
    return lu_cache_dir(p, dir, sizeof dir) &&
           (size_t)snprintf(buf, len, "%s/routines-%016llx.tc", dir, (unsigned long long)key) < len;
}

lu_scan_hit *lu_memo_load(const lu_proc *p, uint64_t key, size_t *n)
{
    char path[4200];
    struct stat st;
    int fd = memo_path(p, key, path, sizeof path) ? tcfile_open_trusted(path, &st) : -1;
    if (fd < 0)
        return NULL;
    memo_head h;
    lu_scan_hit *hits = NULL;
    if (read(fd, &h, sizeof h) == (ssize_t)sizeof h && !memcmp(h.magic, MEMO_MAGIC, 8) &&
        h.key == key && h.n <= MEMO_MAX &&
        (uint64_t)st.st_size == sizeof h + h.n * sizeof *hits &&
        (hits = malloc(h.n * sizeof *hits + 1))) {
        size_t want = h.n * sizeof *hits;
        if (want && read(fd, hits, want) != (ssize_t)want) {
            free(hits);
            hits = NULL;
        }
        *n = h.n;
    }
    close(fd);
    return hits;
}

void lu_memo_save(const lu_proc *p, uint64_t key, const lu_scan_hit *hits, size_t n)
{
    char path[4200], tmp[4300];
    if (n > MEMO_MAX || !memo_path(p, key, path, sizeof path) ||
        (size_t)snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid()) >= sizeof tmp)
        return;
    tcfile_make_dirs(path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return;
    memo_head h = {.key = key, .n = n};
    memcpy(h.magic, MEMO_MAGIC, 8);
    size_t len = sizeof h + n * sizeof *hits;
    uint8_t *buf = malloc(len);
    bool ok = buf != NULL;
    if (ok) {
        memcpy(buf, &h, sizeof h);
        memcpy(buf + sizeof h, hits, n * sizeof *hits);
        ok = write(fd, buf, len) == (ssize_t)len;
    }
    free(buf);
    ok = close(fd) == 0 && ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
}
