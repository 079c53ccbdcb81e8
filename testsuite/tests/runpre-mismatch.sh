#!/bin/bash
# Run-pre matching decides: an update built from source that differs from
# the running module in the replaced function is refused with no_match,
# even though the release strings agree, and nothing stays loaded.
. "$(dirname "$0")/../lib.sh"
for t in create apply; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
rel=$(default_kernel)
tmp=$(test_tmpdir)

# The running module: hello with hello_line() changed on purpose.
cp -r "$REPO/testsuite/examples/hello" "$tmp/hello-altered"
sed -i 's/hello_reads++;/hello_reads += 3;/' "$tmp/hello-altered/hello.c"
grep -q 'hello_reads += 3;' "$tmp/hello-altered/hello.c" || fail "could not alter hello.c"
built=$(build_kmod "$tmp/hello-altered" "$rel")

# The update: built from the unaltered source and the demo patch.
log "ksplice-create from the unaltered source"
"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id=mismatch --patch="$REPO/testsuite/examples/hello.patch" \
	-o "$tmp" --kdir="/lib/modules/$rel/build" "$REPO/testsuite/examples/hello" >"$tmp/create.log" 2>&1 ||
	{ cat "$tmp/create.log"; fail "ksplice-create failed"; }

vm_run_ok --kernel "$rel" --add "$built/hello.ko:/root/hello.ko" \
	--add "$tmp/ksplice-mismatch.tar.gz:/root/ksplice-mismatch.tar.gz" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh runpre-mismatch.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
