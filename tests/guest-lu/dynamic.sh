#!/bin/sh
# Dynamic programs from the command line, for each guest in GUEST_ARCHES:
# the sysroot from -L or FERRY_LD_PREFIX, a missing interpreter (one line,
# exit 126), and -strace showing the guest's own paths and the thread
# calls (glibc's pthread_create clone flags are the same on every guest).
set -u
dir=${srcdir:-.}
. "$dir/tests/guest-lu/guests.sh"
src=$dir/tests/guest/hello.c
out=${GUEST_BUILD:-tests/guest/build}/lu
mkdir -p "$out"
cc -O2 -o "$out/hello-native" "$src" || exit 99
want=$("$out/hello-native"); want_st=$?
status=0
ran=0
fail() { echo "FAIL: $arch: $*"; status=1; }

for arch in $(translated_arches); do
    guest_info "$arch" || { echo "FAIL: unknown guest '$arch'"; status=1; continue; }
    have_cross "$cc" || { skip_guest "$arch"; continue; }
    ran=1
    before=$status
    "$cc" -O2 -o "$out/hello-dyn-$short" "$src" || exit 99
    "$cc" -O2 -pthread -o "$out/threads-dyn-$short" "$dir/tests/guest-lu/threads.c" || exit 99

    got=$(FERRY_LD_PREFIX="$sysroot" "$FERRY" "$out/hello-dyn-$short"); st=$?
    [ "$got" = "$want" ] && [ $st = $want_st ] || fail "FERRY_LD_PREFIX: status $st, output: $got"

    err=$("$FERRY" -L /nonexistent "$out/hello-dyn-$short" 2>&1 >/dev/null); st=$?
    [ $st = 126 ] || fail "missing interpreter: exit $st, not 126"
    [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "missing interpreter: not one line: $err"
    case $err in *"interpreter $interp not found"*) ;;
        *) fail "missing interpreter: $err" ;; esac

    # -strace: paths as the guest passed them, before the sysroot rule
    trace=$out/hello-dyn-$short.strace
    "$FERRY" -L "$sysroot" -strace "$out/hello-dyn-$short" 2>"$trace" >/dev/null
    grep -q 'openat(AT_FDCWD, "/lib/libc.so.6"' "$trace" ||
        fail "-strace: no openat of /lib/libc.so.6: $(head -5 "$trace")"
    trace=$out/threads-dyn-$short.strace
    "$FERRY" -L "$sysroot" -strace "$out/threads-dyn-$short" 2>"$trace" >/dev/null
    for call in 'clone(0x3d0f00' 'futex(' 'set_robust_list(' 'exit(0)' 'exit_group(7)'; do
        grep -qF "$call" "$trace" || fail "-strace: no $call"
    done
    [ $status = $before ] && echo "PASS: $arch: dynamic programs from the command line"
done
[ $ran = 0 ] && [ $status = 0 ] && exit 77
exit $status
