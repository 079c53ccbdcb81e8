#!/bin/sh
# checks/tmpfile-unmapped-fsuid.sh: O_TMPFILE with an fsuid unmapped in the superblock's user namespace (vmlinux: vfs_tmpfile)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program tmpfile_unmapped
# (testsuite/fixes/progs/tmpfile_unmapped.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/tmpfile_unmapped
[ -x "$bin" ] || { echo "tmpfile-unmapped-fsuid: $bin missing (gcc -static -O2 -o $bin progs/tmpfile_unmapped.c)"; exit 2; }
verdict() { case $1 in 0) echo "tmpfile-unmapped-fsuid: fixed";; 1) echo "tmpfile-unmapped-fsuid: old";; *) echo "tmpfile-unmapped-fsuid: inconclusive"; exit 2;; esac; exit $1; }
d=/tmp/fix-tmpfile
mkdir -p $d && chmod 777 $d || exit 2
"$bin" $d; rc=$?
rmdir $d
verdict $rc
