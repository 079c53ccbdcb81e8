# A target module unloaded and loaded again between applies: the second
# apply resolves every relocation again and the new code sees the new
# module's data.  Modules the update refers to stay pinned while applied.
. ./lib.sh
load_core
insmod $T/kst_v2.ko
sym() { awk -v s="$1" '$3 == s { print $1 }' /proc/kallsyms; }

check "apply" stage kst_v2 applied
check "new code parks through its relocations" timeout 20 sh -c "echo 1 > $TGT/park"
eq "parked" "$(cat $TGT/park)" 1
echo 0 > $TGT/park
check "target pinned while applied" sh -c "! rmmod kst_target 2>/dev/null"
check "undo" stage kst_v2 reversed
before=$(sym kst_parked)

check "target unloads once undone" rmmod kst_target
insmod $T/kst_keys.ko	# takes the old place, so the new one moves
insmod $T/kst_target.ko || not_ok "reload kst_target"
after=$(sym kst_parked)
echo "kst_parked: $before -> $after"
check "the reloaded target's data moved" test "$before" != "$after"
eq "reloaded original" "$(call 5)" 6
check "apply to the reloaded target" stage kst_v2 applied
eq "patched again" "$(call 5)" 7
check "new code parks in the new module's data" timeout 20 sh -c "echo 1 > $TGT/park"
eq "parked again" "$(cat $TGT/park)" 1
echo 0 > $TGT/park
eq "released" "$(cat $TGT/park)" 0
check "undo again" stage kst_v2 reversed
check "update module unloads" rmmod kst_v2
finish
