/*
 * verify.h - exact similarity of candidate pairs, and exact all-pairs
 * search.
 *
 * Every reported number comes from the two documents' sorted shingle-hash
 * sets: |A and B| by merging, then Jaccard and both containments. Nothing is
 * estimated from signatures.
 *
 * Invariant: output pairs are sorted by (a, b), a < b, and each has
 * Jaccard >= the threshold.
 */
#ifndef RP_VERIFY_H
#define RP_VERIFY_H

#include "common.h"

/* Containment counts only for a contained text of this many shingles. */
#define RP_CONTAIN_MIN_SHINGLES 20

/* The shingle sets of all documents (set i empty when inactive). */
typedef struct rp_sets {
	const uint64_t *const *h;
	const uint32_t *n;
	size_t ndocs;
} rp_sets;

/* Exact scores of documents a and b. */
RP_INTERNAL void rp_score_pair(rp_pair *out, const rp_sets *sets, size_t a,
			       size_t b);
/* The same of sets ha[0..na) (document a) and hb[0..nb) (document b). */
RP_INTERNAL void rp_score_sets(rp_pair *out, size_t a, const uint64_t *ha,
			       size_t na, size_t b, const uint64_t *hb,
			       size_t nb);

/* Jaccard >= t, or (c > 0) either containment >= c for a contained text
 * of at least RP_CONTAIN_MIN_SHINGLES shingles. */
RP_INTERNAL int rp_pair_passes(const rp_pair *p, double t, double c);

/*
 * Verify sorted candidates (RP_PAIR encoding) and keep those with
 * Jaccard >= threshold or, when containment > 0, either containment >=
 * containment (for a contained text of RP_CONTAIN_MIN_SHINGLES or more).
 * keep[0..nkeep) (sorted, a subset of cand) are the candidates that may
 * share a passage: when tentative is not NULL, those that fail the
 * thresholds but share keep_shared shingles or more (what a passage of
 * the length sought holds) are kept too, with (*tentative)[i] = 1
 * (alignment decides). On up to `threads` threads (0: one per core), each
 * taking a contiguous share: the output is the same for any number.
 * *out and *tentative are malloc'd (caller frees).
 */
RP_INTERNAL int rp_verify(rp_pair **out, size_t *nout, uint8_t **tentative,
			  const rp_sets *sets, const uint64_t *cand,
			  size_t ncand, const uint64_t *keep, size_t nkeep,
			  size_t keep_shared, double threshold,
			  double containment, unsigned threads);

/*
 * All pairs with Jaccard >= threshold (> 0), or with either containment >=
 * containment when that is > 0, exactly, with no LSH: prefix filtering over
 * shingles ordered by document frequency (Chaudhuri et al. 2006; Bayardo et
 * al. 2007), then the same verification. *ncand receives
 * the number of candidates the filter let through.
 */
RP_INTERNAL int rp_exact_pairs(rp_pair **out, size_t *nout, size_t *ncand,
			       const rp_sets *sets, double threshold,
			       double containment);

#endif
