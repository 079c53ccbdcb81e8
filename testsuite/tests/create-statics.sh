#!/bin/bash
# Numbered statics, generated names and once-flags (issue 9, item 5), on
# Debian's tree (testsuite/statics/*.patch):
#  - once: a pr_warn_once() in kernel/capability.c's cap_validate_magic,
#    beside the two pr_info_once() inlined there: gcc renumbers their
#    __already_done flags in .data.once.  Only cap_validate_magic changes;
#    the old flags stay the running kernel's (a legacy warning printed
#    before the update is not printed again), the new one is the update's
#    own (its message shows exactly once);
#  - once-front: a pr_warn_once() put in front of the inlined legacy
#    warning, in the same function: which flag is which is told by the
#    message each passes on (refused before as ambiguous);
#  - ratelimit: a pr_warn_ratelimited("%s", __func__) in mm/util.c's
#    overcommit_ratio_handler renumbers the other __func__ and _rs
#    statics of the file: only that function changes
#    (__vm_enough_memory, which uses the renumbered ones, does not);
#  - include: an #include that shifts __COUNTER__ (the dynamic debug
#    descriptor __UNIQUE_ID_ddebug388 becomes ...391) and a pr_info() in
#    overcommit_kbytes_handler: only that function changes
#    (__account_locked_vm, whose pr_debug uses the descriptor, does not).
#  - warn-once: a WARN_ONCE() in fs/exec.c's copy_string_kernel, in a
#    file with other once-flags (refused before: do_execveat_common
#    read as referring to unnamed writable data): only that function
#    changes; it runs for every #! script the guest executes.
# Each update applies in the VM, its new code runs (dmesg), and undoes.
. "$(dirname "$0")/../lib.sh"
for t in create apply undo view; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
tmp=$(test_tmpdir)
create=$REPO/userspace/ksplice-create
S=$REPO/testsuite/statics
"$create" --prepare --debian="$rel" >"$tmp/prepare.log" 2>&1 ||
	{ cat "$tmp/prepare.log"; skip "cannot prepare Debian's tree of $rel"; }

# build CASE: ksplice-create --id=st-CASE from statics/CASE.patch
build() {
	"$create" "${SIGN[@]}" --debian="$rel" --id="st-$1" --patch="$S/$1.patch" -o "$tmp" \
		</dev/null >"$tmp/$1.log" 2>&1 || { cat "$tmp/$1.log"; fail "ksplice-create $1 failed"; }
	cat "$tmp/$1.log"
}

# functions CASE: the package's replaced functions, sorted, one line
functions() {
	tar -xzOf "$tmp/ksplice-st-$1.tar.gz" "ksplice-st-$1/manifest" |
		awk '$1 == "function" { print $2 }' | sort | tr '\n' ' '
}

build once
expect_eq "$(functions once)" "cap_validate_magic " "functions of the once update"
expect_not_contains "$(cat "$tmp/once.log")" "refused"
tar -xzOf "$tmp/ksplice-st-once.tar.gz" --wildcards '*.ko' >"$tmp/once.ko"
# the new flag is the update's own: one byte of .data.once in the module
expect_match "$(readelf -SW "$tmp/once.ko")" '\.data\.once +PROGBITS +[0-9a-f]+ [0-9a-f]+ 000001 '

build once-front
expect_eq "$(functions once-front)" "cap_validate_magic " "functions of the once-front update"

build ratelimit
expect_eq "$(functions ratelimit)" "overcommit_ratio_handler " "functions of the ratelimit update"
expect_not_contains "$(cat "$tmp/ratelimit.log")" "__vm_enough_memory"

build include
expect_eq "$(functions include)" "overcommit_kbytes_handler " "functions of the include update"
expect_not_contains "$(cat "$tmp/include.log")" "__account_locked_vm"

build warn-once
expect_eq "$(functions warn-once)" "copy_string_kernel " "functions of the warn-once update"

gcc -static -O2 -Wall -o "$tmp/capver" "$S/capver.c" || fail "cannot build capver"

vm_run_ok --kernel "$rel" --add "$tmp/ksplice-st-once.tar.gz:/root/pkg/" \
	--add "$tmp/ksplice-st-once-front.tar.gz:/root/pkg/" \
	--add "$tmp/ksplice-st-ratelimit.tar.gz:/root/pkg/" \
	--add "$tmp/ksplice-st-include.tar.gz:/root/pkg/" \
	--add "$tmp/ksplice-st-warn-once.tar.gz:/root/pkg/" \
	--add "$tmp/capver:/root/capver" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh create-statics.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
