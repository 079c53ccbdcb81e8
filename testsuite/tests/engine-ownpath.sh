#!/bin/bash
# Engine test in the VM: see guest/engine-ownpath.sh.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_ownpath.ko"
need_cmd gcc
tmp=$(test_tmpdir)
gcc -nostdlib -static -O2 -fno-stack-protector -fno-pic -no-pie \
	-o "$tmp/regs-sleep" "$REPO/testsuite/progs/regs-sleep.c" ||
	fail "cannot build testsuite/progs/regs-sleep.c"
vm_run_ok --add "$REPO/testsuite/tests/guest:/root/guest" --add "$tmp/regs-sleep" \
	-- 'cd /root/guest && sh engine-ownpath.sh'
expect_contains "$VM_OUTPUT" "guest: "
