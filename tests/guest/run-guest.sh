#!/bin/sh
# Runs one guest test program: tests/guest/NAME.c (or .cc) is compiled
# natively once and for each guest in GUEST_ARCHES, once per link mode in
# GUEST_LINKS (static; dynamic: run with -L the guest's cross sysroot), and
# every guest build must print exactly what the native build prints and
# exit with the same status.  The native build is the oracle: real
# hardware, never what Ferry happens to print.  A guest whose cross
# compiler is missing is skipped with a message; the test is skipped (77)
# only when every guest is.
# Usage: run-guest.sh tests/guest/NAME.c   (as the automake log compiler)
# Environment: FERRY, CC, CXX, GUEST_BUILD (a folder for binaries),
# GUEST_ARCHES ("riscv64 aarch64 x86_64"), GUEST_LINKS ("static dynamic"),
# and per guest RISCV64_CC, RISCV64_CXX, RISCV64_SYSROOT, AARCH64_CC,
# AARCH64_CXX, AARCH64_SYSROOT (x86_64: the native CC and CXX, run in KVM
# with --kvm; skipped where /dev/kvm cannot be used).
set -u
src=$1
case $src in
    *.cc) name=$(basename "$src" .cc) lang=CXX native=${CXX:-c++} ;;
    *) name=$(basename "$src" .c) lang=CC native=${CC:-cc} ;;
esac
out=${GUEST_BUILD:-tests/guest/build}
mkdir -p "$out"

# The guests and their compilers, sysroots and short names.
. "$(dirname "$0")/../guest-lu/guests.sh"

# A test may name extra compiler flags ("// cflags: ..."), its arguments
# ("// args: ...") and one line of stdin ("// stdin: ...").
cflags="-O2 -Wall $(sed -n 's|^// cflags: ||p' "$src")"
args=$(sed -n 's|^// args: ||p' "$src")
input=$(sed -n 's|^// stdin: ||p' "$src")

run() { # run TAG CMD...: stdout to $out/$name.TAG.out, prints the exit status
    tag=$1; shift
    printf '%s\n' "$input" | (cd "$out" && "$@" $args) > "$out/$name.$tag.out" 2> "$out/$name.$tag.err"
    echo $?
}

status=0
ran=0
native_done=
for arch in $GUEST_ARCHES; do
    if ! guest_info "$arch"; then
        echo "FAIL: unknown guest '$arch' in GUEST_ARCHES"
        status=1
        continue
    fi
    cross=$cc; [ $lang = CXX ] && cross=$cxx
    if [ "$arch" = x86_64 ] && ! kvm_usable; then
        echo "SKIP: x86_64: no usable /dev/kvm ($kvm_why)"
        continue
    fi
    if ! have_cross "$cross"; then
        echo "SKIP: $arch: no cross ${lang} for $src (${var}_${lang} is '$cross';" \
             "apt-get install gcc-$pkg g++-$pkg)"
        continue
    fi
    if [ -z "$native_done" ]; then
        $native $cflags -o "$out/$name.native" "$src" -lm || exit 99
        want=$(run native "./$name.native")
        native_done=1
    fi
    ran=1
    for link in ${GUEST_LINKS:-static}; do
        bin=$name.$short-$link
        # riscv64 keeps its old tags: NAME.static.out
        tag=$link; [ "$arch" = riscv64 ] || tag=$short-$link
        case $link in
            static) "$cross" $cflags -static -o "$out/$bin" "$src" -lm || exit 99
                    got=$(run "$tag" "$FERRY" $ferry_opts "./$bin") ;;
            dynamic) "$cross" $cflags -o "$out/$bin" "$src" -lm || exit 99
                    got=$(run "$tag" "$FERRY" $ferry_opts ${sysroot:+-L "$sysroot"} "./$bin") ;;
            *) echo "FAIL: unknown link mode '$link' in GUEST_LINKS"; status=1; continue ;;
        esac
        ok=1
        if ! cmp -s "$out/$name.native.out" "$out/$name.$tag.out"; then
            echo "FAIL: $arch $link: stdout differs (native, then ferry):"
            diff "$out/$name.native.out" "$out/$name.$tag.out" | head -40
            ok=
        fi
        if [ "$want" != "$got" ]; then
            echo "FAIL: $arch $link: exit status $got under ferry, $want natively"
            ok=
        fi
        [ -s "$out/$name.$tag.err" ] && { echo "stderr under ferry ($arch $link):"; head -20 "$out/$name.$tag.err"; }
        if [ -n "$ok" ]; then
            echo "PASS: $name ($arch $link): same stdout, exit status $want"
        else
            status=1
        fi
    done
done
[ $ran = 0 ] && [ $status = 0 ] && exit 77
exit $status
