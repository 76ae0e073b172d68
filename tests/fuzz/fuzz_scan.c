/* Fuzz target: scan a small fuzzed collection (documents separated by
 * 0xFF bytes) and check it against the exact search: every LSH pair is an
 * exact pair, with Jaccard >= the threshold; passages lie inside the
 * texts. */
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

static rp_result *scan(const unsigned char *data, size_t size, int exact,
		       rp_corpus **cp)
{
	rp_options o = RP_OPTIONS_INIT;
	o.threads = 1;
	o.exact = exact;
	o.threshold = 0.3;
	o.containment = 0;
	o.min_passage = 0; /* the exact search knows no passages */
	rp_corpus *c = NULL;
	if (rp_corpus_new(&c, &o) < 0)
		abort();
	size_t start = 0, n = 0;
	char id[32];
	for (size_t i = 0; i <= size && n < 64; i++) {
		if (i < size && data[i] != 0xFF)
			continue;
		snprintf(id, sizeof(id), "d%zu", n++);
		rp_doc_input in = { id, strlen(id), (const char *)data + start,
				    i - start, NULL, 0, i % 3 ? "x" : "y", 1,
				    NULL, 0, "fuzz", n };
		rp_corpus_add(c, &in);
		start = i + 1;
	}
	rp_result *r = NULL;
	if (rp_scan(&r, c) != RP_OK)
		abort();
	*cp = c;
	return r;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	rp_corpus *cl, *ce;
	rp_result *rl = scan(data, size, 0, &cl), *re = scan(data, size, 1, &ce);
	const rp_pair *pl = rp_result_pairs(rl), *pe = rp_result_pairs(re);
	size_t nl = rp_result_pair_count(rl), ne = rp_result_pair_count(re), j = 0;
	for (size_t i = 0; i < nl; i++) {
		while (j < ne && (pe[j].a < pl[i].a ||
				  (pe[j].a == pl[i].a && pe[j].b < pl[i].b)))
			j++;
		if (j >= ne || pe[j].a != pl[i].a || pe[j].b != pl[i].b ||
		    pe[j].jaccard != pl[i].jaccard || pl[i].jaccard < 0.3 - 1e-9)
			abort();
		const rp_passage *ps;
		size_t np;
		rp_doc_info da, db;
		rp_result_passages(&ps, &np, rl, i);
		rp_corpus_doc(&da, cl, pl[i].a);
		rp_corpus_doc(&db, cl, pl[i].b);
		for (size_t k = 0; k < np; k++)
			if (ps[k].a_start > ps[k].a_end || ps[k].a_end > da.text_len ||
			    ps[k].b_start > ps[k].b_end || ps[k].b_end > db.text_len)
				abort();
	}
	rp_result_free(rl);
	rp_result_free(re);
	rp_corpus_free(cl);
	rp_corpus_free(ce);
	return 0;
}
