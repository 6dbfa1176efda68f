/* libcapstone, opened with dlopen on first use.  Only the -d items that
 * disassemble (in_asm, out_asm, unimp) need it: an ordinary run neither
 * maps it nor pays at start-up for its ~80k relocations.  A static Ferry
 * (FERRY_STATIC_CAPSTONE) has it linked in instead.
 *
 *   const capstone_lib *cs = capstone_lib_get();
 *   if (!cs) fprintf(stderr, "%s\n", capstone_lib_error());
 *   else if (cs->open(CS_ARCH_X86, CS_MODE_64, &h) == CS_ERR_OK) ...
 */
#ifndef FERRY_CAPSTONE_LIB_H
#define FERRY_CAPSTONE_LIB_H

#include <capstone/capstone.h>

/* The entry points Ferry uses, typed as capstone.h declares them. */
typedef struct capstone_lib {
    __typeof__(cs_open) *open;
    __typeof__(cs_disasm) *disasm;
    __typeof__(cs_free) *free;
    __typeof__(cs_close) *close;
    __typeof__(cs_option) *option;
} capstone_lib;

/* Loaded once, from any thread; NULL when the library cannot be loaded. */
const capstone_lib *capstone_lib_get(void);

/* Why capstone_lib_get() failed: "libcapstone.so.4: cannot open ...". */
const char *capstone_lib_error(void);

#endif
