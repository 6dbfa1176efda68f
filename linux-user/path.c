/* The guest's view of the file system under -L (qemu-user's rule): an
 * absolute path names the file under the sysroot when it exists there,
 * else the host's own.  So glibc's ld.so finds /lib/libc.so.6 in the cross
 * sysroot while /tmp, /proc and /etc stay the host's.  The syscall
 * dispatcher applies it to every argument of kind 'P' (syscall_table.def):
 * one place, no test in each handler.  Some directories are always the
 * host's: /proc, /sys and /dev are the kernel's (a system tree holds them
 * as empty directories or a link to /proc, and the guest views of /proc in
 * procfs.c must see the path the guest gave), and /tmp, /var/tmp, /run,
 * /home and /root hold the user's data, not the system's: a Debian tree
 * has them empty, and mapping them would send "mkdir -p /tmp/x/y" or a
 * chdir into /tmp to the tree's copy.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "linux-user/lu.h"

static bool host_path(const char *path)
{
    static const char *const dirs[] = {
        "/proc", "/sys", "/dev", "/tmp", "/var/tmp", "/run", "/home", "/root",
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        size_t n = strlen(dirs[i]);
        if (!strncmp(path, dirs[i], n) && (path[n] == 0 || path[n] == '/'))
            return true;
    }
    return false;
}

const char *lu_path_map(const char *sysroot, const char *path, char *buf, size_t len)
{
    struct stat sb;
    /* "/" itself stays the host's root: the guest's getcwd, chdir("/")
     * and directory walks see one tree. */
    if (!sysroot || !path || path[0] != '/' || path[1] == 0 || host_path(path))
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
