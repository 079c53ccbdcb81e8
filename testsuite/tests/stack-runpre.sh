#!/bin/bash
# Stacking against the running code: a second update to a function that
# an applied update replaced must be built from source that contains the
# first update's change, since run-pre matching compares it with the first
# update's replacement, not with the original.  See guest/stack-runpre.sh
# and testsuite/examples/stack/.  Packages, all through ksplice-create:
#   stk-a          stack-a.patch on the example's source
#   stk-b-pristine stack-b.patch on the same source, without stack-a
#   stk-b-on-a     stack-b.patch on the source with stack-a.patch applied
#   stk-c          stack-c.patch on the example's source: another function
. "$(dirname "$0")/../lib.sh"
for t in create apply undo view; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
need_cmd patch
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
ex=$REPO/testsuite/examples
tmp=$(test_tmpdir)

built=$(build_kmod "$ex/stack" "$rel")

cp -r "$ex/stack" "$tmp/stack-a-src"
patch -p1 --batch --forward --silent -d "$tmp/stack-a-src" -i "$ex/stack-a.patch" ||
	fail "stack-a.patch does not apply"

# create ID SOURCE PATCH
create() {
	log "ksplice-create $1"
	"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id="$1" --patch="$3" -o "$tmp" \
		--kdir="/lib/modules/$rel/build" "$2" >"$tmp/$1.log" 2>&1 ||
		{ cat "$tmp/$1.log"; fail "ksplice-create $1 failed"; }
}
create stk-a "$ex/stack" "$ex/stack-a.patch"
create stk-b-pristine "$ex/stack" "$ex/stack-b.patch"
create stk-b-on-a "$tmp/stack-a-src" "$ex/stack-b.patch"
create stk-c "$ex/stack" "$ex/stack-c.patch"

adds=(--add "$built/stack.ko:/root/stack.ko" --add "$REPO/testsuite/tests/guest:/root/guest")
for p in stk-a stk-b-pristine stk-b-on-a stk-c; do
	adds+=(--add "$tmp/ksplice-$p.tar.gz:/root/pkg/ksplice-$p.tar.gz")
done
vm_run_ok --kernel "$rel" "${adds[@]}" -- 'cd /root/guest && sh stack-runpre.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
