#!/bin/sh
# Real programs of a Debian arm64 tree (make-tree.sh) run under Ferry and
# compared with the same Debian packages' amd64 builds run natively:
# shells, coreutils, Python, Perl, Lua, SQLite, xz and gzip (round trips
# across the two), and GCC compiling and linking a C program.
#
#   run-suite.sh [--sample] [CASE...]
#     --sample  the quick subset `make check` runs
#     CASE      only these cases (names as printed)
# Environment: FERRY (the binary; default ./ferry), FERRY_DISTRO_TREE (a
# tree to use instead of building/finding one with make-tree.sh),
# FERRY_DISTRO_OFFLINE=1 (never build the tree: use the cache or skip).
# Exit: 0 all passed, 1 some failed, 77 no tree (skipped).
set -u

here=$(cd "$(dirname "$0")" && pwd)
FERRY=${FERRY:-$(pwd)/ferry}
sample=0
[ "${1:-}" = --sample ] && { sample=1; shift; }
only="$*"

skip() { echo "SKIP: $*"; exit 77; }
[ -x "$FERRY" ] || skip "no ferry binary at $FERRY"
if [ -n "${FERRY_DISTRO_TREE:-}" ]; then
    TREE=$FERRY_DISTRO_TREE
elif [ "${FERRY_DISTRO_OFFLINE:-0}" = 1 ]; then
    TREE=$(FERRY_DISTRO_NOBUILD=1 sh "$here/make-tree.sh") || skip "no cached arm64 tree (make distro-tree)"
else
    TREE=$(sh "$here/make-tree.sh") || skip "the Debian arm64 tree cannot be built here (see above)"
fi
[ -x "$TREE/usr/bin/dash" ] || skip "$TREE is not an arm64 tree"

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-distro.XXXXXX")
[ -n "${FERRY_DISTRO_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT INT TERM
export LC_ALL=C TZ=UTC PATH=/usr/bin:/bin HOME="$work"

# run PROG ARGS...: the tree's PROG under Ferry (mode guest) or the host's
# (mode native); host PROG ARGS...: always the host's.
run() {
    p=$1
    shift
    if [ "$mode" = guest ]; then
        "$FERRY" -L "$TREE" "$TREE/usr/bin/$p" "$@"
    else
        "/usr/bin/$p" "$@"
    fi
}
host() { p=$1; shift; "/usr/bin/$p" "$@"; }

# A fixed directory for ls and friends: names, sizes, modes, times.
fixture() {
    d=$work/fixed
    [ -d "$d" ] && return
    mkdir -p "$d/sub"
    printf 'alpha\n' >"$d/a.txt"
    seq 1 1000 >"$d/numbers"
    printf '#!/bin/sh\necho hi\n' >"$d/run.sh"
    chmod 755 "$d/run.sh"
    chmod 600 "$d/a.txt"
    ln -s a.txt "$d/link"
    for f in "$d/a.txt" "$d/numbers" "$d/run.sh" "$d/sub" "$d"; do
        touch -h -d '2001-02-03 04:05:06' "$f"
    done
    touch -h -d '2001-02-03 04:05:06' "$d/link"
}

# ---- the cases: each prints what must match between the two runs ----

c_shell_dash() {
    run dash -c '
        n=0; for i in $(seq 1 200); do n=$((n + i * i)); done; echo "sum $n"
        printf "%s\n" pear apple fig apple kiwi | sort | uniq -c | sort -rn | head -3
        f() { echo "f($#): $*"; }; f a "b c" d
        i=0; while [ $i -lt 5 ]; do echo "line $i"; i=$((i + 1)); done | tr a-z A-Z | wc -l
        case "x86-arm" in *arm) echo arm;; *) echo other;; esac
        x=$( (echo inner; exit 3) ); echo "$x $?"
        seq 1 50 | while read -r v; do [ $((v % 7)) = 0 ] && echo "$v"; done
        cat <<EOF | cut -d: -f2
a:here-doc:z
EOF
        (sleep 0.1; echo late) & wait; echo done'
}

c_shell_bash() {
    run bash -c '
        declare -A m=([one]=1 [two]=2 [three]=3)
        for k in $(printf "%s\n" "${!m[@]}" | sort); do echo "$k=${m[$k]}"; done
        a=(z y x); echo "${#a[@]} ${a[*]^^} ${a[1]/y/Y}"
        s="hello world"; echo "${s:6} ${s%o*} ${s//o/0}"
        [[ abc =~ ^a(.)c$ ]] && echo "match ${BASH_REMATCH[1]}"
        echo {1..5} {a..c}
        while read -r l; do echo "<$l>"; done < <(seq 3)
        mapfile -t lines < <(printf "p\nq\n"); echo "${#lines[@]}"
        trap "echo trapped" USR1; kill -USR1 $$
        printf "%05.1f|%x|%s\n" 3.14159 255 "$(( 2 ** 40 ))"
        set -o pipefail; false | true; echo "pipefail $?"'
}

c_coreutils() {
    fixture
    d=$work/fixed
    run sort -n -r "$d/numbers" | head -3
    seq 1 5000 | run sort -R --random-source="$d/numbers" | run sha256sum
    printf 'b\na\nb\nc\na\n' | run sort | run uniq -c
    run wc "$d/numbers"
    run sha256sum "$d/numbers"
    run md5sum "$d/numbers"
    run date -d @0 -u
    run date -u -d '2024-02-29 12:34:56' +'%A %j %s'
    run seq -w 1 3 20
    echo 'Hello, World' | run tr 'a-zA-Z' 'n-za-mN-ZA-M'
    printf 'a:b:c\nd:e:f\n' | run cut -d: -f2,3
    run ls -l --time-style=+%s "$d"
    run ls -R "$d"
    run stat -c '%n %s %a %F %Y' "$d/a.txt" "$d/sub" "$d/link"
    run head -c 100 "$d/numbers" | run od -A d -t x1 | tail -3
    run factor 1234567890 600851475143
    run printf '%s-%d-%08.3f\n' x 42 2.5
    run base64 "$d/numbers" | run tail -1
    run expr 7 \* 6
    run basename /a/b/c.txt .txt
    run readlink "$d/link"
    run tac "$d/a.txt" "$d/numbers" | head -2
    run du -s --apparent-size -B1 "$d/numbers"
    run cp "$d/numbers" "$work/copy" && run cmp "$d/numbers" "$work/copy" && echo copied
    run mkdir -p "$work/m/n" && run mv "$work/copy" "$work/m/n/" && run ls "$work/m/n"
    run rm -r "$work/m" && echo removed
    run env -i A=1 B=2 /usr/bin/env | sort
    run nproc >/dev/null && echo nproc ok
    run timeout 5 sleep 0.1 && echo timeout ok
    run stat -f -c '%T %S %l' "$d"
    run find "$TREE/usr/include/linux" -name '*.h' -size +2k -printf '%s %P\n' | sort | run sha256sum
    seq 1 300000 | run sort --parallel=2 -S 1M -r | run sha256sum
    run find "$TREE/usr/include/linux" -name '*.h' -print0 | run xargs -0 -P2 -n 50 grep -l ioctl | wc -l
    run tar -C "$d" -czf "$work/t-$mode.tgz" . && host tar -tzf "$work/t-$mode.tgz" | sort
    run grep -rc '^1' "$d" | sort
}

c_python() {
    fixture
    run python3.11 -B -c '
import json, threading, subprocess, signal, os, sys, queue, hashlib, zlib, time, selectors, socket

data = {"b": [1, 2.5, None, True], "a": {"x": "\u00e9", "y": list(range(5))}}
s = json.dumps(data, sort_keys=True)
print(s, json.loads(s) == data)

total, lock, q = [0], threading.Lock(), queue.Queue()
def work(k):
    for i in range(2000):
        with lock:
            total[0] += i * k
    q.put(k)
ts = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]
for t in ts: t.start()
for t in ts: t.join()
print("threads", total[0], sorted(q.get() for _ in ts))

r = subprocess.run(["sh", "-c", "echo child $((6*7)); exit 3"], capture_output=True, text=True)
print("subprocess", repr(r.stdout), r.returncode)
p = subprocess.Popen(["sort"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
print("pipe", p.communicate("c\nb\na\n")[0].split())

got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
signal.signal(signal.SIGALRM, lambda s, f: got.append(s))
signal.setitimer(signal.ITIMER_REAL, 0.05)
time.sleep(1)
print("signals", got)
old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
os.kill(os.getpid(), signal.SIGUSR2)
print("pending", signal.SIGUSR2 in signal.sigpending())
print("sigwait", signal.sigwait({signal.SIGUSR2}))

a, b = socket.socketpair()
sel = selectors.DefaultSelector()
sel.register(b, selectors.EVENT_READ, "b")
a.send(b"ping")
ev = sel.select(timeout=5)
print("select", type(sel).__name__, [(k.data, m) for k, m in ev], b.recv(10))

pid = os.fork()
if pid == 0:
    os._exit(7)
print("fork", os.waitpid(pid, 0)[1] >> 8)
import ctypes, struct, select, multiprocessing
libc = ctypes.CDLL(None, use_errno=True)
efd = libc.eventfd(3, 0)
os.write(efd, struct.pack("Q", 4))
print("eventfd", struct.unpack("Q", os.read(efd, 8)))
tfd = libc.timerfd_create(1, 0)
its = struct.pack("qqqq", 0, 0, 0, 20 * 1000 * 1000)
print("timerfd", libc.timerfd_settime(tfd, 0, its, None), struct.unpack("Q", os.read(tfd, 8)))
ifd = libc.inotify_init1(0)
wd = libc.inotify_add_watch(ifd, sys.argv[1].encode() + b"/sub", 0x100)
open(sys.argv[1] + "/sub/new", "w").close()
buf = os.read(ifd, 4096); os.unlink(sys.argv[1] + "/sub/new")
print("inotify", wd, struct.unpack_from("iIII", buf)[1], buf[16:].rstrip(b"\0"))
p = select.poll(); r, w = os.pipe(); p.register(r, select.POLLIN); os.write(w, b"z")
print("poll", p.poll(1000), select.select([r], [], [], 1)[0] == [r])
st = os.statvfs(sys.argv[1]); print("statvfs", st.f_bsize == os.statvfs("/tmp").f_bsize, st.f_namemax)
with multiprocessing.Pool(2) as pool:
    print("pool", pool.map(abs, range(-5, 0)))
print(hashlib.sha256(b"ferry" * 1000).hexdigest(), zlib.crc32(zlib.compress(b"x" * 10000)))
print(sorted(os.listdir(sys.argv[1])), os.stat(sys.argv[1] + "/numbers").st_size)
' "$work/fixed"
}

c_perl() {
    fixture
    run perl -e '
        my %h = map { $_ => length $_ } qw(alpha beta gamma delta);
        print join(",", map { "$_=$h{$_}" } sort keys %h), "\n";
        my $s = "The quick brown fox"; (my $t = $s) =~ s/(\w+)/\u\L$1/g; print "$t\n";
        print join(" ", sort { $a <=> $b } (10, 9, 100, 1)), "\n";
        printf "%.6f %e %x %o %s\n", atan2(1, 1) * 4, 12345.678, 255, 8, "s";
        print join(",", unpack("N n C a3", pack("N n C a3", 1e9, 65535, 7, "abc"))), "\n";
        my $pid = fork; if (!$pid) { exit 5 } waitpid($pid, 0); print "child ", $? >> 8, "\n";
        open(my $fh, "-|", "seq", "3") or die; my @l = <$fh>; close $fh; print scalar(@l), " lines\n";
        open(my $in, "<", $ARGV[0]) or die; my $sum = 0; $sum += $_ while <$in>; print "sum $sum\n";
        local $SIG{ALRM} = sub { print "alarm\n" }; alarm 1; sleep 2;
        print scalar(localtime(0)), "\n"; print "ok\n" if "2024-01-05" =~ /^(\d+)-(\d+)-(\d+)$/ && $3 == 5;
    ' "$work/fixed/numbers"
}

c_lua() {
    run lua5.4 -e '
        local t = {}
        for i = 1, 1000 do t[#t + 1] = (i * 7919) % 1000 end
        table.sort(t); print(t[1], t[500], t[1000], #t)
        local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
        print(fib(25), string.format("%.10g %5.2f %q", math.pi, 2 / 3, "a\nb"))
        local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
        print(co(), co(), co())
        print(("hello world"):gsub("o", "0"), ("x=1, y=22"):match("y=(%d+)"))
        print(string.unpack("<i4 d", string.pack("<i4 d", -5, 1.5)))
        print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365), math.maxinteger, 7 // 2, 7 % -3, 2^53)
        local f = io.popen("echo popen"); print(f:read("l")); f:close()
        print(pcall(error, {code = 1}), select("#", 1, nil, 3))'
}

c_sqlite() {
    db=$work/test-$mode.db
    rm -f "$db"
    run sqlite3 "$db" '
        create table t(id integer primary key, name text, v real);
        with recursive c(i) as (select 1 union all select i + 1 from c where i < 5000)
        insert into t(name, v) select printf("n%04d", i), i * 1.5 from c;
        create index t_v on t(v);
        create table u(id integer, tag text);
        insert into u select id, case id % 3 when 0 then "fizz" else "other" end from t;
        select count(*), sum(v), avg(v), min(name), max(name) from t;
        select tag, count(*) from u join t using(id) where v > 100 group by tag order by tag;
        select json_object("a", 1, "b", json_array(1, 2, 3));
        select name from t where v between 30 and 33 order by v desc;
        pragma integrity_check;'
    # the database one side wrote, read by the other
    host sqlite3 "$db" 'select count(*), total(v) from t; pragma integrity_check;'
    echo 'select 1 + 1, upper("x"), hex(zeroblob(2)), 7 / 2.0;' | run sqlite3
}

# Data that compresses somewhat, the same on both sides.
payload() {
    [ -f "$work/payload" ] && return
    { seq 1 200000; host head -c 200000 "$TREE/usr/bin/dash"; } >"$work/payload"
}

c_xz() {
    payload
    f=$work/payload
    run xz -6 -c "$f" >"$work/g.xz" && host sha256sum <"$work/g.xz"
    host xz -dc "$work/g.xz" | host sha256sum
    host xz -6 -c "$f" | run xz -dc | host sha256sum
    run xz -T2 -3 -c "$f" | host xz -dc | host cmp - "$f" && echo threads ok
    run xz -l "$work/g.xz" | tail -1
}

c_gzip() {
    payload
    f=$work/payload
    run gzip -n -9 -c "$f" | host sha256sum
    run gzip -n -c "$f" | host gzip -dc | host sha256sum
    host gzip -n -c "$f" | run gzip -dc | host sha256sum
    host gzip -n -c "$f" >"$work/h.gz" && run gzip -t "$work/h.gz" && echo test ok
    run dash /usr/bin/zcat "$work/h.gz" | run sha256sum
}

# The tree's gcc-12 (driver, cc1, as, collect2 and ld, all guests) builds
# an arm64 program that then runs under Ferry; natively the host gcc
# builds an amd64 one.  Their output must match.
c_gcc() {
    cat >"$work/main.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
int count_words(const char *s);
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(int argc, char **argv)
{
    int v[8] = { 5, 3, 9, 1, 7, 2, 8, 6 };
    qsort(v, 8, sizeof v[0], cmp);
    for (int i = 0; i < 8; i++)
        printf("%d%c", v[i], i == 7 ? '\n' : ' ');
    printf("%.6f %ld\n", sqrt(2.0) * cos(0.5), strtol("7fff", NULL, 16));
    printf("words %d, args %d\n", count_words("the quick  brown fox"), argc);
    return 0;
}
EOF
    cat >"$work/words.c" <<'EOF'
#include <ctype.h>
int count_words(const char *s)
{
    int n = 0, in = 0;
    for (; *s; s++) {
        if (!isspace((unsigned char)*s) && !in)
            n++;
        in = !isspace((unsigned char)*s);
    }
    return n;
}
EOF
    exe=$work/prog-$mode
    if [ "$mode" = guest ]; then
        run gcc-12 -O2 -o "$exe" "$work/main.c" "$work/words.c" -lm || return
        "$FERRY" -L "$TREE" "$exe" a b
        run gcc-12 -E -dM -x c /dev/null | grep -c __aarch64__
    else
        host gcc -O2 -o "$exe" "$work/main.c" "$work/words.c" -lm || return
        "$exe" a b
        echo 1
    fi
}

# The host programs each case compares with (a case whose are missing is
# skipped: scripts/install-deps.sh installs them).
needs() {
    case $1 in
    shell_dash) echo dash ;; shell_bash) echo bash ;;
    python) echo python3.11 ;; perl) echo perl ;; lua) echo lua5.4 ;;
    sqlite) echo sqlite3 ;; xz) echo xz ;; gzip) echo gzip ;; gcc) echo gcc ;;
    *) echo sort ;;
    esac
}

SAMPLE="shell_dash coreutils lua sqlite gzip xz gcc"
ALL="shell_dash shell_bash coreutils python perl lua sqlite xz gzip gcc"
cases=${only:-$ALL}
[ $sample = 1 ] && [ -z "$only" ] && cases=$SAMPLE

echo "tree: $TREE"
fails=0
for c in $cases; do
    if ! command -v "c_$c" >/dev/null; then
        echo "FAIL: $c (no such case)"; fails=$((fails + 1)); continue
    fi
    if [ ! -x "/usr/bin/$(needs "$c")" ]; then
        echo "SKIP: $c (no /usr/bin/$(needs "$c") on the host to compare with)"; continue
    fi
    t0=$(date +%s.%N)
    mode=native
    (cd "$work" && "c_$c") >"$work/$c.native" 2>"$work/$c.native.err"
    echo "exit $?" >>"$work/$c.native"
    t1=$(date +%s.%N)
    mode=guest
    (cd "$work" && "c_$c") >"$work/$c.guest" 2>"$work/$c.guest.err"
    echo "exit $?" >>"$work/$c.guest"
    t2=$(date +%s.%N)
    times=$(echo "$t0 $t1 $t2" | awk '{printf "native %.1fs, ferry %.1fs", $2 - $1, $3 - $2}')
    if cmp -s "$work/$c.native" "$work/$c.guest"; then
        echo "PASS: $c ($times)"
    else
        fails=$((fails + 1))
        echo "FAIL: $c ($times)"
        diff -u "$work/$c.native" "$work/$c.guest" | head -40
        echo "--- stderr under ferry:"
        head -20 "$work/$c.guest.err"
    fi
done
[ $fails = 0 ] || { echo "$fails case(s) failed"; exit 1; }
exit 0
