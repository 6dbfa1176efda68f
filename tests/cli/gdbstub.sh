#!/bin/sh
# -g PORT: gdb-multiarch debugs a guest program through Ferry as it would
# through gdbserver.  For each guest (static, -O0 -g): a breakpoint stops in
# the right function at the right line with its arguments, pc reads as that
# function, stepi moves pc to the next instruction of the disassembly, the
# stack and an FP register read, a variable written by gdb is what the
# program prints and exits with, and gdb reports that exit status; then a
# NULL store is reported as SIGSEGV at its line, and continuing lets the
# guest die of it (Ferry's status 139, as natively).
set -u
command -v gdb-multiarch >/dev/null 2>&1 || { echo "SKIP: apt-get install gdb-multiarch"; exit 77; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cat > "$tmp/prog.c" <<'EOF'
#include <stdio.h>

volatile int x = 7;

int compute(int a, double s)
{
    int r = a * 3 + (int)s; /* the breakpoint line */
    return r + x;
}

int main(int argc, char **argv)
{
    int v = compute(5, 2.5);
    if (argc > 1)
        *(volatile int *)0 = v; /* the fault line */
    printf("x=%d v=%d\n", x, v);
    return x;
}
EOF
bp_line=$(grep -n 'the breakpoint line' "$tmp/prog.c" | cut -d: -f1)
fault_line=$(grep -n 'the fault line' "$tmp/prog.c" | cut -d: -f1)
fail=0
ran=
failed() { echo "FAIL: $arch: $*"; fail=1; }

# Ferry waiting for gdb: a port from this shell's pid, the next one when
# that one is taken; then wait until it listens (its stderr says so).
start() {
    for try in 1 2 3 4 5 6 7 8; do
        port=$((20000 + ($$ * 7 + try * 4099) % 40000))
        timeout 60 "$FERRY" -g "$port" "$@" > "$tmp/out" 2> "$tmp/err" &
        pid=$!
        i=0
        while [ $i -lt 200 ]; do
            grep -q "waiting for gdb on port $port" "$tmp/err" && return 0
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
            i=$((i + 1))
        done
        wait "$pid" 2>/dev/null
        pid=
    done
    echo "ERROR: ferry -g does not listen: $(cat "$tmp/err")"
    exit 99
}

# gdb's commands as arguments: one -ex each.
gdb_run() {
    prog=$1
    shift
    for c in "$@"; do
        set -- "$@" -ex "$c"
        shift
    done
    timeout 30 gdb-multiarch -batch -nx -ex "set architecture $gdb_arch" \
        -ex "target remote :$port" "$@" "$prog" > "$tmp/gdb" 2>&1
}

# Ferry's own exit status once gdb is done, in st.
ferry_status() {
    wait "$pid"
    st=$?
    pid=
}

has() { grep -Eq -- "$1" "$tmp/gdb"; }

debug_session() {
    start "$tmp/prog-$arch"
    gdb_run "$tmp/prog-$arch" 'break compute' 'continue' 'info registers pc' 'print a' \
        'x/2i $pc' 'stepi' 'print/x $pc' 'x/4xw $sp' "info registers $fp_reg" \
        "print $fp_expr" "info registers $flags_reg" 'set var x = 42' 'continue'
    ferry_status
    has "^Breakpoint 1, compute \(a=5, s=2.5\) at .*prog.c:$bp_line" ||
        failed "no stop at the breakpoint in compute, line $bp_line"
    has '^pc[[:space:]]+0x[0-9a-f]+[[:space:]]+0x[0-9a-f]+ <compute\+[0-9]+>' || failed "info registers pc does not name compute"
    has '^\$1 = 5$' || failed "print a is not 5"
    next=$(sed -n 's/^ *\(0x[0-9a-f]*\) <compute+[0-9]*>:.*/\1/p' "$tmp/gdb" | head -1)
    has "^\\\$2 = $next\$" || failed "stepi did not move pc to the next instruction ($next)"
    has '^0x[0-9a-f]+:[[:space:]]+0x[0-9a-f]{8}[[:space:]]+0x[0-9a-f]{8}[[:space:]]+0x[0-9a-f]{8}[[:space:]]+0x[0-9a-f]{8}$' ||
        failed "x/4xw \$sp shows no 4 words"
    has "^$fp_reg .*$fp_shows" || failed "info registers $fp_reg does not show $fp_shows"
    has '^\$3 = 2.5$' || failed "print $fp_expr is not 2.5"
    has "^$flags_reg[[:space:]]+0x[0-9a-f]+" || failed "info registers $flags_reg shows no value"
    has '^\[Inferior 1 \(process [0-9]+\) exited with code 052\]$' ||
        failed "gdb does not report the exit with code 052 (42)"
    grep -qx 'x=42 v=59' "$tmp/out" || failed "the guest did not print the value gdb wrote: $(cat "$tmp/out")"
    [ "$st" = 42 ] || failed "ferry exited with $st, want 42 (the written x)"
}

fault_session() {
    start "$tmp/prog-$arch" crash
    gdb_run "$tmp/prog-$arch" 'continue' 'continue'
    ferry_status
    has '^Program received signal SIGSEGV' || failed "the NULL store is not reported as SIGSEGV"
    has "^$fault_line[[:space:]]" || failed "the SIGSEGV stop is not at line $fault_line"
    has '^Program terminated with signal SIGSEGV' || failed "gdb does not see the guest die of SIGSEGV"
    [ "$st" = 139 ] || failed "ferry exited with $st, want 139 (SIGSEGV)"
}

for arch in riscv64 aarch64; do
    case $arch in
    riscv64) cc=${RISCV64_CC:-}; gdb_arch=riscv:rv64; fp_reg=fa0; fp_shows='double = 2.5'
             fp_expr='$fa0.double'; flags_reg=fcsr ;;
    aarch64) cc=${AARCH64_CC:-}; gdb_arch=aarch64; fp_reg=v0; fp_shows='d = \{f = \{0x4004000000000000'
             fp_expr='$v0.d.f[0]'; flags_reg=cpsr ;;
    esac
    [ -n "$cc" ] || continue
    "$cc" -static -O0 -g -o "$tmp/prog-$arch" "$tmp/prog.c" || { echo "ERROR: $cc failed"; exit 99; }
    debug_session
    [ $fail = 0 ] && fault_session
    [ $fail = 0 ] || { echo "--- gdb's output:"; cat "$tmp/gdb"; break; }
    ran="$ran $arch"
done
[ -n "$ran" ] || [ $fail = 1 ] || { echo "SKIP: no guest cross compiler"; exit 77; }
[ $fail = 0 ] && echo "PASS: gdb-multiarch through -g:$ran (breakpoint, registers, stepi, memory, FP, a write, the exit, SIGSEGV)"
exit $fail
