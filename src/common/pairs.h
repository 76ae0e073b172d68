/*
 * pairs.h - candidate pairs of documents: their 64-bit encoding and the
 * walk over runs of equal keys that makes them (LSH buckets, passage and
 * sampled-shingle postings all use it).
 *
 * Invariant of every candidate list: sorted, distinct, (a << 32 | b) with
 * a < b.
 */
#ifndef RP_PAIRS_H
#define RP_PAIRS_H

#include "common.h"
#include "sort.h"

/*
 * kv must hold each document's entries contiguously before a stable sort
 * by key (as the LSH bands and the sampled shingles do), so that a
 * document's repeats of a key are neighbours in its run: it counts once
 * towards the run's size and makes each pair once.
 *
 * Append to *pairs every pair (a < b) of values inside each run of equal
 * keys of the sorted kv; runs longer than cap are skipped and counted in
 * *oversized; *largest keeps the longest run. Equal values in one run
 * (a key twice for one document) make no pair.
 */
RP_INTERNAL int rp_pairs_of_runs(uint64_t **pairs, size_t *npairs,
				 size_t *cap, const rp_kv *kv, size_t n,
				 size_t bucket_cap, size_t *oversized,
				 size_t *largest);

/* Merge the sorted, distinct cc[0..ncc) into *cand (sorted, distinct;
 * replaced by a new array, the old one freed). RP_ENOMEM leaves *cand. */
RP_INTERNAL int rp_pairs_merge(uint64_t **cand, size_t *ncand,
			       const uint64_t *cc, size_t ncc);

#define RP_PAIR(a, b) (((uint64_t)(a) << 32) | (uint64_t)(b))
#define RP_PAIR_A(p) ((size_t)((p) >> 32))
#define RP_PAIR_B(p) ((size_t)((p) & 0xffffffffu))

#endif
