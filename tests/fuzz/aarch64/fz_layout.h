/* The aarch64 fuzzer's registers and buffer use, shared by the generator
 * (a64gen, native) and the harness (a64harness, aarch64); the address map
 * and the case head are ../fz_case.h. */
#ifndef FZ_LAYOUT_H
#define FZ_LAYOUT_H

#include "../fz_case.h"

#define FZ_CODE_SLOT  0x4000         /* harness -F: case k runs at slot k % FZ_CODE_SLOTS */
#define FZ_CODE_SLOTS 2048
#define FZ_STUB_ROOM  2048           /* a slot's room for the prologue and epilogue */
/* Below FZ_BUF (the epilogue reaches it through x0 = x28 - FZ_OUT_BASE),
 * in the order of the record. */
#define FZ_OUT_BASE   1536
#define FZ_OUT_X      0        /* x0..x30, from FZ_BUF - FZ_OUT_BASE */
#define FZ_OUT_NZCV   248
#define FZ_OUT_V      256      /* v0..v31, 16 bytes each */
#define FZ_OUT_FPCR   768
#define FZ_OUT_FPSR   776
#define FZ_HOST_SAVE  800      /* the harness's callee-saved registers */
#define FZ_SPILL      8        /* FZ_BUF - 8: x0 while the epilogue starts */
/* The record: FZ_NREGS values from FZ_BUF + FZ_OUT_REGS, then memhash. */
#define FZ_OUT_REGS   (-FZ_OUT_BASE)
#define FZ_NREGS      98       /* x0..x30 nzcv v0.lo v0.hi .. v31.hi fpcr fpsr */
#define FZ_SAVE_AT    (FZ_HOST_SAVE - FZ_OUT_BASE)  /* from FZ_BUF */

#define FZ_BASE_REG   28       /* x28: never written by generated code */
#define FZ_MAGIC      0x5a463436  /* "64FZ" */

#ifndef __ASSEMBLER__
struct fz_case_hdr {
    struct fz_case_head head;
    uint64_t x[31];
    uint64_t nzcv;
    uint64_t v[32][2];
    uint64_t fpcr;
    uint64_t fpsr;
};
#endif

#endif
