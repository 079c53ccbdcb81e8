#!/bin/bash
# BTF ids: testsuite/examples/btfids/ has a set in .BTF_ids whose content
# is filled when the module is linked (by resolve_btfids in the kernel;
# the example's init plays that part), so the object file's bytes (42)
# are not the running ones (99).  btfids.patch changes the function that
# reads the set: the update carries no copy of .BTF_ids but a relocation
# the engine fills with the running section, read from the old code, and
# in the guest the new code reads 99 (101, where a copy would give 44).
. "$(dirname "$0")/../lib.sh"
example_bed

built=$(build_kmod "$ex/btfids" "$rel")
log "ksplice-create btfids"
"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id=btfids --patch="$ex/btfids.patch" \
	-o "$tmp" --kdir="/lib/modules/$rel/build" "$ex/btfids" >"$tmp/btfids.log" 2>&1 ||
	{ cat "$tmp/btfids.log"; fail "ksplice-create btfids failed"; }
expect_contains "$(cat "$tmp/btfids.log")" "btf_read: changed function"
mkdir -p "$tmp/pkg" && tar -xzf "$tmp/ksplice-btfids.tar.gz" -C "$tmp/pkg"
ko=$(echo "$tmp"/pkg/ksplice-btfids/*.ko)
expect_not_contains "$(readelf -SW "$ko")" ".BTF_ids"
expect_contains "$(strings "$ko")" "btfids.o:.BTF_ids"

vm_run_ok --kernel "$rel" --add "$built/btfids.ko:/root/btfids.ko" \
	--add "$REPO/testsuite/tests/guest:/root/guest" \
	--add "$tmp/ksplice-btfids.tar.gz:/root/pkg/ksplice-btfids.tar.gz" \
	-- 'cd /root/guest && sh create-btfids.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
