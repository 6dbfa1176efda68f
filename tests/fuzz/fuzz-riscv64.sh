#!/bin/sh
# Differential fuzzing of riscv64: fuzz.sh riscv64 (options there), replays named by this script.
FUZZ_SCRIPT=$0 exec sh "$(dirname "$0")/fuzz.sh" riscv64 "$@"
