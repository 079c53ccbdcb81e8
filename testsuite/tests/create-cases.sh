#!/bin/bash
# ksplice-create's cases end to end in the VM, applied and undone with the
# host tools: see guest/create-cases.sh and testsuite/create-cases/.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo view; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"

out=$REPO/build/create-cases/$rel
cases="body body-again newfn global static string inline copy cumulative"
log "building kcase.ko and the packages of: $cases"
# shellcheck disable=SC2086
"$REPO/testsuite/create-cases/build-packages" --kernel "$rel" "$out" $cases ||
	fail "building the packages failed"

adds=(--add "$REPO/testsuite/tests/guest:/root/guest")
for f in kcase.ko badwrite $(for c in $cases; do echo "ksplice-kc-$c.tar.gz"; done); do
	adds+=(--add "$out/$f:/root/pkg/$f")
done
vm_run_ok --kernel "$rel" "${adds[@]}" -- 'cd /root/guest && sh create-cases.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
