/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The installed updates: packages kept under /var/lib/ksplice/<release>/
 * for ksplice-load to apply again at boot, in the order they were
 * installed; and /run/ksplice/boot.status, what that boot did with
 * them, for ksplice-view.
 *
 *   /var/lib/ksplice/<release>/<id>.tar.gz   the package, root's, 0600
 *   /var/lib/ksplice/<release>/order         "update <id> [allow-unsigned]"
 *                                            one line each, oldest first
 *
 * Every file is written to a temporary name (O_EXCL, O_NOFOLLOW), synced
 * and renamed, in directories only root can write: a crash leaves the
 * old record or the new, never half of one.  The order record is the
 * truth: a package it does not name is never applied.
 */
#ifndef _KSPLICE_STORE_H
#define _KSPLICE_STORE_H

#include <stdbool.h>

#define STORE_DIR	"/var/lib/ksplice"
#define STORE_DISABLE	"/etc/ksplice/disable"
/* in the state dir; ids have no dot, so no update record is named so */
#define BOOT_STATUS	"boot.status"

/* --store-dir: the store's root instead of STORE_DIR. */
extern const char *tool_store_dir;

struct store_entry {
	char id[65];
	bool allow_unsigned;	/* installed with --allow-unsigned */
};

/* @release's directory: "<root>/<release>" (malloc'd). */
char *store_release_dir(const char *release);
/* The package path of @id for @release (malloc'd). */
char *store_package(const char *release, const char *id);

/*
 * The installed updates of @release, oldest first: the count, *@list
 * malloc'd (NULL when none); no store yet is none.  -errno on failure.
 */
int store_list(const char *release, struct store_entry **list);
bool store_has(const char *release, const char *id);

/*
 * Keep a copy of the package file @path (update @id, built for
 * @pkg_release) for @release.  An id already installed keeps its place
 * and gets the new copy (*@was_installed set).  0, -EINVAL when
 * @pkg_release is not @release or @id or @release is not a valid name,
 * -EPERM when a directory is not root's alone, or -errno.
 */
int store_install(const char *release, const char *pkg_release,
		  const char *id, const char *path, bool allow_unsigned,
		  bool *was_installed);

/* Forget @id (record first, then the file): 0, -ENOENT or -errno. */
int store_remove(const char *release, const char *id);

/*
 * Replace the file @name in directory @dir (created 0755 if missing,
 * root's alone) with @len bytes of @data, atomically.  0 or -errno.
 */
int store_write_file(const char *dir, const char *name, const void *data,
		     size_t len, int mode);

/*
 * The boot status record (in the state dir, see tool_state_dir): lines
 * "skipped <reason>" or "update <id> <result> [<reason>]", result one of
 * reapplied, pending, applied (already, when it ran), failed, not-tried.
 */
int boot_status_write(const char *text);
/* The record's text (malloc'd), or NULL when there is none. */
char *boot_status_read(void);
/* From that text: @id's result and reason (malloc'd), false if absent. */
bool boot_status_of(const char *text, const char *id, char **result,
		    char **reason);
/* The reason reapplication was skipped (malloc'd), or NULL. */
char *boot_status_skipped(const char *text);

#endif /* _KSPLICE_STORE_H */
