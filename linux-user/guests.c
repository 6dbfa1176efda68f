/* The guests linux-user knows, looked up by ELF machine (ferry prog) or
 * by name (ferry-riscv64), and the flag tables' translation.  Adding a
 * guest adds one row. */
#include <string.h>

#include "linux-user/lu.h"

static const guest_abi *const lu_abis[] = { &guest_abi_riscv64, &guest_abi_aarch64,
                                             &guest_abi_x86_64 };
#define LU_NABIS (sizeof lu_abis / sizeof lu_abis[0])

const guest_abi *lu_abi_for_machine(uint16_t machine)
{
    for (size_t i = 0; i < LU_NABIS; i++)
        if (lu_abis[i]->elf_machine == machine)
            return lu_abis[i];
    return NULL;
}

const guest_abi *lu_abi_by_name(const char *name)
{
    for (size_t i = 0; i < LU_NABIS; i++)
        if (strcmp(lu_abis[i]->name, name) == 0)
            return lu_abis[i];
    return NULL;
}

/* Each row's bit moves from one side's value to the other's; the rows'
 * bits are cleared first, as two rows may swap values. */
static uint64_t remap(const lu_bitmap *m, size_t n, uint64_t v, bool to_host)
{
    uint64_t out = v;
    for (size_t i = 0; i < n; i++)
        out &= ~(to_host ? m[i].guest : m[i].host);
    for (size_t i = 0; i < n; i++)
        if (v & (to_host ? m[i].guest : m[i].host))
            out |= to_host ? m[i].host : m[i].guest;
    return out;
}

uint64_t lu_bits_to_host(const lu_bitmap *m, size_t n, uint64_t guest)
{
    return remap(m, n, guest, true);
}

uint64_t lu_bits_to_guest(const lu_bitmap *m, size_t n, uint64_t host)
{
    return remap(m, n, host, false);
}
