#!/bin/bash
# kpatch's integration tests (dynup/kpatch test/integration/linux-6.2.0),
# ported to Debian's 6.1 source: testsuite/kpatch/ (its README maps each
# to its original).  Each normal patch is built with ksplice-create
# --debian for the VM's default kernel; then in one VM boot, for each:
# its check sees the old behaviour, ksplice-apply, the patched behaviour,
# ksplice-undo, the old behaviour again.  The -FAIL patches must be
# refused by ksplice-create, each for its own reason.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
K=$REPO/testsuite/kpatch
create=$REPO/userspace/ksplice-create
out=$REPO/build/kpatch/$rel
mkdir -p "$out/pkg"
# update modules carry the symbol versions of this ksplice.ko
export KSPLICE_SYMVERS=$REPO/kmod/Module.symvers

"$create" --prepare --debian="$rel" >"$out/prepare.log" 2>&1 || rc=$?
if [[ ${rc:-0} != 0 ]]; then
	cat "$out/prepare.log"
	if [[ $rc == 3 ]] && grep -qiE 'apt|download|network' "$out/prepare.log"; then
		skip "cannot get Debian's source of $rel"
	fi
	fail "preparing the tree failed (exit $rc)"
fi

failures=() built=()
# build NAME: its update, unless one newer than the patch and the tools
# is there (in the background: bg_build)
build() {
	local name=$1 pkg=$out/pkg/ksplice-kp-$1.tar.gz
	if [[ -f $pkg && ! $pkg -ot $K/$name.patch && ! $pkg -ot $create &&
	      ! $pkg -ot $KSPLICE_SYMVERS ]]; then
		return 0
	fi
	rm -f "$pkg"
	log "ksplice-create --debian=$rel for $name"
	bg_build "$out/create-$name.log" "$create" "${SIGN[@]}" --debian="$rel" --id="kp-$name" \
		--description="kpatch port: $name" --patch="$K/$name.patch" -o "$out/pkg"
	built+=("$name")
}

while read -r name mods; do
	[[ $name == \#* || -z $name ]] && continue
	build "$name"
done <"$K/suite.list"
bg_wait
for name in ${built[@]+"${built[@]}"}; do
	bg_ok "$out/create-$name.log" || failures+=("$name: ksplice-create failed (exit $BG_STATUS)")
done

# refused NAME CODE REGEX: ksplice-create must refuse the patch with exit
# CODE and a line matching REGEX, and write no package
refused() {
	local name=$1 code=$2 re=$3 rc=0 log=$out/create-$1.log
	# the verdict of the same patch and tools is kept
	if [[ -f $log.rc && ! $log.rc -ot $K/$name.patch && ! $log.rc -ot $create ]]; then
		rc=$(cat "$log.rc")
	else
		rm -f "$out/pkg/ksplice-kp-$name.tar.gz" "$log.rc"
		log "ksplice-create --debian=$rel for $name (must be refused)"
		"$create" "${SIGN[@]}" --debian="$rel" --id="kp-$name" --patch="$K/$name.patch" -o "$out/pkg" \
			</dev/null >"$log" 2>&1 || rc=$?
		echo "$rc" >"$log.rc"
	fi
	tail -n 8 "$log"
	if [[ $rc != "$code" ]]; then
		failures+=("$name: exit $rc, expected $code")
	elif ! grep -qE -- "$re" "$log"; then
		failures+=("$name: no line matches /$re/")
	elif [[ -e $out/pkg/ksplice-kp-$name.tar.gz ]]; then
		failures+=("$name: a package was written")
	else
		log "$name: refused as it should be"
	fi
}
# A blank line moves every WARN below it and changes nothing else.
refused warn-detect-FAIL 2 '^ksplice-create: no functional change'
# core.c's exports get other symbol versions than the running kernel's:
# the #include defines a struct their types reached only by name before.
refused symvers-disagreement-FAIL 2 \
	'symbol version of get_device disagrees: .* \(struct poll_table_struct is only declared before the patch, defined after it\); called from drivers/usb/core/usb.o'

kmod=$(build_kmod "$K/kpport_route6" "$rel")
mods=$(awk '!/^#/ && NF && $2 != "-" {print $2}' "$K/suite.list" | tr '\n' ',' | sed 's/,$//')
vm_run --kernel "$rel" --modules "$mods" --timeout 600 \
	--add "$out/pkg:/root/pkg" --add "$K:/root/kpatch" \
	--add "$kmod/kpport_route6.ko:/root/kpatch/kpport_route6.ko" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh kpatch-suite.sh' ||
	failures+=("the VM run: status $VM_STATUS")
{ grep -E '^FAIL - ' <<<"$VM_OUTPUT" || true; } | while read -r l; do log "guest: $l"; done
if ((${#failures[@]})); then
	for f in "${failures[@]}"; do log "FAIL: $f"; done
	fail "${#failures[@]} failure(s)"
fi
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
