#!/bin/bash
# run-all: alone (a full Debian guest under TCG keeps both cores busy)
# A fleet of full Debian guests driven by the Ansible collection
# ksplice.live (ansible/): the real ksplice package is installed once in
# one guest, whose disk then backs two clones, the canary and one other
# host, that boot side by side; ansible-playbook reaches them over ssh.
# The rollout playbook applies a good update everywhere (a second run
# changes nothing); a stacked update whose health check fails on the
# canary is taken out there and touches the other host not at all; the
# rollback playbook takes every update out of every host.  (Two guests,
# not three: a third under TCG on two cores made the test 578 s against
# 400 s and checked nothing new here; batches of several hosts are
# fleet-collection's, against fake hosts.)  Each claim is checked in the guests
# themselves (/proc/kcase/body, ksplice-view --json), not only in
# Ansible's words.  The rollout and rollback times are logged.
. "$(dirname "$0")/../lib.sh"
. "$REPO/testsuite/vm/debian-lib.sh"
need_cmd ansible-playbook dpkg-buildpackage dh_dkms lintian qemu-img
need_file "$REPO/userspace/ksplice-create" "$REPO/kmod/ksplice.ko"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
deb_need "$rel"

COLL=$REPO/ansible/ansible_collections/ksplice/live
export ANSIBLE_COLLECTIONS_PATH=$REPO/ansible ANSIBLE_NOCOLOR=1 \
	ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_PIPELINING=True \
	ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_TIMEOUT=60

# (The collection's offline checks are fleet-collection's, run beside
# other tests: this one runs alone.)

# The packages and the updates, as deb-install builds them: body makes
# /proc/kcase/body say 63 instead of 42, body-again (stacked on it) 84.
make_deb
deb=$(ls "$REPO"/build/deb/ksplice_*_amd64.deb)
out=$REPO/build/create-cases/$rel
timed "update packages" "$REPO/testsuite/create-cases/build-packages" --kernel "$rel" \
	"$out" body body-again || fail "building the updates failed"

guests=()
stop_all() {
	local d
	for d in ${guests[@]+"${guests[@]}"}; do
		"$DEBVM" stop "$d" >/dev/null 2>&1 || true
	done
	_test_cleanup
}
trap stop_all EXIT
on() { # GUEST COMMAND: in that guest, output kept in $DEB_OUTPUT
	DEB_DIR=$TEST_TMPDIR/$1
	shift
	deb_ssh "$@"
}

# One guest gets the package the way an admin installs it, and kcase
# loaded at every boot (modules-load.d); it is then powered off and its
# disk is the base of the fleet's.  The engine is the test bed's
# ksplice.ko at the `make install` path, as in deb-reboot: deb-install
# covers the DKMS build, three minutes under emulation that this test
# would only repeat.
base=$TEST_TMPDIR/base
guests=("$base")
timed "boot the installing guest" "$DEBVM" start "$base" --kernel "$rel" ||
	fail "the installing guest did not start"
DEB_DIR=$base
deb_ssh_ok "mkdir -p /root/debs /etc/ksplice/trusted.d /usr/lib/ksplice/$rel"
deb_put "$deb" /root/debs/
deb_put "$REPO/kmod/ksplice.ko" "/usr/lib/ksplice/$rel/"
deb_put "$out/kcase.ko" /root/
deb_put "$("$REPO/testsuite/vm/signing-key" --cert)" /etc/ksplice/trusted.d/
timed "apt install ksplice" deb_ssh_ok \
	'cd /root/debs && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ./ksplice_*.deb >/root/apt.log 2>&1 || { tail -n 30 /root/apt.log; exit 1; }
	install -D -m 0644 /root/kcase.ko /lib/modules/$(uname -r)/extra/kcase.ko && depmod &&
	echo kcase >/etc/modules-load.d/kcase.conf && dpkg-query -W -f="\${Status}\n" ksplice'
expect_match "$DEB_OUTPUT" "^install ok installed$"
timed "power off the installing guest" "$DEBVM" stop "$base" ||
	fail "the installing guest's kernel reported a problem"
guests=()

# The fleet: clones of the installed disk, booted side by side.
start_guest() {
	mkdir -p "$TEST_TMPDIR/$1"
	echo "$rel" >"$TEST_TMPDIR/$1/kernel"
	qemu-img create -q -f qcow2 -b "$base/disk.qcow2" -F qcow2 "$TEST_TMPDIR/$1/disk.qcow2" &&
		"$DEBVM" start "$TEST_TMPDIR/$1" --kernel "$rel" --smp 1 --mem 768 \
			>"$TEST_TMPDIR/$1.start.log" 2>&1
}
boot_fleet() {
	local g pids=() rc=0
	for g in "${FLEET[@]}"; do
		start_guest "$g" & pids+=($!)
	done
	for g in "${!FLEET[@]}"; do
		wait "${pids[$g]}" || { rc=1; cat "$TEST_TMPDIR/${FLEET[$g]}.start.log"; }
	done
	return "$rc"
}
FLEET=(g1 g2) REST=(g2)
guests=("${FLEET[@]/#/$TEST_TMPDIR/}")
timed "boot the fleet's guests" boot_fleet || fail "a guest of the fleet did not start"

key=${KSPLICE_CACHE:-$REPO/cache}/debian/$rel/id_ed25519
inv=$TEST_TMPDIR/inventory
{
	echo "[canary]"
	echo "g1 ansible_port=$(cat "$TEST_TMPDIR/g1/ssh.port")"
	echo "[rest]"
	for g in "${REST[@]}"; do echo "$g ansible_port=$(cat "$TEST_TMPDIR/$g/ssh.port")"; done
	echo "[all:vars]"
	echo "ansible_host=127.0.0.1"
	echo "ansible_user=root"
	echo "ansible_ssh_private_key_file=$key"
	echo "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'"
	echo "ansible_python_interpreter=/usr/bin/python3"
} >"$inv"

body_is() { # VALUE GUEST...: each guest's /proc/kcase/body
	local v=$1 g
	shift
	for g in "$@"; do
		on "$g" 'cat /proc/kcase/body' >/dev/null || fail "$g: cannot read /proc/kcase/body"
		expect_eq "$DEB_OUTPUT" "$v" "$g's /proc/kcase/body"
	done
}
view_ids() { # GUEST: the ids ksplice-view --json lists there, "stage:id" a line
	on "$1" 'ksplice-view --json | python3 -c "import json,sys
for u in json.load(sys.stdin)[\"updates\"]: print(u[\"stage\"] + \":\" + u[\"id\"])"' >/dev/null ||
		fail "$1: ksplice-view --json failed"
	echo "$DEB_OUTPUT"
}
book() { # NAME PLAYBOOK ARGS...: run it, output in $TEST_TMPDIR/NAME.log
	local name=$1 rc=0
	shift
	LC_ALL=C.UTF-8 ansible-playbook -i "$inv" -f 5 "$@" >"$TEST_TMPDIR/$name.log" 2>&1 || rc=$?
	cat "$TEST_TMPDIR/$name.log"
	BOOK=$(cat "$TEST_TMPDIR/$name.log")
	return "$rc"
}
recap_changed() { # total changed= of the last playbook's recap
	grep -Eo 'changed=[0-9]+' <<<"$BOOK" | awk -F= '{ n += $2 } END { print n + 0 }'
}

body_is 42 "${FLEET[@]}"

# 1. A good update: dry run everywhere, the canary, then the others one
# at a time; the health command checks the value the update sets.
timed "rollout, the fleet" book rollout-good ksplice.live.rollout \
	-e ksplice_package="$out/ksplice-kc-body.tar.gz" -e ksplice_serial=1 \
	-e '{"ksplice_health_command": "test \"$(cat /proc/kcase/body)\" = 63"}' ||
	fail "the rollout of a good update failed"
expect_contains "$BOOK" "rollout complete"
for g in "${FLEET[@]}"; do expect_match "$BOOK" "\"$g\": \"applied kc-body \\(new code\\)\""; done
body_is 63 "${FLEET[@]}"
for g in "${FLEET[@]}"; do expect_eq "$(view_ids "$g")" "applied:kc-body" "$g's updates"; done

# Again: nothing to do, nothing changed.
timed "rollout again" book rollout-again ksplice.live.rollout \
	-e ksplice_package="$out/ksplice-kc-body.tar.gz" -e ksplice_serial=1 ||
	fail "the second rollout failed"
expect_eq "$(recap_changed)" 0 "changed tasks of the second rollout"
expect_contains "$BOOK" "kc-body was already applied: unchanged"
body_is 63 "${FLEET[@]}"

# 2. An update whose health check fails on the canary (the check wants
# the old value): the canary takes it out again, nobody else is touched.
rc=0
timed "rollout with a failing health check" book rollout-bad ksplice.live.rollout \
	-e ksplice_package="$out/ksplice-kc-body-again.tar.gz" -e ksplice_serial=1 \
	-e '{"ksplice_health_command": "test \"$(cat /proc/kcase/body)\" != 84"}' || rc=$?
[[ $rc != 0 ]] || fail "the rollout with a failing health check succeeded"
expect_contains "$BOOK" "rollout stopped: the canary failed on g1"
expect_match "$BOOK" '"g1": "FAILED, update taken out again \(old code\): Health check \(ksplice_health_command\)'
for g in "${REST[@]}"; do expect_match "$BOOK" "\"$g\": \"not touched: the rollout stopped first"; done
body_is 63 "${FLEET[@]}"
for g in "${FLEET[@]}"; do expect_eq "$(view_ids "$g")" "applied:kc-body" "$g's updates"; done
# In the kernel logs: the canary applied kc-body-again and reversed it;
# the others only dry-ran it (step 1) and never applied it.
count() { # GUEST TEXT: lines of the guest's kernel log with TEXT
	on "$1" "dmesg | grep -c -- '$2' || true" >/dev/null
	echo "$DEB_OUTPUT"
}
[[ $(count g1 'applied kc-body-again:') -ge 1 ]] || fail "g1's kernel log shows no apply of kc-body-again"
[[ $(count g1 'reversed kc-body-again:') -ge 1 ]] || fail "g1's kernel log shows no undo of kc-body-again"
for g in "${REST[@]}"; do
	[[ $(count "$g" 'dry run of kc-body-again') -ge 1 ]] || fail "$g's kernel log shows no dry run of kc-body-again"
	expect_eq "$(count "$g" 'applied kc-body-again:')" 0 "$g's applies of kc-body-again"
done

# 3. The incident: every update out of every host, at once.
timed "rollback, the fleet" book rollback ksplice.live.rollback -e ksplice_id=all ||
	fail "the rollback failed"
expect_match "$BOOK" '"old_code": \['
expect_not_contains "$BOOK" "rollback incomplete"
body_is 42 "${FLEET[@]}"
for g in "${FLEET[@]}"; do expect_eq "$(view_ids "$g")" "" "$g's updates after the rollback"; done

# 4. state=installed on one host: with a ksplice-apply that has
# --install (boot-time reapply), the update is applied and stored, and
# absent takes it out of both; without it, the module says so and
# changes nothing.
adhoc() { # NAME HOST MODULE ARGS: ansible ad hoc, output in $BOOK
	local name=$1 rc=0
	LC_ALL=C.UTF-8 ansible "$2" -i "$inv" -m "$3" -a "$4" >"$TEST_TMPDIR/$name.log" 2>&1 || rc=$?
	cat "$TEST_TMPDIR/$name.log"
	BOOK=$(cat "$TEST_TMPDIR/$name.log")
	return "$rc"
}
pkg_on_g1=/var/cache/ksplice-rollout/ksplice-kc-body.tar.gz
on g1 'ksplice-apply --help 2>&1 | grep -c -- --install || true' >/dev/null
if [[ $DEB_OUTPUT -gt 0 ]]; then
	adhoc install g1 ksplice.live.ksplice_update "path=$pkg_on_g1 state=installed" ||
		fail "state=installed failed"
	body_is 63 g1
	adhoc facts g1 ksplice.live.ksplice_facts "" || fail "ksplice_facts failed"
	expect_match "$BOOK" '"installed": \[$'
	expect_contains "$BOOK" '"kc-body"'
	adhoc uninstall g1 ksplice.live.ksplice_update "id=kc-body state=absent" ||
		fail "state=absent failed"
	body_is 42 g1
	adhoc facts g1 ksplice.live.ksplice_facts "" || fail "ksplice_facts failed"
	expect_match "$BOOK" '"installed": \[\],'
else
	log "this ksplice-apply has no --install: state=installed must refuse"
	rc=0
	adhoc install g1 ksplice.live.ksplice_update "path=$pkg_on_g1 state=installed" || rc=$?
	[[ $rc != 0 ]] || fail "state=installed succeeded without --install"
	expect_contains "$BOOK" "this ksplice-apply has no --install"
	body_is 42 g1
	expect_eq "$(view_ids g1)" "" "g1's updates after a refused install"
fi

for g in "${FLEET[@]}"; do
	"$DEBVM" stop "$TEST_TMPDIR/$g" || fail "$g's kernel reported a problem"
done
guests=()
log "fleet of ${#FLEET[@]}: rollout, a refused canary and a rollback, checked in the guests"
