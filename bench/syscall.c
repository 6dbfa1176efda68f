/* Syscall cost: N raw getppid() system calls (argv[1], default 100000),
 * nothing else.  The runner times N calls against none, natively and
 * under `ferry --kvm`, and divides the difference by N.  The checksum
 * counts the calls that agreed with the first: it is N on every host. */
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

int main(int argc, char **argv)
{
    long n = bench_scale(argc, argv, 100000);
    long first = n > 0 ? syscall(SYS_getppid) : 0;
    uint64_t same = 0;
    for (long i = 1; i < n; i++)
        same += syscall(SYS_getppid) == first;
    return bench_done("syscall", n > 0 ? same + 1 : 0);
}
