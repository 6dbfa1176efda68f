/* pthread_cancel, which glibc carries out with its own signal (SIGCANCEL,
 * 32): the guest's handler reads the interrupted pc from the ucontext to
 * see whether the thread sits in a cancellable syscall, then unwinds the
 * thread (cleanup handlers run) from inside the handler, through the
 * signal frame.  Once for a thread blocked in read, once for an
 * asynchronously cancellable thread spinning without syscalls.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2];
static volatile int spinning;

static void cleanup(void *arg)
{
    printf("cleanup ran for the %s thread\n", (const char *)arg);
}

static void *blocker(void *arg)
{
    char c;
    pthread_cleanup_push(cleanup, "blocked");
    if (read(fds[0], &c, 1) >= 0) /* a cancellation point, blocked */
        printf("read returned\n");
    pthread_cleanup_pop(0);
    return NULL;
}

static void *spinner(void *arg)
{
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    spinning = 1;
    for (volatile unsigned long i = 0;; i++)
        ;
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (pipe(fds) != 0)
        return 1;
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, blocker, NULL);
    usleep(20000);
    pthread_cancel(t);
    pthread_join(t, &r);
    printf("blocked thread cancelled %d\n", r == PTHREAD_CANCELED);
    pthread_create(&t, NULL, spinner, NULL);
    while (!spinning) /* cancelled before it is asynchronous, it never ends */
        usleep(1000);
    pthread_cancel(t);
    pthread_join(t, &r);
    printf("async spinning thread cancelled %d\n", r == PTHREAD_CANCELED);
    return 0;
}
