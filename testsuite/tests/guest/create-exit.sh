# See ../create-exit.sh: an update built with --skip-exit replaces the
# module's runtime code; the module unloads, after undo, with its own
# exit code.
. ./lib.sh
H=/proc/ksplice_hello

insmod /root/hello.ko || { not_ok "insmod hello.ko"; finish; }
contains "before: the original line" "$(cat $H)" "hello from the original module"

out=$(ksplice-apply /root/pkg/ksplice-exit-skip.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply exit-skip: exit status" $rc 0
contains "applied: the patched line" "$(cat $H)" "hello from the patched module"
rmmod hello 2>/dev/null
eq "the update holds the module: rmmod fails" $? 1
contains "still loaded, still patched" "$(cat $H)" "hello from the patched module"

out=$(ksplice-undo exit-skip 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo exit-skip: exit status" $rc 0
contains "after undo: the original line" "$(cat $H)" "hello from the original module"
rmmod hello
eq "after undo: rmmod" $? 0
eq "the module's own exit code removed its file" "$(ls $H 2>/dev/null)" ""
eq "the patched exit code never ran" "$(dmesg | grep -c 'the patched exit code ran')" 0
finish
