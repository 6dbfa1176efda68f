#!/bin/sh
# A Debian arm64 system as a chroot whose programs run as binaries of the
# machine: a static Ferry registered with binfmt_misc's F flag (the kernel
# opens it at registration, so the chroot need not hold it or any x86-64
# library), in a private user namespace with a binfmt_misc of its own
# (binfmt-lib.sh), then, inside the chroot, directly:
#   /bin/sh -c 'echo hi; uname -m'   hi, aarch64 (dash starts uname: a
#                                     guest execve inside the chroot)
#   apt-get --version                 the host's first line, arm64 for amd64
#   python3 -c '...'                  little 42
# The tree is tests/distro's (make-tree.sh: cached, built when it can be;
# FERRY_DISTRO_OFFLINE=1 only uses the cache, FERRY_DISTRO_TREE names one).
# It stays untouched: the chroot is an overlay of it on a tmpfs, with
# /proc and /dev bound in.  The static Ferry is the one under test when it
# is static (configure --enable-static-ferry), else make check's
# tests/integration/static/ferry, or FERRY_STATIC.
set -u
. "$(dirname "$0")/binfmt-lib.sh"

if [ -n "${FERRY_DISTRO_TREE:-}" ]; then
    TREE=$FERRY_DISTRO_TREE
elif [ "${FERRY_DISTRO_OFFLINE:-0}" = 1 ]; then
    TREE=$(FERRY_DISTRO_NOBUILD=1 sh "$srcroot/tests/distro/make-tree.sh") ||
        skip "no cached Debian arm64 tree (make distro-tree)"
else
    TREE=$(sh "$srcroot/tests/distro/make-tree.sh") ||
        skip "the Debian arm64 tree cannot be built here (see above)"
fi
[ -x "$TREE/usr/bin/dash" ] || skip "$TREE is not a Debian arm64 tree"

is_static() {
    if command -v readelf >/dev/null; then
        ! readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
    else
        ldd "$1" 2>&1 | grep -Eq 'statically linked|not a dynamic'
    fi
}
static=${FERRY_STATIC:-}
if [ -z "$static" ]; then
    static=$(dirname "$FERRY")/tests/integration/static/ferry
    is_static "$FERRY" && static=$FERRY
fi
[ -x "$static" ] || skip "no static ferry: configure could not link one statically (config.log), or configure --enable-static-ferry"
is_static "$static" || { echo "FAIL: $static is dynamically linked"; exit 1; }
chroot=$(command -v chroot || echo /usr/sbin/chroot)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferry-chroot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# ferry-binfmt registers ferry-aarch64 found next to the ferry it is given.
mkdir "$tmp/bin" "$tmp/ovl"
ln -s "$static" "$tmp/bin/ferry"
ln -s "$static" "$tmp/bin/ferry-aarch64"
export tmp TREE chroot

cat >"$tmp/inner.sh" <<'EOF'
set -u
"$BINFMT" register --arch aarch64 --flags F --interpreter "$tmp/bin/ferry" >/dev/null || exit 99
# The chroot: an overlay on a tmpfs, where /proc (a link to /proc in a
# tree debootstrap left in its first stage) becomes a mount point.
root=$tmp/ovl/root
if mount -t tmpfs tmpfs "$tmp/ovl" && mkdir "$tmp/ovl/u" "$tmp/ovl/w" "$root" &&
    mount -t overlay overlay -o "userxattr,lowerdir=$TREE,upperdir=$tmp/ovl/u,workdir=$tmp/ovl/w" "$root" &&
    { [ -d "$root/proc" ] && [ ! -L "$root/proc" ] || { rm -f "$root/proc" && mkdir "$root/proc"; }; }
then :
else
    echo "note: no overlay; the tree itself, /proc bound in only if it is a directory" >&2
    root=$TREE
fi
[ -d "$root/proc" ] && [ ! -L "$root/proc" ] && mount --rbind /proc "$root/proc"
[ -d "$root/dev" ] && [ ! -L "$root/dev" ] && mount --rbind /dev "$root/dev"
in_root() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME=/root \
        FERRY_VERIFY_IR="${FERRY_VERIFY_IR:-}" "$chroot" "$root" "$@" 2>&1
    echo "status $?"
}
echo "== sh"
in_root /bin/sh -c 'echo hi; uname -m'
echo "== apt-get"
in_root apt-get --version | sed -n '1p; $p'
echo "== python3"
in_root python3 -c 'import sys; print(sys.byteorder, 6*7)'
EOF

# apt's first line, "apt 2.6.1 (arm64)": the host's with its architecture
# and version (the tree's point release may be newer) replaced.
vers='s/^apt [0-9][^ ]* /apt VERSION /'
apt="apt VERSION (arm64)"
command -v apt-get >/dev/null &&
    apt=$(apt-get --version | sed -n "1{s/(amd64)/(arm64)/; $vers; p}")
want="== sh
hi
aarch64
status 0
== apt-get
$apt
status 0
== python3
little 42
status 0"
got=$(in_ns "$tmp/inner.sh" 2>&1 | sed "$vers")
if [ "$got" = "$want" ]; then
    echo "PASS: a Debian arm64 chroot runs through binfmt_misc (F) and a static ferry"
    exit 0
fi
echo "FAIL: the arm64 chroot"
printf 'want:\n%s\ngot:\n%s\n' "$want" "$got" | sed 's/^/  /'
exit 1
