#!/bin/sh
# -strace prints each call as strace does: `name(arg, arg) = result`, paths
# and buffers quoted and escaped, flags by name, errors as `-1 ENOENT (...)`.
# A small static guest opens a missing file, reads a real one, maps memory,
# writes "hi\n" and exits 3; the deterministic lines are checked exactly.
set -u
[ -n "${RISCV64_CC:-}" ] || { echo "SKIP: no riscv64 cross compiler"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/prog.c" <<'C'
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    char buf[64];
    if (argc < 2 || open("/nonexistent-ferry-strace/missing", O_RDONLY) >= 0)
        return 1;
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, buf, sizeof buf) != 5 || close(fd) != 0)
        return 1;
    if (mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
        return 1;
    write(1, "hi\n", 3);
    _exit(3);
}
C
"$RISCV64_CC" -O2 -static -o "$tmp/prog" "$tmp/prog.c" || exit 99
printf 'a\tb"\n' > "$tmp/data"
"$FERRY" -strace "$tmp/prog" "$tmp/data" > "$tmp/out" 2> "$tmp/err"
status=$?
fail=0
[ $status = 3 ] || { echo "FAIL: exit status $status, want 3"; fail=1; }
[ "$(cat "$tmp/out")" = hi ] || { echo "FAIL: stdout: $(cat "$tmp/out")"; fail=1; }
for line in \
    'openat(AT_FDCWD, "/nonexistent-ferry-strace/missing", O_RDONLY) = -1 ENOENT (No such file or directory)' \
    'write(1, "hi\n", 3) = 3' \
    'exit_group(3) = ?'; do
    grep -qxF "$line" "$tmp/err" || { echo "FAIL: no line: $line"; fail=1; }
done
# The fd and the address vary: their lines are matched by pattern.
for re in \
    "^openat(AT_FDCWD, \"$tmp/data\", O_RDONLY|O_CLOEXEC) = [0-9][0-9]*\$" \
    '^read([0-9][0-9]*, "a\\tb\\"\\n", 64) = 5$' \
    '^close([0-9][0-9]*) = 0$' \
    '^mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x[0-9a-f][0-9a-f]*$'; do
    grep -q "$re" "$tmp/err" || { echo "FAIL: no line matching: $re"; fail=1; }
done
# One thread: no [pid N] prefix, and no qemu-style leading pid.
if grep -q '^\[pid\|^[0-9]' "$tmp/err"; then
    echo "FAIL: pid prefix with one thread:"; grep '^\[pid\|^[0-9]' "$tmp/err" | head -3; fail=1
fi
[ $fail = 0 ] && echo "PASS: -strace prints as strace does" || { echo "trace was:"; cat "$tmp/err"; }
exit $fail
