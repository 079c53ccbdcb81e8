# The stack check against the stop's own tasks and the user's registers.
. ./lib.sh
load_core

# A function on ksplice's own path, the sysfs write that drives it or
# the stop_machine path: refused at the first try, with the reason.
for fn in vfs_write multi_cpu_stop; do
	insmod $T/kst_ownpath.ko target=$fn || not_ok "insmod kst_ownpath target=$fn"
	echo 5 > $K/kst_ownpath/max_tries
	check "$fn: apply refused" sh -c "! echo applied 2>/dev/null > $K/kst_ownpath/stage"
	eq "$fn: cause not_patchable" "$(cat $K/kst_ownpath/abort_cause)" not_patchable
	reason=$(cat $K/kst_ownpath/abort_reason)
	echo "$fn: $reason"
	contains "$fn: reason says own path" "$reason" "ksplice's own path"
	contains "$fn: reason names the function" "$reason" "$fn+0x"
	eq "$fn: refused at the first try" "$(cat $K/kst_ownpath/tries)" 1
	eq "$fn: stage loaded" "$(cat $K/kst_ownpath/stage)" loaded
	rmmod kst_ownpath
done
check "sysfs writes still work" sh -c "echo 3 > $TGT/call"

# A user puts kst_add's address in every register and sleeps in a system
# call: its register frame is user state, not a return address.
insmod $T/kst_v2.ko
grep -q '^nobody:' /etc/passwd ||
	echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >> /etc/passwd
addr=$(awk '$3 == "kst_add" { print $1 }' /proc/kallsyms)
inside=$(printf '%x' $((0x$addr + 16)))
su -s /bin/sh nobody -c "/root/regs-sleep $inside" &
sleep 1
pid=$(pidof regs-sleep)
check "the user's sleeper runs" test -n "$pid"
eq "it runs as nobody" "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" 65534
echo 1 > $K/kst_v2/max_tries
check "apply with kst_add+16 in a user's registers" stage kst_v2 applied
echo "conflicts: $(cat $K/kst_v2/conflicts)"
eq "patched" "$(call 5)" 7
check "undo" stage kst_v2 reversed
eq "original" "$(call 5)" 6
kill $pid
finish
