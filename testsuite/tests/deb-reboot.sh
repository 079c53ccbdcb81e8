#!/bin/bash
# run-all: alone (a full Debian guest under TCG keeps both cores busy)
# Updates that survive a reboot, in the full Debian guest with the
# ksplice package installed: `ksplice-apply --install` keeps the
# create-cases body update; after a reboot ksplice.service (ksplice-load)
# has applied it again before the network with no command run, in the
# journal and in ksplice-view; a package for another kernel placed in
# the store is refused at boot and named; /etc/ksplice/disable and
# ksplice=off on the kernel command line skip the reapply, and say so;
# ksplice-undo uninstalls, and ksplice-load then applies nothing; apt
# purge takes the store.
# The engine is the test bed's ksplice.ko at the `make install` path
# (/usr/lib/ksplice/<release>/): deb-install covers the DKMS build, four
# minutes under emulation that this test would only repeat.
. "$(dirname "$0")/../lib.sh"
. "$REPO/testsuite/vm/debian-lib.sh"
need_cmd dpkg-buildpackage dh_dkms lintian openssl
need_file "$REPO/userspace/ksplice-create" "$REPO/kmod/ksplice.ko"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"

make_deb
deb=$(ls "$REPO"/build/deb/ksplice_*_amd64.deb)
out=$REPO/build/create-cases/$rel
timed "update package" "$REPO/testsuite/create-cases/build-packages" --kernel "$rel" "$out" body ||
	fail "building the update failed"

# A package for another kernel, signed with the trusted key: the same
# update with its id and release changed and the manifest signed again.
other=6.1.0-54-amd64
mkdir -p "$TEST_TMPDIR/other"
tar -C "$TEST_TMPDIR/other" -xzf "$out/ksplice-kc-body.tar.gz"
(
	cd "$TEST_TMPDIR/other"
	mv ksplice-kc-body ksplice-kc-other
	sed -i -e 's/^id kc-body$/id kc-other/' \
		-e "s/^kernel-release .*/kernel-release $other/" \
		-e 's#ksplice-kc-body/#ksplice-kc-other/#' ksplice-kc-other/manifest
	key=$(dirname "$("$REPO/testsuite/vm/signing-key" --cert)")/testsuite.key
	openssl cms -sign -binary -noattr -outform DER -md sha256 \
		-in ksplice-kc-other/manifest -signer "$("$REPO/testsuite/vm/signing-key" --cert)" \
		-inkey "$key" -out ksplice-kc-other/manifest.sig
	tar -czf ../ksplice-kc-other.tar.gz ksplice-kc-other
) || fail "cannot make the package for another kernel"

# ksplice-view --json's installed updates, one line each, for the checks
cat >"$TEST_TMPDIR/view.py" <<'PY'
import json, sys
d = json.load(sys.stdin)["installed"]
print("json skipped:", d["boot_skipped"])
for u in d["updates"]:
    print("json update:", u["id"], u["boot"])
PY

timed "boot" deb_start --kernel "$rel"
deb_ssh_ok "mkdir -p /root/pkg /etc/ksplice/trusted.d /usr/lib/ksplice/$rel /lib/modules/$rel/extra"
deb_put "$deb" "$out/ksplice-kc-body.tar.gz" "$TEST_TMPDIR/ksplice-kc-other.tar.gz" \
	"$TEST_TMPDIR/view.py" /root/pkg/
deb_put "$("$REPO/testsuite/vm/signing-key" --cert)" /etc/ksplice/trusted.d/
deb_put "$REPO/kmod/ksplice.ko" "/usr/lib/ksplice/$rel/"
# kcase loads at boot (modules-load.d), before ksplice.service.
deb_put "$out/kcase.ko" "/lib/modules/$rel/extra/"
deb_ssh_ok 'depmod && echo kcase >/etc/modules-load.d/kcase.conf && modprobe kcase && cat /proc/kcase/body'
expect_match "$DEB_OUTPUT" '^42$'

timed "apt install ksplice" deb_ssh_ok \
	'cd /root/pkg && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ./ksplice_*.deb 2>&1'
# (The image has no man-db: systemd-analyze verify is told not to run man.)
deb_ssh_ok 'systemctl is-enabled ksplice; systemd-analyze verify --man=no ksplice.service 2>&1; echo verify-done'
expect_match "$DEB_OUTPUT" '^enabled$'
expect_match "$DEB_OUTPUT" '^verify-done$'
[[ $(grep -c . <<<"$DEB_OUTPUT") -eq 2 ]] || fail "systemd-analyze verify complained about ksplice.service"

# --dry-run --install stores nothing; another kernel's package is refused.
deb_ssh_ok 'ksplice-apply --dry-run --install /root/pkg/ksplice-kc-body.tar.gz; test ! -e /var/lib/ksplice/$(uname -r)/order && echo nothing-stored'
expect_contains "$DEB_OUTPUT" "not stored (dry run)"
expect_contains "$DEB_OUTPUT" "nothing-stored"
deb_ssh 'ksplice-apply --install /root/pkg/ksplice-kc-other.tar.gz' || true
expect_eq "$DEB_STATUS" 1 "exit of --install of another kernel's package"
expect_contains "$DEB_OUTPUT" "is for kernel $other"
deb_ssh_ok 'test ! -e /var/lib/ksplice/$(uname -r)/order && echo nothing-stored'
expect_contains "$DEB_OUTPUT" "nothing-stored"

timed "ksplice-apply --install" deb_ssh_ok 'ksplice-apply --install /root/pkg/ksplice-kc-body.tar.gz && cat /proc/kcase/body'
expect_match "$DEB_OUTPUT" '^63$'
expect_contains "$DEB_OUTPUT" "installed: ksplice-load applies it again at each boot of $rel"
# again: idempotent, it keeps its place
deb_ssh_ok 'ksplice-apply --install /root/pkg/ksplice-kc-body.tar.gz; cat /var/lib/ksplice/$(uname -r)/order; stat -c "%U %a" /var/lib/ksplice/$(uname -r)/kc-body.tar.gz'
expect_contains "$DEB_OUTPUT" "update kc-body is already applied and installed; its stored copy is replaced"
expect_eq "$(grep -c '^update kc-body$' <<<"$DEB_OUTPUT")" 1 "order lines after a second install"
expect_match "$DEB_OUTPUT" '^root 600$'
# Placed by hand after it: the other kernel's package (refused at boot),
# and in another release's directory a copy of the good one (not read).
deb_ssh_ok "d=/var/lib/ksplice/\$(uname -r); cp /root/pkg/ksplice-kc-other.tar.gz \$d/kc-other.tar.gz && echo 'update kc-other' >>\$d/order
	mkdir -p /var/lib/ksplice/$other && cp \$d/kc-body.tar.gz /var/lib/ksplice/$other/ && echo 'update kc-body' >/var/lib/ksplice/$other/order; sync"

# Reboot: the fix is live again, nobody ran a command.
timed "reboot" deb_reboot
deb_ssh_ok 'cat /proc/kcase/body; ksplice-view; systemctl is-failed ksplice; journalctl -b -u ksplice --no-pager -o cat'
expect_match "$DEB_OUTPUT" '^63$'
expect_contains "$DEB_OUTPUT" "kc-body: installed, reapplied at boot"
expect_contains "$DEB_OUTPUT" "kc-other: installed, failed at boot: /var/lib/ksplice/$rel/kc-other.tar.gz is for kernel $other, this one is $rel"
expect_match "$DEB_OUTPUT" '^failed$'
expect_contains "$DEB_OUTPUT" "ksplice-load: kc-body: reapplied"
expect_contains "$DEB_OUTPUT" "ksplice-load: kc-other: failed at boot"
deb_ssh_ok 'ksplice-view --json | python3 /root/pkg/view.py'
expect_match "$DEB_OUTPUT" '^json update: kc-body reapplied$'
expect_match "$DEB_OUTPUT" '^json update: kc-other failed$'
expect_match "$DEB_OUTPUT" '^json skipped: None$'
# Early: done before network-pre.target, and no ordering cycle.
deb_ssh_ok 'systemctl show -P ExecMainExitTimestampMonotonic ksplice; systemctl show -P ActiveEnterTimestampMonotonic network-pre.target; journalctl -b --no-pager | grep -ci "ordering cycle" || true'
mapfile -t t <<<"$DEB_OUTPUT"
(( t[0] > 0 && t[1] > 0 && t[0] <= t[1] )) || fail "ksplice.service did not finish before network-pre.target (${t[0]} vs ${t[1]})"
expect_eq "${t[2]}" 0 "ordering cycles in the journal"
log "ksplice.service done at ${t[0]} us, network-pre.target at ${t[1]} us"

# The failed one is only uninstalled (not loaded); a restart is clean.
deb_ssh_ok 'ksplice-undo kc-other && systemctl restart ksplice && systemctl is-active ksplice && cat /proc/kcase/body'
expect_contains "$DEB_OUTPUT" "update kc-other was not loaded"
expect_contains "$DEB_OUTPUT" "uninstalled: not applied again at the next boot"
expect_match "$DEB_OUTPUT" '^active$'
expect_match "$DEB_OUTPUT" '^63$'
deb_ssh_ok 'ksplice-view'
expect_match "$DEB_OUTPUT" "^  kc-body: installed, already applied when ksplice-load ran$"
expect_not_contains "$DEB_OUTPUT" "kc-other"

# /etc/ksplice/disable skips the reapply too.  ksplice-load reads it as
# the service starts, and a restart runs what a boot runs (the reboot
# above showed the service starting at boot): undone now but kept
# installed, the update stays out while the file is there.  Removed, a
# restart applies it.
deb_ssh_ok 'ksplice-undo --keep-installed kc-body && cat /proc/kcase/body && touch /etc/ksplice/disable &&
	systemctl restart ksplice && cat /proc/kcase/body; ksplice-view --json | python3 /root/pkg/view.py
	journalctl -u ksplice --no-pager -o cat | tail -n 3'
expect_eq "$(grep -cx 42 <<<"$DEB_OUTPUT")" 2 "kcase's body after the undo and after the restart"
expect_match "$DEB_OUTPUT" '^json skipped: /etc/ksplice/disable exists$'
expect_match "$DEB_OUTPUT" '^json update: kc-body None$'
expect_contains "$DEB_OUTPUT" "ksplice-load: reapply skipped: /etc/ksplice/disable exists"
deb_ssh_ok 'rm /etc/ksplice/disable && systemctl restart ksplice && cat /proc/kcase/body'
expect_match "$DEB_OUTPUT" '^63$'

# Undo (an incident): it is uninstalled, ksplice-load leaves it out.
deb_ssh_ok 'ksplice-undo kc-body && cat /proc/kcase/body; cat /var/lib/ksplice/$(uname -r)/order; ls /var/lib/ksplice/$(uname -r)/'
expect_match "$DEB_OUTPUT" '^42$'
expect_contains "$DEB_OUTPUT" "uninstalled: not applied again at the next boot"
expect_not_contains "$DEB_OUTPUT" "kc-body.tar.gz"
! grep -qx 'update kc-body' <<<"$DEB_OUTPUT" || fail "kc-body is still in the order record"
deb_ssh_ok 'systemctl restart ksplice; cat /proc/kcase/body; grep -c "^ksplice_kc_body " /proc/modules || true; systemctl is-active ksplice; journalctl -u ksplice --no-pager -o cat | tail -n 3'
expect_match "$DEB_OUTPUT" '^42$'
expect_match "$DEB_OUTPUT" '^0$'
expect_match "$DEB_OUTPUT" '^active$'
expect_contains "$DEB_OUTPUT" "ksplice-load: no updates installed for $rel"

# A power cycle to a command line with ksplice=off, the update installed
# again: nothing applied.
deb_ssh_ok 'ksplice-apply --install /root/pkg/ksplice-kc-body.tar.gz && cat /proc/kcase/body'
expect_match "$DEB_OUTPUT" '^63$'
guest_restart() {
	local dir=$DEB_DIR
	deb_stop
	DEB_DIR=$dir
	"$DEBVM" start "$DEB_DIR" --kernel "$rel" "$@" || fail "the guest did not start again"
}
timed "power cycle, ksplice=off" guest_restart --append ksplice=off
deb_ssh_ok 'cat /proc/cmdline; cat /proc/kcase/body; ksplice-view; journalctl -b -u ksplice --no-pager -o cat'
expect_contains "$DEB_OUTPUT" "ksplice=off"
expect_match "$DEB_OUTPUT" '^42$'
expect_contains "$DEB_OUTPUT" "kc-body: installed"
expect_contains "$DEB_OUTPUT" "reapply skipped at boot: ksplice=off is on the kernel command line"
expect_contains "$DEB_OUTPUT" "ksplice-load: reapply skipped: ksplice=off is on the kernel command line"

# Purge takes the store (here the other release's copy) with the package.
deb_ssh_ok 'test -d /var/lib/ksplice && echo store-there
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -q ksplice >/dev/null 2>&1
	test ! -e /var/lib/ksplice && test ! -e /lib/systemd/system/ksplice.service && echo store-gone'
expect_match "$DEB_OUTPUT" '^store-there$'
expect_match "$DEB_OUTPUT" '^store-gone$'
timed "power off" deb_stop
