# See ../create-header.sh: an update built from a header fix (loadavg.h's
# LOAD_INT) changes both objects that use the macro; one whose export's
# symbol version changed with a struct's text alone (acpi_battery_hook)
# applies to battery.ko and is undone.
. ./lib.sh
P=/root/pkg

# the integer part of the first figure of /proc/loadavg and of avg10 in
# /proc/pressure/cpu
load_int() { cut -d. -f1 /proc/loadavg; }
psi_int() { sed -n 's/^some avg10=\([0-9]*\)\..*/\1/p' /proc/pressure/cpu; }

check "/proc/pressure/cpu readable" test -r /proc/pressure/cpu
check "load below 700 before" test "$(load_int)" -lt 700
check "pressure below 700 before" test "$(psi_int)" -lt 700

out=$(ksplice-apply $P/ksplice-hdr-loadavg.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply hdr-loadavg: exit status" $rc 0
functions=$(cat $K/hdr-loadavg/functions 2>/dev/null)
contains "loadavg_proc_show replaced" "$functions" "loadavg_proc_show vmlinux"
contains "psi_show replaced" "$functions" "psi_show vmlinux"
echo "/proc/loadavg: $(cat /proc/loadavg)"
echo "/proc/pressure/cpu: $(head -n 1 /proc/pressure/cpu)"
check "fs/proc/loadavg.o's code: load of 700 and more" test "$(load_int)" -ge 700
check "kernel/sched/build_utility.o's code: pressure of 700 and more" test "$(psi_int)" -ge 700

out=$(ksplice-undo hdr-loadavg 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo hdr-loadavg: exit status" $rc 0
check "load below 700 after undo" test "$(load_int)" -lt 700
check "pressure below 700 after undo" test "$(psi_int)" -lt 700
# battery.ko: battery_hook_register's version changed with the text of
# struct acpi_battery_hook alone; the update loads against the running
# versions and replaces it
modprobe battery
check "battery.ko loaded" grep -q '^battery ' /proc/modules
out=$(ksplice-apply $P/ksplice-hdr-battery.tar.gz 2>&1)
rc=$?
echo "$out"
eq "ksplice-apply hdr-battery: exit status" $rc 0
eq "hdr-battery applied (not pending)" "$(cat $K/hdr-battery/stage 2>/dev/null)" applied
contains "battery_hook_register replaced" "$(cat $K/hdr-battery/functions 2>/dev/null)" \
	"battery_hook_register battery"
out=$(ksplice-undo hdr-battery 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo hdr-battery: exit status" $rc 0
check "battery.ko still loaded after undo" grep -q '^battery ' /proc/modules
finish
