#!/bin/sh
# checks/algif-skcipher-short-recv.sh: AF_ALG skcipher read shorter than a block with MSG_MORE (module algif_skcipher: skcipher_recvmsg)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program algif_short_recv
# (testsuite/fixes/progs/algif_short_recv.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/algif_short_recv
[ -x "$bin" ] || { echo "algif-skcipher-short-recv: $bin missing (gcc -static -O2 -o $bin progs/algif_short_recv.c)"; exit 2; }
verdict() { case $1 in 0) echo "algif-skcipher-short-recv: fixed";; 1) echo "algif-skcipher-short-recv: old";; *) echo "algif-skcipher-short-recv: inconclusive"; exit 2;; esac; exit $1; }
modprobe algif_skcipher || exit 2
"$bin"; verdict $?
