#!/bin/sh
# checks/dm-ioctl-data-start.sh: DM_LIST_DEVICES with the smallest data_size (module dm-mod: list_devices)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program dm_data_start
# (testsuite/fixes/progs/dm_data_start.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/dm_data_start
[ -x "$bin" ] || { echo "dm-ioctl-data-start: $bin missing (gcc -static -O2 -o $bin progs/dm_data_start.c)"; exit 2; }
verdict() { case $1 in 0) echo "dm-ioctl-data-start: fixed";; 1) echo "dm-ioctl-data-start: old";; *) echo "dm-ioctl-data-start: inconclusive"; exit 2;; esac; exit $1; }
modprobe dm_mod || exit 2
"$bin"; verdict $?
