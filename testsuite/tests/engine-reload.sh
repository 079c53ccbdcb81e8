#!/bin/bash
# Engine test in the VM: see guest/engine-reload.sh.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_target.ko"
vm_run_ok --add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh engine-reload.sh'
expect_contains "$VM_OUTPUT" "guest: "
