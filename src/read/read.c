/*
 * read.c - readers: JSONL streams and directory trees of .txt files and
 * HTML pages (html.c).
 *
 * JSONL is parsed with cJSON, chosen by measurement (on a 448 MB news JSONL
 * on this machine kind cJSON parsed 378 MB/s, jansson 43 MB/s); a line is
 * first offered to rp_json_fields (jsonline.h), which reads the five
 * fields without a tree where it is sure to answer as cJSON would (read
 * stage of the news 100k corpus 0.99 -> 0.52 s), and cJSON parses the
 * rest. What follows a record's object on its line makes it a reject
 * (cJSON stops at the object's end: a second record would be lost). Lines are
 * read by a line reader that keeps at most the longest line a record may
 * have (max_line): a longer one is read through and dropped, so memory is
 * bounded by the limit, not by the file or its longest line (a compressed
 * file can hold a line of gigabytes in a few kilobytes).
 * Every non-blank line is one record: it is added or rejected with its line
 * number and reason (malformed JSON, not an object, missing or mistyped
 * field, NUL byte, escaped NUL in a string).
 *
 * Directory trees are walked in byte order of names, so ids and output are
 * the same on every machine; hidden entries are skipped and symbolic links
 * to directories are not followed (no cycles). A text file's text and an
 * HTML page's are traced to the file's bytes (rp_corpus_source_range).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "corpus.h"
#include "input.h"
#include "jsonline.h"
#include "normalize.h"
#include "utf8.h"

#define MAX_DEPTH 64

static const rp_read_options default_ropts = RP_READ_OPTIONS_INIT;

/* Does the raw JSON line hold the escape \u0000 (NUL in a string)? */
static const char *escaped_nul(const char *s, size_t len)
{
	const char *end = s + len, *p = s;
	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		if (end - p >= 6 && memcmp(p + 1, "u0000", 5) == 0)
			return p;
		p += 2; /* skip the escaped character */
		if (p >= end)
			break;
	}
	return NULL;
}

typedef struct field {
	const char *s;
	size_t len;
	char num[64];
} field;

/* 0: absent or null; 1: string; -1: wrong type. Numbers allowed if `num`. */
static int get_field(field *f, const cJSON *obj, const char *name, int num)
{
	f->s = NULL;
	f->len = 0;
	if (!name)
		return 0;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	/* A dotted name ("body.text") descends into objects, unless the
	 * record has a field of that very name. */
	if (!v && strchr(name, '.')) {
		const cJSON *o = obj;
		const char *p = name;
		char part[256];
		for (;;) {
			size_t l = strcspn(p, ".");
			if (l >= sizeof(part))
				return 0;
			memcpy(part, p, l);
			part[l] = '\0';
			o = cJSON_GetObjectItemCaseSensitive(o, part);
			if (!o || !p[l])
				break;
			if (!cJSON_IsObject(o)) {
				o = NULL;
				break;
			}
			p += l + 1;
		}
		v = o;
	}
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v) && v->valuestring) {
		f->s = v->valuestring;
		f->len = strlen(v->valuestring);
		return 1;
	}
	if (num && cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		/* Range first: casting a double outside long long is undefined
		 * (found by fuzz_jsonl: an id of 5.6e19). */
		if (d > -9.007199254740992e15 && d < 9.007199254740992e15 &&
		    d == (double)(long long)d)
			snprintf(f->num, sizeof(f->num), "%lld", (long long)d);
		else
			snprintf(f->num, sizeof(f->num), "%.17g", d);
		f->s = f->num;
		f->len = strlen(f->num);
		return 1;
	}
	return -1;
}

/* A JSON line may escape every byte of a text at the size limit (\uXXXX
 * is six bytes for one), plus its other fields. */
static size_t max_line(const rp_corpus *c)
{
	size_t m = c->max_doc_bytes;
	return m > (SIZE_MAX - 65536) / 6 ? SIZE_MAX : m * 6 + 65536;
}

/* The fields a record is read for, in this order (rp_json_fields). */
enum { F_ID, F_TEXT, F_TITLE, F_OUTLET, F_DATE, NFIELDS };

/* What parsing one line gave; made on any thread, applied in order.
 * LINE_FIELDS: the fields read by rp_json_fields (nearly every line);
 * LINE_OBJ: cJSON's tree, for everything else. */
enum { LINE_OBJ, LINE_NUL, LINE_MALFORMED, LINE_OOM, LINE_TOOLONG,
       LINE_FIELDS, LINE_TRAILING };
typedef struct parsed {
	int kind;
	size_t col;      /* 1-based column of a NUL, of the parse error or of
			    what follows the object */
	cJSON *obj;
	rp_jfield f[NFIELDS];
	rp_text_known text; /* LINE_FIELDS: the text, checked here */
	rp_page_facts facts; /* and its facts for chrome learning */
} parsed;

/* The blanks (space, tab, CR) that s[0..len) starts with. */
static size_t blanks(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i;
}

static int blank(const char *s, size_t len)
{
	return blanks(s, len) == len;
}

/* names: the fields to read without cJSON, or NULL; fb: where to find
 * the text's facts for chrome learning, or NULL. */
static void parse_line(parsed *out, char *line, size_t len,
		       const char *const *names, rp_page_facts_buf *fb)
{
	const char *p, *end = NULL;
	memset(out, 0, sizeof(*out));
	if ((p = memchr(line, '\0', len)) != NULL) {
		out->kind = LINE_NUL;
		out->col = (size_t)(p - line) + 1;
		return;
	}
	size_t at = names ? rp_json_fields(line, len, names, NFIELDS, F_TEXT,
					   out->f) : 0;
	if (at) {
		out->kind = LINE_FIELDS;
		end = line + at;
		/* The text checked while it is at hand, on this thread, not
		 * by the adding thread nor, for its mode, by the analysis,
		 * each reading it from memory again. (No NUL: not in the
		 * line, no \u0000 in what rp_json_fields reads.) */
		const rp_jfield *t = &out->f[F_TEXT];
		if (t->s && rp_utf8_invalid_at(t->s, t->len) == t->len) {
			out->text.valid = 1;
			out->text.kind = rp_is_char_text(t->s, t->len)
						 ? RP_TEXT_CHARS
						 : RP_TEXT_WORDS;
			const rp_jfield *o = &out->f[F_OUTLET];
			if (fb) {
				if (rp_page_facts_find(fb, &out->facts, t->s,
						       t->len, o->s, o->len) < 0) {
					out->kind = LINE_OOM;
					return;
				}
				out->text.facts = &out->facts;
				out->text.facts_buf = fb;
			}
		}
	} else {
		rp_oom_take();
		out->obj = cJSON_ParseWithLengthOpts(line, len, &end, 0);
		if (!out->obj) {
			if (rp_oom_take()) { /* not malformed: memory ran out */
				out->kind = LINE_OOM;
				return;
			}
			out->kind = LINE_MALFORMED;
			out->col = end && end >= line && end <= line + len
					   ? (size_t)(end - line) + 1 : 0;
			return;
		}
	}
	/* One record a line: what follows the object is not ignored (it
	 * may be another record). */
	size_t rest = end && end >= line && end < line + len
			      ? (size_t)(line + len - end) : 0;
	size_t lead = blanks(end, rest);
	if (lead < rest) {
		end += lead;
		cJSON_Delete(out->obj);
		out->obj = NULL;
		out->kind = LINE_TRAILING;
		out->col = (size_t)(end - line) + 1;
	}
}

static int jsonl_record(rp_corpus *c, const char *line, size_t len,
			const char *name, size_t lineno,
			const rp_read_options *ro, const parsed *pl)
{
	int err = RP_OK;
	cJSON *obj = pl->obj;
	const char *p;

	if (pl->kind == LINE_OOM)
		return RP_ENOMEM;
	if (pl->kind == LINE_TOOLONG) {
		/* Too long to be a record within the size limit: not parsed. */
				return rp_corpus_reject_record(c, name, lineno, NULL,
					    "line too long (%zu bytes; the limit is %zu)",
					    len, max_line(c));
	}
	if (pl->kind == LINE_TRAILING)
		return rp_corpus_reject_record(c, name, lineno, NULL,
					       "text after the JSON object at "
					       "column %zu (one record a line)",
					       pl->col);
	if (pl->kind == LINE_FIELDS) {
		/* Read by rp_json_fields: the text is a string, every other
		 * field a string or absent, no \u0000 anywhere. */
		const rp_jfield *f = pl->f;
		rp_doc_input in = { f[F_ID].s, f[F_ID].len, f[F_TEXT].s,
				    f[F_TEXT].len, f[F_TITLE].s, f[F_TITLE].len,
				    f[F_OUTLET].s, f[F_OUTLET].len, f[F_DATE].s,
				    f[F_DATE].len, name, lineno };
		err = rp_corpus_add_known(c, &in, &pl->text);
		return err == RP_EINPUT ? RP_OK : err;
	}
	if (pl->kind != LINE_OBJ) {
				return rp_corpus_reject_record(c, name, lineno, NULL,
					    pl->kind == LINE_NUL
						    ? "NUL byte at column %zu"
						    : "malformed JSON near column %zu",
					    pl->col);
	}
	if (!cJSON_IsObject(obj)) {
		GOTO_IF_ERROR(rp_corpus_reject_record(c, name, lineno, NULL,
						   "not a JSON object"));
		goto cleanup;
	}
	field id, text, title = { 0 }, outlet = { 0 }, date = { 0 };
	const char *bad = NULL;
	int hid = get_field(&id, obj, ro->id_field, 1);
	int htext = get_field(&text, obj, ro->text_field, 0);
	if (hid < 0)
		bad = ro->id_field;
	else if (htext < 0)
		bad = ro->text_field;
	else if (get_field(&title, obj, ro->title_field, 0) < 0)
		bad = ro->title_field;
	else if (get_field(&outlet, obj, ro->outlet_field, 0) < 0)
		bad = ro->outlet_field;
	else if (get_field(&date, obj, ro->date_field, 1) < 0)
		bad = ro->date_field;
	if (bad) {
		GOTO_IF_ERROR(rp_corpus_reject_record(
			c, name, lineno, id.s, "field \"%s\" has the wrong type",
			bad));
		goto cleanup;
	}
	if (htext == 0) {
		/* Name the fields the record does have, and the option. */
		char have[200] = "";
		size_t nf = 0;
		for (const cJSON *f = obj->child; f; f = f->next, nf++)
			if (f->string && nf < 8) {
				strlcat(have, nf ? ", " : "", sizeof(have));
				strlcat(have, f->string, sizeof(have));
			}
		GOTO_IF_ERROR(rp_corpus_reject_record(
			c, name, lineno, id.s,
			"no \"%s\" field (the record has: %s%s; --text-field "
			"names another, a.b a nested one)", ro->text_field,
			nf ? have : "no fields", nf > 8 ? ", ..." : ""));
		goto cleanup;
	}
	if ((p = escaped_nul(line, len)) != NULL) {
		GOTO_IF_ERROR(rp_corpus_reject_record(
			c, name, lineno, id.s,
			"escaped NUL (\\u0000) at column %zu",
			(size_t)(p - line) + 1));
		goto cleanup;
	}
	rp_doc_input in = { id.s, id.len, text.s, text.len, title.s,
			    title.len, outlet.s, outlet.len, date.s,
			    date.len, name, lineno };
	err = rp_corpus_add(c, &in);
	if (err == RP_EINPUT)
		err = RP_OK;
cleanup:
	return err;
}

/* A batch of lines read ahead, parsed on several threads. */
typedef struct bline {
	size_t off, len, lineno; /* in batch.buf; length as read; line */
	parsed res;
} bline;

typedef struct batch {
	char *buf;              /* the lines, each NUL-terminated */
	size_t len, cap;
	bline *line;
	size_t n, capn;
	const char *const *names; /* fields for rp_json_fields, or NULL */
	int facts;              /* find the texts' facts (rp_text_known) */
	rp_page_facts_buf fb[RP_MAX_THREADS]; /* a parsing thread's */
} batch;

typedef struct parse_job {
	batch *b;
	unsigned tid, nt;
} parse_job;

static void *parse_worker(void *arg)
{
	parse_job *j = arg;
	for (size_t i = j->tid; i < j->b->n; i += j->nt) {
		bline *l = &j->b->line[i];
		if (l->res.kind != LINE_TOOLONG)
			parse_line(&l->res, j->b->buf + l->off, l->len,
				   j->b->names,
				   j->b->facts ? &j->b->fb[j->tid] : NULL);
	}
	return NULL;
}

static void parse_batch(batch *b, unsigned threads)
{
	parse_job jobs[RP_MAX_THREADS];
	unsigned nt = b->n < 64 ? 1 : rp_thread_count(threads, b->n);
	for (unsigned t = 0; t < nt; t++)
		jobs[t] = (parse_job){ b, t, nt };
	rp_run_jobs(parse_worker, jobs, sizeof(jobs[0]), nt);
}

#define BATCH_BYTES ((size_t)32 << 20)
#define BATCH_LINES 65536
#define BATCH_SLACK ((size_t)1 << 20)
#define BATCH_FIRST ((size_t)1 << 20)

/* Lines of a stream, read in chunks; a line over `limit` bytes is read
 * through without being kept. */
typedef struct line_reader {
	FILE *fp;
	char *buf;
	size_t start, end, cap, limit;
	int eof;
} line_reader;

#define READ_CHUNK ((size_t)1 << 16)

/* Read more into the buffer, after moving what is unread to its front.
 * Returns the bytes read (0 at the end of the stream or on an error:
 * ferror tells), or -1 out of memory. */
static ssize_t fill(line_reader *r)
{
	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < READ_CHUNK &&
	    rp_grow((void **)&r->buf, &r->cap, r->end + READ_CHUNK, 1) < 0)
		return -1;
	size_t got = fread(r->buf + r->end, 1, r->cap - r->end, r->fp);
	r->end += got;
	if (got == 0)
		r->eof = 1;
	return (ssize_t)got;
}

/* The next line (without its newline): *line and *len point into the
 * reader (valid until the next call) when it is at most limit bytes;
 * a longer line gives *line = NULL and its length in *len. Returns 1, 0
 * at the end, -1 out of memory. */
static int next_line(line_reader *r, const char **line, size_t *len)
{
	size_t from = r->start, dropped = 0;
	for (;;) {
		char *nl = r->end > from ? memchr(r->buf + from, '\n', r->end - from)
					 : NULL;
		if (nl) {
			size_t e = (size_t)(nl - r->buf);
			*len = dropped + (e - r->start);
			*line = dropped ? NULL : r->buf + r->start;
			r->start = e + 1;
			return 1;
		}
		if (r->end - r->start > r->limit) {
			/* Too long to keep: drop what is read, go on to its end. */
			dropped += r->end - r->start;
			r->start = r->end;
		}
		if (r->eof)
			break;
		ssize_t got = fill(r);
		if (got < 0)
			return -1;
		from = r->end - (size_t)got;
		if (got == 0)
			break;
	}
	if (r->end == r->start && !dropped)
		return 0;
	/* The last line, without a newline. */
	*len = dropped + (r->end - r->start);
	*line = dropped ? NULL : r->buf + r->start;
	r->start = r->end;
	return 1;
}

/*
 * Reading, parsing and adding overlap, each on threads of its own: a
 * reader thread reads batches of lines into three slots in turn, parser
 * threads (the analysis's count) parse the lines of the oldest batch read
 * a chunk at a time, and the calling thread adds each parsed batch's
 * records (in input order: ids, rejects and documents come out as from one
 * thread). Each batch is a 48th of a memory bound (with what parsing
 * makes, about as much again, the three take an eighth). The reader used
 * to parse each batch itself after reading it, so that reading the next
 * waited for the parse and the parse for the reading: the 1M bench
 * corpus's read stage kept 1.4-1.6 of the 2 cores busy (perf, per
 * thread). With one thread, or when no thread can be started, the calling
 * thread reads and parses each batch itself before adding it.
 */
#define NSLOT 3
#define PARSE_CHUNK 128 /* lines a parser takes at once */
enum { SLOT_FREE, SLOT_READ, SLOT_PARSED };

typedef struct feed {
	rp_corpus *c;          /* (read only: limits and threads) */
	line_reader lr;
	size_t batch_bytes;
	size_t lineno;         /* lines read so far */
	uint64_t bytes;
	int read_errno;        /* errno of a failed read (the reader's) */
	batch b[NSLOT];
	uint64_t upto[NSLOT];  /* bytes read up to the end of b[k] */
	uint64_t seq[NSLOT];   /* b[k] is the seq[k]-th batch read */
	size_t applied[NSLOT]; /* lines of b[k] added (or freed) */
	size_t claimed[NSLOT]; /* lines of b[k] taken by a parser */
	size_t parsed[NSLOT];  /* lines of b[k] parsed */
	int state[NSLOT];      /* SLOT_FREE, SLOT_READ or SLOT_PARSED */
	int last[NSLOT];       /* b[k] is the stream's last */
	int nomem[NSLOT];      /* reading b[k] ran out of memory */
	int read_over;         /* the reader has read its last batch */
	unsigned nparsers;     /* parser threads running (0: the reader
				  parses each batch itself) */
	int stop;              /* the adding side stopped */
	pthread_mutex_t mu;
	pthread_cond_t cv;
} feed;

/* Room for `need` bytes in b's buffer: BATCH_FIRST at first (most files
 * of a directory are small), then the batch's whole size (and a last
 * line of BATCH_SLACK) at once. Grown by doubling from nothing, under
 * main.c's mapping threshold each step copied the lines into fresh heap
 * pages: 0.2 s of page zeroing at the start of a news scan, on the
 * reader, while the adding thread waited for its first batch. */
static int grow_batch(batch *b, size_t batch_bytes, size_t need)
{
	size_t want = b->cap ? batch_bytes + BATCH_SLACK
			     : RP_MIN(batch_bytes + BATCH_SLACK, BATCH_FIRST);
	want = RP_MAX(want, need);
	char *p = realloc(b->buf, want);
	if (!p)
		return -1;
	b->buf = p;
	b->cap = want;
	return 0;
}

/* Read batch k's lines, not parsed yet; says whether it is the last. */
static int read_batch(feed *f, int k)
{
	batch *b = &f->b[k];
	rp_corpus *c = f->c;
	b->len = b->n = 0;
	for (unsigned t = 0; t < RP_MAX_THREADS; t++)
		rp_page_facts_buf_reset(&b->fb[t]);
	f->applied[k] = 0;
	f->nomem[k] = 0;
	int last = 0;
	errno = 0;
	while (b->n < BATCH_LINES && b->len < f->batch_bytes) {
		const char *line;
		size_t len;
		int got = next_line(&f->lr, &line, &len);
		if (got < 0) {
			f->nomem[k] = 1;
			last = 1;
			break;
		}
		if (got == 0) {
			last = 1;
			break;
		}
		f->lineno++;
		f->bytes += (uint64_t)len + 1;
		int toolong = !line || len > max_line(c);
		if (!toolong && len && line[len - 1] == '\r')
			len--;
		if (!toolong && blank(line, len))
			continue;
		size_t keep = toolong ? 0 : len; /* a long line is not kept */
		if (b->len + keep + 1 > b->cap &&
		    grow_batch(b, f->batch_bytes, b->len + keep + 1) < 0) {
			f->nomem[k] = 1;
			last = 1;
			break;
		}
		if (RP_GROW(b->line, b->capn, b->n + 1) < 0) {
			f->nomem[k] = 1;
			last = 1;
			break;
		}
		if (keep)
			memcpy(b->buf + b->len, line, keep);
		b->buf[b->len + keep] = '\0';
		bline *bl = &b->line[b->n++];
		memset(bl, 0, sizeof(*bl));
		bl->off = b->len;
		bl->len = len;
		bl->lineno = f->lineno;
		bl->res.kind = toolong ? LINE_TOOLONG : LINE_OBJ;
		b->len += keep + 1;
	}
	if (ferror(f->lr.fp))
		f->read_errno = errno;
	f->upto[k] = f->bytes;
	return last;
}

/* Read batch k and parse it (the calling thread, or the reader without
 * parser threads); says whether it is the last. */
static int produce(feed *f, int k)
{
	int last = read_batch(f, k);
	parse_batch(&f->b[k], f->c->ao.threads);
	return last;
}

static void *reader_main(void *arg)
{
	feed *f = arg;
	for (uint64_t q = 0;; q++) {
		int k = (int)(q % NSLOT);
		pthread_mutex_lock(&f->mu);
		while (f->state[k] != SLOT_FREE && !f->stop)
			pthread_cond_wait(&f->cv, &f->mu);
		int stop = f->stop;
		unsigned np = f->nparsers;
		pthread_mutex_unlock(&f->mu);
		if (stop)
			break;
		int last = np ? read_batch(f, k) : produce(f, k);
		pthread_mutex_lock(&f->mu);
		f->last[k] = last;
		f->seq[k] = q;
		f->claimed[k] = f->parsed[k] = 0;
		f->state[k] = np && f->b[k].n ? SLOT_READ : SLOT_PARSED;
		if (last)
			f->read_over = 1;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		if (last)
			break;
	}
	return NULL;
}

typedef struct parser {
	feed *f;
	unsigned tid;          /* its facts buffer in every batch */
	pthread_t th;
} parser;

/* A parser thread: lines of the oldest batch read, PARSE_CHUNK at a
 * time, until the reader is over and every line is taken. */
static void *parser_main(void *arg)
{
	parser *p = arg;
	feed *f = p->f;
	pthread_mutex_lock(&f->mu);
	while (!f->stop) {
		int k = -1;
		for (int x = 0; x < NSLOT; x++)
			if (f->state[x] == SLOT_READ &&
			    f->claimed[x] < f->b[x].n &&
			    (k < 0 || f->seq[x] < f->seq[k]))
				k = x;
		if (k < 0) {
			if (f->read_over)
				break;
			pthread_cond_wait(&f->cv, &f->mu);
			continue;
		}
		batch *b = &f->b[k];
		size_t from = f->claimed[k];
		size_t to = RP_MIN(from + PARSE_CHUNK, b->n);
		f->claimed[k] = to;
		pthread_mutex_unlock(&f->mu);
		for (size_t i = from; i < to; i++) {
			bline *l = &b->line[i];
			if (l->res.kind != LINE_TOOLONG)
				parse_line(&l->res, b->buf + l->off, l->len,
					   b->names,
					   b->facts ? &b->fb[p->tid] : NULL);
		}
		pthread_mutex_lock(&f->mu);
		f->parsed[k] += to - from;
		if (f->parsed[k] == b->n) {
			f->state[k] = SLOT_PARSED;
			pthread_cond_broadcast(&f->cv);
		}
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

/* Stop the reader and parsers that run and wait for them. */
static void feed_stop(feed *f, pthread_t *reader, parser *ps, unsigned np)
{
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	if (reader)
		pthread_join(*reader, NULL);
	for (unsigned t = 0; t < np; t++)
		pthread_join(ps[t].th, NULL);
}

static int read_jsonl(rp_corpus *c, FILE *fp, const char *name,
		      const rp_read_options *ro, const rp_input *src,
		      size_t line0)
{
	feed f;
	int err = RP_OK, threaded = 0;
	parser ps[RP_MAX_THREADS];
	unsigned np = 0;

	if (!name)
		name = "(stream)";
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.lr = (line_reader){ fp, NULL, 0, 0, 0, max_line(c), 0 };
	f.lineno = line0;
	f.batch_bytes = c->memory ? RP_MIN(BATCH_BYTES,
					   RP_MAX(c->memory / (16 * NSLOT),
						  (size_t)1 << 20))
				  : BATCH_BYTES;
	/* The fields, read without cJSON unless one is a nested name. */
	const char *names[NFIELDS] = { ro->id_field, ro->text_field,
				       ro->title_field, ro->outlet_field,
				       ro->date_field };
	int fast = 1;
	for (int k = 0; k < NFIELDS; k++)
		if (names[k] && strchr(names[k], '.'))
			fast = 0;
	/* Chrome learning's facts of each page found by the threads that
	 * parse it, not by a pass over every text after. */
	int facts = rp_corpus_wants_facts(c);
	for (int k = 0; k < NSLOT; k++) {
		f.b[k].names = fast ? names : NULL;
		f.b[k].facts = facts;
	}
	pthread_mutex_init(&f.mu, NULL);
	pthread_cond_init(&f.cv, NULL);
	pthread_t th;
	if (rp_thread_count(c->ao.threads, 2) > 1) {
		/* Parsers first (they wait for a batch): the reader parses
		 * itself when none could be started. */
		unsigned want = rp_thread_count(c->ao.threads, RP_MAX_THREADS);
		for (; np < want; np++) {
			ps[np] = (parser){ &f, np, 0 };
			if (pthread_create(&ps[np].th, NULL, parser_main,
					   &ps[np]) != 0)
				break;
		}
		f.nparsers = np;
		threaded = pthread_create(&th, NULL, reader_main, &f) == 0;
		if (!threaded && np) {
			feed_stop(&f, NULL, ps, np);
			np = 0;
			f.stop = 0;
			f.nparsers = 0;
		}
	}

	for (int k = 0;; k = threaded ? (k + 1) % NSLOT : 0) {
		if (threaded) {
			pthread_mutex_lock(&f.mu);
			while (f.state[k] != SLOT_PARSED)
				pthread_cond_wait(&f.cv, &f.mu);
			pthread_mutex_unlock(&f.mu);
		} else {
			f.last[k] = produce(&f, k);
			f.state[k] = SLOT_PARSED;
		}
		batch *b = &f.b[k];
		/* Lines before a failed read are added; then the error. */
		for (; f.applied[k] < b->n; f.applied[k]++) {
			bline *l = &b->line[f.applied[k]];
			err = jsonl_record(c, b->buf + l->off, l->len, name,
					   l->lineno, ro, &l->res);
			cJSON_Delete(l->res.obj);
			l->res.obj = NULL;
			if (err < 0) {
				f.applied[k]++;
				goto cleanup;
			}
		}
		GOTO_IF(f.nomem[k], RP_ENOMEM);
		int last = f.last[k];
		pthread_mutex_lock(&f.mu);
		f.state[k] = SLOT_FREE;
		pthread_cond_broadcast(&f.cv);
		pthread_mutex_unlock(&f.mu);
		GOTO_IF(rp_progress_report(c, "read", c->records_seen, 0,
					   f.upto[k]),
			RP_ECANCELED);
		if (last)
			break;
	}
cleanup:
	if (threaded)
		feed_stop(&f, &th, ps, np);
	if (err == RP_OK && ferror(fp)) {
		int e = f.read_errno;
		const char *why = src ? rp_input_error(src) : NULL;
		if (why)
			err = rp_corpus_reject_add(
				c, name, f.lineno + 1, NULL,
				"%s (after %zu lines)", why, f.lineno - line0);
		else
			err = rp_corpus_reject_add(
				c, name, f.lineno + 1, NULL, "read error: %s",
				e ? strerror(e) : "unknown");
		if (err == RP_OK)
			err = RP_EIO;
	}
	/* Parsed lines not added (after an error) are freed too: those of a
	 * batch being parsed when the parsers stopped (a line not parsed,
	 * or added, holds none). */
	for (int k = 0; k < NSLOT; k++) {
		for (size_t i = f.state[k] == SLOT_PARSED ? f.applied[k] : 0;
		     i < f.b[k].n; i++)
			cJSON_Delete(f.b[k].line[i].res.obj);
		free(f.b[k].buf);
		free(f.b[k].line);
		for (unsigned t = 0; t < RP_MAX_THREADS; t++)
			rp_page_facts_buf_free(&f.b[k].fb[t]);
	}
	pthread_cond_destroy(&f.cv);
	pthread_mutex_destroy(&f.mu);
	free(f.lr.buf);
	return err;
}

/* ---- text trees ---- */

/* A whole file, decompressed (gzip, zstd) when it is compressed, into a
 * NUL-terminated buffer; -errno on failure (-EFBIG over max bytes,
 * -EILSEQ for UTF-16 or binary data with *kind set, -EBADMSG for corrupt
 * compressed data with the reason in why). */
static int read_file(char **out, size_t *len, const char *path, size_t max,
		     rp_input_kind *kind, char *why, size_t whylen)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -errno;
	rp_input in;
	int err = rp_input_open(&in, fp);
	if (err < 0) {
		int e = err == RP_ENOMEM ? ENOMEM : (errno ? errno : EIO);
		fclose(fp);
		return -e;
	}
	*kind = in.kind;
	if (in.kind == RP_INPUT_UTF16 || in.kind == RP_INPUT_BINARY) {
		rp_input_close(&in);
		fclose(fp);
		return -EILSEQ;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int e = 0;
	for (;;) {
		if (n > max) {
			e = EFBIG;
			break;
		}
		if (RP_GROW(buf, cap, n + 65536 + 1) < 0) {
			e = ENOMEM;
			break;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, in.fp);
		n += got;
		if (got == 0)
			break;
	}
	if (!e && ferror(in.fp)) {
		const char *msg = rp_input_error(&in);
		snprintf(why, whylen, "%s", msg ? msg : strerror(errno ? errno : EIO));
		e = EBADMSG;
	}
	rp_input_close(&in);
	fclose(fp);
	if (e) {
		free(buf);
		return -e;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

typedef struct span {
	const char *s;
	size_t len;
} span;

static span trim(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	return (span){ s, len };
}

/*
 * Leading "Key: value" lines (Title, Date, Outlet; any case) ended by a
 * blank line. Fills hdr[0..2] and returns the offset of the body, or 0 when
 * the file does not start with such a block.
 */
static size_t parse_headers(const char *buf, size_t len, span hdr[3])
{
	static const char *keys[] = { "title:", "date:", "outlet:" };
	size_t i = 0;
	int seen = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && buf[j] != '\n')
			j++;
		span line = trim(buf + i, j - i);
		if (line.len == 0 && seen)
			return j < len ? j + 1 : len;
		int k = 3;
		for (int x = 0; x < 3 && line.len; x++) {
			size_t kl = strlen(keys[x]);
			if (line.len >= kl && strncasecmp(line.s, keys[x], kl) == 0)
				k = x;
		}
		if (k == 3)
			break;
		size_t kl = strlen(keys[k]);
		hdr[k] = trim(line.s + kl, line.len - kl);
		seen = 1;
		i = j + 1;
	}
	/* Not a header block (or headers with no body). */
	for (int x = 0; x < 3; x++)
		hdr[x] = (span){ NULL, 0 };
	return 0;
}

/* An HTML page (html.h): title from <title>, date from its <meta> or
 * <time>, outlet --outlet's, else og:site_name's, else the folder's. */
static int add_html_page(rp_corpus *c, const char *buf, size_t len,
			 const char *path, const char *relid,
			 const char *given_outlet, const char *folder_outlet,
			 int plain)
{
	rp_html_page pg;
	int err = rp_html_parse(buf, len, &pg);
	if (err == RP_ELIMIT)
		return rp_corpus_reject_record(c, path, 0, relid,
					       "HTML page too large to parse "
					       "(%zu bytes)", len);
	FORWARD_IF_ERROR(err);
	const char *outlet = given_outlet ? given_outlet
			     : pg.site    ? pg.site : folder_outlet;
	rp_doc_input in = { relid, strlen(relid), pg.text, pg.len, pg.title,
			    pg.title ? strlen(pg.title) : 0, outlet,
			    outlet ? strlen(outlet) : 0, pg.date,
			    pg.date ? strlen(pg.date) : 0, path, 0 };
	/* (offsets into a compressed file are of no use to its reader) */
	err = rp_corpus_add_mapped(c, &in, pg.map, pg.lost || !plain ? 0 : pg.nmap);
	rp_html_page_free(&pg);
	return err == RP_EINPUT ? RP_OK : err;
}

/* outlet: --outlet when given, else the header's, else the folder's.
 * html: the name says HTML (a page that starts like one is read as one
 * whatever its name). */
static int add_text_file(rp_corpus *c, const char *path, const char *relid,
			 const char *given_outlet, const char *folder_outlet,
			 int html)
{
	char *buf = NULL, why[160] = "";
	size_t len = 0;
	rp_input_kind kind = RP_INPUT_PLAIN;
	int e = read_file(&buf, &len, path, c->max_doc_bytes, &kind, why,
			  sizeof(why));
	if (e == -ENOMEM)
		return RP_ENOMEM;
	if (e < 0) {
		if (e == -EFBIG)
			return rp_corpus_reject_record(
				c, path, 0, relid,
				"text too large (the limit is %zu bytes)",
				c->max_doc_bytes);
		if (e == -EILSEQ)
			return rp_corpus_reject_record(
				c, path, 0, relid, "%s", kind == RP_INPUT_UTF16
				? "UTF-16 text: reprint reads UTF-8 (iconv -f "
				  "UTF-16 -t UTF-8 converts it)"
				: "binary data, not text (NUL bytes in its first "
				  "4 KiB)");
		if (e == -EBADMSG)
			return rp_corpus_reject_record(c, path, 0, relid, "%s", why);
		return rp_corpus_reject_record(c, path, 0, relid,
					       "cannot read: %s", strerror(-e));
	}
	/* Check the whole file here, so messages give the file's own lines. */
	const char *nul = memchr(buf, '\0', len);
	size_t bad = rp_utf8_invalid_at(buf, len);
	if (nul || bad < len) {
		size_t at = nul ? (size_t)(nul - buf) : bad;
		size_t line = 1;
		for (size_t k = 0; k < at; k++)
			line += buf[k] == '\n';
		int err = rp_corpus_reject_record(
			c, path, line, relid, "%s at byte %zu",
			nul ? "NUL byte (binary file?)" : "invalid UTF-8", at);
		free(buf);
		return err;
	}
	if (html || rp_html_sniff(buf, len)) {
		int err = add_html_page(c, buf, len, path, relid, given_outlet,
					folder_outlet, kind == RP_INPUT_PLAIN);
		free(buf);
		return err;
	}
	/* An optional header block: "Title:", "Date:", "Outlet:" lines at the
	 * very top, ended by a blank line. */
	span hdr[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	size_t body = parse_headers(buf, len, hdr);
	const char *title = hdr[0].s, *text = buf + body;
	size_t title_len = hdr[0].len, text_len = len - body;
	/* Otherwise the title is the first non-empty line; the text follows. */
	for (size_t i = body; !title && i < len;) {
		size_t j = i;
		while (j < len && buf[j] != '\n')
			j++;
		span line = trim(buf + i, j - i);
		if (line.len) {
			title = line.s;
			title_len = line.len;
			size_t rest = j < len ? j + 1 : len;
			if (!trim(buf + rest, len - rest).len)
				break; /* a one-line file keeps its line as text */
			text = buf + rest;
			text_len = len - rest;
		}
		i = j + 1;
	}
	const char *outlet = given_outlet ? given_outlet
			     : hdr[2].s   ? hdr[2].s : folder_outlet;
	size_t outlet_len = outlet == hdr[2].s ? hdr[2].len
			    : outlet      ? strlen(outlet) : 0;
	rp_doc_input in = { relid, strlen(relid), text, text_len, title,
			    title_len, outlet, outlet_len, hdr[1].s, hdr[1].len,
			    path, 0 };
	/* The text is one span of the file. A compressed file has no
	 * offsets a reader of the file could use; anchors count to 4 GiB. */
	rp_anchor at = { 0, (uint32_t)(text - buf), 0 };
	int err = rp_corpus_add_mapped(c, &in, &at,
				       kind == RP_INPUT_PLAIN && len <= UINT32_MAX
					       ? 1 : 0);
	free(buf);
	return err == RP_EINPUT ? RP_OK : err;
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The extension of a file name, after any .gz or .zst ("" when none):
 * "a.TXT.gz" -> "TXT". */
static void extension(const char *name, const char **ext, size_t *len)
{
	size_t n = strlen(name);
	if (n > 3 && strcasecmp(name + n - 3, ".gz") == 0)
		n -= 3;
	else if (n > 4 && strcasecmp(name + n - 4, ".zst") == 0)
		n -= 4;
	size_t dot = n;
	while (dot > 0 && name[dot - 1] != '.')
		dot--;
	if (dot <= 1) { /* no dot, or a leading one only */
		*ext = name + n;
		*len = 0;
		return;
	}
	*ext = name + dot;
	*len = n - dot;
}

/* Does the name say HTML (.html, .htm, .xhtml, also under .gz / .zst)? */
static int is_html_name(const char *name)
{
	const char *ext;
	size_t len;
	extension(name, &ext, &len);
	return (len == 4 && strncasecmp(ext, "html", 4) == 0) ||
	       (len == 3 && strncasecmp(ext, "htm", 3) == 0) ||
	       (len == 5 && strncasecmp(ext, "xhtml", 5) == 0);
}

/* Is this file read as a document: its extension (after any .gz or .zst)
 * is one of ro->extensions (comma-separated, any case; NULL: txt, html,
 * htm)? */
static int is_text_name(const char *name, const rp_read_options *ro)
{
	const char *ext, *list = ro->extensions ? ro->extensions : "txt,html,htm";
	size_t len;
	extension(name, &ext, &len);
	if (!len)
		return 0;
	while (*list) {
		size_t l = strcspn(list, ",");
		if (l == len && strncasecmp(list, ext, len) == 0)
			return 1;
		list += l + (list[l] == ',');
	}
	return 0;
}

/* A file of a directory that is not read: counted by its kind. */
static int skip_file(rp_corpus *c, const char *name, const char *full)
{
	const char *ext;
	size_t len;
	char kind[40];
	extension(name, &ext, &len);
	if (!len)
		snprintf(kind, sizeof(kind), "(no extension)");
	else
		snprintf(kind, sizeof(kind), ".%.*s", (int)RP_MIN(len, 30), ext);
	for (char *k = kind + 1; *k; k++)
		if (*k >= 'A' && *k <= 'Z')
			*k = (char)(*k - 'A' + 'a');
	return rp_corpus_skip_add(c, kind, full);
}

/* Walk dir (full path `path`, id prefix `rel`), depth-first, sorted. */
/* Is what a walk meets next (size bytes: a file, 0: anything else) this
 * part's? Advances the walk's offset. Always, outside a part. */
static int mine(rp_corpus *c, uint64_t size)
{
	uint64_t at = c->part_off;
	c->part_off += size;
	return !c->part_on || (at >= c->part_lo && at < c->part_hi) ||
	       (c->part_last && at >= c->part_hi);
}

static int walk(rp_corpus *c, const char *path, const char *rel, int depth,
		const char *outlet, const rp_read_options *ro)
{
	struct dirent **ents = NULL;
	int err = RP_OK;
	int n = scandir(path, &ents, NULL, cmp_names);

	if (n < 0)
		return mine(c, 0) ? rp_corpus_reject_add(c, path, 0, NULL,
							 "cannot read directory: %s",
							 strerror(errno))
				  : RP_OK;
	for (int i = 0; i < n && err >= 0; i++) {
		const char *name = ents[i]->d_name;
		if (name[0] == '.')
			continue;
		size_t plen = strlen(path) + strlen(name) + 2;
		size_t rlen = strlen(rel) + strlen(name) + 2;
		char *full = malloc(plen), *id = malloc(rlen);
		if (!full || !id) {
			free(full);
			free(id);
			err = RP_ENOMEM;
			break;
		}
		snprintf(full, plen, "%s/%s", path, name);
		snprintf(id, rlen, "%s%s%s", rel, *rel ? "/" : "", name);
		struct stat st;
		int is_dir = 0, is_file = 0, stat_err = 0;
		if (lstat(full, &st) != 0) {
			stat_err = errno;
		} else if (S_ISLNK(st.st_mode)) {
			/* Follow links to files, never to directories. */
			is_file = stat(full, &st) == 0 && S_ISREG(st.st_mode);
		} else {
			is_dir = S_ISDIR(st.st_mode);
			is_file = S_ISREG(st.st_mode);
		}
		/* Under a part, each file and each rejection is one part's. */
		int here = is_dir && depth < MAX_DEPTH
				   ? 1 : mine(c, is_file ? (uint64_t)st.st_size : 0);
		if (!here)
			;
		else if (stat_err)
			err = rp_corpus_reject_record(c, full, 0, id,
						      "cannot stat: %s",
						      strerror(stat_err));
		else if (is_dir && depth >= MAX_DEPTH)
			err = rp_corpus_reject_add(
				c, full, 0, NULL,
				"directory nested deeper than %d levels; skipped",
				MAX_DEPTH);
		else if (is_dir)
			err = walk(c, full, id, depth + 1,
				   depth == 0 ? name : outlet, ro);
		else if (is_file && is_text_name(name, ro))
			err = add_text_file(c, full, id, ro->outlet, outlet,
					    is_html_name(name));
		else if (is_file)
			err = skip_file(c, name, full);
		free(full);
		free(id);
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return err;
}

/* JSONL from raw, decompressed when it is gzip or zstd; UTF-16 and
 * binary data are rejected once, by kind. */
static int jsonl_stream(rp_corpus *c, FILE *raw, const char *name,
			const rp_read_options *ro)
{
	rp_input in;
	if (!name)
		name = "(stream)";
	int err = rp_input_open(&in, raw);
	if (err == RP_EIO) {
		FORWARD_IF_ERROR(rp_corpus_reject_add(c, name, 0, NULL,
						      "read error: %s",
						      strerror(errno)));
		return RP_EIO;
	}
	FORWARD_IF_ERROR(err);
	if (in.kind == RP_INPUT_UTF16 || in.kind == RP_INPUT_BINARY) {
		rp_input_kind kind = in.kind;
		rp_input_close(&in);
		FORWARD_IF_ERROR(rp_corpus_reject_add(
			c, name, 0, NULL, "%s", kind == RP_INPUT_UTF16
			? "UTF-16 text, not JSONL: reprint reads UTF-8 (iconv -f "
			  "UTF-16 -t UTF-8 converts it); not read"
			: "binary data, not JSONL (NUL bytes in its first 4 KiB); "
			  "not read"));
		return RP_EIO;
	}
	/* (decoding beside the parsing: at 10M documents the reading
	 * thread's zstd was most of what the read stage waited on) */
	if (rp_thread_count(c->ao.threads, 2) > 1)
		err = rp_input_decode_ahead(&in);
	if (err == RP_OK)
		err = read_jsonl(c, in.fp, name, ro, &in, 0);
	rp_input_close(&in);
	return err;
}

static int read_text(rp_corpus *c, const char *path,
		     const rp_read_options *ro)
{
	size_t before = c->nrejects;
	FORWARD_IF_ERROR(add_text_file(c, path, path, ro->outlet, NULL,
				       is_html_name(path)));
	return c->nrejects > before ? RP_EIO : RP_OK;
}

static int read_path(rp_corpus *c, const char *path,
		     const rp_read_options *ro)
{
	struct stat st;


	if (stat(path, &st) != 0) {
		FORWARD_IF_ERROR(rp_corpus_reject_add(c, path, 0, NULL,
						      "cannot open: %s",
						      strerror(errno)));
		return RP_EIO;
	}
	if (S_ISDIR(st.st_mode)) {
		/* With root names, ids start with the root's own name, so
		 * that two roots holding the same relative paths stay apart. */
		char root[256] = "";
		if (ro->root_names) {
			size_t n = strlen(path);
			while (n > 1 && path[n - 1] == '/')
				n--;
			size_t b = n;
			while (b > 0 && path[b - 1] != '/')
				b--;
			snprintf(root, sizeof(root), "%.*s", (int)(n - b), path + b);
			if (!strcmp(root, ".") || !strcmp(root, "..") || !*root)
				snprintf(root, sizeof(root), "%s", "root");
		}
		FORWARD_IF_ERROR(walk(c, path, root, 0, NULL, ro));
		return RP_OK;
	}
	if (is_text_name(path, ro))
		return read_text(c, path, ro);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		FORWARD_IF_ERROR(rp_corpus_reject_add(c, path, 0, NULL,
						      "cannot open: %s",
						      strerror(errno)));
		return RP_EIO;
	}
	int err = jsonl_stream(c, fp, path, ro);
	fclose(fp);
	return err;
}

/* ---- the public readers: options checked, the reading limit in force
 * for the call ---- */

int rp_read_options_init(rp_read_options *ro, unsigned int version)
{
	RETURN_ERROR_IF(!ro || version != RP_READ_OPTIONS_VERSION, RP_EINVAL);
	memset(ro, 0, sizeof(*ro));
	ro->version = version;
	return RP_OK;
}

/* The options of one read call, resolved into *out: a NULL field name is
 * the default one, "" a field not read (text is always read). */
static int read_begin(rp_corpus *c, const rp_read_options **ro,
		      size_t *saved, rp_read_options *out)
{
	if (!*ro)
		*ro = &default_ropts;
	if ((*ro)->version == RP_READ_OPTIONS_VERSION) {
		*out = **ro;
		const char **f[] = { &out->id_field, &out->text_field,
				     &out->title_field, &out->outlet_field,
				     &out->date_field };
		const char *def[] = { "id", "text", "title", "outlet", "date" };
		for (int k = 0; k < 5; k++) {
			if (!*f[k])
				*f[k] = def[k];
			else if (!**f[k])
				*f[k] = NULL;
		}
		if (!out->text_field) {
			rp_corpus_set_error(c, "read option text_field must name "
					    "a field (NULL for \"text\")");
			return RP_EINVAL;
		}
		*ro = out;
	}
	if ((*ro)->version != RP_READ_OPTIONS_VERSION) {
		rp_corpus_set_error(c, "read options: version must be %d (got %u)",
				    RP_READ_OPTIONS_VERSION, (*ro)->version);
		return RP_EINVAL;
	}
	if ((*ro)->max_doc_bytes >= UINT32_MAX) {
		rp_corpus_set_error(c, "read option max_doc_bytes must be below "
				    "4294967295, or 0 for the corpus's limit "
				    "(got %zu)", (*ro)->max_doc_bytes);
		return RP_EINVAL;
	}
	if (c->analysed) {
		rp_corpus_set_error(c, "the collection was analysed (its first "
				    "question); it takes no more documents");
		return RP_ESTATE;
	}
	*saved = c->max_doc_bytes;
	if ((*ro)->max_doc_bytes)
		c->max_doc_bytes = (*ro)->max_doc_bytes;
	return RP_OK;
}

int rp_corpus_read_jsonl(rp_corpus *c, FILE *fp, const char *name,
			 const rp_read_options *ro)
{
	size_t saved;
	rp_read_options resolved;
	RETURN_ERROR_IF(!c || !fp, RP_EINVAL);
	FORWARD_IF_ERROR(read_begin(c, &ro, &saved, &resolved));
	int err = jsonl_stream(c, fp, name, ro);
	c->max_doc_bytes = saved;
	return err;
}

int rp_corpus_read_text(rp_corpus *c, const char *path,
			const rp_read_options *ro)
{
	size_t saved;
	rp_read_options resolved;
	RETURN_ERROR_IF(!c || !path, RP_EINVAL);
	FORWARD_IF_ERROR(read_begin(c, &ro, &saved, &resolved));
	int err = read_text(c, path, ro);
	c->max_doc_bytes = saved;
	return err;
}

int rp_corpus_read_path(rp_corpus *c, const char *path,
			const rp_read_options *ro)
{
	size_t saved;
	rp_read_options resolved;
	RETURN_ERROR_IF(!c || !path, RP_EINVAL);
	FORWARD_IF_ERROR(read_begin(c, &ro, &saved, &resolved));
	int err = read_path(c, path, ro);
	c->max_doc_bytes = saved;
	return err;
}

/* ---- a part of the inputs (the stages over shards) ---- */

/* One input of a part: a path read whole, or a byte range of a plain
 * JSONL file whose lines start in it. */
typedef struct unit {
	const char *path;
	uint64_t size;
	int split;     /* a plain JSONL file: cut at line ends */
} unit;

static __thread uint64_t tree_bytes;

static int add_size(const char *p, const struct stat *st, int flag,
		    struct FTW *f)
{
	(void)p;
	(void)f;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		tree_bytes += (uint64_t)st->st_size;
	return 0;
}

/* Is the regular file at path plain JSONL (not gzip or zstd, no NUL in
 * its first 4 KiB: not UTF-16 or binary), which can be cut at line
 * ends? */
static int plain_jsonl(const char *path)
{
	unsigned char b[4096];
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	size_t n = fread(b, 1, sizeof(b), fp);
	fclose(fp);
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return 0;
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
		return 0;
	return memchr(b, 0, n) == NULL;
}

/* A stream over a mapped range that lets go of the pages it has read, a
 * window at a time (they stay in the page cache): reading a part of a
 * large file does not make the file the process's memory. */
typedef struct range_cookie {
	const char *m;          /* the mapping, from the file's start */
	uint64_t at, end, released;
} range_cookie;

#define RANGE_WINDOW ((uint64_t)32 << 20)

static void range_release(const char *m, uint64_t *released, uint64_t upto)
{
	uint64_t to = upto / RANGE_WINDOW * RANGE_WINDOW;
	if (to > *released) {
		(void)madvise((void *)(m + *released), (size_t)(to - *released),
			      MADV_DONTNEED);
		*released = to;
	}
}

static ssize_t range_read(void *cookie, char *buf, size_t size)
{
	range_cookie *rc = cookie;
	size_t n = (size_t)RP_MIN((uint64_t)size, rc->end - rc->at);
	memcpy(buf, rc->m + rc->at, n);
	rc->at += n;
	range_release(rc->m, &rc->released, rc->at);
	return (ssize_t)n;
}

/* Read the lines of the JSONL file at path that start in [lo, hi) (line
 * numbers as in the whole file). */
static int read_range(rp_corpus *c, const char *path, uint64_t lo,
		      uint64_t hi, const rp_read_options *ro)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		FORWARD_IF_ERROR(rp_corpus_reject_add(c, path, 0, NULL,
						      "cannot open: %s",
						      strerror(e)));
		return RP_EIO;
	}
	uint64_t size = (uint64_t)st.st_size;
	hi = RP_MIN(hi, size);
	if (lo >= hi) {
		close(fd);
		return RP_OK;
	}
	const char *m = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		FORWARD_IF_ERROR(rp_corpus_reject_add(c, path, 0, NULL,
						      "cannot map: %s",
						      strerror(errno)));
		return RP_EIO;
	}
	/* A line is in the range that holds its first byte. */
	uint64_t start = lo, end = hi;
	while (start > 0 && start < size && m[start - 1] != '\n')
		start++;
	while (end < size && m[end - 1] != '\n')
		end++;
	int err = RP_OK;
	if (start < end) {
		/* The lines before it, counted a window at a time. */
		size_t line0 = 0;
		uint64_t released = 0;
		for (uint64_t w = 0; w < start; w += RANGE_WINDOW) {
			const char *p = m + w, *e = m + RP_MIN(start, w + RANGE_WINDOW);
			while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
				line0++;
				p++;
			}
			range_release(m, &released, (uint64_t)(e - m));
		}
		range_cookie rc = { m, start, end, released };
		cookie_io_functions_t io = { range_read, NULL, NULL, NULL };
		FILE *fp = fopencookie(&rc, "r", io);
		if (!fp)
			err = errno == ENOMEM ? RP_ENOMEM : RP_EIO;
		else {
			err = read_jsonl(c, fp, path, ro, NULL, line0);
			fclose(fp);
		}
	}
	munmap((void *)m, (size_t)size);
	return err;
}

/* floor(total * p / n) without overflow (n <= 2^32). */
static uint64_t cut(uint64_t total, uint64_t p, uint64_t n)
{
	return total / n * p + total % n * p / n;
}

int rp_corpus_read_part(rp_corpus *c, const char *const *paths, size_t npaths,
			unsigned part, unsigned nparts, const rp_read_options *ro)
{
	size_t saved;
	rp_read_options resolved;
	RETURN_ERROR_IF(!c || (!paths && npaths), RP_EINVAL);
	if (nparts == 0 || part >= nparts) {
		rp_corpus_set_error(c, "part %u of %u: parts are numbered from 0 "
				    "to N - 1", part, nparts);
		return RP_EINVAL;
	}
	FORWARD_IF_ERROR(read_begin(c, &ro, &saved, &resolved));
	unit *u = calloc(npaths + 1, sizeof(*u));
	int err = RP_OK;
	GOTO_IF(!u, RP_ENOMEM);
	uint64_t total = 0;
	for (size_t i = 0; i < npaths; i++) {
		struct stat st;
		u[i].path = paths[i];
		if (strcmp(paths[i], "-") == 0) {
			rp_corpus_set_error(c, "a part of the inputs is read from "
					    "files and folders, not from "
					    "standard input");
			GOTO_IF(1, RP_EINVAL);
		}
		if (stat(paths[i], &st) != 0)
			u[i].size = 0; /* rejected by the part that reads it */
		else if (S_ISDIR(st.st_mode)) {
			tree_bytes = 0;
			nftw(paths[i], add_size, 16, FTW_PHYS);
			u[i].size = tree_bytes;
		} else {
			u[i].size = (uint64_t)st.st_size;
			u[i].split = S_ISREG(st.st_mode) &&
				     !is_text_name(paths[i], ro) &&
				     plain_jsonl(paths[i]);
		}
		total += u[i].size;
	}
	/* Part p holds the bytes [total * p / n, total * (p + 1) / n) of
	 * the inputs laid end to end: a path read whole goes to the part
	 * holding its first byte, a plain JSONL file is cut at line ends. */
	uint64_t lo = cut(total, part, nparts), hi = cut(total, part + 1, nparts);
	uint64_t off = 0;
	c->part_lo = lo;
	c->part_hi = hi;
	c->part_last = part + 1 == nparts;
	for (size_t i = 0; i < npaths && err == RP_OK; i++) {
		uint64_t a = off, b = off + u[i].size;
		off = b;
		c->part_off = a;
		struct stat st;
		if (u[i].split) {
			uint64_t from = RP_MAX(a, lo), to = RP_MIN(b, hi);
			if (from < to)
				err = read_range(c, u[i].path, from - a, to - a, ro);
		} else if (stat(u[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* A folder: each of its files is the part's that
			 * holds its first byte. */
			c->part_on = 1;
			err = read_path(c, u[i].path, ro);
			c->part_on = 0;
		} else {
			/* Read whole by the part holding its first byte. */
			c->part_on = 1;
			int here = mine(c, 0);
			c->part_on = 0;
			if (here)
				err = read_path(c, u[i].path, ro);
		}
		/* As read_inputs: a path that cannot be read is on the
		 * reject list; reading goes on. */
		if (err == RP_EIO)
			err = RP_OK;
	}
cleanup:
	c->part_on = 0;
	free(u);
	c->max_doc_bytes = saved;
	return err;
}
