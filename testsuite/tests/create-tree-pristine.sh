#!/bin/bash
# The prepared tree stays as it was, whatever a build remakes (issue 9,
# item 6): a fix in two directories (arch/x86/events, kernel/events) with
# a header that kernel/bounds.c, arch/x86/kernel/asm-offsets.c and
# scripts/mod read (include/linux/kbuild.h), so that kbuild remakes their
# outputs in both work copies at once.  The tree is a private full copy
# (cp -a) of the prepared one, in a cache of its own with what runs keep
# beside it (the object map: not asked of kbuild again), so that a
# regression damages no shared cache.  The update must build with both
# objects, and every file of the tree keep its size, time and content.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/userspace/ksplice-create"
rel=$(default_kernel)
cache=${KSPLICE_CACHE:-$REPO/cache}
tmp=$(test_tmpdir)
create=$REPO/userspace/ksplice-create
"$create" --prepare --debian="$rel" >"$tmp/prepare.log" 2>&1 ||
	{ cat "$tmp/prepare.log"; skip "cannot prepare Debian's tree of $rel"; }

scratch=$cache/scratch/create-tree-pristine.$$
tree=$scratch/trees/$rel
trap 'rm -rf "$scratch"; _test_cleanup' EXIT
private_tree "$scratch" -a "$rel" || fail "cannot copy the prepared tree of $rel"

cat >"$tmp/perf.patch" <<'PATCH'
--- a/arch/x86/events/core.c
+++ b/arch/x86/events/core.c
@@ -2629,7 +2629,7 @@
 				  struct device_attribute *attr,
 				  char *buf)
 {
-	return snprintf(buf, PAGE_SIZE, "%d\n", x86_pmu_max_precise());
+	return snprintf(buf, PAGE_SIZE, "%d (ksplice)\n", x86_pmu_max_precise());
 }
 
 static DEVICE_ATTR_RO(max_precise);
--- a/kernel/events/core.c
+++ b/kernel/events/core.c
@@ -11288,7 +11288,7 @@
 {
 	struct pmu *pmu = dev_get_drvdata(dev);
 
-	return scnprintf(page, PAGE_SIZE - 1, "%d\n", pmu->nr_addr_filters);
+	return scnprintf(page, PAGE_SIZE - 1, "%d (ksplice)\n", pmu->nr_addr_filters);
 }
 static DEVICE_ATTR_RO(nr_addr_filters);
 
--- a/include/linux/kbuild.h
+++ b/include/linux/kbuild.h
@@ -1,5 +1,6 @@
 /* SPDX-License-Identifier: GPL-2.0 */
 #ifndef __LINUX_KBUILD_H
 #define __LINUX_KBUILD_H
+/* every prepare output that reads this is remade */
 
 #define DEFINE(sym, val) \
PATCH

# size and time of every file, and the content of what kbuild may remake
state() {
	(cd "$tree" && find . -type f -printf '%P %s %T@\n' | sort &&
		md5sum kernel/bounds.s arch/x86/kernel/asm-offsets.s \
			scripts/mod/devicetable-offsets.s scripts/mod/*.o \
			include/generated/*.h kernel/.bounds.s.cmd)
}
state >"$tmp/before"
[[ $(wc -l <"$tmp/before") -gt 80000 ]] || fail "the tree copy looks incomplete"

KSPLICE_CACHE=$scratch "$create" "${SIGN[@]}" --debian="$rel" --id=pristine \
	--patch="$tmp/perf.patch" -o "$tmp" --keep-work \
	>"$tmp/create.log" 2>&1 || { cat "$tmp/create.log"; fail "ksplice-create failed"; }
cat "$tmp/create.log"
out=$(cat "$tmp/create.log")
expect_contains "$out" "arch/x86/events/core.o (vmlinux)"
expect_contains "$out" "kernel/events/core.o (vmlinux)"
expect_contains "$out" "max_precise_show: changed function"
expect_contains "$out" "nr_addr_filters_show: changed function"
expect_match "$out" "generated files copied, not linked"
[[ -f $tmp/ksplice-pristine.tar.gz ]] || fail "no package written"
# the build did remake a prepare output (else this proves nothing)
work=$(sed -n 's/^ksplice-create: work directory kept: //p' "$tmp/create.log")
[[ -n $work ]] && trap 'rm -rf "$scratch" "$work"; _test_cleanup' EXIT
[[ $work/post/kernel/bounds.s -nt $tree/kernel/bounds.s ]] ||
	fail "kbuild remade no prepare output in the work copy: the test proves nothing"
state >"$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "the build changed the prepared tree"
log "the prepared tree is unchanged ($(wc -l <"$tmp/before") files)"
