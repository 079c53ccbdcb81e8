# Functions whose first bytes the kernel rewrites later: a static branch
# (kst_key_fn) and might_sleep(), a static call under PREEMPT_DYNAMIC
# (kst_sleepy_fn).  The key flips and the preempt mode switches before,
# during and after the update and after its undo, and the code that runs
# is always the code that should.
. ./lib.sh
insmod "$KSPLICE_MODULE_DIR/ksplice.ko" || { not_ok "insmod ksplice.ko"; finish; }
insmod $T/kst_keys.ko || { not_ok "insmod kst_keys.ko"; finish; }
insmod $T/kst_keys_v2.ko || { not_ok "insmod kst_keys_v2.ko"; finish; }
KK=/sys/kernel/kst_keys
PREEMPT=/sys/kernel/debug/sched/preempt
key() { echo "$1" > $KK/key; }
kcall() { echo "$1" > $KK/key_call && cat $KK/key_call; }
scall() { echo "$1" > $KK/sleepy_call && cat $KK/sleepy_call; }
preempt() { echo "$1" > $PREEMPT; }
mode() { sed 's/.*(\([a-z]*\)).*/\1/' $PREEMPT; }

# The engine's sorted copy of vmlinux's jump sites answers as the kernel's
# own lookup does (kmod/jumpsites.c).
js=$(cat /sys/module/ksplice/parameters/jumpsites_check)
echo "jumpsites_check: $js"
contains "the engine finds every vmlinux jump site, as the kernel does" "$js" "ok "
echo "preempt modes: $(cat $PREEMPT)"
eq "old code, key off" "$(kcall 5)" 6
key 1; eq "old code, key on" "$(kcall 5)" 105; key 0

check "apply" stage kst_keys_v2 applied
fns=$(cat $K/kst_keys_v2/functions)
echo "$fns"
contains "kst_key_fn goes through ftrace" "$fns" "kst_key_fn kst_keys"
check "kst_key_fn: method ftrace" sh -c "grep -q '^kst_key_fn .* ftrace\$' $K/kst_keys_v2/functions"
check "kst_sleepy_fn: method ftrace" sh -c "grep -q '^kst_sleepy_fn .* ftrace\$' $K/kst_keys_v2/functions"
eq "new code, key off" "$(kcall 5)" 7
eq "new sleepy code" "$(scall 5)" 7
i=0
while [ $i -lt 3 ]; do
	key 1; eq "new code after key on ($i)" "$(kcall 5)" 205
	key 0; eq "new code after key off ($i)" "$(kcall 5)" 7
	i=$((i + 1))
done
preempt full; eq "preempt mode full" "$(mode)" full
eq "new sleepy code under preempt=full" "$(scall 5)" 7
preempt none; eq "preempt mode none" "$(mode)" none
eq "new sleepy code under preempt=none" "$(scall 5)" 7
preempt voluntary
eq "new sleepy code under preempt=voluntary" "$(scall 5)" 7
key 1
check "undo with the key on" stage kst_keys_v2 reversed
eq "old code after undo, key on" "$(kcall 5)" 105
key 0; eq "old code after undo, key off" "$(kcall 5)" 6
key 1; eq "old code after undo, key on again" "$(kcall 5)" 105
preempt full
eq "old sleepy code after undo, preempt=full" "$(scall 5)" 6
preempt voluntary
eq "old sleepy code after undo, preempt=voluntary" "$(scall 5)" 6

# Applied while the key is on and the mode is full, undone after both
# went back: the switch does not care which way the kernel's bytes are.
preempt full
check "apply again, key on, preempt=full" stage kst_keys_v2 applied
eq "new code, key on" "$(kcall 5)" 205
key 0; preempt voluntary
eq "new code, key off" "$(kcall 5)" 7
eq "new sleepy code" "$(scall 5)" 7
check "undo again" stage kst_keys_v2 reversed
eq "old code" "$(kcall 5)" 6

# A cumulative update (kst_keys_v3) over kst_keys_v2, all through ftrace:
# kst_key_fn, in both, switches to v3; kst_sleepy_fn, only in v2, goes
# back to the original; v2's shadow variable passes to v3 and outlives
# v2's module.
SH=/sys/module/ksplice/parameters/shadow
check "apply v2 for the cumulative case" stage kst_keys_v2 applied
eq "v2 left one shadow variable" "$(cat $SH)" 1
insmod $T/kst_keys_v3.ko || not_ok "insmod kst_keys_v3.ko"
eq "v3 is cumulative" "$(cat $K/kst_keys_v3/cumulative)" 1
eq "v3 would replace v2" "$(cat $K/kst_keys_v3/replaces)" kst_keys_v2
check "apply v3 (cumulative) with the key on" sh -c "echo 1 > $KK/key; echo applied > $K/kst_keys_v3/stage"
eq "v3 code, key on" "$(kcall 5)" 305
key 0
eq "v3 code, key off, v2's shadow step" "$(kcall 5)" 8
eq "kst_sleepy_fn: only v2 had it, original again" "$(scall 5)" 6
eq "v2 is reversed" "$(cat $K/kst_keys_v2/stage)" reversed
eq "v2 is replaced by v3" "$(cat $K/kst_keys_v2/replaced_by)" kst_keys_v3
eq "v3 replaces nothing more" "$(cat $K/kst_keys_v3/replaces)" ""
check "v2's module unloads" rmmod kst_keys_v2
eq "the shadow variable outlives v2's module" "$(cat $SH)" 1
eq "v3 still reads v2's step" "$(kcall 5)" 8
preempt full
eq "original sleepy code under preempt=full" "$(scall 5)" 6
preempt voluntary
key 1; eq "v3 code after key on" "$(kcall 5)" 305; key 0
check "undo v3" stage kst_keys_v3 reversed
eq "original kst_key_fn after undoing v3" "$(kcall 5)" 6
eq "original kst_sleepy_fn after undoing v3" "$(scall 5)" 6
eq "v3's undo freed the shadow variable" "$(cat $SH)" 0
check "v3's module unloads" rmmod kst_keys_v3

check "target module unloads" rmmod kst_keys
check "no ftrace failure" sh -c "! dmesg | grep -q 'ftrace failed\|ftrace_bug\|ftrace faulted'"
finish
