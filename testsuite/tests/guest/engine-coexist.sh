# Other redirectors at kst_add's fentry site: livepatch and an IP-changing
# kprobe act before ksplice's jmp, so the engine refuses kst_add while one
# of them is there, naming it, and writes nothing.
. ./lib.sh
load_core
insmod $T/kst_v2.ko
echo 1 > $K/kst_v2/max_tries
LP=/sys/kernel/livepatch/kst_klp

# wait_transition: until livepatch has moved every task (at most 60 s).
wait_transition() {
	i=0
	while t=$(cat $LP/transition 2>/dev/null) && [ "$t" != 0 ]; do
		i=$((i + 1))
		[ $i -le 600 ] || return 1
		sleep 0.1
	done
}

# livepatch_off: disable kst_klp, wait, and unload it.
livepatch_off() {
	echo 0 > $LP/enabled || return 1
	wait_transition || return 1
	i=0
	while ! rmmod kst_klp 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 600 ] || return 1
		sleep 0.1
	done
}

# --- livepatch first, then ksplice: refused -----------------------------
check "insmod the livepatch" insmod $T/kst_klp.ko
check "livepatch transition done" wait_transition
eq "livepatch enabled" "$(cat $LP/enabled)" 1
eq "livepatch's kst_add" "$(call 5)" 105
check "apply refused under livepatch" sh -c "! echo applied 2>/dev/null > $K/kst_v2/stage"
eq "cause not_patchable" "$(cat $K/kst_v2/abort_cause)" not_patchable
reason=$(cat $K/kst_v2/abort_reason)
echo "reason: $reason"
contains "reason names livepatch" "$reason" "redirected by livepatch"
contains "reason names the livepatch module" "$reason" "module kst_klp"
contains "reason names the function" "$reason" "kst_add"
eq "stage still loaded" "$(cat $K/kst_v2/stage)" loaded
check "dry run refused too" sh -c "! echo dry-run 2>/dev/null > $K/kst_v2/stage"
eq "dry run cause not_patchable" "$(cat $K/kst_v2/abort_cause)" not_patchable
eq "still livepatch's kst_add" "$(call 5)" 105
check "livepatch disabled and removed" livepatch_off
eq "nothing was written (original kst_add)" "$(call 5)" 6
check "apply once the livepatch is gone" stage kst_v2 applied
eq "patched" "$(call 5)" 7
check "undo" stage kst_v2 reversed
eq "original" "$(call 5)" 6

# --- an IP-changing kprobe (post handler: IPMODIFY ftrace_ops) ----------
check "insmod the kprobe" insmod $T/kst_kprobe.ko
eq "kprobe's kst_add" "$(call 5)" 1005
check "apply refused under the kprobe" sh -c "! echo applied 2>/dev/null > $K/kst_v2/stage"
eq "cause not_patchable" "$(cat $K/kst_v2/abort_cause)" not_patchable
reason=$(cat $K/kst_v2/abort_reason)
echo "reason: $reason"
contains "reason names the kprobe" "$reason" "kprobe that may change the IP"
contains "reason names the kprobe module" "$reason" "kprobe module kst_kprobe"
eq "still the kprobe's kst_add" "$(call 5)" 1005
check "the kprobe counted the calls" test "$(cat /sys/module/kst_kprobe/parameters/hits)" -ge 2
check "rmmod the kprobe" rmmod kst_kprobe
eq "nothing was written (original kst_add)" "$(call 5)" 6
check "apply once the kprobe is gone" stage kst_v2 applied
eq "patched" "$(call 5)" 7
check "undo" stage kst_v2 reversed

# --- an ftrace direct call that redirects kst_add ------------------------
check "insmod the direct call" insmod $T/kst_direct.ko
eq "direct call's kst_add" "$(call 5)" 10005
check "apply refused under the direct call" sh -c "! echo applied 2>/dev/null > $K/kst_v2/stage"
eq "cause not_patchable" "$(cat $K/kst_v2/abort_cause)" not_patchable
reason=$(cat $K/kst_v2/abort_reason)
echo "reason: $reason"
contains "reason names the direct call" "$reason" "direct-call trampoline (kst_direct_tramp [kst_direct])"
check "rmmod the direct call" rmmod kst_direct
eq "nothing was written (original kst_add)" "$(call 5)" 6
check "apply once the direct call is gone" stage kst_v2 applied
eq "patched" "$(call 5)" 7
check "undo" stage kst_v2 reversed

# --- a kprobe event without a post handler does not change the IP -------
TR=/sys/kernel/tracing
echo 'p:kstcx kst_add' > $TR/kprobe_events
echo 1 > $TR/events/kprobes/kstcx/enable
check "apply beside a plain kprobe event" stage kst_v2 applied
eq "patched beside the kprobe event" "$(call 5)" 7
check "undo beside the kprobe event" stage kst_v2 reversed
echo 0 > $TR/events/kprobes/kstcx/enable
echo '-:kstcx' >> $TR/kprobe_events

# --- ksplice first, then livepatch: not prevented, but told ------------
# Nothing stops livepatch from taking the fentry call of a function that
# ksplice replaced: it then runs instead of ksplice's replacement until it
# is disabled.  The update's `bypassed` file and ksplice-view say so.
check "apply kst_v2 first" stage kst_v2 applied
eq "patched by ksplice" "$(call 5)" 7
eq "nothing bypasses it yet" "$(cat $K/kst_v2/bypassed)" ""
check "livepatch loads over a ksplice'd function" insmod $T/kst_klp.ko
check "livepatch transition done" wait_transition
got=$(call 5)
echo "reverse order: livepatch enabled over kst_v2: kst_add(5) = $got"
eq "livepatch's function runs, ksplice's jmp is bypassed" "$got" 105
eq "bypassed names the livepatch" "$(cat $K/kst_v2/bypassed)" "kst_add livepatch kst_klp"
view=$(ksplice-view 2>&1)
echo "$view"
contains "ksplice-view warns of it" "$view" "WARNING: bypassed: kst_add livepatch kst_klp"
json=$(ksplice-view --json 2>&1 | tr -d ' \n')
contains "ksplice-view --json lists it" "$json" '"bypassed":["kst_addlivepatchkst_klp"]'
check "livepatch disabled and removed" livepatch_off
eq "nothing bypasses it any more" "$(cat $K/kst_v2/bypassed)" ""
eq "ksplice's replacement runs again" "$(call 5)" 7
check "undo after the livepatch" stage kst_v2 reversed
eq "original" "$(call 5)" 6
check "no ftrace failure" sh -c "! dmesg | grep -q 'ftrace failed\|ftrace_bug\|ftrace faulted'"
finish
