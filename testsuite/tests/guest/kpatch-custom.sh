# See ../kpatch-custom.sh: kpatch's shadow-newpid and macro-callbacks,
# built by ksplice-create, applied, checked and undone.
. ./lib.sh
P=/root/pkg
SH=/sys/module/ksplice/parameters/shadow

# since MARK: the callbacks' lines and the engine's, one word each
since() {
	dmesg | sed -n "/ksp-mark $1\$/,\$p" |
		sed -n -E 's/.*ksp-cb: ([a-z_]+): (.*)/\1(\2)/p; s/.*ksplice: (applied|reversed) kp-[a-z-]*: .*/\1/p; s/.*ksplice: kp-[a-z-]* applied to module.*/applied-at-load/p' |
		tr ' ' _ | tr '\n' ' '
}
mark() { echo "ksp-mark $1" > /dev/kmsg; }
# shadow variables in existence, without a fork of our own
shadows() { read -r n < $SH; echo "$n"; }

echo "--- shadow-newpid"
sleep 600 & old=$!
out=$(ksplice-apply $P/ksplice-kp-shadow-newpid.tar.gz 2>&1); rc=$?
echo "$out"
eq "shadow-newpid: ksplice-apply" $rc 0
sleep 600 & new=$!
check "a task forked before the apply has no newpid" sh -c "! grep -q '^newpid:' /proc/$old/status"
line=$(grep '^newpid:' /proc/$new/status)
echo "forked after: $line"
check "a task forked after the apply shows newpid" sh -c "echo '$line' | grep -qE '^newpid:[[:space:]]+[0-9]+\$'"
read -r c1 < $SH
check "shadow variables exist ($c1)" test "$c1" -ge 1
kids=""
for i in 1 2 3 4 5; do sleep 600 & kids="$kids $!"; done
for k in $kids; do
	grep -q '^newpid:' /proc/$k/status || not_ok "task $k forked after the apply has no newpid"
done
read -r c2 < $SH
check "five more tasks hold one each ($c1 -> $c2)" test "$c2" -ge 6
kill $kids; wait $kids 2>/dev/null
# a task's field goes with the task (__put_task_struct, after RCU)
i=0; c3=$c2
while [ $i -lt 20 ]; do
	read -r c3 < $SH
	[ "$c3" -le $((c2 - 5)) ] && break
	sleep 0.5; i=$((i + 1))
done
check "the five exits free theirs ($c2 -> $c3)" test "$c3" -le $((c2 - 5))
mark undo-shadow
out=$(ksplice-undo kp-shadow-newpid 2>&1); rc=$?
echo "$out"
eq "shadow-newpid: ksplice-undo" $rc 0
read -r c4 < $SH
eq "no shadow variable left after undo" "$c4" 0
contains "dmesg says the engine freed the rest" "$(dmesg | sed -n '/ksp-mark undo-shadow$/,$p')" "kp-shadow-newpid: "
check "newpid is gone after undo" sh -c "! grep -q '^newpid:' /proc/$new/status"
kill $old $new; wait $old $new 2>/dev/null

echo "--- macro-callbacks: vmlinux and joydev (loaded)"
modprobe joydev || not_ok "modprobe joydev"
mark apply-cb
out=$(ksplice-apply $P/ksplice-kp-macro-callbacks.tar.gz 2>&1); rc=$?
echo "$out"
eq "macro-callbacks: ksplice-apply" $rc 0
got=$(since apply-cb)
echo "apply: $got"
eq "apply: pre_patch of each object, post_patch of each, the engine's line" "$got" \
	"pre_patch(vmlinux) pre_patch(joydev_live) post_patch(vmlinux) post_patch(joydev_live) applied "
mark undo-cb
out=$(ksplice-undo kp-macro-callbacks 2>&1); rc=$?
echo "$out"
eq "macro-callbacks: ksplice-undo" $rc 0
got=$(since undo-cb)
echo "undo: $got"
eq "undo: pre_unpatch of each object, post_unpatch of each, the engine's line" "$got" \
	"pre_unpatch(vmlinux) pre_unpatch(joydev_live) post_unpatch(vmlinux) post_unpatch(joydev_live) reversed "

echo "--- macro-callbacks-late: pcspkr, loaded after the update"
rmmod pcspkr 2>/dev/null
mark late-cb
out=$(ksplice-apply $P/ksplice-kp-macro-callbacks-late.tar.gz 2>&1); rc=$?
echo "$out"
eq "macro-callbacks-late: ksplice-apply (pending)" $rc 0
eq "  pending" "$(cat $K/kp-macro-callbacks-late/stage)" pending
eq "  no callback runs yet" "$(since late-cb)" ""
mark load-cb
check "modprobe pcspkr" modprobe pcspkr
got=$(since load-cb)
echo "load: $got"
eq "the module's load runs its callbacks while it is coming" "$got" \
	"pre_patch(pcspkr_coming) post_patch(pcspkr_coming) applied applied-at-load "
eq "  applied" "$(cat $K/kp-macro-callbacks-late/stage)" applied
mark undo-late
out=$(ksplice-undo kp-macro-callbacks-late 2>&1); rc=$?
echo "$out"
eq "macro-callbacks-late: ksplice-undo" $rc 0
got=$(since undo-late)
echo "undo: $got"
eq "undo: its unpatch callbacks, the module live" "$got" \
	"pre_unpatch(pcspkr_live) post_unpatch(pcspkr_live) reversed "
check "rmmod pcspkr" rmmod pcspkr

echo "--- data-default-hook: a changed default set by an apply hook"
B=/proc/sys/kernel/printk_ratelimit_burst
eq "the old default" "$(cat $B)" 10
out=$(ksplice-apply $P/ksplice-kp-data-default-hook.tar.gz 2>&1); rc=$?
echo "$out"
eq "data-default-hook: ksplice-apply" $rc 0
eq "the apply hook set the new value" "$(cat $B)" 20
out=$(ksplice-undo kp-data-default-hook 2>&1); rc=$?
echo "$out"
eq "data-default-hook: ksplice-undo" $rc 0
eq "the reverse hook put the old one back" "$(cat $B)" 10
finish
