/* The riscv64 fuzzer's registers and buffer use, shared by the generator
 * (rvgen, native) and the harness (rvharness, riscv64); the address map
 * and the case head are ../fz_case.h. */
#ifndef FZ_LAYOUT_H
#define FZ_LAYOUT_H

#include "../fz_case.h"

#define FZ_CODE_SLOT  0x2000         /* harness -F: case k runs at slot k % FZ_CODE_SLOTS */
#define FZ_CODE_SLOTS 4096
#define FZ_STUB_ROOM  1024           /* a slot's room for the prologue and epilogue */
#define FZ_SP         (FZ_BUF + 256)          /* sp (x2): c.*sp forms reach FZ_SP+504 */
/* Below FZ_BUF, addressed from s11 with negative offsets by the epilogue. */
#define FZ_OUT_X      (-1600)  /* x0..x31 after the case */
#define FZ_OUT_F      (-1344)  /* f0..f31 */
#define FZ_OUT_FCSR   (-1088)
#define FZ_HOST_SAVE  (-1024)  /* the harness's callee-saved registers */
#define FZ_SPILL      (-8)     /* a temporary of the reference-only sequences */
/* The record: FZ_NREGS values from FZ_BUF + FZ_OUT_REGS, then memhash. */
#define FZ_OUT_REGS   FZ_OUT_X
#define FZ_NREGS      65       /* x0..x31 f0..f31 fcsr */
#define FZ_SAVE_AT    FZ_HOST_SAVE  /* from FZ_BUF */

#define FZ_BASE_REG   27       /* s11: never written by generated code */
#define FZ_MAGIC      0x5a465652  /* "RVFZ" */

#ifndef __ASSEMBLER__
struct fz_case_hdr {
    struct fz_case_head head;
    uint64_t x[32];
    uint64_t f[32];
    uint64_t fcsr;
};
#endif

#endif
