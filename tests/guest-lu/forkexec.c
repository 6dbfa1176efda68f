/* Processes: fork and wait for the child's status, a child that execs
 * this same program again (through /proc/self/exe, which must be the
 * guest program), and posix_spawn (clone with CLONE_VM|CLONE_VFORK) of a
 * host program.  Compared with the same source run natively.
 */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int wait_for(pid_t pid)
{
    int st = 0;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "again") == 0) {
        printf("exec'd again with %d arguments\n", argc);
        return 9;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("in the child, my parent is %s\n", getppid() > 1 ? "alive" : "gone");
        fflush(stdout);
        _exit(5);
    }
    printf("child exited with %d\n", wait_for(pid));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *v[] = { argv[0], "again", NULL };
        execv("/proc/self/exe", v);
        _exit(127);
    }
    printf("exec'd child exited with %d\n", wait_for(pid));
    fflush(stdout);
    char *v[] = { "sh", "-c", "exit 4", NULL };
    if (posix_spawn(&pid, "/bin/sh", NULL, NULL, v, environ) == 0)
        printf("spawned shell exited with %d\n", wait_for(pid));
    return 0;
}
