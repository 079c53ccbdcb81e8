# See ../create-statics.sh: updates whose fixes renumber statics and
# once-flags, built from Debian's kernel source.
. ./lib.sh
P=/root/pkg
CAP=/root/capver
V1=0x19980330
LEGACY="uses 32-bit capabilities"
NEW="ksplice-statics: \`capver' asked for capability version 0x0"

# count TEXT: lines of dmesg holding TEXT
count() { dmesg | grep -cF -- "$1"; }

# apply ID FUNCTION: apply, check stage and the one replaced function
apply() {
	out=$(ksplice-apply $P/ksplice-$1.tar.gz 2>&1)
	rc=$?
	echo "$out"
	eq "ksplice-apply $1: exit status" $rc 0
	eq "$1 applied" "$(cat $K/$1/stage 2>/dev/null)" applied
	eq "$1 replaces $2 alone" "$(cut -d' ' -f1,2 $K/$1/functions 2>/dev/null)" "$2 vmlinux"
	contains "ksplice-view lists $1" "$(ksplice-view 2>&1)" "$1"
}

undo() {
	out=$(ksplice-undo $1 2>&1)
	rc=$?
	echo "$out"
	eq "ksplice-undo $1: exit status" $rc 0
}

# once-flags: the legacy warning's flag is the running kernel's
$CAP $V1
$CAP 0
eq "legacy warning once before the update" "$(count "$LEGACY")" 1
eq "no new message before the update" "$(count "$NEW")" 0
apply st-once cap_validate_magic
$CAP 0
$CAP 0
$CAP 0
eq "the new once-message shows exactly once" "$(count "$NEW")" 1
$CAP $V1
eq "the legacy warning is not printed again (its flag is the running one)" \
	"$(count "$LEGACY")" 1
undo st-once
$CAP 0
eq "no new message after undo" "$(count "$NEW")" 1

# a once-message in front of the legacy one, in the same function
FRONT="ksplice-statics: v1 from capver"
apply st-once-front cap_validate_magic
$CAP $V1
$CAP $V1
eq "the message in front shows exactly once" "$(count "$FRONT")" 1
eq "the legacy warning still not again" "$(count "$LEGACY")" 1
undo st-once-front
$CAP $V1
eq "no message in front after undo" "$(count "$FRONT")" 1

# ratelimited print with __func__: the renumbered _rs and __func__
R=/proc/sys/vm/overcommit_ratio
ratio=$(cat $R)
RMSG="overcommit_ratio_handler: ksplice-statics: overcommit_ratio $ratio"
echo "$ratio" >$R
eq "no ratelimited message before" "$(count "$RMSG")" 0
apply st-ratelimit overcommit_ratio_handler
echo "$ratio" >$R
eq "the ratelimited message, with __func__" "$(count "$RMSG")" 1
undo st-ratelimit
echo "$ratio" >$R
eq "no ratelimited message after undo" "$(count "$RMSG")" 1

# an #include shifting __COUNTER__: the changed function runs
KB=/proc/sys/vm/overcommit_kbytes
IMSG="ksplice-statics: overcommit_kbytes 0"
apply st-include overcommit_kbytes_handler
echo 0 >$KB
eq "the include fix's message" "$(count "$IMSG")" 1
undo st-include
echo 0 >$KB
eq "no include fix message after undo" "$(count "$IMSG")" 1
echo "$ratio" >$R
eq "overcommit_ratio restored" "$(cat $R)" "$ratio"

# WARN_ONCE in copy_string_kernel: a #! script's interpreter goes
# through it
printf '#!/bin/sh\necho script-ran\n' >/root/script
chmod +x /root/script
apply st-warn-once copy_string_kernel
eq "a script runs through the new copy_string_kernel" "$(/root/script)" script-ran
undo st-warn-once
eq "and after undo" "$(/root/script)" script-ran
finish
