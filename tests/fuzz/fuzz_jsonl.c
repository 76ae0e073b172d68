/* Fuzz target: the JSONL reader (through the input layer: gzip and zstd
 * by their magic, UTF-16 and binary data sniffed), then a scan of what it
 * accepted. Invariants: every non-blank line is a document or a
 * rejection, plus at most one rejection of the stream itself; every
 * reported pair meets the Jaccard or the containment threshold, or shares
 * a passage of at least min_passage unedited words; the same records
 * read under a tiny memory bound, on two threads (a producer reading and
 * parsing ahead of the adding thread), give the same documents and
 * pairs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	rp_options o = RP_OPTIONS_INIT;
	o.threads = 1;
	o.max_doc_bytes = 1 << 16;
	rp_corpus *c = NULL;
	if (rp_corpus_new(&c, &o) < 0)
		return 0;
	FILE *fp = fmemopen((void *)data, size, "r");
	if (size && fp) {
		rp_corpus_read_jsonl(c, fp, "fuzz", NULL);
		fclose(fp);
	}
	/* Every record is a document or a rejection; a stream may add one
	 * rejection of its own (binary or UTF-16 data, corrupt gzip or
	 * zstd, a read error), which is no record. */
	size_t seen = rp_corpus_records_seen(c),
	       accounted = rp_corpus_count(c) + rp_corpus_reject_count(c);
	if (seen > accounted || accounted - seen > 1)
		abort();
	rp_result *r = NULL;
	if (rp_scan(&r, c) == RP_OK) {
		const rp_pair *p = rp_result_pairs(r);
		/* Each pair is reported by Jaccard or by containment. */
		for (size_t i = 0; i < rp_result_pair_count(r); i++) {
			int by_j = p[i].jaccard >= o.threshold - 1e-9;
			int by_c = (p[i].size_a >= RP_CONTAIN_MIN_SHINGLES &&
				    p[i].containment_a >= o.containment - 1e-9) ||
				   (p[i].size_b >= RP_CONTAIN_MIN_SHINGLES &&
				    p[i].containment_b >= o.containment - 1e-9);
			/* By a passage: one with min_passage unedited words
			 * (its longest unedited run is at most that many). */
			int by_p = 0;
			const rp_passage *ps;
			size_t np = 0;
			rp_result_passages(&ps, &np, r, i);
			for (size_t k = 0; k < np && o.min_passage; k++)
				by_p |= ps[k].words_a - ps[k].deleted - ps[k].substituted >=
					o.min_passage;
			if (!(by_j || by_c || by_p) || p[i].a >= p[i].b)
				abort();
		}
	}
	rp_result_free(r);
	r = NULL;

	/* The same records under a memory bound so small that every stage
	 * takes its bounded path (texts in the temporary file, fingerprints
	 * in many parts, candidates verified one run at a time): the same
	 * answer as without it, pair for pair. */
	rp_corpus *cb = NULL;
	rp_result *ra = NULL, *rb = NULL;
	rp_options o2 = o;
	o2.threads = 2;
	if (rp_corpus_new(&cb, &o2) == RP_OK &&
	    rp_corpus_set_memory(cb, 4096, NULL) == RP_OK) {
		fp = fmemopen((void *)data, size, "r");
		if (size && fp) {
			rp_corpus_read_jsonl(cb, fp, "fuzz", NULL);
			fclose(fp);
		}
		/* (c was scanned: its rejects count texts without words) */
		if (rp_corpus_count(cb) != rp_corpus_count(c) ||
		    rp_corpus_records_seen(cb) != rp_corpus_records_seen(c))
			abort();
		for (size_t i = 0; i < rp_corpus_count(c); i++) {
			rp_doc_info x, y;
			if (rp_corpus_doc(&x, c, i) != RP_OK ||
			    rp_corpus_doc(&y, cb, i) != RP_OK ||
			    strcmp(x.id, y.id) != 0 || x.line != y.line ||
			    x.text_len != y.text_len ||
			    memcmp(x.text, y.text, x.text_len) != 0)
				abort();
		}
		rp_question q;
		rp_question_init(&q, RP_QUESTION_VERSION);
		q.release = 1;
		int ea = rp_corpus_ask(&ra, c, &q), eb = rp_corpus_ask(&rb, cb, &q);
		/* (a temporary file that cannot be written is no finding) */
		if (eb != RP_ETEMP && (ea == RP_OK) != (eb == RP_OK))
			abort();
		if (ea == RP_OK && eb == RP_OK) {
			size_t n = rp_result_pair_count(ra);
			const rp_pair *pa = rp_result_pairs(ra),
				      *pb = rp_result_pairs(rb);
			if (rp_result_pair_count(rb) != n)
				abort();
			for (size_t i = 0; i < n; i++)
				if (pa[i].a != pb[i].a || pa[i].b != pb[i].b ||
				    pa[i].jaccard != pb[i].jaccard ||
				    pa[i].containment_a != pb[i].containment_a ||
				    pa[i].containment_b != pb[i].containment_b ||
				    pa[i].relation != pb[i].relation)
					abort();
		}
	}
	rp_result_free(ra);
	rp_result_free(rb);
	rp_corpus_free(cb);
	rp_corpus_free(c);
	return 0;
}
