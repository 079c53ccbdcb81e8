# data-new: /proc/meminfo's new line counts up from 5, in new data.
a=$(sed -n 's/^KsplicePort: *//p' /proc/meminfo)
[ -n "$a" ] || exit 1
b=$(sed -n 's/^KsplicePort: *//p' /proc/meminfo)
echo "KsplicePort: $a then $b"
[ "$a" -ge 5 ] && [ "$b" -eq $((a + 1)) ] && exit 0
exit 2
