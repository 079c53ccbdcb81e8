#!/bin/bash
# A fix that adds a source file (issue 9; the stable fixes to
# drivers/pci/rebar.c and mt7915's coredump.c do): its object is all new
# code, linked into the update beside the changed objects.  The patch
# adds fs/proc/loadavg_bias.c (a function and its data), lists it in
# fs/proc/Makefile and calls it from loadavg.c: kbuild's walk of the
# patched tree links it into vmlinux, the update carries it, and in the
# guest /proc/loadavg shows the bias while applied and not after undo.
# A new file no makefile lists is no object: alone, it is "no
# functional change", said after kbuild's walk of the patched tree
# (of fs/proc alone: no other directory can build differently).
. "$(dirname "$0")/../lib.sh"
debian_tree_bed

# mkpatch NAME [makefile] [call]: fs/proc/loadavg_bias.c added, and
# optionally listed in the Makefile and called from loadavg.c.
mkpatch() {
	local name=$1 d=$tmp/$1
	rm -rf "$d"
	mkdir -p "$d/a/fs/proc" "$d/b/fs/proc"
	cp "$tree/fs/proc/Makefile" "$tree/fs/proc/loadavg.c" "$d/a/fs/proc/"
	cp "$d/a/fs/proc/"* "$d/b/fs/proc/"
	cat >"$d/b/fs/proc/loadavg_bias.c" <<-'EOF'
	// SPDX-License-Identifier: GPL-2.0
	/* What /proc/loadavg adds to its first figure. */
	#include <linux/kernel.h>

	static unsigned long loadavg_bias_value = 800;

	unsigned long loadavg_bias(void)
	{
		return READ_ONCE(loadavg_bias_value);
	}
	EOF
	shift
	for what in "$@"; do
		case $what in
		makefile) sed -i 's/^proc-y\t+= loadavg.o$/&\nproc-y\t+= loadavg_bias.o/' "$d/b/fs/proc/Makefile" ;;
		call) sed -i -e 's/^#include "internal.h"$/&\n\nunsigned long loadavg_bias(void);/' \
			-e 's/^\t\tLOAD_INT(avnrun\[0\]), LOAD_FRAC(avnrun\[0\]),$/\t\tLOAD_INT(avnrun[0]) + loadavg_bias(), LOAD_FRAC(avnrun[0]),/' \
			"$d/b/fs/proc/loadavg.c" ;;
		esac
	done
	(cd "$d" && diff -ruN a b) >"$d.patch" || [[ $? == 1 ]]
	for what in "$@"; do
		case $what in
		makefile) grep -q '^+proc-y.*loadavg_bias.o' "$d.patch" || fail "$name: Makefile edit missing" ;;
		call) grep -q '^+.*+ loadavg_bias()' "$d.patch" || fail "$name: call edit missing" ;;
		esac
	done
}

# run NAME: ksplice-create on $tmp/NAME.patch, exit status in $rc
run() {
	rc=0
	"${create[@]}" "${SIGN[@]}" --id="$1" --patch="$tmp/$1.patch" -o "$tmp" >"$tmp/$1.log" 2>&1 || rc=$?
	cat "$tmp/$1.log"
}

mkpatch newfile makefile call
run newfile
expect_eq "$rc" 0 "exit status for a fix that adds a source file"
log=$(cat "$tmp/newfile.log")
expect_contains "$log" "fs/proc/loadavg_bias.c: fs/proc/loadavg_bias.o (vmlinux)"
# the patched tree's walk is fs/proc's, not the whole tree's again
expect_contains "$log" "the directories the patch can change build: fs/proc (log: "
expect_contains "$log" "fs/proc/loadavg_bias.o: loadavg_bias: new function"
expect_contains "$log" "fs/proc/loadavg_bias.o: loadavg_bias_value: new data"
expect_contains "$log" "fs/proc/loadavg.o: loadavg_proc_show: changed function"

# not listed by any makefile: no object, whatever the file holds
mkpatch alone
run alone
expect_eq "$rc" 2 "exit status for a new file no makefile builds"
expect_contains "$(cat "$tmp/alone.log")" "builds no object of this configuration from it"
expect_contains "$(cat "$tmp/alone.log")" "no functional change"
expect_contains "$(cat "$tmp/alone.log")" "the directories the patch can change build: fs/proc (log: "

vm_run_ok --kernel "$rel" --add "$tmp/ksplice-newfile.tar.gz:/root/pkg/" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh create-newfile.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
