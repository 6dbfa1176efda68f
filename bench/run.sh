#!/bin/bash
# The benchmark runner: each bench/*.c built natively and for riscv64
# (static, same flags), run natively, under Ferry and under qemu-user,
# interleaved over several rounds.  Prints per benchmark the median time of
# each and the ratios to native, then geometric means, then start-up
# latency.  A run whose checksum differs from the native one is reported,
# not timed.  Quote ratios, not seconds: the machine is shared and noisy.
#
#   bench/run.sh [-r ROUNDS] [-o OUTDIR] [BENCH...]     (make bench)
set -u
srcdir=$(cd "$(dirname "$0")" && pwd)
ferry=${FERRY:-$srcdir/../ferry}
qemu=${QEMU_RISCV64:-qemu-riscv64}
rvcc=${RISCV64_CC:-riscv64-linux-gnu-gcc}
cc=${CC:-cc}
rounds=5
out=${TMPDIR:-/tmp}/ferry-bench
while getopts r:o: opt; do
    case $opt in r) rounds=$OPTARG ;; o) out=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
benches=${*:-hash sieve fib sort interp strings}
cflags="-O2"
mkdir -p "$out"
command -v "$qemu" >/dev/null || { echo "bench: $qemu not found (apt-get install qemu-user)"; qemu=; }

now() { date +%s%N; }
# time_run CMD... : prints nanoseconds, stdout kept in $out/last
time_run() { local t0 t1; t0=$(now); "$@" > "$out/last" 2>&1; t1=$(now); echo $((t1 - t0)); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

build() {
    "$cc" $cflags -o "$out/$1.native" "$srcdir/$1.c" || return 1
    "$rvcc" $cflags -static -o "$out/$1.rv64" "$srcdir/$1.c"
}

printf '%-10s %10s %10s %10s %8s %8s %8s\n' bench native_ms ferry_ms qemu_ms ferry/n qemu/n q/ferry
geo_f=0 geo_q=0 count=0
for b in $benches hello; do
    build "$b" || { echo "$b: build failed"; continue; }
done
for b in $benches; do
    want=$("$out/$b.native")
    : > "$out/$b.tn"; : > "$out/$b.tf"; : > "$out/$b.tq"
    ok=1
    for ((r = 0; r < rounds; r++)); do
        time_run "$out/$b.native" >> "$out/$b.tn"
        time_run "$ferry" "$out/$b.rv64" >> "$out/$b.tf"
        [ "$(cat "$out/last")" = "$want" ] || { ok=0; echo "$b: ferry checksum differs: $(head -c 200 "$out/last")"; break; }
        if [ -n "$qemu" ]; then
            time_run "$qemu" "$out/$b.rv64" >> "$out/$b.tq"
            [ "$(cat "$out/last")" = "$want" ] || { echo "$b: qemu checksum differs"; }
        fi
    done
    [ $ok = 1 ] || continue
    n=$(median < "$out/$b.tn") f=$(median < "$out/$b.tf")
    q=$( [ -n "$qemu" ] && median < "$out/$b.tq" || echo 0)
    awk -v b="$b" -v n="$n" -v f="$f" -v q="$q" 'BEGIN {
        printf "%-10s %10.1f %10.1f %10.1f %8.2f %8.2f %8.2f\n", b, n/1e6, f/1e6, q/1e6, f/n, q/n, (q>0 ? q/f : 0) }'
    geo_f=$(awk -v g="$geo_f" -v r="$f/$n" 'BEGIN {split(r,x,"/"); print g + log(x[1]/x[2])}')
    [ -n "$qemu" ] && geo_q=$(awk -v g="$geo_q" -v r="$q/$n" 'BEGIN {split(r,x,"/"); print g + log(x[1]/x[2])}')
    count=$((count + 1))
done
if [ $count -gt 0 ]; then
    awk -v gf="$geo_f" -v gq="$geo_q" -v c="$count" 'BEGIN {
        f = exp(gf/c); q = exp(gq/c);
        printf "%-10s %10s %10s %10s %8.2f %8.2f %8.2f\n", "geomean", "", "", "", f, q, (gq != 0 ? q/f : 0) }'
fi
# Start-up: a static hello world, many runs, median wall time.
for who in native ferry qemu; do
    case $who in
        native) cmd=("$out/hello.native") ;;
        ferry) cmd=("$ferry" "$out/hello.rv64") ;;
        qemu) [ -n "$qemu" ] || continue; cmd=("$qemu" "$out/hello.rv64") ;;
    esac
    for ((r = 0; r < 21; r++)); do time_run "${cmd[@]}"; done | median |
        awk -v w="$who" '{printf "start-up (static hello) %-7s %7.2f ms\n", w, $1/1e6}'
done
