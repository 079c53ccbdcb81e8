// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: the prepared kernel tree and its work copies.
 *
 * A Debian release's tree is prepared once into
 * <cache>/trees/<release>/ (unpacked, configured as Debian's image,
 * modules_prepare'd with the flags every later build uses) and then only
 * read: each run builds in two copies of it, pre and post, made of hard
 * links (cp -al) and, for the big directories a patch leaves alone,
 * symlinks (about 19,000 links instead of 85,000).  Nothing in a copy may be
 * written in place, or the write would reach the prepared tree through
 * the link: every file a build rewrites is unlinked first (the objects
 * and their .cmd files, .missing-syscalls.d), patched files are replaced
 * rather than edited, kbuild is kept from rebuilding objtool and
 * resolve_btfids (their build records hold the prepared tree's absolute
 * path, so a copy would rebuild them, in place), and check_links() makes
 * sure after each build.  The prepared tree's files are read-only, which
 * stops an in-place write by anyone but root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "create.h"

#define COMPLETE	".ksplice-complete"
#define INFO		".ksplice-tree"
#define BUILT		".ksplice-built"

/*
 * $KSPLICE_CACHE; else cache/ of the repository this program was built
 * in (the VM test bed's cache too); else $XDG_CACHE_HOME/ksplice.
 */
char *cache_root(void)
{
	const char *env = getenv("KSPLICE_CACHE");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *dir, *probe, *ret;

	if (env && *env)
		return xstrdup(env);
	dir = exe_dir();
	probe = xasprintf("%s/../testsuite/vm/kernel-release", dir);
	if (is_file(probe)) {
		char *repo = xasprintf("%s/..", dir);
		char *real = realpath(repo, NULL);

		ret = xasprintf("%s/cache", real ? real : repo);
		free(real);
		free(repo);
	} else if (xdg && *xdg) {
		ret = xasprintf("%s/ksplice", xdg);
	} else {
		ret = xasprintf("%s/.cache/ksplice", home && *home ? home : "/tmp");
	}
	free(probe);
	free(dir);
	return ret;
}

static void mkdir_p(const char *dir)
{
	char *argv[] = { "mkdir", "-p", (char *)dir, NULL };

	if (run(NULL, NULL, argv))
		die(EXIT_ENV, "cannot create %s", dir);
}

static void rm_rf(const char *path)
{
	char *argv[] = { "rm", "-rf", (char *)path, NULL };

	if (run(NULL, NULL, argv))
		die(EXIT_ENV, "cannot remove %s", path);
}

static void add_makevar(struct create *c, char *var)
{
	if (c->nr_makevars == sizeof(c->makevars) / sizeof(c->makevars[0]))
		die(EXIT_ENV, "too many make variables");
	c->makevars[c->nr_makevars++] = var;
}

/* "gcc-12" of CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14) 12.2.0" */
static char *config_compiler(const char *config)
{
	char *text = read_file(config, NULL), *p, *ret = NULL;
	const char *key = "\nCONFIG_CC_VERSION_TEXT=\"";

	p = text ? strstr(text, key) : NULL;
	if (p) {
		p += strlen(key);
		ret = strndup(p, strcspn(p, " \""));
	}
	free(text);
	return ret;
}

/* Every build in the tree: Debian's compiler and release, one section a
 * function and a data object. */
static void set_makevars(struct create *c, const char *cc, const char *release)
{
	const char *user = getenv("KCFLAGS");

	c->nr_makevars = 0;
	if (cc)
		add_makevar(c, xasprintf("CC=%s", cc));
	if (release)
		add_makevar(c, xasprintf("KERNELRELEASE=%s", release));
	add_makevar(c, xasprintf("KCFLAGS=-ffunction-sections -fdata-sections"
				 "%s%s", user && *user ? " " : "",
				 user && *user ? user : ""));
}

static void write_info(struct create *c, const char *dir, const char *version,
		       double secs)
{
	char *path = xasprintf("%s/" INFO, dir);
	FILE *f = fopen(path, "w");
	unsigned int i;

	if (!f)
		die(EXIT_ENV, "cannot write %s", path);
	fprintf(f, "release %s\nversion %s\nprepare-seconds %.0f\n",
		c->debian, version, secs);
	for (i = 0; i < c->nr_makevars; i++)
		fprintf(f, "make %s\n", c->makevars[i]);
	if (fclose(f))
		die(EXIT_ENV, "cannot write %s", path);
	free(path);
}

static void read_info(struct create *c, const char *dir)
{
	char *path = xasprintf("%s/" INFO, dir);
	char *text = read_file(path, NULL), *line, *save = NULL;

	if (!text)
		die(EXIT_ENV, "%s is missing: delete %s and rerun", path, dir);
	c->nr_makevars = 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "make ", 5))
			add_makevar(c, xstrdup(line + 5));
	free(text);
	free(path);
}

static void tree_step(struct create *c, const char *dir, const char *log,
		      const char *what, char **targets, unsigned int n)
{
	double t = now();

	step("%s (log: %s)", what, log);
	if (tree_make(c, dir, log, targets, n, c->jobs, true)) {
		print_log_tail(log, 25);
		die(EXIT_ENV, "%s failed in %s", what, dir);
	}
	step("  %.1f s", now() - t);
}

/* Unpack, configure as Debian's image, prepare; under the tree's lock. */
static void do_prepare(struct create *c, const char *root, const char *dir)
{
	double t0 = now(), t;
	struct debian_kernel k;
	char *tmp, *cmd, *q1, *q2, *top, *log, *cc;
	char *config = xasprintf("%s/.config", dir);
	char *olddef[] = { "olddefconfig" };
	char *prep[] = { "modules_prepare" };

	debian_lookup(&k, c->debian);
	debian_fetch(&k, root);
	if (is_dir(dir)) {
		step("removing the unfinished tree %s", dir);
		rm_rf(dir);
	}
	tree_forget_kept(root, c->debian);
	tmp = xasprintf("%s/trees/.tmp-%s.XXXXXX", root, c->debian);
	if (!mkdtemp(tmp))
		die(EXIT_ENV, "cannot create %s: %s", tmp, strerror(errno));
	log = xasprintf("%s/prepare.log", tmp);
	step("unpacking %s", k.source_tar);
	t = now();
	q1 = shell_quote(k.source_tar);
	q2 = shell_quote(tmp);
	cmd = xasprintf("tar -xJf %s -C %s", q1, q2);
	if (run_sh(log, cmd)) {
		print_log_tail(log, 10);
		die(EXIT_ENV, "cannot unpack %s", k.source_tar);
	}
	free(cmd);
	free(q1);
	free(q2);
	/* the tarball holds linux-source-6.1/ */
	top = xasprintf("%s/%s", tmp, strrchr(k.source_tar, '/') + 1);
	top[strlen(top) - strlen(".tar.xz")] = '\0';
	/*
	 * The tree is built where it will stay: kbuild records absolute
	 * paths (objtool's build), and a move would make them stale.
	 */
	if (!is_dir(top) || rename(top, dir))
		die(EXIT_ENV, "cannot move %s to %s", top, dir);
	step("  %.1f s", now() - t);
	free(log);
	log = xasprintf("%s/.ksplice-prepare.log", dir);
	rm_rf(tmp);

	/* Before the download directory goes: the config may be in it. */
	cmd = xasprintf("cp %s %s", shell_quote(k.config), shell_quote(config));
	if (run_sh(NULL, cmd))
		die(EXIT_ENV, "cannot copy %s", k.config);
	free(cmd);
	rm_rf(k.cleanup);
	cc = config_compiler(config);
	if (cc && !in_path(cc))
		die(EXIT_ENV, "%s, the compiler of Debian's %s, is not installed "
		    "(apt-get install %s)", cc, c->debian, cc);
	set_makevars(c, cc, c->debian);
	/* no signing keys: modules of this tree are never installed */
	cmd = xasprintf("cd %s && scripts/config --file .config "
			"--set-str SYSTEM_TRUSTED_KEYS '' "
			"--set-str SYSTEM_REVOCATION_KEYS '' "
			"--disable MODULE_SIG_ALL", shell_quote(dir));
	if (run_sh(log, cmd))
		die(EXIT_ENV, "scripts/config failed in %s", dir);
	free(cmd);
	tree_step(c, dir, log, "configuring (make olddefconfig)", olddef, 1);
	tree_step(c, dir, log, "preparing (make modules_prepare)", prep, 1);

	step("making the prepared tree read-only");
	cmd = xasprintf("find %s -type f -perm /222 -exec chmod a-w {} +",
			shell_quote(dir));
	if (run_sh(NULL, cmd))
		die(EXIT_ENV, "cannot make %s read-only", dir);
	free(cmd);
	write_info(c, dir, k.version, now() - t0);
	cmd = xasprintf("%s/" COMPLETE, dir);
	if (close(open(cmd, O_WRONLY | O_CREAT | O_TRUNC, 0444)))
		die(EXIT_ENV, "cannot create %s", cmd);
	free(cmd);
	step("tree of %s (Debian %s) prepared in %.0f s: %s", c->debian,
	     k.version, now() - t0, dir);
	free(config);
	free(cc);
	free(top);
	free(tmp);
	free(log);
}

void prepare_tree(struct create *c)
{
	char *root = cache_root();
	char *trees = xasprintf("%s/trees", root);
	char *dir = xasprintf("%s/%s", trees, c->debian);
	char *done = xasprintf("%s/" COMPLETE, dir);
	char *built = xasprintf("%s/" BUILT, dir);

	if (!is_file(done)) {
		char *lock = xasprintf("%s/.lock-%s", trees, c->debian);
		int fd;

		mkdir_p(trees);
		fd = open(lock, O_RDWR | O_CREAT, 0644);
		if (fd < 0)
			die(EXIT_ENV, "cannot open %s: %s", lock, strerror(errno));
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			step("waiting for another ksplice-create preparing %s",
			     dir);
			if (flock(fd, LOCK_EX))
				die(EXIT_ENV, "cannot lock %s", lock);
		}
		if (!is_file(done)) {
			step("preparing the kernel tree of %s once, into %s",
			     c->debian, dir);
			c->tree = dir;	/* builds there are the tree's own */
			do_prepare(c, root, dir);
		}
		close(fd);
		free(lock);
	}
	read_info(c, dir);
	c->tree = dir;
	c->full_deps = is_file(built);
	step("kernel tree: %s%s", dir, c->full_deps ? " (built once: "
	     "dependencies of every vmlinux object known)" : "");
	free(root);
	free(trees);
	free(done);
	free(built);
}

/*
 * --full-tree: compile every vmlinux object of the prepared tree once
 * (make vmlinux_o; about 50 minutes on 2 CPUs), so that a change to a
 * header of the whole kernel finds every vmlinux object that includes
 * it, from the build's .cmd records, and the pre objects need no
 * compiling.
 */
void build_full_tree(struct create *c)
{
	char *built = xasprintf("%s/" BUILT, c->tree);
	char *lock = xasprintf("%s/../.lock-%s", c->tree, c->debian);
	char *log = xasprintf("%s/.ksplice-full.log", c->tree);
	char *target[] = { "vmlinux_o" };
	char *cmd, *q = shell_quote(c->tree);
	double t = now();
	int fd;

	fd = open(lock, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || flock(fd, LOCK_EX))
		die(EXIT_ENV, "cannot lock %s", lock);
	if (!is_file(built)) {
		step("compiling every vmlinux object of %s once (log: %s)",
		     c->tree, log);
		/* the one file a build rewrites in place */
		cmd = xasprintf("chmod u+w %s/.missing-syscalls.d 2>/dev/null; "
				"true", q);
		run_sh(NULL, cmd);
		free(cmd);
		if (tree_make(c, c->tree, log, target, 1, c->jobs, true)) {
			print_log_tail(log, 25);
			die(EXIT_ENV, "make vmlinux_o failed in %s", c->tree);
		}
		/* the objects and their records are what counts: drop the
		 * 700 MB vmlinux.o */
		cmd = xasprintf("rm -f %s/vmlinux.o && find %s -type f -newer "
				"%s/" COMPLETE " -perm /222 ! -name " INFO
				" -exec chmod a-w {} + && touch %s/" BUILT,
				q, q, q, q);
		if (run_sh(NULL, cmd))
			die(EXIT_ENV, "cannot mark %s built", c->tree);
		free(cmd);
		step("  %.0f s", now() - t);
	}
	close(fd);
	c->full_deps = true;
	free(q);
	free(built);
	free(lock);
	free(log);
}

/* UTS_RELEASE of a prepared tree, or NULL */
char *uts_release(const char *tree)
{
	char *path = xasprintf("%s/include/generated/utsrelease.h", tree);
	char *text = read_file(path, NULL), *q, *ret = NULL;

	q = text ? strchr(text, '"') : NULL;
	if (q)
		ret = strndup(q + 1, strcspn(q + 1, "\""));
	free(text);
	free(path);
	return ret;
}

/*
 * SOURCE is a kernel tree the user configured and prepared, perhaps a
 * copy of one ksplice-create prepared: then with the same make variables.
 */
void use_kernel_tree(struct create *c)
{
	char *config = xasprintf("%s/.config", c->source);
	char *info = xasprintf("%s/" INFO, c->source);
	char *rel = uts_release(c->source), *cc;

	if (!is_file(config) || !rel)
		die(EXIT_REFUSED, "%s is a kernel tree, but not a prepared one: "
		    "configure it and run make modules_prepare in it",
		    c->source);
	c->tree = xstrdup(c->source);
	c->debian = rel;
	if (is_file(info)) {
		read_info(c, c->source);
	} else {
		cc = config_compiler(config);
		set_makevars(c, cc && in_path(cc) ? cc : NULL, rel);
		free(cc);
	}
	step("kernel tree: %s (release %s)", c->tree, rel);
	free(config);
	free(info);
}

/*
 * Big top-level directories that a build only reads unless the patch
 * touches them or an object to build lies there: a copy holds a symlink
 * to the tree's, until materialize() makes it a copy.  Likewise every
 * arch/ but x86.  (A symlinked directory resolves "..", in #include
 * "../x.h", inside the prepared tree; whole top-level directories are
 * materialized so that such paths stay inside the copy.)
 */
static const char *const leaves[] = {
	"Documentation", "LICENSES", "drivers", "net", "sound", "samples",
	"tools", NULL,
};

static bool is_leaf(const char *name)
{
	unsigned int i;

	for (i = 0; leaves[i]; i++)
		if (!strcmp(name, leaves[i]))
			return true;
	return false;
}

/* "drivers/net/x.c" -> "drivers"; "arch/arm/x" -> "arch/arm"; else NULL */
static char *leaf_of(const char *rel)
{
	size_t n = strcspn(rel, "/");

	if (!strncmp(rel, "arch/", 5) && rel[5]) {
		n = 5 + strcspn(rel + 5, "/");
		return strncmp(rel + 5, "x86", n - 5) || n - 5 != 3 ?
		       strndup(rel, n) : NULL;
	}
	if (!rel[n])
		return NULL;
	{
		char *top = strndup(rel, n);

		if (is_leaf(top))
			return top;
		free(top);
	}
	return NULL;
}

/* Make @rel's top-level directory of @copy a copy, not a symlink. */
void materialize(struct create *c, const char *copy, const char *rel)
{
	char *leaf = leaf_of(rel), *path, *from;
	char *argv[] = { "cp", "-al", NULL, NULL, NULL };
	struct stat st;

	if (!leaf)
		return;
	path = xasprintf("%s/%s", copy, leaf);
	if (!lstat(path, &st) && S_ISLNK(st.st_mode)) {
		from = xasprintf("%s/%s", c->tree, leaf);
		argv[2] = from;
		argv[3] = path;
		if (unlink(path) || run(NULL, NULL, argv))
			die(EXIT_ENV, "cannot copy %s to %s", from, path);
		free(from);
	}
	free(path);
	free(leaf);
}

/* Where link_entries() is: the top, arch/ or include/. */
enum link_dir { LINK_TOP, LINK_ARCH, LINK_INCLUDE };

/*
 * Symlink the leaves of @from into @to and append the rest to @cmd, the
 * words of a `cp -al ... @to`.  arch/ and include/ get their own: every
 * arch but x86 is a leaf, and include/config/ starts empty.  kconfig
 * truncates its files in place, and a copy needs only the few that are
 * not one per symbol (unshare_outputs() copies those): kbuild's records
 * name the per-symbol files through $(wildcard), and a syncconfig that
 * runs in the copy creates the ones of the symbols it changes.
 */
static void link_entries(const char *from, const char *to,
			 enum link_dir where, char **cmd)
{
	char *q = shell_quote(from), *ls = xasprintf("ls -A %s", q);
	char *out = capture_sh(ls), *save = NULL, *name, *more = NULL, *t;

	if (!out)
		die(EXIT_ENV, "cannot list %s", from);
	for (name = strtok_r(out, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save)) {
		char *src = xasprintf("%s/%s", from, name);
		char *dst = xasprintf("%s/%s", to, name);
		bool dir = is_dir(src);
		char *qs;

		if (!strcmp(name, ".missing-syscalls.d")) {
			/* rewritten by every build, with a plain `>` */
		} else if (where == LINK_TOP && dir &&
			   (!strcmp(name, "arch") || !strcmp(name, "include"))) {
			char *sub = NULL;

			if (mkdir(dst, 0755))
				die(EXIT_ENV, "cannot create %s", dst);
			link_entries(src, dst, *name == 'a' ? LINK_ARCH :
				     LINK_INCLUDE, &sub);
			if (sub && more) {
				t = xasprintf("%s && %s", more, sub);
				free(more);
				free(sub);
				more = t;
			} else if (sub) {
				more = sub;
			}
		} else if (where == LINK_INCLUDE && dir &&
			   !strcmp(name, "config")) {
			if (mkdir(dst, 0755))
				die(EXIT_ENV, "cannot create %s", dst);
		} else if (dir && (where == LINK_ARCH ? strcmp(name, "x86") :
				   where == LINK_TOP && is_leaf(name))) {
			if (symlink(src, dst))
				die(EXIT_ENV, "cannot link %s", dst);
		} else {
			qs = shell_quote(src);
			t = xasprintf("%s %s", *cmd ? *cmd : "cp -al", qs);
			free(*cmd);
			*cmd = t;
			free(qs);
		}
		free(src);
		free(dst);
	}
	if (*cmd) {
		char *qt = shell_quote(to);

		t = xasprintf("%s %s%s%s", *cmd, qt, more ? " && " : "",
			      more ? more : "");
		free(*cmd);
		*cmd = t;
		free(qt);
	} else if (more) {
		*cmd = more;
		more = NULL;
	}
	free(more);
	free(out);
	free(ls);
	free(q);
}

/*
 * A copy of the prepared tree that shares its files (see above): hard
 * links, and symlinks for the big directories the patch leaves alone.
 * Started in the background: wait_run() the pid.
 */
int copy_tree_work(struct create *c, const char *to)
{
	char *cmd = NULL;
	char *argv[] = { "sh", "-c", NULL, NULL };
	int pid;

	if (mkdir(to, 0755))
		die(EXIT_ENV, "cannot create %s: %s", to, strerror(errno));
	link_entries(c->tree, to, LINK_TOP, &cmd);
	argv[2] = cmd ? cmd : "true";
	pid = run_async(NULL, NULL, argv);
	free(cmd);
	return pid;
}

/* Did a build write a file of @copy in place, i.e. into the tree too? */
void check_links(struct create *c, const char *copy, const char *stamp)
{
	char *cmd = xasprintf("find %s -type f -links +1 -newer %s -print",
			      shell_quote(copy), shell_quote(stamp));
	char *out = capture_sh(cmd);

	if (!out)
		die(EXIT_ENV, "cannot check %s for files written in place", copy);
	if (*out) {
		fputs(out, stderr);
		die(EXIT_ENV, "the build wrote the files above in place, and so "
		    "into the prepared tree %s through their hard links: delete "
		    "that tree (it is prepared again on the next run) and "
		    "report this", c->tree);
	}
	free(out);
	free(cmd);
}
