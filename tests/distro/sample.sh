#!/bin/sh
# make check's share of the Debian arm64 suite (run-suite.sh --sample):
# a shell script, coreutils, Lua, SQLite, gzip and xz round trips and
# GCC building a program (it caught a miscompile the others missed).  It
# builds the tree when it is not cached (about a minute with a fast link
# to deb.debian.org) and skips (77) when it cannot: no network, no
# debootstrap, no root.  FERRY_DISTRO_OFFLINE=1: use the cache or skip.
exec sh "$(dirname "$0")/run-suite.sh" --sample
