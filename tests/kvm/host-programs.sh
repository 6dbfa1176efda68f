#!/bin/sh
# The host's own x86-64 programs under `ferry --kvm`, against the same
# commands run natively: dash with pipes, subshells, traps and fork/exec,
# coreutils, and Python with threads, subprocess, signals and mmap.  Each
# case must print the same and exit with the same status.  Skipped (77)
# where /dev/kvm cannot be used.
set -u
FERRY=${FERRY:-./ferry}
. "${srcdir:-.}/tests/guest-lu/guests.sh"
if ! kvm_usable; then
    echo "SKIP: no usable /dev/kvm ($kvm_why)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/d" && printf 'one\ntwo\nthree\n' > "$work/d/f" && ln -s f "$work/d/l"
status=0

# check NAME CMD...: CMD natively, then under ferry --kvm
check() {
    name=$1; shift
    (cd "$work" && "$@") > "$work/native.out" 2>&1
    want=$?
    (cd "$work" && "$FERRY" --kvm "$@") > "$work/ferry.out" 2>&1
    got=$?
    if ! cmp -s "$work/native.out" "$work/ferry.out"; then
        echo "FAIL: $name: output differs (native, then ferry):"
        diff "$work/native.out" "$work/ferry.out" | head -20
        status=1
    elif [ "$want" != "$got" ]; then
        echo "FAIL: $name: exit status $got under ferry, $want natively"
        status=1
    else
        echo "PASS: $name (exit $want)"
    fi
}

check "sh pipes and fork/exec" /bin/sh -c \
    'echo hi | tr a-z A-Z; ls d | sort -r; x=$(cat d/f | wc -l); echo "lines $x"; (exit 3); echo "sub $?"'
check "sh traps and signals" /bin/sh -c \
    'trap "echo got USR1" USR1; kill -USR1 $$; sleep 0.1 & wait $!; echo waited $?; trap "echo bye" EXIT; exit 5'
check "sh script file" /bin/sh -c 'printf "echo from script \$1\n" > s.sh; sh s.sh arg; rm s.sh'
check "ls" /bin/ls -la --time-style=+ d
check "coreutils" /bin/sh -c 'sort -r d/f | head -2; stat -c "%s %F" d/f; readlink d/l; md5sum d/f; seq 5 | paste -sd+ | bc 2>/dev/null || seq 5 | tail -1'
check "missing file" /bin/cat d/nothing
# A script the guest executes runs in Ferry too (through its #! line):
# -strace sees the program the script runs.
printf '#!/bin/sh -e\necho "script $0 $1"; /bin/echo inner\n' > "$work/s.sh"
chmod +x "$work/s.sh"
check "sh executes a script" /bin/sh -c './s.sh one'
if (cd "$work" && "$FERRY" --kvm -strace /bin/sh -c './s.sh one') 2>&1 >/dev/null |
        grep -q 'execve("/bin/echo", \["/bin/echo", "inner"\]'; then
    echo "PASS: the script's own execve is traced"
else
    echo "FAIL: -strace does not show the script's execve of /bin/echo"
    status=1
fi

py=/usr/bin/python3 # Debian's, an ELF program (a PATH entry may be a script)
if [ ! -x "$py" ]; then
    echo "SKIP: python3: $py not installed"
else
    check "python3" "$py" -c '
import json, mmap, os, signal, subprocess, sys, threading
out = []
def work(i): out.append(sum(range(i * 1000)))
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
print("threads", sorted(out))
print(subprocess.run(["sh", "-c", "echo child $((6*7))"], capture_output=True, text=True).stdout.strip())
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
print("signal", got)
m = mmap.mmap(-1, 8192); m[4096:4100] = b"abcd"; print("mmap", m[4096:4100]); m.close()
print(json.dumps({"a": [1, 2.5, None]}, sort_keys=True))
sys.exit(4)'
fi
exit $status
