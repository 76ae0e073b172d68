/*
 * minhash.c - one-permutation hashing with optimal densification, and the
 * classic K-hash MinHash.
 *
 * Design. Classic MinHash (Broder 1997) applies K independent hash
 * functions to every shingle and keeps each minimum: P[sig_A[i] = sig_B[i]]
 * = J(A, B), at a cost of K hashes per shingle. One-permutation hashing (Li,
 * Owen and Zhang, NIPS 2012) hashes each shingle once, uses the top bits of
 * the hash to pick one of K bins and keeps the minimum per bin: O(n + K).
 * Small sets leave bins empty, and empty bins break the estimator.
 * Densification fills each empty bin by copying a non-empty one; the
 * "optimal" scheme (Shrivastava, ICML 2017) probes bins with a hash of
 * (empty bin, attempt) until it hits a bin that was non-empty, which keeps
 * P[agree] = J with the lowest variance among densification schemes and
 * costs O(K) expected in total. The probe sequence depends only on the bin
 * and the seed, never on the data, so two sets with the same non-empty bins
 * copy the same bins.
 *
 * Each shingle hash (already XXH3 output) is mixed with the seed by a
 * bijective finalizer, so different seeds give independent-looking
 * permutations and equal shingles always collide.
 */
#include "minhash.h"

#define EMPTY UINT64_MAX

static inline unsigned bin_of(uint64_t v, unsigned K)
{
	return (unsigned)(((v >> 32) * (uint64_t)K) >> 32);
}

void rp_sign_oph(uint64_t *sig, unsigned K, const uint64_t *set, size_t n,
		 uint64_t seed)
{
	uint64_t filled[RP_MAX_PERM / 64];
	uint64_t mseed = rp_mix64(seed ^ 0x9e3779b97f4a7c15ULL);

	for (unsigned i = 0; i < K; i++)
		sig[i] = EMPTY;
	for (size_t i = 0; i < n; i++) {
		uint64_t v = rp_mix64(set[i] ^ mseed);
		v -= v == EMPTY;
		unsigned b = bin_of(v, K);
		/* (a store every time, so a conditional move: whether a
		 * value is its bin's new minimum is a coin toss early on,
		 * and the branch it was mispredicted) */
		uint64_t cur = sig[b];
		sig[b] = v < cur ? v : cur;
	}
	if (n == 0)
		return;

	unsigned nempty = 0;
	memset(filled, 0, sizeof(filled));
	for (unsigned i = 0; i < K; i++) {
		if (sig[i] != EMPTY)
			filled[i >> 6] |= 1ULL << (i & 63);
		else
			nempty++;
	}
	if (nempty == 0)
		return;
	for (unsigned i = 0; i < K; i++) {
		if (filled[i >> 6] & (1ULL << (i & 63)))
			continue;
		for (uint64_t attempt = 1;; attempt++) {
			uint64_t x = rp_mix64(mseed + ((uint64_t)i << 32) +
					      attempt);
			unsigned j = bin_of(x, K);
			if (filled[j >> 6] & (1ULL << (j & 63))) {
				sig[i] = sig[j];
				break;
			}
		}
	}
}

void rp_sign_classic(uint64_t *sig, unsigned K, const uint64_t *set,
		     size_t n, uint64_t seed)
{
	for (unsigned j = 0; j < K; j++) {
		uint64_t sj = rp_mix64(seed + 0x9e3779b97f4a7c15ULL * (j + 1));
		uint64_t m = EMPTY;
		for (size_t i = 0; i < n; i++) {
			uint64_t v = rp_mix64(set[i] ^ sj);
			if (v < m)
				m = v;
		}
		sig[j] = m;
	}
}

double rp_sig_similarity(const uint64_t *a, const uint64_t *b, unsigned K)
{
	unsigned eq = 0;
	for (unsigned i = 0; i < K; i++)
		eq += a[i] == b[i];
	return K ? (double)eq / K : 0.0;
}
