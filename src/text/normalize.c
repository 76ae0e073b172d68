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
 * Character texts (RP_TOK_CHARS, normalize.h). A run holding letters of
 * the scripts written without spaces is cut, before normalization, into
 * clusters: each such letter with the marks and format characters after it
 * (a Thai vowel sign, a combining voiced mark, a Hangul vowel or final
 * jamo), and each stretch of other letters and figures. Each cluster is
 * normalized on its own, so each token keeps its own byte range. A cluster
 * of one code point from a block that NFKC_Casefold maps to itself (the
 * unified ideographs, Hangul syllables, the plain kana, Thai letters) is
 * hashed from its bytes without calling utf8proc, which is most of a
 * Chinese, Japanese or Korean text; a test checks every code point of
 * those blocks against the full path.
 *
 * Nothing is allocated per token: buffers live in rp_tokbuf and grow.
 */
#include "normalize.h"

#include <utf8proc.h>
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
#include <emmintrin.h>
#endif

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

#if defined(__SSE2__) && !defined(RP_NO_SIMD)
/* Of sixteen bytes, which are ASCII letters or digits (class 1), a bit
 * each. Signed compares: bytes from 0x80 on are negative, so neither
 * digits nor letters; x | 0x20 is in a-z exactly for A-Z and a-z. */
static inline unsigned alnum_mask(__m128i x)
{
	__m128i lx = _mm_or_si128(x, _mm_set1_epi8(0x20));
	__m128i dig = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
				    _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
	__m128i let = _mm_and_si128(_mm_cmpgt_epi8(lx, _mm_set1_epi8('a' - 1)),
				    _mm_cmplt_epi8(lx, _mm_set1_epi8('z' + 1)));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(dig, let));
}
#endif

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

/* Blocks of the scripts written without spaces between words: Thai, Lao,
 * Myanmar, Hangul, Khmer, Han (with its iteration and numeral marks),
 * Hiragana, Katakana, and their half-width, compatibility and supplement
 * blocks. Sorted. */
static const int32_t char_blocks[][2] = {
	{ 0x0E00, 0x0EFF },   { 0x1000, 0x109F },   { 0x1100, 0x11FF },
	{ 0x1780, 0x17FF },   { 0x19E0, 0x19FF },   { 0x2E80, 0x2FDF },
	{ 0x3005, 0x3007 },   { 0x3021, 0x3029 },   { 0x3031, 0x3035 },
	{ 0x3038, 0x303C },   { 0x3040, 0x30FF },   { 0x3130, 0x318F },
	{ 0x31F0, 0x31FF },   { 0x3400, 0x4DBF },   { 0x4E00, 0x9FFF },
	{ 0xA960, 0xA97F },   { 0xA9E0, 0xA9FF },   { 0xAA60, 0xAA7F },
	{ 0xAC00, 0xD7FF },   { 0xF900, 0xFAFF },   { 0xFF66, 0xFFDC },
	{ 0x1AFF0, 0x1B16F }, { 0x20000, 0x3FFFF },
};

static int char_script(int32_t cp)
{
	size_t lo = 0, hi = sizeof(char_blocks) / sizeof(char_blocks[0]);
	if (cp < 0x0E00)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < char_blocks[mid][0])
			hi = mid;
		else if (cp > char_blocks[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* In a character text, what a code point of a word does: 0 it joins the
 * token before it (marks, format characters, the half-width voiced sound
 * marks, Hangul vowel and final jamo, which compose with what precedes),
 * 1 it is a character token of its own, 2 it belongs to a run of other
 * letters and figures. */
static int char_kind(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF:
		return 0;
	default:
		break;
	}
	if (cp == 0xFF9E || cp == 0xFF9F || (cp >= 0x1160 && cp <= 0x11FF) ||
	    (cp >= 0xD7B0 && cp <= 0xD7FF))
		return 0;
	return char_script(cp) ? 1 : 2;
}

/* Code points that NFKC_Casefold leaves as they are, in the blocks most
 * of a character text is written in (checked by a test): a cluster of one
 * of them alone is its own normalized form. */
static int nfkc_stable(int32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x3041 && cp <= 0x3096) ||
	       (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x0E01 && cp <= 0x0E32);
}

/* Letters of those blocks, known without a table lookup (Thai U+0E31
 * is a mark). */
static inline int fast_letter(int32_t cp)
{
	return nfkc_stable(cp) && cp != 0x0E31;
}

int rp_is_char_text(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t nchar = 0, nother = 0, steps = 0;

	for (size_t i = 0; i < len;) {
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
		/* Sixteen ASCII bytes at once, as sixteen steps of the byte
		 * loop below: the same counts, and the check it makes at every
		 * 64th step made at the same byte, with the bytes before it
		 * counted. */
		if (len - i >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(s + i));
			if (!_mm_movemask_epi8(x)) {
				unsigned m = alnum_mask(x);
				/* the check comes before byte j (of 0..15) */
				size_t j = 63 - steps % 64;
				steps += 16;
				if (j < 16) {
					unsigned lo = m & ((1u << j) - 1);
					nother += (size_t)rp_popcount16(lo);
					size_t rest = len - (i + j);
					if (nother >= nchar + rest / 3)
						return 0;
					if (nchar > nother + rest)
						return 1;
					m &= ~((1u << j) - 1);
				}
				nother += (size_t)rp_popcount16(m);
				i += 16;
				continue;
			}
		}
#endif
		/* Settled either way? A code point of those scripts takes three
		 * or four bytes, any other letter at least one. */
		if (++steps % 64 == 0) {
			size_t rest = len - i;
			if (nother >= nchar + rest / 3)
				return 0;
			if (nchar > nother + rest)
				return 1;
		}
		if (s[i] < 0x80) {
			nother += byte_class[s[i]] == 1;
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(
			s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) /* not valid UTF-8: not for us to judge */
			return 0;
		i += (size_t)n;
		if (fast_letter(cp)) {
			nchar++;
			continue;
		}
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
		case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
		case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
		case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
			if (char_script(cp))
				nchar++;
			else
				nother++;
			break;
		default:
			break;
		}
	}
	return nchar > nother;
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

/* Whether word[0..wlen) is all ASCII digits. */
static inline int all_digits(const char *word, size_t wlen)
{
	for (size_t i = 0; i < wlen; i++)
		if (word[i] < '0' || word[i] > '9')
			return 0;
	return 1;
}

#if !defined(RP_NO_SIMD)
/*
 * XXH3_64bits(word, len) for a word of 1 .. 8 bytes with room for four
 * bytes read past its end (ascii_block's and tokenize_range's copies):
 * the same value, with XXH3's choice between its 1-3 and 4-8 byte paths
 * made by a mask rather than a branch. Word lengths on either side of
 * four are a coin toss in prose, and that branch's mispredictions were
 * about half of the tokenizer's cycles (`perf annotate`, news 100k). Both
 * paths are computed; longer words take XXH3_64bits itself.
 */
static inline uint64_t short_word_hash(const char *word, size_t len)
{
	const xxh_u8 *in = (const xxh_u8 *)word;
	/* 1-3 bytes (XXH3_len_1to3_64b, seed 0) */
	xxh_u32 combined = ((xxh_u32)in[0] << 16) |
			   ((xxh_u32)in[len >> 1] << 24) | (xxh_u32)in[len - 1] |
			   ((xxh_u32)len << 8);
	xxh_u64 h13 = XXH64_avalanche(
		(xxh_u64)combined ^ (xxh_u64)(XXH_readLE32(XXH3_kSecret) ^
					      XXH_readLE32(XXH3_kSecret + 4)));
	/* 4-8 bytes (XXH3_len_4to8_64b, seed 0); under four, the reads
	 * are of bytes the mask then drops */
	int four = len >= 4;
	xxh_u32 in1 = XXH_readLE32(in);
	xxh_u32 in2 = XXH_readLE32(in + (four ? len - 4 : 0));
	xxh_u64 keyed = (in2 + ((xxh_u64)in1 << 32)) ^
			(XXH_readLE64(XXH3_kSecret + 8) ^
			 XXH_readLE64(XXH3_kSecret + 16));
	xxh_u64 h48 = XXH3_rrmxmx(keyed, len);
	xxh_u64 m = (xxh_u64)0 - (xxh_u64)four;
	return (h48 & m) | (h13 & ~m);
}
#endif

/* numeric: 1 or 0 when the caller knows whether the word is all digits,
 * -1 to find out. padded: word has four readable bytes past its end. */
static inline int push_token_hashed(rp_tokbuf *tb, size_t start, size_t end,
				    const char *word, size_t wlen,
				    int keep_norm, int numeric, int padded)
{
	if (tb->ntok == tb->captok)
		FORWARD_IF_ERROR(RP_GROW(tb->tok, tb->captok, tb->ntok + 1));
	rp_token *t = &tb->tok[tb->ntok++];
	t->start = (uint32_t)start;
	t->end = (uint32_t)end;
#if !defined(RP_NO_SIMD)
	if (padded && wlen - 1 < 8)
		t->hash = short_word_hash(word, wlen);
	else
#endif
		t->hash = XXH3_64bits(word, wlen);
	(void)padded;
	t->numeric = numeric >= 0 ? numeric : all_digits(word, wlen);
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

static inline int push_token_known(rp_tokbuf *tb, size_t start, size_t end,
				   const char *word, size_t wlen,
				   int keep_norm, int numeric)
{
	return push_token_hashed(tb, start, end, word, wlen, keep_norm,
				 numeric, 0);
}

static inline int push_token(rp_tokbuf *tb, size_t start, size_t end,
			     const char *word, size_t wlen, int keep_norm)
{
	return push_token_known(tb, start, end, word, wlen, keep_norm, -1);
}

/* The Unicode path for one run [start, end) holding non-ASCII code points;
 * chars: re-split as a character text (each character its own token). */
static int unicode_run(rp_tokbuf *tb, const char *text, size_t start,
		       size_t end, int keep_norm, int chars)
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
	int wkind = 0; /* char_kind of the token being built */
	for (utf8proc_ssize_t i = 0; i <= n; i++) {
		if (i < n && word_codepoint(tb->ucs[i])) {
			int kind = chars ? char_kind(tb->ucs[i]) : 2;
			/* A character starts a token of its own, and so does
			 * the first other letter after one. */
			if (wlen && (kind == 1 || (kind == 2 && wkind == 1))) {
				FORWARD_IF_ERROR(push_token(tb, start, end,
							    tb->word, wlen,
							    keep_norm));
				wlen = 0;
			}
			if (!wlen)
				wkind = kind;
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

/* One cluster [from, to) of a character text (see the top of the file). */
static int char_cluster(rp_tokbuf *tb, const char *text, size_t from,
			size_t to, int kind, int keep_norm)
{
	const unsigned char *s = (const unsigned char *)text + from;
	if (kind == 1 && to - from == 3) {
		int32_t cp = (int32_t)(((s[0] & 0x0Fu) << 12) |
				       ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu));
		if (nfkc_stable(cp))
			return push_token(tb, from, to, text + from, 3,
					  keep_norm);
	}
	return unicode_run(tb, text, from, to, keep_norm, 1);
}

/* A run [start, end) of a character text holding non-ASCII code points:
 * cut into clusters, each normalized and tokenized on its own. */
static int char_run(rp_tokbuf *tb, const char *text, size_t start,
		    size_t end, int keep_norm)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t from = start;
	int kind = 0; /* of the open cluster [from, i); 0: none */

	for (size_t i = start; i < end;) {
		utf8proc_int32_t cp = s[i];
		utf8proc_ssize_t n = 1;
		if (cp >= 0x80) {
			n = utf8proc_iterate(s + i,
					     (utf8proc_ssize_t)(end - i), &cp);
			RETURN_ERROR_IF(n <= 0, RP_EINPUT);
		}
		int k = cp < 0x80 ? (byte_class[cp] == 1 ? 2 : -1)
			: fast_letter(cp) ? 1
			: !run_codepoint(cp) ? -1 : char_kind(cp);
		if (k < 0 || k == 1 || (k == 2 && kind != 2) || (k == 0 && !kind)) {
			if (kind)
				FORWARD_IF_ERROR(char_cluster(tb, text, from, i,
							      kind, keep_norm));
			kind = k < 0 ? 0 : k ? k : 2;
			from = i + (k < 0 ? (size_t)n : 0);
		}
		i += (size_t)n;
	}
	if (kind)
		FORWARD_IF_ERROR(char_cluster(tb, text, from, end, kind,
					      keep_norm));
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

#if defined(__SSE2__) && !defined(RP_NO_SIMD)
/* Of sixteen bytes, those equal to c, a bit each. */
static inline unsigned eq_mask(__m128i x, char c)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)));
}

/*
 * Sixty-four bytes of text[*at, *at + 64) at once, where *at is not inside
 * a word: the words of plain ASCII are found by bit masks (a word is a run
 * of letter and digit bits; the byte-at-a-time path mispredicts at every
 * word's end) and pushed as the path below would push them. It stops
 * before the first byte that path must judge itself: a non-ASCII byte, a
 * '&' (which may open a character reference), or a comma after a digit
 * (which may be a thousands separator), and before a word that may run on
 * past the block. *at moves to the first byte not handled; *clean says
 * that nothing stopped it but the block's end (so a word left for the next
 * block, if any, starts at *at).
 */
static int ascii_block(rp_tokbuf *tb, const unsigned char *s, size_t *at,
		       int keep_norm, int *clean)
{
	char low[64 + 4]; /* (four bytes past a word: short_word_hash) */
	uint64_t alnum = 0, digit = 0, stop = 0, comma = 0;
	memset(low + 64, 0, 4);
	for (int q = 0; q < 4; q++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(s + *at + 16 * q));
		_mm_storeu_si128((__m128i *)(low + 16 * q),
				 _mm_or_si128(x, _mm_set1_epi8(0x20)));
		__m128i dig = _mm_and_si128(
			_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
			_mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
		alnum |= (uint64_t)alnum_mask(x) << (16 * q);
		digit |= (uint64_t)(unsigned)_mm_movemask_epi8(dig) << (16 * q);
		stop |= (uint64_t)((unsigned)_mm_movemask_epi8(x) |
				   eq_mask(x, '&')) << (16 * q);
		comma |= (uint64_t)eq_mask(x, ',') << (16 * q);
	}
	stop |= comma & (digit << 1);
	/* Words end where a letter or digit is followed by anything else;
	 * the runs are [start, end]. */
	uint64_t starts = alnum & ~(alnum << 1), ends = alnum & ~(alnum >> 1);
	unsigned limit = stop ? (unsigned)__builtin_ctzll(stop) : 64;
	size_t base = *at;
	*clean = limit == 64;
	while (starts) {
		unsigned a = (unsigned)__builtin_ctzll(starts);
		unsigned b = (unsigned)__builtin_ctzll(ends) + 1;
		/* (b == 64: the word may go on; b == limit: that byte
		 * decides where it ends; a > limit: that byte first) */
		if (b >= limit) {
			*at = base + RP_MIN(a, limit);
			return RP_OK;
		}
		unsigned wlen = b - a; /* (under 64: b < limit <= 64) */
		uint64_t bits = ((1ULL << wlen) - 1) << a;
		FORWARD_IF_ERROR(push_token_hashed(tb, base + a, base + b,
						   low + a, wlen, keep_norm,
						   (digit & bits) == bits, 1));
		starts &= starts - 1;
		ends &= ends - 1;
	}
	*at = base + limit;
	return RP_OK;
}
#endif

/* Append the tokens of text[from, len) (offsets count from text). */
static int tokenize_range(rp_tokbuf *tb, const char *text, size_t from,
			  size_t len, int keep_norm, int chars)
{
	const unsigned char *s = (const unsigned char *)text;
	enum { SMALL = 64 };
	char small[SMALL + 16]; /* room for a 16-byte store at SMALL - 1 */
	size_t i = from;

	while (i < len) {
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
		/* Plain ASCII sixty-four bytes at once, then what stopped it
		 * a word at a time below. (i is never inside a word here.) */
		if (i + 64 <= len) {
			int clean;
			size_t was = i;
			FORWARD_IF_ERROR(ascii_block(tb, s, &i, keep_norm, &clean));
			if (clean && i > was)
				continue;
		}
		/* The separators before a word, sixteen bytes at once: ASCII
		 * that is not a letter, a digit or '&' (which may open a
		 * character reference, below). */
		if (i + 16 <= len) {
			__m128i x = _mm_loadu_si128((const __m128i *)(s + i));
			unsigned other = alnum_mask(x) |
					 (unsigned)_mm_movemask_epi8(x) |
					 (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
						 x, _mm_set1_epi8('&')));
			i += other ? (unsigned)__builtin_ctz(other) : 16;
		}
#endif
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
			size_t j = i, n;
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
			/* Sixteen bytes at once: the run's end is the first
			 * byte of another class, its copy lower-cased is one
			 * store, and whether it is all digits one mask - no
			 * byte loop whose exit, a word's end, mispredicts. */
			if (i + 16 <= len && wlen < SMALL) {
				__m128i x = _mm_loadu_si128(
					(const __m128i *)(s + i));
				unsigned stop = alnum_mask(x) ^ 0xFFFFu;
				if (stop) {
					n = (unsigned)__builtin_ctz(stop);
					_mm_storeu_si128(
						(__m128i *)(small + wlen),
						_mm_or_si128(x, _mm_set1_epi8(
								     0x20)));
					unsigned big = (unsigned)_mm_movemask_epi8(
						_mm_cmpgt_epi8(
							x, _mm_set1_epi8('9')));
					digits &= !(big & ((1u << n) - 1));
					goto run_found;
				}
			}
#endif
			/* Find the run's end, then copy it lower-cased (a loop
			 * the compiler vectorizes). */
			while (j < len && byte_class[s[j]] == 1)
				j++;
			n = j - i;
			if (wlen < SMALL) {
				size_t m = RP_MIN(n, SMALL - wlen);
				unsigned char over = 0;
				for (size_t x = 0; x < m; x++) {
					unsigned char ch = s[i + x];
					over |= (unsigned char)(ch > '9');
					small[wlen + x] = (char)(ch | 0x20);
				}
				digits &= !over;
				for (size_t x = m; x < n; x++)
					digits &= s[i + x] <= '9';
			} else {
				for (size_t x = 0; x < n; x++)
					digits &= s[i + x] <= '9';
			}
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
		run_found:
#endif
			wlen += n;
			i += n;
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
			if (wlen > SMALL) {
				FORWARD_IF_ERROR(RP_GROW(tb->word, tb->wordcap, wlen));
				w = tb->word;
				size_t n = 0;
				for (size_t j = start; j < i; j++)
					if (s[j] != ',')
						w[n++] = (char)(s[j] | 0x20);
			}
			/* (small has sixteen bytes past SMALL) */
			FORWARD_IF_ERROR(push_token_hashed(tb, start, i, w, wlen,
							   keep_norm, digits,
							   w == small));
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
		FORWARD_IF_ERROR(chars ? char_run(tb, text, start, i, keep_norm)
				       : unicode_run(tb, text, start, i,
						     keep_norm, 0));
	}
	return RP_OK;
}

int rp_tokenize(rp_tokbuf *tb, const char *text, size_t len, int flags)
{
	return rp_tokenize_skip(tb, text, len, flags, NULL, 0);
}

int rp_tokenize_skip(rp_tokbuf *tb, const char *text, size_t len,
		     int flags, const uint32_t *skip, size_t nskip)
{
	int keep_norm = flags & RP_TOK_NORM, chars = (flags & RP_TOK_CHARS) != 0;
	size_t at = 0;
	FORWARD_IF_ERROR(tokenize_reset(tb, len, keep_norm));
	for (size_t k = 0; k < nskip; k++) {
		size_t s0 = RP_MIN((size_t)skip[2 * k], len);
		if (s0 > at)
			FORWARD_IF_ERROR(tokenize_range(tb, text, at, s0,
							keep_norm, chars));
		at = RP_MAX(at, RP_MIN((size_t)skip[2 * k + 1], len));
	}
	return tokenize_range(tb, text, at, len, keep_norm, chars);
}
