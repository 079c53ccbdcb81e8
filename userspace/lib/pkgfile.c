// SPDX-License-Identifier: GPL-2.0
/* Package files: gzip, verification and building; see pkgfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "pkgfile.h"
#include "signature.h"
#include "ksplice/package.h"
#include "ksplice/sha256.h"
#include "ksplice/tar.h"

static int __attribute__((format(printf, 4, 5)))
fail(char *msg, size_t msg_len, int err, const char *fmt, ...)
{
	va_list ap;

	if (msg && msg_len) {
		va_start(ap, fmt);
		vsnprintf(msg, msg_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* Put "@prefix: " in front of the message already in @msg. */
static void prefix_msg(char *msg, size_t msg_len, const char *prefix)
{
	char *old;

	if (!msg || !msg_len)
		return;
	old = strdup(msg);
	if (!old)
		return;
	snprintf(msg, msg_len, "%s: %s", prefix, old);
	free(old);
}

/*
 * More room for output: double, but never beyond @limit + 1 bytes, the
 * size that proves the data too large.  1 if already there.
 */
static int grow(unsigned char **buf, size_t *cap, size_t limit, size_t first)
{
	size_t want = *cap ? *cap * 2 : first;
	unsigned char *nb;

	if (want > limit + 1 || want < *cap)
		want = limit + 1;
	if (want <= *cap)
		return 1;
	nb = realloc(*buf, want);
	if (!nb)
		return -1;
	*buf = nb;
	*cap = want;
	return 0;
}

static unsigned int uint_chunk(size_t n)
{
	return n > UINT_MAX ? UINT_MAX : (unsigned int)n;
}

/* One step of inflate over what is left; progress in *@pos and *@used. */
static int inflate_step(z_stream *zs, const unsigned char *src, size_t len,
			size_t *pos, unsigned char *buf, size_t cap,
			size_t *used)
{
	unsigned int in_avail = uint_chunk(len - *pos);
	unsigned int out_avail = uint_chunk(cap - *used);
	int ret;

	zs->next_in = (Bytef *)(src + *pos);
	zs->avail_in = in_avail;
	zs->next_out = buf + *used;
	zs->avail_out = out_avail;
	ret = inflate(zs, Z_NO_FLUSH);
	*pos += in_avail - zs->avail_in;
	*used += out_avail - zs->avail_out;
	return ret;
}

static int gunzip_loop(z_stream *zs, const unsigned char *src, size_t len,
		       size_t limit, unsigned char **buf, size_t *used,
		       char *msg, size_t msg_len)
{
	size_t cap = 0, pos = 0;
	size_t first = len < (1 << 14) ? (1 << 16) : len * 4;

	for (;;) {
		int ret;

		if (*used == cap) {
			ret = grow(buf, &cap, limit, first);
			if (ret < 0)
				return fail(msg, msg_len, KS_ERR_NOMEM,
					    "out of memory");
			if (ret > 0)	/* unreachable: each step checks */
				return fail(msg, msg_len, KS_ERR_LIMIT,
					    "decompressed data too large (limit %zu bytes)",
					    limit);
		}
		ret = inflate_step(zs, src, len, &pos, *buf, cap, used);
		if (*used > limit)
			return fail(msg, msg_len, KS_ERR_LIMIT,
				    "decompressed data too large (limit %zu bytes)",
				    limit);
		if (ret == Z_STREAM_END) {
			if (pos == len)
				return 0;
			/* gzip(1) reads concatenated members as one file. */
			if (len - pos >= 2 && src[pos] == 0x1f &&
			    src[pos + 1] == 0x8b && inflateReset(zs) == Z_OK)
				continue;
			return fail(msg, msg_len, KS_ERR_GZIP,
				    "trailing garbage after gzip data");
		}
		if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT)
			return fail(msg, msg_len, KS_ERR_GZIP,
				    "corrupt gzip data: %s",
				    zs->msg ? zs->msg : "bad data");
		if (ret == Z_MEM_ERROR)
			return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
		/* Z_OK, Z_BUF_ERROR: stuck only if input ran out first. */
		if (pos == len && *used < cap)
			return fail(msg, msg_len, KS_ERR_TRUNCATED,
				    "truncated gzip data");
	}
}

int ks_gunzip(const void *in, size_t len, size_t limit, unsigned char **out,
	      size_t *out_len, char *msg, size_t msg_len)
{
	const unsigned char *src = in;
	unsigned char *buf = NULL;
	size_t used = 0;
	z_stream zs;
	int err;

	*out = NULL;
	*out_len = 0;
	if (len < 2 || src[0] != 0x1f || src[1] != 0x8b)
		return fail(msg, msg_len, KS_ERR_GZIP, "not a gzip file");
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	err = gunzip_loop(&zs, src, len, limit, &buf, &used, msg, msg_len);
	inflateEnd(&zs);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*out_len = used;
	return 0;
}

int ks_gzip(const void *in, size_t len, unsigned char **out, size_t *out_len,
	    char *msg, size_t msg_len)
{
	unsigned char *buf;
	unsigned long bound;
	z_stream zs;
	int ret;

	*out = NULL;
	*out_len = 0;
	if (len > UINT_MAX / 2)
		return fail(msg, msg_len, KS_ERR_LIMIT,
			    "data too large to compress in one piece");
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS,
			 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	bound = deflateBound(&zs, (unsigned long)len);
	buf = malloc(bound);
	if (!buf) {
		deflateEnd(&zs);
		return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = (unsigned int)len;
	zs.next_out = buf;
	zs.avail_out = (unsigned int)bound;
	ret = deflate(&zs, Z_FINISH);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	if (ret != Z_STREAM_END) {
		free(buf);
		return fail(msg, msg_len, KS_ERR_GZIP, "gzip failed (%d)", ret);
	}
	*out = buf;
	return 0;
}

int ks_read_file(const char *path, size_t limit, unsigned char **out,
		 size_t *len, char *msg, size_t msg_len)
{
	unsigned char *buf = NULL;
	size_t cap = 0, used = 0;
	int fd, err = 0;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(msg, msg_len, KS_ERR_IO, "cannot open %s: %s",
			    path, strerror(errno));
	for (;;) {
		ssize_t n;

		if (used == cap) {
			int r = grow(&buf, &cap, limit, 1 << 16);

			if (r) {
				err = r < 0 ?
				      fail(msg, msg_len, KS_ERR_NOMEM,
					   "out of memory") :
				      fail(msg, msg_len, KS_ERR_LIMIT,
					   "%s: file too large (limit %zu bytes)",
					   path, limit);
				break;
			}
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = fail(msg, msg_len, KS_ERR_IO, "cannot read %s: %s",
				   path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*len = used;
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int ks_write_file(const char *path, const void *data, size_t len,
		  unsigned int mode, char *msg, size_t msg_len)
{
	size_t n = strlen(path) + sizeof(".XXXXXX");
	char *tmp = malloc(n);
	mode_t mask;
	int fd, err = 0;

	if (!tmp)
		return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	snprintf(tmp, n, "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = fail(msg, msg_len, KS_ERR_IO, "cannot create %s: %s",
			   tmp, strerror(errno));
		free(tmp);
		return err;
	}
	/* mkstemp makes 0600; honour the umask as open(2) would. */
	mask = umask(0);
	umask(mask);
	if (write_all(fd, data, len) || fchmod(fd, mode & ~mask) ||
	    fsync(fd))
		err = fail(msg, msg_len, KS_ERR_IO, "cannot write %s: %s",
			   tmp, strerror(errno));
	if (close(fd) && !err)
		err = fail(msg, msg_len, KS_ERR_IO, "cannot write %s: %s",
			   tmp, strerror(errno));
	if (!err && rename(tmp, path))
		err = fail(msg, msg_len, KS_ERR_IO, "cannot rename %s to %s: %s",
			   tmp, path, strerror(errno));
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

void ks_pkgfile_close(struct ks_pkgfile *p)
{
	free(p->tar);
	free(p->manifest);
	memset(p, 0, sizeof(*p));
}

/* The manifest and its signature, which have no member lines. */
static int find_unlisted(struct ks_pkgfile *p, char *msg, size_t msg_len)
{
	struct ks_tar_entry e;
	struct ks_tar t;
	int r;

	ks_tar_init(&t, p->tar, p->tar_len);
	while ((r = ks_tar_next(&t, &e, msg, msg_len)) > 0) {
		if (e.type != KS_TAR_FILE)
			continue;
		if (ks_manifest_is_own_path(p->manifest, e.name)) {
			p->manifest_text = e.data;
			p->manifest_len = (size_t)e.size;
		} else if (ks_manifest_is_sig_path(p->manifest, e.name)) {
			p->sig = e.data;
			p->sig_len = (size_t)e.size;
		}
	}
	return r;
}

int ks_pkgfile_load(struct ks_pkgfile *p, const void *gz, size_t len,
		    char *msg, size_t msg_len)
{
	int err;

	memset(p, 0, sizeof(*p));
	err = ks_gunzip(gz, len, KS_PKG_SIZE_MAX, &p->tar, &p->tar_len, msg,
			msg_len);
	if (err == KS_ERR_LIMIT)
		err = fail(msg, msg_len, err, "package too large (limit %zu MiB)",
			   KS_PKG_SIZE_MAX >> 20);
	if (err)
		return err;
	p->manifest = malloc(sizeof(*p->manifest));
	if (!p->manifest) {
		ks_pkgfile_close(p);
		return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	}
	err = ks_package_verify(p->tar, p->tar_len, p->manifest, p->data, msg,
				msg_len);
	if (!err)
		err = find_unlisted(p, msg, msg_len);
	if (err)
		ks_pkgfile_close(p);
	return err;
}

int ks_pkgfile_open(struct ks_pkgfile *p, const char *path,
		    char *msg, size_t msg_len)
{
	unsigned char *gz;
	size_t len;
	int err;

	memset(p, 0, sizeof(*p));
	err = ks_read_file(path, KS_PKG_FILE_MAX, &gz, &len, msg, msg_len);
	if (err == KS_ERR_LIMIT)
		return fail(msg, msg_len, err,
			    "%s: package too large (limit %zu MiB)", path,
			    KS_PKG_SIZE_MAX >> 20);
	if (err)
		return err;
	err = ks_pkgfile_load(p, gz, len, msg, msg_len);
	free(gz);
	if (err)
		prefix_msg(msg, msg_len, path);
	return err;
}

const unsigned char *ks_pkgfile_member(const struct ks_pkgfile *p,
				       const char *path, size_t *size)
{
	int i = p->manifest ? ks_manifest_find_member(p->manifest, path) : -1;

	if (i < 0)
		return NULL;
	if (size)
		*size = (size_t)p->manifest->members[i].size;
	return p->data[i];
}

int ks_pkgfile_extract(const struct ks_pkgfile *p, const char *path,
		       const char *dest, char *msg, size_t msg_len)
{
	const unsigned char *data;
	size_t size;

	data = ks_pkgfile_member(p, path, &size);
	if (!data)
		return fail(msg, msg_len, KS_ERR_MISSING,
			    "no member %s in the package", path);
	return ks_write_file(dest, data, size, 0644, msg, msg_len);
}

/* The archive being built. */
struct buf {
	unsigned char *p;
	size_t len;
	size_t cap;
};

/* @n more zeroed bytes at the end of @b, or NULL. */
static unsigned char *buf_append(struct buf *b, size_t n)
{
	unsigned char *start;

	if (b->cap - b->len < n) {
		size_t want = b->cap ? b->cap : 1 << 16;
		unsigned char *np;

		while (want - b->len < n)
			want *= 2;
		np = realloc(b->p, want);
		if (!np)
			return NULL;
		b->p = np;
		b->cap = want;
	}
	start = b->p + b->len;
	memset(start, 0, n);
	b->len += n;
	return start;
}

static int add_entry(struct buf *b, const char *name, enum ks_tar_type type,
		     const void *data, size_t size, ks_u64 mtime,
		     char *msg, size_t msg_len)
{
	unsigned char *h = buf_append(b, KS_TAR_BLOCK + size +
				      ks_tar_padding(size));
	int err;

	if (!h)
		return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	err = ks_tar_header(h, name, type, size,
			    type == KS_TAR_DIR ? 0755 : 0644, mtime);
	if (err == KS_ERR_LIMIT)
		return fail(msg, msg_len, err,
			    "cannot store %s in a ustar header: no '/' splits it into a prefix of up to 155 bytes and a name of up to 100",
			    name);
	if (err)
		return fail(msg, msg_len, err, "cannot store %s in a ustar header",
			    name);
	if (size)
		memcpy(h + KS_TAR_BLOCK, data, size);
	return 0;
}

/* Directory @in[i].path[0..@p) came with an earlier member. */
static int dir_added(const struct ks_pkg_input *in, unsigned int i, size_t p)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (strlen(in[j].path) > p && in[j].path[p] == '/' &&
		    !memcmp(in[j].path, in[i].path, p))
			return 1;
	return 0;
}

/* Directories of @in[i] not in the archive yet, outermost first. */
static int add_dirs(struct buf *b, const struct ks_pkg_input *in,
		    unsigned int i, size_t skip, ks_u64 mtime,
		    char *msg, size_t msg_len)
{
	const char *path = in[i].path;
	char dir[KS_PATH_MAX + 1];
	size_t p;
	int err;

	for (p = skip; path[p]; p++) {
		if (path[p] != '/' || dir_added(in, i, p))
			continue;
		memcpy(dir, path, p);
		dir[p] = '\0';
		err = add_entry(b, dir, KS_TAR_DIR, NULL, 0, mtime, msg, msg_len);
		if (err)
			return err;
	}
	return 0;
}

static ks_u64 package_mtime(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	unsigned long long v;
	char *end;

	if (s && *s) {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (!errno && !*end)
			return v;
	}
	return (ks_u64)time(NULL);
}

/* Member lines for @in, then the manifest text, malloc'd. */
static int manifest_text(struct ks_manifest *m, const struct ks_pkg_input *in,
			 unsigned int n, char **text, size_t *len,
			 char *msg, size_t msg_len)
{
	ks_u8 sha[KS_SHA256_LEN];
	size_t total = 0;
	ks_size tlen = 0;
	unsigned int i;
	int err;

	m->nr_members = 0;
	for (i = 0; i < n; i++) {
		ks_sha256(in[i].data, in[i].size, sha);
		err = ks_manifest_add_member(m, in[i].path, in[i].size, sha,
					     msg, msg_len);
		if (err)
			return err;
		total += in[i].size;
		if (total > KS_PKG_SIZE_MAX)
			return fail(msg, msg_len, KS_ERR_LIMIT,
				    "package too large (limit %zu MiB)",
				    KS_PKG_SIZE_MAX >> 20);
	}
	err = ks_manifest_write(m, NULL, 0, &tlen, msg, msg_len);
	if (err != KS_ERR_NOSPACE)
		return err ? err : fail(msg, msg_len, KS_ERR_NOSPACE,
					"manifest writer wrote into no space");
	*text = malloc(tlen + 1);
	if (!*text)
		return fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	*len = tlen;
	return ks_manifest_write(m, *text, tlen + 1, &tlen, msg, msg_len);
}

static int build_tar(const struct ks_manifest *m, const char *text,
		     size_t text_len, const unsigned char *sig, size_t sig_len,
		     const struct ks_pkg_input *in, unsigned int n,
		     struct buf *b, char *msg, size_t msg_len)
{
	char top[KS_ID_MAX + 16], own[KS_ID_MAX + 32], sig_name[KS_ID_MAX + 32];
	ks_u64 mtime = package_mtime();
	unsigned int i;
	int err;

	snprintf(top, sizeof(top), "ksplice-%s", m->id);
	snprintf(own, sizeof(own), "ksplice-%s/manifest", m->id);
	err = add_entry(b, top, KS_TAR_DIR, NULL, 0, mtime, msg, msg_len);
	if (!err)
		err = add_entry(b, own, KS_TAR_FILE, text, text_len, mtime,
				msg, msg_len);
	snprintf(sig_name, sizeof(sig_name), "ksplice-%s/manifest.sig", m->id);
	if (!err && sig)
		err = add_entry(b, sig_name, KS_TAR_FILE, sig, sig_len, mtime,
				msg, msg_len);
	for (i = 0; !err && i < n; i++) {
		err = add_dirs(b, in, i, strlen(top) + 1, mtime, msg, msg_len);
		if (!err)
			err = add_entry(b, in[i].path, KS_TAR_FILE, in[i].data,
					in[i].size, mtime, msg, msg_len);
	}
	if (!err && !buf_append(b, 2 * KS_TAR_BLOCK))
		err = fail(msg, msg_len, KS_ERR_NOMEM, "out of memory");
	if (!err && b->len > KS_PKG_SIZE_MAX)
		err = fail(msg, msg_len, KS_ERR_LIMIT,
			   "package too large (limit %zu MiB)",
			   KS_PKG_SIZE_MAX >> 20);
	return err;
}

int ks_pkgfile_build(struct ks_manifest *m, const struct ks_pkg_input *in,
		     unsigned int n, unsigned char **gz, size_t *gz_len,
		     char *msg, size_t msg_len)
{
	return ks_pkgfile_build_signed(m, in, n, NULL, gz, gz_len, msg,
				       msg_len);
}

int ks_pkgfile_build_signed(struct ks_manifest *m,
			    const struct ks_pkg_input *in, unsigned int n,
			    const struct ks_signer *signer,
			    unsigned char **gz, size_t *gz_len,
			    char *msg, size_t msg_len)
{
	struct buf b = { NULL, 0, 0 };
	struct ks_pkgfile check;
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	char *text = NULL;
	size_t text_len = 0;
	int err;

	*gz = NULL;
	*gz_len = 0;
	err = manifest_text(m, in, n, &text, &text_len, msg, msg_len);
	if (!err && signer)
		err = ks_sign(signer, text, text_len, &sig, &sig_len, msg,
			      msg_len);
	if (!err)
		err = build_tar(m, text, text_len, sig, sig_len, in, n, &b,
				msg, msg_len);
	if (!err)
		err = ks_gzip(b.p, b.len, gz, gz_len, msg, msg_len);
	free(sig);
	free(text);
	free(b.p);
	if (err)
		return err;
	/* What we write, we must be able to read. */
	err = ks_pkgfile_load(&check, *gz, *gz_len, msg, msg_len);
	ks_pkgfile_close(&check);
	if (err) {
		prefix_msg(msg, msg_len, "built package fails verification");
		free(*gz);
		*gz = NULL;
		*gz_len = 0;
	}
	return err;
}

int ks_pkgfile_write(const char *path, struct ks_manifest *m,
		     const struct ks_pkg_input *in, unsigned int n,
		     char *msg, size_t msg_len)
{
	return ks_pkgfile_write_signed(path, m, in, n, NULL, msg, msg_len);
}

int ks_pkgfile_write_signed(const char *path, struct ks_manifest *m,
			    const struct ks_pkg_input *in, unsigned int n,
			    const struct ks_signer *signer,
			    char *msg, size_t msg_len)
{
	unsigned char *gz;
	size_t len;
	int err = ks_pkgfile_build_signed(m, in, n, signer, &gz, &len, msg,
					  msg_len);

	if (err)
		return err;
	err = ks_write_file(path, gz, len, 0644, msg, msg_len);
	free(gz);
	return err;
}
