#!/bin/bash
# Updates for modules that are not loaded yet: see guest/engine-pending.sh.
# The update is built by ksplice-create from the hello example and its
# patch; the guest gets the hello module as built from that source, and
# one whose hello_line() differs (run-pre matching must refuse its load),
# plus the hand-written kst_late updates: one whose target's init can
# fail after the apply, one whose check hook refuses at the load.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo view; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_late.ko" \
	"$REPO/testsuite/modules/kst_late_v2.ko" "$REPO/testsuite/modules/kst_late_bad.ko"
rel=$(default_kernel)
tmp=$(test_tmpdir)

built=$(build_kmod "$REPO/testsuite/examples/hello" "$rel")
cp -r "$REPO/testsuite/examples/hello" "$tmp/hello-altered"
sed -i 's/hello_reads++;/hello_reads += 3;/' "$tmp/hello-altered/hello.c"
grep -q 'hello_reads += 3;' "$tmp/hello-altered/hello.c" || fail "could not alter hello.c"
altered=$(build_kmod "$tmp/hello-altered" "$rel")

log "ksplice-create from the hello example"
"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id=pend --patch="$REPO/testsuite/examples/hello.patch" \
	-o "$tmp" --kdir="/lib/modules/$rel/build" "$REPO/testsuite/examples/hello" >"$tmp/create.log" 2>&1 ||
	{ cat "$tmp/create.log"; fail "ksplice-create failed"; }

vm_run_ok --kernel "$rel" --add "$built/hello.ko:/root/hello.ko" \
	--add "$altered/hello.ko:/root/altered/hello.ko" \
	--add "$tmp/ksplice-pend.tar.gz:/root/ksplice-pend.tar.gz" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh engine-pending.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
