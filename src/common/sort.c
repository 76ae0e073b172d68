/*
 * sort.c - LSD radix sort of 64-bit keys (see sort.h).
 *
 * One counting pass builds all eight histograms; a pass whose histogram has
 * a single non-empty bucket is skipped. The result ends in the caller's
 * array whatever the number of passes.
 */
#include "sort.h"

#define SMALL_SORT 48

#define DEFINE_RADIX(NAME, T, KEY)                                            \
	void NAME(T *a, T *tmp, size_t n)                                     \
	{                                                                     \
		if (n < SMALL_SORT) {                                         \
			for (size_t i = 1; i < n; i++) {                      \
				T x = a[i];                                   \
				size_t j = i;                                 \
				while (j > 0 && KEY(a[j - 1]) > KEY(x)) {     \
					a[j] = a[j - 1];                      \
					j--;                                  \
				}                                             \
				a[j] = x;                                     \
			}                                                     \
			return;                                               \
		}                                                             \
		size_t hist[8][256];                                          \
		memset(hist, 0, sizeof(hist));                                \
		for (size_t i = 0; i < n; i++) {                              \
			uint64_t k = KEY(a[i]);                               \
			for (int d = 0; d < 8; d++)                           \
				hist[d][(k >> (8 * d)) & 0xff]++;             \
		}                                                             \
		T *src = a, *dst = tmp;                                       \
		for (int d = 0; d < 8; d++) {                                 \
			size_t *h = hist[d];                                  \
			if (h[(KEY(a[0]) >> (8 * d)) & 0xff] == n)            \
				continue;                                     \
			size_t sum = 0;                                       \
			for (int b = 0; b < 256; b++) {                       \
				size_t c = h[b];                              \
				h[b] = sum;                                   \
				sum += c;                                     \
			}                                                     \
			for (size_t i = 0; i < n; i++)                        \
				dst[h[(KEY(src[i]) >> (8 * d)) & 0xff]++] =   \
					src[i];                               \
			T *t = src;                                           \
			src = dst;                                            \
			dst = t;                                              \
		}                                                             \
		if (src != a)                                                 \
			memcpy(a, src, n * sizeof(T));                        \
	}

#define KEY_U64(x) (x)
#define KEY_KV(x) ((x).key)

DEFINE_RADIX(rp_sort_u64, uint64_t, KEY_U64)
DEFINE_RADIX(rp_sort_kv, rp_kv, KEY_KV)

size_t rp_unique_u64(uint64_t *keys, size_t n)
{
	if (n == 0)
		return 0;
	size_t w = 1;
	for (size_t i = 1; i < n; i++)
		if (keys[i] != keys[w - 1])
			keys[w++] = keys[i];
	return w;
}
