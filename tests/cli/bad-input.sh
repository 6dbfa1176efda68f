#!/bin/sh
# Bad input gets one clear line on stderr naming the file and the reason,
# and the exit status --help documents: 127 for a missing program, 126 for
# one that cannot run, 1 for an option's bad value.  No crash, nothing
# left behind.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() { # check NAME WANT_STATUS FILE [ferry options]
    name=$1 want=$2 file=$3; shift 3
    (cd "$tmp" && "$FERRY" "$@" "$file") > "$tmp/out" 2> "$tmp/err"
    got=$?
    lines=$(wc -l < "$tmp/err")
    if [ "$got" != "$want" ] || [ "$lines" != 1 ] || ! grep -q "^ferry: .*$file" "$tmp/err"; then
        echo "FAIL: $name: status $got (want $want), stderr ($lines lines):"; cat "$tmp/err"
        fail=1
    else
        echo "ok: $name: $(cat "$tmp/err")"
    fi
}

printf 'just some text\n' > "$tmp/text"
chmod +x "$tmp/text"
printf '\177ELF\002\001\001' > "$tmp/truncated"
# A whole ELF for a machine no frontend takes: /bin/true as PowerPC64 (21).
cp /bin/true "$tmp/ppc64"
printf '\025\000' | dd of="$tmp/ppc64" bs=1 seek=18 conv=notrunc 2>/dev/null
# An ELF32 header (class 1).
printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000' > "$tmp/elf32"
head -c 64 /dev/zero >> "$tmp/elf32"
: > "$tmp/empty"
mkdir "$tmp/adir"

check "missing file" 127 missing-program
check "not an ELF" 126 text
check "truncated ELF" 126 truncated
check "empty file" 126 empty
check "32-bit ELF" 126 elf32
check "unsupported machine" 126 ppc64
check "a directory" 126 adir

usage() { # usage NAME WANT_LINE ferry options...
    name=$1 want=$2; shift 2
    "$FERRY" "$@" /bin/true > "$tmp/out" 2> "$tmp/err"
    got=$?
    if [ "$got" != 1 ] || [ "$(wc -l < "$tmp/err")" != 1 ] || ! grep -q "^ferry: $want" "$tmp/err"; then
        echo "FAIL: $name: status $got (want 1), stderr:"; cat "$tmp/err"
        fail=1
    else
        echo "ok: $name: $(cat "$tmp/err")"
    fi
}
usage "unknown log item" "-d: unknown log item 'bogus'" -d in_asm,bogus
usage "unknown pass" "--disable-pass: unknown pass 'fixd'" --disable-pass loops,fixd
exit $fail
