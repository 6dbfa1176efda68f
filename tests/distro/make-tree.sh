#!/bin/sh
# Builds a Debian bookworm arm64 system tree for tests/distro/run-suite.sh,
# without root-only or binfmt_misc steps: debootstrap's first stage
# (--foreign) downloads and unpacks the base; the rest of the packages it
# fetched are then unpacked with dpkg-deb, as its second stage would, but
# without running maintainer scripts under emulation (see the README).
#
#   tests/distro/make-tree.sh          prints the tree's path on success
#   exit 77: cannot build here (no debootstrap, no network): a skip
#
# The tree is cached outside the repository, keyed by the package list:
# $FERRY_DISTRO_CACHE (default /var/tmp/ferry-arm64-tree)/<key>/root.
set -eu

SUITE=${FERRY_DISTRO_SUITE:-bookworm}
MIRROR=${FERRY_DISTRO_MIRROR:-http://deb.debian.org/debian}
CACHE=${FERRY_DISTRO_CACHE:-/var/tmp/ferry-arm64-tree}
# What the suite runs, besides minbase (dash, bash, coreutils, gzip, ...).
PKGS="python3 perl lua5.4 sqlite3 xz-utils gzip coreutils \
gcc-12 libc6-dev binutils-aarch64-linux-gnu"
PKGS=$(echo "$PKGS" | tr ' ' ',')

key=$(printf '%s %s %s v1' "$SUITE" "$MIRROR" "$PKGS" | sha256sum | cut -c1-16)
dir=$CACHE/$key
root=$dir/root

if [ -f "$dir/done" ]; then
    echo "$root"
    exit 0
fi

skip() { echo "make-tree: $*: cannot build the arm64 tree (skipped)" >&2; exit 77; }
[ "${FERRY_DISTRO_NOBUILD:-0}" = 1 ] && skip "no cached tree in $CACHE and FERRY_DISTRO_NOBUILD=1"

debootstrap=$(command -v debootstrap || true)
[ -n "$debootstrap" ] || [ ! -x /usr/sbin/debootstrap ] || debootstrap=/usr/sbin/debootstrap
if [ -z "$debootstrap" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2 ||
            skip "apt-get install debootstrap failed"
        debootstrap=$(command -v debootstrap || echo /usr/sbin/debootstrap)
    else
        skip "debootstrap is not installed (apt-get install debootstrap)"
    fi
fi
command -v dpkg-deb >/dev/null || skip "dpkg-deb is missing"
[ "$(id -u)" = 0 ] || command -v fakeroot >/dev/null ||
    skip "debootstrap needs root or fakeroot"

# A quick look at the archive first: without it debootstrap may take long
# to fail.
probe=$MIRROR/dists/$SUITE/Release
if command -v wget >/dev/null; then
    timeout 30 wget -q -O /dev/null "$probe" || skip "$MIRROR cannot be reached"
elif command -v curl >/dev/null; then
    timeout 30 curl -fsS -o /dev/null "$probe" || skip "$MIRROR cannot be reached"
fi

mkdir -p "$dir"
# One builder at a time per key; a second waits and then finds it done.
exec 9>"$dir/lock"
if command -v flock >/dev/null; then flock 9; fi
if [ -f "$dir/done" ]; then
    echo "$root"
    exit 0
fi
rm -rf "$root"
start=$(date +%s)

# Stage one: download and unpack the base (no code of the tree runs).
wrap=
[ "$(id -u)" = 0 ] || wrap=fakeroot
if ! timeout 1200 $wrap "$debootstrap" --foreign --variant=minbase --arch=arm64 \
        --include="$PKGS" "$SUITE" "$root" "$MIRROR" >"$dir/debootstrap.log" 2>&1; then
    tail -5 "$dir/debootstrap.log" >&2
    rm -rf "$root"
    skip "debootstrap --foreign failed (no network? log: $dir/debootstrap.log)"
fi

# Stage two, the part a test tree needs: every package debootstrap fetched
# unpacked in place.  tar keeps the merged-/usr links (/bin -> usr/bin) as
# debootstrap's own extraction does.
n=0
for deb in "$root"/var/cache/apt/archives/*.deb; do
    dpkg-deb --fsys-tarfile "$deb" |
        tar -C "$root" -xf - --keep-directory-symlink --no-same-owner --warning=no-timestamp
    n=$((n + 1))
done

# What postinst scripts would have made and the suite relies on: the
# interpreters' plain names, and a fixed /etc/passwd for ls -l.
ln -sf python3.11 "$root/usr/bin/python3"
[ -e "$root/etc/passwd" ] || cp "$root/usr/share/base-passwd/passwd.master" "$root/etc/passwd"
[ -e "$root/etc/group" ] || cp "$root/usr/share/base-passwd/group.master" "$root/etc/group"
rm -f "$root"/var/cache/apt/archives/*.deb

echo "$(( $(date +%s) - start ))s, $n packages" >"$dir/done"
echo "make-tree: built $root ($(cat "$dir/done"))" >&2
echo "$root"
