/*
 * read.c - readers: JSONL streams and directory trees of .txt files.
 *
 * JSONL is parsed with cJSON, chosen by measurement (on a 448 MB news JSONL
 * on this machine kind cJSON parsed 378 MB/s, jansson 43 MB/s). Lines are
 * read with getline, so memory is bounded by the longest line, not the file.
 * Every non-blank line is one record: it is added or rejected with its line
 * number and reason (malformed JSON, not an object, missing or mistyped
 * field, NUL byte, escaped NUL in a string).
 *
 * Directory trees are walked in byte order of names, so ids and output are
 * the same on every machine; hidden entries are skipped and symbolic links
 * to directories are not followed (no cycles).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "corpus.h"
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

/* What parsing one line gave; made on any thread, applied in order. */
enum { LINE_OBJ, LINE_NUL, LINE_MALFORMED, LINE_OOM, LINE_TOOLONG };
typedef struct parsed {
	int kind;
	size_t col;      /* 1-based column of a NUL or of the parse error */
	cJSON *obj;
} parsed;

static void parse_line(parsed *out, const char *line, size_t len)
{
	const char *p, *end = NULL;
	memset(out, 0, sizeof(*out));
	if ((p = memchr(line, '\0', len)) != NULL) {
		out->kind = LINE_NUL;
		out->col = (size_t)(p - line) + 1;
		return;
	}
	rp_oom_take();
	out->obj = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (out->obj)
		return;
	if (rp_oom_take()) { /* not a malformed line: memory ran out */
		out->kind = LINE_OOM;
		return;
	}
	out->kind = LINE_MALFORMED;
	out->col = end && end >= line && end <= line + len
			   ? (size_t)(end - line) + 1 : 0;
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
		GOTO_IF_ERROR(rp_corpus_reject_record(c, name, lineno, id.s,
						   "no \"%s\" field",
						   ro->text_field));
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

static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			return 0;
	return 1;
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
			parse_line(&l->res, j->b->buf + l->off, l->len);
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

static int read_jsonl(rp_corpus *c, FILE *fp, const char *name,
		      const rp_read_options *ro)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0, applied = 0, nparsed = 0;
	uint64_t bytes = 0;
	ssize_t n;
	int err = RP_OK, eof = 0;
	batch b;

	if (!name)
		name = "(stream)";
	memset(&b, 0, sizeof(b));

	/* Read a batch of lines, parse it on nt threads, then add its records
	 * in order (ids, rejects and documents stay in input order). */
	while (!eof) {
		b.len = b.n = 0;
		applied = nparsed = 0;
		errno = 0;
		while (b.n < BATCH_LINES && b.len < BATCH_BYTES) {
			n = getline(&line, &cap, fp);
			if (n < 0) {
				eof = 1;
				break;
			}
			lineno++;
			bytes += (uint64_t)n;
			size_t len = (size_t)n;
			if (len && line[len - 1] == '\n')
				len--;
			if (len && line[len - 1] == '\r')
				len--;
			if (blank(line, len))
				continue;
			int toolong = len > max_line(c);
			size_t keep = toolong ? 0 : len; /* a long line is not kept */
			GOTO_IF_ERROR(RP_GROW(b.buf, b.cap, b.len + keep + 1));
			GOTO_IF_ERROR(RP_GROW(b.line, b.capn, b.n + 1));
			memcpy(b.buf + b.len, line, keep);
			b.buf[b.len + keep] = '\0';
			b.line[b.n++] = (bline){
				b.len, len, lineno,
				{ toolong ? LINE_TOOLONG : LINE_OBJ, 0, NULL } };
			b.len += keep + 1;
		}
		if (eof && errno == ENOMEM)
			GOTO_IF(1, RP_ENOMEM);
		parse_batch(&b, c->ao.threads);
		nparsed = b.n;
		for (applied = 0; applied < b.n; applied++) {
			bline *l = &b.line[applied];
			err = jsonl_record(c, b.buf + l->off, l->len, name,
					   l->lineno, ro, &l->res);
			cJSON_Delete(l->res.obj);
			l->res.obj = NULL;
			if (err < 0) {
				applied++;
				goto cleanup;
			}
		}
		GOTO_IF(rp_progress_report(c, "read", c->records_seen, 0, bytes),
			RP_ECANCELED);
	}
	if (ferror(fp)) {
		int e = errno;
		GOTO_IF_ERROR(rp_corpus_reject_add(
			c, name, lineno + 1, NULL, "read error: %s",
			e ? strerror(e) : "unknown"));
		err = RP_EIO;
	}
cleanup:
	/* Parsed lines not applied (after an error) are freed too. */
	for (size_t i = applied; i < nparsed; i++)
		cJSON_Delete(b.line[i].res.obj);
	free(b.buf);
	free(b.line);
	free(line);
	return err;
}

/* ---- text trees ---- */

static int read_file(char **out, size_t *len, const char *path, size_t max)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -errno;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n > max) {
			free(buf);
			fclose(fp);
			return -EFBIG;
		}
		if (RP_GROW(buf, cap, n + 65536 + 1) < 0) {
			free(buf);
			fclose(fp);
			return -ENOMEM;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	int e = ferror(fp) ? (errno ? errno : EIO) : 0;
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

/* outlet: --outlet when given, else the header's, else the folder's. */
static int add_text_file(rp_corpus *c, const char *path, const char *relid,
			 const char *given_outlet, const char *folder_outlet)
{
	char *buf = NULL;
	size_t len = 0;
	int e = read_file(&buf, &len, path, c->max_doc_bytes);
	if (e == -ENOMEM)
		return RP_ENOMEM;
	if (e < 0) {
		if (e == -EFBIG)
			return rp_corpus_reject_record(
				c, path, 0, relid,
				"text too large (the limit is %zu bytes)",
				c->max_doc_bytes);
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
	int err = rp_corpus_add(c, &in);
	free(buf);
	return err == RP_EINPUT ? RP_OK : err;
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_txt(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

/* Walk dir (full path `path`, id prefix `rel`), depth-first, sorted. */
static int walk(rp_corpus *c, const char *path, const char *rel, int depth,
		const char *outlet, const rp_read_options *ro)
{
	struct dirent **ents = NULL;
	int err = RP_OK;
	int n = scandir(path, &ents, NULL, cmp_names);

	if (n < 0)
		return rp_corpus_reject_add(c, path, 0, NULL,
					    "cannot read directory: %s",
					    strerror(errno));
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
		int is_dir = 0, is_file = 0;
		if (lstat(full, &st) != 0) {
						err = rp_corpus_reject_record(c, full, 0, id,
						   "cannot stat: %s",
						   strerror(errno));
		} else if (S_ISLNK(st.st_mode)) {
			/* Follow links to files, never to directories. */
			is_file = stat(full, &st) == 0 && S_ISREG(st.st_mode);
		} else {
			is_dir = S_ISDIR(st.st_mode);
			is_file = S_ISREG(st.st_mode);
		}
		if (is_dir && depth >= MAX_DEPTH)
			err = rp_corpus_reject_add(
				c, full, 0, NULL,
				"directory nested deeper than %d levels; skipped",
				MAX_DEPTH);
		else if (is_dir)
			err = walk(c, full, id, depth + 1,
				   depth == 0 ? name : outlet, ro);
		else if (is_file && is_txt(name))
			err = add_text_file(c, full, id, ro->outlet, outlet);
		free(full);
		free(id);
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return err;
}

static int read_text(rp_corpus *c, const char *path,
		     const rp_read_options *ro)
{
	size_t before = c->nrejects;
	FORWARD_IF_ERROR(add_text_file(c, path, path, ro->outlet, NULL));
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
		FORWARD_IF_ERROR(walk(c, path, "", 0, NULL, ro));
		return RP_OK;
	}
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		FORWARD_IF_ERROR(rp_corpus_reject_add(c, path, 0, NULL,
						      "cannot open: %s",
						      strerror(errno)));
		return RP_EIO;
	}
	int err = read_jsonl(c, fp, path, ro);
	fclose(fp);
	return err;
}

/* ---- the public readers: options checked, the reading limit in force
 * for the call ---- */

static int read_begin(rp_corpus *c, const rp_read_options **ro,
		      size_t *saved)
{
	if (!*ro)
		*ro = &default_ropts;
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
	RETURN_ERROR_IF(!c || !fp, RP_EINVAL);
	FORWARD_IF_ERROR(read_begin(c, &ro, &saved));
	int err = read_jsonl(c, fp, name, ro);
	c->max_doc_bytes = saved;
	return err;
}

int rp_corpus_read_text(rp_corpus *c, const char *path,
			const rp_read_options *ro)
{
	size_t saved;
	RETURN_ERROR_IF(!c || !path, RP_EINVAL);
	FORWARD_IF_ERROR(read_begin(c, &ro, &saved));
	int err = read_text(c, path, ro);
	c->max_doc_bytes = saved;
	return err;
}

int rp_corpus_read_path(rp_corpus *c, const char *path,
			const rp_read_options *ro)
{
	size_t saved;
	RETURN_ERROR_IF(!c || !path, RP_EINVAL);
	FORWARD_IF_ERROR(read_begin(c, &ro, &saved));
	int err = read_path(c, path, ro);
	c->max_doc_bytes = saved;
	return err;
}
