/* a64harness: the aarch64 guest program of the differential fuzzer.  The
 * shared core (../fzharness.c) runs the cases and prints per case
 *   IDX x0..x30 nzcv v0.lo v0.hi .. v31.hi fpcr fpsr memhash
 * Usage: a64harness [-m] [-F] CASEFILE [FIRST].  Each case's code is made
 * visible with dc cvau / ic ivau / dsb ish / isb (__builtin___clear_cache),
 * also in the fresh slots of -F. */
#include "fz_layout.h"
#include "../fzharness.h"

const char fzh_name[] = "a64harness", fzh_flags[] = "";

void fzh_option(const char *arg)
{
    (void)arg;
}

void fzh_prepare(uint8_t *pro, uint8_t *epi, uint8_t *end, bool fresh)
{
    (void)epi;
    (void)fresh;
    __builtin___clear_cache((char *)pro, (char *)end);
}
