/* clone3 as glibc and programs call it: a fork-like child with its own
 * exit signal, argument checks (size too small, unknown trailing bytes,
 * a stack without a size) and a thread through pthread_create (glibc
 * 2.34+ tries clone3 first). */
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long clone3_call(void *args, size_t size)
{
    long r = syscall(SYS_clone3, args, size);
    return r < 0 ? -errno : r;
}

static void *thread_fn(void *arg)
{
    return (char *)arg + 1;
}

int main(void)
{
    struct clone_args ca;
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = SIGCHLD;
    long pid = clone3_call(&ca, sizeof ca);
    if (pid == 0)
        _exit(7);
    int st = 0;
    int waited = waitpid((pid_t)pid, &st, 0) == pid;
    printf("fork-like child: waited %s, status %d\n", waited ? "yes" : "no", WEXITSTATUS(st));

    printf("size 32: %s\n", strerror((int)-clone3_call(&ca, 32)));
    unsigned char big[sizeof ca + 8];
    memset(big, 0, sizeof big);
    memcpy(big, &ca, sizeof ca);
    big[sizeof ca + 3] = 1;
    printf("nonzero tail: %s\n", strerror((int)-clone3_call(big, sizeof big)));
    ca.stack = (uint64_t)(uintptr_t)big;
    printf("stack without size: %s\n", strerror((int)-clone3_call(&ca, sizeof ca)));

    pthread_t th;
    void *ret;
    char c;
    pthread_create(&th, NULL, thread_fn, &c);
    pthread_join(th, &ret);
    printf("thread: %s\n", ret == &c + 1 ? "ok" : "wrong");
    return 0;
}
