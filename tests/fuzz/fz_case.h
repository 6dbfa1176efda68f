/* What the fuzzers of every guest share: the fixed address map, the head
 * of a case in a case file, and splitmix64.  Fixed addresses (above a 1 GB
 * brk reservation after the harness) make pc-dependent results and the
 * buffer's base register identical under every emulator, so records
 * compare as they are.  Each guest's fz_layout.h includes this and adds
 * its registers; the native generators and the guest harnesses (C and
 * assembler) read it. */
#ifndef FZ_CASE_H
#define FZ_CASE_H

#define FZ_CODE_ADDR  0x60000000     /* prologue | case code | epilogue */
#define FZ_CTL_ADDR   0x70000000     /* control page, then the scratch buffer */
#define FZ_CTL_SIZE   0x2000
#define FZ_BUF        (FZ_CTL_ADDR + 0x1000)  /* the guest's FZ_BASE_REG points here */
#define FZ_BUF_SIZE   1024                    /* memory ops stay inside */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Every case in the file starts so (the guest's struct fz_case_hdr adds
 * the initial registers), then code_bytes of code.  The buffer's initial
 * bytes come from mem_seed. */
struct fz_case_head {
    uint32_t magic;
    uint32_t code_bytes;
    uint64_t mem_seed;
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
