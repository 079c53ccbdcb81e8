# See ../create-newfile.sh: an update built from a fix that adds a source
# file; loadavg.c's new code calls the new file's function.
. ./lib.sh
P=/root/pkg

load_int() { cut -d. -f1 /proc/loadavg; }

check "load below 800 before" test "$(load_int)" -lt 800

out=$(ksplice-apply $P/ksplice-newfile.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply newfile: exit status" $rc 0
functions=$(cat $K/newfile/functions 2>/dev/null)
contains "loadavg_proc_show replaced" "$functions" "loadavg_proc_show vmlinux"
echo "/proc/loadavg: $(cat /proc/loadavg)"
check "the new file's function and data: load of 800 and more" test "$(load_int)" -ge 800

out=$(ksplice-undo newfile 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo newfile: exit status" $rc 0
check "load below 800 after undo" test "$(load_int)" -lt 800
finish
