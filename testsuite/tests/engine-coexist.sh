#!/bin/bash
# Engine test in the VM: see guest/engine-coexist.sh.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_target.ko" \
	"$REPO/testsuite/modules/kst_klp.ko" "$REPO/testsuite/modules/kst_kprobe.ko" \
	"$REPO/testsuite/modules/kst_direct.ko"
vm_run_ok --add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh engine-coexist.sh'
expect_contains "$VM_OUTPUT" "guest: "
expect_contains "$VM_OUTPUT" "reverse order: livepatch enabled over kst_v2"
