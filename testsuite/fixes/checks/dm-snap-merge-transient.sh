#!/bin/sh
# checks/dm-snap-merge-transient.sh: snapshot-merge table with a transient exception store (module dm-snapshot: snapshot_ctr)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program dm_snap_merge
# (testsuite/fixes/progs/dm_snap_merge.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/dm_snap_merge
[ -x "$bin" ] || { echo "dm-snap-merge-transient: $bin missing (gcc -static -O2 -o $bin progs/dm_snap_merge.c)"; exit 2; }
verdict() { case $1 in 0) echo "dm-snap-merge-transient: fixed";; 1) echo "dm-snap-merge-transient: old";; *) echo "dm-snap-merge-transient: inconclusive"; exit 2;; esac; exit $1; }
modprobe dm_mod && modprobe dm_snapshot || exit 2
# two 4 MiB RAM disks as origin and COW; brd may be loaded already
[ -b /dev/ram1 ] || modprobe brd rd_nr=2 rd_size=4096 || exit 2
sectors=$(( $(cat /sys/block/ram0/size) ))
"$bin" /dev/ram0 /dev/ram1 $sectors; rc=$?
dmesg | grep -i 'snapshot-merge' | tail -n 1
verdict $rc
