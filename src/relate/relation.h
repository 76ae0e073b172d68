/*
 * relation.h - what kind of copy a verified pair is, and which came first.
 *
 * Thresholds on the exact containments c_short = max(cA, cB) (how much of
 * the text that is more covered lies in the other) and c_long = min(cA, cB):
 *   exact          the normalized word sequences are identical
 *   near_verbatim  no word changed inside the shared passages, and the
 *                  words of each text outside them are at most 5% of it
 *                  or 10 words, whichever is more (only the edges differ:
 *                  a dateline, "Breaking:", a credit line); without
 *                  alignment, c_long >= 0.95
 *   trimmed        c_short >= 0.80 and c_long < 0.80: one is mostly inside
 *                  the other, which has at least a fifth more
 *   light_edit     c_long >= 0.60: most of each is in the other, with edits
 *   excerpt        anything else: a passage of one text inside another
 *                  (an excerpt set into another article, heavier reuse)
 *   template       (from alignment) every changed word is a figure on both
 *                  sides, the figures changed are at least 1% of the
 *                  shorter text's words, no word lies outside the passages
 *                  except at an edge of one text only (a dateline):
 *                  the same bulletin template filled with other data
 *                  ("Fed adds 1.5 billion dlrs" vs "2.5 billion dlrs"),
 *                  not a reprint. A long story with one corrected figure
 *                  stays a reprint (below 1%), and so does any pair where
 *                  a title or text speaks of a correction ("CORRECTED-",
 *                  "(Corrects ...)"): a corrected figure is the same story.
 *                  Also a template, other words edited or not: the
 *                  shared passages replace a figure by another figure
 *                  in two places or more, at least once every 30 of
 *                  their words (of the text less covered). A formula
 *                  bulletin carries a figure in most sentences and
 *                  each filling changes them, while its other words
 *                  vary with the writer ("about" / "around", "mln" /
 *                  "million"): Reuters' money-market, crop and jobless
 *                  claims reports, price lists posted again. A reprint
 *                  keeps its figures: a dateline's date and a corrected
 *                  figure are a place or two in a whole story, and a
 *                  figure written out ("two" / "2") or a sentence
 *                  added with a figure in it replaces no figure.
 *                  Checked on the three syndication seeds (their true
 *                  pairs change a figure at most once every 54 shared
 *                  words; their templated_formula negatives every
 *                  10-91, those past 30 stay reported), Reuters-21578,
 *                  20 Newsgroups and BBC (bench/README.md, session 20).
 * Source: the earlier date when both have one and they differ; otherwise,
 * for trimmed, the text that contains the other; else unknown (an
 * excerpt's texts each hold what the other lacks).
 */
#ifndef RP_RELATION_H
#define RP_RELATION_H

#include "common.h"

#define RP_NEAR_VERBATIM_MIN 0.95
#define RP_NEAR_VERBATIM_EDGE_WORDS 10
#define RP_TRIMMED_SHORT_MIN 0.80
#define RP_TRIMMED_LONG_MAX 0.80
#define RP_LIGHT_EDIT_MIN 0.60
#define RP_TEMPLATE_FIGURES_MIN 0.01
#define RP_FORMULA_PLACES_MIN 2
#define RP_FORMULA_WORDS_PER_PLACE 30

/* What alignment says about a pair (all counts in words). */
typedef struct rp_align_summary {
	size_t words_a, words_b;      /* words of each text */
	size_t covered_a, covered_b;  /* words inside shared passages */
	size_t edited;                /* inserted + deleted + substituted */
	size_t figure_edits;          /* edited words that are figures */
	size_t word_edits;            /* other edited words */
	size_t lead_a, lead_b;        /* words before the first passage */
	size_t trail_a, trail_b;      /* words after the last passage */
	int correction;               /* a title or text says it corrects */
	size_t figure_places;         /* edits replacing figures by figures */
} rp_align_summary;

/* Do the shared passages change figures often enough to be a formula
 * filled with other data (above)? */
RP_INTERNAL int rp_formula_filled(const rp_align_summary *al);

/* al may be NULL when the pair was not aligned. */
RP_INTERNAL rp_relation rp_classify(double ca, double cb, int same_words,
				    const rp_align_summary *al);

/* 0 = a, 1 = b, -1 = unknown. */
RP_INTERNAL int rp_source_of(rp_relation rel, double ca, double cb,
			     int has_ta, int64_t ta, int has_tb, int64_t tb);

#endif
