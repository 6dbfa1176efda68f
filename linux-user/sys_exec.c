/* execve: a program for this guest runs in a fresh Ferry (the same binary,
 * with the options that shape the guest: -L, -strace), so the new image
 * gets its own loader, stack and engine; anything else (a host program, a
 * script) goes to the host kernel as qemu-user without binfmt_misc does.
 */
#include <limits.h>
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

/* ferry [-L root] [-strace] [--perfmap] -0 argv0 -- path argv[1..] */
static char **ferry_argv(lu_proc *p, const char *path, const uint64_t *gargv)
{
    size_t n = count(gargv);
    char **v = calloc(n + 10, sizeof *v);
    size_t k = 0;
    if (!v)
        return NULL;
    v[k++] = (char *)p->ferry_path;
    if (p->opt.sysroot) {
        v[k++] = "-L";
        v[k++] = (char *)p->opt.sysroot;
    }
    if (p->opt.strace)
        v[k++] = "-strace";
    if (lu_perfmap) /* the new image's blocks name themselves too */
        v[k++] = "--perfmap";
    v[k++] = "-0";
    v[k++] = n ? G2H(gargv[0]) : (char *)path;
    v[k++] = "--";
    v[k++] = (char *)path;
    for (size_t i = 1; i < n; i++)
        v[k++] = G2H(gargv[i]);
    v[k] = NULL;
    return v;
}

/* a[0] is already mapped under the sysroot (kind 'P'). */
int64_t sys_execve(lu_thread *t, const uint64_t a[6])
{
    lu_proc *p = t->p;
    const char *path = G2H(a[0]);
    char **envp = G2H(a[2]);
    lu_image img;
    char err[256];
    if (!path)
        return -EFAULT;
    if (p->exe_path && lu_proc_self(path, "exe")) /* not Ferry: the guest */
        path = p->exe_path;
    if (access(path, X_OK) != 0)
        return -errno;
    bool guest = p->ferry_path && !lu_elf_check(path, p->abi->elf_machine, &img, err, sizeof err);
    char **v = guest ? ferry_argv(p, path, G2H(a[1])) : NULL;
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
    if (guest)
        execve(p->ferry_path, v, envp);
    else
        execve(path, G2H(a[1]), envp);
    int e = errno;
    lu_signal_exec_failed(t);
    free(v);
    return -e;
}
