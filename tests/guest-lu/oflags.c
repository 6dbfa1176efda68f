/* Open flags as the guest's own headers spell them (aarch64's O_DIRECTORY,
 * O_NOFOLLOW, O_DIRECT and O_LARGEFILE differ from x86-64's): O_DIRECTORY
 * on a directory and on a file, O_NOFOLLOW on a symlink, F_GETFL/F_SETFL,
 * a packet pipe (pipe2 O_DIRECT), readdir, O_TMPFILE.  Compared with the
 * same source run natively, so each flag must reach the host kernel as
 * the flag the guest meant.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void show_flags(const char *what, int fl)
{
    static const struct { int bit; const char *name; } names[] = {
        { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
        { O_DIRECT, "O_DIRECT" }, { O_DIRECTORY, "O_DIRECTORY" },
        { O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
    };
    printf("%s: access %d", what, fl & O_ACCMODE);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (fl & names[i].bit)
            printf(" %s", names[i].name);
    printf("\n");
}

static void result(const char *what, int fd)
{
    printf("%s: %s\n", what, fd >= 0 ? "ok" : strerror(errno));
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    char dir[] = "/tmp/ferry-oflags.XXXXXX", file[64], link[64];
    if (!mkdtemp(dir))
        return 1;
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    close(open(file, O_CREAT | O_WRONLY, 0600));
    if (symlink(file, link) != 0)
        return 2;
    result("O_DIRECTORY on a directory", open(dir, O_RDONLY | O_DIRECTORY));
    result("O_DIRECTORY on a file", open(file, O_RDONLY | O_DIRECTORY));
    result("O_NOFOLLOW on a symlink", open(link, O_RDONLY | O_NOFOLLOW));
    result("O_NOFOLLOW|O_PATH on a symlink", open(link, O_PATH | O_NOFOLLOW));
    result("the symlink followed", open(link, O_RDONLY));
    int fd = open(file, O_WRONLY | O_APPEND);
    show_flags("O_WRONLY|O_APPEND", fcntl(fd, F_GETFL));
    fcntl(fd, F_SETFL, O_NONBLOCK);
    show_flags("after F_SETFL O_NONBLOCK", fcntl(fd, F_GETFL));
    close(fd);
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    show_flags("a directory", fcntl(fd, F_GETFL));
    close(fd);
    int p[2];
    if (pipe2(p, O_DIRECT | O_CLOEXEC) == 0) {
        show_flags("pipe2 O_DIRECT", fcntl(p[1], F_GETFL));
        char buf[64];
        write(p[1], "one", 3);
        write(p[1], "two!", 4);
        ssize_t a = read(p[0], buf, sizeof buf), b = read(p[0], buf, sizeof buf);
        printf("packets read: %zd %zd\n", a, b);
        fcntl(p[1], F_SETFL, 0);
        show_flags("after F_SETFL 0", fcntl(p[1], F_GETFL));
        close(p[0]);
        close(p[1]);
    }
    DIR *d = opendir(dir);
    int n = 0;
    while (d && readdir(d))
        n++;
    printf("readdir entries: %d\n", n);
    if (d)
        closedir(d);
    result("O_TMPFILE", open(dir, O_TMPFILE | O_RDWR, 0600));
    unlink(link);
    unlink(file);
    rmdir(dir);
    return 0;
}
