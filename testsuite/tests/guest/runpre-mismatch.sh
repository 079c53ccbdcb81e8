# See ../runpre-mismatch.sh: the running hello_line() is not the pre code.
. ./lib.sh
insmod /root/hello.ko || { not_ok "insmod hello.ko"; finish; }
before=$(cat /proc/ksplice_hello)
contains "running module counts by 3" "$before" "original module (read 3)"
out=$(ksplice-apply /root/ksplice-mismatch.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply refuses (exit 1)" $rc 1
contains "cause no_match" "$out" "no_match"
contains "names the function" "$out" "hello_line"
check "update module not left loaded" sh -c "! grep -q '^ksplice_mismatch ' /proc/modules"
check "no update registered" sh -c "! test -d /sys/kernel/ksplice/mismatch"
eq "running code untouched" "$(cat /proc/ksplice_hello)" "hello from the original module (read 6)"
finish
