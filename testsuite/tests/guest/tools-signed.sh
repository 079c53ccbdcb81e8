# Signed packages and module signature enforcement in the guest; see
# ../tools-signed.sh.  With the argument enforce-at-boot, the kernel was
# booted with module.sig_enforce=1: only that part runs.
. ./lib.sh
P=/root/pkg
SG=$P/ksplice-sg.tar.gz
US=$P/ksplice-us.tar.gz

run() {
	echo "\$ $*"
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	echo "(exit $rc)"
}
lines() { echo "$1" | wc -l; }

if [ "${1:-}" = enforce-at-boot ]; then
	echo "--- module.sig_enforce=1 from boot: the unsigned ksplice.ko"
	eq "sig_enforce is on" "$(cat /sys/module/module/parameters/sig_enforce)" Y
	run insmod /usr/lib/ksplice/$(uname -r)/ksplice.ko
	check "the kernel refuses the unsigned ksplice.ko itself" [ $rc -ne 0 ]
	dmesg | grep -i "ksplice\|module verification\|key" | tail -n 3
	run ksplice-apply $SG
	eq "apply: exit 3 (environment)" $rc 3
	contains "names the policy and ksplice.ko" "$out" \
		"module.sig_enforce is on: it loads only modules signed with a trusted key, and /usr/local/lib/ksplice/$(uname -r)/ksplice.ko is not signed"
	contains "says how to enroll" "$out" "mokutil --import"
	contains "says how to sign updates" "$out" "ksplice-create --sign-key"
	check "nothing loaded" [ ! -d /sys/kernel/ksplice ]
	finish
fi

insmod /root/hello.ko || { not_ok "insmod hello.ko"; finish; }
echo "--- a package signed by a trusted key applies"
run ksplice-apply $SG
eq "signed: exit 0" $rc 0
contains "applied" "$out" "applied update sg"
contains "the patched code runs" "$(cat /proc/ksplice_hello)" "patched"
run ksplice-undo sg
eq "undo" $rc 0

out=$(ksplice-apply --json --dry-run $SG 2>/dev/null)
contains "--json names the signer" "$out" '"signed_by": "CN = ksplice test bed signing key"'

echo "--- the same signed by openssl's own cms -sign: same format"
run ksplice-apply --dry-run $P/ossl.tar.gz
eq "openssl-made signature accepted" $rc 0

echo "--- unsigned: exit 2, one line; --allow-unsigned applies with a warning"
run ksplice-apply $P/nosig.tar.gz
eq "unsigned: exit 2" $rc 2
eq "unsigned: one line" "$(lines "$out")" 1
contains "says unsigned" "$out" "refused: package is not signed (no manifest.sig)"
contains "says how to sign" "$out" "ksplice-create --sign-key/--sign-cert"
contains "and how to go without" "$out" "--allow-unsigned"
run ksplice-apply $US
eq "ksplice-create without --sign-key: exit 2" $rc 2
run ksplice-apply --allow-unsigned $US
eq "--allow-unsigned: exit 0" $rc 0
contains "warns" "$out" "warning: $US: package is not signed (no manifest.sig); applying it anyway (--allow-unsigned)"
run ksplice-undo us
eq "undo us" $rc 0
out=$(ksplice-apply --json --dry-run --allow-unsigned $US 2>/dev/null)
contains "--json: signed_by null" "$out" '"signed_by": null'
contains "--json: the warning is no error" "$out" '"error": null'

echo "--- another key, a tampered module: exit 2"
run ksplice-apply $P/other.tar.gz
eq "untrusted key: exit 2" $rc 2
contains "says not trusted" "$out" "signed by CN = not trusted, which no certificate in /etc/ksplice/trusted.d vouches for"
eq "untrusted: one line" "$(lines "$out")" 1
run ksplice-apply $P/tampered.tar.gz
eq "tampered module: exit 2" $rc 2
contains "checksum" "$out" "checksum mismatch for ksplice-sg/ksplice_sg.ko"
mv /etc/ksplice/trusted.d /etc/ksplice/trusted.off
run ksplice-apply $SG
eq "nothing trusted: exit 2" $rc 2
contains "says nothing is trusted" "$out" "/etc/ksplice/trusted.d holds no certificate to trust"
mv /etc/ksplice/trusted.off /etc/ksplice/trusted.d

echo "--- a package others can write: exit 2"
cp $SG /tmp/w.tar.gz
chmod 666 /tmp/w.tar.gz
run ksplice-apply /tmp/w.tar.gz
eq "world-writable: exit 2" $rc 2
contains "says writable" "$out" "writable by group or others"
chmod 644 /tmp/w.tar.gz
chown 65534 /tmp/w.tar.gz
run ksplice-apply /tmp/w.tar.gz
eq "not root's: exit 2" $rc 2
contains "says not root's" "$out" "not owned by root"

echo "--- state directory: explicit option, no symlink followed"
run ksplice-apply --state-dir=/tmp/st $SG
eq "--state-dir: exit 0" $rc 0
check "the record is in --state-dir" grep -q "module ksplice_sg" /tmp/st/sg
run ksplice-undo --state-dir=/tmp/st sg
eq "undo with --state-dir" $rc 0
check "the record is gone" [ ! -e /tmp/st/sg ]
rm -rf /run/ksplice
mkdir /tmp/elsewhere
ln -s /tmp/elsewhere /run/ksplice
run ksplice-apply $SG
eq "symlinked state dir: the apply itself succeeds" $rc 0
contains "but the record is refused" "$out" "cannot record the update in /run/ksplice/sg"
check "nothing written through the link" [ -z "$(ls /tmp/elsewhere)" ]
run ksplice-undo sg
eq "undo without a record" $rc 0
rm /run/ksplice

echo "--- the environment no longer moves ksplice.ko"
rmmod ksplice
run env KSPLICE_MODULE_DIR=/nonexistent ksplice-apply $SG
eq "KSPLICE_MODULE_DIR ignored: exit 0" $rc 0
run ksplice-undo sg
run ksplice-apply --module-dir=/usr/lib/ksplice/$(uname -r) --dry-run $SG
eq "--module-dir" $rc 0

echo "--- sig_enforce turned on with the engine loaded: update modules"
[ -d /sys/kernel/ksplice ] || insmod /usr/lib/ksplice/$(uname -r)/ksplice.ko
if echo 1 > /sys/module/module/parameters/sig_enforce; then
	run ksplice-apply --allow-unsigned $US
	eq "unsigned update module: exit 3" $rc 3
	contains "names it" "$out" "module.sig_enforce is on: it loads only modules signed with a trusted key, and ksplice-us/ksplice_us.ko is not signed"
	contains "how to sign it" "$out" "ksplice-create --sign-key=MOK.priv --sign-cert=MOK.der"
	contains "how to enroll" "$out" "mokutil --import MOK.der"
	run ksplice-apply $SG
	eq "signed with a key the kernel does not trust: exit 3" $rc 3
	contains "says the kernel does not trust the key" "$out" "ksplice-sg/ksplice_sg.ko is signed with a key it does not trust"
	contains "how to enroll (2)" "$out" "mokutil --import MOK.der"
	check "nothing of sg loaded" [ ! -d /sys/kernel/ksplice/sg ]
	dmesg | tail -n 2
else
	not_ok "cannot turn sig_enforce on"
fi
finish
