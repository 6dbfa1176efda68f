/* Where a memory access the host could not back went (kvm/'s
 * KVM_STOP_MEMORY: a file mapping read past its end, which the kernel
 * answers with SIGBUS at the address touched).  KVM does not say, so the
 * faulting instruction's memory operands are decoded (capstone) and their
 * bytes probed from the host: the first one it cannot read is the
 * address.
 */
#include <string.h>

#include "disas/capstone_lib.h"
#include "linux-user/lu.h"
#include "linux-user/x86_64/x64_abi.h"

/* A 64-bit register's value, 0 for none or one not in the table. */
static uint64_t reg(const x64_cpu *c, x86_reg r)
{
    static const struct { x86_reg r; size_t off; } regs[] = {
        { X86_REG_RAX, offsetof(kvm_gregs, rax) }, { X86_REG_RBX, offsetof(kvm_gregs, rbx) },
        { X86_REG_RCX, offsetof(kvm_gregs, rcx) }, { X86_REG_RDX, offsetof(kvm_gregs, rdx) },
        { X86_REG_RSI, offsetof(kvm_gregs, rsi) }, { X86_REG_RDI, offsetof(kvm_gregs, rdi) },
        { X86_REG_RSP, offsetof(kvm_gregs, rsp) }, { X86_REG_RBP, offsetof(kvm_gregs, rbp) },
        { X86_REG_R8, offsetof(kvm_gregs, r8) }, { X86_REG_R9, offsetof(kvm_gregs, r9) },
        { X86_REG_R10, offsetof(kvm_gregs, r10) }, { X86_REG_R11, offsetof(kvm_gregs, r11) },
        { X86_REG_R12, offsetof(kvm_gregs, r12) }, { X86_REG_R13, offsetof(kvm_gregs, r13) },
        { X86_REG_R14, offsetof(kvm_gregs, r14) }, { X86_REG_R15, offsetof(kvm_gregs, r15) },
    };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        if (regs[i].r == r)
            return *(const uint64_t *)((const char *)&c->r + regs[i].off);
    return 0;
}

static uint64_t effective(const x64_cpu *c, const cs_insn *in, const cs_x86_op *op)
{
    const x86_op_mem *m = &op->mem;
    uint64_t a = (uint64_t)m->disp + reg(c, m->index) * (uint64_t)m->scale;
    a += m->base == X86_REG_RIP ? c->r.rip + in->size : reg(c, m->base);
    if (m->segment == X86_REG_FS)
        a += c->fs_base;
    else if (m->segment == X86_REG_GS)
        a += c->gs_base;
    return a;
}

/* The first byte of [a, a+len) the host cannot read. */
static bool unreadable(uint64_t a, uint64_t len, uint64_t *addr)
{
    for (uint64_t b = a; b < a + len; b = LU_PAGE_DOWN(b) + LU_PAGE) {
        char byte;
        if (lu_guest_read(&byte, b, 1) != 1) {
            *addr = b;
            return true;
        }
    }
    return false;
}

bool x64_fault_addr(const x64_cpu *c, uint64_t *addr)
{
    const capstone_lib *cs = capstone_lib_get();
    uint8_t code[16];
    size_t len = lu_guest_read(code, c->r.rip, sizeof code);
    csh h;
    if (!cs || !len || cs->open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
        return false;
    cs->option(h, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *in = NULL;
    size_t n = cs->disasm(h, code, len, c->r.rip, 1, &in);
    bool found = false;
    for (int i = 0; n == 1 && !found && i < in->detail->x86.op_count; i++) {
        const cs_x86_op *op = &in->detail->x86.operands[i];
        if (op->type == X86_OP_MEM)
            found = unreadable(effective(c, in, op), op->size ? op->size : 1, addr);
    }
    if (n)
        cs->free(in, n);
    cs->close(&h);
    return found;
}
