/*
 * normalize.h - UTF-8 validation and tokenization into normalized words.
 *
 * Bytes in, tokens out. A token is a maximal run of letters, marks and
 * numbers after Unicode NFKC + case folding; punctuation, symbols, spaces
 * and controls separate tokens, so "won't", "won’t" and "WON'T" all give
 * the tokens "won" "t". Each token keeps the byte range it came from in the
 * original text and the XXH3 hash of its normalized bytes.
 *
 * Character texts. Scripts written without spaces between words (Han,
 * Hiragana/Katakana, Hangul, Thai, Lao, Khmer, Myanmar) give whole
 * sentences as one run, so word shingles over them find nothing. With
 * RP_TOK_CHARS every letter or number of those scripts is a token of its
 * own (with the marks that follow it, so a Thai vowel sign or a combining
 * voiced mark stays on its letter), with its own byte range; runs of other
 * letters and figures inside such a text ("GDP", "2024", full-width
 * "２０２４") are still one token each, as in word mode. Tokens are
 * hashed after NFKC + case folding either way, so word shingles over
 * them are k-character shingles, and alignment works on them unchanged.
 *
 * Invariant: tokens are in text order, start < end, and ranges never
 * overlap (tokens split out of one run by normalization share that run's
 * range; so do the tokens of a character whose compatibility mapping is
 * several characters, such as U+309F HIRAGANA DIGRAPH YORI).
 */
#ifndef RP_NORMALIZE_H
#define RP_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "utf8.h"

typedef struct rp_token {
	uint32_t start, end; /* byte range in the original text */
	uint64_t hash;       /* XXH3 of the normalized token bytes */
	uint32_t numeric;    /* 1 when the token is all digits (a figure) */
} rp_token;

/* Reusable buffers for the tokenizer; zero-initialise, free with _free. */
typedef struct rp_tokbuf {
	rp_token *tok;
	size_t ntok, captok;
	char *norm;          /* normalized text, tokens joined by ' ' (if kept) */
	size_t normlen, normcap;
	int32_t *ucs;        /* scratch for the Unicode path */
	size_t ucscap;
	char *word;          /* scratch: one normalized token */
	size_t wordcap;
} rp_tokbuf;

RP_INTERNAL void rp_tokbuf_free(rp_tokbuf *tb);


/*
 * Is this a character text: are more than half of its letters and numbers
 * (general categories L* and N*; marks, punctuation and spaces are not
 * counted) in a script written without spaces between words (Han,
 * Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar)? Decided from the
 * bytes alone (valid UTF-8), ASCII by table and only non-ASCII decoded, and
 * stops as soon as the rest of the text cannot change the answer.
 */
RP_INTERNAL int rp_is_char_text(const char *text, size_t len);

/* Tokenizer flags. */
enum {
	RP_TOK_NORM = 1,  /* also build tb->norm (what keep_norm = 1 did) */
	RP_TOK_CHARS = 2  /* one token per character of the scripts above */
};

/*
 * Tokenize valid UTF-8 text (validate first) into tb->tok, replacing what
 * was there. flags: RP_TOK_NORM also builds tb->norm, the normalized tokens
 * joined by single spaces (used by character shingles and tests; 1 means
 * RP_TOK_NORM, so 0/1 "keep_norm" callers are unchanged); RP_TOK_CHARS
 * tokenizes a character text (see the top of this file).
 * Returns RP_OK, RP_ENOMEM, or RP_ELIMIT for texts of 4 GiB or more.
 */
RP_INTERNAL int rp_tokenize(rp_tokbuf *tb, const char *text, size_t len,
			    int flags);

/*
 * The same, leaving out the byte ranges skip[2k] .. skip[2k+1] (sorted,
 * disjoint; they should begin and end between words).
 */
RP_INTERNAL int rp_tokenize_skip(rp_tokbuf *tb, const char *text, size_t len,
				 int flags, const uint32_t *skip,
				 size_t nskip);

#endif
