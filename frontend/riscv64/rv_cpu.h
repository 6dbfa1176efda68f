/* The riscv64 guest CPU state: one per guest thread, addressed from
 * translated code through the env pointer.  Guest registers first; the IR
 * reaches fields only by byte offset (RV_OFF_*). */
#ifndef FERRY_RV_CPU_H
#define FERRY_RV_CPU_H

#include <stddef.h>
#include <stdint.h>

typedef struct rv_cpu {
    uint64_t x[32];    /* x0 is kept 0 and never written */
    uint64_t pc;
    uint64_t f[32];    /* F/D registers, NaN-boxed singles */
    uint32_t fflags;   /* unused by translated code: the accrued flags
                          live in the host FP status (FP_FLAGS_GET) */
    uint32_t frm;      /* dynamic rounding mode (fcsr[7:5]) as written, 0-7 */
    uint64_t res_addr; /* LR reservation: address, or -1 for none */
    uint64_t res_val;  /* the value LR read there */
    uint64_t res_size; /* 4 or 8 */
    uint64_t engine[2]; /* the engine's own (frontend.h: engine_offset) */
} rv_cpu;

#define RV_OFF_X(i) ((uint32_t)(offsetof(rv_cpu, x) + 8 * (i)))
#define RV_OFF_PC ((uint32_t)offsetof(rv_cpu, pc))
#define RV_OFF_F(i) ((uint32_t)(offsetof(rv_cpu, f) + 8 * (i)))

#endif
