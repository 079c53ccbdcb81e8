#!/bin/bash
# ksplice-create knows, from kbuild itself, which object every source
# builds into and what links it (vmlinux or which module): its map of
# Debian's tree holds exactly the modules of the release's image
# (modules.order), kvm_main.c goes into kvm.ko (through arch/x86/kvm's
# include of virt/kvm/Makefile.kvm), amdgpu files into amdgpu.ko (paths
# built from variables).  Fixes modelled on those cases build an update
# for the right target or fail saying why (exit 4), never "no functional
# change"; a header fix lists the objects that use what it changes.  No VM; about a minute once the tree is prepared.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/userspace/ksplice-create"
rel=$(default_kernel)
tmp=$(test_tmpdir)
create=("$REPO/userspace/ksplice-create" --debian="$rel")
"${create[@]}" --prepare >"$tmp/prepare.log" 2>&1 ||
	{ cat "$tmp/prepare.log"; skip "cannot prepare Debian's tree of $rel"; }
tree=${KSPLICE_CACHE:-$REPO/cache}/trees/$rel
order=${KSPLICE_CACHE:-$REPO/cache}/kernels/$rel/lib/modules/$rel/modules.order
[[ -f $order ]] || order=/lib/modules/$rel/modules.order
[[ -f $order ]] || skip "no modules.order of $rel (cache/kernels or /lib/modules)"

# The whole map: "object vmlinux" or "object dir/module.ko".
"${create[@]}" --list-objects >"$tmp/map" 2>"$tmp/map.log" ||
	{ cat "$tmp/map.log"; fail "--list-objects failed"; }
awk '$2 != "vmlinux" { print "kernel/" $2 }' "$tmp/map" | sort -u >"$tmp/map-modules"
sort -u "$order" >"$tmp/image-modules"
missing=$(comm -23 "$tmp/image-modules" "$tmp/map-modules")
extra=$(comm -13 "$tmp/image-modules" "$tmp/map-modules")
[[ -z $missing ]] || fail "modules of the image the map lacks: $(head -5 <<<"$missing")"
[[ -z $extra ]] || fail "modules in the map the image lacks: $(head -5 <<<"$extra")"
log "$(wc -l <"$tmp/image-modules") modules of the image, all in the map"
expect_contains "$(cat "$tmp/map")" "virt/kvm/kvm_main.o arch/x86/kvm/kvm.ko"
expect_contains "$(cat "$tmp/map")" "drivers/gpu/drm/amd/amdgpu/amdgpu_device.o drivers/gpu/drm/amd/amdgpu/amdgpu.ko"
expect_not_contains "$(cat "$tmp/map")" "/../"
expect_contains "$(cat "$tmp/map")" "fs/proc/cmdline.o vmlinux"
[[ $(awk '$2 == "vmlinux"' "$tmp/map" | wc -l) -gt 2000 ]] || fail "too few vmlinux objects"

# mkpatch FILE SED: a patch of FILE of the tree, edited by SED.
mkpatch() {
	rm -rf "$tmp/a" "$tmp/b"
	mkdir -p "$tmp/a/${1%/*}" "$tmp/b/${1%/*}"
	cp "$tree/$1" "$tmp/a/$1"
	cp "$tree/$1" "$tmp/b/$1"
	sed -i "$2" "$tmp/b/$1"
	! cmp -s "$tmp/a/$1" "$tmp/b/$1" || fail "$1: the edit changed nothing"
	(cd "$tmp" && diff -u "a/$1" "b/$1") || [[ $? == 1 ]]
}

# kvm: a one-line body change, built into an update of kvm.
mkpatch virt/kvm/kvm_main.c '/^void kvm_vcpu_kick(struct kvm_vcpu \*vcpu)$/,/^}/ s/if (kvm_vcpu_wake_up(vcpu))/if (!vcpu || kvm_vcpu_wake_up(vcpu))/' >"$tmp/kvm.patch"
rc=0
"${create[@]}" "${SIGN[@]}" --id=kvm --patch="$tmp/kvm.patch" -o "$tmp" >"$tmp/kvm.log" 2>&1 || rc=$?
cat "$tmp/kvm.log"
expect_eq "$rc" 0 "exit status for the kvm fix"
expect_contains "$(cat "$tmp/kvm.log")" "virt/kvm/kvm_main.o (kvm)"
expect_contains "$(tar xzOf "$tmp/ksplice-kvm.tar.gz" ksplice-kvm/manifest)" "target kvm"

# amdgpu: the mapping step only (compiling amdgpu objects is slow).
mkpatch drivers/gpu/drm/amd/amdgpu/amdgpu_device.c '/^bool amdgpu_device_supports_px/,/^}/ s/return false;/return !dev;/' >"$tmp/amd.patch"
out=$("${create[@]}" --list-objects --patch="$tmp/amd.patch" 2>"$tmp/amd.log") ||
	{ cat "$tmp/amd.log"; fail "--list-objects failed for the amdgpu fix"; }
expect_eq "$out" "drivers/gpu/drm/amd/amdgpu/amdgpu_device.o amdgpu" "objects of the amdgpu fix"

# route.h: an inline function of a header hundreds of objects include:
# the objects that call it (create-header.sh builds more of these), not
# "no functional change".
mkpatch include/net/route.h '/^static inline bool rt_is_input_route/,/^}/ s/return rt->rt_is_input != 0;/return READ_ONCE(rt->rt_is_input) != 0;/' >"$tmp/route.patch"
rc=0
out=$("${create[@]}" --list-objects --patch="$tmp/route.patch" 2>"$tmp/route.log") || rc=$?
cat "$tmp/route.log"
expect_eq "$rc" 0 "exit status for the route.h fix"
expect_contains "$out" "net/ipv4/route.o vmlinux"
expect_not_contains "$(cat "$tmp/route.log")" "no functional change"

# Documentation: proved unused, so "no functional change", exit 2.
mkpatch Documentation/admin-guide/README.rst '1s/^/x/' >"$tmp/doc.patch"
rc=0
"${create[@]}" "${SIGN[@]}" --patch="$tmp/doc.patch" -o "$tmp" >"$tmp/doc.log" 2>&1 || rc=$?
cat "$tmp/doc.log"
expect_eq "$rc" 2 "exit status for a documentation change"
expect_contains "$(cat "$tmp/doc.log")" "kbuild never reads it"

# A driver of a directory this configuration never enters, and a struct
# change in its own header: nothing of this kernel includes or builds
# them, which is proved (no makefile kbuild reads names the files by a
# path, no built object includes the header), so no change, not exit 4
# and not a layout refusal.
mkpatch drivers/crypto/allwinner/sun4i-ss/sun4i-ss-core.c '0,/^static int sun4i_ss_probe/ s/^static int sun4i_ss_probe/static int __maybe_unused sun4i_ss_probe/' >"$tmp/sunxi.patch"
mkpatch drivers/crypto/allwinner/sun4i-ss/sun4i-ss.h '0,/^struct sun4i_ss_ctx {$/ s/^struct sun4i_ss_ctx {$/&\n\tint ksplice_test;/' >>"$tmp/sunxi.patch"
rc=0
out=$("${create[@]}" --list-objects --patch="$tmp/sunxi.patch" 2>"$tmp/sunxi.log") || rc=$?
cat "$tmp/sunxi.log"
expect_eq "$rc" 0 "exit status for a driver this configuration does not build"
expect_eq "$out" "" "objects of a driver this configuration does not build"
expect_contains "$(cat "$tmp/sunxi.log")" "sun4i-ss-core.c: no object of this configuration uses it"
expect_contains "$(cat "$tmp/sunxi.log")" "sun4i-ss.h: no object of this configuration uses it"
log "ok"
