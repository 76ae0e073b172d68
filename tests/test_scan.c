/* Tests of scan.c: end-to-end scans through the public API. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"
#include "boiler.h"
#include "testutil.h"

static const char *STORY =
	"Lithuania will seek the deployment of one battalion of allied troops "
	"in each of the Baltic states, and of brigade-size military equipment "
	"in the region, the president said on Tuesday. Anti-missile and air "
	"defence measures are also among the country's goals, she told "
	"journalists after meeting the alliance's deputy secretary general.";

static const char *STORY_RESTYLED =
	"LITHUANIA WILL SEEK THE DEPLOYMENT OF ONE BATTALION OF ALLIED TROOPS\n"
	"in each of the Baltic states - and of brigade size military equipment\n"
	"in the region ... the president said on Tuesday! \xe2\x80\x9c" "Anti missile\xe2\x80\x9d and air\n"
	"defence measures are also among the country\xe2\x80\x99s goals; she told\n"
	"journalists after meeting the alliance\xe2\x80\x99s deputy secretary-general";

Test(scan, restyled_copy_has_jaccard_one)
{
	const char *docs[] = { "orig", STORY, "restyled", STORY_RESTYLED,
			       "other", "A completely different text about the "
				        "weather in the north, with rain and wind.",
			       NULL };
	rp_corpus *c = tu_corpus(NULL, docs);
	rp_result *r;
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	cr_assert_eq(rp_result_pair_count(r), 1);
	const rp_pair *p = rp_result_pairs(r);
	cr_assert_eq(p[0].a, 0);
	cr_assert_eq(p[0].b, 1);
	cr_assert_eq(p[0].jaccard, 1.0);
	cr_assert_eq(p[0].containment_a, 1.0);
	cr_assert_eq(p[0].containment_b, 1.0);
	rp_result_free(r);
	rp_corpus_free(c);
}

Test(scan, documents_without_words_are_rejected_at_scan)
{
	const char *docs[] = { "a", STORY, "b", "-- ... --", NULL };
	rp_corpus *c = tu_corpus(NULL, docs);
	rp_result *r;
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	cr_assert(rp_result_doc_scanned(r, 0));
	cr_assert(!rp_result_doc_scanned(r, 1));
	rp_reject rj;
	cr_assert_eq(rp_corpus_reject_count(c), 1);
	rp_corpus_reject(&rj, c, 0);
	cr_assert_str_eq(rj.reason, "no words in text");
	rp_scan_stats st;
	rp_result_stats(&st, r);
	cr_assert_eq(st.documents, 1);
	rp_result_free(r);
	rp_corpus_free(c);
}

/* Build a corpus of variants: each family has a base text of random words
 * and edited copies (words replaced, tail cut). */
static rp_corpus *families(const rp_options *o, size_t nfam, size_t per)
{
	rp_corpus *c;
	cr_assert_eq(rp_corpus_new(&c, o), RP_OK);
	uint64_t st = 2026;
	char *text = malloc(20000), id[32];
	unsigned base[400];
	for (size_t f = 0; f < nfam; f++) {
		for (int i = 0; i < 400; i++)
			base[i] = (unsigned)(tu_rand(&st) % 3000);
		for (size_t v = 0; v < per; v++) {
			size_t len = 0, words = 400 - (v * 37) % 200;
			unsigned edit = (unsigned)v; /* percent of words replaced */
			for (size_t i = 0; i < words; i++) {
				unsigned w = tu_rand(&st) % 100 < edit
						     ? (unsigned)(tu_rand(&st) % 3000)
						     : base[i];
				len += (size_t)sprintf(text + len, "w%u ", w);
			}
			snprintf(id, sizeof(id), "f%zu-v%zu", f, v);
			rp_doc_input in = { id, strlen(id), text, len, NULL, 0,
					    NULL, 0, NULL, 0, "gen", 0 };
			cr_assert_eq(rp_corpus_add(c, &in), RP_OK);
		}
	}
	free(text);
	return c;
}

static void same_results(rp_result *x, rp_result *y)
{
	cr_assert_eq(rp_result_pair_count(x), rp_result_pair_count(y));
	const rp_pair *px = rp_result_pairs(x), *py = rp_result_pairs(y);
	for (size_t i = 0; i < rp_result_pair_count(x); i++) {
		cr_assert_eq(px[i].a, py[i].a);
		cr_assert_eq(px[i].b, py[i].b);
		cr_assert_eq(px[i].jaccard, py[i].jaccard);
	}
	cr_assert_eq(rp_result_cluster_count(x), rp_result_cluster_count(y));
	for (size_t i = 0; i < rp_result_cluster_count(x); i++) {
		rp_cluster a, b;
		rp_result_cluster(&a, x, i);
		rp_result_cluster(&b, y, i);
		cr_assert_eq(a.count, b.count);
		cr_assert_arr_eq(a.members, b.members, a.count * sizeof(size_t));
	}
}

Test(scan, results_do_not_depend_on_the_thread_count)
{
	rp_options o = RP_OPTIONS_INIT;
	o.threads = 1;
	rp_corpus *c1 = families(&o, 30, 6);
	o.threads = 3;
	rp_corpus *c3 = families(&o, 30, 6);
	rp_result *r1, *r3;
	cr_assert_eq(rp_scan(&r1, c1), RP_OK);
	cr_assert_eq(rp_scan(&r3, c3), RP_OK);
	cr_assert_gt(rp_result_pair_count(r1), 30);
	same_results(r1, r3);
	rp_result_free(r1);
	rp_result_free(r3);
	rp_corpus_free(c1);
	rp_corpus_free(c3);
}

Test(scan, lsh_finds_what_exact_finds_on_generated_families)
{
	for (int mode = 0; mode < 2; mode++) {
		rp_options o = RP_OPTIONS_INIT;
		o.minhash = mode ? RP_MINHASH_CLASSIC : RP_MINHASH_OPH;
		rp_corpus *cl = families(&o, 40, 8);
		o.exact = 1;
		rp_corpus *ce = families(&o, 40, 8);
		rp_result *rl, *re;
		cr_assert_eq(rp_scan(&rl, cl), RP_OK);
		cr_assert_eq(rp_scan(&re, ce), RP_OK);
		size_t nl = rp_result_pair_count(rl), ne = rp_result_pair_count(re);
		cr_assert_gt(ne, 100);
		cr_assert_geq((double)nl, 0.99 * (double)ne, "mode %d: %zu of %zu", mode, nl, ne);
		rp_result_free(rl);
		rp_result_free(re);
		rp_corpus_free(cl);
		rp_corpus_free(ce);
	}
}

Test(scan, char_shingles_find_copies_without_spaces)
{
	rp_options o = RP_OPTIONS_INIT;
	o.shingle = RP_SHINGLE_CHAR;
	/* Japanese text has no spaces: one word run per sentence. */
	const char *docs[] = {
		"a", "\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xa7\xe6\x96\xb0\xe3\x81\x97\xe3\x81\x84\xe9\xa7\x85\xe3\x81\x8c\xe9\x96\x8b\xe6\xa5\xad\xe3\x81\x97\xe3\x81\x9f\xe3\x80\x82\xe5\xa4\x9a\xe3\x81\x8f\xe3\x81\xae\xe4\xba\xba\xe3\x81\x8c\xe8\xa8\xaa\xe3\x82\x8c\xe3\x81\x9f\xe3\x80\x82",
		"b", "\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xa7\xe6\x96\xb0\xe3\x81\x97\xe3\x81\x84\xe9\xa7\x85\xe3\x81\x8c\xe9\x96\x8b\xe6\xa5\xad\xe3\x81\x97\xe3\x81\x9f\xe3\x80\x82\xe5\xa4\x9a\xe3\x81\x8f\xe3\x81\xae\xe4\xba\xba\xe3\x81\x8c\xe6\x9d\xa5\xe3\x81\x9f\xe3\x80\x82",
		NULL };
	rp_corpus *c = tu_corpus(&o, docs);
	rp_result *r;
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	cr_assert_eq(rp_result_pair_count(r), 1);
	cr_assert_gt(rp_result_pairs(r)[0].jaccard, 0.6);
	rp_result_free(r);
	rp_corpus_free(c);
}

/* The candidate stages (LSH bands, and the winnowing index when c > 0)
 * against the exact search on Reuters-21578: every pair they report
 * is an exact pair, and they find at least `floor` of the exact pairs. */
static void reuters_vs_exact(double t, double c, double floor)
{
	const char *dir = tu_shared_data();
	if (!dir) {
		fprintf(stderr, "SKIP: ../shared/data is absent: Reuters recall at "
				"t=%.1f c=%.1f not measured\n", t, c);
		cr_skip_test("../shared/data is absent: Reuters recall not measured");
	}
	char path[1024];
	snprintf(path, sizeof(path), "%s/reuters21578.jsonl", dir);
	rp_result *res[2];
	rp_corpus *cs[2];
	for (int exact = 0; exact < 2; exact++) {
		rp_options o = RP_OPTIONS_INIT;
		o.threshold = t;
		o.containment = c;
		o.min_passage = 0; /* the exact search knows no passages */
		o.exact = exact;
		cr_assert_eq(rp_corpus_new(&cs[exact], &o), RP_OK);
		cr_assert_eq(rp_corpus_read_path(cs[exact], path, NULL), RP_OK);
		cr_assert_eq(rp_scan(&res[exact], cs[exact]), RP_OK);
	}
	size_t nl = rp_result_pair_count(res[0]), ne = rp_result_pair_count(res[1]);
	const rp_pair *pl = rp_result_pairs(res[0]), *pe = rp_result_pairs(res[1]);
	size_t found = 0, j = 0;
	for (size_t i = 0; i < nl && c == 0; i++)
		cr_assert_geq(pl[i].jaccard, t, "reported pair below threshold");
	for (size_t i = 0; i < ne; i++) {
		if (c == 0)
			cr_assert_geq(pe[i].jaccard, t);
		while (j < nl && (pl[j].a < pe[i].a ||
				  (pl[j].a == pe[i].a && pl[j].b < pe[i].b)))
			j++;
		found += j < nl && pl[j].a == pe[i].a && pl[j].b == pe[i].b;
	}
	cr_assert_gt(ne, 400, "Reuters has hundreds of pairs at t=%.1f c=%.1f", t, c);
	cr_assert_eq(found, nl, "a pair was reported that the exact search did not");
	cr_assert_geq((double)found / (double)ne, floor,
		      "recall at t=%.1f c=%.1f: %zu of %zu", t, c, found, ne);
	fprintf(stderr, "reuters t=%.1f c=%.1f: %zu of %zu exact pairs\n", t, c,
		found, ne);
	for (int k = 0; k < 2; k++) {
		rp_result_free(res[k]);
		rp_corpus_free(cs[k]);
	}
}

Test(scan, reuters_recall_against_exact_at_0_5)
{
	reuters_vs_exact(0.5, 0, 0.99);
}

Test(scan, reuters_recall_against_exact_at_0_8)
{
	reuters_vs_exact(0.8, 0, 0.99);
}

/* Scan two dated documents; returns the result (one pair expected). */
static rp_result *scan_two_opts(rp_corpus **c, const char *late,
				const char *early, const rp_options *o)
{
	cr_assert_eq(rp_corpus_new(c, o), RP_OK);
	rp_doc_input in[2] = {
		{ "late", 4, late, strlen(late), NULL, 0, NULL, 0, "2026-11-24", 10, "m", 1 },
		{ "early", 5, early, strlen(early), NULL, 0, NULL, 0, "2026-11-23", 10, "m", 2 },
	};
	cr_assert_eq(rp_corpus_add(*c, &in[0]), RP_OK);
	cr_assert_eq(rp_corpus_add(*c, &in[1]), RP_OK);
	rp_result *r;
	cr_assert_eq(rp_scan(&r, *c), RP_OK);
	cr_assert_eq(rp_result_pair_count(r), 1);
	return r;
}

static rp_result *scan_two(rp_corpus **c, const char *late, const char *early)
{
	return scan_two_opts(c, late, early, NULL);
}

Test(scan, dateline_and_credit_are_left_out_so_the_copy_is_exact)
{
	char copy[2048];
	snprintf(copy, sizeof(copy), "VILNIUS (BNS) - %s\n(Reporting by Jane Roe)",
		 STORY_RESTYLED);
	rp_corpus *c;
	rp_result *r = scan_two(&c, copy, STORY);
	const rp_pair *p = rp_result_pairs(r);
	cr_assert_eq(p->relation, RP_REL_EXACT, "%s", rp_relation_name(p->relation));
	cr_assert_eq(p->jaccard, 1.0);
	const uint32_t *ex;
	size_t nex;
	cr_assert_eq(rp_result_excluded(&ex, &nex, r, 0), RP_OK);
	cr_assert_eq(nex, 2, "the dateline and the credit line");
	cr_assert_eq(strncmp(copy + ex[0], "VILNIUS (BNS) - ", ex[1] - ex[0]), 0);
	cr_assert_eq(strncmp(copy + ex[2], "(Reporting by Jane Roe)", ex[3] - ex[2]), 0);
	rp_result_free(r);
	rp_corpus_free(c);
}

Test(scan, reprint_with_new_edges_is_near_verbatim_from_the_earlier)
{
	char copy[2048];
	snprintf(copy, sizeof(copy), "VILNIUS (BNS) - %s\n(Reporting by Jane Roe)",
		 STORY_RESTYLED);
	rp_corpus *c;
	rp_options o = RP_OPTIONS_INIT;
	o.boilerplate = 0; /* the edges stay in: near verbatim, not exact */
	rp_result *r = scan_two_opts(&c, copy, STORY, &o);
	const rp_pair *p = rp_result_pairs(r);
	cr_assert_eq(p->relation, RP_REL_NEAR_VERBATIM, "%s", rp_relation_name(p->relation));
	cr_assert_eq(p->source, 1, "the earlier document (b) is the source");
	const rp_passage *ps;
	size_t np;
	cr_assert_eq(rp_result_passages(&ps, &np, r, 0), RP_OK);
	cr_assert_eq(np, 1);
	cr_assert_eq(strncmp(copy + ps[0].a_start, "LITHUANIA WILL", 14), 0);
	cr_assert_eq(ps[0].a_end, strlen("VILNIUS (BNS) - ") + strlen(STORY_RESTYLED),
		     "the passage ends at the last reused word, before the credit");
	rp_result_free(r);
	rp_corpus_free(c);
}

Test(scan, reported_pairs_carry_relation_source_and_passages)
{
	const char *copy =
		"LITHUANIA WILL SEEK THE DEPLOYMENT OF ONE BATTALION OF ALLIED TROOPS "
		"in each of the Baltic states, and of brigade-size military equipment "
		"in the region, the president said on Monday. Anti-missile and air "
		"defence measures are also among the country's goals, she told "
		"journalists after meeting the alliance's deputy secretary general.";
	rp_corpus *c;
	rp_result *r = scan_two(&c, copy, STORY);
	const rp_pair *p = rp_result_pairs(r);
	cr_assert_eq(p->relation, RP_REL_LIGHT_EDIT, "%s", rp_relation_name(p->relation));
	cr_assert_eq(p->source, 1);
	const rp_passage *ps;
	const rp_edit *ed;
	size_t np, ne;
	cr_assert_eq(rp_result_passages(&ps, &np, r, 0), RP_OK);
	cr_assert_eq(rp_result_edits(&ed, &ne, r, 0), RP_OK);
	cr_assert_eq(np, 1);
	/* The passage starts at the first reused word of each original. */
	cr_assert_eq(strncmp(copy + ps[0].a_start, "LITHUANIA WILL", 14), 0);
	cr_assert_eq(strncmp(STORY + ps[0].b_start, "Lithuania will", 14), 0);
	cr_assert_eq(ps[0].substituted, 1, "Monday for Tuesday");
	cr_assert_eq(ne, 1);
	cr_assert_eq(strncmp(copy + ed[0].a_start, "Monday", 6), 0);
	cr_assert_eq(ed[0].a_end - ed[0].a_start, 6);
	cr_assert_eq(strncmp(STORY + ed[0].b_start, "Tuesday", 7), 0);
	rp_result_free(r);
	rp_corpus_free(c);
}

/* Clough-Stevenson: answers cut or lightly revised from their source are
 * told apart from non-plagiarised answers by containment (C = 0.05). */
Test(scan, clough_stevenson_plagiarism_accuracy)
{
	const char *dir = tu_shared_data();
	if (!dir) {
		fprintf(stderr, "SKIP: ../shared/data is absent: Clough-Stevenson "
				"accuracy not measured\n");
		cr_skip_test("../shared/data is absent");
	}
	char path[1024];
	rp_options o = RP_OPTIONS_INIT;
	o.containment = 0.05;
	rp_corpus *c;
	rp_result *r;
	cr_assert_eq(rp_corpus_new(&c, &o), RP_OK);
	snprintf(path, sizeof(path), "%s/clough_stevenson.jsonl", dir);
	cr_assert_eq(rp_corpus_read_path(c, path, NULL), RP_OK);
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	snprintf(path, sizeof(path), "%s/clough_stevenson.pairs.tsv", dir);
	FILE *fp = fopen(path, "r");
	cr_assert_not_null(fp);
	char a[64], b[64], label[16];
	size_t ok = 0, total = 0;
	cr_assert_eq(fscanf(fp, "%63s %63s %15s", a, b, label), 3); /* header */
	while (fscanf(fp, "%63s %63s %15s", a, b, label) == 3) {
		if (strcmp(label, "heavy") == 0)
			continue;
		int plag = strcmp(label, "cut") == 0 || strcmp(label, "light") == 0;
		int reported = 0;
		const rp_pair *p = rp_result_pairs(r);
		for (size_t i = 0; i < rp_result_pair_count(r); i++) {
			rp_doc_info da, db;
			rp_corpus_doc(&da, c, p[i].a);
			rp_corpus_doc(&db, c, p[i].b);
			if ((strcmp(da.id, a) == 0 && strcmp(db.id, b) == 0) ||
			    (strcmp(da.id, b) == 0 && strcmp(db.id, a) == 0))
				reported = 1;
		}
		ok += reported == plag;
		total++;
	}
	fclose(fp);
	cr_assert_eq(total, 76);
	fprintf(stderr, "clough-stevenson: %zu of %zu cut/light/non answers right\n", ok, total);
	cr_assert_geq((double)ok / (double)total, 0.96, "%zu of %zu", ok, total);
	rp_result_free(r);
	rp_corpus_free(c);
}

Test(scan, reuters_containment_recall_at_0_5)
{
	reuters_vs_exact(0.5, 0.5, 0.98);
}

Test(scan, reuters_containment_recall_at_0_8)
{
	reuters_vs_exact(0.5, 0.8, 0.99);
}

/* A single-outlet wire archive with no site template (Reuters-21578):
 * the default learns no chrome, and what it leaves out of shingles is
 * only datelines and credit lines, so no two different texts become one. */
Test(scan, reuters_default_leaves_out_only_datelines_and_credits)
{
	const char *dir = tu_shared_data();
	if (!dir) {
		fprintf(stderr, "SKIP: ../shared/data is absent: Reuters chrome not checked\n");
		cr_skip_test("../shared/data is absent");
	}
	char path[1024];
	snprintf(path, sizeof(path), "%s/reuters21578.jsonl", dir);
	rp_corpus *c;
	rp_result *r;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, path, NULL), RP_OK);
	cr_assert_eq(rp_learn_boilerplate(&r, c), RP_OK);
	cr_assert_eq(rp_result_chrome_count(r), 0, "a line learned as chrome");
	size_t ranges = 0;
	for (size_t d = 0; d < rp_corpus_count(c); d++) {
		const uint32_t *ex;
		size_t n;
		rp_doc_info di;
		cr_assert_eq(rp_result_excluded(&ex, &n, r, d), RP_OK);
		rp_corpus_doc(&di, c, d);
		for (size_t k = 0; k < n; k++, ranges++) {
			const char *s = di.text + ex[2 * k];
			size_t len = ex[2 * k + 1] - ex[2 * k];
			cr_assert(ex[2 * k] == 0 || rp_is_credit_line(s, len),
				  "%s: '%.*s' left out", di.id, (int)len, s);
		}
	}
	cr_assert_gt(ranges, 15000, "the closing Reuter lines are credits");
	rp_result_free(r);
	rp_corpus_free(c);
}

/* A text that its credit lines cover whole keeps its words: two copies of
 * a bare copyright notice are an exact pair, not two rejections. */
Test(scan, a_text_that_is_all_credits_keeps_its_words)
{
	const char *docs[] = { "a", "Copyright 2024 Reuters. All rights reserved.",
			       "b", "Copyright 2024 Reuters. All rights reserved.",
			       "c", "Share this article", NULL };
	rp_corpus *c = tu_corpus(NULL, docs);
	rp_result *r;
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	cr_assert_eq(rp_corpus_reject_count(c), 0);
	cr_assert_eq(rp_result_pair_count(r), 1);
	cr_assert_eq(rp_result_pairs(r)[0].relation, RP_REL_EXACT);
	const uint32_t *ex;
	size_t n;
	cr_assert_eq(rp_result_excluded(&ex, &n, r, 0), RP_OK);
	cr_assert_eq(n, 0, "nothing of it is left out");
	rp_result_free(r);
	rp_corpus_free(c);
}

/* Sentences of random words from a small vocabulary, as paragraphs. */
static void story_text(char *out, size_t cap, uint64_t seed, int paragraphs)
{
	static const char *words[] = {
		"port", "harbour", "minister", "said", "terminal", "cargo", "ships",
		"plan", "board", "million", "euros", "workers", "union", "deal",
		"city", "council", "budget", "rail", "line", "bridge", "ferry",
		"winter", "prices", "energy", "grid", "north", "south", "talks",
		"agreed", "expected", "year", "week", "officials", "report", "new",
		"old", "first", "last", "government", "company", "shares", "trade" };
	uint64_t s = seed;
	size_t len = 0;
	out[0] = '\0';
	for (int p = 0; p < paragraphs; p++) {
		for (int w = 0; w < 30 && len + 16 < cap; w++)
			len += (size_t)snprintf(out + len, cap - len, "%s%s",
					w ? " " : "", words[tu_rand(&s) % 42]);
		len += (size_t)snprintf(out + len, cap - len, ".\n\n");
	}
}

/* One outlet with a site template runs a story three times (an update, a
 * correction); two other outlets carry it too. Every pair of the five is
 * found, and the outlet's other stories are paired with nothing. */
Test(scan, a_story_run_three_times_by_one_outlet_and_elsewhere_is_found)
{
	static char texts[16][4096];
	char story[2048];
	story_text(story, sizeof(story), 7, 5);
	rp_corpus *c;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	for (int i = 0; i < 16; i++) {
		const char *outlet = i < 12 ? "Harbour Times" : i < 14 ? "Baltic Post" : "Ledger";
		char own[2048];
		story_text(own, sizeof(own), 100 + (uint64_t)i, 3);
		int carries = i == 0 || i == 4 || i == 9 || i >= 12;
		snprintf(texts[i], sizeof(texts[i]),
			 "%s - news of the coast and the city\n\nHome | Port | City | Sport\n\n"
			 "%s%s\nSign up for our daily newsletter.\n",
			 outlet, carries ? story : own, i == 4 ? "Corrected: the second paragraph.\n" : "");
		char id[16];
		snprintf(id, sizeof(id), "p%d", i);
		rp_doc_input in = { id, strlen(id), texts[i], strlen(texts[i]), NULL, 0,
				    outlet, strlen(outlet), NULL, 0, "t", (size_t)i + 1 };
		cr_assert_eq(rp_corpus_add(c, &in), RP_OK);
	}
	rp_result *r;
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	const int carriers[] = { 0, 4, 9, 12, 13, 14, 15 };
	size_t want = 0;
	for (size_t x = 0; x < 7; x++)
		for (size_t y = x + 1; y < 7; y++, want++) {
			size_t a = (size_t)carriers[x], b = (size_t)carriers[y], k;
			for (k = 0; k < rp_result_pair_count(r); k++)
				if (rp_result_pairs(r)[k].a == a && rp_result_pairs(r)[k].b == b)
					break;
			cr_assert_lt(k, rp_result_pair_count(r), "pair p%zu p%zu missed", a, b);
		}
	cr_assert_eq(rp_result_pair_count(r), want, "only the story's pairs");
	rp_result_free(r);
	rp_corpus_free(c);
}

/* Six different stories of one outlet, each ending in a republication
 * credit that names the page's own source (so no two credit lines are
 * the same line, and none is learned as chrome): 27 or 28 words in
 * common, more than a passage, on every page (before credits were told,
 * all 15 pairs were reported as excerpts). Credits are not the story: no pair. The
 * same with the credit after the outlet's reporting line on one line. */
Test(scan, republication_credits_do_not_pair_different_stories)
{
	static const char *sources[] = { "Baltic Post", "Coast Ledger",
					 "River Herald", "Valley Courier",
					 "Island Gazette", "Northern Record" };
	for (int joined = 0; joined < 2; joined++) {
		static char texts[6][4096];
		rp_corpus *c;
		cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
		for (int i = 0; i < 6; i++) {
			char own[2048];
			story_text(own, sizeof(own), 300 + (uint64_t)i, 4);
			if (joined)
				snprintf(texts[i], sizeof(texts[i]),
					 "%sThe Harbour Times staff reporters "
					 "contributed to this report. Corrections and "
					 "clarifications can be sent to the standards "
					 "editor of the paper. This story was "
					 "originally published by %s.\n",
					 own, sources[i]);
			else
				snprintf(texts[i], sizeof(texts[i]),
					 "%sThis article originally appeared in The "
					 "Harbour Times of Klaipeda. Republished with "
					 "permission. The Harbour Times is an "
					 "independent, nonprofit newsroom. This story "
					 "was originally published by %s.\n",
					 own, sources[i]);
			char id[16];
			snprintf(id, sizeof(id), "p%d", i);
			rp_doc_input in = { id, strlen(id), texts[i], strlen(texts[i]),
					    NULL, 0, "Harbour Times", 13, NULL, 0, "t",
					    (size_t)i + 1 };
			cr_assert_eq(rp_corpus_add(c, &in), RP_OK);
		}
		rp_result *r;
		cr_assert_eq(rp_scan(&r, c), RP_OK);
		cr_assert_eq(rp_result_pair_count(r), 0, "%zu pairs (joined %d)",
			     rp_result_pair_count(r), joined);
		rp_result_free(r);
		rp_corpus_free(c);
	}
}

/* Words "<tag><i>" for i in [from, to), a space after each, appended. */
static size_t put_words(char *out, size_t len, size_t cap, const char *tag,
			int from, int to)
{
	for (int i = from; i < to && len + 24 < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%d ", tag, i);
	return len;
}

/* An excerpt: a paragraph of one article set into another, at another
 * outlet. 40 words of it copied with one word changed in their middle
 * (a typo mended) leave no run of 25 unedited words, yet they are the
 * same paragraph: the pair is reported. 60 words with a word changed
 * every 15 (57 unedited, in runs of 14 and 15) are shared phrases in
 * writing of one's own: not reported. */
Test(scan, a_paragraph_copied_with_one_word_changed_is_an_excerpt)
{
	for (int dense = 0; dense < 2; dense++) {
		static char a[8192], b[8192];
		size_t la = put_words(a, 0, sizeof(a), "alpha", 0, 120);
		la += (size_t)snprintf(a + la, sizeof(a) - la, "\n\n");
		la = put_words(a, la, sizeof(a), "para", 0, 60);
		la += (size_t)snprintf(a + la, sizeof(a) - la, "\n\n");
		la = put_words(a, la, sizeof(a), "alpha", 120, 240);
		size_t lb = put_words(b, 0, sizeof(b), "beta", 0, 150);
		lb += (size_t)snprintf(b + lb, sizeof(b) - lb, "\n\n");
		int plen = dense ? 60 : 40;
		for (int i = 0; i < plen; i++) {
			int edited = dense ? i % 15 == 0 && i : i == 20;
			lb += (size_t)snprintf(b + lb, sizeof(b) - lb, "%s%d ",
					       edited ? "other" : "para", i);
		}
		lb += (size_t)snprintf(b + lb, sizeof(b) - lb, "\n\n");
		lb = put_words(b, lb, sizeof(b), "beta", 150, 300);
		rp_corpus *c;
		cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
		rp_doc_input in[2] = {
			{ "a", 1, a, la, NULL, 0, "North Post", 10, NULL, 0, "t", 1 },
			{ "b", 1, b, lb, NULL, 0, "South Ledger", 12, NULL, 0, "t", 2 },
		};
		cr_assert_eq(rp_corpus_add(c, &in[0]), RP_OK);
		cr_assert_eq(rp_corpus_add(c, &in[1]), RP_OK);
		rp_result *r;
		cr_assert_eq(rp_scan(&r, c), RP_OK);
		cr_assert_eq(rp_result_pair_count(r), dense ? 0 : 1,
			     "dense %d: %zu pairs", dense, rp_result_pair_count(r));
		if (!dense) {
			const rp_pair *p = rp_result_pairs(r);
			cr_assert_eq(p->relation, RP_REL_EXCERPT);
			cr_assert_lt(p->jaccard, 0.2);
		}
		rp_result_free(r);
		rp_corpus_free(c);
	}
}

/* Texts in scripts written without spaces between words: each one is
 * shingled by characters in the default word mode. A Chinese port report
 * and a reprint of it with three edits ("千" -> "千余", "于" -> "于今年",
 * "大大" -> "有效"), under other first and last sentences. */
static const char *ZH_COPIED =
	"记者从市港口管理局获悉，今年前三季度本市港口累计完成货物吞吐量四亿二"
	"千万吨，同比增长百分之六点八，其中集装箱吞吐量突破一千五百万标准箱，"
	"创历史同期新高。港口管理局负责人介绍，新建的三号码头已于七月正式投入"
	"运营，可同时停靠两艘二十万吨级集装箱船，大大缓解了港区的作业压力。下"
	"一步，港口将继续推进铁水联运建设，加快疏港铁路二期工程，力争明年年底"
	"前实现港区铁路全覆盖，进一步降低企业物流成本。";

static const char *ZH_COPY =
	"记者从市港口管理局获悉，今年前三季度本市港口累计完成货物吞吐量四亿二"
	"千余万吨，同比增长百分之六点八，其中集装箱吞吐量突破一千五百万标准箱"
	"，创历史同期新高。港口管理局负责人介绍，新建的三号码头已于今年七月正"
	"式投入运营，可同时停靠两艘二十万吨级集装箱船，有效缓解了港区的作业压"
	"力。下一步，港口将继续推进铁水联运建设，加快疏港铁路二期工程，力争明"
	"年年底前实现港区铁路全覆盖，进一步降低企业物流成本。";

/* A Japanese railway report and its copy with two edits. */
static const char *JA_COPIED =
	"国土交通省は十日、北陸新幹線の敦賀から新大阪までの延伸区間について、"
	"建設費が当初の見込みより約一兆円増える可能性があると発表した。トンネ"
	"ル工事で想定外の地質が見つかったことや、資材価格の高騰が主な理由だと"
	"いう。同省は沿線の自治体と費用の分担について協議を始める方針で、開業"
	"時期についても改めて検討する。地元からは早期の着工を求める声が相次い"
	"でいる。";

static const char *JA_COPY =
	"国土交通省は十日、北陸新幹線の敦賀から新大阪までの延伸区間について、"
	"建設費が当初の見込みよりおよそ一兆円増える可能性があると発表した。ト"
	"ンネル工事で想定外の地質が見つかったことや、資材価格の高騰が主な理由"
	"だという。同省は沿線の自治体と費用の分担について協議を始める方針で、"
	"開業時期についても改めて検討する。地元からは早期の着工を求める声が上"
	"がっている。";

Test(scan, chinese_reprint_is_found_with_passages_by_default)
{
	static const char *LEAD_A = "海港日报讯 秋季以来，沿海各地港口生产持续回暖。";
	static const char *LEAD_B = "据东方网报道，";
	static const char *TAIL_B = "业内人士认为，这将为区域经济发展注入新的动力。";
	char a[2048], b[2048];
	snprintf(a, sizeof(a), "%s%s", LEAD_A, ZH_COPIED);
	snprintf(b, sizeof(b), "%s%s%s", LEAD_B, ZH_COPY, TAIL_B);
	size_t a0 = strlen(LEAD_A), a1 = a0 + strlen(ZH_COPIED);
	size_t b0 = strlen(LEAD_B), b1 = b0 + strlen(ZH_COPY);
	const char *docs[] = { "zh-a", a, "zh-b", b, NULL };

	rp_corpus *c = tu_corpus(NULL, docs);
	rp_result *r;
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	rp_scan_stats st;
	rp_result_stats(&st, r);
	cr_assert_eq(st.documents, 2);
	cr_assert_eq(st.char_documents, 2);
	cr_assert_eq(rp_result_pair_count(r), 1);
	const rp_pair *p = rp_result_pairs(r);
	cr_assert_eq(p[0].a, 0);
	cr_assert_eq(p[0].b, 1);
	cr_assert_geq(p[0].passages, 1);
	const rp_passage *ps;
	size_t np, covered = 0;
	cr_assert_eq(rp_result_passages(&ps, &np, r, 0), RP_OK);
	cr_assert_eq(np, p[0].passages);
	for (size_t i = 0; i < np; i++) {
		/* On the copied text, not on the sentences around it. */
		cr_assert_geq(ps[i].a_start, a0, "passage %zu", i);
		cr_assert_leq(ps[i].a_end, a1, "passage %zu", i);
		cr_assert_geq(ps[i].b_start, b0, "passage %zu", i);
		cr_assert_leq(ps[i].b_end, b1, "passage %zu", i);
		cr_assert_lt(ps[i].a_start, ps[i].a_end);
		covered += ps[i].a_end - ps[i].a_start;
		/* Counted in characters: a Chinese character is 3 bytes. */
		cr_assert_geq(ps[i].words_a * 3, (ps[i].a_end - ps[i].a_start) * 3 / 4);
	}
	cr_assert_geq(covered, (a1 - a0) * 9 / 10, "passages cover %zu of %zu bytes",
		      covered, a1 - a0);
	/* Every edit is a range of both texts inside the copy. */
	const rp_edit *ed;
	size_t ne;
	cr_assert_eq(rp_result_edits(&ed, &ne, r, 0), RP_OK);
	cr_assert_geq(ne, 3);
	for (size_t i = 0; i < ne; i++) {
		cr_assert(ed[i].a_start >= a0 && ed[i].a_end <= a1);
		cr_assert(ed[i].b_start >= b0 && ed[i].b_end <= b1);
	}
	rp_result_free(r);
	rp_corpus_free(c);

	/* An explicit --shingle char keeps its own behaviour (no character
	 * texts, Han runs aligned as words). */
	rp_options o = RP_OPTIONS_INIT;
	o.shingle = RP_SHINGLE_CHAR;
	c = tu_corpus(&o, docs);
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	rp_result_stats(&st, r);
	cr_assert_eq(st.char_documents, 0);
	cr_assert_eq(rp_result_pair_count(r), 1);
	rp_result_free(r);
	rp_corpus_free(c);
}

Test(scan, mixed_collection_shingles_each_text_in_its_own_mode)
{
	char ja[2048];
	snprintf(ja, sizeof(ja), "関西の鉄道ファンの間でも話題になっている。%s", JA_COPY);
	const char *docs[] = { "en-a", STORY, "ja-a", JA_COPIED,
			       "en-b", STORY_RESTYLED, "ja-b", ja, NULL };
	for (unsigned threads = 1; threads <= 3; threads += 2) {
		rp_options o = RP_OPTIONS_INIT;
		o.threads = threads;
		rp_corpus *c = tu_corpus(&o, docs);
		rp_result *r;
		cr_assert_eq(rp_scan(&r, c), RP_OK);
		rp_scan_stats st;
		rp_result_stats(&st, r);
		cr_assert_eq(st.documents, 4);
		cr_assert_eq(st.char_documents, 2);
		cr_assert_eq(rp_result_pair_count(r), 2, "pairs: %zu",
			     rp_result_pair_count(r));
		const rp_pair *p = rp_result_pairs(r);
		cr_assert(p[0].a == 0 && p[0].b == 2, "English pair");
		cr_assert(p[1].a == 1 && p[1].b == 3, "Japanese pair");
		cr_assert_geq(p[1].passages, 1);
		const rp_passage *ps;
		size_t np;
		rp_result_passages(&ps, &np, r, 1);
		size_t lead = strlen(ja) - strlen(JA_COPY);
		for (size_t i = 0; i < np; i++)
			cr_assert_geq(ps[i].b_start, lead);
		rp_result_free(r);
		rp_corpus_free(c);
	}
}

/* n pseudo-random common Han characters (U+4E00..U+62FF) into s. */
static size_t random_han(char *s, size_t n, uint64_t *st)
{
	for (size_t i = 0; i < n; i++) {
		unsigned cp = 0x4E00 + (unsigned)(tu_rand(st) % 0x1500);
		s[3 * i] = (char)(0xE0 | (cp >> 12));
		s[3 * i + 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3 * i + 2] = (char)(0x80 | (cp & 0x3F));
	}
	s[3 * n] = '\0';
	return 3 * n;
}

/* The passage rule counts characters between character texts: 2 x 25 by
 * default. Two unrelated texts of 600 characters sharing one run are a
 * pair when the run is 60 characters long, and not when it is 40 (which
 * would be 40 "words", past the rule of 25, had they been counted so). */
Test(scan, passage_rule_counts_characters_between_character_texts)
{
	size_t runs[] = { 40, 60 };
	for (size_t t = 0; t < 2; t++) {
		uint64_t st = 77;
		char shared[512], a[4096], b[4096];
		size_t n = 0;
		random_han(shared, runs[t], &st);
		n += random_han(a, 300, &st);
		n += (size_t)snprintf(a + n, sizeof(a) - n, "，%s，", shared);
		random_han(a + n, 300, &st);
		n = random_han(b, 200, &st);
		n += (size_t)snprintf(b + n, sizeof(b) - n, "。%s。", shared);
		random_han(b + n, 400, &st);
		const char *docs[] = { "a", a, "b", b, NULL };
		rp_corpus *c = tu_corpus(NULL, docs);
		rp_result *r;
		cr_assert_eq(rp_scan(&r, c), RP_OK);
		rp_scan_stats ss;
		rp_result_stats(&ss, r);
		cr_assert_eq(ss.char_documents, 2);
		cr_assert_eq(rp_result_pair_count(r), t, "a shared run of %zu characters",
			     runs[t]);
		if (t) {
			const rp_passage *ps;
			size_t np;
			rp_result_passages(&ps, &np, r, 0);
			cr_assert_eq(np, 1);
			cr_assert_eq(ps[0].words_a, runs[t]);
			cr_assert_eq(ps[0].a_end - ps[0].a_start, 3 * runs[t]);
		}
		rp_result_free(r);
		rp_corpus_free(c);
	}
}

/* A corpus of the generated families, then a long text of distinct words
 * and its first 90%; budget: the memory bound (0: none). */
static rp_corpus *families_and_long(size_t budget, size_t nwords)
{
	rp_options o = RP_OPTIONS_INIT;
	o.threads = 2;
	rp_corpus *c = families(&o, 300, 6);
	rp_corpus *b;
	cr_assert_eq(rp_corpus_new(&b, &o), RP_OK);
	if (budget)
		cr_assert_eq(rp_corpus_set_memory(b, budget, NULL), RP_OK);
	/* the families again, into the bounded corpus */
	for (size_t i = 0; i < rp_corpus_count(c); i++) {
		rp_doc_info di;
		cr_assert_eq(rp_corpus_doc(&di, c, i), RP_OK);
		rp_doc_input in = { di.id, strlen(di.id), di.text, di.text_len,
				    NULL, 0, NULL, 0, NULL, 0, "gen", 0 };
		cr_assert_eq(rp_corpus_add(b, &in), RP_OK);
	}
	rp_corpus_free(c);
	char *text = malloc(nwords * 12);
	cr_assert_not_null(text);
	size_t len = 0, cut = 0;
	for (size_t i = 0; i < nwords; i++) {
		len += (size_t)sprintf(text + len, "u%zux ", i * 7919 % nwords);
		if (i + 1 == nwords * 9 / 10)
			cut = len;
	}
	rp_doc_input whole = { "long", 4, text, len, NULL, 0, NULL, 0, NULL, 0,
			       "gen", 0 };
	rp_doc_input part = { "long-cut", 8, text, cut, NULL, 0, NULL, 0, NULL,
			      0, "gen", 0 };
	cr_assert_eq(rp_corpus_add(b, &whole), RP_OK);
	cr_assert_eq(rp_corpus_add(b, &part), RP_OK);
	free(text);
	return b;
}

Test(scan, sets_across_arena_blocks_and_larger_than_one_give_exact_scores)
{
	/* 150,000 distinct words: a set of 149,996 shingles, over an arena
	 * block of the small kind (1 MiB) a memory bound under 256 MiB gives;
	 * 1,800 family texts fill several. Unbounded first (the small bound
	 * turns the large blocks off for the rest of the process). */
	size_t nw = 150000, cutw = nw * 9 / 10;
	rp_corpus *c[2] = { families_and_long(0, nw),
			    families_and_long((size_t)64 << 20, nw) };
	rp_result *r[2];
	for (int k = 0; k < 2; k++) {
		cr_assert_eq(rp_scan(&r[k], c[k]), RP_OK);
		size_t n = rp_corpus_count(c[k]), found = 0;
		const rp_pair *p = rp_result_pairs(r[k]);
		for (size_t i = 0; i < rp_result_pair_count(r[k]); i++)
			if ((p[i].a == n - 2 && p[i].b == n - 1) ||
			    (p[i].a == n - 1 && p[i].b == n - 2)) {
				found++;
				/* every shingle of the cut is in the whole */
				cr_assert_float_eq(p[i].jaccard,
						   (double)(cutw - 4) / (double)(nw - 4),
						   1e-9, "%.9f", p[i].jaccard);
			}
		cr_assert_eq(found, 1, "the long pair, bound %d", k);
		cr_assert_gt(rp_result_pair_count(r[k]), 900);
	}
	same_results(r[0], r[1]);
	for (int k = 0; k < 2; k++) {
		rp_result_free(r[k]);
		rp_corpus_free(c[k]);
	}
}

/* Pair i of x and y: the same documents, scores, relation, source,
 * passages and edits. */
static void same_related_pair(const rp_result *x, const rp_result *y, size_t i)
{
	const rp_pair *p = &rp_result_pairs(x)[i], *q = &rp_result_pairs(y)[i];
	cr_assert_eq(p->a, q->a);
	cr_assert_eq(p->b, q->b);
	cr_assert_eq(p->jaccard, q->jaccard);
	cr_assert_eq(p->relation, q->relation, "pair %zu", i);
	cr_assert_eq(p->source, q->source);
	cr_assert_eq(p->shared_words, q->shared_words);
	cr_assert_eq(p->passages, q->passages);
	const rp_passage *ps, *qs;
	const rp_edit *pe, *qe;
	size_t np, nq, ne, nf;
	cr_assert_eq(rp_result_passages(&ps, &np, x, i), RP_OK);
	cr_assert_eq(rp_result_passages(&qs, &nq, y, i), RP_OK);
	cr_assert_eq(np, nq);
	cr_assert(np == 0 || memcmp(ps, qs, np * sizeof(*ps)) == 0, "pair %zu", i);
	cr_assert_eq(rp_result_edits(&pe, &ne, x, i), RP_OK);
	cr_assert_eq(rp_result_edits(&qe, &nf, y, i), RP_OK);
	cr_assert_eq(ne, nf);
	cr_assert(ne == 0 || memcmp(pe, qe, ne * sizeof(*pe)) == 0, "pair %zu", i);
}

/*
 * Under a memory bound candidates are verified in runs, and each run's
 * pairs are filtered and aligned as soon as it is verified (while its
 * texts are in the page cache). A bound so small that every run holds a
 * pair or two, with the outlet filter on: the same pairs, relations,
 * passages and edits as one run.
 */
Test(scan, pairs_aligned_run_by_run_are_those_aligned_at_once)
{
	const char *samples = getenv("REPRINT_SAMPLES");
	cr_assert_not_null(samples);
	for (int cross = 0; cross < 2; cross++) {
		rp_options o = RP_OPTIONS_INIT;
		o.threads = 2;
		rp_corpus *one, *runs;
		cr_assert_eq(rp_corpus_new(&one, &o), RP_OK);
		cr_assert_eq(rp_corpus_new(&runs, &o), RP_OK);
		cr_assert_eq(rp_corpus_set_memory(runs, 4096, NULL), RP_OK);
		cr_assert_eq(rp_corpus_read_path(one, samples, NULL), RP_OK);
		cr_assert_eq(rp_corpus_read_path(runs, samples, NULL), RP_OK);
		/* (as the CLI asks: what a stage is done with is let go) */
		rp_question q;
		rp_question_init(&q, RP_QUESTION_VERSION);
		q.release = 1;
		q.cross_outlet = cross;
		rp_result *x, *y;
		cr_assert_eq(rp_corpus_ask(&x, one, &q), RP_OK);
		cr_assert_eq(rp_corpus_ask(&y, runs, &q), RP_OK);
		size_t n = rp_result_pair_count(x);
		cr_assert_gt(n, 5);
		cr_assert_eq(rp_result_pair_count(y), n);
		size_t passages = 0;
		for (size_t i = 0; i < n; i++) {
			same_related_pair(x, y, i);
			passages += rp_result_pairs(x)[i].passages;
		}
		cr_assert_gt(passages, 5, "the pairs are aligned");
		rp_scan_stats sx, sy;
		cr_assert_eq(rp_result_stats(&sx, x), RP_OK);
		cr_assert_eq(rp_result_stats(&sy, y), RP_OK);
		cr_assert_eq(sx.filtered, sy.filtered);
		if (cross)
			cr_assert_gt(sx.filtered, 0, "the samples have pairs of one outlet");
		rp_result_free(x);
		rp_result_free(y);
		rp_corpus_free(one);
		rp_corpus_free(runs);
	}
}
