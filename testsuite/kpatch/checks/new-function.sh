# new-function: a write to the console tty goes through the new
# n_tty_write wrapper and the renamed body, which still writes it all.
msg="ksplice-port: n_tty_write wrapper wrote"
n0=$(dmesg | grep -c "$msg")
line="ksplice-port: a line for the console tty"
echo "$line" > /dev/console || exit 2
n1=$(dmesg | grep -c "$msg")
echo "wrapper notes: $n0 before the write, $n1 after"
[ "$n1" -eq "$n0" ] && exit 1
last=$(dmesg | grep "$msg" | tail -n 1)
case $last in
*"wrote ${#line} of ${#line}"*|*"wrote $((${#line} + 1)) of $((${#line} + 1))"*) exit 0 ;;
esac
echo "unexpected: $last"
exit 2
