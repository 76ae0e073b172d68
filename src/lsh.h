/*
 * lsh.h - locality-sensitive hashing by banding MinHash signatures.
 *
 * A signature of K values is cut into b bands of r rows (b * r <= K); two
 * documents become a candidate pair when all r values of some band agree,
 * which happens with probability 1 - (1 - s^r)^b for Jaccard s.
 *
 * Candidates are found without a hash table: per band, the (band key, doc)
 * pairs are radix-sorted and each run of equal keys is one bucket. Buckets
 * larger than a cap are skipped and counted, never dropped silently.
 *
 * Invariant: the candidate list is sorted, distinct, and each entry is
 * (a << 32 | b) with a < b.
 */
#ifndef RP_LSH_H
#define RP_LSH_H

#include "common.h"
#include "sort.h"

typedef struct rp_lsh_stats {
	size_t oversized;  /* buckets skipped for exceeding the cap */
	size_t largest;    /* largest bucket seen */
} rp_lsh_stats;

/*
 * sigs: ndocs signatures of K values, row-major. active[i] == 0 excludes
 * document i. Writes a malloc'd candidate array to *out (caller frees).
 */
RP_INTERNAL int rp_lsh_candidates(uint64_t **out, size_t *nout,
				  rp_lsh_stats *stats, const uint64_t *sigs,
				  const uint8_t *active, size_t ndocs,
				  unsigned K, unsigned bands, unsigned rows,
				  size_t cap);

/*
 * Append to *pairs every pair (a < b) of values inside each run of equal
 * keys of the sorted kv; runs longer than cap are skipped and counted in
 * *oversized; *largest keeps the longest run. Equal values in one run
 * (a key twice for one document) make no pair.
 */
RP_INTERNAL int rp_pairs_of_runs(uint64_t **pairs, size_t *npairs,
				 size_t *cap, const rp_kv *kv, size_t n,
				 size_t bucket_cap, size_t *oversized,
				 size_t *largest);

#define RP_PAIR(a, b) (((uint64_t)(a) << 32) | (uint64_t)(b))
#define RP_PAIR_A(p) ((size_t)((p) >> 32))
#define RP_PAIR_B(p) ((size_t)((p) & 0xffffffffu))

#endif
