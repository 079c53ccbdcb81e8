# The shadow-variable API (kmod/shadow.c) as update code uses it, from
# kst_shadow's pre-apply hook (an update with no function: hooks alone);
# what the update leaves is freed when it is undone, and, when an apply
# failed after its pre hook allocated, when its module is unloaded.
. ./lib.sh
SH=/sys/module/ksplice/parameters/shadow
load_core
eq "no shadow variable at first" "$(cat $SH)" 0
insmod $T/kst_shadow.ko || not_ok "insmod kst_shadow.ko"
eq "an update of hooks alone registers" "$(cat $K/kst_shadow/stage)" loaded
echo applied > $K/kst_shadow/stage
eq "its apply runs the hook" "$(cat $K/kst_shadow/stage)" applied
dmesg | grep 'kst_shadow: '
n=$(dmesg | grep -c 'kst_shadow: ok ')
eq "every rule holds" "$(dmesg | grep -c 'kst_shadow: FAIL')" 0
eq "  (nine rules tried)" "$n" 9
eq "three are left" "$(cat $SH)" 3
echo reversed > $K/kst_shadow/stage
eq "undone" "$(cat $K/kst_shadow/stage)" reversed
eq "undo frees what the update left" "$(cat $SH)" 0
contains "dmesg counts them" "$(dmesg | tail -n 5)" "ksplice: kst_shadow: 3 shadow variables freed"
echo applied > $K/kst_shadow/stage
eq "applied again: three again" "$(cat $SH)" 3
echo reversed > $K/kst_shadow/stage
echo applied > $K/kst_shadow/stage
eq "  and again" "$(cat $SH)" 3
echo reversed > $K/kst_shadow/stage
eq "  and undo frees them" "$(cat $SH)" 0
echo 1 > /sys/module/kst_shadow/parameters/refuse_check
check "an apply its check hook refuses fails" sh -c "! echo applied 2>/dev/null > $K/kst_shadow/stage"
eq "  call_failed" "$(cat $K/kst_shadow/abort_cause)" call_failed
eq "  its pre hook left three" "$(cat $SH)" 3
check "rmmod kst_shadow" rmmod kst_shadow
eq "its unload frees them" "$(cat $SH)" 0
finish
