/* The host CPU's features past SSE2 that the lowering uses, read once.
 * glibc has read them with CPUID already (and checked that the OS saves
 * the AVX state, which VEX needs): asking it costs no CPUID, which traps
 * to the hypervisor in a virtual machine (2-3 us each here; six of them
 * were 1% of a static hello's start).  Without <sys/platform/x86.h>
 * (glibc before 2.33), CPUID. */
#include "backend/x86_64/x86.h"

x86_cpu_features x86_cpu;
static bool cpu_known;

#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>

static void cpu_read(void)
{
    x86_cpu.popcnt = CPU_FEATURE_ACTIVE(POPCNT);
    x86_cpu.ssse3 = CPU_FEATURE_ACTIVE(SSSE3);
    x86_cpu.sse41 = CPU_FEATURE_ACTIVE(SSE4_1);
    x86_cpu.fma3 = CPU_FEATURE_ACTIVE(FMA);
    x86_cpu.avx2 = CPU_FEATURE_ACTIVE(AVX2);
    x86_cpu.tzcnt = CPU_FEATURE_ACTIVE(BMI1);
    x86_cpu.lzcnt = CPU_FEATURE_ACTIVE(LZCNT);
    x86_cpu.lahf = CPU_FEATURE_ACTIVE(LAHF64_SAHF64);
}
#else
#include <cpuid.h>

static void cpu_read(void)
{
    unsigned a, b, c, d;
    bool avx_state = false;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        x86_cpu.popcnt = c & bit_POPCNT;
        x86_cpu.ssse3 = c & bit_SSSE3;
        x86_cpu.sse41 = c & bit_SSE4_1;
        if ((c & bit_OSXSAVE) && (c & bit_AVX)) {
            unsigned lo, hi;
            __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            avx_state = (lo & 6) == 6;
        }
        x86_cpu.fma3 = (c & bit_FMA) && avx_state;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        x86_cpu.tzcnt = b & bit_BMI;
        x86_cpu.avx2 = (b & bit_AVX2) && avx_state;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        x86_cpu.lzcnt = c & bit_LZCNT;
        x86_cpu.lahf = c & bit_LAHF_LM;
    }
}
#endif

void x86_cpu_init(void)
{
    if (cpu_known)
        return;
    cpu_read();
    cpu_known = true;
}
