/* Precise faults and kicks, through a real engine and a tiny fake guest:
 * its "instructions" are IR shapes chosen by pc (loads, stores, register
 * writes, a self-loop).  A test-local SIGSEGV handler calls engine_fault,
 * as linux-user's does; engine_run must then name the faulting guest
 * instruction, the address and the si_code, with the CPU state exact.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "backend/engine.h"

typedef struct fake_cpu {
    uint64_t r[8];
    uint64_t pc;
    uint64_t engine[2];
} fake_cpu;

#define R(k) ((uint32_t)offsetof(fake_cpu, r[k]))

static uint8_t *code_page; /* the guest "code": mapped, never read */
static engine *eng;

enum { PROG_LOAD = 0, PROG_STORE = 0x100, PROG_LOOP = 0x200, PROG_TWO = 0x300, PROG_CALL = 0x400 };

/* r1 = 42; r3 = [r2]; r4 = r3 + 1; goto next */
static void prog_load(ir_block *b, uint64_t pc)
{
    ir_insn_start(b, pc);
    ir_ctx_store(b, ir_const(b, IR_I64, 42), R(1));
    ir_insn_start(b, pc + 4);
    ir_val v = ir_load(b, IR_I64, IR_M64, ir_ctx_load(b, IR_I64, R(2)));
    ir_ctx_store(b, v, R(3));
    ir_insn_start(b, pc + 8);
    ir_ctx_store(b, ir_binop(b, IR_ADD, IR_I64, v, ir_const(b, IR_I64, 1)), R(4));
    ir_syscall(b, pc + 12);
    b->guest_end = pc + 12;
    b->n_guest = 3;
}

/* r5 = r5 + 7; [r2] = r5 (32 bits); r6 = 1; syscall */
static void prog_store(ir_block *b, uint64_t pc)
{
    ir_insn_start(b, pc);
    ir_val x = ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, R(5)), ir_const(b, IR_I64, 7));
    ir_ctx_store(b, x, R(5));
    ir_insn_start(b, pc + 4);
    ir_store(b, IR_M32, ir_ctx_load(b, IR_I64, R(2)), x);
    ir_insn_start(b, pc + 8);
    ir_ctx_store(b, ir_const(b, IR_I64, 1), R(6));
    ir_syscall(b, pc + 12);
    b->guest_end = pc + 12;
    b->n_guest = 3;
}

/* r1 = r1 + 1; goto here: a loop of one chained block */
static void prog_loop(ir_block *b, uint64_t pc)
{
    ir_insn_start(b, pc);
    ir_val x = ir_binop(b, IR_ADD, IR_I64, ir_ctx_load(b, IR_I64, R(1)), ir_const(b, IR_I64, 1));
    ir_ctx_store(b, x, R(1));
    ir_goto(b, pc);
    b->guest_end = pc + 4;
    b->n_guest = 1;
}

/* two blocks: r7 = 1; goto +4 | r7 = 2; r3 = [r2]; syscall: the fault is
 * in the second block, which was entered by a chained jump */
static void prog_two(ir_block *b, uint64_t pc)
{
    bool first = (pc - (uint64_t)(uintptr_t)code_page) == PROG_TWO;
    ir_insn_start(b, pc);
    ir_ctx_store(b, ir_const(b, IR_I64, first ? 1 : 2), R(7));
    if (first) {
        ir_goto(b, pc + 4);
    } else {
        ir_insn_start(b, pc + 4);
        ir_ctx_store(b, ir_load(b, IR_I64, IR_M64, ir_ctx_load(b, IR_I64, R(2))), R(3));
        ir_syscall(b, pc + 8);
    }
    b->guest_end = pc + 4 + !first * 4;
    b->n_guest = first ? 1 : 2;
}

static uint64_t read_word(void *cpu, uint64_t a0, uint64_t a1, uint64_t a2)
{
    (void)cpu, (void)a1, (void)a2;
    return *(volatile uint64_t *)(uintptr_t)a0;
}
static const ir_helper read_helper = {"read_word", read_word, 1};

/* r1 = 42; r3 = read_word(r2) (a helper touching guest memory); syscall */
static void prog_call(ir_block *b, uint64_t pc)
{
    ir_insn_start(b, pc);
    ir_ctx_store(b, ir_const(b, IR_I64, 42), R(1));
    ir_insn_start(b, pc + 4);
    ir_val v = ir_call(b, &read_helper, ir_ctx_load(b, IR_I64, R(2)), IR_NONE, IR_NONE);
    ir_ctx_store(b, v, R(3));
    ir_syscall(b, pc + 8);
    b->guest_end = pc + 8;
    b->n_guest = 2;
}

static void fake_translate(ir_block *b, uint64_t pc)
{
    uint64_t off = pc - (uint64_t)(uintptr_t)code_page;
    if (off >= PROG_CALL)
        prog_call(b, pc);
    else if (off < PROG_STORE)
        prog_load(b, pc);
    else if (off < PROG_LOOP)
        prog_store(b, pc);
    else if (off < PROG_TWO)
        prog_loop(b, pc);
    else
        prog_two(b, pc);
}

static int fake_disas(uint64_t pc, char *buf, size_t len)
{
    (void)pc, (void)buf, (void)len;
    return 0;
}

static const char *fake_name(uint32_t off)
{
    (void)off;
    return NULL;
}

static const frontend fake_fe = {
    .name = "fake", .cpu_size = sizeof(fake_cpu), .pc_offset = offsetof(fake_cpu, pc),
    .engine_offset = offsetof(fake_cpu, engine), .translate = fake_translate,
    .disas = fake_disas, .ctx_name = fake_name,
};

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    engine_fault(eng, sig, si, uc);
    signal(sig, SIG_DFL); /* not guest code: die of it */
}

static void setup(void)
{
    code_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(code_page != MAP_FAILED);
    engine_opts opts = {0};
    eng = engine_new(&fake_fe, &opts);
    struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO};
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

TestSuite(x86_fault, .init = setup);

static uint64_t prog(int k) { return (uint64_t)(uintptr_t)code_page + (uint64_t)k; }

/* An address with nothing mapped: the middle page of three reserved,
 * unmapped, its neighbours kept, so that only a mapping of one page could
 * take the hole (the engine maps bigger ones as it goes: its slot table
 * at the first block). */
static uint64_t unmapped_addr(void)
{
    uint8_t *p = mmap(NULL, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + 4096, 4096);
    return (uint64_t)(uintptr_t)p + 4096 + 0x18;
}

Test(x86_fault, load_from_unmapped_page_after_a_register_write)
{
    fake_cpu cpu = {.pc = prog(PROG_LOAD)};
    uint64_t bad = unmapped_addr();
    cpu.r[2] = bad;
    engine_exit x = engine_run(eng, &cpu);
    cr_assert_eq(x.reason, ENGINE_FAULT);
    cr_expect_eq(x.pc, prog(PROG_LOAD) + 4, "the load's own instruction");
    cr_expect_eq(x.fault_addr, bad);
    cr_expect_eq(x.host_signal, SIGSEGV);
    cr_expect_eq(x.host_code, SEGV_MAPERR);
    cr_expect_eq(cpu.pc, prog(PROG_LOAD) + 4);
    cr_expect_eq(cpu.r[1], 42, "the earlier instruction's write is in the state");
    cr_expect_eq(cpu.r[3], 0);
    cr_expect_eq(cpu.r[4], 0);

    /* the handler's signal mask is gone: the same fault is caught again,
     * and a good address runs the block to its end (the fake guest's
     * blocks only make sense from their first pc) */
    cpu.pc = prog(PROG_LOAD);
    x = engine_run(eng, &cpu);
    cr_assert_eq(x.reason, ENGINE_FAULT);
    cr_expect_eq(x.pc, prog(PROG_LOAD) + 4);
    uint64_t word = 99;
    cpu.r[2] = (uint64_t)(uintptr_t)&word;
    cpu.pc = prog(PROG_LOAD);
    x = engine_run(eng, &cpu);
    cr_assert_eq(x.reason, ENGINE_SYSCALL);
    cr_expect_eq(cpu.r[3], 99);
    cr_expect_eq(cpu.r[4], 100);
}

Test(x86_fault, store_to_read_only_page)
{
    uint8_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(ro != MAP_FAILED);
    fake_cpu cpu = {.pc = prog(PROG_STORE), .r = {[2] = (uint64_t)(uintptr_t)ro + 100, [5] = 5}};
    engine_exit x = engine_run(eng, &cpu);
    cr_assert_eq(x.reason, ENGINE_FAULT);
    cr_expect_eq(x.pc, prog(PROG_STORE) + 4);
    cr_expect_eq(x.fault_addr, (uint64_t)(uintptr_t)ro + 100);
    cr_expect_eq(x.host_signal, SIGSEGV);
    cr_expect_eq(x.host_code, SEGV_ACCERR);
    cr_expect_eq(cpu.r[5], 12, "the add before the store is in the state");
    cr_expect_eq(cpu.r[6], 0, "the instruction after it is not");
    cr_expect_eq(cpu.pc, prog(PROG_STORE) + 4);
}

Test(x86_fault, fault_inside_a_helper_call)
{
    fake_cpu cpu = {.pc = prog(PROG_CALL), .r = {[2] = unmapped_addr()}};
    engine_exit x = engine_run(eng, &cpu);
    cr_assert_eq(x.reason, ENGINE_FAULT);
    cr_expect_eq(x.pc, prog(PROG_CALL) + 4);
    cr_expect_eq(cpu.pc, prog(PROG_CALL) + 4);
    cr_expect_eq(x.fault_addr, cpu.r[2]);
    cr_expect_eq(cpu.r[1], 42);
}

Test(x86_fault, fault_in_a_chained_block_keeps_mxcsr)
{
    uint32_t guest_csr = 0x1f80 | 3 << 13 | 0x20, csr, saved; /* RTZ, inexact raised */
    __asm__ volatile("stmxcsr %0" : "=m"(saved));
    fake_cpu cpu = {.pc = prog(PROG_TWO), .r = {[2] = unmapped_addr()}};
    __asm__ volatile("ldmxcsr %0" : : "m"(guest_csr));
    engine_exit x = engine_run(eng, &cpu);
    __asm__ volatile("stmxcsr %0" : "=m"(csr));
    __asm__ volatile("ldmxcsr %0" : : "m"(saved));
    cr_assert_eq(x.reason, ENGINE_FAULT);
    cr_expect_eq(x.pc, prog(PROG_TWO) + 8);
    cr_expect_eq(cpu.r[7], 2);
    cr_expect_eq(csr & 0xffbf, guest_csr, "the guest's MXCSR survives the jump out");
}

static void *kicker(void *arg)
{
    fake_cpu *cpu = arg;
    struct timespec ts = {0, 20 * 1000 * 1000};
    while (__atomic_load_n(&cpu->r[1], __ATOMIC_RELAXED) < 1000)
        sched_yield();
    nanosleep(&ts, NULL);
    engine_kick(eng, cpu);
    return NULL;
}

Test(x86_fault, kick_stops_an_endless_chained_loop)
{
    fake_cpu cpu = {.pc = prog(PROG_LOOP)};
    for (int round = 0; round < 3; round++) {
        pthread_t t;
        uint64_t before = cpu.r[1];
        cpu.r[1] = 0;
        pthread_create(&t, NULL, kicker, &cpu);
        engine_exit x = engine_run(eng, &cpu);
        pthread_join(t, NULL);
        cr_assert_eq(x.reason, ENGINE_INTERRUPT);
        cr_expect_eq(x.pc, prog(PROG_LOOP));
        cr_expect_eq(cpu.pc, prog(PROG_LOOP));
        cr_expect_geq(cpu.r[1], 1000, "it ran (round %d, before %lu)", round,
                      (unsigned long)before);
        cr_expect_eq(cpu.engine[0] >> 16 & 0xff, 0, "the stop byte is cleared");
    }
}

Test(x86_fault, kick_outside_code_stops_the_next_run_at_once)
{
    fake_cpu cpu = {.pc = prog(PROG_LOOP), .r = {[1] = 5}};
    engine_kick(eng, &cpu);
    engine_exit x = engine_run(eng, &cpu);
    cr_assert_eq(x.reason, ENGINE_INTERRUPT);
    cr_expect_eq(x.pc, prog(PROG_LOOP));
    cr_expect_eq(cpu.r[1], 5, "nothing ran");
}

Test(x86_fault, fault_outside_guest_code_is_not_taken)
{
    /* a fault in C code returns from engine_fault; here by hand */
    siginfo_t si = {.si_code = SEGV_MAPERR};
    ucontext_t uc;
    getcontext(&uc);
    engine_fault(eng, SIGSEGV, &si, &uc);
    cr_expect(1, "engine_fault returned");
}
