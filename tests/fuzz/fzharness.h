/* What a guest's harness gives the shared harness core (fzharness.c):
 * its name, its own flags, and how the copied code is made ready to run;
 * and the prologue/epilogue stubs (its *_stubs.S) the core copies around
 * each case.  Both are compiled by the guest's cross compiler with -I of
 * the guest's folder, whose fz_layout.h says where everything is. */
#ifndef FZHARNESS_H
#define FZHARNESS_H

#include <stdbool.h>
#include <stdint.h>

extern const char fzh_name[];    /* "rvharness": messages */
extern const char fzh_flags[];   /* the guest's flags for the usage line, "" or "[-I] " */

/* A command-line flag other than -m and -F (unknown ones are ignored). */
void fzh_option(const char *arg);

/* Called once the prologue, the case's code and the epilogue are copied
 * to [pro, end) (the epilogue from epi), before the case runs: patches
 * and instruction-cache synchronization.  fresh: harness -F, the slot was
 * never run before. */
void fzh_prepare(uint8_t *pro, uint8_t *epi, uint8_t *end, bool fresh);

/* The stubs, position-independent.  fz_prologue is called as
 * fz_prologue(const struct fz_case_hdr *state, void *host_save) and falls
 * into the case; fz_epilogue stores the record's registers at
 * FZ_BUF + FZ_OUT_REGS and returns to the caller. */
extern const char fz_prologue[], fz_prologue_end[], fz_epilogue[], fz_epilogue_end[];

#endif
