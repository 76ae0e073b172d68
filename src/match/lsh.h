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

typedef struct rp_lsh_stats {
	size_t oversized;  /* buckets skipped for exceeding the cap */
	size_t largest;    /* largest bucket seen */
} rp_lsh_stats;

/* The key of band `band` of a signature: its rows values hashed, seeded
 * with the band number. */
RP_INTERNAL uint64_t rp_band_key(const uint64_t *sig, unsigned band,
				 unsigned rows);

/*
 * Candidates of documents sharing a band key: band-major keys
 * (keys[band * ndocs + d], as rp_band_key makes them from a signature);
 * active[i] == 0 excludes document i. The same pairs as
 * rp_lsh_candidates of the signatures the keys were made from. The bands
 * are shared among `threads` threads (each holds 32 bytes a document,
 * 40 with fill), with the same pairs and stats for any number.
 */
RP_INTERNAL int rp_lsh_candidates_keys(uint64_t **out, size_t *nout,
				       rp_lsh_stats *stats,
				       const uint64_t *keys,
				       const uint8_t *active, size_t ndocs,
				       unsigned bands, size_t cap,
				       unsigned threads);

/* Writes band `band` of every document's keys into kb[0..ndocs). */
typedef int (*rp_band_fill)(void *ctx, unsigned band, uint64_t *kb);

/* The same, the keys given a band at a time by fill (keys set aside in a
 * file under a memory bound), which the threads call at once. */
RP_INTERNAL int rp_lsh_candidates_fill(uint64_t **out, size_t *nout,
				       rp_lsh_stats *stats, rp_band_fill fill,
				       void *ctx, const uint8_t *active,
				       size_t ndocs, unsigned bands,
				       size_t cap, unsigned threads);

/*
 * sigs: ndocs signatures of K values, row-major. active[i] == 0 excludes
 * document i. Writes a malloc'd candidate array to *out (caller frees).
 */
RP_INTERNAL int rp_lsh_candidates(uint64_t **out, size_t *nout,
				  rp_lsh_stats *stats, const uint64_t *sigs,
				  const uint8_t *active, size_t ndocs,
				  unsigned K, unsigned bands, unsigned rows,
				  size_t cap, unsigned threads);

#include "pairs.h"

#endif
