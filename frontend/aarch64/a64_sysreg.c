/* aarch64 system registers and helpers: the constant registers Linux
 * shows EL0 (CTR_EL0, DCZID_EL0, CNTFRQ_EL0 and the ID registers it
 * emulates), the virtual counter, CRC32/CRC32C and the 128-bit exclusive
 * and CASP operations translated code calls. */
#include <pthread.h>
#include <time.h>

#include "frontend/aarch64/a64_cpu.h"
#include "frontend/aarch64/a64_helpers.h"

static const struct { uint32_t reg; uint64_t value; } const_regs[] = {
    {A64_SYSREG(3, 3, 0, 0, 1), A64_CTR_EL0},
    {A64_SYSREG(3, 3, 0, 0, 7), 4},          /* DCZID_EL0: 2^4 words */
    {A64_SYSREG(3, 3, 14, 0, 0), A64_CNTFRQ},
    {A64_SYSREG(3, 3, 13, 0, 3), 0},         /* TPIDRRO_EL0 */
    {A64_SYSREG(3, 0, 0, 0, 0), A64_MIDR_EL1},
    {A64_SYSREG(3, 0, 0, 0, 5), 0x80000000}, /* MPIDR_EL1 as Linux shows it */
    {A64_SYSREG(3, 0, 0, 0, 6), 0},          /* REVIDR_EL1 */
    /* ID_AA64PFR0_EL1: EL0 and EL1 AArch64 only; FP and AdvSIMD without
     * half precision */
    {A64_SYSREG(3, 0, 0, 4, 0), 0x11},
    /* ID_AA64ISAR0_EL1: AES 2 (with PMULL), SHA1 1, SHA2 1 (SHA-256 only),
     * CRC32 1, Atomic 2 (LSE) */
    {A64_SYSREG(3, 0, 0, 6, 0), 0x211120},
};

bool a64_sysreg_const(uint32_t sysreg, uint64_t *value)
{
    for (size_t i = 0; i < sizeof const_regs / sizeof const_regs[0]; i++)
        if (const_regs[i].reg == sysreg) {
            *value = const_regs[i].value;
            return true;
        }
    /* the rest of Linux's emulated ID space (op0 3, op1 0, CRn 0, CRm
     * 1-7) reads as 0: features Ferry does not offer */
    if ((sysreg & ~(uint32_t)A64_SYSREG(0, 0, 0, 7, 7)) == A64_SYSREG(3, 0, 0, 0, 0) &&
        (sysreg >> 3 & 7) != 0) {
        *value = 0;
        return true;
    }
    return false;
}

/* CNTVCT_EL0 at A64_CNTFRQ: nanoseconds of the host's monotonic clock */
static uint64_t counter(void *cpu, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct timespec ts;
    (void)cpu, (void)a0, (void)a1, (void)a2;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const ir_helper a64_counter_helper = {"a64_counter", counter, 0};

uint32_t a64_crc(uint32_t acc, uint64_t data, unsigned log2_bytes, uint32_t poly)
{
    for (unsigned i = 0; i < (8u << log2_bytes); i++) {
        acc ^= (uint32_t)(data >> i) & 1;
        acc = (acc >> 1) ^ (poly & -(acc & 1));
    }
    return acc;
}

static uint64_t crc32(void *cpu, uint64_t acc, uint64_t data, uint64_t size)
{
    (void)cpu;
    return a64_crc((uint32_t)acc, data, (unsigned)size, 0xedb88320u);
}

static uint64_t crc32c(void *cpu, uint64_t acc, uint64_t data, uint64_t size)
{
    (void)cpu;
    return a64_crc((uint32_t)acc, data, (unsigned)size, 0x82f63b78u);
}

const ir_helper a64_crc32_helper = {"a64_crc32", crc32, 3};
const ir_helper a64_crc32c_helper = {"a64_crc32c", crc32c, 3};

/* Misaligned 128-bit accesses (a fault on hardware) cannot use
 * cmpxchg16b; they are made atomic against each other only. */
static pthread_mutex_t cas128_lock = PTHREAD_MUTEX_INITIALIZER;

/* [p] == *e ? [p] = v : *e = [p]; true when it stored.  e, v: lo, hi */
static bool cas128(uint64_t addr, uint64_t e[2], const uint64_t v[2])
{
    bool ok;
    if (addr & 15) {
        uint64_t *p = (uint64_t *)(uintptr_t)addr;
        pthread_mutex_lock(&cas128_lock);
        ok = p[0] == e[0] && p[1] == e[1];
        if (ok)
            p[0] = v[0], p[1] = v[1];
        else
            e[0] = p[0], e[1] = p[1];
        pthread_mutex_unlock(&cas128_lock);
        return ok;
    }
    __asm__ volatile("lock cmpxchg16b %1"
                     : "=@ccz"(ok), "+m"(*(volatile unsigned __int128 *)(uintptr_t)addr),
                       "+a"(e[0]), "+d"(e[1])
                     : "b"(v[0]), "c"(v[1])
                     : "memory");
    return ok;
}

/* stxp of two X registers: 0 when the monitor covered addr with 16 bytes
 * and memory still held what ldxp read */
static uint64_t stxp128(void *cpu, uint64_t addr, uint64_t lo, uint64_t hi)
{
    a64_cpu *s = cpu;
    bool match = s->excl_addr == addr && s->excl_size == 16;
    uint64_t e[2] = {s->excl_val, s->excl_val2}, v[2] = {lo, hi};
    s->excl_addr = -1ull;
    return !(match && cas128(addr, e, v));
}

const ir_helper a64_stxp128_helper = {"a64_stxp128", stxp128, 3};

static uint64_t xreg(const a64_cpu *s, uint64_t r) { return r == 31 ? 0 : s->x[r]; }

/* casp of X pairs: (rs, rs+1) is compared with [addr] and receives it */
static uint64_t casp128(void *cpu, uint64_t addr, uint64_t rs, uint64_t rt)
{
    a64_cpu *s = cpu;
    uint64_t e[2] = {xreg(s, rs), xreg(s, rs + 1)}, v[2] = {xreg(s, rt), xreg(s, rt + 1)};
    if (cas128(addr, e, v))
        return 0;
    s->x[rs] = e[0];
    if (rs + 1 != 31)
        s->x[rs + 1] = e[1];
    return 0;
}

const ir_helper a64_casp128_helper = {"a64_casp128", casp128, 3};
