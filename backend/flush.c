/* Dropping every translation while other threads may be running
 * translated code.
 *
 * A flush (cache full, fence.i, code unmapped) must not reuse the code
 * buffer while another thread executes in it.  So it first unchains every
 * block (each direct exit jumps back to its own exit stub; a cache
 * file's image, whose chains stay, gets each thread kicked instead),
 * publishes a new generation, and waits until no other thread is inside
 * code: a thread inside leaves at its next block end, since nothing is
 * chained any more.  A thread about to enter sets in_code, then checks the
 * generation it looked its block up in; a flush between the two makes it
 * look up again.  Both sides use sequentially consistent atomics, so
 * either the flusher sees in_code or the thread sees the new generation.
 * Indirect-branch caches are per thread, filled under the engine lock and
 * emptied by the flush before it waits, so no thread loops in old code
 * through them either.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "backend/engine_impl.h"

__thread engine_thread *engine_self;

/* A thread that ran guest code has ended: forget it. */
static void thread_gone(void *arg)
{
    engine_thread *t = arg;
    engine *e = t->e;
    pthread_mutex_lock(&e->lock);
    for (engine_thread **p = &e->threads; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            break;
        }
    pthread_mutex_unlock(&e->lock);
    free(t->ibtc);
    free(t);
}

void engine_threads_init(engine *e)
{
    pthread_key_create(&e->thread_key, thread_gone);
    engine_self = NULL; /* after fork, the child's old record names the old engine */
}

static engine_thread *this_thread(engine *e)
{
    if (engine_self && engine_self->e == e)
        return engine_self;
    engine_thread *t = calloc(1, sizeof *t);
    if (!t || !(t->ibtc = calloc(X86_IBTC_MIN, sizeof *t->ibtc)))
        abort();
    t->ibtc_size = X86_IBTC_MIN;
    t->e = e;
    pthread_mutex_lock(&e->lock);
    t->next = e->threads;
    e->threads = t;
    pthread_mutex_unlock(&e->lock);
    pthread_setspecific(e->thread_key, t);
    return engine_self = t;
}

/* Tell t's cpu where its cache is and how big. */
static void ibtc_publish(engine *e, engine_thread *t)
{
    uint32_t mask = x86_ibtc_mask(t->ibtc_size);
    memcpy((char *)t->cpu + e->fe->engine_offset + X86_ENG_IBTC, &t->ibtc, sizeof t->ibtc);
    memcpy((char *)t->cpu + e->fe->engine_offset + X86_ENG_IBTC_MASK, &mask, sizeof mask);
}

void engine_thread_bind(engine *e, void *cpu)
{
    engine_thread *t = this_thread(e);
    t->cpu = cpu;
    ibtc_publish(e, t);
}

/* Twice the entries, the filled ones moved over (the thread is outside
 * code, and the flusher takes e->lock, held here). */
static void ibtc_grow(engine *e, engine_thread *t)
{
    uint32_t n = 2 * t->ibtc_size;
    x86_ibtc_entry *c = calloc(n, sizeof *c);
    if (!c)
        return; /* (it stays as it is) */
    t->ibtc_used = 0;
    for (uint32_t i = 0; i < t->ibtc_size; i++)
        if (t->ibtc[i].code) {
            c[x86_ibtc_index(t->ibtc[i].pc, n)] = t->ibtc[i];
            t->ibtc_used++;
        }
    free(t->ibtc);
    t->ibtc = c;
    t->ibtc_size = n;
    if (t->cpu)
        ibtc_publish(e, t);
}

/* Doubled when a quarter full, or an eighth full when pc would evict
 * another target: direct mapped, the cache thrashes fuller, as functions
 * laid out one after another share slots. */
void engine_ibtc_fill(engine *e, uint64_t pc, uint64_t code)
{
    engine_thread *t = this_thread(e);
    const x86_ibtc_entry *at = &t->ibtc[x86_ibtc_index(pc, t->ibtc_size)];
    bool evicts = at->code && at->pc != pc;
    if (t->ibtc_size < X86_IBTC_MAX &&
        (4 * t->ibtc_used >= t->ibtc_size || (evicts && 8 * t->ibtc_used >= t->ibtc_size)))
        ibtc_grow(e, t);
    x86_ibtc_entry *slot = &t->ibtc[x86_ibtc_index(pc, t->ibtc_size)];
    t->ibtc_used += !slot->code;
    slot->pc = pc;
    slot->code = code;
}

bool engine_enter_begin(engine *e, uint64_t gen)
{
    engine_thread *t = this_thread(e);
    atomic_store(&t->in_code, true);
    if (atomic_load(&e->gen) == gen)
        return true;
    atomic_store(&t->in_code, false);
    return false;
}

void engine_enter_end(engine *e)
{
    atomic_store(&engine_self->in_code, false);
}

static void unchain(void *arg, const tc_block *b)
{
    engine *e = arg;
    if (tcache_in_image(e->tc, b->code))
        return; /* (threads in it are kicked out instead) */
    const tc_exit *x = tcache_exits(e->tc, b);
    for (int i = 0; i < b->n_exits; i++) {
        uint64_t jmp = b->code + x[i].jmp_off;
        x86_patch_jmp(tcache_rw(e->tc, jmp + 1), jmp, b->code + x[i].stub_off);
    }
}

void engine_flush(engine *e)
{
    e->n_flushes++;
    tcache_each(e->tc, unchain, e);
    for (engine_thread *t = e->threads; t; t = t->next) {
        memset(t->ibtc, 0, t->ibtc_size * sizeof *t->ibtc);
        t->ibtc_used = 0;
    }
    atomic_store(&e->gen, tcache_generation(e->tc) + 1);
    /* The image's chains stay (patching each would copy its pages): a
     * thread there leaves at its next stop check instead, which every
     * cycle of chained blocks passes (the entry_skip rule). */
    bool image = tcache_image_rx(e->tc) != 0;
    for (engine_thread *t = e->threads; image && t; t = t->next)
        if (t != engine_self && t->cpu)
            engine_kick(e, t->cpu);
    for (engine_thread *t = e->threads; t; t = t->next)
        while (t != engine_self && atomic_load(&t->in_code))
            sched_yield();
    tcache_flush(e->tc);
}
