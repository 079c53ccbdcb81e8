#!/bin/bash
# ksplice-create from Debian's kernel source (issue 5): prepare the VM
# kernel's tree once (cached under $KSPLICE_CACHE/trees, reused by every
# later run), build an update for a string change in /proc/cmdline, which
# is built into vmlinux, one for binfmt_misc, built as a module, and one
# from a copy of the tree altered on purpose.  In the VM: the altered one
# is refused by run-pre matching (no_match), the others show their
# strings after ksplice-apply and the old ones after ksplice-undo.
# Skips when the tree cannot be prepared
# (no network, apt lists without that release's source).
. "$(dirname "$0")/../lib.sh"
for t in create apply undo; do need_file "$REPO/userspace/ksplice-$t"; done
need_file "$REPO/kmod/ksplice.ko"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
cache=${KSPLICE_CACHE:-$REPO/cache}
tmp=$(test_tmpdir)
create=$REPO/userspace/ksplice-create

log "preparing the tree of $rel (once; cached in $cache/trees/$rel)"
start=$SECONDS
rc=0
"$create" --prepare --debian="$rel" >"$tmp/prepare.log" 2>&1 || rc=$?
if [[ $rc != 0 ]]; then
	cat "$tmp/prepare.log"
	if [[ $rc == 3 ]] && grep -qiE 'apt|download|network' "$tmp/prepare.log"; then
		skip "cannot get Debian's source of $rel"
	fi
	fail "preparing the tree failed (exit $rc)"
fi
log "tree ready after $((SECONDS - start)) s"

cat >"$tmp/cmdline.patch" <<'PATCH'
--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -7,7 +7,7 @@
 static int cmdline_proc_show(struct seq_file *m, void *v)
 {
 	seq_puts(m, saved_command_line);
-	seq_putc(m, '\n');
+	seq_puts(m, " ksplice=tree-test\n");
 	return 0;
 }
 
PATCH

start=$SECONDS
"$create" "${SIGN[@]}" --debian="$rel" --id=tree-cmdline --patch="$tmp/cmdline.patch" -o "$tmp" \
	>"$tmp/create.log" 2>&1 || { cat "$tmp/create.log"; fail "ksplice-create failed"; }
cat "$tmp/create.log"
log "ksplice-create from the prepared tree: $((SECONDS - start)) s"
expect_contains "$(cat "$tmp/create.log")" "fs/proc/cmdline.o (vmlinux)"

# A module's fix: binfmt_misc, built as a module, shows the new status
# line of a registered format.
cat >"$tmp/binfmt.patch" <<'PATCH'
--- a/fs/binfmt_misc.c
+++ b/fs/binfmt_misc.c
@@ -563,7 +563,7 @@
 	const char *status = "disabled";
 
 	if (test_bit(Enabled, &e->flags))
-		status = "enabled";
+		status = "enabled (ksplice)";
 
 	if (!VERBOSE_STATUS) {
 		sprintf(page, "%s\n", status);
PATCH
"$create" "${SIGN[@]}" --debian="$rel" --id=tree-binfmt --patch="$tmp/binfmt.patch" -o "$tmp" \
	>"$tmp/binfmt.log" 2>&1 || { cat "$tmp/binfmt.log"; fail "ksplice-create (module) failed"; }
expect_contains "$(cat "$tmp/binfmt.log")" "fs/binfmt_misc.o (binfmt_misc)"
# the tree has been built in once (above): kbuild's environment is kept
# and this one-file fix compiles without the top-level make (kbenv.c);
# the guest below runs the module it built
expect_contains "$(cat "$tmp/binfmt.log")" "scripts/Makefile.build started directly"

# A module fix whose new code calls symbols exported in a namespace
# (usb-storage's USB_STORAGE): the update module must import it, or
# modpost refuses to build it.
cat >"$tmp/ns.patch" <<'PATCH'
--- a/drivers/usb/storage/alauda.c
+++ b/drivers/usb/storage/alauda.c
@@ -323,7 +323,7 @@
 	if (rc == USB_STOR_XFER_GOOD)
 		usb_stor_dbg(us, "Media status %02X %02X\n", data[0], data[1]);
 
-	return rc;
+	return rc == USB_STOR_XFER_STALLED ? USB_STOR_XFER_ERROR : rc;
 }
 
 /*
PATCH
"$create" "${SIGN[@]}" --debian="$rel" --id=tree-ns --patch="$tmp/ns.patch" -o "$tmp" \
	>"$tmp/ns.log" 2>&1 || { cat "$tmp/ns.log"; fail "ksplice-create (namespaced symbols) failed"; }
expect_contains "$(cat "$tmp/ns.log")" "namespace USB_STORAGE: importing it"
tar -xzOf "$tmp/ksplice-tree-ns.tar.gz" --wildcards '*.ko' >"$tmp/ns.ko"
expect_contains "$(modinfo -F import_ns "$tmp/ns.ko")" "USB_STORAGE"

# One update, two files: version.c gains a new global function that
# cmdline.c's changed code calls.  The update links as one: the call
# reaches the update's own copy, not a lookup in the running kernel.
cat >"$tmp/two.patch" <<'PATCH'
--- a/fs/proc/version.c
+++ b/fs/proc/version.c
@@ -16,6 +16,11 @@
 	return 0;
 }
 
+void ksplice_cmdline_mark(struct seq_file *m)
+{
+	seq_puts(m, " ksplice=two-files");
+}
+
 static int __init proc_version_init(void)
 {
 	struct proc_dir_entry *pde;
--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -4,9 +4,12 @@
 #include <linux/proc_fs.h>
 #include <linux/seq_file.h>
 
+void ksplice_cmdline_mark(struct seq_file *m);
+
 static int cmdline_proc_show(struct seq_file *m, void *v)
 {
 	seq_puts(m, saved_command_line);
+	ksplice_cmdline_mark(m);
 	seq_putc(m, '\n');
 	return 0;
 }
PATCH
"$create" "${SIGN[@]}" --debian="$rel" --id=tree-two --patch="$tmp/two.patch" -o "$tmp" \
	>"$tmp/two.log" 2>&1 || { cat "$tmp/two.log"; fail "ksplice-create (two files) failed"; }
expect_contains "$(cat "$tmp/two.log")" "ksplice_cmdline_mark: new function"

# A tree that differs from the running kernel in cmdline_proc_show: a
# hard-link copy of the prepared one, with cmdline.c replaced (not edited:
# the prepared tree shares its files), in a cache of its own with what
# runs keep beside the tree.  The release strings agree.
scratch=$cache/scratch/create-tree-altered.$$
altered=$scratch/trees/$rel
trap 'rm -rf "$scratch"; _test_cleanup' EXIT
private_tree "$scratch" -al "$rel" || fail "cannot copy the prepared tree of $rel"
src=$altered/fs/proc/cmdline.c
sed 's|^#include <linux/seq_file.h>$|&\n#define saved_command_line (saved_command_line + 1)|' "$src" >"$tmp/cmdline.c"
rm -f "$src"
cp "$tmp/cmdline.c" "$src"
grep -q 'saved_command_line + 1' "$src" || fail "could not alter cmdline.c"
KSPLICE_CACHE=$scratch "$create" "${SIGN[@]}" --debian="$rel" --id=tree-altered \
	--patch="$tmp/cmdline.patch" -o "$tmp" \
	>"$tmp/altered.log" 2>&1 || { cat "$tmp/altered.log"; fail "ksplice-create on the altered tree failed"; }
rm -rf "$scratch"

vm_run_ok --kernel "$rel" --modules binfmt_misc,ums-alauda --add "$tmp/ksplice-tree-cmdline.tar.gz:/root/pkg/" \
	--add "$tmp/ksplice-tree-ns.tar.gz:/root/pkg/" --add "$tmp/ksplice-tree-two.tar.gz:/root/pkg/" \
	--add "$tmp/ksplice-tree-altered.tar.gz:/root/pkg/" --add "$tmp/ksplice-tree-binfmt.tar.gz:/root/pkg/" \
	--add "$REPO/testsuite/tests/guest:/root/guest" -- 'cd /root/guest && sh create-tree.sh'
expect_match "$VM_OUTPUT" "^guest: [0-9]+ passed, 0 failed"
