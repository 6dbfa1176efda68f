/* Picks the guest frontend: by ELF machine (the loader) or by name
 * (ferry-riscv64, -cpu).  One row per guest. */
#include <string.h>

#include "frontend/frontend.h"

static const frontend *const frontends[] = {
    &frontend_riscv64,
    &frontend_aarch64,
};

const frontend *frontend_for_elf(uint16_t machine)
{
    for (size_t i = 0; i < sizeof frontends / sizeof frontends[0]; i++)
        if (frontends[i]->elf_machine == machine)
            return frontends[i];
    return NULL;
}

const frontend *frontend_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof frontends / sizeof frontends[0]; i++)
        if (!strcmp(frontends[i]->name, name))
            return frontends[i];
    return NULL;
}
