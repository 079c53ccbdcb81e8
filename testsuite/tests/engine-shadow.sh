#!/bin/bash
# Shadow variables and an update of hooks alone: see guest/engine-shadow.sh.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_shadow.ko"
vm_run_ok --add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh engine-shadow.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
