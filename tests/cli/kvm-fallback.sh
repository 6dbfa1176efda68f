#!/bin/sh
# x86-64 programs without a usable /dev/kvm (a private mount namespace
# puts /dev/null in its place): --kvm refuses with one line and status
# 126; plain `ferry prog` says why in one line and runs the program
# natively; --no-kvm runs it natively without a word.  And -g, which KVM
# guests do not support, is one line and status 1.  Skipped (77) where
# unshare cannot make the namespace.
set -u
FERRY=${FERRY:-./ferry}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

if ! unshare -m sh -c 'mount --bind /dev/null /dev/kvm' 2>/dev/null; then
    echo "SKIP: cannot hide /dev/kvm in a private mount namespace (unshare -m as root)"
    exit 77
fi
# run NAME ARGS...: ferry ARGS without KVM; NAME.out, NAME.err, NAME.rc
run() {
    name=$1; shift
    unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' sh "$FERRY" "$@" \
        > "$out/$name.out" 2> "$out/$name.err"
    echo $? > "$out/$name.rc"
}
lines() { wc -l < "$1" | tr -d ' '; }

run force --kvm /bin/echo hi
[ "$(cat "$out/force.rc")" = 126 ] || fail "--kvm without KVM: status $(cat "$out/force.rc"), want 126"
[ ! -s "$out/force.out" ] || fail "--kvm without KVM ran the program"
[ "$(lines "$out/force.err")" = 1 ] && grep -q '^ferry: --kvm: /dev/kvm' "$out/force.err" ||
    fail "--kvm without KVM: stderr is not one line naming /dev/kvm: $(cat "$out/force.err")"

run auto /bin/echo hi
[ "$(cat "$out/auto.rc")" = 0 ] && [ "$(cat "$out/auto.out")" = hi ] ||
    fail "without KVM the program did not run natively (status $(cat "$out/auto.rc"))"
[ "$(lines "$out/auto.err")" = 1 ] && grep -q 'running /bin/echo natively' "$out/auto.err" ||
    fail "without KVM: stderr is not the one line saying why: $(cat "$out/auto.err")"

run native --no-kvm -E FERRY_TEST=1 /bin/sh -c 'echo $FERRY_TEST; exit 3'
[ "$(cat "$out/native.rc")" = 3 ] && [ "$(cat "$out/native.out")" = 1 ] ||
    fail "--no-kvm: status $(cat "$out/native.rc"), output $(cat "$out/native.out") (want 3, 1)"
[ ! -s "$out/native.err" ] || fail "--no-kvm printed: $(cat "$out/native.err")"

"$FERRY" --kvm /bin/true 2>/dev/null && {
    "$FERRY" -g 1234 /bin/true > /dev/null 2> "$out/gdb.err"
    rc=$?
    [ $rc = 1 ] && [ "$(lines "$out/gdb.err")" = 1 ] ||
        fail "-g with an x86-64 program: status $rc, stderr $(cat "$out/gdb.err")"
}
[ $status = 0 ] && echo "PASS: --kvm refuses, the default falls back natively, --no-kvm runs natively, -g refused"
exit $status
