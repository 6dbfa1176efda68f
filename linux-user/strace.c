/* -strace: each guest syscall, signal and the process's end printed as
 * strace prints them:
 *
 *   openat(AT_FDCWD, "/x", O_RDONLY)        = 3
 *   fstat(3, {st_mode=S_IFREG|0644, st_size=5, ...}) = 0
 *   --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=7, si_uid=0} ---
 *   +++ exited with 0 +++
 *
 * A call is printed in two pieces, as strace does: when it starts, its
 * name and the arguments before its first output argument; when it ends,
 * the rest, `)` and ` = result` (from column 40).  Another thread's line
 * in between cuts it: `<unfinished ...>`, then `<... name resumed>`.
 * Argument kinds are the letters of the syscall rows (syscall_table.def):
 * scalars, symbolic values (strace_kinds) and structs (strace_structs).
 * Every value is the guest's (asm-generic layouts and numbers); guest
 * memory is read through lu_guest_read, so a bad pointer prints as its
 * address, as strace prints it, and never faults.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "linux-user/lu.h"

#define BIT(sig) (1ull << ((sig) - 1))
enum { STRACE_STR_MAX = 32, /* strace's -s: strings, buffers, arrays */
       STRACE_RESULT_COL = 39 /* strace pads the call to this column */ };

/* ---- Guest memory that may not be there ---- */

size_t lu_guest_read(void *dst, uint64_t addr, size_t len)
{
    pid_t self = getpid();
    size_t done = 0;
    while (done < len) { /* page by page: a partial read stops at the fault */
        uint64_t at = addr + done;
        size_t n = LU_PAGE - (at & (LU_PAGE - 1));
        if (n > len - done)
            n = len - done;
        struct iovec l = { (char *)dst + done, n }, r = { G2H(at), n };
        if (process_vm_readv(self, &l, 1, &r, 1, 0) != (ssize_t)n)
            break;
        done += n;
    }
    return done;
}

/* A C string of at most max bytes into buf: its length (max: no NUL in
 * max bytes), -1 when it cannot be read. */
static ssize_t guest_str(char *buf, uint64_t addr, size_t max)
{
    size_t got = 0;
    while (got < max) {
        size_t want = max - got < 256 ? max - got : 256;
        size_t n = lu_guest_read(buf + got, addr + got, want);
        const char *nul = memchr(buf + got, 0, n);
        if (nul)
            return nul - buf;
        got += n;
        if (n < want)
            return -1;
    }
    return (ssize_t)max;
}

static bool peek(void *dst, uint64_t addr, size_t len)
{
    return lu_guest_read(dst, addr, len) == len;
}

/* ---- Names ---- */

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
/* strace's signalent: 32 is SIGRTMIN, the next ones SIGRT_n. */
static const strace_name signals[] = {
    { 1, "SIGHUP" }, { 2, "SIGINT" }, { 3, "SIGQUIT" }, { 4, "SIGILL" }, { 5, "SIGTRAP" },
    { 6, "SIGABRT" }, { 7, "SIGBUS" }, { 8, "SIGFPE" }, { 9, "SIGKILL" }, { 10, "SIGUSR1" },
    { 11, "SIGSEGV" }, { 12, "SIGUSR2" }, { 13, "SIGPIPE" }, { 14, "SIGALRM" }, { 15, "SIGTERM" },
    { 16, "SIGSTKFLT" }, { 17, "SIGCHLD" }, { 18, "SIGCONT" }, { 19, "SIGSTOP" }, { 20, "SIGTSTP" },
    { 21, "SIGTTIN" }, { 22, "SIGTTOU" }, { 23, "SIGURG" }, { 24, "SIGXCPU" }, { 25, "SIGXFSZ" },
    { 26, "SIGVTALRM" }, { 27, "SIGPROF" }, { 28, "SIGWINCH" }, { 29, "SIGIO" }, { 30, "SIGPWR" },
    { 31, "SIGSYS" }, { 32, "SIGRTMIN" }, { 0, NULL },
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
static const strace_name rlimit_res[] = {
    { 0, "RLIMIT_CPU" }, { 1, "RLIMIT_FSIZE" }, { 2, "RLIMIT_DATA" }, { 3, "RLIMIT_STACK" },
    { 4, "RLIMIT_CORE" }, { 5, "RLIMIT_RSS" }, { 6, "RLIMIT_NPROC" }, { 7, "RLIMIT_NOFILE" },
    { 8, "RLIMIT_MEMLOCK" }, { 9, "RLIMIT_AS" }, { 10, "RLIMIT_LOCKS" },
    { 11, "RLIMIT_SIGPENDING" }, { 12, "RLIMIT_MSGQUEUE" }, { 13, "RLIMIT_NICE" },
    { 14, "RLIMIT_RTPRIO" }, { 15, "RLIMIT_RTTIME" }, { 0, NULL },
};
static const strace_name timer_bits[] = { { 1, "TIMER_ABSTIME" }, { 0, NULL } };
static const strace_name madvise_advice[] = {
    { 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" }, { 3, "MADV_WILLNEED" },
    { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" }, { 9, "MADV_REMOVE" }, { 10, "MADV_DONTFORK" },
    { 11, "MADV_DOFORK" }, { 12, "MADV_MERGEABLE" }, { 13, "MADV_UNMERGEABLE" },
    { 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" }, { 16, "MADV_DONTDUMP" },
    { 17, "MADV_DODUMP" }, { 18, "MADV_WIPEONFORK" }, { 19, "MADV_KEEPONFORK" },
    { 20, "MADV_COLD" }, { 21, "MADV_PAGEOUT" }, { 22, "MADV_POPULATE_READ" },
    { 23, "MADV_POPULATE_WRITE" }, { 24, "MADV_DONTNEED_LOCKED" }, { 25, "MADV_COLLAPSE" },
    { 100, "MADV_HWPOISON" }, { 101, "MADV_SOFT_OFFLINE" }, { 0, NULL },
};
static const strace_name grnd_bits[] = {
    { 1, "GRND_NONBLOCK" }, { 2, "GRND_RANDOM" }, { 4, "GRND_INSECURE" }, { 0, NULL },
};
static const strace_name ss_bits[] = {
    { 1, "SS_ONSTACK" }, { 2, "SS_DISABLE" }, { 0x80000000, "SS_AUTODISARM" }, { 0, NULL },
};
/* The ioctls sys_file.c lets through (asm-generic's numbers, x86-64's). */
static const strace_name ioctl_cmds[] = {
    { 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" }, { 0x5404, "TCSETSF" },
    { 0x5409, "TCSBRK" }, { 0x540a, "TCXONC" }, { 0x540b, "TCFLSH" }, { 0x540e, "TIOCSCTTY" },
    { 0x540f, "TIOCGPGRP" }, { 0x5410, "TIOCSPGRP" }, { 0x5411, "TIOCOUTQ" },
    { 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" }, { 0x541b, "FIONREAD" },
    { 0x5421, "FIONBIO" }, { 0x5422, "TIOCNOTTY" }, { 0x5429, "TIOCGSID" },
    { 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" }, { 0x5452, "FIOASYNC" },
    { 0x80045430, "TIOCGPTN" }, { 0x40045431, "TIOCSPTLCK" }, { 0x80086601, "FS_IOC_GETFLAGS" },
    { 0x40086602, "FS_IOC_SETFLAGS" }, { 0x40049409, "FICLONE" }, { 0, NULL },
};
static const strace_name wait_bits[] = {
    { 1, "WNOHANG" }, { 2, "WUNTRACED" }, { 4, "WEXITED" }, { 8, "WCONTINUED" },
    { 0x1000000, "WNOWAIT" }, { 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" },
    { 0x80000000, "__WCLONE" }, { 0, NULL },
};
static const strace_name itimer_which[] = {
    { 0, "ITIMER_REAL" }, { 1, "ITIMER_VIRTUAL" }, { 2, "ITIMER_PROF" }, { 0, NULL },
};
static const strace_name poll_bits[] = {
    { 1, "POLLIN" }, { 2, "POLLPRI" }, { 4, "POLLOUT" }, { 8, "POLLERR" }, { 0x10, "POLLHUP" },
    { 0x20, "POLLNVAL" }, { 0x40, "POLLRDNORM" }, { 0x80, "POLLRDBAND" }, { 0x100, "POLLWRNORM" },
    { 0x200, "POLLWRBAND" }, { 0x400, "POLLMSG" }, { 0x1000, "POLLREMOVE" },
    { 0x2000, "POLLRDHUP" }, { 0, NULL },
};
/* strace's sigact_flags order; a guest without SA_RESTORER (riscv)
 * starts after it. */
static const strace_name sa_bits[] = {
    { 0x04000000, "SA_RESTORER" }, { 0x08000000, "SA_ONSTACK" }, { 0x10000000, "SA_RESTART" },
    { 0x20000000, "SA_INTERRUPT" }, { 0x40000000, "SA_NODEFER" }, { 0x80000000, "SA_RESETHAND" },
    { 4, "SA_SIGINFO" }, { 1, "SA_NOCLDSTOP" }, { 2, "SA_NOCLDWAIT" }, { 0, NULL },
};
static const strace_name file_types[] = {
    { 0140000, "S_IFSOCK" }, { 0120000, "S_IFLNK" }, { 0100000, "S_IFREG" },
    { 0060000, "S_IFBLK" }, { 0040000, "S_IFDIR" }, { 0020000, "S_IFCHR" },
    { 0010000, "S_IFIFO" }, { 0, NULL },
};

/* A symbolic kind: the bits of `field` are one value named by `vals` (all
 * bits: an enum, unnamed values in decimal, or in hex with `zero` "0x"),
 * the rest flags named by `bits`; `zero` names a value with nothing set. */
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
    { 'J', ~0ull, rlimit_res, NULL, NULL },   /* RLIMIT_* resources */
    { 'k', 0, NULL, timer_bits, "0" },        /* clock_nanosleep flags */
    { 'w', ~0ull, itimer_which, NULL, NULL }, /* ITIMER_* */
    { 'h', ~0ull, madvise_advice, NULL, NULL }, /* MADV_* */
    { 'q', 0, NULL, grnd_bits, "0" },         /* GRND_* */
    { 'j', 0, NULL, wait_bits, "0" },         /* wait4's options */
    { 'Q', ~0ull, ioctl_cmds, NULL, "0x" },   /* ioctl requests */
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
        else if (k->kind == 'S' && v > 32 && v <= 64)
            fprintf(f, "SIGRT_%d", (int)v - 32);
        else if (k->zero)
            fprintf(f, "%#x", (unsigned)v);
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

static void strace_flags(FILE *f, const strace_name *bits, uint64_t v)
{
    strace_symbolic(f, &(strace_kind){ 0, 0, NULL, bits, "0" }, v);
}

static const strace_kind *strace_kind_of(char kind)
{
    for (size_t i = 0; i < sizeof strace_kinds / sizeof strace_kinds[0]; i++)
        if (strace_kinds[i].kind == kind)
            return &strace_kinds[i];
    return NULL;
}

static const char *sig_name(int sig, char buf[16])
{
    const char *name = strace_lookup(signals, (uint64_t)sig);
    if (name)
        return name;
    if (sig > 32 && sig <= 64)
        snprintf(buf, 16, "SIGRT_%d", sig - 32);
    else
        snprintf(buf, 16, "%d", sig);
    return buf;
}

/* strace's printaddr. */
static void print_addr(FILE *f, uint64_t v)
{
    if (v)
        fprintf(f, "%#llx", (unsigned long long)v);
    else
        fputs("NULL", f);
}

/* ---- Strings ---- */

/* s[0..n) quoted and escaped as strace does (C escapes, else the
 * shortest octal unless a digit follows), `...` after when there is more. */
static void quote(FILE *f, const unsigned char *s, size_t n, bool more)
{
    static const char esc[] = "\nn\tt\rr\vv\ff\"\"\\\\";
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        const char *e = c ? strchr(esc, c) : NULL;
        bool digit_next = i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7';
        if (e && (e - esc) % 2 == 0)
            fprintf(f, "\\%c", e[1]);
        else if (c >= ' ' && c < 0x7f)
            fputc(c, f);
        else
            fprintf(f, digit_next ? "\\%03o" : "\\%o", c);
    }
    fputc('"', f);
    if (more)
        fputs("...", f);
}

/* A guest string (len < 0: up to its NUL) or buffer, cut at max bytes;
 * false when it cannot be read. */
static bool print_str(FILE *f, uint64_t addr, int64_t len, size_t max)
{
    unsigned char buf[PATH_MAX + 1];
    if (len < 0) {
        ssize_t n = guest_str((char *)buf, addr, max + 1);
        if (n < 0)
            return false;
        quote(f, buf, (size_t)n > max ? max : (size_t)n, (size_t)n > max);
        return true;
    }
    size_t n = (uint64_t)len < max ? (size_t)len : max;
    if (!peek(buf, addr, n))
        return false;
    quote(f, buf, n, (uint64_t)len > max);
    return true;
}

/* ---- Structs ---- */

/* One call being printed: its argument i, and its result r once it ran. */
typedef struct sx {
    FILE *f;
    lu_thread *t;
    const lu_sysdef *d;
    const uint64_t *a;
    int i;
    int64_t r;
} sx;

static bool failed(int64_t r)
{
    return r < 0 && r >= -4095;
}

static bool p_path(const sx *x, uint64_t v) { return print_str(x->f, v, -1, PATH_MAX); }
static bool p_string(const sx *x, uint64_t v) { return print_str(x->f, v, -1, STRACE_STR_MAX); }
static bool p_inbuf(const sx *x, uint64_t v)
{
    uint64_t len = x->a[x->i + 1];
    return print_str(x->f, v, len > INT64_MAX ? INT64_MAX : (int64_t)len, STRACE_STR_MAX);
}
static bool p_outbuf(const sx *x, uint64_t v) { return print_str(x->f, v, x->r, STRACE_STR_MAX); }

/* execve's argv: ["a", "b"], the strings cut as any, at most
 * STRACE_STR_MAX of them then "...". */
static bool p_argv(const sx *x, uint64_t v)
{
    fputc('[', x->f);
    for (size_t i = 0;; i++) {
        uint64_t s;
        if (!peek(&s, v + 8 * i, sizeof s))
            return false; /* printed so far stays: strace does the same */
        if (!s)
            break;
        if (i == STRACE_STR_MAX) {
            fputs(", ...", x->f);
            break;
        }
        if (i)
            fputs(", ", x->f);
        if (!print_str(x->f, s, -1, STRACE_STR_MAX))
            print_addr(x->f, s);
    }
    fputc(']', x->f);
    return true;
}

/* execve's envp: its address and how many variables, as strace -v does not. */
static bool p_envp(const sx *x, uint64_t v)
{
    size_t n = 0;
    uint64_t s = 1;
    while (n < 100000 && peek(&s, v + 8 * n, sizeof s) && s)
        n++;
    print_addr(x->f, v);
    fprintf(x->f, " /* %zu var%s */", n, n == 1 ? "" : "s");
    return true;
}

/* getrandom's bytes: strace shows every one in hex. */
static bool p_hexbuf(const sx *x, uint64_t v)
{
    unsigned char buf[STRACE_STR_MAX];
    size_t n = (uint64_t)x->r < STRACE_STR_MAX ? (size_t)x->r : STRACE_STR_MAX;
    if (!peek(buf, v, n))
        return false;
    fputc('"', x->f);
    for (size_t i = 0; i < n; i++)
        fprintf(x->f, "\\x%02x", buf[i]);
    fputs((uint64_t)x->r > n ? "\"..." : "\"", x->f);
    return true;
}

/* wait4's status, as strace decodes it with the W* macros. */
static bool p_wstatus(const sx *x, uint64_t v)
{
    int32_t s;
    char buf[16];
    if (!peek(&s, v, sizeof s))
        return false;
    if ((s & 0xff) == 0x7f)
        fprintf(x->f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == %s}]", sig_name((s >> 8) & 0xff, buf));
    else if (s == 0xffff)
        fputs("[{WIFCONTINUED(s)}]", x->f);
    else if (s & 0x7f)
        fprintf(x->f, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}]", sig_name(s & 0x7f, buf),
                s & 0x80 ? " && WCOREDUMP(s)" : "");
    else
        fprintf(x->f, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", (s >> 8) & 0xff);
    return true;
}

/* stack_t { void *ss_sp; int ss_flags; size_t ss_size; } */
static bool p_stack(const sx *x, uint64_t v)
{
    uint64_t ss[3];
    if (!peek(ss, v, sizeof ss))
        return false;
    fputs("{ss_sp=", x->f);
    print_addr(x->f, ss[0]);
    fputs(", ss_flags=", x->f);
    strace_flags(x->f, ss_bits, (uint32_t)ss[1]);
    fprintf(x->f, ", ss_size=%llu}", (unsigned long long)ss[2]);
    return true;
}

static void print_mode(FILE *f, uint32_t mode)
{
    const char *type = strace_lookup(file_types, mode & 0170000);
    if (!type && (mode & 0170000)) {
        fprintf(f, "%#03o", mode);
        return;
    }
    if (type)
        fprintf(f, "%s|", type);
    static const strace_name special[] = {
        { 04000, "S_ISUID|" }, { 02000, "S_ISGID|" }, { 01000, "S_ISVTX|" }, { 0, NULL },
    };
    for (const strace_name *s = special; s->name; s++)
        if (mode & s->val)
            fputs(s->name, f);
    fprintf(f, "%#03o", mode & 0777);
}

/* The asm-generic struct stat of the guests (sys_file.c's lu_gstat, 128
 * bytes), up to st_size: abbreviated as strace shows it without -v. */
typedef struct gstat_head {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
} gstat_head;

static void print_stat(FILE *f, uint32_t mode, uint64_t rdev, int64_t size)
{
    fputs("{st_mode=", f);
    print_mode(f, mode);
    uint32_t type = mode & 0170000;
    if (type == 0020000 || type == 0060000) /* S_IFCHR, S_IFBLK */
        fprintf(f, ", st_rdev=makedev(%#x, %#x), ...}", major(rdev), minor(rdev));
    else
        fprintf(f, ", st_size=%lld, ...}", (long long)size);
}

static bool p_stat(const sx *x, uint64_t v)
{
    unsigned char raw[128];
    gstat_head st;
    if (!peek(raw, v, sizeof raw))
        return false;
    memcpy(&st, raw, sizeof st);
    print_stat(x->f, st.mode, st.rdev, st.size);
    return true;
}

/* x86-64's struct stat, which is the host's own. */
static bool p_host_stat(const sx *x, uint64_t v)
{
    struct stat st;
    if (!peek(&st, v, sizeof st))
        return false;
    print_stat(x->f, st.st_mode, st.st_rdev, st.st_size);
    return true;
}

static bool p_timespec(const sx *x, uint64_t v)
{
    int64_t ts[2];
    if (!peek(ts, v, sizeof ts))
        return false;
    fprintf(x->f, "{tv_sec=%lld, tv_nsec=%lld}", (long long)ts[0], (long long)ts[1]);
    return true;
}

/* struct itimerval: two struct timevals. */
static bool p_itimerval(const sx *x, uint64_t v)
{
    int64_t tv[4];
    if (!peek(tv, v, sizeof tv))
        return false;
    fprintf(x->f, "{it_interval={tv_sec=%lld, tv_usec=%lld}, it_value={tv_sec=%lld, tv_usec=%lld}}",
            (long long)tv[0], (long long)tv[1], (long long)tv[2], (long long)tv[3]);
    return true;
}

/* strace's sigset: the signals named without SIG, or `~[...]` naming
 * those not in it when two thirds or more are. */
static void print_sigset(FILE *f, uint64_t m)
{
    if (__builtin_popcountll(m) >= 64 * 2 / 3) {
        fputc('~', f);
        m = ~m;
    }
    const char *sep = "[";
    for (int sig = 1; sig <= 64; sig++) {
        if (!(m & BIT(sig)))
            continue;
        char buf[16];
        const char *name = sig_name(sig, buf);
        fprintf(f, "%s%s", sep, name + 3); /* without SIG */
        sep = " ";
    }
    fputs(*sep == '[' ? "[]" : "]", f);
}

static bool p_sigset(const sx *x, uint64_t v)
{
    uint64_t m;
    if (!peek(&m, v, sizeof m))
        return false;
    print_sigset(x->f, m);
    return true;
}

/* The guest's struct sigaction: handler, flags, restorer (where the
 * guest has SA_RESTORER, as sys_signal.c's read_act), mask. */
static bool p_sigaction(const sx *x, uint64_t v)
{
    bool has_restorer = x->t->p->abi->sigaction_restorer;
    uint64_t g[4];
    if (!peek(g, v, (has_restorer ? 4 : 3) * sizeof g[0]))
        return false;
    static const char *const special[] = { "SIG_DFL", "SIG_IGN" };
    fputs("{sa_handler=", x->f);
    if (g[0] <= 1 || g[0] == ~0ull)
        fputs(g[0] == ~0ull ? "SIG_ERR" : special[g[0]], x->f);
    else
        print_addr(x->f, g[0]);
    fputs(", sa_mask=", x->f);
    print_sigset(x->f, g[has_restorer ? 3 : 2]);
    fputs(", sa_flags=", x->f);
    strace_flags(x->f, has_restorer ? sa_bits : sa_bits + 1, g[1]);
    if (has_restorer && (g[1] & sa_bits[0].val)) {
        fputs(", sa_restorer=", x->f);
        print_addr(x->f, g[2]);
    }
    fputc('}', x->f);
    return true;
}

/* An array argument: its element count is the next argument; strace shows
 * at most STRACE_STR_MAX elements.  Reads them into buf (false: cannot). */
static bool peek_array(const sx *x, uint64_t v, void *buf, size_t elem, size_t *n, bool *more)
{
    uint64_t count = x->a[x->i + 1];
    *more = count > STRACE_STR_MAX;
    *n = *more ? STRACE_STR_MAX : (size_t)count;
    return peek(buf, v, *n * elem);
}

/* struct iovec; the data shown is at most the result's worth after the
 * call (readv), all of it before (writev). */
static bool p_iovec(const sx *x, uint64_t v)
{
    uint64_t iov[STRACE_STR_MAX][2];
    size_t n;
    bool more;
    if (!peek_array(x, v, iov, sizeof iov[0], &n, &more))
        return false;
    bool out = x->d->kinds[x->i] == 'V';
    uint64_t left = out ? (uint64_t)x->r : UINT64_MAX;
    fputc('[', x->f);
    for (size_t k = 0; k < n; k++) {
        uint64_t len = iov[k][1] < left ? iov[k][1] : left;
        left -= out ? len : 0;
        fputs(k ? ", {iov_base=" : "{iov_base=", x->f);
        if (!iov[k][0] || !print_str(x->f, iov[k][0], (int64_t)len, STRACE_STR_MAX))
            print_addr(x->f, iov[k][0]);
        fprintf(x->f, ", iov_len=%llu}", (unsigned long long)iov[k][1]);
    }
    fputs(more ? ", ...]" : "]", x->f);
    return true;
}

/* struct pollfd { int fd; short events, revents; } */
static bool p_pollfd(const sx *x, uint64_t v)
{
    int16_t pf[STRACE_STR_MAX][4];
    size_t n;
    bool more;
    if (!peek_array(x, v, pf, sizeof pf[0], &n, &more))
        return false;
    fputc('[', x->f);
    for (size_t k = 0; k < n; k++) {
        int32_t fd;
        memcpy(&fd, pf[k], 4);
        fprintf(x->f, "%s{fd=%d", k ? ", " : "", fd);
        if (fd >= 0) {
            fputs(", events=", x->f);
            strace_flags(x->f, poll_bits, (uint16_t)pf[k][2]);
        }
        fputc('}', x->f);
    }
    fputs(more ? ", ...]" : "]", x->f);
    return true;
}

/* After a successful ppoll: ` ([{fd=3, revents=POLLIN}], left {...})`,
 * or ` (Timeout)`. */
static void s_pollfd(const sx *x)
{
    int16_t pf[STRACE_STR_MAX][4];
    size_t n;
    bool more, any = false;
    if (x->r == 0) {
        fputs(" (Timeout)", x->f);
        return;
    }
    if (!peek_array(x, x->a[x->i], pf, sizeof pf[0], &n, &more))
        return;
    fputs(" (", x->f);
    for (size_t k = 0; k < n; k++) {
        int32_t fd;
        memcpy(&fd, pf[k], 4);
        if (!pf[k][3])
            continue;
        fprintf(x->f, "%s{fd=%d, revents=", any ? ", " : "[", fd);
        strace_flags(x->f, poll_bits, (uint16_t)pf[k][3]);
        fputc('}', x->f);
        any = true;
    }
    if (any)
        fputc(']', x->f);
    uint64_t tmo = x->a[x->i + 2]; /* ppoll's timeout, which the kernel updates */
    if (tmo) {
        fputs(any ? ", left " : "left ", x->f);
        if (!p_timespec(x, tmo))
            print_addr(x->f, tmo);
    }
    fputc(')', x->f);
}

static void print_rlim(FILE *f, uint64_t v)
{
    if (v == UINT64_MAX)
        fputs("RLIM64_INFINITY", f);
    else if (v > 1024 && v % 1024 == 0)
        fprintf(f, "%llu*1024", (unsigned long long)(v / 1024));
    else
        fprintf(f, "%llu", (unsigned long long)v);
}

static bool p_rlimit(const sx *x, uint64_t v)
{
    uint64_t rl[2];
    if (!peek(rl, v, sizeof rl))
        return false;
    fputs("{rlim_cur=", x->f);
    print_rlim(x->f, rl[0]);
    fputs(", rlim_max=", x->f);
    print_rlim(x->f, rl[1]);
    fputc('}', x->f);
    return true;
}

/* struct utsname: six 65-byte strings; strace shows two. */
static bool p_utsname(const sx *x, uint64_t v)
{
    unsigned char u[2][65];
    if (!peek(u, v, sizeof u))
        return false;
    fputs("{sysname=", x->f);
    quote(x->f, u[0], strnlen((char *)u[0], 65), false);
    fputs(", nodename=", x->f);
    quote(x->f, u[1], strnlen((char *)u[1], 65), false);
    fputs(", ...}", x->f);
    return true;
}

/* int[2]: pipe2's and socketpair's fds. */
static bool p_fdpair(const sx *x, uint64_t v)
{
    int32_t fd[2];
    if (!peek(fd, v, sizeof fd))
        return false;
    fprintf(x->f, "[%d, %d]", fd[0], fd[1]);
    return true;
}

/* When a struct kind is shown: before the call, after it succeeded (an
 * output argument; its address otherwise, as strace shows it), or after
 * it was interrupted (nanosleep's remaining time). */
enum { SHOW_IN, SHOW_OUT, SHOW_EINTR };

typedef struct strace_struct {
    char kind;
    char when;
    bool (*print)(const sx *x, uint64_t addr); /* false: unreadable */
    void (*suffix)(const sx *x);               /* after a success's result */
} strace_struct;

static const strace_struct strace_structs[] = {
    { 'P', SHOW_IN, p_path, NULL },        /* a path, whole */
    { 's', SHOW_IN, p_string, NULL },      /* a string */
    { 'b', SHOW_IN, p_inbuf, NULL },       /* a buffer, the next argument long */
    { 'B', SHOW_OUT, p_outbuf, NULL },     /* a buffer the call fills, result long */
    { 'E', SHOW_OUT, p_stat, NULL },       /* struct stat */
    { '#', SHOW_OUT, p_host_stat, NULL },  /* x86-64's struct stat */
    { 't', SHOW_IN, p_timespec, NULL },    /* struct timespec */
    { 'T', SHOW_OUT, p_timespec, NULL },
    { 'r', SHOW_EINTR, p_timespec, NULL }, /* the time a sleep had left */
    { 'z', SHOW_IN, p_itimerval, NULL },   /* struct itimerval */
    { 'Z', SHOW_OUT, p_itimerval, NULL },
    { 'g', SHOW_IN, p_sigset, NULL },      /* a signal set */
    { 'G', SHOW_OUT, p_sigset, NULL },
    { 'n', SHOW_IN, p_sigaction, NULL },   /* struct sigaction */
    { 'N', SHOW_OUT, p_sigaction, NULL },
    { 'v', SHOW_IN, p_iovec, NULL },       /* struct iovec[next argument] */
    { 'V', SHOW_OUT, p_iovec, NULL },
    { 'l', SHOW_IN, p_pollfd, s_pollfd },  /* struct pollfd[next argument] */
    { 'i', SHOW_IN, p_rlimit, NULL },      /* struct rlimit */
    { 'I', SHOW_OUT, p_rlimit, NULL },
    { 'U', SHOW_OUT, p_utsname, NULL },    /* struct utsname */
    { 'D', SHOW_OUT, p_fdpair, NULL },     /* int[2] of fds */
    { 'X', SHOW_OUT, p_hexbuf, NULL },     /* B, shown in hex */
    { 'e', SHOW_OUT, p_wstatus, NULL },    /* wait4's int status */
    { 'y', SHOW_IN, p_stack, NULL },       /* stack_t */
    { 'L', SHOW_IN, p_argv, NULL },        /* execve's argv */
    { 'c', SHOW_IN, p_envp, NULL },        /* execve's envp */
    { 'Y', SHOW_OUT, p_stack, NULL },
};

static const strace_struct *strace_struct_of(char kind)
{
    for (size_t i = 0; i < sizeof strace_structs / sizeof strace_structs[0]; i++)
        if (strace_structs[i].kind == kind)
            return &strace_structs[i];
    return NULL;
}

static void print_struct(const sx *x, const strace_struct *s, uint64_t v)
{
    bool shown = s->when == SHOW_IN || (s->when == SHOW_OUT ? !failed(x->r) : x->r == -EINTR);
    if (!v || !shown || !s->print(x, v))
        print_addr(x->f, v);
}

/* ---- Calls ---- */

static void print_scalar(FILE *f, char kind, uint64_t v)
{
    switch (kind) {
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
    case 'p': print_addr(f, v); break;
    default: fprintf(f, "%#llx", (unsigned long long)v); break;
    }
}

static void print_arg(const sx *x)
{
    char kind = x->d->kinds[x->i];
    uint64_t v = x->a[x->i];
    const strace_struct *s = strace_struct_of(kind);
    const strace_kind *k = strace_kind_of(kind);
    if (kind == 'O' || kind == 'K') /* the guest's meaning */
        v = lu_bits_to_host(x->t->p->abi->open_flags, x->t->p->abi->open_flags_len, v);
    if (s)
        print_struct(x, s, v);
    else if (k)
        strace_symbolic(x->f, k, v);
    else
        print_scalar(x->f, kind, v);
}

/* Whether argument i is shown: open's mode only with O_CREAT or O_TMPFILE. */
static bool arg_shown(const sx *x)
{
    const guest_abi *abi = x->t->p->abi;
    return x->d->kinds[x->i] != 'm' ||
           (lu_bits_to_host(abi->open_flags, abi->open_flags_len, x->a[x->i - 1]) &
            (0100 | 020000000));
}

static int nargs(const lu_sysdef *d)
{
    return (int)strnlen(d->kinds, 6);
}

/* The first argument shown after the call: an output argument. */
static int first_out(const lu_sysdef *d)
{
    int i = 0;
    for (const strace_struct *s; i < nargs(d); i++)
        if ((s = strace_struct_of(d->kinds[i])) && s->when != SHOW_IN)
            break;
    return i;
}

static void print_args(sx *x, int from, int to)
{
    const char *sep = "";
    for (x->i = from; x->i < to; x->i++) {
        if (!arg_shown(x))
            continue;
        fputs(sep, x->f);
        print_arg(x);
        sep = ", ";
    }
}

/* What the call's line shows before it runs: `read(3, `. */
static void print_call(sx *x, uint64_t nr)
{
    if (!x->d) {
        fprintf(x->f, "syscall_%#llx(", (unsigned long long)nr);
        for (int i = 0; i < 6; i++)
            fprintf(x->f, "%s%#llx", i ? ", " : "", (unsigned long long)x->a[i]);
        return;
    }
    int k = first_out(x->d);
    fprintf(x->f, "%s(", x->d->name);
    print_args(x, 0, k);
    if (k > 0 && k < nargs(x->d))
        fputs(", ", x->f);
}

/* What it shows after: the output arguments and those after them. */
static void print_rest(sx *x)
{
    if (x->d)
        print_args(x, first_out(x->d), nargs(x->d));
    fputc(')', x->f);
}

/* The kernel's restart codes, which strace shows where the guest later
 * sees EINTR (or the call restarted): the row's flags say which. */
static const char *restart_code(const lu_sysdef *d)
{
    if (d->flags & SYS_RESTART)
        return "ERESTARTSYS (To be restarted if SA_RESTART is set)";
    if (d->flags & SYS_NOHAND)
        return "ERESTARTNOHAND (To be restarted if no handler)";
    if (d->flags & SYS_RESTART_BLOCK)
        return "ERESTART_RESTARTBLOCK (Interrupted by signal)";
    return NULL;
}

static void print_result(sx *x)
{
    const lu_sysdef *d = x->d;
    int64_t r = x->r;
    if (d && (d->flags & SYS_NORET)) {
        fputs(" = ?", x->f);
    } else if (r == -LU_ERESTARTNOINTR) {
        fputs(" = ? ERESTARTNOINTR (To be restarted)", x->f);
    } else if (d && r == -EINTR && restart_code(d)) {
        fprintf(x->f, " = ? %s", restart_code(d));
    } else if (failed(r)) {
        const char *name = strerrorname_np((int)-r);
        if (name)
            fprintf(x->f, " = -1 %s (%s)", name, strerror((int)-r));
        else
            fprintf(x->f, " = -1 %d (%s)", (int)-r, strerror((int)-r));
    } else if (d && (d->flags & SYS_RETX)) {
        fprintf(x->f, " = %#llx", (unsigned long long)r);
    } else {
        fprintf(x->f, " = %lld", (long long)r);
    }
    for (x->i = 0; d && !failed(r) && x->i < nargs(d); x->i++) {
        const strace_struct *s = strace_struct_of(d->kinds[x->i]);
        if (s && s->suffix)
            s->suffix(x);
    }
}

/* ---- Lines ---- */

/* The line a thread left open, waiting for its call's end: another
 * line before that cuts it (strace's `<unfinished ...>`); the call's end
 * then starts a line of its own (`<... read resumed>`).  A forked child
 * (its pid is not root_pid) finds its parent's line open: its clone's end
 * is not shown, and its lines have the [pid N] prefix, as strace -f
 * shows a second process. */
static pthread_mutex_t strace_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t strace_once = PTHREAD_ONCE_INIT;
static int open_tid, open_pid, open_col, root_pid;

/* A guest fork (thread.c's clone_fork) must not leave the child's copy
 * of the lock held by a thread that the child does not have. */
static void lock_strace(void) { pthread_mutex_lock(&strace_lock); }
static void unlock_strace(void) { pthread_mutex_unlock(&strace_lock); }
static void strace_init(void) { pthread_atfork(lock_strace, unlock_strace, unlock_strace); }

typedef struct piece {
    lu_proc *p;
    lu_thread *t;         /* whose line (NULL: the process's end) */
    bool rest;            /* the end of t's open line */
    const char *name;     /* the call's, for `<... name resumed>` */
    const char *text;
    const char *result;   /* NULL: the line stays open; "": no padding */
} piece;

/* Writes a piece with one write: the call itself may write to stderr,
 * and other threads may trace too. */
static void emit(const piece *pc)
{
    int tid = pc->t ? pc->t->tid : pc->p->pid;
    pthread_once(&strace_once, strace_init);
    pthread_mutex_lock(&strace_lock);
    root_pid = root_pid ? root_pid : pc->p->pid;
    bool open = open_tid && open_pid == pc->p->pid;
    bool cont = open && pc->rest && open_tid == tid;
    if (open_tid && open_pid != pc->p->pid && pc->rest) { /* a fork child's clone */
        open_tid = 0;
        pthread_mutex_unlock(&strace_lock);
        return;
    }
    char head[64] = "";
    int col = cont ? open_col : 0;
    bool threads = pc->t && __atomic_load_n(&pc->p->nthreads, __ATOMIC_RELAXED) > 1;
    if (!cont && (threads || root_pid != pc->p->pid))
        snprintf(head, sizeof head, "[pid %5d] ", tid);
    if (!cont && pc->rest)
        snprintf(head + strlen(head), sizeof head - strlen(head), "<... %s resumed>", pc->name);
    col += (int)(strlen(head) + strlen(pc->text));
    const char *result = pc->result ? pc->result : "";
    int pad = *result && col < STRACE_RESULT_COL ? STRACE_RESULT_COL - col : 0;
    fprintf(stderr, "%s%s%s%*s%s%s", open && !cont ? " <unfinished ...>\n" : "", head,
            pc->text, pad, "", result, pc->result ? "\n" : "");
    open_tid = pc->result ? 0 : tid;
    open_pid = pc->p->pid;
    open_col = col;
    pthread_mutex_unlock(&strace_lock);
}

/* rt_sigreturn({mask=[...]}) = the result register: both from the frame
 * at sp, read into a copy of the registers as the call will read it. */
static void sigreturn_line(sx *x, char *result, size_t len)
{
    const guest_abi *abi = x->t->p->abi;
    size_t size = (abi->cpu_size + 63) & ~(size_t)63;
    void *cpu = aligned_alloc(64, size), *frame = malloc(lu_sigreturn_size(abi));
    lu_sigframe fr = { 0 };
    bool ok = cpu && frame && peek(frame, lu_guest_sp(x->t), lu_sigreturn_size(abi));
    if (ok) {
        memcpy(cpu, x->t->cpu, abi->cpu_size);
        ok = abi->sig_return(cpu, &fr);
    }
    fprintf(x->f, "%s(", x->d->name);
    if (ok) {
        fputs("{mask=", x->f);
        print_sigset(x->f, fr.mask);
        fputc('}', x->f);
        x->r = *(int64_t *)((char *)cpu + abi->ret_off);
    }
    fputc(')', x->f);
    FILE *rf = fmemopen(result, len, "w");
    if (rf) {
        sx rx = { .f = rf, .r = x->r };
        if (ok)
            print_result(&rx);
        else
            fputs(" = ?", rf);
        fclose(rf);
    }
    free(cpu);
    free(frame);
}

void lu_strace_call(lu_thread *t, uint64_t nr, const lu_sysdef *d, const uint64_t a[6])
{
    char *text = NULL, result[192] = "";
    size_t len;
    sx x = { .t = t, .d = d, .a = a };
    if (!(x.f = open_memstream(&text, &len)))
        return;
    bool whole = d && (d->flags & (SYS_NORET | SYS_SIGRETURN));
    if (d && (d->flags & SYS_SIGRETURN)) {
        sigreturn_line(&x, result, sizeof result);
    } else {
        print_call(&x, nr);
        if (whole) {
            print_rest(&x);
            snprintf(result, sizeof result, " = ?");
        }
    }
    fclose(x.f);
    emit(&(piece){ .p = t->p, .t = t, .text = text, .result = whole ? result : NULL });
    free(text);
    if (d && (d->flags & SYS_THREAD_EXIT) &&
        __atomic_load_n(&t->p->nthreads, __ATOMIC_RELAXED) > 1) { /* not the last */
        snprintf(result, sizeof result, "+++ exited with %d +++", (int)(a[0] & 0xff));
        emit(&(piece){ .p = t->p, .t = t, .text = result, .result = "" });
    }
}

void lu_strace_result(lu_thread *t, uint64_t nr, const lu_sysdef *d, const uint64_t a[6],
                      int64_t r)
{
    char *text = NULL, *result = NULL, name[32];
    size_t len, rlen;
    sx x = { .t = t, .d = d, .a = a, .r = r };
    if (!(x.f = open_memstream(&text, &len)))
        return;
    print_rest(&x);
    fclose(x.f);
    if ((x.f = open_memstream(&result, &rlen))) {
        print_result(&x);
        fclose(x.f);
    }
    if (!d)
        snprintf(name, sizeof name, "syscall_%#llx", (unsigned long long)nr);
    emit(&(piece){ .p = t->p, .t = t, .rest = true, .name = d ? d->name : name,
                   .text = text, .result = result ? result : "" });
    free(text);
    free(result);
}

/* A guest execve whose new Ferry is about to start: the call's line ends
 * now with its success, as strace's does when the new image runs (were
 * the execve to fail after all, its result follows as a resumed line). */
void lu_strace_exec(lu_thread *t)
{
    emit(&(piece){ .p = t->p, .t = t, .rest = true, .name = "execve", .text = ")",
                   .result = " = 0" });
}

/* ---- Signals and the end ---- */

static const strace_name si_codes[] = {
    { 0, "SI_USER" }, { 0x80, "SI_KERNEL" }, { (uint64_t)-1, "SI_QUEUE" },
    { (uint64_t)-2, "SI_TIMER" }, { (uint64_t)-3, "SI_MESGQ" }, { (uint64_t)-4, "SI_ASYNCIO" },
    { (uint64_t)-5, "SI_SIGIO" }, { (uint64_t)-6, "SI_TKILL" }, { (uint64_t)-7, "SI_DETHREAD" },
    { (uint64_t)-60, "SI_ASYNCNL" }, { 0, NULL },
};
static const strace_name ill_codes[] = {
    { 1, "ILL_ILLOPC" }, { 2, "ILL_ILLOPN" }, { 3, "ILL_ILLADR" }, { 4, "ILL_ILLTRP" },
    { 5, "ILL_PRVOPC" }, { 6, "ILL_PRVREG" }, { 7, "ILL_COPROC" }, { 8, "ILL_BADSTK" },
    { 9, "ILL_BADIADDR" }, { 0, NULL },
};
static const strace_name fpe_codes[] = {
    { 1, "FPE_INTDIV" }, { 2, "FPE_INTOVF" }, { 3, "FPE_FLTDIV" }, { 4, "FPE_FLTOVF" },
    { 5, "FPE_FLTUND" }, { 6, "FPE_FLTRES" }, { 7, "FPE_FLTINV" }, { 8, "FPE_FLTSUB" },
    { 14, "FPE_FLTUNK" }, { 15, "FPE_CONDTRAP" }, { 0, NULL },
};
static const strace_name segv_codes[] = {
    { 1, "SEGV_MAPERR" }, { 2, "SEGV_ACCERR" }, { 3, "SEGV_BNDERR" }, { 4, "SEGV_PKUERR" },
    { 5, "SEGV_ACCADI" }, { 6, "SEGV_ADIDERR" }, { 7, "SEGV_ADIPERR" }, { 8, "SEGV_MTEAERR" },
    { 9, "SEGV_MTESERR" }, { 10, "SEGV_CPERR" }, { 0, NULL },
};
static const strace_name bus_codes[] = {
    { 1, "BUS_ADRALN" }, { 2, "BUS_ADRERR" }, { 3, "BUS_OBJERR" }, { 4, "BUS_MCEERR_AR" },
    { 5, "BUS_MCEERR_AO" }, { 0, NULL },
};
static const strace_name trap_codes[] = {
    { 1, "TRAP_BRKPT" }, { 2, "TRAP_TRACE" }, { 3, "TRAP_BRANCH" }, { 4, "TRAP_HWBKPT" },
    { 5, "TRAP_UNK" }, { 6, "TRAP_PERF" }, { 0, NULL },
};
static const strace_name chld_codes[] = {
    { 1, "CLD_EXITED" }, { 2, "CLD_KILLED" }, { 3, "CLD_DUMPED" }, { 4, "CLD_TRAPPED" },
    { 5, "CLD_STOPPED" }, { 6, "CLD_CONTINUED" }, { 0, NULL },
};
static const strace_name poll_codes[] = {
    { 1, "POLL_IN" }, { 2, "POLL_OUT" }, { 3, "POLL_MSG" }, { 4, "POLL_ERR" },
    { 5, "POLL_PRI" }, { 6, "POLL_HUP" }, { 0, NULL },
};
static const strace_name sys_codes[] = { { 1, "SYS_SECCOMP" }, { 2, "SYS_USER_DISPATCH" }, { 0, NULL } };
/* The si_codes a signal's kernel senders use (positive codes). */
static const strace_name *const sig_codes[LU_NSIG + 1] = {
    [SIGILL] = ill_codes, [SIGFPE] = fpe_codes, [SIGSEGV] = segv_codes, [SIGBUS] = bus_codes,
    [SIGTRAP] = trap_codes, [SIGCHLD] = chld_codes, [SIGIO] = poll_codes, [SIGSYS] = sys_codes,
};

static void print_si_code(FILE *f, const siginfo_t *si)
{
    const char *name = strace_lookup(si_codes, (uint64_t)(int64_t)si->si_code);
    if (!name && si->si_signo > 0 && si->si_signo <= LU_NSIG)
        name = strace_lookup(sig_codes[si->si_signo], (uint64_t)(int64_t)si->si_code);
    if (name)
        fputs(name, f);
    else
        fprintf(f, "%#x", (unsigned)si->si_code);
}

static void print_source(FILE *f, const siginfo_t *si)
{
    fprintf(f, ", si_pid=%d, si_uid=%u", (int)si->si_pid, (unsigned)si->si_uid);
}

static void print_sigval(FILE *f, const siginfo_t *si)
{
    fprintf(f, ", si_int=%d, si_ptr=", si->si_int);
    print_addr(f, (uint64_t)(uintptr_t)si->si_ptr);
}

/* Sent by a process (si_code <= 0). */
static void print_user_info(FILE *f, const siginfo_t *si)
{
    switch (si->si_code) {
    case SI_USER:
    case SI_TKILL: print_source(f, si); break;
    case SI_TIMER:
        fprintf(f, ", si_timerid=%#x, si_overrun=%d", (unsigned)si->si_timerid, si->si_overrun);
        print_sigval(f, si);
        break;
    case SI_SIGIO: fprintf(f, ", si_band=%ld, si_fd=%d", si->si_band, si->si_fd); break;
    default:
        print_source(f, si);
        if (si->si_ptr)
            print_sigval(f, si);
    }
}

/* Sent by the kernel. */
static void print_kernel_info(FILE *f, const siginfo_t *si)
{
    char buf[16];
    switch (si->si_signo) {
    case SIGCHLD:
        print_source(f, si);
        if (si->si_code == CLD_EXITED)
            fprintf(f, ", si_status=%d", si->si_status);
        else
            fprintf(f, ", si_status=%s", sig_name(si->si_status, buf));
        fprintf(f, ", si_utime=%llu, si_stime=%llu", (unsigned long long)si->si_utime,
                (unsigned long long)si->si_stime);
        break;
    case SIGILL: case SIGFPE: case SIGBUS: case SIGSEGV: case SIGTRAP:
        fputs(", si_addr=", f);
        print_addr(f, (uint64_t)(uintptr_t)si->si_addr);
        break;
    case SIGIO:
        if (si->si_code >= POLL_IN && si->si_code <= POLL_MSG)
            fprintf(f, ", si_band=%ld, si_fd=%d", si->si_band, si->si_fd);
        break;
    default:
        if (si->si_pid || si->si_uid)
            print_source(f, si);
        if (si->si_ptr)
            print_sigval(f, si);
    }
}

void lu_strace_signal(lu_thread *t, const siginfo_t *si)
{
    if (!t->p->opt.strace)
        return;
    char *text = NULL, buf[16];
    size_t len;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    const char *name = sig_name(si->si_signo, buf);
    fprintf(f, "--- %s {si_signo=%s, si_code=", name, name);
    print_si_code(f, si);
    if (si->si_errno && strerrorname_np(si->si_errno))
        fprintf(f, ", si_errno=%s", strerrorname_np(si->si_errno));
    else if (si->si_errno)
        fprintf(f, ", si_errno=%d", si->si_errno);
    if (si->si_code <= 0)
        print_user_info(f, si);
    else
        print_kernel_info(f, si);
    fputs("} ---", f);
    fclose(f);
    emit(&(piece){ .p = t->p, .t = t, .text = text, .result = "" });
    free(text);
}

/* Whether the kernel will dump a core as sig kills Ferry (strace's
 * `(core dumped)`): a core signal, a dumpable process, and a core_pattern
 * that pipes, or one that writes a file where it can with RLIMIT_CORE of
 * at least a page (the ELF dumper's least). */
static bool dumps_core(int sig)
{
    static const uint64_t core_sigs = BIT(SIGQUIT) | BIT(SIGILL) | BIT(SIGTRAP) | BIT(SIGABRT) |
                                      BIT(SIGBUS) | BIT(SIGFPE) | BIT(SIGSEGV) | BIT(SIGXCPU) |
                                      BIT(SIGXFSZ) | BIT(SIGSYS);
    if (sig < 1 || sig > 64 || !(core_sigs & BIT(sig)) || prctl(PR_GET_DUMPABLE) <= 0)
        return false;
    char pat[PATH_MAX] = "";
    FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
    if (f) {
        if (!fgets(pat, sizeof pat, f))
            pat[0] = 0;
        fclose(f);
    }
    struct rlimit rl;
    if (pat[0] == '|')
        return true;
    if (pat[0] == 0 || pat[0] == '\n' || getrlimit(RLIMIT_CORE, &rl) || rl.rlim_cur < LU_PAGE)
        return false;
    char *slash = strrchr(pat, '/');
    if (slash)
        slash[slash == pat] = 0;
    return access(slash ? pat : ".", W_OK) == 0;
}

void lu_strace_end(lu_proc *p, lu_end end)
{
    if (!p->opt.strace)
        return;
    char text[64], buf[16];
    if (end.signaled)
        snprintf(text, sizeof text, "+++ killed by %s %s+++", sig_name(end.status, buf),
                 dumps_core(end.status) ? "(core dumped) " : "");
    else
        snprintf(text, sizeof text, "+++ exited with %d +++", end.status);
    emit(&(piece){ .p = p, .text = text, .result = "" });
}
