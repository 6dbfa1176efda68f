#!/bin/sh
# linux-user's guest C programs (threads, fork/exec/spawn), each built
# static and dynamic whatever GUEST_LINK_MODES says, compared with a native
# build by tests/guest/run-guest.sh.
set -u
dir=${srcdir:-.}
status=0
for t in threads forkexec; do
    GUEST_LINKS="static dynamic" sh "$dir/tests/guest/run-guest.sh" "$dir/tests/guest-lu/$t.c"
    st=$?
    [ $st = 77 ] && exit 77
    [ $st = 0 ] || status=1
done
exit $status
