#!/bin/bash
# Engine test in the VM: see guest/engine-nmi.sh.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_nmi.ko"
vm_run_ok --add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh engine-nmi.sh'
expect_contains "$VM_OUTPUT" "0 failed"
