#!/bin/bash
# Line numbers are no change (issue 9): on Debian's tree, a blank line
# added at the top of fs/ext4/ioctl.c moves every __LINE__ its functions
# pass with __func__ (ext4_journal_get_write_access, ext4_std_error...)
# and ksplice-create finds no functional change (exit 2); the same blank
# line plus a real one-line change in ext4_fileattr_get gives exactly one
# changed function, and --explain prints its instruction diff.  No VM.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/userspace/ksplice-create"
rel=$(default_kernel)
tmp=$(test_tmpdir)
create=$REPO/userspace/ksplice-create
"$create" --prepare --debian="$rel" >"$tmp/prepare.log" 2>&1 ||
	{ cat "$tmp/prepare.log"; skip "cannot prepare Debian's tree of $rel"; }
tree=${KSPLICE_CACHE:-$REPO/cache}/trees/$rel

cat >"$tmp/blank.patch" <<'PATCH'
--- a/fs/ext4/ioctl.c
+++ b/fs/ext4/ioctl.c
@@ -1,4 +1,5 @@
 // SPDX-License-Identifier: GPL-2.0
+
 /*
  * linux/fs/ext4/ioctl.c
  *
PATCH
patch -p1 --dry-run -d "$tree" <"$tmp/blank.patch" >/dev/null ||
	skip "fs/ext4/ioctl.c differs in this tree"
rc=0
"$create" --debian="$rel" --id=lines-blank --patch="$tmp/blank.patch" -o "$tmp" \
	</dev/null >"$tmp/blank.log" 2>&1 || rc=$?
cat "$tmp/blank.log"
expect_eq "$rc" 2 "exit status for a blank line"
expect_contains "$(cat "$tmp/blank.log")" "no functional change"
expect_contains "$(cat "$tmp/blank.log")" "differs only in line numbers the patch moves"
[[ ! -e $tmp/ksplice-lines-blank.tar.gz ]] || fail "a package was written for a blank line"

cat >"$tmp/real.patch" <<'PATCH'
--- a/fs/ext4/ioctl.c
+++ b/fs/ext4/ioctl.c
@@ -1,4 +1,5 @@
 // SPDX-License-Identifier: GPL-2.0
+
 /*
  * linux/fs/ext4/ioctl.c
  *
@@ -981,7 +982,7 @@
 	u32 flags = ei->i_flags & EXT4_FL_USER_VISIBLE;
 
 	if (S_ISREG(inode->i_mode))
-		flags &= ~FS_PROJINHERIT_FL;
+		flags &= ~(FS_PROJINHERIT_FL | FS_NOATIME_FL);
 
 	fileattr_fill_flags(fa, flags);
 	if (ext4_has_feature_project(inode->i_sb))
PATCH
rc=0
"$create" --debian="$rel" --id=lines-real --explain --patch="$tmp/real.patch" -o "$tmp" \
	</dev/null >"$tmp/real.log" 2>&1 || rc=$?
cat "$tmp/real.log"
expect_eq "$rc" 0 "exit status for a real change"
changed=$(grep -c ': changed function$' "$tmp/real.log" || true)
expect_eq "$changed" 1 "functions changed by the real change"
expect_contains "$(cat "$tmp/real.log")" "fs/ext4/ioctl.o: ext4_fileattr_get: changed function"
# --explain: its instruction diff, with the mask of FS_PROJINHERIT_FL
# (0x20000000) and the new one with FS_NOATIME_FL (0x80) as well
expect_contains "$(cat "$tmp/real.log")" "fs/ext4/ioctl.o: ext4_fileattr_get: changed function:"
expect_match "$(cat "$tmp/real.log")" "fs/ext4/ioctl.o: -.*\\\$0x[0-9a-f]*df[0-9a-f]*"
expect_match "$(cat "$tmp/real.log")" "fs/ext4/ioctl.o: \\+.*\\\$0x[0-9a-f]*df[0-9a-f]*7f"
