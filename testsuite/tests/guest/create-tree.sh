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

# two files, one update: the new function of version.c called from
# cmdline.c's new code
out=$(ksplice-apply $P/ksplice-tree-two.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply tree-two: exit status" $rc 0
eq "/proc/cmdline through the new function of the other file" "$(cat /proc/cmdline)" "$before ksplice=two-files"
out=$(ksplice-undo tree-two 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo tree-two: exit status" $rc 0
eq "/proc/cmdline after undo" "$(cat /proc/cmdline)" "$before"

# binfmt_misc, a module: a registered format's status line
B=/proc/sys/fs/binfmt_misc
modprobe binfmt_misc
mount -t binfmt_misc none $B
echo ':kstest:E::kstest::/bin/sh:' > $B/register
eq "binfmt_misc entry before" "$(head -n 1 $B/kstest)" enabled
out=$(ksplice-apply $P/ksplice-tree-binfmt.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply tree-binfmt: exit status" $rc 0
contains "module function replaced" "$(cat $K/tree-binfmt/functions 2>/dev/null)" \
	"bm_entry_read binfmt_misc"
eq "binfmt_misc entry patched" "$(head -n 1 $B/kstest)" "enabled (ksplice)"
out=$(ksplice-undo tree-binfmt 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo tree-binfmt: exit status" $rc 0
eq "binfmt_misc entry after undo" "$(head -n 1 $B/kstest)" enabled

# ums-alauda, whose fix calls usb-storage's USB_STORAGE namespace
modprobe ums-alauda
out=$(ksplice-apply $P/ksplice-tree-ns.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply tree-ns (imports USB_STORAGE): exit status" $rc 0
contains "ums-alauda function replaced" "$(cat $K/tree-ns/functions 2>/dev/null)" \
	"alauda_check_media ums_alauda"
check "no namespace complaint at load" sh -c "! dmesg | grep -q 'does not import\|namespace'"
out=$(ksplice-undo tree-ns 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo tree-ns: exit status" $rc 0
finish
