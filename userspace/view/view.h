/* SPDX-License-Identifier: GPL-2.0 */
/* ksplice-view's reports beyond the update list. */
#ifndef _KSPLICE_VIEW_H
#define _KSPLICE_VIEW_H

#include <stdbool.h>

/* cves.c: --cves; exit code. */
int view_cves(bool json);
/* prometheus.c: --prometheus; exit code. */
int view_prometheus(void);

#endif /* _KSPLICE_VIEW_H */
