#!/bin/sh
# checks/timens-offset-nsec.sh: negative tv_nsec in /proc/self/timens_offsets (vmlinux: proc_timens_set_offset)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program timens_nsec
# (testsuite/fixes/progs/timens_nsec.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/timens_nsec
[ -x "$bin" ] || { echo "timens-offset-nsec: $bin missing (gcc -static -O2 -o $bin progs/timens_nsec.c)"; exit 2; }
verdict() { case $1 in 0) echo "timens-offset-nsec: fixed";; 1) echo "timens-offset-nsec: old";; *) echo "timens-offset-nsec: inconclusive"; exit 2;; esac; exit $1; }
"$bin"; verdict $?
