#!/bin/sh
# Runs one guest test program: tests/guest/NAME.c (or .cc) is compiled
# natively and for riscv64, once per link mode in GUEST_LINKS (static,
# dynamic: run with -L the cross sysroot), and every build must print
# exactly what the native build prints and exit with the same status.  The
# native build is the oracle: real hardware, never what Ferry happens to
# print.
# Usage: run-guest.sh tests/guest/NAME.c   (as the automake log compiler)
# Environment: FERRY, RISCV64_CC, RISCV64_CXX, CC, CXX, GUEST_BUILD (a
# folder for binaries), GUEST_LINKS ("static dynamic"), RISCV64_SYSROOT.
set -u
src=$1
case $src in
    *.cc) name=$(basename "$src" .cc) cross=${RISCV64_CXX:-} native=${CXX:-c++} ;;
    *) name=$(basename "$src" .c) cross=${RISCV64_CC:-} native=${CC:-cc} ;;
esac
out=${GUEST_BUILD:-tests/guest/build}
sysroot=${RISCV64_SYSROOT:-/usr/riscv64-linux-gnu}
mkdir -p "$out"
if [ -z "$cross" ] || ! command -v "$cross" >/dev/null 2>&1; then
    echo "SKIP: no riscv64 cross compiler for $src (apt-get install gcc-riscv64-linux-gnu g++-riscv64-linux-gnu)"
    exit 77
fi
# A test may name extra compiler flags ("// cflags: ..."), its arguments
# ("// args: ...") and one line of stdin ("// stdin: ...").
cflags="-O2 -Wall $(sed -n 's|^// cflags: ||p' "$src")"
args=$(sed -n 's|^// args: ||p' "$src")
input=$(sed -n 's|^// stdin: ||p' "$src")
$native $cflags -o "$out/$name.native" "$src" -lm || exit 99

run() { # run TAG CMD...: stdout to $out/$name.TAG.out, prints the exit status
    tag=$1; shift
    printf '%s\n' "$input" | (cd "$out" && "$@" $args) > "$out/$name.$tag.out" 2> "$out/$name.$tag.err"
    echo $?
}
want=$(run native "./$name.native")
status=0
for link in ${GUEST_LINKS:-static}; do
    case $link in
        static) "$cross" $cflags -static -o "$out/$name.rv64-$link" "$src" -lm || exit 99
                got=$(run "$link" "$FERRY" "./$name.rv64-$link") ;;
        dynamic) "$cross" $cflags -o "$out/$name.rv64-$link" "$src" -lm || exit 99
                got=$(run "$link" "$FERRY" -L "$sysroot" "./$name.rv64-$link") ;;
    esac
    if ! cmp -s "$out/$name.native.out" "$out/$name.$link.out"; then
        echo "FAIL: $link: stdout differs (native, then ferry):"
        diff "$out/$name.native.out" "$out/$name.$link.out" | head -40
        status=1
    fi
    if [ "$want" != "$got" ]; then
        echo "FAIL: $link: exit status $got under ferry, $want natively"
        status=1
    fi
    [ -s "$out/$name.$link.err" ] && { echo "stderr under ferry ($link):"; head -20 "$out/$name.$link.err"; }
    [ $status = 0 ] && echo "PASS: $name ($link): same stdout, exit status $want"
done
exit $status
