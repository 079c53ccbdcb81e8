#!/bin/sh
# checks/fcntl-rw-hint-immutable.sh: F_SET_RW_HINT on an immutable tmpfs file (vmlinux: do_fcntl)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program fcntl_rw_hint
# (testsuite/fixes/progs/fcntl_rw_hint.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/fcntl_rw_hint
[ -x "$bin" ] || { echo "fcntl-rw-hint-immutable: $bin missing (gcc -static -O2 -o $bin progs/fcntl_rw_hint.c)"; exit 2; }
verdict() { case $1 in 0) echo "fcntl-rw-hint-immutable: fixed";; 1) echo "fcntl-rw-hint-immutable: old";; *) echo "fcntl-rw-hint-immutable: inconclusive"; exit 2;; esac; exit $1; }
d=/tmp/fix-rwhint
mkdir -p $d && mount -t tmpfs none $d || exit 2
"$bin" $d; rc=$?
umount $d; rmdir $d
verdict $rc
