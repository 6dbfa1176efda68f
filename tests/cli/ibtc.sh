#!/bin/sh
# The indirect-branch cache grows (backend/flush.c): a thread's starts at
# X86_IBTC_MIN entries and doubles when a quarter full, keeping what it
# holds.
# A program calling 600 functions through a table, three times over,
# prints what the native build prints, and misses in the cache about once
# a function (--stats: "indirect-branch cache misses"), not once a
# function a pass, as a cache that stayed small or forgot its entries
# when it grew would.
set -u
. "$(dirname "$0")/../guest-lu/guests.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
    echo '#include <stdio.h>'
    echo 'typedef long fn(long);'
    numbered 600 '__attribute__((noinline)) static long f@(long x) { return x * (@ % 7 + 2) + @; }'
    echo 'static fn *const table[] = {'
    numbered 600 '    f@,'
    echo '};'
    echo 'int main(void) {'
    echo '    unsigned long s = 1;'
    echo '    for (int pass = 0; pass < 3; pass++)'
    echo '        for (int i = 0; i < 600; i++)'
    echo '            s = s * 31 + (unsigned long)table[i]((long)(s & 0xffff));'
    echo '    printf("%lx\n", s);'
    echo '    return 0;'
    echo '}'
} > "$tmp/calls.c"
${CC:-cc} -O1 -o "$tmp/native" "$tmp/calls.c" || { echo "ERROR: ${CC:-cc} failed"; exit 99; }
want=$("$tmp/native")
fail=0
ran=
for arch in riscv64 aarch64; do
    guest_info "$arch"
    [ -n "$cc" ] || continue
    "$cc" -static -O1 -o "$tmp/calls-$arch" "$tmp/calls.c" || { echo "ERROR: $cc failed"; exit 99; }
    out=$("$FERRY" --no-cache --stats "$tmp/calls-$arch" 2> "$tmp/err")
    [ "$out" = "$want" ] || { echo "FAIL: $arch: output '$out', natively '$want'"; fail=1; }
    misses=$(sed -n 's/^ferry stats: indirect-branch cache misses *\([0-9]*\).*/\1/p' "$tmp/err")
    [ -n "$misses" ] && [ "$misses" -ge 600 ] && [ "$misses" -lt 900 ] ||
        { echo "FAIL: $arch: $misses indirect-branch cache misses for 600 targets, 3 passes"; fail=1; }
    ran="$ran $arch"
done
[ -n "$ran" ] || { echo "SKIP: no guest cross compiler"; exit 77; }
[ $fail = 0 ] && echo "PASS: the indirect-branch cache grows and keeps its entries:$ran"
exit $fail
