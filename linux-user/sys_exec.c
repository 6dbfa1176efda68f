/* execve: a program for this guest runs in a fresh Ferry (the same binary,
 * with the options that shape the guest: -L, -strace), so the new image
 * gets its own loader, stack and engine; so does a script whose "#!"
 * interpreter is one (as the kernel's binfmt_script runs it: interpreter,
 * its optional argument, the script's path, the rest of argv); anything
 * else (a host program) goes to the host kernel as qemu-user without
 * binfmt_misc does.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux-user/lu.h"

static size_t count(const uint64_t *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

/* How the new image starts: the program Ferry loads, its argv[0], and the
 * arguments that come before the guest's argv[1..] (a script's). */
typedef struct exec_plan {
    const char *prog, *argv0;
    const char *pre[2];
    int npre;
    char line[256]; /* a script's "#!" line, which pre and argv0 point into */
    char host[PATH_MAX];
} exec_plan;

/* Ferry's own binary, looked up at the first execve (three lookups in
 * /proc cost a tenth of a small program's start): the kernel's link is
 * already absolute and free of symlinks, where realpath() would readlink
 * every component of it and of /proc/self/exe again.  NULL: unknown. */
static const char *ferry_path(lu_proc *p)
{
    pthread_mutex_lock(&p->lock);
    if (!p->ferry_path) {
        char buf[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
        if (n > 0 && n < (ssize_t)sizeof buf - 1 && buf[0] == '/') {
            buf[n] = 0;
            p->ferry_path = lu_binfmt_self(strdup(buf));
        }
    }
    pthread_mutex_unlock(&p->lock);
    return p->ferry_path;
}

/* ferry [-L root] [-strace] [--perfmap] [--cache-dir dir | --no-cache]
 *       -0 argv0 -- prog pre... argv[1..] */
static char **ferry_argv(lu_proc *p, const exec_plan *x, const uint64_t *gargv)
{
    size_t n = count(gargv);
    char **v = calloc(n + 14, sizeof *v);
    size_t k = 0;
    if (!v)
        return NULL;
    v[k++] = (char *)ferry_path(p);
    if (p->opt.sysroot) {
        v[k++] = "-L";
        v[k++] = (char *)p->opt.sysroot;
    }
    if (p->opt.strace)
        v[k++] = "-strace";
    if (lu_perfmap) /* the new image's blocks name themselves too */
        v[k++] = "--perfmap";
    if (p->opt.no_cache) {
        v[k++] = "--no-cache";
    } else if (p->opt.cache_dir) {
        v[k++] = "--cache-dir";
        v[k++] = (char *)p->opt.cache_dir;
    }
    v[k++] = "-0";
    v[k++] = (char *)x->argv0;
    v[k++] = "--";
    v[k++] = (char *)x->prog;
    for (int i = 0; i < x->npre; i++)
        v[k++] = (char *)x->pre[i];
    for (size_t i = 1; i < n; i++)
        v[k++] = G2H(gargv[i]);
    v[k] = NULL;
    return v;
}

/* The "#!interp [arg]" line of a script, as the kernel reads it: blanks
 * around, the interpreter up to the next blank, the rest (trimmed) one
 * argument.  false: not a script. */
static bool script(const char *path, exec_plan *x)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(x->line, 1, sizeof x->line - 1, f) : 0;
    if (f)
        fclose(f);
    if (n < 3 || x->line[0] != '#' || x->line[1] != '!')
        return false;
    x->line[n] = 0;
    x->line[strcspn(x->line, "\n")] = 0;
    char *s = x->line + 2 + strspn(x->line + 2, " \t");
    char *e = s + strcspn(s, " \t");
    char *arg = *e ? e + 1 + strspn(e + 1, " \t") : e;
    *e = 0;
    for (char *t = arg + strlen(arg); t > arg && (t[-1] == ' ' || t[-1] == '\t'); t--)
        t[-1] = 0;
    if (!*s)
        return false;
    x->argv0 = s;
    x->npre = 0;
    if (*arg)
        x->pre[x->npre++] = arg;
    return true;
}

/* Is the program (or a script's interpreter) this guest's?  Then x says
 * how Ferry starts it. */
static bool guest_program(lu_proc *p, const char *path, const uint64_t *gargv, exec_plan *x)
{
    lu_image img;
    char err[256];
    if (!ferry_path(p))
        return false;
    if (!lu_elf_check(path, p->abi->elf_machine, &img, err, sizeof err)) {
        x->prog = path;
        x->argv0 = gargv && gargv[0] ? G2H(gargv[0]) : path;
        x->npre = 0;
        return true;
    }
    if (!script(path, x))
        return false;
    x->pre[x->npre++] = path;
    x->prog = lu_path_map(p->sysroot, x->argv0, x->host, sizeof x->host);
    return access(x->prog, X_OK) == 0 &&
           !lu_elf_check(x->prog, p->abi->elf_machine, &img, err, sizeof err);
}

/* a[0] is already mapped under the sysroot (kind 'P'). */
int64_t sys_execve(lu_thread *t, const uint64_t a[6])
{
    lu_proc *p = t->p;
    const char *path = G2H(a[0]);
    char **envp = G2H(a[2]);
    static __thread exec_plan x;
    if (!path)
        return -EFAULT;
    if (p->exe_path && lu_proc_self(path, "exe")) /* not Ferry: the guest */
        path = p->exe_path;
    if (access(path, X_OK) != 0)
        return -errno;
    bool guest = guest_program(p, path, G2H(a[1]), &x);
    char **v = guest ? ferry_argv(p, &x, G2H(a[1])) : NULL;
    if (guest && !v)
        return -ENOMEM;
    if (p->log)
        fflush(p->log);
    if (!lu_signal_exec_begin(t)) {
        free(v);
        return -LU_ERESTARTNOINTR;
    }
    if (guest && p->opt.strace)
        lu_strace_exec(t);
    if (p->run->save)
        p->run->save(p);
    if (guest)
        execve(ferry_path(p), v, envp);
    else
        execve(path, G2H(a[1]), envp);
    int e = errno;
    lu_signal_exec_failed(t);
    free(v);
    return -e;
}
