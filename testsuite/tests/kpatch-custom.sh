#!/bin/bash
# kpatch's integration tests that need the patch author's own code at
# apply time, ported (testsuite/kpatch/README.md maps them): shadow-newpid
# (a shadow variable attached to each task at fork, shown in
# /proc/<pid>/status, freed with the task and on undo) and
# macro-callbacks (hooks in vmlinux and in a loaded module, and in a
# module loaded after the update was applied).  Each is built by
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

"$create" --prepare --debian="$rel" >"$out/prepare.log" 2>&1 || rc=$?
if [[ ${rc:-0} != 0 ]]; then
	cat "$out/prepare.log"
	if [[ $rc == 3 ]] && grep -qiE 'apt|download|network' "$out/prepare.log"; then
		skip "cannot get Debian's source of $rel"
	fi
	fail "preparing the tree failed (exit $rc)"
fi

# build NAME: its update, unless one newer than the patch and the tools is there
build() {
	local name=$1 pkg=$out/pkg/ksplice-kp-$1.tar.gz rc=0
	if [[ -f $pkg && ! $pkg -ot $K/$name.patch && ! $pkg -ot $create &&
	      ! $pkg -ot $KSPLICE_SYMVERS ]]; then
		return 0
	fi
	rm -f "$pkg"
	log "ksplice-create --debian=$rel for $name"
	"$create" --debian="$rel" --id="kp-$name" --description="kpatch port: $name" \
		--patch="$K/$name.patch" -o "$out/pkg" </dev/null >"$out/create-$name.log" 2>&1 || rc=$?
	if [[ $rc != 0 ]]; then
		tail -n 20 "$out/create-$name.log"
		fail "$name: ksplice-create failed (exit $rc)"
	fi
}
for name in shadow-newpid macro-callbacks macro-callbacks-late; do build "$name"; done
# the hooks are carried and listed although nothing calls them
expect_match "$(cat "$out/create-macro-callbacks.log")" "fs/aio.o: ksp_cb_pre_patch: apply hook \(pre\)"
expect_match "$(cat "$out/create-macro-callbacks.log")" "joydev.o: ksp_cb_post_unpatch: undo hook \(post\)"

vm_run_ok --kernel "$rel" --modules joydev,pcspkr --timeout 400 \
	--add "$out/pkg:/root/pkg" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh kpatch-custom.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
