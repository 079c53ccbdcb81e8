# Compliance and monitoring in the guest; see ../tools-compliance.sh.
# /root/pkg/ksplice-cmp.tar.gz fixes CVE-2025-0003 (patch header),
# CVE-2026-0002 and CVE-2026-10001 (--cve) and states effective release
# 6.1.999-1; /root/want-cves and want-pending are the expected --cves
# listings, applied and pending.  The package is applied before hello.ko
# loads (pending), then applies when it does.
. ./lib.sh
PKG=/root/pkg/ksplice-cmp.tar.gz
PROM=/var/lib/prometheus/node-exporter/ksplice.prom
REAL=$(uname -r)

run() {
	echo "\$ $*"
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	echo "(exit $rc)"
}
# metric NAME [FILE]: its value in the collector's file (or FILE)
metric() { sed -n "s/^$1 //p" "${2:-$PROM}"; }
# json NAME CMD...: the output between markers, parsed on the host
json() {
	name=$1
	shift
	echo "=== json $name"
	"$@"
	echo "=== end"
}
# seconds NS: the Prometheus text of NS nanoseconds
seconds() { printf '%d.%09d' $(($1 / 1000000000)) $(($1 % 1000000000)); }
# field NAME JSON: the first number of "NAME": in JSON
field() { echo "$2" | sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p" | head -n 1; }

mkdir -p /var/lib/prometheus/node-exporter

echo "--- before: uname as it is, no CVEs"
eq "ksplice-uname -a is uname -a" "$(ksplice-uname -a)" "$(uname -a)"
eq "ksplice-uname is uname" "$(ksplice-uname)" "$(uname)"
run ksplice-view --cves
eq "--cves: exit 0" $rc 0
eq "--cves: none" "$out" "no CVEs: no applied update names one"

echo "--- apply before hello is loaded: pending, no protection yet"
run ksplice-apply $PKG
eq "pending apply: exit 0" $rc 0
contains "pending" "$out" "update cmp is pending"
run ksplice-view --cves
eq "--cves: pending ones apart" "$out" "$(cat /root/want-pending)"
out=$(ksplice-view --cves --json)
contains "--cves --json: none protected" "$out" '"protected": []'
eq "ksplice-uname -r: not yet" "$(ksplice-uname -r)" "$REAL"
eq "metrics: pending 1" "$(metric ksplice_updates_pending)" 1
eq "metrics: applied 0" "$(metric ksplice_updates_applied)" 0
eq "metrics: no apply time yet" "$(metric ksplice_last_apply_timestamp_seconds)" ""

echo "--- hello loads: the engine applies it, no tool runs"
insmod /root/hello.ko || { not_ok "insmod hello.ko"; finish; }
contains "the patched code runs" "$(cat /proc/ksplice_hello)" "patched"
out=$(ksplice-view --json cmp)
pause=$(field pause_ns "$out")
when=$(field stage_time "$out")
check "the engine reported a pause" [ "${pause:-0}" -gt 0 ]

run ksplice-view --cves
eq "--cves lists exactly the three, sorted" "$out" "$(cat /root/want-cves)"
json cves ksplice-view --cves --json
out=$(ksplice-view --cves --json)
contains "--cves --json: protected" "$out" '"cve": "CVE-2026-10001"'
contains "--cves --json: none pending" "$out" '"pending": []'

eq "ksplice-uname -r: the effective release" "$(ksplice-uname -r)" 6.1.999-1
eq "ksplice-uname --kernel-release" "$(ksplice-uname --kernel-release)" 6.1.999-1
eq "ksplice-uname -a: uname -a with the effective release" \
	"$(ksplice-uname -a)" "$(uname -a | sed "s/ $REAL / 6.1.999-1 /")"
eq "ksplice-uname -v: the booted kernel's version" "$(ksplice-uname -v)" "$(uname -v)"

echo "--- metrics after the load applied it: --prometheus (no tool ran)"
NOW=/tmp/now.prom
ksplice-view --prometheus >$NOW
cat $NOW
eq "applied 1" "$(metric ksplice_updates_applied $NOW)" 1
eq "pending 0" "$(metric ksplice_updates_pending $NOW)" 0
eq "failures 0" "$(metric ksplice_apply_failures_total $NOW)" 0
eq "cves 3" "$(metric ksplice_cves_protected $NOW)" 3
eq "last pause: the apply's at the load" "$(metric ksplice_last_pause_seconds $NOW)" "$(seconds $pause)"
eq "last apply time: the engine's" "$(metric ksplice_last_apply_timestamp_seconds $NOW)" "$when"
contains "HELP and TYPE lines" "$(cat $NOW)" "# TYPE ksplice_apply_failures_total counter"
eq "the file still says pending: no tool ran" "$(metric ksplice_updates_pending)" 1

echo "--- a refused apply: the same package again"
run ksplice-apply $PKG
eq "refused: exit 1" $rc 1
eq "failures 1" "$(metric ksplice_apply_failures_total)" 1
eq "the file is up to date: applied 1" "$(metric ksplice_updates_applied)" 1
eq "the file is what --prometheus prints" "$(cat $PROM)" "$(ksplice-view --prometheus)"
run ksplice-apply /root/pkg/missing.tar.gz
eq "a missing package: exit 2" $rc 2
eq "failures 2" "$(metric ksplice_apply_failures_total)" 2
run ksplice-apply --dry-run $PKG
eq "a dry run refused: no failed apply" "$(metric ksplice_apply_failures_total)" 2

echo "--- undo"
run ksplice-undo --json cmp
eq "undo: exit 0" $rc 0
upause=$(field pause_ns "$out")
eq "ksplice-uname -r: the real release again" "$(ksplice-uname -r)" "$REAL"
eq "ksplice-uname -a is uname -a again" "$(ksplice-uname -a)" "$(uname -a)"
eq "--cves: none again" "$(ksplice-view --cves)" "no CVEs: no applied update names one"
cat $PROM
eq "applied 0" "$(metric ksplice_updates_applied)" 0
eq "failures kept: 2" "$(metric ksplice_apply_failures_total)" 2
eq "cves 0" "$(metric ksplice_cves_protected)" 0
eq "last pause: the undo's" "$(metric ksplice_last_pause_seconds)" "$(seconds $upause)"
eq "last apply time kept" "$(metric ksplice_last_apply_timestamp_seconds)" "$when"
eq "no temporary file left" "$(ls -A /var/lib/prometheus/node-exporter)" ksplice.prom
eq "ksplice.prom is world-readable" "$(stat -c %a $PROM)" 644
finish
