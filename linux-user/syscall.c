/* Syscall dispatch: read the number and arguments from the guest CPU
 * state through the guest ABI, map path arguments under the sysroot (kind
 * 'P'), run the row's handler, write the result back (a negative errno on
 * failure, as the kernel returns it), and hand the call to strace.c under
 * -strace.  Rows come from the generic table, then the guest's own.
 *
 *   lu_syscall(t);   // after engine_run() returned ENGINE_SYSCALL
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend/engine.h"
#include "linux-user/lu.h"

static const lu_sysdef sys_table[] = {
#define SYS(nr, name, kinds, flags) [nr] = { #name, sys_##name, kinds, flags },
#include "linux-user/syscall_table.def"
#undef SYS
};

#define SYS_TABLE_LEN (sizeof sys_table / sizeof sys_table[0])

static const lu_sysdef *generic_row(uint64_t nr)
{
    return nr < SYS_TABLE_LEN && sys_table[nr].fn ? &sys_table[nr] : NULL;
}

/* A guest numbered its own way (sys_map) has its own rows first, then
 * the generic rows its map names; the others have the generic rows first,
 * then their own past them. */
static const lu_sysdef *sys_row(const guest_abi *abi, uint64_t nr)
{
    const lu_sysdef *own = abi && nr < abi->arch_sys_len && abi->arch_sys[nr].fn
                               ? &abi->arch_sys[nr] : NULL;
    if (abi && abi->sys_map)
        return own ? own : nr < abi->sys_map_len && abi->sys_map[nr]
                               ? generic_row(abi->sys_map[nr] - 1u) : NULL;
    const lu_sysdef *g = generic_row(nr);
    return g ? g : own;
}

const char *lu_syscall_name(uint64_t nr)
{
    const lu_sysdef *d = sys_row(NULL, nr);
    return d ? d->name : NULL;
}

static uint64_t *cpu_reg(lu_thread *t, uint32_t off)
{
    return (uint64_t *)((char *)t->cpu + off);
}

/* The arguments a handler sees: each path (kind 'P') mapped under the
 * sysroot into its own buffer. */
static void map_paths(lu_thread *t, const lu_sysdef *d, const uint64_t a[6],
                      uint64_t out[6], char bufs[][PATH_MAX])
{
    int used = 0;
    memcpy(out, a, 6 * sizeof *out);
    if (!t->p->sysroot)
        return;
    for (int i = 0; d->kinds[i] && i < 6; i++)
        if (d->kinds[i] == 'P' && a[i] && used < 2)
            out[i] = (uint64_t)(uintptr_t)lu_path_map(t->p->sysroot, G2H(a[i]),
                                                      bufs[used++], PATH_MAX);
}

/* A handler and its guest arguments and result, for lu_guest_access. */
typedef struct sys_call {
    const lu_sysdef *d;
    const uint64_t *a;
    int64_t r;
} sys_call;

static void sys_call_run(lu_thread *t, void *arg)
{
    sys_call *c = arg;
    char bufs[2][PATH_MAX];
    uint64_t m[6];
    map_paths(t, c->d, c->a, m, bufs);
    c->r = c->d->fn(t, m);
}

/* Run the row's handler on its mapped arguments; a fault while Ferry
 * reads or writes guest memory itself (a path, a struct) is a bad pointer
 * the kernel would have answered with EFAULT. */
static int64_t guarded_call(lu_thread *t, const lu_sysdef *d, const uint64_t a[6])
{
    sys_call c = { d, a, 0 };
    return lu_guest_access(t, sys_call_run, &c) ? c.r : -EFAULT;
}

int64_t lu_syscall_nr(lu_thread *t, uint64_t nr, const uint64_t a[6])
{
    const lu_sysdef *d = sys_row(t->p->abi, nr);
    bool strace = t->p->opt.strace;
    if (strace)
        lu_strace_call(t, nr, d, a);
    int64_t r;
    if (d) {
        r = guarded_call(t, d, a);
    } else {
        r = -ENOSYS;
        if ((t->p->opt.log & ENGINE_LOG_UNIMP) && t->p->log)
            fprintf(t->p->log, "ferry: unimplemented syscall %llu\n",
                    (unsigned long long)nr);
    }
    if (strace && !(d && (d->flags & (SYS_NORET | SYS_SIGRETURN))))
        lu_strace_result(t, nr, d, a, r);
    return r;
}

void lu_syscall(lu_thread *t)
{
    const guest_abi *abi = t->p->abi;
    uint64_t a[6];
    for (int i = 0; i < 6; i++)
        a[i] = *cpu_reg(t, abi->arg_off[i]);
    uint64_t nr = *cpu_reg(t, abi->sysno_off);
    uint64_t ret_was = *cpu_reg(t, abi->ret_off);
    const lu_sysdef *d = sys_row(abi, nr);
    int64_t r = lu_syscall_nr(t, nr, a);
    if (d && (d->flags & SYS_SIGRETURN)) /* every register came from the frame */
        return;
    if (r == -LU_ERESTARTNOINTR) { /* back to the syscall instruction */
        *cpu_reg(t, abi->pc_off) -= abi->syscall_len;
        return;
    }
    /* a handler's SA_RESTART decides (sig_deliver.c) */
    t->sys_eintr = r == -EINTR && d && (d->flags & SYS_RESTART);
    t->sys_ret_was = ret_was;
    if (!t->p->exiting && !t->exiting)
        *cpu_reg(t, abi->ret_off) = (uint64_t)r;
}

/* A SYS_FAST row's call, answered for the engine without the cpu loop
 * (cpu_loop.c): false when the call is not one, or -strace must show it. */
bool lu_syscall_fast(lu_thread *t)
{
    const guest_abi *abi = t->p->abi;
    const lu_sysdef *d = sys_row(abi, *cpu_reg(t, abi->sysno_off));
    if (!d || !(d->flags & SYS_FAST) || t->p->opt.strace)
        return false;
    uint64_t a[6];
    for (int i = 0; i < 6; i++)
        a[i] = *cpu_reg(t, abi->arg_off[i]);
    *cpu_reg(t, abi->ret_off) = (uint64_t)guarded_call(t, d, a);
    return true;
}
