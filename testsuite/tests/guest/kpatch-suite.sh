# See ../kpatch-suite.sh.  For each ported kpatch test whose update was
# built: old behaviour, ksplice-apply, patched behaviour, ksplice-undo,
# old behaviour again.
. ./lib.sh
D=/root/kpatch

# check NAME: its check; 0 patched, 1 old, 2 could not tell
check_kp() { sh $D/checks/$1.sh > /tmp/check.out 2>&1; r=$?; cat /tmp/check.out; return $r; }

while read -r name mods; do
	case $name in \#*|"") continue ;; esac
	pkg=/root/pkg/ksplice-kp-$name.tar.gz
	echo "--- $name"
	if [ ! -f $pkg ]; then
		not_ok "$name: no update was built"
		continue
	fi
	[ "$mods" = - ] || for m in $(echo $mods | tr , ' '); do modprobe $m; done
	check_kp $name; eq "$name: old behaviour before" $? 1
	out=$(ksplice-apply $pkg 2>&1); rc=$?
	echo "$out"
	eq "$name: ksplice-apply" $rc 0
	[ $rc = 0 ] || continue
	check_kp $name; eq "$name: patched behaviour after apply" $? 0
	out=$(ksplice-undo kp-$name 2>&1); rc=$?
	echo "$out"
	eq "$name: ksplice-undo" $rc 0
	check_kp $name; eq "$name: old behaviour after undo" $? 1
done < $D/suite.list
finish
