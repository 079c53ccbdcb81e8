# Updates for modules that are not loaded yet (see ../engine-pending.sh):
# ksplice-apply leaves the update pending and exits 0, ksplice-view shows
# it, the module's load applies it (run-pre matching against the loading
# module's code), undo restores the old code; a pending update undone
# before the load leaves the module untouched; a module whose code does
# not match is refused at load, with the reason in dmesg, and the kernel
# goes on.  Then kst_late: a target whose init fails after the update was
# applied at its load (the update is undone and waits again), and two
# updates pending for it whose second refuses (the load is refused and
# the first, applied at that load, comes out again).
. ./lib.sh
HELLO=/proc/ksplice_hello
PKG=/root/ksplice-pend.tar.gz

run() {
	echo "\$ $*"
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	echo "(exit $rc)"
}

echo "--- apply while hello is not loaded: pending, exit 0"
check "hello is not loaded" sh -c "! test -e $HELLO"
run ksplice-apply $PKG
eq "ksplice-apply exits 0" $rc 0
contains "says pending" "$out" "update pend is pending: it applies when module hello loads"
eq "stage pending" "$(cat $K/pend/stage)" pending
eq "waiting_for names hello" "$(cat $K/pend/waiting_for)" hello
check "its module stays loaded" grep -q '^ksplice_pend ' /proc/modules
run ksplice-view
contains "view lists it as pending" "$out" "pend: pending since"
contains "view names the module it waits for" "$out" "waiting for module hello"
run ksplice-view pend
contains "view pend: waiting for" "$out" "waiting for:  hello"
out=$(ksplice-view --json pend)
contains "--json: stage pending" "$out" '"stage": "pending"'
contains "--json: waiting_for" "$(echo "$out" | tr -d ' \n')" '"waiting_for":["hello"]'
check "an explicit apply still says not loaded" sh -c "! echo applied 2>/dev/null > $K/pend/stage"
eq "  cause target_not_loaded" "$(cat $K/pend/abort_cause)" target_not_loaded
eq "  and it stays pending" "$(cat $K/pend/stage)" pending

echo "--- hello loads: the update applies, the new code runs"
check "insmod hello.ko" insmod /root/hello.ko
eq "stage applied" "$(cat $K/pend/stage)" applied
eq "waiting_for empty" "$(cat $K/pend/waiting_for)" ""
eq "the new code runs" "$(cat $HELLO)" "hello from the patched module (read 1)"
contains "dmesg says it applied at the load" "$(dmesg | tail -n 20)" "ksplice: pend applied to module hello as it loads"
check "hello is pinned while patched" sh -c "! rmmod hello 2>/dev/null"
run ksplice-undo pend
eq "ksplice-undo exits 0" $rc 0
contains "says reversed" "$out" "reversed update pend"
eq "the old code again" "$(cat $HELLO)" "hello from the original module (read 2)"
check "update module gone" sh -c "! grep -q '^ksplice_pend ' /proc/modules"
check "rmmod hello" rmmod hello

echo "--- a pending update undone before the load"
run ksplice-apply $PKG
eq "pending again" "$(cat $K/pend/stage)" pending
run ksplice-undo pend
eq "ksplice-undo of a pending update exits 0" $rc 0
contains "says it no longer waits" "$out" "update pend was pending: it no longer waits"
check "update module gone" sh -c "! grep -q '^ksplice_pend ' /proc/modules"
check "no update registered" sh -c "! test -d $K/pend"
check "insmod hello.ko" insmod /root/hello.ko
eq "hello's code untouched" "$(cat $HELLO)" "hello from the original module (read 1)"
check "rmmod hello" rmmod hello

echo "--- a module whose code does not match: its load is refused"
out=$(ksplice-apply --json $PKG)
rc=$?
echo "$out"
eq "ksplice-apply --json exits 0" $rc 0
contains "--json: state pending" "$out" '"state": "pending"'
contains "--json: pending true" "$out" '"pending": true'
check "insmod of the altered hello is refused" sh -c "! insmod /root/altered/hello.ko"
check "hello is not loaded" sh -c "! grep -q '^hello ' /proc/modules"
log=$(dmesg | grep 'refusing to load module hello' | tail -n 1)
echo "dmesg: $log"
contains "dmesg names the module and the update" "$log" "ksplice: refusing to load module hello: pending update pend does not apply to it: no_match:"
contains "dmesg names the function" "$log" "hello_line"
contains "dmesg says how to load it unpatched" "$log" "ksplice-undo pend lets it load unpatched"
eq "still pending" "$(cat $K/pend/stage)" pending
eq "abort_cause no_match" "$(cat $K/pend/abort_cause)" no_match
run ksplice-view
contains "view shows the refused load" "$out" "last load refused: no_match"
check "the kernel goes on: the right hello loads" insmod /root/hello.ko
eq "and is patched" "$(cat $HELLO)" "hello from the patched module (read 1)"
run ksplice-undo pend
eq "undo" $rc 0
eq "the old code again" "$(cat $HELLO)" "hello from the original module (read 2)"
check "rmmod hello" rmmod hello

echo "--- kst_late: its init fails after the update was applied at its load"
check "insmod kst_late_v2" insmod $T/kst_late_v2.ko
check "stage write pending" stage kst_late_v2 pending
eq "stage pending" "$(cat $K/kst_late_v2/stage)" pending
eq "waits for kst_late" "$(cat $K/kst_late_v2/waiting_for)" kst_late
check "insmod kst_late fail_init=1 fails" sh -c "! insmod $T/kst_late.ko fail_init=1"
contains "its init ran the new code" "$(dmesg | tail -n 20)" "kst_late: init sees kst_late_calc(1) = 201"
contains "the update was undone as it went" "$(dmesg | tail -n 20)" "ksplice: module kst_late is going away: update kst_late_v2 undone; pending until it loads again"
eq "pending again" "$(cat $K/kst_late_v2/stage)" pending
check "insmod kst_late" insmod $T/kst_late.ko
eq "stage applied" "$(cat $K/kst_late_v2/stage)" applied
echo 1 > /sys/kernel/kst_late/call
eq "new code" "$(cat /sys/kernel/kst_late/call)" 201
check "undo" stage kst_late_v2 reversed
eq "old code" "$(cat /sys/kernel/kst_late/call)" 101
check "pending with the module loaded applies at once" stage kst_late_v2 pending
eq "stage applied" "$(cat $K/kst_late_v2/stage)" applied
eq "new code" "$(cat /sys/kernel/kst_late/call)" 201
check "undo" stage kst_late_v2 reversed
check "rmmod kst_late" rmmod kst_late

echo "--- two pending updates, the second refuses: the first comes out again"
check "stage write pending" stage kst_late_v2 pending
check "insmod kst_late_bad" insmod $T/kst_late_bad.ko
check "kst_late_bad pending" stage kst_late_bad pending
check "insmod kst_late is refused" sh -c "! insmod $T/kst_late.ko"
log=$(dmesg | tail -n 20)
contains "dmesg: the refusal names kst_late_bad" "$log" "ksplice: refusing to load module kst_late: pending update kst_late_bad does not apply to it: call_failed"
contains "dmesg: kst_late_v2 came out" "$log" "update kst_late_v2 undone; pending until it loads again"
eq "kst_late_v2 pending" "$(cat $K/kst_late_v2/stage)" pending
eq "kst_late_bad pending" "$(cat $K/kst_late_bad/stage)" pending
check "kst_late not loaded" sh -c "! grep -q '^kst_late ' /proc/modules"
check "kst_late_v2's module can be removed (not held)" sh -c "rmmod kst_late_v2 && insmod $T/kst_late_v2.ko"
check "stage write pending" stage kst_late_v2 pending
check "stop kst_late_bad's wait" stage kst_late_bad reversed
eq "kst_late_bad loaded again" "$(cat $K/kst_late_bad/stage)" loaded
check "insmod kst_late" insmod $T/kst_late.ko
echo 1 > /sys/kernel/kst_late/call
eq "kst_late_v2's code" "$(cat /sys/kernel/kst_late/call)" 201
check "undo" stage kst_late_v2 reversed
check "rmmod kst_late_bad kst_late" rmmod kst_late_bad kst_late
check "pending again" stage kst_late_v2 pending
check "rmmod of a pending update's module" rmmod kst_late_v2
check "insmod kst_late" insmod $T/kst_late.ko
echo 1 > /sys/kernel/kst_late/call
eq "untouched" "$(cat /sys/kernel/kst_late/call)" 101
check "rmmod kst_late" rmmod kst_late
check "core module removable at the end" rmmod ksplice
finish
