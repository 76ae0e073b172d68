/* Tests of shingle.c: word and character shingle sets. */
#include <criterion/criterion.h>
#include <string.h>

#include "shingle.h"

static size_t shingles(const char *s, unsigned k, int chars, rp_shinglebuf *sb)
{
	rp_tokbuf tb;
	memset(&tb, 0, sizeof(tb));
	cr_assert_eq(rp_tokenize(&tb, s, strlen(s), chars), RP_OK);
	if (chars)
		cr_assert_eq(rp_shingle_chars(sb, &tb, k), RP_OK);
	else
		cr_assert_eq(rp_shingle_words(sb, &tb, k), RP_OK);
	rp_tokbuf_free(&tb);
	cr_assert_eq(rp_shingle_set(sb), RP_OK);
	return sb->n;
}

Test(shingle, word_shingles_count_and_order)
{
	rp_shinglebuf sb;
	memset(&sb, 0, sizeof(sb));
	cr_assert_eq(shingles("one two three four five six seven", 5, 0, &sb), 3);
	for (size_t i = 1; i < sb.n; i++)
		cr_assert_lt(sb.h[i - 1], sb.h[i], "set must be sorted and distinct");
	rp_shinglebuf_free(&sb);
}

Test(shingle, repeated_shingles_count_once)
{
	rp_shinglebuf sb;
	memset(&sb, 0, sizeof(sb));
	/* 10 tokens, 6 windows, but the cycle a b c d e repeats: 5 distinct. */
	cr_assert_eq(shingles("a b c d e a b c d e", 5, 0, &sb), 5);
	rp_shinglebuf_free(&sb);
}

Test(shingle, short_texts_give_one_shingle_and_empty_none)
{
	rp_shinglebuf sb;
	memset(&sb, 0, sizeof(sb));
	cr_assert_eq(shingles("just three words", 5, 0, &sb), 1);
	cr_assert_eq(shingles("word", 5, 0, &sb), 1);
	cr_assert_eq(shingles("", 5, 0, &sb), 0);
	cr_assert_eq(shingles("-- ! --", 5, 0, &sb), 0);
	rp_shinglebuf_free(&sb);
}

Test(shingle, word_order_matters)
{
	rp_shinglebuf a, b;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	shingles("alpha beta gamma", 3, 0, &a);
	shingles("gamma beta alpha", 3, 0, &b);
	cr_assert_eq(rp_intersect_count(a.h, a.n, b.h, b.n), 0);
	rp_shinglebuf_free(&a);
	rp_shinglebuf_free(&b);
}

Test(shingle, char_shingles_span_word_boundaries)
{
	rp_shinglebuf sb;
	memset(&sb, 0, sizeof(sb));
	/* "ab cd" is 5 code points: 3 windows of 3. */
	cr_assert_eq(shingles("AB, cd", 3, 1, &sb), 3);
	/* Non-ASCII code points count as one character each. */
	cr_assert_eq(shingles("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, 1, &sb), 1);
	rp_shinglebuf_free(&sb);
}

Test(shingle, windows_come_in_text_order_before_the_set_is_made)
{
	rp_tokbuf tb;
	rp_shinglebuf sb;
	memset(&tb, 0, sizeof(tb));
	memset(&sb, 0, sizeof(sb));
	const char *s = "a b c a b c a b";
	cr_assert_eq(rp_tokenize(&tb, s, strlen(s), 0), RP_OK);
	cr_assert_eq(rp_shingle_words(&sb, &tb, 3), RP_OK);
	cr_assert_eq(sb.n, 6);
	cr_assert_eq(sb.h[0], sb.h[3], "window 'a b c' repeats");
	cr_assert_eq(rp_shingle_set(&sb), RP_OK);
	cr_assert_eq(sb.n, 3);
	rp_tokbuf_free(&tb);
	rp_shinglebuf_free(&sb);
}

Test(shingle, intersection_of_sorted_sets)
{
	uint64_t a[] = { 1, 3, 5, 7, 9 }, b[] = { 2, 3, 4, 7, 10, 11 };
	cr_assert_eq(rp_intersect_count(a, 5, b, 6), 2);
	cr_assert_eq(rp_intersect_count(a, 5, a, 5), 5);
	cr_assert_eq(rp_intersect_count(a, 0, b, 6), 0);
}
