/*
 * shingle.h - shingle sets from tokens.
 *
 * Word shingles: the hash of k consecutive token hashes (XXH3 over the k
 * 64-bit token hashes, which lie contiguously, so no string is built and
 * each token is hashed once). Character shingles: XXH3 of k consecutive
 * code points of the normalized text (tokens joined by one space).
 * A text with fewer than k units gives one shingle of all of them; an empty
 * text gives none.
 *
 * The shinglers write every window in text order (duplicates kept), which
 * is all MinHash needs; rp_shingle_set() then turns that into a set, sorted
 * ascending with no duplicates, for exact verification.
 */
#ifndef RP_SHINGLE_H
#define RP_SHINGLE_H

#include "common.h"
#include "normalize.h"

typedef struct rp_shinglebuf {
	uint64_t *h;        /* shingle hashes (a sorted set after _set) */
	size_t n, cap;
	uint64_t *tmp;      /* scratch for sorting */
	size_t tmpcap;
	uint64_t *th;       /* scratch: token hashes */
	size_t thcap;
	uint32_t *cps;      /* scratch: code points for char shingles */
	size_t cpscap;
} rp_shinglebuf;

RP_INTERNAL void rp_shinglebuf_free(rp_shinglebuf *sb);

/* Word k-shingles of the tokens in tb. */
RP_INTERNAL int rp_shingle_words(rp_shinglebuf *sb, const rp_tokbuf *tb,
				 unsigned k);

/* Character k-shingles of tb->norm (tokenize with keep_norm). */
RP_INTERNAL int rp_shingle_chars(rp_shinglebuf *sb, const rp_tokbuf *tb,
				 unsigned k);

/* Sort and deduplicate sb->h in place. */
RP_INTERNAL int rp_shingle_set(rp_shinglebuf *sb);

/* |A and B| of two sorted, distinct arrays. */
RP_INTERNAL size_t rp_intersect_count(const uint64_t *a, size_t na,
				      const uint64_t *b, size_t nb);

#endif
