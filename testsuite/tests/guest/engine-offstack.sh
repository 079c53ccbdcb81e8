# Return addresses off the stack: a kretprobe (rethook) or the function
# graph tracer holds the return address into kst_add, or into its
# replacement, while kst_napper sleeps in kst_nap().  Apply and undo
# must both see it and refuse with code_busy, naming the thread; without
# that, undo frees the update's code under the sleeping thread.
. ./lib.sh
load_core
insmod $T/kst_v2.ko
TR=/sys/kernel/tracing
echo 2 > $K/kst_v2/max_tries
echo 100 > $K/kst_v2/retry_delay_ms

# busy_both WHAT: with WHAT armed, apply and undo refused while napping.
busy_both() {
	echo 1 > $TGT/nap
	pid=$(pidof kst_napper)
	check "$1: napper asleep" test -n "$pid"
	check "$1: apply refused while napping in old code" sh -c "! echo applied 2>/dev/null > $K/kst_v2/stage"
	eq "$1: apply cause" "$(cat $K/kst_v2/abort_cause)" code_busy
	contains "$1: apply conflict names the napper in kst_add" "$(cat $K/kst_v2/conflicts)" "kst_napper $pid kst_add+0x"
	eq "$1: still the original" "$(call 5)" 6
	echo 0 > $TGT/nap
	check "$1: apply once it woke" stage kst_v2 applied
	eq "$1: patched" "$(call 5)" 7
	echo 1 > $TGT/nap
	pid=$(pidof kst_napper)
	check "$1: undo refused while napping under the new code" sh -c "! echo reversed 2>/dev/null > $K/kst_v2/stage"
	eq "$1: undo cause" "$(cat $K/kst_v2/abort_cause)" code_busy
	contains "$1: undo conflict names the napper in kst_add_v2" "$(cat $K/kst_v2/conflicts)" "kst_napper $pid kst_add_v2+0x"
	eq "$1: still applied" "$(cat $K/kst_v2/stage)" applied
	echo 0 > $TGT/nap
	check "$1: undo once it woke" stage kst_v2 reversed
	eq "$1: original again" "$(call 5)" 6
}

echo 'r:kstnap kst_nap' > $TR/kprobe_events
echo 1 > $TR/events/kprobes/kstnap/enable
busy_both kretprobe
hits=$(awk '/kstnap/ {print $2}' $TR/kprobe_profile)
check "the kretprobe fired ($hits)" test "$hits" -ge 2
echo 0 > $TR/events/kprobes/kstnap/enable
echo '-:kstnap' >> $TR/kprobe_events

echo kst_nap > $TR/set_ftrace_filter
echo function_graph > $TR/current_tracer
busy_both function_graph
check "the graph tracer saw kst_nap" grep -q kst_nap $TR/trace
echo nop > $TR/current_tracer
echo > $TR/set_ftrace_filter

check "update module unloads" rmmod kst_v2
finish
