/* A guest's registers as gdb numbers and describes them (target.xml),
 * and where each lives: one table per guest (linux-user/<arch>/gdb.c),
 * named by its guest_abi, read by the stub (gdbstub.c). */
#ifndef FERRY_LU_GDB_REGS_H
#define FERRY_LU_GDB_REGS_H

#include <stddef.h>
#include <stdint.h>

enum { GDB_REG_CPU, GDB_REG_ZERO, GDB_REG_NZCV, GDB_REG_FPSTATUS };

/* A run of registers alike: count of them from gdb's number first. */
typedef struct gdb_regs {
    const char *feature;   /* gdb's feature name for target.xml */
    uint16_t first, count;
    const char *names;     /* space-separated */
    uint16_t bits;
    const char *type;
    uint8_t kind;
    uint32_t off;          /* GDB_REG_CPU, GDB_REG_NZCV: CPU-state offset of the first;
                            * GDB_REG_FPSTATUS: which lu_fp_status word */
    uint8_t shift, width;  /* GDB_REG_FPSTATUS: the field within the word */
} gdb_regs;

typedef struct gdb_arch {
    const char *arch;      /* target.xml's <architecture> */
    const gdb_regs *regs;
    size_t n_regs;
    const char *types[2];  /* {feature, its type definitions}, or NULLs */
} gdb_arch;

#endif
