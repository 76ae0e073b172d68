/*
 * minhash.h - MinHash signatures of shingle sets.
 *
 * A signature is K 64-bit values; two signatures agree in a position with
 * probability equal to the Jaccard similarity of their sets. The default
 * scheme is one-permutation hashing with optimal densification
 * (Shrivastava, ICML 2017), O(n + K); the classic scheme with K hash
 * functions, O(nK), is the reference.
 *
 * Invariant: a signature depends only on the set, K and the seed.
 */
#ifndef RP_MINHASH_H
#define RP_MINHASH_H

#include "common.h"
#include "hash.h"

#define RP_MAX_PERM 4096

/* Sign a set of n shingle hashes (n > 0) into sig[0..K). */
RP_INTERNAL void rp_sign_oph(uint64_t *sig, unsigned K, const uint64_t *set,
			     size_t n, uint64_t seed);
RP_INTERNAL void rp_sign_classic(uint64_t *sig, unsigned K,
				 const uint64_t *set, size_t n, uint64_t seed);

/* Fraction of positions where two signatures agree. */
RP_INTERNAL double rp_sig_similarity(const uint64_t *a, const uint64_t *b,
				     unsigned K);

#endif
