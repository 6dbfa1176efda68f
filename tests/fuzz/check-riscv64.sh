#!/bin/sh
# The riscv64 fuzzing sample of `make check`: check.sh riscv64.
exec sh "$(dirname "$0")/check.sh" riscv64
