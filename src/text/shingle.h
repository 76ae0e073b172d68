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

/*
 * Character texts (rp_is_char_text) in the default word mode are
 * tokenized one character a token (RP_TOK_CHARS) and shingled by
 * rp_shingle_words over RP_CHAR_TEXT_K tokens: k-character shingles.
 *
 * Why 5. A Chinese word is about 1.5-2 characters, so 5 characters are
 * about 3 words: specific enough that chance matches stay rare (at 4,
 * kana function sequences such as "している" and "について" are whole
 * shingles that recur in every Japanese text), short enough that one
 * changed character costs only 5 shingles, and within the 4-5 characters common in the Chinese and
 * Japanese near-duplicate literature. The existing --shingle char mode
 * uses 7 because its text keeps the spaces and Latin words between
 * characters; here only letters count. And 5 is the default word k, so a
 * Latin phrase quoted inside a character text (kept as words there) gives
 * the same shingles as in a word text, and alignment anchors on 5 tokens
 * for every pair under the defaults. It does not follow -k, which counts
 * words.
 */
#define RP_CHAR_TEXT_K 5u

/* A passage rule of P words is one of RP_CHAR_PASSAGE_FACTOR x P
 * characters for a pair of character texts (a word is about two of them). */
#define RP_CHAR_PASSAGE_FACTOR 2u

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
