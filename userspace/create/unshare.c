// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: the work copies share no file a build may rewrite.
 *
 * A copy of the prepared tree is hard links to its files (tree.c).  A
 * build writes its outputs in place more often than not: gcc -S and the
 * assembler truncate an existing output, kbuild writes every .cmd record
 * with a plain `>`, kconfig truncates include/config/ files.  Any output
 * of the preparation kbuild decides to remake (kernel/bounds.s and
 * arch/x86/kernel/asm-offsets.s once a header they read is patched, the
 * scripts/mod host objects after them) would then be written into the
 * prepared tree and into the other copy, while that copy's build reads
 * it.  So every file the preparation generated, i.e. every file modified
 * after the tree was unpacked (newer than its top-level Makefile) and,
 * in a tree ksplice-create prepared, before .ksplice-complete, is copied
 * into each work copy, never linked: about 320 files of a Debian tree,
 * once kconfig's 6,400 per-symbol files are left out (link_entries()).
 * What a run builds besides (its objects, their records, the objects of
 * --full-tree) is removed before building (kbuild.c), and the check
 * after the build stays as a safety net.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "create.h"

#define STAMP	".stamp"

#define CONFIG_DIR	"include/config/"

/* kconfig's file of one symbol: include/config/<SYMBOL>, no dot */
static bool symbol_file(const char *rel)
{
	const char *p;

	if (strncmp(rel, CONFIG_DIR, strlen(CONFIG_DIR)))
		return false;
	p = rel + strlen(CONFIG_DIR);
	return *p && !p[strcspn(p, "/.")];
}

/*
 * Replace @copy's links to the preparation's outputs by copies of their
 * own (same times, so kbuild finds them as up to date as in the tree).
 * kconfig's per-symbol files are left out: see link_entries() (tree.c).
 */
void unshare_outputs(struct create *c, const char *copy)
{
	char *list = prepared_outputs(c), *text, *p, *end, *cmd, *ql, *qt, *qc;
	char *keep = xasprintf("%s.unshared", copy);	/* beside the copy */
	size_t len = 0;
	unsigned int n = 0;
	double t = now();
	FILE *f;

	text = read_file(list, &len);
	if (!text && len)
		die(EXIT_ENV, "cannot read %s", list);
	f = fopen(keep, "w");
	if (!f)
		die(EXIT_ENV, "cannot create %s", keep);
	for (p = text, end = text + len; p && p < end; p += strlen(p) + 1) {
		if (symbol_file(p + 2))		/* "./" */
			continue;
		/* an output under a symlinked directory would be the tree's own */
		materialize(c, copy, p + 2);
		fwrite(p, 1, strlen(p) + 1, f);
		n++;
	}
	if (fclose(f))
		die(EXIT_ENV, "cannot write %s", keep);
	free(text);
	ql = shell_quote(keep);
	qt = shell_quote(c->tree);
	qc = shell_quote(copy);
	cmd = xasprintf("cd %s && xargs -0r cp --parents --preserve=timestamps "
			"--remove-destination -t %s < %s && cd %s && "
			"xargs -0r chmod u+w < %s", qt, qc, ql, qc, ql);
	if (n && run_sh(NULL, cmd))
		die(EXIT_ENV, "cannot copy the generated files of %s into %s",
		    c->tree, copy);
	step("  %s: %u generated files copied, not linked (%.1f s)", copy, n,
	     now() - t);
	unlink(keep);
	free(keep);
	free(cmd);
	free(qc);
	free(qt);
	free(ql);
	free(list);
}

/* Marks the start of the run's writes, for check_untouched(). */
void stamp_work(struct create *c)
{
	char *stamp = xasprintf("%s/" STAMP, c->work);
	int fd = open(stamp, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || close(fd))
		die(EXIT_ENV, "cannot create %s", stamp);
	free(stamp);
}

/*
 * The safety net: a file the run wrote in place, found in the prepared
 * tree itself (whatever the path, a link or a symlinked directory) or
 * among the copies' links.
 */
void check_untouched(struct create *c)
{
	char *stamp = xasprintf("%s/" STAMP, c->work);
	char *qs = shell_quote(stamp), *qt = shell_quote(c->tree);
	char *cmd = xasprintf("find %s -type f -newer %s ! -name '.ksplice-*' "
			      "-print", qt, qs);
	char *out = capture_sh(cmd);

	if (!out)
		die(EXIT_ENV, "cannot check %s for files written", c->tree);
	if (*out) {
		fputs(out, stderr);
		die(EXIT_ENV, "the build wrote the files above in the prepared "
		    "tree %s: delete that tree (it is prepared again on the "
		    "next run) and report this", c->tree);
	}
	check_links(c, c->pre, stamp);
	check_links(c, c->post, stamp);
	free(out);
	free(cmd);
	free(qt);
	free(qs);
	free(stamp);
}
