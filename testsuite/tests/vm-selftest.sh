# vm-selftest: the VM test bed (testsuite/vm/run) itself.
#  - boots the default kernel (its time logged: speed is bench/'s, not a
#    pass or fail here), passes the command's status and output
#    through, sets up the guest as documented (mounts, /root, tools,
#    modules, KSPLICE_MODULE_DIR, --add)
#  - --modules makes `modprobe` of a Debian module with dependencies work
#  - a panic, an oops and a WARNING fail the run; a hang times out (these
#    boot through --pvh)
#  - --kernel boots another release; a project module built for another
#    release is refused
. "$(dirname "$0")/../lib.sh"

rel=$(default_kernel)
log "default kernel $rel"

# --- boot time, status and output -----------------------------------------
start=$(date +%s.%N)
vm_run_ok -- 'uname -r'
secs=$(echo "$(date +%s.%N) - $start" | bc)
expect_eq "$(grep -v '^\[' <<<"$VM_OUTPUT" | tail -n 1)" "$rel" "uname -r"
log "boot + uname -r + poweroff: ${secs}s"

vm_run_status 3 -- 'echo to-stdout; echo to-stderr >&2; exit 3'
expect_contains "$VM_OUTPUT" to-stdout
expect_contains "$VM_OUTPUT" to-stderr

# --- the guest environment, --add, --modules --------------------------------
tmp=$(test_tmpdir)
echo file-content >"$tmp/afile"
mkdir -p "$tmp/adir/sub"
echo dir-content >"$tmp/adir/sub/x"
printf '#!/bin/bash\necho "bash-script ${BASH_VERSION%%%%.*}"\n' >"$tmp/script.sh"
chmod +x "$tmp/script.sh"
vm_run_ok --add "$tmp/afile" --add "$tmp/adir:/opt/d" --add "$tmp/afile:rel/name" \
	--add "$tmp/script.sh:/usr/bin/" --modules xfs -- '
	echo "pwd=$(pwd) moddir=$KSPLICE_MODULE_DIR"
	cat afile /opt/d/sub/x rel/name
	script.sh
	test -f /sys/kernel/tracing/available_filter_functions && echo tracefs-ok
	test -d /sys/kernel/debug/dynamic_debug && echo debugfs-ok
	echo "printk=$(cut -f1 /proc/sys/kernel/printk)"
	modprobe xfs && grep -q "^xfs " /proc/modules && echo modprobe-ok
	ls /usr/sbin/ksplice-* /usr/lib/ksplice/*/*.ko 2>/dev/null
	for t in /usr/sbin/ksplice-*; do [ -x "$t" ] && { "$t" --help >/dev/null 2>&1; echo "tool $t runs: $?"; }; done
	true'
expect_contains "$VM_OUTPUT" "pwd=/root moddir=/usr/lib/ksplice/$rel"
expect_contains "$VM_OUTPUT" "file-content"
expect_contains "$VM_OUTPUT" "dir-content"
expect_match "$VM_OUTPUT" '^bash-script [0-9]+$'
expect_contains "$VM_OUTPUT" tracefs-ok
expect_contains "$VM_OUTPUT" debugfs-ok
expect_contains "$VM_OUTPUT" printk=8
expect_contains "$VM_OUTPUT" modprobe-ok
# project tools, when built, are on PATH and start (shared libraries copied);
# 127 would mean a missing library or loader
expect_not_contains "$VM_OUTPUT" "runs: 127"
for t in "$REPO"/userspace/ksplice-* "$REPO"/objdiff/ksplice-objdiff; do
	[[ -f $t && -x $t ]] && expect_contains "$VM_OUTPUT" "/usr/sbin/$(basename "$t")"
done
if [[ -f $REPO/kmod/ksplice.ko ]] && [[ $(modinfo -F vermagic "$REPO/kmod/ksplice.ko" | cut -d' ' -f1) == "$rel" ]]; then
	expect_contains "$VM_OUTPUT" "/usr/lib/ksplice/$rel/ksplice.ko"
fi

vm_run_status 122 --modules no_such_module -- true
expect_contains "$VM_OUTPUT" "no module no_such_module"

# --- failures the test bed must catch ---------------------------------------
# (booted through --pvh, the same initramfs without the decompressor and
# KASLR: 3-4 s less a boot under TCG, and the option is exercised)
vm_run_status 125 --pvh -- 'echo c > /proc/sysrq-trigger; echo survived'
expect_contains "$VM_OUTPUT" "Kernel panic"
expect_not_contains "$VM_OUTPUT" survived

moddir=$(build_kmod "$REPO/testsuite/vm/selftest" "$rel")
ko=$moddir/vm_selftest.ko
# a WARNING: the command succeeds, the run does not
vm_run_status 123 --pvh --add "$ko" -- 'insmod vm_selftest.ko mode=warn && echo insmod-ok'
expect_contains "$VM_OUTPUT" insmod-ok
expect_contains "$VM_OUTPUT" "WARNING:"
# an oops that does not panic (panic_on_oops off): the command goes on
vm_run_status 123 --pvh --add "$ko" -- 'echo 0 > /proc/sys/kernel/panic_on_oops; insmod vm_selftest.ko mode=null; echo after-oops'
expect_contains "$VM_OUTPUT" after-oops
expect_contains "$VM_OUTPUT" "BUG: kernel NULL pointer dereference"
# an oops with the default oops=panic: no exit marker
vm_run_status 125 --pvh --add "$ko" -- 'insmod vm_selftest.ko mode=null; echo after-oops'
expect_not_contains "$VM_OUTPUT" after-oops
# an expected warning can be allowed
vm_run_ok --pvh --no-oops-check --add "$ko" -- 'insmod vm_selftest.ko mode=warn'

# a hang: the timeout ends it
start=$(date +%s)
vm_run_status 125 --pvh --timeout 15 -- 'sleep 600'
secs=$(($(date +%s) - start))
expect_contains "$VM_OUTPUT" "timed out"
# ended by the timeout, long before the sleep would have (not a speed check)
((secs < 300)) || fail "a 15 s timeout took ${secs}s"

# --- another kernel --------------------------------------------------------------
# (the fixes' older kernel when apt has it: fixes-live boots it too, so
# the cache holds one kernel less)
other=$("$REPO/testsuite/fixes/old-kernel" 2>/dev/null | grep -vx "$rel" || true)
[[ -n $other ]] || other=$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' |
	sed 's/^linux-image-//' | grep -vx "$rel" | sort -V | tail -n 1 || true)
if [[ -z $other ]]; then
	log "no other 6.1.0-N-amd64 kernel in apt: --kernel not tested"
else
	log "other kernel $other"
	vm_run_ok --kernel "$other" --no-project-modules -- 'uname -r'
	expect_contains "$VM_OUTPUT" "$other"
	if [[ -f $REPO/kmod/ksplice.ko ]] && [[ $(modinfo -F vermagic "$REPO/kmod/ksplice.ko" | cut -d' ' -f1) == "$rel" ]]; then
		vm_run_status 122 --kernel "$other" -- 'uname -r'
		expect_contains "$VM_OUTPUT" "was built for kernel"
	fi
fi
log "all checks passed"
