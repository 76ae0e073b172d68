/* The stages over shards (reprint shard ...): the answers of scan, stage
 * files that are whole, checked and refused when foreign or damaged. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static const char *bin(void) { return tu_bin(0); }
#define run tu_runf
static const char *samples(void) { return tu_samples(); }

/* A news-shaped JSONL collection: three outlets with their own chrome,
 * stories reprinted across them (some trimmed), a small outlet whose
 * chrome must be learned from pages in several parts, a duplicate id far
 * from its first (so in another part), an empty text and a broken line. */
static char *news_jsonl(void)
{
	static const char *words[] = {
		"port", "minister", "council", "budget", "river", "bridge",
		"strike", "union", "court", "ruling", "energy", "prices",
		"winter", "school", "teachers", "hospital", "doctors", "tram",
		"city", "mayor", "election", "votes", "farmers", "grain",
		"exports", "bank", "rates", "police", "fire", "museum",
		"festival", "airport", "flights", "railway", "tickets", "salary",
		"pension", "reform", "parliament", "debate", "tax", "road",
	};
	static const char *outlets[] = { "daily", "herald", "wire" };
	uint64_t st = 7;
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	cr_assert_not_null(buf);
	char story[2048];
	for (int s = 0; s < 90; s++) {
		size_t k = 0;
		for (int w = 0; w < 70; w++)
			k += (size_t)snprintf(story + k, sizeof(story) - k, "%s%s",
					      w ? (w % 12 == 11 ? ". " : " ") : "",
					      words[tu_rand(&st) % 42]);
		int copies = 1 + (int)(tu_rand(&st) % 3);
		for (int c = 0; c < copies; c++) {
			const char *o = outlets[(s + c) % 3];
			/* a trim: the last third cut */
			size_t len = c == 2 ? k * 2 / 3 : k;
			n += (size_t)snprintf(buf + n, cap - n,
				"{\"id\":\"%s-%d\",\"outlet\":\"%s\",\"date\":\"2026-03-%02dT10:00:00Z\","
				"\"text\":\"%s Home | News | Sport | Weather\\n%.*s.\\n"
				"Subscribe to the %s newsletter\\nCopyright %s media\"}\n",
				o, s, o, 1 + (s + c) % 28, o, (int)len, story, o, o);
		}
		/* A small outlet whose pages share a long sidebar line: only
		 * chrome learned from all four of them (wherever they fell)
		 * keeps its stories apart. */
		if (s % 20 == 5)
			n += (size_t)snprintf(buf + n, cap - n,
				"{\"id\":\"gazette-%d\",\"outlet\":\"gazette\","
				"\"text\":\"%.*s.\\nOur readers also liked the long "
				"story of the lighthouse keeper who counted every ship "
				"that passed the harbour in the stormy winter of the "
				"year the old bridge fell into the river below\"}\n",
				s, (int)(k / 2), story + k / 2);
		if (s == 3)
			n += (size_t)snprintf(buf + n, cap - n,
					      "{\"id\":\"empty\",\"text\":\"  \"}\n"
					      "{\"id\":\"broken\",\"text\":\n");
	}
	/* (a broken line after it: scan lists the rejects in the order
	 * met) */
	n += (size_t)snprintf(buf + n, cap - n,
			      "{\"id\":\"daily-0\",\"outlet\":\"daily\",\"text\":\"a "
			      "second record with the id of the first\"}\n"
			      "{\"id\":\"broken-again\"\n");
	char *path = tu_write_temp(buf, n);
	free(buf);
	return path;
}

/* Run every stage in W: n parts read and signed, p pairs tasks, v verify
 * tasks; finish writes O.pairs, O.jsonl, O.cl, O.syn, O.rej, O.dedup. */
static int stages(const char *w, const char *o, int n, int p, int v,
		  const char *opts, const char *inputs, char **err)
{
	char cmd[8192];
	size_t k = (size_t)snprintf(cmd, sizeof(cmd), "set -e; rm -rf %s; ", w);
	k += (size_t)snprintf(cmd + k, sizeof(cmd) - k,
		"for i in $(seq 0 %d); do %s shard read -q --shard $i/%d %s %s -o %s; done; "
		"%s shard chrome %s; "
		"for i in $(seq 0 %d); do %s shard sign --shard $i/%d %s; done; "
		"for i in $(seq 0 %d); do %s shard pairs --part $i/%d %s; done; "
		"for i in $(seq 0 %d); do %s shard verify --part $i/%d %s; done; "
		"%s shard finish -q %s -o %s.pairs --clusters %s.cl --syndication %s.syn "
		"--rejects %s.rej --dedup %s.dedup || test $? = 1; "
		"%s shard finish -q %s --format jsonl -o %s.jsonl || test $? = 1",
		n - 1, bin(), n, opts, inputs, w, bin(), w, n - 1, bin(), n, w,
		p - 1, bin(), p, w, v - 1, bin(), v, w, bin(), w, o, o, o, o, o,
		bin(), w, o);
	return run(NULL, err, "%s", cmd);
}

/* Scan's outputs of the same inputs, as S.pairs, S.jsonl, ... */
static void scan_outputs(const char *s, const char *opts, const char *inputs)
{
	char *err;
	int rc = run(NULL, &err, "%s scan -q %s %s -o %s.pairs --clusters %s.cl "
		     "--syndication %s.syn --rejects %s.rej --dedup %s.dedup; "
		     "%s scan -q %s %s --format jsonl -o %s.jsonl; true",
		     bin(), opts, inputs, s, s, s, s, s, bin(), opts, inputs, s);
	cr_assert_eq(rc, 0, "%s", err);
}

static void same_outputs(const char *a, const char *b, const char *what)
{
	static const char *ext[] = { "pairs", "jsonl", "cl", "syn", "rej", "dedup" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		char *err;
		int rc = run(NULL, &err, "test -s %s.pairs && cmp %s.%s %s.%s", a,
			     a, ext[i], b, ext[i]);
		cr_assert_eq(rc, 0, "%s: .%s differs from scan's: %s", what, ext[i],
			     err);
	}
}

/* Every stage cut several ways gives scan's pairs (TSV and JSONL),
 * clusters, syndication, rejects and the deduplicated collection, byte
 * for byte: on Reuters-21578 and
 * the three calibration sets when ../shared is there, and always on a
 * generated news collection and two folders of text files (samples/ and
 * the news fixture: their files fall in several parts, ids keep the
 * roots' names). */
Test(shard, stages_give_the_answers_of_scan)
{
	char *gen = news_jsonl();
	char inputs[4096], w[64], o[64], s[64];
	const char *d = tu_shared_data();
	if (d)
		snprintf(inputs, sizeof(inputs), "%s/reuters21578.jsonl %s "
			 "%s/syndication/seed1/corpus.jsonl %s "
			 "%s/syndication/seed2/corpus.jsonl "
			 "%s/syndication/seed3/corpus.jsonl "
			 "%s/../tests/fixtures/news-folder", d, gen, d, samples(),
			 d, d, samples());
	else
		snprintf(inputs, sizeof(inputs), "%s %s "
			 "%s/../tests/fixtures/news-folder", gen, samples(),
			 samples());
	snprintf(w, sizeof(w), "%s.w", gen);
	snprintf(o, sizeof(o), "%s.o", gen);
	snprintf(s, sizeof(s), "%s.s", gen);
	scan_outputs(s, "", inputs);
	static const int cuts[][3] = { { 1, 1, 1 }, { 3, 2, 4 }, { 5, 3, 2 } };
	for (size_t k = 0; k < 3; k++) {
		char *err;
		int rc = stages(w, o, cuts[k][0], cuts[k][1], cuts[k][2], "",
				inputs, &err);
		cr_assert_eq(rc, 0, "stages %d/%d/%d: %s", cuts[k][0], cuts[k][1],
			     cuts[k][2], err);
		char what[64];
		snprintf(what, sizeof(what), "%d read, %d pairs, %d verify tasks",
			 cuts[k][0], cuts[k][1], cuts[k][2]);
		same_outputs(o, s, what);
	}
	/* A question of its own (threshold, passages off, other banding). */
	const char *q = "-t 0.7 --min-passage 0 --bands 20 --rows 5";
	scan_outputs(s, q, inputs);
	char *err;
	cr_assert_eq(stages(w, o, 4, 3, 3, q, inputs, &err), 0, "%s", err);
	same_outputs(o, s, "-t 0.7 --min-passage 0 --bands 20 --rows 5");
	/* The duplicate id of another part is rejected as scan rejects it. */
	char *out;
	run(&out, NULL, "grep -c 'duplicate id' %s.rej", o);
	cr_assert_geq(atoi(out), 1, "no duplicate id rejected");
	run(NULL, NULL, "rm -rf %s %s.* %s.* %s", w, o, s, gen);
	free(gen);
}

/* W.3: a copy of the work folder W with one byte of its file `file`
 * changed in the middle. */
static void damaged_copy(const char *w, const char *file)
{
	char *err;
	int rc = run(NULL, &err, "set -e; rm -rf %s.3; cp -r %s %s.3; f=%s.3/%s; "
		     "printf 'X' | dd of=$f bs=1 seek=$(($(stat -c %%s $f) / 2)) "
		     "conv=notrunc 2>/dev/null", w, w, w, w, file);
	cr_assert_eq(rc, 0, "%s", err);
}

/* Finish of the work folder dir through the library, the pairs' texts
 * checked or not (rp_shard_print_texts): its status, *err its message. */
static int finish_in_process(const char *dir, int print, char **err)
{
	rp_shard *s = NULL;
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	rp_question q;
	rp_question_init(&q, RP_QUESTION_VERSION);
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	int rc = rp_shard_open(&s, dir, NULL, 0);
	if (rc == RP_OK) {
		if (!print)
			rp_shard_print_texts(s, 0);
		rc = rp_shard_finish(s, c, &q, &r);
	}
	*err = strdup(s ? rp_shard_error(s) : "");
	rp_result_free(r);
	rp_corpus_free(c);
	rp_shard_free(s);
	return rc;
}

/* A task run again writes the same bytes; a stage refuses files of other
 * parameters, damaged or truncated ones and a stage before it not done,
 * naming the file, with exit status 3. */
Test(shard, stage_files_are_checked_and_tasks_can_run_again)
{
	char *gen = news_jsonl();
	char w[64], w2[64], o[64];
	snprintf(w, sizeof(w), "%s.w", gen);
	snprintf(w2, sizeof(w2), "%s.w2", gen);
	snprintf(o, sizeof(o), "%s.o", gen);
	char *out, *err;
	cr_assert_eq(stages(w, o, 2, 2, 2, "", gen, &err), 0, "%s", err);

	/* Again: the same bytes, file for file, whatever the threads (one
	 * thread's fingerprints come in document order and are sorted by
	 * hash alone; several threads' are not). */
	int rc = run(NULL, &err, "set -e; cd %s; cp sign-1.keys /tmp/k.$$; "
		     "cp sign-1.fps /tmp/f.$$; "
		     "cp verify-0.pairs /tmp/v.$$; %s shard sign --threads 1 "
		     "--shard 1/2 .; %s shard verify --threads 2 --part 0/2 .; "
		     "cmp sign-1.keys /tmp/k.$$; cmp sign-1.fps /tmp/f.$$; "
		     "cmp verify-0.pairs /tmp/v.$$; "
		     "%s shard sign --threads 3 --shard 1/2 .; "
		     "cmp sign-1.keys /tmp/k.$$; cmp sign-1.fps /tmp/f.$$; "
		     "rm /tmp/k.$$ /tmp/f.$$ /tmp/v.$$", w, bin(), bin(), bin());
	cr_assert_eq(rc, 0, "a task run again wrote other bytes: %s", err);

	/* A pairs task reads and checks only its hash range of each
	 * fingerprints file, and the ranges of the tasks cover the file: a
	 * block damaged in the middle is refused by the task that reads it. */
	damaged_copy(w, "sign-0.fps");
	rc = run(NULL, &err, "set -e; n=0; for i in 0 1; do "
		 "%s shard pairs --part $i/2 %s.3 || { test $? = 3; n=$((n + 1)); }; "
		 "done; test $n -ge 1", bin(), w);
	cr_assert_eq(rc, 0, "no pairs task refused the damaged file: %s", err);
	cr_assert(strstr(err, "sign-0.fps") && strstr(err, "damaged (checksum of "
							   "bytes"), "%s", err);
	/* Finish reads each document's fields through the checking buffer:
	 * a block damaged in the middle of a documents file is found. */
	damaged_copy(w, "read-1.docs");
	rc = run(NULL, &err, "%s shard finish -q %s.3 -o /dev/null", bin(), w);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "read-1.docs") && strstr(err, "damaged (checksum of "
							    "bytes"), "%s", err);
	/* It checks the texts of the pairs' documents when the caller's
	 * reports print them (the library's default), not otherwise (sign
	 * and verify checked them; the CLI's finish prints none): with a
	 * byte of every block of a texts file damaged but its first (which
	 * every stage reads), finish through the library refuses it, naming
	 * it; told the texts are not printed, it finishes, and the CLI's
	 * pairs are those of the undamaged folder. */
	rc = run(NULL, &err, "set -e; rm -rf %s.3; cp -r %s %s.3; f=%s.3/read-1.texts; "
		 "n=$(( ($(stat -c %%s $f) - 64) / 4096 )); "
		 "for b in $(seq 1 $((n - 1))); do printf 'X' | dd of=$f bs=1 "
		 "seek=$((64 + 4096 * b + 100)) conv=notrunc 2>/dev/null; done; "
		 "test $n -ge 4", w, w, w, w);
	cr_assert_eq(rc, 0, "%s", err);
	char d3[80];
	snprintf(d3, sizeof(d3), "%s.3", w);
	cr_assert_eq(finish_in_process(d3, 1, &err), RP_EINPUT);
	cr_assert(strstr(err, "read-1.texts") && strstr(err, "damaged (checksum of "
							     "bytes"), "%s", err);
	free(err);
	cr_assert_eq(finish_in_process(d3, 0, &err), RP_OK, "%s", err);
	free(err);
	rc = run(NULL, &err, "set -e; %s shard finish -q %s.3 -o %s.3.pairs || "
		 "test $? = 1; %s shard finish -q %s -o %s.pairs || test $? = 1; "
		 "cmp %s.3.pairs %s.pairs; test $(wc -l < %s.pairs) -gt 5; "
		 "rm -rf %s.3.pairs %s.pairs", bin(), w, w, bin(), w, w, w, w, w,
		 w, w);
	cr_assert_eq(rc, 0, "%s", err);
	run(NULL, NULL, "rm -rf %s.3", w);

	/* Other parameters: the folder is refused, so is a file of another
	 * run put in it. */
	rc = run(NULL, &err, "%s shard read -t 0.6 --shard 0/2 %s -o %s", bin(),
		 gen, w);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "other parameters"), "%s", err);
	rc = run(NULL, &err, "%s shard read -q -t 0.6 --shard 0/1 %s -o %s && "
		 "cp %s/read-0.docs %s/read-0.docs && %s shard chrome %s", bin(),
		 gen, w2, w2, w, bin(), w);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "read-0.docs") && strstr(err, "other parameters"),
		  "%s", err);

	/* Damaged and truncated files: a damaged block is found by the
	 * stage that reads it (sign reads every document of its part), and
	 * damage to the table of checksums by any stage that opens it. */
	rc = run(NULL, &err, "%s shard read -q --shard 0/2 %s -o %s && "
		 "%s shard chrome %s && "
		 "printf 'X' | dd of=%s/read-0.docs bs=1 seek=200 conv=notrunc "
		 "2>/dev/null && %s shard sign --shard 0/2 %s", bin(), gen, w,
		 bin(), w, w, bin(), w);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "read-0.docs") && strstr(err, "damaged (checksum of "
							    "bytes 64-4159"),
		  "%s", err);
	rc = run(NULL, &err, "%s shard read -q --shard 0/2 %s -o %s && "
		 "printf 'X' | dd of=%s/read-0.docs bs=1 seek=$(($(stat -c %%s "
		 "%s/read-0.docs) - 3)) conv=notrunc 2>/dev/null && %s shard chrome %s",
		 bin(), gen, w, w, w, bin(), w);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "read-0.docs") && strstr(err, "damaged (checksum "
							    "differs)"), "%s", err);
	rc = run(NULL, &err, "%s shard read -q --shard 0/2 %s -o %s && "
		 "truncate -s -5 %s/read-1.lines && %s shard chrome %s", bin(), gen,
		 w, w, bin(), w);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "read-1.lines") && strstr(err, "truncated"), "%s",
		  err);
	rc = run(NULL, &err, "printf 'not a stage file at all, just text here "
		 "for more than sixty-four bytes of it, really' > %s/sign-0.fps && "
		 "%s shard pairs --part 0/1 %s", w, bin(), w);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "sign-0.fps") && strstr(err, "not a reprint stage "
							   "file"), "%s", err);

	/* A stage before not done. */
	rc = run(NULL, &err, "rm %s/sign-1.done && %s shard pairs --part 0/1 %s",
		 w, bin(), w);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "sign-1.done"), "%s", err);
	rc = run(&out, &err, "%s shard finish %s", bin(), w2);
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "chrome"), "%s", err);
	/* Not a work folder. */
	rc = run(NULL, &err, "%s shard chrome %s", bin(), samples());
	cr_assert_eq(rc, 3, "%s", err);
	cr_assert(strstr(err, "not a reprint work folder"), "%s", err);
	/* Questions the stages do not answer, refused by the first stage. */
	rc = run(NULL, &err, "%s shard read --exact --shard 0/1 %s -o %s.x", bin(),
		 gen, w);
	cr_assert_eq(rc, 2, "%s", err);
	cr_assert(strstr(err, "exact"), "%s", err);
	rc = run(NULL, &err, "%s shard read --containment 0.3 --shard 0/1 %s -o "
		 "%s.y", bin(), gen, w);
	cr_assert_eq(rc, 2, "%s", err);
	cr_assert(strstr(err, "containment"), "%s", err);
	run(NULL, NULL, "rm -rf %s %s %s.x %s.y %s.* %s", w, w2, w, w, o, gen);
	free(gen);
}
