#!/bin/bash
# Line numbers are no change (issue 9), and never a wrong "no change":
# on Debian's tree,
#  - a blank line added at the top of fs/xfs/xfs_dir2_readdir.c moves the
#    __LINE__ its functions pass beside __FILE__ (XFS_CORRUPTION_ERROR):
#    ksplice-create finds no functional change (exit 2) and says which
#    functions differ only in line numbers;
#  - a blank line at the top of fs/ext4/ioctl.c moves __LINE__s passed
#    beside __func__ (ext4_std_error...): a __func__ vouches for nothing,
#    so those functions count as changed (an equivalent function carried
#    is harmless; a fix left out is not);
#  - the xfs blank line plus a real one-line change in xfs_readdir gives
#    exactly that function changed, and --explain prints its instruction diff.
# No VM.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/userspace/ksplice-create"
rel=$(default_kernel)
tmp=$(test_tmpdir)
create=$REPO/userspace/ksplice-create
"$create" --prepare --debian="$rel" >"$tmp/prepare.log" 2>&1 ||
	{ cat "$tmp/prepare.log"; skip "cannot prepare Debian's tree of $rel"; }
tree=${KSPLICE_CACHE:-$REPO/cache}/trees/$rel

# blank FILE: a patch adding an empty line after the first line of FILE
blank() {
	echo "--- a/$1"
	echo "+++ b/$1"
	echo "@@ -1,3 +1,4 @@"
	sed -n 1p "$tree/$1" | sed 's/^/ /'
	echo "+"
	sed -n 2,3p "$tree/$1" | sed 's/^/ /'
}

X=fs/xfs/xfs_dir2_readdir.c
blank $X >"$tmp/blank.patch"
patch -p1 --dry-run -d "$tree" <"$tmp/blank.patch" >/dev/null || skip "$X differs in this tree"
rc=0
"$create" "${SIGN[@]}" --debian="$rel" --id=lines-blank --patch="$tmp/blank.patch" -o "$tmp" \
	</dev/null >"$tmp/blank.log" 2>&1 || rc=$?
cat "$tmp/blank.log"
expect_eq "$rc" 2 "exit status for a blank line"
expect_contains "$(cat "$tmp/blank.log")" "no functional change"
expect_contains "$(cat "$tmp/blank.log")" "xfs_dir2_block_getdents: differs only in line numbers the patch moves"
[[ ! -e $tmp/ksplice-lines-blank.tar.gz ]] || fail "a package was written for a blank line"

E=fs/ext4/ioctl.c
blank $E >"$tmp/ext4.patch"
rc=0
"$create" "${SIGN[@]}" --debian="$rel" --id=lines-ext4 --patch="$tmp/ext4.patch" -o "$tmp" \
	</dev/null >"$tmp/ext4.log" 2>&1 || rc=$?
cat "$tmp/ext4.log"
expect_eq "$rc" 0 "exit status for a blank line moving __LINE__s beside __func__"
expect_not_contains "$(cat "$tmp/ext4.log")" "no functional change"
[[ $(grep -c ': changed function$' "$tmp/ext4.log" || true) -ge 1 ]] ||
	fail "the ext4 functions whose __LINE__ moved are not counted as changed"

# The xfs blank line and a real change in xfs_readdir.
{
	cat "$tmp/blank.patch"
	cat <<'PATCH'
@@ -518,7 +519,7 @@
 	trace_xfs_readdir(dp);
 
 	if (xfs_is_shutdown(dp->i_mount))
-		return -EIO;
+		return -ESHUTDOWN;
 
 	ASSERT(S_ISDIR(VFS_I(dp)->i_mode));
 	ASSERT(xfs_isilocked(dp, XFS_IOLOCK_SHARED | XFS_IOLOCK_EXCL));
PATCH
} >"$tmp/real.patch"
rc=0
"$create" "${SIGN[@]}" --debian="$rel" --id=lines-real --explain --patch="$tmp/real.patch" -o "$tmp" \
	</dev/null >"$tmp/real.log" 2>&1 || rc=$?
cat "$tmp/real.log"
expect_eq "$rc" 0 "exit status for a real change"
changed=$(grep -c ': changed function$' "$tmp/real.log" || true)
expect_eq "$changed" 1 "functions changed by the real change"
expect_contains "$(cat "$tmp/real.log")" "fs/xfs/xfs_dir2_readdir.o: xfs_readdir: changed function"
# --explain: its instruction diff
expect_contains "$(cat "$tmp/real.log")" "fs/xfs/xfs_dir2_readdir.o: xfs_readdir: changed function:"
expect_match "$(cat "$tmp/real.log")" "fs/xfs/xfs_dir2_readdir.o: [-+] "
