/* Translations dropped while other threads run translated code: worker
 * threads spin in hot loops while the main thread keeps telling the
 * machine that their code changed (__builtin___clear_cache: fence.i or
 * riscv_flush_icache on riscv64, nothing on x86-64).  Results must not
 * change and nothing may crash. */
// cflags: -pthread
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 3

static atomic_int running, started;

static uint64_t spin_hash(uint64_t seed, long n)
{
    uint64_t h = seed;
    for (long i = 0; i < n; i++) {
        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9ull;
        if (h & 1)
            h += (uint64_t)i;
    }
    return h;
}

static void *worker(void *arg)
{
    uint64_t *out = arg;
    atomic_fetch_add(&running, 1);
    atomic_fetch_add(&started, 1);
    uint64_t h = *out;
    for (int round = 0; round < 300; round++)
        h = spin_hash(h, 20000);
    *out = h;
    atomic_fetch_sub(&running, 1);
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    uint64_t res[THREADS];
    for (int i = 0; i < THREADS; i++) {
        res[i] = (uint64_t)i + 1;
        pthread_create(&t[i], NULL, worker, &res[i]);
    }
    char *code = (char *)(uintptr_t)spin_hash;
    long flushes = 0;
    while (atomic_load(&started) < THREADS && flushes < 100000000)
        flushes++; /* wait until every worker is in its loop */
    flushes = 0;
    do {
        __builtin___clear_cache(code, code + 256);
        flushes++;
    } while (atomic_load(&running) > 0 || flushes < 50);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++)
        printf("thread %d: %016llx\n", i, (unsigned long long)res[i]);
    printf("flushed at least 50 times: %d\n", flushes >= 50);
    return 0;
}
