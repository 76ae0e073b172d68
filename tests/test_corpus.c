/* Tests of corpus.c: validation, rejects, ids and accounting. */
#include <criterion/criterion.h>
#include <string.h>

#include "corpus.h"
#include "reprint.h"
#include "spool.h"

static int add(rp_corpus *c, const char *id, const char *text, size_t len)
{
	rp_doc_input in;
	memset(&in, 0, sizeof(in));
	in.id = id;
	in.id_len = id ? strlen(id) : 0;
	in.text = text;
	in.text_len = len;
	in.source = "mem";
	in.line = rp_corpus_records_seen(c) + 1;
	return rp_corpus_add(c, &in);
}

/* Document doc's text in tests of spooled texts: n letters of a pattern
 * of its own. */
static void letters(char *text, size_t doc, size_t n)
{
	for (size_t x = 0; x < n; x++)
		text[x] = (char)('a' + (doc * 7 + x * 13) % 26);
}

static const char *reason(rp_corpus *c, size_t i)
{
	rp_reject r;
	cr_assert_eq(rp_corpus_reject(&r, c, i), RP_OK);
	return r.reason;
}

Test(corpus, bad_records_are_rejected_with_reasons)
{
	rp_corpus *c;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(add(c, "a", "good text here", 14), RP_OK);
	cr_assert_eq(add(c, "a", "another text", 12), RP_EINPUT);
	cr_assert_eq(add(c, "b", "bad \xff byte", 10), RP_EINPUT);
	cr_assert_eq(add(c, "c", "nul\0inside", 10), RP_EINPUT);
	cr_assert_eq(add(c, "d", "  \n\t ", 5), RP_EINPUT);
	cr_assert_eq(add(c, "", "text", 4), RP_EINPUT);
	cr_assert_eq(add(c, "e", NULL, 0), RP_EINPUT);
	cr_assert_eq(rp_corpus_count(c), 1);
	cr_assert_eq(rp_corpus_reject_count(c), 6);
	cr_assert(strstr(reason(c, 0), "duplicate id"));
	cr_assert(strstr(reason(c, 1), "invalid UTF-8 in text at byte 4"));
	cr_assert(strstr(reason(c, 2), "NUL byte in text at byte 3"));
	cr_assert(strstr(reason(c, 3), "empty text"));
	cr_assert(strstr(reason(c, 4), "empty id"));
	cr_assert(strstr(reason(c, 5), "no text"));
	/* Nothing is lost: every record is stored or rejected. */
	cr_assert_eq(rp_corpus_records_seen(c),
		     rp_corpus_count(c) + rp_corpus_reject_count(c));
	rp_corpus_free(c);
}

Test(corpus, missing_ids_are_generated_from_source_and_line)
{
	rp_corpus *c;
	rp_doc_info d;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(add(c, NULL, "some words", 10), RP_OK);
	cr_assert_eq(rp_corpus_doc(&d, c, 0), RP_OK);
	cr_assert_str_eq(d.id, "mem:1");
	rp_corpus_free(c);
}

Test(corpus, texts_over_the_limit_are_rejected)
{
	rp_options o = RP_OPTIONS_INIT;
	o.max_doc_bytes = 8;
	rp_corpus *c;
	cr_assert_eq(rp_corpus_new(&c, &o), RP_OK);
	cr_assert_eq(add(c, "a", "short", 5), RP_OK);
	cr_assert_eq(add(c, "b", "much too long", 13), RP_EINPUT);
	cr_assert(strstr(reason(c, 0), "too large"));
	rp_corpus_free(c);
}

Test(corpus, many_ids_stay_unique)
{
	rp_corpus *c;
	char id[32];
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "doc-%d", i);
		cr_assert_eq(add(c, id, "words words", 11), RP_OK);
	}
	cr_assert_eq(add(c, "doc-4321", "words", 5), RP_EINPUT);
	cr_assert_eq(rp_corpus_count(c), 5000);
	/* After the table grew (from 1,024 slots), every id is found where
	 * it was added, each is a duplicate once more, and one id's prefix
	 * or extension is another id or none. */
	for (int i = 0; i < 5000; i++) {
		size_t at = SIZE_MAX;
		snprintf(id, sizeof(id), "doc-%d", i);
		cr_assert_eq(rp_corpus_find(&at, c, id), RP_OK);
		cr_assert_eq(at, (size_t)i);
		cr_assert_eq(add(c, id, "again", 5), RP_EINPUT);
	}
	size_t at;
	cr_assert_eq(rp_corpus_find(&at, c, "doc-"), RP_EINPUT);
	cr_assert_eq(rp_corpus_find(&at, c, "doc-49999"), RP_EINPUT);
	cr_assert_eq(rp_corpus_count(c), 5000);
	cr_assert_eq(rp_corpus_reject_count(c), 5001);
	rp_corpus_free(c);
}

Test(corpus, bad_options_are_refused)
{
	rp_corpus *c;
	rp_options o = RP_OPTIONS_INIT;
	o.threshold = 0;
	cr_assert_eq(rp_corpus_new(&c, &o), RP_EINVAL);
	o = (rp_options)RP_OPTIONS_INIT;
	o.bands = 40;
	o.rows = 4;
	cr_assert_eq(rp_corpus_new(&c, &o), RP_EINVAL);
	o = (rp_options)RP_OPTIONS_INIT;
	o.version = 99;
	cr_assert_eq(rp_corpus_new(&c, &o), RP_EINVAL);
}

Test(corpus, no_documents_after_a_scan)
{
	rp_corpus *c;
	rp_result *r;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(add(c, "a", "one two", 7), RP_OK);
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	cr_assert_eq(add(c, "b", "three four", 10), RP_ESTATE);
	rp_result_free(r);
	rp_corpus_free(c);
}

/* Under a bound, texts past its 64th go to the spool; a reader taking
 * them out of order gets each read from the file into its buffer (not
 * through the mapping), equal to the text added, NUL-terminated; texts
 * held in memory are handed out as they are. */
Test(corpus, spooled_texts_read_apart_are_the_texts_added)
{
	rp_corpus *c;
	char id[32], text[2100];
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_set_memory(c, (size_t)1 << 20, NULL), RP_OK);
	for (int i = 0; i < 300; i++) {
		snprintf(id, sizeof(id), "d%d", i);
		letters(text, (size_t)i, 2048);
		text[(size_t)(100 + i)] = ' ';
		cr_assert_eq(add(c, id, text, (size_t)(1000 + 3 * i)), RP_OK);
	}
	cr_assert_eq(rp_corpus_texts_ready(c), RP_OK);
	char *buf = NULL;
	size_t cap = 0, apart = 0, paced = 0;
	for (size_t d = 0; d < 300; d++) {
		/* backwards: out of order */
		size_t e = 299 - d;
		letters(text, e, 2048);
		text[100 + e] = ' ';
		size_t len = 1000 + 3 * e;
		const char *t = rp_corpus_text_at(c, e, &buf, &cap, &paced);
		cr_assert_not_null(t);
		cr_assert_eq(c->docs[e].text_len, len);
		cr_assert(memcmp(t, text, len) == 0 && t[len] == '\0',
			  "document %zu read apart differs", e);
		if (t == buf)
			apart++;
		else
			cr_assert_eq(t, c->docs[e].text);
	}
	/* 16 KiB held, the rest (about 420 KB) in the file */
	cr_assert_gt(apart, 150, "%zu of 300 texts read from the file", apart);
	cr_assert_lt(apart, 300);
	free(buf);
	rp_corpus_free(c);
}

/* A pass reading texts in file order takes spooled ones from a window
 * read at once (rp_corpus_text_window): each equal to the text added,
 * NUL-terminated; one window serves the texts that follow; a text longer
 * than a window is read whole; going back reads again; texts held in
 * memory are handed out as they are. */
Test(corpus, spooled_texts_read_in_order_come_from_a_window)
{
	enum { N = 400, BIG = 1500000 };
	rp_corpus *c;
	char id[32];
	char *text = malloc(BIG + 1);
	cr_assert_not_null(text);
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_set_memory(c, (size_t)1 << 20, NULL), RP_OK);
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "d%d", i);
		size_t len = i == 350 ? BIG : (size_t)(1000 + 3 * i);
		letters(text, (size_t)i, len);
		text[100 + i] = ' ';
		cr_assert_eq(add(c, id, text, len), RP_OK);
	}
	cr_assert_eq(rp_corpus_texts_ready(c), RP_OK);
	rp_text_window w = { 0 };
	size_t from_window = 0, reads = 0;
	uint64_t last_from = UINT64_MAX;
	/* in order, then 50 of them again (backwards in the file) */
	for (size_t k = 0; k < N + 50; k++) {
		size_t e = k < N ? k : 200 + (k - N);
		const rp_doc *doc = &c->docs[e];
		size_t len = doc->text_len;
		letters(text, e, len);
		text[100 + e] = ' ';
		const char *t = rp_corpus_text_window(c, doc->text, len, &w);
		cr_assert_not_null(t);
		cr_assert(memcmp(t, text, len) == 0 && t[len] == '\0',
			  "document %zu read in order differs", e);
		if (w.buf && t >= w.buf && t < w.buf + w.cap) {
			from_window++;
			reads += w.from != last_from;
			last_from = w.from;
		} else {
			cr_assert_eq(t, doc->text, "a held text as it is");
		}
	}
	/* 128 KiB held; about 1.9 MB in the file, read a MiB at a time */
	cr_assert_gt(from_window, 250, "%zu texts from the window", from_window);
	cr_assert_geq(reads, 4, "%zu reads for %zu texts", reads, from_window);
	cr_assert_leq(reads, 6, "%zu reads for %zu texts", reads, from_window);
	rp_text_window_free(&w);
	free(text);
	rp_corpus_free(c);
}

/* A reader taking runs of texts (a signing pass's threads) sets the end
 * of its run: a window read stops there, so that it does not read the
 * next run, another thread's; the texts are the texts added. */
Test(corpus, a_window_stops_at_the_end_of_the_run)
{
	enum { N = 600, RUN = 40 };
	rp_corpus *c;
	char id[32], text[2200];
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	cr_assert_eq(rp_corpus_set_memory(c, (size_t)1 << 20, NULL), RP_OK);
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "d%d", i);
		letters(text, (size_t)i, 2200);
		text[100] = ' ';
		cr_assert_eq(add(c, id, text, (size_t)(1500 + i)), RP_OK);
	}
	cr_assert_eq(rp_corpus_texts_ready(c), RP_OK);
	rp_text_window w = { 0 };
	size_t spooled = 0;
	/* every other run, as one of two threads takes them */
	for (size_t d0 = 0; d0 < N; d0 += 2 * RUN) {
		const rp_doc *last = &c->docs[d0 + RUN - 1];
		w.until = last->text + last->text_len + 1;
		for (size_t e = d0; e < d0 + RUN; e++) {
			const rp_doc *doc = &c->docs[e];
			letters(text, e, 2200);
			text[100] = ' ';
			const char *t = rp_corpus_text_window(c, doc->text,
							      doc->text_len, &w);
			cr_assert_not_null(t);
			cr_assert(memcmp(t, text, doc->text_len) == 0 &&
				  t[doc->text_len] == '\0', "document %zu", e);
			if (t != doc->text) {
				spooled++;
				cr_assert_leq(w.to, (uint64_t)(w.until - c->spool->base),
					      "the window ends with the run");
				cr_assert_geq(w.to, (uint64_t)(doc->text + doc->text_len -
							       c->spool->base));
			}
		}
	}
	cr_assert_gt(spooled, 200, "%zu texts from the spool", spooled);
	rp_text_window_free(&w);
	rp_corpus_free(c);
}

/* A bounded collection whose last question reads its texts: once the
 * question has its candidates, the stages' temporary file goes on a
 * thread of its own, and once it has aligned its pairs the spooled
 * texts (rp_corpus_set_last_reading). The pairs and the temporary
 * bytes counted are those of the same collection without it; afterwards
 * a document's text is NULL and another question is refused, while the
 * collection without it answers again. */
Test(corpus, the_last_reading_lets_the_texts_go_after_the_same_pairs)
{
	rp_corpus *c[2];
	rp_result *r[2];
	char id[32], text[4000];
	for (int k = 0; k < 2; k++) {
		cr_assert_eq(rp_corpus_new(&c[k], NULL), RP_OK);
		cr_assert_eq(rp_corpus_set_memory(c[k], (size_t)1 << 20, NULL), RP_OK);
		for (int i = 0; i < 300; i++) {
			size_t n = 0;
			/* every third text a copy of the one before, one
			 * word changed */
			uint64_t seed = i % 3 == 2 ? 1000 + (uint64_t)i - 1
						   : 1000 + (uint64_t)i;
			for (int w = 0; w < 300; w++) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				unsigned v = (unsigned)(seed >> 40) % 5000;
				if (i % 3 == 2 && w == 150)
					v = 99999;
				n += (size_t)snprintf(text + n, sizeof(text) - n,
						      "w%u ", v);
			}
			snprintf(id, sizeof(id), "d%d", i);
			cr_assert_eq(add(c[k], id, text, n), RP_OK);
		}
		cr_assert_not_null(c[k]->spool, "texts spooled");
		if (k == 1)
			cr_assert_eq(rp_corpus_set_last_reading(c[k]), RP_OK);
		cr_assert_eq(rp_scan(&r[k], c[k]), RP_OK);
	}
	size_t np = rp_result_pair_count(r[0]);
	cr_assert_geq(np, 100, "the copies pair");
	cr_assert_eq(rp_result_pair_count(r[1]), np);
	const rp_pair *p0 = rp_result_pairs(r[0]), *p1 = rp_result_pairs(r[1]);
	for (size_t i = 0; i < np; i++) {
		cr_assert_eq(p0[i].a, p1[i].a);
		cr_assert_eq(p0[i].b, p1[i].b);
		cr_assert_eq(p0[i].shared, p1[i].shared);
		cr_assert_eq(p0[i].passages, p1[i].passages);
	}
	cr_assert_gt(rp_corpus_temp_bytes(c[0]), 400000);
	cr_assert_eq(rp_corpus_temp_bytes(c[1]), rp_corpus_temp_bytes(c[0]));
	cr_assert(c[1]->stages_gone && c[1]->texts_gone && !c[1]->spool &&
		  !c[1]->tmp && c[1]->ngone >= 1);
	cr_assert(!c[0]->stages_gone && !c[0]->texts_gone && c[0]->spool);
	rp_doc_info d;
	cr_assert_eq(rp_corpus_doc(&d, c[0], 299), RP_OK);
	cr_assert_not_null(d.text);
	cr_assert_eq(rp_corpus_doc(&d, c[1], 299), RP_OK);
	cr_assert_null(d.text);
	cr_assert_eq(d.text_len, c[0]->docs[299].text_len);
	rp_result *again;
	cr_assert_eq(rp_scan(&again, c[1]), RP_ESTATE);
	cr_assert_null(again);
	cr_assert(strstr(rp_corpus_error(c[1]), "let go"), "%s",
		  rp_corpus_error(c[1]));
	cr_assert_eq(rp_corpus_analyze(c[1]), RP_ESTATE);
	cr_assert_eq(rp_scan(&again, c[0]), RP_OK);
	cr_assert_eq(rp_result_pair_count(again), np);
	rp_result_free(again);
	for (int k = 0; k < 2; k++) {
		rp_result_free(r[k]);
		rp_corpus_free(c[k]);
	}
}
