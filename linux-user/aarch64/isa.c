/* What an aarch64 guest is told about its machine.  As the arm64 kernel
 * does, AT_HWCAP is derived from the ID registers by one table of rules
 * (arm64_elf_hwcaps in arch/arm64/kernel/cpufeature.c): the registers are
 * the frontend's (a64_sysreg_const, what MRS reads), so HWCAP, the
 * Features line of /proc/cpuinfo and the ID registers can never disagree.
 * MIDR and BogoMIPS (from the timer frequency) are the frontend's too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "frontend/aarch64/a64_helpers.h"
#include "linux-user/aarch64/a64_abi.h"

#define ID_AA64PFR0_EL1 A64_SYSREG(3, 0, 0, 4, 0)
#define ID_AA64ISAR0_EL1 A64_SYSREG(3, 0, 0, 6, 0)

/* HWCAP bit (name as hwcap_str[]) when the 4-bit field of reg at shift is
 * at least min (signed fields: FP and AdvSIMD are 0 when implemented, 0xf
 * when not).  reg 0: always set.  Sorted by bit: the kernel prints
 * Features in bit order.  evtstrm (bit 2, the timer's event stream) has
 * no ID field and is not offered. */
static const struct a64_hwcap_rule {
    const char *name;
    unsigned bit;
    uint32_t reg;
    unsigned shift;
    bool is_signed;
    int min;
} a64_rules[] = {
    { "fp", 0, ID_AA64PFR0_EL1, 16, true, 0 },
    { "asimd", 1, ID_AA64PFR0_EL1, 20, true, 0 },
    { "aes", 3, ID_AA64ISAR0_EL1, 4, false, 1 },
    { "pmull", 4, ID_AA64ISAR0_EL1, 4, false, 2 },
    { "sha1", 5, ID_AA64ISAR0_EL1, 8, false, 1 },
    { "sha2", 6, ID_AA64ISAR0_EL1, 12, false, 1 },
    { "crc32", 7, ID_AA64ISAR0_EL1, 16, false, 1 },
    { "atomics", 8, ID_AA64ISAR0_EL1, 20, false, 2 },
    { "fphp", 9, ID_AA64PFR0_EL1, 16, true, 1 },
    { "asimdhp", 10, ID_AA64PFR0_EL1, 20, true, 1 },
    /* Linux emulates MRS of the ID registers for EL0, and so does the
     * frontend (a64_sysreg.c): always offered */
    { "cpuid", 11, 0, 0, false, 0 },
    { "asimdrdm", 12, ID_AA64ISAR0_EL1, 28, false, 1 },
    { "sha3", 17, ID_AA64ISAR0_EL1, 32, false, 1 },
    { "sm3", 18, ID_AA64ISAR0_EL1, 36, false, 1 },
    { "sm4", 19, ID_AA64ISAR0_EL1, 40, false, 1 },
    { "asimddp", 20, ID_AA64ISAR0_EL1, 44, false, 1 },
    { "sha512", 21, ID_AA64ISAR0_EL1, 12, false, 2 },
    { "sve", 22, ID_AA64PFR0_EL1, 32, false, 1 },
    { "asimdfhm", 23, ID_AA64ISAR0_EL1, 48, false, 1 },
};
#define A64_NRULES (sizeof a64_rules / sizeof a64_rules[0])

static bool rule_holds(const struct a64_hwcap_rule *r, uint64_t pfr0, uint64_t isar0)
{
    if (!r->reg)
        return true;
    uint64_t v = r->reg == ID_AA64PFR0_EL1 ? pfr0 : isar0;
    int field = (int)(v >> r->shift & 0xf);
    if (r->is_signed && field >= 8)
        field -= 16;
    return field >= r->min;
}

uint64_t a64_hwcap_from(uint64_t pfr0, uint64_t isar0)
{
    uint64_t h = 0;
    for (size_t i = 0; i < A64_NRULES; i++)
        if (rule_holds(&a64_rules[i], pfr0, isar0))
            h |= 1ull << a64_rules[i].bit;
    return h;
}

static uint64_t id_reg(uint32_t reg)
{
    uint64_t v = 0;
    a64_sysreg_const(reg, &v);
    return v;
}

uint64_t a64_hwcap(void)
{
    return a64_hwcap_from(id_reg(ID_AA64PFR0_EL1), id_reg(ID_AA64ISAR0_EL1));
}

/* No HWCAP2 feature (ID_AA64ISAR1/PFR1/ZFR0 fields) is implemented. */
uint64_t a64_hwcap2(void)
{
    return 0;
}

void a64_features_string(char *buf, size_t len)
{
    uint64_t h = a64_hwcap();
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < A64_NRULES && n < len; i++)
        if (h >> a64_rules[i].bit & 1)
            n += (size_t)snprintf(buf + n, len - n, " %s", a64_rules[i].name);
}

/* The layout of arch/arm64/kernel/cpuinfo.c's c_show() for a 64-bit
 * task, one block per online cpu (the host's count).  BogoMIPS is what
 * the kernel computes from the generic timer: 2 per tick per us. */
void a64_cpuinfo(FILE *f)
{
    char features[256];
    a64_features_string(features, sizeof features);
    uint64_t midr = A64_MIDR_EL1;
    uint64_t centi = A64_CNTFRQ / 5000; /* BogoMIPS * 100 */
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    for (long i = 0; i < (n > 0 ? n : 1); i++)
        fprintf(f,
                "processor\t: %ld\n"
                "BogoMIPS\t: %llu.%02llu\n"
                "Features\t:%s\n"
                "CPU implementer\t: 0x%02x\n"
                "CPU architecture: 8\n"
                "CPU variant\t: 0x%x\n"
                "CPU part\t: 0x%03x\n"
                "CPU revision\t: %d\n"
                "\n",
                i, (unsigned long long)(centi / 100), (unsigned long long)(centi % 100),
                features, (unsigned)(midr >> 24 & 0xff), (unsigned)(midr >> 20 & 0xf),
                (unsigned)(midr >> 4 & 0xfff), (int)(midr & 0xf));
}
