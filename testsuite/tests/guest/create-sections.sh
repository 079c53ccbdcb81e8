# See ../create-sections.sh: the new sect_calc reaches the running
# sect_scale through the relocation ksplice-create gave back.
. ./lib.sh
S=/proc/ksplice_sections

insmod /root/sections.ko || { not_ok "insmod sections.ko"; finish; }
eq "original: 7 * 10 + 1" "$(cat $S)" "sections: 71"
out=$(ksplice-apply /root/pkg/ksplice-sect.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply sect: exit status" $rc 0
eq "new sect_calc, running sect_scale: 7 * 10 + 2" "$(cat $S)" "sections: 72"
out=$(ksplice-undo sect 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo sect: exit status" $rc 0
eq "after undo: 71 again" "$(cat $S)" "sections: 71"
finish
