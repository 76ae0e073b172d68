/*
 * normalize.c - UTF-8 validation and the tokenizer.
 *
 * Design. Almost all news text is ASCII, so the tokenizer walks bytes with a
 * 256-entry class table: an ASCII letter or digit is lower-cased into a
 * small buffer, anything else ASCII ends the token. A run that contains a
 * non-ASCII code point takes the Unicode path for that run only: the run is
 * decomposed with utf8proc (compatibility decomposition + case folding +
 * removal of default-ignorable characters such as soft hyphens and
 * zero-width joiners), recomposed (so the result is NFKC_Casefold), and
 * re-split, because compatibility mappings can produce separators ("½"
 * becomes "1⁄2"). Which code points belong to words is decided by the
 * Unicode general category: letters (L*), marks (M*) and numbers (N*).
 * Format characters (Cf) stay inside a run so that the ignorable ones can
 * be removed rather than split a word in two.
 *
 * HTML character references left in text by careless extraction
 * ("Brazil&rsquo;s", "&ldquo;quote&rdquo;", "MJM&gt;") are separators, like
 * the characters they stand for mostly are: otherwise one outlet's leaked
 * entities would turn "Brazil’s" into the words "brazil rsquo s" and break
 * every shingle around them. A reference is "&name;" (2-10 letters and
 * digits) or "&#digits;" / "&#xhex;"; a bare "&" is an ordinary separator.
 *
 * Nothing is allocated per token: buffers live in rp_tokbuf and grow.
 */
#include "normalize.h"

#include <utf8proc.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define NORM_OPTIONS                                                         \
	(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |              \
	 UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/* 0: ASCII separator, 1: ASCII letter/digit, 2: non-ASCII byte. */
static const uint8_t byte_class[256] = {
#define S0 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define N2 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
	S0, S0, S0,                                              /* 0x00-0x2f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,          /* 0-9 */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,          /* @A-O */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,          /* P-Z */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,          /* `a-o */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,          /* p-z */
	N2, N2, N2, N2, N2, N2, N2, N2
#undef S0
#undef N2
};

void rp_tokbuf_free(rp_tokbuf *tb)
{
	if (!tb)
		return;
	free(tb->tok);
	free(tb->norm);
	free(tb->ucs);
	free(tb->word);
	memset(tb, 0, sizeof(*tb));
}

size_t rp_utf8_invalid_at(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		/* ASCII fast path, eight bytes at a time. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		uint32_t cp, min;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2; cp = c & 0x1F; min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3; cp = c & 0x0F; min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return i;
		}
		if (len - i < n)
			return i;
		for (size_t j = 1; j < n; j++) {
			unsigned cc = s[i + j];
			if ((cc & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (cc & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n;
	}
	return len;
}

/* Code points that belong inside a word run (before normalization). */
static int run_codepoint(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_CF:
		return 1;
	default:
		return 0;
	}
}

/* Code points that belong to a word (after normalization). */
static int word_codepoint(int32_t cp)
{
	return run_codepoint(cp) &&
	       utf8proc_category(cp) != UTF8PROC_CATEGORY_CF;
}

static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the HTML character reference at s[i] ('&'), or 0. */
static size_t entity_len(const unsigned char *s, size_t i, size_t len)
{
	size_t j = i + 1, n = 0;
	if (j < len && s[j] == '#') {
		j++;
		int hex = j < len && (s[j] == 'x' || s[j] == 'X');
		j += (size_t)hex;
		while (j < len && n < 7 &&
		       (is_digit(s[j]) || (hex && ((s[j] | 0x20) >= 'a' &&
						   (s[j] | 0x20) <= 'f')))) {
			j++;
			n++;
		}
	} else {
		while (j < len && n < 10 && byte_class[s[j]] == 1 && s[j] != '_') {
			j++;
			n++;
		}
		if (n < 2 || is_digit(s[i + 1]))
			return 0;
	}
	return n && j < len && s[j] == ';' ? j + 1 - i : 0;
}

static inline int push_token(rp_tokbuf *tb, size_t start, size_t end,
		      const char *word, size_t wlen, int keep_norm)
{
	if (tb->ntok == tb->captok)
		FORWARD_IF_ERROR(RP_GROW(tb->tok, tb->captok, tb->ntok + 1));
	rp_token *t = &tb->tok[tb->ntok++];
	t->start = (uint32_t)start;
	t->end = (uint32_t)end;
	t->hash = XXH3_64bits(word, wlen);
	t->numeric = 1;
	for (size_t i = 0; i < wlen; i++)
		if (word[i] < '0' || word[i] > '9') {
			t->numeric = 0;
			break;
		}
	if (keep_norm) {
		FORWARD_IF_ERROR(RP_GROW(tb->norm, tb->normcap,
					 tb->normlen + wlen + 2));
		if (tb->normlen)
			tb->norm[tb->normlen++] = ' ';
		memcpy(tb->norm + tb->normlen, word, wlen);
		tb->normlen += wlen;
		tb->norm[tb->normlen] = '\0';
	}
	return RP_OK;
}

/* The Unicode path for one run [start, end) holding non-ASCII code points. */
static int unicode_run(rp_tokbuf *tb, const char *text, size_t start,
		       size_t end, int keep_norm)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text + start;
	utf8proc_ssize_t slen = (utf8proc_ssize_t)(end - start);
	utf8proc_ssize_t n;

	for (;;) {
		n = utf8proc_decompose_custom(s, slen, tb->ucs,
					      (utf8proc_ssize_t)tb->ucscap,
					      NORM_OPTIONS, NULL, NULL);
		RETURN_ERROR_IF(n < 0, n == UTF8PROC_ERROR_NOMEM ? RP_ENOMEM
								 : RP_EINPUT);
		if ((size_t)n <= tb->ucscap)
			break;
		FORWARD_IF_ERROR(RP_GROW(tb->ucs, tb->ucscap, (size_t)n));
	}
	n = utf8proc_normalize_utf32(tb->ucs, n, NORM_OPTIONS);
	RETURN_ERROR_IF(n < 0, RP_EINPUT);

	/* Re-split on code points that are not part of words. */
	FORWARD_IF_ERROR(RP_GROW(tb->word, tb->wordcap, (size_t)n * 4 + 1));
	size_t wlen = 0;
	for (utf8proc_ssize_t i = 0; i <= n; i++) {
		if (i < n && word_codepoint(tb->ucs[i])) {
			wlen += (size_t)utf8proc_encode_char(
				tb->ucs[i], (utf8proc_uint8_t *)tb->word + wlen);
			continue;
		}
		if (wlen) {
			FORWARD_IF_ERROR(push_token(tb, start, end, tb->word,
						    wlen, keep_norm));
			wlen = 0;
		}
	}
	return RP_OK;
}

static int tokenize_reset(rp_tokbuf *tb, size_t len, int keep_norm)
{
	tb->ntok = 0;
	tb->normlen = 0;
	if (keep_norm) {
		FORWARD_IF_ERROR(RP_GROW(tb->norm, tb->normcap, 1));
		tb->norm[0] = '\0';
	}
	RETURN_ERROR_IF(len >= UINT32_MAX, RP_ELIMIT);
	/* A word takes at least two bytes with its separator: reserve once. */
	return RP_GROW(tb->tok, tb->captok, len / 2 + 1);
}

/* Append the tokens of text[from, len) (offsets count from text). */
static int tokenize_range(rp_tokbuf *tb, const char *text, size_t from,
			  size_t len, int keep_norm)
{
	const unsigned char *s = (const unsigned char *)text;
	char small[64];
	size_t i = from;

	while (i < len) {
		while (i < len && byte_class[s[i]] == 0) {
			size_t e = s[i] == '&' ? entity_len(s, i, len) : 0;
			i += e ? e : 1;
		}
		if (i >= len)
			break;
		size_t start = i;
		/* ASCII fast path: letters and digits, lower-cased as they are
		 * scanned (c | 0x20 lower-cases A-Z and keeps 0-9). */
		size_t wlen = 0;
		int digits = 1;
		for (;;) {
			while (i < len && byte_class[s[i]] == 1) {
				digits &= s[i] <= '9';
				if (wlen < sizeof(small))
					small[wlen] = (char)(s[i] | 0x20);
				wlen++;
				i++;
			}
			/* A thousands separator inside a figure: "2,000" is the
			 * word "2000", like "2000" itself. */
			if (digits && wlen && i + 3 < len && s[i] == ',' &&
			    is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
			    is_digit(s[i + 3]) &&
			    (i + 4 == len || byte_class[s[i + 4]] != 1)) {
				i++;
				continue;
			}
			break;
		}
		int ends = i >= len || byte_class[s[i]] == 0;
		if (wlen && !ends) { /* a non-ASCII separator (’ — «) ends it too */
			utf8proc_int32_t cp;
			utf8proc_ssize_t n = utf8proc_iterate(
				s + i, (utf8proc_ssize_t)(len - i), &cp);
			RETURN_ERROR_IF(n <= 0, RP_EINPUT);
			ends = !run_codepoint(cp);
		}
		if (wlen && ends) {
			char *w = small;
			if (wlen > sizeof(small)) {
				FORWARD_IF_ERROR(RP_GROW(tb->word, tb->wordcap, wlen));
				w = tb->word;
				size_t n = 0;
				for (size_t j = start; j < i; j++)
					if (s[j] != ',')
						w[n++] = (char)(s[j] | 0x20);
			}
			FORWARD_IF_ERROR(push_token(tb, start, i, w, wlen,
						    keep_norm));
			continue;
		}
		/* The run holds non-ASCII: find its end by code point class. */
		while (i < len) {
			unsigned cls = byte_class[s[i]];
			if (cls == 1) {
				i++;
				continue;
			}
			if (cls == 0)
				break;
			utf8proc_int32_t cp;
			utf8proc_ssize_t n = utf8proc_iterate(
				s + i, (utf8proc_ssize_t)(len - i), &cp);
			RETURN_ERROR_IF(n <= 0, RP_EINPUT);
			if (!run_codepoint(cp))
				break;
			i += (size_t)n;
		}
		if (i == start) { /* a non-ASCII separator */
			utf8proc_int32_t cp;
			utf8proc_ssize_t n = utf8proc_iterate(
				s + i, (utf8proc_ssize_t)(len - i), &cp);
			RETURN_ERROR_IF(n <= 0, RP_EINPUT);
			i += (size_t)n;
			continue;
		}
		FORWARD_IF_ERROR(unicode_run(tb, text, start, i, keep_norm));
	}
	return RP_OK;
}

int rp_tokenize(rp_tokbuf *tb, const char *text, size_t len, int keep_norm)
{
	FORWARD_IF_ERROR(tokenize_reset(tb, len, keep_norm));
	return tokenize_range(tb, text, 0, len, keep_norm);
}

int rp_tokenize_skip(rp_tokbuf *tb, const char *text, size_t len,
		     int keep_norm, const uint32_t *skip, size_t nskip)
{
	size_t at = 0;
	FORWARD_IF_ERROR(tokenize_reset(tb, len, keep_norm));
	for (size_t k = 0; k < nskip; k++) {
		size_t s0 = RP_MIN((size_t)skip[2 * k], len);
		if (s0 > at)
			FORWARD_IF_ERROR(tokenize_range(tb, text, at, s0, keep_norm));
		at = RP_MAX(at, RP_MIN((size_t)skip[2 * k + 1], len));
	}
	return tokenize_range(tb, text, at, len, keep_norm);
}
