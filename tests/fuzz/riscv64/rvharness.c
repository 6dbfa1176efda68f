/* rvharness: the riscv64 guest program of the differential fuzzer.  The
 * shared core (../fzharness.c) runs the cases and prints per case
 *   IDX x0..x31 f0..f31 fcsr memhash
 * Usage: rvharness [-m] [-F] [-I] CASEFILE [FIRST].  Each case's code is
 * made visible with fence.i, except with -F (fresh slots, no fence.i: a
 * work-around while fence.i is broken).  -I leaves fcsr alone (nops
 * instead of its accesses; recorded as 0), for translators that cannot
 * do floating point yet. */
#include <string.h>
#include "fz_layout.h"
#include "../fzharness.h"

/* the fcsr accesses in the stubs, which -I turns into nops */
extern const char fz_fcsr_in[], fz_fcsr_out[], fz_fcsr_clear[];

const char fzh_name[] = "rvharness", fzh_flags[] = "[-I] ";
static bool no_fcsr;

void fzh_option(const char *arg)
{
    no_fcsr |= strcmp(arg, "-I") == 0;
}

/* Writes a nop over the copy of the stub instruction at sym. */
static void nop_out(uint8_t *copy, const char *stub, const char *sym)
{
    static const uint32_t nop = 0x00000013;
    memcpy(copy + (sym - stub), &nop, 4);
}

void fzh_prepare(uint8_t *pro, uint8_t *epi, uint8_t *end, bool fresh)
{
    (void)end;
    if (no_fcsr) {
        nop_out(pro, fz_prologue, fz_fcsr_in);
        nop_out(epi, fz_epilogue, fz_fcsr_out);
        nop_out(epi, fz_epilogue, fz_fcsr_clear);
    }
    if (!fresh)
        __asm__ volatile("fence.i" ::: "memory");
}
