/* Picks the guest frontend: by ELF machine (the loader) or by name
 * (ferry-riscv64, -cpu).  One row per guest. */
#include <string.h>

#include "frontend/frontend.h"

static const frontend *const frontends[] = {
    &frontend_riscv64,
    &frontend_aarch64,
};

void frontend_routine(const frontend *fe, ir_block *b, uint64_t pc, const ir_helper *h,
                      uint64_t value)
{
    ir_insn_start(b, pc);
    ir_val a[3], r;
    for (int i = 0; i < 3; i++)
        a[i] = h && i < h->nargs ? ir_ctx_load(b, IR_I64, fe->call_arg[i]) : IR_NONE;
    r = h ? ir_call(b, h, a[0], a[1], a[2]) : ir_const(b, IR_I64, (int64_t)value);
    ir_ctx_store(b, r, fe->call_ret);
    ir_goto_ind(b, ir_ctx_load(b, IR_I64, fe->call_link));
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
