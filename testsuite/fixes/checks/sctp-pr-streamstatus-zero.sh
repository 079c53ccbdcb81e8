#!/bin/sh
# checks/sctp-pr-streamstatus-zero.sh: SCTP_PR_STREAM_STATUS on an unused stream (module sctp: sctp_getsockopt)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program sctp_prstatus
# (testsuite/fixes/progs/sctp_prstatus.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/sctp_prstatus
[ -x "$bin" ] || { echo "sctp-pr-streamstatus-zero: $bin missing (gcc -static -O2 -o $bin progs/sctp_prstatus.c)"; exit 2; }
verdict() { case $1 in 0) echo "sctp-pr-streamstatus-zero: fixed";; 1) echo "sctp-pr-streamstatus-zero: old";; *) echo "sctp-pr-streamstatus-zero: inconclusive"; exit 2;; esac; exit $1; }
modprobe sctp || exit 2
ip link set lo up
"$bin"; verdict $?
