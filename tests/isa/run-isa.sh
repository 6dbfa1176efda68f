#!/bin/sh
# Runs one assembly test: tests/isa/<arch>/NAME.S is assembled and linked
# as a static program with no libc, then run under Ferry.  The program
# checks itself against the ISA manual's values and exits 0 when all pass
# (or prints "FAIL: ..." and exits 1).  A line "expect-status: N" in the
# source names another expected exit status (132 = killed by SIGILL).
# Usage: run-isa.sh tests/isa/ARCH/NAME.S   (as the automake log compiler)
# Environment: FERRY, RISCV64_CC, AARCH64_CC (default aarch64-linux-gnu-gcc);
# ISA_BUILD (a folder for binaries).
set -u
src=$1
name=$(basename "$src" .S)
dir=$(dirname "$src")
out=${ISA_BUILD:-tests/isa/build}
mkdir -p "$out"
# The toolchain comes from the test's folder: tests/isa/<arch>/.
case $dir in
*aarch64)
    cc=${AARCH64_CC:-aarch64-linux-gnu-gcc} arch=aarch64
    march=-march=armv8.2-a+crc+lse+fp16 ;;
*)
    cc=${RISCV64_CC:-} arch=riscv64
    march=-march=rv64gc_zba_zbb_zbs_zifencei ;;
esac
if [ -z "$cc" ] || ! command -v "$cc" >/dev/null 2>&1; then
    echo "SKIP: no $arch cross compiler (apt-get install gcc-$arch-linux-gnu)"
    exit 77
fi
"$cc" $march -nostdlib -static -I"$dir" -o "$out/$name" "$src" || exit 99
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
