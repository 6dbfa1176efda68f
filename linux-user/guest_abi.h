/* A guest's Linux ABI: one constant struct per guest (linux-user/<arch>/).
 * Everything the cpu loop and the syscall layer need to know about where a
 * guest keeps syscall arguments, and the facts of its auxv, lives here. */
#ifndef FERRY_GUEST_ABI_H
#define FERRY_GUEST_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frontend/frontend.h"

typedef struct guest_abi {
    const frontend *fe;        /* its name and ELF machine name the guest */
    const char *uname_machine; /* "riscv64" */
    const char *platform;      /* AT_PLATFORM string, or NULL */
    uint64_t hwcap;            /* AT_HWCAP */
    uint32_t sysno_off;        /* CPU-state offsets of the syscall number, */
    uint32_t arg_off[6];       /* its six arguments, */
    uint32_t ret_off;          /* and where the result goes */
    uint32_t sp_off;           /* the stack pointer */
    /* Set up a fresh CPU state to start at entry with stack sp. */
    void (*init_cpu)(void *cpu, uint64_t entry, uint64_t sp);
    bool sigaction_restorer;   /* guest struct sigaction has sa_restorer */
    /* The instruction word at pc and its length in bytes, for -d unimp. */
    int (*insn_at)(uint64_t pc, uint32_t *word);
} guest_abi;

extern const guest_abi guest_abi_riscv64;

#endif
