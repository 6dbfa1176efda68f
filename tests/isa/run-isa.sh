#!/bin/sh
# Runs one assembly test: tests/isa/<arch>/NAME.S is assembled and linked
# as a static program with no libc, then run under Ferry.  The program
# checks itself against the ISA manual's values and exits 0 when all pass
# (or prints "FAIL: ..." and exits 1).  A line "expect-status: N" in the
# source names another expected exit status (132 = killed by SIGILL).
# Usage: run-isa.sh tests/isa/riscv64/NAME.S   (as the automake log compiler)
# Environment: FERRY, RISCV64_CC; ISA_BUILD (a folder for binaries).
set -u
src=$1
name=$(basename "$src" .S)
dir=$(dirname "$src")
out=${ISA_BUILD:-tests/isa/build}
mkdir -p "$out"
if [ -z "${RISCV64_CC:-}" ] || ! command -v "$RISCV64_CC" >/dev/null 2>&1; then
    echo "SKIP: no riscv64 cross compiler (apt-get install gcc-riscv64-linux-gnu)"
    exit 77
fi
"$RISCV64_CC" -march=rv64gc_zba_zbb_zbs_zifencei -nostdlib -static -I"$dir" \
    -o "$out/$name" "$src" || exit 99
want=$(sed -n 's/.*expect-status: *\([0-9]*\).*/\1/p' "$src")
want=${want:-0}
"$FERRY" "$out/$name" 2>&1
got=$?
if [ "$got" != "$want" ]; then
    echo "FAIL: $name: exit status $got under ferry, want $want"
    exit 1
fi
echo "PASS: $name (exit status $got)"
exit 0
