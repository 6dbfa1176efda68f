#!/bin/sh
# Runs one guest test program: tests/guest/NAME.c is compiled natively and
# for riscv64 (static), both run with the same arguments and input, and
# their stdout and exit status must match exactly.  The native build is the
# oracle: real hardware, never what Ferry happens to print.
# Usage: run-guest.sh tests/guest/NAME.c   (as the automake log compiler)
# Environment: FERRY, RISCV64_CC, CC, GUEST_BUILD (a folder for binaries).
set -u
src=$1
name=$(basename "$src" .c)
out=${GUEST_BUILD:-tests/guest/build}
mkdir -p "$out"
if [ -z "${RISCV64_CC:-}" ] || ! command -v "$RISCV64_CC" >/dev/null 2>&1; then
    echo "SKIP: no riscv64 cross compiler (apt-get install gcc-riscv64-linux-gnu)"
    exit 77
fi
cflags="-O2 -Wall"
"${CC:-cc}" $cflags -o "$out/$name.native" "$src" -lm || exit 99
"$RISCV64_CC" $cflags -static -o "$out/$name.rv64" "$src" -lm || exit 99

# A test may name its arguments in a line "// args: ..." and its stdin in
# "// stdin: ..." (one line of text).
args=$(sed -n 's|^// args: ||p' "$src")
input=$(sed -n 's|^// stdin: ||p' "$src")

run() { printf '%s\n' "$input" | (cd "$out" && "$@" $args) > "$out/$name.$tag.out" 2> "$out/$name.$tag.err"; echo $?; }
tag=native; want=$(run "./$name.native")
tag=ferry; got=$(run "$FERRY" "./$name.rv64")
status=0
if ! cmp -s "$out/$name.native.out" "$out/$name.ferry.out"; then
    echo "FAIL: stdout differs (native, then ferry):"
    diff "$out/$name.native.out" "$out/$name.ferry.out" | head -40
    status=1
fi
if [ "$want" != "$got" ]; then
    echo "FAIL: exit status $got under ferry, $want natively"
    status=1
fi
if [ -s "$out/$name.ferry.err" ]; then
    echo "stderr under ferry:"; head -20 "$out/$name.ferry.err"
fi
[ $status = 0 ] && echo "PASS: $name: same stdout, exit status $want"
exit $status
