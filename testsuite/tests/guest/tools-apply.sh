# The host tools' checks and refusals: usage, bad packages, another
# kernel, a missing target (a dry run refuses, an apply waits), a dry run
# and an apply against a busy function, undo refused and retried, an
# update loaded by hand, then the
# environment refusals (not root, lockdown, module loading disabled),
# which are one-way and come last.  Exit codes as in the man pages;
# after every refusal nothing of ours stays loaded.
# Needs /root/pkg from testsuite/tests/tools-apply.sh.
. ./lib.sh
P=/root/pkg
KC=/proc/kcase
BODY=$P/ksplice-kc-body.tar.gz
BUSY=$P/ksplice-kc-busy.tar.gz

# run CMD...: its output (stdout and stderr) in $out, status in $rc.
run() {
	echo "\$ $*"
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	echo "(exit $rc)"
}

# json NAME CMD...: stdout of CMD between markers, for the host to parse.
json() {
	name=$1
	shift
	out=$("$@" 2>/dev/null)
	rc=$?
	echo "=== json $name"
	echo "$out"
	echo "=== end"
}

ours_loaded() { grep -E '^(ksplice|ksplice_kc_[a-z_]+) ' /proc/modules; }
nothing_loaded() { check "$1: nothing of ours loaded" sh -c '! grep -qE "^(ksplice|ksplice_kc_[a-z_]+) " /proc/modules'; }

echo "--- usage: exit 0 for --help, 2 for bad usage"
for t in apply undo view; do
	run ksplice-$t --help
	eq "ksplice-$t --help" $rc 0
	contains "ksplice-$t --help shows usage" "$out" "usage: ksplice-$t"
	contains "ksplice-$t --help lists the exit codes" "$out" "exit: 0 done"
done
run ksplice-apply
eq "ksplice-apply without a package" $rc 2
run ksplice-apply --tries=0 $BODY
eq "ksplice-apply --tries=0" $rc 2
run ksplice-apply --bogus $BODY
eq "ksplice-apply --bogus" $rc 2
run ksplice-undo
eq "ksplice-undo without an id" $rc 2
run ksplice-undo --all kc-body
eq "ksplice-undo --all with an id" $rc 2
run ksplice-undo no-such-update
eq "ksplice-undo of an unknown id" $rc 2
run ksplice-view ../../etc
eq "ksplice-view of a bad id" $rc 2
run ksplice-view
eq "ksplice-view without ksplice.ko" "$out" "no updates: ksplice.ko is not loaded"
run ksplice-undo --all
eq "ksplice-undo --all with nothing" "$rc $out" "0 no updates to undo"

echo "--- bad packages: exit 2, nothing loaded"
run ksplice-apply $P/bad-gz.tar.gz
eq "a byte changed in the gzip stream" $rc 2
nothing_loaded "bad gzip"
run ksplice-apply $P/bad-ko.tar.gz
eq "a byte changed in the update module" $rc 2
contains "names the checksum mismatch" "$out" "checksum mismatch for ksplice-kc-body/ksplice_kc_body.ko"
nothing_loaded "bad checksum"
run ksplice-apply --dry-run $P/bad-ko.tar.gz
eq "--dry-run checks the package too" $rc 2
run ksplice-apply /root/no-such.tar.gz
eq "a missing file" $rc 2
json bad-package ksplice-apply --json $P/bad-ko.tar.gz
contains "--json says why" "$out" '"error": "/root/pkg/bad-ko.tar.gz: checksum mismatch'

echo "--- an edited manifest breaks its signature: exit 2"
run ksplice-apply $P/release.tar.gz
eq "edited manifest, signature kept" $rc 2
contains "says the signature does not match" "$out" "manifest.sig does not match the manifest"
nothing_loaded "edited manifest"

echo "--- another kernel: exit 1, nothing loaded (past the signature with --allow-unsigned)"
run ksplice-apply --allow-unsigned $P/release.tar.gz
eq "another kernel release" $rc 1
contains "warns that it goes on unsigned" "$out" "applying it anyway (--allow-unsigned)"
contains "names both releases" "$out" "is for kernel 0.0.0-other, this one is $(uname -r)"
run ksplice-apply --allow-unsigned $P/buildid-bad.tar.gz
eq "another build id" $rc 1
contains "says another build" "$out" "another build of kernel $(uname -r): build id 00112233"
nothing_loaded "wrong kernel"
if [ -f $P/buildid-good.tar.gz ]; then
	run ksplice-apply --allow-unsigned --dry-run $P/buildid-good.tar.gz
	contains "the right build id passes (to the next check)" "$out" "target module kcase is not loaded"
fi

echo "--- the target is not loaded: a dry run refuses (exit 1), an apply waits"
run ksplice-apply --dry-run $BODY
eq "dry run, target not loaded" $rc 1
contains "names the target" "$out" "target module kcase is not loaded"
nothing_loaded "missing target"
run ksplice-apply $BODY
eq "apply, target not loaded: pending, exit 0" $rc 0
contains "says it waits for the target" "$out" "update kc-body is pending: it applies when module kcase loads"
run ksplice-undo kc-body
eq "undo of the pending update" $rc 0
rmmod ksplice
nothing_loaded "pending update undone"

insmod $P/kcase.ko || { not_ok "insmod kcase.ko"; finish; }
run ksplice-apply --module-dir=/nonexistent $BODY
eq "ksplice.ko nowhere to be found: exit 3" $rc 3
contains "says so" "$out" "cannot find ksplice.ko for kernel $(uname -r)"
nothing_loaded "no ksplice.ko"

echo "--- dry run and apply against a busy function: exit 1, nothing changed"
echo 1 > $KC/busy
pid=$(pidof kc_parker)
check "kc_parker sleeps in kc_busy_calc" test -n "$pid"
run ksplice-apply --dry-run --tries=2 --delay=100 $BUSY
eq "dry run refused" $rc 1
contains "dry run: cause code_busy" "$out" "cause:    code_busy"
contains "dry run: the conflict names the thread" "$out" "conflict: kc_parker $pid kc_busy_calc+0x"
contains "dry run: two tries" "$out" "2 tries"
nothing_loaded "refused dry run"
eq "dry run changed nothing" "$(cat $KC/busy)" 6
run ksplice-apply --tries=1 $BUSY
eq "apply refused" $rc 1
contains "apply: the conflict names the thread" "$out" "conflict: kc_parker $pid kc_busy_calc+0x"
contains "apply: says what it unloaded" "$out" "unloaded ksplice_kc_busy ksplice"
nothing_loaded "refused apply"
eq "refused apply changed nothing" "$(cat $KC/busy)" 6
json dry-run-busy ksplice-apply --json --dry-run --tries=1 $BUSY
eq "--json dry run refused" $rc 1
contains "--json: abort_cause" "$out" '"abort_cause": "code_busy"'
contains "--json: the conflict" "$out" "\"kc_parker $pid kc_busy_calc+0x"
echo 0 > $KC/busy
run ksplice-apply --dry-run $BUSY
eq "dry run passes once the thread left" $rc 0
contains "dry run says it passed" "$out" "dry run of update kc-busy passed"
eq "passed dry run changed nothing" "$(cat $KC/busy)" 6
nothing_loaded "passed dry run"

echo "--- apply, view, a second apply"
json apply ksplice-apply --json --tries=3 --delay=50 $BUSY
eq "apply" $rc 0
contains "--json: applied" "$out" '"stage": "applied"'
eq "patched" "$(cat $KC/busy)" 7
run ksplice-view kc-busy
contains "view: stage" "$out" "stage:        applied since"
contains "view: retry policy" "$out" "of at most 3, 50 ms apart"
contains "view: module recorded" "$out" "modules:      ksplice_kc_busy"
contains "view: function" "$out" "kc_busy_calc [kcase]  0x"
contains "view: every attempt's pause" "$out" \
	"attempts:     $(cat $K/kc-busy/attempts_ns) (ns)"
json view ksplice-view --json
json view-one ksplice-view --json kc-busy
run ksplice-apply $BUSY
eq "a second apply" $rc 1
contains "says already applied" "$out" "update kc-busy is already applied"
run ksplice-apply --dry-run $BUSY
eq "a dry run of an applied update" $rc 1
eq "still patched" "$(cat $KC/busy)" 7

echo "--- undo refused while a thread sleeps in the new code"
echo 1 > $KC/busy
pid=$(pidof kc_parker)
run ksplice-undo --tries=2 --delay=50 kc-busy
eq "undo refused" $rc 1
contains "undo: cause" "$out" "cause:    code_busy"
contains "undo: conflict" "$out" "conflict: kc_parker $pid kc_busy_calc+0x"
eq "still patched after the refusal" "$(cat $KC/busy)" 7
check "its module stays" grep -q '^ksplice_kc_busy ' /proc/modules
run ksplice-view kc-busy
contains "view: the refusal's cause" "$out" "abort cause:  code_busy"
contains "view: the refusal's conflict" "$out" "conflict:     kc_parker $pid kc_busy_calc+0x"

echo "--- a cumulative update refused while a thread sleeps in code it would replace"
run ksplice-apply --tries=2 --delay=50 $P/ksplice-kc-cumulative.tar.gz
eq "cumulative apply refused" $rc 1
contains "cumulative: cause" "$out" "cause:    code_busy"
contains "cumulative: the conflict names the thread in the replaced code" "$out" \
	"conflict: kc_parker $pid kc_busy_calc+0x"
eq "kc-busy still applied" "$(cat $K/kc-busy/stage)" applied
eq "kc-busy still replaced by nobody" "$(cat $K/kc-busy/replaced_by)" ""
eq "its code still runs" "$(cat $KC/busy)" 7
eq "the cumulative code does not" "$(cat $KC/body)" 42
check "the cumulative update's module is unloaded again" \
	sh -c "! grep -q '^ksplice_kc_cumulative ' /proc/modules"
echo 0 > $KC/busy
json undo ksplice-undo --json kc-busy
eq "undo once the thread left" $rc 0
contains "--json: reversed" "$out" '"reversed": true'
eq "original again" "$(cat $KC/busy)" 6
check "its module is gone" sh -c "! grep -q '^ksplice_kc_busy ' /proc/modules"

echo "--- an update loaded by hand: no record, found by its id"
insmod $T/kst_target.ko && insmod $T/kst_v2.ko
run ksplice-view
contains "view lists it as loaded" "$out" "kst_v2: loaded (not applied)"
stage kst_v2 applied
run ksplice-view kst_v2
contains "view finds its module" "$out" "modules:      kst_v2"
grep -q '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534::/:/bin/sh' >> /etc/passwd
run su -s /bin/sh nobody -c "ksplice-view kst_v2"
eq "view as nobody" $rc 0
contains "view as nobody: the stage" "$out" "stage:        applied"
contains "view as nobody: says what is root-only" "$out" "root-only and left out"
n_addr=$(echo "$out" | grep -c '0x[0-9a-f]\{8\}')
eq "view as nobody: no kernel address" "$n_addr" 0
run ksplice-undo kst_v2
eq "undo" $rc 0
contains "unloads kst_v2" "$out" "unloaded kst_v2"
check "kst_v2 gone" sh -c "! grep -q '^kst_v2 ' /proc/modules"
check "kst_target stays" grep -q '^kst_target ' /proc/modules
rmmod kst_target

echo "--- not root: exit 3"
run su -s /bin/sh nobody -c "ksplice-apply $BODY"
eq "apply as nobody" $rc 3
contains "says root" "$out" "must be run as root"
run su -s /bin/sh nobody -c "ksplice-undo --all"
eq "undo as nobody" $rc 3
run su -s /bin/sh nobody -c "ksplice-view"
eq "view needs no root" $rc 0

echo "--- lockdown: exit 3, and how to sign"
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if echo integrity 2>/dev/null > /sys/kernel/security/lockdown; then
	before=$(ours_loaded | wc -l)
	run ksplice-apply $BODY
	eq "apply under lockdown" $rc 3
	contains "says locked down" "$out" "the kernel is locked down (integrity)"
	contains "says how to sign" "$out" "scripts/sign-file sha256"
	eq "nothing loaded under lockdown" "$(ours_loaded | wc -l)" "$before"
else
	not_ok "cannot raise lockdown to integrity"
fi

echo "--- module loading disabled: exit 3"
echo 1 > /proc/sys/kernel/modules_disabled
run ksplice-apply --dry-run $BODY
eq "apply with module loading disabled" $rc 3
contains "says disabled" "$out" "module loading is disabled"
finish
