/*
 * bench_stages.c - throughput of each pipeline stage on one JSONL corpus.
 *
 * usage: bench_stages FILE.jsonl [THREADS]
 *
 * Prints one "name value unit" line per figure:
 *   - read: JSONL reading and parsing into the corpus (one thread);
 *   - parse_cjson, parse_fields: the file's lines (up to 256 MB of them)
 *     parsed by cJSON (the tree, the five fields looked up, the tree
 *     freed) and by rp_json_fields (jsonline.h), each on a fresh copy of
 *     the line as the reader makes one, in MB/s of lines; and the share of
 *     lines rp_json_fields answered for (the rest go to cJSON);
 *   - normalize, shingle, sign: each stage alone over every document, one
 *     thread, in MB/s of text (the text is already in memory);
 *   - sets: sorting + deduplicating shingles into sets (what verification
 *     needs), one thread;
 *   - scan_1t, scan_Nt: a whole question (analysis + band + sets + verify
 *     + align + cluster) on 1 and THREADS threads, and their ratio;
 *   - verification (sets + verify + relations/alignment) with and without
 *     passage alignment, and their ratio (the second of two questions of
 *     one collection, each releasing what it computed);
 *   - candidates, pairs, bytes per document of the corpus store.
 * Timings are wall-clock on a shared machine: compare ratios measured in the
 * same run, not absolute numbers across runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cjson/cJSON.h>

#include "corpus.h"
#include "jsonline.h"
#include "minhash.h"
#include "normalize.h"
#include "shingle.h"

static void fig(const char *name, double v, const char *unit)
{
	printf("%-24s %12.2f %s\n", name, v, unit);
}

/* The collection read once per thread count (threads are an analysis
 * option); its questions are then asked of it. */
static rp_corpus *load(const char *path, unsigned threads, double *secs)
{
	rp_analysis_options ao;
	rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
	ao.threads = threads;
	rp_corpus *c = NULL;
	if (rp_corpus_new(&c, NULL) < 0 || rp_corpus_configure(c, &ao) < 0) {
		rp_corpus_free(c);
		return NULL;
	}
	double t0 = rp_now();
	if (rp_corpus_read_path(c, path, NULL) < 0) {
		rp_corpus_free(c);
		return NULL;
	}
	*secs = rp_now() - t0;
	return c;
}

/* The two ways a JSONL line becomes a record's fields, timed on the
 * lines of path (at most 256 MB of them). */
static void parse_figures(const char *path)
{
	static const char *const names[] = { "id", "text", "title", "outlet",
					     "date" };
	size_t cap = (size_t)256 << 20;
	FILE *fp = fopen(path, "rb");
	char *all = fp ? malloc(cap) : NULL;
	if (!all) {
		if (fp)
			fclose(fp);
		return;
	}
	size_t len = fread(all, 1, cap, fp);
	fclose(fp);
	while (len && all[len - 1] != '\n')
		len--; /* whole lines only */
	double t_cjson = 0, t_fields = 0;
	size_t lines = 0, taken = 0, sink = 0;
	char *copy = malloc(len + 1);
	for (size_t at = 0; copy && at < len;) {
		char *nl = memchr(all + at, '\n', len - at);
		size_t n = (size_t)(nl - (all + at));
		lines++;
		double t0 = rp_now();
		memcpy(copy, all + at, n);
		copy[n] = '\0';
		cJSON *o = cJSON_ParseWithLengthOpts(copy, n, NULL, 0);
		for (size_t k = 0; k < 5; k++)
			sink += cJSON_GetObjectItemCaseSensitive(o, names[k]) != NULL;
		cJSON_Delete(o);
		double t1 = rp_now();
		memcpy(copy, all + at, n);
		copy[n] = '\0';
		rp_jfield f[5];
		size_t end = rp_json_fields(copy, n, names, 5, 1, f);
		double t2 = rp_now();
		taken += end != 0;
		sink += end;
		t_cjson += t1 - t0;
		t_fields += t2 - t1;
		at += n + 1;
	}
	double mb = (double)len / 1e6;
	if (lines) {
		fig("parse_cjson", mb / t_cjson, "MB/s");
		fig("parse_fields", mb / t_fields, "MB/s");
		fig("parse_fields_answered", 100.0 * (double)taken / (double)lines, "%");
	}
	if (sink == 1) /* (keeps the work from being optimised away) */
		printf("\n");
	free(all);
	free(copy);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_stages FILE.jsonl [THREADS]\n");
		return 2;
	}
	unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 2;
	printf("build    %s\n", BENCH_BUILD);
	double secs;
	rp_corpus *c = load(argv[1], 1, &secs);
	if (!c) {
		fprintf(stderr, "bench_stages: cannot read %s\n", argv[1]);
		return 1;
	}
	size_t bytes = 0, nd = c->ndocs;
	for (size_t d = 0; d < nd; d++)
		bytes += c->docs[d].text_len;
	double mb = (double)bytes / 1e6;
	fig("documents", (double)nd, "docs");
	fig("text", mb, "MB");
	fig("read_parse", mb / secs, "MB/s");
	parse_figures(argv[1]);

	rp_tokbuf tb;
	rp_shinglebuf sb;
	memset(&tb, 0, sizeof(tb));
	memset(&sb, 0, sizeof(sb));
	uint64_t sig[128], sink = 0;
	double t_norm = 0, t_shingle = 0, t_sign = 0, t_set = 0;
	size_t shingles = 0;
	for (size_t d = 0; d < nd; d++) {
		const rp_doc *doc = &c->docs[d];
		double t0 = rp_now();
		rp_tokenize(&tb, doc->text, doc->text_len, 0);
		double t1 = rp_now();
		rp_shingle_words(&sb, &tb, 5);
		double t2 = rp_now();
		if (sb.n)
			rp_sign_oph(sig, 128, sb.h, sb.n, 1);
		double t3 = rp_now();
		shingles += sb.n;
		rp_shingle_set(&sb);
		double t4 = rp_now();
		t_norm += t1 - t0;
		t_shingle += t2 - t1;
		t_sign += t3 - t2;
		t_set += t4 - t3;
		sink += sig[0] + sb.n;
	}
	fig("normalize", mb / t_norm, "MB/s");
	fig("shingle", mb / t_shingle, "MB/s");
	fig("sign_oph", mb / t_sign, "MB/s");
	fig("normalize+shingle+sign", mb / (t_norm + t_shingle + t_sign), "MB/s");
	fig("sets", mb / t_set, "MB/s");
	fig("shingles_per_doc", (double)shingles / (double)nd, "shingles");
	rp_tokbuf_free(&tb);
	rp_shinglebuf_free(&sb);

	/* Whole questions: on 1 thread (the corpus read above), on THREADS,
	 * and on THREADS again without alignment, for its cost. Each question
	 * releases what it computed, so the next computes it again: every
	 * question here is a whole scan. */
	double scan_secs[3], verify_secs[3];
	unsigned tcount[3] = { 1, threads, threads };
	rp_corpus *cn = load(argv[1], threads, &secs);
	if (!cn) {
		fprintf(stderr, "bench_stages: cannot read %s\n", argv[1]);
		return 1;
	}
	for (int k = 0; k < 3; k++) {
		rp_corpus *cc = k == 0 ? c : cn;
		rp_question q;
		rp_question_init(&q, RP_QUESTION_VERSION);
		q.release = 1;
		q.align = k < 2 ? RP_ON : RP_OFF;
		rp_result *r = NULL;
		double t0 = rp_now();
		if (rp_corpus_ask(&r, cc, &q) < 0) {
			fprintf(stderr, "bench_stages: scan failed: %s\n",
				rp_corpus_error(cc));
			return 1;
		}
		scan_secs[k] = rp_now() - t0;
		rp_scan_stats st;
		rp_result_stats(&st, r);
		verify_secs[k] = st.seconds_candidates + st.seconds_verify +
				 st.seconds_align;
		if (k == 2) {
			fig("verify_no_align_seconds", verify_secs[2], "s");
			fig("verify_align_ratio", verify_secs[1] / verify_secs[2], "x");
			rp_result_free(r);
			continue;
		}
		char name[64];
		snprintf(name, sizeof(name), "scan_%ut", tcount[k]);
		fig(name, mb / scan_secs[k], "MB/s");
		snprintf(name, sizeof(name), "scan_%ut_sign", tcount[k]);
		fig(name, mb / st.seconds_sign, "MB/s");
		if (k == 1) {
			fig("candidates", (double)st.candidates, "pairs");
			fig("verified_pairs", (double)st.pairs, "pairs");
			fig("clusters", (double)st.clusters, "clusters");
			fig("band+sets_seconds", st.seconds_candidates, "s");
			fig("verify_seconds", st.seconds_verify, "s");
			fig("align_seconds", st.seconds_align, "s");
			fig("verify_align_seconds", verify_secs[1], "s");
			fig("cluster_seconds", st.seconds_cluster, "s");
		}
		rp_result_free(r);
	}
	rp_corpus_free(c);
	rp_corpus_free(cn);
	fig("scan_speedup", scan_secs[0] / scan_secs[1], "x");
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fig("peak_rss_process", (double)ru.ru_maxrss / 1024.0, "MB");
	return sink == 42 ? 3 : 0;
}
