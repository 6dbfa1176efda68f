#!/bin/sh
# -strace prints each call as strace does: `name(arg, arg) = result` with
# the result from column 40, paths and buffers quoted and escaped, flags by
# name, errors as `-1 ENOENT (...)`, structs by content (stat, timespec,
# sigsets, sigaction, iovec, pollfd, rlimit, utsname, itimerval), output
# arguments after the call and only when it succeeded, a bad pointer as its
# address; `--- SIGUSR1 {...} ---` for a signal taken, `+++ exited with N
# +++` and `+++ killed by SIGSEGV +++` at the end, `[pid N]` with threads.
# A small static riscv64 guest makes the calls; the deterministic lines are
# checked exactly, and the whole trace against the real strace running the
# same program built natively (addresses, pids and clock values masked).
set -u
[ -n "${RISCV64_CC:-}" ] || { echo "SKIP: no riscv64 cross compiler"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/prog.c" <<'C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void on_signal(int sig) { (void)sig; }

static void *thread_main(void *arg)
{
    (void)arg;
    write(1, "t\n", 2);
    return NULL;
}

/* Structs in and out, output arguments of failed calls, bad pointers. */
static void structs(const char *path)
{
    struct stat st;
    char buf[64];
    int p[2];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, buf, sizeof buf) != 5)
        _exit(1);
    syscall(SYS_fstat, fd, &st);
    syscall(SYS_newfstatat, AT_FDCWD, "/dev/null", &st, 0);
    syscall(SYS_newfstatat, AT_FDCWD, "/nonexistent-ferry-strace", &st, 0);
    syscall(SYS_fstat, fd, (void *)8);
    struct timespec ts = { 0, 500000 }, rem;
    syscall(SYS_nanosleep, &ts, NULL);
    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, &rem);
    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (void *)8, NULL);
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    uint64_t set = 1u << (SIGUSR1 - 1) | 1u << (SIGTERM - 1), old;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
    set = ~(3ull << 31); /* all but 32 and 33 */
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, &old, 8);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, (void *)8, 8);
    set = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
    struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
    sigaddset(&sa.sa_mask, SIGINT);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR1, NULL, &sa);
    struct iovec iov[2] = { { "hi", 2 }, { "\n", 1 } }, riov = { buf, sizeof buf };
    writev(1, iov, 2);
    lseek(fd, 0, SEEK_SET);
    readv(fd, &riov, 1);
    syscall(SYS_pipe2, p, 0);
    write(p[1], "x", 1);
    struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT | POLLIN, 0 } };
    syscall(SYS_ppoll, pf, 2, NULL, NULL, 8);
    struct rlimit rl = { 0, 0 };
    syscall(SYS_prlimit64, 0, RLIMIT_CORE, &rl, NULL);
    syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, &rl);
    struct utsname u;
    uname(&u);
    syscall(SYS_write, p[1], (void *)8, 3);
    syscall(SYS_openat, AT_FDCWD, (char *)8, O_RDONLY);
}

/* Signals sent by kill and tgkill, and a timer's that interrupts a wait
 * (SIGALRM is blocked until the wait, so that it cannot come sooner). */
static void signals(void)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGALRM, &sa, NULL);
    syscall(SYS_kill, getpid(), SIGUSR1);
    long pid = getpid(), tid = syscall(SYS_gettid);
    syscall(SYS_tgkill, pid, tid, SIGUSR1);
    uint64_t alrm = 1u << (SIGALRM - 1), none = 0;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &alrm, NULL, 8);
    struct itimerval it = { { 0, 0 }, { 0, 10000 } };
    syscall(SYS_setitimer, ITIMER_REAL, &it, NULL);
    syscall(SYS_rt_sigsuspend, &none, 8);
}

int main(int argc, char **argv)
{
    syscall(SYS_close_range, 3, ~0u, 0); /* fds from 3 on, whoever ran us */
    if (argc < 3 || open("/nonexistent-ferry-strace/missing", O_RDONLY) >= 0)
        return 1;
    if (!strcmp(argv[2], "segv"))
        *(volatile int *)8 = 1;
    if (!strcmp(argv[2], "term"))
        raise(SIGTERM);
    if (!strcmp(argv[2], "thread")) {
        pthread_t th;
        pthread_create(&th, NULL, thread_main, NULL);
        pthread_join(th, NULL);
        return 0;
    }
    structs(argv[1]);
    if (mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
        return 1;
    signals();
    write(1, "ok\n", 3);
    _exit(3);
}
C
"$RISCV64_CC" -O2 -static -pthread -o "$tmp/prog" "$tmp/prog.c" || exit 99
cd "$tmp" || exit 99
umask 022
printf 'a\tb"\n' > data
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$FERRY" -strace ./prog data all > out 2> err
status=$?
[ $status = 3 ] || bad "exit status $status, want 3"
[ "$(cat out)" = "$(printf 'hi\nok')" ] || bad "stdout: $(cat out)"
# As strace prints them, padding included.
while IFS= read -r line; do
    grep -qxF -- "$line" err || bad "no line: $line"
done <<'EOF'
openat(AT_FDCWD, "/nonexistent-ferry-strace/missing", O_RDONLY) = -1 ENOENT (No such file or directory)
openat(AT_FDCWD, "data", O_RDONLY|O_CLOEXEC) = 3
read(3, "a\tb\"\n", 64)                 = 5
fstat(3, {st_mode=S_IFREG|0644, st_size=5, ...}) = 0
newfstatat(AT_FDCWD, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0
fstat(3, 0x8)                           = -1 EFAULT (Bad address)
nanosleep({tv_sec=0, tv_nsec=500000}, NULL) = 0
clock_nanosleep(CLOCK_MONOTONIC, 0, 0x8, NULL) = -1 EFAULT (Bad address)
rt_sigprocmask(SIG_BLOCK, [USR1 TERM], NULL, 8) = 0
rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], [USR1 TERM], 8) = 0
rt_sigprocmask(SIG_SETMASK, [USR1 TERM], 0x8, 8) = -1 EFAULT (Bad address)
rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0
writev(1, [{iov_base="hi", iov_len=2}, {iov_base="\n", iov_len=1}], 2) = 3
lseek(3, 0, SEEK_SET)                   = 0
readv(3, [{iov_base="a\tb\"\n", iov_len=64}], 1) = 5
pipe2([4, 5], 0)                        = 0
write(5, "x", 1)                        = 1
ppoll([{fd=4, events=POLLIN}, {fd=5, events=POLLIN|POLLOUT}], 2, NULL, NULL, 8) = 2 ([{fd=4, revents=POLLIN}, {fd=5, revents=POLLOUT}])
prlimit64(0, RLIMIT_CORE, {rlim_cur=0, rlim_max=0}, NULL) = 0
prlimit64(0, RLIMIT_CORE, NULL, {rlim_cur=0, rlim_max=0}) = 0
write(5, 0x8, 3)                        = -1 EFAULT (Bad address)
openat(AT_FDCWD, 0x8, O_RDONLY)         = -1 EFAULT (Bad address)
rt_sigprocmask(SIG_BLOCK, [ALRM], NULL, 8) = 0
setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=10000}}, NULL) = 0
rt_sigsuspend([], 8)                    = ? ERESTARTNOHAND (To be restarted if no handler)
--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---
rt_sigreturn({mask=[ALRM]})             = -1 EINTR (Interrupted system call)
rt_sigreturn({mask=[]})                 = 0
write(1, "ok\n", 3)                     = 3
exit_group(3)                           = ?
+++ exited with 3 +++
EOF
# Lines with addresses, pids or times: those masked, the padding squeezed.
# $1: a trace; prints it from the program's first call, masked.
masked() {
    pid=$(sed -n 's/^getpid() *= \([0-9]*\)$/\1/p' "$1" | head -n 1)
    sed -n '/nonexistent-ferry-strace\/missing/,$p' "$1" | sed -e "s/\\b${pid:-PID}\\b/PID/g" \
        -e 's/0x[0-9a-f]\{5,\}/ADDR/g' -e 's/  *= / = /' \
        -e '/^clock_gettime/s/tv_sec=[0-9]*, tv_nsec=[0-9]*/tv_sec=N, tv_nsec=N/' \
        -e 's/SA_RESTORER|//; s/, sa_restorer=ADDR//; s/sa_flags=SA_RESTORER}/sa_flags=0}/'
}
masked err > err.masked
uid=$(id -u)
while IFS= read -r line; do
    grep -qxF -- "$line" err.masked || bad "no line: $line"
done <<EOF
newfstatat(AT_FDCWD, "/nonexistent-ferry-strace", ADDR, 0) = -1 ENOENT (No such file or directory)
clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=500000}, ADDR) = 0
clock_gettime(CLOCK_MONOTONIC, {tv_sec=N, tv_nsec=N}) = 0
rt_sigaction(SIGUSR1, {sa_handler=ADDR, sa_mask=[INT], sa_flags=SA_RESTART}, NULL, 8) = 0
rt_sigaction(SIGUSR1, NULL, {sa_handler=ADDR, sa_mask=[INT], sa_flags=SA_RESTART}, 8) = 0
uname({sysname="Linux", nodename="$(uname -n)", ...}) = 0
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = ADDR
kill(PID, SIGUSR1) = 0
--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID, si_uid=$uid} ---
tgkill(PID, PID, SIGUSR1) = 0
--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=PID, si_uid=$uid} ---
EOF
# One thread: no [pid N] prefix, and no qemu-style leading pid.
if grep -q '^\[pid\|^[0-9]' err; then
    bad "pid prefix with one thread: $(grep '^\[pid\|^[0-9]' err | head -n 3)"
fi

# A fault kills it: the signal with its siginfo, then strace's last line
# (with " (core dumped)" where the kernel would dump one: not with a
# RLIMIT_CORE of 0, unless core_pattern pipes).
# $1: where the trace goes; the rest: the command, without a core (and
# without the shell's "Segmentation fault").
nocore() {
    out=$1
    shift
    ( (ulimit -c 0; exec "$@" > /dev/null 2> "$out") & wait $!) 2> /dev/null
}
nocore segv.err "$FERRY" -strace ./prog data segv
status=$?
[ $status = 139 ] || bad "segv: exit status $status, want 139"
grep -qxF -- '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x8} ---' segv.err ||
    bad "segv: no --- SIGSEGV line"
killed='+++ killed by SIGSEGV +++'
case $(cat /proc/sys/kernel/core_pattern 2>/dev/null) in
'|'*) killed='+++ killed by SIGSEGV (core dumped) +++' ;;
esac
[ "$(tail -n 1 segv.err)" = "$killed" ] || bad "segv: last line $(tail -n 1 segv.err), want $killed"

# Threads: [pid N] (strace's %5u), the call's text still padded to column 40.
"$FERRY" -strace ./prog data thread > /dev/null 2> thread.err
status=$?
[ $status = 0 ] || bad "thread: exit status $status"
grep -q '^\[pid [ 0-9]\{5,\}\] write(1, "t\\n", 2) *= 2$' thread.err || bad "thread: no [pid N] write"
grep -q '^\[pid [ 0-9]\{5,\}\] +++ exited with 0 +++$' thread.err || bad "thread: no [pid N] +++ exited"
col=$(awk '/^\[pid .*\] exit\(0\) +=/ { print index($0, " = ") }' thread.err)
[ "$col" = 40 ] || bad "thread: exit(0)'s result at column $col, not 40"
[ "$(tail -n 1 thread.err)" = '+++ exited with 0 +++' ] || bad "thread: last line $(tail -n 1 thread.err)"

# A signal whose default action kills (no fault): the same two lines.
nocore term.err "$FERRY" -strace ./prog data term
status=$?
[ $status = 143 ] || bad "term: exit status $status, want 143"
grep -q -- '^--- SIGTERM {si_signo=SIGTERM, si_code=SI_TKILL, si_pid=[0-9]*, si_uid=[0-9]*} ---$' term.err ||
    bad "term: no --- SIGTERM line"
[ "$(tail -n 1 term.err)" = '+++ killed by SIGTERM +++' ] || bad "term: last line $(tail -n 1 term.err)"

# The real strace on the same program built natively: the same lines.
if command -v strace > /dev/null 2>&1 && strace -o /dev/null true 2> /dev/null &&
    ${CC:-cc} -O2 -pthread -o prog-native prog.c 2> /dev/null; then
    strace ./prog-native data all > /dev/null 2> native.err
    masked native.err > native.masked
    diff native.masked err.masked > diff.out || bad "not as strace prints it: $(cat diff.out)"
    nocore native-segv.err strace ./prog-native data segv
    [ "$(tail -n 2 native-segv.err)" = "$(tail -n 2 segv.err)" ] ||
        bad "segv: strace ends with $(tail -n 2 native-segv.err)"
else
    echo "note: no usable strace or native compiler: not compared with the real strace"
fi
if [ $fail = 0 ]; then
    echo "PASS: -strace prints as strace does"
else
    echo "trace was:"
    cat err
fi
exit $fail
