# gcc-static-local-var-6: a strict __nf_ip6_route (through the test
# module kpport_route6) says so, reading the running static fake_sk.
P=/sys/module/kpport_route6/parameters/lookup
[ -e $P ] || insmod /root/kpatch/kpport_route6.ko || exit 2
msg="ksplice-port: strict __nf_ip6_route, fake_sk bound to 1"
n0=$(dmesg | grep -c "$msg")
echo 0 > $P || exit 2
n1=$(dmesg | grep -c "$msg")
echo 1 > $P || exit 2
n2=$(dmesg | grep -c "$msg")
echo "strict notes: $n0, after a loose lookup $n1, after a strict one $n2 (result $(cat $P))"
[ "$n1" -eq "$n0" ] || exit 2
[ "$n2" -gt "$n1" ] && exit 0
exit 1
