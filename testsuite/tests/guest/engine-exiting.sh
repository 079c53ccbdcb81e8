# A task past exit_notify() runs the update's code after its parent
# reaped it: off the task list, no stack scan sees it.  Undo must wait
# for it before the update's module may go; without that, rmmod frees
# the code it sleeps in and it returns into freed memory.
. ./lib.sh
insmod "$KSPLICE_MODULE_DIR/ksplice.ko" || { not_ok "insmod ksplice.ko"; finish; }
insmod $T/kst_exit.ko || { not_ok "insmod kst_exit.ko"; finish; }
cs() { read -r up _ < /proc/uptime; echo "${up%.*}${up#*.}"; }	# 1/100 s

check "apply" stage kst_exit applied
cp /bin/busybox /tmp/kst_exiter
/tmp/kst_exiter 2>/dev/null &
pid=$!
wait $pid			# reaped: it left the task list
check "the reaped exiter is off the task list" test ! -d /proc/$pid
t0=$(cs)
check "undo" stage kst_exit reversed
t1=$(cs)
echo "undo took $((t1 - t0))0 ms"
check "undo waited for the exiting task (>= 1 s)" test $((t1 - t0)) -ge 100
check "the update's module unloads" rmmod kst_exit
sleep 3				# a task returning into freed code would oops here
eq "the machine is still here" "$(echo alive)" alive
finish
