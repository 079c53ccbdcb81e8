#!/bin/bash
# Engine test in the VM: see guest/engine-exiting.sh.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_exit.ko"
vm_run_ok --add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh engine-exiting.sh'
expect_contains "$VM_OUTPUT" "guest: "
