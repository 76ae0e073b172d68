/* Tests of normalize.c: UTF-8 validation and the tokenizer. */
#include <criterion/criterion.h>
#include <string.h>

#include "normalize.h"

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
