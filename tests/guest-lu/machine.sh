#!/bin/sh
# The guest's view of its machine (machine-view.c), static and dynamic, against
# the values the RISC-V Linux ABI gives for the extensions Ferry
# implements: AT_HWCAP bit (letter - 'A') for I M A F D C = 0x112d;
# hwprobe BASE_BEHAVIOR_IMA = 1, IMA_EXT_0 = FD|C|ZBA|ZBB|ZBS|ZICOND
# (bits 0 1 3 4 5 35) = 0x80000003b; an unknown key comes back as -1, 0.
set -u
src=${srcdir:-.}/tests/guest-lu/machine-view.c
out=${GUEST_BUILD:-tests/guest/build}/lu
sysroot=${RISCV64_SYSROOT:-/usr/riscv64-linux-gnu}
if [ -z "${RISCV64_CC:-}" ] || ! command -v "$RISCV64_CC" >/dev/null 2>&1; then
    echo "SKIP: no riscv64 cross compiler"; exit 77
fi
mkdir -p "$out"
want="hwcap 0x112d
isa		: rv64imafdc_zicond_zicsr_zifencei_zba_zbb_zbs
mmu		: sv39
harts match: 1
hwprobe 0: base 0x1 ext0 0x80000003b unknown key -1 value 0
auxv file agrees: 1"
status=0
for link in static dynamic; do
    flags=; [ $link = static ] && flags=-static
    "$RISCV64_CC" -O2 $flags -o "$out/machine-$link" "$src" || exit 99
    got=$("$FERRY" -L "$sysroot" "$out/machine-$link")
    if [ "$got" != "$want" ]; then
        echo "FAIL: machine ($link): got"; echo "$got"; echo "wanted"; echo "$want"
        status=1
    else
        echo "PASS: machine ($link)"
    fi
done
exit $status
