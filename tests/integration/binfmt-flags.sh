#!/bin/sh
# binfmt_misc's P and O flags, and ferry-binfmt status/unregister, in a
# private user namespace with a binfmt_misc of its own (binfmt-lib.sh).
# A riscv64 program printing its argv and /proc/self/exe is run directly
# by path, through execv() with an argv[0] of our choosing; the same
# source built for x86-64 and run the same way is the oracle:
#   P   argv[0] is the caller's, even for a program named "-probe";
#       without P it is the path, as the kernel documents
#   O   a program of mode 0111 (execute, no read) runs for a user without
#       CAP_DAC_OVERRIDE, as a native one does; without O Ferry cannot
#       open it (status 126)
#   C   implies O (the kernel shows "POC" for PC)
#   status shows the entry (magic, mask, interpreter, flags); after
#   unregister the kernel refuses the program: ENOEXEC.
set -u
. "$(dirname "$0")/binfmt-lib.sh"
[ -n "${RISCV64_CC:-}" ] || skip "no riscv64 cross compiler"
CC=${CC:-cc}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferry-binfmt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/n" "$tmp/g"
cat >"$tmp/probe.c" <<'EOF'
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    printf("argv[0]=%s exe=%s argc=%d\n", argv[0], exe, argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    return 7;
}
EOF
cat >"$tmp/execas.c" <<'EOF'
/* execas PATH ARGV0 ARGS...: execv(PATH, {ARGV0, ARGS...}) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    execv(argv[1], argv + 2);
    printf("execv: %s\n", strerror(errno));
    return 127;
}
EOF
"$CC" -O2 -o "$tmp/execas" "$tmp/execas.c" || exit 99
"$CC" -O2 -o "$tmp/n/probe" "$tmp/probe.c" || exit 99
"$RISCV64_CC" -O2 -static -o "$tmp/g/probe" "$tmp/probe.c" || exit 99
"$RISCV64_CC" -O2 -o "$tmp/g/dprobe" "$tmp/probe.c" || exit 99
cp "$tmp/n/probe" "$tmp/n/-probe"
cp "$tmp/g/probe" "$tmp/g/-probe"
cp "$tmp/n/probe" "$tmp/n/dprobe"
for d in n g; do
    cp "$tmp/$d/probe" "$tmp/$d/xonly"
    chmod 0111 "$tmp/$d/xonly"
done
export FERRY tmp

# Inside the namespace: each case prints a line "== name", then what it
# ran printed and its status; a native run prints the same with n for g.
cat >"$tmp/inner.sh" <<'EOF'
set -u
reg() { "$BINFMT" register --arch riscv64 --interpreter "$FERRY" --flags "$1" >/dev/null || exit 99; }
run() { "$tmp/execas" "$@"; echo "status $?"; }
nocaps() { setpriv --inh-caps=-all --bounding-set=-all "$@"; }
side=$1   # n: native, g: riscv64 through binfmt_misc
reg PO
echo "== P"
run "$tmp/$side/probe" myname a 'b c'
echo "== P, a program named -probe"
(cd "$tmp/$side" && run -probe zz)
echo "== without P: argv[0] is the path"
reg O
if [ "$side" = g ]; then run "$tmp/g/probe" myname a; else run "$tmp/n/probe" "$tmp/n/probe" a; fi
echo "== O: execute-only, no capabilities"
reg PO
if command -v setpriv >/dev/null; then
    nocaps cat "$tmp/$side/xonly" >/dev/null 2>&1 && echo "xonly readable"
    nocaps "$tmp/execas" "$tmp/$side/xonly" xonly 1; echo "status $?"
else
    echo "(no setpriv)"
fi
echo "== C implies O"
reg PC
"$BINFMT" status --arch riscv64 | grep -q '^  flags: POC$' && echo "flags POC"
run "$tmp/$side/probe" c
reg PO
echo "== dynamic"
if [ -d /usr/riscv64-linux-gnu ]; then run "$tmp/$side/dprobe" d; else echo "(no sysroot)"; fi
echo "== unregister"
"$BINFMT" unregister --arch riscv64 >/dev/null
"$BINFMT" status --arch riscv64 >/dev/null; echo "status says $?"
run "$tmp/g/probe" gone
EOF

fail=0
check() { # name want got
    if [ "$2" = "$3" ]; then
        echo "PASS: $1"
    else
        echo "FAIL: $1"
        printf 'want:\n%s\ngot:\n%s\n' "$2" "$3" | sed 's/^/  /'
        fail=1
    fi
}
native=$(in_ns "$tmp/inner.sh" n 2>&1 | sed "s|$tmp/n/|DIR/|g; s|dprobe|probe|")
guest=$(in_ns "$tmp/inner.sh" g 2>&1 | sed "s|$tmp/g/|DIR/|g; s|dprobe|probe|")
[ -n "$native" ] || { echo "FAIL: nothing ran in the namespace"; exit 1; }
check "runs by path as native programs do (P, O, C, dynamic, unregister)" "$native" "$guest"

# Without O, Ferry must open the program itself: execute-only fails.
if command -v setpriv >/dev/null; then
    got=$(in_ns /dev/stdin <<'EOF' 2>&1
"$BINFMT" register --arch riscv64 --interpreter "$FERRY" --flags P >/dev/null || exit 99
setpriv --inh-caps=-all --bounding-set=-all "$tmp/g/xonly" 1; echo "status $?"
EOF
)
    check "without O an execute-only program cannot be opened" \
        "ferry: $tmp/g/xonly: Permission denied
status 126" "$got"
fi

# status: the entry as registered, with ferry's per-guest name.
interp=$FERRY
[ "${FERRY##*/}" = ferry ] && [ -e "$FERRY-riscv64" ] && interp=$FERRY-riscv64
got=$(in_ns /dev/stdin <<'EOF' 2>&1
"$BINFMT" register --arch riscv64 --interpreter "$FERRY" --flags PO >/dev/null || exit 99
"$BINFMT" status; echo "status $?"
"$BINFMT" status --arch riscv64 | grep -v '^binfmt_misc'; echo "status $?"
EOF
)
check "status" "binfmt_misc on /proc/sys/fs/binfmt_misc: enabled
ferry-aarch64: not registered
ferry-riscv64: enabled
  interpreter $interp
  flags: PO
  offset 0
  magic 7f454c460201010000000000000000000200f300
  mask ffffffffffffff00fffffffffffffffffeffffff
status 1
ferry-riscv64: enabled
  interpreter $interp
  flags: PO
  offset 0
  magic 7f454c460201010000000000000000000200f300
  mask ffffffffffffff00fffffffffffffffffeffffff
status 0" "$got"
exit $fail
