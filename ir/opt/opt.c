/* The pass pipeline (drawn in opt.h) and what the passes share. */
#include "ir/opt/opt.h"

#include <stdlib.h>
#include <string.h>

/* The order of this table is the order passes run in. */
const opt_pass opt_passes[] = {
    {"ctx", opt_ctx},
    {"fold", opt_fold},
    {"dce", opt_dce},
};
const int opt_num_passes = sizeof opt_passes / sizeof opt_passes[0];

bool opt_listed(const char *list, const char *name)
{
    if (!list || !*list) /* the usual case, asked several times a block */
        return false;
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, name, n))
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

void opt_run(ir_block *b, const char *disabled)
{
    for (int i = 0; i < opt_num_passes; i++)
        if (!opt_listed(disabled, opt_passes[i].name))
            opt_passes[i].run(b);
}

void opt_compact(ir_block *b, const bool *keep)
{
    ir_val first = 0; /* insns before the first dropped one stay as they are */
    while (first < b->n && keep[first])
        first++;
    if (first == b->n)
        return;
    ir_val *renum = ir_scratch(b, IR_SCRATCH_RENUM, b->n * sizeof *renum);
    for (ir_val v = 0; v < first; v++)
        renum[v] = v;
    ir_val n = first;
    for (ir_val v = first; v < b->n; v++) {
        if (!keep[v])
            continue;
        ir_insn in = b->insns[v];
        opt_rewrite_args(&in, renum); /* operands are kept: they are used */
        renum[v] = n;
        b->insns[n++] = in;
    }
    b->n = n;
}
