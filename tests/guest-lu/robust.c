/* Robust mutexes: a thread that exits holding one, and a child process
 * that dies holding a process-shared one; the next locker gets
 * EOWNERDEAD, makes it consistent, and the mutex works again.  A pending
 * waiter is woken by the owner's death. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m;

static void *hold_and_exit(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    return NULL; /* exits holding m */
}

static void *hold_then_die_later(void *arg)
{
    pthread_mutex_lock(&m);
    *(volatile int *)arg = 1;
    usleep(100000); /* the main thread is waiting on m meanwhile */
    return NULL;
}

static void init_robust(pthread_mutex_t *mu, int pshared)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (pshared)
        pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(mu, &a);
    pthread_mutexattr_destroy(&a);
}

static void relock(pthread_mutex_t *mu, const char *what)
{
    int r = pthread_mutex_lock(mu);
    printf("%s: lock after owner died: %s\n", what, r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
    if (r == EOWNERDEAD)
        printf("%s: consistent: %d\n", what, pthread_mutex_consistent(mu));
    printf("%s: unlock: %d\n", what, pthread_mutex_unlock(mu));
    printf("%s: lock again: %d\n", what, pthread_mutex_lock(mu));
    pthread_mutex_unlock(mu);
}

int main(void)
{
    pthread_t th;
    init_robust(&m, 0);
    pthread_create(&th, NULL, hold_and_exit, NULL);
    pthread_join(th, NULL);
    relock(&m, "thread");

    volatile int held = 0;
    pthread_create(&th, NULL, hold_then_die_later, (void *)&held);
    while (!held)
        usleep(1000);
    int r = pthread_mutex_lock(&m); /* sleeps until the owner dies */
    printf("waiter: woken with %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
    pthread_mutex_consistent(&m);
    pthread_mutex_unlock(&m);
    pthread_join(th, NULL);

    pthread_mutex_t *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    init_robust(sh, 1);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(sh);
        _exit(0); /* the process dies holding it */
    }
    int st;
    waitpid(pid, &st, 0);
    relock(sh, "process");
    return 0;
}
