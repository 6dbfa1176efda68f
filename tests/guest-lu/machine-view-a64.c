/* What an aarch64 guest sees of its machine: AT_HWCAP named by its own
 * <asm/hwcap.h> macros, AT_HWCAP2, AT_PLATFORM, the Features and CPU
 * architecture lines of /proc/cpuinfo (and whether Features names the
 * same bits as AT_HWCAP), MIDR_EL1 read with MRS (HWCAP_CPUID) against
 * cpuinfo's CPU lines, /proc/self/auxv against getauxval, uname and
 * arm64's MINSIGSTKSZ.  Built only for aarch64; machine.sh checks the
 * output against the values the arm64 ABI gives for the features Ferry
 * implements. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <asm/hwcap.h>

static const struct { unsigned long bit; const char *name; } caps[] = {
    { HWCAP_FP, "fp" }, { HWCAP_ASIMD, "asimd" }, { HWCAP_EVTSTRM, "evtstrm" },
    { HWCAP_AES, "aes" }, { HWCAP_PMULL, "pmull" }, { HWCAP_SHA1, "sha1" },
    { HWCAP_SHA2, "sha2" }, { HWCAP_CRC32, "crc32" }, { HWCAP_ATOMICS, "atomics" },
    { HWCAP_FPHP, "fphp" }, { HWCAP_ASIMDHP, "asimdhp" }, { HWCAP_CPUID, "cpuid" },
    { HWCAP_ASIMDRDM, "asimdrdm" }, { HWCAP_JSCVT, "jscvt" }, { HWCAP_FCMA, "fcma" },
    { HWCAP_LRCPC, "lrcpc" }, { HWCAP_DCPOP, "dcpop" }, { HWCAP_SHA3, "sha3" },
    { HWCAP_SM3, "sm3" }, { HWCAP_SM4, "sm4" }, { HWCAP_ASIMDDP, "asimddp" },
    { HWCAP_SHA512, "sha512" }, { HWCAP_SVE, "sve" },
};

/* " fp asimd ..." for the bits of h, in bit order as the kernel prints. */
static void cap_names(unsigned long h, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (int b = 0; b < 64; b++) {
        if (!(h >> b & 1))
            continue;
        const char *name = NULL;
        for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
            if (caps[i].bit == 1ul << b)
                name = caps[i].name;
        if (name)
            n += (size_t)snprintf(buf + n, len - n, " %s", name);
        else
            n += (size_t)snprintf(buf + n, len - n, " bit%d", b);
    }
}

static void show_cpuinfo(const char *names)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    int cpus = 0, featured = 0, match = 1;
    unsigned impl = 0, variant = 0, part = 0, rev = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "processor", 9) == 0)
            cpus++;
        if (strncmp(line, "Features\t:", 10) == 0) {
            featured++;
            line[strcspn(line, "\n")] = 0;
            match &= strcmp(line + 10, names) == 0;
            if (cpus == 1)
                printf("%s\n", line);
        }
        if (cpus == 1 && strncmp(line, "CPU architecture", 16) == 0)
            fputs(line, stdout);
        if (cpus == 1) {
            sscanf(line, "CPU implementer\t: %x", &impl);
            sscanf(line, "CPU variant\t: %x", &variant);
            sscanf(line, "CPU part\t: %x", &part);
            sscanf(line, "CPU revision\t: %u", &rev);
        }
    }
    printf("cpus match: %d\n", cpus == (int)sysconf(_SC_NPROCESSORS_ONLN));
    printf("features match hwcap: %d\n", match && cpus > 0 && featured == cpus);
    unsigned long midr = 0; /* architecture field 0xf: "8" */
    if (getauxval(AT_HWCAP) & HWCAP_CPUID)
        __asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
    printf("midr matches cpuinfo: %d\n",
           midr == ((unsigned long)impl << 24 | variant << 20 | 0xfu << 16 | part << 4 | rev));
}

static const char *altstack(size_t size)
{
    stack_t ss = { .ss_sp = malloc(size), .ss_size = size };
    return sigaltstack(&ss, NULL) == 0 ? "ok" : strerror(errno);
}

int main(void)
{
    char names[512];
    unsigned long hw = getauxval(AT_HWCAP);
    cap_names(hw, names, sizeof names);
    printf("hwcap:%s\n", names);
    printf("hwcap2 0x%lx\n", getauxval(AT_HWCAP2));
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("platform %s\n", plat ? plat : "(none)");
    show_cpuinfo(names);
    unsigned long aux[128] = { 0 }, fhw = 0, entry = 0;
    FILE *a = fopen("/proc/self/auxv", "rb");
    size_t n = a ? fread(aux, sizeof aux[0], 128, a) : 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        if (aux[i] == AT_HWCAP)
            fhw = aux[i + 1];
        if (aux[i] == AT_ENTRY)
            entry = aux[i + 1];
    }
    printf("auxv file agrees: %d\n", fhw == hw && entry == getauxval(AT_ENTRY));
    struct utsname u;
    uname(&u);
    printf("machine %s\n", u.machine);
    printf("sigaltstack 4096: %s, ", altstack(4096));
    printf("5120: %s\n", altstack(5120));
    return 0;
}
