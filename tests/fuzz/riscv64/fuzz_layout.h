/* Fixed guest addresses and the test-case file format shared by the
 * generator (rvgen, native) and the harness (rvharness, riscv64).  Fixed
 * addresses (above a 1 GB brk reservation after the harness) make pc-dependent results (auipc, jal links) and the pointer
 * registers identical under every emulator, so records compare as-is. */
#ifndef FUZZ_LAYOUT_H
#define FUZZ_LAYOUT_H

#define FZ_CODE_ADDR  0x60000000     /* prologue | case code | epilogue */
#define FZ_CODE_SLOT  0x2000         /* harness -F: case k runs at slot k % 4096 */
#define FZ_CODE_SIZE  (FZ_CODE_SLOT * 4096)
#define FZ_CTL_ADDR   0x70000000     /* control page, then the scratch buffer */
#define FZ_CTL_SIZE   0x2000
#define FZ_BUF        (FZ_CTL_ADDR + 0x1000)  /* s11 (x27) points here */
#define FZ_BUF_SIZE   1024                    /* memory ops stay inside */
#define FZ_SP         (FZ_BUF + 256)          /* sp (x2): c.*sp forms reach FZ_SP+504 */
/* Below FZ_BUF, addressed from s11 with negative offsets by the epilogue. */
#define FZ_OUT_X      (-1600)  /* x0..x31 after the case */
#define FZ_OUT_F      (-1344)  /* f0..f31 */
#define FZ_OUT_FCSR   (-1088)
#define FZ_HOST_SAVE  (-1024)  /* the harness's callee-saved registers */
#define FZ_SPILL      (-8)     /* a temporary of the reference-only sequences */

#define FZ_BASE_REG   27       /* s11: never written by generated code */
#define FZ_MAGIC      0x5a465652  /* "RVFZ" */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* One case in the file: this header, then code_bytes of code (a multiple
 * of 4, padded with c.nop).  The buffer's initial bytes come from mem_seed. */
struct fz_case_hdr {
    uint32_t magic;
    uint32_t code_bytes;
    uint64_t mem_seed;
    uint64_t x[32];
    uint64_t f[32];
    uint64_t fcsr;
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
