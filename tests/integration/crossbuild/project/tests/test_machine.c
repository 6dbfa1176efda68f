/* Prints the machine this program runs on as uname(2) reports it (what
 * `uname -m` prints) and fails unless it is the one named in argv[1]:
 * the build passes the host machine of the cross build (aarch64,
 * riscv64), so a test binary run on the build machine instead of under
 * the emulator is caught. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
    struct utsname u;
    if (uname(&u) != 0) {
        perror("uname");
        return 1;
    }
    printf("machine: %s\n", u.machine);
    if (argc > 1 && strcmp(u.machine, argv[1]) != 0) {
        fprintf(stderr, "running on %s, built for %s\n", u.machine, argv[1]);
        return 1;
    }
    return 0;
}
