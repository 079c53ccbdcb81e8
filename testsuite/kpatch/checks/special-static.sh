# special-static: a fork by a task named kspfork runs copy_signal's new
# call, which says so in the kernel log.
msg="ksplice-port: copy_signal for a fork of kspfork"
n0=$(dmesg | grep -c "$msg")
sh -c 'printf kspfork > /proc/self/comm; ls /dev/null > /dev/null & wait' || exit 2
n1=$(dmesg | grep -c "$msg")
echo "copy_signal notes: $n0 before the fork, $n1 after"
[ "$n1" -gt "$n0" ] && exit 0
exit 1
