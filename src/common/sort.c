/*
 * sort.c - LSD radix sort of 64-bit keys (see sort.h).
 *
 * One counting pass builds all eight histograms; a pass whose histogram has
 * a single non-empty bucket is skipped. The result ends in the caller's
 * array whatever the number of passes.
 */
#include "sort.h"

#define KEY_U64(x) (x)
#define KEY_KV(x) ((x).key)

RP_DEFINE_RADIX(rp_sort_u64, uint64_t, KEY_U64)
RP_DEFINE_RADIX(rp_sort_kv, rp_kv, KEY_KV)

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
