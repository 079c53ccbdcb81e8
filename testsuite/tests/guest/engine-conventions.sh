# Conventions of the engine: files that print kernel addresses are root's
# only, every sysfs file holds one value, and a malformed update module is
# refused at insmod with one line in dmesg, no oops, nothing left behind.
. ./lib.sh
load_core

# An unprivileged user (the guest has only root).
grep -q '^nobody:' /etc/passwd ||
	echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >> /etc/passwd
grep -q '^nogroup:' /etc/group 2>/dev/null ||
	echo 'nogroup:x:65534:' >> /etc/group
as_nobody() { su -s /bin/sh nobody -c "$1" 2>/dev/null; }
eq "su gives uid 65534" "$(as_nobody 'id -u')" 65534

num() { case "$1" in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }
# one_value DESC FILE: exactly one line, one decimal number.
one_value() {
	v=$(cat "$2")
	if [ "$(wc -l < "$2")" -eq 1 ] && num "$v"; then ok "$1: $v"; else
		not_ok "$1: '$v'"; fi
}

# A refused apply: a thread sleeps in kst_add for all three attempts.
insmod $T/kst_v2.ko
U=$K/kst_v2
echo 3 > $U/max_tries
echo 10 > $U/retry_delay_ms
echo 1 > $TGT/park
check "apply refused while busy" sh -c "! echo applied 2>/dev/null > $U/stage"
eq "cause code_busy" "$(cat $U/abort_cause)" code_busy
att=$(cat $U/attempts_ns)
echo "attempts_ns: $att"
eq "attempts_ns is one line" "$(wc -l < $U/attempts_ns)" 1
set -- $att
eq "attempts_ns has one number per try" $# "$(cat $U/tries)"
good=1
for a in "$@"; do num "$a" && [ "$a" -gt 0 ] || good=0; done
eq "every attempt entered the stop" $good 1
eq "pause_ns is the last attempt's" "$(cat $U/pause_ns)" "$3"
for f in pause_ns scan_ns write_ns tries max_tries retry_delay_ms \
	 sequence stage_time; do
	one_value "$f holds one value" $U/$f
done
for f in stage abort_cause; do
	eq "$f is one line" "$(wc -l < $U/$f)" 1
done

# Root-only: what prints kernel addresses.
for f in functions abort_reason conflicts; do
	eq "$f is mode 0400" "$(stat -c %a $U/$f)" 400
	check "nobody cannot read $f" sh -c "! su -s /bin/sh nobody -c 'cat $U/$f' >/dev/null 2>&1"
done
contains "root reads conflicts" "$(cat $U/conflicts)" "kst_parker"
contains "root reads abort_reason" "$(cat $U/abort_reason)" "running the code"
check "root reads functions" grep -q "^kst_add kst_target 0x[0-9a-f]* 0x[0-9a-f]* jmp$" $U/functions
eq "nobody reads stage" "$(as_nobody "cat $U/stage")" loaded
eq "nobody reads pause_ns" "$(as_nobody "cat $U/pause_ns")" "$(cat $U/pause_ns)"
eq "nobody reads attempts_ns" "$(as_nobody "cat $U/attempts_ns")" "$att"
# Nothing else a user can read shows an address.
leak=""
for f in $U/*; do
	[ -r "$f" ] || continue
	case ${f##*/} in functions | abort_reason | conflicts) continue ;; esac
	as_nobody "cat $f" | grep -qE '0x[0-9a-f]{8}|ffff[0-9a-f]{12}' &&
		leak="$leak ${f##*/}"
done
eq "no address in world-readable files" "$leak" ""

echo 0 > $TGT/park
check "apply once the thread left" stage kst_v2 applied
eq "one try" "$(cat $U/tries)" 1
eq "attempts_ns: the one attempt" "$(cat $U/attempts_ns)" "$(cat $U/pause_ns)"
check "pause recorded" test "$(cat $U/pause_ns)" -gt 0
check "scan within the pause" test "$(cat $U/scan_ns)" -le "$(cat $U/pause_ns)"
check "write within the pause" test "$(cat $U/write_ns)" -le "$(cat $U/pause_ns)"
eq "patched" "$(call 5)" 7
check "undo" stage kst_v2 reversed
eq "undone" "$(call 5)" 6

# Malformed updates: CASE and what dmesg must say.
check "the good descriptor loads" insmod $T/kst_bad.ko bad=none
check "and applies" stage kst_bad applied
eq "kst_bad's kst_add returns x+2" "$(call 5)" 7
check "and undoes" stage kst_bad reversed
check "and unloads" rmmod kst_bad
while read -r c want; do
	dmesg -c > /dev/null
	if insmod $T/kst_bad.ko bad=$c 2>/dev/null; then
		not_ok "$c: insmod succeeded"
		rmmod kst_bad 2>/dev/null
		continue
	fi
	log=$(dmesg)
	# busybox insmod falls back from finit_module to init_module, so
	# init may run twice: one distinct line each time.
	n=$(echo "$log" | sed 's/^\[[^]]*\] //' | grep ksplice | sort -u |
		wc -l)
	if [ "$n" -eq 1 ]; then ok "$c: one line in dmesg"; else
		not_ok "$c: $n distinct ksplice lines in dmesg: $log"; fi
	contains "$c: dmesg says why" "$log" "$want"
	case $log in
	*BUG* | *Oops* | *"Call Trace"* | *WARNING*) not_ok "$c: kernel complained: $log" ;;
	esac
	check "$c: nothing left in sysfs" test ! -e $K/kst_bad
	check "$c: module not loaded" sh -c "! grep -q '^kst_bad ' /proc/modules"
done <<'EOF'
abi built for ABI 3
flags unknown flags 0x80
owner_null owner is not THIS_MODULE
owner_wild owner is not THIS_MODULE
id its id is not
desc_long description not a string
nr_funcs 5000 functions
name_null function 0 has no valid name
name_long function 0 has no valid name
size kst_add: size 2097152
cold_size kst_add: size 0 (.cold 18446744073709551615)
newcode_data kst_add: replacement code is not in the update module's text
newcode_kernel kst_add: replacement code is not in the update module's text
pre_mask_alone kst_add: pre mask without pre code
pre_code_nosize kst_add: pre code needs a size
pre_code_outside kst_add: pre code needs a size and must be in the update module
pre_relocs_many kst_add: 100000 pre relocations
pre_relocs_alone kst_add: pre relocations without pre code
pre_reloc_offset pre relocation 0 at +0xfffffffe runs past
pre_reloc_past pre relocation 0 at +0xd runs past
pre_reloc_type pre relocation 0 has unknown type 99
pre_reloc_symbol pre relocation 0 has a bad symbol
reloc_type relocation 0 has unknown type 99
reloc_site_null relocation 0 writes outside the update module
reloc_site_outside relocation 0 writes outside the update module
reloc_symbol relocation 0 has a bad symbol
nr_relocs 1073741824 relocations
hook_kernel apply check hook 0 is not in the update module's text
EOF

# After all that, the good update still applies.
check "kst_v2 applies after the refusals" stage kst_v2 applied
eq "patched again" "$(call 5)" 7
check "undo kst_v2" stage kst_v2 reversed
check "remove kst_v2" rmmod kst_v2
check "core module removable" rmmod ksplice
finish
