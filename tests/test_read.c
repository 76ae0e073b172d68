/* Tests of read.c: JSONL and text-tree readers. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reprint.h"
#include "json_oracle.h"
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

/* A corpus read from data written to a temporary file (*path: its name,
 * for the caller to unlink and free). */
static rp_corpus *read_temp(const char *data, size_t len, char **path)
{
	rp_corpus *c;
	*path = tu_write_temp(data, len);
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, *path, NULL), RP_OK);
	return c;
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
	char *path;
	rp_corpus *c = read_temp(data, sizeof(data) - 1, &path);
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

/* The reader decides on its threads whether a text is a character text
 * (rp_doc.text_kind) and the analysis takes its answer: the same texts
 * read from JSONL, escaped or not, or added one by one (decided by the
 * analysis) count the same character texts. */
Test(read, character_texts_are_decided_as_the_analysis_decides)
{
	static const char *texts[] = {
		"港口生产持续回暖，集装箱吞吐量突破一千五百万标准箱。",
		"The port handled a record fifteen million containers.",
		"港口 Port 集装箱吞吐量突破 15 million 标准箱，同比增长。",
		"Port 港口 handled containers and more containers and more.",
		"国土交通省は十日、北陸新幹線の延伸区間について発表した。",
	};
	size_t n = sizeof(texts) / sizeof(texts[0]);
	char data[4096];
	size_t len = 0;
	const char *id_text[2 * 8 + 1];
	char ids[8][8];
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "t%zu", i);
		id_text[2 * i] = ids[i];
		id_text[2 * i + 1] = texts[i];
		len += (size_t)snprintf(data + len, sizeof(data) - len,
					"{\"id\":\"%s\",\"text\":\"%s\"}\n",
					ids[i], texts[i]);
	}
	/* The Japanese text again, every character escaped. */
	len += (size_t)snprintf(data + len, sizeof(data) - len,
				"{\"id\":\"esc\",\"text\":\"");
	const unsigned char *s = (const unsigned char *)texts[4];
	while (*s) {
		unsigned cp = *s < 0xE0 ? *s : (unsigned)(s[0] & 0x0F) << 12 |
				(unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		len += (size_t)snprintf(data + len, sizeof(data) - len,
					"\\u%04x", cp);
		s += *s < 0x80 ? 1 : 3;
	}
	len += (size_t)snprintf(data + len, sizeof(data) - len, "\"}\n");
	id_text[2 * n] = "esc";
	id_text[2 * n + 1] = texts[4];
	id_text[2 * n + 2] = NULL;

	char *path;
	rp_corpus *read = read_temp(data, len, &path);
	rp_corpus *added = tu_corpus(NULL, id_text);
	cr_assert_eq(rp_corpus_count(read), n + 1);
	size_t chars[2];
	rp_corpus *cs[2] = { read, added };
	for (int k = 0; k < 2; k++) {
		rp_result *r;
		cr_assert_eq(rp_scan(&r, cs[k]), RP_OK);
		rp_scan_stats st;
		rp_result_stats(&st, r);
		chars[k] = st.char_documents;
		rp_result_free(r);
		rp_corpus_free(cs[k]);
	}
	cr_assert_eq(chars[0], chars[1], "read %zu, added %zu", chars[0],
		     chars[1]);
	cr_assert_eq(chars[0], 4); /* all but the two mostly English texts */
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

/* nlines records (line i broken when i % broken == broken_at, the id
 * d1 again when i % dup == dup_at) read on 1 and on 3 threads, under
 * `memory` (0: no bound): the same documents and rejects in the same
 * order, more than min_rejects rejects; the file at least min_len
 * bytes. */
static void read_in_order(size_t nlines, size_t broken, size_t broken_at,
			  size_t dup, size_t dup_at, size_t memory,
			  size_t min_len, size_t min_rejects)
{
	char *data = malloc(nlines * 64);
	size_t len = 0;
	for (size_t i = 0; i < nlines; i++) {
		if (i % broken == broken_at)
			len += (size_t)sprintf(data + len, "{broken %zu\n", i);
		else if (i % dup == dup_at)
			len += (size_t)sprintf(data + len, "{\"id\":\"d1\",\"text\":\"dup\"}\n");
		else
			len += (size_t)sprintf(data + len, "{\"id\":\"d%zu\",\"text\":\"w%zu x\"}\n", i, i);
	}
	cr_assert_geq(len, min_len, "%zu bytes", len);
	char *path = tu_write_temp(data, len);
	free(data);
	rp_corpus *c[2];
	for (int k = 0; k < 2; k++) {
		rp_options o = RP_OPTIONS_INIT;
		o.threads = k ? 3 : 1;
		cr_assert_eq(rp_corpus_new(&c[k], &o), RP_OK);
		if (memory)
			cr_assert_eq(rp_corpus_set_memory(c[k], memory, NULL), RP_OK);
		cr_assert_eq(rp_corpus_read_path(c[k], path, NULL), RP_OK);
		cr_assert_eq(rp_corpus_records_seen(c[k]), nlines);
	}
	tu_same_reading(c[0], c[1]);
	cr_assert_gt(rp_corpus_reject_count(c[0]), min_rejects);
	for (int k = 0; k < 2; k++)
		rp_corpus_free(c[k]);
	unlink(path);
	free(path);
}

/* Batches parsed on several threads are applied in input order: the same
 * documents and rejects, in the same order, for 1 and 3 threads, across
 * a batch boundary (65,536 lines). */
Test(read, parallel_parsing_keeps_input_order)
{
	read_in_order(70000, 9973, 5, 7919, 3, 0, 0, 10);
}

/* Under a memory bound a batch is a 48th of it (1 MiB at least), and
 * three are in flight: six batches (more than five MiB) go round the
 * slots twice, read by one thread, parsed by others, added in input
 * order. The same documents and rejects as one thread reading and
 * parsing alone. */
Test(read, batches_round_the_slots_keep_input_order)
{
	read_in_order(200000, 30011, 7, 40009, 11, (size_t)16 << 20,
		      ((size_t)5 << 20) + 1, 9);
}

/* ---- rp_json_fields against cJSON ---- */

static unsigned long long jrng = 0x9e3779b97f4a7c15ULL;
static unsigned jr(unsigned n)
{
	jrng ^= jrng << 13;
	jrng ^= jrng >> 7;
	jrng ^= jrng << 17;
	return (unsigned)(jrng % n);
}

typedef struct jbuf {
	char *s;
	size_t n, cap;
} jbuf;

static void jput(jbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		cr_assert(b->s);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
}
#define JPUT(b, lit) jput(b, lit, sizeof(lit) - 1)

/* Some white space: mostly none or JSON's, sometimes a byte cJSON alone
 * takes for white space. */
static void jws(jbuf *b)
{
	static const char *const w[] = { "", "", "", " ", "\t", "\r", "  ",
					 "\x01", "\x1f", "\v" };
	const char *s = w[jr(10)];
	jput(b, s, strlen(s));
}

static void jstring(jbuf *b)
{
	static const char *const pieces[] = {
		"plain words", "\\n\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f",
		"\\r", "\\t", "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "\\u0041",
		"caf\xc3\xa9", "\xe2\x80\x9c", "\t", "\x01", "\\ud83d", "\\ude00",
		"\\u0000", "\\uZZZZ", "\\x", "\\u12", "\\ud83dx", "\\ud83d\\u0041",
		"{[,:]}", "null", "  ", "a",
	};
	JPUT(b, "\"");
	unsigned k = jr(8);
	for (unsigned i = 0; i < k; i++) {
		/* the lenient escapes more rarely than the rest */
		unsigned p = jr(4) ? jr(17) : jr(sizeof(pieces) / sizeof(pieces[0]));
		jput(b, pieces[p], strlen(pieces[p]));
	}
	JPUT(b, "\"");
}

static void jvalue(jbuf *b, int depth);

/* A member's name and its colon, with white space around. */
static void jkey(jbuf *b, const char *key)
{
	JPUT(b, "\"");
	jput(b, key, strlen(key));
	JPUT(b, "\"");
	jws(b);
	JPUT(b, ":");
	jws(b);
}

static void jnumber(jbuf *b)
{
	static const char *const nums[] = {
		"0", "-1", "42", "3.25", "-0.5e+10", "1E5", "6.02e23",
		"1234567890123456789012345678901234567890123456789012345678901",
		"12345678901234567890123456789012345678901234567890123456789012345",
		"01", "+1", ".5", "1.", "1e", "-", "1.5.3", "0x10", "1e+", "-01",
	};
	unsigned k = jr(4) ? jr(9) : jr(sizeof(nums) / sizeof(nums[0]));
	jput(b, nums[k], strlen(nums[k]));
}

static void jcontainer(jbuf *b, int depth, int obj)
{
	static const char *const keys[] = { "id", "text", "title", "outlet",
					    "date", "x", "tags", "te\\u0078t",
					    "", "body" };
	jput(b, obj ? "{" : "[", 1);
	jws(b);
	unsigned k = jr(depth > 60 ? 2 : 6);
	for (unsigned i = 0; i < k; i++) {
		if (i) {
			JPUT(b, ",");
			jws(b);
		}
		if (obj)
			jkey(b, keys[jr(10)]);
		jvalue(b, depth + 1);
		jws(b);
	}
	jput(b, obj ? "}" : "]", 1);
}

static void jvalue(jbuf *b, int depth)
{
	switch (jr(depth > 2 && jr(4) ? 6 : 9)) {
	case 0: case 1: case 2:
		jstring(b);
		break;
	case 3:
		jnumber(b);
		break;
	case 4:
		JPUT(b, "null");
		break;
	case 5: {
		static const char *const lits[] = { "true", "false", "nul",
						    "tru", "nullx" };
		const char *l = lits[jr(4) ? jr(2) : jr(5)];
		jput(b, l, strlen(l));
		break;
	}
	case 6: case 7:
		jcontainer(b, depth, 1);
		break;
	default:
		/* sometimes deep: over rp_json_fields' 64 levels */
		if (!jr(20)) {
			for (int i = 0; i < 70; i++)
				JPUT(b, "[");
			for (int i = 0; i < 70; i++)
				JPUT(b, "]");
		} else {
			jcontainer(b, depth, 0);
		}
		break;
	}
}

/* A record line: an object of the reader's fields and others, in any
 * order, sometimes twice, sometimes with a byte changed, dropped or
 * added, sometimes with something after it. */
static void jrecord(jbuf *b)
{
	static const char *const keys[] = { "id", "text", "title", "outlet",
					    "date", "x", "tags", "text" };
	b->n = 0;
	if (!jr(30))
		jws(b);
	JPUT(b, "{");
	jws(b);
	unsigned k = jr(7);
	for (unsigned i = 0; i <= k; i++) {
		if (i) {
			JPUT(b, ",");
			jws(b);
		}
		/* the text first, or among the others */
		jkey(b, i == 0 && jr(2) ? "text" : keys[jr(8)]);
		if (jr(3))
			jstring(b);
		else
			jvalue(b, 2);
		jws(b);
	}
	JPUT(b, "}");
	if (!jr(10))
		JPUT(b, " {\"id\":\"next\"}");
	if (!jr(3) && b->n) {
		size_t at = jr((unsigned)b->n);
		static const char bytes[] = "\"\\{}[],: 0eu\x01\xc3";
		char c = bytes[jr(sizeof(bytes) - 1)];
		switch (jr(3)) {
		case 0:
			b->s[at] = c;
			break;
		case 1:
			memmove(b->s + at, b->s + at + 1, b->n - at - 1);
			b->n--;
			break;
		default:
			jput(b, "", 0);
			jput(b, &c, 1);
			memmove(b->s + at + 1, b->s + at, b->n - at - 1);
			b->s[at] = c;
			break;
		}
	}
}

Test(read, json_fields_answer_as_cjson_does)
{
	static const char *const names[] = { "id", "text", "title", "outlet",
					     "date" };
	static const char *const twice[] = { "text", "x", "text", NULL };
	jbuf b = { NULL, 0, 0 };
	size_t took = 0, total = 60000;
	for (size_t i = 0; i < total; i++) {
		jrecord(&b);
		int t;
		const char *bad = json_oracle(b.s, b.n, names, 5, 1, &t);
		cr_assert_null(bad, "line %zu: %s: %.*s", i, bad, (int)b.n, b.s);
		took += (size_t)t;
		bad = json_oracle(b.s, b.n, twice, 4, 4, &t);
		cr_assert_null(bad, "line %zu (names twice): %s: %.*s", i, bad,
			       (int)b.n, b.s);
	}
	/* It must answer often enough to be tested (and to be of use). */
	cr_assert_gt(took, total / 10, "answered %zu of %zu lines", took,
		     total);
	free(b.s);
}

Test(read, records_the_fast_reader_takes_read_as_before)
{
	/* Lines rp_json_fields answers for and lines it leaves to cJSON
	 * give the same documents; what follows an object is a reject. */
	const char data[] =
		"{\"id\":\"a\",\"text\":\"caf\\u00e9 \\\"one\\\"\\nline\",\"title\":null}\n"
		"{\"id\":\"b\",\"text\":\"caf\\u00e9 \\\"one\\\"\\nline\",\"n\":01}\n"
		"{\"id\":\"c\",\"text\":\"x\",\"id\":\"ignored\"} \t\n"
		"{\"id\":\"d\",\"text\":\"y\"}{\"id\":\"e\",\"text\":\"z\"}\n"
		"{\"id\":\"f\",\"text\":\"w\"} ,\n";
	char *path;
	rp_corpus *c = read_temp(data, sizeof(data) - 1, &path);
	cr_assert_eq(rp_corpus_count(c), 3);
	rp_doc_info da, db, dc;
	cr_assert_eq(rp_corpus_doc(&da, c, 0), RP_OK);
	cr_assert_eq(rp_corpus_doc(&db, c, 1), RP_OK);
	cr_assert_eq(rp_corpus_doc(&dc, c, 2), RP_OK);
	cr_assert_str_eq(da.id, "a");
	cr_assert_str_eq(db.id, "b");
	cr_assert_str_eq(dc.id, "c");
	cr_assert_eq(da.text_len, db.text_len);
	cr_assert_eq(memcmp(da.text, "caf\xc3\xa9 \"one\"\nline", da.text_len), 0);
	cr_assert_eq(memcmp(da.text, db.text, da.text_len), 0);
	cr_assert_eq(rp_corpus_reject_count(c), 2);
	expect_reject(c, 0, 4, "after the JSON object at column 22");
	expect_reject(c, 1, 5, "after the JSON object at column 23");
	rp_corpus_free(c);
	unlink(path);
	free(path);
}
