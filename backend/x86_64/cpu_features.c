/* The host CPU's features past SSE2 that the lowering uses, read once with
 * CPUID.  VEX (FMA3) also needs the OS to save the AVX state (XCR0). */
#include <cpuid.h>

#include "backend/x86_64/x86.h"

x86_cpu_features x86_cpu;
static bool cpu_known;

void x86_cpu_init(void)
{
    if (cpu_known)
        return;
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        x86_cpu.popcnt = c & bit_POPCNT;
        x86_cpu.ssse3 = c & bit_SSSE3;
        x86_cpu.sse41 = c & bit_SSE4_1;
        bool osxsave = (c & bit_OSXSAVE) && (c & bit_AVX);
        if (osxsave) {
            unsigned lo, hi;
            __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            x86_cpu.fma3 = (c & bit_FMA) && (lo & 6) == 6;
        }
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
        x86_cpu.tzcnt = b & bit_BMI;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        x86_cpu.lzcnt = c & bit_LZCNT;
        x86_cpu.lahf = c & bit_LAHF_LM;
    }
    cpu_known = true;
}
