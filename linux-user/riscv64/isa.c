/* What a riscv64 guest is told about its machine: one table of the
 * extensions Ferry implements, read by AT_HWCAP (single letters, bit
 * letter - 'A'), the isa line of /proc/cpuinfo and riscv_hwprobe's
 * IMA_EXT_0 bits, so the three can never disagree.
 */
#include <stdio.h>
#include <unistd.h>

#include "linux-user/lu.h"
#include "linux-user/riscv64/rv_abi.h"

/* name as in the isa string, its hwprobe IMA_EXT_0 bit (0: none).
 * Order: single letters in canonical order, then Z* as the kernel prints
 * them (by category, then alphabetically). */
static const struct rv_ext {
    const char *name;
    uint64_t probe;
} rv_exts[] = {
    { "i", 0 },
    { "m", 0 },
    { "a", 0 },
    { "f", 0 },
    { "d", RV_PROBE_IMA_FD }, /* FD: F and D both; D needs F */
    { "c", RV_PROBE_IMA_C },
    { "zicond", RV_PROBE_EXT_ZICOND },
    { "zicsr", 0 },
    { "zifencei", 0 },
    { "zba", RV_PROBE_EXT_ZBA },
    { "zbb", RV_PROBE_EXT_ZBB },
    { "zbs", RV_PROBE_EXT_ZBS },
};
#define RV_NEXTS (sizeof rv_exts / sizeof rv_exts[0])

uint64_t rv_hwcap(void)
{
    uint64_t h = 0;
    for (size_t i = 0; i < RV_NEXTS; i++)
        if (rv_exts[i].name[1] == 0)
            h |= 1ull << (rv_exts[i].name[0] - 'a');
    return h;
}

/* The kernel's form: "rv64" + letters, then "_z..." for each multi-letter
 * extension. */
void rv_isa_string(char *buf, size_t len)
{
    size_t n = (size_t)snprintf(buf, len, "rv64");
    for (size_t i = 0; i < RV_NEXTS && n < len; i++) {
        const char *e = rv_exts[i].name;
        n += (size_t)snprintf(buf + n, len - n, "%s%s", e[1] ? "_" : "", e);
    }
}

uint64_t rv_probe_ima_ext0(void)
{
    uint64_t v = 0;
    for (size_t i = 0; i < RV_NEXTS; i++)
        v |= rv_exts[i].probe;
    return v;
}

/* The layout of the riscv kernel's show_cpuinfo(), one block per hart;
 * the hart count is the host's online CPU count. */
void rv_cpuinfo(FILE *f)
{
    char isa[256];
    rv_isa_string(isa, sizeof isa);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    for (long i = 0; i < (n > 0 ? n : 1); i++)
        fprintf(f,
                "processor\t: %ld\n"
                "hart\t\t: %ld\n"
                "isa\t\t: %s\n"
                "mmu\t\t: sv39\n"
                "mvendorid\t: 0x0\n"
                "marchid\t\t: 0x0\n"
                "mimpid\t\t: 0x0\n"
                "\n",
                i, i, isa);
}
