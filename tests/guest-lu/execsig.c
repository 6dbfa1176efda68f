/* Signals across execve: the mask is kept, a blocked pending signal stays
 * pending in the new image (with its handler reset to the default), an
 * ignored one stays ignored.  Runs itself again through /proc/self/exe. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
    got = sig;
}

int main(int argc, char **argv)
{
    sigset_t s;
    if (argc > 1) { /* the new image */
        sigprocmask(SIG_BLOCK, NULL, &s);
        printf("after exec: USR1 blocked %d, USR2 blocked %d\n",
               sigismember(&s, SIGUSR1), sigismember(&s, SIGUSR2));
        sigpending(&s);
        printf("after exec: USR1 pending %d, USR2 pending %d\n",
               sigismember(&s, SIGUSR1), sigismember(&s, SIGUSR2));
        struct sigaction old;
        sigaction(SIGUSR2, NULL, &old);
        printf("after exec: USR2 ignored %d\n", old.sa_handler == SIG_IGN);
        signal(SIGUSR1, on_usr1);
        sigemptyset(&s);
        sigaddset(&s, SIGUSR1);
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        printf("after unblock: handler got %d\n", got);
        return 0;
    }
    signal(SIGUSR1, on_usr1); /* a handler execve resets */
    signal(SIGUSR2, SIG_IGN);
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGUSR1);
    sigpending(&s);
    printf("before exec: USR1 pending %d\n", sigismember(&s, SIGUSR1));
    fflush(stdout);
    char *args[] = { argv[0], "again", NULL };
    execv("/proc/self/exe", args);
    perror("execv");
    return 1;
}
