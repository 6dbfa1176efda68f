/* What a riscv64 guest sees of its machine: getauxval(AT_HWCAP), the isa
 * line of /proc/cpuinfo, riscv_hwprobe (258) answers and whether
 * /proc/self/auxv holds the same AT_HWCAP and AT_ENTRY as getauxval.
 * Built only for riscv64; machine.sh checks the output against the
 * kernel's documented values for an rv64imafdc_zicond_zicsr_zifencei_zba
 * _zbb_zbs hart. */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

struct probe { long long key; unsigned long long value; };

int main(void)
{
    printf("hwcap 0x%lx\n", getauxval(AT_HWCAP));
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    int harts = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "processor", 9) == 0)
            harts++;
        if (harts == 1 && (strncmp(line, "isa", 3) == 0 || strncmp(line, "mmu", 3) == 0))
            fputs(line, stdout);
    }
    printf("harts match: %d\n", harts == (int)sysconf(_SC_NPROCESSORS_ONLN));
    struct probe p[] = { { 3, 0 }, { 4, 0 }, { 12345, 7 } };
    long r = syscall(258, p, 3, 0, NULL, 0);
    printf("hwprobe %ld: base 0x%llx ext0 0x%llx unknown key %lld value %llu\n", r,
           p[0].value, p[1].value, p[2].key, p[2].value);
    unsigned long aux[128] = { 0 }, hw = 0, entry = 0;
    FILE *a = fopen("/proc/self/auxv", "rb");
    size_t n = a ? fread(aux, sizeof aux[0], 128, a) : 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        if (aux[i] == AT_HWCAP)
            hw = aux[i + 1];
        if (aux[i] == AT_ENTRY)
            entry = aux[i + 1];
    }
    printf("auxv file agrees: %d\n", hw == getauxval(AT_HWCAP) && entry == getauxval(AT_ENTRY));
    return 0;
}
