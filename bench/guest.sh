# Runs inside the VM (busybox sh); prints RESULT lines that bench/run reads.
K=/sys/kernel/ksplice
B=/sys/kernel/ksb
T=/usr/lib/ksplice/test
RUNS=${RUNS:-15}
insmod "$KSPLICE_MODULE_DIR/ksplice.ko" || exit 1
insmod $T/kst_target.ko && insmod $T/kst_v2.ko || exit 1
for m in ksb_tools ksb_many ksb_many_v2; do insmod /root/bench/$m.ko || exit 1; done

median() { sort -n | sed -n "$(( ($1 + 1) / 2 ))p"; }
nthreads() { ls /proc | grep -c '^[0-9]'; }

# pause ID: median pause_ns, scan ns and bare stop_machine ns over $RUNS
# applies, each beside one bare stop_machine just before it, so that both
# see the same load on the host.
pause() {
	: > /tmp/p; : > /tmp/s; : > /tmp/b; : > /tmp/t
	i=0
	while [ $i -lt $RUNS ]; do
		echo 1 > $B/stop_machine
		cut -d' ' -f1 $B/stop_machine >> /tmp/b
		echo applied > $K/$1/stage || exit 1
		cat $K/$1/pause_ns >> /tmp/p
		cat $K/$1/scan_ns >> /tmp/s
		cat $K/$1/scan_tasks >> /tmp/t
		echo reversed > $K/$1/stage || exit 1
		i=$((i + 1))
	done
	echo "$(median $RUNS < /tmp/p) $(median $RUNS < /tmp/s) $(median $RUNS < /tmp/b) $(median $RUNS < /tmp/t)"
}

for extra in 50 2000 10000; do
	echo $extra > $B/threads
	n=$(nthreads)
	set -- $(pause kst_v2)
	echo "RESULT pause threads=$n funcs=1 ksplice_ns=$1 scan_ns=$2 bare_ns=$3 stacks=$4"
	set -- $(pause ksb_many_v2)
	echo "RESULT pause threads=$n funcs=500 ksplice_ns=$1 scan_ns=$2 bare_ns=$3 stacks=$4"
done
echo 0 > $B/threads

# Cost of a call: unpatched, through a ksplice trampoline, through livepatch.
CALLS=2000000
echo kst_add > $B/target
echo $CALLS > $B/call; plain=$(cat $B/call)
echo applied > $K/kst_v2/stage
echo $CALLS > $B/call; patched=$(cat $B/call)
echo reversed > $K/kst_v2/stage
echo "RESULT call plain_ns=$plain ksplice_ns=$patched"

# Livepatch: insmod to patched, then its call cost.
# Sets NOW to the monotonic clock in ns with shell builtins only: under
# TCG a fork costs tens of ms and would swamp what we measure.
now() {
	while read -r a b c d; do
		[ "$a $b" = "now at" ] && { NOW=$c; return; }
	done < /proc/timer_list
}
now; t0=$NOW
insmod /root/bench/ksb_klp.ko
while [ "$(cat /sys/kernel/livepatch/ksb_klp/transition 2>/dev/null)" != 0 ]; do
	sleep 0.01
done
now; t1=$NOW
echo $CALLS > $B/call; klp=$(cat $B/call)
echo "RESULT klp apply_ns=$((t1 - t0)) call_ns=$klp"
# The host tools end to end: ksplice-apply of a package to patched.
insmod /root/hello.ko
now; t0=$NOW
ksplice-apply --json /root/ksplice-bench.tar.gz > /tmp/apply.out 2>&1 || cat /tmp/apply.out
now; t1=$NOW
ksplice-undo bench > /tmp/undo.out 2>&1 || cat /tmp/undo.out
now; t2=$NOW
/bin/true
now; t3=$NOW
# Starting the tool alone (it links libcrypto), and the parts of the
# apply it reports: what no apply of a signed package can go below.
ksplice-apply --help > /dev/null
now; t4=$NOW
/root/sigfloor /root/floor/manifest /root/floor/manifest.rawsig /root/floor/modulus.hex
floor_rc=$?
now; t5=$NOW
us() { sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" /tmp/apply.out | head -n 1; }
echo "RESULT tools apply_ns=$((t1 - t0)) undo_ns=$((t2 - t1)) exec_ns=$((t3 - t2)) start_ns=$((t4 - t3)) floor_ns=$((t5 - t4)) floor_rc=$floor_rc verify_us=$(us verify) checks_us=$(us checks) load_us=$(us load) switch_us=$(us switch)"
echo "RESULT kst_add now returns $(echo 5 > /sys/kernel/kst_target/call; cat /sys/kernel/kst_target/call)"
