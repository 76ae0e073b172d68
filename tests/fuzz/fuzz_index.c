/* Fuzz target: bytes as an index file. rp_index_open refuses or opens it;
 * an open index is checked, counted and loaded into a corpus, and asked
 * once, and three of its texts are queried (two under new ids, one under
 * an archived id). Nothing may crash, and a refused file must be left as it was
 * (no byte changed, no side file left). Seeds: real indexes (the samples
 * in batches), truncated and scribbled ones, other SQLite files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reprint.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char path[64], side[80];
	if (!*path)
		snprintf(path, sizeof(path), "/tmp/fuzz-index-%ld.db", (long)getpid());
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
		abort();
	rp_index *ix = NULL;
	if (rp_index_new(&ix) < 0)
		abort();
	int err = rp_index_open(ix, path, NULL, RP_INDEX_READONLY);
	if (err == RP_OK) {
		rp_index_stats st;
		rp_index_check(ix);
		rp_index_get_stats(&st, ix);
		rp_analysis_options ao;
		rp_index_analysis(&ao, ix);
		ao.threads = 1;
		rp_corpus *c = NULL;
		if (rp_corpus_new(&c, NULL) == RP_OK &&
		    rp_corpus_configure(c, &ao) == RP_OK &&
		    rp_index_load(ix, c) == RP_OK) {
			rp_result *r = NULL;
			if (rp_corpus_ask(&r, c, NULL) == RP_OK)
				rp_result_free(r);
			/* The first archived texts asked again under new ids,
			 * and one archived id: a query reads the kept band
			 * keys, fingerprints and chrome counts. */
			rp_corpus *q = NULL;
			if (rp_corpus_new(&q, NULL) == RP_OK &&
			    rp_corpus_configure(q, &ao) == RP_OK) {
				for (size_t i = 0; i < rp_corpus_count(c) && i < 3; i++) {
					rp_doc_info d;
					rp_corpus_doc(&d, c, i);
					char id[32];
					snprintf(id, sizeof(id), "query-%zu", i);
					const char *use = i == 2 ? d.id : id;
					rp_doc_input in = { use, strlen(use), d.text,
							    d.text_len, d.title,
							    d.title ? strlen(d.title) : 0,
							    d.outlet,
							    d.outlet ? strlen(d.outlet) : 0,
							    d.date, d.date ? strlen(d.date) : 0,
							    "query", i + 1 };
					rp_corpus_add(q, &in);
				}
				rp_corpus *work = NULL;
				if (rp_index_query(ix, q, NULL, &work, &r, NULL) == RP_OK) {
					rp_result_free(r);
					rp_corpus_free(work);
				}
			}
			rp_corpus_free(q);
		}
		rp_corpus_free(c);
	} else {
		/* Refused: the file is as it was. */
		fp = fopen(path, "rb");
		if (!fp)
			abort();
		unsigned char *back = malloc(size + 1);
		size_t got = fread(back, 1, size + 1, fp);
		fclose(fp);
		if (got != size || (size && memcmp(back, data, size) != 0))
			abort();
		free(back);
	}
	rp_index_free(ix);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	unlink(path);
	return 0;
}
