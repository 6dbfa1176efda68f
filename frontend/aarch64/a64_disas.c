/* aarch64 disassembly for -d in_asm: capstone's text of the word at pc. */
#include <capstone/capstone.h>
#include <pthread.h>
#include <stdio.h>

#include "frontend/aarch64/a64_internal.h"

static csh handle;
static bool handle_ok;
static pthread_once_t handle_once = PTHREAD_ONCE_INIT;

static void open_handle(void)
{
    handle_ok = cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &handle) == CS_ERR_OK;
}

/* "add x0, x1, #1"; 0 when the word is no known instruction.  Capstone 4
 * predates LSE: for a word it does not know but a64_base.decode does,
 * the row's name and the word ("ldop 0xf8200041").  Capstone handles are
 * not thread-safe: one at a time, as -d output is serialized anyway. */
int a64_disas(uint64_t pc, char *buf, size_t len)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    const uint8_t *code = (const uint8_t *)(uintptr_t)pc;
    cs_insn *insn;
    int n = 0;
    pthread_once(&handle_once, open_handle);
    pthread_mutex_lock(&lock);
    if (handle_ok && cs_disasm(handle, code, 4, pc, 1, &insn) == 1) {
        if (insn->op_str[0])
            snprintf(buf, len, "%s %s", insn->mnemonic, insn->op_str);
        else
            snprintf(buf, len, "%s", insn->mnemonic);
        cs_free(insn, 1);
        n = 4;
    } else {
        uint32_t w = *(const uint32_t *)code;
        a64_args a;
        const a64_insn_desc *d = a64_base_lookup_desc(w, &a);
        snprintf(buf, len, "%s 0x%08x", d ? d->name : ".word", w);
        n = d ? 4 : 0;
    }
    pthread_mutex_unlock(&lock);
    return n;
}
