/* Guest threads: several threads add to shared counters, one with atomics
 * and one under a mutex, and each returns a value through pthread_join;
 * plus a thread-local variable per thread, a condition variable handshake
 * and a detached thread.  The totals are fixed, so the output is the same
 * natively and under Ferry only if threads really share memory, get
 * their own tp, and exit and join as Linux does.
 */
// cflags: -pthread
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define NTHREADS 6
#define ROUNDS 20000

static atomic_long atomic_total;
static long locked_total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread long mine; /* per thread: via tp */

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;

static void *worker(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        atomic_fetch_add(&atomic_total, id + 1);
        pthread_mutex_lock(&lock);
        locked_total += 2;
        pthread_mutex_unlock(&lock);
        mine += id;
    }
    return (void *)(mine / ROUNDS * 10 + id); /* == id * 11 */
}

static void *signaller(void *arg)
{
    pthread_mutex_lock(&cv_lock);
    ready = 42;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&cv_lock);
    return NULL;
}

int main(void)
{
    pthread_t th[NTHREADS];
    mine = 1000;
    for (long i = 0; i < NTHREADS; i++)
        if (pthread_create(&th[i], NULL, worker, (void *)i) != 0) {
            puts("pthread_create failed");
            return 1;
        }
    long sum = 0;
    for (int i = 0; i < NTHREADS; i++) {
        void *r;
        pthread_join(th[i], &r);
        sum += (long)r;
    }
    printf("atomic total %ld\n", (long)atomic_total);
    printf("locked total %ld\n", locked_total);
    printf("joined values %ld\n", sum);
    printf("main's own tls %ld\n", mine);

    pthread_t s;
    pthread_create(&s, NULL, signaller, NULL);
    pthread_mutex_lock(&cv_lock);
    while (!ready)
        pthread_cond_wait(&cv, &cv_lock);
    pthread_mutex_unlock(&cv_lock);
    pthread_join(s, NULL);
    printf("condition variable %d\n", ready);

    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    ready = 0;
    pthread_create(&s, &a, signaller, NULL);
    pthread_mutex_lock(&cv_lock);
    while (!ready)
        pthread_cond_wait(&cv, &cv_lock);
    pthread_mutex_unlock(&cv_lock);
    printf("detached thread %d\n", ready);
    return 7;
}
