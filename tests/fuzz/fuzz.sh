#!/bin/sh
# Differential fuzzing of Ferry's translation of one guest against
# qemu-user: the guest's generator (rvgen, a64gen) writes random valid
# instruction sequences with random initial registers, its harness (a
# guest program) runs them and prints every register, the FP control and
# status and a hash of the scratch buffer after each case; the records of
# ferry and qemu must be equal.  A mismatch is reported with its
# disassembly and both final states, then shrunk to fewer items.
# Usage: fuzz.sh GUEST [-n INSNS] [-l PER_CASE] [-s SEED] [-c CLASSES]
#                      [-r MAX_REPORTS] [-C CASE] [-F] [-I] [-q]
#   GUEST: riscv64 or aarch64 (fuzz-riscv64.sh, fuzz-aarch64.sh: the same)
#   -c: comma list of classes, or all:
#       riscv64: int,mul,mem,br,amo,csr,fp,c,zb,zicond
#       aarch64: int,flags,cond,mem,br,atomic,fp,neon,crypto
#   -C: run only case CASE of SEED (replay a reported case)
#   -F: harness work-around, a fresh code slot per case, never rewritten
#       (riscv64: and no fence.i); -I (riscv64): no fcsr accesses.
#       See tests/fuzz/README.md.
# Environment: FERRY (required), QEMU (qemu-GUEST), RISCV64_CC or
# AARCH64_CC, RVGEN or A64GEN, FUZZ_BUILD (folder for the harness and work
# files), FUZZ_SCRIPT (the command the replay line names).
# Exit: 0 no mismatch, 1 mismatches, 77 skipped, 99 setup error.
set -u
guest=${1:-}
[ $# -gt 0 ] && shift
# Per guest: generator, harness, compiler, extra flags, whether the
# reference (qemu) runs its own case file (.ref: rvgen's work-arounds of
# qemu bugs), how the harness makes new code visible, objdump's flags.
case $guest in
riscv64)
    gname=rvgen hname=rvharness gflags=I qext=ref refout=1 sync=fence.i
    cc=${RISCV64_CC:-riscv64-linux-gnu-gcc} gen=${RVGEN:-} objflags="-M no-aliases" ;;
aarch64)
    gname=a64gen hname=a64harness gflags= qext=bin refout= sync="ic ivau"
    cc=${AARCH64_CC:-aarch64-linux-gnu-gcc} gen=${A64GEN:-} objflags= ;;
*)
    echo "usage: $0 riscv64|aarch64 [-n INSNS] [-l PER_CASE] [-s SEED] [-c CLASSES] ..."
    exit 99 ;;
esac
n=3000 len=20 seed=$(date +%Y%m%d) classes=all maxrep=3 only= hflags= quiet=
while getopts "n:l:s:c:r:C:F${gflags}q" opt; do
    case $opt in
    n) n=$OPTARG ;; l) len=$OPTARG ;; s) seed=$OPTARG ;; c) classes=$OPTARG ;;
    r) maxrep=$OPTARG ;; C) only=$OPTARG ;; F) hflags="$hflags -F" ;;
    I) hflags="$hflags -I" ;; q) quiet=1 ;; *) exit 99 ;;
    esac
done

me=${FUZZ_SCRIPT:-"$0 $guest"}
fuzzdir=$(cd "$(dirname "$0")" && pwd)
srcdir=$fuzzdir/$guest
QEMU=${QEMU:-qemu-$guest}
cross=${cc%gcc}
[ -n "${FERRY:-}" ] && [ -x "$FERRY" ] || { echo "fuzz: FERRY must name the ferry binary"; exit 99; }
command -v "$QEMU" >/dev/null 2>&1 || { echo "SKIP: no $QEMU (apt-get install qemu-user)"; exit 77; }
command -v "$cc" >/dev/null 2>&1 ||
    { echo "SKIP: no $guest cross compiler (apt-get install gcc-$guest-linux-gnu)"; exit 77; }
top=$(cd "$(dirname "$FERRY")" && pwd)
gen=${gen:-$top/tests/fuzz/$guest/$gname}
[ -x "$gen" ] || { echo "fuzz: no $gname at $gen (make tests/fuzz/$guest/$gname)"; exit 99; }
out=${FUZZ_BUILD:-$top/tests/fuzz/build}
mkdir -p "$out" || exit 99
harness=$out/$hname
for f in "$srcdir/$hname.c" "$srcdir/${hname}_stubs.S" "$srcdir/fz_layout.h" \
         "$fuzzdir/fzharness.c" "$fuzzdir/fzharness.h" "$fuzzdir/fz_case.h"; do
    [ "$f" -nt "$harness" ] && rm -f "$harness"
done
if [ ! -x "$harness" ]; then
    "$cc" -O2 -Wall -static -I"$srcdir" -o "$harness" "$fuzzdir/fzharness.c" \
        "$srcdir/$hname.c" "$srcdir/${hname}_stubs.S" || exit 99
fi
work=$(mktemp -d "$out/run.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
say() { [ -n "$quiet" ] || echo "$@"; }

# gen_cases FIRST COUNT OUT [KEEP]: OUT.bin for ferry, OUT.$qext for qemu.
gen_cases() {
    "$gen" gen -s "$seed" -f "$1" -n "$2" -l "$len" -c "$classes" ${4:+-k "$4"} \
        -o "$3.bin" ${refout:+-r "$3.ref"} || exit 99
}

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

# one_case CASE KEEP: 0 when the single case (items in KEEP) differs.
one_case() {
    gen_cases "$1" 1 "$work/one" "${2:-}"
    mflag=-m
    run_all "$QEMU" "$work/one.$qext" "$work/one.q" 1
    run_all "$FERRY" "$work/one.bin" "$work/one.f" 1
    mflag=
    ! "$gen" diff "$work/one.bin" "$work/one.q" "$work/one.f" > /dev/null
}

show_case() {
    "$gen" show -s "$seed" -f "$1" -l "$len" -c "$classes" ${2:+-k "$2"} -b "$work/show.s"
    if "${cross}as" -o "$work/show.o" "$work/show.s" 2>/dev/null; then
        echo "objdump (offsets from the case's first instruction):"
        "${cross}objdump" -d $objflags "$work/show.o" | sed -n 's/^ *\([0-9a-f]*:\)/    \1/p'
    fi
    "$gen" report "$work/one.bin" 0 "$work/one.q" "$work/one.f"
}

# Drops items one at a time while the case still mismatches.
shrink() {
    k=$1 count=$("$gen" count -s "$seed" -f "$k" -l "$len" -c "$classes")
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
    echo "replay: $me -s $seed -l $len -c $classes -C $k$hflags"
    show_case "$k" "$keep"
}

report() {
    k=$1
    echo "==== MISMATCH: case $k of seed $seed (-l $len -c $classes$hflags)"
    if ! one_case "$k"; then
        echo "(the case alone matches: it depends on the cases run before it in the"
        echo " same process, e.g. stale code after $sync; replay with -C is not enough)"
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
say "fuzz-$guest: seed $seed, $ncases cases of $len instructions, classes $classes$hflags"
while [ $first -lt $ncases ]; do
    cnt=$((ncases - first)); [ $cnt -gt $chunk ] && cnt=$chunk
    gen_cases $first $cnt "$work/c"
    mflag=
    run_all "$QEMU" "$work/c.$qext" "$work/q.out" $cnt
    run_all "$FERRY" "$work/c.bin" "$work/f.out" $cnt
    if grep -q crash "$work/q.out"; then
        echo "fuzz: qemu itself failed (generator bug?):"; grep crash "$work/q.out" | head -3
    fi
    for i in $("$gen" diff "$work/c.bin" "$work/q.out" "$work/f.out"); do
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
    echo "fuzz-$guest: $bad of $ncases cases differ (seed $seed; replay one with -s $seed -l $len -c $classes -C CASE)"
    exit 1
fi
say "fuzz-$guest: $ncases cases, no mismatch (seed $seed)"
exit 0
