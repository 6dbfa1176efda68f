/* /proc/self/maps describes this process the way its own kernel does:
 * every line well formed and in order; the code in an r-xp mapping of the
 * executable whose offset finds those very bytes in the file; libc's code
 * in the executable (static) or a library under /lib or /usr/lib whose
 * printed path opens the right file; [stack], [heap], one [vdso]; exact
 * bounds, permissions, splits and file offsets for mappings made here;
 * nothing of an emulator's own (its binary, capstone, its libraries).
 * The other spellings (/proc/PID, thread-self, task/TID) read the same.
 * Every result is a yes/no that is the same on any architecture. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAXLINES 4096

typedef struct line {
    uintptr_t start, end;
    unsigned long long off, inode;
    unsigned major, minor;
    char perms[5];
    char path[512];
} line;

static char text[1 << 20], other[1 << 20];
static line lines[MAXLINES];
static int nlines;
static int bad_lines;

static size_t slurp(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    size_t len = 0;
    ssize_t n;
    if (fd < 0)
        return 0;
    while (len < cap - 1 && (n = read(fd, buf + len, cap - 1 - len)) > 0)
        len += (size_t)n;
    close(fd);
    buf[len] = 0;
    return len;
}

static int good_perms(const char *p)
{
    return strlen(p) == 4 && strchr("r-", p[0]) && strchr("w-", p[1]) &&
           strchr("x-", p[2]) && strchr("ps", p[3]);
}

/* One line in the kernel's format; the path, if any, is everything after
 * the inode's padding. */
static int parse(char *s, line *l)
{
    int n = 0;
    if (sscanf(s, "%lx-%lx %4s %llx %x:%x %llu %n", &l->start, &l->end, l->perms, &l->off,
               &l->major, &l->minor, &l->inode, &n) < 7 || n == 0)
        return 0;
    snprintf(l->path, sizeof l->path, "%s", s + n);
    return l->start < l->end && good_perms(l->perms) &&
           (!l->path[0] || l->path[0] == '/' || l->path[0] == '[');
}

static void load(void)
{
    slurp("/proc/self/maps", text, sizeof text);
    static char copy[sizeof text];
    memcpy(copy, text, sizeof text);
    nlines = bad_lines = 0;
    for (char *s = strtok(copy, "\n"); s && nlines < MAXLINES; s = strtok(NULL, "\n")) {
        if (!parse(s, &lines[nlines]))
            bad_lines++;
        else if (nlines && lines[nlines].start < lines[nlines - 1].end)
            bad_lines++; /* out of order or overlapping */
        else
            nlines++;
    }
}

static line *find(uintptr_t a)
{
    for (int i = 0; i < nlines; i++)
        if (lines[i].start <= a && a < lines[i].end)
            return &lines[i];
    return NULL;
}

static line *exact(uintptr_t start, uintptr_t end)
{
    line *l = find(start);
    return l && l->start == start && l->end == end ? l : NULL;
}

static const char *yes(int c)
{
    return c ? "yes" : "no";
}

/* Do the file's bytes at this line's offset match memory at a? */
static int file_matches(const line *l, const void *a)
{
    unsigned char want[32];
    int fd = open(l->path, O_RDONLY);
    int ok = fd >= 0 && pread(fd, want, sizeof want, (off_t)(l->off + ((uintptr_t)a - l->start))) ==
                            (ssize_t)sizeof want &&
             memcmp(want, a, sizeof want) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static int is_lib_path(const char *p)
{
    return strncmp(p, "/lib/", 5) == 0 || strncmp(p, "/usr/lib/", 9) == 0 ||
           strncmp(p, "/lib64/", 7) == 0;
}

static void check_code(void)
{
    char exe[512] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    line *l = find((uintptr_t)&check_code);
    printf("code in r-xp mapping of the executable: %s\n",
           yes(l && !strcmp(l->perms, "r-xp") && !strcmp(l->path, exe)));
    printf("the executable's bytes at that line's offset are the code: %s\n",
           yes(l && file_matches(l, (void *)&check_code)));
    void *pf = (void *)&printf; /* PIE code takes libc's own address */
    line *c = find((uintptr_t)pf);
    printf("libc's code is r-xp in the executable or a library under /lib, /usr/lib: %s\n",
           yes(c && !strcmp(c->perms, "r-xp") &&
               (!strcmp(c->path, exe) || is_lib_path(c->path))));
    printf("that file, opened by the printed path, holds those bytes: %s\n",
           yes(c && file_matches(c, pf)));
}

static void check_labels(void)
{
    int local = 1, stacks = 0, vdsos = 0, heaps = 0, after_heap_none = 1;
    char *small = malloc(32);
    load();
    line *s = find((uintptr_t)&local), *h = find((uintptr_t)small);
    for (int i = 0; i < nlines; i++) {
        stacks += !strcmp(lines[i].path, "[stack]");
        vdsos += !strcmp(lines[i].path, "[vdso]");
        if (!strcmp(lines[i].path, "[heap]")) {
            heaps++;
            if (i + 1 < nlines && lines[i + 1].start == lines[i].end &&
                !strcmp(lines[i + 1].perms, "---p"))
                after_heap_none = 0;
        }
    }
    printf("stack variable in [stack] (rw-p, anonymous): %s\n",
           yes(s && !strcmp(s->path, "[stack]") && !strcmp(s->perms, "rw-p") && !s->inode));
    printf("malloc'd small block in [heap] (rw-p, anonymous): %s\n",
           yes(h && !strcmp(h->path, "[heap]") && !strcmp(h->perms, "rw-p") && !h->inode));
    printf("one [stack], one [heap], one [vdso]: %s\n",
           yes(stacks == 1 && heaps == 1 && vdsos == 1));
    printf("no PROT_NONE reservation right after [heap]: %s\n", yes(after_heap_none));
    free(small);
}

/* Nothing of an emulator: its binary, its disassembler, host libraries
 * this program does not use. */
static void check_foreign(void)
{
    static const char *const bad[] = { "ferry", "capstone", "libelf", "xxhash", "qemu" };
    int clean = 1;
    for (int i = 0; i < nlines; i++) {
        const char *base = strrchr(lines[i].path, '/');
        base = base ? base + 1 : lines[i].path;
        for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++)
            if (strstr(base, bad[j]))
                clean = 0;
    }
    printf("no line names ferry, capstone, libelf, xxhash or qemu: %s\n", yes(clean));
}

/* Three pages between two PROT_NONE guards, so that nothing merges. */
static void check_anon(long pg)
{
    char *g = mmap(NULL, 5 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *m = mmap(g + pg, 3 * pg, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    m[0] = 1;
    load();
    line *l = exact((uintptr_t)m, (uintptr_t)(m + 3 * pg));
    printf("an anonymous mmap of 3 pages appears with rw-p and exact bounds: %s\n",
           yes(l && !strcmp(l->perms, "rw-p") && !l->off && !l->inode && !l->major &&
               !l->minor && !l->path[0]));
    l = exact((uintptr_t)g, (uintptr_t)m);
    printf("its guard page is ---p: %s\n", yes(l && !strcmp(l->perms, "---p")));
    mprotect(m + pg, pg, PROT_READ);
    load();
    line *a = exact((uintptr_t)m, (uintptr_t)(m + pg));
    line *b = exact((uintptr_t)(m + pg), (uintptr_t)(m + 2 * pg));
    line *c = exact((uintptr_t)(m + 2 * pg), (uintptr_t)(m + 3 * pg));
    printf("after mprotect of its middle page to PROT_READ the mapping splits into 3 lines: %s\n",
           yes(a && b && c && !strcmp(a->perms, "rw-p") && !strcmp(b->perms, "r--p") &&
               !strcmp(c->perms, "rw-p")));
    mprotect(m + pg, pg, PROT_READ | PROT_EXEC);
    load();
    b = exact((uintptr_t)(m + pg), (uintptr_t)(m + 2 * pg));
    printf("made PROT_READ|PROT_EXEC it reads r-xp: %s\n", yes(b && !strcmp(b->perms, "r-xp")));
    mprotect(m + pg, pg, PROT_READ | PROT_WRITE | PROT_EXEC);
    load();
    b = exact((uintptr_t)(m + pg), (uintptr_t)(m + 2 * pg));
    printf("made PROT_READ|PROT_WRITE|PROT_EXEC it reads rwxp: %s\n",
           yes(b && !strcmp(b->perms, "rwxp")));
    munmap(m + pg, pg);
    load();
    printf("unmapped, the middle page is gone: %s\n", yes(!find((uintptr_t)(m + pg))));
    munmap(g, 5 * pg);
    load();
    printf("unmapped, the rest is gone: %s\n",
           yes(!find((uintptr_t)g) && !find((uintptr_t)m) && !find((uintptr_t)(m + 2 * pg))));
}

/* A file mapped from its second page: offset, device, inode and path are
 * the file's; cut by mprotect, the second piece's offset moves on. */
static void check_file(long pg)
{
    char name[64], *real;
    snprintf(name, sizeof name, "procmaps.%d.tmp", (int)getpid());
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    struct stat st;
    char *buf = calloc(4, pg);
    if (fd < 0 || write(fd, buf, 4 * pg) != 4 * pg || fstat(fd, &st) != 0) {
        printf("cannot make %s\n", name);
        return;
    }
    real = realpath(name, NULL);
    char *m = mmap(NULL, 3 * pg, PROT_READ, MAP_PRIVATE, fd, pg);
    load();
    line *l = exact((uintptr_t)m, (uintptr_t)(m + 3 * pg));
    printf("a file mapped at page 1 shows r--p, its offset, device, inode and path: %s\n",
           yes(l && !strcmp(l->perms, "r--p") && l->off == (unsigned long long)pg &&
               l->major == major(st.st_dev) && l->minor == minor(st.st_dev) &&
               l->inode == (unsigned long long)st.st_ino && real && !strcmp(l->path, real)));
    mprotect(m + pg, pg, PROT_READ | PROT_WRITE);
    load();
    line *b = exact((uintptr_t)(m + pg), (uintptr_t)(m + 2 * pg));
    line *c = exact((uintptr_t)(m + 2 * pg), (uintptr_t)(m + 3 * pg));
    printf("cut by mprotect, the pieces' offsets follow their starts: %s\n",
           yes(b && c && !strcmp(b->perms, "rw-p") && b->off == 2ull * pg &&
               c->off == 3ull * pg && !strcmp(c->path, l ? l->path : "")));
    munmap(m, 3 * pg);
    close(fd);
    unlink(name);
    free(real);
    free(buf);
}

static void check_spellings(void)
{
    char path[64];
    const char *names[4] = { "/proc/thread-self/maps", path, NULL, NULL };
    static char p2[64], p3[64];
    int same = 1;
    snprintf(path, sizeof path, "/proc/%d/maps", (int)getpid());
    snprintf(p2, sizeof p2, "/proc/self/task/%ld/maps", (long)syscall(SYS_gettid));
    snprintf(p3, sizeof p3, "/proc/%d/task/%ld/maps", (int)getpid(), (long)syscall(SYS_gettid));
    names[2] = p2;
    names[3] = p3;
    slurp("/proc/self/maps", text, sizeof text);
    for (int i = 0; i < 4; i++) {
        slurp(names[i], other, sizeof other);
        same &= !strcmp(text, other);
    }
    printf("/proc/PID, thread-self and task/TID maps read the same: %s\n", yes(same));
}

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    load();
    printf("every line parses (start<end, perms, offset, dev, inode, path), in order: %s\n",
           yes(nlines > 0 && bad_lines == 0));
    check_code();
    check_labels();
    check_foreign();
    check_anon(pg);
    check_file(pg);
    check_spellings();
    return 0;
}
