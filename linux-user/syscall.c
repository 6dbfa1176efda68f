/* Syscall dispatch: read the number and arguments from the guest CPU
 * state through the guest ABI, map path arguments under the sysroot (kind
 * 'P'), run the row's handler, write the result back (a negative errno on
 * failure, as the kernel returns it), and print the call as strace does under
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

/* -strace, printed as strace does: `openat(AT_FDCWD, "/x", O_RDONLY) = 3`.
 * Flag and enum kinds are rows of strace_kinds below.  Every value is the
 * guest's: asm-generic numbers, which are x86-64's too except the open
 * flags, which go through the guest ABI's table first. */
typedef struct strace_name {
    uint64_t val;
    const char *name;
} strace_name;

/* asm-generic/fcntl.h (O_LARGEFILE is 0 in x86-64 glibc, so no macros).
 * Multi-bit flags come before the bits they contain. */
static const strace_name open_acc[] = {
    { 0, "O_RDONLY" }, { 1, "O_WRONLY" }, { 2, "O_RDWR" }, { 3, "O_ACCMODE" }, { 0, NULL },
};
static const strace_name open_bits[] = {
    { 04010000, "O_SYNC" }, { 020200000, "O_TMPFILE" },
    { 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
    { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" }, { 010000, "O_DSYNC" },
    { 020000, "O_ASYNC" }, { 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" },
    { 0200000, "O_DIRECTORY" }, { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
    { 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 0, NULL },
};
static const strace_name prot_bits[] = {
    { 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" }, { 8, "PROT_SEM" },
    { 0x1000000, "PROT_GROWSDOWN" }, { 0x2000000, "PROT_GROWSUP" }, { 0, NULL },
};
/* asm-generic/mman-common.h and linux/mman.h: the low nibble is the type. */
static const strace_name map_type[] = {
    { 1, "MAP_SHARED" }, { 2, "MAP_PRIVATE" }, { 3, "MAP_SHARED_VALIDATE" }, { 0, NULL },
};
static const strace_name map_bits[] = {
    { 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" }, { 0x100, "MAP_GROWSDOWN" },
    { 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" },
    { 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
    { 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" }, { 0x80000, "MAP_SYNC" },
    { 0x100000, "MAP_FIXED_NOREPLACE" }, { 0x4000000, "MAP_UNINITIALIZED" }, { 0, NULL },
};
static const strace_name at_bits[] = {
    { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" }, { 0x400, "AT_SYMLINK_FOLLOW" },
    { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x2000, "AT_STATX_FORCE_SYNC" },
    { 0x4000, "AT_STATX_DONT_SYNC" }, { 0, NULL },
};
static const strace_name clock_ids[] = {
    { 0, "CLOCK_REALTIME" }, { 1, "CLOCK_MONOTONIC" }, { 2, "CLOCK_PROCESS_CPUTIME_ID" },
    { 3, "CLOCK_THREAD_CPUTIME_ID" }, { 4, "CLOCK_MONOTONIC_RAW" }, { 5, "CLOCK_REALTIME_COARSE" },
    { 6, "CLOCK_MONOTONIC_COARSE" }, { 7, "CLOCK_BOOTTIME" }, { 8, "CLOCK_REALTIME_ALARM" },
    { 9, "CLOCK_BOOTTIME_ALARM" }, { 11, "CLOCK_TAI" }, { 0, NULL },
};
static const strace_name signals[] = {
    { 1, "SIGHUP" }, { 2, "SIGINT" }, { 3, "SIGQUIT" }, { 4, "SIGILL" }, { 5, "SIGTRAP" },
    { 6, "SIGABRT" }, { 7, "SIGBUS" }, { 8, "SIGFPE" }, { 9, "SIGKILL" }, { 10, "SIGUSR1" },
    { 11, "SIGSEGV" }, { 12, "SIGUSR2" }, { 13, "SIGPIPE" }, { 14, "SIGALRM" }, { 15, "SIGTERM" },
    { 16, "SIGSTKFLT" }, { 17, "SIGCHLD" }, { 18, "SIGCONT" }, { 19, "SIGSTOP" }, { 20, "SIGTSTP" },
    { 21, "SIGTTIN" }, { 22, "SIGTTOU" }, { 23, "SIGURG" }, { 24, "SIGXCPU" }, { 25, "SIGXFSZ" },
    { 26, "SIGVTALRM" }, { 27, "SIGPROF" }, { 28, "SIGWINCH" }, { 29, "SIGIO" }, { 30, "SIGPWR" },
    { 31, "SIGSYS" }, { 0, NULL },
};
static const strace_name fcntl_cmds[] = {
    { 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" }, { 4, "F_SETFL" },
    { 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" }, { 9, "F_GETOWN" },
    { 10, "F_SETSIG" }, { 11, "F_GETSIG" }, { 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" },
    { 36, "F_OFD_GETLK" }, { 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" }, { 1024, "F_SETLEASE" },
    { 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" }, { 1030, "F_DUPFD_CLOEXEC" },
    { 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" }, { 1033, "F_ADD_SEALS" },
    { 1034, "F_GET_SEALS" }, { 0, NULL },
};
static const strace_name sigmask_how[] = {
    { 0, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" }, { 0, NULL },
};
static const strace_name seek_whence[] = {
    { 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" }, { 3, "SEEK_DATA" },
    { 4, "SEEK_HOLE" }, { 0, NULL },
};

/* A symbolic kind: the bits of `field` are one value named by `vals` (all
 * bits: an enum, unnamed values in decimal), the rest flags named by `bits`;
 * `zero` names a value with nothing set. */
typedef struct strace_kind {
    char kind;
    uint64_t field;
    const strace_name *vals, *bits;
    const char *zero;
} strace_kind;

static const strace_kind strace_kinds[] = {
    { 'O', 3, open_acc, open_bits, NULL },   /* open flags, access mode first */
    { 'K', 0, NULL, open_bits, "0" },         /* O_* flags alone (pipe2, dup3) */
    { 'R', 0, NULL, prot_bits, "PROT_NONE" }, /* mmap, mprotect */
    { 'M', 0xf, map_type, map_bits, NULL },   /* mmap flags, type first */
    { 'A', 0, NULL, at_bits, "0" },           /* AT_* flags */
    { 'C', ~0ull, clock_ids, NULL, NULL },    /* clock ids */
    { 'S', ~0ull, signals, NULL, NULL },      /* signal numbers */
    { 'F', ~0ull, fcntl_cmds, NULL, NULL },   /* fcntl commands */
    { 'H', ~0ull, sigmask_how, NULL, NULL },  /* rt_sigprocmask how */
    { 'W', ~0ull, seek_whence, NULL, NULL },  /* lseek whence */
};

static const char *strace_lookup(const strace_name *n, uint64_t v)
{
    for (; n && n->name; n++)
        if (n->val == v)
            return n->name;
    return NULL;
}

static void strace_symbolic(FILE *f, const strace_kind *k, uint64_t v)
{
    const char *sep = "";
    if (k->field == ~0ull) {
        const char *name = strace_lookup(k->vals, v);
        if (name)
            fputs(name, f);
        else if (k->kind == 'S' && v >= 32 && v <= 64)
            fprintf(f, "SIGRT_%d", (int)v - 32);
        else
            fprintf(f, "%d", (int)v);
        return;
    }
    if (k->field) {
        const char *name = strace_lookup(k->vals, v & k->field);
        if (name)
            fputs(name, f);
        else
            fprintf(f, "%#llx", (unsigned long long)(v & k->field));
        v &= ~k->field;
        sep = "|";
    } else if (!v) {
        fputs(k->zero, f);
        return;
    }
    for (const strace_name *b = k->bits; b->name; b++)
        if ((v & b->val) == b->val) {
            fprintf(f, "%s%s", sep, b->name);
            v &= ~b->val;
            sep = "|";
        }
    if (v)
        fprintf(f, "%s%#llx", sep, (unsigned long long)v);
}

static const strace_kind *strace_kind_of(char kind)
{
    for (size_t i = 0; i < sizeof strace_kinds / sizeof strace_kinds[0]; i++)
        if (strace_kinds[i].kind == kind)
            return &strace_kinds[i];
    return NULL;
}

/* A guest string (len < 0: up to its NUL) or buffer, quoted, escaped as C
 * does and cut at max bytes with `...` after the quote.  strace cuts
 * strings and buffers at 32 bytes but shows paths whole. */
enum { STRACE_STR_MAX = 32 };

static void strace_str(FILE *f, uint64_t addr, int64_t len, int64_t max)
{
    static const char esc[] = "\nn\tt\rr\vv\ff\"\"\\\\";
    if (!addr) {
        fputs("NULL", f);
        return;
    }
    const unsigned char *s = G2H(addr);
    fputc('"', f);
    int64_t i;
    for (i = 0; i < max && (len < 0 ? s[i] != 0 : i < len); i++) {
        unsigned char c = s[i];
        const char *e = c ? strchr(esc, c) : NULL;
        bool digit_next = (len < 0 || i + 1 < len) && s[i + 1] >= '0' && s[i + 1] <= '7';
        if (e && (e - esc) % 2 == 0)
            fprintf(f, "\\%c", e[1]);
        else if (c >= ' ' && c < 0x7f)
            fputc(c, f);
        else /* the shortest octal, unless a digit follows */
            fprintf(f, digit_next ? "\\%03o" : "\\%o", c);
    }
    fputc('"', f);
    if (len < 0 ? s[i] != 0 : i < len)
        fputs("...", f);
}

/* Whether argument i is shown: open's mode only with O_CREAT or O_TMPFILE. */
static bool strace_shown(const lu_thread *t, char kind, const uint64_t *a, int i)
{
    const guest_abi *abi = t->p->abi;
    return kind != 'm' ||
           (lu_bits_to_host(abi->open_flags, abi->open_flags_len, a[i - 1]) & (0100 | 020000000));
}

/* Argument i of kind `kind`; r is the result for kind 'B' (printed after
 * the call). */
static void strace_arg(FILE *f, lu_thread *t, char kind, const uint64_t *a, int i, int64_t r)
{
    uint64_t v = a[i];
    const strace_kind *k = strace_kind_of(kind);
    if (kind == 'O' || kind == 'K') /* the guest's meaning */
        v = lu_bits_to_host(t->p->abi->open_flags, t->p->abi->open_flags_len, v);
    if (k) {
        strace_symbolic(f, k, v);
        return;
    }
    switch (kind) {
    case 'P': strace_str(f, v, -1, PATH_MAX); break;
    case 's': strace_str(f, v, -1, STRACE_STR_MAX); break;
    case 'b': strace_str(f, v, (int64_t)a[i + 1], STRACE_STR_MAX); break;
    case 'B':
        if (r >= 0) {
            strace_str(f, v, r, STRACE_STR_MAX);
            break;
        }
        goto hex;
    case 'm':
    case 'o': fprintf(f, "%#03llo", (unsigned long long)v); break;
    case 'a':
        if ((int)v == -100) {
            fputs("AT_FDCWD", f);
            break;
        }
        /* fallthrough */
    case 'f': fprintf(f, "%d", (int)v); break;
    case 'd': fprintf(f, "%lld", (long long)v); break;
    case 'u': fprintf(f, "%llu", (unsigned long long)v); break;
    case 'p':
        if (!v) {
            fputs("NULL", f);
            break;
        }
        /* fallthrough */
    default:
    hex: fprintf(f, "%#llx", (unsigned long long)v); break;
    }
}

static void strace_result(FILE *f, const lu_sysdef *d, int64_t r)
{
    if (d && (d->flags & (SYS_NORET | SYS_SIGRETURN))) {
        fputs(" = ?", f);
    } else if (r < 0 && r >= -4095) {
        const char *name = strerrorname_np((int)-r);
        if (name)
            fprintf(f, " = -1 %s (%s)", name, strerror((int)-r));
        else
            fprintf(f, " = -1 %d (%s)", (int)-r, strerror((int)-r));
    } else if (d && (d->flags & SYS_RETX)) {
        fprintf(f, " = %#llx", (unsigned long long)r);
    } else {
        fprintf(f, " = %lld", (long long)r);
    }
}

/* The thread whose call's line is still open, waiting for its result
 * (another thread's line cuts it: strace's `<unfinished ...>`). */
static pthread_mutex_t strace_lock = PTHREAD_MUTEX_INITIALIZER;
static int strace_open_tid;

/* Writes the call's text (NULL: only its result, after the call's own
 * line) and result (NULL: the line stays open), each line at once: the
 * call itself may write to stderr, and other threads may trace too. */
static void strace_emit(lu_thread *t, const lu_sysdef *d, const char *call, const char *result)
{
    bool threads = __atomic_load_n(&t->p->nthreads, __ATOMIC_RELAXED) > 1;
    pthread_mutex_lock(&strace_lock);
    bool cut = strace_open_tid && strace_open_tid != t->tid;
    bool fresh = call || strace_open_tid != t->tid; /* a new line */
    if (cut)
        fputs(" <unfinished ...>\n", stderr);
    if (threads && fresh)
        fprintf(stderr, "[pid %d] ", t->tid);
    if (call)
        fputs(call, stderr);
    else if (fresh)
        fprintf(stderr, "<... %s resumed>)", d ? d->name : "syscall");
    if (result)
        fputs(result, stderr);
    strace_open_tid = result ? 0 : t->tid;
    pthread_mutex_unlock(&strace_lock);
}

/* The call (when call) and its result (when with_r), as strace prints. */
static void strace_line(lu_thread *t, uint64_t nr, const lu_sysdef *d, const uint64_t a[6],
                        bool call, bool with_r, int64_t r)
{
    char cbuf[768], rbuf[128];
    FILE *f = fmemopen(cbuf, sizeof cbuf, "w");
    if (!f)
        return;
    if (call && !d) {
        fprintf(f, "syscall_%#llx(", (unsigned long long)nr);
        for (int i = 0; i < 6; i++)
            fprintf(f, "%s%#llx", i ? ", " : "", (unsigned long long)a[i]);
        fputc(')', f);
    } else if (call) {
        fprintf(f, "%s(", d->name);
        const char *sep = "";
        for (int i = 0; d->kinds[i] && i < 6; i++) {
            if (!strace_shown(t, d->kinds[i], a, i))
                continue;
            fputs(sep, f);
            strace_arg(f, t, d->kinds[i], a, i, r);
            sep = ", ";
        }
        fputc(')', f);
    }
    fclose(f);
    with_r = with_r || (d && (d->flags & (SYS_NORET | SYS_SIGRETURN)));
    if (with_r && (f = fmemopen(rbuf, sizeof rbuf, "w"))) {
        strace_result(f, d, r);
        fputc('\n', f);
        fclose(f);
    } else {
        with_r = false;
    }
    strace_emit(t, d, call ? cbuf : NULL, with_r ? rbuf : NULL);
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
    /* A call whose argument the call fills (kind 'B') is shown afterwards. */
    bool after = d && strchr(d->kinds, 'B');
    if (strace && !after)
        strace_line(t, nr, d, a, true, false, 0);
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
        strace_line(t, nr, d, a, after, true, r);
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
    if (r == -LU_ERESTARTNOINTR) { /* back to the syscall instruction */
        *cpu_reg(t, abi->fe->pc_offset) -= 4;
        return;
    }
    /* a handler's SA_RESTART decides (sig_deliver.c) */
    t->sys_eintr = r == -EINTR && d && (d->flags & SYS_RESTART);
    t->sys_arg0 = a[0];
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
