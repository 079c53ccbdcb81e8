#!/bin/sh
# checks/ipv6-flowlabel-lease-cap.sh: duplicate IPv6 flow label leases on one socket (vmlinux: ipv6_flowlabel_opt)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program flowlabel_leases
# (testsuite/fixes/progs/flowlabel_leases.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/flowlabel_leases
[ -x "$bin" ] || { echo "ipv6-flowlabel-lease-cap: $bin missing (gcc -static -O2 -o $bin progs/flowlabel_leases.c)"; exit 2; }
verdict() { case $1 in 0) echo "ipv6-flowlabel-lease-cap: fixed";; 1) echo "ipv6-flowlabel-lease-cap: old";; *) echo "ipv6-flowlabel-lease-cap: inconclusive"; exit 2;; esac; exit $1; }
"$bin"; verdict $?
