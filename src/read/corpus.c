/*
 * corpus.c - the collection: adding documents, validating them, and the
 * list of rejected records.
 *
 * Every record that reaches rp_corpus_add is either stored or rejected with
 * a reason; nothing is dropped silently.
 */
#include "corpus.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>

#include <cjson/cJSON.h>

#include "analysis.h"
#include "date.h"
#include "utf8.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "spool.h"

/* The ids, fields and texts kept in memory fill blocks in order: of four
 * huge pages where blocks get them (common.h), aligned and whole, header
 * included (rp_malloc_pages: the ends of a block from anywhere in the
 * heap were a fault for each 4 KiB, 8,800 of news 100k's 41,000), else
 * of 1 MiB (a memory bound under 256 MiB: a block's first touch is all
 * it costs). */
#define ARENA_BLOCK ((size_t)1 << 20)
#define ARENA_BLOCK_HUGE ((size_t)8 << 20)

struct rp_arena_block {
	rp_arena_block *next;
	size_t size;
	char data[];
};

void *rp_arena_alloc(rp_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (!a->head || a->size - a->used < n) {
		size_t block = rp_huge_pages_advised(ARENA_BLOCK_HUGE)
				       ? ARENA_BLOCK_HUGE - sizeof(rp_arena_block)
				       : ARENA_BLOCK;
		size_t size = n > block / 4 ? n : block;
		rp_arena_block *b = size == block
					    ? rp_malloc_pages(sizeof(*b) + size)
					    : malloc(sizeof(*b) + size);
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

void rp_arena_free(rp_arena *a)
{
	rp_arena_block *b = a->head;
	while (b) {
		rp_arena_block *next = b->next;
		free(b);
		b = next;
	}
	memset(a, 0, sizeof(*a));
}

void rp_arena_join(rp_arena *into, rp_arena *from)
{
	if (!from->head)
		return;
	if (!into->head) {
		*into = *from;
	} else {
		/* from's blocks behind into's current one */
		rp_arena_block *tail = from->head;
		while (tail->next)
			tail = tail->next;
		tail->next = into->head->next;
		into->head->next = from->head;
	}
	memset(from, 0, sizeof(*from));
}

char *rp_arena_strndup(rp_arena *a, const char *s, size_t len)
{
	RETURN_ERROR_IF(len == SIZE_MAX, NULL);
	char *p = rp_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

#define DEFAULT_SEED 0x52455052494e54ULL
#define DEFAULT_MAX_BYTES ((size_t)64 << 20)

void rp_corpus_set_error(rp_corpus *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
}

int rp_progress_report(const rp_corpus *c, const char *stage, size_t done,
		       size_t total, uint64_t bytes)
{
	if (!c->ao.progress)
		return 0;
	rp_progress p = { stage, done, total, bytes };
	return c->ao.progress(&p, c->ao.progress_userdata) != 0;
}

int rp_analysis_options_init(rp_analysis_options *o, unsigned int version)
{
	RETURN_ERROR_IF(!o || version != RP_ANALYSIS_OPTIONS_VERSION, RP_EINVAL);
	memset(o, 0, sizeof(*o));
	o->version = version;
	return RP_OK;
}

int rp_question_init(rp_question *q, unsigned int version)
{
	RETURN_ERROR_IF(!q || version != RP_QUESTION_VERSION, RP_EINVAL);
	memset(q, 0, sizeof(*q));
	q->version = version;
	return RP_OK;
}

/* Validate analysis options and fill in their defaults. */
int rp_analysis_resolve(rp_analysis_options *out, char *err, size_t errlen,
			const rp_analysis_options *o)
{
#define BAD(...)                                          \
	do {                                              \
		snprintf(err, errlen, __VA_ARGS__);       \
		return RP_EINVAL;                         \
	} while (0)
	if (o->version != RP_ANALYSIS_OPTIONS_VERSION)
		BAD("analysis options: version must be %d (got %u)",
		    RP_ANALYSIS_OPTIONS_VERSION, o->version);
	if (o->shingle != RP_SHINGLE_WORD && o->shingle != RP_SHINGLE_CHAR)
		BAD("analysis option shingle must be RP_SHINGLE_WORD (0) or "
		    "RP_SHINGLE_CHAR (1) (got %d)", (int)o->shingle);
	if (o->k > 1024)
		BAD("analysis option k (shingle size) must be 1..1024, or 0 for "
		    "the default (got %u)", o->k);
	if (o->num_perm > 4096)
		BAD("analysis option num_perm (signature length) must be "
		    "1..4096, or 0 for 128 (got %u)", o->num_perm);
	if (o->minhash != RP_MINHASH_OPH && o->minhash != RP_MINHASH_CLASSIC)
		BAD("analysis option minhash must be RP_MINHASH_OPH (0) or "
		    "RP_MINHASH_CLASSIC (1) (got %d)", (int)o->minhash);
	if (o->boilerplate < RP_OFF || o->boilerplate > RP_ON)
		BAD("analysis option boilerplate must be RP_DEFAULT (0), RP_ON "
		    "(1) or RP_OFF (-1) (got %d)", o->boilerplate);
	if (o->chrome_min_pages == 1)
		BAD("analysis option chrome_min_pages must be 2 or more, or 0 "
		    "for 2 (got 1)");
	if (o->threads > RP_MAX_THREADS)
		BAD("analysis option threads must be 0..%d (got %u)",
		    RP_MAX_THREADS, o->threads);
	*out = *o;
	if (!out->k)
		out->k = out->shingle == RP_SHINGLE_WORD ? 5 : 7;
	if (!out->num_perm)
		out->num_perm = 128;
	if (!out->seed)
		out->seed = DEFAULT_SEED;
	out->boilerplate = out->boilerplate != RP_OFF;
	if (!out->chrome_min_pages)
		out->chrome_min_pages = 2;
	return RP_OK;
#undef BAD
}

#define BAD(...)                                      \
	do {                                          \
		rp_corpus_set_error(c, __VA_ARGS__);  \
		return RP_EINVAL;                     \
	} while (0)

int rp_question_resolve(rp_question *out, rp_corpus *c, const rp_question *q)
{
	rp_question def;
	if (!q) {
		rp_question_init(&def, RP_QUESTION_VERSION);
		q = &def;
	}
	if (q->version != RP_QUESTION_VERSION)
		BAD("question: version must be %d (got %u)", RP_QUESTION_VERSION,
		    q->version);
	if (!(q->threshold >= 0.0 && q->threshold <= 1.0))
		BAD("question option threshold must be in (0, 1], or 0 for 0.5 "
		    "(got %g)", q->threshold);
	if (!(q->containment <= 1.0) || q->containment != q->containment)
		BAD("question option containment must be in (0, 1], 0 for 0.5 "
		    "or negative for off (got %g)", q->containment);
	if (q->min_passage > 1000000)
		BAD("question option min_passage must be 1..1000000 words, 0 for "
		    "25 or negative for off (got %d)", q->min_passage);
	if (q->align < RP_OFF || q->align > RP_ON)
		BAD("question option align must be RP_DEFAULT (0), RP_ON (1) or "
		    "RP_OFF (-1) (got %d)", q->align);
	if (q->window < 0)
		BAD("question option window must be 0 (none) or a number of "
		    "seconds (got %lld)", (long long)q->window);
	if (!(q->target_recall >= 0.0 && q->target_recall < 1.0))
		BAD("question option target_recall must be in (0, 1), or 0 for "
		    "0.99 (got %g)", q->target_recall);
	if ((q->bands == 0) != (q->rows == 0))
		BAD("question options bands and rows go together (got %u x %u)",
		    q->bands, q->rows);
	if ((size_t)q->bands * q->rows > c->ao.num_perm)
		BAD("question options bands x rows (%u x %u) exceed the "
		    "analysis option num_perm (%u)", q->bands, q->rows,
		    c->ao.num_perm);
	if (q->bucket_cap == 1)
		BAD("question option bucket_cap must be 2 or more, or 0 for 5000 "
		    "(got 1)");
	*out = *q;
	if (out->threshold == 0.0)
		out->threshold = 0.5;
	out->containment = q->containment < 0 ? 0.0
			   : q->containment == 0 ? 0.5 : q->containment;
	out->min_passage = q->min_passage < 0 ? 0
			   : q->min_passage == 0 ? 25 : q->min_passage;
	out->align = q->align != RP_OFF;
	out->keep_templates = q->keep_templates != 0;
	out->cross_outlet = q->cross_outlet != 0;
	out->exact = q->exact != 0;
	if (out->target_recall == 0.0)
		out->target_recall = 0.99;
	if (!out->bucket_cap)
		out->bucket_cap = 5000;
	return RP_OK;
#undef BAD
}

/* 0.1's options, validated as they were then; split into the corpus's
 * analysis options, reading limit and stored question. */
static int legacy_split(rp_corpus *c, const rp_options *opts)
{
	RETURN_ERROR_IF(opts->version != RP_OPTIONS_VERSION, RP_EINVAL);
	RETURN_ERROR_IF(opts->num_perm == 0 || opts->num_perm > 4096, RP_EINVAL);
	RETURN_ERROR_IF(!(opts->threshold > 0.0 && opts->threshold <= 1.0),
			RP_EINVAL);
	RETURN_ERROR_IF(!(opts->target_recall > 0.0 && opts->target_recall < 1.0),
			RP_EINVAL);
	RETURN_ERROR_IF((opts->bands == 0) != (opts->rows == 0), RP_EINVAL);
	RETURN_ERROR_IF((size_t)opts->bands * opts->rows > opts->num_perm,
			RP_EINVAL);
	RETURN_ERROR_IF(!(opts->containment >= 0.0 && opts->containment <= 1.0),
			RP_EINVAL);
	RETURN_ERROR_IF(opts->min_passage > 1000000, RP_EINVAL);
	RETURN_ERROR_IF(opts->window < 0, RP_EINVAL);
	/* Token offsets are 32-bit: texts stay under 4 GiB. */
	RETURN_ERROR_IF(opts->max_doc_bytes == 0 ||
				opts->max_doc_bytes >= UINT32_MAX, RP_EINVAL);
	rp_analysis_options ao;
	rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
	ao.shingle = opts->shingle;
	ao.k = opts->k;
	ao.num_perm = opts->num_perm;
	ao.minhash = opts->minhash;
	ao.seed = opts->seed;
	ao.include_title = opts->include_title;
	ao.boilerplate = opts->boilerplate ? RP_ON : RP_OFF;
	ao.chrome_min_pages = opts->chrome_min_pages < 2 ? 2 : opts->chrome_min_pages;
	ao.threads = opts->threads;
	ao.progress = opts->progress;
	ao.progress_userdata = opts->progress_userdata;
	FORWARD_IF_ERROR(rp_analysis_resolve(&c->ao, c->err, sizeof(c->err), &ao));
	c->ao.seed = opts->seed; /* used as given, 0 included */
	rp_question *q = &c->q0;
	rp_question_init(q, RP_QUESTION_VERSION);
	q->threshold = opts->threshold;
	q->containment = opts->containment > 0 ? opts->containment : RP_OFF;
	q->min_passage = opts->min_passage ? (int)opts->min_passage : RP_OFF;
	q->align = opts->align ? RP_ON : RP_OFF;
	q->keep_templates = opts->keep_templates;
	q->cross_outlet = opts->cross_outlet;
	q->window = opts->window;
	q->exact = opts->exact;
	q->target_recall = opts->target_recall;
	q->bands = opts->bands;
	q->rows = opts->rows;
	q->bucket_cap = opts->bucket_cap < 2 ? 2 : opts->bucket_cap;
	c->default_max_bytes = c->max_doc_bytes = opts->max_doc_bytes;
	return RP_OK;
}

static void set_cjson_hooks(void)
{
	cJSON_Hooks hooks = { rp_malloc, free };
	cJSON_InitHooks(&hooks);
}

int rp_corpus_new(rp_corpus **out, const rp_options *opts)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	RETURN_ERROR_IF(opts && opts->k > 1024, RP_EINVAL);
	RETURN_ERROR_IF(opts && opts->shingle != RP_SHINGLE_WORD &&
				opts->shingle != RP_SHINGLE_CHAR, RP_EINVAL);
	RETURN_ERROR_IF(opts && opts->minhash != RP_MINHASH_OPH &&
				opts->minhash != RP_MINHASH_CLASSIC, RP_EINVAL);

	/* cJSON allocates through the library's allocator, so that memory
	 * running out inside it is told from a malformed line; set once, so
	 * that a corpus made while another reads JSONL races with nothing. */
	static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
	pthread_once(&hooks_once, set_cjson_hooks);

	rp_corpus *c = calloc(1, sizeof(*c));
	RETURN_ERROR_IF(!c, RP_ENOMEM);
	int err = RP_OK;
	if (opts) {
		err = legacy_split(c, opts);
	} else {
		rp_analysis_options ao;
		rp_analysis_options_init(&ao, RP_ANALYSIS_OPTIONS_VERSION);
		err = rp_analysis_resolve(&c->ao, c->err, sizeof(c->err), &ao);
		rp_question_init(&c->q0, RP_QUESTION_VERSION);
		c->default_max_bytes = c->max_doc_bytes = DEFAULT_MAX_BYTES;
	}
	if (err < 0) {
		free(c);
		return err;
	}
	c->err[0] = '\0';
	c->pages.on = 1;
	*out = c;
	return RP_OK;
}

int rp_corpus_configure(rp_corpus *c, const rp_analysis_options *o)
{
	RETURN_ERROR_IF(!c, RP_EINVAL);
	if (!o) {
		rp_corpus_set_error(c, "analysis options: NULL");
		return RP_EINVAL;
	}
	if (c->analysed) {
		rp_corpus_set_error(c, "analysis options can be set only before "
				    "the collection's first question");
		return RP_ESTATE;
	}
	rp_analysis_options ao;
	FORWARD_IF_ERROR(rp_analysis_resolve(&ao, c->err, sizeof(c->err), o));
	/* A stored question must still fit the signature length. */
	if ((size_t)c->q0.bands * c->q0.rows > ao.num_perm) {
		c->q0.bands = 0;
		c->q0.rows = 0;
	}
	c->ao = ao;
	c->err[0] = '\0';
	return RP_OK;
}

void rp_corpus_free(rp_corpus *c)
{
	if (!c)
		return;
	if (c->an) {
		rp_analysis_free(c->an, c->ndocs);
		free(c->an);
	}
	rp_arena_free(&c->arena);
	for (size_t i = 0; i < c->nmaps; i++)
		munmap(c->maps[i].p, c->maps[i].n);
	free(c->maps);
	rp_boiler_pages_free(&c->pages);
	rp_page_facts_buf_free(&c->facts_buf);
	rp_spool_close(c->spool);
	rp_tmpfile_close(c->tmp);
	for (unsigned k = 0; k < c->ngone; k++) {
		if (c->gone[k].started) {
			pthread_join(c->gone[k].th, NULL);
		} else {
			rp_spool_close(c->gone[k].spool);
			rp_tmpfile_close(c->gone[k].tmp);
		}
	}
	free(c->tmpdir);
	free(c->docs);
	free(c->rejects);
	free(c->reject_docs);
	free(c->skipped);
	free(c->idtab);
	free(c);
}

int rp_corpus_hold_map(rp_corpus *c, void *p, size_t n)
{
	if (RP_GROW(c->maps, c->capmaps, c->nmaps + 1) < 0) {
		munmap(p, n);
		return RP_ENOMEM;
	}
	c->maps[c->nmaps++] = (struct rp_held_map){ p, n };
	return RP_OK;
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

static int reject_va(rp_corpus *c, int empty, const char *source,
		     size_t line, const char *id, const char *fmt, va_list ap)
{
	char reason[512];
	vsnprintf(reason, sizeof(reason), fmt, ap);

	FORWARD_IF_ERROR(RP_GROW(c->rejects, c->caprejects, c->nrejects + 1));
	FORWARD_IF_ERROR(RP_GROW(c->reject_docs, c->capreject_docs,
				 c->nrejects + 1));
	c->reject_docs[c->nrejects] = c->ndocs;
	rp_reject *r = &c->rejects[c->nrejects];
	r->source = rp_corpus_intern_source(c, source ? source : "(input)");
	r->line = line;
	r->id = id ? rp_arena_strndup(&c->arena, id, strlen(id)) : NULL;
	r->reason = rp_arena_strndup(&c->arena, reason, strlen(reason));
	r->empty = empty;
	RETURN_ERROR_IF(!r->source || !r->reason || (id && !r->id), RP_ENOMEM);
	c->nrejects++;
	return RP_OK;
}

int rp_corpus_reject_add(rp_corpus *c, const char *source, size_t line,
			 const char *id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int err = reject_va(c, 0, source, line, id, fmt, ap);
	va_end(ap);
	return err;
}

int rp_corpus_reject_empty(rp_corpus *c, const char *source, size_t line,
			   const char *id, const char *reason)
{
	return rp_corpus_reject_add_kind(c, 1, source, line, id, "%s",
					 reason);
}

int rp_corpus_reject_add_kind(rp_corpus *c, int empty, const char *source,
			      size_t line, const char *id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int err = reject_va(c, empty, source, line, id, fmt, ap);
	va_end(ap);
	return err;
}

int rp_corpus_reject_record(rp_corpus *c, const char *source, size_t line,
			    const char *id, const char *fmt, ...)
{
	va_list ap;
	c->records_seen++;
	va_start(ap, fmt);
	int err = reject_va(c, 0, source, line, id, fmt, ap);
	va_end(ap);
	return err;
}

/* ---- id table ---- */

/* An id's hash as the table keeps it: 32 bits, which place it (its low
 * bits) and tell most other ids apart without reading them (an entry is
 * the document + 1 in its low half, this in its high half: a probe reads
 * another id's bytes only when the tags agree, and growing rehashes from
 * the tags alone). */
static uint32_t id_tag(const char *id, size_t len)
{
	uint64_t h = XXH3_64bits(id, len);
	return (uint32_t)(h ^ (h >> 32));
}

static size_t id_slot(const rp_corpus *c, const char *id, size_t len,
		      uint32_t tag, int *found)
{
	size_t mask = c->idcap - 1;
	size_t i = (size_t)tag & mask;
	for (;;) {
		uint64_t v = c->idtab[i];
		if (v == 0) {
			*found = 0;
			return i;
		}
		if ((uint32_t)(v >> 32) == tag) {
			const char *other = c->docs[(uint32_t)v - 1].id;
			if (strncmp(other, id, len) == 0 && other[len] == '\0') {
				*found = 1;
				return i;
			}
		}
		i = (i + 1) & mask;
	}
}

static int id_table_grow(rp_corpus *c)
{
	size_t ncap = c->idcap ? c->idcap * 2 : 1024;
	uint64_t *old = c->idtab;
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
		size_t slot = (size_t)(old[i] >> 32) & (ncap - 1);
		while (c->idtab[slot])
			slot = (slot + 1) & (ncap - 1);
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

/* Keep a text in the spool, opened when first needed. */
static int spool_text(rp_corpus *c, const char **text, const char *p,
		      size_t len)
{
	char why[512];
	int err = RP_OK;
	if (!c->spool)
		err = rp_spool_open(&c->spool, c->tmpdir,
				    RP_MAX(c->memory / 16, (size_t)1 << 20),
				    why, sizeof(why));
	if (err == RP_OK)
		err = rp_spool_add(c->spool, text, p, len, why, sizeof(why));
	if (err == RP_ETEMP) {
		rp_corpus_set_error(c, "%s", why);
	} else if (err == RP_ELIMIT) {
		rp_corpus_set_error(c, "the texts passed the temporary file's "
				    "limit (%zu bytes)", c->spool->reserve);
		err = RP_ETEMP;
	}
	return err;
}

int rp_corpus_texts_ready(const rp_corpus *c)
{
	if (!c || !rp_spool_pending(c->spool))
		return RP_OK;
	char why[512];
	int err = rp_spool_flush(c->spool, why, sizeof(why));
	if (err == RP_ETEMP)
		rp_corpus_set_error((rp_corpus *)c, "%s", why);
	return err;
}

const char *rp_corpus_text_at(const rp_corpus *c, size_t d, char **buf,
			      size_t *cap, size_t *paced)
{
	const rp_doc *doc = &c->docs[d];
	int got = 0;
	if (c->spool) {
		if (rp_grow((void **)buf, cap, doc->text_len + 1, 1) < 0)
			return NULL;
		got = rp_spool_read(c->spool, doc->text, doc->text_len, *buf);
		if (got > 0)
			return *buf;
	}
	/* Through a mapping (the spool's when its file could not be read,
	 * a held one), paced as a read out of order; a text in memory as
	 * it is. */
	if (got < 0 || c->nmaps)
		rp_corpus_pace(c, paced, RP_MAX(doc->text_len, RP_PACE_RANDOM));
	return doc->text;
}

const char *rp_corpus_text_window(const rp_corpus *c, const char *text,
				  size_t len, rp_text_window *w)
{
	const rp_spool *s = c ? c->spool : NULL;
	if (!s || text < s->base || (uint64_t)(text - s->base) + len >= s->flushed) {
		if (c && !c->spool)
			rp_corpus_pace(c, &w->paced, len);
		return text;
	}
	uint64_t off = (uint64_t)(text - s->base);
	if (off >= w->from && off + len < w->to)
		return w->buf + (off - w->from);
	/* (the NUL after the text is in the file: off + len < flushed) */
	size_t want = RP_MAX(len + 1, RP_TEXT_WINDOW);
	/* (a reader taking runs of texts does not read the next run's,
	 * another thread's) */
	uintptr_t u = (uintptr_t)w->until, t = (uintptr_t)text;
	if (u > t && u <= (uintptr_t)s->base + s->flushed && u - t < want)
		want = RP_MAX(len + 1, (size_t)(u - t));
	if (want > s->flushed - off)
		want = (size_t)(s->flushed - off);
	w->from = w->to = 0;
	if (rp_grow((void **)&w->buf, &w->cap, want, 1) < 0)
		return NULL;
	if (rp_spool_read(s, text, want - 1, w->buf) == 1) {
		w->from = off;
		w->to = off + want;
		return w->buf;
	}
	/* The file could not be read: its mapping, paced. */
	rp_spool_pace(c->spool, &w->paced, len);
	return text;
}

void rp_text_window_free(rp_text_window *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

void rp_corpus_prefetch(const rp_corpus *c, size_t d)
{
	if (c && c->spool && d < c->ndocs)
		rp_spool_prefetch(c->spool, c->docs[d].text, c->docs[d].text_len);
}

int rp_corpus_texts_on_disk(const rp_corpus *c)
{
	return c && rp_spool_on_disk(c->spool);
}

void rp_corpus_pace(const rp_corpus *c, size_t *since, size_t bytes)
{
	if (!c)
		return;
	if (c->spool) {
		rp_spool_pace(c->spool, since, bytes);
		return;
	}
	/* Borrowed texts (mapped files): their pages let go as the spool's
	 * are, every sixteenth of the bound (they stay in the page cache). */
	if (c->nmaps && c->memory) {
		*since += bytes;
		if (*since >= RP_MAX(c->memory / 16, (size_t)1 << 20)) {
			*since = 0;
			for (size_t i = 0; i < c->nmaps; i++)
				(void)madvise(c->maps[i].p, c->maps[i].n,
					      MADV_DONTNEED);
		}
	}
}

int rp_corpus_set_memory(rp_corpus *c, size_t budget, const char *tmpdir)
{
	RETURN_ERROR_IF(!c, RP_EINVAL);
	if (c->ndocs || c->analysed) {
		rp_corpus_set_error(c, "the memory bound is set before the "
				    "first document");
		return RP_ESTATE;
	}
	char *dir = NULL;
	if (tmpdir && *tmpdir) {
		dir = strdup(tmpdir);
		RETURN_ERROR_IF(!dir, RP_ENOMEM);
	}
	free(c->tmpdir);
	c->tmpdir = dir;
	c->memory = budget;
	/* Texts held in memory are pages this process touches first (zeroed,
	 * and on this project's VMs faulted in from the host at about 0.6 GB/s);
	 * spooled texts sit in page-cache pages the copy fills, read back at
	 * memory speed while they are cached. An eighth of the bound held made
	 * news 100k 3.28 s and the 200k bench records 4.06 s against 3.01 and
	 * 3.68 s with a sixty-fourth (peak 540 -> 430 MB, system time 1.15 ->
	 * 0.76 s); the 1M corpus and the real corpora in ../shared/data did
	 * not move. Small collections stay whole in memory. */
	c->text_share = budget / 64;
	rp_huge_pages_bound(budget);
	return RP_OK;
}

int rp_corpus_set_last_reading(rp_corpus *c)
{
	RETURN_ERROR_IF(!c, RP_EINVAL);
	c->last_reading = 1;
	return RP_OK;
}

static void *let_go_main(void *arg)
{
	struct rp_gone *g = arg;
	rp_spool_close(g->spool);
	rp_tmpfile_close(g->tmp);
	return NULL;
}

/* Close s and t on a thread of their own (closing an unlinked file
 * frees its cached pages and blocks: 0.9 s for the 1M bench corpus's
 * spool, 12 s for the 10M corpus's, 5 s for its stages' files), or at
 * rp_corpus_free when the thread cannot start. */
static void let_go(rp_corpus *c, rp_spool *s, rp_tmpfile *t)
{
	if (!s && !t)
		return;
	if (c->ngone == 2) { /* (never: two calls, each once) */
		rp_spool_close(s);
		rp_tmpfile_close(t);
		return;
	}
	struct rp_gone *g = &c->gone[c->ngone++];
	g->spool = s;
	g->tmp = t;
	g->started = pthread_create(&g->th, NULL, let_go_main, g) == 0;
}

void rp_corpus_stages_done(rp_corpus *c)
{
	if (!c || !c->last_reading || c->stages_gone)
		return;
	c->stages_gone = 1;
	c->gone_bytes += c->tmp ? c->tmp->at : 0;
	let_go(c, NULL, c->tmp);
	c->tmp = NULL;
}

void rp_corpus_texts_read(rp_corpus *c)
{
	if (!c || !c->last_reading || c->texts_gone)
		return;
	rp_corpus_stages_done(c);
	c->texts_gone = 1;
	c->gone_bytes = rp_corpus_temp_bytes(c);
	let_go(c, c->spool, c->tmp);
	c->spool = NULL;
	c->tmp = NULL;
}

uint64_t rp_corpus_temp_bytes(const rp_corpus *c)
{
	if (!c)
		return 0;
	return c->gone_bytes + (c->spool ? c->spool->len : 0) +
	       (c->tmp ? c->tmp->at : 0);
}

int rp_corpus_tmpfile(rp_corpus *c, rp_tmpfile **out)
{
	char why[512];
	if (!c->tmp && rp_tmpfile_open(&c->tmp, c->tmpdir, why,
				       sizeof(why)) < 0) {
		rp_corpus_set_error(c, "%s", why);
		return RP_ETEMP;
	}
	*out = c->tmp;
	return RP_OK;
}

int rp_corpus_temp_error(rp_corpus *c, int err)
{
	if (err == RP_ETEMP && c->tmp && c->tmp->why[0])
		rp_corpus_set_error(c, "%s", c->tmp->why);
	return err;
}

int rp_corpus_wants_facts(const rp_corpus *c)
{
	return c->pages.on && c->ao.boilerplate && !c->sink &&
	       !c->borrow_texts && !c->prior && !c->analysed;
}

/* Document d (just added) to the pages' facts, or the facts given up:
 * they are kept only while every page has them. */
static int keep_facts(rp_corpus *c, size_t d, const rp_doc_input *in,
		      const rp_text_known *known)
{
	rp_boiler_pages *p = &c->pages;
	if (!p->on)
		return RP_OK;
	if (!rp_corpus_wants_facts(c) || d != p->ndocs) {
		rp_boiler_pages_free(p); /* (on 0) */
		return RP_OK;
	}
	const rp_page_facts *f = known ? known->facts : NULL;
	const rp_page_facts_buf *b = known ? known->facts_buf : NULL;
	rp_page_facts own;
	int err = RP_OK;
	if (!f || !f->found || !b) {
		rp_page_facts_buf_reset(&c->facts_buf);
		err = rp_page_facts_find(&c->facts_buf, &own, in->text,
					 in->text_len, in->outlet, in->outlet_len);
		f = &own;
		b = &c->facts_buf;
	}
	if (err == RP_OK)
		err = rp_boiler_pages_add(p, c, b, f, in->outlet != NULL);
	/* (a page half kept: chrome is learned from the texts, should the
	 * caller go on) */
	if (err < 0)
		rp_boiler_pages_free(p);
	return err;
}

int rp_corpus_add(rp_corpus *c, const rp_doc_input *in)
{
	return rp_corpus_add_known(c, in, NULL);
}

int rp_corpus_add_known(rp_corpus *c, const rp_doc_input *in,
			const rp_text_known *known)
{
	char genid[512];
	char shortid[128];
	const char *id;
	size_t id_len;
	int err;

	RETURN_ERROR_IF(!c || !in, RP_EINVAL);
	if (c->analysed) {
		rp_corpus_set_error(c, "the collection was analysed (its first "
				    "question); it takes no more documents");
		return RP_ESTATE;
	}
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
	if (in->text_len > c->max_doc_bytes)
		REJECT(c, in->source, in->line, shortid,
		       "text too large (%zu bytes; the limit is %zu)",
		       in->text_len, c->max_doc_bytes);
	/* A borrowed text is a stage file's, checked when its part was
	 * read (the file's checksums say it is as written): it is not read
	 * again here, where a stage takes back a million documents only for
	 * their fields (finish) or reads the texts later anyway (sign,
	 * verify). */
	if ((!c->borrow_texts && !(known && known->valid) &&
	     (err = check_field(c, in, shortid, "text", in->text,
				in->text_len)) != RP_OK) ||
	    (err = check_field(c, in, shortid, "title", in->title,
			       in->title_len)) != RP_OK ||
	    (err = check_field(c, in, shortid, "outlet", in->outlet,
			       in->outlet_len)) != RP_OK ||
	    (err = check_field(c, in, shortid, "date", in->date,
			       in->date_len)) != RP_OK)
		return err;
	if (!c->borrow_texts && all_space(in->text, in->text_len)) {
		err = rp_corpus_reject_empty(c, in->source, in->line, shortid,
					     "empty text");
		return err < 0 ? err : RP_EINPUT;
	}
	RETURN_ERROR_IF(c->ndocs >= UINT32_MAX - 1, RP_ELIMIT);

	if (c->ndocs + 1 > c->idcap / 2)
		FORWARD_IF_ERROR(id_table_grow(c));
	int found;
	uint32_t tag = id_tag(id, id_len);
	size_t slot = id_slot(c, id, id_len, tag, &found);
	if (found) {
		const rp_doc *first = &c->docs[(uint32_t)c->idtab[slot] - 1];
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
	if (c->sink) {
		d->text = ""; /* (the sink has it: below) */
	} else if (c->borrow_texts) {
		d->text = in->text;
	} else if (c->memory && c->held_text + in->text_len > c->text_share) {
		FORWARD_IF_ERROR(spool_text(c, &d->text, in->text, in->text_len));
	} else {
		d->text = rp_arena_strndup(&c->arena, in->text, in->text_len);
		c->held_text += in->text_len;
	}
	d->text_len = c->sink ? 0 : in->text_len;
	d->text_kind = known ? known->kind : RP_TEXT_UNKNOWN;
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
	c->idtab[slot] = (uint64_t)tag << 32 | (uint32_t)(c->ndocs + 1);
	c->ndocs++;
	FORWARD_IF_ERROR(keep_facts(c, c->ndocs - 1, in, known));
	if (c->sink)
		return c->sink(c->sink_ud, c, c->ndocs - 1, in->text,
			       in->text_len, c->sink_map, c->sink_nmap);
	return RP_OK;
}

int rp_corpus_add_mapped(rp_corpus *c, const rp_doc_input *in,
			 const rp_anchor *map, size_t n)
{
	size_t before = c ? c->ndocs : 0;
	if (c) {
		c->sink_map = map;
		c->sink_nmap = n;
	}
	int err = rp_corpus_add(c, in);
	if (c) {
		c->sink_map = NULL;
		c->sink_nmap = 0;
	}
	if (err != RP_OK || !n || c->ndocs != before + 1 || c->sink)
		return err;
	RETURN_ERROR_IF(n > SIZE_MAX / sizeof(*map), RP_ENOMEM);
	rp_anchor *m = rp_arena_alloc(&c->arena, n * sizeof(*map));
	RETURN_ERROR_IF(!m, RP_ENOMEM);
	memcpy(m, map, n * sizeof(*map));
	c->docs[before].srcmap = m;
	c->docs[before].nsrcmap = n;
	return RP_OK;
}

int rp_corpus_source_range(size_t *start, size_t *end, const rp_corpus *c,
			   size_t i, size_t from, size_t to)
{
	RETURN_ERROR_IF(!start || !end || !c || i >= c->ndocs || from >= to ||
				to > c->docs[i].text_len,
			RP_EINVAL);
	const rp_doc *d = &c->docs[i];
	return rp_anchor_range(d->srcmap, d->nsrcmap, from, to, start, end)
		       ? RP_OK : RP_EINPUT;
}

size_t rp_corpus_count(const rp_corpus *c)
{
	return c ? c->ndocs : 0;
}

int rp_corpus_find(size_t *out, const rp_corpus *c, const char *id)
{
	RETURN_ERROR_IF(!out || !c || !id, RP_EINVAL);
	if (!c->idcap)
		return RP_EINPUT;
	int found;
	size_t len = strlen(id);
	size_t slot = id_slot(c, id, len, id_tag(id, len), &found);
	if (!found)
		return RP_EINPUT;
	*out = (uint32_t)c->idtab[slot] - 1;
	return RP_OK;
}

size_t rp_corpus_records_seen(const rp_corpus *c)
{
	return c ? c->records_seen : 0;
}

int rp_corpus_doc(rp_doc_info *out, const rp_corpus *c, size_t i)
{
	RETURN_ERROR_IF(!out || !c || i >= c->ndocs, RP_EINVAL);
	FORWARD_IF_ERROR(rp_corpus_texts_ready(c));
	const rp_doc *d = &c->docs[i];
	out->id = d->id;
	out->title = d->title;
	out->outlet = d->outlet;
	out->date = d->date;
	out->timestamp = d->timestamp;
	out->has_timestamp = d->has_timestamp;
	out->text = c->texts_gone ? NULL : d->text;
	out->text_len = d->text_len;
	out->source = d->source;
	out->line = d->line;
	return RP_OK;
}

int rp_corpus_skip_add(rp_corpus *c, const char *kind, const char *path)
{
	for (size_t i = 0; i < c->nskipped; i++)
		if (strcmp(c->skipped[i].kind, kind) == 0) {
			c->skipped[i].files++;
			return RP_OK;
		}
	FORWARD_IF_ERROR(RP_GROW(c->skipped, c->capskipped, c->nskipped + 1));
	rp_skipped *k = &c->skipped[c->nskipped];
	k->kind = rp_arena_strndup(&c->arena, kind, strlen(kind));
	k->example = rp_arena_strndup(&c->arena, path, strlen(path));
	k->files = 1;
	RETURN_ERROR_IF(!k->kind || !k->example, RP_ENOMEM);
	c->nskipped++;
	return RP_OK;
}

size_t rp_corpus_skipped_count(const rp_corpus *c)
{
	return c ? c->nskipped : 0;
}

int rp_corpus_skipped(rp_skipped *out, const rp_corpus *c, size_t i)
{
	RETURN_ERROR_IF(!out || !c || i >= c->nskipped, RP_EINVAL);
	*out = c->skipped[i];
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
