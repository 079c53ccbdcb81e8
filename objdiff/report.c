// SPDX-License-Identifier: GPL-2.0
/* Messages of a result: what was found, what was refused and why. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

void od_msg(struct od_result *res, enum od_msg_kind kind, const char *sym,
	    const char *hint, const char *fmt, ...)
{
	struct od_msg *m;
	va_list ap;

	res->msgs = od_xrealloc(res->msgs, res->nr_msgs + 1, sizeof(*res->msgs));
	m = &res->msgs[res->nr_msgs++];
	m->kind = kind;
	m->symbol = sym ? od_xstrdup(sym) : NULL;
	m->hint = hint ? od_xstrdup(hint) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&m->text, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (kind == OD_MSG_REFUSE && res->status != OD_ERROR)
		res->status = OD_REFUSED;
	if (kind == OD_MSG_ERROR)
		res->status = OD_ERROR;
}

void od_print_msgs(const struct od_result *res, FILE *f, const char *prefix)
{
	static const char *const kinds[] = {
		[OD_MSG_INFO] = "", [OD_MSG_NOTE] = "note: ",
		[OD_MSG_REFUSE] = "refused: ", [OD_MSG_ERROR] = "error: ",
	};
	unsigned int i;

	for (i = 0; i < res->nr_msgs; i++) {
		const struct od_msg *m = &res->msgs[i];

		fprintf(f, "%s%s", prefix ? prefix : "", kinds[m->kind]);
		if (m->symbol)
			fprintf(f, "%s: ", m->symbol);
		fprintf(f, "%s\n", m->text);
		if (m->hint)
			fprintf(f, "%s  hint: %s\n", prefix ? prefix : "", m->hint);
	}
}
