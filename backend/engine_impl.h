/* The translator engine's own state, shared by translate.c (guest code to
 * a cached block) and exec.c (running blocks, chaining, exits). */
#ifndef FERRY_ENGINE_IMPL_H
#define FERRY_ENGINE_IMPL_H

#include <pthread.h>

#include "backend/engine.h"
#include "backend/tcache.h"
#include "backend/x86_64/x86.h"

struct engine {
    const frontend *fe;
    engine_opts opts;
    tcache *tc;
    ir_block *ir;           /* reused for every translation */
    x86_enter_fn enter;
    x86_target target;
    uint64_t mapped_page;   /* last guest page seen mapped (UINT64_MAX: none) */
    pthread_mutex_t lock;   /* translation is serialized, execution is not */
    uint64_t n_blocks, n_guest_insns, n_chains;
};

/* The block for pc, translating it if needed (takes e->lock); *gen is
 * the cache generation its code belongs to. */
tc_block engine_block(engine *e, uint64_t pc, uint64_t *gen);

#endif
