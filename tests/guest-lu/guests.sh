# The guests that guest tests run for, sourced by tests/guest/run-guest.sh
# and the tests/guest-lu scripts.  guest_info ARCH sets, for one guest:
#   var      the prefix of its environment variables (RISCV64_CC, _CXX,
#            _SYSROOT), as tests/local.am exports them from configure
#   short    its name in the names of built binaries
#   pkg      its Debian cross triplet (gcc-$pkg, the sysroot /usr/$pkg)
#   interp   the PT_INTERP of its glibc programs
#   cc cxx sysroot   from the environment; sysroot defaults to /usr/$pkg
#   ferry_opts  what ferry needs to run it (x86_64: --kvm, no sysroot)
# and returns 1 for a guest it does not know.  have_cross says whether
# $cc is there; GUEST_ARCHES lists the guests to run ("riscv64 aarch64
# x86_64").  x86_64 is the host's own ISA: Ferry runs it in a KVM virtual
# machine (kvm_usable says whether it can here).
GUEST_ARCHES=${GUEST_ARCHES:-riscv64 aarch64 x86_64}

# numbered N TEXT: TEXT N times, each @ in it the line's number (0 to
# N-1): generated C for tests that need many functions.
numbered() { awk -v n="$1" -v t="$2" 'BEGIN { for (i = 0; i < n; i++) { s = t; gsub(/@/, i, s); print s } }'; }

guest_info() {
    case $1 in
        riscv64) var=RISCV64 short=rv64 pkg=riscv64-linux-gnu
                 interp=/lib/ld-linux-riscv64-lp64d.so.1 ;;
        aarch64) var=AARCH64 short=a64 pkg=aarch64-linux-gnu
                 interp=/lib/ld-linux-aarch64.so.1 ;;
        x86_64) var=X86_64 short=x64 pkg=x86_64-linux-gnu
                 interp=/lib64/ld-linux-x86-64.so.2 ;;
        *) var= short= pkg= interp=; return 1 ;;
    esac
    eval "cc=\${${var}_CC:-} cxx=\${${var}_CXX:-} sysroot=\${${var}_SYSROOT:-/usr/$pkg}"
    ferry_opts=
    if [ "$1" = x86_64 ]; then # the host's compilers and libraries
        cc=${cc:-${CC:-cc}} cxx=${cxx:-${CXX:-c++}} sysroot= ferry_opts=--kvm
    fi
}

# Can ferry run x86-64 programs in KVM here?  Sets kvm_why when not.
kvm_usable() {
    kvm_why=$("$FERRY" --kvm /bin/true 2>&1 >/dev/null) && return 0
    kvm_why=${kvm_why#ferry: --kvm: }
    return 1
}

have_cross() {
    [ -n "$1" ] && command -v "$1" >/dev/null 2>&1
}

# The message for a guest skipped for want of its compiler ($1: guest).
skip_guest() {
    echo "SKIP: $1: no cross compiler (${var}_CC is '$cc'; apt-get install gcc-$pkg g++-$pkg)"
}

# The guests of GUEST_ARCHES that Ferry translates (all but x86_64), for
# the tests of what only they have: a cross sysroot, a machine view.
translated_arches() {
    for a in $GUEST_ARCHES; do
        [ "$a" = x86_64 ] || printf '%s ' "$a"
    done
}
