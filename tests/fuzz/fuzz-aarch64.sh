#!/bin/sh
# Differential fuzzing of Ferry's aarch64 translation against qemu-aarch64:
# a64gen writes random valid A64 sequences with random initial registers,
# a64harness (an aarch64 program) runs them and prints x0-x30, NZCV,
# V0-V31, FPCR, FPSR and a hash of the scratch buffer after each case; the
# records of ferry and qemu must be equal.  A mismatch is reported with
# its disassembly and both final states, then shrunk to fewer items.
# Usage: fuzz-aarch64.sh [-n INSNS] [-l PER_CASE] [-s SEED] [-c CLASSES]
#                        [-r MAX_REPORTS] [-C CASE] [-F] [-q]
#   -c: comma list of int,flags,cond,mem,br,atomic,fp,neon or all
#   -C: run only case CASE of SEED (replay a reported case)
#   -F: harness work-around (a fresh code slot per case, never rewritten):
#       see tests/fuzz/README.md
# Environment: FERRY (required), QEMU (qemu-aarch64), AARCH64_CC, A64GEN,
# FUZZ_BUILD (folder for the harness and work files).
# Exit: 0 no mismatch, 1 mismatches, 77 skipped, 99 setup error.
set -u
n=3000 len=20 seed=$(date +%Y%m%d) classes=all maxrep=3 only= hflags= quiet=
while getopts n:l:s:c:r:C:Fq opt; do
    case $opt in
    n) n=$OPTARG ;; l) len=$OPTARG ;; s) seed=$OPTARG ;; c) classes=$OPTARG ;;
    r) maxrep=$OPTARG ;; C) only=$OPTARG ;; F) hflags="$hflags -F" ;;
    q) quiet=1 ;; *) exit 99 ;;
    esac
done

srcdir=$(cd "$(dirname "$0")" && pwd)/aarch64
QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
cross=${AARCH64_CC%gcc}
[ -n "${FERRY:-}" ] && [ -x "$FERRY" ] || { echo "fuzz: FERRY must name the ferry binary"; exit 99; }
command -v "$QEMU" >/dev/null 2>&1 || { echo "SKIP: no $QEMU (apt-get install qemu-user)"; exit 77; }
command -v "$AARCH64_CC" >/dev/null 2>&1 ||
    { echo "SKIP: no aarch64 cross compiler (apt-get install gcc-aarch64-linux-gnu)"; exit 77; }
top=$(cd "$(dirname "$FERRY")" && pwd)
A64GEN=${A64GEN:-$top/tests/fuzz/aarch64/a64gen}
[ -x "$A64GEN" ] || { echo "fuzz: no a64gen at $A64GEN (make tests/fuzz/aarch64/a64gen)"; exit 99; }
out=${FUZZ_BUILD:-$top/tests/fuzz/build}
mkdir -p "$out" || exit 99
harness=$out/a64harness
for f in a64harness.c a64harness_stubs.S a64_layout.h; do
    [ "$srcdir/$f" -nt "$harness" ] && rm -f "$harness"
done
if [ ! -x "$harness" ]; then
    "$AARCH64_CC" -O2 -Wall -static -I"$srcdir" -o "$harness" \
        "$srcdir/a64harness.c" "$srcdir/a64harness_stubs.S" || exit 99
fi
work=$(mktemp -d "$out/run.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
say() { [ -n "$quiet" ] || echo "$@"; }

# run_all TOOL CASEFILE OUT NCASES: runs every case, restarting after a
# case that kills the process (recorded as "IDX crash ...").
run_all() {
    tool=$1 cases=$2 rec=$3 ncase=$4 start=0
    : > "$rec"
    while [ "$start" -lt "$ncase" ]; do
        timeout 120 $tool "$harness" $hflags $mflag "$cases" "$start" >> "$rec" 2>> "$rec.err"
        rc=$?
        last=$(awk '$1 ~ /^[0-9]+$/ { l = $1 } END { print (l == "" ? -1 : l) }' "$rec")
        next=$((last + 1))
        [ "$next" -ge "$ncase" ] && break
        [ "$next" -lt "$start" ] && next=$start
        why="exit status $rc"
        [ "$rc" = 124 ] && why="timeout (120 s)"
        [ "$rc" -gt 128 ] && [ "$rc" != 124 ] && why="killed by signal $((rc - 128))"
        echo "$next crash $why: $(tail -n 1 "$rec.err" 2>/dev/null)" >> "$rec"
        start=$((next + 1))
    done
}

# mismatch CASE KEEP: 0 when the single case (items in KEEP) differs.
one_case() {
    "$A64GEN" gen -s "$seed" -f "$1" -n 1 -l "$len" -c "$classes" ${2:+-k "$2"} \
        -o "$work/one.bin" || exit 99
    mflag=-m
    run_all "$QEMU" "$work/one.bin" "$work/one.q" 1
    run_all "$FERRY" "$work/one.bin" "$work/one.f" 1
    mflag=
    ! "$A64GEN" diff "$work/one.bin" "$work/one.q" "$work/one.f" > /dev/null
}

show_case() {
    "$A64GEN" show -s "$seed" -f "$1" -l "$len" -c "$classes" ${2:+-k "$2"} -b "$work/show.s"
    if "${cross}as" -o "$work/show.o" "$work/show.s" 2>/dev/null; then
        echo "objdump (offsets from the case's first instruction):"
        "${cross}objdump" -d "$work/show.o" | sed -n 's/^ *\([0-9a-f]*:\)/    \1/p'
    fi
    "$A64GEN" report "$work/one.bin" 0 "$work/one.q" "$work/one.f"
}

# Drops items one at a time while the case still mismatches.
shrink() {
    k=$1 count=$("$A64GEN" count -s "$seed" -f "$k" -l "$len" -c "$classes")
    keep=$(printf "%${count}s" | tr ' ' 1) changed=1
    while [ $changed = 1 ]; do
        changed=0 i=0
        while [ $i -lt "$count" ]; do
            if [ "$(echo "$keep" | cut -c$((i + 1)))" = 1 ]; then
                try=$(echo "$keep" | sed "s/./0/$((i + 1))")
                if one_case "$k" "$try"; then keep=$try changed=1; fi
            fi
            i=$((i + 1))
        done
    done
    one_case "$k" "$keep"
    echo "---- minimal reproducer: case $k, items $keep"
    echo "replay: $0 -s $seed -l $len -c $classes -C $k$hflags"
    show_case "$k" "$keep"
}

report() {
    k=$1
    echo "==== MISMATCH: case $k of seed $seed (-l $len -c $classes$hflags)"
    if ! one_case "$k"; then
        echo "(the case alone matches: it depends on the cases run before it in the"
        echo " same process, e.g. stale code after ic ivau; replay with -C is not enough)"
        return
    fi
    show_case "$k"
    shrink "$k"
}

# ---- the run
if [ -n "$only" ]; then
    if one_case "$only"; then report "$only"; exit 1; fi
    say "case $only of seed $seed: same under ferry and qemu"
    exit 0
fi
ncases=$(( (n + len - 1) / len ))
chunk=2000 first=0 bad=0 reported=0
say "fuzz-aarch64: seed $seed, $ncases cases of $len instructions, classes $classes$hflags"
while [ $first -lt $ncases ]; do
    cnt=$((ncases - first)); [ $cnt -gt $chunk ] && cnt=$chunk
    "$A64GEN" gen -s "$seed" -f $first -n $cnt -l "$len" -c "$classes" \
        -o "$work/c.bin" || exit 99
    mflag=
    run_all "$QEMU" "$work/c.bin" "$work/q.out" $cnt
    run_all "$FERRY" "$work/c.bin" "$work/f.out" $cnt
    if grep -q crash "$work/q.out"; then
        echo "fuzz: qemu itself failed (generator bug?):"; grep crash "$work/q.out" | head -3
    fi
    for i in $("$A64GEN" diff "$work/c.bin" "$work/q.out" "$work/f.out"); do
        bad=$((bad + 1))
        if [ $reported -lt "$maxrep" ]; then
            reported=$((reported + 1))
            report $((first + i))
        else
            echo "mismatch: case $((first + i))"
        fi
    done
    first=$((first + cnt))
done
if [ $bad -gt 0 ]; then
    echo "fuzz-aarch64: $bad of $ncases cases differ (seed $seed; replay one with -s $seed -l $len -c $classes -C CASE)"
    exit 1
fi
say "fuzz-aarch64: $ncases cases, no mismatch (seed $seed)"
exit 0
