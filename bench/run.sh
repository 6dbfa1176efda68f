#!/bin/bash
# The benchmark runner: each bench/*.c built natively and for each guest
# (static, same flags), run natively, under Ferry and under qemu-user,
# interleaved over several rounds.  Prints per guest and benchmark the
# median time of each and the ratios to native, then geometric means, then
# start-up latency.  A run whose checksum differs from the native one is
# reported, not timed.  Quote ratios, not seconds: the machine is shared.
#
#   bench/run.sh [-r ROUNDS] [-g "riscv64 aarch64"] [-o OUTDIR] [BENCH...]
#   make bench BENCH_ARGS="-r 9 -g aarch64 fib sort"
set -u
srcdir=$(cd "$(dirname "$0")" && pwd)
ferry=${FERRY:-$srcdir/../ferry}
cc=${CC:-cc}
rounds=5
guests="riscv64 aarch64"
out=${TMPDIR:-/tmp}/ferry-bench
while getopts r:o:g: opt; do
    case $opt in r) rounds=$OPTARG ;; o) out=$OPTARG ;; g) guests=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
benches=${*:-hash sieve fib sort interp strings fp chase alloc bits}
cflags="-O2"
mkdir -p "$out"

# time_run CMD... : prints nanoseconds; stdout kept in $out/last.  The clock
# is bash's own (EPOCHREALTIME, microseconds): no process is started inside
# the timed interval but the command's.
time_run() {
    local t0=${EPOCHREALTIME/./} t1
    "$@" > "$out/last" 2>&1
    t1=${EPOCHREALTIME/./}
    echo $(((10#$t1 - 10#$t0) * 1000))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
cross_cc() { case $1 in riscv64) echo "${RISCV64_CC:-riscv64-linux-gnu-gcc}" ;; aarch64) echo "${AARCH64_CC:-aarch64-linux-gnu-gcc}" ;; esac; }
# The guest's sysroot for dynamic programs (Debian's cross libc).
sysroot() { echo "/usr/$1-linux-gnu"; }

# bench_guest GUEST: the table for one guest
bench_guest() {
    local g=$1 xcc qemu geo_f=0 geo_q=0 count=0
    xcc=$(cross_cc "$g")
    qemu=qemu-$g
    command -v "$xcc" > /dev/null || { echo "$g: $xcc not found, skipped"; return; }
    command -v "$qemu" > /dev/null || { echo "$g: $qemu not found (apt-get install qemu-user)"; qemu=; }
    for b in $benches hello; do
        "$xcc" $cflags -static -o "$out/$b.$g" "$srcdir/$b.c" -lm || { echo "$b: build failed"; return; }
    done
    "$xcc" $cflags -o "$out/hello-dyn.$g" "$srcdir/hello.c" || { echo "hello: dynamic build failed"; return; }
    echo "== $g"
    printf '%-10s %10s %10s %10s %8s %8s %8s\n' bench native_ms ferry_ms qemu_ms ferry/n qemu/n q/ferry
    for b in $benches; do
        local want ok=1 n f q
        want=$("$out/$b.native")
        : > "$out/$b.tn"; : > "$out/$b.tf"; : > "$out/$b.tq"
        for ((r = 0; r < rounds; r++)); do
            time_run "$out/$b.native" >> "$out/$b.tn"
            time_run "$ferry" "$out/$b.$g" >> "$out/$b.tf"
            [ "$(cat "$out/last")" = "$want" ] || { ok=0; echo "$b: ferry's checksum differs: $(head -c 200 "$out/last")"; break; }
            if [ -n "$qemu" ]; then
                time_run "$qemu" "$out/$b.$g" >> "$out/$b.tq"
                [ "$(cat "$out/last")" = "$want" ] || echo "$b: qemu's checksum differs"
            fi
        done
        [ $ok = 1 ] || continue
        n=$(median < "$out/$b.tn") f=$(median < "$out/$b.tf")
        q=$([ -n "$qemu" ] && median < "$out/$b.tq" || echo 0)
        awk -v b="$b" -v n="$n" -v f="$f" -v q="$q" 'BEGIN {
            printf "%-10s %10.1f %10.1f %10.1f %8.2f %8.2f %8.2f\n", b, n/1e6, f/1e6, q/1e6, f/n, q/n, (q>0 ? q/f : 0) }'
        geo_f=$(awk -v g="$geo_f" -v f="$f" -v n="$n" 'BEGIN {print g + log(f/n)}')
        [ -n "$qemu" ] && geo_q=$(awk -v g="$geo_q" -v q="$q" -v n="$n" 'BEGIN {print g + log(q/n)}')
        count=$((count + 1))
    done
    [ $count -gt 0 ] && awk -v gf="$geo_f" -v gq="$geo_q" -v c="$count" 'BEGIN {
        f = exp(gf/c); q = exp(gq/c);
        printf "%-10s %10s %10s %10s %8.2f %8.2f %8.2f\n", "geomean", "", "", "", f, q, (gq != 0 ? q/f : 0) }'
    # Start-up: a static and a dynamic hello world, many runs, median wall time.
    local who link root
    root=$(sysroot "$g")
    for link in static dynamic; do
        for who in native ferry qemu; do
            local cmd prog=$out/hello.$g
            [ $link = dynamic ] && prog=$out/hello-dyn.$g
            case $who in
                native) cmd=("$out/hello.native"); [ $link = dynamic ] && cmd=("$out/hello-dyn.native") ;;
                ferry) cmd=("$ferry" -L "$root" "$prog") ;;
                qemu) [ -n "$qemu" ] || continue; cmd=("$qemu" -L "$root" "$prog") ;;
            esac
            for ((r = 0; r < 41; r++)); do time_run "${cmd[@]}"; done | median |
                awk -v w="$who" -v l="$link" '{printf "start-up (%s hello) %-7s %7.2f ms\n", l, w, $1/1e6}'
        done
    done
}

for b in $benches; do
    "$cc" $cflags -o "$out/$b.native" "$srcdir/$b.c" -lm || { echo "$b: native build failed"; exit 1; }
done
# hello: static like the guests' static hello, and dynamic
"$cc" $cflags -static -o "$out/hello.native" "$srcdir/hello.c" ||
    { echo "hello: native static build failed (libc6-dev?)"; exit 1; }
"$cc" $cflags -o "$out/hello-dyn.native" "$srcdir/hello.c" || { echo "hello: native build failed"; exit 1; }
for g in $guests; do
    bench_guest "$g"
done
