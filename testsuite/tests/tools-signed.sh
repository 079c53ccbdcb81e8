#!/bin/bash
# Signed updates (see guest/tools-signed.sh): ksplice-create
# --sign-key/--sign-cert signs the update module with the kernel's
# sign-file and the manifest (manifest.sig); both are checked here with
# openssl against the test bed's certificate.  The guest, which trusts
# that certificate, applies the signed package and refuses unsigned,
# foreign-key, tampered and badly owned ones.  Then module signature
# enforcement: turned on at run time with the engine loaded, and
# module.sig_enforce=1 on the kernel command line from boot.
#
# What cannot be tested here: a module load that succeeds under
# enforcement.  The kernel trusts only its built-in keys (Debian's, whose
# private half we do not have) and MOK keys, which need shim and UEFI
# Secure Boot; our QEMU boot has neither.  So a signed update is shown
# refused by the kernel for its key (exit 3), never loaded.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo view; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
need_cmd openssl tar gzip perl
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
tmp=$(test_tmpdir)
cert=${SIGN[1]#--sign-cert=}

built=$(build_kmod "$REPO/testsuite/examples/hello" "$rel")
create() {
	local id=$1
	shift
	"$REPO/userspace/ksplice-create" "$@" --id="$id" \
		--patch="$REPO/testsuite/examples/hello.patch" -o "$tmp" \
		--kdir="/lib/modules/$rel/build" "$REPO/testsuite/examples/hello" \
		>"$tmp/$id.log" 2>&1 || { cat "$tmp/$id.log"; fail "ksplice-create $id failed"; }
}
log "ksplice-create, signed and unsigned"
create sg "${SIGN[@]}"
create us
grep -q "signing the update module with .*/scripts/sign-file" "$tmp/sg.log" ||
	fail "ksplice-create did not say it signs with sign-file"

# The package: manifest, manifest.sig right after it, the module.
tar -tzf "$tmp/ksplice-sg.tar.gz" >"$tmp/sg.list"
expect_eq "$(sed -n 2,3p "$tmp/sg.list" | tr '\n' ' ')" \
	"ksplice-sg/manifest ksplice-sg/manifest.sig " "members of the signed package"
tar -tzf "$tmp/ksplice-us.tar.gz" | grep -q manifest.sig && fail "unsigned package has a manifest.sig"
mkdir "$tmp/sg"
tar -C "$tmp/sg" -xzf "$tmp/ksplice-sg.tar.gz"
d=$tmp/sg/ksplice-sg

log "manifest.sig: a DER CMS signature over the manifest, by the test key"
openssl cms -verify -binary -inform DER -in "$d/manifest.sig" -content "$d/manifest" \
	-CAfile "$cert" -purpose any -out /dev/null 2>"$tmp/cms.err" ||
	{ cat "$tmp/cms.err"; fail "openssl cannot verify manifest.sig"; }

log "the module: the kernel's signature format, by the test key"
ko=$d/ksplice_sg.ko
[[ $(tail -c 28 "$ko") == "~Module signature appended~" ]] ||
	fail "no module signature marker at the end of $ko"
# struct module_signature before the marker: algo, hash, id_type (2:
# PKCS#7), signer_len, key_id_len, pad[3], sig_len (big endian).
size=$(stat -c %s "$ko")
read -r -a ms < <(od -An -tu1 -j $((size - 28 - 12)) -N12 "$ko")
expect_eq "${ms[2]}" 2 "module signature id_type (PKCS#7)"
siglen=$(( (ms[8] << 24) | (ms[9] << 16) | (ms[10] << 8) | ms[11] ))
body=$((size - 28 - 12 - siglen))
head -c "$body" "$ko" >"$tmp/ko.body"
tail -c $((siglen + 40)) "$ko" | head -c "$siglen" >"$tmp/ko.p7"
extract=$(ls "${KSPLICE_CACHE:-$REPO/cache}"/trees/"$rel"/scripts/extract-module-sig.pl 2>/dev/null || true)
if [[ -n $extract ]]; then
	perl "$extract" -s "$ko" 2>/dev/null | cmp -s - "$tmp/ko.p7" ||
		fail "extract-module-sig.pl finds another signature"
	log "extract-module-sig.pl agrees"
fi
# sign-file leaves the certificate out: give it to openssl.
openssl cms -verify -binary -inform DER -in "$tmp/ko.p7" -content "$tmp/ko.body" \
	-certfile "$cert" -CAfile "$cert" -purpose any -out /dev/null 2>"$tmp/cms.err" ||
	{ cat "$tmp/cms.err"; fail "openssl cannot verify the module's signature"; }
tar -xzOf "$tmp/ksplice-us.tar.gz" ksplice-us/ksplice_us.ko | tail -c 28 |
	grep -q "Module signature" && fail "the unsigned package's module is signed"

# Variants of the signed package, repacked as ustar like ksplice-create's.
pack() {
	tar -C "$1" --format=ustar --owner=0 --group=0 --numeric-owner -czf "$2" ksplice-sg
}
mkdir "$tmp/nosig" "$tmp/other" "$tmp/ossl" "$tmp/ko"
cp -r "$d" "$tmp/nosig/"; rm "$tmp/nosig/ksplice-sg/manifest.sig"
pack "$tmp/nosig" "$tmp/nosig.tar.gz"
# Another key: a valid signature nobody trusts.
openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 1 -subj "/CN=not trusted/" \
	-keyout "$tmp/other.key" -out "$tmp/other.pem" 2>/dev/null || fail "openssl req failed"
cp -r "$d" "$tmp/other/"
openssl cms -sign -binary -nosmimecap -outform DER -in "$d/manifest" -signer "$tmp/other.pem" \
	-inkey "$tmp/other.key" -out "$tmp/other/ksplice-sg/manifest.sig" || fail "openssl cms -sign failed"
pack "$tmp/other" "$tmp/other.tar.gz"
# The trusted key through openssl's own CMS: the format, not our writer.
cp -r "$d" "$tmp/ossl/"
openssl cms -sign -binary -nosmimecap -outform DER -in "$d/manifest" -signer "$cert" \
	-inkey "${SIGN[0]#--sign-key=}" -out "$tmp/ossl/ksplice-sg/manifest.sig" || fail "openssl cms -sign failed"
pack "$tmp/ossl" "$tmp/ossl.tar.gz"
# A module byte changed, manifest and signature kept.
cp -r "$d" "$tmp/ko/"
printf 'X' | dd of="$tmp/ko/ksplice-sg/ksplice_sg.ko" bs=1 seek=4000 conv=notrunc status=none
pack "$tmp/ko" "$tmp/tampered.tar.gz"

adds=(--add "$REPO/testsuite/tests/guest:/root/guest" --add "$built/hello.ko:/root/hello.ko")
for f in "$tmp"/ksplice-sg.tar.gz "$tmp"/ksplice-us.tar.gz "$tmp"/{nosig,other,ossl,tampered}.tar.gz; do
	adds+=(--add "$f:/root/pkg/$(basename "$f")")
done

log "guest: signature checks, then sig_enforce turned on at run time"
vm_run_ok --kernel "$rel" "${adds[@]}" -- 'cd /root/guest && sh tools-signed.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"

log "guest: module.sig_enforce=1 from boot"
vm_run_ok --kernel "$rel" --append module.sig_enforce=1 "${adds[@]}" -- \
	'cd /root/guest && sh tools-signed.sh enforce-at-boot'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
log "PASS"
