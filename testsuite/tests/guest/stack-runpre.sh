# See ../stack-runpre.sh: a second update to stack_calc, which stk-a
# replaced, must match stk-a's code; one built from the original source
# is refused and stk-a's behaviour stays.
. ./lib.sh
P=/root/pkg
S=/proc/ksplice_stack

# apply_ok ID / undo_ok ID: the host tools succeed.
apply_ok() {
	out=$(ksplice-apply $P/ksplice-$1.tar.gz 2>&1)
	rc=$?
	echo "$out"
	eq "ksplice-apply $1: exit status" $rc 0
}
undo_ok() {
	out=$(ksplice-undo $1 2>&1)
	rc=$?
	echo "$out"
	eq "ksplice-undo $1: exit status" $rc 0
}
# apply_refused ID: exit 1, no_match, and nothing left loaded.
apply_refused() {
	out=$(ksplice-apply $P/ksplice-$1.tar.gz 2>&1)
	rc=$?
	echo "$out"
	eq "ksplice-apply $1 refuses (exit 1)" $rc 1
	contains "$1: cause no_match" "$out" "no_match"
	mod=ksplice_$(echo "$1" | tr - _)
	check "$1: update module not left loaded" sh -c "! grep -q '^$mod ' /proc/modules"
	check "$1: no update registered" sh -c "! test -d /sys/kernel/ksplice/$1"
}

insmod /root/stack.ko || { not_ok "insmod stack.ko"; finish; }
eq "original: 7 * 10 + 1" "$(cat $S)" "stack: 71"

echo "--- A replaces stack_scale and stack_calc"
apply_ok stk-a
eq "A: 7 * 20 + 2" "$(cat $S)" "stack: 142"

echo "--- B built without A's change is refused"
apply_refused stk-b-pristine
contains "the reason names A, the function and the fix" "$out" \
	"update stk-a already replaced stack_calc; this update was built from code without stk-a's change and would revert it: build it on top of stk-a (or undo stk-a first)"
eq "A's behaviour unchanged" "$(cat $S)" "stack: 142"
check "A still applied" sh -c "ksplice-view | grep -q '^stk-a: applied'"

echo "--- C, built without A's change but not touching A's functions, applies"
apply_ok stk-c
eq "C's new stack_show calls into A's code" "$(cat $S)" "stacked: 142"

echo "--- B built on top of A matches A's code and applies"
apply_ok stk-b-on-a
eq "A and B: (7 * 20 + 2) * 3" "$(cat $S)" "stacked: 426"
contains "ksplice-view lists B's function" "$(ksplice-view stk-b-on-a)" "stack_calc [stack]"

echo "--- undo: newest first"
out=$(ksplice-undo stk-a 2>&1)
rc=$?
echo "$out"
eq "undo of A under B refused (exit 1)" $rc 1
contains "undo of A: cause out_of_order" "$out" "out_of_order"
eq "still A and B" "$(cat $S)" "stacked: 426"
undo_ok stk-b-on-a
eq "B undone: A's code again" "$(cat $S)" "stacked: 142"
undo_ok stk-c
eq "C undone" "$(cat $S)" "stack: 142"
undo_ok stk-a
eq "A undone: the original" "$(cat $S)" "stack: 71"

echo "--- with A gone, the roles swap"
apply_refused stk-b-on-a
contains "B on A no longer matches: names stack_calc" "$out" "stack_calc"
eq "original unchanged" "$(cat $S)" "stack: 71"
apply_ok stk-b-pristine
eq "B alone: (7 * 10 + 1) * 3" "$(cat $S)" "stack: 213"
undo_ok stk-b-pristine
eq "the original again" "$(cat $S)" "stack: 71"
check "nothing applied" sh -c "ksplice-view | grep -q 'no updates applied'"
check "stack.ko can be removed" rmmod stack
finish
