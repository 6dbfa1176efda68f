#!/bin/sh
# linux-user's guest C programs (threads, robust mutexes, fork/exec/spawn,
# clone3, signals across execve, EFAULT, time calls, open flags, files,
# directories, pipes, poll, locks, futexes, mmap/mremap/mprotect/munmap),
# each built for every guest in GUEST_ARCHES, static and dynamic whatever
# GUEST_LINK_MODES says, compared with a native build by
# tests/guest/run-guest.sh.
set -u
dir=${srcdir:-.}
status=0
skipped=0
for t in threads forkexec oflags robust clone3 execsig badptr timecalls sysio; do
    GUEST_LINKS="static dynamic" sh "$dir/tests/guest/run-guest.sh" "$dir/tests/guest-lu/$t.c"
    case $? in
        0) ;;
        77) skipped=1 ;;
        *) status=1 ;;
    esac
done
[ $status = 0 ] && [ $skipped = 1 ] && exit 77
exit $status
