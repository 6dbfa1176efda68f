#!/bin/sh
# -d in_asm,op,op_opt,out_asm shows each block as guest instructions, IR
# before and after the passes, and host instructions; -D sends it to a file.
set -u
[ -n "${RISCV64_CC:-}" ] || { echo "SKIP: no riscv64 cross compiler"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'int main(void){return 5;}\n' > "$tmp/five.c"
"$RISCV64_CC" -O2 -static -o "$tmp/five" "$tmp/five.c" || exit 99
"$FERRY" -d in_asm,op,op_opt,out_asm -D "$tmp/log" "$tmp/five"
status=$?
fail=0
[ $status = 5 ] || { echo "FAIL: exit status $status, want 5"; fail=1; }
for section in 'IN: 0x' 'OP: 0x' 'OP after optimization: 0x' 'OUT: \[size='; do
    grep -q "^$section" "$tmp/log" || { echo "FAIL: no '$section' in the log"; fail=1; }
done
# The entry block's first instruction shows as riscv64 text, and host code as x86.
grep -q '^0x[0-9a-f]*:  [a-z]' "$tmp/log" || { echo "FAIL: no guest instruction text"; fail=1; }
grep -Eq '(mov|jmp|add|lea)' "$tmp/log" || { echo "FAIL: no host instruction text"; fail=1; }
grep -q '^---- 0x' "$tmp/log" || { echo "FAIL: no IR instruction boundaries"; fail=1; }
# --stats: the translation statistics, on stderr at exit, status unchanged.
"$FERRY" --stats "$tmp/five" 2> "$tmp/stats"
[ $? = 5 ] || { echo "FAIL: --stats changed the exit status"; fail=1; }
for line in 'blocks translated' 'guest insns translated' 'host code bytes' 'time translating' \
            'direct branches chained' 'unchained exits taken' 'indirect-branch cache misses'; do
    grep -q "^ferry stats: $line" "$tmp/stats" || { echo "FAIL: --stats lacks '$line'"; cat "$tmp/stats"; fail=1; }
done
[ $fail = 0 ] && echo "PASS: -d log has every section, --stats every line"
exit $fail
