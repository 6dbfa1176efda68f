/* The guest's view of the file system under -L (qemu-user's rule): an
 * absolute path names the file under the sysroot when it exists there,
 * else the host's own.  So glibc's ld.so finds /lib/libc.so.6 in the cross
 * sysroot while /tmp, /proc and /etc stay the host's.  The syscall
 * dispatcher applies it to every argument of kind 'P' (syscall_table.def):
 * one place, no test in each handler.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "linux-user/lu.h"

const char *lu_path_map(const char *sysroot, const char *path, char *buf, size_t len)
{
    struct stat sb;
    /* "/" itself stays the host's root: the guest's getcwd, chdir("/")
     * and directory walks see one tree. */
    if (!sysroot || !path || path[0] != '/' || path[1] == 0)
        return path;
    int n = snprintf(buf, len, "%s%s", sysroot, path);
    if (n < 0 || (size_t)n >= len)
        return path;
    /* lstat: a dangling symlink in the sysroot still names that entry */
    if (fstatat(AT_FDCWD, buf, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return path;
    return buf;
}

const char *lu_sysroot(const guest_abi *abi, const char *given)
{
    struct stat sb;
    if (given && *given)
        return given;
    if (abi->default_sysroot && stat(abi->default_sysroot, &sb) == 0 &&
        S_ISDIR(sb.st_mode))
        return abi->default_sysroot;
    return NULL;
}
