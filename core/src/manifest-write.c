// SPDX-License-Identifier: GPL-2.0
/*
 * ks_manifest_write: a checked manifest as text, keys in the documented
 * order, with the size needed reported when the buffer is too small.
 */
#include "manifest-internal.h"

/* Output that counts what it could not store, to report the size needed. */
struct out {
	char *buf;
	ks_size size;
	ks_size len;
};

static void out_mem(struct out *o, const char *s, ks_size n)
{
	ks_size i;

	for (i = 0; i < n; i++, o->len++)
		if (o->len < o->size)
			o->buf[o->len] = s[i];
}

static void out_str(struct out *o, const char *s)
{
	out_mem(o, s, ks_strnlen(s, KS_DESC_MAX + 1));
}

static void out_u64(struct out *o, ks_u64 v)
{
	char tmp[20];
	int i = 20;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_mem(o, tmp + i, (ks_size)(20 - i));
}

static void out_hex(struct out *o, const ks_u8 *p, unsigned int n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++) {
		out_mem(o, &hex[p[i] >> 4], 1);
		out_mem(o, &hex[p[i] & 15], 1);
	}
}

static void out_line(struct out *o, const char *key, const char *value)
{
	out_str(o, key);
	out_mem(o, " ", 1);
	out_str(o, value);
	out_mem(o, "\n", 1);
}

static void write_sections(struct out *o, const struct ks_manifest *m)
{
	unsigned int t, i;

	for (t = 0; t < m->nr_targets; t++) {
		const struct ks_target *tg = &m->targets[t];

		out_line(o, "target", tg->name);
		for (i = tg->first; i < tg->first + tg->nr; i++) {
			out_str(o, "function ");
			out_str(o, m->functions[i].name);
			out_mem(o, " ", 1);
			out_u64(o, m->functions[i].size);
			out_mem(o, "\n", 1);
		}
	}
	for (i = 0; i < m->nr_modules; i++)
		out_line(o, "module", m->modules[i].path);
	for (i = 0; i < m->nr_members; i++) {
		out_str(o, "member ");
		out_str(o, m->members[i].path);
		out_mem(o, " ", 1);
		out_u64(o, m->members[i].size);
		out_mem(o, " ", 1);
		out_hex(o, m->members[i].sha256, KS_SHA256_LEN);
		out_mem(o, "\n", 1);
	}
}

int ks_manifest_write(const struct ks_manifest *m, char *buf, ks_size size,
		      ks_size *len, char *msg, ks_size msg_len)
{
	struct out o = { buf, size, 0 };
	struct ctx c;
	unsigned int i;
	int err = ks_manifest_check(m, msg, msg_len);

	*len = 0;
	if (err)
		return err;
	mf_ctx_init(&c, msg, msg_len);
	out_str(&o, "format ");
	out_u64(&o, m->format);
	out_mem(&o, "\n", 1);
	out_line(&o, "id", m->id);
	out_line(&o, "description", m->description);
	out_line(&o, "kernel-release", m->kernel_release);
	if (m->build_id_len) {
		out_str(&o, "kernel-build-id ");
		out_hex(&o, m->build_id, m->build_id_len);
		out_mem(&o, "\n", 1);
	}
	if (m->effective_release[0])
		out_line(&o, "effective-release", m->effective_release);
	for (i = 0; i < m->nr_cves; i++)
		out_line(&o, "cve", m->cves[i]);
	write_sections(&o, m);
	*len = o.len;
	if (o.len >= size)
		return mf_fail(&c, KS_ERR_NOSPACE,
			    "text needs %U bytes with its NUL, buffer has %U",
			    (ks_u64)o.len + 1, (ks_u64)size);
	buf[o.len] = '\0';
	return 0;
}
