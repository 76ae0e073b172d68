/*
 * shingle.c - word and character shingle sets, and set intersection.
 */
#include "shingle.h"

#include "sort.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

void rp_shinglebuf_free(rp_shinglebuf *sb)
{
	if (!sb)
		return;
	free(sb->h);
	free(sb->tmp);
	free(sb->th);
	free(sb->cps);
	memset(sb, 0, sizeof(*sb));
}

int rp_shingle_set(rp_shinglebuf *sb)
{
	FORWARD_IF_ERROR(RP_GROW(sb->tmp, sb->tmpcap, sb->n));
	rp_sort_hashes(sb->h, sb->tmp, sb->n);
	sb->n = rp_unique_u64(sb->h, sb->n);
	return RP_OK;
}

int rp_shingle_words(rp_shinglebuf *sb, const rp_tokbuf *tb, unsigned k)
{
	size_t nt = tb->ntok;

	RETURN_ERROR_IF(k == 0, RP_EINVAL);
	sb->n = 0;
	if (nt == 0)
		return RP_OK;
	FORWARD_IF_ERROR(RP_GROW(sb->th, sb->thcap, nt));
	for (size_t i = 0; i < nt; i++)
		sb->th[i] = tb->tok[i].hash;
	size_t ns = nt >= k ? nt - k + 1 : 1;
	size_t kk = nt >= k ? k : nt;
	FORWARD_IF_ERROR(RP_GROW(sb->h, sb->cap, ns));
	for (size_t i = 0; i < ns; i++)
		sb->h[i] = XXH3_64bits(sb->th + i, kk * sizeof(uint64_t));
	sb->n = ns;
	return RP_OK;
}

int rp_shingle_chars(rp_shinglebuf *sb, const rp_tokbuf *tb, unsigned k)
{
	RETURN_ERROR_IF(k == 0, RP_EINVAL);
	sb->n = 0;
	if (tb->normlen == 0)
		return RP_OK;
	/* Decode the normalized text (valid UTF-8, made by the tokenizer). */
	FORWARD_IF_ERROR(RP_GROW(sb->cps, sb->cpscap, tb->normlen));
	const unsigned char *s = (const unsigned char *)tb->norm;
	size_t ncp = 0;
	for (size_t i = 0; i < tb->normlen;) {
		uint32_t c = s[i];
		size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (n > 1) {
			c &= 0xFFu >> (n + 1);
			for (size_t j = 1; j < n; j++)
				c = (c << 6) | (s[i + j] & 0x3F);
		}
		sb->cps[ncp++] = c;
		i += n;
	}
	size_t ns = ncp >= k ? ncp - k + 1 : 1;
	size_t kk = ncp >= k ? k : ncp;
	FORWARD_IF_ERROR(RP_GROW(sb->h, sb->cap, ns));
	for (size_t i = 0; i < ns; i++)
		sb->h[i] = XXH3_64bits(sb->cps + i, kk * sizeof(uint32_t));
	sb->n = ns;
	return RP_OK;
}

size_t rp_intersect_count(const uint64_t *a, size_t na, const uint64_t *b,
			  size_t nb)
{
	size_t i = 0, j = 0, c = 0;
	while (i < na && j < nb) {
		uint64_t x = a[i], y = b[j];
		c += x == y;
		i += x <= y;
		j += y <= x;
	}
	return c;
}
