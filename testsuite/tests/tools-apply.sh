#!/bin/bash
# The host tools' checks and refusals in the VM: see guest/tools-apply.sh.
# Builds the packages it needs (a good one, the busy case, and broken or
# foreign variants of the good one), boots once, then checks that every
# --json output the guest printed parses.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo view; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko" "$REPO/testsuite/modules/kst_v2.ko"
need_cmd gzip tar sha256sum
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
export LC_ALL=C

out=$REPO/build/create-cases/$rel
"$REPO/testsuite/create-cases/build-packages" --kernel "$rel" "$out" body busy cumulative ||
	fail "building the packages failed"
tmp=$(test_tmpdir)
good=$out/ksplice-kc-body.tar.gz

# offset FILE PERL-REGEX: byte offset of the first match, or nothing
# (no `| head`: under pipefail, grep's SIGPIPE would end the test).
offset() {
	local o=""
	read -r o < <(grep -obUaP "$2" "$1" || true) || true
	echo "${o%%:*}"
}

# A byte changed in the compressed stream: gzip's CRC catches it.
cp "$good" "$tmp/bad-gz.tar.gz"
size=$(stat -c %s "$good")
orig=$(od -An -tx1 -j $((size / 2)) -N1 "$good" | tr -d ' ')
printf "\\x$(printf %02x $((0x$orig ^ 0x55)))" |
	dd of="$tmp/bad-gz.tar.gz" bs=1 seek=$((size / 2)) conv=notrunc status=none

# A byte changed inside the update module, gzip intact: the SHA-256 of
# the member catches it.
gzip -dc "$good" >"$tmp/pkg.tar"
elf=$(offset "$tmp/pkg.tar" '\x7fELF')
[[ -n $elf ]] || fail "no ELF module in $good"
orig=$(od -An -tx1 -j $((elf + 4096)) -N1 "$tmp/pkg.tar" | tr -d ' ')
printf "\\x$(printf %02x $(((0x$orig + 1) & 255)))" |
	dd of="$tmp/pkg.tar" bs=1 seek=$((elf + 4096)) conv=notrunc status=none
gzip -n <"$tmp/pkg.tar" >"$tmp/bad-ko.tar.gz"

# repack NAME SED-SCRIPT: the good package with its manifest edited
# (the manifest is not a checksummed member, so it stays valid).
repack() {
	local d=$tmp/repack-$1
	mkdir -p "$d"
	tar -C "$d" -xzf "$good"
	sed -i "$2" "$d/ksplice-kc-body/manifest"
	tar -C "$d" --format=ustar --owner=0 --group=0 --numeric-owner \
		-czf "$tmp/$1.tar.gz" ksplice-kc-body
}
repack release 's/^kernel-release .*/kernel-release 0.0.0-other/'
repack buildid-bad '/^kernel-release /a kernel-build-id 00112233'

# The real build id, when the kernel image gives it away.
kimg=${KSPLICE_CACHE:-$REPO/cache}/kernels/$rel
vmlinux=$kimg/vmlinux
if [[ ! -s $vmlinux && -f $kimg/boot/vmlinuz-$rel ]] && command -v xz >/dev/null; then
	off=$(offset "$kimg/boot/vmlinuz-$rel" '\xfd7zXZ\x00')
	vmlinux=$tmp/vmlinux
	[[ -z $off ]] || tail -c +$((off + 1)) "$kimg/boot/vmlinuz-$rel" | xz -dc >"$vmlinux" 2>/dev/null || true
fi
bid=$(readelf -n "$vmlinux" 2>/dev/null | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p;T;q' || true)
if [[ -n $bid ]]; then
	repack buildid-good "/^kernel-release /a kernel-build-id $bid"
else
	log "no build id of $rel found: the matching build id case is left out"
fi

adds=(--add "$REPO/testsuite/tests/guest:/root/guest")
for f in kcase.ko ksplice-kc-body.tar.gz ksplice-kc-busy.tar.gz ksplice-kc-cumulative.tar.gz; do
	adds+=(--add "$out/$f:/root/pkg/$f")
done
for f in "$tmp"/*.tar.gz; do adds+=(--add "$f:/root/pkg/$(basename "$f")"); done
vm_run_ok --kernel "$rel" "${adds[@]}" -- 'cd /root/guest && sh tools-apply.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"

# Every --json block parses, kernel log lines (printk to the console) aside.
if command -v python3 >/dev/null; then
	parse() { python3 -c 'import json, sys; json.load(sys.stdin)'; }
elif command -v jq >/dev/null; then
	parse() { jq -e . >/dev/null; }
else
	log "neither python3 nor jq: --json output not parsed"
	exit 0
fi
names=$(sed -n 's/^=== json //p' <<<"$VM_OUTPUT")
[[ -n $names ]] || fail "no --json output found"
for n in $names; do
	sed -n "/^=== json $n\$/,/^=== end\$/p" <<<"$VM_OUTPUT" | sed '1d;$d' |
		grep -vE '^\[ *[0-9]+\.[0-9]+\] ' | parse || fail "--json output '$n' does not parse"
	log "--json output '$n' parses"
done
