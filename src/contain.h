/*
 * contain.h - candidate pairs for a containment threshold: a short text
 * inside a long one (a trimmed reprint, an excerpt), whose Jaccard is too
 * low for banding.
 *
 * Every document contributes the shingles whose hash is 0 modulo
 * RP_CONTAIN_SAMPLE (a consistent sample: a shingle is sampled in every
 * document or in none), short texts all of theirs, and documents sharing
 * indexed shingles become candidates, to be verified exactly like LSH
 * candidates.
 *
 * Invariant: the candidate list is sorted, distinct, (a << 32 | b), a < b.
 */
#ifndef RP_CONTAIN_H
#define RP_CONTAIN_H

#include "common.h"
#include "sort.h"

#define RP_CONTAIN_SAMPLE 4u      /* keep 1 shingle in 4 */
#define RP_CONTAIN_MIN_SHARED 2u  /* sampled shingles a candidate shares */
#define RP_CONTAIN_SMALL 8u       /* fewer samples: 1 shared is enough */
#define RP_CONTAIN_ALL 24u        /* texts with fewer shingles index all */

static inline int rp_contain_sampled(uint64_t h)
{
	return (h & (RP_CONTAIN_SAMPLE - 1)) == 0;
}

typedef struct rp_contain_stats {
	size_t postings_skipped;  /* sampled shingles on more than cap docs */
	size_t largest_posting;
} rp_contain_stats;

/*
 * samples: (sampled shingle, document) pairs in any order (sorted here,
 * in place; tmp holds n); a pair repeated within a document counts once
 * more, which can only add a candidate. nsamp[d]: sampled shingles of d.
 * Postings longer than cap are skipped and counted.
 */
RP_INTERNAL int rp_contain_candidates(uint64_t **out, size_t *nout,
				      rp_contain_stats *stats, rp_kv *samples,
				      rp_kv *tmp, size_t n,
				      const uint32_t *nsamp, size_t cap);

#endif
