#!/bin/bash
# Engine test in the VM: see guest/engine-conventions.sh.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_target.ko" \
	"$REPO/testsuite/modules/kst_bad.ko"
vm_run_ok --add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh engine-conventions.sh'
expect_contains "$VM_OUTPUT" "guest: "
expect_not_contains "$VM_OUTPUT" "FAIL - "
