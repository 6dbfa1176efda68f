#!/bin/sh
# libcapstone is loaded only for the -d items that disassemble: ferry does
# not link it (a plain run never maps it), -d in_asm,out_asm still shows
# aarch64 and x86-64 text through it, and where it is missing -d in_asm is
# one line on stderr and status 1 while a plain run is unaffected.
set -u
[ -n "${AARCH64_CC:-}" ] || { echo "SKIP: no aarch64 cross compiler"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'int main(void){return 5;}\n' > "$tmp/five.c"
"$AARCH64_CC" -O2 -static -o "$tmp/five" "$tmp/five.c" || exit 99
fail=0

# Not among ferry's DT_NEEDED libraries.
if command -v readelf > /dev/null; then
    needed=$(readelf -d "$FERRY" | grep NEEDED)
else
    needed=$(ldd "$FERRY")
fi
case $needed in
*libcapstone*) echo "FAIL: ferry links libcapstone: $needed"; fail=1 ;;
esac

# -d in_asm,out_asm: capstone's aarch64 text and x86-64 text.
"$FERRY" -d in_asm,out_asm -D "$tmp/log" "$tmp/five"
[ $? = 5 ] || { echo "FAIL: -d in_asm,out_asm changed the exit status"; fail=1; }
grep -Eq '^0x[0-9a-f]+:  (ldr|str|add|mov|movz|stp|ldp) [xwsp]' "$tmp/log" ||
    { echo "FAIL: no aarch64 instruction text in -d in_asm"; fail=1; }
grep -Eq '^  0x[0-9a-f]+:  (mov|cmp|jmp|jne|lea|add)  ' "$tmp/log" ||
    { echo "FAIL: no x86-64 instruction text in -d out_asm"; fail=1; }

# Without the library: a mount namespace hides it behind an empty file.
soname=$(grep -ao 'libcapstone\.so\.[0-9]*' "$FERRY" | head -n 1)
lib=$(PATH=$PATH:/sbin:/usr/sbin ldconfig -p 2> /dev/null |
      awk -v s="$soname" '$1 == s && /x86-64/ {print $NF; exit}')
ns=
for u in "unshare -m" "unshare -rm"; do
    $u true 2> /dev/null && { ns=$u; break; }
done
if [ -z "$soname" ] || [ -z "$lib" ] || [ -z "$ns" ]; then
    echo "note: missing-library check skipped (needs unshare and ldconfig)"
else
    $ns sh -c 'mount --bind /dev/null "$1" || exit 99
        "$2" "$3"; echo "plain $?"
        "$2" -d unimp "$3"; echo "unimp $?"
        "$2" -d in_asm "$3" 2> "$4"; echo "in_asm $?"' \
        sh "$lib" "$FERRY" "$tmp/five" "$tmp/err" > "$tmp/out"
    [ $? = 99 ] && { echo "FAIL: cannot hide $lib"; exit 99; }
    printf 'plain 5\nunimp 5\nin_asm 1\n' | cmp -s - "$tmp/out" ||
        { echo "FAIL: statuses without $soname:"; cat "$tmp/out"; fail=1; }
    [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "^ferry: -d in_asm needs libcapstone: .*$soname" "$tmp/err" ||
        { echo "FAIL: want one line naming $soname, got:"; cat "$tmp/err"; fail=1; }
fi
[ $fail = 0 ] && echo "PASS: capstone loaded only for -d in_asm/out_asm"
exit $fail
