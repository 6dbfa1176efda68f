/* The guests linux-user knows, looked up by ELF machine (ferry prog) or
 * by name (ferry-riscv64).  Adding a guest adds one row. */
#include <string.h>

#include "linux-user/lu.h"

static const guest_abi *const lu_abis[] = { &guest_abi_riscv64 };

const guest_abi *lu_abi_for_machine(uint16_t machine)
{
    for (size_t i = 0; i < sizeof lu_abis / sizeof lu_abis[0]; i++)
        if (lu_abis[i]->fe->elf_machine == machine)
            return lu_abis[i];
    return NULL;
}

const guest_abi *lu_abi_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof lu_abis / sizeof lu_abis[0]; i++)
        if (strcmp(lu_abis[i]->fe->name, name) == 0)
            return lu_abis[i];
    return NULL;
}
