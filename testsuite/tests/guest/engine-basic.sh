# Apply and undo, stacking, refusals that must leave everything as it was.
. ./lib.sh
load_core
check "core module's sysfs directory" test -d $K
eq "original kst_add" "$(call 5)" 6

insmod $T/kst_v2.ko
eq "new update is loaded" "$(cat $K/kst_v2/stage)" loaded
check "apply kst_v2" stage kst_v2 applied
eq "stage applied" "$(cat $K/kst_v2/stage)" applied
eq "patched kst_add returns x+2" "$(call 5)" 7
check "functions lists kst_add" grep -q "^kst_add kst_target 0x[0-9a-f]* 0x" $K/kst_v2/functions
check "pause recorded" test "$(cat $K/kst_v2/pause_ns)" -gt 0
echo "pause_ns: $(cat $K/kst_v2/pause_ns)"
# Stacks were read before the stop; inside it only the tasks that ran
# since, the stop's own and the idle tasks.
threads=$(ls /proc | grep -c '^[0-9]')
scanned=$(cat $K/kst_v2/scan_tasks)
echo "threads: $threads, read in the stop: $scanned"
check "the stop read fewer stacks than there are threads" test "$scanned" -gt 0 -a "$scanned" -lt "$threads"
check "TAINT_LIVEPATCH (bit 15) set while applied" test $(( $(cat /proc/sys/kernel/tainted) >> 15 & 1 )) -eq 1
check "applied update's module cannot be removed" sh -c "! rmmod kst_v2 2>/dev/null"
check "patched target module cannot be removed" sh -c "! rmmod kst_target 2>/dev/null"
check "undo kst_v2" stage kst_v2 reversed
eq "stage reversed" "$(cat $K/kst_v2/stage)" reversed
eq "undone kst_add returns x+1" "$(call 5)" 6

bad=0
i=0
while [ $i -lt 30 ]; do
	stage kst_v2 applied && [ "$(call $i)" = $((i + 2)) ] || bad=$((bad + 1))
	stage kst_v2 reversed && [ "$(call $i)" = $((i + 1)) ] || bad=$((bad + 1))
	i=$((i + 1))
done
eq "30 apply/undo cycles, all results right" $bad 0
check "a bad stage value is refused" sh -c "! echo bogus 2>/dev/null > $K/kst_v2/stage"

# Stacking: v3 on top of v2; undo must go newest first.
insmod $T/kst_v3.ko
check "apply kst_v2 again" stage kst_v2 applied
check "apply kst_v3 on top" stage kst_v3 applied
eq "stacked kst_add returns x+3" "$(call 5)" 8
check "out-of-order undo refused" sh -c "! echo reversed 2>/dev/null > $K/kst_v2/stage"
eq "out-of-order cause" "$(cat $K/kst_v2/abort_cause)" out_of_order
contains "out-of-order reason names kst_v3" "$(cat $K/kst_v2/abort_reason)" kst_v3
eq "still x+3 after refused undo" "$(call 5)" 8
check "undo kst_v3" stage kst_v3 reversed
eq "back to x+2" "$(call 5)" 7
check "undo kst_v2" stage kst_v2 reversed
eq "back to the original" "$(call 5)" 6
check "reversed updates can be removed" rmmod kst_v3 kst_v2

# A check hook that refuses: call_failed, nothing written.
insmod $T/kst_checkfail.ko
check "check hook refusal fails the apply" sh -c "! echo applied 2>/dev/null > $K/kst_checkfail/stage"
eq "cause call_failed" "$(cat $K/kst_checkfail/abort_cause)" call_failed
eq "stage stays loaded" "$(cat $K/kst_checkfail/stage)" loaded
eq "nothing written" "$(call 5)" 6
check "refused update can be removed" rmmod kst_checkfail

# An apply hook failing inside the stop: both trampolines restored.
cmdline=$(cat /proc/cmdline)
insmod $T/kst_applyfail.ko
check "apply hook failure fails the apply" sh -c "! echo applied 2>/dev/null > $K/kst_applyfail/stage"
eq "cause call_failed (apply hook)" "$(cat $K/kst_applyfail/abort_cause)" call_failed
eq "kst_add restored" "$(call 5)" 6
eq "cmdline_proc_show restored" "$(cat /proc/cmdline)" "$cmdline"
check "remove kst_applyfail" rmmod kst_applyfail

# Too short for a trampoline.
insmod $T/kst_tiny.ko
check "tiny function refused" sh -c "! echo applied 2>/dev/null > $K/kst_tiny/stage"
eq "cause not_patchable" "$(cat $K/kst_tiny/abort_cause)" not_patchable
contains "reason says too short" "$(cat $K/kst_tiny/abort_reason)" "too short"
eq "kst_tiny untouched" "$(cat $TGT/tiny)" 0
check "remove kst_tiny" rmmod kst_tiny

# A target module that is not loaded.
rmmod kst_target
insmod $T/kst_v3.ko
check "apply without its target refused" sh -c "! echo applied 2>/dev/null > $K/kst_v3/stage"
eq "cause target_not_loaded" "$(cat $K/kst_v3/abort_cause)" target_not_loaded
rmmod kst_v3

# vmlinux itself.
insmod $T/kst_vmlinux.ko
check "apply to vmlinux" stage kst_vmlinux applied
eq "/proc/cmdline patched" "$(cat /proc/cmdline)" ksplice-was-here
check "undo vmlinux update" stage kst_vmlinux reversed
eq "/proc/cmdline restored" "$(cat /proc/cmdline)" "$cmdline"
rmmod kst_vmlinux
check "core module removable at the end" rmmod ksplice
finish
