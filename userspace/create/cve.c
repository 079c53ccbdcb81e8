// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: the CVE ids an update fixes, from --cve and from the
 * patches' headers (the commit message before the first diff, as git
 * format-patch writes it: "CVE: CVE-2026-1234", or an id in the text).
 * The manifest keeps them sorted, each once (core/src/manifest.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "create.h"
#include "ksplice/manifest.h"

/*
 * @s (@n bytes) as a CVE id in canonical form into @out (KS_CVE_MAX + 1
 * bytes): the prefix in any case, then CVE-YYYY-NNNN.  false if not one.
 */
bool cve_normalize(const char *s, size_t n, char *out)
{
	size_t i;

	if (n > KS_CVE_MAX || n < 4 || strncasecmp(s, "cve-", 4))
		return false;
	memcpy(out, "CVE-", 4);
	for (i = 4; i < n; i++)
		out[i] = s[i];
	out[n] = '\0';
	return ks_cve_valid(out, n);
}

void cve_add(struct create *c, const char *id)
{
	unsigned int i;

	for (i = 0; i < c->nr_cves; i++)
		if (!strcmp(c->cves[i], id))
			return;
	c->cves = xrealloc(c->cves, c->nr_cves + 1, sizeof(*c->cves));
	c->cves[c->nr_cves++] = xstrdup(id);
}

/* Where the header ends: the first line starting "diff " or "---". */
static size_t header_len(const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		if ((n >= 5 && !memcmp(line, "diff ", 5)) ||
		    (n >= 3 && !memcmp(line, "---", 3)))
			return pos;
		pos += n + (nl ? 1 : 0);
	}
	return len;
}

static bool word_char(int ch)
{
	return isalnum(ch) || ch == '_' || ch == '-';
}

unsigned int cve_scan_header(struct create *c, const char *text, size_t len)
{
	size_t end = header_len(text, len), i, n;
	unsigned int before = c->nr_cves;
	char id[KS_CVE_MAX + 1];

	for (i = 0; i + 4 <= end; i++) {
		if (strncasecmp(text + i, "cve-", 4) ||
		    (i && word_char((unsigned char)text[i - 1])))
			continue;
		/* The id runs to the first byte that cannot be in one. */
		for (n = 4; i + n < end; n++)
			if (!isdigit((unsigned char)text[i + n]) &&
			    text[i + n] != '-')
				break;
		/* "CVE-2026-1234." or "CVE-2026-1234-fix": drop the tail. */
		while (n > 4 && text[i + n - 1] == '-')
			n--;
		if (i + n < end && isalpha((unsigned char)text[i + n]))
			continue;
		if (cve_normalize(text + i, n, id))
			cve_add(c, id);
		i += n - 1;
	}
	return c->nr_cves - before;
}

void cve_scan_patches(struct create *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_patches; i++) {
		size_t len;
		char *text = read_file(c->patches[i], &len);

		if (!text)
			die(EXIT_REFUSED, "%s: cannot read", c->patches[i]);
		cve_scan_header(c, text, len);
		free(text);
	}
}
