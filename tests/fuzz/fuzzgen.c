/* fuzzgen: the driver of the fuzzers' case generators (rvgen, a64gen; the
 * guest's part is the table fzg_guest, see fuzzgen.h).  Commands:
 *   GEN gen  -s SEED -f FIRST -n COUNT -l LEN -c CLASSES [-k KEEP] -o OUT [-r REFOUT]
 *   GEN show -s SEED -f CASE -l LEN -c CLASSES [-k KEEP] [-b ASM]
 *   GEN count -s SEED -f CASE -l LEN -c CLASSES
 *   GEN diff CASEFILE REF.out TEST.out        (mismatching case numbers)
 *   GEN report CASEFILE IDX REF.out TEST.out  (both final states, marked)
 * -r (guests with reference-only encodings, and then required) writes the
 * case file for qemu.  show -b writes the code as an assembler file, one
 * directive per instruction, for objdump.  Case k of seed s is the same
 * whatever FIRST and COUNT are, so one case can be replayed alone; KEEP
 * ("1101...") keeps only some items (shrinking). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzzgen.h"
#include "fz_case.h"

#define G fzg_guest      /* the guest's table (fuzzgen.h), read everywhere here */

struct opts {
    uint64_t seed;
    long first, count, len;
    unsigned classes;
    const char *keep, *out, *ref, *blob;
};

#define MAX_ITEMS 4096
#define MAX_HDR 1024
struct fzg_case {
    uint64_t hdr[MAX_HDR / 8];    /* struct fz_case_head, then the guest's registers */
    int nitems;
    struct fzg_item items[MAX_ITEMS];
    uint8_t code[MAX_ITEMS * 32], ref[MAX_ITEMS * 32];
};

static struct fz_case_head *head(struct fzg_case *c)
{
    return (struct fz_case_head *)c->hdr;
}

/* ---- random values */

uint64_t fzg_rand(struct fzg_rng *r) { return fz_mix(&r->s); }
unsigned fzg_below(struct fzg_rng *r, unsigned n) { return (unsigned)(fzg_rand(r) % n); }

uint64_t fzg_int_value(struct fzg_rng *r)
{
    static const uint64_t special[] = {
        0, 1, ~0ULL, 2, 0x7fffffff, 0xffffffff80000000ULL, 0x80000000, 0xffffffff,
        0x8000000000000000ULL, 0x7fffffffffffffffULL, 0x100000000ULL, 0xfffffffffffff800ULL,
        0x0000ffff0000ffffULL, 0x8000000080000000ULL, 63, 64, 31, 32,
    };
    switch (fzg_below(r, 5)) {
    case 0: return special[fzg_below(r, sizeof special / sizeof special[0])];
    case 1: return (uint64_t)(int64_t)((int)fzg_below(r, 33) - 16);
    case 2: return (uint64_t)(int64_t)(int32_t)fzg_rand(r);
    case 3: return 1ULL << fzg_below(r, 64);
    default: return fzg_rand(r);
    }
}

/* IEEE specials for the FP register fills: ±0, ±inf, quiet and
 * signalling NaNs (some with payloads), denormals, small exact values,
 * ties and the limits of the integer conversions.  riscv64 draws from the
 * first 24 doubles and 20 singles, aarch64 from all: append only, or a
 * seed's cases change. */
const uint64_t fzg_doubles[FZG_NDOUBLES] = {
    0, 0x8000000000000000ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL,
    0x7ff8000000000000ULL, 0x7ff4000000000000ULL, 0xfff8000000000001ULL,
    0x0000000000000001ULL, 0x000fffffffffffffULL, 0x8008000000000000ULL,
    0x3ff0000000000000ULL, 0xbff0000000000000ULL, 0x3ff8000000000000ULL,
    0x4004000000000000ULL, 0xc004000000000000ULL, 0x3fe0000000000000ULL,
    0x43e0000000000000ULL, 0xc3e0000000000000ULL, 0x43f0000000000000ULL,
    0x41e0000000000000ULL, 0xc1e0000000200000ULL, 0x41efffffffff0000ULL,
    0x7fefffffffffffffULL, 0x3fefffffffffffffULL, 0x0010000000000000ULL,
};
const uint32_t fzg_singles[FZG_NSINGLES] = {
    0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0xffc00001,
    0x00000001, 0x007fffff, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000,
    0xc0200000, 0x4f000000, 0xcf000000, 0x5f000000, 0x5f800000, 0x7f7fffff, 0x3effffff,
    0x00800000, 0x7fff, 0x80008000, 0x3c007c00, 0x7e00fc01,   /* and half pairs */
};

/* ---- cases */

static void make_case(const struct opts *o, long idx, struct fzg_case *c)
{
    /* hashed, not just offset: splitmix streams of nearby states overlap */
    uint64_t t = o->seed, u = fz_mix(&t) ^ ((uint64_t)idx * 0xd1342543de82ef95ULL);
    struct fzg_rng r = { fz_mix(&u) };
    unsigned cls[32], ncls = 0;
    long insns = 0;

    for (unsigned i = 0; i < G.nclasses; i++)
        if (o->classes & (1u << i))
            cls[ncls++] = i;
    memset(c->hdr, 0, G.hdr_size);
    head(c)->magic = G.magic;
    head(c)->mem_seed = fzg_rand(&r);
    G.init_state(&r, c->hdr);
    c->nitems = 0;
    while (insns < o->len && c->nitems < MAX_ITEMS) {
        struct fzg_item *it = &c->items[c->nitems++];
        G.item(&r, cls[fzg_below(&r, ncls)], it);
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

/* Lays out the kept items; branch targets count kept items. */
static void encode(const struct opts *o, struct fzg_case *c)
{
    static int addr[MAX_ITEMS + 1], order[MAX_ITEMS];
    int nk = 0, at = 0;
    for (int i = 0; i < c->nitems; i++)
        if (kept(o, i)) {
            order[nk] = i;
            addr[nk++] = at;
            for (int k = 0; k < c->items[i].n; k++)
                at += c->items[i].in[k].size;
        }
    addr[nk] = at;
    for (int j = 0; j < nk; j++) {
        const struct fzg_item *it = &c->items[order[j]];
        int target = j + 1 + it->skip, pc = addr[j];
        int dest = addr[target > nk ? nk : target];
        for (int k = 0; k < it->n; k++) {
            const struct fzg_insn *in = &it->in[k];
            uint32_t fix = in->fix ? G.fixup(in->fix, dest - pc, dest - addr[j]) : 0;
            put(c->code + pc, in->w | fix, in->size);
            put(c->ref + pc, in->ref | fix, in->size);
            pc += in->size;
        }
    }
    if (at & 2) {                               /* pad to 4 bytes */
        put(c->code + at, G.pad, 2);
        put(c->ref + at, G.pad, 2);
        at += 2;
    }
    head(c)->code_bytes = (uint32_t)at;
}

static FILE *open_out(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", G.prog, path, strerror(errno));
        exit(2);
    }
    return f;
}

static int cmd_gen(const struct opts *o)
{
    static struct fzg_case c;
    FILE *out = open_out(o->out), *ref = o->ref ? open_out(o->ref) : NULL;
    int err = 0;
    for (long i = o->first; i < o->first + o->count; i++) {
        make_case(o, i, &c);
        encode(o, &c);
        fwrite(c.hdr, G.hdr_size, 1, out);
        fwrite(c.code, 1, head(&c)->code_bytes, out);
        if (ref) {
            fwrite(c.hdr, G.hdr_size, 1, ref);
            fwrite(c.ref, 1, head(&c)->code_bytes, ref);
        }
    }
    err = fclose(out);
    if (ref)
        err |= fclose(ref);
    return err ? 2 : 0;
}

/* The code as an assembler file, one directive per instruction. */
static void write_asm(const char *path, const uint8_t *code, uint32_t bytes)
{
    FILE *f = open_out(path);
    fputs(G.asm_head, f);
    for (uint32_t at = 0; at < bytes;) {
        unsigned size = G.insn_size ? G.insn_size(code + at) : 4;
        uint32_t w = 0;
        for (unsigned b = 0; b < size; b++)
            w |= (uint32_t)code[at + b] << (8 * b);
        fprintf(f, G.asm_insn, w);
        at += size;
    }
    fclose(f);
}

static int cmd_show(const struct opts *o, bool count_only)
{
    static struct fzg_case c;
    make_case(o, o->first, &c);
    encode(o, &c);
    if (count_only) {
        printf("%d\n", c.nitems);
        return 0;
    }
    printf("case %ld of seed %llu (%d items, %u code bytes at 0x%lx):\n", o->first,
           (unsigned long long)o->seed, c.nitems, head(&c)->code_bytes, (unsigned long)FZ_CODE_ADDR);
    for (int i = 0; i < c.nitems; i++)
        if (kept(o, i)) {
            printf("  [%3d] %-*s |", i, G.text_width, c.items[i].text);
            for (int k = 0; k < c.items[i].n; k++)
                printf(" %0*x", c.items[i].in[k].size * 2, c.items[i].in[k].w);
            printf("\n");
        }
    G.print_state(c.hdr);
    if (o->blob)
        write_asm(o->blob, c.code, head(&c)->code_bytes);
    return 0;
}

/* ---- records: "IDX REG... memhash" or "IDX crash WHY" */

#define MAX_VALS 128
struct rec { long idx; bool crash; char why[64]; uint64_t v[MAX_VALS]; };

static unsigned nvals(void) { return G.nregs + 1; }

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
        for (unsigned i = 0; i < nvals(); i++, p = e) {
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
    return memcmp(a->v, b->v, nvals() * sizeof a->v[0]) == 0;
}

/* Reads the header of case idx into hdr and returns idx, or -1 when the
 * file has no case idx; with idx < 0 returns the number of cases. */
static long read_case(const char *path, long idx, void *hdr)
{
    FILE *f = fopen(path, "rb");
    struct fz_case_head *h = hdr;
    long i = 0;
    if (!f)
        return -1;
    for (; fread(hdr, G.hdr_size, 1, f) == 1 && h->magic == G.magic; i++) {
        if (i == idx) {
            fclose(f);
            return idx;
        }
        fseek(f, h->code_bytes, SEEK_CUR);
    }
    fclose(f);
    return idx < 0 ? i : -1;
}

static int cmd_diff(char **argv)
{
    static uint64_t hdr[MAX_HDR / 8];
    long na, nb, ncase = read_case(argv[0], -1, hdr), bad = 0;
    struct rec *a = read_recs(argv[1], &na), *b = read_recs(argv[2], &nb);
    for (long i = 0; i < ncase; i++)
        if (!same(find(a, na, i), find(b, nb, i))) {
            printf("%ld\n", i);
            bad++;
        }
    return bad ? 1 : 0;
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
                printf("  buffer lines that differ (%s+offset: reference / test):\n", G.base_name);
            printf("    +%03x  %s\n          %s  <<\n", i * 16, ma[i], mb[i]);
        }
}

static void describe(const void *hdr, unsigned i, struct fzg_value *v)
{
    if (i < G.nregs) {
        G.value(hdr, i, v);
        return;
    }
    *v = (struct fzg_value){ .name = "memhash" };
}

static int cmd_report(char **argv)
{
    static uint64_t hdr[MAX_HDR / 8];
    long idx = strtol(argv[1], NULL, 10), na, nb;
    struct rec *a = read_recs(argv[2], &na), *b = read_recs(argv[3], &nb);
    const struct rec *ra = find(a, na, idx), *rb = find(b, nb, idx);
    if (idx < 0 || read_case(argv[0], idx, hdr) != idx) {
        fprintf(stderr, "%s: no case %ld in %s\n", G.prog, idx, argv[0]);
        return 2;
    }
    printf("final state: register, initial, reference (qemu), test (ferry); '<<' marks a difference\n");
    print_rec_side("reference", ra);
    print_rec_side("test", rb);
    if (!ra || !rb || ra->crash || rb->crash)
        return 1;
    for (unsigned i = 0; i < nvals(); i++) {
        struct fzg_value v;
        bool differ = ra->v[i] != rb->v[i];
        describe(hdr, i, &v);
        if (!differ && ra->v[i] == v.init && !v.always)
            continue;
        printf("  %-7s %016llx  %016llx  %016llx%s\n", v.name, (unsigned long long)v.init,
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
            m |= (1u << G.nclasses) - 1;
            continue;
        }
        for (i = 0; i < G.nclasses && strcmp(tok, G.class_names[i]) != 0; i++)
            ;
        if (i == G.nclasses) {
            fprintf(stderr, "%s: unknown class '%s' (all", G.prog, tok);
            for (i = 0; i < G.nclasses; i++)
                fprintf(stderr, ", %s", G.class_names[i]);
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
    while ((ch = getopt(argc, argv, G.separate_ref ? "s:f:n:l:c:k:o:r:b:" : "s:f:n:l:c:k:o:b:")) != -1)
        switch (ch) {
        case 's': o->seed = strtoull(optarg, NULL, 0); break;
        case 'f': o->first = strtol(optarg, NULL, 0); break;
        case 'n': o->count = strtol(optarg, NULL, 0); break;
        case 'l': o->len = strtol(optarg, NULL, 0); break;
        case 'c': o->classes = parse_classes(optarg); break;
        case 'k': o->keep = optarg; break;
        case 'o': o->out = optarg; break;
        case 'r': o->ref = optarg; break;
        case 'b': o->blob = optarg; break;
        default: exit(2);
        }
    if (o->len < 1 || o->len > 1000) {
        fprintf(stderr, "%s: -l wants 1..1000 instructions per case\n", G.prog);
        exit(2);
    }
}

static int usage(void)
{
    const char *r = G.separate_ref ? " -r refout" : "";
    fprintf(stderr, "usage: %s gen|show|count [-s seed -f first -n count -l len -c classes "
                    "-k keep -o out%s -b blob]\n"
                    "       %s diff CASES REF TEST | %s report CASES IDX REF TEST\n",
            G.prog, r, G.prog, G.prog);
    return 2;
}

int main(int argc, char **argv)
{
    struct opts o;
    const char *cmd = argc > 1 ? argv[1] : "";
    if (G.hdr_size > MAX_HDR || G.nregs + 1 > MAX_VALS || G.nclasses >= 32) {
        fprintf(stderr, "%s: the guest table is beyond fuzzgen's limits\n", G.prog);
        return 2;
    }
    if (strcmp(cmd, "diff") == 0 && argc == 5)
        return cmd_diff(argv + 2);
    if (strcmp(cmd, "report") == 0 && argc == 6)
        return cmd_report(argv + 2);
    if (strcmp(cmd, "gen") == 0 || strcmp(cmd, "show") == 0 || strcmp(cmd, "count") == 0) {
        parse(argc - 1, argv + 1, &o);
        if (cmd[0] == 'g' && (!o.out || (G.separate_ref && !o.ref))) {
            fprintf(stderr, G.separate_ref ? "%s gen: -o OUT and -r REFOUT are needed\n"
                                           : "%s gen: -o OUT is needed\n", G.prog);
            return 2;
        }
        return cmd[0] == 'g' ? cmd_gen(&o) : cmd_show(&o, cmd[0] == 'c');
    }
    return usage();
}
