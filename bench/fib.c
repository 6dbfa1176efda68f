/* Recursion: calls and returns dominate. */
#include "common.h"

static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv)
{
    long n = bench_scale(argc, argv, 38);
    return bench_done("fib", (uint64_t)fib(n));
}
