#!/bin/bash
# A module's changed __exit code: the loaded module unloads with the exit
# code it was loaded with, which no update reaches.  On
# testsuite/examples/hello, hello-exit.patch changes the line /proc shows
# and hello_exit:
#  - refused (exit 2), naming hello_exit and pointing at --skip-exit;
#  - with --skip-exit: built, saying what is left out; in the guest the
#    new line is live, the module cannot be removed while the update holds
#    it, and after undo it unloads with its own exit code (the patched
#    one's message never shows);
#  - hello-exit-only.patch with --skip-exit: exit 2, "nothing to apply
#    live", never "no functional change".
. "$(dirname "$0")/../lib.sh"
example_bed

built=$(build_kmod "$ex/hello" "$rel")
create() {
	local id=$1 patch=$2 rc=0
	shift 2
	"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id="$id" --patch="$ex/$patch" "$@" \
		-o "$tmp" --kdir="/lib/modules/$rel/build" "$ex/hello" >"$tmp/$id.log" 2>&1 || rc=$?
	cat "$tmp/$id.log"
	return $rc
}

rc=0; create exit-refused hello-exit.patch || rc=$?
expect_eq "$rc" 2 "exit status without --skip-exit"
expect_contains "$(cat "$tmp/exit-refused.log")" "hello_exit: changed __exit function"
expect_contains "$(cat "$tmp/exit-refused.log")" "--skip-exit"
[[ ! -e $tmp/ksplice-exit-refused.tar.gz ]] || fail "a package was written for a refused change"

rc=0; create exit-skip hello-exit.patch --skip-exit || rc=$?
expect_eq "$rc" 0 "exit status with --skip-exit"
expect_contains "$(cat "$tmp/exit-skip.log")" "hello_exit: changed __exit function left out (--skip-exit)"
expect_contains "$(cat "$tmp/exit-skip.log")" "1 changed __exit item left out"
manifest=$(tar xzf "$tmp/ksplice-exit-skip.tar.gz" -O ksplice-exit-skip/manifest)
expect_contains "$manifest" "function hello_line"
expect_not_contains "$manifest" "hello_exit"

rc=0; create exit-only hello-exit-only.patch --skip-exit || rc=$?
expect_eq "$rc" 2 "exit status when only __exit code changed"
expect_contains "$(cat "$tmp/exit-only.log")" "nothing to apply live"
expect_not_contains "$(cat "$tmp/exit-only.log")" "no functional change"

vm_run_ok --kernel "$rel" --add "$built/hello.ko:/root/hello.ko" \
	--add "$REPO/testsuite/tests/guest:/root/guest" \
	--add "$tmp/ksplice-exit-skip.tar.gz:/root/pkg/ksplice-exit-skip.tar.gz" \
	-- 'cd /root/guest && sh create-exit.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
