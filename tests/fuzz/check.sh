#!/bin/sh
# The fuzzer's sample in `make check` for the guest $1 (check-riscv64.sh,
# check-aarch64.sh): 3000 instructions of every class with a fixed seed,
# then 3000 more with the date as seed (printed, so a failure can be
# replayed with fuzz-GUEST.sh -s SEED).  Long runs: `make fuzz-GUEST
# N=1000000` (tests/fuzz/README.md).
fuzz="$(dirname "$0")/fuzz-$1.sh"
sh "$fuzz" -n 3000 -s 1 -c all -r 2
a=$?
[ $a = 77 ] || [ $a = 99 ] && exit $a
sh "$fuzz" -n 3000 -s "$(date +%Y%m%d)" -c all -r 2
b=$?
[ $a = 0 ] && exit $b
exit $a
