/* Atomics under threads: AMO adds, compare-and-swap loops (LR/SC on
 * riscv64), exchanges and a mutex, from several threads at once.  No
 * update may be lost; the totals are the same on every machine. */
// cflags: -pthread
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 4
#define ITERS 20000

static atomic_long amo_sum;
static atomic_int cas_sum;
static _Atomic uint64_t max_seen;
static atomic_int spin;
static long locked_sum, plain_under_spin;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < ITERS; i++) {
        atomic_fetch_add(&amo_sum, id + 1);
        int old = atomic_load(&cas_sum);
        while (!atomic_compare_exchange_weak(&cas_sum, &old, old + 2))
            ;
        uint64_t v = (uint64_t)id * ITERS + (uint64_t)i, m = atomic_load(&max_seen);
        while (m < v && !atomic_compare_exchange_weak(&max_seen, &m, v))
            ;
        pthread_mutex_lock(&lock);
        locked_sum += i;
        pthread_mutex_unlock(&lock);
        while (atomic_exchange_explicit(&spin, 1, memory_order_acquire))
            ;
        plain_under_spin++;
        atomic_store_explicit(&spin, 0, memory_order_release);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, work, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("amo %ld cas %d max %llu locked %ld spin %ld\n", atomic_load(&amo_sum),
           atomic_load(&cas_sum), (unsigned long long)atomic_load(&max_seen), locked_sum,
           plain_under_spin);
    return 0;
}
