/* The aarch64 frontend: the constant struct that ties the translator
 * (a64_translate.c), the disassembler (a64_disas.c) and the CPU state
 * together, and the names the IR printer gives to a64_cpu offsets. */
#include <elf.h>

#include "frontend/frontend.h"
#include "frontend/aarch64/a64_internal.h"

/* "x0".."x30", "sp", "v0".."v31", "pc", "nzcv", ... */
const char *a64_ctx_name(uint32_t off)
{
    static const struct { uint32_t off; const char *name; } fields[] = {
        {A64_OFF_SP, "sp"},       {A64_OFF_PC, "pc"},
        {A64_OFF_NZCV, "nzcv"},   {A64_OFF_TPIDR, "tpidr_el0"},
        {A64_OFF_FPCR, "fpcr"},   {A64_OFF_FPSR, "fpsr"},
        {A64_OFF_EXCL_ADDR, "excl_addr"}, {A64_OFF_EXCL_VAL, "excl_val"},
        {A64_OFF_EXCL_VAL2, "excl_val2"}, {A64_OFF_EXCL_SIZE, "excl_size"},
    };
    static const char *const xnames[31] = {
        "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
        "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19",
        "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29",
        "x30",
    };
    static const char *const vnames[32] = {
        "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9",
        "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19",
        "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29",
        "v30", "v31",
    };
    if (off < A64_OFF_X(31) && off % 8 == 0)
        return xnames[(off - A64_OFF_X(0)) / 8];
    if (off >= A64_OFF_V(0) && off < A64_OFF_V(32) && off % 16 == 0)
        return vnames[(off - A64_OFF_V(0)) / 16];
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].off == off)
            return fields[i].name;
    return NULL;
}

const frontend frontend_aarch64 = {
    .name = "aarch64",
    .elf_machine = EM_AARCH64,
    .cpu_size = sizeof(a64_cpu),
    .pc_offset = A64_OFF_PC,
    .engine_offset = offsetof(a64_cpu, engine),
    .translate = a64_translate,
    .disas = a64_disas,
    .ctx_name = a64_ctx_name,
    .call_arg = {A64_OFF_X(0), A64_OFF_X(1), A64_OFF_X(2)},
    .call_ret = A64_OFF_X(0),
    .call_link = A64_OFF_X(30),
    /* by samples of bench/: the flags a compare leaves for the next
     * block's branch, x0 and x1, x19 (the first callee-saved) */
    .hot = {A64_OFF_NZCV, A64_OFF_X(0), A64_OFF_X(1), A64_OFF_X(19)},
    .n_hot = 4,
};
