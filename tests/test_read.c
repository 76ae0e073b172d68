/* Tests of read.c: JSONL and text-tree readers. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reprint.h"
#include "testutil.h"

static void expect_reject(rp_corpus *c, size_t i, size_t line, const char *what)
{
	rp_reject r;
	cr_assert_eq(rp_corpus_reject(&r, c, i), RP_OK);
	cr_assert_eq(r.line, line, "reject %zu: line %zu, want %zu (%s)", i,
		     r.line, line, r.reason);
	cr_assert(strstr(r.reason, what), "reject %zu: '%s' lacks '%s'", i,
		  r.reason, what);
}

Test(read, jsonl_bad_lines_are_named_and_good_ones_kept)
{
	const char data[] =
		"{\"id\":\"a\",\"text\":\"first good story\",\"outlet\":\"X\",\"date\":\"2026-01-02\"}\n"
		"{\"id\":\"b\",\"text\":\"broken\n"
		"{\"id\":\"c\",\"text\":\"bad \xc3\x28 utf8\"}\n"
		"\n"
		"{\"id\":\"d\",\"text\":\"\"}\n"
		"{\"id\":\"a\",\"text\":\"duplicate id\"}\n"
		"[1,2,3]\n"
		"{\"id\":\"e\",\"text\":42}\n"
		"{\"id\":\"f\"}\n"
		"{\"id\":\"g\",\"text\":\"nul \\u0000 escape\"}\n"
		"{\"id\":7,\"text\":\"numeric id is fine\",\"title\":null}\n"
		"{\"text\":\"no id at all\"}\r\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	rp_corpus *c;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, path, NULL), RP_OK);
	cr_assert_eq(rp_corpus_count(c), 3);
	cr_assert_eq(rp_corpus_reject_count(c), 8);
	expect_reject(c, 0, 2, "malformed JSON");
	expect_reject(c, 1, 3, "invalid UTF-8");
	expect_reject(c, 2, 5, "empty text");
	expect_reject(c, 3, 6, "duplicate id");
	expect_reject(c, 4, 7, "not a JSON object");
	expect_reject(c, 5, 8, "wrong type");
	expect_reject(c, 6, 9, "no \"text\" field");
	expect_reject(c, 7, 10, "escaped NUL");
	cr_assert_eq(rp_corpus_records_seen(c), 11, "blank lines are not records");
	rp_doc_info d;
	rp_corpus_doc(&d, c, 0);
	cr_assert_str_eq(d.id, "a");
	cr_assert_str_eq(d.outlet, "X");
	cr_assert(d.has_timestamp);
	rp_corpus_doc(&d, c, 1);
	cr_assert_str_eq(d.id, "7");
	cr_assert_null(d.title);
	rp_corpus_doc(&d, c, 2);
	char want[600];
	snprintf(want, sizeof(want), "%s:12", path);
	cr_assert_str_eq(d.id, want);
	rp_corpus_free(c);
	unlink(path);
	free(path);
}

Test(read, jsonl_field_names_can_be_overridden)
{
	const char data[] = "{\"key\":\"x1\",\"body\":\"hello there\",\"headline\":\"H\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	rp_read_options ro = RP_READ_OPTIONS_INIT;
	ro.id_field = "key";
	ro.text_field = "body";
	ro.title_field = "headline";
	rp_corpus *c;
	rp_doc_info d;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, path, &ro), RP_OK);
	cr_assert_eq(rp_corpus_count(c), 1);
	rp_corpus_doc(&d, c, 0);
	cr_assert_str_eq(d.id, "x1");
	cr_assert_str_eq(d.title, "H");
	cr_assert_str_eq(d.text, "hello there");
	rp_corpus_free(c);
	unlink(path);
	free(path);
}

Test(read, missing_path_is_an_io_error_and_a_reject)
{
	rp_corpus *c;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, "/nonexistent/file.jsonl", NULL), RP_EIO);
	cr_assert_eq(rp_corpus_reject_count(c), 1);
	expect_reject(c, 0, 0, "cannot open");
	rp_corpus_free(c);
}

static void put(const char *dir, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *fp = fopen(path, "w");
	cr_assert_not_null(fp, "%s", path);
	fputs(text, fp);
	fclose(fp);
}

Test(read, text_tree_ids_titles_outlets_in_sorted_order)
{
	char dir[] = "/tmp/reprint-tree-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/beta", dir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof(sub), "%s/alpha", dir);
	mkdir(sub, 0755);
	put(dir, "beta/b.txt", "\n  Second Headline  \nbody of b\n");
	put(dir, "alpha/z.txt", "Headline Z\nbody of z\n");
	put(dir, "alpha/a.txt", "One line only\n");
	put(dir, "top.txt", "Top\ntext at the root\n");
	put(dir, "alpha/notes.md", "not a text file\n");
	put(dir, ".hidden.txt", "hidden\nskipped\n");
	put(dir, "alpha/bin.txt", "Title\nbinary\xff junk\n");

	rp_corpus *c;
	rp_doc_info d;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, dir, NULL), RP_OK);
	cr_assert_eq(rp_corpus_count(c), 4);
	const char *ids[] = { "alpha/a.txt", "alpha/z.txt", "beta/b.txt", "top.txt" };
	for (size_t i = 0; i < 4; i++) {
		rp_corpus_doc(&d, c, i);
		cr_assert_str_eq(d.id, ids[i]);
	}
	rp_corpus_doc(&d, c, 0);
	cr_assert_str_eq(d.outlet, "alpha");
	cr_assert_str_eq(d.title, "One line only");
	cr_assert_str_eq(d.text, "One line only\n", "a one-line file keeps its text");
	rp_corpus_doc(&d, c, 2);
	cr_assert_str_eq(d.outlet, "beta");
	cr_assert_str_eq(d.title, "Second Headline");
	cr_assert_str_eq(d.text, "body of b\n");
	rp_corpus_doc(&d, c, 3);
	cr_assert_null(d.outlet);
	cr_assert_eq(rp_corpus_reject_count(c), 1);
	expect_reject(c, 0, 2, "invalid UTF-8");
	rp_corpus_free(c);

	rp_read_options ro = RP_READ_OPTIONS_INIT;
	ro.outlet = "Given";
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, dir, &ro), RP_OK);
	rp_corpus_doc(&d, c, 3);
	cr_assert_str_eq(d.outlet, "Given");
	rp_corpus_free(c);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(read, lines_too_long_for_the_size_limit_are_rejected_unparsed)
{
	rp_options o = RP_OPTIONS_INIT;
	o.max_doc_bytes = 10;
	size_t n = 6 * 10 + 65536 + 100;
	char *data = malloc(n + 64);
	size_t len = (size_t)sprintf(data, "{\"id\":\"a\",\"text\":\"short\"}\n");
	memset(data + len, 'x', n);
	len += n;
	data[len++] = '\n';
	char *path = tu_write_temp(data, len);
	free(data);
	rp_corpus *c;
	cr_assert_eq(rp_corpus_new(&c, &o), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, path, NULL), RP_OK);
	cr_assert_eq(rp_corpus_count(c), 1);
	expect_reject(c, 0, 2, "line too long");
	cr_assert_eq(rp_corpus_records_seen(c), 2);
	rp_corpus_free(c);
	unlink(path);
	free(path);
}

/* Batches parsed on several threads are applied in input order: the same
 * documents and rejects, in the same order, for 1 and 3 threads, across
 * a batch boundary (65,536 lines). */
Test(read, parallel_parsing_keeps_input_order)
{
	size_t nlines = 70000;
	char *data = malloc(nlines * 64);
	size_t len = 0;
	for (size_t i = 0; i < nlines; i++) {
		if (i % 9973 == 5)
			len += (size_t)sprintf(data + len, "{broken %zu\n", i);
		else if (i % 7919 == 3)
			len += (size_t)sprintf(data + len, "{\"id\":\"d1\",\"text\":\"dup\"}\n");
		else
			len += (size_t)sprintf(data + len, "{\"id\":\"d%zu\",\"text\":\"w%zu x\"}\n", i, i);
	}
	char *path = tu_write_temp(data, len);
	free(data);
	rp_corpus *c[2];
	for (int k = 0; k < 2; k++) {
		rp_options o = RP_OPTIONS_INIT;
		o.threads = k ? 3 : 1;
		cr_assert_eq(rp_corpus_new(&c[k], &o), RP_OK);
		cr_assert_eq(rp_corpus_read_path(c[k], path, NULL), RP_OK);
		cr_assert_eq(rp_corpus_records_seen(c[k]), nlines);
	}
	tu_same_reading(c[0], c[1]);
	cr_assert_gt(rp_corpus_reject_count(c[0]), 10);
	for (int k = 0; k < 2; k++)
		rp_corpus_free(c[k]);
	unlink(path);
	free(path);
}
