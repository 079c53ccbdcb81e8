# See ../create-twins.sh: of two identical copies of twin_step, the one
# the changed caller's running code calls is replaced, the other runs on.
. ./lib.sh
T=/proc/ksplice_twins

insmod /root/twins.ko || { not_ok "insmod twins.ko"; finish; }
eq "original: 71 + 100, and 71" "$(cat $T)" "twins: 171 71"

out=$(ksplice-apply /root/pkg/ksplice-twins-alone.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply twins-alone: refused by the kernel (exit 1)" $rc 1
contains "the refusal names the copies" "$out" "functions named twin_step match"
eq "refused: nothing changed" "$(cat $T)" "twins: 171 71"
eq "refused: nothing left applied" "$(ls /sys/kernel/ksplice 2>/dev/null | grep -c twins)" 0

out=$(ksplice-apply /root/pkg/ksplice-twins.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply twins: exit status" $rc 0
eq "the changed file's copy and caller: 72 + 200; the other file's copy: 71" \
	"$(cat $T)" "twins: 272 71"
out=$(ksplice-undo twins 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo twins: exit status" $rc 0
eq "after undo: 171 71 again" "$(cat $T)" "twins: 171 71"
finish
