#!/bin/sh
# An illegal instruction gives the guest SIGILL at its own pc, as hardware
# does: the guest dies of SIGILL (status 132 through the shell's eyes, a
# real signal death), and -d unimp names the pc and the word.
set -u
[ -n "${RISCV64_CC:-}" ] || { echo "SKIP: no riscv64 cross compiler"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/bad.S" <<'ASM'
.globl _start
_start:
    li a0, 1
    addi a0, a0, 1
bad:
    .word 0xffffffff        # no rv64gc instruction has this encoding
    li a7, 93
    ecall
ASM
"$RISCV64_CC" -nostdlib -static -o "$tmp/bad" "$tmp/bad.S" || exit 99
pc=$(riscv64-linux-gnu-nm "$tmp/bad" 2>/dev/null | awk '$3 == "bad" {print $1}')
sh -c '"$0" -d unimp "$1" 2> "$2"' "$FERRY" "$tmp/bad" "$tmp/err"
status=$?
fail=0
[ $status = 132 ] || { echo "FAIL: exit status $status, want 132 (SIGILL)"; fail=1; }
if [ -n "$pc" ]; then
    pc=$(printf '%x' "0x$pc")
    grep -q "0x0*$pc.*0xffffffff" "$tmp/err" || { echo "FAIL: -d unimp does not name pc 0x$pc and the word:"; cat "$tmp/err"; fail=1; }
fi
[ $fail = 0 ] && echo "PASS: SIGILL at 0x$pc: $(cat "$tmp/err")"
exit $fail
