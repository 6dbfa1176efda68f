/* Guest code to a cached host block: frontend → IR passes → x86-64
 * lowering → translation cache, with the -d logs of each stage. */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "backend/engine_impl.h"
#include "backend/tcfile.h"
#include "ir/opt/opt.h"

/* Ferry's own image: helpers and tables a block may name (x86_relocs_out). */
extern const char __executable_start[], _end[];

static void log_in_asm(engine *e, const ir_block *b)
{
    FILE *f = e->opts.logfile;
    fprintf(f, "IN: 0x%" PRIx64 "\n", b->guest_pc);
    char text[128];
    for (uint32_t i = 0; i < b->n; i++) { /* in block order: it may follow jumps */
        if (b->insns[i].op != IR_INSN_START)
            continue;
        uint64_t pc = (uint64_t)b->insns[i].imm;
        int len = e->fe->disas(pc, text, sizeof text);
        fprintf(f, "0x%08" PRIx64 ":  %s\n", pc, len ? text : "(unknown)");
    }
    fputc('\n', f);
}

static void log_ir(engine *e, const ir_block *b, const char *title)
{
    fprintf(e->opts.logfile, "%s: 0x%" PRIx64 "\n", title, b->guest_pc);
    ir_print(b, e->opts.logfile, e->fe->ctx_name);
    fputc('\n', e->opts.logfile);
}

/* With opts.verify (the tests run so): the IR after a stage must be valid. */
static void check(engine *e, const ir_block *b, const char *stage)
{
    char err[160];
    if (!e->opts.verify || ir_verify(b, err, sizeof err))
        return;
    fprintf(stderr, "ferry: internal error: IR of block 0x%" PRIx64 " after %s: %s\n",
            b->guest_pc, stage, err);
    ir_print(b, stderr, e->fe->ctx_name);
    abort();
}

/* Keep a block just lowered at rw for the next run, if it can move. */
static void file_add(engine *e, const tc_block *tb, uint64_t hash, uint64_t answer,
                     const tc_exit *exits, const uint8_t *rw, const x86_lowered *out,
                     const tc_insn_pc *pcs, uint32_t n)
{
    uint8_t *code = out->movable ? malloc(tb->size) : NULL;
    if (!code)
        return;
    memcpy(code, rw, tb->size);
    uint64_t to[TC_MAX_EXITS];
    for (uint32_t i = 0; i < out->n_exits; i++)
        to[i] = out->exits[i].target_pc;
    if (x86_relocs_out(code, tb->code, out->relocs, out->n_relocs,
                       (uint64_t)(uintptr_t)__executable_start, (uint64_t)(uintptr_t)_end))
        tcfile_add(e->file, &(tcfile_new){.tb = tb, .guest_hash = hash, .answer = answer,
                                          .exits = exits,
                                          .exit_pc = to, .code = code, .pcs = pcs, .n_pcs = n,
                                          .relocs = out->relocs, .n_relocs = out->n_relocs});
    free(code);
}

/* Lower into the cache, flushing it once if the block does not fit;
 * keep: the block may be kept for the next run (engine_file_open), with
 * answer (not 0) when it is a host routine's. */
static const tc_block *lower(engine *e, const ir_block *b, bool keep, uint64_t answer)
{
    uint32_t n_starts = 0, n_map = 0;
    for (uint32_t i = 0; i < b->n; i++)
        n_starts += b->insns[i].op == IR_INSN_START;
    x86_insn_map *map = ir_scratch(b, IR_SCRATCH_BACKEND2, (n_starts + 1) * sizeof *map);
    tc_insn_pc *pcs = ir_scratch(b, IR_SCRATCH_BACKEND3, (n_starts + 1) * sizeof *pcs);
    for (int attempt = 0; attempt < 2; attempt++) {
        uint8_t *rw;
        uint64_t rx;
        size_t cap = tcache_reserve(e->tc, &rw, &rx), table = tcache_block_bytes(0, n_starts);
        x86_lowered out;
        int size = cap < table + 8 ? -1 :
            x86_lower_block_map(b, &e->target, rw, cap - table - 8, rx, &out, map, &n_map);
        if (size >= 0) {
            uint64_t hash = XXH3_64bits((const void *)(uintptr_t)b->guest_lo,
                                        b->guest_end - b->guest_lo);
            if (e->opts.log & ENGINE_LOG_OUT_ASM) {
                fprintf(e->opts.logfile, "OUT: [size=%d]\n", size);
                x86_disas_block(e->opts.logfile, rw, (size_t)size, rx, out.exits, out.n_exits);
                fputc('\n', e->opts.logfile);
            }
            tc_block tb = {.guest_pc = b->guest_pc, .guest_lo = b->guest_lo,
                           .guest_end = b->guest_end, .code = rx, .size = (uint32_t)size,
                           .n_exits = (uint8_t)out.n_exits,
                           .flags = out.fixed_in_ctx ? ENGINE_FIXED_IN_CTX : 0,
                           .entry_skip = (uint16_t)out.entry_skip};
            _Static_assert(X86_MAX_EXITS <= TC_MAX_EXITS, "every exit is recorded");
            tc_exit exits[TC_MAX_EXITS];
            for (uint32_t i = 0; i < out.n_exits; i++)
                exits[i] = (tc_exit){.jmp_off = out.exits[i].jmp_off,
                                     .stub_off = out.exits[i].stub_off};
            for (uint32_t i = 0; i < n_map; i++)
                pcs[i] = (tc_insn_pc){.host_off = map[i].host_off, .guest_pc = map[i].pc};
            if (keep && e->file)
                file_add(e, &tb, hash, answer, exits, rw, &out, pcs, n_map);
            return tcache_commit_pcs(e->tc, &tb, exits, pcs, n_map);
        }
        engine_flush(e);
    }
    /* It failed in an empty cache too: the backend cannot lower it. */
    fprintf(stderr, "ferry: internal error: the x86-64 backend cannot lower block 0x%" PRIx64 ":\n",
            b->guest_pc);
    ir_print(b, stderr, e->fe->ctx_name);
    abort();
}

/* --perfmap: /tmp/perf-PID.map, opened at the first block (a forked
 * child starts an engine of its own, thread.c).  Line-buffered, so that
 * nothing is lost however the process ends, execve included. */
static FILE *perfmap_file(engine *e)
{
    if (e->perfmap)
        return e->perfmap;
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
    e->perfmap = fopen(path, "a");
    if (e->perfmap)
        setvbuf(e->perfmap, NULL, _IOLBF, 0);
    return e->perfmap;
}

static void perfmap_write(engine *e, const tc_block *tb)
{
    FILE *f = perfmap_file(e);
    char name[256];
    if (!f)
        return;
    if (!e->opts.symbol || !e->opts.symbol(e->opts.symbol_arg, tb->guest_pc, name, sizeof name))
        snprintf(name, sizeof name, "guest:0x%" PRIx64, tb->guest_pc);
    fprintf(f, "%" PRIx64 " %" PRIx32 " %s\n", tb->code, tb->size, name);
}

/* Whether the page holding pc is mapped (executable, when the embedder
 * says: engine_opts.executable), so the frontend may read it.  The last
 * page found so is remembered until guest code changes
 * (engine_invalidate, which the embedder calls once its own map says what
 * is there now): a block loaded from the file asked the embedder's map,
 * under its lock, for each of its pages.  A mapped but unreadable page
 * is not caught yet. */
static bool mapped(engine *e, uint64_t pc)
{
    uint64_t page = pc & ~(uint64_t)4095;
    unsigned char v;
    if (page == e->mapped_page)
        return true;
    if (e->opts.executable ? !e->opts.executable(e->opts.exec_arg, pc)
                           : mincore((void *)(uintptr_t)page, 1, &v) != 0)
        return false;
    e->mapped_page = page;
    return true;
}

/* Whether a routine answers the guest function at pc.  Also in debug mode,
 * where a call of one is a single step: an IFUNC's entry in the guest has
 * no instructions to step through. */
static bool routine_at(engine *e, uint64_t pc, engine_routine *r)
{
    return e->opts.routine && !opt_listed(e->opts.disabled_passes, "routines") &&
           e->opts.routine(e->opts.routine_arg, pc, r);
}

/* ir_block.stop_at: a routine's entry is a block of its own. */
static bool routine_entry(void *eng, uint64_t pc)
{
    engine_routine r;
    return routine_at(eng, pc, &r);
}

/* The constant the block last stored into the CPU-state slot off, if any. */
static bool stored_const(const ir_block *b, uint32_t off, uint64_t *v)
{
    for (uint32_t i = b->n; i-- > 0;) {
        const ir_insn *in = &b->insns[i];
        if (in->op == IR_CTX_STORE && (uint32_t)in->imm == off) {
            const ir_insn *x = &b->insns[in->a[0]];
            *v = (uint64_t)x->imm;
            return x->op == IR_CONST && x->type == IR_I64;
        }
        if (ir_info(in->op)->flags & F_WRITES_CTX)
            return false;
    }
    return false;
}

/* ir_block.inline_call: a call of a routine that IR answers, whose return
 * address the block has just stored, becomes that IR. */
static bool inline_call(void *eng, ir_block *b, uint64_t pc, uint64_t *resume, bool emit)
{
    engine *e = eng;
    engine_routine r;
    if (!routine_at(e, pc, &r) || !r.build || !stored_const(b, e->fe->call_link, resume))
        return false;
    if (emit) {
        frontend_inline(e->fe, b, pc, &r);
        e->n_routines++;
    }
    return true;
}

/* Whether every page of [lo, end) may run and its bytes hash to hash. */
static bool guest_same(engine *e, uint64_t lo, uint64_t end, uint64_t hash)
{
    for (uint64_t p = lo & ~(uint64_t)4095; p < end; p += 4096)
        if (!mapped(e, p < lo ? lo : p))
            return false;
    return XXH3_64bits((const void *)(uintptr_t)lo, end - lo) == hash;
}

/* Where a link from the instruction at from lands in target: past its
 * stop check when target lies ahead (x86_lowered.entry_skip). */
static uint64_t link_to(uint64_t from, const tc_block *target)
{
    return target->code + (target->guest_pc > from ? target->entry_skip : 0);
}

void engine_link(engine *e, uint64_t jmp_rx, uint64_t from, const tc_block *target)
{
    engine_patch_jmp(e, jmp_rx, link_to(from, target));
    e->n_chains++;
}

void engine_patch_jmp(engine *e, uint64_t jmp_rx, uint64_t target)
{
    if (!tcache_in_image(e->tc, jmp_rx)) {
        x86_patch_jmp(tcache_rw(e->tc, jmp_rx + 1), jmp_rx, target);
        return;
    }
    int32_t rel;
    x86_patch_jmp((uint8_t *)&rel, jmp_rx, target);
    if (!tcache_patch_image(e->tc, jmp_rx + 1, &rel, 4)) {
        perror("ferry: patching the cache file's code");
        abort(); /* (a jmp into a block that is not sound must not stay) */
    }
}

/* A block loaded from the file whose exits are still to be chained:
 * where each leads, and the guest pc of the instruction it leaves from. */
typedef struct file_link {
    const tc_block *tb;
    uint64_t to[TC_MAX_EXITS], from[TC_MAX_EXITS];
    bool prechained[TC_MAX_EXITS]; /* it already jumps to to's place in the image */
} file_link;

typedef struct file_links {
    file_link *l;
    size_t n, cap;
} file_links;

/* What identifies a host routine's answer across processes: its helper
 * and builder as offsets in Ferry's image (which ASLR moves), its value;
 * never 0. */
static uint64_t answer_id(const engine_routine *r)
{
    uint64_t image = (uint64_t)(uintptr_t)__executable_start;
    uint64_t id[3] = {r->h ? (uint64_t)(uintptr_t)r->h - image : 0,
                      r->build ? (uint64_t)(uintptr_t)r->build - image : 0, r->value};
    uint64_t k = XXH3_64bits(id, sizeof id);
    return k ? k : 1;
}

/* Whether a block made for the host routine answer identifies is still
 * the block for pc: the same routine answers there now. */
static bool answer_same(engine *e, uint64_t pc, uint64_t answer)
{
    engine_routine r;
    return routine_at(e, pc, &r) && answer_id(&r) == answer;
}

/* The block for pc from the file of an earlier run, if its guest bytes
 * are still the ones it was made from: its code copied into the cache
 * (its table stays in the mapped file), and its exits pushed onto links
 * (NULL: the cache is full, or no memory). */
static const tc_block *load(engine *e, uint64_t pc, file_links *links)
{
    tcfile_block fb;
    if (!tcfile_find(e->file, pc, &fb) ||
        !guest_same(e, fb.tb.guest_lo, fb.tb.guest_end, fb.guest_hash) ||
        (fb.answer && !answer_same(e, pc, fb.answer)))
        return NULL;
    if (links->n == links->cap) {
        size_t c = links->cap ? 2 * links->cap : 64;
        file_link *l = realloc(links->l, c * sizeof *l);
        if (!l)
            return NULL;
        links->l = l, links->cap = c;
    }
    const tc_block *tb;
    uint64_t image = tcache_image_rx(e->tc);
    bool in_image = image && fb.in_image && tcfile_image_sound(e->file, fb.image_at, fb.tb.size);
    if (in_image) { /* where it lies, its exits into the image already chained */
        fb.tb.code = image + fb.image_at;
        tb = tcache_adopt(e->tc, &fb.tb, fb.exits);
    } else {
        uint8_t *rw;
        uint64_t rx;
        size_t cap = tcache_reserve(e->tc, &rw, &rx);
        if (cap < fb.tb.size + 8)
            return NULL; /* full: translating flushes */
        if (!tcfile_code(e->file, &fb, rw) ||
            !x86_relocs_in(rw, fb.tb.size, rx, fb.relocs, fb.n_relocs, &e->target,
                           (uint64_t)(uintptr_t)__executable_start))
            return NULL;
        fb.tb.code = rx;
        tb = tcache_commit_table(e->tc, &fb.tb, fb.exits, fb.table);
    }
    e->n_from_file++;
    e->n_routines += fb.answer != 0;
    file_link *l = &links->l[links->n++];
    l->tb = tb;
    for (uint32_t i = 0; i < fb.tb.n_exits; i++) {
        l->to[i] = fb.exit_pc[i];
        l->from[i] = fb.exit_from[i];
        l->prechained[i] = in_image && fb.prechained[i];
    }
    if (e->opts.perfmap)
        perfmap_write(e, tb);
    return tb;
}

/* How many more blocks a miss may load from the file than the one it
 * asked for.  Each block the file has where a loaded block's direct exit
 * leads is loaded too (and theirs, depth first) and chained at once:
 * each exit chained so is one the code need not leave through the first
 * time (the leave, lookup and patch of exec.c's chain; about 1,000
 * instructions).  Without a bound a miss would load every block the
 * file can reach, blocks other runs of the program needed too: Debian's
 * cc1 compiling a small file after a big -O2 one loaded 87,000 blocks for
 * 48,000 used.  16 (a block the file does not have costs nothing): 55,000
 * loaded, exits left to chain 45,000 -> 5,300; a dynamic hello's
 * 1,760 -> 160. */
#define FILE_LINK_BUDGET 16

/* An exit of the image already jumping to its target's place there:
 * the block for the target must be taken (checked) before any code runs
 * that could reach it, whatever the budget; where none is sound the
 * exit goes back to its stub, and where the block for the pc lies
 * elsewhere (copied: its image code was damaged) the exit goes there. */
static void check_prechained(engine *e, const file_link *l, uint32_t i, file_links *links)
{
    const tc_exit *x = &tcache_exits(e->tc, l->tb)[i];
    uint64_t jmp = l->tb->code + x->jmp_off;
    const tc_block *t = tcache_lookup(e->tc, l->to[i]);
    if (!t)
        t = load(e, l->to[i], links);
    int32_t rel;
    memcpy(&rel, (const void *)(uintptr_t)(jmp + 1), 4);
    uint64_t now = jmp + 5 + (uint64_t)(int64_t)rel;
    if (!t)
        engine_patch_jmp(e, jmp, l->tb->code + x->stub_off);
    else if (now != link_to(l->from[i], t))
        engine_link(e, jmp, l->from[i], t);
}

/* The block for pc from the file, with up to FILE_LINK_BUDGET blocks its
 * exits lead to, all chained to what is in the cache: a block of an
 * earlier run is likely to run again with the blocks it ran with.
 * Blocks of the image come with every block their chained exits lead
 * to, and theirs (all checked: the image is mapped, not copied). */
static const tc_block *from_file(engine *e, uint64_t pc)
{
    file_links links = {0};
    unsigned budget = FILE_LINK_BUDGET;
    const tc_block *first = load(e, pc, &links);
    while (links.n) {
        file_link l = links.l[--links.n];
        const tc_exit *x = tcache_exits(e->tc, l.tb);
        for (uint32_t i = 0; i < l.tb->n_exits; i++) {
            if (l.prechained[i]) {
                check_prechained(e, &l, i, &links);
                continue;
            }
            const tc_block *t = tcache_lookup(e->tc, l.to[i]);
            if (!t && budget && (t = load(e, l.to[i], &links)))
                budget--;
            if (t && !e->opts.no_chain)
                engine_link(e, l.tb->code + x[i].jmp_off, l.from[i], t);
        }
    }
    free(links.l);
    return first;
}

static const tc_block *translate(engine *e, uint64_t pc)
{
    const tc_block *tb = e->file && !e->debug ? from_file(e, pc) : NULL;
    if (tb)
        return tb;
    uint64_t routines = e->n_routines;
    ir_block *b = e->ir;
    ir_block_reset(b, pc);
    b->no_follow = opt_listed(e->opts.disabled_passes, "superblocks");
    b->no_side_exits = opt_listed(e->opts.disabled_passes, "sideexits");
    b->stop_at = e->opts.routine ? routine_entry : NULL;
    b->inline_call = e->opts.routine ? inline_call : NULL;
    b->stop_arg = e;
    b->max_insns = e->debug ? 1 : 0;
    engine_routine r;
    bool routine = false;
    if (!mapped(e, pc))
        ir_trap(b, IR_TRAP_FETCH, pc);
    else if ((routine = routine_at(e, pc, &r)))
        frontend_routine(e->fe, b, pc, &r);
    else
        e->fe->translate(b, pc);
    e->n_routines += routine;
    /* A block that inlines a routine's call is not kept (it would need the
     * callee's answer checked too); a routine's own block is, with its
     * answer's identity, checked with the guest bytes it covers. */
    bool keep = !e->debug && e->n_routines == routines + routine && b->guest_end > b->guest_lo;
    check(e, b, "the frontend");
    if (e->opts.log & ENGINE_LOG_IN_ASM)
        log_in_asm(e, b);
    if (e->opts.log & ENGINE_LOG_OP)
        log_ir(e, b, "OP");
    opt_run(b, e->opts.disabled_passes);
    check(e, b, "the passes");
    if (e->opts.log & ENGINE_LOG_OP_OPT)
        log_ir(e, b, "OP after optimization");
    e->n_blocks++;
    e->n_guest_insns += b->n_guest;
    tb = lower(e, b, keep, routine ? answer_id(&r) : 0);
    e->n_host_bytes += tb->size;
    if (e->opts.perfmap)
        perfmap_write(e, tb);
    return tb;
}

/* Lookups take the lock too: another thread may be growing the map.
 * The returned copy stays valid after the lock is dropped (the map may
 * move; the code it names stays until the flush that ends *gen).
 * indirect: pc was the target of an indirect jump. */
tc_block engine_block(engine *e, uint64_t pc, uint64_t *gen, bool indirect)
{
    pthread_mutex_lock(&e->lock);
    const tc_block *tb = tcache_lookup(e->tc, pc);
    if (!tb && e->opts.stats) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        tb = translate(e, pc);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        e->translate_ns += (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000 + t1.tv_nsec - t0.tv_nsec);
    } else if (!tb) {
        tb = translate(e, pc);
    }
    if (indirect)
        e->n_lookups++;
    if (indirect && !e->debug) /* the next indirect jump here need not leave the code */
        engine_ibtc_fill(e, pc, tb->code);
    tc_block copy = *tb;
    *gen = tcache_generation(e->tc);
    pthread_mutex_unlock(&e->lock);
    return copy;
}

/* ---- The persistent cache (tcfile.h) */

/* What makes the same guest bytes translate to the same code: Ferry's
 * build, the host CPU's features, the guest, the options that shape code. */
static uint64_t file_key(const engine *e, const uint8_t *id, unsigned n)
{
    uint64_t k = XXH3_64bits(id, n);
    k = XXH3_64bits_withSeed(&x86_cpu, sizeof x86_cpu, k);
    k = XXH3_64bits_withSeed(e->fe->name, strlen(e->fe->name), k);
    uint32_t t[2 + X86_MAX_FIXED] = {e->target.no_loops, e->target.n_fixed};
    for (int i = 0; i < e->target.n_fixed; i++)
        t[2 + i] = e->target.fixed_off[i];
    k = XXH3_64bits_withSeed(t, sizeof t, k);
    const char *off = e->opts.disabled_passes ? e->opts.disabled_passes : "";
    return XXH3_64bits_withSeed(off, strlen(off), k);
}

/* The most of a file's blocks made in advance: a run may use few of a
 * big program's blocks, and each populated page is memory. */
#define PREFAULT_MAX ((size_t)4 << 20)

/* tcache's image_pc: the file's records say. */
static bool image_pc(void *file, uint64_t off, uint64_t *guest_pc, uint8_t *flags)
{
    return tcfile_image_pc(file, off, guest_pc, flags);
}

/* Where this run's buffer is, for the file's image: only a Ferry linked
 * at a fixed address (ET_EXEC: configure.ac) puts its buffer and its
 * helpers at the same addresses every run; a position-independent one
 * gets none (0). */
static tcfile_place place_here(const engine *e)
{
    const Elf64_Ehdr *self = (const void *)__executable_start;
    if (self->e_type != ET_EXEC || !tcache_placed(e->tc))
        return (tcfile_place){0};
    return (tcfile_place){.rx = tcache_rx(e->tc), .image_p = tcache_image_offset(e->tc),
                          .host = (uint64_t)(uintptr_t)__executable_start,
                          .leave = e->target.leave};
}

/* The file's image over the RX view where it was made to run, if it
 * was made for this run's place. */
static bool image_open(engine *e)
{
    size_t len = tcfile_image_len(e->file);
    if (!len || e->opts.no_chain || !tcache_set_image(e->tc, len, image_pc, e->file))
        return false;
    if (!tcfile_map_image(e->file, (void *)(uintptr_t)(tcache_rx(e->tc) +
                                                       tcache_image_offset(e->tc)))) {
        tcache_flush(e->tc); /* (the buffer goes on past where it would have been) */
        return false;
    }
    return true;
}

void engine_file_open(engine *e)
{
    const unsigned shown = ENGINE_LOG_IN_ASM | ENGINE_LOG_OP | ENGINE_LOG_OP_OPT | ENGINE_LOG_OUT_ASM;
    uint8_t id[64];
    unsigned n;
    if (!e->opts.cache_file || (e->opts.log & shown) || !(n = tcfile_build_id(id, sizeof id))) {
        e->opts.cache_file = NULL;
        tcache_prefault(e->tc, 0, 0);
        return;
    }
    x86_cpu_init();
    e->file = tcfile_open(e->opts.cache_file, file_key(e, id, n));
    uint64_t blocks = 0;
    size_t bytes = 0;
    if (e->file) {
        tcfile_place here = place_here(e);
        tcfile_set_place(e->file, &here);
        tcfile_extent(e->file, &blocks, &bytes);
        if (image_open(e))
            bytes = 0; /* (its code is the file's pages) */
        else
            tcfile_map_image(e->file, NULL); /* (closes the file) */
    }
    tcache_prefault(e->tc, bytes < PREFAULT_MAX ? bytes : PREFAULT_MAX,
                    blocks < PREFAULT_MAX / 64 ? blocks : PREFAULT_MAX / 64);
    e->opts.cache_file = NULL; /* (the caller's, freed) */
}

bool engine_save(engine *e)
{
    if (!e->file)
        return true;
    pthread_mutex_lock(&e->lock);
    bool ok = tcfile_save(e->file);
    pthread_mutex_unlock(&e->lock);
    return ok;
}
