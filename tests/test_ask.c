/* One collection, many questions: a collection read and analysed once
 * answers each question as a separate run does, without shingling or
 * signing again; compare is a view of the same collection; options are
 * validated with messages that name the field. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "spool.h"
#include "testutil.h"

static const char *samples(void)
{
	const char *s = getenv("REPRINT_SAMPLES");
	cr_assert_not_null(s, "REPRINT_SAMPLES must name samples/");
	return s;
}

/* samples/ and the news fixture (learned chrome) in one collection. */
static rp_corpus *read_collection(const rp_analysis_options *ao)
{
	char fixture[4096];
	rp_corpus *c = NULL;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	if (ao)
		cr_assert_eq(rp_corpus_configure(c, ao), RP_OK, "%s",
			     rp_corpus_error(c));
	snprintf(fixture, sizeof(fixture), "%s/../tests/fixtures/news-folder",
		 samples());
	cr_assert_eq(rp_corpus_read_path(c, samples(), NULL), RP_OK);
	rp_read_options ro = RP_READ_OPTIONS_INIT;
	cr_assert_eq(rp_corpus_read_path(c, fixture, &ro), RP_OK);
	cr_assert_eq(rp_corpus_reject_count(c), 0);
	return c;
}

static rp_result *ask(rp_corpus *c, const rp_question *q)
{
	rp_result *r = NULL;
	int err = rp_corpus_ask(&r, c, q);
	cr_assert_eq(err, RP_OK, "ask: %s", rp_corpus_error(c));
	return r;
}

/* Two results of the same question are the same answer: pairs with every
 * score, relation, source and passage, and clusters. */
static void assert_same(const rp_result *x, const rp_result *y,
			const char *what)
{
	size_t n = rp_result_pair_count(x);
	cr_assert_eq(n, rp_result_pair_count(y), "%s: %zu pairs against %zu",
		     what, n, rp_result_pair_count(y));
	const rp_pair *px = rp_result_pairs(x), *py = rp_result_pairs(y);
	for (size_t i = 0; i < n; i++) {
		cr_assert(px[i].a == py[i].a && px[i].b == py[i].b, "%s: pair %zu", what, i);
		cr_assert(px[i].jaccard == py[i].jaccard &&
			  px[i].containment_a == py[i].containment_a &&
			  px[i].containment_b == py[i].containment_b &&
			  px[i].relation == py[i].relation &&
			  px[i].source == py[i].source &&
			  px[i].shared_words == py[i].shared_words &&
			  px[i].passages == py[i].passages,
			  "%s: pair %zu differs", what, i);
		const rp_passage *sx, *sy;
		size_t nx, ny;
		rp_result_passages(&sx, &nx, x, i);
		rp_result_passages(&sy, &ny, y, i);
		cr_assert_eq(nx, ny);
		for (size_t k = 0; k < nx; k++)
			cr_assert(sx[k].a_start == sy[k].a_start &&
				  sx[k].b_end == sy[k].b_end &&
				  sx[k].edit_count == sy[k].edit_count,
				  "%s: pair %zu passage %zu", what, i, k);
	}
	size_t nc = rp_result_cluster_count(x);
	cr_assert_eq(nc, rp_result_cluster_count(y), "%s: clusters", what);
	for (size_t i = 0; i < nc; i++) {
		rp_cluster cx, cy;
		rp_result_cluster(&cx, x, i);
		rp_result_cluster(&cy, y, i);
		cr_assert_eq(cx.count, cy.count, "%s: cluster %zu", what, i);
		cr_assert_eq(memcmp(cx.members, cy.members,
				    cx.count * sizeof(size_t)), 0);
	}
}

/* A question answered by a collection of its own, read and analysed for
 * it alone. */
static rp_result *separate(rp_corpus **keep, const rp_question *q)
{
	*keep = read_collection(NULL);
	return ask(*keep, q);
}

Test(ask, one_collection_answers_many_questions_as_separate_runs)
{
	rp_corpus *c = read_collection(NULL);
	size_t n = rp_corpus_count(c);

	/* 1. The defaults: the first question analyses the collection. */
	rp_question q1;
	rp_question_init(&q1, RP_QUESTION_VERSION);
	rp_result *r1 = ask(c, &q1);
	rp_scan_stats s1;
	rp_result_stats(&s1, r1);
	cr_assert_eq(s1.docs_shingled, n, "first question shingles every document");
	cr_assert_eq(s1.docs_signed, n);
	cr_assert_gt(s1.sets_built, 0);
	cr_assert_gt(s1.chrome_lines, 0, "the fixture's outlets teach chrome");
	cr_assert_gt(rp_result_pair_count(r1), 10);

	/* 2. Threshold 0.8, other outlets only, within two days. */
	rp_question q2;
	rp_question_init(&q2, RP_QUESTION_VERSION);
	q2.threshold = 0.8;
	q2.cross_outlet = 1;
	q2.window = 2 * 86400;
	rp_result *r2 = ask(c, &q2);
	rp_scan_stats s2;
	rp_result_stats(&s2, r2);
	cr_assert_eq(s2.docs_shingled, 0, "no document shingled again");
	cr_assert_eq(s2.docs_signed, 0, "no document signed again");
	cr_assert_eq(s2.sets_built, 0, "the sets of the first question serve");
	cr_assert_neq(s2.bands, s1.bands, "banding follows the threshold");
	cr_assert_gt(s2.filtered, 0, "the filters leave pairs out");

	/* 3. Jaccard only, no alignment, kept templates. */
	rp_question q3;
	rp_question_init(&q3, RP_QUESTION_VERSION);
	q3.containment = RP_OFF;
	q3.min_passage = RP_OFF;
	q3.align = RP_OFF;
	q3.keep_templates = 1;
	rp_result *r3 = ask(c, &q3);
	rp_scan_stats s3;
	rp_result_stats(&s3, r3);
	cr_assert_eq(s3.docs_shingled + s3.docs_signed, 0);
	cr_assert_lt(rp_result_pair_count(r3), rp_result_pair_count(r1));

	/* 4. Passages of 40 words: fingerprints for another window, one
	 * more pass, still no signing. */
	rp_question q4;
	rp_question_init(&q4, RP_QUESTION_VERSION);
	q4.min_passage = 40;
	rp_result *r4 = ask(c, &q4);
	rp_scan_stats s4;
	rp_result_stats(&s4, r4);
	cr_assert_eq(s4.docs_signed, 0);
	cr_assert_eq(s4.docs_shingled, s1.documents);

	/* Every answer equals a separate run of its question. */
	const rp_question *qs[] = { &q1, &q2, &q3, &q4 };
	rp_result *rs[] = { r1, r2, r3, r4 };
	for (int i = 0; i < 4; i++) {
		rp_corpus *other;
		rp_result *alone = separate(&other, qs[i]);
		char what[32];
		snprintf(what, sizeof(what), "question %d", i + 1);
		assert_same(rs[i], alone, what);
		rp_result_free(alone);
		rp_corpus_free(other);
	}
	/* The first question asked again, after the others. */
	rp_result *again = ask(c, &q1);
	assert_same(r1, again, "question 1 again");
	rp_result_free(again);
	for (int i = 0; i < 4; i++)
		rp_result_free(rs[i]);

	/* The collection takes no more documents. */
	rp_doc_input in = { "late", 4, "a late text", 11, NULL, 0, NULL, 0,
			    NULL, 0, NULL, 0 };
	cr_assert_eq(rp_corpus_add(c, &in), RP_ESTATE);
	rp_corpus_free(c);
}

Test(ask, a_released_question_is_recomputed_alike)
{
	rp_corpus *c = read_collection(NULL);
	rp_question q;
	rp_question_init(&q, RP_QUESTION_VERSION);
	q.release = 1;
	rp_result *r1 = ask(c, &q);
	q.release = 0;
	rp_result *r2 = ask(c, &q);
	rp_scan_stats s2;
	rp_result_stats(&s2, r2);
	cr_assert_eq(s2.docs_signed, s2.documents, "released signatures are made again");
	cr_assert_gt(s2.sets_built, 0, "released sets are built again");
	assert_same(r1, r2, "released then kept");
	rp_result_free(r1);
	rp_result_free(r2);
	rp_corpus_free(c);
}

/* Under a memory bound a released question verifies its candidates in
 * the pass that relates them, on sets made from the tokens it aligns
 * (rp_verify_relate), in runs, or, its texts on disk, builds each run's
 * sets first (run_on_sets); a kept question builds every set first and
 * verifies, then relates. All give the same answer and counts, whatever
 * the shingles (words, characters, titles shingled with the text: sets
 * then not made of alignment's tokens) and the question (filters,
 * passages, templates), in one run or many. */
Test(ask, verified_beside_alignment_as_on_sets_built_first)
{
	rp_analysis_options ao[3];
	for (int k = 0; k < 3; k++)
		rp_analysis_options_init(&ao[k], RP_ANALYSIS_OPTIONS_VERSION);
	ao[1].include_title = 1;
	ao[2].shingle = RP_SHINGLE_CHAR;
	ao[2].k = 7;
	rp_question q[3];
	for (int k = 0; k < 3; k++)
		rp_question_init(&q[k], RP_QUESTION_VERSION);
	q[1].threshold = 0.8;
	q[1].cross_outlet = 1;
	q[1].window = 2 * 86400;
	q[2].threshold = 0.95; /* (pairs then kept for a passage) */
	q[2].containment = RP_OFF;
	q[2].align = RP_OFF;
	q[2].keep_templates = 1;
	const size_t bounds[] = { (size_t)1 << 20, (size_t)256 << 20 };
	size_t tentative = 0, filtered = 0;
	for (int b = 0; b < 2; b++)
		for (int k = 0; k < 3; k++) {
			rp_corpus *c = NULL;
			cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
			cr_assert_eq(rp_corpus_set_memory(c, bounds[b], NULL), RP_OK);
			cr_assert_eq(rp_corpus_configure(c, &ao[k]), RP_OK);
			char fixture[4096];
			snprintf(fixture, sizeof(fixture),
				 "%s/../tests/fixtures/news-folder", samples());
			cr_assert_eq(rp_corpus_read_path(c, samples(), NULL), RP_OK);
			cr_assert_eq(rp_corpus_read_path(c, fixture, NULL), RP_OK);
			for (int x = 0; x < 3; x++) {
				rp_question qq = q[x];
				qq.release = 1;
				rp_result *beside = ask(c, &qq);
				/* (every spool on disk: the sets first, run by
				 * run) */
				rp_spool_set_disk_from(1);
				cr_assert_eq(rp_corpus_texts_on_disk(c), b == 0,
					     "the 1 MiB bound spools the texts");
				rp_result *runs = ask(c, &qq);
				rp_spool_set_disk_from(0);
				cr_assert_eq(rp_corpus_texts_on_disk(c), 0);
				qq.release = 0;
				rp_result *first = ask(c, &qq);
				char what[64];
				snprintf(what, sizeof(what), "bound %d, options %d, question %d",
					 b, k, x);
				assert_same(beside, first, what);
				assert_same(runs, first, what);
				rp_result_free(runs);
				rp_scan_stats s1, s2;
				rp_result_stats(&s1, beside);
				rp_result_stats(&s2, first);
				cr_assert_eq(s1.filtered, s2.filtered, "%s: filtered", what);
				cr_assert_eq(s1.templates, s2.templates, "%s: templates", what);
				cr_assert_eq(s1.candidates, s2.candidates, "%s", what);
				cr_assert_gt(s1.sets_built, 0, "%s: sets made", what);
				filtered += s1.filtered;
				/* (pairs kept for a passage: more pairs than the
				 * thresholds pass) */
				const rp_pair *p = rp_result_pairs(beside);
				for (size_t i = 0; i < rp_result_pair_count(beside); i++)
					tentative += x == 2 && p[i].jaccard < qq.threshold;
				rp_result_free(beside);
				rp_result_free(first);
			}
			rp_corpus_free(c);
		}
	cr_assert_gt(filtered, 0, "the filters left pairs out");
	cr_assert_gt(tentative, 0, "pairs were kept for a passage");
}

/* Every pair a question reports, compared alone, has its numbers. */
static void compare_every_pair(rp_corpus *c, const rp_question *q)
{
	rp_result *r = ask(c, q);
	const rp_pair *p = rp_result_pairs(r);
	size_t n = rp_result_pair_count(r);
	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		rp_result *one = NULL;
		/* In either order: the pair is the pair. */
		int err = i % 2 ? rp_corpus_compare(&one, c, p[i].b, p[i].a, q)
				: rp_corpus_compare(&one, c, p[i].a, p[i].b, q);
		cr_assert_eq(err, RP_OK, "%s", rp_corpus_error(c));
		cr_assert_eq(rp_result_pair_count(one), 1);
		const rp_pair *x = rp_result_pairs(one);
		rp_doc_info da;
		rp_corpus_doc(&da, c, p[i].a);
		cr_assert(x->a == p[i].a && x->b == p[i].b, "%s", da.id);
		cr_assert(x->jaccard == p[i].jaccard &&
			  x->containment_a == p[i].containment_a &&
			  x->containment_b == p[i].containment_b,
			  "%s: scores %f %f %f against %f %f %f", da.id,
			  x->jaccard, x->containment_a, x->containment_b,
			  p[i].jaccard, p[i].containment_a, p[i].containment_b);
		cr_assert_eq(x->relation, p[i].relation, "%s: relation %s against %s",
			     da.id, rp_relation_name(x->relation),
			     rp_relation_name(p[i].relation));
		cr_assert_eq(x->source, p[i].source, "%s: source", da.id);
		cr_assert_eq(x->shared_words, p[i].shared_words);
		cr_assert_eq(x->passages, p[i].passages);
		const char *why;
		cr_assert_eq(rp_result_verdict(one, &why), 1, "%s: %s", da.id, why);
		rp_result_free(one);
	}
	rp_result_free(r);
}

Test(ask, compare_gives_the_numbers_of_the_collection)
{
	rp_corpus *c = read_collection(NULL);
	rp_question q;
	rp_question_init(&q, RP_QUESTION_VERSION);
	compare_every_pair(c, &q);
	q.threshold = 0.8;
	q.containment = 0.3; /* scattered containment too */
	compare_every_pair(c, &q);
	q.exact = 1;
	compare_every_pair(c, &q);

	/* Two stories of one outlet in one chrome are not a reprint, and
	 * compare says why. */
	size_t a, b;
	cr_assert_eq(rp_corpus_find(&a, c, "harbour-herald/riga-tram-line.txt"), RP_OK);
	cr_assert_eq(rp_corpus_find(&b, c, "harbour-herald/klaipeda-karlshamn-ferry.txt"), RP_OK);
	rp_result *one = NULL;
	cr_assert_eq(rp_corpus_compare(&one, c, a, b, NULL), RP_OK);
	const char *why;
	cr_assert_eq(rp_result_verdict(one, &why), 0);
	cr_assert(strlen(why) > 0);
	rp_result_free(one);

	/* Bad arguments. */
	cr_assert_eq(rp_corpus_compare(&one, c, a, a, NULL), RP_EINVAL);
	cr_assert_null(one);
	cr_assert_eq(rp_corpus_compare(&one, c, a, rp_corpus_count(c), NULL), RP_EINVAL);
	cr_assert_eq(rp_corpus_find(&a, c, "no/such/id.txt"), RP_EINPUT);
	rp_corpus_free(c);
}

Test(ask, options_are_checked_with_a_message_naming_the_field)
{
	rp_corpus *c = NULL;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	rp_analysis_options ao;
	rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
	ao.num_perm = 5000;
	cr_assert_eq(rp_corpus_configure(c, &ao), RP_EINVAL);
	cr_assert(strstr(rp_corpus_error(c), "num_perm"), "%s", rp_corpus_error(c));
	cr_assert(strstr(rp_corpus_error(c), "1..4096"), "%s", rp_corpus_error(c));
	ao.num_perm = 0;
	ao.k = 2000;
	cr_assert_eq(rp_corpus_configure(c, &ao), RP_EINVAL);
	cr_assert(strstr(rp_corpus_error(c), "1..1024"), "%s", rp_corpus_error(c));
	ao.k = 0;
	ao.version = 99;
	cr_assert_eq(rp_corpus_configure(c, &ao), RP_EINVAL);
	cr_assert(strstr(rp_corpus_error(c), "version"), "%s", rp_corpus_error(c));
	rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
	ao.num_perm = 64;
	cr_assert_eq(rp_corpus_configure(c, &ao), RP_OK);

	rp_question q;
	rp_question_init(&q, RP_QUESTION_VERSION);
	q.threshold = 1.5;
	cr_assert_eq(rp_question_check(c, &q), RP_EINVAL);
	cr_assert(strstr(rp_corpus_error(c), "threshold"), "%s", rp_corpus_error(c));
	rp_question_init(&q, RP_QUESTION_VERSION);
	q.bands = 20;
	q.rows = 4;
	cr_assert_eq(rp_question_check(c, &q), RP_EINVAL);
	cr_assert(strstr(rp_corpus_error(c), "num_perm (64)"), "%s", rp_corpus_error(c));
	rp_result *r = NULL;
	cr_assert_eq(rp_corpus_ask(&r, c, &q), RP_EINVAL);
	cr_assert_null(r);
	rp_read_options ro = RP_READ_OPTIONS_INIT;
	ro.max_doc_bytes = (size_t)UINT32_MAX;
	cr_assert_eq(rp_corpus_read_path(c, samples(), &ro), RP_EINVAL);
	cr_assert(strstr(rp_corpus_error(c), "max_doc_bytes"), "%s", rp_corpus_error(c));
	/* Once asked, the analysis options are fixed. */
	cr_assert_eq(rp_corpus_read_path(c, samples(), NULL), RP_OK);
	rp_question_init(&q, RP_QUESTION_VERSION);
	cr_assert_eq(rp_corpus_ask(&r, c, &q), RP_OK);
	rp_result_free(r);
	cr_assert_eq(rp_corpus_configure(c, &ao), RP_ESTATE);
	rp_corpus_free(c);
}

static int stop_at_once(const rp_progress *p, void *ud)
{
	(void)p;
	++*(int *)ud;
	return 1;
}

Test(ask, the_progress_callback_cancels)
{
	/* Enough documents for the sign pass to report progress. */
	rp_corpus *c = NULL;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	int calls = 0;
	rp_analysis_options ao;
	rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
	ao.threads = 1;
	ao.progress = stop_at_once;
	ao.progress_userdata = &calls;
	cr_assert_eq(rp_corpus_configure(c, &ao), RP_OK);
	uint64_t st = 7;
	for (int i = 0; i < 3000; i++) {
		char id[32], text[256];
		snprintf(id, sizeof(id), "d%d", i);
		int len = snprintf(text, sizeof(text), "w%llu w%llu w%llu w%llu w%llu w%llu",
				   (unsigned long long)(tu_rand(&st) % 50),
				   (unsigned long long)(tu_rand(&st) % 50),
				   (unsigned long long)(tu_rand(&st) % 50),
				   (unsigned long long)(tu_rand(&st) % 50),
				   (unsigned long long)(tu_rand(&st) % 50),
				   (unsigned long long)(tu_rand(&st) % 50));
		rp_doc_input in = { id, strlen(id), text, (size_t)len, NULL, 0,
				    NULL, 0, NULL, 0, NULL, 0 };
		cr_assert_eq(rp_corpus_add(c, &in), RP_OK);
	}
	rp_result *r = NULL;
	cr_assert_eq(rp_corpus_ask(&r, c, NULL), RP_ECANCELED);
	cr_assert_null(r);
	cr_assert_eq(calls, 1, "one call, and the run stopped");
	cr_assert_eq(rp_corpus_reject_count(c), 0, "nothing rejected by a canceled pass");
	rp_corpus_free(c);
}
