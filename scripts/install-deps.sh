#!/bin/sh
# Installs what Ferry needs to build and test on Debian 12 (bookworm):
# the build tools, the libraries, the riscv64 and aarch64 cross compilers
# for guest tests and qemu-user as the tests' and benchmark's reference;
# debootstrap and the amd64 programs tests/distro/ compares with; meson,
# ninja and cmake for the cross-compiled test-suite recipes; gdb-multiarch
# for the gdbstub test.  Safe to run again.
set -e
pkgs="build-essential autoconf automake pkg-config libcapstone-dev libelf-dev \
libxxhash-dev libcriterion-dev gcc-riscv64-linux-gnu g++-riscv64-linux-gnu \
libc6-dev-riscv64-cross gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross \
qemu-user \
debootstrap python3 perl lua5.4 sqlite3 xz-utils gzip \
meson ninja-build cmake gdb-multiarch"
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
missing=
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
