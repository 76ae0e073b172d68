/* eval tests: `reprint eval` on small truth folders with figures computed
 * by hand, on bad input, and on the shared syndication set scored against
 * itself. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static const char *bin(void) { return tu_bin(1); }
#define run tu_runf

/* A fresh temporary folder (removed by the test's end with rm -r). */
static const char *tmpdir(void)
{
	static char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/reprint-eval-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	cr_assert_not_null(fp, "cannot write %s", path);
	fputs(text, fp);
	fclose(fp);
}

static void rmdir_r(const char *dir)
{
	run(NULL, NULL, "rm -rf '%s'", dir);
}

/* A figure of the --format jsonl object by its dotted path
 * ("pairs.recall_by_relation.full.found"). */
static double fig(const char *json, const char *path)
{
	cJSON *j = cJSON_Parse(json);
	cr_assert_not_null(j, "not JSON: %s", json);
	char k[256];
	snprintf(k, sizeof(k), "%s", path);
	const cJSON *v = j;
	for (char *save = NULL, *part = strtok_r(k, ".", &save); part;
	     part = strtok_r(NULL, ".", &save))
		v = cJSON_GetObjectItemCaseSensitive(v, part);
	cr_assert(cJSON_IsNumber(v), "no number %s in %s", path, json);
	double d = v->valuedouble;
	cJSON_Delete(j);
	return d;
}

/* Six documents in three stories: d1 d2 d3 | d4 d5 | d6. */
static const char *TRUTH6 =
	"id\tstory\n"
	"d1\tS1\nd2\tS1\nd3\tS1\n"
	"d4\tS2\nd5\tS2\n"
	"d6\tS3\n";

Test(eval, six_documents_clusters_score_as_computed_by_hand)
{
	const char *dir = tmpdir();
	put(dir, "truth.tsv", TRUTH6);
	/* {d1 d2} {d3 d4 d5} {d6}: contingency S1: 2, 1; S2: 2; S3: 1.
	 * sum C(nij,2) = 2; stories sum C(a,2) = 3 + 1 = 4; clusters
	 * C(2,2) + C(3,2) = 4; expected 4 * 4 / C(6,2) = 16/15; max 4;
	 * ARI = (2 - 16/15) / (4 - 16/15) = 14/44 = 7/22.
	 * B-cubed precision 1, 1, 1/3, 2/3, 2/3, 1 -> 14/18 = 7/9;
	 * recall 2/3, 2/3, 1/3, 1, 1, 1 -> 7/9. */
	put(dir, "c1.jsonl",
	    "{\"cluster\":1,\"representative\":\"d1\",\"ids\":[\"d1\",\"d2\"]}\n"
	    "{\"cluster\":2,\"representative\":\"d3\",\"ids\":[\"d3\",\"d4\",\"d5\"]}\n");
	char *out, *err;
	int rc = run(&out, &err, "%s eval --truth %s --clusters %s/c1.jsonl --format jsonl",
		     bin(), dir, dir);
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_assert_float_eq(fig(out, "clusters.ari"), 7.0 / 22, 1e-3, "%s", out);
	cr_assert_float_eq(fig(out, "clusters.bcubed_precision"), 7.0 / 9, 1e-3);
	cr_assert_float_eq(fig(out, "clusters.bcubed_recall"), 7.0 / 9, 1e-3);
	cr_assert_float_eq(fig(out, "clusters.bcubed_f1"), 7.0 / 9, 1e-3);

	/* {d1 d2} {d3 d4 d5 d6}: S1: 2, 1; S2: 2; S3: 1 (in cluster 2).
	 * sum C(nij,2) = 2; stories 4; clusters 1 + 6 = 7; expected 28/15;
	 * max 11/2; ARI = (2/15) / (109/30) = 4/109.
	 * Precision 1, 1, 1/4, 2/4, 2/4, 1/4 -> 3.5/6 = 7/12;
	 * recall 2/3, 2/3, 1/3, 1, 1, 1 -> 7/9; F1 = 2/3. */
	put(dir, "c2.jsonl",
	    "{\"cluster\":1,\"representative\":\"d1\",\"ids\":[\"d1\",\"d2\"]}\n"
	    "{\"cluster\":2,\"representative\":\"d3\",\"ids\":[\"d3\",\"d4\",\"d5\",\"d6\"]}\n");
	rc = run(&out, &err, "%s eval --truth %s --clusters %s/c2.jsonl --format jsonl",
		 bin(), dir, dir);
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_assert_float_eq(fig(out, "clusters.ari"), 4.0 / 109, 1e-3, "%s", out);
	cr_assert_float_eq(fig(out, "clusters.bcubed_precision"), 7.0 / 12, 1e-3);
	cr_assert_float_eq(fig(out, "clusters.bcubed_recall"), 7.0 / 9, 1e-3);
	cr_assert_float_eq(fig(out, "clusters.bcubed_f1"), 2.0 / 3, 1e-3);

	/* The text form says the same in one line. */
	rc = run(&out, &err, "%s eval --truth %s --clusters %s/c2.jsonl", bin(), dir, dir);
	cr_assert_eq(rc, 0);
	cr_assert(strstr(out, "clusters: ARI 0.037, B-cubed precision 0.583 recall 0.778 "
			      "f1 0.667 (2 clusters, 6 of 6 documents in them)"), "%s", out);
	rmdir_r(dir);
}

Test(eval, perfect_prediction_scores_one)
{
	const char *dir = tmpdir();
	/* One id holds a tab: escaped in TSV, a JSON escape in the clusters. */
	put(dir, "truth.tsv", "id\tstory\nd1\tS1\nd2\tS1\nd3\tS1\ntab\\there\tS2\nd5\tS2\nd6\tS3\n");
	put(dir, "pairs.tsv",
	    "a\tb\tjaccard\tcontainment_a_in_b\tcontainment_b_in_a\trelation\tsource\tshared_words\tpassages\n"
	    "d1\td2\t1.0\t1.0\t1.0\texact\ta\t10\t1\n"
	    "d3\td1\t0.9\t1.0\t1.0\tlight_edit\ta\t10\t1\n"
	    "d2\td3\t0.9\t1.0\t1.0\tlight_edit\ta\t10\t1\n"
	    "tab\\there\td5\t0.6\t1.0\t0.6\ttrimmed\ta\t10\t1\n");
	put(dir, "clusters.jsonl",
	    "{\"cluster\":1,\"representative\":\"d1\",\"ids\":[\"d1\",\"d2\",\"d3\"]}\n"
	    "{\"cluster\":2,\"representative\":\"d5\",\"ids\":[\"d5\",\"tab\\there\"]}\n");
	char *out, *err;
	int rc = run(&out, &err, "%s eval --truth %s --pairs %s/pairs.tsv --clusters %s/clusters.jsonl",
		     bin(), dir, dir, dir);
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_assert_str_eq(err, "");
	cr_assert(strstr(out, "pairs: precision 1.000 recall 1.000 f1 1.000 (tp 4 fp 0 fn 0; "
			      "outlets unknown: no corpus)"), "%s", out);
	cr_assert(strstr(out, "clusters: ARI 1.000, B-cubed precision 1.000 recall 1.000 f1 1.000"),
		  "%s", out);
	rc = run(&out, &err, "%s eval --truth %s --pairs %s/pairs.tsv --clusters %s/clusters.jsonl "
		 "--format jsonl", bin(), dir, dir, dir);
	cr_assert_eq(rc, 0);
	cr_assert_float_eq(fig(out, "pairs.f1"), 1.0, 1e-9);
	cr_assert_float_eq(fig(out, "clusters.ari"), 1.0, 1e-9);
	cr_assert_float_eq(fig(out, "clusters.bcubed_f1"), 1.0, 1e-9);
	rmdir_r(dir);
}

Test(eval, without_truth_pairs_every_pair_of_one_story_is_a_truth_pair)
{
	const char *dir = tmpdir();
	put(dir, "truth.tsv", TRUTH6);
	put(dir, "corpus.jsonl",
	    "{\"id\":\"d1\",\"outlet\":\"A\",\"text\":\"x\"}\n"
	    "{\"id\":\"d2\",\"outlet\":\"A\",\"text\":\"x\"}\n"
	    "{\"id\":\"d3\",\"outlet\":\"B\",\"text\":\"x\"}\n"
	    "{\"id\":\"d4\",\"outlet\":\"B\",\"text\":\"x\"}\n"
	    "{\"id\":\"d5\",\"outlet\":\"C\",\"text\":\"x\"}\n"
	    "{\"id\":\"d6\",\"outlet\":null,\"text\":\"x\"}\n");
	/* Truth: d1-d2, d1-d3, d2-d3, d4-d5. Predicted (d2-d1 again): true
	 * d1-d2, d4-d5; false d3-d4 (both outlet B), d6-d1, d5-d6.
	 * tp 2, fp 3, fn 2: precision 0.4, recall 0.5, F1 4/9. */
	put(dir, "pairs.tsv",
	    "a\tb\tjaccard\tcontainment_a_in_b\tcontainment_b_in_a\trelation\tsource\tshared_words\tpassages\n"
	    "d1\td2\t1.0\t1.0\t1.0\texact\ta\t10\t1\n"
	    "d2\td1\t1.0\t1.0\t1.0\texact\ta\t10\t1\n"
	    "d3\td4\t0.5\t0.5\t0.5\tpartial\t\t10\t1\n"
	    "d4\td5\t0.6\t1.0\t0.6\ttrimmed\ta\t10\t1\n"
	    "d6\td1\t0.5\t0.5\t0.5\tpartial\t\t10\t1\n"
	    "d5\td6\t0.7\t0.8\t0.8\tlight_edit\t\t10\t1\n");
	char *out, *err;
	int rc = run(&out, &err, "%s eval --truth %s --pairs %s/pairs.tsv --format jsonl",
		     bin(), dir, dir);
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_assert_float_eq(fig(out, "truth.pairs"), 4, 1e-9, "%s", out);
	cr_assert_float_eq(fig(out, "pairs.tp"), 2, 1e-9, "%s", out);
	cr_assert_float_eq(fig(out, "pairs.fp"), 3, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.fn"), 2, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.duplicates"), 1, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.precision"), 0.4, 1e-3);
	cr_assert_float_eq(fig(out, "pairs.recall"), 0.5, 1e-3);
	cr_assert_float_eq(fig(out, "pairs.f1"), 4.0 / 9, 1e-3);
	cr_assert_float_eq(fig(out, "pairs.fp_within_one_outlet"), 1, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.recall_by_relation.same_story.found"), 2, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.recall_by_relation.same_story.total"), 4, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.fp_by_relation.partial"), 2, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.fp_by_relation.light_edit"), 1, 1e-9);

	rc = run(&out, &err, "%s eval --truth %s --pairs %s/pairs.tsv", bin(), dir, dir);
	cr_assert_eq(rc, 0);
	cr_assert(strstr(out, "truth: 6 documents, 3 stories, 4 pairs (all pairs of one story)\n"
			      "pairs: precision 0.400 recall 0.500 f1 0.444 (tp 2 fp 3 fn 2; "
			      "fp within one outlet 1)\n"
			      "recall by relation: same_story 0.500 (2/4)\n"
			      "false positives by predicted relation: partial 2, light_edit 1\n"),
		  "%s", out);
	/* --corpus names another outlet file: now d3 and d4 differ. */
	put(dir, "other.jsonl", "{\"id\":\"d3\",\"outlet\":\"B\"}\n{\"id\":\"d4\",\"outlet\":\"D\"}\n");
	rc = run(&out, &err, "%s eval --truth %s --pairs %s/pairs.tsv --corpus %s/other.jsonl "
		 "--format jsonl", bin(), dir, dir, dir);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_float_eq(fig(out, "pairs.fp_within_one_outlet"), 0, 1e-9, "%s", out);
	rmdir_r(dir);
}

Test(eval, truth_pairs_give_recall_by_relation_and_jsonl_pairs_are_read)
{
	const char *dir = tmpdir();
	put(dir, "truth.tsv", TRUTH6);
	put(dir, "truth_pairs.tsv",
	    "a\tb\trelation\n"
	    "d1\td2\tfull\nd1\td3\ttrimmed\nd2\td3\ttrimmed\nd4\td5\texcerpt\n");
	put(dir, "pairs.jsonl",
	    "  {\"a\":\"d2\",\"b\":\"d1\",\"jaccard\":1.0,\"relation\":\"exact\"}\n"
	    "{\"a\":\"d4\",\"b\":\"d5\",\"relation\":\"partial\"}\n"
	    "\n"
	    "{\"a\":\"d3\",\"b\":\"d6\",\"relation\":\"partial\"}\n");
	char *out, *err;
	int rc = run(&out, &err, "%s eval --truth %s --pairs %s/pairs.jsonl", bin(), dir, dir);
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_assert(strstr(out, "truth: 6 documents, 3 stories, 4 pairs (truth_pairs.tsv)\n"
			      "pairs: precision 0.667 recall 0.500 f1 0.571 (tp 2 fp 1 fn 2; "
			      "outlets unknown: no corpus)\n"
			      "recall by relation: excerpt 1.000 (1/1), full 1.000 (1/1), "
			      "trimmed 0.000 (0/2)\n"
			      "false positives by predicted relation: partial 1\n"), "%s", out);
	/* Read from standard input too. */
	rc = run(&out, &err, "%s eval --truth %s --pairs - --format jsonl < %s/pairs.jsonl",
		 bin(), dir, dir);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_float_eq(fig(out, "pairs.recall_by_relation.trimmed.found"), 0, 1e-9, "%s", out);
	cr_assert_float_eq(fig(out, "pairs.recall_by_relation.trimmed.total"), 2, 1e-9);
	rmdir_r(dir);
}

Test(eval, malformed_lines_are_named_and_exit_1_after_scoring_the_rest)
{
	const char *dir = tmpdir();
	put(dir, "truth.tsv", TRUTH6);
	put(dir, "pairs.tsv", "a\tb\tjaccard\n" "d1\td2\t1.0\n" "d1\n" "d4\td4\t1.0\n" "d4\td5\t1.0\n");
	put(dir, "clusters.jsonl",
	    "{\"ids\":[\"d1\",\"d2\"]}\n" "{\"ids\":[\"d3\",\n" "{\"ids\":\"d4\"}\n"
	    "{\"ids\":[\"d2\",\"d6\"]}\n");
	char *out, *err;
	int rc = run(&out, &err, "%s eval --truth %s --pairs %s/pairs.tsv --clusters %s/clusters.jsonl",
		     bin(), dir, dir, dir);
	cr_assert_eq(rc, 1, "exit %d: %s", rc, err);
	char want[512];
	snprintf(want, sizeof(want), "reprint: %s/pairs.tsv:3: ", dir);
	cr_assert(strstr(err, want), "%s", err);
	snprintf(want, sizeof(want), "reprint: %s/pairs.tsv:4: a pair of 'd4' with itself", dir);
	cr_assert(strstr(err, want), "%s", err);
	snprintf(want, sizeof(want), "reprint: %s/clusters.jsonl:2: malformed JSON", dir);
	cr_assert(strstr(err, want), "%s", err);
	snprintf(want, sizeof(want), "reprint: %s/clusters.jsonl:3: \"ids\" must be an array", dir);
	cr_assert(strstr(err, want), "%s", err);
	snprintf(want, sizeof(want), "reprint: %s/clusters.jsonl:4: 'd2' is already in the "
		 "cluster of line 1", dir);
	cr_assert(strstr(err, want), "%s", err);
	/* The good lines were scored: d1-d2 and d4-d5 of the 4 story pairs. */
	cr_assert(strstr(out, "pairs: precision 1.000 recall 0.500 f1 0.667 (tp 2 fp 0 fn 2;"), "%s", out);
	cr_assert(strstr(out, "clusters: ARI"), "%s", out);

	/* A malformed truth line too. */
	put(dir, "truth.tsv", "id\tstory\nd1\tS1\nd2\nd2\tS1\nd1\tS2\n");
	rc = run(&out, &err, "%s eval --truth %s --clusters %s/clusters.jsonl", bin(), dir, dir);
	cr_assert_eq(rc, 1);
	snprintf(want, sizeof(want), "reprint: %s/truth.tsv:3: expected id<TAB>story", dir);
	cr_assert(strstr(err, want), "%s", err);
	snprintf(want, sizeof(want), "reprint: %s/truth.tsv:5: duplicate id 'd1' (first at line 2)", dir);
	cr_assert(strstr(err, want), "%s", err);
	rmdir_r(dir);
}

Test(eval, ids_not_in_truth_are_counted_and_warned_not_scored)
{
	const char *dir = tmpdir();
	put(dir, "truth.tsv", TRUTH6);
	put(dir, "pairs.tsv", "d1\td2\t1.0\t1\t1\texact\nd1\tzz\t1.0\t1\t1\texact\nyy\tzz\t1\t1\t1\texact\n");
	put(dir, "clusters.jsonl", "{\"ids\":[\"d1\",\"d2\",\"zz\"]}\n");
	char *out, *err;
	int rc = run(&out, &err, "%s eval --truth %s --pairs %s/pairs.tsv --clusters %s/clusters.jsonl "
		     "--format jsonl", bin(), dir, dir, dir);
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "pairs.tsv: 2 ids not in truth.tsv (first: 'zz'); 2 pairs "
			      "with them not scored"), "%s", err);
	cr_assert(strstr(err, "clusters.jsonl: 1 id not in truth.tsv (first: 'zz')"), "%s", err);
	cr_assert_float_eq(fig(out, "pairs.unknown_ids"), 2, 1e-9, "%s", out);
	cr_assert_float_eq(fig(out, "pairs.not_scored"), 2, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.tp"), 1, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.fp"), 0, 1e-9);
	cr_assert_float_eq(fig(out, "clusters.unknown_ids"), 1, 1e-9);
	cr_assert_float_eq(fig(out, "clusters.clustered"), 2, 1e-9);
	rmdir_r(dir);
}

Test(eval, bad_usage_exits_2_and_missing_files_exit_1)
{
	const char *dir = tmpdir();
	put(dir, "truth.tsv", TRUTH6);
	put(dir, "c.jsonl", "{\"ids\":[\"d1\",\"d2\"]}\n");
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s eval --pairs %s/c.jsonl", bin(), dir), 2);
	cr_assert(strstr(err, "--truth"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s eval --truth %s", bin(), dir), 2);
	cr_assert_eq(run(&out, &err, "%s eval --truth %s --clusters %s/c.jsonl --format xml",
			 bin(), dir, dir), 2);
	cr_assert_eq(run(&out, &err, "%s eval --truth %s --clusters %s/c.jsonl extra",
			 bin(), dir, dir), 2);
	cr_assert_eq(run(&out, &err, "%s eval --truth %s --bogus", bin(), dir), 2);
	/* A folder without truth.tsv. */
	int rc = run(&out, &err, "%s eval --truth %s/none --clusters %s/c.jsonl", bin(), dir, dir);
	cr_assert_eq(rc, 1, "exit %d", rc);
	cr_assert(strstr(err, "truth.tsv"), "%s", err);
	cr_assert_str_eq(out, "");
	/* A missing pairs file: the clusters are still scored. */
	rc = run(&out, &err, "%s eval --truth %s --pairs %s/missing.tsv --clusters %s/c.jsonl",
		 bin(), dir, dir, dir);
	cr_assert_eq(rc, 1, "exit %d", rc);
	cr_assert(strstr(err, "cannot read"), "%s", err);
	cr_assert(strstr(out, "clusters: ARI"), "%s", out);
	/* A --corpus that is not there. */
	rc = run(&out, &err, "%s eval --truth %s --clusters %s/c.jsonl --corpus %s/nope.jsonl",
		 bin(), dir, dir, dir);
	cr_assert_eq(rc, 1, "exit %d", rc);
	rmdir_r(dir);
}

/* ../shared/data/syndication/seed1 scored against itself: its truth pairs
 * as predicted pairs and its stories as clusters score 1. */
Test(eval, shared_syndication_truth_against_itself_scores_one)
{
	const char *data = tu_shared_data();
	char seed[1024], probe[1100];
	if (data) {
		snprintf(seed, sizeof(seed), "%s/syndication/seed1", data);
		snprintf(probe, sizeof(probe), "%s/truth.tsv", seed);
	}
	if (!data || access(probe, R_OK) != 0) {
		fprintf(stderr, "SKIP: ../shared/data/syndication/seed1 is absent: "
				"eval of the truth against itself not run\n");
		cr_skip_test("../shared/data/syndication/seed1 is absent");
	}
	const char *dir = tmpdir();
	char *out, *err;
	int rc = run(&out, &err,
		     "awk -F'\\t' 'NR > 1 { m[$2] = m[$2] (m[$2] != \"\" ? \",\" : \"\") \"\\\"\" $1 \"\\\"\" } "
		     "END { for (s in m) print \"{\\\"ids\\\":[\" m[s] \"]}\" }' %s/truth.tsv > %s/c.jsonl",
		     seed, dir);
	cr_assert_eq(rc, 0, "%s", err);
	rc = run(&out, &err, "%s eval --truth %s --pairs %s/truth_pairs.tsv --clusters %s/c.jsonl "
		 "--format jsonl", bin(), seed, seed, dir);
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_assert_float_eq(fig(out, "truth.pairs"), 1558, 1e-9, "%s", out);
	cr_assert_float_eq(fig(out, "pairs.precision"), 1.0, 1e-9, "%s", out);
	cr_assert_float_eq(fig(out, "pairs.recall"), 1.0, 1e-9);
	cr_assert_float_eq(fig(out, "pairs.fp"), 0, 1e-9);
	cr_assert_float_eq(fig(out, "clusters.ari"), 1.0, 1e-9);
	cr_assert_float_eq(fig(out, "clusters.bcubed_f1"), 1.0, 1e-9);
	rmdir_r(dir);
}
