/* a64gen: writes random aarch64 test cases for the differential fuzzer and
 * reads back the harness's records.  Commands:
 *   a64gen gen  -s SEED -f FIRST -n COUNT -l LEN -c CLASSES [-k KEEP] -o OUT
 *   a64gen show -s SEED -f CASE -l LEN -c CLASSES [-k KEEP] [-b BLOB]
 *   a64gen count -s SEED -f CASE -l LEN -c CLASSES
 *   a64gen diff CASEFILE REF.out TEST.out        (mismatching case numbers)
 *   a64gen report CASEFILE IDX REF.out TEST.out  (both final states, marked)
 * show -b writes the code as an assembler file of ".inst" lines (objdump).
 * Case k of seed s is the same whatever FIRST and COUNT are, so one case
 * can be replayed alone; KEEP ("1101...") keeps only some items (shrinking). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "a64gen.h"
#include "a64_layout.h"

struct opts {
    uint64_t seed;
    long first, count, len;
    unsigned classes;
    const char *keep, *out, *blob;
};

#define MAX_ITEMS 4096
struct a64g_case {
    struct fz_case_hdr h;
    int nitems;
    struct a64g_item items[MAX_ITEMS];
    uint8_t code[MAX_ITEMS * 32];
};

/* ---- initial state */

static uint64_t x_value(struct a64g_rng *r)
{
    static const uint64_t special[] = {
        0, 1, ~0ULL, 2, 0x7fffffff, 0xffffffff80000000ULL, 0x80000000, 0xffffffff,
        0x8000000000000000ULL, 0x7fffffffffffffffULL, 0x100000000ULL, 0xfffffffffffff800ULL,
        0x0000ffff0000ffffULL, 0x8000000080000000ULL, 63, 64, 31, 32,
    };
    switch (a64g_below(r, 5)) {
    case 0: return special[a64g_below(r, sizeof special / sizeof special[0])];
    case 1: return (uint64_t)(int64_t)((int)a64g_below(r, 33) - 16);
    case 2: return (uint64_t)(int64_t)(int32_t)a64g_rand(r);
    case 3: return 1ULL << a64g_below(r, 64);
    default: return a64g_rand(r);
    }
}

/* A 64-bit lane pattern: a double, two singles, four halves, or random. */
static uint64_t f_value(struct a64g_rng *r)
{
    static const uint64_t d[] = {
        0, 0x8000000000000000ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL,
        0x7ff8000000000000ULL, 0x7ff4000000000000ULL, 0xfff8000000000001ULL,
        0x0000000000000001ULL, 0x000fffffffffffffULL, 0x8008000000000000ULL,
        0x3ff0000000000000ULL, 0xbff0000000000000ULL, 0x3ff8000000000000ULL,
        0x4004000000000000ULL, 0xc004000000000000ULL, 0x3fe0000000000000ULL,
        0x43e0000000000000ULL, 0xc3e0000000000000ULL, 0x43f0000000000000ULL,
        0x41e0000000000000ULL, 0xc1e0000000200000ULL, 0x41efffffffff0000ULL,
        0x7fefffffffffffffULL, 0x3fefffffffffffffULL, 0x0010000000000000ULL,
    };
    static const uint32_t s[] = {
        0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0xffc00001,
        0x00000001, 0x007fffff, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000,
        0xc0200000, 0x4f000000, 0xcf000000, 0x5f000000, 0x5f800000, 0x7f7fffff, 0x3effffff,
        0x00800000, 0x7fff, 0x80008000, 0x3c007c00, 0x7e00fc01,
    };
    switch (a64g_below(r, 6)) {
    case 0: case 1: return d[a64g_below(r, sizeof d / sizeof d[0])];
    case 2: case 3: return (uint64_t)s[a64g_below(r, sizeof s / sizeof s[0])] << 32 |
                           s[a64g_below(r, sizeof s / sizeof s[0])];
    case 4: return a64g_below(r, 2) ? (uint64_t)(int64_t)(int8_t)a64g_rand(r) * 0x0101010101010101ULL
                                   : (uint64_t)(uint16_t)a64g_rand(r) * 0x0001000100010001ULL;
    default: return a64g_rand(r);
    }
}

/* ---- cases */

static void make_case(const struct opts *o, long idx, struct a64g_case *c)
{
    /* hashed, not just offset: splitmix streams of nearby states overlap */
    uint64_t t = o->seed, u = fz_mix(&t) ^ ((uint64_t)idx * 0xd1342543de82ef95ULL);
    struct a64g_rng r = { fz_mix(&u) };
    unsigned cls[A64G_NCLASS], ncls = 0;
    long insns = 0;

    for (unsigned i = 0; i < A64G_NCLASS; i++)
        if (o->classes & (1u << i))
            cls[ncls++] = i;
    memset(&c->h, 0, sizeof c->h);
    c->h.magic = FZ_MAGIC;
    c->h.mem_seed = a64g_rand(&r);
    for (int i = 0; i < 31; i++)
        c->h.x[i] = x_value(&r);
    c->h.x[FZ_BASE_REG] = FZ_BUF;
    c->h.nzcv = (uint64_t)a64g_below(&r, 16) << 28;
    for (int i = 0; i < 32; i++) {
        c->h.v[i][0] = f_value(&r);
        c->h.v[i][1] = f_value(&r);
    }
    /* FPCR: a rounding mode, sometimes FZ or DN; FPSR: some flags and QC */
    c->h.fpcr = (uint64_t)a64g_below(&r, 4) << 22 | (uint64_t)(a64g_below(&r, 8) == 0) << 24 |
                (uint64_t)(a64g_below(&r, 8) == 0) << 25;
    c->h.fpsr = a64g_below(&r, 2) ? 0 : (a64g_below(&r, 32) | a64g_below(&r, 2) << 7 | a64g_below(&r, 2) << 27);
    c->nitems = 0;
    while (insns < o->len && c->nitems < MAX_ITEMS) {
        struct a64g_item *it = &c->items[c->nitems++];
        a64g_item(&r, cls[a64g_below(&r, ncls)], it);
        insns += it->n;
    }
}

static bool kept(const struct opts *o, int i)
{
    return !o->keep || (i < (int)strlen(o->keep) && o->keep[i] == '1');
}

static void put(uint8_t *p, uint32_t w, unsigned size)
{
    for (unsigned b = 0; b < size; b++)
        p[b] = (uint8_t)(w >> (8 * b));
}

static uint32_t fixup(const struct a64g_insn *in, int32_t off)
{
    switch (in->fix) {
    case FIX_26: return ((uint32_t)off >> 2) & 0x3ffffff;
    case FIX_19: return (((uint32_t)off >> 2) & 0x7ffff) << 5;
    case FIX_14: return (((uint32_t)off >> 2) & 0x3fff) << 5;
    default: return 0;
    }
}

/* Lays out the kept items; branch targets count kept items. */
static void encode(const struct opts *o, struct a64g_case *c)
{
    static int addr[MAX_ITEMS + 1], order[MAX_ITEMS];
    int nk = 0, at = 0;
    for (int i = 0; i < c->nitems; i++)
        if (kept(o, i)) {
            order[nk] = i;
            addr[nk++] = at;
            at += 4 * c->items[i].n;
        }
    addr[nk] = at;
    for (int j = 0; j < nk; j++) {
        const struct a64g_item *it = &c->items[order[j]];
        int target = j + 1 + it->skip, pc = addr[j];
        int dest = addr[target > nk ? nk : target];
        for (int k = 0; k < it->n; k++) {
            put(c->code + pc, it->in[k].w | fixup(&it->in[k], dest - pc), 4);
            pc += 4;
        }
    }
    c->h.code_bytes = (uint32_t)at;
}

static FILE *open_out(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "a64gen: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return f;
}

static int cmd_gen(const struct opts *o)
{
    static struct a64g_case c;
    FILE *out = open_out(o->out);
    for (long i = o->first; i < o->first + o->count; i++) {
        make_case(o, i, &c);
        encode(o, &c);
        fwrite(&c.h, sizeof c.h, 1, out);
        fwrite(c.code, 1, c.h.code_bytes, out);
    }
    return fclose(out) ? 2 : 0;
}

static void print_state(const struct fz_case_hdr *h)
{
    printf("initial state (mem seed 0x%016llx, nzcv 0x%llx, fpcr 0x%08llx, fpsr 0x%08llx):\n",
           (unsigned long long)h->mem_seed, (unsigned long long)h->nzcv >> 28,
           (unsigned long long)h->fpcr, (unsigned long long)h->fpsr);
    for (int i = 0; i < 31; i++)
        printf("  x%-2d %016llx%s", i, (unsigned long long)h->x[i], i % 4 == 3 || i == 30 ? "\n" : "");
    for (int i = 0; i < 32; i++)
        printf("  v%-2d %016llx:%016llx%s", i, (unsigned long long)h->v[i][1],
               (unsigned long long)h->v[i][0], i % 2 == 1 ? "\n" : "");
}

static int cmd_show(const struct opts *o, bool count_only)
{
    static struct a64g_case c;
    make_case(o, o->first, &c);
    encode(o, &c);
    if (count_only) {
        printf("%d\n", c.nitems);
        return 0;
    }
    printf("case %ld of seed %llu (%d items, %u code bytes at 0x%lx):\n", o->first,
           (unsigned long long)o->seed, c.nitems, c.h.code_bytes, (unsigned long)FZ_CODE_ADDR);
    for (int i = 0; i < c.nitems; i++)
        if (kept(o, i)) {
            printf("  [%3d] %-28s |", i, c.items[i].text);
            for (int k = 0; k < c.items[i].n; k++)
                printf(" %08x", c.items[i].in[k].w);
            printf("\n");
        }
    print_state(&c.h);
    if (o->blob) {               /* for objdump: one ".inst" per instruction */
        FILE *f = open_out(o->blob);
        fprintf(f, ".arch armv8.2-a+crc+lse+fp16\n.text\n");
        for (uint32_t at = 0; at < c.h.code_bytes; at += 4)
            fprintf(f, ".inst 0x%08x\n", (unsigned)(c.code[at] | c.code[at + 1] << 8 |
                                                     c.code[at + 2] << 16 | (uint32_t)c.code[at + 3] << 24));
        fclose(f);
    }
    return 0;
}

/* ---- records: "IDX x0..x30 nzcv v0.lo v0.hi .. v31.hi fpcr fpsr memhash"
 * or "IDX crash WHY" */

#define NVAL 99
struct rec { long idx; bool crash; char why[64]; uint64_t v[NVAL]; };

static struct rec *read_recs(const char *path, long *n)
{
    FILE *f = fopen(path, "r");
    static char line[4096];
    struct rec *recs = NULL;
    long cap = 0;
    *n = 0;
    if (!f)
        return NULL;
    while (fgets(line, sizeof line, f)) {
        char *p = line, *e;
        if (line[0] < '0' || line[0] > '9')
            continue;                         /* memory dump lines */
        if (*n == cap)
            recs = realloc(recs, (size_t)(cap = cap ? 2 * cap : 1024) * sizeof *recs);
        struct rec *rc = &recs[(*n)++];
        memset(rc, 0, sizeof *rc);
        rc->idx = strtol(p, &p, 10);
        if (strncmp(p, " crash", 6) == 0) {
            rc->crash = true;
            snprintf(rc->why, sizeof rc->why, "%s", p + 7);
            rc->why[strcspn(rc->why, "\n")] = 0;
            continue;
        }
        for (int i = 0; i < NVAL; i++, p = e) {
            rc->v[i] = strtoull(p, &e, 16);
            if (e == p) {
                rc->crash = true;
                snprintf(rc->why, sizeof rc->why, "truncated record");
                break;
            }
        }
    }
    fclose(f);
    return recs;
}

static const struct rec *find(const struct rec *r, long n, long idx)
{
    for (long i = 0; i < n; i++)
        if (r[i].idx == idx)
            return &r[i];
    return NULL;
}

static bool same(const struct rec *a, const struct rec *b)
{
    if (!a || !b || a->crash || b->crash)
        return a && b && a->crash && b->crash;
    return memcmp(a->v, b->v, sizeof a->v) == 0;
}

static long count_cases(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct fz_case_hdr h;
    long n = 0;
    if (!f)
        return -1;
    while (fread(&h, sizeof h, 1, f) == 1 && h.magic == FZ_MAGIC) {
        fseek(f, h.code_bytes, SEEK_CUR);
        n++;
    }
    fclose(f);
    return n;
}

static int cmd_diff(char **argv)
{
    long na, nb, ncase = count_cases(argv[0]), bad = 0;
    struct rec *a = read_recs(argv[1], &na), *b = read_recs(argv[2], &nb);
    for (long i = 0; i < ncase; i++)
        if (!same(find(a, na, i), find(b, nb, i))) {
            printf("%ld\n", i);
            bad++;
        }
    return bad ? 1 : 0;
}

static bool read_case(const char *path, long idx, struct fz_case_hdr *h)
{
    FILE *f = fopen(path, "rb");
    for (long i = 0; f && fread(h, sizeof *h, 1, f) == 1 && h->magic == FZ_MAGIC; i++) {
        if (i == idx) {
            fclose(f);
            return true;
        }
        fseek(f, h->code_bytes, SEEK_CUR);
    }
    if (f)
        fclose(f);
    return false;
}

static void print_rec_side(const char *tag, const struct rec *r)
{
    if (!r)
        printf("  %s: no record (the harness did not reach this case)\n", tag);
    else if (r->crash)
        printf("  %s: crashed: %s\n", tag, r->why);
}

/* Memory dump lines "m IDX OFF HEX" (harness -m) of one case, by offset. */
#define MEM_LINES (FZ_BUF_SIZE / 16)
static void read_mem(const char *path, long idx, char out[MEM_LINES][40])
{
    FILE *f = fopen(path, "r");
    static char line[512];
    long i, off;
    memset(out, 0, MEM_LINES * 40);
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "m %ld %lx", &i, &off) == 2 && i == idx && off / 16 < MEM_LINES)
            sscanf(line, "m %*d %*x %39s", out[off / 16]);
    if (f)
        fclose(f);
}

static void diff_mem(const char *pa, const char *pb, long idx)
{
    static char ma[MEM_LINES][40], mb[MEM_LINES][40];
    int shown = 0;
    read_mem(pa, idx, ma);
    read_mem(pb, idx, mb);
    for (int i = 0; i < MEM_LINES; i++)
        if (strcmp(ma[i], mb[i]) != 0) {
            if (!shown++)
                printf("  buffer lines that differ (x28+offset: reference / test):\n");
            printf("    +%03x  %s\n          %s  <<\n", i * 16, ma[i], mb[i]);
        }
}

static int cmd_report(char **argv)
{
    struct fz_case_hdr h;
    long idx = strtol(argv[1], NULL, 10), na, nb;
    struct rec *a = read_recs(argv[2], &na), *b = read_recs(argv[3], &nb);
    const struct rec *ra = find(a, na, idx), *rb = find(b, nb, idx);
    if (!read_case(argv[0], idx, &h)) {
        fprintf(stderr, "a64gen: no case %ld in %s\n", idx, argv[0]);
        return 2;
    }
    printf("final state: register, initial, reference (qemu), test (ferry); '<<' marks a difference\n");
    print_rec_side("reference", ra);
    print_rec_side("test", rb);
    if (!ra || !rb || ra->crash || rb->crash)
        return 1;
    for (int i = 0; i < NVAL; i++) {
        uint64_t init = i < 31 ? h.x[i] : i == 31 ? h.nzcv : i < 96 ? h.v[(i - 32) / 2][i & 1]
                      : i == 96 ? h.fpcr : i == 97 ? h.fpsr : 0;
        bool differ = ra->v[i] != rb->v[i];
        if (!differ && ra->v[i] == init && i != 31 && i != 97)
            continue;
        char name[16];
        if (i < 31) snprintf(name, sizeof name, "x%d", i);
        else if (i == 31) snprintf(name, sizeof name, "nzcv");
        else if (i < 96) snprintf(name, sizeof name, "v%d.%s", (i - 32) / 2, i & 1 ? "hi" : "lo");
        else snprintf(name, sizeof name, i == 96 ? "fpcr" : i == 97 ? "fpsr" : "memhash");
        printf("  %-7s %016llx  %016llx  %016llx%s\n", name, (unsigned long long)init,
               (unsigned long long)ra->v[i], (unsigned long long)rb->v[i], differ ? "  <<" : "");
    }
    printf("  (registers not listed kept their initial value under both)\n");
    diff_mem(argv[2], argv[3], idx);
    return same(ra, rb) ? 0 : 1;
}

/* ---- options */

static unsigned parse_classes(const char *s)
{
    unsigned m = 0;
    char buf[256], *tok, *save;
    snprintf(buf, sizeof buf, "%s", s);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        unsigned i;
        if (strcmp(tok, "all") == 0) {
            m |= (1u << A64G_NCLASS) - 1;
            continue;
        }
        for (i = 0; i < A64G_NCLASS && strcmp(tok, a64g_class_names[i]) != 0; i++)
            ;
        if (i == A64G_NCLASS) {
            fprintf(stderr, "a64gen: unknown class '%s' (all", tok);
            for (i = 0; i < A64G_NCLASS; i++)
                fprintf(stderr, ", %s", a64g_class_names[i]);
            fprintf(stderr, ")\n");
            exit(2);
        }
        m |= 1u << i;
    }
    return m;
}

static void parse(int argc, char **argv, struct opts *o)
{
    int ch;
    *o = (struct opts){ .seed = 1, .first = 0, .count = 1, .len = 20, .classes = 1 };
    while ((ch = getopt(argc, argv, "s:f:n:l:c:k:o:b:")) != -1)
        switch (ch) {
        case 's': o->seed = strtoull(optarg, NULL, 0); break;
        case 'f': o->first = strtol(optarg, NULL, 0); break;
        case 'n': o->count = strtol(optarg, NULL, 0); break;
        case 'l': o->len = strtol(optarg, NULL, 0); break;
        case 'c': o->classes = parse_classes(optarg); break;
        case 'k': o->keep = optarg; break;
        case 'o': o->out = optarg; break;
        case 'b': o->blob = optarg; break;
        default: exit(2);
        }
    if (o->len < 1 || o->len > 1000) {
        fprintf(stderr, "a64gen: -l wants 1..1000 instructions per case\n");
        exit(2);
    }
}

int main(int argc, char **argv)
{
    struct opts o;
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "diff") == 0 && argc == 5)
        return cmd_diff(argv + 2);
    if (strcmp(cmd, "report") == 0 && argc == 6)
        return cmd_report(argv + 2);
    if (strcmp(cmd, "gen") == 0 || strcmp(cmd, "show") == 0 || strcmp(cmd, "count") == 0) {
        parse(argc - 1, argv + 1, &o);
        if (cmd[0] == 'g' && !o.out) {
            fprintf(stderr, "a64gen gen: -o OUT is needed\n");
            return 2;
        }
        return cmd[0] == 'g' ? cmd_gen(&o) : cmd_show(&o, cmd[0] == 'c');
    }
    fprintf(stderr, "usage: a64gen gen|show|count [-s seed -f first -n count -l len -c classes "
                    "-k keep -o out -b blob]\n"
                    "       a64gen diff CASES REF TEST | a64gen report CASES IDX REF TEST\n");
    return 2;
}
