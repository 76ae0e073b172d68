/*
 * scan.c - the question driver: one collection, many questions.
 *
 *   analysis (once, analysis.c): outlets, chrome, base pass, and what the
 *       question needs computed (signatures, passage and sampled
 *       candidates) if an earlier question did not
 *   -> candidates (lsh.c; merged with the analysis's) -> shingle sets of
 *       the candidates' documents (analysis.c, kept) -> exact verification
 *       (verify.c) -> filters, relations, alignment, templates (relate.c)
 *       -> clusters (cluster.c); a question that frees what it used under
 *       a memory bound verifies in runs (verify_in_runs), each in the pass
 *       that aligns it (rp_verify_relate: sets made from alignment's
 *       tokens), or with its sets built first when the texts are on disk
 *
 * Stages do not call each other; this file hands each one plain arrays.
 * rp_corpus_compare runs the same steps for one pair, so that comparing
 * two documents of a collection gives the numbers its questions give.
 */
#include <string.h>

#include "analysis.h"
#include "cluster.h"
#include "corpus.h"
#include "keyspill.h"
#include "lsh.h"
#include "pairs.h"
#include "result.h"
#include "verify.h"

/* The question's bands and rows: as given, or tuned for its threshold
 * and target recall (none for an exact question). */
static int question_banding(unsigned *b, unsigned *rw, const rp_corpus *c,
			    const rp_question *q)
{
	int reached;
	*b = q->bands;
	*rw = q->rows;
	if (*b || q->exact)
		return RP_OK;
	return rp_lsh_tune(b, rw, &reached, q->threshold, c->ao.num_perm,
			   q->target_recall);
}

/* The banding's figures in the question's counters. */
static void banding_stats(rp_result *r, unsigned b, unsigned rw)
{
	r->stats.bands = b;
	r->stats.rows = rw;
	r->stats.recall_at_threshold = rp_lsh_probability(r->q.threshold, b, rw);
	r->stats.recall_reached = r->stats.recall_at_threshold >=
				  r->q.target_recall;
}

/* What question q needs of the analysis. */
static rp_need need_of(const rp_corpus *c, const rp_question *q)
{
	rp_need need = { !q->exact, 0, 0, 0, 0 };
	/* A question that frees its signatures after banding has only
	 * their band keys kept (the banding candidates() uses). */
	if (need.sign && q->release &&
	    question_banding(&need.bands, &need.rows, c, q) < 0)
		need.bands = need.rows = 0;
	if (!q->exact && (q->containment > 0 || q->min_passage > 0)) {
		need.winnow_w = rp_winnow_window(q->min_passage > 0
							 ? (unsigned)q->min_passage
							 : RP_CONTAIN_RUN_WORDS,
						 c->ao.k);
		if (q->containment > 0 && q->containment < RP_CONTAIN_SCATTERED)
			need.sample_cap = q->bucket_cap;
	}
	return need;
}

static int keyspill_band(void *ks, unsigned band, uint64_t *kb)
{
	return rp_keyspill_band(ks, band, kb);
}

/* Candidates by banding, with the analysis's passage and sampled
 * candidates merged in. */
static int candidates(uint64_t **cand, size_t *ncand, rp_result *r,
		      const rp_need *need, rp_work *w)
{
	const rp_corpus *c = r->corpus;
	const rp_question *q = &r->q;
	rp_analysis *an = c->an;
	unsigned b, rw;
	FORWARD_IF_ERROR(question_banding(&b, &rw, c, q));
	banding_stats(r, b, rw);
	rp_lsh_stats ls;
	/* The bands on the analysis's threads, each sorting its own keys
	 * (40 bytes a document): while those take an eighth of a memory
	 * bound at most, else one. */
	unsigned nt = rp_thread_count(c->ao.threads, b);
	if (c->memory && (uint64_t)c->ndocs * 40 * nt > c->memory / 8)
		nt = 1;
	if (an->kspill && an->key_bands == b && an->key_rows == rw)
		FORWARD_IF_ERROR(rp_corpus_temp_error(
			(rp_corpus *)c,
			rp_lsh_candidates_fill(cand, ncand, &ls, keyspill_band,
					       an->kspill, an->active,
					       c->ndocs, b, q->bucket_cap, nt)));
	else if (an->keys && an->key_bands == b && an->key_rows == rw)
		FORWARD_IF_ERROR(rp_lsh_candidates_keys(cand, ncand, &ls, an->keys,
							an->active, c->ndocs, b,
							q->bucket_cap, nt));
	else
		FORWARD_IF_ERROR(rp_lsh_candidates(cand, ncand, &ls, an->sigs,
						   an->active, c->ndocs,
						   c->ao.num_perm, b, rw,
						   q->bucket_cap, nt));
	r->stats.oversized_buckets = ls.oversized;
	r->stats.largest_bucket = ls.largest;
	if (q->release)
		rp_analysis_release_sigs(an);
	FORWARD_IF_ERROR(rp_analysis_candidates((rp_corpus *)c, w));
	if (need->winnow_w) {
		r->stats.contain_candidates = an->npcand;
		r->stats.common_fingerprints = an->pstats.postings_skipped;
		r->stats.largest_posting = an->pstats.largest_posting;
		FORWARD_IF_ERROR(rp_pairs_merge(cand, ncand, an->pcand,
						  an->npcand));
	}
	if (need->sample_cap) {
		r->stats.contain_candidates += an->nscand;
		r->stats.oversized_buckets += an->sstats.postings_skipped;
		r->stats.largest_bucket = RP_MAX(r->stats.largest_bucket,
						 an->sstats.largest_posting);
		FORWARD_IF_ERROR(rp_pairs_merge(cand, ncand, an->scand,
						  an->nscand));
	}
	return RP_OK;
}

/* Shingles a passage of min_passage words holds. */
static size_t passage_shingles(const rp_corpus *c, const rp_question *q)
{
	size_t P = (size_t)q->min_passage;
	return P >= c->ao.k ? P - c->ao.k + 1 : 1;
}

/* The counters the analysis keeps and the work this question did. */
static void fill_stats(rp_result *r, const rp_corpus *c, const rp_work *w)
{
	const rp_analysis *an = c->an;
	r->stats.documents = an->documents;
	r->stats.char_documents = an->char_documents;
	r->stats.shingles = an->shingles;
	r->stats.text_bytes = an->text_bytes;
	r->stats.chrome_lines = an->boil.chrome_lines;
	r->stats.docs_stripped = an->boil.docs_stripped;
	r->stats.bytes_excluded = an->boil.bytes_excluded;
	r->stats.rejected = c->nrejects;
	r->stats.seconds_boilerplate = w->seconds_boilerplate;
	r->stats.seconds_sign = w->seconds_sign;
	r->stats.docs_shingled = w->docs_shingled;
	r->stats.docs_signed = w->docs_signed;
	r->stats.sets_built = w->sets_built;
}

/* The bytes of document d's shingle set, from its text: a shingle for
 * each word, a word in about six bytes, eight bytes a shingle. */
static size_t set_bytes(const rp_corpus *c, size_t d)
{
	return c->docs[d].text_len / 6 * 8 + 64;
}

/* One run of verify_in_runs the way texts on disk want it: the sets of
 * the run's documents (want) built by a pass that reads their texts in
 * file order, the candidates verified on them, the sets freed, and the
 * pairs kept filtered and related while the page cache holds the texts
 * the sets pass read. */
static int run_on_sets(rp_result *r, rp_corpus *c, const rp_question *q,
		       const uint64_t *cand, size_t ncand,
		       const uint64_t *keep, size_t nkeep, const uint8_t *want,
		       rp_work *w, uint32_t **groups, size_t *cap, size_t *capt,
		       double *align_s)
{
	rp_analysis *an = c->an;
	size_t np = 0;
	rp_pair *p = NULL;
	uint8_t *t = NULL;
	int err = RP_OK;
	GOTO_IF_ERROR(rp_analysis_sets(c, want, w));
	rp_sets S = { (const uint64_t *const *)an->sets, an->nsets, c->ndocs };
	GOTO_IF_ERROR(rp_verify(&p, &np, q->min_passage ? &t : NULL, &S, cand,
				ncand, keep, nkeep, passage_shingles(c, q),
				q->threshold, q->containment, c->ao.threads));
	rp_analysis_release_sets(an, c->ndocs);
	if (np) {
		GOTO_IF_ERROR(RP_GROW(r->pairs, *cap, r->npairs + np));
		memcpy(r->pairs + r->npairs, p, np * sizeof(*p));
		if (t) {
			GOTO_IF_ERROR(RP_GROW(r->tent, *capt, r->npairs + np));
			memcpy(r->tent + r->npairs, t, np);
		}
		r->npairs += np;
		size_t from = r->npairs - np;
		double t0 = rp_now();
		rp_filter_pairs_from(r, from);
		GOTO_IF_ERROR(rp_result_alloc_pairs(r));
		GOTO_IF_ERROR(rp_relate_range(r, from, r->npairs, 0, groups));
		*align_s += rp_now() - t0;
	}
cleanup:
	free(p);
	free(t);
	return err;
}

/*
 * Verify and relate the sorted candidates cand[0..ncand) in runs whose
 * documents' shingle sets would take at most a quarter of the memory
 * bound, with keep's candidates that fall in each run. Each run's output
 * is in candidate order, so the runs' outputs, appended, are what one
 * run would give. A run's texts are asked for while the page cache
 * holds them: over a spool larger than the cache, texts read at random
 * are one disk read each (10M bench documents: 50-60 s waiting on the
 * disk when every pair was aligned after the last run).
 *
 * Texts from the page cache: rp_verify_relate, each candidate's texts
 * tokenized once, for its sets and its alignment (a pass of its own
 * built the sets first, tokenizing every candidate's text a second
 * time: news 100k verify + align 0.85 -> 0.62 s). Texts from the disk
 * (rp_corpus_texts_on_disk): run_on_sets, whose sets pass reads the
 * texts in file order for the alignment after it (verified beside
 * alignment, the 10M run read them at random: verify + align 55 ->
 * 82 s). *align_s: the seconds spent relating pairs.
 */
static int verify_in_runs(rp_result *r, rp_corpus *c, const rp_question *q,
			  const uint64_t *cand, size_t ncand,
			  const uint64_t *keep, size_t nkeep, uint8_t *want,
			  rp_work *w, double *align_s)
{
	size_t nd = c->ndocs, budget = c->memory / 4, cap = 0, capt = 0;
	size_t i = 0, k = 0;
	int err = RP_OK, on_disk = rp_corpus_texts_on_disk(c);
	uint32_t *groups = NULL; /* the relating's, over the runs */
	rp_verify_relate_stats st = { 0, 0 };
	while (i < ncand) {
		size_t bytes = 0, j = i;
		memset(want, 0, nd);
		for (; j < ncand; j++) {
			size_t a = RP_PAIR_A(cand[j]), b = RP_PAIR_B(cand[j]);
			size_t add = (want[a] ? 0 : set_bytes(c, a)) +
				     (want[b] ? 0 : set_bytes(c, b));
			if (j > i && bytes + add > budget)
				break;
			want[a] = want[b] = 1;
			bytes += add;
		}
		size_t k2 = k;
		while (k2 < nkeep && keep[k2] <= cand[j - 1])
			k2++;
		if (on_disk)
			GOTO_IF_ERROR(run_on_sets(r, c, q, cand + i, j - i,
						  keep ? keep + k : NULL, k2 - k,
						  want, w, &groups, &cap, &capt,
						  align_s));
		else
			GOTO_IF_ERROR(rp_verify_relate(r, cand + i, j - i,
						       keep ? keep + k : NULL,
						       k2 - k,
						       passage_shingles(c, q),
						       &groups, &cap, &capt,
						       &st));
		i = j;
		k = k2;
	}
	/* (what rp_verify gives for no pairs: arrays all the same) */
	if (!r->pairs) {
		r->pairs = calloc(1, sizeof(*r->pairs));
		GOTO_IF(!r->pairs, RP_ENOMEM);
	}
	if (q->min_passage && !r->tent) {
		r->tent = calloc(1, 1);
		GOTO_IF(!r->tent, RP_ENOMEM);
	}
cleanup:
	w->sets_built += st.sets_built;
	*align_s += st.align_s;
	free(groups);
	return err;
}

int rp_result_cluster_all(rp_result *r)
{
	const rp_corpus *c = r->corpus;
	size_t nd = c->ndocs;
	rp_cluster_doc *cdocs = reallocarray(NULL, nd + 1, sizeof(*cdocs));
	RETURN_ERROR_IF(!cdocs, RP_ENOMEM);
	for (size_t d = 0; d < nd; d++)
		cdocs[d] = (rp_cluster_doc){ c->docs[d].timestamp,
					     c->docs[d].has_timestamp,
					     c->docs[d].text_len,
					     r->an->active[d] };
	int err = rp_cluster_build(&r->clusters, cdocs, nd, r->pairs, r->npairs);
	free(cdocs);
	FORWARD_IF_ERROR(err);
	/* The stories: clusters of two or more, numbered once for the
	 * reports that page through them. */
	r->story = malloc((r->clusters.n + 1) * sizeof(*r->story));
	RETURN_ERROR_IF(!r->story, RP_ENOMEM);
	for (size_t i = 0; i < r->clusters.n; i++)
		if (r->clusters.off[i + 1] - r->clusters.off[i] > 1)
			r->story[r->nstories++] = i;
	r->stats.clusters = r->nstories;
	return RP_OK;
}

static int fail(rp_corpus *c, int err)
{
	if (err < 0 && err != RP_EINVAL && err != RP_ETEMP)
		rp_corpus_set_error(c, "%s failed: %s",
				    err == RP_ECANCELED ? "question" : "scan",
				    rp_strerror(err));
	return err;
}

/* RP_ESTATE with a message once the last reading question let the
 * texts go (rp_corpus_set_last_reading), else RP_OK. */
static int texts_still_here(rp_corpus *c)
{
	if (!c->texts_gone)
		return RP_OK;
	rp_corpus_set_error(c, "the texts were let go after the last "
			    "question that reads them");
	return RP_ESTATE;
}

int rp_corpus_analyze(rp_corpus *c)
{
	RETURN_ERROR_IF(!c, RP_EINVAL);
	rp_work w;
	memset(&w, 0, sizeof(w));
	FORWARD_IF_ERROR(texts_still_here(c));
	return fail(c, rp_analysis_ensure(c, NULL, &w));
}

/* A question's candidates found elsewhere (rp_corpus_ask_given). */
typedef struct given_cands {
	const uint64_t *cand, *pcand;
	size_t ncand, npcand;
} given_cands;

static int ask(rp_result **out, rp_corpus *c, const rp_question *qin,
	       const given_cands *given)
{
	int err = RP_OK;
	rp_result *r = NULL;
	uint64_t *cand = NULL;
	uint8_t *want = NULL;
	size_t ncand = 0;
	rp_work w;
	rp_question q;
	double align_s = 0; /* verified in runs: related in the same pass */
	int related = 0;

	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	RETURN_ERROR_IF(!c, RP_EINVAL);
	FORWARD_IF_ERROR(texts_still_here(c));
	FORWARD_IF_ERROR(rp_question_resolve(&q, c, qin));
	memset(&w, 0, sizeof(w));
	size_t nd = c->ndocs;

	/* 1. The analysis, with what this question needs. */
	rp_need need = need_of(c, &q);
	if (given) {
		/* Only the base pass: the candidates are known. */
		need.sign = 0;
		need.sample_cap = 0;
		need.winnow_w = given->pcand ? 1 : 0;
		GOTO_IF_ERROR(rp_analysis_ensure(c, NULL, &w));
	} else {
		GOTO_IF_ERROR(rp_analysis_ensure(c, &need, &w));
	}
	rp_analysis *an = c->an;
	GOTO_IF_ERROR(rp_result_new(&r, c, &q));

	/* 2. Candidates, the sets they need, and verification. */
	double t1 = rp_now();
	want = calloc(nd + 1, 1);
	GOTO_IF(!want, RP_ENOMEM);
	if (given) {
		cand = reallocarray(NULL, given->ncand + 1, sizeof(*cand));
		GOTO_IF(!cand, RP_ENOMEM);
		if (given->ncand)
			memcpy(cand, given->cand, given->ncand * sizeof(*cand));
		ncand = given->ncand;
		unsigned b, rw;
		GOTO_IF_ERROR(question_banding(&b, &rw, c, &q));
		banding_stats(r, b, rw);
		r->stats.contain_candidates = given->npcand;
		for (size_t i = 0; i < ncand; i++)
			want[RP_PAIR_A(cand[i])] = want[RP_PAIR_B(cand[i])] = 1;
	} else if (!q.exact) {
		GOTO_IF_ERROR(candidates(&cand, &ncand, r, &need, &w));
		for (size_t i = 0; i < ncand; i++)
			want[RP_PAIR_A(cand[i])] = want[RP_PAIR_B(cand[i])] = 1;
	} else {
		memcpy(want, an->active, nd);
	}
	double t2 = rp_now();
	/* (the last question to read the texts is past the stages that
	 * set things aside: their files go) */
	rp_corpus_stages_done(c);
	int passages = need.winnow_w != 0;
	if (!q.exact && q.release && c->memory) {
		/* Under the memory bound, in runs of candidates, each run
		 * related as it is verified. */
		r->stats.seconds_candidates = t2 - t1;
		GOTO_IF_ERROR(verify_in_runs(r, c, &q, cand, ncand,
					     given ? given->pcand
					     : passages ? an->pcand : NULL,
					     given ? given->npcand
					     : passages ? an->npcand : 0, want,
					     &w, &align_s));
		/* (what the runs' pass did not spend relating pairs) */
		r->stats.seconds_verify = rp_now() - t2 - align_s;
		related = 1;
		goto verified;
	}
	GOTO_IF_ERROR(rp_analysis_sets(c, want, &w));
	rp_sets S = { (const uint64_t *const *)an->sets, an->nsets, nd };
	t2 = rp_now();
	if (q.exact && !given) {
		GOTO_IF_ERROR(rp_exact_pairs(&r->pairs, &r->npairs, &ncand, &S,
					     q.threshold, q.containment));
		r->stats.seconds_candidates = rp_now() - t1;
	} else {
		r->stats.seconds_candidates = t2 - t1;
		GOTO_IF_ERROR(rp_verify(&r->pairs, &r->npairs,
					q.min_passage ? &r->tent : NULL, &S,
					cand, ncand,
					given ? given->pcand
					      : passages ? an->pcand : NULL,
					given ? given->npcand
					      : passages ? an->npcand : 0,
					passage_shingles(c, &q), q.threshold,
					q.containment, c->ao.threads));
		r->stats.seconds_verify = rp_now() - t2;
	}
verified:
	if (q.release)
		rp_analysis_release_sets(an, nd);
	r->stats.candidates = ncand;
	if (!related)
		rp_filter_pairs(r);

	/* 3. Relations, sources and, unless turned off, aligned passages
	 * (done run by run when verified in runs). */
	t1 = rp_now();
	GOTO_IF_ERROR(rp_result_alloc_pairs(r));
	if (!related)
		GOTO_IF_ERROR(rp_relate_pairs(r, 0));
	rp_drop_pairs(r);
	free(r->tent);
	r->tent = NULL;
	r->stats.pairs = r->npairs;
	r->stats.seconds_align = rp_now() - t1 + align_s;
	/* (the last question to read the texts has: their files go) */
	rp_corpus_texts_read(c);

	/* 4. Clusters. */
	t1 = rp_now();
	GOTO_IF_ERROR(rp_result_cluster_all(r));
	r->stats.seconds_cluster = rp_now() - t1;
	fill_stats(r, c, &w);
	*out = r;
	r = NULL;
cleanup:
	fail(c, err);
	/* (a last reading question that failed once its stages' file went:
	 * no other question may look for what that file held) */
	if (err < 0 && c->stages_gone)
		c->texts_gone = 1;
	rp_result_free(r);
	free(want);
	free(cand);
	return err;
}

int rp_corpus_ask(rp_result **out, rp_corpus *c, const rp_question *q)
{
	return ask(out, c, q, NULL);
}

int rp_corpus_ask_given(rp_result **out, rp_corpus *c, const rp_question *q,
			const uint64_t *cand, size_t ncand,
			const uint64_t *pcand, size_t npcand)
{
	given_cands g = { cand, pcand, ncand, npcand };
	return ask(out, c, q, &g);
}

int rp_question_check(rp_corpus *c, const rp_question *q)
{
	rp_question resolved;
	RETURN_ERROR_IF(!c, RP_EINVAL);
	return rp_question_resolve(&resolved, c, q);
}

int rp_scan(rp_result **out, rp_corpus *c)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	RETURN_ERROR_IF(!c, RP_EINVAL);
	return rp_corpus_ask(out, c, &c->q0);
}

/* Why question q reports the scored pair p, or why not, once related. */
static void judge(rp_result *r, int passed, int tentative)
{
	const rp_pair *p = &r->pairs[0];
	const char *filtered = rp_pair_filtered(r, p);
	r->verdict = 0;
	if (!passed && !tentative)
		r->why = r->q.min_passage > 0 && !r->q.exact
				 ? "scores below the thresholds, and too few "
				   "shared shingles for a passage"
				 : "scores below the thresholds";
	else if (tentative && r->tent[0] == TENT_DROP)
		r->why = "scores below the thresholds, and no shared passage "
			 "of min_passage unedited words (one edited word in "
			 "30 allowed) with the same figures";
	else if (p->relation == RP_REL_TEMPLATE && !r->q.keep_templates)
		r->why = "a template: the texts differ only in figures, or "
			 "their shared passages change figures once every "
			 "30 words or more often";
	else if (filtered)
		r->why = filtered;
	else {
		r->verdict = 1;
		r->why = !passed ? "a shared passage of min_passage words or more"
			 : rp_pair_passes(p, r->q.threshold, 0)
				 ? "Jaccard at or above the threshold"
				 : "containment at or above the threshold";
	}
}

int rp_corpus_compare(rp_result **out, rp_corpus *c, size_t a, size_t b,
		      const rp_question *qin)
{
	int err = RP_OK;
	rp_result *r = NULL;
	uint8_t *want = NULL;
	rp_work w;
	rp_question q;

	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	RETURN_ERROR_IF(!c, RP_EINVAL);
	if (a >= c->ndocs || b >= c->ndocs || a == b) {
		rp_corpus_set_error(c, "compare needs two different documents "
				    "of the collection (got %zu and %zu of %zu)",
				    a, b, c->ndocs);
		return RP_EINVAL;
	}
	FORWARD_IF_ERROR(rp_question_resolve(&q, c, qin));
	memset(&w, 0, sizeof(w));
	size_t lo = RP_MIN(a, b), hi = RP_MAX(a, b);

	/* The analysis the collection's questions see: chrome, the base
	 * pass (character texts, texts kept whole), the two sets. */
	GOTO_IF_ERROR(rp_analysis_ensure(c, NULL, &w));
	rp_analysis *an = c->an;
	for (int k = 0; k < 2; k++) {
		size_t d = k ? hi : lo;
		if (!an->active[d]) {
			rp_corpus_set_error(c, "document '%s' has no words to "
					    "compare", c->docs[d].id);
			return RP_EINPUT;
		}
	}
	want = calloc(c->ndocs + 1, 1);
	GOTO_IF(!want, RP_ENOMEM);
	want[lo] = want[hi] = 1;
	GOTO_IF_ERROR(rp_analysis_sets(c, want, &w));
	GOTO_IF_ERROR(rp_result_new(&r, c, &q));
	r->compared = 1;
	r->cmp_a = lo;
	r->cmp_b = hi;
	rp_sets S = { (const uint64_t *const *)an->sets, an->nsets, c->ndocs };
	rp_pair p;
	rp_score_pair(&p, &S, lo, hi);
	if (p.shared == 0) {
		r->verdict = 0;
		r->why = "no shared shingle";
	} else {
		int passed = rp_pair_passes(&p, q.threshold, q.containment);
		int tentative = !passed && !q.exact && q.min_passage > 0 &&
				p.shared >= passage_shingles(c, &q);
		r->pairs = malloc(sizeof(*r->pairs));
		r->tent = calloc(1, 1);
		GOTO_IF(!r->pairs || !r->tent, RP_ENOMEM);
		r->pairs[0] = p;
		r->npairs = 1;
		r->tent[0] = tentative ? TENT_PASSAGE : TENT_NONE;
		GOTO_IF_ERROR(rp_result_alloc_pairs(r));
		GOTO_IF_ERROR(rp_relate_pairs(r, 1));
		judge(r, passed, tentative);
		r->stats.pairs = (size_t)r->verdict;
	}
	fill_stats(r, c, &w);
	*out = r;
	r = NULL;
cleanup:
	fail(c, err);
	rp_result_free(r);
	free(want);
	return err;
}

int rp_learn_boilerplate(rp_result **out, rp_corpus *c)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	RETURN_ERROR_IF(!c, RP_EINVAL);
	rp_work w;
	rp_question q;
	memset(&w, 0, sizeof(w));
	FORWARD_IF_ERROR(rp_question_resolve(&q, c, &c->q0));
	FORWARD_IF_ERROR(fail(c, rp_analysis_learn(c, &w)));
	rp_result *r = NULL;
	FORWARD_IF_ERROR(rp_result_new(&r, c, &q));
	r->stats.documents = c->ndocs;
	r->stats.chrome_lines = c->an->boil.chrome_lines;
	r->stats.docs_stripped = c->an->boil.docs_stripped;
	r->stats.bytes_excluded = c->an->boil.bytes_excluded;
	r->stats.seconds_boilerplate = w.seconds_boilerplate;
	*out = r;
	return RP_OK;
}
