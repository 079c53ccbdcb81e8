// SPDX-License-Identifier: GPL-2.0
/* SHA-256 as in FIPS 180-4; see ksplice/sha256.h. */
#include "ksplice/sha256.h"

static const ks_u32 k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline ks_u32 ror(ks_u32 x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static void compress(ks_u32 state[8], const ks_u8 block[KS_SHA256_BLOCK])
{
	ks_u32 w[64], v[8], t1, t2;
	unsigned int i, j;

	for (i = 0; i < 16; i++)
		w[i] = (ks_u32)block[4 * i] << 24 |
		       (ks_u32)block[4 * i + 1] << 16 |
		       (ks_u32)block[4 * i + 2] << 8 | block[4 * i + 3];
	for (i = 16; i < 64; i++) {
		ks_u32 s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^
			    (w[i - 15] >> 3);
		ks_u32 s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^
			    (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	for (i = 0; i < 8; i++)
		v[i] = state[i];
	for (i = 0; i < 64; i++) {
		t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i];
		t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		/* Rotate the working variables a..h by one. */
		for (j = 7; j > 0; j--)
			v[j] = v[j - 1];
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		state[i] += v[i];
}

void ks_sha256_init(struct ks_sha256 *c)
{
	static const ks_u32 iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	unsigned int i;

	for (i = 0; i < 8; i++)
		c->state[i] = iv[i];
	c->bytes = 0;
	c->buf_len = 0;
}

void ks_sha256_update(struct ks_sha256 *c, const void *data, ks_size len)
{
	const ks_u8 *p = data;

	c->bytes += len;
	if (c->buf_len) {
		while (len && c->buf_len < KS_SHA256_BLOCK) {
			c->buf[c->buf_len++] = *p++;
			len--;
		}
		if (c->buf_len < KS_SHA256_BLOCK)
			return;
		compress(c->state, c->buf);
		c->buf_len = 0;
	}
	/* Whole blocks straight from the caller's data: no copy. */
	for (; len >= KS_SHA256_BLOCK; len -= KS_SHA256_BLOCK) {
		compress(c->state, p);
		p += KS_SHA256_BLOCK;
	}
	while (len--)
		c->buf[c->buf_len++] = *p++;
}

void ks_sha256_final(struct ks_sha256 *c, ks_u8 out[KS_SHA256_LEN])
{
	ks_u64 bits = c->bytes * 8;
	unsigned int i;

	c->buf[c->buf_len++] = 0x80;
	if (c->buf_len > KS_SHA256_BLOCK - 8) {
		while (c->buf_len < KS_SHA256_BLOCK)
			c->buf[c->buf_len++] = 0;
		compress(c->state, c->buf);
		c->buf_len = 0;
	}
	while (c->buf_len < KS_SHA256_BLOCK - 8)
		c->buf[c->buf_len++] = 0;
	for (i = 0; i < 8; i++)
		c->buf[KS_SHA256_BLOCK - 1 - i] = (ks_u8)(bits >> (8 * i));
	compress(c->state, c->buf);
	for (i = 0; i < 32; i++)
		out[i] = (ks_u8)(c->state[i / 4] >> (24 - 8 * (i % 4)));
}

void ks_sha256(const void *data, ks_size len, ks_u8 out[KS_SHA256_LEN])
{
	struct ks_sha256 c;

	ks_sha256_init(&c);
	ks_sha256_update(&c, data, len);
	ks_sha256_final(&c, out);
}

void ks_sha256_hex(const ks_u8 digest[KS_SHA256_LEN],
		   char out[KS_SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < KS_SHA256_LEN; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[KS_SHA256_HEX_LEN] = '\0';
}
