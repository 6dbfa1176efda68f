/* The registers a fault's signal handler sees: those the guest had at the
 * faulting instruction, including the ones Ferry keeps in host registers
 * across blocks (riscv64 a5, a0, sp; aarch64 NZCV, x0, x1) and those a
 * loop block keeps in the CPU state.  Each guest sets registers to known
 * values with inline assembly and loads from address 0: once in straight
 * code, once inside a loop that faults at its 50th iteration.  The same
 * is done natively on x86-64 for the expected output. */
#define _GNU_SOURCE /* REG_RAX... */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf back;
static unsigned long seen[3];
static unsigned seen_flags;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig, (void)si;
#if defined(__riscv)
    seen[0] = uc->uc_mcontext.__gregs[15]; /* a5 */
    seen[1] = uc->uc_mcontext.__gregs[10]; /* a0 */
    seen[2] = uc->uc_mcontext.__gregs[9];  /* s1 */
    seen_flags = 0;
#elif defined(__aarch64__)
    seen[0] = uc->uc_mcontext.regs[0];
    seen[1] = uc->uc_mcontext.regs[1];
    seen[2] = uc->uc_mcontext.regs[19];
    seen_flags = (unsigned)(uc->uc_mcontext.pstate >> 28) & 15; /* NZCV */
#elif defined(__x86_64__)
    seen[0] = (unsigned long)uc->uc_mcontext.gregs[REG_RAX];
    seen[1] = (unsigned long)uc->uc_mcontext.gregs[REG_RSI];
    seen[2] = (unsigned long)uc->uc_mcontext.gregs[REG_RBX];
    /* as NZCV: SF, ZF, NOT CF (Arm's carry after a compare), OF */
    unsigned long f = (unsigned long)uc->uc_mcontext.gregs[REG_EFL];
    seen_flags = (f >> 7 & 1) << 3 | (f >> 6 & 1) << 2 | (~f & 1) << 1 | (f >> 11 & 1);
#endif
    siglongjmp(back, 1);
}

/* a = 0x1234, b = 0x5678, c = 0x9abc; a compare of a with b; a load
 * from address 0. */
static void straight(void)
{
#if defined(__riscv)
    __asm__ volatile("li a5, 0x1234\n li a0, 0x5678\n li s1, 0x9abc\n ld t0, 0(zero)"
                     ::: "a5", "a0", "s1", "t0", "memory");
#elif defined(__aarch64__)
    __asm__ volatile("mov x0, #0x1234\n mov x1, #0x5678\n mov x19, #0x9abc\n cmp x0, x1\n"
                     "mov x2, #0\n ldr x2, [x2]" ::: "x0", "x1", "x19", "x2", "cc", "memory");
#elif defined(__x86_64__)
    __asm__ volatile("mov $0x1234, %%rax\n mov $0x5678, %%rsi\n mov $0x9abc, %%rbx\n"
                     "cmp %%rsi, %%rax\n mov $0, %%ecx\n mov (%%rcx), %%rcx"
                     ::: "rax", "rsi", "rbx", "rcx", "cc", "memory");
#endif
}

/* A loop counting a up from 0 that compares it with 50 and loads from
 * buf while a < 50, from address 0 once it is 50. */
static void in_loop(void)
{
    static unsigned long buf[2];
    void *p = buf;
#if defined(__riscv)
    __asm__ volatile("mv t3, %0\n li a5, 0\n li a0, 7\n li s1, 9\n"
                     "1: addi a5, a5, 1\n sltiu t1, a5, 50\n neg t1, t1\n and t2, t3, t1\n"
                     "ld t0, 0(t2)\n j 1b"
                     : : "r"(p) : "a5", "a0", "s1", "t0", "t1", "t2", "t3", "memory");
#elif defined(__aarch64__)
    __asm__ volatile("mov x3, %0\n mov x0, #0\n mov x1, #7\n mov x19, #9\n"
                     "1: add x0, x0, #1\n cmp x0, #50\n csel x2, x3, xzr, lo\n ldr x4, [x2]\n b 1b"
                     : : "r"(p) : "x0", "x1", "x2", "x3", "x4", "x19", "cc", "memory");
#elif defined(__x86_64__)
    __asm__ volatile("mov %0, %%rdi\n xor %%eax, %%eax\n mov $7, %%esi\n mov $9, %%ebx\n"
                     "xor %%edx, %%edx\n"
                     "1: add $1, %%rax\n mov %%rdi, %%rcx\n cmp $50, %%rax\n cmovae %%rdx, %%rcx\n"
                     "mov (%%rcx), %%r8\n jmp 1b"
                     : : "r"(p) : "rax", "rsi", "rbx", "rcx", "rdx", "rdi", "r8", "cc", "memory");
#endif
}

/* The flags a compare left, as NZCV (riscv64 has none: taken as right). */
static void report(const char *what, unsigned want_nzcv)
{
#if defined(__riscv)
    seen_flags = want_nzcv;
#endif
    printf("%s: %lx %lx %lx, flags %s\n", what, seen[0], seen[1], seen[2],
           seen_flags == want_nzcv ? "as compared" : "wrong");
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    for (int k = 0; k < 3; k++) { /* again: the blocks are translated by then */
        if (!sigsetjmp(back, 1))
            straight();
        report("straight", 0x8); /* 0x1234 - 0x5678: N */
        if (!sigsetjmp(back, 1))
            in_loop();
        report("in a loop", 0x6); /* 50 - 50: Z, C */
    }
    return 0;
}
