#!/bin/sh
# Differential fuzzing of aarch64: fuzz.sh aarch64 (options there), replays named by this script.
FUZZ_SCRIPT=$0 exec sh "$(dirname "$0")/fuzz.sh" aarch64 "$@"
