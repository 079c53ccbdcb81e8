#!/bin/sh
# checks/loop-block-size-excl.sh: LOOP_SET_BLOCK_SIZE under an exclusive opener (module loop: lo_ioctl)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program loop_block_size_excl
# (testsuite/fixes/progs/loop_block_size_excl.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/loop_block_size_excl
[ -x "$bin" ] || { echo "loop-block-size-excl: $bin missing (gcc -static -O2 -o $bin progs/loop_block_size_excl.c)"; exit 2; }
verdict() { case $1 in 0) echo "loop-block-size-excl: fixed";; 1) echo "loop-block-size-excl: old";; *) echo "loop-block-size-excl: inconclusive"; exit 2;; esac; exit $1; }
modprobe loop || exit 2
img=/tmp/fix-loop.img
dd if=/dev/zero of=$img bs=1024 count=4096 2>/dev/null || exit 2
dev=$(losetup -f) && losetup "$dev" $img || { rm -f $img; exit 2; }
"$bin" "$dev"; rc=$?
losetup -d "$dev"; rm -f $img
verdict $rc
