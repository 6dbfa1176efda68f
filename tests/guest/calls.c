/* Control flow: recursion, function pointers (qsort callbacks), a switch
 * that compiles to a jump table, and setjmp/longjmp.  Also what a
 * return-address stack must survive: recursion deeper than it, returns
 * that skip frames (longjmp, many times over), returns to another stack
 * (swapcontext coroutines), and calls through pointers. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static const char *name(int k)
{
    switch (k) {
    case 0: return "zero";
    case 1: return "one";
    case 2: return "two";
    case 3: return "three";
    case 4: return "four";
    case 5: return "five";
    case 6: return "six";
    default: return "many";
    }
}

static jmp_buf env;
static void deep(int n)
{
    if (n == 0)
        longjmp(env, 42);
    deep(n - 1);
}

/* Not a tail call: the addition comes after the return. */
static long sum_to(volatile long n) { return n == 0 ? 0 : n + sum_to(n - 1); }

static jmp_buf again;
static void down(int n, int k)
{
    if (n == 0)
        longjmp(again, k + 1);
    down(n - 1, k);
}

static ucontext_t main_ctx, co_ctx;
static long co_value;
static void coroutine(void)
{
    for (long i = 1;; i++) {
        co_value = i * i;
        swapcontext(&co_ctx, &main_ctx);
    }
}

static long twice(long x);
static long (*volatile next_fn)(long) = twice;
static long twice(long x) { return x <= 1 ? x : 2 * next_fn(x / 2) + (x & 1); }

static void return_stack(void)
{
    printf("sum_to(20000) = %ld\n", sum_to(20000));
    volatile int k = setjmp(again); /* 2000 jumps out of 100 frames each */
    if (k < 2000)
        down(100, k);
    printf("longjmp loop ended at %d; sum_to(3000) = %ld\n", k, sum_to(3000));
    static char stack[65536];
    getcontext(&co_ctx);
    co_ctx.uc_stack.ss_sp = stack;
    co_ctx.uc_stack.ss_size = sizeof stack;
    co_ctx.uc_link = NULL;
    makecontext(&co_ctx, coroutine, 0);
    long total = 0;
    for (int i = 0; i < 1000; i++) {
        swapcontext(&main_ctx, &co_ctx);
        total += co_value;
    }
    printf("coroutine total %ld; through pointers %ld\n", total, next_fn(123456789));
}

int main(void)
{
    int a[200];
    unsigned s = 12345;
    for (int i = 0; i < 200; i++)
        a[i] = (int)((s = s * 1103515245u + 12345u) >> 8) % 1000 - 500;
    qsort(a, 200, sizeof a[0], cmp_int);
    for (int i = 0; i < 200; i += 20)
        printf("%d ", a[i]);
    printf("\nfib(25) = %ld\n", fib(25));
    for (int k = 0; k < 9; k++)
        printf("%s%c", name(k), k == 8 ? '\n' : ' ');
    int r = setjmp(env);
    if (r == 0)
        deep(50);
    printf("longjmp gave %d\n", r);
    return_stack();
    return 0;
}
