#!/bin/bash
# Same-named identical copies: testsuite/examples/twins/ is a module of
# two files, each with its own copy of a header's static twin_step, same
# name and same code, as ext4 has two zero_user_segments.constprop.0.
# twins.patch changes one file's copy and its caller: run-pre matching
# finds both copies equal, and the engine takes the one the caller's
# running code calls.  In the guest the changed file prints 272 and the
# other file's calls keep the old copy (71); undo gives 171 71 again.
# twins-alone.patch changes the copy alone: nothing tells the copies
# apart, the apply is refused naming the function, and nothing changes.
. "$(dirname "$0")/../lib.sh"
example_bed

built=$(build_kmod "$ex/twins" "$rel")
# the module does hold two copies of the same name
expect_eq "$(nm "$built/twins.ko" | grep -c ' t twin_step$')" 2 "copies of twin_step in twins.ko"

for id in twins twins-alone; do
	log "ksplice-create $id"
	"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id="$id" --patch="$ex/$id.patch" \
		-o "$tmp" --kdir="/lib/modules/$rel/build" "$ex/twins" >"$tmp/$id.log" 2>&1 ||
		{ cat "$tmp/$id.log"; fail "ksplice-create $id failed"; }
	expect_contains "$(cat "$tmp/$id.log")" "twin_step: changed function"
done
expect_contains "$(cat "$tmp/twins.log")" "twin_a: changed function"
expect_not_contains "$(cat "$tmp/twins-alone.log")" "twin_a: changed function"

vm_run_ok --kernel "$rel" --add "$built/twins.ko:/root/twins.ko" \
	--add "$REPO/testsuite/tests/guest:/root/guest" \
	--add "$tmp/ksplice-twins.tar.gz:/root/pkg/ksplice-twins.tar.gz" \
	--add "$tmp/ksplice-twins-alone.tar.gz:/root/pkg/ksplice-twins-alone.tar.gz" \
	-- 'cd /root/guest && sh create-twins.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
