#!/bin/bash
# Functions that share a section: testsuite/examples/sections/ has two
# static functions in .sched.text (as __sched ones are), the call between
# them resolved by the assembler.  sections.patch changes the caller
# alone: ksplice-create gives the call its relocation back, and in the
# guest the new code calls the running sect_scale (72), undo gives 71.
# sections-noinstr.patch changes a noinstr function: refused when built
# (exit 2), naming the function and why, and no package is written.
. "$(dirname "$0")/../lib.sh"
example_bed

built=$(build_kmod "$ex/sections" "$rel")
# the example does share the section: the call has no relocation
objdump -dr "$built/sections.o" >"$tmp/dis" || fail "objdump sections.o"
grep -q '^Disassembly of section .sched.text' "$tmp/dis" ||
	fail "sections.o has no .sched.text"

log "ksplice-create sect (sect_calc changes, calls the running sect_scale)"
"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id=sect --patch="$ex/sections.patch" \
	-o "$tmp" --kdir="/lib/modules/$rel/build" "$ex/sections" >"$tmp/sect.log" 2>&1 ||
	{ cat "$tmp/sect.log"; fail "ksplice-create sect failed"; }
expect_contains "$(cat "$tmp/sect.log")" "sect_calc: changed function"
expect_not_contains "$(cat "$tmp/sect.log")" "sect_scale: changed function"

log "ksplice-create sectn (a noinstr function changes): refused"
rc=0
"$REPO/userspace/ksplice-create" "${SIGN[@]}" --id=sectn --patch="$ex/sections-noinstr.patch" \
	-o "$tmp" --kdir="/lib/modules/$rel/build" "$ex/sections" >"$tmp/sectn.log" 2>&1 || rc=$?
expect_eq "$rc" 2 "ksplice-create of a noinstr change: exit status"
expect_contains "$(cat "$tmp/sectn.log")" "sect_mark: is in noinstr text, which is never patched live"
[[ ! -e $tmp/ksplice-sectn.tar.gz ]] || fail "a package was written for a refused change"

vm_run_ok --kernel "$rel" --add "$built/sections.ko:/root/sections.ko" \
	--add "$REPO/testsuite/tests/guest:/root/guest" \
	--add "$tmp/ksplice-sect.tar.gz:/root/pkg/ksplice-sect.tar.gz" \
	-- 'cd /root/guest && sh create-sections.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
