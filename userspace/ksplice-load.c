// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-load: apply again, at boot, the updates installed for the
 * running kernel (ksplice-apply --install), in the order they were
 * installed.  ksplice.service runs it early, before the network.
 *
 *   ksplice-load [--store-dir=DIR] [--state-dir=DIR]
 *
 * Each update goes through ksplice-apply, with every check of a manual
 * apply (signature, release and build of the kernel, the running code).
 * The first failure stops it: a later update may stack on the failed
 * one, and applying it alone is a state nobody tested.  The updates not
 * tried are named.  `ksplice=off` on the kernel command line or the file
 * /etc/ksplice/disable skips it all.  Every result goes to stderr (the
 * journal) and to /run/ksplice/boot.status, which ksplice-view shows.
 * Exit: 0 done (all applied or pending, or skipped), 1 an update was
 * refused by the kernel, 2 a bad stored package, 3 environment.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tool/tool.h"
#include "tool/store.h"

struct load {
	char release[65];
	struct store_entry *list;
	int n;
	char *status;			/* boot.status being built */
	size_t status_len;
};

static void usage(FILE *f)
{
	fputs("usage: ksplice-load [--store-dir=DIR] [--state-dir=DIR]\n"
	      "  applies the updates installed with ksplice-apply --install "
	      "for the running\n  kernel, oldest first; stops at the first "
	      "failure\n"
	      "  skipped when the kernel command line has ksplice=off or "
	      STORE_DISABLE " exists\n"
	      "  --store-dir=DIR  the installed updates (default "
	      STORE_DIR ")\n"
	      "  --state-dir=DIR  ksplice-apply's records and boot.status "
	      "(default /run/ksplice)\n"
	      "exit: 0 done or skipped, 1 refused by the kernel, 2 bad "
	      "package, 3 environment\n", f);
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store-dir", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 's': tool_store_dir = optarg; break;
		case 'S': tool_state_dir = optarg; break;
		case 'h': usage(stdout); exit(EXIT_DONE);
		default: usage(stderr); exit(EXIT_USAGE);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(EXIT_USAGE);
	}
}

/* A line of boot.status, and the same said on stderr for the journal. */
static void record(struct load *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void record(struct load *l, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (!line)
		return;
	l->status = xrealloc(l->status, l->status_len + strlen(line) + 2, 1);
	l->status_len += sprintf(l->status + l->status_len, "%s\n", line);
	free(line);
}

/* Why not to reapply anything at this boot, or NULL. */
static const char *skip_reason(void)
{
	char *cmdline = read_line("/proc/cmdline");
	char *word, *save = NULL;
	bool off = false;

	for (word = cmdline ? strtok_r(cmdline, " \t", &save) : NULL; word;
	     word = strtok_r(NULL, " \t", &save))
		off = off || !strcmp(word, "ksplice=off");
	free(cmdline);
	if (off)
		return "ksplice=off is on the kernel command line";
	if (!access(STORE_DISABLE, F_OK))
		return STORE_DISABLE " exists";
	return NULL;
}

/* ksplice-apply beside this program: the same installation. */
static char *apply_path(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return xstrdup("ksplice-apply");
	self[n] = '\0';
	return xasprintf("%s/ksplice-apply", dirname(self));
}

/*
 * Run ksplice-apply on @e's package.  Its stderr is passed on (the
 * journal) and its first error, without the "ksplice-apply: " prefix,
 * kept in *@why.  Returns its exit status.
 */
static int run_apply(struct load *l, const struct store_entry *e, char **why)
{
	char *pkg = store_package(l->release, e->id), *tool = apply_path();
	char *argv[6], line[4096], *state_opt = NULL;
	int pipefd[2], status, n = 0;
	const char *prefix = "ksplice-apply: ";
	pid_t pid;
	FILE *f;

	*why = NULL;
	argv[n++] = tool;
	if (e->allow_unsigned)
		argv[n++] = "--allow-unsigned";
	if (tool_state_dir)
		argv[n++] = state_opt = xasprintf("--state-dir=%s",
						  tool_state_dir);
	argv[n++] = pkg;
	argv[n] = NULL;
	fflush(NULL);
	if (pipe(pipefd) || (pid = fork()) < 0) {
		*why = xasprintf("cannot run %s: %s", tool, strerror(errno));
		free(state_opt);
		free(tool);
		free(pkg);
		return EXIT_ENV;
	}
	if (!pid) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(tool, argv);
		fprintf(stderr, "%scannot run %s: %s\n", prefix, tool,
			strerror(errno));
		_exit(EXIT_ENV);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		fputs(line, stderr);
		line[strcspn(line, "\n")] = '\0';
		if (!*why && !strncmp(line, prefix, strlen(prefix)) &&
		    strncmp(line + strlen(prefix), "warning:", 8))
			*why = xstrdup(esc(line + strlen(prefix)));
	}
	if (f)
		fclose(f);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	free(state_opt);
	free(tool);
	free(pkg);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (!*why)
		*why = xasprintf("ksplice-apply died of signal %d",
				 WTERMSIG(status));
	return EXIT_ENV;
}

/* The engine's stage of @id now, or "" (malloc'd). */
static char *stage_of(const char *id)
{
	char *path = xasprintf("%s/%s/stage", KSPLICE_SYSFS, id);
	char *s = read_line(path);

	free(path);
	return s ? s : xstrdup("");
}

/* One update; 0 when it is live or waits for its module. */
static int reapply(struct load *l, const struct store_entry *e)
{
	char *stage = stage_of(e->id), *why = NULL;
	int rc = 0;

	/* run again (systemctl restart): what is live stays as it is */
	if (!strcmp(stage, "applied") || !strcmp(stage, "pending")) {
		record(l, "update %s %s", e->id, stage);
		fprintf(stderr, "ksplice-load: %s: already %s\n", e->id, stage);
		free(stage);
		return 0;
	}
	free(stage);
	rc = run_apply(l, e, &why);
	stage = stage_of(e->id);
	if (!rc && !strcmp(stage, "pending")) {
		record(l, "update %s pending waits for its module to load",
		       e->id);
		fprintf(stderr, "ksplice-load: %s: pending: applies when its "
			"module loads\n", e->id);
	} else if (!rc) {
		record(l, "update %s reapplied", e->id);
		fprintf(stderr, "ksplice-load: %s: reapplied\n", e->id);
	} else {
		record(l, "update %s failed %s (exit %d)", e->id,
		       why ? why : "ksplice-apply gave no reason", rc);
		fprintf(stderr, "ksplice-load: %s: failed at boot: %s\n",
			e->id, why ? why : "ksplice-apply gave no reason");
	}
	free(stage);
	free(why);
	return rc;
}

static void save_status(struct load *l)
{
	int err = boot_status_write(l->status ? l->status : "");

	if (err)
		tool_error("cannot write %s/%s: %s", tool_state_dir ?
			   tool_state_dir : "/run/ksplice", BOOT_STATUS,
			   err == -EPERM ? "not a directory only root can "
			   "write" : strerror(-err));
}

static int run(struct load *l)
{
	const char *skip = skip_reason();
	struct utsname u;
	int i, failed, rc = need_root();

	if (rc)
		return rc;
	uname(&u);
	snprintf(l->release, sizeof(l->release), "%s", u.release);
	if (skip) {
		record(l, "skipped %s", skip);
		fprintf(stderr, "ksplice-load: reapply skipped: %s\n", skip);
		return EXIT_DONE;
	}
	l->n = store_list(l->release, &l->list);
	if (l->n < 0) {
		tool_error("cannot read the installed updates in %s/%s: %s",
			   tool_store_dir ? tool_store_dir : STORE_DIR,
			   l->release, l->n == -EPERM ? "not a directory only "
			   "root can write" : strerror(-l->n));
		return EXIT_ENV;
	}
	if (!l->n)
		fprintf(stderr, "ksplice-load: no updates installed for %s\n",
			l->release);
	for (i = 0; i < l->n && !rc; i++)
		rc = reapply(l, &l->list[i]);
	/* the first failure stops: later ones may stack on it */
	failed = i - 1;
	for (; i < l->n; i++) {
		record(l, "update %s not-tried %s failed before it",
		       l->list[i].id, l->list[failed].id);
		fprintf(stderr, "ksplice-load: %s: not tried: an earlier "
			"update failed\n", l->list[i].id);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static struct load l;
	int rc;

	tool_name = "ksplice-load";
	parse_args(argc, argv);
	rc = run(&l);
	if (!geteuid())
		save_status(&l);
	free(l.list);
	free(l.status);
	return rc;
}
