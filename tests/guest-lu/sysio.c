/* Files, directories, pipes, poll and memory as programs use them:
 * mkdir/readdir/rename/unlink/rmdir, symlinks and stat types, a pipe
 * between parent and child with poll readiness and timeouts, socketpair,
 * eventfd, fcntl record locks seen from a child, direct futex calls, and
 * mmap/mprotect/mremap/munmap with the data kept and the holes faulting. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void directories(void)
{
    char dir[] = "ferry-sysio-XXXXXX", path[128];
    if (!mkdtemp(dir))
        return;
    static const char *names[] = { "b.txt", "a.txt", "sub", "link" };
    snprintf(path, sizeof path, "%s/b.txt", dir);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    snprintf(path, sizeof path, "%s/a.txt", dir);
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    printf("write: %zd\n", write(fd, "hello", 5));
    close(fd);
    snprintf(path, sizeof path, "%s/sub", dir);
    int r1 = mkdir(path, 0755), r2 = mkdir(path, 0755);
    printf("mkdir: %d, again: %s\n", r1, r2 ? strerror(errno) : "ok");
    snprintf(path, sizeof path, "%s/link", dir);
    printf("symlink: %d\n", symlink("a.txt", path));
    char *seen[8];
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while ((e = readdir(d)) && n < 8)
        if (e->d_name[0] != '.')
            seen[n++] = strdup(e->d_name);
    closedir(d);
    qsort(seen, n, sizeof *seen, cmp);
    printf("entries:");
    for (int i = 0; i < n; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, seen[i]);
        lstat(path, &st);
        printf(" %s(%s)", seen[i], S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : "file");
        free(seen[i]);
    }
    printf("\n");
    struct stat st;
    snprintf(path, sizeof path, "%s/link", dir);
    stat(path, &st);
    printf("stat through link: size %lld mode %o\n", (long long)st.st_size, (unsigned)st.st_mode & 0777);
    char target[32] = "";
    ssize_t tn = readlink(path, target, sizeof target - 1);
    printf("readlink: %zd '%s'\n", tn, target);
    char from[128], to[128];
    snprintf(from, sizeof from, "%s/b.txt", dir);
    snprintf(to, sizeof to, "%s/sub/c.txt", dir);
    r1 = rename(from, to);
    printf("rename: %d, old gone %d\n", r1, access(from, F_OK) != 0);
    snprintf(path, sizeof path, "%s/sub", dir);
    printf("rmdir non-empty: %s\n", rmdir(path) ? strerror(errno) : "ok");
    unlink(to);
    r1 = rmdir(path);
    printf("rmdir: %d\n", r1);
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    printf("rmdir top: %d\n", rmdir(dir));
}

static void pipes(void)
{
    int p[2];
    pipe2(p, O_CLOEXEC);
    struct pollfd pf = { .fd = p[0], .events = POLLIN };
    printf("poll empty pipe, 10 ms: %d\n", poll(&pf, 1, 10));
    pid_t pid = fork();
    if (pid == 0) {
        usleep(20000);
        write(p[1], "from child", 10);
        _exit(0);
    }
    int r = poll(&pf, 1, 5000);
    char buf[32] = "";
    ssize_t got = read(p[0], buf, sizeof buf - 1);
    printf("poll: %d revents POLLIN %d, read %zd '%s'\n", r, !!(pf.revents & POLLIN), got, buf);
    waitpid(pid, NULL, 0);
    close(p[1]);
    r = poll(&pf, 1, 1000);
    got = read(p[0], buf, 1);
    printf("writer closed: poll %d POLLHUP %d, read %zd\n", r, !!(pf.revents & POLLHUP), got);
    close(p[0]);

    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    printf("socketpair send %zd", send(sv[0], "ping", 4, 0));
    memset(buf, 0, sizeof buf);
    got = recv(sv[1], buf, sizeof buf, 0);
    printf(" recv %zd '%s'\n", got, buf);
    close(sv[0]);
    close(sv[1]);

    int efd = eventfd(3, 0);
    uint64_t v = 4;
    write(efd, &v, sizeof v);
    read(efd, &v, sizeof v);
    printf("eventfd: %llu\n", (unsigned long long)v);
    close(efd);
}

static void locks(void)
{
    char path[] = "ferry-lock-XXXXXX";
    int fd = mkstemp(path);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 20 };
    printf("F_SETLK: %d\n", fcntl(fd, F_SETLK, &fl));
    pid_t pid = fork();
    if (pid == 0) {
        struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100 };
        fcntl(fd, F_GETLK, &q);
        printf("child F_GETLK: type %s start %lld len %lld pid is parent %d\n",
               q.l_type == F_WRLCK ? "F_WRLCK" : "other", (long long)q.l_start, (long long)q.l_len,
               q.l_pid == getppid());
        struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 15, .l_len = 1 };
        printf("child F_SETLK on it: %s\n", fcntl(fd, F_SETLK, &w) ? "refused" : "granted");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    close(fd);
    unlink(path);
}

static void futexes(void)
{
    uint32_t word = 5;
    struct timespec ts = { 0, 10000000 };
    long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 4, &ts, NULL, 0);
    printf("futex wait, wrong value: %ld %s\n", r, strerror(errno));
    r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0);
    printf("futex wait, timeout: %ld %s\n", r, strerror(errno));
    printf("futex wake, nobody: %ld\n", syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
}

static sigjmp_buf jb;
static void on_segv(int sig)
{
    siglongjmp(jb, sig);
}

static int touch(volatile char *p)
{
    if (sigsetjmp(jb, 1))
        return 0;
    (void)*p;
    return 1;
}

static void memory(void)
{
    signal(SIGSEGV, on_segv);
    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 4; i++)
        m[i * pg] = (char)('a' + i);
    char *g = mremap(m, 4 * pg, 64 * pg, MREMAP_MAYMOVE);
    printf("mremap grow: ok %d, data kept %d, new tail zero %d\n", g != MAP_FAILED,
           g[0] == 'a' && g[3 * pg] == 'd', g[40 * pg] == 0);
    char *s = mremap(g, 64 * pg, 2 * pg, 0);
    printf("mremap shrink in place: %d, tail gone %d\n", s == g, !touch(g + 3 * pg));
    char *fixed = mmap(NULL, 8 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *mv = mremap(s, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, fixed + 4 * pg);
    printf("mremap fixed: at target %d, data %c%c, old gone %d\n", mv == fixed + 4 * pg, mv[0],
           mv[pg], !touch(s));
    int r = mprotect(mv, pg, PROT_NONE);
    printf("mprotect none: %d, readable %d\n", r, touch(mv));
    r = mprotect(mv, pg, PROT_READ);
    printf("mprotect read: %d, readable %d\n", r, touch(mv));
    r = munmap(fixed, 8 * pg);
    printf("munmap: %d, readable %d\n", r, touch(mv + pg));
    printf("munmap unaligned: %s\n", munmap(fixed + 1, pg) ? strerror(errno) : "ok");
    signal(SIGSEGV, SIG_DFL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    directories();
    pipes();
    locks();
    futexes();
    memory();
    return 0;
}
