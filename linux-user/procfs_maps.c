/* /proc/self/maps as the guest's own kernel would write it.  The host's
 * maps is the truth about every mapping (bounds, offset, device, inode,
 * file); each host line is cut to the ranges the guest owns (lu_proc.mem),
 * so Ferry's binary, host libraries, the translation cache, host thread
 * stacks and malloc arenas never show.  Then the guest's view of what is
 * left: 'x' where the guest may execute (Ferry maps guest code without
 * PROT_EXEC), the kernel's [heap], [stack] and [vdso] labels, the unused
 * brk reservation hidden, and paths under the sysroot as the guest names
 * them (/lib/libc.so.6, not /usr/aarch64-linux-gnu/lib/libc.so.6).
 *
 *   FILE *f = open_memstream(&buf, &len);  lu_proc_maps(p, f);  fclose(f);
 */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux-user/lu.h"

/* The kernel pads the fields before a name to this column
 * (show_vma_header_prefix: 25 + sizeof(void *) * 6 - 1), then a space. */
#define MAPS_NAME_COL 72

/* One line of the host's maps; path is "" when it has none. */
typedef struct maps_line {
    uint64_t start, end, off, inode;
    char perms[5], dev[16];
    const char *path;
} maps_line;

/* What the guest owns and how the kernel would label it, copied under
 * the locks so that the lines are cut against one consistent state. */
typedef struct maps_view {
    lu_memmap mem, exec;
    uint64_t heap_start, heap_end; /* [heap]: brk start to the break */
    uint64_t hide_start, hide_end; /* the brk reserve above the break */
    uint64_t stack_start, stack_end;
    uint64_t vdso;                 /* the signal trampoline page, or 0 */
    bool host_vdso;                /* the host's [vdso] and [vvar]s are the guest's */
    const char *sysroot;
    const char *last_path;         /* guest_path's one-line memory */
    size_t last_skip;
} maps_view;

static bool copy_map(lu_memmap *dst, const lu_memmap *src)
{
    dst->n = dst->cap = src->n;
    dst->r = malloc((src->n ? src->n : 1) * sizeof *dst->r);
    if (dst->r)
        memcpy(dst->r, src->r, src->n * sizeof *dst->r);
    return dst->r != NULL;
}

/* The whole of the host's /proc/self/maps, malloc'ed and NUL-ended. */
static char *read_host_maps(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    ssize_t n = 0;
    while (fd >= 0 && buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    if (fd >= 0)
        close(fd);
    if (buf && (fd < 0 || n < 0)) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[len] = 0;
    return buf;
}

/* Snapshot the guest's state and the host's maps together: p->lock keeps
 * the guest's mmap/munmap/brk from moving between the two. */
static char *take_view(lu_proc *p, maps_view *v)
{
    pthread_mutex_lock(&p->lock);
    bool ok = copy_map(&v->mem, &p->mem);
    pthread_mutex_lock(&p->exec_lock);
    ok = copy_map(&v->exec, &p->exec) && ok;
    pthread_mutex_unlock(&p->exec_lock);
    v->heap_start = p->brk_start;
    v->heap_end = v->hide_start = LU_PAGE_UP(p->brk_cur);
    v->hide_end = p->brk_limit;
    v->stack_start = LU_STACK_TOP - LU_STACK_SIZE;
    v->stack_end = LU_STACK_TOP;
    v->vdso = p->sigtramp;
    v->host_vdso = p->abi->host_vdso;
    char *text = ok ? read_host_maps() : NULL;
    pthread_mutex_unlock(&p->lock);
    return text;
}

static bool parse_line(char *s, maps_line *l)
{
    int n = 0;
    if (sscanf(s, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %15s %" SCNu64 " %n",
               &l->start, &l->end, l->perms, &l->off, l->dev, &l->inode, &n) < 6 ||
        n == 0)
        return false;
    l->path = s + n;
    return true;
}

static bool in_map(const lu_memmap *m, uint64_t a)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->r[i].start <= a && a < m->r[i].end)
            return true;
    return false;
}

/* The first place after a, before b, where the guest's view changes:
 * the edge of an executable range, of the heap, its reserve, the stack
 * or the trampoline page. */
static uint64_t next_cut(const maps_view *v, uint64_t a, uint64_t b)
{
    const uint64_t edges[] = {
        v->heap_start, v->heap_end, v->hide_start, v->hide_end,
        v->stack_start, v->stack_end, v->vdso, v->vdso ? v->vdso + LU_PAGE : 0,
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        if (edges[i] > a && edges[i] < b)
            b = edges[i];
    for (size_t i = 0; i < v->exec.n; i++) {
        if (v->exec.r[i].start > a && v->exec.r[i].start < b)
            b = v->exec.r[i].start;
        if (v->exec.r[i].end > a && v->exec.r[i].end < b)
            b = v->exec.r[i].end;
    }
    return b;
}

/* The part of path after root ("/usr/x/lib/a" under "/usr/x": "/lib/a"). */
static const char *under(const char *root, const char *path)
{
    if (!root)
        return NULL;
    size_t n = strlen(root);
    while (n && root[n - 1] == '/')
        n--;
    return n && strncmp(path, root, n) == 0 && path[n] == '/' ? path + n : NULL;
}

/* Does the guest's name lead back to the host file path through the
 * sysroot lookup (path.c), so that opening the printed name opens this
 * very file?  A file that is gone ("... (deleted)") keeps its name. */
static bool leads_to(const char *sysroot, const char *name, const char *path)
{
    char buf[PATH_MAX];
    struct stat want, got;
    if (stat(path, &want) != 0)
        return true;
    const char *host = lu_path_map(sysroot, name, buf, sizeof buf);
    return stat(host, &got) == 0 && got.st_dev == want.st_dev && got.st_ino == want.st_ino;
}

const char *lu_guest_name(const char *sysroot, const char *path)
{
    char *real = sysroot ? realpath(sysroot, NULL) : NULL;
    const char *roots[] = { sysroot, real }, *name = path;
    for (size_t i = 0; i < 2 && name == path; i++) {
        const char *rest = under(roots[i], path);
        if (rest && leads_to(sysroot, rest, path))
            name = rest;
    }
    free(real);
    return name;
}

/* lu_guest_name, remembering the last line's answer: a file's lines come
 * together. */
static const char *guest_path(maps_view *v, const char *path)
{
    if (!v->last_path || strcmp(v->last_path, path) != 0) {
        v->last_path = path;
        v->last_skip = (size_t)(lu_guest_name(v->sysroot, path) - path);
    }
    return path + v->last_skip;
}

/* The host's vDSO and its data pages, when they are the guest's too. */
static bool shared_vdso(const maps_view *v, const maps_line *l)
{
    return v->host_vdso && (strcmp(l->path, "[vdso]") == 0 || strncmp(l->path, "[vvar", 5) == 0);
}

/* The kernel's name for [a, ...) of line l.  The stack is the piece of
 * the host mapping that holds the stack's top, as the kernel names only
 * the mapping holding start_stack.  The trampoline page is Ferry's, but it
 * holds the guest's sigreturn code, which an arm64 or riscv64 kernel keeps
 * in the vDSO: there a signal handler's return address lies in [vdso],
 * and every process has that one line.  It is one page, not an ELF image
 * (no [vvar] beside it, AT_SYSINFO_EHDR does not name it): a program
 * that parsed the [vdso] line's memory as ELF would find none, which
 * glibc and the usual users of the vDSO, going by the auxv, never do. */
static const char *label(maps_view *v, const maps_line *l, uint64_t a)
{
    if (v->vdso && a == v->vdso)
        return "[vdso]";
    if (shared_vdso(v, l))
        return l->path;
    if (l->inode || l->path[0] == '/')
        return guest_path(v, l->path);
    if (a >= v->heap_start && a < v->heap_end)
        return "[heap]";
    if (a >= v->stack_start && a < v->stack_end && l->start < v->stack_end &&
        l->end >= v->stack_end)
        return "[stack]";
    if (strncmp(l->path, "[anon", 5) == 0)
        return l->path; /* named by the guest's prctl(PR_SET_VMA) */
    return ""; /* anonymous (the host's [heap], [stack] are Ferry's) */
}

static void print_piece(maps_view *v, const maps_line *l, uint64_t a, uint64_t b, FILE *f)
{
    char perms[5];
    memcpy(perms, l->perms, sizeof perms);
    if (!shared_vdso(v, l))
        perms[2] = in_map(&v->exec, a) ? 'x' : '-';
    /* a file mapping cut at a: its offset moves with its start */
    uint64_t off = l->inode ? l->off + (a - l->start) : l->off;
    const char *name = label(v, l, a);
    int n = fprintf(f, "%08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64 " %s %" PRIu64 " ", a, b,
                    perms, off, l->dev, l->inode);
    if (*name)
        fprintf(f, "%*s%s", n < MAPS_NAME_COL ? MAPS_NAME_COL - n + 1 : 1, "", name);
    fputc('\n', f);
}

/* Line l cut to what the guest owns, split where its view changes. */
static void print_line(maps_view *v, const maps_line *l, FILE *f)
{
    if (shared_vdso(v, l)) {
        print_piece(v, l, l->start, l->end, f);
        return;
    }
    for (size_t i = 0; i < v->mem.n; i++) {
        uint64_t a = v->mem.r[i].start > l->start ? v->mem.r[i].start : l->start;
        uint64_t b = v->mem.r[i].end < l->end ? v->mem.r[i].end : l->end;
        while (a < b) {
            uint64_t c = next_cut(v, a, b);
            if (a < v->hide_start || a >= v->hide_end)
                print_piece(v, l, a, c, f);
            a = c;
        }
    }
}

void lu_proc_maps(lu_proc *p, FILE *f)
{
    maps_view v = { .sysroot = p->sysroot };
    char *text = take_view(p, &v);
    for (char *s = text, *nl; s && *s; s = nl ? nl + 1 : s + strlen(s)) {
        maps_line l;
        nl = strchr(s, '\n');
        if (nl)
            *nl = 0;
        if (parse_line(s, &l))
            print_line(&v, &l, f);
    }
    free(text);
    free(v.mem.r);
    free(v.exec.r);
}
