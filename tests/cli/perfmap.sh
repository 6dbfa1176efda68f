#!/bin/sh
# --perfmap (and FERRY_PERFMAP): /tmp/perf-PID.map gets one well-formed
# "START SIZE NAME" line per translated block (hex, no two blocks at one
# start), named after the guest function from the program's symbols (main,
# spin), and the guest runs as natively (same output, same status).  When
# perf can record here, perf report names the guest function where the
# time went (spin), through the map.
set -u
tmp=$(mktemp -d)
maps=
trap 'rm -rf "$tmp"; for m in $maps; do rm -f "$m"; done' EXIT
cat > "$tmp/busy.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) unsigned long spin(unsigned long n)
{
    unsigned long h = 1;
    for (unsigned long i = 0; i < n; i++)
        h = h * 6364136223846793005ul + i;
    return h;
}

int main(int argc, char **argv)
{
    printf("%lu\n", spin(argc > 1 ? strtoul(argv[1], 0, 0) : 1000));
    return 3;
}
EOF
fail=0
ran=
failed() { echo "FAIL: $arch: $*"; fail=1; }

# Run ferry with $@ in the background so that its pid names the map.
run() {
    "$@" > "$tmp/out" 2> "$tmp/err" &
    pid=$!
    wait "$pid"
    st=$?
    map=/tmp/perf-$pid.map
    maps="$maps $map"
}

check_map() {
    [ -s "$map" ] || { failed "$1: no $map"; return; }
    bad=$(grep -Evc '^[0-9a-f]+ [0-9a-f]+ [^ ]+$' "$map")
    [ "$bad" = 0 ] || failed "$1: $bad malformed lines in $map: $(grep -Ev '^[0-9a-f]+ [0-9a-f]+ [^ ]+$' "$map" | head -3)"
    dup=$(cut -d' ' -f1 "$map" | sort | uniq -d | head -1)
    [ -z "$dup" ] || failed "$1: two blocks start at $dup"
    grep -Eq ' main(\+0x[0-9a-f]+)?$' "$map" || failed "$1: no block named main"
    grep -Eq ' spin(\+0x[0-9a-f]+)?$' "$map" || failed "$1: no block named spin"
    [ "$(cat "$tmp/out")" = "$native" ] || failed "$1: output $(cat "$tmp/out"), natively $native"
    [ "$st" = 3 ] || failed "$1: exit status $st, want 3"
}

# perf, when it may record this user's processes: the samples in the
# guest's hot loop are named spin through the map.
perf_check() {
    command -v perf >/dev/null 2>&1 || return 0
    perf record -q -o "$tmp/perf.data" -- sh -c 'echo $$ > "$0"; exec "$@"' "$tmp/pid" \
        "$FERRY" --perfmap "$tmp/busy-$arch" 30000000 > /dev/null 2> "$tmp/perf.err"
    st=$?
    [ -s "$tmp/pid" ] && maps="$maps /tmp/perf-$(cat "$tmp/pid").map"
    [ $st = 3 ] || { echo "note: perf cannot record here: $(tail -1 "$tmp/perf.err")"; return 0; }
    top=$(perf report -i "$tmp/perf.data" --stdio --sort sym 2> /dev/null | grep -v '^#' | grep -m1 '%')
    case $top in
    *spin*) perf_ok="$perf_ok $arch" ;;
    *) failed "perf report's top symbol is not the guest's spin: $top" ;;
    esac
}

perf_ok=
${CC:-cc} -O1 -o "$tmp/native" "$tmp/busy.c" || { echo "ERROR: ${CC:-cc} failed"; exit 99; }
native=$("$tmp/native")
for arch in riscv64 aarch64; do
    case $arch in
    riscv64) cc=${RISCV64_CC:-} ;;
    aarch64) cc=${AARCH64_CC:-} ;;
    esac
    [ -n "$cc" ] || continue
    "$cc" -static -O1 -o "$tmp/busy-$arch" "$tmp/busy.c" || { echo "ERROR: $cc failed"; exit 99; }
    run "$FERRY" --perfmap "$tmp/busy-$arch"
    check_map --perfmap
    run env FERRY_PERFMAP=1 "$FERRY" "$tmp/busy-$arch"
    check_map FERRY_PERFMAP
    run "$FERRY" "$tmp/busy-$arch"
    [ ! -e "$map" ] || failed "a map without --perfmap"
    [ $fail = 0 ] && perf_check
    ran="$ran $arch"
done
[ -n "$ran" ] || { echo "SKIP: no guest cross compiler"; exit 77; }
[ $fail = 0 ] && echo "PASS: --perfmap names main and spin:$ran${perf_ok:+; perf report names spin:$perf_ok}"
exit $fail
