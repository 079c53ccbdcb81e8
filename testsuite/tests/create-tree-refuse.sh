#!/bin/bash
# ksplice-create from Debian's kernel tree refuses what a live patch cannot
# carry, with objdiff's rule, exit 2, and no package: a change to __init
# code (it ran at boot and is gone), and a changed initial value of
# existing data (the running instance keeps its value).
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/userspace/ksplice-create"
rel=$(default_kernel)
tmp=$(test_tmpdir)
"$REPO/userspace/ksplice-create" --prepare --debian="$rel" >"$tmp/prepare.log" 2>&1 ||
	{ cat "$tmp/prepare.log"; skip "cannot prepare Debian's tree of $rel"; }

# refuse NAME PATCH RULE: ksplice-create must exit 2 naming RULE.
refuse() {
	local rc=0
	"$REPO/userspace/ksplice-create" "${SIGN[@]}" --debian="$rel" --id="$1" --patch="$2" -o "$tmp" \
		</dev/null >"$tmp/$1.log" 2>&1 || rc=$?
	cat "$tmp/$1.log"
	expect_eq "$rc" 2 "exit status of ksplice-create for $1"
	expect_contains "$(cat "$tmp/$1.log")" "$3"
	[[ ! -e $tmp/ksplice-$1.tar.gz ]] || fail "$1: a package was written"
}

cat >"$tmp/init.patch" <<'PATCH'
--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -13,7 +13,7 @@
 
 static int __init proc_cmdline_init(void)
 {
-	proc_create_single("cmdline", 0, NULL, cmdline_proc_show);
+	proc_create_single("cmdline", 0400, NULL, cmdline_proc_show);
 	return 0;
 }
 fs_initcall(proc_cmdline_init);
PATCH
refuse init "$tmp/init.patch" "__init"

cat >"$tmp/data.patch" <<'PATCH'
--- a/kernel/sysctl.c
+++ b/kernel/sysctl.c
@@ -85,7 +85,7 @@
 
 /* Constants used for minimum and maximum */
 
-static const int ngroups_max = NGROUPS_MAX;
+static const int ngroups_max = NGROUPS_MAX - 1;
 static const int cap_last_cap = CAP_LAST_CAP;
 
 #ifdef CONFIG_PRINTK
PATCH
if patch -p1 --dry-run -d "${KSPLICE_CACHE:-$REPO/cache}/trees/$rel" <"$tmp/data.patch" >/dev/null 2>&1; then
	refuse data "$tmp/data.patch" "changed initial value of existing data"
else
	log "kernel/sysctl.c differs in this tree; skipping the data case"
fi
