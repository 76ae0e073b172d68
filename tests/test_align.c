/* Tests of align.c and relation.c: passages, edits, relations, sources. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "relation.h"
#include "testutil.h"

/* n distinct invented words "w<seed>x<i>" joined by spaces. */
static char *words(int seed, int n)
{
	char *s = malloc((size_t)n * 16 + 1);
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "%sw%dx%d", i ? " " : "", seed, i);
	return s;
}

static void align(rp_align *al, const char *a, const char *b)
{
	static rp_tokbuf ta, tb;
	cr_assert_eq(rp_tokenize(&ta, a, strlen(a), 0), RP_OK);
	cr_assert_eq(rp_tokenize(&tb, b, strlen(b), 0), RP_OK);
	cr_assert_eq(rp_align_tokens(al, ta.tok, ta.ntok, tb.tok, tb.ntok, 5, 0), RP_OK);
}

static void assert_span(const char *text, size_t start, size_t end, const char *want)
{
	cr_assert_eq(end - start, strlen(want), "span [%zu,%zu) is '%.*s', want '%s'",
		     start, end, (int)(end - start), text + start, want);
	cr_assert_eq(memcmp(text + start, want, end - start), 0,
		     "span is '%.*s', want '%s'", (int)(end - start), text + start, want);
}

Test(align, identical_texts_are_one_passage_without_edits)
{
	char *a = words(1, 60);
	rp_align al;
	memset(&al, 0, sizeof(al));
	align(&al, a, a);
	cr_assert_eq(al.npass, 1);
	cr_assert_eq(al.pass[0].a_start, 0);
	cr_assert_eq(al.pass[0].a_end, strlen(a));
	cr_assert_eq(al.nedits, 0);
	cr_assert_eq(al.shared_words, 60);
	rp_align_free(&al);
	free(a);
}

Test(align, a_substituted_word_is_one_edit_at_its_bytes)
{
	const char *a = "The port of Klaipeda will invest 1.2 billion euros in a new "
			"terminal over the next eight years, the authority said.";
	const char *b = "The port of Klaipeda will invest 1.3 billion euros in a new "
			"terminal over the next eight years, the authority said.";
	rp_align al;
	memset(&al, 0, sizeof(al));
	align(&al, a, b);
	cr_assert_eq(al.npass, 1);
	cr_assert_eq(al.pass[0].substituted, 1);
	cr_assert_eq(al.pass[0].inserted, 0);
	cr_assert_eq(al.pass[0].deleted, 0);
	cr_assert_eq(al.nedits, 1);
	assert_span(a, al.edits[0].a_start, al.edits[0].a_end, "2");
	assert_span(b, al.edits[0].b_start, al.edits[0].b_end, "3");
	assert_span(a, al.pass[0].a_start, al.pass[0].a_end,
		    "The port of Klaipeda will invest 1.2 billion euros in a new "
		    "terminal over the next eight years, the authority said");
	rp_align_free(&al);
}

Test(align, inserted_and_deleted_words_are_counted)
{
	const char *a = "one two three four five six seven eight nine ten eleven "
			"twelve thirteen fourteen fifteen";
	const char *b = "one two three four five six seven NEW WORDS eight nine ten "
			"eleven twelve thirteen fifteen";
	rp_align al;
	memset(&al, 0, sizeof(al));
	align(&al, a, b);
	cr_assert_geq(al.npass, 1);
	size_t ins = 0, del = 0, sub = 0;
	for (size_t i = 0; i < al.npass; i++) {
		ins += al.pass[i].inserted;
		del += al.pass[i].deleted;
		sub += al.pass[i].substituted;
	}
	cr_assert_eq(ins, 2, "NEW WORDS inserted");
	cr_assert_eq(sub, 0);
	rp_align_free(&al);
	(void)del;
}

Test(align, trimmed_copy_covers_its_whole_text_and_a_prefix_of_the_original)
{
	char *a = words(2, 200);
	char *b = strdup(a), *first = words(2, 80);
	b[strlen(first)] = '\0'; /* the first 80 words */
	free(first);
	rp_align al;
	memset(&al, 0, sizeof(al));
	align(&al, a, b);
	cr_assert_eq(al.npass, 1);
	cr_assert_eq(al.pass[0].b_start, 0);
	cr_assert_eq(al.pass[0].b_end, strlen(b));
	cr_assert_eq(al.pass[0].a_end, strlen(b), "the copy ends where the trim was");
	cr_assert_eq(al.pass[0].words_a, 80);
	rp_align_free(&al);
	free(a);
	free(b);
}

Test(align, reordered_and_inserted_paragraphs_give_several_passages)
{
	char *p1 = words(3, 40), *p2 = words(4, 40), *p3 = words(5, 40), *ins = words(6, 40);
	char a[4096], b[4096];
	snprintf(a, sizeof(a), "%s\n\n%s\n\n%s", p1, p2, p3);
	snprintf(b, sizeof(b), "%s\n\n%s\n\n%s\n\n%s", p1, p3, ins, p2);
	rp_align al;
	memset(&al, 0, sizeof(al));
	align(&al, a, b);
	cr_assert_geq(al.npass, 2);
	cr_assert_leq(al.npass, 3);
	/* Every word of a is in some passage; passages are ordered in a. */
	size_t covered = 0;
	for (size_t i = 0; i < al.npass; i++) {
		covered += al.pass[i].words_a;
		if (i)
			cr_assert_geq(al.pass[i].a_start, al.pass[i - 1].a_start);
	}
	cr_assert_geq(covered, 120);
	/* The inserted paragraph is in no passage of b. */
	const char *at = strstr(b, ins);
	for (size_t i = 0; i < al.npass; i++)
		cr_assert(al.pass[i].b_end <= (size_t)(at - b) ||
			  al.pass[i].b_start >= (size_t)(at - b) + strlen(ins) ||
			  al.pass[i].edit_count > 0);
	rp_align_free(&al);
	free(p1); free(p2); free(p3); free(ins);
}

Test(align, unrelated_texts_share_no_passage)
{
	char *a = words(7, 100), *b = words(8, 100);
	rp_align al;
	memset(&al, 0, sizeof(al));
	align(&al, a, b);
	cr_assert_eq(al.npass, 0);
	cr_assert_eq(al.shared_words, 0);
	rp_align_free(&al);
	free(a);
	free(b);
}

/* A place is an edit that puts a figure where a figure was: a bulletin
 * filled with other data has one per sentence; a figure written out and
 * a sentence added with a figure in it are none. */
Test(align, figure_places_count_figures_replaced_by_figures)
{
	const char *a = "The Bank of England said it forecast a shortage of about "
			"350 mln stg in the money market today. Bills maturing in "
			"official hands will drain some 525 mln stg while bankers' "
			"balances below target will take out about 175 mln stg. "
			"Exchequer transactions will add some 300 mln stg to the "
			"system.";
	const char *b = "The Bank of England said it forecast a shortage of around "
			"450 mln stg in the money market today. Bills maturing in "
			"official hands will drain some 650 mln stg while bankers' "
			"balances below target will take out around 50 mln stg. "
			"Exchequer transactions will add some 200 mln stg to the "
			"system.";
	rp_align al;
	memset(&al, 0, sizeof(al));
	align(&al, a, b);
	cr_assert_eq(al.figure_places, 4, "%zu places", al.figure_places);
	cr_assert_gt(al.word_edits, 0);
	const char *c = "I have an extra copy of Lotus 1-2-3 version 3.4 for DOS. "
			"I'd like to get $100 for it, please reply by e-mail, thanks "
			"and best regards to all of you here, Jay";
	const char *d = "I have an extra copy of Lotus 1-2-3 version 3.4 for DOS. "
			"This package was originally $600. I'd like to get $75 for "
			"it, please reply by e-mail, thanks and best regards to all "
			"of you here, Jay";
	align(&al, c, d);
	cr_assert_eq(al.figure_places, 1, "%zu places", al.figure_places);
	const char *e = "The fire service said in a statement that two people were "
			"hurt when the roof of the market hall in the old town gave "
			"way under the snow on Sunday morning.";
	const char *f = "The fire service said in a statement that 2 people were "
			"hurt when the roof of the market hall in the old town gave "
			"way under the snow on Sunday morning.";
	align(&al, e, f);
	cr_assert_eq(al.nedits, 1);
	cr_assert_eq(al.figure_places, 0);
	rp_align_free(&al);
}

Test(relation, classes_follow_the_documented_thresholds)
{
	cr_assert_eq(rp_classify(1.0, 1.0, 1, NULL), RP_REL_EXACT);
	cr_assert_eq(rp_classify(1.0, 1.0, 0, NULL), RP_REL_NEAR_VERBATIM);
	cr_assert_eq(rp_classify(0.97, 0.96, 0, NULL), RP_REL_NEAR_VERBATIM);
	cr_assert_eq(rp_classify(0.64, 1.0, 0, NULL), RP_REL_TRIMMED);
	cr_assert_eq(rp_classify(0.30, 0.85, 0, NULL), RP_REL_TRIMMED);
	cr_assert_eq(rp_classify(0.94, 0.88, 0, NULL), RP_REL_LIGHT_EDIT);
	cr_assert_eq(rp_classify(0.70, 0.65, 0, NULL), RP_REL_LIGHT_EDIT);
	cr_assert_eq(rp_classify(0.50, 0.55, 0, NULL), RP_REL_EXCERPT);
	cr_assert_eq(rp_classify(0.10, 0.60, 0, NULL), RP_REL_EXCERPT);
	/* With alignment: no edit inside passages covering >= 95% of both
	 * is near verbatim, whatever the shingle containments say; one
	 * changed word is an edit. */
	rp_align_summary edges = { 60, 62, 60, 59, 0, 0, 0, 0, 3, 0, 0, 0, 0 };
	cr_assert_eq(rp_classify(0.9, 0.85, 0, &edges), RP_REL_NEAR_VERBATIM);
	rp_align_summary one_word = { 60, 60, 60, 60, 1, 0, 1, 0, 0, 0, 0, 0, 0 };
	cr_assert_eq(rp_classify(0.97, 0.97, 0, &one_word), RP_REL_LIGHT_EDIT);
	/* Only figures changed, 2 of 60 words: a template; unless one of
	 * them says it corrects the other. */
	rp_align_summary figures = { 60, 60, 60, 60, 2, 2, 0, 0, 0, 0, 0, 0, 2 };
	cr_assert_eq(rp_classify(0.9, 0.9, 0, &figures), RP_REL_TEMPLATE);
	figures.correction = 1;
	cr_assert_eq(rp_classify(0.9, 0.9, 0, &figures), RP_REL_LIGHT_EDIT);
	/* One figure in a 300-word story is a corrected reprint. */
	rp_align_summary long_story = { 300, 300, 300, 300, 1, 1, 0, 0, 0, 0, 0, 0, 1 };
	cr_assert_neq(rp_classify(0.98, 0.98, 0, &long_story), RP_REL_TEMPLATE);
	/* A formula filled with other data and written by another hand:
	 * figures changed in 4 places of 90 shared words, 6 words edited
	 * ("about" / "around"): a template, unless it corrects. Two figure
	 * places in a 300-word story (a dateline's date and a corrected
	 * figure) are a reprint, and so is one place in a short one. */
	rp_align_summary formula = { 100, 95, 90, 90, 10, 4, 6, 5, 0, 5, 0, 0, 4 };
	cr_assert_eq(rp_classify(0.55, 0.55, 0, &formula), RP_REL_TEMPLATE);
	formula.correction = 1;
	cr_assert_eq(rp_classify(0.55, 0.55, 0, &formula), RP_REL_EXCERPT);
	rp_align_summary update = { 300, 300, 290, 290, 8, 2, 6, 5, 5, 5, 5, 0, 2 };
	cr_assert_neq(rp_classify(0.9, 0.9, 0, &update), RP_REL_TEMPLATE);
	rp_align_summary dateline = { 60, 60, 50, 50, 3, 1, 2, 5, 5, 5, 5, 0, 1 };
	cr_assert_neq(rp_classify(0.8, 0.8, 0, &dateline), RP_REL_TEMPLATE);
	/* Dense but in one place only: a price changed in a short notice
	 * posted again. */
	rp_align_summary repost = { 35, 40, 35, 40, 6, 1, 5, 0, 0, 0, 0, 0, 1 };
	cr_assert_neq(rp_classify(0.7, 0.58, 0, &repost), RP_REL_TEMPLATE);
	repost.figure_places = 2;
	cr_assert_eq(rp_classify(0.7, 0.58, 0, &repost), RP_REL_TEMPLATE);
	cr_assert_str_eq(rp_relation_name(RP_REL_LIGHT_EDIT), "light_edit");
}

Test(relation, source_is_the_earlier_else_the_containing_text)
{
	cr_assert_eq(rp_source_of(RP_REL_EXACT, 1, 1, 1, 200, 1, 100), 1);
	cr_assert_eq(rp_source_of(RP_REL_EXACT, 1, 1, 1, 100, 1, 200), 0);
	cr_assert_eq(rp_source_of(RP_REL_EXACT, 1, 1, 0, 0, 1, 200), -1);
	/* Undated: a trimmed a (inside b) came from b. */
	cr_assert_eq(rp_source_of(RP_REL_TRIMMED, 1.0, 0.4, 0, 0, 0, 0), 1);
	/* Undated: an excerpt's two texts each hold what the other lacks. */
	cr_assert_eq(rp_source_of(RP_REL_EXCERPT, 0.2, 0.4, 0, 0, 0, 0), -1);
	cr_assert_eq(rp_source_of(RP_REL_EXCERPT, 0.2, 0.4, 1, 100, 1, 200), 0);
	cr_assert_eq(rp_source_of(RP_REL_LIGHT_EDIT, 0.8, 0.7, 0, 0, 0, 0), -1);
}

/* A refrain repeated thousands of times in both texts (a table, a line of
 * dashes) makes no anchors, which would otherwise number the product of
 * its repetitions; the story beside it is still one passage. */
Test(align, a_repeated_refrain_makes_no_anchors)
{
	char *story = words(7, 60);
	size_t n = 3000 * 6 + strlen(story) + 2;
	char *a = malloc(n), *b = malloc(n);
	size_t la = 0;
	for (int i = 0; i < 3000; i++)
		la += (size_t)sprintf(a + la, "la la ");
	sprintf(a + la, "%s", story);
	strcpy(b, a);
	rp_align al;
	memset(&al, 0, sizeof(al));
	align(&al, a, b);
	cr_assert_lt(al.nanch, 1000, "%zu anchors", al.nanch);
	cr_assert_geq(al.npass, 1);
	cr_assert_geq(al.longest_run, 60, "the story runs on: %zu", al.longest_run);
	rp_align_free(&al);
	free(a);
	free(b);
	free(story);
}
