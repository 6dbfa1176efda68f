#!/bin/sh
# Host routines (linux-user/routines.c): a program's calls of libc's string
# functions run host code, found by the symbols of the program (static)
# and of libc.so.6 as the guest's ld.so maps it (dynamic; aarch64's
# strlen and memcpy there are IFUNCs, whose resolvers then return entries
# of the routines).  For each translated guest and link mode: the output
# is the native build's, with and without --disable-pass routines;
# --stats counts host routines only without it; -d op shows blocks
# calling the host's strlen and memmove, and riscv64's calls of libgcc's
# __popcountdi2 inlined as IR.  aarch64's memcmp is answered only where
# its code is glibc 2.36's, whose exact values (not only their signs) the
# routine gives: cmp.c's values are the same with and without routines
# (glibc's own instructions translated) and under qemu-aarch64 if there.
# (tests/guest/routines.c checks their results at page edges and faults.)
set -u
. "$(dirname "$0")/../guest-lu/guests.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/str.c" <<'EOF'
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    static char buf[4096];
    unsigned long sum = 0;
    for (int i = 0; i < 2000; i++) {
        size_t n = 100 + (size_t)i % 900;
        memset(buf, 'a' + i % 26, n);
        buf[n] = 0;
        memcpy(buf + 2048, buf, n + 1);
        sum += strlen(buf + 2048) + (size_t)(strchr(buf, 0) - buf) + (argc > 1 ? strlen(argv[1]) : 0);
        sum += (unsigned long)__builtin_popcountll(sum * 0x9e3779b97f4a7c15ull);
    }
    printf("%lu\n", sum);
    return 0;
}
EOF
cat > "$tmp/cmp.c" <<'EOF'
#include <stdio.h>
#include <string.h>

int main(void)
{
    static unsigned char a[512], b[512];
    unsigned long r = 88172645463325252ul;
    for (int t = 0; t < 20000; t++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        size_t n = t % 5 ? r % 40 : r % 300, oa = (r >> 16) % 16, ob = (r >> 20) % 16;
        for (size_t i = 0; i < n + 16; i++)
            a[oa + i] = b[ob + i] = (unsigned char)(r >> (i % 56));
        if (n && (r >> 24) % 4)
            b[ob + (r >> 28) % n] ^= (unsigned char)(1 + (r >> 40) % 255);
        printf("%d\n", memcmp(a + oa, b + ob, n));
    }
    return 0;
}
EOF
fail=0
ran=
failed() { echo "FAIL: $arch $link: $*"; fail=1; }
count() { sed -n 's/^ferry stats: host routines *//p' "$tmp/err"; }

${CC:-cc} -O2 -fno-builtin -o "$tmp/native" "$tmp/str.c" || { echo "ERROR: ${CC:-cc} failed"; exit 99; }
native=$("$tmp/native")
for arch in $(translated_arches); do
    guest_info "$arch"
    have_cross "$cc" || { skip_guest "$arch"; continue; }
    for link in static dynamic; do
        bin=$tmp/str-$arch-$link
        if [ $link = static ]; then
            "$cc" -O2 -fno-builtin -static -o "$bin" "$tmp/str.c" || { echo "ERROR: $cc failed"; exit 99; }
            set -- "$FERRY"
        else
            "$cc" -O2 -fno-builtin -o "$bin" "$tmp/str.c" || { echo "ERROR: $cc failed"; exit 99; }
            set -- "$FERRY" -L "$sysroot"
        fi
        out=$("$@" --stats "$bin" 2> "$tmp/err")
        [ "$out" = "$native" ] || failed "output $out, natively $native"
        n=$(count)
        [ -n "$n" ] && [ "$n" -gt 0 ] || failed "no host routines ($(cat "$tmp/err" | head -3))"
        out=$("$@" --stats --disable-pass routines "$bin" 2> "$tmp/err")
        [ "$out" = "$native" ] || failed "--disable-pass routines: output $out, natively $native"
        [ "$(count)" = 0 ] || failed "--disable-pass routines: $(count) host routines"
        "$@" -d op "$bin" > /dev/null 2> "$tmp/op"
        for r in r_strlen r_memmove; do
            grep -q "call.*$r" "$tmp/op" || failed "-d op shows no call of $r"
        done
        # rv64gc calls libgcc's __popcountdi2: inlined as IR where called
        if [ "$arch" = riscv64 ]; then
            grep -q "popcnt.i64" "$tmp/op" || failed "-d op shows no inlined popcount"
        fi
        if [ "$arch" = aarch64 ]; then
            cmp_bin=$tmp/cmp-$link
            if [ $link = static ]; then
                "$cc" -O2 -fno-builtin -static -o "$cmp_bin" "$tmp/cmp.c" || exit 99
            else
                "$cc" -O2 -fno-builtin -o "$cmp_bin" "$tmp/cmp.c" || exit 99
            fi
            "$@" -d op "$cmp_bin" > "$tmp/cmp-ferry" 2> "$tmp/op"
            grep -q "call.*r_memcmp_glibc_a64" "$tmp/op" || failed "memcmp: -d op shows no r_memcmp_glibc_a64"
            "$@" --disable-pass routines "$cmp_bin" > "$tmp/cmp-translated"
            cmp -s "$tmp/cmp-ferry" "$tmp/cmp-translated" || failed "memcmp values differ from glibc's translated"
            if command -v qemu-aarch64 > /dev/null; then
                qemu-aarch64 -L "$sysroot" "$cmp_bin" > "$tmp/cmp-qemu"
                cmp -s "$tmp/cmp-ferry" "$tmp/cmp-qemu" || failed "memcmp values differ from qemu-aarch64's"
            fi
        fi
    done
    ran="$ran $arch"
done
[ -n "$ran" ] || { echo "SKIP: no guest cross compiler"; exit 77; }
[ $fail = 0 ] && echo "PASS: host routines answer libc's string functions, static and dynamic:$ran"
exit $fail
