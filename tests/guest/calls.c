/* Control flow: recursion, function pointers (qsort callbacks), a switch
 * that compiles to a jump table, and setjmp/longjmp. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

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
    return 0;
}
