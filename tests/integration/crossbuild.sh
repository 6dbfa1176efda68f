#!/bin/sh
# Cross-compiled test suites under Ferry (issue #8): the small C project in
# crossbuild/project (a library, a tool and nine tests, one threaded, one
# reading a data file, one expected to fail) is configured, built and
# tested for each guest whose cross compiler is here,
#   with meson: --cross-file crossbuild/meson-ARCH.ini (exe_wrapper = ferry)
#               then `meson test`;
#   with CMake: -DCMAKE_TOOLCHAIN_FILE=crossbuild/toolchain-ARCH.cmake
#               (CMAKE_CROSSCOMPILING_EMULATOR = ferry) then `ctest`.
# Every suite must pass, every test command in the tools' logs must start
# with this $FERRY, the test programs must be guest ELF files, and the
# `machine` test must print the guest's uname(2) machine.  A tool or a
# guest that is missing is skipped with a note; the whole test is skipped
# (77) when nothing can run.
# Environment: FERRY, RISCV64_CC, AARCH64_CC (as tests/local.am passes them),
# optionally RISCV64_SYSROOT, AARCH64_SYSROOT (default /usr/TRIPLET) and
# FERRY_BUILD_LOCK (default /tmp/ferry-build.lock, empty for none): builds
# run under `flock` on it, two jobs at a time.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cross=$here/crossbuild
. "$here/../guest-lu/guests.sh"

skip() { echo "SKIP: $*"; exit 77; }
exec 3>&1                       # notes reach the test log even from a step
note() { echo "NOTE: $*" >&3; }
# part_skipped WHAT: a note on a tool or guest left out, kept for the summary.
part_skipped() { note "$*"; skipped="$skipped${skipped:+; }$*"; }
skipped= ran=0 failed=0

[ -n "${FERRY:-}" ] && [ -x "$FERRY" ] || { echo "FAIL: FERRY ('${FERRY:-}') is not a program"; exit 99; }
case $FERRY in /*) ;; *) FERRY=$(pwd)/$FERRY ;; esac

# The build tools: meson needs ninja; CMake uses Ninja, else make.
tools=
if command -v meson >/dev/null && command -v ninja >/dev/null; then
    tools="$tools meson"
else
    part_skipped "meson or ninja is not installed: no meson builds (apt-get install meson ninja-build)"
fi
if command -v cmake >/dev/null && command -v ctest >/dev/null; then
    tools="$tools cmake"
else
    part_skipped "cmake is not installed: no CMake builds (apt-get install cmake)"
fi
[ -n "$tools" ] || skip "neither meson (with ninja) nor cmake is installed"
generator="Unix Makefiles"
command -v ninja >/dev/null && generator=Ninja

# locked CMD...: runs CMD holding the build lock (one heavy build at a time
# on the machine).  If the lock stays busy for $lockwait seconds (held, say,
# by whoever runs `flock ... make check` around this test), build without it.
lock=${FERRY_BUILD_LOCK-/tmp/ferry-build.lock}
lockwait=90
command -v flock >/dev/null || lock=
locked() {
    [ -n "$lock" ] || { "$@"; return; }
    flock -E 75 -w $lockwait "$lock" "$@"
    rc=$?
    [ $rc = 75 ] || return $rc
    note "$lock busy for ${lockwait}s: building without it"
    lock=
    "$@"
}

# step LOG WHAT CMD...: runs CMD, output appended to LOG; on failure says
# WHAT failed and shows the end of LOG.
step() {
    log=$1 what=$2
    shift 2
    echo "+ $*" >>"$log"
    "$@" >>"$log" 2>&1 && return 0
    echo "FAIL: $what"
    tail -n 40 "$log" | sed 's/^/    /'
    return 1
}

# elf_machine FILE: e_machine of an ELF file (183 aarch64, 243 riscv).
elf_machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; }

# check_ran TAG BUILD TESTLOG PREFIX: the suite's tests truly ran as guest
# programs under $FERRY: every test command in TESTLOG (meson's "command:"
# or ctest's "Command:" lines) runs PREFIX (ferry -L sysroot, quoted as the
# tool writes it), test_machine is an ELF for $arch, uname(2) said $arch,
# and b64 on bad input exits with status 1 (not by a signal).
check_ran() {
    tag=$1 b=$2 testlog=$3 prefix=$4
    total=$(grep -ic '^command: ' "$testlog")
    wrapped=$(grep -i '^command: ' "$testlog" | grep -cF "$prefix")
    if [ "$total" -lt 9 ] || [ "$total" != "$wrapped" ]; then
        echo "FAIL: $tag: $wrapped of $total test commands ran under $FERRY (want 9 or more, all)"
        return 1
    fi
    m=$(elf_machine "$b/test_machine")
    [ "$m" = "$elf" ] || { echo "FAIL: $tag: test_machine has e_machine $m, not $elf"; return 1; }
    grep -qx "machine: $arch" "$testlog" || {
        echo "FAIL: $tag: the machine test did not print 'machine: $arch'"
        grep 'machine: ' "$testlog" | sed 's/^/    /'
        return 1
    }
    "$FERRY" -L "$sysroot" "$b/b64" -d 'Zm9v!mFy' >/dev/null 2>&1
    rc=$?
    [ $rc = 1 ] || { echo "FAIL: $tag: b64 -d on bad input exits $rc under ferry, want 1"; return 1; }
    echo "ok: $tag: $total tests ran under ferry, machine: $arch"
}

# run_meson: configure, build and test the project with meson for $arch.
run_meson() {
    b=$tmp/meson-$arch log=$tmp/meson-$arch.log tag="meson $arch"
    sed -e "s|@FERRY@|$FERRY|" -e "s|'$pkg-gcc'|'$cc'|" -e "s|'/usr/$pkg'|'$sysroot'|" \
        "$cross/meson-$arch.ini" >"$tmp/meson-$arch.ini"
    step "$log" "$tag: meson setup" locked meson setup --cross-file "$tmp/meson-$arch.ini" \
            "$b" "$cross/project" &&
        step "$log" "$tag: meson compile" locked meson compile -C "$b" -j 2 &&
        step "$log" "$tag: meson test" meson test -C "$b" --num-processes 2 --print-errorlogs &&
        check_ran "$tag" "$b" "$b/meson-logs/testlog.txt" " $FERRY -L $sysroot $b/"
}

# run_cmake: configure, build and test the project with CMake for $arch.
run_cmake() {
    b=$tmp/cmake-$arch log=$tmp/cmake-$arch.log tag="cmake $arch"
    step "$log" "$tag: cmake configure" locked cmake -S "$cross/project" -B "$b" -G "$generator" \
            -DCMAKE_TOOLCHAIN_FILE="$cross/toolchain-$arch.cmake" -DFERRY="$FERRY" \
            -DCMAKE_C_COMPILER="$cc" -DCROSS_SYSROOT="$sysroot" &&
        step "$log" "$tag: cmake --build" locked cmake --build "$b" -j 2 &&
        step "$log" "$tag: ctest" sh -c 'cd "$1" && ctest --output-on-failure -j 2 --timeout 120' sh "$b" &&
        check_ran "$tag" "$b" "$b/Testing/Temporary/LastTest.log" "\"$FERRY\" \"-L\" \"$sysroot\" \"$b/"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferry-crossbuild.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for arch in $(translated_arches); do
    guest_info "$arch" || continue
    case $arch in aarch64) elf=183 ;; riscv64) elf=243 ;; esac
    if ! have_cross "$cc"; then
        part_skipped "$arch: no cross compiler (${var}_CC is '$cc'; apt-get install gcc-$pkg)"
        continue
    fi
    [ -d "$sysroot/lib" ] || { part_skipped "$arch: no sysroot at $sysroot"; continue; }
    for tool in $tools; do
        ran=$((ran + 1))
        run_$tool || failed=$((failed + 1))
    done
done

[ $ran -gt 0 ] || skip "no guest cross compiler (RISCV64_CC, AARCH64_CC)"
if [ $failed -gt 0 ]; then
    echo "FAIL: $failed of $ran cross-built test suites"
    exit 1
fi
echo "PASS: $ran cross-built test suites passed under ferry${skipped:+ (skipped: $skipped)}"
exit 0
