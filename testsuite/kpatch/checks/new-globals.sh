# new-globals: meminfo_proc_show calls cmdline.c's new global function.
l=$(grep '^KsplicePort:' /proc/meminfo)
echo "meminfo: ${l:-no KsplicePort line}"
[ -z "$l" ] && exit 1
[ "$l" = "KsplicePort:    new-globals" ] && exit 0
exit 2
