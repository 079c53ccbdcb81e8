// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: the update module's make, an external module build
 * against kdir ("make -C KDIR M=<work>/update modules").
 *
 * Of the 5 s that make takes for a one-object update, about 3.5 s are
 * the top-level Makefile probing the compiler again (cc-option, as-instr)
 * before it runs four short steps, each a make or a script given only
 * its exported environment: Makefile.build in the update's directory,
 * modules-check.sh, Makefile.modpost and Makefile.modfinal.  As for
 * single objects (kbenv.c), the first whole make beside a prepared tree
 * records that environment (the work directory written as @WORK@; kdir,
 * its configuration's time and the make variables in its header); later
 * runs with the same start the four steps with it directly, and get the
 * same module, byte for byte.  Should they fail, the whole make runs, so
 * that what a user reads is kbuild's own answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "create.h"

#define WORK_PH	"@WORK@"

/* What the top-level Makefile's "modules" runs after "prepare" (6.1). */
static const char steps_sh[] =
"set -e\n"
"$MAKE -f \"$srctree/scripts/Makefile.build\" obj=\"$KBUILD_EXTMOD\" "
"need-builtin=1 need-modorder=1\n"
"$CONFIG_SHELL \"$srctree/scripts/modules-check.sh\" \"$MODORDER\"\n"
"$MAKE -f \"$srctree/scripts/Makefile.modpost\"\n"
"[ \"$KBUILD_MODPOST_NOFINAL\" = 1 ] || "
"$MAKE -f \"$srctree/scripts/Makefile.modfinal\"\n";

/*
 * "update KDIR MTIME VAR=value...", the work directory written as @WORK@;
 * MTIME, of KDIR's configuration, tells headers installed again apart.
 */
static char *record_key(struct create *c, char **vars, unsigned int n)
{
	char *conf = xasprintf("%s/include/config/auto.conf", c->kdir), *t;
	struct stat st;
	char *key = xasprintf("update %s %lld", c->kdir, stat(conf, &st) ? 0LL :
			      (long long)st.st_mtime);
	unsigned int i;

	free(conf);
	for (i = 0; i < n; i++) {
		char *v = replace_all(vars[i], c->work, WORK_PH);

		t = xasprintf("%s %s", key, v);
		free(key);
		free(v);
		key = t;
	}
	return key;
}

/* The four steps with the kept environment; nonzero if they fail. */
static int run_steps(struct create *c, const char *log, char **env)
{
	unsigned int ne = 0, a = 0, i;
	char **argv;
	int ret;

	while (env[ne])
		ne++;
	argv = xrealloc(NULL, ne + 6, sizeof(*argv));
	argv[a++] = "env";
	argv[a++] = "-i";
	for (i = 0; i < ne; i++)
		argv[a++] = env[i];
	argv[a++] = "sh";
	argv[a++] = "-c";
	argv[a++] = (char *)steps_sh;
	argv[a] = NULL;
	ret = run(c->kdir, log, argv);
	for (i = 0; i < ne; i++)
		free(env[i]);
	free(env);
	free(argv);
	return ret;
}

/*
 * make -C KDIR [recorder] @vars modules, output to @log; @vars name the
 * update's directory (M=).  Returns make's status.
 */
int update_make(struct create *c, const char *log, char **vars,
		unsigned int n)
{
	char *kept = tree_kept(c, "kbenv-update"), *key = NULL;
	char *record = NULL, **env, **argv;
	unsigned int a = 0, i;
	int ret;

	if (kept) {
		key = record_key(c, vars, n);
		env = kept_env_load(kept, key, WORK_PH, c->work);
		if (env) {
			ret = run_steps(c, log, env);
			if (!ret)
				goto out;
			step("  (kbuild's kept environment did not build it: "
			     "the whole make)");
		}
		record = kept_env_recorder(c);
	}
	argv = xrealloc(NULL, n + 8, sizeof(*argv));
	argv[a++] = "make";
	argv[a++] = "-C";
	argv[a++] = (char *)c->kdir;
	if (record) {
		argv[a++] = "-f";
		argv[a++] = "Makefile";
		argv[a++] = "-f";
		argv[a++] = record;
	}
	for (i = 0; i < n; i++)
		argv[a++] = vars[i];
	argv[a++] = "modules";
	argv[a] = NULL;
	ret = run(NULL, log, argv);
	free(argv);
	if (record) {
		if (!ret)
			kept_env_store(c, kept, key, c->work, WORK_PH, c->kdir);
		else
			unsetenv("KSPLICE_KBENV_OUT");
	}
out:
	free(record);
	free(key);
	free(kept);
	return ret;
}
