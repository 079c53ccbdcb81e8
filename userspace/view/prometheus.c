// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-view --prometheus: the text ksplice-apply and ksplice-undo
 * write to node_exporter's collector directory, on stdout, for a timer
 * or a host without that directory.
 */
#include <stdio.h>
#include "../tool/tool.h"
#include "view.h"

int view_prometheus(void)
{
	struct metrics m;

	metrics_collect(&m);
	metrics_format(stdout, &m);
	return fflush(stdout) ? EXIT_ENV : EXIT_DONE;
}
