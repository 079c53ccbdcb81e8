#!/bin/sh
# checks/open-tree-unmounted.sh: recursive open_tree() of a detached nsfs bind mount (vmlinux: __do_loopback)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program open_tree_unmounted
# (testsuite/fixes/progs/open_tree_unmounted.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/open_tree_unmounted
[ -x "$bin" ] || { echo "open-tree-unmounted: $bin missing (gcc -static -O2 -o $bin progs/open_tree_unmounted.c)"; exit 2; }
verdict() { case $1 in 0) echo "open-tree-unmounted: fixed";; 1) echo "open-tree-unmounted: old";; *) echo "open-tree-unmounted: inconclusive"; exit 2;; esac; exit $1; }
d=/tmp/fix-opentree
mkdir -p $d || exit 2
"$bin" $d; rc=$?
rmdir $d
verdict $rc
