/* Fuzz target: one collection, many questions. A small fuzzed collection
 * (documents separated by 0xFF bytes, outlets alternating, some dated) is
 * read once and asked three questions; each answer must equal the answer
 * of a fresh collection asked that question alone, and the answer of one
 * under a 4 KiB memory bound asked it with release set (verification in
 * runs, beside alignment). A question that needs
 * nothing new (threshold and filters only) must not shingle or sign again,
 * and rp_corpus_compare must give every pair of the first answer its
 * scores, relation and source, with a verdict that reports it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

#define NQ 3

/* bound: a memory bound for the collection (0: none). */
static rp_corpus *collection(const unsigned char *data, size_t size,
			     size_t bound)
{
	rp_corpus *c = NULL;
	if (rp_corpus_new(&c, NULL) != RP_OK)
		abort();
	if (bound && rp_corpus_set_memory(c, bound, NULL) != RP_OK)
		abort();
	rp_analysis_options ao;
	rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
	ao.threads = 1;
	if (rp_corpus_configure(c, &ao) != RP_OK)
		abort();
	size_t start = 0, n = 0;
	char id[32], date[16];
	for (size_t i = 0; i <= size && n < 64; i++) {
		if (i < size && data[i] != 0xFF)
			continue;
		/* Dates on two documents of three: 2026-01-01 .. 2026-01-07,
		 * so that a window of one day keeps some pairs, not all. */
		int dated = n % 3 != 2;
		snprintf(date, sizeof(date), "2026-01-0%zu", n % 7 + 1);
		snprintf(id, sizeof(id), "d%zu", n);
		rp_doc_input in = { id, strlen(id), (const char *)data + start,
				    i - start, NULL, 0, n % 2 ? "x" : "y", 1,
				    dated ? date : NULL, dated ? strlen(date) : 0,
				    "fuzz", n + 1 };
		rp_corpus_add(c, &in);
		n++;
		start = i + 1;
	}
	return c;
}

static rp_result *ask(rp_corpus *c, const rp_question *q)
{
	rp_result *r = NULL;
	if (rp_corpus_ask(&r, c, q) != RP_OK || !r)
		abort();
	return r;
}

/* The same answer: pairs with every score, relation, source and passage,
 * and clusters. */
static void same(const rp_result *x, const rp_result *y)
{
	size_t n = rp_result_pair_count(x);
	if (n != rp_result_pair_count(y))
		abort();
	const rp_pair *px = rp_result_pairs(x), *py = rp_result_pairs(y);
	for (size_t i = 0; i < n; i++) {
		if (px[i].a != py[i].a || px[i].b != py[i].b ||
		    px[i].jaccard != py[i].jaccard ||
		    px[i].containment_a != py[i].containment_a ||
		    px[i].containment_b != py[i].containment_b ||
		    px[i].relation != py[i].relation ||
		    px[i].source != py[i].source ||
		    px[i].shared_words != py[i].shared_words ||
		    px[i].passages != py[i].passages)
			abort();
		const rp_passage *sx, *sy;
		size_t nx, ny;
		rp_result_passages(&sx, &nx, x, i);
		rp_result_passages(&sy, &ny, y, i);
		if (nx != ny)
			abort();
		for (size_t k = 0; k < nx; k++)
			if (sx[k].a_start != sy[k].a_start ||
			    sx[k].a_end != sy[k].a_end ||
			    sx[k].b_start != sy[k].b_start ||
			    sx[k].b_end != sy[k].b_end)
				abort();
	}
	size_t nc = rp_result_cluster_count(x);
	if (nc != rp_result_cluster_count(y))
		abort();
	for (size_t i = 0; i < nc; i++) {
		rp_cluster cx, cy;
		rp_result_cluster(&cx, x, i);
		rp_result_cluster(&cy, y, i);
		if (cx.count != cy.count ||
		    memcmp(cx.members, cy.members, cx.count * sizeof(size_t)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	rp_question q[NQ];
	for (int i = 0; i < NQ; i++)
		rp_question_init(&q[i], RP_QUESTION_VERSION);
	/* q[0]: the defaults. q[1]: threshold and filters only (needs
	 * nothing new). q[2]: other passages and scattered containment. */
	q[1].threshold = 0.8;
	q[1].cross_outlet = 1;
	q[1].window = 86400;
	q[2].min_passage = 12;
	q[2].containment = 0.3;

	rp_corpus *c = collection(data, size, 0);
	rp_result *r[NQ];
	for (int i = 0; i < NQ; i++)
		r[i] = ask(c, &q[i]);

	rp_scan_stats s;
	rp_result_stats(&s, r[1]);
	if (s.docs_signed != 0 || s.docs_shingled != 0)
		abort();
	rp_result_stats(&s, r[2]);
	if (s.docs_signed != 0) /* the signatures of q[0] serve */
		abort();

	for (int i = 0; i < NQ; i++) {
		rp_corpus *alone = collection(data, size, 0);
		rp_result *ra = ask(alone, &q[i]);
		same(r[i], ra);
		rp_result_free(ra);
		rp_corpus_free(alone);
		/* Under a 4 KiB bound, released: texts spooled, candidates
		 * verified in runs of a few, each in the pass that aligns
		 * it (sets made from alignment's tokens). */
		rp_corpus *bounded = collection(data, size, 4096);
		rp_question qr = q[i];
		qr.release = 1;
		rp_result *rb = ask(bounded, &qr);
		same(r[i], rb);
		rp_result_free(rb);
		rp_corpus_free(bounded);
	}

	const rp_pair *p = rp_result_pairs(r[0]);
	size_t np = rp_result_pair_count(r[0]);
	for (size_t i = 0; i < np; i++) {
		rp_result *rc = NULL;
		const char *why = NULL;
		if (rp_corpus_compare(&rc, c, p[i].b, p[i].a, &q[0]) != RP_OK ||
		    rp_result_pair_count(rc) != 1)
			abort();
		const rp_pair *pc = rp_result_pairs(rc);
		if (pc->a != p[i].a || pc->b != p[i].b ||
		    pc->jaccard != p[i].jaccard ||
		    pc->containment_a != p[i].containment_a ||
		    pc->containment_b != p[i].containment_b ||
		    pc->relation != p[i].relation || pc->source != p[i].source ||
		    rp_result_verdict(rc, &why) != 1)
			abort();
		rp_result_free(rc);
	}

	for (int i = 0; i < NQ; i++)
		rp_result_free(r[i]);
	rp_corpus_free(c);
	return 0;
}
