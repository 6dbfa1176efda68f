#!/bin/sh
# The persistent translation cache (--cache-dir, FERRY_CACHE_DIR,
# --no-cache; backend/tcfile.c).  For each guest: a second run takes all
# its blocks from the file the first one wrote (host routines' blocks
# too: it translates none) and prints what the native build
# prints (faults caught by a handler included, with their addresses), with
# the same exit status; a program rebuilt at the same path
# still runs right (its changed blocks are not used); so does one whose
# file is damaged (bytes overwritten, truncated, garbage) or written by
# runs at once; a file made with other --disable-pass options is not used;
# a warm run leaves few exits to chain (blocks come with their neighbours)
# but, copying blocks, does not load the blocks only another path of the
# program ran (mapping the file's image, it checks and takes all the
# blocks chained exits lead to, and translates none);
# -d in_asm and --no-cache neither use nor write one; what the routine
# scan found is kept beside (linux-user/cache.c) and used when sound, the
# same routines answering; a directory that
# cannot be made gets one line and changes no status; a relative
# --cache-dir is a usage error (1).
set -u
. "$(dirname "$0")/../guest-lu/guests.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/prog.c" <<'EOF'
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef K
#define K 5
#endif

static double area(double r) { return 3.25 * r * r + K; }
static double root(double r) { return sqrt(r) + K; }

/* faults in blocks that come from the file: caught, with their address */
static sigjmp_buf back;
static volatile unsigned long fault_at;
static void on_segv(int sig, siginfo_t *si, void *uc)
{
    fault_at = (unsigned long)si->si_addr;
    siglongjmp(back, 1);
}

static unsigned long touch(volatile unsigned long *p, unsigned long i) { return p[i] + i; }

int main(int argc, char **argv)
{
    double (*f[2])(double) = {area, root};
    double s = 0;
    char buf[64];
    unsigned long h = 1469598103934665603ul, faults = 0;
    struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
    sigaction(SIGSEGV, &sa, NULL);
    for (int i = 0; i < 20000; i++) {
        s += f[i & 1](i * 0.5);
        snprintf(buf, sizeof buf, "%d:%d", i, K);
        for (char *p = buf; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ul;
        if (i % 5000 == 0 && !sigsetjmp(back, 1))
            h += touch((volatile unsigned long *)(0x1000ul * (unsigned long)(i / 5000 + 1)), 3);
        else if (i % 5000 == 0)
            faults += fault_at;
    }
    printf("%.6f %lx %zu %lx\n", s, h, strlen(argv[0]) > 0 ? (size_t)K : 0, faults);
    return 3;
}
EOF
# Two paths: "b" calls 400 functions no "a" run needs, each a block
# of its own reached by a direct call.
{
    echo '#include <stdio.h>'
    echo 'static volatile long sink;'
    numbered 400 '__attribute__((noinline)) static void f@(long x) { if (x > @) sink += x * @; else sink -= @; }'
    echo 'int main(int argc, char **argv) {'
    echo '    if (argc > 1 && argv[1][0] == 98) {'
    numbered 400 '        f@(argc);'
    echo '    }'
    echo '    printf("%s %ld\n", argc > 1 ? argv[1] : "-", sink);'
    echo '    return 3;'
    echo '}'
} > "$tmp/paths.c"
fail=0
ran=
# A Ferry linked at a fixed address saves and maps an image of the code
# (backend/tcfile.c); a position-independent one copies blocks, a
# bounded number at each miss (FILE_LINK_BUDGET).
image=no
[ "$(readelf -h "$FERRY" 2> /dev/null | awk '/Type:/ {print $2}')" = EXEC ] && image=yes
failed() { echo "FAIL: $arch: $*"; fail=1; }

# stat_of NAME: the value of ferry's --stats line NAME in $tmp/err
stat_of() { sed -n "s/^ferry stats: $1 *\([0-9]*\).*/\1/p" "$tmp/err"; }

# run WHAT WANT ferry-args...: output and status as natively
run() {
    what=$1 want=$2
    shift 2
    "$FERRY" --stats "$@" > "$tmp/out" 2> "$tmp/err"
    st=$?
    [ "$(cat "$tmp/out")" = "$want" ] || failed "$what: output '$(cat "$tmp/out")', natively '$want'"
    [ "$st" = 3 ] || failed "$what: status $st, want 3 ($(grep -v '^ferry stats' "$tmp/err" | head -3))"
}

${CC:-cc} -O1 -o "$tmp/native" "$tmp/prog.c" -lm || { echo "ERROR: ${CC:-cc} failed"; exit 99; }
${CC:-cc} -O1 -DK=7 -o "$tmp/native7" "$tmp/prog.c" -lm || { echo "ERROR: ${CC:-cc} failed"; exit 99; }
native=$("$tmp/native")
${CC:-cc} -O1 -o "$tmp/paths" "$tmp/paths.c" || { echo "ERROR: ${CC:-cc} failed"; exit 99; }
paths_a=$("$tmp/paths" a) paths_b=$("$tmp/paths" b)
native7=$("$tmp/native7")
for arch in riscv64 aarch64; do
    guest_info "$arch"
    [ -n "$cc" ] || continue
    prog=$tmp/prog-$arch
    "$cc" -static -O1 -o "$prog" "$tmp/prog.c" -lm || { echo "ERROR: $cc failed"; exit 99; }
    d=$tmp/cache-$arch

    run "first run" "$native" --cache-dir "$d" "$prog"
    first=$(stat_of "blocks translated") first_exits=$(stat_of "unchained exits taken")
    first_routines=$(stat_of "host routines")
    [ "$(stat_of "blocks from the cache file")" = 0 ] || failed "blocks from a cache that did not exist"
    file=$(ls "$d"/prog-$arch-*.tc 2> /dev/null)
    [ -f "$file" ] || { failed "no cache file in $d: $(ls "$d" 2>&1)"; continue; }
    [ "$(stat -c %a "$d")" = 700 ] || failed "cache directory mode $(stat -c %a "$d"), want 700"
    [ "$(stat -c %a "$file")" = 600 ] || failed "cache file mode $(stat -c %a "$file"), want 600"

    run "second run" "$native" --cache-dir "$d" "$prog"
    loaded=$(stat_of "blocks from the cache file") again=$(stat_of "blocks translated")
    [ "$loaded" -gt 0 ] && [ "$again" = 0 ] ||
        failed "second run: $loaded blocks from the file, $again translated (first run: $first)"
    # the routine scan's findings are kept, taken, and only when sound
    memo=$(ls "$d"/routines-*.tc 2> /dev/null | head -1)
    [ -f "$memo" ] || failed "no routine scan kept in $d: $(ls "$d")"
    [ "$first_routines" -gt 0 ] && [ "$(stat_of "host routines")" = "$first_routines" ] ||
        failed "second run: $(stat_of "host routines") host routines, first run $first_routines"
    head -c 100 /dev/urandom > "$memo"
    run "damaged scan memo" "$native" --cache-dir "$d" "$prog"
    [ "$(stat_of "host routines")" = "$first_routines" ] ||
        failed "damaged scan memo: $(stat_of "host routines") host routines, not $first_routines"
    [ $(($(stat -c %s "$memo") % 16)) = 8 ] || failed "damaged scan memo: not made again"
    chmod 666 "$memo"
    run "scan memo others may write" "$native" --cache-dir "$d" "$prog"
    [ "$(stat_of "host routines")" = "$first_routines" ] && [ "$(stat -c %a "$memo")" = 600 ] ||
        failed "a scan memo others may write: used, or not made again"

    # the blocks come chained to the blocks they jump to
    exits=$(stat_of "unchained exits taken")
    [ "$first_exits" -gt 20 ] && [ $((exits * 4)) -lt "$first_exits" ] ||
        failed "second run: $exits exits left to be chained (first run: $first_exits)"
    # a file that also holds another path's blocks: a run loads some of
    # them with its own (FILE_LINK_BUDGET), not every block it could reach
    "$cc" -static -O1 -o "$tmp/paths-$arch" "$tmp/paths.c" || { echo "ERROR: $cc failed"; exit 99; }
    pd=$tmp/paths-cache-$arch
    run "path a" "$paths_a" --cache-dir "$pd" "$tmp/paths-$arch" a
    only_a=$(stat_of "blocks translated")
    run "path b" "$paths_b" --cache-dir "$pd" "$tmp/paths-$arch" b
    [ "$(stat_of "blocks translated")" -gt 400 ] || failed "path b: $(stat_of "blocks translated") new blocks, want 400+"
    run "path a, warm" "$paths_a" --cache-dir "$pd" "$tmp/paths-$arch" a
    loaded=$(stat_of "blocks from the cache file")
    if [ "$image" = yes ]; then
        # mapped, not copied: a block comes with every block its chained
        # exits lead to (checked before any of them runs), path b's too
        [ "$loaded" -gt "$only_a" ] && [ "$(stat_of "blocks translated")" = 0 ] &&
            [ "$(stat_of "unchained exits taken")" -lt 20 ] ||
            failed "path a, warm, from the image: $loaded blocks from the file, $(stat_of "blocks translated") translated, $(stat_of "unchained exits taken") exits left"
    else
        [ "$loaded" -gt 0 ] && [ "$loaded" -lt $((only_a + 200)) ] ||
            failed "path a, warm: $loaded blocks from the file, path a alone made $only_a"
    fi

    FERRY_CACHE_DIR=$d run "FERRY_CACHE_DIR" "$native" "$prog"
    [ "$(stat_of "blocks from the cache file")" -gt 0 ] || failed "FERRY_CACHE_DIR: no block from the file"

    # the same path, other code: the changed blocks are not used
    "$cc" -static -O1 -DK=7 -o "$prog" "$tmp/prog.c" -lm || { echo "ERROR: $cc failed"; exit 99; }
    run "rebuilt program" "$native7" --cache-dir "$d" "$prog"
    run "rebuilt program, again" "$native7" --cache-dir "$d" "$prog"
    [ "$(stat_of "blocks from the cache file")" -gt 0 ] || failed "rebuilt program: no block from the merged file"

    run "other passes" "$native7" --cache-dir "$d" --disable-pass fold "$prog"
    [ "$(stat_of "blocks from the cache file")" = 0 ] || failed "--disable-pass fold used blocks made without it"
    run "-d in_asm" "$native7" --cache-dir "$d" -d in_asm -D "$tmp/log" "$prog"
    [ "$(stat_of "blocks from the cache file")" = 0 ] || failed "-d in_asm used cached blocks"
    grep -q '^IN: ' "$tmp/log" || failed "-d in_asm logged no block"
    run "--no-cache" "$native7" --no-cache --cache-dir "$tmp/none-$arch" "$prog"
    [ ! -e "$tmp/none-$arch" ] || failed "--no-cache made $tmp/none-$arch"
    [ "$(stat_of "blocks from the cache file")" = 0 ] || failed "--no-cache used cached blocks"

    # damaged files (of this key: other passes wrote one of theirs)
    run "default passes" "$native7" --cache-dir "$d" "$prog"
    run "default passes, again" "$native7" --cache-dir "$d" "$prog"
    [ "$(stat_of "blocks from the cache file")" -gt 0 ] || failed "no block from the file after other passes"
    size=$(stat -c %s "$file")
    cp "$file" "$tmp/good"
    head -c 4096 /dev/urandom | dd of="$file" bs=1 seek=$((size / 2)) conv=notrunc status=none
    run "overwritten bytes" "$native7" --cache-dir "$d" "$prog"
    cp "$tmp/good" "$file"
    truncate -s $((size / 3)) "$file"
    run "truncated file" "$native7" --cache-dir "$d" "$prog"
    head -c "$size" /dev/urandom > "$file"
    run "garbage file" "$native7" --cache-dir "$d" "$prog"
    printf 'FERRYTC\001' > "$file"
    head -c 100000 /dev/urandom >> "$file"
    run "garbage after the magic" "$native7" --cache-dir "$d" "$prog"

    # runs at once, then one more from what they left
    for i in 1 2 3 4; do
        "$FERRY" --cache-dir "$tmp/par-$arch" "$prog" > "$tmp/par$i" 2>&1 &
    done
    wait
    for i in 1 2 3 4; do
        [ "$(cat "$tmp/par$i")" = "$native7" ] || failed "run $i at once: $(head -3 "$tmp/par$i")"
    done
    run "after runs at once" "$native7" --cache-dir "$tmp/par-$arch" "$prog"
    [ "$(stat_of "blocks from the cache file")" -gt 0 ] || failed "no block from the file runs at once wrote"

    # a directory that cannot be made: one line, the guest's status
    : > "$tmp/plain"
    run "unwritable directory" "$native7" --cache-dir "$tmp/plain/sub" "$prog"
    [ "$(grep -c "cannot keep translations in $tmp/plain/sub" "$tmp/err")" = 1 ] ||
        failed "unwritable directory: no line saying so: $(grep -v '^ferry stats' "$tmp/err")"
    ran="$ran $arch"
done
[ -n "$ran" ] || { echo "SKIP: no guest cross compiler"; exit 77; }

"$FERRY" --cache-dir relative/dir "$tmp/native" > /dev/null 2> "$tmp/err"
st=$?
[ $st = 1 ] && grep -q 'cache-dir relative/dir: expected an absolute path' "$tmp/err" ||
    { echo "FAIL: a relative --cache-dir: status $st, $(cat "$tmp/err")"; fail=1; }

[ $fail = 0 ] && echo "PASS: translations kept and reused safely:$ran"
exit $fail
