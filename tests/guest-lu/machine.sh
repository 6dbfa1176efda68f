#!/bin/sh
# The guest's view of its machine, static and dynamic, for each guest in
# GUEST_ARCHES, against the values its Linux ABI gives for the features
# Ferry implements:
# riscv64 (machine-view.c): AT_HWCAP bit (letter - 'A') for I M A F D C =
#   0x112d; hwprobe BASE_BEHAVIOR_IMA = 1, IMA_EXT_0 = FD|C|ZBA|ZBB|ZBS|
#   ZICOND (bits 0 1 3 4 5 35) = 0x80000003b; an unknown key comes back -1, 0.
# aarch64 (machine-view-a64.c): AT_HWCAP = HWCAP_FP|ASIMD|CRC32|ATOMICS|
#   CPUID as the guest's <asm/hwcap.h> names them, AT_HWCAP2 0, AT_PLATFORM
#   "aarch64", the same names on cpuinfo's Features line, MIDR_EL1 (MRS)
#   as cpuinfo shows it, MINSIGSTKSZ 5120.
set -u
dir=${srcdir:-.}
. "$dir/tests/guest-lu/guests.sh"
out=${GUEST_BUILD:-tests/guest/build}/lu
mkdir -p "$out"
want_riscv64="hwcap 0x112d
isa		: rv64imafdc_zicond_zicsr_zifencei_zba_zbb_zbs
mmu		: sv39
harts match: 1
hwprobe 0: base 0x1 ext0 0x80000003b unknown key -1 value 0
auxv file agrees: 1"
want_aarch64="hwcap: fp asimd aes pmull sha1 sha2 crc32 atomics cpuid
hwcap2 0x0
platform aarch64
Features	: fp asimd aes pmull sha1 sha2 crc32 atomics cpuid
CPU architecture: 8
cpus match: 1
features match hwcap: 1
midr matches cpuinfo: 1
auxv file agrees: 1
machine aarch64
sigaltstack 4096: Cannot allocate memory, 5120: ok"
status=0
ran=0
for arch in $(translated_arches); do
    guest_info "$arch" || { echo "FAIL: unknown guest '$arch'"; status=1; continue; }
    have_cross "$cc" || { skip_guest "$arch"; continue; }
    ran=1
    src=$dir/tests/guest-lu/machine-view.c
    [ "$arch" = riscv64 ] || src=$dir/tests/guest-lu/machine-view-$short.c
    eval "want=\$want_$arch"
    for link in static dynamic; do
        flags=; [ $link = static ] && flags=-static
        "$cc" -O2 $flags -o "$out/machine-$short-$link" "$src" || exit 99
        got=$("$FERRY" -L "$sysroot" "$out/machine-$short-$link")
        if [ "$got" != "$want" ]; then
            echo "FAIL: machine ($arch $link): got"; echo "$got"; echo "wanted"; echo "$want"
            status=1
        else
            echo "PASS: machine ($arch $link)"
        fi
    done
done
[ $ran = 0 ] && [ $status = 0 ] && exit 77
exit $status
