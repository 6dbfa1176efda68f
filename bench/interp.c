/* A bytecode interpreter: a switch dispatch loop of indirect branches. */
#include "common.h"

enum { PUSH, ADD, SUB, MUL, DUP, SWAP, JNZ, DEC, POP, HALT };

static uint64_t run(const int *code, long iters)
{
    uint64_t st[64];
    int sp = 0, pc = 0;
    st[sp++] = (uint64_t)iters;
    st[sp++] = 1;
    for (;;) {
        switch (code[pc++]) {
        case PUSH: st[sp++] = (uint64_t)code[pc++]; break;
        case ADD: sp--; st[sp - 1] += st[sp]; break;
        case SUB: sp--; st[sp - 1] -= st[sp]; break;
        case MUL: sp--; st[sp - 1] *= st[sp]; break;
        case DUP: st[sp] = st[sp - 1]; sp++; break;
        case SWAP: { uint64_t t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; break; }
        case JNZ: { int t = code[pc++]; if (st[--sp]) pc = t; break; }
        case DEC: st[sp - 1]--; break;
        case POP: sp--; break;
        case HALT: return st[0] ^ st[1];
        }
    }
}

int main(int argc, char **argv)
{
    long n = bench_scale(argc, argv, 6000000);
    /* acc = acc * 3 + 7 while the counter under it counts down */
    static const int code[] = {
        /* 0 */ PUSH, 3, MUL, PUSH, 7, ADD, SWAP, DEC, SWAP,
        /* 9 */ SWAP, DUP, JNZ, 14, HALT,
        /* 14 */ SWAP, PUSH, 1, JNZ, 0,
    };
    return bench_done("interp", run(code, n));
}
