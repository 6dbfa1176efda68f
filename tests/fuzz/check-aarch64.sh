#!/bin/sh
# The aarch64 fuzzer's sample in `make check`: 3000 instructions of every
# class with a fixed seed, then 3000 more with the date as seed (printed,
# so a failure can be replayed with fuzz-aarch64.sh -s SEED).  Long runs:
# `make fuzz-aarch64 N=1000000` (tests/fuzz/README.md).
here=$(dirname "$0")
sh "$here/fuzz-aarch64.sh" -n 3000 -s 1 -c all -r 2
a=$?
[ $a = 77 ] || [ $a = 99 ] && exit $a
sh "$here/fuzz-aarch64.sh" -n 3000 -s "$(date +%Y%m%d)" -c all -r 2
b=$?
[ $a = 0 ] && exit $b
exit $a
