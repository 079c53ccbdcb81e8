# See ../fixes-live.sh.  For each fix: old behaviour, apply, fixed, undo, old.
. ./lib.sh
F=/root/fixes
export FIXES_BIN=$F/bin

# check NAME: the fix's own check; 0 fixed, 1 old, 2 could not tell
check_fix() { sh $F/checks/$1.sh > /tmp/check.out 2>&1; r=$?; cat /tmp/check.out; return $r; }

while read -r name target mods; do
	case $name in \#*|"") continue ;; esac
	echo "--- $name ($target)"
	[ "$mods" = - ] || for m in $(echo $mods | tr , ' '); do modprobe $m 2>/dev/null; done
	check_fix $name; eq "$name: old behaviour before" $? 1
	out=$(ksplice-apply /root/pkg/ksplice-fix-$name.tar.gz 2>&1); rc=$?
	echo "$out"
	eq "$name: ksplice-apply" $rc 0
	check_fix $name; eq "$name: fixed after apply" $? 0
	out=$(ksplice-undo fix-$name 2>&1); rc=$?
	echo "$out"
	eq "$name: ksplice-undo" $rc 0
	check_fix $name; eq "$name: old behaviour after undo" $? 1
done < $F/fixes.list
finish
