/* The riscv64 frontend: the constant struct that ties the translator
 * (rv_translate.c), the disassembler (rv_disas.c) and the CPU state
 * together, and the names the IR printer gives to rv_cpu offsets. */
#include <elf.h>

#include "frontend/frontend.h"
#include "frontend/riscv64/rv_internal.h"

/* "a0", "pc", "fa0", "fflags", ...: offsets are 8-aligned except the two
 * 32-bit FP status fields. */
const char *rv_ctx_name(uint32_t off)
{
    static const struct { uint32_t off; const char *name; } fields[] = {
        {RV_OFF_PC, "pc"},         {RV_OFF_FFLAGS, "fflags"},
        {RV_OFF_FRM, "frm"},       {RV_OFF_RES_ADDR, "res_addr"},
        {RV_OFF_RES_VAL, "res_val"}, {RV_OFF_RES_SIZE, "res_size"},
    };
    if (off < RV_OFF_X(32) && off % 8 == 0)
        return rv_xreg_name((off - RV_OFF_X(0)) / 8);
    if (off >= RV_OFF_F(0) && off < RV_OFF_F(32) && off % 8 == 0)
        return rv_freg_name((off - RV_OFF_F(0)) / 8);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].off == off)
            return fields[i].name;
    return NULL;
}

const frontend frontend_riscv64 = {
    .name = "riscv64",
    .elf_machine = EM_RISCV,
    .cpu_size = sizeof(rv_cpu),
    .pc_offset = RV_OFF_PC,
    .engine_offset = offsetof(rv_cpu, engine),
    .translate = rv_translate,
    .disas = rv_disas,
    .ctx_name = rv_ctx_name,
    .call_arg = {RV_OFF_X(10), RV_OFF_X(11), RV_OFF_X(12)}, /* a0..a2 */
    .call_ret = RV_OFF_X(10),
    .call_link = RV_OFF_X(1), /* ra */
    /* by samples of bench/ (gcc's temporaries a5 and a0, sp's bases) */
    .hot = {RV_OFF_X(15), RV_OFF_X(10), RV_OFF_X(2), RV_OFF_X(8)},
    .n_hot = 4,
};
