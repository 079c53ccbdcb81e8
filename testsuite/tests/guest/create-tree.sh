# See ../create-tree.sh: updates built from Debian's kernel source, one
# from a tree altered on purpose (refused) and one from the real tree.
. ./lib.sh
P=/root/pkg
MARK=" ksplice=tree-test"
before=$(cat /proc/cmdline)
contains "boot command line readable" "$before" "console=ttyS0"

out=$(ksplice-apply $P/ksplice-tree-altered.tar.gz 2>&1)
rc=$?
echo "$out"
eq "update from the altered tree refused (exit 1)" $rc 1
contains "refused with no_match" "$out" "no_match"
contains "names the function" "$out" "cmdline_proc_show"
check "nothing left registered" sh -c "! test -d $K/tree-altered"
eq "/proc/cmdline unchanged" "$(cat /proc/cmdline)" "$before"

out=$(ksplice-apply $P/ksplice-tree-cmdline.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply tree-cmdline: exit status" $rc 0
eq "stage applied" "$(cat $K/tree-cmdline/stage 2>/dev/null)" applied
eq "/proc/cmdline has the new string" "$(cat /proc/cmdline)" "$before$MARK"
contains "vmlinux function replaced" "$(cat $K/tree-cmdline/functions 2>/dev/null)" \
	"cmdline_proc_show vmlinux"

out=$(ksplice-undo tree-cmdline 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo tree-cmdline: exit status" $rc 0
eq "/proc/cmdline back to the old string" "$(cat /proc/cmdline)" "$before"
finish
