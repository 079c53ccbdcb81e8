#!/bin/bash
# Engine test in the VM: see guest/engine-ftrace.sh.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_target.ko"
vm_run_ok --add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh engine-ftrace.sh'
expect_contains "$VM_OUTPUT" "guest: "
