/* Fixed guest addresses and the test-case file format shared by the
 * aarch64 generator (a64gen, native) and the harness (a64harness,
 * aarch64).  Fixed addresses make pc-dependent results (adr, adrp, bl
 * links) and the base register identical under every emulator. */
#ifndef A64_LAYOUT_H
#define A64_LAYOUT_H

#define FZ_CODE_ADDR  0x60000000     /* prologue | case code | epilogue */
#define FZ_CODE_SLOT  0x4000         /* harness -F: case k runs at slot k % 2048 */
#define FZ_CODE_SIZE  (FZ_CODE_SLOT * 2048)
#define FZ_CTL_ADDR   0x70000000     /* control page, then the scratch buffer */
#define FZ_CTL_SIZE   0x2000
#define FZ_BUF        (FZ_CTL_ADDR + 0x1000)  /* x28 points here */
#define FZ_BUF_SIZE   1024                    /* memory ops stay inside */
/* Below FZ_BUF (the epilogue reaches it through x0 = x28 - FZ_OUT_BASE). */
#define FZ_OUT_BASE   1536
#define FZ_OUT_X      0        /* x0..x30, from FZ_BUF - FZ_OUT_BASE */
#define FZ_OUT_NZCV   248
#define FZ_OUT_FPCR   256
#define FZ_OUT_FPSR   264
#define FZ_OUT_V      272      /* v0..v31, 16 bytes each: ends at 784 */
#define FZ_HOST_SAVE  800      /* the harness's callee-saved registers */
#define FZ_SPILL      8        /* FZ_BUF - 8: x0 while the epilogue starts */

#define FZ_BASE_REG   28       /* x28: never written by generated code */
#define FZ_MAGIC      0x5a463436  /* "64FZ" */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* One case in the file: this header, then code_bytes of code.  The
 * buffer's initial bytes come from mem_seed. */
struct fz_case_hdr {
    uint32_t magic;
    uint32_t code_bytes;
    uint64_t mem_seed;
    uint64_t x[31];
    uint64_t nzcv;
    uint64_t v[32][2];
    uint64_t fpcr;
    uint64_t fpsr;
};

/* splitmix64: the buffer fill and the generator's random source. */
static inline uint64_t fz_mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
#endif

#endif
