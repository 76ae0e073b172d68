/* The inputs people have: gzip and zstd recognised by their magic bytes
 * whatever the name (files, directories, stdin), UTF-16 and binary files
 * named once, .txt arguments read as text, skipped files counted by kind,
 * several roots with their names, missing fields explained, nested fields,
 * empty texts counted but not errors, one document once per LSH bucket. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "common.h"
#include "pairs.h"
#include "testutil.h"

static const char JSONL[] =
	"{\"id\":\"a\",\"text\":\"the port of klaipeda will build a deep water terminal for the largest ships\"}\n"
	"{\"id\":\"b\",\"text\":\"the port of klaipeda will build a deep water terminal for the largest ships\"}\n"
	"{\"id\":\"c\",\"text\":\"a different story about the tram line of riga and its new cars\"}\n";

static char *dir(void)
{
	char *d = strdup("/tmp/reprint-input-XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

static void put(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	cr_assert_not_null(fp, "%s", path);
	cr_assert_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static void put_gzip(const char *path, const char *data, size_t len)
{
	gzFile g = gzopen(path, "wb");
	cr_assert_not_null(g);
	cr_assert_eq(gzwrite(g, data, (unsigned)len), (int)len);
	gzclose(g);
}

/* As the zstd command writes it: with the frame's content checksum. */
static void put_zstd(const char *path, const char *data, size_t len)
{
	size_t cap = ZSTD_compressBound(len);
	void *out = malloc(cap);
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	size_t n = ZSTD_compress2(cc, out, cap, data, len);
	ZSTD_freeCCtx(cc);
	cr_assert(!ZSTD_isError(n));
	put(path, out, n);
	free(out);
}

static rp_corpus *read_in(const char *path, const rp_read_options *ro)
{
	rp_corpus *c = NULL;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	rp_corpus_read_path(c, path, ro);
	return c;
}

static const char *reject_reason(const rp_corpus *c, size_t i)
{
	rp_reject rj;
	cr_assert_eq(rp_corpus_reject(&rj, c, i), RP_OK);
	return rj.reason;
}

Test(input, gzip_and_zstd_are_read_by_their_magic_whatever_the_name)
{
	char *d = dir(), p[4096];
	const char *names[] = { "plain.jsonl", "g.jsonl.gz", "g-no-suffix.jsonl",
				"z.jsonl.zst", "z.dat" };
	snprintf(p, sizeof(p), "%s/%s", d, names[0]);
	put(p, JSONL, sizeof(JSONL) - 1);
	for (int i = 1; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/%s", d, names[i]);
		if (i < 3)
			put_gzip(p, JSONL, sizeof(JSONL) - 1);
		else
			put_zstd(p, JSONL, sizeof(JSONL) - 1);
	}
	for (int i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/%s", d, names[i]);
		rp_corpus *c = read_in(p, NULL);
		cr_assert_eq(rp_corpus_count(c), 3, "%s", names[i]);
		cr_assert_eq(rp_corpus_reject_count(c), 0, "%s: %s", names[i],
			     rp_corpus_reject_count(c) ? reject_reason(c, 0) : "");
		rp_doc_info di;
		rp_corpus_doc(&di, c, 2);
		cr_assert_str_eq(di.id, "c");
		rp_corpus_free(c);
	}
	/* Concatenated gzip members (cat a.gz b.gz) are one stream. */
	char cat[4096];
	snprintf(cat, sizeof(cat), "%s/two.gz", d);
	snprintf(p, sizeof(p), "%s/one.gz", d);
	const char second[] = "{\"id\":\"d\",\"text\":\"one more record after the first member\"}\n";
	put_gzip(p, second, sizeof(second) - 1);
	char cmd[9000];
	snprintf(cmd, sizeof(cmd), "cat %s/g.jsonl.gz %s > %s", d, p, cat);
	cr_assert_eq(system(cmd), 0);
	rp_corpus *c = read_in(cat, NULL);
	cr_assert_eq(rp_corpus_count(c), 4);
	rp_corpus_free(c);
	/* On stdin too: a FILE * given to rp_corpus_read_jsonl. */
	snprintf(p, sizeof(p), "%s/z.dat", d);
	FILE *fp = fopen(p, "rb");
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_jsonl(c, fp, "(stdin)", NULL), RP_OK);
	fclose(fp);
	cr_assert_eq(rp_corpus_count(c), 3);
	rp_corpus_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d);
	system(cmd);
	free(d);
}

Test(input, damaged_compressed_data_is_one_clear_rejection)
{
	char *d = dir(), p[4096];
	/* A large gzip file cut in the middle; then bytes scribbled over. */
	size_t n = 0;
	char *big = malloc(1 << 20);
	for (int i = 0; n + 200 < (1 << 20); i++)
		n += (size_t)snprintf(big + n, 200, "{\"id\":\"r%d\",\"text\":\"record %d "
				      "of a long file that was cut short\"}\n", i, i * 7919);
	snprintf(p, sizeof(p), "%s/cut.jsonl.gz", d);
	put_gzip(p, big, n);
	FILE *fp = fopen(p, "rb");
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	fclose(fp);
	cr_assert_eq(truncate(p, size / 2), 0);
	rp_corpus *c = read_in(p, NULL);
	/* One rejection for the cut (and the record it cut in two), not
	 * one per line. */
	size_t nrej = rp_corpus_reject_count(c);
	cr_assert(nrej >= 1 && nrej <= 2, "%zu rejections", nrej);
	char want[96];
	snprintf(want, sizeof(want), "gzip data ends early at byte %ld ", size / 2);
	cr_assert(strstr(reject_reason(c, nrej - 1), want), "%s",
		  reject_reason(c, nrej - 1));
	cr_assert_gt(rp_corpus_count(c), 100, "the records before the cut are read");
	rp_corpus_free(c);

	snprintf(p, sizeof(p), "%s/bad.zst", d);
	put_zstd(p, big, n);
	fp = fopen(p, "r+b");
	fseek(fp, 2000, SEEK_SET);
	fwrite("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", 1, 32, fp);
	fclose(fp);
	/* zstd checks a frame at its end: what was decoded before is read
	 * (damaged lines rejected one by one), then the corruption named. */
	c = read_in(p, NULL);
	nrej = rp_corpus_reject_count(c);
	cr_assert_geq(nrej, 1);
	cr_assert(strstr(reject_reason(c, nrej - 1), "corrupt zstd data near byte "),
		  "%s", reject_reason(c, nrej - 1));
	rp_corpus_free(c);
	free(big);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d);
	system(cmd);
	free(d);
}

Test(input, utf16_and_binary_files_are_named_once)
{
	char *d = dir(), p[4096];
	/* UTF-16LE with a byte order mark, and without one. */
	char u16[2 * sizeof(JSONL) + 2];
	for (int bom = 0; bom < 2; bom++) {
		size_t n = 0;
		if (bom) {
			u16[n++] = (char)0xff;
			u16[n++] = (char)0xfe;
		}
		for (size_t i = 0; i + 1 < sizeof(JSONL); i++) {
			u16[n++] = JSONL[i];
			u16[n++] = 0;
		}
		snprintf(p, sizeof(p), "%s/u16-%d.jsonl", d, bom);
		put(p, u16, n);
		rp_corpus *c = read_in(p, NULL);
		cr_assert_eq(rp_corpus_reject_count(c), 1, "bom %d", bom);
		cr_assert(strstr(reject_reason(c, 0), "UTF-16"), "%s", reject_reason(c, 0));
		cr_assert_eq(rp_corpus_count(c), 0);
		rp_corpus_free(c);
	}
	/* Binary data: an image-like blob. */
	unsigned char bin[8192];
	uint64_t st = 3;
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = i % 3 ? 0 : (unsigned char)tu_rand(&st);
	snprintf(p, sizeof(p), "%s/blob.jsonl", d);
	put(p, bin, sizeof(bin));
	rp_corpus *c = read_in(p, NULL);
	cr_assert_eq(rp_corpus_reject_count(c), 1);
	cr_assert(strstr(reject_reason(c, 0), "binary data"), "%s", reject_reason(c, 0));
	rp_corpus_free(c);
	/* A JSONL file with one stray NUL stays per record. */
	char one[sizeof(JSONL)];
	memcpy(one, JSONL, sizeof(JSONL));
	one[30] = '\0';
	snprintf(p, sizeof(p), "%s/nul.jsonl", d);
	put(p, one, sizeof(JSONL) - 1);
	c = read_in(p, NULL);
	cr_assert_eq(rp_corpus_count(c), 2);
	cr_assert_eq(rp_corpus_reject_count(c), 1);
	cr_assert(strstr(reject_reason(c, 0), "NUL byte at column"), "%s", reject_reason(c, 0));
	rp_corpus_free(c);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d);
	system(cmd);
	free(d);
}

Test(input, text_files_by_extension_and_skipped_files_by_kind)
{
	char *d = dir(), p[4096];
	const char story[] = "Port plans\n\nthe port of klaipeda will build a deep water terminal\n";
	char cmd[9000];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/root/wire %s/root/site", d, d);
	cr_assert_eq(system(cmd), 0);
	const char *txt[] = { "wire/a.txt", "wire/B.TXT", "site/c.txt.gz", "site/d.md" };
	const char *other[] = { "site/page.html", "site/page2.html", "site/notes", "wire/x.pdf" };
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/root/%s", d, txt[i]);
		if (strstr(txt[i], ".gz"))
			put_gzip(p, story, sizeof(story) - 1);
		else
			put(p, story, sizeof(story) - 1);
		snprintf(p, sizeof(p), "%s/root/%s", d, other[i]);
		put(p, "<p>x</p>", 8);
	}
	snprintf(p, sizeof(p), "%s/root", d);
	rp_corpus *c = read_in(p, NULL);
	cr_assert_eq(rp_corpus_count(c), 5, "a.txt, B.TXT, c.txt.gz and two .html pages");
	cr_assert_eq(rp_corpus_skipped_count(c), 3);
	size_t files = 0;
	for (size_t i = 0; i < rp_corpus_skipped_count(c); i++) {
		rp_skipped k;
		rp_corpus_skipped(&k, c, i);
		files += k.files;
	}
	cr_assert_eq(files, 3, "1 .md, 1 with no extension, 1 .pdf");
	rp_corpus_free(c);
	/* --ext names what is read (HTML too, then). */
	rp_read_options ro = RP_READ_OPTIONS_INIT;
	ro.extensions = "txt,md";
	c = read_in(p, &ro);
	cr_assert_eq(rp_corpus_count(c), 4);
	cr_assert_eq(rp_corpus_skipped_count(c), 3, ".html, (no extension), .pdf");
	rp_corpus_free(c);
	/* A .txt path argument is one text document, not JSONL. */
	snprintf(p, sizeof(p), "%s/root/wire/a.txt", d);
	c = read_in(p, NULL);
	cr_assert_eq(rp_corpus_count(c), 1);
	cr_assert_eq(rp_corpus_reject_count(c), 0);
	rp_doc_info di;
	rp_corpus_doc(&di, c, 0);
	cr_assert_str_eq(di.title, "Port plans");
	rp_corpus_free(c);
	/* Two roots with the same relative paths keep their names. */
	snprintf(cmd, sizeof(cmd), "cp -r %s/root %s/other", d, d);
	cr_assert_eq(system(cmd), 0);
	rp_read_options rn = RP_READ_OPTIONS_INIT;
	rn.root_names = 1;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	snprintf(p, sizeof(p), "%s/root", d);
	rp_corpus_read_path(c, p, &rn);
	snprintf(p, sizeof(p), "%s/other/", d);
	rp_corpus_read_path(c, p, &rn);
	cr_assert_eq(rp_corpus_count(c), 10);
	cr_assert_eq(rp_corpus_reject_count(c), 0, "no duplicate ids");
	rp_corpus_doc(&di, c, 0);
	cr_assert_str_eq(di.id, "root/site/c.txt.gz");
	cr_assert_str_eq(di.outlet, "site", "the outlet is still the first folder");
	rp_corpus_doc(&di, c, 5);
	cr_assert_str_eq(di.id, "other/site/c.txt.gz");
	rp_corpus_free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d);
	system(cmd);
	free(d);
}

Test(input, fields_missing_or_nested)
{
	const char data[] =
		"{\"id\":\"a\",\"content\":\"some text\",\"url\":\"http://x\"}\n"
		"{\"id\":\"b\",\"body\":{\"text\":\"the nested text of b\",\"lang\":\"en\"}}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	rp_corpus *c = read_in(path, NULL);
	cr_assert_eq(rp_corpus_reject_count(c), 2);
	const char *why = reject_reason(c, 0);
	cr_assert(strstr(why, "no \"text\" field (the record has: id, content, url; "
			      "--text-field names another"), "%s", why);
	rp_corpus_free(c);
	rp_read_options ro = RP_READ_OPTIONS_INIT;
	ro.text_field = "body.text";
	c = read_in(path, &ro);
	cr_assert_eq(rp_corpus_count(c), 1);
	rp_doc_info di;
	rp_corpus_doc(&di, c, 0);
	cr_assert_str_eq(di.id, "b");
	cr_assert_str_eq(di.text, "the nested text of b");
	rp_corpus_free(c);
	unlink(path);
	free(path);
}

Test(input, empty_texts_are_counted_not_errors)
{
	const char data[] =
		"{\"id\":\"a\",\"text\":\"the port of klaipeda will build a deep water terminal\"}\n"
		"{\"id\":\"b\",\"text\":\"   \"}\n"
		"{\"id\":\"c\",\"text\":\"... !!! ---\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	rp_corpus *c = read_in(path, NULL);
	rp_result *r = NULL;
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	cr_assert_eq(rp_corpus_reject_count(c), 2);
	for (size_t i = 0; i < 2; i++) {
		rp_reject rj;
		rp_corpus_reject(&rj, c, i);
		cr_assert(rj.empty, "%s is an empty text", rj.id);
	}
	rp_result_free(r);
	rp_corpus_free(c);
	/* The command: exit 0, a count, no per-record lines. */
	const char *bin = getenv("REPRINT_BIN");
	cr_assert_not_null(bin);
	char cmd[4200], *out, *err;
	snprintf(cmd, sizeof(cmd), "%s scan %s", bin, path);
	cr_assert_eq(tu_run(cmd, &out, &err), 0, "%s", err);
	cr_assert(strstr(err, "2 empty texts"), "%s", err);
	cr_assert_null(strstr(err, "rejected 'b'"), "%s", err);
	free(out);
	free(err);
	unlink(path);
	free(path);
}

Test(input, a_document_counts_once_per_bucket)
{
	/* Two documents, one key repeated 1000 times in the first. */
	rp_kv kv[1002];
	for (int i = 0; i < 1001; i++)
		kv[i] = (rp_kv){ 42, 0 };
	kv[1001] = (rp_kv){ 42, 1 };
	uint64_t *pairs = NULL;
	size_t np = 0, cap = 0, over = 0, largest = 0;
	cr_assert_eq(rp_pairs_of_runs(&pairs, &np, &cap, kv, 1002, 5000, &over,
				      &largest), RP_OK);
	cr_assert_eq(largest, 2, "two documents in the bucket, not %zu", largest);
	cr_assert_eq(np, 1, "one pair, made once");
	cr_assert_eq(pairs[0], RP_PAIR(0, 1));
	free(pairs);
	/* Over a cap of 2 documents only with a third document. */
	kv[1001] = (rp_kv){ 42, 1 };
	np = over = largest = 0;
	pairs = NULL;
	cap = 0;
	cr_assert_eq(rp_pairs_of_runs(&pairs, &np, &cap, kv, 1002, 2, &over,
				      &largest), RP_OK);
	cr_assert_eq(over, 0);
	free(pairs);
}

Test(input, zeroed_read_options_mean_the_defaults)
{
	const char data[] = "{\"id\":\"a\",\"title\":\"T\",\"text\":\"some words here\"}\n";
	char *path = tu_write_temp(data, sizeof(data) - 1);
	rp_read_options ro;
	cr_assert_eq(rp_read_options_init(&ro, RP_READ_OPTIONS_VERSION), RP_OK);
	rp_corpus *c = read_in(path, &ro);
	cr_assert_eq(rp_corpus_count(c), 1);
	rp_doc_info di;
	rp_corpus_doc(&di, c, 0);
	cr_assert_str_eq(di.id, "a");
	cr_assert_str_eq(di.title, "T");
	rp_corpus_free(c);
	ro.title_field = ""; /* not read */
	c = read_in(path, &ro);
	rp_corpus_doc(&di, c, 0);
	cr_assert_null(di.title);
	rp_corpus_free(c);
	ro.text_field = "";
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, path, &ro), RP_EINVAL);
	cr_assert(strstr(rp_corpus_error(c), "text_field"), "%s", rp_corpus_error(c));
	rp_corpus_free(c);
	unlink(path);
	free(path);
}

/* A compressed file of a few kilobytes can hold a line of hundreds of
 * megabytes: it is read through, not held, and the records around it
 * are read. Measured in a child process (its own peak RSS). */
Test(input, a_line_too_long_is_read_through_not_held)
{
	char *d = dir(), path[4096];
	snprintf(path, sizeof(path), "%s/bomb.jsonl.zst", d);
	/* Written as a stream, a megabyte at a time: no process of this test
	 * holds the line (under ASan a freed buffer stays resident). */
	FILE *fp = fopen(path, "wb");
	cr_assert_not_null(fp);
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t outcap = ZSTD_CStreamOutSize();
	char *out = malloc(outcap), *mb = malloc((size_t)1 << 20);
	cr_assert(cc && out && mb);
	memset(mb, 'x', (size_t)1 << 20);
	static const char tail[] =
		"\n{\"id\":\"after\",\"text\":\"the record after the long line is read\"}\n";
	for (int part = 0; part < 258; part++) {
		const char *src = part == 0 ? JSONL : part == 257 ? tail : mb;
		size_t len = part == 0 ? sizeof(JSONL) - 1
			     : part == 257 ? sizeof(tail) - 1 : (size_t)1 << 20;
		ZSTD_inBuffer in = { src, len, 0 };
		ZSTD_EndDirective mode = part == 257 ? ZSTD_e_end : ZSTD_e_continue;
		size_t left;
		do {
			ZSTD_outBuffer o = { out, outcap, 0 };
			left = ZSTD_compressStream2(cc, &o, &in, mode);
			cr_assert(!ZSTD_isError(left));
			cr_assert_eq(fwrite(out, 1, o.pos, fp), o.pos);
		} while (mode == ZSTD_e_end ? left != 0 : in.pos < in.size);
	}
	ZSTD_freeCCtx(cc);
	free(out);
	free(mb);
	cr_assert_eq(fclose(fp), 0);
	int fd[2];
	cr_assert_eq(pipe(fd), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		/* A limit of 1 MB a document: lines over 6 MB + 64 KiB are
		 * too long. */
		rp_read_options ro;
		rp_read_options_init(&ro, RP_READ_OPTIONS_VERSION);
		ro.max_doc_bytes = 1 << 20;
		rp_corpus *c = read_in(path, &ro);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		char msg[512];
		rp_reject rj;
		int have = rp_corpus_reject_count(c) == 1 &&
			   rp_corpus_reject(&rj, c, 0) == RP_OK;
		snprintf(msg, sizeof(msg), "%zu %ld %zu %s", rp_corpus_count(c),
			 ru.ru_maxrss, have ? rj.line : 0,
			 have ? rj.reason : "(no single reject)");
		ssize_t w = write(fd[1], msg, strlen(msg));
		_exit(w > 0 ? 0 : 1);
	}
	close(fd[1]);
	char buf[512] = "";
	ssize_t got = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	cr_assert(got > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	buf[got] = '\0';
	size_t docs = 0, line = 0;
	long kb = 0;
	char reason[400] = "";
	cr_assert_eq(sscanf(buf, "%zu %ld %zu %399[^\n]", &docs, &kb, &line, reason), 4,
		     "%s", buf);
	cr_assert_eq(docs, 4, "three records before the line, one after: %s", buf);
	cr_assert_eq(line, 4, "the long line is the fourth: %s", buf);
	cr_assert(strstr(reason, "line too long"), "%s", reason);
	/* Held whole, the line alone would be 256 MB. */
	cr_assert_lt(kb, 96 * 1024, "peak RSS %ld KB reading a 256 MB line", kb);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d);
	cr_assert_eq(system(cmd), 0);
	free(d);
}

/* An HTML page: tags dropped, entities decoded, script, style and head
 * left out, blocks on their own lines and a blank line between
 * paragraphs, title, date and site name from the head; every byte of the
 * text traced to the file (a character to itself, an entity whole); a
 * page starting like HTML under another name is read as one; a text
 * file's text is traced past its title line. */
Test(input, html_pages_are_parsed_and_their_text_traced_to_the_file)
{
	static const char page[] =
		"<!DOCTYPE html>\n<html><head><meta charset=\"windows-1252\">"
		"<title>Port  of\n Klaip\xc4\x97" "da &amp; ships</title>\n"
		"<meta property=\"article:published_time\" content=\"2026-11-28T09:15:00+02:00\">\n"
		"<meta property=\"og:site_name\" content=\"Harbour Herald\">\n"
		"<style>p { color: red; } a<b {}</style>\n"
		"<script>if (a < b && c > d) { x = \"</p>\"; }</script>\n"
		"</head>\n<body><nav><a href=\"/\">News</a> | <a href=\"/w\">World</a></nav>\n"
		"<!-- a comment <p>not text</p> -->\n"
		"<p>The port of Klaip&#279;da will build a deep\nwater terminal,\n"
		"the city&rsquo;s mayor said on   Friday.</p><p>Ships &amp; ferries<br>second line</p>\n"
		"<div>Tom &amp Jerry 5 &lt; 6</div>\n</body></html>\n";
	const char *want =
		"News | World\n\n"
		"The port of Klaip\xc4\x97" "da will build a deep water terminal, the city\xe2\x80\x99s mayor said on Friday.\n\n"
		"Ships & ferries\nsecond line\n\n"
		"Tom &amp Jerry 5 < 6";
	char *d = dir(), p[4096];
	snprintf(p, sizeof(p), "%s/page.html", d);
	put(p, page, sizeof(page) - 1);
	rp_corpus *c = read_in(p, NULL);
	cr_assert_eq(rp_corpus_count(c), 1);
	rp_doc_info di;
	rp_corpus_doc(&di, c, 0);
	cr_assert_str_eq(di.text, want);
	cr_assert_str_eq(di.title, "Port of Klaip\xc4\x97" "da & ships");
	cr_assert_str_eq(di.outlet, "Harbour Herald");
	cr_assert(di.has_timestamp);
	/* Each byte of the text, in the file. */
	for (size_t k = 0; k < di.text_len; k++) {
		size_t s, e;
		cr_assert_eq(rp_corpus_source_range(&s, &e, c, 0, k, k + 1), RP_OK);
		cr_assert_lt(s, e);
		cr_assert_leq(e, sizeof(page) - 1);
		char ch = di.text[k];
		if (e - s == 1 && ch != ' ' && ch != '\n')
			cr_assert_eq(page[s], ch, "byte %zu", k);
		else if (e - s > 1)
			cr_assert_eq(page[s], '&', "byte %zu: a wide range not an entity", k);
	}
	/* "city&rsquo;s": the apostrophe's three bytes are the entity whole. */
	const char *ap = strstr(di.text, "\xe2\x80\x99");
	size_t s, e;
	cr_assert_eq(rp_corpus_source_range(&s, &e, c, 0, (size_t)(ap - di.text),
					    (size_t)(ap - di.text) + 3), RP_OK);
	cr_assert_eq(e - s, strlen("&rsquo;"));
	cr_assert_eq(memcmp(page + s, "&rsquo;", 7), 0);
	/* A passage's range: "deep water" spans the file's newline. */
	const char *dw = strstr(di.text, "deep water");
	cr_assert_eq(rp_corpus_source_range(&s, &e, c, 0, (size_t)(dw - di.text),
					    (size_t)(dw - di.text) + 10), RP_OK);
	cr_assert_eq(e - s, 10);
	cr_assert_eq(memcmp(page + s, "deep\nwater", 10), 0);
	rp_corpus_free(c);
	/* The same page as page.txt: read as HTML by its first bytes. */
	snprintf(p, sizeof(p), "%s/page.txt", d);
	put(p, page, sizeof(page) - 1);
	c = read_in(p, NULL);
	rp_corpus_doc(&di, c, 0);
	cr_assert_str_eq(di.text, want);
	rp_corpus_free(c);
	/* A text file: traced past its title line; a JSONL record: not. */
	snprintf(p, sizeof(p), "%s/story.txt", d);
	put(p, "Port plans\n\nthe port of klaipeda\n", 33);
	c = read_in(p, NULL);
	rp_corpus_doc(&di, c, 0);
	cr_assert_eq(rp_corpus_source_range(&s, &e, c, 0, 4, 8), RP_OK);
	cr_assert_eq(s, 11 + 4);
	cr_assert_eq(e, 11 + 8);
	rp_corpus_free(c);
	snprintf(p, sizeof(p), "%s/a.jsonl", d);
	put(p, JSONL, sizeof(JSONL) - 1);
	c = read_in(p, NULL);
	cr_assert_eq(rp_corpus_source_range(&s, &e, c, 0, 0, 3), RP_EINPUT);
	cr_assert_eq(rp_corpus_source_range(&s, &e, c, 0, 3, 3), RP_EINVAL);
	rp_corpus_free(c);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d);
	system(cmd);
	free(d);
}

/* One collection five ways - JSONL, its gzip and zstd copies, JSONL on
 * standard input, and a folder of HTML pages of the same texts
 * (paragraphs as <p>, lines as <br>, entities for &, <, > and the
 * apostrophe, outlet and date in the head) - gives the same pairs, line
 * for line. The collection: seed1 of ../shared/data, else the news
 * fixture; lines are trimmed and their spaces single first, as an HTML
 * page's text is. */
Test(input, jsonl_gzip_zstd_stdin_and_html_pages_give_the_same_pairs)
{
	const char *bin = getenv("REPRINT_BIN"), *samples = getenv("REPRINT_SAMPLES");
	cr_assert_not_null(bin);
	cr_assert_not_null(samples);
	char *d = dir(), src[4096], cmd[16384];
	const char *shared = tu_shared_data();
	if (shared) {
		snprintf(src, sizeof(src), "%s/syndication/seed1/corpus.jsonl", shared);
	} else {
		fprintf(stderr, "SKIP-PART: ../shared/data is absent: the five input "
			"forms are compared on the news fixture, not seed1\n");
		snprintf(src, sizeof(src), "%s/fixture.jsonl", d);
		snprintf(cmd, sizeof(cmd),
			 "cd %s/../tests/fixtures/news-folder && find . -name '*.txt' | sort | "
			 "python3 -c 'import json,sys\n"
			 "for f in sys.stdin.read().split():\n"
			 "  t = open(f).read().split(\"\\n\", 2)\n"
			 "  print(json.dumps({\"id\": f[2:].replace(\"/\", \"-\"), \"outlet\": f.split(\"/\")[1],"
			 " \"date\": t[0][6:], \"text\": t[2]}))' > %s", samples, src);
		cr_assert_eq(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir pages && python3 - %s <<'PY'\n"
		 "import json, html, re, sys\n"
		 "def esc(x): return html.escape(x, quote=False).replace('\\u2019', '&rsquo;')\n"
		 "out = open('c.jsonl', 'w')\n"
		 "for i, l in enumerate(open(sys.argv[1])):\n"
		 "    r = json.loads(l)\n"
		 "    paras = [[' '.join(x.split()) for x in p.split('\\n')] for p in re.split(r'\\n\\s*\\n', r['text'])]\n"
		 "    paras = [[x for x in p if x] for p in paras]\n"
		 "    paras = [p for p in paras if p]\n"
		 "    r['text'] = '\\n\\n'.join('\\n'.join(p) for p in paras)\n"
		 "    r['title'] = ' '.join((r.get('title') or '').split()) or None\n"
		 "    out.write(json.dumps(r) + '\\n')\n"
		 "    head = '<title>%%s</title>' %% esc(r['title']) if r['title'] else ''\n"
		 "    if r.get('date'): head += '<meta property=\"article:published_time\" content=\"%%s\">' %% html.escape(str(r['date']))\n"
		 "    if r.get('outlet'): head += '<meta property=\"og:site_name\" content=\"%%s\">' %% html.escape(r['outlet'])\n"
		 "    body = ''.join('<p>%%s</p>\\n' %% '<br>\\n'.join(esc(x) for x in p) for p in paras)\n"
		 "    open('pages/%%05d-%%s.html' %% (i, r['id']), 'w').write('<!DOCTYPE html>\\n<html><head>'\n"
		 "        + head + '</head>\\n<body>\\n' + body + '</body></html>\\n')\n"
		 "PY\n"
		 "gzip -c c.jsonl > c.jsonl.gz && zstd -q c.jsonl -o c.jsonl.zst && "
		 "%s scan -q c.jsonl > plain.tsv && %s scan -q c.jsonl.gz > gz.tsv && "
		 "%s scan -q c.jsonl.zst > zst.tsv && %s scan -q - < c.jsonl > stdin.tsv && "
		 "%s scan -q pages | sed -E 's,[0-9]{5}-([^[:space:]]*)\\.html,\\1,g' > html.tsv",
		 d, src, bin, bin, bin, bin, bin);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	const char *forms[] = { "gz.tsv", "zst.tsv", "stdin.tsv", "html.tsv" };
	for (int i = 0; i < 4; i++) {
		snprintf(cmd, sizeof(cmd), "cmp -s %s/plain.tsv %s/%s", d, d, forms[i]);
		cr_assert_eq(system(cmd), 0, "%s differs from plain.tsv (in %s)", forms[i], d);
	}
	snprintf(cmd, sizeof(cmd), "test $(wc -l < %s/plain.tsv) -gt 5", d);
	cr_assert_eq(system(cmd), 0, "too few pairs to compare");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d);
	system(cmd);
	free(d);
}

/* Reading overlaps adding (read.c): under a memory bound batches are of
 * 1 MiB, so a 6 MB file is read in six; with three threads (a producer
 * reading ahead) and with one (no producer) the same documents and
 * rejects come out, in input order, and a gzip stream cut in its fourth
 * batch gives every record before the cut and then the cut. */
Test(input, reading_ahead_over_many_batches_keeps_order_up_to_a_cut)
{
	char *d = dir(), p[4096];
	size_t n = 0, cap = 6 << 20, good = 0;
	char *big = malloc(cap);
	for (int i = 0; n + 300 < cap; i++) {
		if (i % 5003 == 17)
			n += (size_t)snprintf(big + n, 300, "{broken %d\n", i);
		else if (++good)
			n += (size_t)snprintf(big + n, 300,
					      "{\"id\":\"r%d\",\"text\":\"record %d of "
					      "a file read in batches, line after "
					      "line after line\"}\n", i, i * 7919);
	}
	snprintf(p, sizeof(p), "%s/many.jsonl.gz", d);
	/* Whole, with its checksum damaged (every byte decoded, then the
	 * check fails: what the last call decoded is read too, on one
	 * thread or decoded ahead on another), then cut. */
	for (int cut = 0; cut < 3; cut++) {
		put_gzip(p, big, n);
		FILE *fp = fopen(p, cut == 1 ? "r+b" : "rb");
		fseek(fp, 0, SEEK_END);
		long size = ftell(fp);
		if (cut == 1) {
			fseek(fp, size - 8, SEEK_SET); /* the CRC-32 */
			int ch = fgetc(fp);
			fseek(fp, size - 8, SEEK_SET);
			fputc(ch ^ 0x55, fp);
		}
		fclose(fp);
		if (cut == 2)
			cr_assert_eq(truncate(p, size * 7 / 12), 0);
		rp_corpus *c[2];
		for (int k = 0; k < 2; k++) {
			rp_options o = RP_OPTIONS_INIT;
			o.threads = k ? 3 : 1;
			cr_assert_eq(rp_corpus_new(&c[k], &o), RP_OK);
			cr_assert_eq(rp_corpus_set_memory(c[k], (size_t)32 << 20,
							  NULL), RP_OK);
			int err = rp_corpus_read_path(c[k], p, NULL);
			cr_assert_eq(err, cut ? RP_EIO : RP_OK, "status %d", err);
			cr_assert_eq(rp_corpus_count(c[k]), rp_corpus_count(c[0]));
		}
		tu_same_reading(c[0], c[1]);
		size_t nd = rp_corpus_count(c[0]), nr = rp_corpus_reject_count(c[0]);
		/* Every record of the whole file; before the cut, more than
		 * three batches of about 10,000 lines. */
		if (cut == 2)
			cr_assert(nd > 30000 && nd < good, "%zu documents", nd);
		else
			cr_assert_eq(nd, good);
		if (cut)
			cr_assert(strstr(reject_reason(c[1], nr - 1),
					 cut == 1 ? "corrupt gzip data near byte "
						  : "gzip data ends early at byte "),
				  "%s", reject_reason(c[1], nr - 1));
		for (int k = 0; k < 2; k++)
			rp_corpus_free(c[k]);
	}
	free(big);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", d);
	system(cmd);
	free(d);
}
