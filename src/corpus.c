/*
 * corpus.c - the collection: adding documents, validating them, and the
 * list of rejected records.
 *
 * Every record that reaches rp_corpus_add is either stored or rejected with
 * a reason; nothing is dropped silently.
 */
#include "corpus.h"

#include <stdarg.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "date.h"
#include "normalize.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#define ARENA_BLOCK ((size_t)1 << 20)

struct rp_arena_block {
	rp_arena_block *next;
	size_t size;
	char data[];
};

static void *arena_alloc(rp_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (!a->head || a->size - a->used < n) {
		size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		rp_arena_block *b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		if (size == n && a->head) {
			/* A big string gets its own block behind the current. */
			b->next = a->head->next;
			a->head->next = b;
			return b->data;
		}
		b->next = a->head;
		a->head = b;
		a->used = 0;
		a->size = size;
	}
	void *p = a->head->data + a->used;
	a->used += n;
	return p;
}

static void arena_free(rp_arena *a)
{
	rp_arena_block *b = a->head;
	while (b) {
		rp_arena_block *next = b->next;
		free(b);
		b = next;
	}
	memset(a, 0, sizeof(*a));
}

char *rp_arena_strndup(rp_arena *a, const char *s, size_t len)
{
	RETURN_ERROR_IF(len == SIZE_MAX, NULL);
	char *p = arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int rp_corpus_new(rp_corpus **out, const rp_options *opts)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	rp_options def = RP_OPTIONS_INIT;
	if (!opts)
		opts = &def;
	RETURN_ERROR_IF(opts->version != RP_OPTIONS_VERSION, RP_EINVAL);
	RETURN_ERROR_IF(opts->num_perm == 0 || opts->num_perm > 4096, RP_EINVAL);
	RETURN_ERROR_IF(!(opts->threshold > 0.0 && opts->threshold <= 1.0),
			RP_EINVAL);
	RETURN_ERROR_IF(!(opts->target_recall > 0.0 && opts->target_recall < 1.0),
			RP_EINVAL);
	RETURN_ERROR_IF(opts->shingle != RP_SHINGLE_WORD &&
				opts->shingle != RP_SHINGLE_CHAR, RP_EINVAL);
	RETURN_ERROR_IF(opts->minhash != RP_MINHASH_OPH &&
				opts->minhash != RP_MINHASH_CLASSIC, RP_EINVAL);
	RETURN_ERROR_IF((opts->bands == 0) != (opts->rows == 0), RP_EINVAL);
	RETURN_ERROR_IF((size_t)opts->bands * opts->rows > opts->num_perm,
			RP_EINVAL);
	RETURN_ERROR_IF(opts->k > 1024, RP_EINVAL);
	/* Token offsets are 32-bit: texts stay under 4 GiB. */
	RETURN_ERROR_IF(opts->max_doc_bytes == 0 ||
				opts->max_doc_bytes >= UINT32_MAX, RP_EINVAL);

	/* cJSON allocates through the library's allocator, so that memory
	 * running out inside it is told from a malformed line. */
	cJSON_Hooks hooks = { rp_malloc, free };
	cJSON_InitHooks(&hooks);

	rp_corpus *c = calloc(1, sizeof(*c));
	RETURN_ERROR_IF(!c, RP_ENOMEM);
	c->opts = *opts;
	if (c->opts.k == 0)
		c->opts.k = c->opts.shingle == RP_SHINGLE_WORD ? 5 : 7;
	*out = c;
	return RP_OK;
}

void rp_corpus_free(rp_corpus *c)
{
	if (!c)
		return;
	arena_free(&c->arena);
	free(c->docs);
	free(c->rejects);
	free(c->idtab);
	free(c);
}

const char *rp_corpus_error(const rp_corpus *c)
{
	return c ? c->err : "";
}

const char *rp_corpus_intern_source(rp_corpus *c, const char *source)
{
	if (!source)
		return NULL;
	if (c->last_source && strcmp(c->last_source, source) == 0)
		return c->last_source;
	const char *s = rp_arena_strndup(&c->arena, source, strlen(source));
	if (s)
		c->last_source = s;
	return s;
}

int rp_corpus_reject_add(rp_corpus *c, const char *source, size_t line,
			 const char *id, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);

	FORWARD_IF_ERROR(RP_GROW(c->rejects, c->caprejects, c->nrejects + 1));
	rp_reject *r = &c->rejects[c->nrejects];
	r->source = rp_corpus_intern_source(c, source ? source : "(input)");
	r->line = line;
	r->id = id ? rp_arena_strndup(&c->arena, id, strlen(id)) : NULL;
	r->reason = rp_arena_strndup(&c->arena, reason, strlen(reason));
	RETURN_ERROR_IF(!r->source || !r->reason || (id && !r->id), RP_ENOMEM);
	c->nrejects++;
	return RP_OK;
}

/* ---- id table ---- */

static size_t id_slot(const rp_corpus *c, const char *id, size_t len,
		      int *found)
{
	size_t mask = c->idcap - 1;
	size_t i = (size_t)XXH3_64bits(id, len) & mask;
	for (;;) {
		uint32_t v = c->idtab[i];
		if (v == 0) {
			*found = 0;
			return i;
		}
		const char *other = c->docs[v - 1].id;
		if (strncmp(other, id, len) == 0 && other[len] == '\0') {
			*found = 1;
			return i;
		}
		i = (i + 1) & mask;
	}
}

static int id_table_grow(rp_corpus *c)
{
	size_t ncap = c->idcap ? c->idcap * 2 : 1024;
	uint32_t *old = c->idtab;
	size_t oldcap = c->idcap;
	c->idtab = calloc(ncap, sizeof(*c->idtab));
	if (!c->idtab) {
		c->idtab = old;
		return RP_ENOMEM;
	}
	c->idcap = ncap;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i])
			continue;
		const char *id = c->docs[old[i] - 1].id;
		int found;
		size_t slot = id_slot(c, id, strlen(id), &found);
		c->idtab[slot] = old[i];
	}
	free(old);
	return RP_OK;
}

/* ---- adding ---- */

/* Record a rejection and return RP_EINPUT (or the error recording it). */
#define REJECT(...)                                             \
	do {                                                    \
		int rej_err_ = rp_corpus_reject_add(__VA_ARGS__); \
		return rej_err_ < 0 ? rej_err_ : RP_EINPUT;      \
	} while (0)

/* 1-based line of byte `off` in s. */
static size_t line_of(const char *s, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

static int check_field(rp_corpus *c, const rp_doc_input *in, const char *id,
		       const char *name, const char *s, size_t len)
{
	if (!s)
		return RP_OK;
	const char *nul = memchr(s, '\0', len);
	if (nul)
		REJECT(c, in->source, in->line, id,
					    "NUL byte in %s at byte %zu", name,
					    (size_t)(nul - s));
	size_t bad = rp_utf8_invalid_at(s, len);
	if (bad < len) {
		if (in->line == 0 && strcmp(name, "text") == 0)
			REJECT(
				       c, in->source, line_of(s, bad), id,
				       "invalid UTF-8 in %s at byte %zu", name,
				       bad);
		REJECT(c, in->source, in->line, id,
					    "invalid UTF-8 in %s at byte %zu",
					    name, bad);
	}
	return RP_OK;
}

static int all_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		      s[i] == '\r' || s[i] == '\f' || s[i] == '\v'))
			return 0;
	return 1;
}

int rp_corpus_add(rp_corpus *c, const rp_doc_input *in)
{
	char genid[512];
	char shortid[128];
	const char *id;
	size_t id_len;
	int err;

	RETURN_ERROR_IF(!c || !in, RP_EINVAL);
	RETURN_ERROR_IF(c->scanned, RP_ESTATE);
	c->records_seen++;

	if (in->id) {
		id = in->id;
		id_len = in->id_len;
	} else {
		if (in->source && in->line)
			snprintf(genid, sizeof(genid), "%s:%zu", in->source,
				 in->line);
		else
			snprintf(genid, sizeof(genid), "#%zu", c->records_seen);
		id = genid;
		id_len = strlen(genid);
	}
	/* A printable prefix of the id for messages. */
	snprintf(shortid, sizeof(shortid), "%.*s", (int)RP_MIN(id_len, 100), id);
	for (char *p = shortid; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';

	if (id_len == 0)
		REJECT(c, in->source, in->line, NULL,
					    "empty id");
	if ((err = check_field(c, in, shortid, "id", id, id_len)) != RP_OK)
		return err;
	if (!in->text)
		REJECT(c, in->source, in->line, shortid,
					    "no text");
	if (in->text_len > c->opts.max_doc_bytes)
		REJECT(c, in->source, in->line, shortid,
		       "text too large (%zu bytes; the limit is %zu)",
		       in->text_len, c->opts.max_doc_bytes);
	if ((err = check_field(c, in, shortid, "text", in->text,
			       in->text_len)) != RP_OK ||
	    (err = check_field(c, in, shortid, "title", in->title,
			       in->title_len)) != RP_OK ||
	    (err = check_field(c, in, shortid, "outlet", in->outlet,
			       in->outlet_len)) != RP_OK ||
	    (err = check_field(c, in, shortid, "date", in->date,
			       in->date_len)) != RP_OK)
		return err;
	if (all_space(in->text, in->text_len))
		REJECT(c, in->source, in->line, shortid,
					    "empty text");
	RETURN_ERROR_IF(c->ndocs >= UINT32_MAX - 1, RP_ELIMIT);

	if (c->ndocs + 1 > c->idcap / 2)
		FORWARD_IF_ERROR(id_table_grow(c));
	int found;
	size_t slot = id_slot(c, id, id_len, &found);
	if (found) {
		const rp_doc *first = &c->docs[c->idtab[slot] - 1];
		REJECT(
			       c, in->source, in->line, shortid,
			       "duplicate id (first seen at %s:%zu)",
			       first->source ? first->source : "(input)",
			       first->line);
	}

	FORWARD_IF_ERROR(RP_GROW(c->docs, c->capdocs, c->ndocs + 1));
	rp_doc *d = &c->docs[c->ndocs];
	memset(d, 0, sizeof(*d));
	d->id = rp_arena_strndup(&c->arena, id, id_len);
	d->text = rp_arena_strndup(&c->arena, in->text, in->text_len);
	d->text_len = in->text_len;
	d->title = in->title ? rp_arena_strndup(&c->arena, in->title,
						in->title_len) : NULL;
	d->outlet = in->outlet ? rp_arena_strndup(&c->arena, in->outlet,
						  in->outlet_len) : NULL;
	d->date = in->date ? rp_arena_strndup(&c->arena, in->date,
					      in->date_len) : NULL;
	d->source = rp_corpus_intern_source(c, in->source);
	d->line = in->line;
	RETURN_ERROR_IF(!d->id || !d->text || (in->title && !d->title) ||
				(in->outlet && !d->outlet) ||
				(in->date && !d->date) ||
				(in->source && !d->source),
			RP_ENOMEM);
	if (in->date && rp_parse_date(&d->timestamp, in->date, in->date_len) ==
				RP_OK)
		d->has_timestamp = 1;
	c->idtab[slot] = (uint32_t)(c->ndocs + 1);
	c->ndocs++;
	return RP_OK;
}

size_t rp_corpus_count(const rp_corpus *c)
{
	return c ? c->ndocs : 0;
}

size_t rp_corpus_records_seen(const rp_corpus *c)
{
	return c ? c->records_seen : 0;
}

int rp_corpus_doc(rp_doc_info *out, const rp_corpus *c, size_t i)
{
	RETURN_ERROR_IF(!out || !c || i >= c->ndocs, RP_EINVAL);
	const rp_doc *d = &c->docs[i];
	out->id = d->id;
	out->title = d->title;
	out->outlet = d->outlet;
	out->date = d->date;
	out->timestamp = d->timestamp;
	out->has_timestamp = d->has_timestamp;
	out->text = d->text;
	out->text_len = d->text_len;
	out->source = d->source;
	out->line = d->line;
	return RP_OK;
}

size_t rp_corpus_reject_count(const rp_corpus *c)
{
	return c ? c->nrejects : 0;
}

int rp_corpus_reject(rp_reject *out, const rp_corpus *c, size_t i)
{
	RETURN_ERROR_IF(!out || !c || i >= c->nrejects, RP_EINVAL);
	*out = c->rejects[i];
	return RP_OK;
}
