/* Started by binfmt_misc: the kernel runs a registered interpreter
 * (tools/ferry-binfmt registers ferry-<guest>) as
 *
 *     ferry-aarch64  PATH  [ARGV0]  ARGS...
 *
 * PATH being the program as execve() named it.  Without the P flag the
 * original argv[0] is gone and PATH takes its place; with P (preserve-
 * argv0) it follows PATH.  With O (open-binary, and C, which implies it)
 * the kernel also passes the program already open, as AT_EXECFD.
 *
 * Design: Ferry asks the kernel, not the command line, whether it was
 * started that way.  Since Linux 5.12 a P registration sets
 * AT_FLAGS_PRESERVE_ARGV0 in the interpreter's AT_FLAGS (qemu-user reads
 * the same bit); an O registration gives AT_EXECFD.  Either one means
 * "binfmt_misc": PATH is then the program even when it looks like an
 * option ("-x"), no option is read from argv (the FERRY_* variables still
 * apply), P's ARGV0 becomes the guest's argv[0] as -0 would, and the
 * program is loaded from the descriptor, which works for a program its
 * user may execute but not read (mode 0111).  No special argv[0] and no
 * wrapper binary: qemu's older "-binfmt" wrapper needed a second program
 * in every container, and a registration cannot add arguments.  Without P
 * and O (F alone) the kernel's command line is an ordinary one,
 * "ferry-aarch64 PATH ARGS", and is read as such.
 *
 * C (credentials from the program): the kernel makes Ferry's own uids
 * those of a set-user-ID program; Ferry never changes them, so the guest
 * runs with them.  The kernel then also sets AT_SECURE, and Ferry drops
 * what the FERRY_* variables asked for, as ld.so ignores LD_* there: the
 * caller must not pick the libraries (FERRY_LD_PREFIX) or a file to
 * write (FERRY_LOG_FILE) of a privileged program.  F (fix-binary): the kernel opened Ferry at
 * registration, so Ferry works in a chroot or container that does not
 * hold it (a static build: no ld.so or libraries needed there); a guest
 * execve then re-runs Ferry through /proc/self/exe (lu_binfmt_self).
 */
#include <errno.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>

#include "linux-user/lu.h"

#ifndef AT_FLAGS_PRESERVE_ARGV0
#define AT_FLAGS_PRESERVE_ARGV0 1 /* linux/binfmts.h, Linux 5.12 */
#endif

/* An auxv entry of Ferry's own, or -1 when the kernel gave none. */
static long own_auxv(unsigned long type)
{
    errno = 0;
    unsigned long v = getauxval(type);
    return v == 0 && errno == ENOENT ? -1 : (long)v;
}

int lu_binfmt_args(lu_options *opt, int *argc, char **argv, int *execfd)
{
    long flags = own_auxv(AT_FLAGS);
    long fd = own_auxv(AT_EXECFD);
    bool preserve = flags > 0 && (flags & AT_FLAGS_PRESERVE_ARGV0);
    *execfd = -1;
    if ((!preserve && fd < 0) || *argc < 2)
        return 0;
    *execfd = (int)fd;
    if (own_auxv(AT_SECURE) > 0)
        *opt = (lu_options){ 0 }; /* parse_env's, from an unprivileged caller */
    if (preserve && *argc >= 3) {
        /* interpreter PATH ARGV0 ARGS... -> interpreter PATH ARGS..., -0 ARGV0 */
        opt->argv0 = argv[2];
        memmove(&argv[2], &argv[3], (size_t)(*argc - 2) * sizeof *argv);
        (*argc)--;
    }
    return 1;
}

/* The kernel's link to Ferry's binary names a file outside the root of a
 * chroot Ferry was registered into with F; there the path may be missing
 * or another file.  /proc/self/exe always reaches the right one. */
const char *lu_binfmt_self(const char *path)
{
    struct stat self, named;
    if (!path || stat("/proc/self/exe", &self) != 0)
        return path;
    if (stat(path, &named) == 0 && named.st_dev == self.st_dev &&
        named.st_ino == self.st_ino)
        return path;
    return "/proc/self/exe";
}
