# 200 apply/undo cycles while every CPU calls the target in a loop.
. ./lib.sh
load_core
insmod $T/kst_v2.ko
echo 100 > $K/kst_v2/max_tries
echo 5 > $K/kst_v2/retry_delay_ms
echo 1 > $TGT/hammer
sleep 1
bad=0
tries=0
i=0
while [ $i -lt ${CYCLES:-200} ]; do
	stage kst_v2 applied || { bad=$((bad + 1)); cat $K/kst_v2/abort_reason $K/kst_v2/conflicts; [ $bad -gt 3 ] && break; }
	tries=$((tries + $(cat $K/kst_v2/tries)))
	stage kst_v2 reversed || { bad=$((bad + 1)); cat $K/kst_v2/abort_reason; }
	tries=$((tries + $(cat $K/kst_v2/tries)))
	i=$((i + 1))
done
echo 0 > $TGT/hammer
h=$(cat $TGT/hammer)
echo "hammer: $h; attempts for $((2 * i)) switches: $tries"
eq "every apply and undo succeeded" $bad 0
set -- $h
check "the hammer ran" test "$2" -gt 0
check "it saw the old code" test "$4" -gt 0
check "it saw the new code" test "$6" -gt 0
eq "0 wrong results" "$8" 0
eq "original at the end" "$(call 5)" 6
finish
