/*
 * bench_index.c - latency of single-article queries against an archive
 * index (reprint index add), through the library as a driver would call
 * it: the index open once, one rp_index_query per article.
 *
 * usage: bench_index DB QUERIES.jsonl [MAX]
 *
 * Each record of QUERIES.jsonl (read with the default field names) is
 * asked alone, with the default question; prints one "name value unit"
 * line per figure: queries, p50, p90, p99 and max latency in ms, the
 * queries answered from the whole archive (another question or too many
 * affected pages: should be 0), archived documents read and candidate
 * pairs per query (mean), pairs found, and the index's size per document
 * beyond its text. Timings are wall-clock on a shared machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "reprint.h"

static void fig(const char *name, double v, const char *unit)
{
	printf("%-28s %12.2f %s\n", name, v, unit);
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_index DB QUERIES.jsonl [MAX]\n");
		return 2;
	}
	size_t max = argc > 3 ? (size_t)atol(argv[3]) : 1000;
	rp_index *ix = NULL;
	rp_analysis_options ao;
	if (rp_index_new(&ix) < 0 ||
	    rp_index_open(ix, argv[1], NULL, RP_INDEX_READONLY) < 0 ||
	    rp_index_analysis(&ao, ix) < 0) {
		fprintf(stderr, "bench_index: %s\n", rp_index_error(ix));
		rp_index_free(ix);
		return 1;
	}
	/* The queries, read once. */
	rp_corpus *all = NULL;
	if (rp_corpus_new(&all, NULL) < 0 || rp_corpus_configure(all, &ao) < 0 ||
	    rp_corpus_read_path(all, argv[2], NULL) < 0) {
		fprintf(stderr, "bench_index: cannot read %s\n", argv[2]);
		return 1;
	}
	size_t n = RP_MIN(max, rp_corpus_count(all));
	double *lat = calloc(n + 1, sizeof(*lat));
	size_t whole = 0, read = 0, cands = 0, pairs = 0, done = 0;
	rp_question q;
	rp_question_init(&q, RP_QUESTION_VERSION);
	for (size_t i = 0; i < n; i++) {
		rp_doc_info d;
		rp_corpus_doc(&d, all, i);
		rp_corpus *one = NULL;
		rp_corpus_new(&one, NULL);
		rp_corpus_configure(one, &ao);
		rp_doc_input in = { d.id, strlen(d.id), d.text, d.text_len,
				    d.title, d.title ? strlen(d.title) : 0,
				    d.outlet, d.outlet ? strlen(d.outlet) : 0,
				    d.date, d.date ? strlen(d.date) : 0,
				    d.source, d.line };
		rp_corpus_add(one, &in);
		rp_corpus *work = NULL;
		rp_result *r = NULL;
		rp_index_query_stats st;
		double t0 = rp_now();
		int err = rp_index_query(ix, one, &q, &work, &r, &st);
		double t = rp_now() - t0;
		if (err < 0) {
			fprintf(stderr, "bench_index: %s\n", rp_index_error(ix));
			return 1;
		}
		lat[done++] = t * 1e3;
		whole += st.why_whole != NULL;
		read += st.archived_read;
		cands += st.candidates;
		pairs += rp_result_pair_count(r);
		rp_result_free(r);
		rp_corpus_free(work);
		rp_corpus_free(one);
	}
	qsort(lat, done, sizeof(*lat), cmp_d);
	rp_index_stats is;
	rp_index_get_stats(&is, ix);
	fig("archive_documents", (double)is.documents, "docs");
	fig("queries", (double)done, "docs");
	if (done) {
		fig("latency_p50", lat[done / 2], "ms");
		fig("latency_p90", lat[done * 9 / 10], "ms");
		fig("latency_p99", lat[RP_MIN(done - 1, done * 99 / 100)], "ms");
		fig("latency_max", lat[done - 1], "ms");
		fig("answered_from_whole", (double)whole, "queries");
		fig("archived_read_mean", (double)read / (double)done, "docs");
		fig("candidates_mean", (double)cands / (double)done, "pairs");
	}
	fig("pairs_found", (double)pairs, "pairs");
	if (is.documents)
		fig("bytes_per_doc_beyond_text",
		    ((double)is.file_bytes - (double)is.text_bytes) /
			    (double)is.documents, "B");
	free(lat);
	rp_corpus_free(all);
	rp_index_free(ix);
	return 0;
}
