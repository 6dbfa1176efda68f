/* The bundled guest program: `make demo` builds it for riscv64 and runs
 * it under Ferry. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
    struct utsname u;
    uname(&u);
    printf("Hello from a %s guest, translated by Ferry!\n", u.machine);
    for (int i = 1; i < argc; i++)
        printf("  argv[%d] = %s\n", i, argv[i]);
    return 0;
}
