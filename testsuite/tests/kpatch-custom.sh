#!/bin/bash
# kpatch's integration tests that need the patch author's own code at
# apply time, ported (testsuite/kpatch/README.md maps them): shadow-newpid
# (a shadow variable attached to each task at fork, shown in
# /proc/<pid>/status, freed with the task and on undo) and
# macro-callbacks (hooks in vmlinux and in a loaded module, and in a
# module loaded after the update was applied); and ours, data-default-hook
# (a changed default of existing data, set by an apply hook, which
# data-default-FAIL, the plain change, is refused pointing to).  Each is
# built by
# ksplice-create --debian for the VM's default kernel; in one VM boot,
# guest/kpatch-custom.sh applies, checks and undoes them.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
K=$REPO/testsuite/kpatch
create=$REPO/userspace/ksplice-create
out=$REPO/build/kpatch/$rel
mkdir -p "$out/pkg"
export KSPLICE_SYMVERS=$REPO/kmod/Module.symvers

"$create" --prepare --debian="$rel" >"$out/prepare-custom.log" 2>&1 || rc=$?
if [[ ${rc:-0} != 0 ]]; then
	cat "$out/prepare-custom.log"
	if [[ $rc == 3 ]] && grep -qiE 'apt|download|network' "$out/prepare-custom.log"; then
		skip "cannot get Debian's source of $rel"
	fi
	fail "preparing the tree failed (exit $rc)"
fi

# build NAME: its update, unless one newer than the patch and the tools
# is there (in the background: bg_build)
built=()
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
for name in shadow-newpid macro-callbacks macro-callbacks-late data-default-hook; do
	build "$name"
done
bg_wait
for name in ${built[@]+"${built[@]}"}; do
	bg_ok "$out/create-$name.log" || fail "$name: ksplice-create failed (exit $BG_STATUS)"
done
# hooks alone are a change: the update lists them
expect_match "$(cat "$out/create-data-default-hook.log")" "printk_burst_apply: apply hook \(apply\)"
# the plain change of the initializer is refused, and the hint says how
rc=0 flog=$out/create-data-default-FAIL.log
# the verdict of the same patch and tools is kept
if [[ -f $flog.rc && ! $flog.rc -ot $K/data-default-FAIL.patch && ! $flog.rc -ot $create ]]; then
	rc=$(cat "$flog.rc")
else
	rm -f "$out/pkg/ksplice-kp-data-default-FAIL.tar.gz" "$flog.rc"
	"$create" --debian="$rel" --id=kp-data-default-FAIL --patch="$K/data-default-FAIL.patch" \
		-o "$out/pkg" </dev/null >"$flog" 2>&1 || rc=$?
	echo "$rc" >"$flog.rc"
fi
tail -n 4 "$out/create-data-default-FAIL.log"
[[ $rc == 2 ]] || fail "data-default-FAIL: exit $rc, expected 2"
[[ ! -e $out/pkg/ksplice-kp-data-default-FAIL.tar.gz ]] || fail "data-default-FAIL: a package was written"
expect_match "$(cat "$out/create-data-default-FAIL.log")" \
	"printk_ratelimit_state: changed initial value of existing data"
expect_match "$(cat "$out/create-data-default-FAIL.log")" "hint: .*apply hook.*ksplice_apply\(fix\)"

# the hooks are carried and listed although nothing calls them
expect_match "$(cat "$out/create-macro-callbacks.log")" "fs/aio.o: ksp_cb_pre_patch: apply hook \(pre\)"
expect_match "$(cat "$out/create-macro-callbacks.log")" "joydev.o: ksp_cb_post_unpatch: undo hook \(post\)"

vm_run_ok --kernel "$rel" --modules joydev,pcspkr --timeout 400 \
	--add "$out/pkg:/root/pkg" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh kpatch-custom.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
