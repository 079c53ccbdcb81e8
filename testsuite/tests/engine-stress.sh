#!/bin/bash
# Engine test in the VM: 200 apply/undo cycles while every CPU calls the
# target, with the default (voluntary) preemption and with preempt=full.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_target.ko"
for mode in voluntary full; do
	log "preempt=$mode"
	vm_run_ok --append "preempt=$mode" --add "$REPO/testsuite/tests/guest:/root/guest" \
		-- 'cd /root/guest && sh engine-stress.sh'
	expect_contains "$VM_OUTPUT" "0 wrong results"
done
