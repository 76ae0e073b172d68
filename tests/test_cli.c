/* CLI tests: run the built reprint binary on samples/ and on bad input. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "testutil.h"

/* (GCC says __SANITIZE_ADDRESS__; clang 14 only __has_feature) */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TU_CLANG_ASAN 1
#endif
#endif
#ifndef TU_CLANG_ASAN
#define TU_CLANG_ASAN 0
#endif

static const char *bin(void) { return tu_bin(1); }
#define run tu_runf
static const char *samples(void) { return tu_samples(); }

/* The pairs samples/README.md promises, in output order. */
static const char *EXPECTED_PAIRS =
	"a\tb\tjaccard\tcontainment_a_in_b\tcontainment_b_in_a\trelation\tsource\tshared_words\tpassages\n"
	"baltic-wire/baltic-grid-synchronised.txt\triga-observer/grid-switch-completed.txt\t0.305310\t0.305310\t1.000000\ttrimmed\ta\t73\t1\n"
	"baltic-wire/baltic-grid-synchronised.txt\tvilnius-daily/baltic-states-join-european-grid.txt\t1.000000\t1.000000\t1.000000\texact\ta\t230\t1\n"
	"baltic-wire/klaipeda-port-expansion.txt\tharbour-gazette/lithuania-bets-on-big-ships.txt\t1.000000\t1.000000\t1.000000\texact\ta\t265\t1\n"
	"baltic-wire/klaipeda-port-expansion.txt\tlakeside-times/port-plans-deep-water-terminal.txt\t0.630769\t0.630769\t1.000000\ttrimmed\ta\t168\t1\n"
	"baltic-wire/klaipeda-port-expansion.txt\tnorthern-ledger/klaipeda-terminal-correction.txt\t0.881295\t0.942308\t0.931559\tlight_edit\ta\t262\t1\n"
	"baltic-wire/klaipeda-port-expansion.txt\tvilnius-daily/klaipeda-terminal-plan.txt\t1.000000\t1.000000\t1.000000\texact\ta\t265\t1\n"
	"harbour-gazette/lithuania-bets-on-big-ships.txt\tlakeside-times/port-plans-deep-water-terminal.txt\t0.630769\t0.630769\t1.000000\ttrimmed\ta\t168\t1\n"
	"harbour-gazette/lithuania-bets-on-big-ships.txt\tnorthern-ledger/klaipeda-terminal-correction.txt\t0.881295\t0.942308\t0.931559\tlight_edit\ta\t262\t1\n"
	"harbour-gazette/lithuania-bets-on-big-ships.txt\tvilnius-daily/klaipeda-terminal-plan.txt\t1.000000\t1.000000\t1.000000\texact\ta\t265\t1\n"
	"lakeside-times/port-plans-deep-water-terminal.txt\tnorthern-ledger/klaipeda-terminal-correction.txt\t0.564103\t0.939024\t0.585551\ttrimmed\ta\t166\t1\n"
	"lakeside-times/port-plans-deep-water-terminal.txt\tvilnius-daily/klaipeda-terminal-plan.txt\t0.630769\t1.000000\t0.630769\ttrimmed\tb\t168\t1\n"
	"northern-ledger/klaipeda-terminal-correction.txt\tvilnius-daily/klaipeda-terminal-plan.txt\t0.881295\t0.931559\t0.942308\tlight_edit\tb\t262\t1\n"
	"riga-observer/grid-switch-completed.txt\tvilnius-daily/baltic-states-join-european-grid.txt\t0.305310\t1.000000\t0.305310\ttrimmed\tb\t73\t1\n"
	"school-essays/essay-maria.txt\tschool-essays/essay-tomas.txt\t0.731602\t0.853535\t0.836634\tlight_edit\ta\t185\t2\n";

Test(cli, scan_of_samples_reports_exactly_the_documented_pairs)
{
	char *out, *err;
	int rc = run(&out, &err, "%s scan %s", bin(), samples());
	cr_assert_eq(rc, 0, "exit %d, stderr: %s", rc, err);
	cr_assert_str_eq(out, EXPECTED_PAIRS);
	cr_assert(strstr(err, "19 records read, 19 documents scanned, 0 rejected"), "%s", err);
	cr_assert(strstr(err, "14 pairs, 3 clusters"), "%s", err);
}

Test(cli, exact_mode_agrees_on_samples)
{
	char *out, *err;
	int rc = run(&out, &err, "%s scan --exact -q %s", bin(), samples());
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_str_eq(out, EXPECTED_PAIRS);
	cr_assert_str_eq(err, "", "--quiet prints no summary");
}

Test(cli, clusters_of_samples)
{
	char path[] = "/tmp/reprint-clusters-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	char *out, *err;
	int rc = run(&out, &err, "%s scan -q -o /dev/null --clusters %s %s", bin(),
		     path, samples());
	cr_assert_eq(rc, 0, "%s", err);
	char *clusters;
	run(&clusters, NULL, "cat %s", path);
	cr_assert_str_eq(clusters,
		"{\"cluster\":1,\"representative\":\"baltic-wire/baltic-grid-synchronised.txt\","
		"\"ids\":[\"baltic-wire/baltic-grid-synchronised.txt\","
		"\"riga-observer/grid-switch-completed.txt\","
		"\"vilnius-daily/baltic-states-join-european-grid.txt\"]}\n"
		"{\"cluster\":2,\"representative\":\"baltic-wire/klaipeda-port-expansion.txt\","
		"\"ids\":[\"baltic-wire/klaipeda-port-expansion.txt\","
		"\"harbour-gazette/lithuania-bets-on-big-ships.txt\","
		"\"lakeside-times/port-plans-deep-water-terminal.txt\","
		"\"northern-ledger/klaipeda-terminal-correction.txt\","
		"\"vilnius-daily/klaipeda-terminal-plan.txt\"]}\n"
		"{\"cluster\":3,\"representative\":\"school-essays/essay-maria.txt\","
		"\"ids\":[\"school-essays/essay-maria.txt\",\"school-essays/essay-tomas.txt\"]}\n");
	/* With singletons every document is in exactly one cluster. */
	rc = run(&out, &err, "%s scan -q -o /dev/null --singletons --clusters %s %s && "
		 "grep -o '\\.txt\"' %s | wc -l", bin(), path, samples(), path);
	cr_assert_eq(rc, 0);
	cr_assert_eq(atoi(out), 19 + 12, "19 ids plus 12 representatives: %s", out);
	unlink(path);
}

Test(cli, jsonl_output_carries_exact_counts)
{
	char *out, *err;
	int rc = run(&out, &err, "%s scan -q --containment 0.8 --format jsonl %s | head -1", bin(), samples());
	cr_assert_eq(rc, 0);
	cr_assert(strstr(out, "\"a\":\"baltic-wire/baltic-grid-synchronised.txt\","
			      "\"b\":\"riga-observer/grid-switch-completed.txt\""), "%s", out);
	/* The trimmed third: all 69 of its shingles are in the original. */
	cr_assert(strstr(out, "\"containment_b_in_a\":1.000000,\"relation\":\"trimmed\""), "%s", out);
	cr_assert(strstr(out, "\"shared\":69,\"shingles_a\":226,\"shingles_b\":69"), "%s", out);
	cr_assert(strstr(out, "\"shared\":"), "%s", out);
}

/* Ids with a tab, a newline, a carriage return or a backslash are
 * written to the pairs TSV escaped (\t \n \r \\), the rest as they are. */
Test(cli, pairs_tsv_escapes_ids)
{
	const char *text = "the quick brown fox jumps over the lazy dog while "
			   "seven old sailors mend their nets by the harbour wall";
	char data[1024];
	int n = snprintf(data, sizeof(data),
			 "{\"id\":\"a\\tb\\\\c\",\"text\":\"%s\"}\n"
			 "{\"id\":\"d\\ne\\rf ok\",\"text\":\"%s\"}\n",
			 text, text);
	char *in = tu_write_temp(data, (size_t)n), *out, *err;
	int rc = run(&out, &err, "%s scan -q %s | tail -1 | cut -f1,2", bin(), in);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_str_eq(out, "a\\tb\\\\c\td\\ne\\rf ok\n");
	unlink(in);
	free(in);
}

Test(cli, bad_jsonl_records_are_listed_and_exit_code_says_so)
{
	const char data[] =
		"{\"id\":\"a\",\"text\":\"the quick brown fox jumps over the lazy dog again\"}\n"
		"{\"id\":\"b\",\"text\":\"the quick brown fox jumps over the lazy dog again\"}\n"
		"{\"id\":\"c\",\"text\":\"bad \xff byte\"}\n"
		"not json at all\n"
		"{\"id\":\"d\",\"text\":\"\"}\n"
		"{\"id\":\"a\",\"text\":\"repeated id\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	char *out, *err;
	int rc = run(&out, &err, "%s scan %s", bin(), path);
	cr_assert_eq(rc, 1, "input errors exit with 1, got %d", rc);
	char want[1024];
	snprintf(want, sizeof(want), "%s:3: rejected 'c': invalid UTF-8", path);
	cr_assert(strstr(err, want), "%s", err);
	snprintf(want, sizeof(want), "%s:4: rejected: malformed JSON", path);
	cr_assert(strstr(err, want), "%s", err);
	/* An empty text is counted, not listed as an error. */
	snprintf(want, sizeof(want), "%s:5: rejected 'd'", path);
	cr_assert_null(strstr(err, want), "%s", err);
	cr_assert(strstr(err, "1 empty texts (or texts with no words) skipped"), "%s", err);
	snprintf(want, sizeof(want), "%s:6: rejected 'a': duplicate id", path);
	cr_assert(strstr(err, want), "%s", err);
	cr_assert(strstr(err, "6 records read, 2 documents scanned, 3 rejected"), "%s", err);
	/* The good records were processed: a and b are a pair. */
	cr_assert(strstr(out, "a\tb\t1.000000\t1.000000\t1.000000\texact\t"), "%s", out);
	unlink(path);
	free(path);
}

Test(cli, stdin_and_several_inputs)
{
	const char data[] = "{\"id\":\"s1\",\"text\":\"one two three four five six\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	char *out, *err;
	int rc = run(&out, &err, "printf '%%s\\n' '{\"id\":\"s2\",\"text\":\"One, two; three four five six!\"}' | %s scan -q - %s",
		     bin(), path);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(strstr(out, "s2\ts1\t1.000000"), "%s", out);
	unlink(path);
	free(path);
}

Test(cli, usage_errors_exit_with_2)
{
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s scan", bin()), 2);
	cr_assert(strstr(err, "at least one INPUT"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s scan --threshold 1.5 x", bin()), 2);
	cr_assert_eq(run(&out, &err, "%s scan --bands 40 --rows 4 x", bin()), 2);
	cr_assert_eq(run(&out, &err, "%s frobnicate", bin()), 2);
	cr_assert_eq(run(&out, &err, "%s scan --no-such-option x", bin()), 2);
	cr_assert_eq(run(&out, &err, "%s --help", bin()), 0);
	cr_assert(strstr(out, "usage: reprint scan"));
}

Test(cli, missing_input_is_an_input_error)
{
	char *out, *err;
	int rc = run(&out, &err, "%s scan /nonexistent.jsonl %s", bin(), samples());
	cr_assert_eq(rc, 1);
	cr_assert(strstr(err, "/nonexistent.jsonl: rejected: cannot open"), "%s", err);
	cr_assert_str_eq(out, EXPECTED_PAIRS, "the readable input is still scanned");
}

Test(cli, tune_prints_the_s_curve)
{
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s tune --threshold 0.8", bin()), 0);
	cr_assert(strstr(out, "bands\t16\nrows\t6\n"), "%s", out);
	cr_assert(strstr(out, "recall_at_threshold\t0.99"), "%s", out);
	cr_assert(strstr(out, "0.8\t0.99"), "%s", out);
	cr_assert(strstr(out, "1.0\t1.000000"), "%s", out);
}

Test(cli, compare_two_files_shows_relation_and_marked_edits)
{
	char *out, *err;
	int rc = run(&out, &err, "NO_COLOR=1 %s compare %s/baltic-wire/klaipeda-port-expansion.txt "
		     "%s/northern-ledger/klaipeda-terminal-correction.txt", bin(), samples(), samples());
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(strstr(out, "relation      light_edit\n"), "%s", out);
	cr_assert(strstr(out, "source        a\n"), "%s", out);
	cr_assert(strstr(out, "jaccard       0.881295\n"), "%s", out);
	cr_assert(strstr(out, "1.[-2-] billion"), "%s", out);
	cr_assert(strstr(out, "1.{+3+} billion"), "%s", out);
	cr_assert(strstr(out, "{+put out to tender+}"), "%s", out);
	cr_assert_null(strstr(out, "\033["), "no colour codes off a terminal");
}

Test(cli, compare_ids_of_a_collection)
{
	const char data[] =
		"{\"id\":\"x\",\"text\":\"alpha beta gamma delta epsilon zeta eta theta iota kappa\",\"date\":\"2026-01-02\"}\n"
		"{\"id\":\"y\",\"text\":\"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu\",\"date\":\"2026-01-01\"}\n"
		"{\"id\":\"z\",\"text\":\"nothing in common with the others at all here\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s compare --in %s x y", bin(), path), 0, "%s", err);
	cr_assert(strstr(out, "relation      near_verbatim\n"), "%s", out);
	cr_assert(strstr(out, "source        b\n"), "y is dated earlier: %s", out);
	cr_assert_eq(run(&out, &err, "%s compare --in %s x z", bin(), path), 0, "%s", err);
	cr_assert(strstr(out, "relation      none"), "%s", out);
	cr_assert_eq(run(&out, &err, "%s compare --in %s x nope", bin(), path), 1);
	cr_assert(strstr(err, "no document with id 'nope'"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s compare onlyone", bin()), 2);
	unlink(path);
	free(path);
}

/* News pages in site chrome, with the default command: reprints across
 * sites are found (the one trimmed to a third by containment), and no two
 * different stories of one site are paired through their shared chrome. */
Test(cli, news_sites_reprints_found_and_chrome_ignored)
{
	char *out, *err;
	int rc = run(&out, &err, "%s scan -q %s", bin(), samples());
	cr_assert_eq(rc, 0, "%s", err);
	const char *want[] = {
		"baltic-wire/baltic-grid-synchronised.txt\triga-observer/grid-switch-completed.txt\t0.305310\t0.305310\t1.000000\ttrimmed\ta\t",
		"baltic-wire/baltic-grid-synchronised.txt\tvilnius-daily/baltic-states-join-european-grid.txt\t1.000000\t1.000000\t1.000000\texact\ta\t",
		"baltic-wire/klaipeda-port-expansion.txt\tvilnius-daily/klaipeda-terminal-plan.txt\t1.000000\t1.000000\t1.000000\texact\ta\t",
		"riga-observer/grid-switch-completed.txt\tvilnius-daily/baltic-states-join-european-grid.txt\t0.305310\t1.000000\t0.305310\ttrimmed\tb\t",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert(strstr(out, want[i]), "missing %s in\n%s", want[i], out);
	/* Every reported pair is one story: no pair within a site. */
	const char *sites[] = { "vilnius-daily", "riga-observer" };
	for (char *line = strchr(out, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		for (size_t s = 0; s < 2; s++) {
			char a[64];
			snprintf(a, sizeof(a), "\n%s/", sites[s]);
			if (strncmp(line, a, strlen(a)) == 0) {
				const char *tab = strchr(line + 1, '\t');
				cr_assert(strncmp(tab + 1, sites[s], strlen(sites[s])) != 0,
					  "two stories of %s paired: %.120s", sites[s], line + 1);
			}
		}
	}
	/* Chrome learned: 8 lines of riga-observer, 15 of vilnius-daily. */
	rc = run(&out, &err, "%s boilerplate %s", bin(), samples());
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(strstr(out, "riga-observer\t4\tMost read\n"), "%s", out);
	cr_assert(strstr(out, "vilnius-daily\t4\tRecent Posts\n"), "%s", out);
	cr_assert(strstr(err, "23 chrome lines learned"), "%s", err);
}

/* Output faults: a full disk, a directory, a file size limit mid-write
 * and a closed pipe each give a message and exit status 3, and never leave
 * an output file that looks complete. */
Test(cli, output_faults_exit_with_3_and_leave_no_partial_file)
{
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s scan -q %s -o /dev/full", bin(), samples()), 3);
	cr_assert(strstr(err, "cannot write /dev/full: No space left on device"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s scan -q %s -o /tmp", bin(), samples()), 3);
	cr_assert(strstr(err, "cannot write /tmp"), "%s", err);

	char dir[] = "/tmp/reprint-fault-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	/* 600 copies of one text: 179,700 pairs, far over a 4 KB limit. */
	char *big = malloc(600 * 64);
	size_t len = 0;
	for (int i = 0; i < 600; i++)
		len += (size_t)sprintf(big + len, "{\"id\":\"c%d\",\"text\":\"one two three four five six\"}\n", i);
	char *in = tu_write_temp(big, len);
	free(big);
	int rc = run(&out, &err, "cd %s && ulimit -f 4 && %s scan -q %s -o out.tsv; echo $?; ls -A",
		     dir, bin(), in);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(out, "3\n", "exit 3 and no out.tsv nor temporary left: %s", out);
	cr_assert(strstr(err, "cannot write out.tsv"), "%s", err);
	/* A reader that goes away: the rest of the output has nowhere to go. */
	rc = run(&out, &err, "( %s scan -q --bucket-cap 1000 %s; echo \"rc=$?\" >&2 ) | head -c 10 >/dev/null",
		 bin(), in);
	cr_assert(strstr(err, "rc=3"), "%s", err);
	cr_assert(strstr(err, "cannot write standard output: Broken pipe"), "%s", err);
	unlink(in);
	free(in);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

static double stats_number(const char *path, const char *key);

/* A stock phrase on hundreds of pages is not a passage: its fingerprints
 * are left out of the passage search and counted in the summary and the
 * stats, with no warning; an LSH bucket over --bucket-cap still warns. */
Test(cli, common_phrases_are_counted_not_warned_of)
{
	size_t n = 400, cap = n * 400, len = 0;
	char *buf = malloc(cap);
	uint64_t st = 7;
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(buf + len, cap - len, "{\"id\":\"d%zu\",\"text\":\"", i);
		for (int w = 0; w < 40; w++) {
			uint64_t r = tu_rand(&st);
			len += (size_t)snprintf(buf + len, cap - len, "%c%c%c%c%c ",
						'a' + (int)(r % 26), 'a' + (int)(r / 26 % 26),
						'a' + (int)(r / 676 % 26),
						'a' + (int)(r / 17576 % 26),
						'a' + (int)(r / 456976 % 26));
		}
		len += (size_t)snprintf(buf + len, cap - len, "according to people "
					"familiar with the matter who asked not to be "
					"named\"}\n");
	}
	char *in = tu_write_temp(buf, len);
	free(buf);
	char dir[] = "/tmp/reprint-common-XXXXXX", *out, *err;
	cr_assert_not_null(mkdtemp(dir));
	int rc = run(&out, &err, "cd %s && %s scan %s -o pairs.tsv --stats s.json && "
		     "wc -l < pairs.tsv", dir, bin(), in);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(atoi(out), 1, "no pair, the header only: %s", out);
	cr_assert_null(strstr(err, "warning"), "%s", err);
	cr_assert(strstr(err, "fingerprints of common phrases (on over 256 places, "
			 "the most on 400)"), "%s", err);
	char path[4200];
	snprintf(path, sizeof(path), "%s/s.json", dir);
	cr_assert_gt(stats_number(path, "common_fingerprints"), 0);
	cr_assert_eq(stats_number(path, "skipped_buckets"), 0);
	/* 400 copies of one text: one LSH bucket of 400 in every band. */
	buf = malloc(n * 64);
	len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "{\"id\":\"c%zu\",\"text\":\"one two "
				       "three four five six\"}\n", i);
	char *same = tu_write_temp(buf, len);
	free(buf);
	rc = run(&out, &err, "%s scan -q --bucket-cap 100 %s -o /dev/null", bin(), same);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(strstr(err, "warning:") && strstr(err, "LSH buckets over --bucket-cap 100 "
							 "documents were skipped (the largest: 400)"),
		  "%s", err);
	unlink(in);
	unlink(same);
	free(in);
	free(same);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(cli, rejects_file_lists_every_rejected_record)
{
	const char data[] = "{\"id\":\"a\",\"text\":\"fine text here\"}\n{broken\n{\"id\":\"a\",\"text\":\"dup\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s scan -q %s -o /dev/null --rejects -", bin(), path), 1);
	char want[1024];
	snprintf(want, sizeof(want),
		 "{\"source\":\"%s\",\"line\":2,\"id\":null,\"reason\":\"malformed JSON near column 3\"}\n"
		 "{\"source\":\"%s\",\"line\":3,\"id\":\"a\",\"reason\":\"duplicate id (first seen at %s:1)\"}\n",
		 path, path, path);
	cr_assert_str_eq(out, want);
	unlink(path);
	free(path);
}

/* Without dates the syndication summary says that its first publication
 * is a guess (the longest text), and with dates that it is not. */
Test(cli, syndication_says_when_first_is_a_guess)
{
	char *out, *err;
	int rc = run(&out, &err,
		     "printf '%%s\\n' '{\"id\":\"x\",\"outlet\":\"A\",\"text\":\"%s\"}' "
		     "'{\"id\":\"y\",\"outlet\":\"B\",\"text\":\"%s\"}' | "
		     "%s scan -q --syndication - -o /dev/null -",
		     "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty",
		     "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty",
		     bin());
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(strstr(out, "\"first_by\":\"longest_text\",\"first_is_guess\":true"), "%s", out);
	rc = run(&out, &err, "%s scan -q --syndication - -o /dev/null %s", bin(), samples());
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(strstr(out, "\"first_by\":\"date\",\"first_is_guess\":false"), "%s", out);
	cr_assert(!strstr(out, "\"first_is_guess\":true"), "%s", out);
}

/* Every pair scan reports on a collection, compared with --in, has scan's
 * Jaccard, both containments, relation and source. */
static void compare_agrees_with_scan(const char *dir)
{
	char *out, *err;
	int rc = run(&out, &err, "%s scan -q %s", bin(), dir);
	cr_assert_eq(rc, 0, "%s", err);
	char *pairs = strdup(out);
	size_t checked = 0;
	char *save = NULL;
	for (char *line = strtok_r(pairs, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char a[512], b[512], rel[32], src[8] = "";
		double j, ca, cb;
		if (strncmp(line, "a\tb\t", 4) == 0)
			continue;
		int n = sscanf(line, "%511[^\t]\t%511[^\t]\t%lf\t%lf\t%lf\t%31[^\t]\t%7[^\t]",
			       a, b, &j, &ca, &cb, rel, src);
		cr_assert_geq(n, 6, "%s", line);
		if (n == 6 || strcmp(src, "0") == 0 || isdigit((unsigned char)src[0]))
			strcpy(src, "unknown");
		/* Asked in the other order: compare reports the pair in the
		 * collection's order, as scan does. */
		rc = run(&out, &err, "NO_COLOR=1 %s compare --in %s '%s' '%s'", bin(),
			 dir, b, a);
		cr_assert_eq(rc, 0, "%s", err);
		char want[1200];
		snprintf(want, sizeof(want), "a  %s", a);
		cr_assert(strstr(out, want), "%s\n%s", line, out);
		snprintf(want, sizeof(want),
			 "relation      %s\nreported      yes", rel);
		cr_assert(strstr(out, want), "%s\n%s", line, out);
		snprintf(want, sizeof(want),
			 "source        %s\njaccard       %.6f\na in b        %.6f\n"
			 "b in a        %.6f\n", src, j, ca, cb);
		cr_assert(strstr(out, want), "%s\nwant:\n%s\ngot:\n%s", line, want, out);
		checked++;
	}
	cr_assert_gt(checked, 5, "%s: %zu pairs", dir, checked);
	free(pairs);
}

Test(cli, compare_in_a_collection_agrees_with_scan)
{
	char fixture[4096];
	compare_agrees_with_scan(samples());
	snprintf(fixture, sizeof(fixture), "%s/../tests/fixtures/news-folder", samples());
	compare_agrees_with_scan(fixture);
}

Test(cli, compare_of_loose_files_says_no_chrome_was_learned)
{
	char *out, *err;
	int rc = run(&out, &err, "NO_COLOR=1 %s compare %s/baltic-wire/klaipeda-port-expansion.txt "
		     "%s/vilnius-daily/klaipeda-terminal-plan.txt", bin(), samples(), samples());
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(strstr(out, "chrome        none learned: two loose files"), "%s", out);
}

Test(cli, options_belong_to_their_command)
{
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s scan -h", bin()), 0);
	cr_assert(strstr(out, "usage: reprint scan"), "%s", out);
	cr_assert(strstr(out, "--threshold T"), "%s", out);
	cr_assert(strstr(out, "--syndication FILE"), "%s", out);
	cr_assert_null(strstr(out, "--in COLLECTION"), "compare's option is not scan's: %s", out);
	cr_assert_eq(run(&out, &err, "%s tune --help", bin()), 0);
	cr_assert(strstr(out, "usage: reprint tune"), "%s", out);
	cr_assert_null(strstr(out, "--html"), "%s", out);
	cr_assert_eq(run(&out, &err, "%s compare -h", bin()), 0);
	cr_assert(strstr(out, "--in COLLECTION"), "%s", out);

	cr_assert_eq(run(&out, &err, "%s tune --html x", bin()), 2);
	cr_assert(strstr(err, "--html is not an option of tune"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s boilerplate --format jsonl %s", bin(), samples()), 2);
	cr_assert(strstr(err, "--format is not an option of boilerplate"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s scan --threshhold 0.8 %s", bin(), samples()), 2);
	cr_assert(strstr(err, "did you mean --threshold?"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s scan --threshold %s", bin(), samples()), 2);
	cr_assert_eq(run(&out, &err, "%s scan --threshold", bin()), 2);
	cr_assert(strstr(err, "needs a value"), "%s", err);
	cr_assert(strstr(err, "reprint scan --help"), "%s", err);
}

Test(cli, a_bad_analysis_option_names_the_field_and_its_range)
{
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s scan --perms 5000 %s", bin(), samples()), 2);
	cr_assert(strstr(err, "num_perm"), "%s", err);
	cr_assert(strstr(err, "1..4096"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s scan -k 2000 %s", bin(), samples()), 2);
	cr_assert(strstr(err, "1..1024"), "%s", err);
	cr_assert_eq(run(&out, &err, "%s scan --perms 64 --bands 20 --rows 4 %s", bin(), samples()), 2);
	cr_assert(strstr(err, "num_perm (64)"), "%s", err);
	cr_assert_str_eq(out, "", "nothing is read or written");
}

/* --html never costs anyone a folder: a non-empty folder that holds no
 * earlier report is refused before any work, and left as it was. */
Test(cli, html_into_a_folder_of_other_files_is_refused_untouched)
{
	char dir[] = "/tmp/reprint-home-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char *out, *err;
	cr_assert_eq(run(&out, &err, "cd %s && echo mine > notes.txt && mkdir sub && "
			 "echo x > sub/a && ls -lR --time-style=+%%s > /tmp/before-%d",
			 dir, (int)getpid()), 0);
	int rc = run(&out, &err, "%s scan -q %s --html %s -o /dev/null", bin(), samples(), dir);
	cr_assert_eq(rc, 2, "%s", err);
	cr_assert(strstr(err, "is not empty and holds no earlier report"), "%s", err);
	cr_assert_eq(run(&out, &err, "cd %s && ls -lR --time-style=+%%s | cmp - /tmp/before-%d",
			 dir, (int)getpid()), 0, "the folder changed");
	/* An empty folder, or an earlier report, is replaced as a whole. */
	cr_assert_eq(run(&out, &err, "rm -rf %s/* && %s scan -q %s --html %s -o /dev/null && "
			 "ls -A %s | grep -c .reprint-report", dir, bin(), samples(), dir, dir), 0);
	run(NULL, NULL, "rm -rf %s /tmp/before-%d", dir, (int)getpid());
}

/* Text, titles, ids and outlets stay escaped on every page. */
Test(cli, html_report_escapes_every_text)
{
	const char data[] =
		"{\"id\":\"<script>alert(1)</script>\",\"outlet\":\"<img src=x onerror=alert(2)>\","
		"\"title\":\"\\\"><svg onload=alert(3)>\",\"date\":\"2026-01-01\","
		"\"text\":\"the story <script>alert(4)</script> of the port of klaipeda and its deep water terminal for big ships\"}\n"
		"{\"id\":\"b<b>\",\"outlet\":\"o' onmouseover='alert(5)\",\"title\":\"t\",\"date\":\"2026-01-02\","
		"\"text\":\"the story <script>alert(4)</script> of the port of klaipeda and its deep water terminal for big ships\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	char dir[] = "/tmp/reprint-xss-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char *out, *err;
	cr_assert_eq(run(&out, &err, "%s scan -q %s --html %s/r -o /dev/null", bin(), path, dir), 0, "%s", err);
	cr_assert_eq(run(&out, &err, "ls %s/r/*.html | wc -l", dir), 0);
	cr_assert_geq(atoi(out), 6, "index, outlets, lists, a story, a pair: %s", out);
	/* No payload is a tag or an attribute: escaped, it is only text. */
	cr_assert_neq(run(&out, &err, "grep -iE '<(script|img)|<svg onload|<[^>]*[[:space:]]"
			  "on[a-z]+=' %s/r/*.html", dir), 0,
		      "a payload is live: %s", out);
	cr_assert_eq(run(&out, &err, "grep -l '&lt;script&gt;alert(1)' %s/r/*.html | wc -l", dir), 0);
	cr_assert_geq(atoi(out), 2, "the id is shown, escaped");
	run(NULL, NULL, "rm -rf %s", dir);
	unlink(path);
	free(path);
}

/* A real collection's report is paged, every story reachable, and a
 * second run into the same folder leaves no file of the first. */
Test(cli, html_report_of_a_collection_is_paged_and_whole)
{
	char in[4096], dir[] = "/tmp/reprint-rep-XXXXXX";
	const char *shared = tu_shared_data();
	if (shared)
		snprintf(in, sizeof(in), "%s/syndication/seed1/corpus.jsonl", shared);
	else {
		fprintf(stderr, "SKIP-PART: ../shared/data is absent: the report is "
			"made of samples/\n");
		snprintf(in, sizeof(in), "%s", samples());
	}
	cr_assert_not_null(mkdtemp(dir));
	char *out, *err;
	cr_assert_leq(run(&out, &err, "%s scan -q %s --html %s/r -o /dev/null", bin(), in, dir), 1,
		      "%s", err);
	cr_assert_eq(run(&out, &err, "ls %s/r/story-*.html | wc -l; cat %s/r/stories-size-*.html "
			 "| grep -o 'href=\"story-[0-9]*.html\"' | sort -u | wc -l; "
			 "cat %s/r/stories-date-*.html | grep -o 'href=\"story-[0-9]*.html\"' "
			 "| sort -u | wc -l", dir, dir, dir), 0);
	int stories = 0, by_size = 0, by_date = 0;
	cr_assert_eq(sscanf(out, "%d %d %d", &stories, &by_size, &by_date), 3, "%s", out);
	cr_assert_gt(stories, 0);
	cr_assert_eq(by_size, stories, "%s", out);
	cr_assert_eq(by_date, stories, "%s", out);
	if (shared)
		cr_assert_gt(stories, 100, "seed1 has more stories than a page holds");
	cr_assert_eq(run(&out, &err, "%s scan -q %s --html %s/r -o /dev/null && "
			 "%s scan -q %s --html %s/fresh -o /dev/null && "
			 "ls -A %s/r > %s/a && ls -A %s/fresh > %s/b && cmp %s/a %s/b",
			 bin(), samples(), dir, bin(), samples(), dir, dir, dir, dir, dir,
			 dir, dir), 0, "files of the first run remain");
	run(NULL, NULL, "rm -rf %s", dir);
}

/* --dedup: the collection without its duplicates, records as they were. */
Test(cli, dedup_writes_the_collection_without_its_duplicates)
{
	const char data[] =
		"{\"id\":\"a\",\"url\":\"http://a\",\"date\":\"2026-01-01\",\"text\":\"the port of klaipeda will build a deep water terminal for the largest ships of the baltic sea\"}\n"
		"\n"
		"{\"id\":\"b\",\"url\":\"http://b\",\"date\":\"2026-01-02\",\"text\":\"the port of klaipeda will build a deep water terminal for the largest ships of the baltic sea\"}\n"
		"{\"id\":\"c\",\"url\":\"http://c\",\"text\":\"a different story about the tram line of riga and its new cars for the old town\"}\n"
		"{\"id\":\"d\",\"text\":\"\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	char *out, *err;
	int rc = run(&out, &err, "%s scan -q --jaccard-only %s -o /dev/null --dedup - && "
		     "gzip -c %s > %s.gz && %s scan -q --jaccard-only %s.gz -o /dev/null "
		     "--dedup %s.gz.dedup && cat %s.gz.dedup", bin(), path, path, path,
		     bin(), path, path, path);
	cr_assert_eq(rc, 0, "%s", err);
	const char *want =
		"{\"id\":\"a\",\"url\":\"http://a\",\"date\":\"2026-01-01\",\"text\":\"the port of klaipeda will build a deep water terminal for the largest ships of the baltic sea\"}\n"
		"{\"id\":\"c\",\"url\":\"http://c\",\"text\":\"a different story about the tram line of riga and its new cars for the old town\"}\n";
	/* Written twice: from the plain file, then from its gzip copy. */
	char both[2048];
	snprintf(both, sizeof(both), "%s%s", want, want);
	cr_assert_str_eq(out, both);
	/* A text tree: each kept document as a JSON record of its fields. */
	rc = run(&out, &err, "%s scan -q %s -o /dev/null --dedup - | wc -l", bin(), samples());
	cr_assert_eq(rc, 0);
	cr_assert_eq(atoi(out), 19 - (3 - 1) - (5 - 1) - (2 - 1), "%s", out);
	run(NULL, NULL, "rm -f %s.gz %s.gz.dedup", path, path);
	unlink(path);
	free(path);
}

/* reprint dedup on a news collection (seed1 of ../shared, else the news
 * fixture): records read = kept + removed + rejected; every kept line is
 * an input line, byte for byte and in input order; --removed names
 * exactly the records left out, each with a kept representative; .gz
 * and .zst outputs hold the same bytes; --stats says the same counts; and
 * with ground truth, each truth pair loses at least one of its two. */
Test(cli, dedup_command_keeps_input_lines_and_accounts_for_every_record)
{
	char d[] = "/tmp/reprint-dedup-XXXXXX", in[4096];
	cr_assert_not_null(mkdtemp(d));
	const char *shared = tu_shared_data();
	int truth = 0;
	if (shared) {
		snprintf(in, sizeof(in), "%s/syndication/seed1/corpus.jsonl", shared);
		truth = 1;
	} else {
		fprintf(stderr, "SKIP-PART: ../shared/data is absent: dedup is tested "
			"on the news fixture, without ground truth\n");
		snprintf(in, sizeof(in), "%s/in.jsonl", d);
		cr_assert_eq(run(NULL, NULL, "cd %s/../tests/fixtures/news-folder && "
				 "find . -name '*.txt' | sort | python3 -c 'import json,sys\n"
				 "for f in sys.stdin.read().split():\n"
				 "  t = open(f).read().split(\"\\n\", 2)\n"
				 "  print(json.dumps({\"id\": f, \"outlet\": f.split(\"/\")[1],"
				 " \"date\": t[0][6:], \"text\": t[2]}))' > %s",
				 samples(), in), 0);
	}
	char *out, *err;
	int rc = run(&out, &err, "cd %s && %s dedup %s -o kept.jsonl --removed removed.tsv "
		     "--stats stats.json && %s dedup -q %s -o kept.jsonl.gz && "
		     "%s dedup -q %s -o kept.jsonl.zst && zcat kept.jsonl.gz | cmp - kept.jsonl "
		     "&& zstdcat -q kept.jsonl.zst | cmp - kept.jsonl",
		     d, bin(), in, bin(), in, bin(), in);
	cr_assert_eq(rc, 0, "%s", err);
	size_t seen, kept, removed, rejected;
	const char *sum = strstr(err, "records read = ");
	cr_assert_not_null(sum, "no summary: %s", err);
	while (sum > err && sum[-1] != '\n')
		sum--;
	cr_assert_eq(sscanf(sum, "reprint: %zu records read = %zu kept + %zu removed + "
			    "%zu rejected", &seen, &kept, &removed, &rejected), 4, "%s", err);
	cr_assert_eq(seen, kept + removed + rejected);
	cr_assert_gt(removed, 0);
	/* The kept lines: input lines, in input order, as many as said;
	 * removed + kept ids = every input id, disjoint; representatives
	 * kept; the stats file agrees. */
	rc = run(&out, &err, "cd %s && python3 - %s <<'PY'\n"
		 "import json, sys\n"
		 "lines = [l.rstrip('\\n') for l in open(sys.argv[1]) if l.strip()]\n"
		 "kept = [l.rstrip('\\n') for l in open('kept.jsonl')]\n"
		 "i = 0\n"
		 "for k in kept:\n"
		 "    while i < len(lines) and lines[i] != k: i += 1\n"
		 "    assert i < len(lines), 'not an input line in order: ' + k[:80]\n"
		 "    i += 1\n"
		 "ids = [json.loads(l)['id'] for l in lines]\n"
		 "kid = set(json.loads(l)['id'] for l in kept)\n"
		 "rows = [r.split('\\t') for r in open('removed.tsv').read().splitlines()[1:]]\n"
		 "rid = set(r[0] for r in rows)\n"
		 "assert not (kid & rid), 'kept and removed'\n"
		 "assert kid | rid == set(ids), 'records neither kept nor removed'\n"
		 "assert all(r[1] in kid for r in rows), 'a representative not kept'\n"
		 "assert all(r[4] in kid | rid and r[2] != '-' for r in rows)\n"
		 "st = json.load(open('stats.json'))['counts']\n"
		 "assert st['kept'] == len(kept) and st['removed'] == len(rows), st\n"
		 "print(len(kept), len(rows))\n"
		 "PY\n", d, in);
	cr_assert_eq(rc, 0, "%s", err);
	size_t k2 = 0, r2 = 0;
	cr_assert_eq(sscanf(out, "%zu %zu", &k2, &r2), 2);
	cr_assert_eq(k2, kept);
	cr_assert_eq(r2, removed);
	if (truth) {
		/* Each planted copy goes, or its original does: of each truth
		 * pair at most one stays. scan finds 99% of seed1's pairs
		 * (bench/eval_news.sh), so a few may stay. */
		rc = run(&out, &err, "cd %s && python3 - %s/syndication/seed1/truth_pairs.tsv <<'PY'\n"
			 "import json, sys\n"
			 "kid = set(json.loads(l)['id'] for l in open('kept.jsonl'))\n"
			 "rows = [l.split('\\t')[:2] for l in open(sys.argv[1]).read().splitlines()[1:]]\n"
			 "both = sum(1 for a, b in rows if a in kid and b in kid)\n"
			 "print(len(rows), both)\n"
			 "PY\n", d, shared);
		cr_assert_eq(rc, 0, "%s", err);
		size_t pairs = 0, both = 0;
		cr_assert_eq(sscanf(out, "%zu %zu", &pairs, &both), 2, "%s", out);
		cr_assert_gt(pairs, 100);
		cr_assert_leq(both * 100, pairs * 2, "%zu of %zu truth pairs both kept",
			      both, pairs);
		fprintf(stderr, "dedup of seed1: %zu kept, %zu removed; %zu of %zu "
			"truth pairs both kept\n", kept, removed, both, pairs);
	}
	run(NULL, NULL, "rm -rf %s", d);
}

/* A top-level number of a --stats file, or -1. */
static double stats_number(const char *path, const char *key)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	cJSON *o = cJSON_Parse(buf);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v) /* the counts are one level down */
		v = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(o, "counts"), key);
	double x = cJSON_IsNumber(v) ? v->valuedouble : -1;
	cJSON_Delete(o);
	return x;
}

/* A collection four times and more the size of its --memory bound: the
 * same pairs as without the bound (read plain and from zstd), within
 * the bound plus the process's own overhead (6 MB of libraries, the per-document tables: 16 MB here),
 * and below the unbounded run, which holds every text; the temporary
 * files are gone at the end. */
Test(cli, a_memory_bound_well_below_the_collection_gives_the_same_pairs)
{
	char d[] = "/tmp/reprint-memory-XXXXXX", path[4200];
	cr_assert_not_null(mkdtemp(d));
	int wrapped = getenv("REPRINT_WRAPPER") != NULL;
	/* 6,000 texts of 500 words (24 MB); under Valgrind 600. */
	size_t ndocs = wrapped ? 600 : 6000, nwords = 500;
	snprintf(path, sizeof(path), "%s/in.jsonl", d);
	FILE *fp = fopen(path, "w");
	cr_assert_not_null(fp);
	uint64_t st = 42;
	char **texts = calloc(ndocs, sizeof(*texts));
	cr_assert_not_null(texts);
	for (size_t i = 0; i < ndocs; i++) {
		char *t = malloc(nwords * 12 + 64);
		cr_assert_not_null(t);
		size_t len = 0;
		if (i % 10 == 9) {
			/* A copy of an earlier text, a few words changed or
			 * cut: a reprint. */
			strcpy(t, texts[i - 1 - tu_rand(&st) % 8]);
			len = strlen(t);
			for (int e = 0; e < 5; e++) {
				/* A letter, never the n of an escaped \n. */
				size_t at = tu_rand(&st) % len;
				if (t[at] >= 'a' && t[at] <= 'z' &&
				    (!at || t[at - 1] != '\\'))
					t[at] = 'q';
			}
			if (i % 20 == 19)
				*strchr(t + len / 2, ' ') = '\0';
		} else {
			for (size_t w = 0; w < nwords; w++) {
				uint64_t r = tu_rand(&st);
				len += (size_t)sprintf(t + len, "%s%c%c%c%c%s",
					w ? " " : "", 'a' + (int)(r % 26),
					'a' + (int)(r / 26 % 26),
					'a' + (int)(r / 676 % 26),
					'a' + (int)(r / 17576 % 26),
					w % 40 == 39 ? "\\n" : "");
			}
		}
		texts[i] = t;
		fprintf(fp, "{\"id\":\"d%zu\",\"outlet\":\"o%zu\",\"text\":\"Share "
			"this\\n%s\"}\n", i, i % 7, t);
	}
	cr_assert_eq(fclose(fp), 0);
	for (size_t i = 0; i < ndocs; i++)
		free(texts[i]);
	free(texts);

	char *out, *err;
	int mb = wrapped ? 1 : 4; /* the bound, MB */
	int rc = run(&out, &err, "cd %s && mkdir tmp && %s scan -q --memory 0 in.jsonl "
		     "-o free.tsv --stats free.json && %s scan -q --memory %dM "
		     "--tmpdir tmp in.jsonl -o bound.tsv --stats bound.json && "
		     "cmp free.tsv bound.tsv && zstd -q in.jsonl -o in.jsonl.zst && "
		     "%s scan -q --memory %dM --tmpdir tmp in.jsonl.zst -o zst.tsv && "
		     "cmp free.tsv zst.tsv && test -z \"$(ls -A tmp)\" && "
		     "wc -l < bound.tsv", d, bin(), bin(), mb, bin(), mb);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_gt(atol(out), (long)ndocs / 20, "pairs were found: %s", out);
	char fs[4200], bs[4200];
	snprintf(fs, sizeof(fs), "%s/free.json", d);
	snprintf(bs, sizeof(bs), "%s/bound.json", d);
	double text = stats_number(fs, "text_bytes");
	cr_assert_gt(text, 0, "--stats counts the text bytes");
	cr_assert_geq(stats_number(bs, "temporary_bytes"), text - (mb << 20) / 64,
		      "texts past a 64th of the bound went to a file");
	cr_assert_eq(stats_number(fs, "temporary_bytes"), 0);
	double fpeak = stats_number(fs, "peak_rss_mb"),
	       bpeak = stats_number(bs, "peak_rss_mb");
	cr_assert_gt(bpeak, 0);
#if defined(__SANITIZE_ADDRESS__) || TU_CLANG_ASAN
	int measured = 0; /* ASan's shadow memory and quarantine */
#else
	int measured = !wrapped;
#endif
	if (measured) {
		/* (Valgrind's own memory says nothing of the program's.) */
		/* The overhead: what the process holds for three records
		 * under the same bound (libraries, 7 MB here), and 12 MB of
		 * buffers whose sizes have a 1 MB floor whatever the bound
		 * (two read batches and what parsing them makes, the spool's
		 * two write buffers, a quantum of mapped texts a thread).
		 * Runs peaked 2-9 MB over the first two, with the suite's
		 * other tests beside them. */
		rc = run(&out, &err, "cd %s && head -3 in.jsonl > three.jsonl && "
			 "%s scan -q --memory %dM --tmpdir tmp three.jsonl "
			 "-o three.tsv --stats three.json", d, bin(), mb);
		cr_assert_eq(rc, 0, "%s", err);
		snprintf(bs, sizeof(bs), "%s/three.json", d);
		double base = stats_number(bs, "peak_rss_mb");
		cr_assert_gt(base, 0);
		cr_assert_leq(bpeak, base + mb + 12,
			      "bound %d MB + %.1f MB for three records + 12 MB: "
			      "%.1f MB", mb, base, bpeak);
		cr_assert_geq(fpeak, bpeak + 16,
			      "the unbounded run holds the 24 MB of texts: %.1f "
			      "vs %.1f MB", fpeak, bpeak);
	}
	/* The temporary file cannot grow past 1 MB (sh's ulimit -f counts
	 * 512-byte blocks): the spool's writer fails while reading goes on,
	 * and the run says so and stops, with no output and nothing left
	 * behind. */
	rc = run(&out, &err, "cd %s && ulimit -f 2048 && %s scan -q --memory %dM "
		 "--tmpdir tmp in.jsonl -o capped.tsv; echo $?; ls -A . tmp",
		 d, bin(), mb);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(strstr(out, "3\n") == out, "exit 3: %s", out);
	cr_assert_null(strstr(out, "capped.tsv"), "no output: %s", out);
	cr_assert(strstr(err, "cannot write the temporary file in tmp: File too large"),
		  "%s", err);
	run(NULL, NULL, "rm -rf %s", d);
}
