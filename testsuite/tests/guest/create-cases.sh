# ksplice-create's cases end to end, through the host tools: for each,
# ksplice-apply, the new behaviour, ksplice-view, ksplice-undo, the old
# behaviour again.  Then bad user pointers in new code, and
# ksplice-undo --all with three updates, one stacked on another.
# Needs /root/pkg from testsuite/create-cases/build-packages.
. ./lib.sh
P=/root/pkg
KC=/proc/kcase

# apply CASE: ksplice-apply ksplice-kc-CASE.tar.gz, listed by ksplice-view.
apply() {
	out=$(ksplice-apply $P/ksplice-kc-$1.tar.gz 2>&1)
	rc=$?
	echo "$out"
	eq "ksplice-apply kc-$1: exit status" $rc 0
	contains "ksplice-apply kc-$1 names the update" "$out" "applied update kc-$1"
	contains "ksplice-view lists kc-$1 as applied" "$(ksplice-view)" "kc-$1: applied #"
}

# undo CASE: ksplice-undo kc-CASE, its module gone.
undo() {
	out=$(ksplice-undo kc-$1 2>&1)
	rc=$?
	echo "$out"
	eq "ksplice-undo kc-$1: exit status" $rc 0
	mod=ksplice_kc_$(echo "$1" | tr - _)
	check "kc-$1: $mod unloaded" sh -c "! grep -q '^$mod ' /proc/modules"
	check "kc-$1: no longer in ksplice-view" sh -c "! ksplice-view | grep -q 'kc-$1:'"
}

insmod $P/kcase.ko || { not_ok "insmod kcase.ko"; finish; }

echo "--- body change"
eq "body: original" "$(cat $KC/body)" 42
apply body
eq "body: patched" "$(cat $KC/body)" 63
contains "ksplice-view kc-body shows the function" "$(ksplice-view kc-body)" "kc_body_calc [kcase]"
undo body
eq "body: original again" "$(cat $KC/body)" 42

echo "--- new function"
eq "newfn: original" "$(cat $KC/newfn)" "newfn: none"
apply newfn
eq "newfn: through the new function" "$(cat $KC/newfn)" "newfn: helper says 22"
undo newfn
eq "newfn: original again" "$(cat $KC/newfn)" "newfn: none"

echo "--- new global"
eq "global: original" "$(cat $KC/global)" "global: none"
apply global
eq "global: first read" "$(cat $KC/global)" "global: 1"
eq "global: second read" "$(cat $KC/global)" "global: 2"
undo global
eq "global: original again" "$(cat $KC/global)" "global: none"

echo "--- static local keeps its state"
cat $KC/static >/dev/null
cat $KC/static >/dev/null
eq "static: third read" "$(cat $KC/static)" "static: 3"
apply static
eq "static: the running counter, stepped by 100" "$(cat $KC/static)" "static: 103"
undo static
eq "static: old step, same counter" "$(cat $KC/static)" "static: 104"

echo "--- string literal"
eq "string: original" "$(cat $KC/string)" "string: the original text"
apply string
eq "string: patched" "$(cat $KC/string)" "string: the patched text"
undo string
eq "string: original again" "$(cat $KC/string)" "string: the original text"

echo "--- inline function changed"
eq "inline: original" "$(cat $KC/inline)" "inline: 220 2200"
apply inline
eq "inline: both callers patched" "$(cat $KC/inline)" "inline: 230 2300"
fns=$(ksplice-view kc-inline)
contains "kc-inline replaces kc_inline_a" "$fns" "kc_inline_a [kcase]"
contains "kc-inline replaces kc_inline_b" "$fns" "kc_inline_b [kcase]"
undo inline
eq "inline: original again" "$(cat $KC/inline)" "inline: 220 2200"

echo "--- faults on user pointers, old code then new code"
# bad_pointers WHO: both ways of faulting give EFAULT, and no oops (the
# VM run fails on one).
bad_pointers() {
	eq "$1: fault at the first byte (__ex_table of the function)" \
		"$(/root/pkg/badwrite $KC/copy null)" EFAULT
	eq "$1: fault inside copy_from_user" "$(/root/pkg/badwrite $KC/copy edge)" EFAULT
}
echo -n abc > $KC/copy
eq "copy: original" "$(cat $KC/copy)" "copy: abc"
bad_pointers "old code"
apply copy
echo -n abc > $KC/copy
eq "copy: patched upper-cases" "$(cat $KC/copy)" "copy: Abc"
bad_pointers "new code"
echo -n xyz > $KC/copy
eq "copy: still patched after the faults" "$(cat $KC/copy)" "copy: Xyz"
undo copy
echo -n abc > $KC/copy
eq "copy: original again" "$(cat $KC/copy)" "copy: abc"

echo "--- ksplice-undo --all with three updates, one stacked"
apply body
apply string
apply body-again
eq "body: stacked" "$(cat $KC/body)" 84
view=$(ksplice-view)
echo "$view"
order=$(echo "$view" | sed -n 's/^\(kc-[a-z-]*\): applied #.*/\1/p' | tr '\n' ' ')
eq "ksplice-view lists them in apply order" "$order" "kc-body kc-string kc-body-again "
out=$(ksplice-undo --all 2>&1)
rc=$?
echo "$out"
eq "ksplice-undo --all: exit status" $rc 0
order=$(echo "$out" | sed -n 's/^reversed update \([a-z-]*\):.*/\1/p' | tr '\n' ' ')
eq "undone newest first" "$order" "kc-body-again kc-string kc-body "
eq "body: original after --all" "$(cat $KC/body)" 42
eq "string: original after --all" "$(cat $KC/string)" "string: the original text"
check "no update module left" sh -c "! grep -q '^ksplice_kc' /proc/modules"
eq "ksplice-view: nothing applied" "$(ksplice-view)" "no updates applied"
check "kcase can be removed" rmmod kcase
finish
