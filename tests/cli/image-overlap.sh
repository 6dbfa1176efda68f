#!/bin/sh
# A guest program linked where Ferry's own image lies (a static Ferry is
# linked at a fixed address: configure.ac, FERRY_IMAGE_BASE) is refused
# with one line and status 126, not loaded over Ferry; a Ferry that is
# position-independent (a dynamic build) loads it and runs it.
set -u
[ -n "${RISCV64_CC:-}" ] || { echo "SKIP: no riscv64 cross compiler"; exit 77; }
command -v readelf >/dev/null || { echo "SKIP: no readelf"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
type=$(readelf -h "$FERRY" | awk '/Type:/ {print $2}')
base=$(readelf -lW "$FERRY" | awk '$1 == "LOAD" {print $3; exit}')
[ "$type" = EXEC ] || base=0x78000000
"$RISCV64_CC" -O2 -static -nostdlib -fno-pie -no-pie -Wl,-Ttext-segment="$base" \
    -o "$tmp/at" "$(dirname "$0")/pie-guest.c" || exit 99
"$FERRY" "$tmp/at" > "$tmp/out" 2> "$tmp/err"
status=$?
if [ "$type" = EXEC ]; then
    [ $status = 126 ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
        grep -q "address range in use by Ferry" "$tmp/err" && [ ! -s "$tmp/out" ] &&
        { echo "PASS: a guest at Ferry's image ($base) refused: $(cat "$tmp/err")"; exit 0; }
    echo "FAIL: status $status, stderr '$(cat "$tmp/err")' (want 126 and 'address range in use by Ferry')"
    exit 1
fi
[ $status = 42 ] && [ "$(cat "$tmp/out")" = "static-pie ok" ] &&
    { echo "PASS: a position-independent Ferry ran a guest at $base"; exit 0; }
echo "FAIL: status $status, output '$(cat "$tmp/out")' (want 42)"
exit 1
