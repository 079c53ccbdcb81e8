// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading the modules that carry an update: after ksplice-undo, and
 * after a cumulative update took the place of others (ksplice-apply).
 * The record ksplice-apply wrote says which; without one, a guess from
 * the id.  Newest first, as they were loaded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tool.h"

int unload_update(const char *id, char ***names, unsigned int *nr)
{
	char **mods;
	unsigned int i, n = state_read(id, &mods);
	int err, rc = 0;

	if (!n) {
		free(mods);
		n = guess_modules(id, &mods);
	}
	if (!n) {
		free(mods);
		tool_error("cannot tell which module carries update %s: "
			   "unload it with rmmod", id);
		return EXIT_KERNEL;
	}
	*names = xrealloc(*names, *nr + n, sizeof(**names));
	for (i = n; i-- > 0;) {
		err = module_unload(mods[i]);
		if (err && err != -ENOENT) {
			tool_error("cannot unload %s: %s", mods[i],
				   strerror(-err));
			rc = EXIT_KERNEL;
			continue;
		}
		(*names)[(*nr)++] = xstrdup(mods[i]);
	}
	free_strv(mods, n);
	if (!rc)
		state_remove(id);
	return rc;
}
