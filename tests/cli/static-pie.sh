#!/bin/sh
# An ET_DYN (static-pie) guest is loaded at a base Ferry picks and runs.
set -u
[ -n "${RISCV64_CC:-}" ] || { echo "SKIP: no riscv64 cross compiler"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$(dirname "$0")/pie-guest.c
"$RISCV64_CC" -O2 -fPIE -static-pie -nostdlib -Wl,--no-dynamic-linker -o "$tmp/pie" "$src" || exit 99
od -An -tx1 -j16 -N1 "$tmp/pie" | grep -q 03 || { echo "not ET_DYN"; exit 99; }
out=$("$FERRY" "$tmp/pie")
status=$?
[ "$out" = "static-pie ok" ] && [ $status = 42 ] && { echo "PASS: static-pie ran"; exit 0; }
echo "FAIL: output '$out', status $status (want 'static-pie ok', 42)"
exit 1
