/* Dropping every translation while other threads may be running
 * translated code.
 *
 * A flush (cache full, fence.i, code unmapped) must not reuse the code
 * buffer while another thread executes in it.  So it first unchains every
 * block (each direct exit jumps back to its own exit stub), publishes a
 * new generation, and waits until no other thread is inside code: a
 * thread inside leaves at its next block end, since nothing is chained
 * any more.  A thread about to enter sets in_code, then checks the
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
    if (!t || !(t->ibtc = calloc(X86_IBTC_SIZE, sizeof *t->ibtc)))
        abort();
    t->e = e;
    pthread_mutex_lock(&e->lock);
    t->next = e->threads;
    e->threads = t;
    pthread_mutex_unlock(&e->lock);
    pthread_setspecific(e->thread_key, t);
    return engine_self = t;
}

void engine_thread_bind(engine *e, void *cpu)
{
    engine_thread *t = this_thread(e);
    t->cpu = cpu;
    memcpy((char *)cpu + e->fe->engine_offset + X86_ENG_IBTC, &t->ibtc, sizeof t->ibtc);
}

void engine_ibtc_fill(engine *e, uint64_t pc, uint64_t code)
{
    x86_ibtc_entry *slot = &this_thread(e)->ibtc[x86_ibtc_index(pc)];
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
    for (engine_thread *t = e->threads; t; t = t->next)
        memset(t->ibtc, 0, X86_IBTC_SIZE * sizeof *t->ibtc);
    atomic_store(&e->gen, tcache_generation(e->tc) + 1);
    for (engine_thread *t = e->threads; t; t = t->next)
        while (t != engine_self && atomic_load(&t->in_code))
            sched_yield();
    tcache_flush(e->tc);
}
