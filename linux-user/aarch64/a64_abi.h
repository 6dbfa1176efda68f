/* aarch64-only parts of the guest ABI, shared by the files of
 * linux-user/aarch64/: the readers of the HWCAP rule table (isa.c). */
#ifndef FERRY_A64_ABI_H
#define FERRY_A64_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* AT_HWCAP: the kernel's rules applied to the frontend's ID registers. */
uint64_t a64_hwcap(void);
/* The same rules for given ID_AA64PFR0_EL1 and ID_AA64ISAR0_EL1 values. */
uint64_t a64_hwcap_from(uint64_t pfr0, uint64_t isar0);
/* AT_HWCAP2: no HWCAP2_* feature is implemented. */
uint64_t a64_hwcap2(void);
/* " fp asimd ..." as /proc/cpuinfo's Features line (after the colon). */
void a64_features_string(char *buf, size_t len);
/* The whole of /proc/cpuinfo. */
void a64_cpuinfo(FILE *f);

#endif
