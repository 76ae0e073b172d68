/* Fuzz target: bytes as an index file. rp_index_open refuses or opens it;
 * an open index is checked, counted and loaded into a corpus, and asked
 * once. Nothing may crash, and a refused file must be left as it was
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
