/* Tests of normalize.c: UTF-8 validation and the tokenizer. */
#include <criterion/criterion.h>
#include <string.h>

#include "normalize.h"
#include "scalar_normalize.h"
#include "testutil.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Tokenize and return the normalized text (tokens joined by spaces). */
static char *norm(const char *s)
{
	static char out[4096];
	rp_tokbuf tb;
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize(&tb, s, strlen(s), 1), RP_OK);
	snprintf(out, sizeof(out), "%s", tb.norm);
	rp_tokbuf_free(&tb);
	return out;
}

/* Token hashes of two texts are the same sequence. */
static void assert_same_tokens(const char *a, const char *b)
{
	rp_tokbuf ta, tb;
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize(&ta, a, strlen(a), 0), RP_OK);
	cr_assert_eq(rp_tokenize(&tb, b, strlen(b), 0), RP_OK);
	cr_assert_eq(ta.ntok, tb.ntok, "'%s' gives %zu tokens, '%s' %zu", a,
		     ta.ntok, b, tb.ntok);
	for (size_t i = 0; i < ta.ntok; i++)
		cr_assert_eq(ta.tok[i].hash, tb.tok[i].hash,
			     "token %zu differs between '%s' and '%s'", i, a, b);
	rp_tokbuf_free(&ta);
	rp_tokbuf_free(&tb);
}

Test(normalize, lowercases_ascii_and_splits_on_punctuation)
{
	cr_assert_str_eq(norm("Hello, World! It's 2026."), "hello world it s 2026");
}

Test(normalize, apostrophe_styles_and_case_give_one_token_sequence)
{
	assert_same_tokens("won't", "won\xe2\x80\x99t");  /* U+2019 */
	assert_same_tokens("won't", "WON'T");
	assert_same_tokens("won't", "WON\xe2\x80\x99T");
	cr_assert_str_eq(norm("WON\xe2\x80\x99T"), "won t");
}

Test(normalize, quote_styles_dashes_and_wrapping_do_not_matter)
{
	assert_same_tokens(
		"\xe2\x80\x9cWe will not\xe2\x80\x9d \xe2\x80\x94 he said,\nin Vilnius.",
		"\"we will not\" - he said, in\tvilnius");
	assert_same_tokens("a\r\n\r\nb  c", "a b c");
}

Test(normalize, thousands_separators_do_not_split_figures)
{
	assert_same_tokens("2,000 troops and 1,234,567 euros", "2000 troops and 1234567 euros");
	cr_assert_str_eq(norm("2,000"), "2000");
	/* Decimals and lists stay apart. */
	cr_assert_str_eq(norm("1.5 or 5,10 or 3,1234 or 1,000x"), "1 5 or 5 10 or 3 1234 or 1 000x");
}

Test(normalize, nfkc_unifies_composed_and_decomposed_accents)
{
	/* é precomposed (U+00E9) vs e + combining acute (U+0301). */
	assert_same_tokens("caf\xc3\xa9", "cafe\xcc\x81");
	assert_same_tokens("CAF\xc3\x89", "caf\xc3\xa9");
	/* Accents are kept: café is not cafe. */
	cr_assert_str_neq(norm("caf\xc3\xa9"), "cafe");
}

Test(normalize, nfkc_folds_compatibility_forms)
{
	/* Full-width letters, the fi ligature, German sharp s. */
	cr_assert_str_eq(norm("\xef\xbc\xa6\xef\xbd\x95\xef\xbd\x8c\xef\xbd\x8c"), "full");
	cr_assert_str_eq(norm("\xef\xac\x81ne"), "fine");
	assert_same_tokens("Stra\xc3\x9f" "e", "STRASSE");
}

Test(normalize, ignorable_characters_do_not_split_words)
{
	/* Soft hyphen (U+00AD) and zero-width space inside a word. */
	assert_same_tokens("news\xc2\xadpaper", "newspaper");
	assert_same_tokens("news\xe2\x80\x8bpaper", "newspaper");
}

Test(normalize, non_latin_scripts_are_words)
{
	cr_assert_str_eq(norm("Grybauskait\xc4\x97 \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"),
			 "grybauskait\xc4\x97 \xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0");
}

Test(normalize, tokens_keep_byte_ranges_of_the_original)
{
	const char *s = "  Hello, w\xc3\xb6rld!";
	rp_tokbuf tb;
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize(&tb, s, strlen(s), 0), RP_OK);
	cr_assert_eq(tb.ntok, 2);
	cr_assert_eq(tb.tok[0].start, 2);
	cr_assert_eq(tb.tok[0].end, 7);
	cr_assert_eq(tb.tok[1].start, 9);
	cr_assert_eq(tb.tok[1].end, 15); /* "wörld" is 6 bytes */
	rp_tokbuf_free(&tb);
}

Test(normalize, empty_punctuation_only_and_one_word_texts)
{
	rp_tokbuf tb;
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize(&tb, "", 0, 0), RP_OK);
	cr_assert_eq(tb.ntok, 0);
	cr_assert_eq(rp_tokenize(&tb, " ... \xe2\x80\x94 !!", 11, 0), RP_OK);
	cr_assert_eq(tb.ntok, 0);
	cr_assert_eq(rp_tokenize(&tb, "Word", 4, 0), RP_OK);
	cr_assert_eq(tb.ntok, 1);
	rp_tokbuf_free(&tb);
}

Test(normalize, long_ascii_words_are_hashed_whole)
{
	char a[300], b[300];
	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(a));
	b[200] = 'y';
	rp_tokbuf ta, tb;
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize(&ta, a, strlen(a), 0), RP_OK);
	cr_assert_eq(rp_tokenize(&tb, b, strlen(b), 0), RP_OK);
	cr_assert_eq(ta.ntok, 1);
	cr_assert_neq(ta.tok[0].hash, tb.tok[0].hash);
	rp_tokbuf_free(&ta);
	rp_tokbuf_free(&tb);
}

/* The tokenizer reads ASCII sixteen bytes at a time where sixteen are
 * left, a byte at a time near the end: a word must be the same token
 * wherever it falls against those blocks. Random ASCII texts of every
 * length up to 300 against an oracle: tokens are the maximal runs of
 * letters and digits, with their byte ranges, all-digit flag, and the hash
 * of the run lower-cased (which is the same token as the run alone, a
 * text too short for the wide path). */
Test(normalize, ascii_words_are_the_same_tokens_at_every_alignment)
{
	static const char alpha[] = "abcXYZ0123456789 \n.;:-'\"()?!/"
				    "abcdefghijklmnopqrstuvwxyzQ";
	char text[320], word[320];
	rp_tokbuf tb, one;
	memset(&tb, 0, sizeof(tb));
	memset(&one, 0, sizeof(one));
	uint64_t st = 42;
	for (int round = 0; round < 3000; round++) {
		size_t len = 1 + (size_t)tu_rand(&st) % 300;
		/* Long words too: runs of letters past sixteen bytes. */
		for (size_t i = 0; i < len; i++)
			text[i] = alpha[tu_rand(&st) %
					(round % 3 ? sizeof(alpha) - 1 : 30)];
		cr_assert_eq(rp_tokenize(&tb, text, len, 0), RP_OK);
		size_t k = 0;
		for (size_t i = 0; i < len;) {
			int alnum = (text[i] >= '0' && text[i] <= '9') ||
				    ((text[i] | 0x20) >= 'a' &&
				     (text[i] | 0x20) <= 'z');
			if (!alnum) {
				i++;
				continue;
			}
			size_t j = i;
			int digits = 1;
			while (j < len &&
			       ((text[j] >= '0' && text[j] <= '9') ||
				((text[j] | 0x20) >= 'a' &&
				 (text[j] | 0x20) <= 'z'))) {
				digits &= text[j] <= '9';
				j++;
			}
			cr_assert_lt(k, tb.ntok, "round %d: too few tokens",
				     round);
			cr_assert_eq(tb.tok[k].start, i, "round %d token %zu",
				     round, k);
			cr_assert_eq(tb.tok[k].end, j, "round %d token %zu",
				     round, k);
			cr_assert_eq((int)tb.tok[k].numeric, digits);
			memcpy(word, text + i, j - i);
			cr_assert_eq(rp_tokenize(&one, word, j - i, 0), RP_OK);
			cr_assert_eq(one.ntok, 1);
			cr_assert_eq(tb.tok[k].hash, one.tok[0].hash,
				     "round %d: token %zu ('%.*s') differs from "
				     "the word alone", round, k, (int)(j - i),
				     word);
			k++;
			i = j;
		}
		cr_assert_eq(k, tb.ntok, "round %d: %zu tokens, oracle %zu",
			     round, tb.ntok, k);
	}
	rp_tokbuf_free(&tb);
	rp_tokbuf_free(&one);
}

/* Figures with thousands separators, entities, non-ASCII letters and
 * separators in random order: a text gives the same tokens with spaces
 * after it (its last words, read a byte at a time without them, are then
 * read sixteen at a time), and each ASCII token is the same as its text
 * alone (a text too short for the wide path). */
Test(normalize, mixed_words_are_the_same_tokens_near_the_end_or_not)
{
	static const char *parts[] = {
		"2,000", "1,234,567", "12,34", "word", "Caf\xc3\xa9", "na\xc3\xafve",
		"&amp;", "Brazil&rsquo;s", "\xe2\x80\x94", "\xe2\x80\x99", "x",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij", "2024", ",", ". ",
		"2,000x", "a2,000", "\xe4\xb8\xad\xe6\x96\x87", "3", ",5",
	};
	size_t np = sizeof(parts) / sizeof(parts[0]);
	char text[2048];
	rp_tokbuf tb, one, padded;
	memset(&tb, 0, sizeof(tb));
	memset(&one, 0, sizeof(one));
	memset(&padded, 0, sizeof(padded));
	uint64_t st = 7;
	size_t alone = 0;
	for (int round = 0; round < 3000; round++) {
		size_t len = 0, n = 1 + tu_rand(&st) % 30;
		for (size_t x = 0; x < n; x++) {
			const char *p = parts[tu_rand(&st) % np];
			size_t pl = strlen(p);
			memcpy(text + len, p, pl);
			len += pl;
			if (tu_rand(&st) % 2)
				text[len++] = ' ';
		}
		memset(text + len, ' ', 17);
		cr_assert_eq(rp_tokenize(&tb, text, len, 0), RP_OK);
		cr_assert_eq(rp_tokenize(&padded, text, len + 17, 0), RP_OK);
		cr_assert_eq(padded.ntok, tb.ntok, "round %d: '%.*s'", round,
			     (int)len, text);
		for (size_t k = 0; k < tb.ntok; k++) {
			rp_token *t = &tb.tok[k], *u = &padded.tok[k];
			cr_assert(t->hash == u->hash && t->start == u->start &&
				  t->end == u->end && t->numeric == u->numeric,
				  "round %d: token %zu of '%.*s' differs with "
				  "spaces after", round, k, (int)len, text);
			int ascii = 1;
			for (size_t j = t->start; j < t->end; j++)
				ascii &= (text[j] >= '0' && text[j] <= '9') ||
					 ((text[j] | 0x20) >= 'a' &&
					  (text[j] | 0x20) <= 'z') ||
					 text[j] == ',';
			if (!ascii || t->end - t->start >= 16)
				continue;
			cr_assert_eq(rp_tokenize(&one, text + t->start,
						 t->end - t->start, 0), RP_OK);
			cr_assert_eq(one.ntok, 1);
			cr_assert(one.tok[0].hash == t->hash &&
				  one.tok[0].numeric == t->numeric,
				  "round %d: '%.*s' differs from itself alone",
				  round, (int)(t->end - t->start),
				  text + t->start);
			alone++;
		}
	}
	cr_assert_gt(alone, 10000);
	rp_tokbuf_free(&tb);
	rp_tokbuf_free(&one);
	rp_tokbuf_free(&padded);
}

/* Whether tokenizing text[0..len) in `flags` with skipped ranges gives
 * what the scalar tokenizer gives: the same tokens (ranges, hashes,
 * figure flags) and the same normalized text. */
static void assert_scalar_tokens(rp_tokbuf *tb, rp_tokbuf *sc,
				 const char *text, size_t len, int flags,
				 const uint32_t *skip, size_t nskip, int round)
{
	int err = rp_tokenize_skip(tb, text, len, flags, skip, nskip);
	cr_assert_eq(err, RP_OK, "round %d flags %d: error %d on '%.*s'", round,
		     flags, err, (int)len, text);
	cr_assert_eq(rp_scalar_tokenize_skip(sc, text, len, flags, skip, nskip),
		     RP_OK);
	cr_assert_eq(tb->ntok, sc->ntok, "round %d flags %d: %zu tokens, "
		     "scalar %zu: '%.*s'", round, flags, tb->ntok, sc->ntok,
		     (int)len, text);
	for (size_t k = 0; k < tb->ntok; k++) {
		const rp_token *t = &tb->tok[k], *u = &sc->tok[k];
		cr_assert(t->start == u->start && t->end == u->end &&
			  t->hash == u->hash && t->numeric == u->numeric,
			  "round %d flags %d: token %zu [%u, %u) differs from "
			  "the scalar [%u, %u): '%.*s'", round, flags, k,
			  t->start, t->end, u->start, u->end, (int)len, text);
	}
	if (flags & RP_TOK_NORM)
		cr_assert_str_eq(tb->norm, sc->norm, "round %d", round);
}

/* The tokenizer's SIMD paths (sixty-four and sixteen bytes at once) stop
 * before every byte they cannot judge and hand it to the byte-at-a-time
 * path: the same texts through the tokenizer built without them give the
 * same tokens. Texts of up to 40 pieces (figures with thousands
 * separators, references, non-ASCII letters and separators, character
 * scripts, words long and short) and of random bytes, in every mode, with
 * and without skipped ranges. */
Test(normalize, simd_paths_give_the_scalar_tokens)
{
	static const char *parts[] = {
		"2,000", "1,234,567", "12,34", "word", "Caf\xc3\xa9", "na\xc3\xafve",
		"&amp;", "Brazil&rsquo;s", "\xe2\x80\x94", "\xe2\x80\x99", "x",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij", "2024", ",",
		". ", "2,000x", "a2,000", "\xe4\xb8\xad\xe6\x96\x87", "3", ",5",
		"the", "Reuters", "said on Tuesday", "&#8217;", "AT&T", "&",
		"\xc2\xa0", "\n\n", "9,", ",000", "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
		"\xe0\xb8\x81\xe0\xb8\xb2", "0", "Z", "\xef\xbc\x92\xef\xbc\x90",
		"soft\xc2\xadhyphen", "\xe2\x80\x8bzw",
	};
	size_t np = sizeof(parts) / sizeof(parts[0]);
	static const int modes[] = { 0, RP_TOK_NORM, RP_TOK_CHARS,
				     RP_TOK_CHARS | RP_TOK_NORM };
	char text[4096];
	rp_tokbuf tb, sc;
	memset(&tb, 0, sizeof(tb));
	memset(&sc, 0, sizeof(sc));
	uint64_t st = 99;
	for (int round = 0; round < 4000; round++) {
		size_t len = 0, n = 1 + tu_rand(&st) % 40;
		if (round % 4 == 3) {
			/* random ASCII bytes, NUL and controls among them */
			len = 1 + tu_rand(&st) % 400;
			for (size_t x = 0; x < len; x++)
				text[x] = (char)(tu_rand(&st) % (round % 8 == 3
								 ? 128 : 64) + 32 * (round % 8 == 7));
		} else {
			for (size_t x = 0; x < n; x++) {
				const char *p = parts[tu_rand(&st) % np];
				size_t pl = strlen(p);
				memcpy(text + len, p, pl);
				len += pl;
				unsigned sep = (unsigned)(tu_rand(&st) % 4);
				if (sep == 1)
					text[len++] = ' ';
				else if (sep == 2)
					text[len++] = (char)(" .,;\n-"[tu_rand(&st) % 6]);
			}
		}
		int flags = modes[round % 4 == 3 ? (round / 4) % 4 : round % 4];
		assert_scalar_tokens(&tb, &sc, text, len, flags, NULL, 0, round);
		uint32_t skip[4];
		uint32_t a = (uint32_t)(tu_rand(&st) % (len + 1));
		uint32_t b = a + (uint32_t)(tu_rand(&st) % (len - a + 1));
		uint32_t c = b + (uint32_t)(tu_rand(&st) % (len - b + 1));
		skip[0] = a;
		skip[1] = b;
		skip[2] = c;
		skip[3] = c + (uint32_t)(tu_rand(&st) % 80);
		/* (ranges begin and end between characters, as lines do) */
		for (int x = 0; x < 4; x++)
			while (skip[x] < len && (text[skip[x]] & 0xC0) == 0x80)
				skip[x]++;
		assert_scalar_tokens(&tb, &sc, text, len, flags, skip, 2, round);
	}
	rp_tokbuf_free(&tb);
	rp_tokbuf_free(&sc);
}

/* A token's hash is XXH3_64bits of its lower-cased bytes, whatever the
 * path that found it: words of every length from 1 to 20 (short ones are
 * hashed without XXH3's length branch), in texts long enough for the
 * sixty-four-byte blocks and in short ones, at every offset. */
Test(normalize, token_hashes_are_xxh3_of_the_lowercased_word)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char text[2048], words[128][24];
	rp_tokbuf tb;
	memset(&tb, 0, sizeof(tb));
	uint64_t st = 7;
	for (int round = 0; round < 600; round++) {
		size_t nw = 1 + tu_rand(&st) % (round % 2 ? 4 : 120), len = 0;
		for (size_t w = 0; w < nw; w++) {
			size_t wl = 1 + (size_t)(round + w) % 20;
			for (size_t x = 0; x < wl; x++) {
				char ch = alnum[tu_rand(&st) % (sizeof(alnum) - 1)];
				text[len++] = ch;
				words[w][x] = (char)(ch | 0x20);
			}
			words[w][wl] = '\0';
			/* (no comma: "1,000" is one word) */
			text[len++] = " .;\n-"[tu_rand(&st) % 5];
		}
		cr_assert_eq(rp_tokenize(&tb, text, len, 0), RP_OK);
		cr_assert_eq(tb.ntok, nw, "round %d", round);
		for (size_t w = 0; w < nw; w++)
			cr_assert_eq(tb.tok[w].hash, XXH3_64bits(words[w], strlen(words[w])),
				     "round %d: '%s'", round, words[w]);
	}
	rp_tokbuf_free(&tb);
}

Test(normalize, utf8_validation_finds_the_first_bad_byte)
{
	cr_assert_eq(rp_utf8_invalid_at("plain ascii text", 16), 16);
	cr_assert_eq(rp_utf8_invalid_at("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9), 9);
	cr_assert_eq(rp_utf8_invalid_at("ab\xc3\x28", 4), 2);        /* bad continuation */
	cr_assert_eq(rp_utf8_invalid_at("\xc0\xaf", 2), 0);          /* overlong */
	cr_assert_eq(rp_utf8_invalid_at("x\xed\xa0\x80", 4), 1);     /* surrogate */
	cr_assert_eq(rp_utf8_invalid_at("abcdefghij\xe2\x82", 12), 10); /* truncated */
	cr_assert_eq(rp_utf8_invalid_at("\xf4\x90\x80\x80", 4), 0);  /* > U+10FFFF */
	cr_assert_eq(rp_utf8_invalid_at("\xff", 1), 0);
}

/* Character texts: scripts written without spaces between words. */

static int is_char(const char *s)
{
	return rp_is_char_text(s, strlen(s));
}

Test(normalize, character_texts_are_told_by_the_script_of_most_letters)
{
	cr_assert(is_char("记者从市港口管理局获悉，今年前三季度本市港口累计完成货物吞吐量。"));
	cr_assert(is_char("国土交通省は十日、北陸新幹線の延伸区間について発表した。"));
	cr_assert(is_char("トンネル工事でコストが増える"));
	cr_assert(is_char("부산항의 컨테이너 처리량이 늘었다"));
	cr_assert(is_char("การรถไฟแห่งประเทศไทยเปิดเส้นทางใหม่"));
	/* Latin words and figures inside do not outweigh the characters. */
	cr_assert(is_char("日本のGDPは2024年に前年比1.2%増えた。"));
	cr_assert(!is_char("The port of Klaipeda handled 4.2 million tonnes in 2024."));
	cr_assert(!is_char("Президент встретился с министрами в Вильнюсе."));
	/* A name in Han inside an English text: letters, not words, count. */
	cr_assert(!is_char("President \xe4\xb9\xa0\xe8\xbf\x91\xe5\xb9\xb3 met the "
			   "prime minister in Beijing."));
	/* More than half: four characters against four letters is not. */
	cr_assert(!is_char("abcd港口铁路"));
	cr_assert(is_char("abc港口铁路"));
	/* Marks, punctuation and spaces do not count either way. */
	cr_assert(!is_char(""));
	cr_assert(!is_char(" ... \xe3\x80\x82\xe3\x80\x81 !!"));
	cr_assert(is_char("a ... 。、「」『』・・・ 中国"));
	/* The early stop gives the answer the whole text gives. */
	char big[8192];
	size_t n = 0;
	while (n + 40 < sizeof(big))
		n += (size_t)snprintf(big + n, sizeof(big) - n, "港口铁路 news ");
	cr_assert(!is_char(big)); /* 4 characters, 4 letters per step */
	n = 0;
	while (n + 40 < sizeof(big))
		n += (size_t)snprintf(big + n, sizeof(big) - n, "港口铁路 new ");
	cr_assert(is_char(big));
}

/* The test reads ASCII sixteen bytes at a time, and stops early where
 * the rest cannot change the answer: random
 * texts of ASCII runs (long and short, at every alignment), Latin letters,
 * Han and Hangul characters and punctuation written in three bytes, in
 * proportions around one to one, against the counts themselves (the SIMD
 * build and the scalar one). */
Test(normalize, character_text_answers_are_the_counts_answer)
{
	static const struct { const char *s; int chars, others; } parts[] = {
		{ "a", 0, 1 }, { "7", 0, 1 }, { " ", 0, 0 }, { ".", 0, 0 },
		{ "The quick brown fox ", 0, 16 },
		{ "abcdefghijklmnopqrstuvwxyz0123456789", 0, 36 },
		{ "\n\n", 0, 0 }, { "-- ", 0, 0 },
		{ "\xc3\xa9", 0, 1 },                 /* e acute: a letter */
		{ "\xe6\xb8\xaf", 1, 0 },             /* Han */
		{ "\xed\x95\x9c", 1, 0 },             /* Hangul */
		{ "\xe3\x80\x82", 0, 0 },             /* ideographic full stop */
		{ "\xe2\x80\x99", 0, 0 },             /* right single quote */
		{ "\xe2\x80\x94", 0, 0 },             /* em dash */
	};
	enum { NP = sizeof(parts) / sizeof(parts[0]) };
	static char text[16384];
	uint64_t st = 7;
	int yes = 0, no = 0;
	for (int round = 0; round < 4000; round++) {
		size_t len = 0, want = 1 + (size_t)tu_rand(&st) % 600;
		size_t chars = 0, others = 0;
		/* A bias between the parts with characters and without. */
		unsigned bias = (unsigned)(tu_rand(&st) % 100);
		while (len < want) {
			size_t k = tu_rand(&st) % 100 < bias
					   ? 9 + tu_rand(&st) % 2
					   : tu_rand(&st) % NP;
			size_t pl = strlen(parts[k].s);
			if (len + pl >= sizeof(text))
				break;
			memcpy(text + len, parts[k].s, pl);
			len += pl;
			chars += (size_t)parts[k].chars;
			others += (size_t)parts[k].others;
		}
		int expect = chars > others;
		yes += expect;
		no += !expect;
		cr_assert_eq(rp_is_char_text(text, len), expect,
			     "round %d: %zu characters, %zu other letters, "
			     "%zu bytes", round, chars, others, len);
		cr_assert_eq(rp_scalar_is_char_text(text, len), expect,
			     "round %d, scalar", round);
	}
	/* Both answers were asked for, often. */
	cr_assert_gt(yes, 500);
	cr_assert_gt(no, 500);
}

/* Tokens of s in character mode. */
static void char_tokens(rp_tokbuf *tb, const char *s)
{
	memset(tb, 0, sizeof(*tb));
	cr_assert_eq(rp_tokenize(tb, s, strlen(s), RP_TOK_CHARS), RP_OK);
}

/* The hash of s as one word-mode token. */
static uint64_t word_hash(const char *s)
{
	rp_tokbuf tb;
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize(&tb, s, strlen(s), 0), RP_OK);
	cr_assert_eq(tb.ntok, 1, "'%s' is one word", s);
	uint64_t h = tb.tok[0].hash;
	rp_tokbuf_free(&tb);
	return h;
}

Test(normalize, character_text_tokens_are_characters_with_their_own_bytes)
{
	/* 港 口 ， 2 0 2 4 年 G D P 增 长 */
	const char *s = "港口，2024年GDP增长";
	static const struct { uint32_t start, end; const char *word; int num; } want[] = {
		{ 0, 3, "港", 0 },    { 3, 6, "口", 0 },    { 9, 13, "2024", 1 },
		{ 13, 16, "年", 0 },  { 16, 19, "gdp", 0 }, { 19, 22, "增", 0 },
		{ 22, 25, "长", 0 },
	};
	rp_tokbuf tb;
	char_tokens(&tb, s);
	cr_assert_eq(tb.ntok, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < tb.ntok; i++) {
		cr_assert_eq(tb.tok[i].start, want[i].start, "token %zu", i);
		cr_assert_eq(tb.tok[i].end, want[i].end, "token %zu", i);
		cr_assert_eq(tb.tok[i].hash, word_hash(want[i].word), "token %zu", i);
		cr_assert_eq(tb.tok[i].numeric, (uint32_t)want[i].num, "token %zu", i);
	}
	/* A word-mode tokenizer sees one run there (with the comma apart). */
	rp_tokbuf tw;
	memset(&tw, 0, sizeof(tw));
	cr_assert_eq(rp_tokenize(&tw, s, strlen(s), 0), RP_OK);
	cr_assert_eq(tw.ntok, 2);
	rp_tokbuf_free(&tw);
	/* The normalized text, when kept, is the tokens joined by spaces. */
	rp_tokbuf_free(&tb);
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize(&tb, s, strlen(s), RP_TOK_CHARS | RP_TOK_NORM),
		     RP_OK);
	cr_assert_str_eq(tb.norm, "港 口 2024 年 gdp 增 长");
	rp_tokbuf_free(&tb);
}

Test(normalize, character_tokens_fold_and_keep_their_marks)
{
	rp_tokbuf a, b;
	/* Full-width Latin is the ASCII word; a half-width kana with its
	 * half-width voiced mark is the full-width kana. */
	char_tokens(&a, "ＧＤＰ　２０２４ｶﾞ"); /* U+3000 is a space */
	char_tokens(&b, "GDP 2024 ガ");
	cr_assert_eq(a.ntok, 3);
	cr_assert_eq(b.ntok, 3);
	for (size_t i = 0; i < a.ntok; i++)
		cr_assert_eq(a.tok[i].hash, b.tok[i].hash, "token %zu", i);
	cr_assert_eq(a.tok[2].start, 24);
	cr_assert_eq(a.tok[2].end, 30);
	rp_tokbuf_free(&a);
	rp_tokbuf_free(&b);
	/* Thai vowel and tone marks stay on their consonant: ที่ นี่ */
	char_tokens(&a, "ที่นี่");
	cr_assert_eq(a.ntok, 2);
	cr_assert_eq(a.tok[0].start, 0);
	cr_assert_eq(a.tok[0].end, 9);
	cr_assert_eq(a.tok[1].start, 9);
	cr_assert_eq(a.tok[1].end, 18);
	rp_tokbuf_free(&a);
	/* Conjoining jamo compose into the syllable they spell: 한 */
	char_tokens(&a, "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab");
	char_tokens(&b, "한");
	cr_assert_eq(a.ntok, 1);
	cr_assert_eq(a.tok[0].hash, b.tok[0].hash);
	rp_tokbuf_free(&a);
	rp_tokbuf_free(&b);
	/* A character with a compatibility mapping of two gives two tokens
	 * sharing its bytes: ゟ (U+309F) is より. */
	char_tokens(&a, "ゟ");
	char_tokens(&b, "より");
	cr_assert_eq(a.ntok, 2);
	cr_assert_eq(b.ntok, 2);
	for (size_t i = 0; i < 2; i++) {
		cr_assert_eq(a.tok[i].hash, b.tok[i].hash);
		cr_assert_eq(a.tok[i].start, 0);
		cr_assert_eq(a.tok[i].end, 3);
	}
	rp_tokbuf_free(&a);
	rp_tokbuf_free(&b);
}

Test(normalize, character_tokens_leave_out_skipped_ranges)
{
	/* "本报讯 " is skipped (a dateline): bytes 0-10. */
	const char *s = "本报讯 港口铁路";
	const uint32_t skip[2] = { 0, 10 };
	rp_tokbuf tb;
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize_skip(&tb, s, strlen(s), RP_TOK_CHARS, skip, 1),
		     RP_OK);
	cr_assert_eq(tb.ntok, 4);
	cr_assert_eq(tb.tok[0].start, 10);
	cr_assert_eq(tb.tok[3].end, strlen(s));
	rp_tokbuf_free(&tb);
}

/* The bytes-as-they-are path for one ideograph, kana, Hangul syllable or
 * Thai letter gives what full NFKC + case folding gives (forced by a
 * zero-width joiner, which is removed). */
Test(normalize, character_fast_path_matches_full_normalization)
{
	static const int32_t blocks[][2] = {
		{ 0x4E00, 0x9FFF }, { 0x3400, 0x4DBF }, { 0xAC00, 0xD7A3 },
		{ 0x3041, 0x3096 }, { 0x30A1, 0x30FA }, { 0x0E01, 0x0E32 },
	};
	rp_tokbuf a, b;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	size_t checked = 0;
	for (size_t k = 0; k < sizeof(blocks) / sizeof(blocks[0]); k++) {
		for (int32_t cp = blocks[k][0]; cp <= blocks[k][1]; cp++) {
			char s[8];
			s[0] = (char)(0xE0 | (cp >> 12));
			s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[2] = (char)(0x80 | (cp & 0x3F));
			memcpy(s + 3, "\xe2\x80\x8d", 3); /* U+200D */
			cr_assert_eq(rp_tokenize(&a, s, 3, RP_TOK_CHARS), RP_OK);
			cr_assert_eq(rp_tokenize(&b, s, 6, RP_TOK_CHARS), RP_OK);
			cr_assert_eq(a.ntok, b.ntok, "U+%04X", (unsigned)cp);
			if (a.ntok)
				cr_assert_eq(a.tok[0].hash, b.tok[0].hash,
					     "U+%04X", (unsigned)cp);
			checked += a.ntok;
		}
	}
	cr_assert_gt(checked, 38000); /* assigned code points */
	rp_tokbuf_free(&a);
	rp_tokbuf_free(&b);
}
