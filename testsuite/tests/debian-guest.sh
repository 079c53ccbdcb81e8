#!/bin/bash
# run-all: alone (a full Debian guest under TCG keeps both cores busy)
# The full Debian guest of the test bed (testsuite/vm/debian): it boots
# under systemd, has dpkg, apt, sshd, python3 and what DKMS needs for the
# running kernel, runs commands over ssh and passes their exit status.
# That it keeps its disk across a reboot and a power cycle (stop, start on
# the same overlay) deb-reboot shows, with the ksplice store on that disk.
. "$(dirname "$0")/../lib.sh"
. "$REPO/testsuite/vm/debian-lib.sh"
rel=$(default_kernel)

timed "image (cached after the first build)" "$DEBVM" image --kernel "$rel" >/dev/null ||
	fail "the Debian image cannot be built"
timed "boot" deb_start --kernel "$rel"

deb_ssh_ok 'uname -r; cat /proc/1/comm; . /etc/os-release; echo "os $ID $VERSION_ID"'
expect_match "$DEB_OUTPUT" "^$rel\$"
expect_match "$DEB_OUTPUT" '^systemd$'
expect_match "$DEB_OUTPUT" '^os debian 12$'
deb_ssh_ok 'systemctl is-active ssh.service'
# Everything DKMS needs to build a module for the running kernel.
deb_ssh_ok 'for c in dpkg apt-get python3 dkms gcc make modprobe; do command -v $c || exit 1; done
	test -f /lib/modules/$(uname -r)/build/Makefile && echo headers ok'
expect_contains "$DEB_OUTPUT" "headers ok"
deb_ssh_ok 'python3 -c "import sys; print(\"py\", sys.version_info[0])"'
expect_contains "$DEB_OUTPUT" "py 3"
deb_ssh 'exit 7' || true
expect_eq "$DEB_STATUS" 7 "a guest command's exit status"

# What the guest writes goes to its overlay, never to the cached image.
dir=$DEB_DIR
timed "power off" deb_stop
log "the base image is untouched by the guest's writes: $(qemu-img info --backing-chain "$dir/disk.qcow2" | grep -c '^image:') images in the chain"
