# ftrace and kprobes beside the trampolines.
. ./lib.sh
load_core
insmod $T/kst_v2.ko
TR=/sys/kernel/tracing

# The function tracer on the patched function, before and after apply.
echo kst_add > $TR/set_ftrace_filter
echo function > $TR/current_tracer
echo > $TR/trace
call 1 >/dev/null
check "tracer sees kst_add before apply" grep -q kst_add $TR/trace
check "apply while traced" stage kst_v2 applied
echo > $TR/trace
eq "patched while traced" "$(call 5)" 7
check "tracer still sees kst_add after apply" grep -q kst_add $TR/trace
echo nop > $TR/current_tracer
echo function > $TR/current_tracer
echo > $TR/trace
eq "patched after tracer restart" "$(call 5)" 7
check "tracer enabled after apply sees kst_add" grep -q kst_add $TR/trace
echo nop > $TR/current_tracer
check "undo" stage kst_v2 reversed
echo function > $TR/current_tracer
echo > $TR/trace
eq "original while traced" "$(call 5)" 6
check "tracer after undo sees kst_add" grep -q kst_add $TR/trace
echo nop > $TR/current_tracer
echo > $TR/set_ftrace_filter
check "no ftrace failure" sh -c "! dmesg | grep -q 'ftrace failed\|ftrace_bug\|ftrace faulted'"

# A kprobe at entry (ftrace-based) coexists and keeps counting.
echo 'p:kstentry kst_add' > $TR/kprobe_events
echo 1 > $TR/events/kprobes/kstentry/enable
check "apply with a kprobe at entry" stage kst_v2 applied
call 1 >/dev/null; call 2 >/dev/null; eq "patched with kprobe" "$(call 3)" 5
hits=$(awk '/kstentry/ {print $2}' $TR/kprobe_profile)
check "entry kprobe counted the calls ($hits)" test "$hits" -ge 3
check "undo with kprobe" stage kst_v2 reversed
echo 0 > $TR/events/kprobes/kstentry/enable
echo '-:kstentry' >> $TR/kprobe_events

# An int3 kprobe where the trampoline goes: refused, nothing written.
echo 'p:kstmid kst_add+5' > $TR/kprobe_events
echo 1 > $TR/events/kprobes/kstmid/enable
echo 1 > $K/kst_v2/max_tries
check "apply refused over a kprobe" sh -c "! echo applied 2>/dev/null > $K/kst_v2/stage"
eq "cause bad_bytes" "$(cat $K/kst_v2/abort_cause)" bad_bytes
echo "reason: $(cat $K/kst_v2/abort_reason)"
eq "nothing written" "$(call 5)" 6
hits=$(awk '/kstmid/ {print $2}' $TR/kprobe_profile)
check "the kprobe still fires ($hits)" test "$hits" -ge 1
echo 0 > $TR/events/kprobes/kstmid/enable
echo '-:kstmid' >> $TR/kprobe_events
check "apply once the kprobe is gone" stage kst_v2 applied
eq "patched" "$(call 5)" 7

# Someone probes our trampoline: undo refuses rather than restore over it.
echo 5 > $K/kst_v2/max_tries
echo 'p:kstjmp kst_add+5' > $TR/kprobe_events
echo 1 > $TR/events/kprobes/kstjmp/enable
eq "patched with a probe on the trampoline" "$(call 5)" 7
check "undo refused over a probed trampoline" sh -c "! echo reversed 2>/dev/null > $K/kst_v2/stage"
eq "undo cause bad_bytes" "$(cat $K/kst_v2/abort_cause)" bad_bytes
eq "still applied" "$(cat $K/kst_v2/stage)" applied
echo 0 > $TR/events/kprobes/kstjmp/enable
echo '-:kstjmp' >> $TR/kprobe_events
check "undo once the probe is gone" stage kst_v2 reversed
eq "original" "$(call 5)" 6

# A probe registered while the jmp is in, past it, inside an old
# instruction the jmp covered (kst_add+8 is 4 bytes: +10 is inside).
# Putting the old bytes back would leave its int3 mid-instruction.
check "apply for the probe past the jmp" stage kst_v2 applied
check "a kprobe at kst_add+10 registers" sh -c "echo 'p:kstpast kst_add+10' > $TR/kprobe_events"
echo 1 > $TR/events/kprobes/kstpast/enable
check "undo refused with a probe inside a covered instruction" sh -c "! echo reversed 2>/dev/null > $K/kst_v2/stage"
eq "its cause bad_bytes" "$(cat $K/kst_v2/abort_cause)" bad_bytes
echo "reason: $(cat $K/kst_v2/abort_reason)"
eq "still patched" "$(call 5)" 7
echo 0 > $TR/events/kprobes/kstpast/enable
echo '-:kstpast' >> $TR/kprobe_events
check "undo once it is gone" stage kst_v2 reversed
eq "original after all" "$(call 5)" 6
finish
