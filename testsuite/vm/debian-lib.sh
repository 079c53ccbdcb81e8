# testsuite/vm/debian-lib.sh: helpers for VM tests in the full Debian
# guest (testsuite/vm/debian), sourced after testsuite/lib.sh.
#
#   deb_start [vm/debian start options]
#       boot a guest on a fresh overlay under $TEST_TMPDIR (state in
#       $DEB_DIR); it is stopped, and its console checked for oopses, at
#       exit.  Skips the test when the image cannot be built here.
#   deb_ssh COMMAND        run COMMAND in the guest; output shown and kept
#                          in $DEB_OUTPUT, status returned and in $DEB_STATUS
#   deb_ssh_ok COMMAND     deb_ssh, fail unless status 0
#   deb_put SRC... DEST    copy host files into the guest
#   deb_reboot             reboot the guest, wait until it is back
#   deb_stop               power off; fail on a kernel oops/BUG/WARNING
#   timed NAME CMD...      run CMD, log how many seconds it took
#   make_deb               `make deb` (built once per source, see the
#                          Makefile; without its unit tests), timed;
#                          fails the test on an error

DEBVM=${DEBVM:-$REPO/testsuite/vm/debian}
DEB_DIR=""
DEB_OUTPUT=""
DEB_STATUS=0

deb_need() {
	need_cmd qemu-system-x86_64 qemu-img ssh scp
	# building the image (once per kernel release) needs these too
	local rel=${1:-$(default_kernel)}
	if [[ ! -f ${KSPLICE_CACHE:-$REPO/cache}/debian/$rel/.complete ]]; then
		need_cmd mmdebstrap mkfs.ext4 ssh-keygen
		[[ $(id -u) -eq 0 ]] || skip "building the Debian image needs root"
	fi
}

_deb_exit() {
	[[ -z $DEB_DIR ]] || "$DEBVM" stop "$DEB_DIR" >/dev/null 2>&1 || true
	_test_cleanup
}

deb_start() {
	deb_need
	DEB_DIR=$TEST_TMPDIR/guest
	trap _deb_exit EXIT
	"$DEBVM" start "$DEB_DIR" "$@" || fail "the Debian guest did not start (status $?)"
}

deb_ssh() {
	local out
	out=$(mktemp "$TEST_TMPDIR/sshout.XXXXXX")
	if "$DEBVM" ssh "$DEB_DIR" -- "$@" 2>&1 | tee "$out"; then
		DEB_STATUS=0
	else
		DEB_STATUS=${PIPESTATUS[0]}
	fi
	DEB_OUTPUT=$(cat "$out")
	rm -f "$out"
	return "$DEB_STATUS"
}
deb_ssh_ok() {
	deb_ssh "$@" || fail "guest command failed with status $DEB_STATUS: $*"
}
deb_put() { "$DEBVM" put "$DEB_DIR" "$@" || fail "copying $* into the guest failed"; }
deb_reboot() { "$DEBVM" reboot "$DEB_DIR" || fail "the guest did not come back from a reboot"; }
deb_stop() {
	local dir=$DEB_DIR
	DEB_DIR=""
	"$DEBVM" stop "$dir" || fail "the guest's kernel reported a problem (see above)"
}

timed() {
	local name=$1 start=$SECONDS rc=0
	shift
	# (the status is passed on: `timed X cmd || ...` must see a failure)
	"$@" || rc=$?
	log "$name: $((SECONDS - start)) s"
	return "$rc"
}

# (nocheck: the unit tests the package build would run are make check's
# own, run before the VM tests)
_make_deb_logged() {
	DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" \
		make -s -C "$REPO" deb >"$TEST_TMPDIR/deb.log" 2>&1
}
make_deb() {
	timed "make deb" _make_deb_logged ||
		{ tail -n 40 "$TEST_TMPDIR/deb.log"; fail "make deb failed"; }
}
