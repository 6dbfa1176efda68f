/* Host code as text for -d out_asm, through capstone (loaded on first
 * use, see disas/capstone_lib.h): one line per instruction,
 * "  0x<addr>:  <mnemonic>  <operands>".
 */
#include <inttypes.h>

#include "disas/capstone_lib.h"
#include "backend/x86_64/x86.h"

void x86_disas(FILE *out, const uint8_t *code, size_t size, uint64_t addr)
{
    const capstone_lib *cs = capstone_lib_get();
    csh h;
    if (!cs || cs->open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
        fprintf(out, "  (capstone unavailable)\n");
        return;
    }
    cs_insn *insn;
    size_t n = cs->disasm(h, code, size, addr, 0, &insn);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  0x%" PRIx64 ":  %s  %s\n", insn[i].address, insn[i].mnemonic, insn[i].op_str);
    size_t done = n ? (size_t)(insn[n - 1].address + insn[n - 1].size - addr) : 0;
    if (done < size)
        fprintf(out, "  0x%" PRIx64 ":  (.byte 0x%02x...)\n", addr + done, code[done]);
    if (n)
        cs->free(insn, n);
    cs->close(&h);
}
