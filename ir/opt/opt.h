/* IR optimization passes over one block, run in this order:
 *
 *   frontend IR ─► ctx ─► fold ─► dce ─► backend
 *                  │      │       └ drop values nobody uses
 *                  │      └ constants, algebraic identities, displacements
 *                  └ forward ctx loads/stores, drop dead ctx stores
 *
 * (fold ran before ctx too, until callgrind showed it cost 7% of a
 * dynamic hello's translation for no difference in the code: ctx forwards
 * values whatever their shape, and fold after it sees everything.)
 *
 * Each pass is a row of opt_passes[] and can be switched off by name
 * (--disable-pass fold,ctx) for bisecting.  A pass that replaces a value
 * by another records it in a map and rewrites later operands as it walks
 * forward; removed instructions are compacted away by opt_compact().
 *
 *   opt_run(b, NULL);            // every pass
 *   opt_run(b, "ctx");           // all but ctx forwarding
 */
#ifndef FERRY_OPT_H
#define FERRY_OPT_H

#include "ir/ir.h"

typedef struct opt_pass {
    const char *name;
    void (*run)(ir_block *b);
} opt_pass;

extern const opt_pass opt_passes[];
extern const int opt_num_passes;

void opt_run(ir_block *b, const char *disabled);
/* True if name is in the comma-separated list. */
bool opt_listed(const char *list, const char *name);

/* Shared by the passes. */
void opt_fold(ir_block *b);
void opt_ctx(ir_block *b);
void opt_dce(ir_block *b);
/* Rewrite in's operands through map (map[v] == v when unchanged).  Every
 * pass calls it for every instruction: inline. */
static inline void opt_rewrite_args(ir_insn *in, const ir_val *map)
{
    switch (ir_info(in->op)->nargs) {
    case 3: if (in->a[2] != IR_NONE) in->a[2] = map[in->a[2]]; /* fall through */
    case 2: if (in->a[1] != IR_NONE) in->a[1] = map[in->a[1]]; /* fall through */
    case 1: if (in->a[0] != IR_NONE) in->a[0] = map[in->a[0]]; /* fall through */
    default: break;
    }
}
/* Remove the instructions with keep[v] == false, renumbering operands. */
void opt_compact(ir_block *b, const bool *keep);

#endif
