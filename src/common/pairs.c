/*
 * pairs.c - pairs of documents from runs of equal keys.
 */
#include "pairs.h"

int rp_pairs_of_runs(uint64_t **pairs, size_t *npairs, size_t *cap,
		     const rp_kv *kv, size_t n, size_t bucket_cap,
		     size_t *oversized, size_t *largest)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && kv[j].key == kv[i].key)
			j++;
		/* A document counts once in a run, however often its key
		 * repeats (a shingle repeated in one text): the sort is
		 * stable and a document's entries are contiguous in the
		 * input, so its repeats are neighbours. */
		size_t m = 0;
		for (size_t x = i; x < j; x++)
			m += x == i || kv[x].val != kv[x - 1].val;
		if (m > *largest)
			*largest = m;
		if (m > bucket_cap) {
			(*oversized)++;
		} else if (m > 1) {
			FORWARD_IF_ERROR(rp_grow((void **)pairs, cap,
						 *npairs + m * (m - 1) / 2,
						 sizeof(**pairs)));
			for (size_t x = i; x < j; x++) {
				if (x > i && kv[x].val == kv[x - 1].val)
					continue;
				for (size_t y = x + 1; y < j; y++) {
					size_t a = kv[x].val, b = kv[y].val;
					if (kv[y].val == kv[y - 1].val || a == b)
						continue;
					(*pairs)[(*npairs)++] =
						a < b ? RP_PAIR(a, b)
						      : RP_PAIR(b, a);
				}
			}
		}
		i = j;
	}
	return RP_OK;
}

int rp_pairs_merge(uint64_t **cand, size_t *ncand, const uint64_t *cc,
		   size_t ncc)
{
	uint64_t *merged = reallocarray(NULL, *ncand + ncc + 1, sizeof(*merged));
	RETURN_ERROR_IF(!merged, RP_ENOMEM);
	size_t i = 0, j = 0, m = 0;
	while (i < *ncand || j < ncc) {
		uint64_t x = i < *ncand ? (*cand)[i] : UINT64_MAX;
		uint64_t y = j < ncc ? cc[j] : UINT64_MAX;
		merged[m++] = x < y ? x : y;
		i += x <= y;
		j += y <= x;
	}
	free(*cand);
	*cand = merged;
	*ncand = m;
	return RP_OK;
}
