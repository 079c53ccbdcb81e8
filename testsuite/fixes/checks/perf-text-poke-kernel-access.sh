#!/bin/sh
# checks/perf-text-poke-kernel-access.sh: unprivileged perf_event_open with attr.text_poke (vmlinux: __do_sys_perf_event_open)
# Exit 0 = fixed behaviour observed, 1 = old behaviour observed,
# 2 = could not tell (setup failed).  Needs the static program perf_text_poke
# (testsuite/fixes/progs/perf_text_poke.c) in $FIXES_BIN, default: ../bin next to
# this script's directory.
here=$(cd "$(dirname "$0")" && pwd)
bin=${FIXES_BIN:-$here/../bin}/perf_text_poke
[ -x "$bin" ] || { echo "perf-text-poke-kernel-access: $bin missing (gcc -static -O2 -o $bin progs/perf_text_poke.c)"; exit 2; }
verdict() { case $1 in 0) echo "perf-text-poke-kernel-access: fixed";; 1) echo "perf-text-poke-kernel-access: old";; *) echo "perf-text-poke-kernel-access: inconclusive"; exit 2;; esac; exit $1; }
"$bin"; verdict $?
