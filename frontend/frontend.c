/* Picks the guest frontend: by ELF machine (the loader) or by name
 * (ferry-riscv64, -cpu).  One row per guest. */
#include <string.h>

#include "frontend/frontend.h"

static const frontend *const frontends[] = {
    &frontend_riscv64,
    &frontend_aarch64,
};

static ir_val answer(const frontend *fe, ir_block *b, const frontend_answer *a)
{
    const ir_helper *h = a->h;
    ir_val x[3];
    if (a->build)
        return a->build(b, ir_ctx_load(b, IR_I64, fe->call_arg[0]));
    for (int i = 0; i < 3; i++)
        x[i] = h && i < h->nargs ? ir_ctx_load(b, IR_I64, fe->call_arg[i]) : IR_NONE;
    return h ? ir_call(b, h, x[0], x[1], x[2]) : ir_const(b, IR_I64, (int64_t)a->value);
}

/* The callee's bytes are not the block's: it does not cover them (a
 * direct call stays in its module, which goes as a whole, caller too). */
void frontend_inline(const frontend *fe, ir_block *b, uint64_t pc, const frontend_answer *a)
{
    (void)pc;
    ir_ctx_store(b, answer(fe, b, a), fe->call_ret);
}

void frontend_routine(const frontend *fe, ir_block *b, uint64_t pc, const frontend_answer *a)
{
    ir_insn_start(b, pc);
    ir_ctx_store(b, answer(fe, b, a), fe->call_ret);
    ir_goto_return(b, ir_ctx_load(b, IR_I64, fe->call_link));
    ir_cover(b, pc, 4); /* one instruction's worth: a write there drops it */
    b->n_guest = 1;
}

const frontend *frontend_for_elf(uint16_t machine)
{
    for (size_t i = 0; i < sizeof frontends / sizeof frontends[0]; i++)
        if (frontends[i]->elf_machine == machine)
            return frontends[i];
    return NULL;
}

const frontend *frontend_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof frontends / sizeof frontends[0]; i++)
        if (!strcmp(frontends[i]->name, name))
            return frontends[i];
    return NULL;
}
