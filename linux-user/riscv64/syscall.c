/* riscv64's own syscalls.  riscv_hwprobe answers from the extension table
 * (isa.c) with the kernel's rules: every pair gets a value, an unknown key
 * is rewritten to -1.  riscv_flush_icache drops translations of the range.
 */
#include "linux-user/lu.h"
#include "linux-user/riscv64/rv_abi.h"

#define RV_PROBE_WHICH_CPUS 1ull

#define SYS(nr, name, kinds, flags) \
    static int64_t sys_##name(lu_thread *t, const uint64_t a[6]);
#include "linux-user/riscv64/syscall_table.def"
#undef SYS

const lu_sysdef rv_syscalls[RV_NSYSCALLS] = {
#define SYS(nr, name, kinds, flags) [nr] = { #name, sys_##name, kinds, flags },
#include "linux-user/riscv64/syscall_table.def"
#undef SYS
};

/* Every hart is the same, so the answer does not depend on the cpu set. */
static bool probe_key(int64_t key, uint64_t *value)
{
    switch (key) {
    case RV_PROBE_KEY_MVENDORID:
    case RV_PROBE_KEY_MARCHID:
    case RV_PROBE_KEY_MIMPID: *value = 0; return true;
    case RV_PROBE_KEY_BASE_BEHAVIOR: *value = RV_PROBE_BASE_BEHAVIOR_IMA; return true;
    case RV_PROBE_KEY_IMA_EXT_0: *value = rv_probe_ima_ext0(); return true;
    default: return false;
    }
}

/* (pairs, pair_count, cpusetsize, cpus, flags) */
static int64_t sys_riscv_hwprobe(lu_thread *t, const uint64_t a[6])
{
    if (a[4] & ~RV_PROBE_WHICH_CPUS)
        return -EINVAL;
    if (a[4] & RV_PROBE_WHICH_CPUS)
        return -EINVAL; /* the "which cpus" form: not needed by glibc yet */
    if (a[2] == 0 && a[3] != 0)
        return -EINVAL;
    int64_t *pairs = G2H(a[0]);
    for (uint64_t i = 0; i < a[1]; i++) {
        uint64_t v = 0;
        if (!probe_key(pairs[2 * i], &v))
            pairs[2 * i] = -1;
        pairs[2 * i + 1] = (int64_t)v;
    }
    return 0;
}

/* (start, end, flags): fence.i for a range, as a JIT asks for it. */
static int64_t sys_riscv_flush_icache(lu_thread *t, const uint64_t a[6])
{
    if (a[2] & ~1ull) /* SYS_RISCV_FLUSH_ICACHE_LOCAL */
        return -EINVAL;
    if (t->p->invalidate)
        t->p->invalidate(t->p->eng, a[0], a[1] > a[0] ? a[1] : a[0] + 1);
    return 0;
}
