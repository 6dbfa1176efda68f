#!/bin/bash
# The benchmark runner: each bench/*.c built natively and for each guest
# (static, same flags), run natively, under Ferry and under qemu-user,
# interleaved over several rounds.  Prints per guest and benchmark the
# median time of each and the ratios to native, then geometric means, then
# start-up latency.  A run whose checksum differs from the native one is
# reported, not timed.  Quote ratios, not seconds: the machine is shared.
#
# The guest x86_64 (issue #7) is the host's own static build run as
# `ferry --kvm` (natively in a KVM virtual machine) against the same
# binary run natively; it is in the default list only when
# `ferry --kvm /bin/true` works.  Its table ends with the cost of a
# system call (bench/syscall.c) against the bare KVM exit and the VM's
# start (bench/kvm_exit.c, built against BUILDDIR's libferry.a; BUILDDIR
# defaults to FERRY's directory).
#
#   bench/run.sh [-r ROUNDS] [-g "riscv64 aarch64 x86_64"] [-o OUTDIR] [BENCH...]
#   make bench BENCH_ARGS="-r 9 -g aarch64 fib sort"
set -u
srcdir=$(cd "$(dirname "$0")" && pwd)
ferry=${FERRY:-$srcdir/../ferry}
cc=${CC:-cc}
builddir=${BUILDDIR:-$(dirname "$ferry")}
rounds=5
vms=5
guests="riscv64 aarch64 x86_64"
out=${TMPDIR:-/tmp}/ferry-bench
while getopts r:o:g: opt; do
    case $opt in r) rounds=$OPTARG ;; o) out=$OPTARG ;; g) guests=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
rm -rf "$out/tcache"
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
cross_cc() {
    case $1 in
        riscv64) echo "${RISCV64_CC:-riscv64-linux-gnu-gcc}" ;;
        aarch64) echo "${AARCH64_CC:-aarch64-linux-gnu-gcc}" ;;
        x86_64) echo "$cc" ;;
    esac
}
# The guest's sysroot for dynamic programs (Debian's cross libc; none for
# x86_64, whose libc is the host's).
sysroot() { [ "$1" = x86_64 ] || echo "/usr/$1-linux-gnu"; }
# Ferry's options for the guest: an x86-64 program must run in KVM (else
# Ferry would run it natively, without itself).
# Translated guests keep their translations in a cache of the run's own
# (emptied at the start, so each program's first run translates); the
# start-up lines show the cold start (--no-cache) too.
ferry_opts() { [ "$1" = x86_64 ] && echo --kvm || echo "--cache-dir $out/tcache"; }
# The native program a guest's benchmark is compared with: for x86_64 the
# very binary Ferry runs, so that only the VM differs.
native_of() { [ "$2" = x86_64 ] && echo "$out/$1.x86_64" || echo "$out/$1.native"; }
# guest_usable GUEST: true, or false after one "GUEST: skipped: why" line
guest_usable() {
    [ "$1" = x86_64 ] || return 0
    "$ferry" --kvm /bin/true > /dev/null 2> "$out/kvm.err" && return 0
    local why
    why=$(sed -n '1s/^ferry: //p' "$out/kvm.err")
    echo "x86_64: skipped: ${why:-ferry --kvm /bin/true failed}"
    return 1
}

# bench_guest GUEST: the table for one guest
bench_guest() {
    local g=$1 xcc qemu geo_f=0 geo_q=0 count=0 fopts
    guest_usable "$g" || return
    xcc=$(cross_cc "$g")
    fopts=$(ferry_opts "$g")
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
        local want ok=1 n f q nat
        nat=$(native_of "$b" "$g")
        want=$("$nat")
        : > "$out/$b.tn"; : > "$out/$b.tf"; : > "$out/$b.tq"
        for ((r = 0; r < rounds; r++)); do
            time_run "$nat" >> "$out/$b.tn"
            time_run "$ferry" $fopts "$out/$b.$g" >> "$out/$b.tf"
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
    # Start-up: a static and a dynamic hello world, 41 rounds of one run
    # each (interleaved, so that the host's load moves them alike), median
    # wall time, and its ratio to native's (steadier than the time itself
    # on a loaded host).
    local who link r cmd
    for link in static dynamic; do
        rm -f "$out"/start.*
        for ((r = 0; r < 41; r++)); do
            for who in native ferry ferry-cold qemu; do
                start_cmd "$g" $link $who || continue
                time_run "${cmd[@]}" >> "$out/start.$who"
            done
        done
        local base
        base=$(median < "$out/start.native")
        for who in native ferry ferry-cold qemu; do
            [ -f "$out/start.$who" ] || continue
            median < "$out/start.$who" |
                awk -v w="$who" -v l="$link" -v n="$base" '{
                    printf "start-up (%s hello) %-10s %7.2f ms", l, w, $1/1e6
                    if (w != "native" && n > 0) printf "  %5.2fx native", $1/n
                    printf "\n" }'
        done
    done
    if [ "$g" = x86_64 ]; then bench_syscall "$qemu"; fi
}

# start_cmd GUEST LINK WHO: cmd=(the start-up run of WHO: native, ferry,
# ferry-cold, qemu) for the static or dynamic hello; false when WHO has
# none for GUEST.  ferry, fopts and qemu are bench_guest's.
start_cmd() {
    local g=$1 link=$2 who=$3 prog=$out/hello.$1 root=()
    [ $link = dynamic ] && prog=$out/hello-dyn.$g
    [ -n "$(sysroot "$g")" ] && root=(-L "$(sysroot "$g")")
    case $who in
        native) cmd=("$out/hello.native"); [ $link = dynamic ] && cmd=("$out/hello-dyn.native") ;;
        ferry) cmd=("$ferry" $fopts "${root[@]}" "$prog") ;;
        ferry-cold) [ "$g" != x86_64 ] || return 1; cmd=("$ferry" --no-cache "${root[@]}" "$prog") ;;
        qemu) [ -n "$qemu" ] || return 1; cmd=("$qemu" "${root[@]}" "$prog") ;;
    esac
    return 0
}

# The syscall lines.  sys_calls WHO: how many getppid calls bench/syscall.c
# makes under WHO (native, ferry, qemu): about half a second's worth.
sys_calls() { if [ "$1" = ferry ]; then echo 20000; else echo 1000000; fi; }

# sys_round WHO: one timed run of bench/syscall.c under WHO with its calls
# and one with none, onto $out/sys.WHO.n and .0 ("bad" when the checksum
# is wrong).  qemu is bench_guest's.
sys_round() {
    local who=$1 n cmd=()
    n=$(sys_calls "$who")
    case $who in
        ferry) cmd=("$ferry" --kvm) ;;
        qemu) cmd=("$qemu") ;;
    esac
    time_run "${cmd[@]}" "$out/syscall.x86_64" "$n" >> "$out/sys.$who.n"
    [ "$(cat "$out/last")" = "$(printf 'syscall %016x' "$n")" ] || echo bad >> "$out/sys.$who.n"
    time_run "${cmd[@]}" "$out/syscall.x86_64" 0 >> "$out/sys.$who.0"
}

# sys_ns WHO: nanoseconds per call, from the medians of the runs with and
# without calls; "-" after a wrong checksum.
sys_ns() {
    grep -q bad "$out/sys.$1.n" && { echo -; return; }
    echo "$(median < "$out/sys.$1.n") $(median < "$out/sys.$1.0")" |
        awk -v n="$(sys_calls "$1")" '{printf "%.0f", ($1 - $2) / n}'
}

# kvm_exit.c against BUILDDIR's libferry.a; false (the reason on stderr)
# when it cannot be built.
kvm_exit_build() {
    [ -f "$builddir/libferry.a" ] || { echo "no $builddir/libferry.a (set BUILDDIR)" >&2; return 1; }
    "$cc" $cflags -I"$srcdir/.." -I"$builddir" -o "$out/kvm_exit" "$srcdir/kvm_exit.c" \
        "$builddir/libferry.a" -lpthread
}

# kvm_exit_median FIELD: the median over the rounds of a field of
# kvm_exit's output, one line per round: "exit_ns NS start_us MEDIAN
# FIRST phases_us NEW MAP VCPU RUN" (2: ns per exit; 4: VM start, median
# of $vms VMs; 5: the first VM of the process; 7-10: its steps); "-"
# without any.
kvm_exit_median() {
    [ -s "$out/kvm_exit.out" ] || { echo -; return; }
    awk -v f="$1" '{print $f}' "$out/kvm_exit.out" | median
}

# bench_syscall QEMU: the x86_64 table's syscall and VM-start lines, the
# runs of each interleaved with kvm_exit's (PVM's exit cost drifts).
bench_syscall() {
    local qemu=$1 who whos="native ferry" r line
    [ -n "$qemu" ] && whos="$whos qemu"
    "$cc" $cflags -static -o "$out/syscall.x86_64" "$srcdir/syscall.c" || { echo "syscall: build failed"; return; }
    rm -f "$out"/sys.*.n "$out"/sys.*.0 "$out/kvm_exit" "$out/kvm_exit.out"
    kvm_exit_build
    for ((r = 0; r < rounds; r++)); do
        for who in $whos; do sys_round "$who"; done
        [ -x "$out/kvm_exit" ] && line=$("$out/kvm_exit" 4000 "$vms" | paste -sd ' ') &&
            [ -n "$line" ] && echo "$line" >> "$out/kvm_exit.out"
    done
    for who in $whos; do
        printf 'syscall (getppid) %-7s %9s ns\n' "$who" "$(sys_ns "$who")"
    done
    awk -v k="$(sys_ns ferry)" -v b="$(kvm_exit_median 2)" -v s="$(kvm_exit_median 4)" \
        -v f="$(kvm_exit_median 5)" -v v="$((vms * rounds))" -v p="$(for i in 7 8 9 10; do
            kvm_exit_median $i; done)" '
        function ns(x) { return x == "-" ? "-" : sprintf("%.0f ns", x) }
        function ms(x) { return x == "-" ? "-" : sprintf("%.2f ms", x / 1e3) }
        BEGIN {
            printf "syscall round trip: ferry --kvm %s, bare KVM exit %s, ratio %s (target <= 1.2)\n",
                ns(k), ns(b), (k == "-" || b == "-" ? "-" : sprintf("%.2f", k / b))
            if (s == "-") { print "VM start: - (no kvm_exit)"; exit }
            printf "VM start (kvm_vm_new to the first syscall stop): %s median of %d fresh VMs,", ms(s), v
            printf " %s the first of a process (target < 2 ms)\n", ms(f)
            if (split(p, t, "\n") < 4) exit
            printf "VM start steps: kvm_vm_new %s, kvm_vm_map %s, kvm_vcpu_new %s, first run %s\n",
                ms(t[1]), ms(t[2]), ms(t[3]), ms(t[4]) }'
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
