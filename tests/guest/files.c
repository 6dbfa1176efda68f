/* Files and the process: open/write/read/seek/fstat on a file, argv and
 * environment, stdin, and the exit status of exit(). */
// args: alpha beta
// stdin: a line from stdin
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    printf("argc %d:", argc);
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\nHOME set: %d\n", getenv("HOME") != NULL);

    char path[] = "ferry-files-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 10;
    const char msg[] = "written through the guest\n";
    if (write(fd, msg, sizeof msg - 1) != (ssize_t)(sizeof msg - 1))
        return 11;
    struct stat st;
    if (fstat(fd, &st) != 0)
        return 12;
    printf("size %lld regular %d mode %o\n", (long long)st.st_size, S_ISREG(st.st_mode),
           (unsigned)(st.st_mode & 0777));
    char buf[64] = {0};
    lseek(fd, 8, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read %zd: %s", n, buf);
    close(fd);
    struct stat st2;
    printf("stat same inode %d\n", stat(path, &st2) == 0 && st2.st_ino == st.st_ino);
    unlink(path);
    printf("gone %d\n", access(path, F_OK) != 0);

    char line[128];
    if (fgets(line, sizeof line, stdin))
        printf("stdin: %s", line);
    FILE *f = fopen("/nonexistent/x", "r");
    printf("fopen of a missing file fails: %d\n", f == NULL);
    exit(7);
}
