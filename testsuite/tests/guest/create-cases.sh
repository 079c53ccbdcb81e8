# ksplice-create's cases end to end, through the host tools: for each,
# ksplice-apply, the new behaviour, ksplice-view, ksplice-undo, the old
# behaviour again.  Then bad user pointers in new code,
# ksplice-undo --all with three updates, one stacked on another, and a
# cumulative update that takes the place of the same three at once.
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
echo "--- a cumulative update takes the place of three, one stacked"
apply body
apply string
apply body-again
eq "body: stacked before the cumulative update" "$(cat $KC/body)" 84
CUM=$P/ksplice-kc-cumulative.tar.gz
out=$(ksplice-apply --dry-run $CUM 2>&1)
rc=$?
echo "$out"
eq "dry run of the cumulative update: exit status" $rc 0
contains "the dry run names what it would replace" "$out" \
	"would take the place of kc-body kc-string kc-body-again"
out=$(ksplice-apply --dry-run --json $CUM 2>/dev/null)
echo "$out"
contains "the dry run's JSON says it is cumulative" "$out" '"cumulative": true'
contains "the dry run's JSON lists what it would replace" \
	"$(echo "$out" | tr -d ' \n')" '"replaced":["kc-body","kc-string","kc-body-again"]'
eq "body: unchanged by the dry runs" "$(cat $KC/body)" 84
out=$(ksplice-apply $CUM 2>&1)
rc=$?
echo "$out"
eq "cumulative apply: exit status" $rc 0
contains "it names what it replaced" "$out" \
	"took the place of kc-body kc-string kc-body-again"
contains "it unloaded their modules" "$out" \
	"unloaded their modules: ksplice_kc_body ksplice_kc_string ksplice_kc_body_again"
eq "body: in both, the cumulative code runs" "$(cat $KC/body)" 105
eq "newfn: only in the cumulative update, its code runs" \
	"$(cat $KC/newfn)" "newfn: cumulative"
eq "string: only in a replaced update, the original runs" \
	"$(cat $KC/string)" "string: the original text"
check "the replaced updates' modules are unloaded" \
	sh -c "! grep -qE '^ksplice_kc_(body|string|body_again) ' /proc/modules"
view=$(ksplice-view)
echo "$view"
contains "ksplice-view lists the cumulative update" "$view" "kc-cumulative: applied #"
contains "ksplice-view says it is cumulative" "$view" "cumulative: takes the place"
check "ksplice-view lists none of the replaced" sh -c "! ksplice-view | grep -q '^kc-body'"
contains "dmesg names the replacement" "$(dmesg)" "kc-body-again replaced by kc-cumulative"
out=$(ksplice-apply $P/ksplice-kc-body.tar.gz 2>&1)
rc=$?
echo "$out"
eq "an update built without the cumulative fix is refused" $rc 1
contains "the refusal says it would revert the fix" "$out" "would revert it"
eq "body: still the cumulative code" "$(cat $KC/body)" 105
undo cumulative
eq "body: original after undoing the cumulative update" "$(cat $KC/body)" 42
eq "newfn: original after undoing it" "$(cat $KC/newfn)" "newfn: none"
eq "string: original after undoing it" "$(cat $KC/string)" "string: the original text"
out=$(ksplice-apply $CUM 2>&1)
rc=$?
echo "$out"
eq "cumulative apply with nothing applied: exit status" $rc 0
contains "it says it replaced nothing" "$out" "no applied update to replace"
eq "body: the cumulative code alone" "$(cat $KC/body)" 105
undo cumulative
eq "body: original at the end" "$(cat $KC/body)" 42
check "no update module left" sh -c "! grep -q '^ksplice_kc' /proc/modules"
check "kcase can be removed" rmmod kcase
finish
