/*
 * sort.h - radix sorts of 64-bit keys, used for shingle sets, LSH band keys
 * and candidate pairs.
 *
 * Radix sorts with 8-bit digits (RP_DEFINE_RADIX below): LSD for arrays
 * that fit the cache, a scatter by the top differing digit first for
 * larger ones; digit positions where every key has the same byte are
 * skipped. Small arrays use insertion sort.
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
 * a[0..n) sorted by the 64-bit KEY(element), stably (tmp as large as a),
 * as rp_sort_u64 and rp_sort_kv are; `static` before it makes a file's
 * own. Below 48 elements, an insertion sort; below RP_RADIX_MSD_FROM
 * bytes, an LSD radix sort of 8-bit digits (a digit every key shares
 * skipped).
 * From there, where the arrays outgrow the cache and every LSD pass is a
 * miss a store, one pass scatters the elements by the highest digit that
 * differs and each bucket is sorted by the digits below it while it is
 * in the cache (by the same scatter again while it is that large): the
 * same order, 21.7 -> 13.0 ns an element for 10M random 64-bit keys
 * with values (16 bytes), 18.5 -> 13.5 for 1M, a wash at 600k (medians
 * of three, LSD alone before).
 */
/* (bytes: below that the LSD passes stay in this machine's cache) */
#define RP_RADIX_MSD_FROM ((size_t)1 << 23)
#define RP_DEFINE_RADIX(NAME, T, KEY)                                         \
	void NAME(T *a, T *tmp, size_t n);                                    \
	/* x[0..n) by the digits below `top`, between x and y: returns     \
	 * where the result is. */                                            \
	static T *NAME##_lsd(T *x, T *y, size_t n, int top)                   \
	{                                                                     \
		size_t hist[8][256];                                          \
		memset(hist, 0, sizeof(hist[0]) * (size_t)top);               \
		for (size_t i = 0; i < n; i++) {                              \
			uint64_t k = KEY(x[i]);                               \
			for (int d = 0; d < top; d++)                         \
				hist[d][(k >> (8 * d)) & 0xff]++;             \
		}                                                             \
		T *src = x, *dst = y;                                         \
		for (int d = 0; d < top; d++) {                               \
			size_t *h = hist[d];                                  \
			if (h[(KEY(x[0]) >> (8 * d)) & 0xff] == n)            \
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
		return src;                                                   \
	}                                                                     \
	/* a[0..n), whose keys agree above digit `top`, scattered by the   \
	 * highest digit below it that differs, each bucket sorted. */     \
	static void NAME##_msd(T *a, T *tmp, size_t n, int top)               \
	{                                                                     \
		uint64_t any = 0, all = ~(uint64_t)0;                         \
		for (size_t i = 0; i < n; i++) {                              \
			any |= KEY(a[i]);                                     \
			all &= KEY(a[i]);                                     \
		}                                                             \
		/* (the bits where keys differ: none above `top` digits) */  \
		uint64_t differ = any ^ all;                                  \
		int d = top - 1;                                              \
		while (d >= 0 && !((differ >> (8 * d)) & 0xff))               \
			d--;                                                  \
		if (d < 0)                                                    \
			return; /* all keys equal: in order already */        \
		size_t h[257];                                                \
		memset(h, 0, sizeof(h));                                      \
		for (size_t i = 0; i < n; i++)                                \
			h[((KEY(a[i]) >> (8 * d)) & 0xff) + 1]++;             \
		for (int b = 0; b < 256; b++)                                 \
			h[b + 1] += h[b];                                     \
		size_t at[256];                                               \
		memcpy(at, h, sizeof(at));                                    \
		for (size_t i = 0; i < n; i++)                                \
			tmp[at[(KEY(a[i]) >> (8 * d)) & 0xff]++] = a[i];      \
		for (int b = 0; b < 256; b++) {                               \
			size_t m = h[b + 1] - h[b];                           \
			T *ab = a + h[b], *tb = tmp + h[b];                   \
			if (m * sizeof(T) >= RP_RADIX_MSD_FROM) {                         \
				memcpy(ab, tb, m * sizeof(T));                \
				NAME##_msd(ab, tb, m, d);                     \
			} else if (m) {                                       \
				T *r = d ? NAME##_lsd(tb, ab, m, d) : tb;     \
				if (r != ab)                                  \
					memcpy(ab, r, m * sizeof(T));         \
			}                                                     \
		}                                                             \
	}                                                                     \
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
		if (n * sizeof(T) >= RP_RADIX_MSD_FROM) {                                 \
			NAME##_msd(a, tmp, n, 8);                             \
			return;                                               \
		}                                                             \
		T *r = NAME##_lsd(a, tmp, n, 8);                              \
		if (r != a)                                                   \
			memcpy(a, r, n * sizeof(T));                          \
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
