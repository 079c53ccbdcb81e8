#!/bin/bash
# Compliance and monitoring (see guest/tools-compliance.sh): ksplice-create
# records CVE ids from --cve (twice) and from the patch's header, sorted
# and each once, and --effective-release, in the manifest; the guest
# applies the package and checks ksplice-view --cves (text and JSON),
# ksplice-uname while applied and after undo, and the node_exporter
# metrics file after the apply, refused applies and the undo.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo view uname; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
need_cmd tar gzip
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
tmp=$(test_tmpdir)

log "--cve refuses a malformed id before building anything"
rc=0
"$REPO/userspace/ksplice-create" --cve=CVE-2026-12 --patch="$REPO/testsuite/examples/hello.patch" \
	"$REPO/testsuite/examples/hello" >"$tmp/bad.log" 2>&1 || rc=$?
expect_eq "$rc" 2 "exit code of a bad --cve"
expect_contains "$(cat "$tmp/bad.log")" 'bad CVE id "CVE-2026-12"'

built=$(build_kmod "$REPO/testsuite/examples/hello" "$rel")
# git format-patch's shape: the ids before the first diff count, one
# also given with --cve counts once.
{
	printf 'From: A Developer <dev@example.org>\nSubject: [PATCH] hello: say patched\n\n'
	printf 'Fixes the greeting (CVE-2026-0002).\n\nCVE: CVE-2025-0003\n---\n'
	cat "$REPO/testsuite/examples/hello.patch"
} >"$tmp/fix.patch"
log "ksplice-create --cve twice, a CVE in the header, --effective-release"
"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id=cmp --cve=CVE-2026-10001 \
	--cve=CVE-2026-0002 --effective-release=6.1.999-1 --patch="$tmp/fix.patch" \
	-o "$tmp" --kdir="/lib/modules/$rel/build" "$REPO/testsuite/examples/hello" \
	>"$tmp/create.log" 2>&1 || { cat "$tmp/create.log"; fail "ksplice-create failed"; }
expect_contains "$(cat "$tmp/create.log")" \
	"ksplice-create: fixes CVE-2025-0003, CVE-2026-0002, CVE-2026-10001"
manifest=$(tar -xzOf "$tmp/ksplice-cmp.tar.gz" ksplice-cmp/manifest)
expect_eq "$(grep -E '^(cve|effective-release) ' <<<"$manifest")" \
	"effective-release 6.1.999-1
cve CVE-2025-0003
cve CVE-2026-0002
cve CVE-2026-10001" "the manifest's compliance lines"

cat >"$tmp/want-cves" <<'WANT'
protected against 3 CVEs:
  CVE-2025-0003    update cmp
  CVE-2026-0002    update cmp
  CVE-2026-10001   update cmp
WANT
cat >"$tmp/want-pending" <<'WANT'
no CVEs: no applied update names one
not yet: pending updates fix these when their modules load:
  CVE-2025-0003    update cmp
  CVE-2026-0002    update cmp
  CVE-2026-10001   update cmp
WANT
vm_run_ok --kernel "$rel" --add "$REPO/testsuite/tests/guest:/root/guest" \
	--add "$built/hello.ko:/root/hello.ko" --add "$tmp/want-cves:/root/want-cves" \
	--add "$tmp/want-pending:/root/want-pending" \
	--add "$tmp/ksplice-cmp.tar.gz:/root/pkg/ksplice-cmp.tar.gz" -- \
	'cd /root/guest && sh tools-compliance.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"

if command -v python3 >/dev/null; then
	sed -n '/^=== json cves$/,/^=== end$/p' <<<"$VM_OUTPUT" | sed '1d;$d' |
		grep -vE '^\[ *[0-9]+\.[0-9]+\] ' >"$tmp/cves.json"
	python3 - "$tmp/cves.json" <<'PY' || fail "ksplice-view --cves --json is not what was applied"
import json, sys
d = json.load(open(sys.argv[1]))
assert [c["cve"] for c in d["protected"]] == ["CVE-2025-0003", "CVE-2026-0002", "CVE-2026-10001"], d
assert all(c["updates"] == ["cmp"] for c in d["protected"]), d
assert d["pending"] == [] and d["unknown"] == [], d
PY
	log "ksplice-view --cves --json parses and lists exactly the three"
fi
log "PASS"
