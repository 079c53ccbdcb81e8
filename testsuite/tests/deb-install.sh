#!/bin/bash
# run-all: alone (a full Debian guest under TCG keeps both cores busy)
# The Debian packages in the full Debian guest: `make deb` builds
# ksplice and ksplice-dkms (lintian clean); `apt install` of both builds
# ksplice.ko for the running kernel through DKMS (signed with DKMS's MOK
# key, as Debian does); the installed tools then apply, list and undo an
# update built by the test machinery (create-cases' body case) with no
# path given to them; DKMS's kernel hook installs the engine again for a
# kernel that lacks it; `apt purge` leaves no file of either package.
. "$(dirname "$0")/../lib.sh"
. "$REPO/testsuite/vm/debian-lib.sh"
need_cmd dpkg-buildpackage dh_dkms lintian
need_file "$REPO/userspace/ksplice-create" "$REPO/kmod/Module.symvers"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"

# The packages, as a user builds them (lintian runs there and fails
# the build on a warning or error).
make_deb
debs=("$REPO"/build/deb/ksplice_*_amd64.deb "$REPO"/build/deb/ksplice-dkms_*_all.deb)
for d in "${debs[@]}"; do [[ -f $d ]] || fail "make deb left no $d"; done
version=$(dpkg-deb -f "${debs[0]}" Version)

# The update and its target module, built by ksplice-create on the host.
out=$REPO/build/create-cases/$rel
timed "update package" "$REPO/testsuite/create-cases/build-packages" --kernel "$rel" "$out" body ||
	fail "building the update failed"

timed "boot" deb_start --kernel "$rel"
deb_ssh_ok 'mkdir -p /root/debs /root/pkg'
deb_put "${debs[@]}" /root/debs/
deb_put "$out/kcase.ko" "$out/ksplice-kc-body.tar.gz" /root/pkg/
# The update is signed with the test bed's key: the admin trusts it.
deb_ssh_ok 'mkdir -p /etc/ksplice/trusted.d'
deb_put "$("$REPO/testsuite/vm/signing-key" --cert)" /etc/ksplice/trusted.d/

# Install: DKMS builds and installs the engine for the running kernel.
timed "apt install (DKMS build under emulation)" deb_ssh_ok \
	'cd /root/debs && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./ksplice_*.deb ./ksplice-dkms_*.deb 2>&1'
deb_ssh_ok 'dkms status ksplice; ls /lib/modules/$(uname -r)/updates/dkms/; modinfo -F vermagic ksplice; modinfo -F signer ksplice'
expect_match "$DEB_OUTPUT" "^ksplice/$version, $rel, x86_64: installed"
expect_match "$DEB_OUTPUT" '^ksplice\.ko$'
expect_match "$DEB_OUTPUT" "^$rel "
# Debian's DKMS signs what it builds with its MOK key (made at the first
# build): on a Secure Boot host, enrolling that key lets the module load.
expect_match "$DEB_OUTPUT" '^DKMS module signing key$'
deb_ssh_ok 'test -f /var/lib/dkms/mok.pub && echo mok ok'
expect_contains "$DEB_OUTPUT" "mok ok"

# The installed tools: no KSPLICE_MODULE_DIR, ksplice-apply finds the
# DKMS build.  kcase's body file says 42 before the update, 63 with it.
deb_ssh_ok 'command -v ksplice-apply ksplice-undo ksplice-view ksplice-create; ls /usr/share/man/man8/ksplice-apply.8.gz; test -f /usr/include/ksplice/update.h && echo header ok'
expect_contains "$DEB_OUTPUT" "/usr/sbin/ksplice-apply"
expect_contains "$DEB_OUTPUT" "/usr/share/man/man8/ksplice-apply.8.gz"
expect_contains "$DEB_OUTPUT" "header ok"
deb_ssh_ok 'insmod /root/pkg/kcase.ko && cat /proc/kcase/body'
expect_match "$DEB_OUTPUT" '^42$'
timed "ksplice-apply" deb_ssh_ok 'env -u KSPLICE_MODULE_DIR ksplice-apply /root/pkg/ksplice-kc-body.tar.gz && cat /proc/kcase/body && ksplice-view'
expect_match "$DEB_OUTPUT" '^63$'
expect_contains "$DEB_OUTPUT" "kc-body"
# The engine loaded is the DKMS build: the same build id note.
deb_ssh_ok 'objcopy -O binary --only-section=.note.gnu.build-id /lib/modules/$(uname -r)/updates/dkms/ksplice.ko /tmp/note &&
	test -s /tmp/note && cmp /tmp/note /sys/module/ksplice/notes/.note.gnu.build-id && echo same engine'
expect_contains "$DEB_OUTPUT" "same engine"
deb_ssh_ok 'ksplice-undo kc-body && cat /proc/kcase/body && rmmod kcase && ! grep -E "^(ksplice_kc_body|kcase) " /proc/modules && echo unloaded
	rmmod ksplice 2>/dev/null; true'
expect_match "$DEB_OUTPUT" '^42$'
expect_contains "$DEB_OUTPUT" "unloaded"

# A kernel installed later gets the engine from DKMS's kernel hook
# (/etc/kernel/postinst.d/dkms, what linux-image's postinst runs): take
# the engine out of this kernel's modules, run the hook as the kernel's
# postinst does, see it back.  (dkms uninstall keeps the build: the hook
# installs it without a second two-minute compile under emulation; the
# apt install above showed that DKMS builds it for this kernel.)
deb_ssh_ok 'dkms uninstall ksplice/'"$version"' -k $(uname -r) >/dev/null
	test ! -e /lib/modules/$(uname -r)/updates/dkms/ksplice.ko && modprobe -n ksplice 2>&1 | grep -q "not found" &&
	dkms status ksplice && echo gone'
expect_match "$DEB_OUTPUT" "^ksplice/$version, $rel, x86_64: built$"
expect_contains "$DEB_OUTPUT" "gone"
timed "kernel hook (DKMS autoinstall)" deb_ssh_ok '/etc/kernel/postinst.d/dkms $(uname -r) 2>&1; dkms status ksplice; modinfo -F signer ksplice'
expect_contains "$DEB_OUTPUT" "autoinstall for kernel: $rel"
expect_match "$DEB_OUTPUT" "^ksplice/$version, $rel, x86_64: installed"
expect_match "$DEB_OUTPUT" '^DKMS module signing key$'

# Purge: nothing of either package stays.  The same search before the
# purge finds the packages' files, so it does look in the right places.
find_ours='find /usr /etc /var/lib/dkms /lib/modules/*/updates -iname "*ksplice*" 2>/dev/null
	ls -A /lib/modules/*/updates/dkms/ 2>/dev/null
	echo purge-check-done'
deb_ssh_ok "$find_ours"
expect_contains "$DEB_OUTPUT" "/usr/sbin/ksplice-apply"
expect_contains "$DEB_OUTPUT" "/var/lib/dkms/ksplice"
expect_match "$DEB_OUTPUT" "/lib/modules/$rel/updates/dkms/ksplice.ko$"
# the admin's own trust file goes first: it is not the packages' to remove
deb_ssh_ok 'rm -rf /etc/ksplice'
timed "apt purge" deb_ssh_ok 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -q ksplice ksplice-dkms 2>&1'
deb_ssh_ok 'dpkg -l "ksplice*" 2>/dev/null | grep -E "^[a-z][a-z] " | grep -v "^un" || true
	'"$find_ours"
expect_contains "$DEB_OUTPUT" "purge-check-done"
left=$(sed '/purge-check-done/,$d' <<<"$DEB_OUTPUT" | grep -v '^$' || true)
[[ -z $left ]] || fail "apt purge left behind: $left"
log "apt purge left no file of ksplice or ksplice-dkms"
timed "power off" deb_stop
