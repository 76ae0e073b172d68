/*
 * relation.c - relation classes and source attribution (see relation.h).
 */
#include "relation.h"

const char *rp_relation_name(rp_relation r)
{
	switch (r) {
	case RP_REL_EXACT: return "exact";
	case RP_REL_NEAR_VERBATIM: return "near_verbatim";
	case RP_REL_LIGHT_EDIT: return "light_edit";
	case RP_REL_TRIMMED: return "trimmed";
	case RP_REL_EXCERPT: return "excerpt";
	case RP_REL_TEMPLATE: return "template";
	default: return "unknown";
	}
}

/* Words outside the passages are few enough to be a dateline or credit. */
static int edges_only(size_t words, size_t covered)
{
	double outside = (double)(words - RP_MIN(words, covered));
	return outside <= RP_MAX((1.0 - RP_NEAR_VERBATIM_MIN) * (double)words,
				 (double)RP_NEAR_VERBATIM_EDGE_WORDS);
}

/* Figures changed place after place: a formula filled with other data. */
int rp_formula_filled(const rp_align_summary *al)
{
	size_t covered = RP_MIN(al->covered_a, al->covered_b);
	return al->figure_places >= RP_FORMULA_PLACES_MIN &&
	       al->figure_places * RP_FORMULA_WORDS_PER_PLACE >= covered;
}

rp_relation rp_classify(double ca, double cb, int same_words,
			const rp_align_summary *al)
{
	double cs = RP_MAX(ca, cb), cl = RP_MIN(ca, cb);
	if (same_words)
		return RP_REL_EXACT;
	if (al && !al->correction &&
	    (rp_formula_filled(al) ||
	     (al->word_edits == 0 && al->figure_edits > 0 &&
	      (double)al->figure_edits >=
		      RP_TEMPLATE_FIGURES_MIN * (double)RP_MIN(al->words_a, al->words_b) &&
	      al->covered_a + al->lead_a + al->trail_a == al->words_a &&
	      al->covered_b + al->lead_b + al->trail_b == al->words_b &&
	      !(al->lead_a && al->lead_b) && !(al->trail_a && al->trail_b) &&
	      edges_only(al->words_a, al->covered_a) &&
	      edges_only(al->words_b, al->covered_b))))
		return RP_REL_TEMPLATE;
	if (al ? al->edited == 0 && al->covered_a && al->covered_b &&
			 edges_only(al->words_a, al->covered_a) &&
			 edges_only(al->words_b, al->covered_b)
	       : cl >= RP_NEAR_VERBATIM_MIN)
		return RP_REL_NEAR_VERBATIM;
	if (cs >= RP_TRIMMED_SHORT_MIN && cl < RP_TRIMMED_LONG_MAX)
		return RP_REL_TRIMMED;
	if (cl >= RP_LIGHT_EDIT_MIN)
		return RP_REL_LIGHT_EDIT;
	return RP_REL_EXCERPT;
}

int rp_source_of(rp_relation rel, double ca, double cb, int has_ta,
		 int64_t ta, int has_tb, int64_t tb)
{
	if (has_ta && has_tb && ta != tb)
		return ta < tb ? 0 : 1;
	/* Without dates only a text that holds the other is evidence: the
	 * fuller original of a trim. An excerpt's two texts each hold text
	 * the other lacks, so which came first is not known. */
	if (rel == RP_REL_TRIMMED && ca != cb)
		return ca > cb ? 1 : 0; /* a inside b: b is the fuller original */
	return -1;
}
