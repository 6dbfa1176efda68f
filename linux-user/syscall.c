/* Syscall dispatch: read the number and arguments from the guest CPU
 * state through the guest ABI, map path arguments under the sysroot (kind
 * 'P'), run the row's handler, write the result back (a negative errno on
 * failure, as the kernel returns it), and print the call qemu-style under
 * -strace.  Rows come from the generic table, then the guest's own.
 *
 *   lu_syscall(t);   // after engine_run() returned ENGINE_SYSCALL
 */
#include <ctype.h>
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

static const lu_sysdef *sys_row(const guest_abi *abi, uint64_t nr)
{
    if (nr < SYS_TABLE_LEN && sys_table[nr].fn)
        return &sys_table[nr];
    if (abi && nr < abi->arch_sys_len && abi->arch_sys[nr].fn)
        return &abi->arch_sys[nr];
    return NULL;
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

/* A guest string or buffer, quoted, escaped and cut at 32 bytes. */
static void strace_str(FILE *f, uint64_t addr, int64_t len)
{
    enum { MAX = 32 };
    if (!addr) {
        fputs("NULL", f);
        return;
    }
    const unsigned char *s = G2H(addr);
    fputc('"', f);
    int64_t i;
    for (i = 0; i < MAX && (len < 0 ? s[i] != 0 : i < len); i++) {
        unsigned char c = s[i];
        if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (isprint(c))
            fputc(c, f);
        else
            fprintf(f, "\\%o", c);
    }
    fputc('"', f);
    if (len < 0 ? s[i] != 0 : i < len)
        fputs("...", f);
}

static void strace_arg(FILE *f, char kind, const uint64_t *a, int i)
{
    uint64_t v = a[i];
    switch (kind) {
    case 'P':
    case 's': strace_str(f, v, -1); break;
    case 'b': strace_str(f, v, (int64_t)a[i + 1]); break;
    case 'a':
        if ((int)v == -100) {
            fputs("AT_FDCWD", f);
            break;
        }
        /* fallthrough */
    case 'f': fprintf(f, "%d", (int)v); break;
    case 'd': fprintf(f, "%lld", (long long)v); break;
    case 'u': fprintf(f, "%llu", (unsigned long long)v); break;
    case 'o': fprintf(f, "0%llo", (unsigned long long)v); break;
    case 'p':
        if (!v) {
            fputs("NULL", f);
            break;
        }
        /* fallthrough */
    default: fprintf(f, "0x%llx", (unsigned long long)v); break;
    }
}

static void strace_call(lu_thread *t, uint64_t nr, const lu_sysdef *d, const uint64_t a[6])
{
    /* One buffer, one write: the call itself may write to stderr. */
    char buf[512];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    if (!f)
        return;
    fprintf(f, "%d ", getpid());
    if (!d) {
        fprintf(f, "Unknown syscall %llu", (unsigned long long)nr);
    } else {
        fprintf(f, "%s(", d->name);
        for (int i = 0; d->kinds[i] && i < 6; i++) {
            if (i)
                fputc(',', f);
            strace_arg(f, d->kinds[i], a, i);
        }
        fputc(')', f);
    }
    if (d && (d->flags & (SYS_NORET | SYS_SIGRETURN)))
        fputc('\n', f);
    fclose(f);
    fputs(buf, stderr);
}

static void strace_result(const lu_sysdef *d, int64_t r)
{
    if (r < 0 && r >= -4095)
        fprintf(stderr, " = -1 errno=%d (%s)\n", (int)-r, strerror((int)-r));
    else if (d && (d->flags & SYS_RETX))
        fprintf(stderr, " = 0x%llx\n", (unsigned long long)r);
    else
        fprintf(stderr, " = %lld\n", (long long)r);
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

int64_t lu_syscall_nr(lu_thread *t, uint64_t nr, const uint64_t a[6])
{
    const lu_sysdef *d = sys_row(t->p->abi, nr);
    bool strace = t->p->opt.strace;
    if (strace)
        strace_call(t, nr, d, a);
    int64_t r;
    if (d) {
        char bufs[2][PATH_MAX];
        uint64_t m[6];
        map_paths(t, d, a, m, bufs);
        r = d->fn(t, m);
    } else {
        r = -ENOSYS;
        if ((t->p->opt.log & ENGINE_LOG_UNIMP) && t->p->log)
            fprintf(t->p->log, "ferry: unimplemented syscall %llu\n",
                    (unsigned long long)nr);
    }
    if (strace && !(d && (d->flags & (SYS_NORET | SYS_SIGRETURN))))
        strace_result(d, r);
    return r;
}

void lu_syscall(lu_thread *t)
{
    const guest_abi *abi = t->p->abi;
    uint64_t a[6];
    for (int i = 0; i < 6; i++)
        a[i] = *cpu_reg(t, abi->arg_off[i]);
    uint64_t nr = *cpu_reg(t, abi->sysno_off);
    const lu_sysdef *d = sys_row(abi, nr);
    int64_t r = lu_syscall_nr(t, nr, a);
    if (d && (d->flags & SYS_SIGRETURN)) /* every register came from the frame */
        return;
    /* a handler's SA_RESTART decides (sig_deliver.c) */
    t->sys_eintr = r == -EINTR && d && (d->flags & SYS_RESTART);
    t->sys_arg0 = a[0];
    if (!t->p->exiting && !t->exiting)
        *cpu_reg(t, abi->ret_off) = (uint64_t)r;
}
