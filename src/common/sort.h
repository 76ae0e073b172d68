/*
 * sort.h - radix sorts of 64-bit keys, used for shingle sets, LSH band keys
 * and candidate pairs.
 *
 * LSD radix sort with 8-bit digits; digit positions where every key has the
 * same byte are skipped, so sorting keys that differ only in their low bytes
 * costs only those passes. Small arrays use insertion sort.
 */
#ifndef RP_SORT_H
#define RP_SORT_H

#include "common.h"

/* Sort keys ascending; tmp must hold n elements. */
RP_INTERNAL void rp_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n);

/* The same order as rp_sort_u64, in half its passes for keys whose top
 * 32 bits are nearly all distinct (hashes): keys that share a top half
 * are ordered by insertion, quadratic in how many share one. */
RP_INTERNAL void rp_sort_hashes(uint64_t *keys, uint64_t *tmp, size_t n);

/* Sort (key, value) pairs by key, stable; tmp must hold n elements. */
typedef struct rp_kv {
	uint64_t key;
	uint64_t val;
} rp_kv;
RP_INTERNAL void rp_sort_kv(rp_kv *kv, rp_kv *tmp, size_t n);

/* Remove adjacent duplicates of a sorted array; returns the new length. */
RP_INTERNAL size_t rp_unique_u64(uint64_t *keys, size_t n);

/* The first of the sorted x[0..n) that is >= v (n when none is). */
static inline size_t rp_lower_u64(const uint64_t *x, size_t n, uint64_t v)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * RP_DEFINE_RADIX(NAME, T, KEY) defines void NAME(T *a, T *tmp, size_t n):
 * a[0..n) sorted by the 64-bit KEY(element), stably (an LSD radix sort;
 * tmp as large as a), as rp_sort_u64 and rp_sort_kv are; `static` before
 * it makes a file's own. Below 48 elements, an insertion sort.
 */
#define RP_DEFINE_RADIX(NAME, T, KEY)                                         \
	void NAME(T *a, T *tmp, size_t n)                                     \
	{                                                                     \
		if (n < 48) {                                                 \
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

/*
 * RP_DEFINE_MERGE(NAME, T, KEY) defines
 *   static void NAME(T *out, T *tmp, const T *const *runs,
 *                    const size_t *lens, size_t n)
 * the n runs, each sorted by KEY, merged into out (tmp as large as out):
 * stable, an element of an earlier run before an equal one of a later, so
 * the result is what a stable sort of the runs laid end to end gives, in
 * O(total log n) instead of a sort's passes. Adjacent runs are merged in
 * halves, out and tmp trading places at each level; two runs merge from
 * where they are (two parts: one pass over the elements, tmp untouched).
 */
#define RP_DEFINE_MERGE(NAME, T, KEY)                                         \
	static void NAME##_two(T *out, const T *a, size_t na, const T *b,     \
			       size_t nb)                                     \
	{                                                                     \
		size_t i = 0, j = 0, k = 0;                                   \
		while (i < na && j < nb)                                      \
			out[k++] = KEY(b[j]) < KEY(a[i]) ? b[j++] : a[i++];   \
		memcpy(out + k, a + i, (na - i) * sizeof(T));                 \
		memcpy(out + k + (na - i), b + j, (nb - j) * sizeof(T));      \
	}                                                                     \
	static void NAME(T *out, T *tmp, const T *const *runs,                \
			 const size_t *lens, size_t n)                        \
	{                                                                     \
		if (n == 0)                                                   \
			return;                                               \
		if (n == 1) {                                                 \
			memcpy(out, runs[0], lens[0] * sizeof(T));            \
			return;                                               \
		}                                                             \
		if (n == 2) { /* (from the runs: no copy of them first) */    \
			NAME##_two(out, runs[0], lens[0], runs[1], lens[1]);  \
			return;                                               \
		}                                                             \
		size_t h = n / 2, left = 0, right = 0;                        \
		for (size_t x = 0; x < h; x++)                                \
			left += lens[x];                                      \
		for (size_t x = h; x < n; x++)                                \
			right += lens[x];                                     \
		NAME(tmp, out, runs, lens, h);                                \
		NAME(tmp + left, out + left, runs + h, lens + h, n - h);      \
		NAME##_two(out, tmp, left, tmp + left, right);                \
	}

#endif
