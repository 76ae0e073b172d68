/*
 * sort.c - radix sorts of 64-bit keys (see sort.h's RP_DEFINE_RADIX).
 *
 * An LSD sort builds all eight histograms in one counting pass and skips
 * a pass whose histogram has a single non-empty bucket; past
 * RP_RADIX_MSD_FROM bytes a scatter by the top differing digit comes
 * first. The result ends in the caller's array whatever the passes.
 */
#include "sort.h"

#define KEY_U64(x) (x)
#define KEY_KV(x) ((x).key)

RP_DEFINE_RADIX(rp_sort_u64, uint64_t, KEY_U64)
RP_DEFINE_RADIX(rp_sort_kv, rp_kv, KEY_KV)

/* Hashes by their top halves, then each run of equal top halves (about
 * n^2 / 2^33 pairs of keys in all: a few in a million shingle sets) in
 * place by the whole key: half the passes of rp_sort_u64. */
#define KEY_TOP(x) ((x) >> 32)
static RP_DEFINE_RADIX(sort_top, uint64_t, KEY_TOP)

void rp_sort_hashes(uint64_t *keys, uint64_t *tmp, size_t n)
{
	sort_top(keys, tmp, n);
	for (size_t i = 1; i < n; i++) {
		if (keys[i] >> 32 != keys[i - 1] >> 32 || keys[i] >= keys[i - 1])
			continue;
		uint64_t x = keys[i];
		size_t j = i;
		while (j > 0 && keys[j - 1] >> 32 == x >> 32 && keys[j - 1] > x) {
			keys[j] = keys[j - 1];
			j--;
		}
		keys[j] = x;
	}
}

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
