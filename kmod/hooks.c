// SPDX-License-Identifier: GPL-2.0
/* The update's own code, run around apply and undo; see update.h. */
#include "internal.h"

/* Run NULL-terminated @hooks in order; stop at the first failure. */
int ks_call_hooks(const ksplice_call_t *hooks)
{
	int ret;

	for (; hooks && *hooks; hooks++) {
		ret = (*hooks)();
		if (ret)
			return ret;
	}
	return 0;
}

void ks_notify_hooks(const ksplice_notify_t *hooks)
{
	for (; hooks && *hooks; hooks++)
		(*hooks)();
}
