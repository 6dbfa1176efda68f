/* Dead code elimination: drop instructions whose value nobody uses and
 * that have no effect.  A guest memory load stays even when unused: it may
 * fault, and the guest must see that fault.  Reading the FP flags has no
 * effect either (csrrw x0, fflags, rs reads nothing on hardware; here the
 * read cost a stmxcsr, which waits for every FP op before it). */
#include <string.h>

#include "ir/opt/opt.h"

static bool removable(const ir_insn *in)
{
    return (ir_info(in->op)->flags & F_PURE) || in->op == IR_CTX_LOAD ||
           in->op == IR_FP_FLAGS_GET;
}

void opt_dce(ir_block *b)
{
    bool *keep = ir_scratch(b, IR_SCRATCH_KEEP, b->n ? b->n : 1);
    memset(keep, 0, b->n);
    for (ir_val v = b->n; v-- > 0;) {
        const ir_insn *in = &b->insns[v];
        if (!removable(in))
            keep[v] = true;
        if (!keep[v])
            continue;
        for (int k = 0; k < ir_info(in->op)->nargs; k++)
            if (in->a[k] != IR_NONE)
                keep[in->a[k]] = true;
    }
    opt_compact(b, keep);
}
