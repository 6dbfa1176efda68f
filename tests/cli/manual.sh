#!/bin/sh
# The documentation keeps up with the code: `ferry --help` and the manual
# (doc/ferry.1) name every option and environment variable of the option
# table in linux-user/main.c; the manual also names every -d item (as
# `ferry -d help` lists them), the exit statuses, the binfmt_misc flags and
# every option and command of ferry-binfmt (its usage text).
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
main=$src/linux-user/main.c
man=$src/doc/ferry.1
binfmt=$src/tools/ferry-binfmt.in
for f in "$main" "$man" "$binfmt"; do
    [ -r "$f" ] || { echo "ERROR: $f is missing"; exit 99; }
done
fail=0
miss() { echo "FAIL: $*"; fail=1; }

# Rows of `options[] = { ... };`: { "name", arg, "ENV" or NULL, handler }.
table=$(sed -n '/options\[\] = {/,/^};/p' "$main" |
    sed -n 's/^ *{ *"\([^"]*\)", *[a-z]*, *\(NULL\|"\([A-Z0-9_]*\)"\),.*/\1 \3/p')
[ "$(printf '%s\n' "$table" | wc -l)" -ge 10 ] || { echo "ERROR: cannot read the option table of $main"; exit 99; }

help=$("$FERRY" --help) || { echo "FAIL: ferry --help failed"; exit 1; }
# The manual as text: roff's \- is a dash, fonts and \(dq dropped.
manual=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(dq/"/g' "$man")

# has TEXT WORD: WORD stands alone in TEXT (not inside a longer name).
has() {
    printf '%s\n' "$1" | grep -Eq -- "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|\$)"
}

n=0
while read -r name env; do
    n=$((n + 1))
    has "$help" "--?$name" || miss "--help does not mention -$name"
    has "$manual" "--?$name" || miss "the manual does not mention -$name"
    [ -z "$env" ] && continue
    has "$help" "$env" || miss "--help does not mention $env (-$name)"
    has "$manual" "$env" || miss "the manual does not mention $env (-$name)"
done <<EOF
$table
EOF

for item in $("$FERRY" -d help | awk '{print $1}'); do
    has "$manual" "$item" || miss "the manual does not mention the -d item $item"
done
for status in 1 126 127; do
    has "$help" "$status" || miss "--help does not mention exit status $status"
    has "$manual" "$status" || miss "the manual does not mention exit status $status"
done
printf '%s\n' "$help" | grep -q '128+N' || miss "--help does not mention exit status 128+N"
printf '%s\n' "$manual" | grep -q '128+' || miss "the manual does not mention exit status 128+N"
for flag in P O C F; do
    printf '%s\n' "$manual" | grep -A1 '^\.TP' | grep -qx "\.B $flag" ||
        miss "the manual has no entry for the binfmt_misc flag $flag"
    has "$help" "$flag" || miss "--help does not mention the binfmt_misc flag $flag"
done
words=$(sed -n '/^usage() {/,/^}/p' "$binfmt" | grep -Eo -- '--[a-z][a-z-]*|\b(register|unregister|status)\b' | sort -u)
for w in $words; do
    has "$manual" "$w" || miss "the manual does not mention ferry-binfmt $w"
done

[ $fail = 0 ] && echo "PASS: --help and ferry.1 cover the $n options, their variables, -d items, exit statuses and ferry-binfmt"
exit $fail
