#!/bin/bash
# ksplice-create for fixes to headers (issue 9, item 2): only the objects
# that may use a name the patch changes are built, found in seconds.
# A macro of include/linux/sched/loadavg.h is used by fs/proc/loadavg.c
# and, through kernel/sched/build_utility.c's #include of psi.c, by the
# pressure files: both objects must be in the update, and the guest sees
# both /proc/loadavg and /proc/pressure/cpu change after ksplice-apply
# and come back after ksplice-undo (a dropped object leaves one
# unchanged).  On the host: an inline of include/net/route.h that
# hundreds of objects include comes down to the three that call it; a
# struct member added to route.h is refused naming struct rtable (and
# the member, when the fix builds an object that shows it); a
# comment-only change is no change; a changed #include counts every
# includer; a header kbuild includes from its command line cannot be
# told.  An entry macro in nospec-branch.h's assembler text comes down to
# the one .S file that uses it.  Whether a struct whose members change
# keeps its layout is for the compiler's debug info to say: a rename
# does, a member added in padding does not, and is the answer even beside
# a header of too many users to tell; a struct a patched .c file defines
# for itself must keep its layout too.  A symbol version that changes
# with the text of such a struct alone keeps the running version: the
# acpi_battery_hook update is built, applied in the guest and undone.
. "$(dirname "$0")/../lib.sh"
debian_tree_bed

# mkpatch FILE SED: a patch of FILE of the tree, edited by SED.
mkpatch() {
	rm -rf "$tmp/a" "$tmp/b"
	mkdir -p "$tmp/a/${1%/*}" "$tmp/b/${1%/*}"
	cp "$tree/$1" "$tmp/a/$1"
	cp "$tree/$1" "$tmp/b/$1"
	sed -i "$2" "$tmp/b/$1"
	! cmp -s "$tmp/a/$1" "$tmp/b/$1" || fail "$1: the edit changed nothing"
	(cd "$tmp" && diff -u "a/$1" "b/$1") || [[ $? == 1 ]]
}

# list NAME PATCH: --list-objects, its exit status in $rc, output in $out.
list() {
	rc=0
	out=$("${create[@]}" --list-objects --patch="$2" 2>"$tmp/$1.log") || rc=$?
	cat "$tmp/$1.log"
}

# build NAME: ksplice-create for $tmp/NAME.patch, its exit status in $rc,
# its output in $tmp/NAME.log (and shown).
build() {
	rc=0
	"${create[@]}" --patch="$tmp/$1.patch" -o "$tmp" >"$tmp/$1.log" 2>&1 || rc=$?
	cat "$tmp/$1.log"
}

# route.h: an inline that 1,600 objects may include, three call.
mkpatch include/net/route.h '/^static inline bool rt_is_input_route/,/^}/ s/return rt->rt_is_input != 0;/return READ_ONCE(rt->rt_is_input) != 0;/' >"$tmp/route.patch"
start=$SECONDS
list route "$tmp/route.patch"
log "route.h: objects listed in $((SECONDS - start)) s"
expect_eq "$rc" 0 "exit status of --list-objects for the route.h inline"
expect_eq "$(sort <<<"$out")" "$(printf '%s\n' 'net/ipv4/icmp.o vmlinux' \
	'net/ipv4/route.o vmlinux' 'net/netfilter/ipvs/ip_vs_xmit.o ip_vs')" \
	"objects of the route.h inline"
expect_contains "$(cat "$tmp/route.log")" "changes 1 name (rt_is_input_route)"

# a struct member added: refused, naming the struct (its 1,600 users
# are too many to compare its layout in)
mkpatch include/net/route.h 's/^\t__u8\t\t\trt_is_input;/\t__u8\t\t\trt_is_input;\n\t__u8\t\t\trt_pad;/' >"$tmp/struct.patch"
list struct "$tmp/struct.patch"
expect_eq "$rc" 2 "exit status for a struct layout change"
expect_contains "$(cat "$tmp/struct.log")" "struct rtable changes its members"
expect_contains "$(cat "$tmp/struct.log")" "a layout change cannot be ruled out"
# the same member beside a fix to route.c: route.o, built for the fix,
# shows the layout (every object sees the same one): refused saying how
# it changes, not "cannot be ruled out"
cp "$tmp/struct.patch" "$tmp/struct-probe.patch"
mkpatch net/ipv4/route.c 's/pr_warn("martian source %pI4 from %pI4, on dev %s\\n",/pr_warn("martian source %pI4 from %pI4 on dev %s\\n",/' >>"$tmp/struct-probe.patch"
build struct-probe
expect_eq "$rc" 2 "exit status for a layout change of a header of too many users, beside a .c fix"
expect_contains "$(cat "$tmp/struct-probe.log")" "struct rtable changes its layout: its size changes from 176 to 184 bytes"
expect_contains "$(cat "$tmp/struct-probe.log")" "as net/ipv4/route.o is compiled"

# struct pde_opener (fs/proc/internal.h, one user): the compiler's debug
# info decides.  A member renamed keeps the layout, and the rename
# compiles to the same code; a member added in the padding after a bool
# keeps the size but is a layout change, refused naming it.
mkpatch fs/proc/internal.h '/^struct pde_opener {/,/^};/ s/\bclosing\b/closing_now/' >"$tmp/rename.patch"
mkpatch fs/proc/inode.c 's/\bpdeo->closing\b/pdeo->closing_now/' >>"$tmp/rename.patch"
build rename
expect_eq "$rc" 2 "exit status for a renamed member (no code changes)"
expect_contains "$(cat "$tmp/rename.log")" "struct pde_opener: its members change, its layout does not"
expect_contains "$(cat "$tmp/rename.log")" "no functional change"
mkpatch fs/proc/internal.h '/^struct pde_opener {/,/^};/ s/^\tbool closing;$/&\n\tbool closing_soon;/' >"$tmp/padding.patch"
build padding
expect_eq "$rc" 2 "exit status for a member added in padding"
expect_contains "$(cat "$tmp/padding.log")" "struct pde_opener changes its layout: member closing_soon (byte 25) is new"

# struct acpi_battery_hook (include/acpi/battery.h; the real 6.1.192 fix
# retyped its callbacks): its name member made a const pointer keeps the
# layout but changes the text genksyms reads, so the symbol versions of
# battery_hook_register and _unregister.  genksyms' .symtypes say only
# that struct changed: the running versions stay and the update builds,
# with battery_hook_register's new message.  (kpatch-suite's
# symvers-disagreement-FAIL is the case that stays refused.)
mkpatch include/acpi/battery.h 's/^\tconst char \*name;$/\tconst char *const name;/' >"$tmp/battery.patch"
mkpatch drivers/acpi/battery.c 's/pr_info("new extension: %s\\n", hook->name);/pr_info("new battery extension: %s\\n", hook->name);/' >>"$tmp/battery.patch"
start=$SECONDS
"${create[@]}" "${SIGN[@]}" --id=hdr-battery --patch="$tmp/battery.patch" -o "$tmp" >"$tmp/battery.log" 2>&1 ||
	{ cat "$tmp/battery.log"; fail "ksplice-create for the acpi_battery_hook member failed"; }
cat "$tmp/battery.log"
log "battery.h: update built in $((SECONDS - start)) s"
expect_contains "$(cat "$tmp/battery.log")" "struct acpi_battery_hook: its members change, its layout does not"
expect_contains "$(cat "$tmp/battery.log")" "drivers/acpi/battery.o: battery_hook_register: its version changes with the text of structs whose layout stays the same"
expect_contains "$(cat "$tmp/battery.log")" "drivers/acpi/battery.o: battery_hook_register: changed function"

# a struct a .c file defines for itself is running data too: acpi_ac,
# allocated by acpi_ac_add() while the old code ran, given a member
# (its functions then read state at another offset): refused, naming it
mkpatch drivers/acpi/ac.c 's/^\tunsigned long long state;$/\tunsigned long events;\n&/' >"$tmp/own.patch"
build own
expect_eq "$rc" 2 "exit status for a layout change of a .c file's own struct"
expect_contains "$(cat "$tmp/own.log")" "drivers/acpi/ac.c: struct acpi_ac changes its layout: its size changes from 144 to 152 bytes"

# a comment only: no definition changes, no object
mkpatch include/net/route.h 's|^/\* ip_route_connect() and ip_route_newports() work in tandem whilst|/* ip_route_connect() and ip_route_newports() work together while|' >"$tmp/comment.patch"
list comment "$tmp/comment.patch"
expect_eq "$rc" 0 "exit status of --list-objects for a comment-only change"
expect_eq "$out" "" "objects of a comment-only change"
expect_contains "$(cat "$tmp/comment.log")" "no definition in it changes"

# an #include added: every includer counts, so beyond --max-candidates
mkpatch include/net/route.h 's|^#include <net/dst.h>$|&\n#include <linux/log2.h>|' >"$tmp/include.patch"
list include "$tmp/include.patch"
expect_eq "$rc" 4 "exit status for an #include added to route.h"
expect_contains "$(cat "$tmp/include.log")" "an #include changes"

# that #include beside a struct change of another header: the layout is
# compared first.  A member added is the answer (exit 2, not "cannot
# tell": raising the limit would only lead there); a rename is not, and
# route.h's users still cannot be told (exit 4, never "no change").
cat "$tmp/padding.patch" "$tmp/include.patch" >"$tmp/defer-layout.patch"
build defer-layout
expect_eq "$rc" 2 "exit status for a layout change beside a header of too many users"
expect_contains "$(cat "$tmp/defer-layout.log")" "struct pde_opener changes its layout: member closing_soon (byte 25) is new"
cat "$tmp/rename.patch" "$tmp/include.patch" >"$tmp/defer-rename.patch"
build defer-rename
expect_eq "$rc" 4 "exit status for a rename beside a header of too many users"
expect_contains "$(cat "$tmp/defer-rename.log")" "struct pde_opener: its members change, its layout does not"
expect_contains "$(tail -n 1 "$tmp/defer-rename.log")" "include/net/route.h: cannot tell which objects of this kernel the change concerns"

# a header every object includes from kbuild's command line: no #include
# line leads to its users, so ksplice-create cannot tell
mkpatch include/linux/compiler_attributes.h 's/^#define __cold  *__attribute__((__cold__))$/#define __cold __attribute__((__cold__, __unused__))/' >"$tmp/forced.patch"
list forced "$tmp/forced.patch"
expect_eq "$rc" 4 "exit status for a change to compiler_attributes.h"
expect_contains "$(cat "$tmp/forced.log")" "from kbuild's command line"

# assembler text under __ASSEMBLY__: an entry macro of nospec-branch.h
# (33,000 includers) that one .S file uses.  That file does not
# preprocess alone (kvm-asm-offsets.h is generated on the way to its .o),
# which says nothing of what it includes: it stays, never a "no change".
mkpatch arch/x86/include/asm/nospec-branch.h '/^\.macro CLEAR_BRANCH_HISTORY_VMEXIT/a\	lfence' >"$tmp/asm.patch"
list asm "$tmp/asm.patch"
expect_eq "$rc" 0 "exit status of --list-objects for an assembler macro"
expect_eq "$out" "arch/x86/kvm/vmx/vmenter.o kvm_intel" "objects of the nospec-branch.h macro"
expect_contains "$(cat "$tmp/asm.log")" "changes 1 name (CLEAR_BRANCH_HISTORY_VMEXIT)"
expect_contains "$(cat "$tmp/asm.log")" "did not preprocess alone"

# loadavg.h: a macro two vmlinux objects use, built, applied, undone
mkpatch include/linux/sched/loadavg.h 's/^#define LOAD_INT(x) ((x) >> FSHIFT)$/#define LOAD_INT(x) (((x) >> FSHIFT) + 700)/' >"$tmp/loadavg.patch"
start=$SECONDS
"${create[@]}" "${SIGN[@]}" --id=hdr-loadavg --patch="$tmp/loadavg.patch" -o "$tmp" >"$tmp/loadavg.log" 2>&1 ||
	{ cat "$tmp/loadavg.log"; fail "ksplice-create for the loadavg.h macro failed"; }
cat "$tmp/loadavg.log"
log "loadavg.h: update built in $((SECONDS - start)) s"
expect_contains "$(cat "$tmp/loadavg.log")" "fs/proc/loadavg.o (vmlinux)"
expect_contains "$(cat "$tmp/loadavg.log")" "kernel/sched/build_utility.o (vmlinux)"

vm_run_ok --kernel "$rel" --modules battery --add "$tmp/ksplice-hdr-loadavg.tar.gz:/root/pkg/" \
	--add "$tmp/ksplice-hdr-battery.tar.gz:/root/pkg/" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh create-header.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
