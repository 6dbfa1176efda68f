#!/bin/sh
# Dynamic programs from the command line: the sysroot from -L or
# FERRY_LD_PREFIX, a missing interpreter (one line, exit 126), and -strace
# showing the guest's own paths and the thread calls.
set -u
src=${srcdir:-.}/tests/guest/hello.c
out=${GUEST_BUILD:-tests/guest/build}/lu
sysroot=${RISCV64_SYSROOT:-/usr/riscv64-linux-gnu}
if [ -z "${RISCV64_CC:-}" ] || ! command -v "$RISCV64_CC" >/dev/null 2>&1; then
    echo "SKIP: no riscv64 cross compiler"; exit 77
fi
mkdir -p "$out"
"$RISCV64_CC" -O2 -o "$out/hello-dyn" "$src" || exit 99
"$RISCV64_CC" -O2 -pthread -o "$out/threads-dyn" "${srcdir:-.}/tests/guest-lu/threads.c" || exit 99
cc -O2 -o "$out/hello-native" "$src" || exit 99
want=$("$out/hello-native"); want_st=$?
status=0
fail() { echo "FAIL: $*"; status=1; }

got=$(FERRY_LD_PREFIX="$sysroot" "$FERRY" "$out/hello-dyn"); st=$?
[ "$got" = "$want" ] && [ $st = $want_st ] || fail "FERRY_LD_PREFIX: status $st, output: $got"

err=$("$FERRY" -L /nonexistent "$out/hello-dyn" 2>&1 >/dev/null); st=$?
[ $st = 126 ] || fail "missing interpreter: exit $st, not 126"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "missing interpreter: not one line: $err"
case $err in *"interpreter /lib/ld-linux-riscv64-lp64d.so.1 not found"*) ;;
    *) fail "missing interpreter: $err" ;; esac

# -strace: paths as the guest passed them, before the sysroot rule
"$FERRY" -L "$sysroot" -strace "$out/hello-dyn" 2>"$out/hello-dyn.strace" >/dev/null
grep -q 'openat(AT_FDCWD,"/lib/libc.so.6"' "$out/hello-dyn.strace" ||
    fail "-strace: no openat of /lib/libc.so.6: $(head -5 "$out/hello-dyn.strace")"
"$FERRY" -L "$sysroot" -strace "$out/threads-dyn" 2>"$out/threads-dyn.strace" >/dev/null
for call in 'clone(0x3d0f00' 'futex(' 'set_robust_list(' 'exit(0)' 'exit_group(7)'; do
    grep -qF "$call" "$out/threads-dyn.strace" || fail "-strace: no $call"
done
[ $status = 0 ] && echo "PASS: dynamic programs from the command line"
exit $status
