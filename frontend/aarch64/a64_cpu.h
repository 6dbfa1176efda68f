/* The aarch64 guest CPU state: one per guest thread, addressed from
 * translated code through the env pointer.  Guest registers first; the IR
 * reaches fields only by byte offset (A64_OFF_*).  Everything here is
 * architectural, so linux-user can build signal frames and ptrace views
 * from it directly, except the flags: they stay in the backend's saved
 * form (IR_FLAGS_SAVE), which blocks store and reload for far less than
 * NZCV bits cost; engine_nzcv_of_saved gives the NZCV bits. */
#ifndef FERRY_A64_CPU_H
#define FERRY_A64_CPU_H

#include <stddef.h>
#include <stdint.h>

typedef struct a64_cpu {
    uint64_t x[32];       /* x0..x30; x[31] is SP (register 31 reads as
                           * XZR or SP depending on the instruction) */
    uint64_t pc;
    uint64_t flags;       /* NZCV, saved form (0: all clear); see above */
    uint64_t tpidr_el0;   /* TLS pointer (CLONE_SETTLS writes it) */
    uint32_t fpcr;        /* rounding mode in bits 23:22, FZ bit 24, DN bit 25 */
    uint32_t fpsr;        /* cumulative flags not held by the host (see frontend) */
    uint64_t excl_addr;   /* exclusive monitor: address, or -1 for none */
    uint64_t excl_val;    /* the value(s) the exclusive load read */
    uint64_t excl_val2;
    uint64_t excl_size;   /* bytes of the exclusive access (pairs: both) */
    uint64_t engine[2];   /* the engine's own (frontend.h: engine_offset) */
    uint64_t pad;
    uint8_t v[32][16] __attribute__((aligned(16))); /* V0..V31, little-endian lanes */
} a64_cpu;

#define A64_OFF_X(i) ((uint32_t)(offsetof(a64_cpu, x) + 8 * (i)))
#define A64_OFF_SP A64_OFF_X(31)
#define A64_OFF_PC ((uint32_t)offsetof(a64_cpu, pc))
#define A64_OFF_NZCV ((uint32_t)offsetof(a64_cpu, flags))
#define A64_OFF_V(i) ((uint32_t)(offsetof(a64_cpu, v) + 16 * (i)))

#endif
