/* What the aarch64 translator needs from a64_sysreg.c: system register
 * numbers as MRS/MSR encode them, the values of the constant ones, and the
 * C helpers translated code calls (counter, CRC32, 128-bit exclusives). */
#ifndef FERRY_A64_HELPERS_H
#define FERRY_A64_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

/* op0:op1:CRn:CRm:op2, bits 20:5 of MRS, MSR and SYS words */
#define A64_SYSREG(op0, op1, crn, crm, op2) \
    ((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
#define A64_SYSREG_NZCV A64_SYSREG(3, 3, 4, 2, 0)
#define A64_SYSREG_FPCR A64_SYSREG(3, 3, 4, 4, 0)
#define A64_SYSREG_FPSR A64_SYSREG(3, 3, 4, 4, 1)
#define A64_SYSREG_TPIDR_EL0 A64_SYSREG(3, 3, 13, 0, 2)
#define A64_SYSREG_CNTPCT_EL0 A64_SYSREG(3, 3, 14, 0, 1)
#define A64_SYSREG_CNTVCT_EL0 A64_SYSREG(3, 3, 14, 0, 2)

/* Facts the guest can read (linux-user's HWCAP must agree with them). */
#define A64_CNTFRQ 1000000000ull /* 1 GHz, as Armv8.6 and later fix it */
#define A64_DCZ_BYTES 64         /* dc zva block (DCZID_EL0.BS = 4) */
#define A64_CTR_EL0 0x8444c004ull /* 64-byte lines, PIPT I-cache, IDC = DIC = 0 */
#define A64_MIDR_EL1 0x413fd0c1ull /* Arm Neoverse N1 r3p1 */

/* The value MRS reads from a constant register (Linux's EL0 view,
 * including its emulation of the ID registers); false if there is none. */
bool a64_sysreg_const(uint32_t sysreg, uint64_t *value);

extern const ir_helper a64_counter_helper;   /* () -> CNTVCT_EL0 */
extern const ir_helper a64_crc32_helper;     /* (acc, data, log2 bytes) */
extern const ir_helper a64_crc32c_helper;
extern const ir_helper a64_stxp128_helper;   /* (addr, lo, hi) -> status */
extern const ir_helper a64_casp128_helper;   /* (addr, rs, rt) register numbers */

/* The reflected CRC of the low 1 << log2 bytes of data into acc. */
uint32_t a64_crc(uint32_t acc, uint64_t data, unsigned log2_bytes, uint32_t poly);

#endif
