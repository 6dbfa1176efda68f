/* Host code as text for -d out_asm, through capstone (loaded on first
 * use, see disas/capstone_lib.h): one line per instruction,
 * "  0x<addr>:  <mnemonic>  <operands>".
 */
#include <inttypes.h>

#include "disas/capstone_lib.h"
#include "backend/x86_64/emit.h"
#include "backend/x86_64/x86.h"

/* Instructions of code[from, to) (at addr + from), one line each. */
static void disas_range(FILE *out, const capstone_lib *cs, csh h, const uint8_t *code,
                        size_t from, size_t to, uint64_t addr)
{
    cs_insn *insn;
    size_t n = cs->disasm(h, code + from, to - from, addr + from, 0, &insn);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  0x%" PRIx64 ":  %s  %s\n", insn[i].address, insn[i].mnemonic, insn[i].op_str);
    size_t done = n ? (size_t)(insn[n - 1].address + insn[n - 1].size - addr) : from;
    if (done < to)
        fprintf(out, "  0x%" PRIx64 ":  (.byte 0x%02x...)\n", addr + done, code[done]);
    if (n)
        cs->free(insn, n);
}

void x86_disas_block(FILE *out, const uint8_t *code, size_t size, uint64_t addr,
                     const x86_exit_site *exits, unsigned n)
{
    const capstone_lib *cs = capstone_lib_get();
    csh h;
    if (!cs || cs->open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
        fprintf(out, "  (capstone unavailable)\n");
        return;
    }
    for (size_t at = 0;;) {
        /* the next compact chain stub (a call, then its data: x86.h) */
        size_t next = size, data = 0;
        for (unsigned k = 0; k < n; k++) {
            size_t s = exits[k].stub_off;
            size_t len = x86_fits32((int64_t)exits[k].target_pc) ? X86_CHAIN_STUB32 : X86_CHAIN_STUB64;
            if (s >= at && s + len <= size && s + 5 < next && code[s] == 0xe8)
                next = s + 5, data = len - 5;
        }
        disas_range(out, cs, h, code, at, next, addr);
        if (next >= size)
            break;
        fprintf(out, "  0x%" PRIx64 ":  (the stub's data: pc, offset of its jmp)\n", addr + next);
        at = next + data;
    }
    cs->close(&h);
}

void x86_disas(FILE *out, const uint8_t *code, size_t size, uint64_t addr)
{
    x86_disas_block(out, code, size, addr, NULL, 0);
}
