#!/bin/sh
# The aarch64 fuzzing sample of `make check`: check.sh aarch64.
exec sh "$(dirname "$0")/check.sh" aarch64
