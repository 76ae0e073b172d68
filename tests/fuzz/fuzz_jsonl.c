/* Fuzz target: the JSONL reader, then a scan of what it accepted.
 * Invariant: every non-blank line is a document or a rejection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

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
	if (rp_corpus_records_seen(c) != rp_corpus_count(c) + rp_corpus_reject_count(c))
		abort();
	rp_result *r = NULL;
	if (rp_scan(&r, c) == RP_OK) {
		const rp_pair *p = rp_result_pairs(r);
		for (size_t i = 0; i < rp_result_pair_count(r); i++)
			if (p[i].jaccard < o.threshold - 1e-9 || p[i].a >= p[i].b)
				abort();
	}
	rp_result_free(r);
	rp_corpus_free(c);
	return 0;
}
