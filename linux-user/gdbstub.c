/* -g PORT (FERRY_GDB): the GDB remote serial protocol over TCP, so that
 * gdb (gdb-multiarch) debugs the guest as it would through gdbserver:
 *
 *   ferry -g 1234 ./prog &
 *   gdb-multiarch ./prog -ex 'target remote :1234'
 *
 * Ferry waits for one connection before the first guest instruction.  The
 * engine then runs in its debug mode (engine.h: one instruction a block,
 * breakpoints and steps checked between them).  A thread that stops (a
 * breakpoint, a step, a signal about to be delivered) talks to gdb itself
 * until gdb resumes it.  gdb works in all-stop mode, so the other threads
 * are held meanwhile: kicked out of translated code, they wait in
 * lu_gdb_run (a thread blocked in a syscall waits when it comes back), and
 * after the resume each does what gdb said for it (vCont), waiting while
 * that is nothing; a stop that comes while they are held waits its turn.
 * gdb sees every thread that ran since it connected (qfThreadInfo, Hg);
 * the FP status of only the one that stopped (it lives in the host thread
 * that runs the guest thread).
 * Packets are table rows (packets[]); registers are runs of alike ones in
 * gdb's numbering (rv_regs[], a64_regs[]), from which target.xml is made.
 * A signal reaches gdb only if it reaches Ferry: one whose guest action is
 * the default kills Ferry without gdb hearing of it (signal.c lets only
 * -strace see those).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/engine.h"
#include "linux-user/gdb_regs.h"
#include "linux-user/lu.h"

#define GDB_PACKET 4096 /* our PacketSize: the most a packet holds */
#define BIT(sig) (1ull << ((sig) - 1))

/* ---- Registers, in gdb's numbering */

/* Each guest's registers: guest_abi.gdb (linux-user/<arch>/gdb.c). */

/* Linux's signal numbers (the same on both guests) to gdb's own. */
static const uint8_t gdb_signo[LU_NSIG + 1] = {
    [1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [6] = 6, [7] = 10, [8] = 8,
    [9] = 9, [10] = 30, [11] = 11, [12] = 31, [13] = 13, [14] = 14, [15] = 15,
    [16] = 143, [17] = 20, [18] = 19, [19] = 17, [20] = 18, [21] = 21, [22] = 22,
    [23] = 16, [24] = 24, [25] = 25, [26] = 26, [27] = 27, [28] = 28, [29] = 23,
    [30] = 32, [31] = 12, [32] = 77,
    [33] = 45, [34] = 46, [35] = 47, [36] = 48, [37] = 49, [38] = 50, [39] = 51,
    [40] = 52, [41] = 53, [42] = 54, [43] = 55, [44] = 56, [45] = 57, [46] = 58,
    [47] = 59, [48] = 60, [49] = 61, [50] = 62, [51] = 63, [52] = 64, [53] = 65,
    [54] = 66, [55] = 67, [56] = 68, [57] = 69, [58] = 70, [59] = 71, [60] = 72,
    [61] = 73, [62] = 74, [63] = 75, [64] = 78,
};

static int linux_signo(int gdb)
{
    for (int sig = 1; sig <= LU_NSIG; sig++)
        if (gdb_signo[sig] == gdb)
            return sig;
    return 0;
}

/* ---- The session: one per process */

/* What gdb's last resume said a thread does: kind 0 (stays stopped),
 * 'c' or 's', with a Linux signal to deliver or 0. */
typedef struct gdb_action {
    char kind;
    int sig;
} gdb_action;

static struct gdb {
    int fd;               /* the connection; -1 once it is gone */
    int pid;              /* the process that has it (a forked child has not) */
    lu_proc *p;
    const gdb_arch *arch;
    bool first_stop;      /* the stop before the first instruction is due */
    /* All-stop: from a thread's stop until gdb resumes, no guest thread
     * runs (halted); then each does what the resume said for it, and
     * waits while that is nothing.  Under lock, which the thread talking
     * to gdb holds; turn is signalled at each resume. */
    pthread_mutex_t lock;
    pthread_cond_t turn;
    bool halted;
    unsigned gen;         /* resumes so far */
    int act_tid;          /* the thread act_one is for (0: none) */
    gdb_action act_one, act_all;
    lu_thread **threads;  /* every guest thread running under gdb */
    size_t n_threads, cap_threads;
    lu_thread *cur, *sel; /* the thread that stopped; whose registers (Hg) */
    char xml[16384];      /* target.xml */
    size_t xml_len;
    char in[GDB_PACKET + 64], last[2 * GDB_PACKET + 16]; /* last: $out#cs */
    size_t in_pos, in_len, last_len;
    char pkt[GDB_PACKET + 1]; /* the packet being answered, 0-terminated */
    size_t pkt_len;           /* (X data may hold 0 bytes) */
    char out[2 * GDB_PACKET + 8];
    size_t out_len;
    int stop_sig;         /* the stop being served, for '?' */
    bool multiprocess;    /* gdb's thread ids are pPID.TID */
} g = { .fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER, .turn = PTHREAD_COND_INITIALIZER,
        .act_all = { 'c', 0 } };

bool lu_gdb_on;
/* This thread's own: its step, the resume it last took, whether it is
 * known (g.threads), whether it stands where it last told gdb it
 * stopped, and the signals gdb sent it (not shown to gdb again). */
static __thread engine_debug_state dbg;
static __thread unsigned seen_gen;
static __thread bool registered, reported;
static __thread uint64_t gdb_passed;

/* ---- Packets on the wire */

static int rx_byte(void)
{
    if (g.in_pos == g.in_len) {
        ssize_t n;
        do
            n = recv(g.fd, g.in, sizeof g.in, 0);
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return -1;
        g.in_pos = 0;
        g.in_len = (size_t)n;
    }
    return (unsigned char)g.in[g.in_pos++];
}

static bool tx(const char *s, size_t n)
{
    while (n) {
        ssize_t k = send(g.fd, s, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        s += k;
        n -= (size_t)k;
    }
    return true;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "$data#cs" (kept for a '-' asking it again). */
static bool send_packet(const char *data, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    unsigned sum = 0;
    g.last[0] = '$';
    for (size_t i = 0; i < n; i++) {
        g.last[1 + i] = data[i];
        sum += (unsigned char)data[i];
    }
    g.last[1 + n] = '#';
    g.last[2 + n] = hex[(sum >> 4) & 15];
    g.last[3 + n] = hex[sum & 15];
    g.last_len = n + 4;
    return tx(g.last, g.last_len);
}

/* The next packet into g.pkt, acknowledged; false when gdb has gone.
 * Acks of ours ('+') and interrupts (0x03: we are stopped) are skipped. */
static bool recv_packet(void)
{
    for (;;) {
        int c = rx_byte();
        if (c < 0)
            return false;
        if (c == '-' && g.last_len && !tx(g.last, g.last_len))
            return false;
        if (c != '$')
            continue;
        size_t n = 0;
        unsigned sum = 0;
        while ((c = rx_byte()) >= 0 && c != '#') {
            if (n < GDB_PACKET)
                g.pkt[n++] = (char)c;
            sum += (unsigned)c;
        }
        int h = c < 0 ? -1 : hex_digit(rx_byte()), l = h < 0 ? -1 : hex_digit(rx_byte());
        if (l < 0)
            return false;
        g.pkt[n] = 0;
        g.pkt_len = n;
        bool ok = (unsigned)(h << 4 | l) == (sum & 255);
        if (!tx(ok ? "+" : "-", 1))
            return false;
        if (ok)
            return true;
    }
}

static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g.out + g.out_len, sizeof g.out - g.out_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        g.out_len += (size_t)n < sizeof g.out - g.out_len ? (size_t)n : 0;
}

static void put_hex(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put("%02x", b[i]);
}

/* Binary data, escaped ('}' then the byte ^ 0x20) where the framing needs. */
static void put_binary(const char *b, size_t n)
{
    for (size_t i = 0; i < n && g.out_len + 2 < sizeof g.out; i++) {
        char c = b[i];
        if (c == '#' || c == '$' || c == '}' || c == '*') {
            g.out[g.out_len++] = '}';
            c ^= 0x20;
        }
        g.out[g.out_len++] = c;
    }
}

static uint64_t hex_num(const char **s)
{
    uint64_t v = 0;
    for (int d; (d = hex_digit(**s)) >= 0; (*s)++)
        v = v << 4 | (uint64_t)d;
    return v;
}

static bool hex_bytes(const char *s, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int h = hex_digit(s[2 * i]), l = h < 0 ? -1 : hex_digit(s[2 * i + 1]);
        if (l < 0)
            return false;
        out[i] = (uint8_t)(h << 4 | l);
    }
    return true;
}

/* ---- Registers */

static const gdb_regs *reg_run(unsigned n)
{
    for (size_t i = 0; i < g.arch->n_regs; i++)
        if (n >= g.arch->regs[i].first && n < g.arch->regs[i].first + g.arch->regs[i].count)
            return &g.arch->regs[i];
    return NULL;
}

static uint64_t field_mask(const gdb_regs *r)
{
    return r->width >= 64 ? ~0ull : (1ull << r->width) - 1;
}

/* The FP status lives in the host thread that runs t (MXCSR): only t's
 * own thread reads or writes it (lu_fp_status). */
static bool fp_status_here(const lu_thread *t)
{
    return t == lu_signal_self();
}

/* Register n's bytes (little-endian) into out and its size (0: no such
 * register); *avail false when t's thread alone can read it. */
static size_t reg_get(lu_thread *t, unsigned n, uint8_t *out, bool *avail)
{
    const gdb_regs *r = reg_run(n);
    size_t size = r ? r->bits / 8u : 0;
    uint64_t v = 0, w[2];
    *avail = r && (r->kind != GDB_REG_FPSTATUS || fp_status_here(t));
    if (!*avail)
        return size;
    char *at = (char *)t->cpu + r->off + (n - r->first) * size;
    switch (r->kind) {
    case GDB_REG_CPU: memcpy(out, at, size); return size;
    case GDB_REG_NZCV: v = engine_nzcv_of_saved(*(const uint64_t *)(void *)at); break;
    case GDB_REG_FPSTATUS:
        lu_fp_status(t, false, w);
        v = (w[r->off] >> r->shift) & field_mask(r);
        break;
    }
    memcpy(out, &v, size);
    return size;
}

static bool reg_set(lu_thread *t, unsigned n, const uint8_t *in)
{
    const gdb_regs *r = reg_run(n);
    size_t size = r ? r->bits / 8u : 0;
    uint64_t v = 0, w[2];
    if (!r || (r->kind == GDB_REG_FPSTATUS && !fp_status_here(t)))
        return false;
    char *at = (char *)t->cpu + r->off + (n - r->first) * size;
    if (r->kind == GDB_REG_CPU) {
        memcpy(at, in, size);
        return true;
    }
    memcpy(&v, in, size < 8 ? size : 8);
    if (r->kind == GDB_REG_NZCV) {
        uint64_t saved = engine_saved_of_nzcv((uint32_t)v & 0xf0000000u);
        memcpy(at, &saved, sizeof saved);
    } else if (r->kind == GDB_REG_FPSTATUS) {
        lu_fp_status(t, false, w);
        w[r->off] = (w[r->off] & ~(field_mask(r) << r->shift)) | (v & field_mask(r)) << r->shift;
        lu_fp_status(t, true, w);
    }
    return true;
}

/* Every register in gdb's order: the runs are sorted by number. */
static size_t reg_count(void)
{
    const gdb_regs *last = &g.arch->regs[g.arch->n_regs - 1];
    return last->first + last->count;
}

/* ---- target.xml, made from the register runs */

static void xml_put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g.xml + g.xml_len, sizeof g.xml - g.xml_len, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof g.xml - g.xml_len)
        g.xml_len += (size_t)n;
}

static void xml_run(const gdb_regs *r)
{
    const char *name = r->names;
    for (unsigned i = 0; i < r->count; i++) {
        size_t len = strcspn(name, " ");
        xml_put("<reg name=\"%.*s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\"/>", (int)len,
                name, r->bits, r->type, r->first + i);
        name += len + (name[len] == ' ');
    }
}

static void xml_build(void)
{
    const gdb_arch *a = g.arch;
    xml_put("<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
            "<target><architecture>%s</architecture>", a->arch);
    for (size_t i = 0; i < a->n_regs; i++) {
        const char *f = a->regs[i].feature;
        if (i == 0 || strcmp(f, a->regs[i - 1].feature)) {
            xml_put("%s<feature name=\"%s\">", i ? "</feature>" : "", f);
            if (a->types[0] && !strcmp(f, a->types[0]))
                xml_put("%s", a->types[1]);
        }
        xml_run(&a->regs[i]);
    }
    xml_put("</feature></target>");
}

/* ---- Guest memory: a bad address is an error reply, never a crash */

static bool guest_range(uint64_t addr, size_t len)
{
    pthread_mutex_lock(&g.p->lock);
    bool ok = addr + len >= addr && lu_mem_covered(g.p, addr, addr + len);
    pthread_mutex_unlock(&g.p->lock);
    return ok;
}

typedef struct mem_write {
    uint64_t addr;
    const uint8_t *data;
    size_t len;
} mem_write;

static void do_write(lu_thread *t, void *arg)
{
    mem_write *w = arg;
    memcpy(G2H(w->addr), w->data, w->len);
}

static bool write_guest(lu_thread *t, uint64_t addr, const uint8_t *data, size_t len)
{
    mem_write w = { addr, data, len };
    if (!len) /* gdb's probe for X */
        return true;
    if (!guest_range(addr, len) || !lu_guest_access(t, do_write, &w))
        return false;
    engine_invalidate(g.p->eng, addr, addr + len); /* it may be code */
    return true;
}

/* ---- The packets.  Each handler answers into g.out (nothing: an empty
 * reply, "not supported"), or says the thread goes on (GDB_RESUME). */

enum { GDB_REPLY, GDB_RESUME };
typedef int gdb_handler(lu_thread *t, const char *arg);

static int error(int code)
{
    put("E%02x", code);
    return GDB_REPLY;
}

static int ok(lu_thread *t, const char *arg)
{
    put("OK");
    return GDB_REPLY;
}

static int q_supported(lu_thread *t, const char *arg)
{
    g.multiprocess = strstr(arg, "multiprocess+") != NULL;
    put("PacketSize=%x;qXfer:features:read+;qXfer:auxv:read+;vContSupported+%s", GDB_PACKET,
        g.multiprocess ? ";multiprocess+" : "");
    return GDB_REPLY;
}

/* A thread id as gdb writes them: TID or pPID.TID, -1 (all), 0 (any):
 * the tid, -1 or 0. */
static int thread_id(const char *s)
{
    if (*s == 'p') {
        const char *dot = strchr(s, '.');
        if (!dot)
            return -1; /* pPID: the whole process */
        s = dot + 1;
    }
    return (int)strtol(s, NULL, 16);
}

static void put_thread_id(const lu_thread *t)
{
    if (g.multiprocess)
        put("p%x.", g.pid);
    put("%x", t->tid);
}

/* "OFF,LEN" of data: 'm' and a part, or 'l' and the last of it. */
static int xfer(const char *arg, const char *data, size_t size)
{
    uint64_t off = hex_num(&arg), len = *arg == ',' ? (arg++, hex_num(&arg)) : 0;
    if (len > GDB_PACKET / 2)
        len = GDB_PACKET / 2;
    if (off >= size) {
        put("l");
        return GDB_REPLY;
    }
    size_t n = size - off < len ? size - off : len;
    put(off + n < size ? "m" : "l");
    put_binary(data + off, n);
    return GDB_REPLY;
}

static int q_xfer_features(lu_thread *t, const char *arg)
{
    return xfer(arg, g.xml, g.xml_len);
}

static int q_xfer_auxv(lu_thread *t, const char *arg)
{
    return xfer(arg, (const char *)g.p->auxv, g.p->auxv_words * sizeof g.p->auxv[0]);
}

static int q_attached(lu_thread *t, const char *arg)
{
    put("0"); /* Ferry started it: gdb kills it, not detaches, on quit */
    return GDB_REPLY;
}

static int q_current(lu_thread *t, const char *arg)
{
    put("QC");
    put_thread_id(t);
    return GDB_REPLY;
}

static int q_threads_first(lu_thread *t, const char *arg)
{
    for (size_t i = 0; i < g.n_threads; i++) {
        put(i ? "," : "m");
        put_thread_id(g.threads[i]);
    }
    return GDB_REPLY;
}

static lu_thread *thread_by_tid(int tid)
{
    for (size_t i = 0; i < g.n_threads; i++)
        if (g.threads[i]->tid == tid)
            return g.threads[i];
    return NULL;
}

/* Hg TID: whose registers g, G, p, P mean (0, -1: the one that stopped);
 * Hc is the old way to say which thread resumes: vCont says it now. */
static int h_thread(lu_thread *t, const char *arg)
{
    if (*arg++ != 'g')
        return ok(t, arg);
    int tid = thread_id(arg);
    lu_thread *u = tid > 0 ? thread_by_tid(tid) : g.cur;
    if (!u)
        return error(1);
    g.sel = u;
    return ok(t, arg);
}

static int thread_alive(lu_thread *t, const char *arg)
{
    return thread_by_tid(thread_id(arg)) ? ok(t, arg) : error(1);
}

static int q_threads_next(lu_thread *t, const char *arg)
{
    put("l");
    return GDB_REPLY;
}

static void put_stop(lu_thread *t, int sig)
{
    put("T%02xthread:", gdb_signo[sig]);
    put_thread_id(t);
    put(";");
}

static int why(lu_thread *t, const char *arg)
{
    put_stop(t, g.stop_sig);
    return GDB_REPLY;
}

/* A register's value, or "xx" for each byte that cannot be had. */
static size_t put_reg(lu_thread *t, unsigned n)
{
    uint8_t b[16];
    bool avail;
    size_t size = reg_get(t, n, b, &avail);
    for (size_t i = 0; i < size; i++)
        put(avail ? "%02x" : "xx", b[i]);
    return size;
}

static int regs_read(lu_thread *t, const char *arg)
{
    for (unsigned n = 0, k = (unsigned)reg_count(); n < k; n++)
        put_reg(g.sel, n);
    return GDB_REPLY;
}

/* Registers gdb has no value for ("xx") keep theirs. */
static int regs_write(lu_thread *t, const char *arg)
{
    uint8_t b[16];
    for (unsigned n = 0, k = (unsigned)reg_count(); n < k && *arg; n++) {
        const gdb_regs *r = reg_run(n);
        size_t size = r ? r->bits / 8u : 0;
        if (size && hex_bytes(arg, b, size))
            reg_set(g.sel, n, b);
        arg += strnlen(arg, 2 * size);
    }
    return ok(t, arg);
}

static int reg_read(lu_thread *t, const char *arg)
{
    return put_reg(g.sel, (unsigned)hex_num(&arg)) ? GDB_REPLY : error(1);
}

static int reg_write(lu_thread *t, const char *arg)
{
    unsigned n = (unsigned)hex_num(&arg);
    const gdb_regs *r = reg_run(n);
    uint8_t b[16];
    if (!r || *arg != '=' || !hex_bytes(arg + 1, b, r->bits / 8u) || !reg_set(g.sel, n, b))
        return error(1);
    return ok(t, arg);
}

/* "ADDR,LEN", LEN at most max */
static bool mem_args(const char **arg, uint64_t *addr, uint64_t *len, uint64_t max)
{
    *addr = hex_num(arg);
    if (**arg != ',')
        return false;
    (*arg)++;
    *len = hex_num(arg);
    return *len <= max;
}

static int mem_read(lu_thread *t, const char *arg)
{
    uint64_t addr, len;
    uint8_t b[GDB_PACKET / 2];
    if (!mem_args(&arg, &addr, &len, sizeof b))
        return error(1);
    size_t n = guest_range(addr, len) ? lu_guest_read(b, addr, len) : 0;
    if (!n && len)
        return error(0x14);
    put_hex(b, n);
    return GDB_REPLY;
}

static int mem_write_hex(lu_thread *t, const char *arg)
{
    uint64_t addr, len;
    uint8_t b[GDB_PACKET / 2];
    if (!mem_args(&arg, &addr, &len, sizeof b) || *arg != ':' || !hex_bytes(arg + 1, b, len))
        return error(1);
    return write_guest(t, addr, b, len) ? ok(t, arg) : error(0x14);
}

/* X: the data is binary, '}' escaping the next byte. */
static int mem_write_bin(lu_thread *t, const char *arg)
{
    uint64_t addr, len;
    uint8_t b[GDB_PACKET];
    size_t n = 0;
    if (!mem_args(&arg, &addr, &len, sizeof b) || *arg++ != ':')
        return error(1);
    const char *end = g.pkt + g.pkt_len;
    while (arg < end && n < len)
        b[n++] = *arg == '}' && arg + 1 < end ? (uint8_t)(arg += 2, arg[-1] ^ 0x20)
                                              : (uint8_t)*arg++;
    if (n != len)
        return error(1);
    return write_guest(t, addr, b, len) ? ok(t, arg) : error(0x14);
}

/* Z0,ADDR,KIND / z0,...: software breakpoints, kept by the engine. */
static int breakpoint(const char *arg, bool insert)
{
    uint64_t addr = hex_num(&arg);
    return engine_breakpoint(g.p->eng, addr, insert) ? ok(NULL, arg) : error(1);
}

static int bp_insert(lu_thread *t, const char *arg) { return breakpoint(arg, true); }
static int bp_remove(lu_thread *t, const char *arg) { return breakpoint(arg, false); }

static gdb_action action(char kind, int gdb_sig)
{
    return (gdb_action){ .kind = kind, .sig = gdb_sig ? linux_signo(gdb_sig) : 0 };
}

/* c [addr], s [addr], C sig[;addr], S sig[;addr]: the thread that
 * stopped (continuing lets the others go too; a step does not). */
static int go(lu_thread *t, char kind, const char *arg)
{
    int sig = kind == 'C' || kind == 'S' ? (int)hex_num(&arg) : 0;
    if (*arg == ';')
        arg++;
    if (*arg) { /* resume at addr */
        uint64_t pc = hex_num(&arg);
        memcpy((char *)t->cpu + g.p->abi->pc_off, &pc, sizeof pc);
    }
    bool step = kind == 's' || kind == 'S';
    g.act_tid = t->tid;
    g.act_one = action(step ? 's' : 'c', sig);
    g.act_all = action(step ? 0 : 'c', 0);
    return GDB_RESUME;
}

static int cont(lu_thread *t, const char *arg) { return go(t, 'c', arg); }
static int step(lu_thread *t, const char *arg) { return go(t, 's', arg); }
static int cont_sig(lu_thread *t, const char *arg) { return go(t, 'C', arg); }
static int step_sig(lu_thread *t, const char *arg) { return go(t, 'S', arg); }

static int v_cont_actions(lu_thread *t, const char *arg)
{
    put("vCont;c;C;s;S");
    return GDB_REPLY;
}

/* vCont;ACTION[:TID]...: one thread's action (the first with a thread
 * id; more than one is refused) and everyone else's (without one). */
static int v_cont(lu_thread *t, const char *arg)
{
    gdb_action one = { 0 }, all = { 0 };
    int one_tid = 0;
    for (const char *a = arg; a && *a; a = strchr(a, ';') ? strchr(a, ';') + 1 : NULL) {
        char kind = *a;
        const char *p = a + 1;
        int sig = kind == 'C' || kind == 'S' ? (int)hex_num(&p) : 0;
        int tid = *p == ':' ? thread_id(p + 1) : 0;
        tid = tid > 0 ? tid : 0;
        if (!strchr("cCsS", kind) || (tid && one_tid && tid != one_tid))
            return error(1);
        gdb_action *slot = tid ? &one : &all;
        if (!slot->kind)
            *slot = action((char)(kind | 0x20), sig);
        one_tid = tid ? tid : one_tid;
    }
    g.act_tid = one_tid;
    g.act_one = one;
    g.act_all = all;
    return GDB_RESUME;
}

static _Noreturn void killed(void)
{
    close(g.fd);
    g.fd = -1;
    lu_die_of_signal(SIGKILL);
}

static int kill_now(lu_thread *t, const char *arg) { killed(); }

static int v_kill(lu_thread *t, const char *arg)
{
    send_packet("OK", 2);
    killed();
}

/* Every thread runs on as without a debugger (g.lock held). */
static void release_all(void)
{
    g.halted = false;
    g.act_tid = 0;
    g.act_all = (gdb_action){ 'c', 0 };
    g.gen++;
    pthread_cond_broadcast(&g.turn);
}

/* The connection ends; the guest runs on without a debugger. */
static void detach(void)
{
    close(g.fd);
    g.fd = -1;
    lu_gdb_on = false;
    g.n_threads = 0;
    engine_debug(g.p->eng, false);
    release_all();
}

static int detach_pkt(lu_thread *t, const char *arg)
{
    send_packet("OK", 2);
    detach();
    return GDB_RESUME;
}

/* Longer prefixes before the shorter ones they start with. */
static const struct {
    const char *prefix;
    gdb_handler *fn;
} packets[] = {
    { "qSupported", q_supported },
    { "qXfer:features:read:target.xml:", q_xfer_features },
    { "qXfer:auxv:read::", q_xfer_auxv },
    { "qAttached", q_attached },
    { "qC", q_current },
    { "qfThreadInfo", q_threads_first },
    { "qsThreadInfo", q_threads_next },
    { "vCont?", v_cont_actions },
    { "vCont;", v_cont },
    { "vKill", v_kill },
    { "?", why },
    { "g", regs_read },
    { "G", regs_write },
    { "p", reg_read },
    { "P", reg_write },
    { "m", mem_read },
    { "M", mem_write_hex },
    { "X", mem_write_bin },
    { "Z0,", bp_insert },
    { "z0,", bp_remove },
    { "c", cont },
    { "C", cont_sig },
    { "s", step },
    { "S", step_sig },
    { "H", h_thread },
    { "T", thread_alive },
    { "k", kill_now },
    { "D", detach_pkt },
};

static int dispatch(lu_thread *t)
{
    g.out_len = 0;
    for (size_t i = 0; i < sizeof packets / sizeof packets[0]; i++) {
        size_t n = strlen(packets[i].prefix);
        if (!strncmp(g.pkt, packets[i].prefix, n))
            return packets[i].fn(t, g.pkt + n);
    }
    return GDB_REPLY; /* empty: not supported */
}

/* Answer gdb until it resumes; a lost connection detaches. */
static void serve(lu_thread *t)
{
    for (;;) {
        if (!recv_packet())
            break;
        if (dispatch(t) == GDB_RESUME) {
            if (g.fd >= 0) { /* not detached */
                g.halted = false;
                g.gen++;
                pthread_cond_broadcast(&g.turn);
            }
            return;
        }
        if (!send_packet(g.out, g.out_len))
            break;
    }
    detach();
}

/* ---- All-stop: threads wait while gdb holds them (g.lock held) */

/* Still connected, in this process.  A forked child (which has a fresh
 * engine, thread.c) lets go at its first look, before taking g.lock,
 * which a thread of the parent may have held at the fork. */
static bool attached(void)
{
    if (g.fd >= 0 && g.pid != (int)getpid()) {
        close(g.fd);
        g.fd = -1;
        lu_gdb_on = false;
    }
    return g.fd >= 0;
}

static void enroll(lu_thread *t)
{
    if (registered)
        return;
    if (g.n_threads == g.cap_threads) {
        g.cap_threads = g.cap_threads ? 2 * g.cap_threads : 16;
        g.threads = realloc(g.threads, g.cap_threads * sizeof *g.threads);
        if (!g.threads)
            abort();
    }
    g.threads[g.n_threads++] = t;
    registered = true;
}

static gdb_action action_of(const lu_thread *t)
{
    return g.act_tid == t->tid ? g.act_one : g.act_all;
}

/* Until gdb lets t run; then, at a resume t has not taken yet, take it:
 * its step, and the signal gdb sends it (returned; 0: none). */
static int wait_turn(lu_thread *t)
{
    while (attached() && (g.halted || !action_of(t).kind))
        pthread_cond_wait(&g.turn, &g.lock);
    if (!attached() || seen_gen == g.gen)
        return 0;
    gdb_action a = action_of(t);
    seen_gen = g.gen;
    engine_debug_resume(g.p->eng, t->cpu, &dbg, a.kind == 's');
    dbg.resuming = reported; /* gdb knows it stands there */
    reported = false;
    return a.sig;
}

/* Hold the other threads: each leaves translated code at its next
 * instruction and waits in lu_gdb_run. */
static void halt_others(lu_thread *t)
{
    g.halted = true;
    for (size_t i = 0; i < g.n_threads; i++)
        if (g.threads[i] != t)
            engine_kick(g.p->eng, g.threads[i]->cpu);
}

/* t stopped with sig; bp: at a breakpoint, which gdb may have removed
 * while t waited its turn (then the stop is dropped: t has not run the
 * instruction there).  Tell gdb (tell false: the stop after connecting,
 * which gdb asks about itself), talk until it resumes, then wait for t's
 * turn.  Returns whether gdb was told; *to: the signal gdb resumes t
 * with (0: none). */
static bool stopped(lu_thread *t, int sig, bool tell, bool bp, int *to)
{
    pthread_mutex_lock(&g.lock);
    enroll(t);
    *to = wait_turn(t);
    uint64_t pc;
    memcpy(&pc, (char *)t->cpu + g.p->abi->pc_off, sizeof pc);
    bool told = attached() && !(bp && !engine_breakpoint_at(g.p->eng, pc));
    if (told) {
        halt_others(t);
        g.cur = g.sel = t;
        g.stop_sig = sig;
        g.out_len = 0;
        put_stop(t, sig);
        if (!tell || send_packet(g.out, g.out_len))
            serve(t);
        else
            detach();
        reported = true;
        *to = wait_turn(t);
    }
    pthread_mutex_unlock(&g.lock);
    return told;
}

/* gdb resumed t with a signal other than the one reported: send it. */
static void inject(lu_thread *t, int sig)
{
    gdb_passed |= BIT(sig);
    syscall(SYS_tgkill, getpid(), t->tid, sig);
}

/* The process ends: W (exit status) or X (signal), and the end of it. */
static void tell_end(lu_end end)
{
    if (g.fd < 0 || g.pid != (int)getpid())
        return;
    bool locked = pthread_mutex_trylock(&g.lock) == 0; /* a thread may be stopped */
    char reply[32];
    int n = snprintf(reply, sizeof reply, "%c%02x", end.signaled ? 'X' : 'W',
                     end.signaled ? gdb_signo[end.status] : end.status & 0xff);
    if (g.multiprocess)
        n += snprintf(reply + n, sizeof reply - (size_t)n, ";process:%x", g.pid);
    send_packet(reply, (size_t)n);
    close(g.fd);
    g.fd = -1;
    lu_gdb_on = false;
    if (locked)
        pthread_mutex_unlock(&g.lock);
}

static void on_exit_hook(int status, void *arg)
{
    tell_end((lu_end){ .status = status });
}

/* ---- The hooks (lu.h) */

/* A socket listening on port (every address), or -1 with errno. */
static int listen_on(int port)
{
    int one = 1, s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (s >= 0 && (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
                   bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0)) {
        int e = errno;
        close(s);
        errno = e;
        return -1;
    }
    return s;
}

bool lu_gdb_start(lu_proc *p, int port)
{
    g.arch = p->abi->gdb;
    int s = g.arch ? listen_on(port) : -1;
    if (s < 0) {
        fprintf(stderr, "ferry: -g %d: %s\n", port, g.arch ? strerror(errno) : "no gdb support");
        return false;
    }
    fprintf(stderr, "ferry: waiting for gdb on port %d\n", port);
    do
        g.fd = accept4(s, NULL, NULL, SOCK_CLOEXEC);
    while (g.fd < 0 && errno == EINTR);
    close(s);
    if (g.fd < 0)
        return false;
    int one = 1;
    setsockopt(g.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    g.p = p;
    g.pid = (int)getpid();
    g.first_stop = true;
    xml_build();
    engine_debug(p->eng, true);
    on_exit(on_exit_hook, p);
    lu_gdb_on = true;
    return true;
}

void lu_gdb_run(lu_thread *t, engine_exit *x)
{
    int to = 0;
    if (g.first_stop && attached()) { /* the main thread, before any other */
        g.first_stop = false;
        stopped(t, SIGTRAP, false, false, &to);
    } else if (attached()) {
        pthread_mutex_lock(&g.lock);
        enroll(t);
        to = wait_turn(t);
        pthread_mutex_unlock(&g.lock);
    }
    if (to)
        inject(t, to);
    if (!attached()) {
        *x = engine_run(t->p->eng, t->cpu);
        return;
    }
    bool stepping = dbg.step;
    *x = engine_run_debug(t->p->eng, t->cpu, &dbg);
    if (x->reason != ENGINE_TRAP || !x->debug)
        return;
    if (stopped(t, SIGTRAP, true, !stepping, &to) && to)
        inject(t, to);
    *x = (engine_exit){ .reason = ENGINE_INTERRUPT, .pc = x->pc };
}

/* Ask gdb about signal sig: whether it is still to be delivered. */
static bool ask(lu_thread *t, int sig)
{
    int to;
    if (gdb_passed & BIT(sig)) {
        gdb_passed &= ~BIT(sig);
        return true;
    }
    if (!stopped(t, sig, true, false, &to))
        return true;
    if (to && to != sig)
        inject(t, to);
    return to == sig;
}

void lu_gdb_signals(lu_thread *t)
{
    if (!attached())
        return;
    if (t->sig_forced.si_signo && !ask(t, t->sig_forced.si_signo))
        t->sig_forced.si_signo = 0;
    siginfo_t keep[LU_NSIG], si;
    int n = 0, sig;
    bool dropped = false;
    while ((sig = lu_signal_dequeue(t, ~t->sigmask, &si))) {
        if (ask(t, sig))
            keep[n++] = si;
        else
            dropped = true;
    }
    for (int i = 0; i < n; i++) { /* back, as the host handler left them */
        t->sig_info[keep[i].si_signo - 1] = keep[i];
        __atomic_fetch_or(&t->sig_pending, BIT(keep[i].si_signo), __ATOMIC_SEQ_CST);
    }
    if (dropped)
        lu_signal_mask_changed(t);
}

void lu_gdb_thread_end(lu_thread *t, lu_end end)
{
    if (!attached())
        return;
    if (end.signaled) {
        tell_end(end);
        return;
    }
    pthread_mutex_lock(&g.lock);
    for (size_t i = 0; i < g.n_threads; i++)
        if (g.threads[i] == t)
            g.threads[i] = g.threads[--g.n_threads];
    if (g.cur == t || g.sel == t)
        g.cur = g.sel = NULL;
    registered = false;
    pthread_mutex_unlock(&g.lock);
}
