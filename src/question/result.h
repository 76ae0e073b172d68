/*
 * result.h - the answer to one question (internal layout of rp_result),
 * and the steps that turn verified pairs into it (relate.c).
 *
 * A result points into its corpus (documents, and the analysis: outlets,
 * chrome, character texts) and owns only what its question found: pairs,
 * their passages and edits, clusters and counters.
 *
 * Invariant: pairs are sorted by (a, b), a < b; pass[i], edits[i] and
 * nedits[i] belong to pairs[i] (pairs[i].passages passages).
 */
#ifndef RP_RESULT_H
#define RP_RESULT_H

#include "analysis.h"
#include "cluster.h"
#include "common.h"
#include "corpus.h"

/* r->tent: a pair that passed the thresholds, one kept for a possible
 * passage, one whose passage alignment confirmed or did not find. */
enum { TENT_NONE = 0, TENT_PASSAGE = 1, TENT_CONFIRMED = 2, TENT_DROP = 3 };

struct rp_result {
	const rp_corpus *corpus;
	const rp_analysis *an;  /* the corpus's analysis */
	rp_question q;          /* the question, resolved (corpus.h) */
	rp_pair *pairs;
	size_t npairs;
	rp_passage **pass;      /* per pair */
	rp_edit **edits;        /* per pair */
	size_t *nedits;         /* per pair */
	size_t cappass;         /* entries pass, edits and nedits have */
	uint8_t *tent;          /* per pair, or NULL: see TENT_* */
	size_t char_passage;    /* the passage rule for a pair of character
				   texts, in characters */
	rp_clusters clusters;
	size_t *story;          /* the clusters of two or more, in order */
	size_t nstories;
	size_t ndocs;
	rp_scan_stats stats;
	int compared;           /* made by rp_corpus_compare */
	size_t cmp_a, cmp_b;    /* compare: the two documents, a < b */
	int verdict;            /* compare: reported by the question */
	const char *why;        /* compare: a static phrase */
};

/* A new, empty result of question q (resolved) over corpus c. */
RP_INTERNAL int rp_result_new(rp_result **out, const rp_corpus *c,
			      const rp_question *q);

/* Cluster the pairs of r (sorted) into its stories. */
RP_INTERNAL int rp_result_cluster_all(rp_result *r);

/* Give the pairs their per-pair arrays (after verification), or grow
 * them to pairs added since (zeroed). */
RP_INTERNAL int rp_result_alloc_pairs(rp_result *r);

/* rp_corpus_ask with the candidates found elsewhere (the archive index):
 * cand[0..ncand) every candidate pair, pcand[0..npcand) those found by
 * shared passages (both sorted, distinct, RP_PAIR). Only the base pass of
 * the analysis runs; verification, relations and clusters are the
 * question's. */
RP_INTERNAL int rp_corpus_ask_given(rp_result **out, rp_corpus *c,
				    const rp_question *q, const uint64_t *cand,
				    size_t ncand, const uint64_t *pcand,
				    size_t npcand);

/*
 * Relations, sources and, when the question aligns, passages and edits of
 * every pair, on the analysis's threads. A pair kept only for a passage
 * (TENT_PASSAGE) is aligned whatever the question says, and marked
 * TENT_CONFIRMED or TENT_DROP; keep_all classifies the dropped ones too
 * (compare shows them).
 */
RP_INTERNAL int rp_relate_pairs(rp_result *r, int keep_all);
/* The same for pairs [from, to) only (their per-pair arrays allocated).
 * *groups: a scratch of one entry a document, made at the first call
 * (*groups NULL) and left zeroed for the next; the caller frees it. One
 * kept over many ranges is not allocated and faulted in for each (10M
 * documents: 40 MB, forty runs). */
RP_INTERNAL int rp_relate_range(rp_result *r, size_t from, size_t to,
				int keep_all, uint32_t **groups);

/* What rp_verify_relate adds up: sets made, and the share of the pass's
 * seconds its threads spent relating (aligning) rather than verifying
 * (tokens, sets, scores). */
typedef struct rp_verify_relate_stats {
	size_t sets_built;
	double align_s;
} rp_verify_relate_stats;

/*
 * Verification and relations in one pass: the candidates cand[0..ncand)
 * (sorted, distinct) are scored on their shingle sets, made from the
 * tokens alignment reads, and kept as rp_verify keeps them (with
 * keep[0..nkeep), the passage candidates, kept on keep_shared shared
 * shingles for a passage when the question asks for one); those the
 * filters leave out are counted in stats.filtered, the others related as
 * rp_relate_range relates them and appended to r's pairs, in order (the
 * same pairs, arrays and relations as rp_verify, rp_filter_pairs_from
 * and rp_relate_range give). *groups as rp_relate_range's; *cap and
 * *capt: the room r->pairs and r->tent have.
 */
RP_INTERNAL int rp_verify_relate(rp_result *r, const uint64_t *cand,
				 size_t ncand, const uint64_t *keep,
				 size_t nkeep, size_t keep_shared,
				 uint32_t **groups, size_t *cap, size_t *capt,
				 rp_verify_relate_stats *st);

/* Why the question's filters leave out pair p (a static phrase), or NULL. */
RP_INTERNAL const char *rp_pair_filtered(const rp_result *r, const rp_pair *p);

/* Leave out the pairs the filters (cross_outlet, window) exclude;
 * counted in stats.filtered. Before rp_result_alloc_pairs. */
RP_INTERNAL void rp_filter_pairs(rp_result *r);
/* The same for the pairs from `from` on. */
RP_INTERNAL void rp_filter_pairs_from(rp_result *r, size_t from);

/* Remove template pairs (unless kept) and the pairs kept only for a
 * passage that alignment did not find, keeping the per-pair arrays in
 * step. */
RP_INTERNAL void rp_drop_pairs(rp_result *r);

/* Does a document say it corrects an earlier version (title or text)? */
RP_INTERNAL int rp_speaks_of_correction(const rp_doc *d);

#endif
