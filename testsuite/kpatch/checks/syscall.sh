# syscall: uname(2) through the changed newuname.
s=$(uname -s)
echo "uname -s: $s"
case $s in
Linux.ksplice) exit 0 ;;
Linux) exit 1 ;;
esac
exit 2
