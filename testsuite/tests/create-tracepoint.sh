#!/bin/bash
# An update whose changed function fires a tracepoint of vmlinux whose key
# is not exported (timer:itimer_expire in it_real_fn): ksplice-create
# builds it (the key goes to ksplice.ko, resolved when the update module
# comes, kmod/jumpkeys.c), and in the VM the new code's tracepoint site
# follows the key: enabled before the apply it fires from the new code at
# once, disabling and enabling it through tracefs stops and restarts the
# new code's events, undo brings back the old code's events, and flipping
# the key after the update module is gone is harmless.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
need_cmd gcc
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
cache=${KSPLICE_CACHE:-$REPO/cache}
[[ -d $cache/trees/$rel ]] || skip "no prepared tree of $rel (run create-tree first)"
tmp=$(test_tmpdir)

cat >"$tmp/itimer.patch" <<'PATCH'
--- a/kernel/time/itimer.c
+++ b/kernel/time/itimer.c
@@ -159,7 +159,7 @@
 		container_of(timer, struct signal_struct, real_timer);
 	struct pid *leader_pid = sig->pids[PIDTYPE_TGID];
 
-	trace_itimer_expire(ITIMER_REAL, leader_pid, 0);
+	trace_itimer_expire(ITIMER_REAL, leader_pid, 4242);
 	kill_pid_info(SIGALRM, SEND_SIG_PRIV, leader_pid);
 
 	return HRTIMER_NORESTART;
PATCH
"$REPO/userspace/ksplice-create" "${SIGN[@]}" --debian="$rel" --id=tp-itimer --patch="$tmp/itimer.patch" \
	-o "$tmp" >"$tmp/create.log" 2>&1 || { cat "$tmp/create.log"; fail "ksplice-create failed"; }
cat "$tmp/create.log"
expect_contains "$(cat "$tmp/create.log")" "static key __tracepoint_itimer_expire+8 is not exported"
tar -xzOf "$tmp/ksplice-tp-itimer.tar.gz" --wildcards '*.ko' >"$tmp/tp.ko"
# the key is not left for the module loader: it would refuse the module
if nm "$tmp/tp.ko" | grep -q ' U __tracepoint_itimer_expire$'; then
	fail "the update module still needs __tracepoint_itimer_expire from the loader"
fi
expect_contains "$(nm "$tmp/tp.ko")" " ksplice_jump_keys"

mkdir -p "$tmp/bin"
gcc -static -O2 -o "$tmp/bin/alarm-ticks" "$REPO/testsuite/progs/alarm-ticks.c" || fail "building alarm-ticks"
vm_run_ok --kernel "$rel" --add "$tmp/ksplice-tp-itimer.tar.gz:/root/pkg/" \
	--add "$tmp/bin/alarm-ticks:/root/bin/alarm-ticks" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh create-tracepoint.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
