#!/bin/bash
# __init code beside runtime code (issue 10, item 1), on Debian's tree:
# fs/proc/cmdline.c's proc_cmdline_init (__init, ran at boot) and
# cmdline_proc_show (runs on every read of /proc/cmdline).
#  - both changed: refused (exit 2), naming the __init function and
#    pointing at --skip-init;
#  - both changed, --skip-init: built, saying what is left out; in the VM
#    the runtime half is live, and undo restores the old string;
#  - only the __init half changed, --skip-init: exit 2 with "nothing to
#    apply live", never "no functional change".
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/userspace/ksplice-create"
rel=$(default_kernel)
tmp=$(test_tmpdir)
create=$REPO/userspace/ksplice-create
"$create" --prepare --debian="$rel" >"$tmp/prepare.log" 2>&1 ||
	{ cat "$tmp/prepare.log"; skip "cannot prepare Debian's tree of $rel"; }

cat >"$tmp/init-only.patch" <<'PATCH'
--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -13,7 +13,7 @@
 
 static int __init proc_cmdline_init(void)
 {
-	proc_create_single("cmdline", 0, NULL, cmdline_proc_show);
+	proc_create_single("cmdline", 0444, NULL, cmdline_proc_show);
 	return 0;
 }
 fs_initcall(proc_cmdline_init);
PATCH
cat >"$tmp/both.patch" <<'PATCH'
--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -7,13 +7,13 @@
 static int cmdline_proc_show(struct seq_file *m, void *v)
 {
 	seq_puts(m, saved_command_line);
-	seq_putc(m, '\n');
+	seq_puts(m, " ksplice=init-test\n");
 	return 0;
 }
 
 static int __init proc_cmdline_init(void)
 {
-	proc_create_single("cmdline", 0, NULL, cmdline_proc_show);
+	proc_create_single("cmdline", 0444, NULL, cmdline_proc_show);
 	return 0;
 }
 fs_initcall(proc_cmdline_init);
PATCH
tree=${KSPLICE_CACHE:-$REPO/cache}/trees/$rel
patch -p1 --dry-run -d "$tree" <"$tmp/both.patch" >/dev/null || skip "fs/proc/cmdline.c differs in this tree"

rc=0
"$create" "${SIGN[@]}" --debian="$rel" --id=init-refused --patch="$tmp/both.patch" -o "$tmp" \
	</dev/null >"$tmp/refused.log" 2>&1 || rc=$?
cat "$tmp/refused.log"
expect_eq "$rc" 2 "exit status without --skip-init"
expect_contains "$(cat "$tmp/refused.log")" "proc_cmdline_init: changed __init function"
expect_contains "$(cat "$tmp/refused.log")" "--skip-init"
[[ ! -e $tmp/ksplice-init-refused.tar.gz ]] || fail "a package was written for a refused change"

rc=0
"$create" "${SIGN[@]}" --debian="$rel" --id=init-skip --skip-init --patch="$tmp/both.patch" -o "$tmp" \
	</dev/null >"$tmp/skip.log" 2>&1 || rc=$?
cat "$tmp/skip.log"
expect_eq "$rc" 0 "exit status with --skip-init"
expect_contains "$(cat "$tmp/skip.log")" "proc_cmdline_init: changed __init function left out (--skip-init)"
expect_contains "$(cat "$tmp/skip.log")" "1 changed __init item left out"
pkg=$tmp/ksplice-init-skip.tar.gz
manifest=$(tar xzf "$pkg" -O ksplice-init-skip/manifest)
expect_contains "$manifest" "function cmdline_proc_show"
expect_not_contains "$manifest" "proc_cmdline_init"

rc=0
"$create" "${SIGN[@]}" --debian="$rel" --id=init-only --skip-init --patch="$tmp/init-only.patch" -o "$tmp" \
	</dev/null >"$tmp/only.log" 2>&1 || rc=$?
cat "$tmp/only.log"
expect_eq "$rc" 2 "exit status when only __init code changed"
expect_contains "$(cat "$tmp/only.log")" "nothing to apply live"
expect_not_contains "$(cat "$tmp/only.log")" "no functional change"

vm_run_ok --kernel "$rel" --add "$pkg:/root/pkg/" -- '
	before=$(cat /proc/cmdline)
	ksplice-apply /root/pkg/ksplice-init-skip.tar.gz || exit 1
	after=$(cat /proc/cmdline)
	ksplice-undo init-skip || exit 1
	again=$(cat /proc/cmdline)
	[ "$after" = "$before ksplice=init-test" ] && echo "INIT: runtime half live"
	[ "$again" = "$before" ] && echo "INIT: undone"'
expect_contains "$VM_OUTPUT" "INIT: runtime half live"
expect_contains "$VM_OUTPUT" "INIT: undone"
