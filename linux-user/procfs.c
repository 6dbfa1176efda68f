/* /proc files that must describe the guest rather than Ferry: one table
 * row each.  /proc/cpuinfo is the guest kernel's text (guest_abi), the
 * auxv is the one the guest was started with, maps shows only the guest's
 * mappings (procfs_maps.c), exe is the guest program.  Generated files are
 * handed out as a read-only memfd holding the text, made at open.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-user/lu.h"

static void gen_cpuinfo(lu_proc *p, FILE *f)
{
    p->abi->cpuinfo(f);
}

static void gen_auxv(lu_proc *p, FILE *f)
{
    fwrite(p->auxv, sizeof p->auxv[0], p->auxv_words, f);
}

/* Whole-system files by path; per-process ones by /proc/self/NAME. */
static const struct lu_procfile {
    const char *path; /* absolute, or a NAME under /proc/self */
    void (*gen)(lu_proc *p, FILE *f);
} proc_files[] = {
    { "/proc/cpuinfo", gen_cpuinfo },
    { "auxv", gen_auxv },
    { "maps", lu_proc_maps },
};

static const char *after(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 ? path + n : NULL;
}

/* rest with a leading "task/TID/" of one of our threads taken off (guest
 * threads are host threads of this process); rest itself otherwise. */
static const char *skip_task(const char *rest)
{
    const char *tid = after(rest, "task/");
    size_t n = tid ? strspn(tid, "0123456789") : 0;
    char dir[64];
    if (!n || n > 10 || tid[n] != '/')
        return rest;
    snprintf(dir, sizeof dir, "/proc/self/task/%.*s", (int)n, tid);
    return access(dir, F_OK) == 0 ? tid + n + 1 : rest;
}

bool lu_proc_self(const char *path, const char *name)
{
    char own[64];
    if (!after(path, "/proc/")) /* most paths: no getpid for them (a dynamic
                                   program's start asks for dozens) */
        return false;
    snprintf(own, sizeof own, "/proc/%d/", getpid());
    const char *rest = after(path, "/proc/thread-self/");
    if (!rest) {
        rest = after(path, "/proc/self/");
        if (!rest)
            rest = after(path, own);
        if (rest)
            rest = skip_task(rest);
    }
    return rest && strcmp(rest, name) == 0;
}

/* A guest without a cpuinfo of its own (x86-64) reads the host's. */
static const struct lu_procfile *find(const lu_proc *p, const char *path)
{
    for (size_t i = 0; i < sizeof proc_files / sizeof proc_files[0]; i++) {
        const char *n = proc_files[i].path;
        if (proc_files[i].gen == gen_cpuinfo && !p->abi->cpuinfo)
            continue;
        if (n[0] == '/' ? strcmp(path, n) == 0 : lu_proc_self(path, n))
            return &proc_files[i];
    }
    return NULL;
}

char *lu_proc_text(lu_proc *p, const char *path, size_t *len)
{
    const struct lu_procfile *pf = find(p, path);
    char *buf = NULL;
    if (!pf)
        return NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    pf->gen(p, f);
    fclose(f);
    return buf;
}

static int64_t memfd_with(const char *text, size_t len, int flags)
{
    int fd = memfd_create("ferry-proc", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0)
        return -errno;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n <= 0) {
            close(fd);
            return -EIO;
        }
        done += (size_t)n;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

bool lu_proc_open(lu_thread *t, const char *path, int flags, int64_t *ret)
{
    lu_proc *p = t->p;
    if (!path)
        return false;
    if (p->exe_path && lu_proc_self(path, "exe")) {
        *ret = lu_ret(open(p->exe_path, flags));
        return true;
    }
    size_t len = 0;
    char *text = lu_proc_text(p, path, &len);
    if (!text)
        return false;
    /* flags are the host's: they are regular read-only files */
    if (flags & O_DIRECTORY)
        *ret = -ENOTDIR;
    else
        *ret = (flags & O_ACCMODE) != O_RDONLY ? -EACCES : memfd_with(text, len, flags);
    free(text);
    return true;
}
