# A task inside the code: apply and undo refused with code_busy, naming it.
. ./lib.sh
load_core
insmod $T/kst_v2.ko
echo 2 > $K/kst_v2/max_tries
echo 100 > $K/kst_v2/retry_delay_ms

echo 1 > $TGT/park
pid=$(pidof kst_parker)
check "parker is running" test -n "$pid"
check "apply refused while a thread sleeps in kst_add" sh -c "! echo applied 2>/dev/null > $K/kst_v2/stage"
eq "cause code_busy" "$(cat $K/kst_v2/abort_cause)" code_busy
conf=$(cat $K/kst_v2/conflicts)
echo "conflicts: $conf"
contains "conflict names the thread and pid" "$conf" "kst_parker $pid kst_add+0x"
eq "tried max_tries times" "$(cat $K/kst_v2/tries)" 2
eq "still the original" "$(call 5)" 6
eq "stage still loaded" "$(cat $K/kst_v2/stage)" loaded
check "dry run refused while busy" sh -c "! echo dry-run 2>/dev/null > $K/kst_v2/stage"
contains "dry run names the thread" "$(cat $K/kst_v2/conflicts)" "kst_parker $pid kst_add+0x"

# Between tries the engine holds no lock: readers answer at once, and a
# second write to the same update is refused while it waits.
echo 3 > $K/kst_v2/max_tries
echo 1500 > $K/kst_v2/retry_delay_ms
sh -c "echo applied > $K/kst_v2/stage" 2>/dev/null &
bg=$!
sleep 1
check "a reader does not wait for the retries" timeout 1 cat $K/kst_v2/abort_cause
check "its stage answers meanwhile" timeout 1 cat $K/kst_v2/stage
timeout 1 sh -c "echo reversed > $K/kst_v2/stage" 2>/dev/null
eq "a second write is refused at once (1, not a timeout)" $? 1
wait $bg
eq "the apply still gave up after its tries" "$(cat $K/kst_v2/tries)" 3
echo 2 > $K/kst_v2/max_tries
echo 100 > $K/kst_v2/retry_delay_ms

echo 0 > $TGT/park
check "dry run passes once it left" stage kst_v2 dry-run
eq "dry run wrote nothing" "$(call 5)" 6
eq "dry run leaves the stage" "$(cat $K/kst_v2/stage)" loaded
check "apply succeeds once it left" stage kst_v2 applied
eq "patched" "$(call 5)" 7

# Parked in the new code (it reaches the target's statics via relocations).
echo 1 > $TGT/park
pid=$(pidof kst_parker)
check "undo refused while a thread sleeps in the new code" sh -c "! echo reversed 2>/dev/null > $K/kst_v2/stage"
eq "undo cause code_busy" "$(cat $K/kst_v2/abort_cause)" code_busy
conf=$(cat $K/kst_v2/conflicts)
echo "conflicts: $conf"
contains "undo conflict names the thread in kst_add_v2" "$conf" "kst_parker $pid kst_add_v2+0x"
eq "still patched after refused undo" "$(call 5)" 7
echo 0 > $TGT/park
check "undo succeeds once it left" stage kst_v2 reversed
eq "original again" "$(call 5)" 6
rmmod kst_v2
finish
