# NMIs run the target while its trampoline is written and removed: a
# ping-pong of NMIs between the CPUs keeps calling kst_nmi_fn with every
# CPU held in stop_machine.  Each call sees the old code or the new one,
# never a torn instruction.
. ./lib.sh
insmod "$KSPLICE_MODULE_DIR/ksplice.ko" || { not_ok "insmod ksplice.ko"; finish; }
insmod $T/kst_nmi.ko || { not_ok "insmod kst_nmi.ko"; finish; }
insmod $T/kst_nmi_v2.ko || { not_ok "insmod kst_nmi_v2.ko"; finish; }
S=/sys/kernel/kst_nmi/storm
field() { awk -v f="$1" '{ for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' $S; }

echo 1 > $S
sleep 1
n1=$(field nmis)
sleep 1
n2=$(field nmis)
echo "storm: $(cat $S)"
check "NMIs keep coming ($n1 -> $n2)" test "$n2" -gt "$n1"
cycles=${CYCLES:-60}
i=0 bad=0
while [ $i -lt $cycles ]; do
	stage kst_nmi_v2 applied || bad=$((bad + 1))
	stage kst_nmi_v2 reversed || bad=$((bad + 1))
	i=$((i + 1))
done
echo 0 > $S
eq "$cycles apply/undo cycles under NMIs" $bad 0
echo "storm: $(cat $S)"
echo "int3 hits: $(cat /sys/module/ksplice/parameters/int3_hits)"
eq "no NMI saw a wrong result" "$(field wrong)" 0
check "NMIs ran the old code" test "$(field old)" -gt 0
check "NMIs ran the new code" test "$(field new)" -gt 0
check "update module unloads" rmmod kst_nmi_v2
check "target unloads" rmmod kst_nmi
finish
