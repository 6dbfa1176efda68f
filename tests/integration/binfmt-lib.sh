# Sourced by the binfmt_misc tests: where ferry-binfmt is, and whether this
# machine gives a user namespace a binfmt_misc of its own (Linux >= 6.7),
# which is how the tests register Ferry without touching the machine's
# registrations.  Sets here, srcroot, BINFMT; defines skip, in_ns.

here=$(cd "$(dirname "$0")" && pwd)
srcroot=$(cd "$here/../.." && pwd)
skip() { echo "SKIP: $*"; exit 77; }

[ -n "${FERRY:-}" ] && [ -x "$FERRY" ] || skip "no ferry binary (FERRY=$FERRY)"
# The built script (make writes the install path into it; the tests give
# --interpreter anyway), else the source.
BINFMT=${FERRY_BINFMT:-$(dirname "$FERRY")/tools/ferry-binfmt}
[ -x "$BINFMT" ] || BINFMT=$srcroot/tools/ferry-binfmt.in
export BINFMT

# in_ns SCRIPT ARGS...: SCRIPT run by sh as root of a new user namespace
# with a mount namespace and binfmt_misc mounted on its usual place.
in_ns() {
    unshare --user --map-root-user --mount sh -c \
        'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && exec sh "$@"' sh "$@"
}

command -v unshare >/dev/null || skip "no unshare (util-linux)"
unshare --user --map-root-user --mount true 2>/dev/null ||
    skip "no user namespaces here (unshare --user --map-root-user fails)"
unshare --user --map-root-user --mount \
    sh -c 'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc' 2>/dev/null ||
    skip "binfmt_misc cannot be mounted in a user namespace (Linux 6.7 or later; this is $(uname -r))"
