/* Fuzz target: bytes as one file of a work folder of the stages over
 * shards. A real folder is made once (a small news collection, two parts,
 * every stage run); each input replaces one of its files - the first byte
 * picks which - by the rest of the bytes: with a valid header and
 * checksums (so the payload's reading is what is tested), or as they are
 * when the byte's top bit is set (the header's checks). The stages that
 * read that file then run, and every stage after them. Nothing may
 * crash; a stage either fails with a message or succeeds, and a finished
 * result's pairs name two documents (a < b) and its passages and edits
 * lie inside their texts. Seeds: the real files (FUZZ_SHARD_SEEDS=DIR
 * writes them there). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reprint.h"
#include "shardfile.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

static const struct {
	const char *name;
	unsigned kind;
	int stage;        /* the first stage that reads it */
} FILES[] = {
	{ "read-0.docs", RP_SF_DOCS, 1 },   { "read-1.lines", RP_SF_LINES, 1 },
	{ "chrome", RP_SF_CHROME, 2 },      { "sign-0.keys", RP_SF_KEYS, 3 },
	{ "sign-1.fps", RP_SF_FPS, 3 },     { "sign-0.flags", RP_SF_FLAGS, 4 },
	{ "pairs-0.cands", RP_SF_CANDS, 4 }, { "pairs-0.pents", RP_SF_PENTS, 4 },
	{ "verify-0.pairs", RP_SF_VERIFIED, 5 },
	{ "read-1.texts", RP_SF_TEXTS, 1 },
};
#define NFILES (sizeof(FILES) / sizeof(FILES[0]))

static char dir[64];
static unsigned char *keep[NFILES];
static size_t keeplen[NFILES];
static uint64_t params;

static const char *DOCS =
	"{\"id\":\"a1\",\"outlet\":\"north\",\"date\":\"2026-01-02\",\"text\":\"Menu | Home | Sport\\nThe harbour council voted to build a new deep water berth for the largest container ships after a long debate about the cost and the dredging of the old channel near the lighthouse.\\nRead more from the north daily about the harbour and its ships and the people who work there every day\"}\n"
	"{\"id\":\"a2\",\"outlet\":\"north\",\"date\":\"2026-01-03\",\"text\":\"Menu | Home | Sport\\nTeachers in the city schools will strike next week over pay, the union said, after talks with the ministry ended without an agreement on the new salary scale.\\nRead more from the north daily about the harbour and its ships and the people who work there every day\"}\n"
	"{\"id\":\"a3\",\"outlet\":\"north\",\"date\":\"2026-01-04\",\"text\":\"Menu | Home | Sport\\nThe tram line to the airport opens in spring with twelve new cars.\\nRead more from the north daily about the harbour and its ships and the people who work there every day\"}\n"
	"{\"id\":\"b1\",\"outlet\":\"south\",\"date\":\"2026-01-03\",\"text\":\"The harbour council voted to build a new deep water berth for the largest container ships after a long debate about the cost and the dredging of the old channel near the lighthouse.\\nCopyright south media\"}\n"
	"{\"id\":\"b2\",\"outlet\":\"south\",\"date\":\"2026-01-05\",\"text\":\"Teachers in the city schools will strike next week over pay, the union said.\\nCopyright south media\"}\n"
	"{\"id\":\"b3\",\"outlet\":\"south\",\"text\":\"A museum of old maps opens in the castle, with a room for children and a cafe.\\nCopyright south media\"}\n"
	"{\"id\":\"c1\",\"text\":\"Teachers in the city schools will strike next week over pay, the union said, after talks with the ministry ended without an agreement on the new salary scale. Parents were told to plan ahead.\"}\n"
	"{\"id\":\"a1\",\"text\":\"a duplicate id in the second part\"}\n";

static int run_stages(int from, rp_result **out, rp_corpus **oc)
{
	rp_shard *s = NULL;
	rp_question q;
	rp_analysis_options ao;
	int err = rp_shard_open(&s, dir, NULL, 0);
	rp_question_init(&q, RP_QUESTION_VERSION);
	rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
	ao.threads = 1;
	*out = NULL;
	*oc = NULL;
	for (int stage = from; err == RP_OK && stage <= 6; stage++) {
		rp_corpus *c = NULL;
		if (rp_corpus_new(&c, NULL) < 0 || rp_corpus_configure(c, &ao) < 0)
			abort();
		switch (stage) {
		case 1: rp_shard_chrome(s); break;
		case 2: rp_shard_sign(s, c, &q, 0); break;
		case 3:
			rp_corpus_free(c);
			if (rp_corpus_new(&c, NULL) < 0 ||
			    rp_corpus_configure(c, &ao) < 0)
				abort();
			rp_shard_sign(s, c, &q, 1);
			rp_corpus_free(c);
			if (rp_corpus_new(&c, NULL) < 0 ||
			    rp_corpus_configure(c, &ao) < 0)
				abort();
			rp_shard_pairs(s, c, &q, 0, 1);
			break;
		case 4: rp_shard_verify(s, c, &q, 0, 1); break;
		case 5: break;
		case 6:
			if (rp_shard_finish(s, c, &q, out) == RP_OK) {
				*oc = c;
				c = NULL;
			}
			break;
		}
		rp_corpus_free(c);
	}
	rp_shard_free(s);
	return err;
}

/* The folder goes when the process ends. */
static void remove_folder(void)
{
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_shard: %s left behind\n", dir);
}

static void make_folder(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fuzz-shard-%ld", (long)getpid());
	atexit(remove_folder);
	char in[96];
	snprintf(in, sizeof(in), "%s.jsonl", dir);
	FILE *fp = fopen(in, "wb");
	if (!fp || fputs(DOCS, fp) < 0 || fclose(fp) != 0)
		abort();
	const char par[] = "--\0in.jsonl";
	rp_question q;
	rp_analysis_options ao;
	rp_question_init(&q, RP_QUESTION_VERSION);
	rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
	ao.threads = 1;
	for (unsigned i = 0; i < 2; i++) {
		rp_shard *s = NULL;
		rp_corpus *c = NULL;
		const char *paths[] = { in };
		if (rp_shard_open(&s, dir, par, sizeof(par)) < 0 ||
		    rp_corpus_new(&c, NULL) < 0 || rp_corpus_configure(c, &ao) < 0 ||
		    rp_shard_read(s, c, &q, paths, 1, i, 2, NULL) < 0)
			abort();
		rp_corpus_free(c);
		rp_shard_free(s);
	}
	rp_result *r;
	rp_corpus *c;
	run_stages(1, &r, &c);
	if (!r)
		abort();
	rp_result_free(r);
	rp_corpus_free(c);
	unlink(in);
	const char *seeds = getenv("FUZZ_SHARD_SEEDS");
	for (size_t k = 0; k < NFILES; k++) {
		char path[128];
		snprintf(path, sizeof(path), "%s/%s", dir, FILES[k].name);
		fp = fopen(path, "rb");
		if (!fp)
			abort();
		fseek(fp, 0, SEEK_END);
		keeplen[k] = (size_t)ftell(fp);
		fseek(fp, 0, SEEK_SET);
		keep[k] = malloc(keeplen[k]);
		if (!keep[k] || fread(keep[k], 1, keeplen[k], fp) != keeplen[k])
			abort();
		fclose(fp);
		memcpy(&params, keep[k] + 16, 8);
		if (seeds) {
			snprintf(path, sizeof(path), "%s/seed-%s", seeds, FILES[k].name);
			fp = fopen(path, "wb");
			if (!fp)
				abort();
			/* (the payload: the block checksums after it are
			 * made again when an input is written) */
			uint64_t len;
			memcpy(&len, keep[k] + 24, 8);
			fputc((int)k, fp);
			fwrite(keep[k] + 64, 1, (size_t)len, fp);
			fclose(fp);
		}
	}
}

static void put(const char *name, const unsigned char *p, size_t n)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (!fp || (n && fwrite(p, 1, n, fp) != n) || fclose(fp) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (!*dir)
		make_folder();
	if (size < 1)
		return 0;
	for (size_t k = 0; k < NFILES; k++)
		put(FILES[k].name, keep[k], keeplen[k]);
	size_t k = (data[0] & 0x7f) % NFILES;
	if (data[0] & 0x80) {
		put(FILES[k].name, data + 1, size - 1);
	} else {
		rp_sfw w;
		char err[256];
		if (rp_sfw_open(&w, dir, FILES[k].name, FILES[k].kind, params, err,
				sizeof(err)) < 0)
			abort();
		rp_sfw_bytes(&w, data + 1, size - 1);
		if (rp_sfw_close(&w, 1, err, sizeof(err)) < 0)
			abort();
	}
	rp_result *r;
	rp_corpus *c;
	run_stages(FILES[k].stage, &r, &c);
	if (r) {
		size_t nd = rp_corpus_count(c);
		const rp_pair *pairs = rp_result_pairs(r);
		for (size_t i = 0; i < rp_result_pair_count(r); i++) {
			const rp_pair *p = &pairs[i];
			if (p->a >= p->b || p->b >= nd)
				abort();
			rp_doc_info da, db;
			rp_corpus_doc(&da, c, p->a);
			rp_corpus_doc(&db, c, p->b);
			const rp_passage *ps;
			size_t np;
			if (rp_result_passages(&ps, &np, r, i) != RP_OK)
				abort();
			for (size_t x = 0; x < np; x++)
				if (ps[x].a_end > da.text_len || ps[x].b_end > db.text_len ||
				    ps[x].a_start > ps[x].a_end ||
				    ps[x].b_start > ps[x].b_end)
					abort();
		}
		rp_result_free(r);
		rp_corpus_free(c);
	}
	return 0;
}
