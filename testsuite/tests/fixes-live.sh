#!/bin/bash
# Real stable fixes (testsuite/fixes/) applied live to the older Debian
# kernel they were made for: each built with ksplice-create --debian from
# Debian's own source, then in one VM boot, for each: the check sees the
# old behaviour, ksplice-apply, the check sees the fix, ksplice-undo, the
# old behaviour again.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo; do need_file "$REPO/userspace/ksplice-$t"; done
need_cmd gcc apt-get
rel=$("$REPO/testsuite/fixes/old-kernel") || skip "apt has no 6.1.190 kernel any more"
kdir=/lib/modules/$rel/build
if [[ ! -d $kdir ]]; then
	"$REPO/scripts/install-deps" --kernel "$rel" || skip "cannot install linux-headers-$rel"
fi
out=$REPO/build/fixes/$rel
mkdir -p "$out/pkg" "$out/bin"

# The engine, built for that kernel (kmod/ is built for the default one);
# update modules must carry this build's symbol versions, not kmod/'s.
engine=$("$REPO/scripts/build-kmod" "$rel" "$out") || fail "building ksplice.ko for $rel failed"
export KSPLICE_SYMVERS=$engine/Module.symvers

for c in "$REPO"/testsuite/fixes/progs/*.c; do
	gcc -static -O2 -o "$out/bin/$(basename "$c" .c)" "$c" || fail "building $c failed"
done

names=() built=()
while read -r name target mods; do
	[[ $name == \#* || -z $name ]] && continue
	names+=("$name")
	pkg=$out/pkg/ksplice-fix-$name.tar.gz
	if [[ ! -f $pkg || $pkg -ot $REPO/testsuite/fixes/$name.patch || $pkg -ot $REPO/userspace/ksplice-create ||
	      $pkg -ot $KSPLICE_SYMVERS ]]; then
		log "ksplice-create --debian=$rel for $name"
		bg_build "$out/create-$name.log" "$REPO/userspace/ksplice-create" "${SIGN[@]}" \
			--debian="$rel" --id="fix-$name" --description="$name" \
			--patch="$REPO/testsuite/fixes/$name.patch" -o "$out/pkg"
		built+=("$name")
	fi
done < "$REPO/testsuite/fixes/fixes.list"
bg_wait
for name in ${built[@]+"${built[@]}"}; do
	bg_ok "$out/create-$name.log" || fail "ksplice-create for $name failed (exit $BG_STATUS)"
done
for name in ${names[@]+"${names[@]}"}; do
	expect_contains "$(tar tzf "$out/pkg/ksplice-fix-$name.tar.gz")" manifest
done
[[ ${#names[@]} -gt 0 ]] || fail "no fixes listed"

modules=$(awk '!/^#/ && $3 != "-" {print $3}' "$REPO/testsuite/fixes/fixes.list" | tr '\n' ',' | sed 's/,$//')
vm_run_ok --kernel "$rel" --no-project-modules --mem 1024 --timeout 900 --modules "$modules" \
	--add "$engine/ksplice.ko:/usr/lib/ksplice/$rel/ksplice.ko" \
	--add "$REPO/testsuite/fixes:/root/fixes" --add "$out/bin:/root/fixes/bin" \
	--add "$out/pkg:/root/pkg" --add "$REPO/testsuite/tests/guest:/root/guest" \
	-- 'cd /root/guest && sh fixes-live.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
