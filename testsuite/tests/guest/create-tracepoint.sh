# See ../create-tracepoint.sh: the new it_real_fn fires timer:itimer_expire
# with now=4242, the old one with now=0; the event is switched through
# tracefs around the apply and the undo.
. ./lib.sh
P=/root/pkg
TR=/sys/kernel/tracing
EV=$TR/events/timer/itimer_expire/enable
PROG=/root/bin/alarm-ticks

# events EXPECTED_NOW: run the program, print how many itimer_expire
# events of it have now=EXPECTED_NOW and how many in all.
events() {
	echo > $TR/trace
	$PROG 3 >/dev/null || echo "alarm-ticks failed" >&2
	all=$(grep -c 'itimer_expire: which=0' $TR/trace)
	new=$(grep -c "itimer_expire: which=0 .*now=$1\$" $TR/trace)
	echo "$new/$all"
}

check "tracefs has timer:itimer_expire" test -w $EV
echo 1 > $EV
eq "old code, event on: 3 events, now=0" "$(events 0)" "3/3"

# applied while the key is enabled: the new sites start enabled
out=$(ksplice-apply $P/ksplice-tp-itimer.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply tp-itimer: exit status" $rc 0
contains "it_real_fn replaced" "$(cat $K/tp-itimer/functions 2>/dev/null)" "it_real_fn vmlinux"
eq "new code, event on: 3 events, now=4242" "$(events 4242)" "3/3"

echo 0 > $EV
eq "new code, event off: no events" "$(events 4242)" "0/0"
echo 1 > $EV
eq "new code, event on again: 3 events, now=4242" "$(events 4242)" "3/3"
echo 0 > $EV

out=$(ksplice-undo tp-itimer 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo tp-itimer: exit status" $rc 0
rmmod ksplice_tp_itimer 2>/dev/null
check "update module gone" sh -c "! grep -q '^ksplice_tp_itimer ' /proc/modules"
eq "old code, event off: no events" "$(events 0)" "0/0"
echo 1 > $EV
eq "old code, event on after undo: 3 events, now=0" "$(events 0)" "3/3"
echo 0 > $EV

# loaded while the key is disabled, then enabled while applied
out=$(ksplice-apply $P/ksplice-tp-itimer.tar.gz 2>&1)
rc=$?
echo "$out"
eq "second apply: exit status" $rc 0
eq "new code, event off since load: no events" "$(events 4242)" "0/0"
echo 1 > $EV
eq "new code, event enabled after load: 3 events, now=4242" "$(events 4242)" "3/3"
echo 0 > $EV
ksplice-undo tp-itimer >/dev/null 2>&1
eq "second undo" $? 0
check "no oops" sh -c "! dmesg | grep -q -e 'BUG:' -e 'Oops' -e 'WARNING:'"
finish
