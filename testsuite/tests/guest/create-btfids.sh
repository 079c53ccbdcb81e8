# See ../create-btfids.sh: the new btf_read reads the running .BTF_ids.
. ./lib.sh
B=/proc/ksplice_btfids

insmod /root/btfids.ko || { not_ok "insmod btfids.ko"; finish; }
eq "original: the running set's 99 + 1" "$(cat $B)" "btfids: 100"
out=$(ksplice-apply /root/pkg/ksplice-btfids.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply btfids: exit status" $rc 0
eq "new btf_read, running set: 99 + 2 (a copy would give 44)" "$(cat $B)" "btfids: 101"
out=$(ksplice-undo btfids 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo btfids: exit status" $rc 0
eq "after undo: 100 again" "$(cat $B)" "btfids: 100"
finish
