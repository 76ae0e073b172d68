/*
 * shard.c - scan as stages over shards, exchanging files in one work
 * folder (reprint.h, "Stages over shards"; the files in shardfile.h).
 *
 * Each stage is the one-machine pipeline's step over a part of the work,
 * calling the same code:
 *
 *   read    part i of the inputs (rp_corpus_read_part) -> read-i.docs
 *           (its documents' fields as the corpus holds them, where each
 *           text is in read-i.texts, its rejects and skipped files),
 *           read-i.texts (the texts, one after another) and read-i.lines
 *           (per outlet its pages; every distinct line with the pages of
 *           the part it is on; its ids)
 *   chrome  every part's evidence -> chrome: per outlet pages and `top`,
 *           the lines on two pages or more, exactly the counts chrome
 *           learning makes over the whole collection (boiler.h's prior);
 *           ids held by two parts (the later ones are rejected, as the
 *           corpus rejects a duplicate id, and their pages uncounted)
 *   sign    part i analysed as scan analyses it (rp_analysis_ensure with
 *           the question's need) with the chrome as its prior (every page
 *           counted in it) -> sign-i.keys (per band the (key, document)
 *           entries, sorted), sign-i.fps (the winnowing fingerprints,
 *           sorted by hash), sign-i.flags (which documents have words,
 *           which are character texts, what chrome left out of each; the
 *           rejects of the base pass)
 *   pairs   bands [B i / n, B (i + 1) / n) and hashes [2^32 i / n, ..):
 *           the runs of equal keys of every part, rp_pairs_of_runs with
 *           the bucket cap -> pairs-i.cands; fingerprint postings within
 *           RP_PASSAGE_POSTING_CAP -> pairs-i.pents, each pair's (diagonal,
 *           position) entries, as rp_contain_candidates makes them
 *   verify  the pairs whose first document's block falls in share i:
 *           candidates merged, passage candidates by rp_passage_diagonal
 *           over all of a pair's entries; only their documents are read
 *           back into a corpus (in collection order) whose analysis is
 *           the sign stage's (rp_analysis_given), and rp_corpus_ask_given
 *           verifies, relates and aligns them -> verify-i.pairs
 *   finish  every document and reject (in scan's order), the verified
 *           pairs of every share, clusters: the result scan gives.
 *
 * Texts are not copied: a stage's corpus borrows them from the mapped
 * texts files (corpus.h), and every file read through is let go of as it
 * is read, so a task keeps to its memory bound. Finish, which needs every
 * document's fields and few texts, reads the fields alone (4% of the
 * bytes of the 1M bench corpus's) and checks only the texts its outputs
 * may print (texts_check).
 *
 * Documents are numbered across parts by the counts of the parts before
 * (read-i.docs), so a pair is the same 64-bit RP_PAIR in every stage;
 * the ids two parts hold leave holes in that numbering, closed at finish.
 * The answer is scan's because every step that depends on more than one
 * document (chrome counts, buckets and their caps, postings and theirs)
 * sees the whole collection's figures, and every other step is per
 * document or per pair.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

#include "analysis.h"
#include "boiler.h"
#include "contain.h"
#include "corpus.h"
#include "lsh.h"
#include "keyspill.h"
#include "pairs.h"
#include "result.h"
#include "shardfile.h"
#include "sort.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

struct rp_shard {
	char *dir;
	uint64_t params;          /* hash of the parameters */
	char *pbytes;
	size_t plen;
	int quiet_texts;          /* rp_shard_print_texts(0) */
	char err[1024];
};

#define DOCS_TRAILER 7

static int fail(rp_shard *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(rp_shard *s, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	return err;
}

static void name_of(char *out, size_t n, const char *stage, unsigned i,
		    const char *ext)
{
	snprintf(out, n, "%s-%u.%s", stage, i, ext);
}

/* qsort, for any n (qsort's array may not be NULL, even empty). */
static void sort_any(void *base, size_t n, size_t size,
		     int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Sort x[0..*n) and drop its repeats. */
static int sort_unique(uint64_t *x, size_t *n)
{
	uint64_t *t = reallocarray(NULL, *n + 1, sizeof(*t));
	RETURN_ERROR_IF(!t, RP_ENOMEM);
	rp_sort_u64(x, t, *n);
	free(t);
	*n = rp_unique_u64(x, *n);
	return RP_OK;
}

/* ---- the folder ---- */

static int corrupt(rp_shard *s, const rp_sfr *r);

int rp_shard_open(rp_shard **out, const char *dir, const void *params,
		  size_t len)
{
	RETURN_ERROR_IF(!out || !dir, RP_EINVAL);
	rp_shard *s = calloc(1, sizeof(*s));
	*out = s;
	RETURN_ERROR_IF(!s, RP_ENOMEM);
	s->dir = strdup(dir);
	RETURN_ERROR_IF(!s->dir, RP_ENOMEM);
	rp_sfr r;
	int err;
	if (params) {
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			return fail(s, RP_EIO, "%s: cannot make the work folder: %s",
				    dir, strerror(errno));
		if (rp_sf_exists(dir, "params")) {
			err = rp_sfr_open(&r, dir, "params", RP_SF_PARAMS, 0,
					  s->err, sizeof(s->err));
			FORWARD_IF_ERROR(err);
			const void *had = rp_sfr_bytes(&r, (size_t)r.paylen);
			int same = had && r.paylen == len &&
				   memcmp(had, params, len) == 0;
			rp_sfr_close(&r);
			if (!same)
				return fail(s, RP_EINPUT, "%s holds a run made with "
					    "other parameters; use another folder "
					    "(or empty it)", dir);
		} else {
			rp_sfw w;
			FORWARD_IF_ERROR(rp_sfw_open(&w, dir, "params", RP_SF_PARAMS,
						     0, s->err, sizeof(s->err)));
			rp_sfw_bytes(&w, params, len);
			FORWARD_IF_ERROR(rp_sfw_close(&w, 1, s->err, sizeof(s->err)));
		}
	}
	err = rp_sfr_open(&r, dir, "params", RP_SF_PARAMS, 0, s->err,
			  sizeof(s->err));
	if (err == RP_EIO)
		return fail(s, RP_EINPUT, "%s is not a reprint work folder (no "
			    "params: 'reprint shard read' makes it)", dir);
	FORWARD_IF_ERROR(err);
	s->plen = (size_t)r.paylen;
	const void *p = rp_sfr_bytes(&r, s->plen);
	if (!p) {
		err = corrupt(s, &r);
		rp_sfr_close(&r);
		return err;
	}
	s->pbytes = malloc(s->plen + 1);
	if (!s->pbytes) {
		rp_sfr_close(&r);
		return RP_ENOMEM;
	}
	memcpy(s->pbytes, p, s->plen);
	s->pbytes[s->plen] = '\0';
	s->params = XXH3_64bits(s->pbytes, s->plen) | 1;
	rp_sfr_close(&r);
	return RP_OK;
}

void rp_shard_free(rp_shard *s)
{
	if (!s)
		return;
	free(s->dir);
	free(s->pbytes);
	free(s);
}

void rp_shard_print_texts(rp_shard *s, int print)
{
	if (s)
		s->quiet_texts = !print;
}

const char *rp_shard_error(const rp_shard *s)
{
	return s ? s->err : "";
}

int rp_shard_params(const void **params, size_t *len, const rp_shard *s)
{
	RETURN_ERROR_IF(!params || !len || !s, RP_EINVAL);
	*params = s->pbytes;
	*len = s->plen;
	return RP_OK;
}

static int sopen(rp_shard *s, rp_sfr *r, const char *name, uint32_t kind)
{
	return rp_sfr_open(r, s->dir, name, kind, s->params, s->err,
			   sizeof(s->err));
}

static int wopen(rp_shard *s, rp_sfw *w, const char *name, uint32_t kind)
{
	return rp_sfw_open(w, s->dir, name, kind, s->params, s->err,
			   sizeof(s->err));
}

static int wclose(rp_shard *s, rp_sfw *w, int ok)
{
	return rp_sfw_close(w, ok, s->err, sizeof(s->err));
}

static int corrupt(rp_shard *s, const rp_sfr *r)
{
	char why[128];
	return fail(s, r->read_errno ? RP_EIO : RP_EINPUT, "%s: %s", r->path,
		    rp_sfr_why(r, why, sizeof(why)));
}

/* Every task 0..n-1 of a stage is done. */
static int stage_done(rp_shard *s, const char *stage, unsigned n)
{
	char name[64];
	for (unsigned i = 0; i < n; i++) {
		name_of(name, sizeof(name), stage, i, "done");
		if (!rp_sf_exists(s->dir, name))
			return fail(s, RP_EINPUT, "%s: stage %s: task %u of %u has "
				    "not finished (no %s)", s->dir, stage, i, n,
				    name);
	}
	return RP_OK;
}

static int mark_done(rp_shard *s, const char *stage, unsigned i)
{
	char name[64];
	name_of(name, sizeof(name), stage, i, "done");
	return rp_sf_mark(s->dir, name, s->err, sizeof(s->err));
}

/* The part count a stage's file 0 says (u32 i, u32 n at its start). */
static int parts_of(rp_shard *s, const char *stage, const char *ext,
		    uint32_t kind, unsigned *n)
{
	char name[64];
	rp_sfr r;
	name_of(name, sizeof(name), stage, 0, ext);
	FORWARD_IF_ERROR(sopen(s, &r, name, kind));
	rp_sfr_u32(&r);
	*n = rp_sfr_u32(&r);
	int err = r.bad || *n == 0 ? corrupt(s, &r) : RP_OK;
	rp_sfr_close(&r);
	return err;
}

/* ---- the documents of a part (read-i.docs) ---- */

typedef struct docs_file {
	rp_sfr r;               /* read-i.docs: the records */
	rp_sfr t;               /* read-i.texts */
	int lent;               /* t's mapping is a corpus's (docs_lend) */
	size_t paced;           /* bytes read since the pages were let go */
	uint64_t next;          /* the document after the last one added */
	uint64_t ndocs, nrejects, nskipped, seen;
	uint64_t rej_pos, skip_pos;
	const uint8_t *table;   /* ndocs u64 offsets */
	/* Documents taken for their fields, their texts borrowed, not read
	 * here (finish; sign and verify, whose analysis reads them later,
	 * after the pages touched here were let go): records and texts read
	 * through the checking buffers (rp_sfr's buffered: RP_SFR_BUFFERED,
	 * and RP_SFR_AHEAD where all are taken in order), the fields copied
	 * to scratch. */
	int fields_only;
	/* The texts' blocks not checked as they are taken (finish: the
	 * caller checks those it keeps, texts_check). */
	int texts_later;
	char *scratch;
	size_t capscratch;
} docs_file;

static int docs_open(rp_shard *s, docs_file *f, unsigned i)
{
	char name[64];
	memset(f, 0, sizeof(*f));
	name_of(name, sizeof(name), "read", i, "docs");
	FORWARD_IF_ERROR(sopen(s, &f->r, name, RP_SF_DOCS));
	name_of(name, sizeof(name), "read", i, "texts");
	int err = sopen(s, &f->t, name, RP_SF_TEXTS);
	if (err < 0) {
		rp_sfr_close(&f->r);
		return err;
	}
	/* (the part each names: one task's pair of files) */
	uint32_t ti = rp_sfr_u32(&f->t), tn = rp_sfr_u32(&f->t);
	uint32_t di = rp_sfr_u32(&f->r), dn = rp_sfr_u32(&f->r);
	if (f->r.bad || di != i || f->r.paylen < DOCS_TRAILER * 8 + 8)
		goto bad;
	if (f->t.bad || ti != i || tn != dn) {
		err = corrupt(s, &f->t);
		goto out;
	}
	rp_sfr_seek(&f->r, f->r.paylen - DOCS_TRAILER * 8);
	f->ndocs = rp_sfr_u64(&f->r);
	f->nrejects = rp_sfr_u64(&f->r);
	f->nskipped = rp_sfr_u64(&f->r);
	f->seen = rp_sfr_u64(&f->r);
	f->rej_pos = rp_sfr_u64(&f->r);
	f->skip_pos = rp_sfr_u64(&f->r);
	uint64_t table_pos = rp_sfr_u64(&f->r);
	rp_sfr_seek(&f->r, table_pos);
	f->table = rp_sfr_array(&f->r, f->ndocs, 8);
	if (f->r.bad || f->ndocs >= UINT32_MAX)
		goto bad;
	return RP_OK;
bad:
	err = corrupt(s, &f->r);
out:
	rp_sfr_close(&f->r);
	rp_sfr_close(&f->t);
	return err;
}

/* The documents added to c from now on keep their texts in f's texts
 * mapping, which c holds from now on (texts are not copied). */
static int docs_lend(docs_file *f, rp_corpus *c)
{
	f->lent = 1;
	c->borrow_texts = 1;
	return rp_corpus_hold_map(c, (void *)f->t.map, f->t.size);
}

static void docs_close(docs_file *f)
{
	if (f->lent)
		f->t.map = NULL;
	rp_sfr_close(&f->r);
	rp_sfr_close(&f->t);
	free(f->scratch);
	f->scratch = NULL;
	f->capscratch = 0;
	f->lent = 0;
}

/* Document d of the part, as rp_corpus_add takes it (strings point into
 * the mapped file). */
static int docs_get(rp_shard *s, docs_file *f, uint64_t d, rp_doc_input *in,
		    const rp_anchor **map, size_t *nmap)
{
	uint64_t off;
	if (d >= f->ndocs)
		return corrupt(s, &f->r);
	memcpy(&off, f->table + d * 8, 8);
	rp_sfr_seek(&f->r, off);
	memset(in, 0, sizeof(*in));
	f->r.buffered = f->fields_only;
	in->line = (size_t)rp_sfr_u64(&f->r);
	const char *str[5];
	size_t len[5], at[5], total = 0;
	for (int k = 0; k < 5; k++) {
		str[k] = rp_sfr_str(&f->r, &len[k]);
		if (!f->fields_only || !str[k])
			continue;
		/* (copied at once: the next read may take the buffer) */
		if (RP_GROW(f->scratch, f->capscratch, total + len[k] + 1) < 0) {
			f->r.buffered = 0;
			return RP_ENOMEM;
		}
		memcpy(f->scratch + total, str[k], len[k] + 1);
		at[k] = total;
		total += len[k] + 1;
	}
	for (int k = 0; f->fields_only && k < 5; k++)
		if (str[k])
			str[k] = f->scratch + at[k];
	in->id = str[0];
	in->id_len = len[0];
	in->title = str[1];
	in->title_len = len[1];
	in->outlet = str[2];
	in->outlet_len = len[2];
	in->date = str[3];
	in->date_len = len[3];
	in->source = str[4];
	uint64_t toff = rp_sfr_u64(&f->r), tlen = rp_sfr_u64(&f->r);
	uint32_t n = rp_sfr_u32(&f->r);
	rp_sfr_align(&f->r, 4);
	*map = rp_sfr_array(&f->r, n, sizeof(rp_anchor));
	*nmap = n;
	f->r.buffered = 0;
	if (f->r.bad || !in->id)
		return corrupt(s, &f->r);
	/* The text and its terminator, inside the texts file. */
	if (toff < 8 || toff > f->t.paylen || tlen >= f->t.paylen - toff)
		return corrupt(s, &f->r);
	rp_sfr_seek(&f->t, toff);
	if (f->texts_later) {
		in->text = (const char *)f->t.pay + toff;
	} else {
		f->t.buffered = f->fields_only;
		in->text = rp_sfr_kept(&f->t, (size_t)tlen + 1);
		f->t.buffered = 0;
		if (!in->text)
			return corrupt(s, &f->t);
	}
	in->text_len = (size_t)tlen;
	return RP_OK;
}

/* Add document d of part f to c; RP_EINPUT (a message) when c does not
 * take it as the part's corpus did. */
static int docs_add(rp_shard *s, docs_file *f, uint64_t d, rp_corpus *c)
{
	rp_doc_input in;
	const rp_anchor *map;
	size_t nmap, before = c->ndocs;
	FORWARD_IF_ERROR(docs_get(s, f, d, &in, &map, &nmap));
	int err = rp_corpus_add_mapped(c, &in, map, nmap);
	/* Under a memory bound the corpus lets go of the pages read; a
	 * record read out of order counts what the kernel maps around it. */
	size_t bytes = in.text_len + 64;
	if (d != f->next)
		bytes = RP_MAX(bytes, RP_PACE_RANDOM);
	f->next = d + 1;
	rp_corpus_pace(c, &f->paced, bytes);
	if (err == RP_EINPUT || (err == RP_OK && c->ndocs != before + 1))
		return fail(s, RP_EINPUT, "%s: document %llu is not taken back "
			    "(%s)", f->r.path, (unsigned long long)d,
			    c->nrejects ? c->rejects[c->nrejects - 1].reason
					: "?");
	return err;
}

/* A reject, with the documents its corpus had accepted before it. */
static void put_reject(rp_sfw *w, const rp_reject *r, uint64_t docs_before)
{
	rp_sfw_u64(w, docs_before);
	rp_sfw_u8(w, (uint8_t)(r->empty != 0));
	rp_sfw_u64(w, r->line);
	rp_sfw_str(w, r->source, r->source ? strlen(r->source) : 0);
	rp_sfw_str(w, r->id, r->id ? strlen(r->id) : 0);
	rp_sfw_str(w, r->reason, r->reason ? strlen(r->reason) : 0);
}

/* A reject as put_reject wrote it, added to c. */
static int take_reject(rp_shard *s, rp_sfr *r, rp_corpus *c)
{
	size_t len;
	rp_sfr_u64(r); /* (the documents before it: finish's order) */
	int empty = rp_sfr_u8(r);
	size_t line = (size_t)rp_sfr_u64(r);
	const char *source = rp_sfr_str(r, &len);
	const char *id = rp_sfr_str(r, &len);
	const char *reason = rp_sfr_str(r, &len);
	if (r->bad || !reason)
		return corrupt(s, r);
	return rp_corpus_reject_add_kind(c, empty, source, line, id, "%s", reason);
}

/* ---- the question the stages answer ---- */

typedef struct shard_q {
	rp_question q;           /* resolved */
	unsigned bands, rows, w; /* w: winnowing window, 0 = no passages */
} shard_q;

static int resolve_q(rp_shard *s, rp_corpus *c, const rp_question *qin,
		     shard_q *sq)
{
	memset(sq, 0, sizeof(*sq));
	int err = rp_question_resolve(&sq->q, c, qin);
	if (err < 0)
		return fail(s, err, "%s", c->err);
	const rp_question *q = &sq->q;
	if (q->exact)
		return fail(s, RP_EINVAL, "the stages over shards find pairs by "
			    "LSH and shared passages; an exact search is "
			    "scan's alone");
	if (q->containment > 0 && q->containment < RP_CONTAIN_SCATTERED)
		return fail(s, RP_EINVAL, "the stages over shards take "
			    "containment 0.5 or more (scattered reuse below "
			    "it is scan's alone)");
	sq->bands = q->bands;
	sq->rows = q->rows;
	int reached;
	if (!sq->bands && rp_lsh_tune(&sq->bands, &sq->rows, &reached,
				      q->threshold, c->ao.num_perm,
				      q->target_recall) < 0)
		return fail(s, RP_EINVAL, "no LSH banding for this threshold");
	if (q->containment > 0 || q->min_passage > 0)
		sq->w = rp_winnow_window(q->min_passage > 0
					 ? (unsigned)q->min_passage
					 : RP_CONTAIN_RUN_WORDS, c->ao.k);
	return RP_OK;
}

/* ---- read ---- */

typedef struct lent {
	uint64_t h;
	uint32_t pages, outlet_credit; /* outlet << 1 | credit */
} lent;

#define KEY_LENT(x) ((x).h)
static RP_DEFINE_RADIX(sort_lent, lent, KEY_LENT)
#define KEY_FPH(x) ((uint64_t)(x).h)
static RP_DEFINE_RADIX(sort_fp_hash, rp_fp, KEY_FPH)

static int cmp_kv(const void *x, const void *y)
{
	const rp_kv *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->val < b->val ? -1 : a->val > b->val;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The read stage's sink (corpus.h): each document of the part, as the
 * corpus accepts it, written to the documents file with its text and
 * anchors, and its page's lines kept as chrome evidence; the corpus keeps
 * the rest. */
typedef struct read_sink {
	rp_sfw *w, *tw;         /* read-i.docs, read-i.texts */
	uint64_t *offs;         /* per document, its record's offset */
	size_t capoffs;
	lent *e;                /* (line, document, credit): see write_lines */
	size_t ne, cape;
	rp_page_line *pl;
	size_t cappl;
} read_sink;

static int read_doc(void *ud, const rp_corpus *c, size_t d, const char *text,
		    size_t len, const rp_anchor *map, size_t nmap)
{
	read_sink *k = ud;
	const rp_doc *doc = &c->docs[d];
	rp_sfw *w = k->w;
	if (d >= UINT32_MAX / 2)
		return RP_ELIMIT;
	FORWARD_IF_ERROR(RP_GROW(k->offs, k->capoffs, d + 1));
	k->offs[d] = w->len;
	rp_sfw_u64(w, doc->line);
	rp_sfw_str(w, doc->id, strlen(doc->id));
	rp_sfw_str(w, doc->title, doc->title ? strlen(doc->title) : 0);
	rp_sfw_str(w, doc->outlet, doc->outlet ? strlen(doc->outlet) : 0);
	rp_sfw_str(w, doc->date, doc->date ? strlen(doc->date) : 0);
	rp_sfw_str(w, doc->source, doc->source ? strlen(doc->source) : 0);
	rp_sfw_u64(w, k->tw->len);
	rp_sfw_u64(w, len);
	rp_sfw_bytes(k->tw, text, len);
	rp_sfw_u8(k->tw, 0);
	rp_sfw_u32(w, (uint32_t)nmap);
	rp_sfw_align(w, 4);
	rp_sfw_bytes(w, map, nmap * sizeof(rp_anchor));
	if (!doc->outlet || !c->ao.boilerplate)
		return RP_OK;
	size_t npl = 0;
	FORWARD_IF_ERROR(rp_page_lines(&k->pl, &npl, &k->cappl, text, len,
				       rp_outlet_salt(doc->outlet)));
	FORWARD_IF_ERROR(RP_GROW(k->e, k->cape, k->ne + npl));
	/* (the document for now: its outlet's number once all are known) */
	for (size_t x = 0; x < npl; x++)
		k->e[k->ne++] = (lent){ k->pl[x].h, (uint32_t)d, k->pl[x].credit };
	return RP_OK;
}

/* The evidence of part i: outlets and their pages, lines (e[0..ne) as
 * read_doc left them), ids. */
static int write_lines(rp_shard *s, rp_corpus *c, unsigned i, unsigned n,
		       lent *e, size_t ne)
{
	const char **names = NULL;
	size_t nnames = 0;
	uint64_t *pages = NULL;
	rp_kv *ids = NULL;
	int err = RP_OK;
	char name[64];
	rp_sfw w;
	memset(&w, 0, sizeof(w));

	names = calloc(c->ndocs + 1, sizeof(*names));
	ids = calloc(c->ndocs + 1, sizeof(*ids));
	GOTO_IF(!names || !ids, RP_ENOMEM);
	for (size_t d = 0; d < c->ndocs; d++)
		if (c->docs[d].outlet)
			names[nnames++] = c->docs[d].outlet;
	sort_any(names, nnames, sizeof(*names), cmp_str);
	size_t k = 0;
	for (size_t x = 0; x < nnames; x++)
		if (!k || strcmp(names[k - 1], names[x]) != 0)
			names[k++] = names[x];
	nnames = k;
	pages = calloc(nnames + 1, sizeof(*pages));
	GOTO_IF(!pages, RP_ENOMEM);
	/* The outlet of each document, by its number among the names. */
	uint32_t *ot = calloc(c->ndocs + 1, sizeof(*ot));
	GOTO_IF(!ot, RP_ENOMEM);
	for (size_t d = 0; d < c->ndocs; d++) {
		const rp_doc *doc = &c->docs[d];
		ids[d] = (rp_kv){ XXH3_64bits(doc->id, strlen(doc->id)), d };
		if (!doc->outlet)
			continue;
		const char **o = bsearch(&doc->outlet, names, nnames,
					 sizeof(*names), cmp_str);
		ot[d] = (uint32_t)(o - names);
		pages[ot[d]]++; /* (pages are counted for chrome only) */
	}
	for (size_t x = 0; x < ne; x++) {
		uint32_t d = e[x].pages;
		e[x].outlet_credit = ot[d] << 1 | e[x].outlet_credit;
		e[x].pages = 1;
	}
	free(ot);
	/* By line, each line's pages in document order (a stable sort: the
	 * first page's outlet is the entry's). */
	lent *et = reallocarray(NULL, ne + 1, sizeof(*et));
	GOTO_IF(!et, RP_ENOMEM);
	sort_lent(e, et, ne);
	free(et);
	k = 0;
	for (size_t x = 0; x < ne; x++) {
		if (k && e[k - 1].h == e[x].h)
			e[k - 1].pages++;
		else
			e[k++] = e[x];
	}
	ne = k;
	/* By hash, then document (the documents come in order: the radix
	 * sort is stable). */
	rp_kv *it = reallocarray(NULL, c->ndocs + 1, sizeof(*it));
	GOTO_IF(!it, RP_ENOMEM);
	rp_sort_kv(ids, it, c->ndocs);
	free(it);

	name_of(name, sizeof(name), "read", i, "lines");
	GOTO_IF_ERROR(wopen(s, &w, name, RP_SF_LINES));
	rp_sfw_u32(&w, i);
	rp_sfw_u32(&w, n);
	rp_sfw_u64(&w, nnames);
	for (size_t x = 0; x < nnames; x++) {
		rp_sfw_str(&w, names[x], strlen(names[x]));
		rp_sfw_u64(&w, pages[x]);
	}
	rp_sfw_align(&w, 8);
	rp_sfw_u64(&w, ne);
	rp_sfw_bytes(&w, e, ne * sizeof(*e));
	rp_sfw_u64(&w, c->ndocs);
	rp_sfw_bytes(&w, ids, c->ndocs * sizeof(*ids));
	err = wclose(s, &w, 1);
cleanup:
	if (err < 0 && w.fp)
		wclose(s, &w, 0);
	free(names);
	free(pages);
	free(ids);
	return err;
}

int rp_shard_read(rp_shard *s, rp_corpus *c, const rp_question *q,
		  const char *const *paths, size_t npaths, unsigned i,
		  unsigned n, const rp_read_options *ro)
{
	RETURN_ERROR_IF(!s || !c || !q || !paths || n == 0 || i >= n,
			RP_EINVAL);
	RETURN_ERROR_IF(c->ndocs || c->nrejects || c->sink, RP_ESTATE);
	char name[64];
	shard_q sq;
	rp_sfw w, tw;
	read_sink k;
	int err = RP_OK;
	memset(&w, 0, sizeof(w));
	memset(&tw, 0, sizeof(tw));
	memset(&k, 0, sizeof(k));
	/* A question the stages do not answer is refused before any work. */
	FORWARD_IF_ERROR(resolve_q(s, c, q, &sq));
	name_of(name, sizeof(name), "read", i, "docs");
	FORWARD_IF_ERROR(wopen(s, &w, name, RP_SF_DOCS));
	name_of(name, sizeof(name), "read", i, "texts");
	GOTO_IF_ERROR(wopen(s, &tw, name, RP_SF_TEXTS));
	rp_sfw_u32(&w, i);
	rp_sfw_u32(&w, n);
	rp_sfw_u32(&tw, i);
	rp_sfw_u32(&tw, n);
	/* The documents go to the files as they are read (read_doc): the
	 * part's texts are never held, only written once. */
	k.w = &w;
	k.tw = &tw;
	c->sink = read_doc;
	c->sink_ud = &k;
	err = rp_corpus_read_part(c, paths, npaths, i, n, ro);
	c->sink = NULL;
	c->sink_ud = NULL;
	if (err == RP_ELIMIT && c->ndocs >= UINT32_MAX / 2 - 1)
		GOTO_IF(1, fail(s, err, "part %u holds too many documents", i));
	GOTO_IF(err < 0, fail(s, err, "reading part %u of %u: %s", i, n,
			      *c->err ? c->err : rp_strerror(err)));
	uint64_t rej_pos = w.len;
	for (size_t x = 0; x < c->nrejects; x++)
		put_reject(&w, &c->rejects[x], c->reject_docs[x]);
	uint64_t skip_pos = w.len;
	for (size_t x = 0; x < c->nskipped; x++) {
		const rp_skipped *sk = &c->skipped[x];
		rp_sfw_str(&w, sk->kind, strlen(sk->kind));
		rp_sfw_u64(&w, sk->files);
		rp_sfw_str(&w, sk->example, strlen(sk->example));
	}
	rp_sfw_align(&w, 8);
	uint64_t table_pos = w.len;
	rp_sfw_bytes(&w, k.offs, c->ndocs * sizeof(*k.offs));
	uint64_t trailer[DOCS_TRAILER] = { c->ndocs, c->nrejects, c->nskipped,
					   c->records_seen, rej_pos, skip_pos,
					   table_pos };
	rp_sfw_bytes(&w, trailer, sizeof(trailer));
	GOTO_IF_ERROR(wclose(s, &tw, 1));
	GOTO_IF_ERROR(wclose(s, &w, 1));
	GOTO_IF_ERROR(write_lines(s, c, i, n, k.e, k.ne));
	err = mark_done(s, "read", i);
cleanup:
	if (err < 0 && w.fp)
		wclose(s, &w, 0);
	if (err < 0 && tw.fp)
		wclose(s, &tw, 0);
	free(k.offs);
	free(k.e);
	free(k.pl);
	return err;
}

/* ---- chrome ---- */

/* One part's evidence, mapped. */
typedef struct lines_file {
	rp_sfr r;
	uint64_t nout, ne, nids;
	const char **names;
	uint64_t *pages;
	const lent *e;
	const rp_kv *ids;
} lines_file;

static void lines_close(lines_file *f)
{
	free(f->names);
	free(f->pages);
	rp_sfr_close(&f->r);
	memset(f, 0, sizeof(*f));
}

static int lines_open(rp_shard *s, lines_file *f, unsigned i, unsigned n)
{
	char name[64];
	memset(f, 0, sizeof(*f));
	name_of(name, sizeof(name), "read", i, "lines");
	FORWARD_IF_ERROR(sopen(s, &f->r, name, RP_SF_LINES));
	unsigned fi = rp_sfr_u32(&f->r), fn = rp_sfr_u32(&f->r);
	f->nout = rp_sfr_u64(&f->r);
	if (f->r.bad || fi != i || fn != n || f->nout > f->r.paylen)
		goto bad;
	f->names = calloc(f->nout + 1, sizeof(*f->names));
	f->pages = calloc(f->nout + 1, sizeof(*f->pages));
	if (!f->names || !f->pages) {
		lines_close(f);
		return RP_ENOMEM;
	}
	for (uint64_t k = 0; k < f->nout; k++) {
		size_t len;
		f->names[k] = rp_sfr_str(&f->r, &len);
		f->pages[k] = rp_sfr_u64(&f->r);
		if (!f->names[k])
			f->r.bad = 1;
	}
	rp_sfr_align(&f->r, 8);
	f->ne = rp_sfr_u64(&f->r);
	f->e = rp_sfr_array(&f->r, f->ne, sizeof(lent));
	f->nids = rp_sfr_u64(&f->r);
	f->ids = rp_sfr_array(&f->r, f->nids, sizeof(rp_kv));
	if (f->r.bad)
		goto bad;
	for (uint64_t k = 0; k < f->ne; k++)
		if ((f->e[k].outlet_credit >> 1) >= f->nout ||
		    (k && f->e[k].h <= f->e[k - 1].h))
			goto bad;
	/* One id entry per document of the part (checked against its
	 * documents file by the chrome stage). */
	for (uint64_t k = 0; k < f->nids; k++)
		if (f->ids[k].val >= f->nids)
			goto bad;
	return RP_OK;
bad:;
	int err = corrupt(s, &f->r);
	lines_close(f);
	return err;
}

/* One outlet of the merged model. */
typedef struct mout {
	const char *name;
	uint64_t pages, top;
} mout;

static int cmp_mout(const void *x, const void *y)
{
	return strcmp(((const mout *)x)->name, ((const mout *)y)->name);
}

/* A document of a later part whose id an earlier part holds. */
typedef struct dup {
	uint32_t part;
	uint64_t doc;
	char *reason;
} dup;

static int cmp_dup(const void *x, const void *y)
{
	const dup *a = x, *b = y;
	if (a->part != b->part)
		return a->part < b->part ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* An id entry of every part: (hash, part << 32 | doc). */
static int find_dups(rp_shard *s, lines_file *lf, docs_file *df, unsigned n,
		     dup **out, size_t *nout)
{
	rp_kv *all = NULL;
	size_t nall = 0, cap = 0, nd = 0, capd = 0;
	dup *d = NULL;
	int err = RP_OK;
	for (unsigned i = 0; i < n; i++) {
		GOTO_IF_ERROR(RP_GROW(all, cap, nall + lf[i].nids + 1));
		for (uint64_t k = 0; k < lf[i].nids; k++)
			all[nall++] = (rp_kv){ lf[i].ids[k].key,
					       (uint64_t)i << 32 | lf[i].ids[k].val };
	}
	sort_any(all, nall, sizeof(*all), cmp_kv);
	for (size_t x = 0; x < nall;) {
		size_t y = x + 1;
		while (y < nall && all[y].key == all[x].key)
			y++;
		/* Equal hashes: the ids compared; each later one equal to an
		 * earlier one of another part is a duplicate of the first. */
		for (size_t b = x + 1; b < y; b++) {
			rp_doc_input ib, ia;
			const rp_anchor *m;
			size_t nm;
			unsigned pb = (unsigned)(all[b].val >> 32);
			GOTO_IF_ERROR(docs_get(s, &df[pb], all[b].val & 0xffffffffu,
					       &ib, &m, &nm));
			char *idb = strndup(ib.id, ib.id_len);
			GOTO_IF(!idb, RP_ENOMEM);
			for (size_t a = x; a < b; a++) {
				unsigned pa = (unsigned)(all[a].val >> 32);
				if (pa == pb)
					continue;
				int e2 = docs_get(s, &df[pa], all[a].val & 0xffffffffu,
						  &ia, &m, &nm);
				if (e2 < 0) {
					free(idb);
					GOTO_IF(1, e2);
				}
				if (ia.id_len != strlen(idb) ||
				    memcmp(ia.id, idb, ia.id_len) != 0)
					continue;
				char reason[1024];
				snprintf(reason, sizeof(reason),
					 "duplicate id (first seen at %s:%zu)",
					 ia.source ? ia.source : "(input)", ia.line);
				if (RP_GROW(d, capd, nd + 1) < 0 ||
				    !(d[nd].reason = strdup(reason))) {
					free(idb);
					GOTO_IF(1, RP_ENOMEM);
				}
				d[nd].part = pb;
				d[nd++].doc = all[b].val & 0xffffffffu;
				break;
			}
			free(idb);
		}
		x = y;
	}
	sort_any(d, nd, sizeof(*d), cmp_dup);
	*out = d;
	*nout = nd;
	d = NULL;
cleanup:
	for (size_t k = 0; d && k < nd; k++)
		free(d[k].reason);
	free(d);
	free(all);
	return err;
}

/* A line of the merged evidence: its hash, pages, outlet name, credit. */
typedef struct mline {
	uint64_t h, pages;
	const char *outlet;
	int credit;
} mline;

static int cmp_mline(const void *x, const void *y)
{
	const mline *a = x, *b = y;
	return a->h < b->h ? -1 : a->h > b->h;
}

/* A binary heap of parts by the hash of their next line (lf[i].e[pos[i]]). */
static int heap_less(const lines_file *lf, const uint64_t *pos, unsigned a,
		     unsigned b)
{
	uint64_t x = lf[a].e[pos[a]].h, y = lf[b].e[pos[b]].h;
	return x < y || (x == y && a < b);
}

static void heap_push(unsigned *heap, size_t *nh, const lines_file *lf,
		      const uint64_t *pos, unsigned i)
{
	size_t k = (*nh)++;
	heap[k] = i;
	while (k && heap_less(lf, pos, heap[k], heap[(k - 1) / 2])) {
		unsigned t = heap[k];
		heap[k] = heap[(k - 1) / 2];
		heap[(k - 1) / 2] = t;
		k = (k - 1) / 2;
	}
}

static void heap_pop(unsigned *heap, size_t *nh, const lines_file *lf,
		     const uint64_t *pos)
{
	heap[0] = heap[--*nh];
	for (size_t k = 0;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;
		if (l < *nh && heap_less(lf, pos, heap[l], heap[m]))
			m = l;
		if (r < *nh && heap_less(lf, pos, heap[r], heap[m]))
			m = r;
		if (m == k)
			break;
		unsigned t = heap[k];
		heap[k] = heap[m];
		heap[m] = t;
		k = m;
	}
}

int rp_shard_chrome(rp_shard *s)
{
	RETURN_ERROR_IF(!s, RP_EINVAL);
	unsigned n;
	FORWARD_IF_ERROR(parts_of(s, "read", "lines", RP_SF_LINES, &n));
	FORWARD_IF_ERROR(stage_done(s, "read", n));
	lines_file *lf = calloc(n, sizeof(*lf));
	docs_file *df = calloc(n, sizeof(*df));
	mout *o = NULL;
	mline *ml = NULL, *sub = NULL;
	dup *dups = NULL;
	unsigned *heap = NULL;
	uint64_t *pos = NULL;
	rp_page_line *pl = NULL;
	size_t no = 0, nml = 0, capml = 0, ndup = 0, nsub = 0, capsub = 0;
	size_t npl = 0, cappl = 0;
	int err = RP_OK;
	uint64_t *base = calloc(n + 1, sizeof(*base));
	rp_sfw w;
	memset(&w, 0, sizeof(w));
	GOTO_IF(!lf || !df || !base, RP_ENOMEM);
	for (unsigned i = 0; i < n; i++) {
		GOTO_IF_ERROR(lines_open(s, &lf[i], i, n));
		GOTO_IF_ERROR(docs_open(s, &df[i], i));
		GOTO_IF(lf[i].nids != df[i].ndocs, corrupt(s, &lf[i].r));
		base[i + 1] = base[i] + df[i].ndocs;
		no += lf[i].nout;
	}
	GOTO_IF(base[n] >= UINT32_MAX - 1, fail(s, RP_ELIMIT, "more than 2^32 "
						  "documents in all"));

	/* 1. Ids held by two parts: the later documents are duplicates, their
	 * pages taken out of the counts below. */
	GOTO_IF_ERROR(find_dups(s, lf, df, n, &dups, &ndup));

	/* 2. Outlets: pages summed over the parts. */
	o = calloc(no + 1, sizeof(*o));
	GOTO_IF(!o, RP_ENOMEM);
	no = 0;
	for (unsigned i = 0; i < n; i++)
		for (uint64_t k = 0; k < lf[i].nout; k++)
			o[no++] = (mout){ lf[i].names[k], lf[i].pages[k], 0 };
	sort_any(o, no, sizeof(*o), cmp_mout);
	size_t k = 0;
	for (size_t x = 0; x < no; x++) {
		if (k && strcmp(o[k - 1].name, o[x].name) == 0)
			o[k - 1].pages += o[x].pages;
		else
			o[k++] = o[x];
	}
	no = k;
	for (size_t x = 0; x < ndup; x++) {
		rp_doc_input in;
		const rp_anchor *m;
		size_t nm;
		GOTO_IF_ERROR(docs_get(s, &df[dups[x].part], dups[x].doc, &in,
				       &m, &nm));
		if (!in.outlet)
			continue;
		mout key = { in.outlet, 0, 0 };
		mout *f = bsearch(&key, o, no, sizeof(*o), cmp_mout);
		if (f && f->pages)
			f->pages--;
		npl = 0;
		GOTO_IF_ERROR(rp_page_lines(&pl, &npl, &cappl, in.text, in.text_len,
					    rp_outlet_salt(in.outlet)));
		GOTO_IF_ERROR(RP_GROW(sub, capsub, nsub + npl));
		for (size_t y = 0; y < npl; y++)
			sub[nsub++] = (mline){ pl[y].h, 1, NULL, 0 };
	}
	sort_any(sub, nsub, sizeof(*sub), cmp_mline);

	/* 3. Lines: pages summed over the parts, less the duplicates': a
	 * merge of the parts' sorted lines (a heap of parts by their next
	 * line), so only the lines kept are held. */
	heap = calloc(n + 1, sizeof(*heap));
	pos = calloc(n + 1, sizeof(*pos));
	GOTO_IF(!heap || !pos, RP_ENOMEM);
	size_t nh = 0;
	for (unsigned i = 0; i < n; i++)
		if (lf[i].ne)
			heap_push(heap, &nh, lf, pos, i);
	for (size_t y = 0; nh;) {
		unsigned i = heap[0];
		const lent *e = &lf[i].e[pos[i]];
		uint64_t h = e->h, pages = 0;
		const char *outlet = lf[i].names[e->outlet_credit >> 1];
		int credit = (int)(e->outlet_credit & 1);
		while (nh && lf[heap[0]].e[pos[heap[0]]].h == h) {
			unsigned t = heap[0];
			pages += lf[t].e[pos[t]].pages;
			heap_pop(heap, &nh, lf, pos);
			if (++pos[t] < lf[t].ne)
				heap_push(heap, &nh, lf, pos, t);
		}
		while (y < nsub && sub[y].h < h)
			y++;
		while (y < nsub && sub[y].h == h && pages) {
			pages--;
			y++;
		}
		/* What chrome learning asks of a line on two pages or more
		 * (a line not kept is on one page: every page asked about is
		 * counted); `top` of the outlet from the lines on three pages
		 * or more that are not credits (boiler.h). */
		if (pages >= 2) {
			GOTO_IF_ERROR(RP_GROW(ml, capml, nml + 1));
			ml[nml++] = (mline){ h, pages, outlet, credit };
		}
		if (pages >= 3 && !credit) {
			mout key = { outlet, 0, 0 };
			mout *f = bsearch(&key, o, no, sizeof(*o), cmp_mout);
			if (f && f->top < pages)
				f->top = pages;
		}
	}
	for (unsigned i = 0; i < n; i++)
		rp_sfr_release(&lf[i].r);

	GOTO_IF_ERROR(wopen(s, &w, "chrome", RP_SF_CHROME));
	rp_sfw_u32(&w, n);
	rp_sfw_align(&w, 8);
	rp_sfw_bytes(&w, base, (n + 1) * sizeof(*base));
	rp_sfw_u64(&w, no);
	for (size_t x = 0; x < no; x++) {
		rp_sfw_str(&w, o[x].name, strlen(o[x].name));
		rp_sfw_u64(&w, o[x].pages);
		rp_sfw_u64(&w, o[x].top);
	}
	rp_sfw_align(&w, 8);
	rp_sfw_u64(&w, nml);
	for (size_t x = 0; x < nml; x++) {
		rp_sfw_u64(&w, ml[x].h);
		rp_sfw_u64(&w, ml[x].pages);
	}
	rp_sfw_u64(&w, ndup);
	for (size_t x = 0; x < ndup; x++) {
		rp_sfw_u32(&w, dups[x].part);
		rp_sfw_u64(&w, dups[x].doc);
		rp_sfw_str(&w, dups[x].reason, strlen(dups[x].reason));
	}
	GOTO_IF_ERROR(wclose(s, &w, 1));
	err = rp_sf_mark(s->dir, "chrome.done", s->err, sizeof(s->err));
cleanup:
	if (err < 0 && w.fp)
		wclose(s, &w, 0);
	for (unsigned i = 0; lf && df && i < n; i++) {
		lines_close(&lf[i]);
		docs_close(&df[i]);
	}
	for (size_t x = 0; x < ndup; x++)
		free(dups[x].reason);
	free(dups);
	free(lf);
	free(df);
	free(base);
	free(o);
	free(ml);
	free(heap);
	free(pos);
	free(sub);
	free(pl);
	return err;
}

/* ---- the merged chrome, as a prior ---- */

typedef struct model {
	rp_sfr r;
	unsigned n;              /* parts */
	const uint64_t *base;    /* n + 1: first document of each part */
	uint64_t nout, nlines, ndup;
	mout *out;               /* sorted by name */
	const uint64_t *lines;   /* (h, pages) pairs, sorted by h */
	dup *dups;               /* sorted by (part, doc); reason in the map */
	size_t cursor;           /* prior_line's last answer, */
	uint64_t last;           /* for this line */
	int asked;
} model;

static void model_close(model *m)
{
	free(m->out);
	free(m->dups);
	rp_sfr_close(&m->r);
	memset(m, 0, sizeof(*m));
}

static int model_open(rp_shard *s, model *m)
{
	memset(m, 0, sizeof(*m));
	if (!rp_sf_exists(s->dir, "chrome.done"))
		return fail(s, RP_EINPUT, "%s: stage chrome has not finished "
			    "(no chrome.done)", s->dir);
	FORWARD_IF_ERROR(sopen(s, &m->r, "chrome", RP_SF_CHROME));
	m->n = rp_sfr_u32(&m->r);
	rp_sfr_align(&m->r, 8);
	m->base = rp_sfr_array(&m->r, (uint64_t)m->n + 1, 8);
	m->nout = rp_sfr_u64(&m->r);
	if (m->r.bad || m->n == 0 || m->nout > m->r.paylen)
		goto bad;
	m->out = calloc(m->nout + 1, sizeof(*m->out));
	if (!m->out) {
		model_close(m);
		return RP_ENOMEM;
	}
	for (uint64_t k = 0; k < m->nout; k++) {
		size_t len;
		m->out[k].name = rp_sfr_str(&m->r, &len);
		m->out[k].pages = rp_sfr_u64(&m->r);
		m->out[k].top = rp_sfr_u64(&m->r);
		if (!m->out[k].name || (k && strcmp(m->out[k - 1].name,
						    m->out[k].name) >= 0))
			m->r.bad = 1;
		if (m->r.bad)
			goto bad;
	}
	rp_sfr_align(&m->r, 8);
	m->nlines = rp_sfr_u64(&m->r);
	m->lines = rp_sfr_array(&m->r, m->nlines, 16);
	m->ndup = rp_sfr_u64(&m->r);
	if (m->r.bad || m->ndup > m->r.paylen)
		goto bad;
	m->dups = calloc(m->ndup + 1, sizeof(*m->dups));
	if (!m->dups) {
		model_close(m);
		return RP_ENOMEM;
	}
	for (uint64_t k = 0; k < m->ndup; k++) {
		size_t len;
		m->dups[k].part = rp_sfr_u32(&m->r);
		m->dups[k].doc = rp_sfr_u64(&m->r);
		m->dups[k].reason = (char *)rp_sfr_str(&m->r, &len);
		if (m->r.bad || !m->dups[k].reason || m->dups[k].part >= m->n)
			goto bad;
	}
	for (unsigned i = 0; i < m->n; i++)
		if (m->base[i] > m->base[i + 1])
			goto bad;
	if (m->base[0] != 0 || m->base[m->n] >= UINT32_MAX - 1)
		goto bad;
	return RP_OK;
bad:;
	int err = corrupt(s, &m->r);
	model_close(m);
	return err;
}

/* Is document doc of part i a duplicate (its reason, else NULL)? */
static const char *model_dup(const model *m, unsigned i, uint64_t doc)
{
	size_t lo = 0, hi = m->ndup;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const dup *d = &m->dups[mid];
		if (d->part < i || (d->part == i && d->doc < doc))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->ndup && m->dups[lo].part == i && m->dups[lo].doc == doc
		       ? m->dups[lo].reason : NULL;
}

static int prior_outlet(void *ctx, const char *name, size_t *pages,
			size_t *top)
{
	const model *m = ctx;
	mout key = { name, 0, 0 };
	const mout *f = bsearch(&key, m->out, m->nout, sizeof(*m->out), cmp_mout);
	*pages = f ? (size_t)f->pages : 0;
	*top = f ? (size_t)f->top : 0;
	return RP_OK;
}

static int prior_line(void *ctx, const char *name, uint64_t h, size_t *pages)
{
	model *m = ctx;
	(void)name; /* (the hash is salted by the outlet's name) */
	size_t lo = 0, hi = m->nlines;
	/* Chrome learning asks its lines in ascending order (it walks its
	 * sorted table): from the last answer a gallop reads a few entries
	 * near it, where a search of the whole model (millions of lines)
	 * misses the cache at every step. Any order gets the same answer. */
	if (m->asked && h >= m->last) {
		size_t step = 1;
		lo = hi = m->cursor;
		while (hi < m->nlines && m->lines[2 * hi] < h) {
			lo = hi + 1;
			hi = lo + step;
			step *= 2;
		}
		hi = RP_MIN(hi, (size_t)m->nlines);
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->lines[2 * mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	m->cursor = lo;
	m->last = h;
	m->asked = 1;
	/* Every page asked about is counted in the model: a line it does
	 * not keep is on this one page. */
	*pages = lo < m->nlines && m->lines[2 * lo] == h
			 ? (size_t)m->lines[2 * lo + 1] : 1;
	return RP_OK;
}

/* ---- sign ---- */

int rp_shard_sign(rp_shard *s, rp_corpus *c, const rp_question *qin,
		  unsigned i)
{
	RETURN_ERROR_IF(!s || !c || !qin, RP_EINVAL);
	model m;
	docs_file df;
	shard_q sq;
	uint32_t *glob = NULL;
	uint8_t *counted = NULL;
	uint64_t *kb = NULL;
	rp_kv *kv = NULL, *kt = NULL;
	rp_fp *fp = NULL;
	rp_kv *fkv = NULL;
	size_t nfp = 0, capfp = 0, capfkv = 0;
	char name[64];
	int err = RP_OK;
	rp_sfw w;
	memset(&w, 0, sizeof(w));
	memset(&df, 0, sizeof(df));
	FORWARD_IF_ERROR(model_open(s, &m));
	GOTO_IF(i >= m.n, fail(s, RP_EINVAL, "part %u of a run of %u parts", i,
			       m.n));
	GOTO_IF_ERROR(resolve_q(s, c, qin, &sq));
	GOTO_IF_ERROR(docs_open(s, &df, i));
	GOTO_IF_ERROR(docs_lend(&df, c));
	/* (the analysis reads the texts, after the pages touched here were
	 * let go: not touched here) */
	df.fields_only = RP_SFR_BUFFERED | RP_SFR_AHEAD;
	GOTO_IF(df.ndocs != m.base[i + 1] - m.base[i], corrupt(s, &df.r));
	glob = calloc(df.ndocs + 1, sizeof(*glob));
	GOTO_IF(!glob, RP_ENOMEM);
	for (uint64_t d = 0; d < df.ndocs; d++) {
		if (model_dup(&m, i, d))
			continue;
		glob[c->ndocs] = (uint32_t)(m.base[i] + d);
		GOTO_IF_ERROR(docs_add(s, &df, d, c));
	}
	size_t nd = c->ndocs, rej0 = c->nrejects;
	counted = malloc(nd + 1);
	GOTO_IF(!counted, RP_ENOMEM);
	memset(counted, 1, nd + 1);

	/* The analysis scan runs, with the whole collection's chrome: band
	 * keys of the question's banding, fingerprints of its window. */
	/* (the model counts every page, and keeps every line on two
	 * pages or more: the others need not be in the line table) */
	rp_boiler_prior prior = { prior_outlet, prior_line, counted, &m,
				  m.lines, (size_t)m.nlines, 2 };
	rp_need need = { 1, sq.w, 0, sq.bands, sq.rows };
	rp_work wk;
	memset(&wk, 0, sizeof(wk));
	c->prior = &prior;
	err = rp_analysis_ensure(c, &need, &wk);
	c->prior = NULL;
	GOTO_IF(err < 0, fail(s, err, "%s", *c->err ? c->err : rp_strerror(err)));
	rp_analysis *an = c->an;

	/* Band keys: per band, (key, document) sorted by key (a stable
	 * sort: documents ascending within a key). */
	name_of(name, sizeof(name), "sign", i, "keys");
	GOTO_IF_ERROR(wopen(s, &w, name, RP_SF_KEYS));
	rp_sfw_u32(&w, i);
	rp_sfw_u32(&w, m.n);
	rp_sfw_u32(&w, sq.bands);
	rp_sfw_align(&w, 8);
	kv = calloc(nd + 1, sizeof(*kv));
	kt = calloc(nd + 1, sizeof(*kt));
	kb = calloc(nd + 1, sizeof(*kb));
	GOTO_IF(!kv || !kt || !kb, RP_ENOMEM);
	for (unsigned b = 0; b < sq.bands; b++) {
		const uint64_t *k = kb;
		if (an->kspill)
			GOTO_IF_ERROR(rp_corpus_temp_error(
				c, rp_keyspill_band(an->kspill, b, kb)));
		else
			k = an->keys + (size_t)b * nd;
		size_t n = 0;
		for (size_t d = 0; d < nd; d++)
			if (an->active[d])
				kv[n++] = (rp_kv){ k[d], glob[d] };
		rp_sort_kv(kv, kt, n);
		rp_sfw_u64(&w, n);
		rp_sfw_bytes(&w, kv, n * sizeof(*kv));
	}
	GOTO_IF_ERROR(wclose(s, &w, 1));

	/* Fingerprints, sorted by (hash, document, position): the
	 * analysis's, a part of the hash space at a time (parts are by the
	 * hash's top bits, so in hash order). */
	name_of(name, sizeof(name), "sign", i, "fps");
	GOTO_IF_ERROR(wopen(s, &w, name, RP_SF_FPS));
	rp_sfw_u32(&w, i);
	rp_sfw_u32(&w, m.n);
	uint64_t total = 0;
	unsigned bits = 0;
	for (unsigned t = 0; an->pend_fbuf && t < RP_MAX_THREADS; t++)
		if (an->pend_fbuf[t].part)
			bits = an->pend_fbuf[t].bits;
	for (size_t part = 0; an->pend_fbuf && part < ((size_t)1 << bits);
	     part++) {
		nfp = 0;
		GOTO_IF_ERROR(rp_corpus_temp_error(
			c, rp_fpbuf_unpack_part(&fp, &nfp, &capfp, an->pend_fbuf,
						RP_MAX_THREADS, part)));
		/* A document's fingerprints are together and in position
		 * order: a stable sort by (hash, document) orders them by
		 * (hash, document, position), whatever the threads. When the
		 * documents come in order too (one thread), a stable sort by
		 * the hash alone gives that order: half the passes, over
		 * the fingerprints themselves. (glob is increasing, so the
		 * order by document is the order by collection number.) */
		size_t x = 1;
		while (x < nfp && (fp[x].doc > fp[x - 1].doc ||
				   (fp[x].doc == fp[x - 1].doc &&
				    fp[x].pos >= fp[x - 1].pos)))
			x++;
		if (x >= nfp) {
			/* (the sort's scratch: nfp fingerprints, in fkv) */
			GOTO_IF_ERROR(RP_GROW(fkv, capfkv, nfp + 1));
			sort_fp_hash(fp, (rp_fp *)fkv, nfp);
			for (x = 0; x < nfp; x++)
				fp[x].doc = glob[fp[x].doc];
		} else {
			GOTO_IF_ERROR(RP_GROW(fkv, capfkv, 2 * nfp + 1));
			for (x = 0; x < nfp; x++)
				fkv[x] = (rp_kv){ (uint64_t)fp[x].h << 32 |
							  glob[fp[x].doc],
						  fp[x].pos };
			rp_sort_kv(fkv, fkv + nfp, nfp);
			for (x = 0; x < nfp; x++)
				fp[x] = (rp_fp){ (uint32_t)(fkv[x].key >> 32),
						 (uint32_t)fkv[x].key,
						 (uint32_t)fkv[x].val };
		}
		rp_sfw_bytes(&w, fp, nfp * sizeof(*fp));
		total += nfp;
	}
	rp_sfw_u64(&w, total);
	GOTO_IF_ERROR(wclose(s, &w, 1));

	/* Which documents have words and are character texts, and what of
	 * each is left out (chrome, datelines, credits); the base pass's
	 * rejects. */
	name_of(name, sizeof(name), "sign", i, "flags");
	GOTO_IF_ERROR(wopen(s, &w, name, RP_SF_FLAGS));
	rp_sfw_u32(&w, i);
	rp_sfw_u32(&w, m.n);
	rp_sfw_u64(&w, nd);
	for (size_t d = 0; d < nd; d++) {
		rp_sfw_u32(&w, glob[d]);
		rp_sfw_u8(&w, (uint8_t)(an->active[d] | an->chars[d] << 1));
		size_t a = an->boil.off ? an->boil.off[d] : 0;
		size_t z = an->boil.off ? an->boil.off[d + 1] : 0;
		rp_sfw_u32(&w, (uint32_t)(z - a));
		rp_sfw_align(&w, 4);
		if (z > a)
			rp_sfw_bytes(&w, an->boil.spans + a, (z - a) * sizeof(rp_span));
	}
	rp_sfw_u64(&w, c->nrejects - rej0);
	for (size_t x = rej0; x < c->nrejects; x++)
		put_reject(&w, &c->rejects[x], 0);
	rp_sfw_u64(&w, an->shingles);
	GOTO_IF_ERROR(wclose(s, &w, 1));
	err = mark_done(s, "sign", i);
cleanup:
	if (err < 0 && w.fp)
		wclose(s, &w, 0);
	docs_close(&df);
	model_close(&m);
	free(glob);
	free(counted);
	free(kv);
	free(kt);
	free(kb);
	free(fp);
	free(fkv);
	return err;
}

/* ---- pairs ---- */

/* The keys file of part j, at band b's entries. */
static int keys_band(rp_shard *s, rp_sfr *r, unsigned j, unsigned nb,
		     unsigned b, const model *m, const rp_kv **kv, uint64_t *n)
{
	rp_sfr_seek(r, 0);
	unsigned fi = rp_sfr_u32(r);
	rp_sfr_u32(r);
	*kv = NULL;
	*n = 0;
	if (fi != j || rp_sfr_u32(r) != nb)
		return fail(s, RP_EINPUT, "%s: made for another banding or part",
			    r->path);
	rp_sfr_align(r, 8);
	for (unsigned x = 0; x <= b; x++) {
		*n = rp_sfr_u64(r);
		*kv = rp_sfr_array(r, *n, sizeof(rp_kv));
	}
	/* The part's own documents only, sorted by key (merged as runs). */
	for (uint64_t x = 0; !r->bad && x < *n; x++)
		if ((*kv)[x].val < m->base[j] || (*kv)[x].val >= m->base[j + 1] ||
		    (x && (*kv)[x].key < (*kv)[x - 1].key))
			r->bad = 1;
	return r->bad ? corrupt(s, r) : RP_OK;
}

#define KEY_KV(x) ((x).key)
#define KEY_FP(x) ((x).h)
RP_DEFINE_MERGE(merge_kv, rp_kv, KEY_KV)
RP_DEFINE_MERGE(merge_fp, rp_fp, KEY_FP)

/* The first fingerprint of fp[0..n) with hash >= h. */
static size_t fp_lower(const rp_fp *fp, size_t n, uint64_t h)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fp[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entries of the postings of fp[0..nfp) (fingerprints of whole
 * postings, grouped by hash, each part's in its order), written to w:
 * each posting within the cap gives every pair of its entries of two
 * documents a (diagonal, position) entry, as rp_contain_candidates does. */
static void postings(rp_sfw *w, const rp_fp *fp, size_t nfp, uint64_t *nent,
		     size_t *skipped, size_t *lpost)
{
	for (size_t x = 0; x < nfp;) {
		size_t y = x + 1;
		while (y < nfp && fp[y].h == fp[x].h)
			y++;
		size_t mm = y - x;
		*lpost = RP_MAX(*lpost, mm);
		*skipped += mm > RP_PASSAGE_POSTING_CAP;
		if (mm <= RP_PASSAGE_POSTING_CAP && mm >= 2)
			for (size_t p = x; p < y; p++)
				for (size_t q = p + 1; q < y; q++) {
					const rp_fp *fa = &fp[p], *fb = &fp[q];
					if (fa->doc == fb->doc)
						continue;
					if (fa->doc > fb->doc) {
						const rp_fp *t = fa;
						fa = fb;
						fb = t;
					}
					uint32_t diag = fa->pos - fb->pos;
					rp_kv ent = { RP_PAIR(fa->doc, fb->doc),
						      (uint64_t)diag << 32 | fa->pos };
					rp_sfw_bytes(w, &ent, sizeof(ent));
					(*nent)++;
				}
		x = y;
	}
}

int rp_shard_pairs(rp_shard *s, rp_corpus *c, const rp_question *qin,
		   unsigned i, unsigned n)
{
	RETURN_ERROR_IF(!s || !c || !qin || n == 0 || i >= n, RP_EINVAL);
	model m;
	shard_q sq;
	rp_sfr *kr = NULL, *fr = NULL;
	rp_kv *kv = NULL, *kt = NULL;
	uint64_t *pairs = NULL;
	rp_fp *fp = NULL, *ft = NULL;
	const rp_kv **kruns = NULL;  /* each part's run of a band */
	const rp_fp **fruns = NULL;  /* each part's slice of fingerprints */
	size_t *lens = NULL;
	size_t np = 0, capp = 0, nkv = 0, capkv = 0, capkt = 0, nfp = 0;
	size_t capfp = 0, capft = 0;
	size_t oversized = 0, largest = 0;
	char name[64];
	int err = RP_OK;
	rp_sfw w;
	memset(&w, 0, sizeof(w));
	FORWARD_IF_ERROR(model_open(s, &m));
	GOTO_IF_ERROR(resolve_q(s, c, qin, &sq));
	GOTO_IF_ERROR(stage_done(s, "sign", m.n));
	kr = calloc(m.n, sizeof(*kr));
	fr = calloc(m.n, sizeof(*fr));
	kruns = calloc(m.n, sizeof(*kruns));
	fruns = calloc(m.n, sizeof(*fruns));
	lens = calloc(m.n, sizeof(*lens));
	GOTO_IF(!kr || !fr || !kruns || !fruns || !lens, RP_ENOMEM);
	for (unsigned j = 0; j < m.n; j++) {
		name_of(name, sizeof(name), "sign", j, "keys");
		GOTO_IF_ERROR(sopen(s, &kr[j], name, RP_SF_KEYS));
		name_of(name, sizeof(name), "sign", j, "fps");
		GOTO_IF_ERROR(sopen(s, &fr[j], name, RP_SF_FPS));
	}
	rp_sfr_seek(&kr[0], 8);
	unsigned nb = rp_sfr_u32(&kr[0]);
	GOTO_IF(kr[0].bad || nb != sq.bands, corrupt(s, &kr[0]));

	/* 1. Bands [nb i / n, nb (i + 1) / n): each band's runs of equal
	 * keys over every part, as scan's banding makes pairs of them. */
	unsigned b0 = (unsigned)((uint64_t)nb * i / n);
	unsigned b1 = (unsigned)((uint64_t)nb * (i + 1) / n);
	size_t cap = sq.q.bucket_cap;
	for (unsigned b = b0; b < b1; b++) {
		nkv = 0;
		for (unsigned j = 0; j < m.n; j++) {
			const rp_kv *e = NULL;
			uint64_t ne = 0;
			GOTO_IF_ERROR(keys_band(s, &kr[j], j, nb, b, &m, &e, &ne));
			kruns[j] = e;
			lens[j] = (size_t)ne;
			nkv += (size_t)ne;
		}
		/* The parts' runs are sorted by key, in document order within
		 * a key, and the parts in document order: merged stably, each
		 * key's documents stay in order (a stable sort's result). */
		GOTO_IF_ERROR(RP_GROW(kv, capkv, nkv + 1));
		GOTO_IF_ERROR(RP_GROW(kt, capkt, nkv + 1));
		merge_kv(kv, kt, kruns, lens, m.n);
		GOTO_IF_ERROR(rp_pairs_of_runs(&pairs, &np, &capp, kv, nkv, cap,
					       &oversized, &largest));
		for (unsigned j = 0; j < m.n; j++)
			rp_sfr_release(&kr[j]);
	}
	GOTO_IF_ERROR(sort_unique(pairs, &np));
	name_of(name, sizeof(name), "pairs", i, "cands");
	GOTO_IF_ERROR(wopen(s, &w, name, RP_SF_CANDS));
	rp_sfw_u32(&w, i);
	rp_sfw_u32(&w, n);
	rp_sfw_u64(&w, oversized);
	rp_sfw_u64(&w, largest);
	rp_sfw_u64(&w, np);
	rp_sfw_bytes(&w, pairs, np * sizeof(*pairs));
	GOTO_IF_ERROR(wclose(s, &w, 1));

	/* 2. Fingerprints with hashes in [2^32 i / n, 2^32 (i + 1) / n):
	 * each posting within the cap gives every pair of its entries of
	 * two documents a (diagonal, position) entry, as
	 * rp_contain_candidates does; written as they come (verify sorts
	 * each share). */
	uint64_t h0 = ((uint64_t)1 << 32) * i / n;
	uint64_t h1 = ((uint64_t)1 << 32) * (i + 1) / n;
	size_t skipped = 0, lpost = 0;
	name_of(name, sizeof(name), "pairs", i, "pents");
	GOTO_IF_ERROR(wopen(s, &w, name, RP_SF_PENTS));
	rp_sfw_u32(&w, i);
	rp_sfw_u32(&w, n);
	uint64_t nent = 0, inrange = 0;
	const rp_fp **all = calloc(m.n, sizeof(*all));
	uint64_t *cnts = calloc(m.n, sizeof(*cnts));
	GOTO_IF(!all || !cnts, (free(all), free(cnts), RP_ENOMEM));
	for (unsigned j = 0; j < m.n; j++) {
		/* (i, n, the fingerprints, their count) */
		rp_sfr_seek(&fr[j], fr[j].paylen >= 16 ? fr[j].paylen - 8 : 0);
		cnts[j] = rp_sfr_u64(&fr[j]);
		rp_sfr_seek(&fr[j], 8);
		/* Sorted by hash: this task's range is found by binary search
		 * and only its blocks are read and checked (every task reads
		 * every part's file; the ranges cover it). */
		all[j] = rp_sfr_array_unchecked(&fr[j], cnts[j], sizeof(rp_fp));
		if (fr[j].bad || fr[j].paylen != 16 + cnts[j] * sizeof(rp_fp)) {
			free(all);
			free(cnts);
			GOTO_IF(1, corrupt(s, &fr[j]));
		}
		inrange += fp_lower(all[j], cnts[j], h1) - fp_lower(all[j], cnts[j], h0);
	}
	/* The range in slices of the hash space whose fingerprints (12
	 * bytes, and 12 to merge them) take half of the memory bound. */
	uint64_t per = c->memory ? RP_MAX(c->memory / 2 / 24, (size_t)1 << 16)
				 : UINT64_MAX;
	uint64_t slices = inrange / per + 1;
	for (uint64_t sl = 0; sl < slices && err == RP_OK; sl++) {
		uint64_t s0 = h0 + (h1 - h0) * sl / slices;
		uint64_t s1 = h0 + (h1 - h0) * (sl + 1) / slices;
		nfp = 0;
		for (unsigned j = 0; j < m.n && err == RP_OK; j++) {
			size_t a = fp_lower(all[j], cnts[j], s0);
			size_t e = fp_lower(all[j], cnts[j], s1);
			/* The slice's blocks checked; sorted by hash, in this
			 * slice, the part's own documents only. */
			const rp_fp *f = all[j];
			if (!rp_sfr_check(&fr[j], f + a, (e - a) * sizeof(*f)))
				err = corrupt(s, &fr[j]);
			for (size_t x = a; err == RP_OK && x < e; x++)
				if ((x > a && f[x].h < f[x - 1].h) || f[x].h < s0 ||
				    f[x].h >= s1 || f[x].doc < m.base[j] ||
				    f[x].doc >= m.base[j + 1]) {
					fr[j].bad = 1;
					err = corrupt(s, &fr[j]);
				}
			fruns[j] = f + a;
			lens[j] = e - a;
			nfp += e - a;
		}
		if (err == RP_OK && (err = RP_GROW(fp, capfp, nfp + 1)) == RP_OK)
			err = RP_GROW(ft, capft, nfp + 1);
		if (err == RP_OK) {
			/* Grouped by hash, each part's in its order: the
			 * entries come in one order whatever ran before. */
			merge_fp(fp, ft, fruns, lens, m.n);
			postings(&w, fp, nfp, &nent, &skipped, &lpost);
		}
		for (unsigned j = 0; j < m.n; j++)
			rp_sfr_release(&fr[j]);
	}
	free(all);
	free(cnts);
	GOTO_IF_ERROR(err);
	/* The trailer: counts (entries, skipped postings, the largest). */
	rp_sfw_u64(&w, nent);
	rp_sfw_u64(&w, skipped);
	rp_sfw_u64(&w, lpost);
	GOTO_IF_ERROR(wclose(s, &w, 1));
	err = mark_done(s, "pairs", i);
cleanup:
	if (err < 0 && w.fp)
		wclose(s, &w, 0);
	for (unsigned j = 0; j < m.n && kr && fr; j++) {
		rp_sfr_close(&kr[j]);
		rp_sfr_close(&fr[j]);
	}
	free(kr);
	free(fr);
	free(kruns);
	free(fruns);
	free(lens);
	free(kv);
	free(kt);
	free(pairs);
	free(fp);
	free(ft);
	model_close(&m);
	return err;
}

/* ---- verify ---- */

/* Counters of the verified share carried to finish. */
enum { VC_CANDIDATES, VC_CONTAIN, VC_FILTERED, VC_TEMPLATES, VC_OVERSIZED,
       VC_LARGEST, VC_COMMON, VC_POSTING, VC_N };

/* The verify task of a pair: its first document's block of 1024
 * (contiguous documents), blocks dealt out by hash - a task then reads
 * each document it verifies as a pair's first in one place, and shares
 * stay even whatever the order of the collection. */
static unsigned share_of(uint64_t pair, unsigned n)
{
	uint64_t block = RP_PAIR_A(pair) >> 10;
	return (unsigned)(XXH3_64bits(&block, sizeof(block)) % n);
}

/* The pass of a pair inside its share, under a memory bound. */
static uint64_t pass_of(uint64_t pair, uint64_t passes)
{
	return XXH3_64bits(&pair, sizeof(pair)) % passes;
}

/* Open pairs task j's entries file (of np tasks), checked: *e, *body
 * entries; its counters added to vc. */
static int pents_open(rp_shard *s, rp_sfr *r1, unsigned j, unsigned np,
		      const rp_kv **e, uint64_t *body, uint64_t *vc)
{
	char name[64];
	name_of(name, sizeof(name), "pairs", j, "pents");
	FORWARD_IF_ERROR(sopen(s, r1, name, RP_SF_PENTS));
	unsigned fj = rp_sfr_u32(r1), fn = rp_sfr_u32(r1);
	*body = r1->paylen >= 32 ? (r1->paylen - 32) / sizeof(rp_kv) : 0;
	*e = rp_sfr_array(r1, *body, sizeof(rp_kv));
	uint64_t cnt = rp_sfr_u64(r1);
	vc[VC_COMMON] += rp_sfr_u64(r1);
	uint64_t big = rp_sfr_u64(r1);
	vc[VC_POSTING] = RP_MAX(vc[VC_POSTING], big);
	if (r1->bad || fj != j || fn != np || cnt != *body ||
	    r1->paylen != 32 + *body * sizeof(rp_kv))
		r1->bad = 1;
	for (uint64_t x = 0; x < *body && !r1->bad; x++)
		if (RP_PAIR_A((*e)[x].key) >= RP_PAIR_B((*e)[x].key))
			r1->bad = 1;
	if (r1->bad) {
		int err = corrupt(s, r1);
		rp_sfr_close(r1);
		return err;
	}
	return RP_OK;
}

/* Part and document of global document g. */
static unsigned part_of_doc(const model *m, uint64_t g, uint64_t *doc)
{
	size_t lo = 0, hi = m->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (m->base[mid] <= g)
			lo = mid;
		else
			hi = mid;
	}
	*doc = g - m->base[lo];
	return (unsigned)lo;
}

/* The analysis of c, whose documents are need[0..nneed) (collection
 * numbers, ascending), from the sign stage's flags files. */
static int given_analysis(rp_shard *s, const model *m, rp_corpus *c,
			  const uint64_t *need, size_t nneed)
{
	uint8_t *active = calloc(nneed + 1, 1), *chars = calloc(nneed + 1, 1);
	size_t *off = calloc(nneed + 1, sizeof(*off));
	rp_span *sp = NULL;
	size_t nsp = 0, capsp = 0, k = 0;
	char name[64];
	int err = RP_OK;
	GOTO_IF(!active || !chars || !off, RP_ENOMEM);
	err = rp_corpus_texts_ready(c);
	GOTO_IF(err < 0, fail(s, err, "%s", c->err));
	for (unsigned j = 0; j < m->n && k < nneed; j++) {
		if (need[k] >= m->base[j + 1])
			continue;
		rp_sfr fr;
		name_of(name, sizeof(name), "sign", j, "flags");
		GOTO_IF_ERROR(sopen(s, &fr, name, RP_SF_FLAGS));
		rp_sfr_u32(&fr);
		rp_sfr_u32(&fr);
		uint64_t nd = rp_sfr_u64(&fr);
		for (uint64_t x = 0; x < nd && k < nneed && !fr.bad; x++) {
			uint32_t g = rp_sfr_u32(&fr);
			uint8_t fl = rp_sfr_u8(&fr);
			uint32_t ns = rp_sfr_u32(&fr);
			rp_sfr_align(&fr, 4);
			const rp_span *z = rp_sfr_array(&fr, ns, sizeof(rp_span));
			if (g != need[k])
				continue;
			/* What is left out must lie inside the text, in order. */
			size_t tl = c->docs[k].text_len;
			for (uint32_t y = 0; z && y < ns; y++)
				if (z[y].start > z[y].end || z[y].end > tl ||
				    (y && z[y].start < z[y - 1].end))
					fr.bad = 1;
			if (fr.bad)
				break;
			active[k] = fl & 1;
			chars[k] = (fl >> 1) & 1;
			if (ns && (err = RP_GROW(sp, capsp, nsp + ns)) < 0) {
				rp_sfr_close(&fr);
				goto cleanup;
			}
			if (ns)
				memcpy(sp + nsp, z, ns * sizeof(*z));
			nsp += ns;
			off[++k] = nsp;
		}
		int bad = fr.bad;
		if (bad)
			err = corrupt(s, &fr);
		rp_sfr_close(&fr);
		GOTO_IF_ERROR(err);
	}
	GOTO_IF(k != nneed, fail(s, RP_EINPUT, "%s: the sign stage's files do not "
				   "hold every document of the candidates",
				   s->dir));
	err = rp_analysis_given(c, active, chars, sp, off);
	sp = NULL;
	off = NULL;
cleanup:
	free(active);
	free(chars);
	free(off);
	free(sp);
	return err;
}


int rp_shard_verify(rp_shard *s, rp_corpus *c, const rp_question *qin,
		    unsigned i, unsigned n)
{
	RETURN_ERROR_IF(!s || !c || !qin || n == 0 || i >= n, RP_EINVAL);
	model m;
	shard_q sq;
	docs_file *df = NULL;
	uint64_t *cand = NULL, *pcand = NULL, *need = NULL, *v = NULL;
	rp_kv *ent = NULL;
	rp_result *r = NULL;
	size_t ncand = 0, capc = 0, npc = 0, cappc = 0, nent = 0, capent = 0;
	size_t capv = 0, nneed = 0;
	uint64_t inshare = 0, *pbody = NULL;
	rp_sfr *pr = NULL;              /* the pairs tasks' entries files */
	const rp_kv **pe = NULL;
	uint64_t vc[VC_N] = { 0 };
	unsigned np = 0;
	char name[64];
	int err = RP_OK;
	rp_sfw w;
	memset(&w, 0, sizeof(w));
	FORWARD_IF_ERROR(model_open(s, &m));
	GOTO_IF_ERROR(resolve_q(s, c, qin, &sq));
	GOTO_IF_ERROR(parts_of(s, "pairs", "cands", RP_SF_CANDS, &np));
	GOTO_IF_ERROR(stage_done(s, "pairs", np));
	pr = calloc(np, sizeof(*pr));
	pe = calloc(np, sizeof(*pe));
	pbody = calloc(np, sizeof(*pbody));
	GOTO_IF(!pr || !pe || !pbody, RP_ENOMEM);
	uint64_t per = c->memory ? RP_MAX(c->memory / 2 / 32, (size_t)1 << 16)
				 : UINT64_MAX;

	/* 1. This share's candidates and passage entries, from every task
	 * of the pairs stage. */
	for (unsigned j = 0; j < np; j++) {
		rp_sfr r1;
		name_of(name, sizeof(name), "pairs", j, "cands");
		GOTO_IF_ERROR(sopen(s, &r1, name, RP_SF_CANDS));
		unsigned fj = rp_sfr_u32(&r1), fn = rp_sfr_u32(&r1);
		vc[VC_OVERSIZED] += rp_sfr_u64(&r1);
		uint64_t big = rp_sfr_u64(&r1);
		vc[VC_LARGEST] = RP_MAX(vc[VC_LARGEST], big);
		uint64_t cnt = rp_sfr_u64(&r1);
		const uint64_t *p = rp_sfr_array(&r1, cnt, 8);
		if (r1.bad || fj != j || fn != np) {
			err = corrupt(s, &r1);
			rp_sfr_close(&r1);
			goto cleanup;
		}
		for (uint64_t x = 0; x < cnt && !r1.bad; x++)
			if (RP_PAIR_A(p[x]) >= RP_PAIR_B(p[x]))
				r1.bad = 1;
		if (r1.bad) {
			err = corrupt(s, &r1);
			rp_sfr_close(&r1);
			goto cleanup;
		}
		for (uint64_t x = 0; x < cnt; x++)
			if (share_of(p[x], n) == i) {
				err = RP_GROW(cand, capc, ncand + 1);
				if (err < 0) {
					rp_sfr_close(&r1);
					goto cleanup;
				}
				cand[ncand++] = p[x];
			}
		rp_sfr_close(&r1);
		/* The entries file: checked, its share counted and gathered
		 * while the share fits one pass (below); kept open for more
		 * passes. */
		GOTO_IF_ERROR(pents_open(s, &pr[j], j, np, &pe[j], &pbody[j], vc));
		for (uint64_t x = 0; x < pbody[j]; x++) {
			if (share_of(pe[j][x].key, n) != i)
				continue;
			if (inshare++ < per) {
				GOTO_IF_ERROR(RP_GROW(ent, capent, nent + 1));
				ent[nent++] = pe[j][x];
			}
		}
		rp_sfr_release(&pr[j]);
	}
	GOTO_IF_ERROR(sort_unique(cand, &ncand));
	/* Passage candidates: a pair's entries of every posting, by the rule
	 * rp_contain_candidates applies; in passes over sub-shares whose
	 * entries (16 bytes, and 16 to sort them) take half of the memory
	 * bound (one pass: gathered above). */
	uint64_t passes = inshare / per + 1;
	for (uint64_t pass = 0; pass < passes; pass++) {
		if (passes > 1) { /* this pass's entries, gathered again */
			nent = 0;
			for (unsigned j = 0; j < np; j++) {
				const rp_kv *e = pe[j];
				for (uint64_t x = 0; x < pbody[j]; x++) {
					if (share_of(e[x].key, n) != i ||
					    pass_of(e[x].key, passes) != pass)
						continue;
					GOTO_IF_ERROR(RP_GROW(ent, capent, nent + 1));
					ent[nent++] = e[x];
				}
				rp_sfr_release(&pr[j]);
			}
		}
		rp_kv *t = reallocarray(NULL, nent + 1, sizeof(*t));
		GOTO_IF(!t, RP_ENOMEM);
		rp_sort_kv(ent, t, nent);
		free(t);
		GOTO_IF_ERROR(rp_diagonal_pairs(&pcand, &npc, &cappc, &v, &capv,
						ent, nent, sq.w));
	}
	free(ent);
	ent = NULL;
	for (unsigned j = 0; j < np; j++)
		rp_sfr_close(&pr[j]);
	/* (the passes' candidates are distinct: a pair is in one pass) */
	if (passes > 1)
		GOTO_IF_ERROR(sort_unique(pcand, &npc));
	/* Every candidate: banding's and the passages'. */
	GOTO_IF_ERROR(rp_pairs_merge(&cand, &ncand, pcand, npc));
	vc[VC_CANDIDATES] = ncand;
	vc[VC_CONTAIN] = npc;

	/* 2. Their documents, in collection order, numbered 0.. here. */
	need = reallocarray(NULL, 2 * ncand + 1, sizeof(*need));
	GOTO_IF(!need, RP_ENOMEM);
	for (size_t x = 0; x < ncand; x++) {
		need[nneed++] = RP_PAIR_A(cand[x]);
		need[nneed++] = RP_PAIR_B(cand[x]);
	}
	GOTO_IF_ERROR(sort_unique(need, &nneed));
	df = calloc(m.n, sizeof(*df));
	GOTO_IF(!df, RP_ENOMEM);
	for (size_t x = 0; x < nneed; x++) {
		uint64_t d;
		unsigned j = part_of_doc(&m, need[x], &d);
		if (!df[j].r.map) {
			GOTO_IF_ERROR(docs_open(s, &df[j], j));
			GOTO_IF_ERROR(docs_lend(&df[j], c));
			/* (a share's candidates are a few of the part's
			 * documents, about a tenth on the 1M bench corpus:
			 * no reading ahead) */
			df[j].fields_only = RP_SFR_BUFFERED;
		}
		GOTO_IF(d >= df[j].ndocs, corrupt(s, &df[j].r));
		GOTO_IF_ERROR(docs_add(s, &df[j], d, c));
	}
	/* Pairs renumbered (the order kept: the map is increasing). */
	for (size_t x = 0; x < ncand + npc; x++) {
		uint64_t *p = x < ncand ? &cand[x] : &pcand[x - ncand];
		uint64_t a = RP_PAIR_A(*p), b = RP_PAIR_B(*p);
		size_t la = (size_t)(rp_lower_u64(need, nneed, a));
		size_t lb = (size_t)(rp_lower_u64(need, nneed, b));
		*p = RP_PAIR(la, lb);
	}
	/* What the sign stage found of each: which have words, which are
	 * character texts, what is left out of them. */
	GOTO_IF_ERROR(given_analysis(s, &m, c, need, nneed));
	/* Sets built and freed in runs of candidates under a memory bound,
	 * as scan's. */
	rp_question q1 = *qin;
	q1.release = 1;
	err = rp_corpus_ask_given(&r, c, &q1, cand, ncand, sq.w ? pcand : NULL,
				  npc);
	GOTO_IF(err < 0, fail(s, err, "%s", *c->err ? c->err : rp_strerror(err)));
	vc[VC_FILTERED] = r->stats.filtered;
	vc[VC_TEMPLATES] = r->stats.templates;

	/* 3. The verified pairs, in collection numbers. */
	name_of(name, sizeof(name), "verify", i, "pairs");
	GOTO_IF_ERROR(wopen(s, &w, name, RP_SF_VERIFIED));
	rp_sfw_u32(&w, i);
	rp_sfw_u32(&w, n);
	rp_sfw_bytes(&w, vc, sizeof(vc));
	rp_sfw_u64(&w, r->npairs);
	for (size_t x = 0; x < r->npairs; x++) {
		rp_pair p = r->pairs[x];
		p.a = (size_t)need[p.a];
		p.b = (size_t)need[p.b];
		rp_sfw_bytes(&w, &p, sizeof(p));
		size_t npass = r->pairs[x].passages, ned = r->nedits[x];
		rp_sfw_u64(&w, ned);
		if (npass)
			rp_sfw_bytes(&w, r->pass[x], npass * sizeof(rp_passage));
		if (ned)
			rp_sfw_bytes(&w, r->edits[x], ned * sizeof(rp_edit));
	}
	GOTO_IF_ERROR(wclose(s, &w, 1));
	err = mark_done(s, "verify", i);
cleanup:
	if (err < 0 && w.fp)
		wclose(s, &w, 0);
	for (unsigned j = 0; df && j < m.n; j++)
		docs_close(&df[j]);
	for (unsigned j = 0; pr && j < np; j++)
		rp_sfr_close(&pr[j]);
	free(pr);
	free(pe);
	free(pbody);
	free(df);
	free(cand);
	free(pcand);
	free(need);
	free(v);
	free(ent);
	rp_result_free(r);
	model_close(&m);
	return err;
}

/* ---- finish ---- */

/* A verified pair of some share, with its passages and edits (in the
 * share's mapped file). */
typedef struct vpair {
	rp_pair p;
	const rp_passage *pass;
	const rp_edit *edits;
	size_t nedits;
} vpair;

/* Do v's passages and edits lie inside its two texts (its reports slice
 * the texts by them)? */
static int sane_pair(const rp_corpus *c, const vpair *v)
{
	size_t la = c->docs[v->p.a].text_len, lb = c->docs[v->p.b].text_len;
	for (size_t x = 0; x < v->p.passages; x++) {
		const rp_passage *q = &v->pass[x];
		if (q->a_start > q->a_end || q->a_end > la || q->b_start > q->b_end ||
		    q->b_end > lb || q->first_edit > v->nedits ||
		    q->edit_count > v->nedits - q->first_edit)
			return 0;
	}
	for (size_t x = 0; x < v->nedits; x++) {
		const rp_edit *e = &v->edits[x];
		if (e->a_start > e->a_end || e->a_end > la || e->b_start > e->b_end ||
		    e->b_end > lb)
			return 0;
	}
	return 1;
}

static int cmp_vpair(const void *x, const void *y)
{
	const rp_pair *a = &((const vpair *)x)->p, *b = &((const vpair *)y)->p;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/* The id as the corpus names it in messages: its first 100 bytes,
 * control characters as spaces. */
static void short_id(char *out, size_t n, const char *id, size_t len)
{
	snprintf(out, n, "%.*s", (int)RP_MIN(len, (size_t)100), id);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
}

/* Check the texts finish's outputs may print, which its reading did not
 * (sign checked every one when it read them, verify the pairs'): those
 * of documents not read from a JSONL line (the deduplicated output writes
 * them) and, unless the caller prints none (rp_shard_print_texts), the
 * pairs' documents (the HTML report). tx[j]: part j's texts file, whose
 * documents are c's first[j] to first[j + 1]. */
static int texts_check(rp_shard *s, rp_corpus *c, rp_sfr *tx,
		       const size_t *first, unsigned n, const vpair *vp,
		       size_t nvp)
{
	uint8_t *want = calloc(c->ndocs + 1, 1);
	RETURN_ERROR_IF(!want, RP_ENOMEM);
	for (size_t x = 0; x < nvp && !s->quiet_texts; x++)
		want[vp[x].p.a] = want[vp[x].p.b] = 1;
	int err = RP_OK;
	unsigned j = 0;
	for (size_t d = 0; d < c->ndocs && err == RP_OK; d++) {
		const rp_doc *doc = &c->docs[d];
		if (!want[d] && doc->line && doc->source)
			continue;
		while (j + 1 < n && d >= first[j + 1])
			j++;
		/* (through the buffer: the text's pages are not touched,
		 * its terminator read where its blocks were) */
		rp_sfr *t = &tx[j];
		const uint8_t *p = (const uint8_t *)doc->text;
		if (p < t->pay || p > t->end) {
			err = corrupt(s, t);
			break;
		}
		rp_sfr_seek(t, (uint64_t)(p - t->pay));
		t->buffered = RP_SFR_BUFFERED;
		if (rp_sfr_kept(t, doc->text_len + 1) != doc->text)
			err = corrupt(s, t);
		t->buffered = 0;
	}
	free(want);
	return err;
}

int rp_shard_finish(rp_shard *s, rp_corpus *c, const rp_question *qin,
		    rp_result **out)
{
	RETURN_ERROR_IF(!s || !c || !qin || !out, RP_EINVAL);
	*out = NULL;
	model m;
	shard_q sq;
	docs_file df;
	rp_sfr *vr = NULL, *tx = NULL;
	uint32_t *dense = NULL;
	size_t *first = NULL;
	uint8_t *active = NULL, *chars = NULL;
	vpair *vp = NULL;
	rp_result *r = NULL;
	size_t nvp = 0, capvp = 0, shingles = 0;
	uint64_t vc[VC_N] = { 0 };
	unsigned nv = 0;
	char name[64];
	int err = RP_OK;
	memset(&df, 0, sizeof(df));
	FORWARD_IF_ERROR(model_open(s, &m));
	GOTO_IF_ERROR(resolve_q(s, c, qin, &sq));
	GOTO_IF_ERROR(stage_done(s, "sign", m.n));
	GOTO_IF_ERROR(parts_of(s, "verify", "pairs", RP_SF_VERIFIED, &nv));
	GOTO_IF_ERROR(stage_done(s, "verify", nv));
	uint64_t total = m.base[m.n];
	size_t capdense = 0;
	tx = calloc(m.n + 1, sizeof(*tx));
	first = calloc(m.n + 2, sizeof(*first));
	GOTO_IF(!tx || !first, RP_ENOMEM);

	/* 1. Every document, part after part, with the part's rejects as
	 * its reading made them, then the ids an earlier part held. The
	 * texts are not read (texts_check, below). */
	size_t seen = 0;
	for (unsigned j = 0; j < m.n; j++) {
		GOTO_IF_ERROR(docs_open(s, &df, j));
		GOTO_IF_ERROR(docs_lend(&df, c));
		df.fields_only = RP_SFR_BUFFERED | RP_SFR_AHEAD;
		df.texts_later = 1;
		first[j] = c->ndocs;
		GOTO_IF(df.ndocs != m.base[j + 1] - m.base[j], corrupt(s, &df.r));
		/* (grown as parts prove their counts: not sized by the
		 * model's word alone) */
		GOTO_IF_ERROR(RP_GROW(dense, capdense, m.base[j + 1] + 1));
		for (uint64_t d = 0; d < df.ndocs; d++) {
			if (model_dup(&m, j, d)) {
				dense[m.base[j] + d] = UINT32_MAX;
				continue;
			}
			dense[m.base[j] + d] = (uint32_t)c->ndocs;
			GOTO_IF_ERROR(docs_add(s, &df, d, c));
		}
		/* The part's rejects and the ids an earlier part held, in
		 * the order the part's reading met them (as scan lists
		 * them): a reject follows the documents accepted before it. */
		uint64_t x = 0, rpos = df.rej_pos;
		for (uint64_t d = 0; d <= df.ndocs; d++) {
			const char *why = d < df.ndocs ? model_dup(&m, j, d) : NULL;
			if (d < df.ndocs && !why)
				continue;
			for (; x < df.nrejects; x++) {
				rp_sfr_seek(&df.r, rpos);
				if (d < df.ndocs && rp_sfr_u64(&df.r) > d)
					break;
				rp_sfr_seek(&df.r, rpos);
				GOTO_IF_ERROR(take_reject(s, &df.r, c));
				rpos = (uint64_t)(df.r.p - df.r.pay);
			}
			if (!why)
				continue;
			rp_doc_input in;
			const rp_anchor *map;
			size_t nmap;
			char sid[128];
			GOTO_IF_ERROR(docs_get(s, &df, d, &in, &map, &nmap));
			short_id(sid, sizeof(sid), in.id, in.id_len);
			GOTO_IF_ERROR(rp_corpus_reject_add_kind(c, 0, in.source,
								in.line, sid, "%s",
								why));
		}
		rp_sfr_seek(&df.r, df.skip_pos);
		for (uint64_t x = 0; x < df.nskipped; x++) {
			size_t len;
			const char *kind = rp_sfr_str(&df.r, &len);
			uint64_t files = rp_sfr_u64(&df.r);
			const char *ex = rp_sfr_str(&df.r, &len);
			GOTO_IF(df.r.bad || !kind || !ex, corrupt(s, &df.r));
			for (uint64_t f = 0; f < files; f++)
				GOTO_IF_ERROR(rp_corpus_skip_add(c, kind, ex));
		}
		GOTO_IF(df.r.bad, corrupt(s, &df.r));
		seen += df.seen;
		/* (the texts file stays open for texts_check; the corpus holds
		 * its mapping) */
		tx[j] = df.t;
		memset(&df.t, 0, sizeof(df.t));
		df.lent = 0;
		docs_close(&df);
	}
	first[m.n] = c->ndocs;

	/* 2. What the base pass found of each document, and its rejects
	 * (after every reader's, as in a scan). */
	active = calloc(c->ndocs + 1, 1);
	chars = calloc(c->ndocs + 1, 1);
	GOTO_IF(!active || !chars, RP_ENOMEM);
	for (unsigned j = 0; j < m.n; j++) {
		rp_sfr fr;
		name_of(name, sizeof(name), "sign", j, "flags");
		GOTO_IF_ERROR(sopen(s, &fr, name, RP_SF_FLAGS));
		unsigned fj = rp_sfr_u32(&fr), fn = rp_sfr_u32(&fr);
		uint64_t nd = rp_sfr_u64(&fr);
		for (uint64_t x = 0; x < nd && !fr.bad; x++) {
			uint32_t g = rp_sfr_u32(&fr);
			uint8_t fl = rp_sfr_u8(&fr);
			uint32_t ns = rp_sfr_u32(&fr);
			rp_sfr_align(&fr, 4);
			rp_sfr_array(&fr, ns, sizeof(rp_span));
			if (fr.bad || g >= total || dense[g] == UINT32_MAX) {
				fr.bad = 1;
				break;
			}
			active[dense[g]] = fl & 1;
			chars[dense[g]] = (fl >> 1) & 1;
		}
		uint64_t nrej = rp_sfr_u64(&fr);
		for (uint64_t x = 0; x < nrej && !fr.bad; x++)
			if ((err = take_reject(s, &fr, c)) < 0) {
				rp_sfr_close(&fr);
				goto cleanup;
			}
		shingles += rp_sfr_u64(&fr);
		if (fr.bad || fj != j || fn != m.n) {
			err = corrupt(s, &fr);
			rp_sfr_close(&fr);
			goto cleanup;
		}
		rp_sfr_close(&fr);
	}
	c->records_seen = seen;
	GOTO_IF_ERROR(rp_analysis_given(c, active, chars, NULL, NULL));
	c->an->shingles = shingles;

	/* 3. The verified pairs of every share, in collection order. */
	vr = calloc(nv, sizeof(*vr));
	GOTO_IF(!vr, RP_ENOMEM);
	for (unsigned j = 0; j < nv; j++) {
		rp_sfr *f = &vr[j];
		name_of(name, sizeof(name), "verify", j, "pairs");
		GOTO_IF_ERROR(sopen(s, f, name, RP_SF_VERIFIED));
		unsigned fj = rp_sfr_u32(f), fn = rp_sfr_u32(f);
		const uint64_t *cnt = rp_sfr_array(f, VC_N, 8);
		uint64_t np = rp_sfr_u64(f);
		GOTO_IF(f->bad || fj != j || fn != nv, corrupt(s, f));
		vc[VC_CANDIDATES] += cnt[VC_CANDIDATES];
		vc[VC_CONTAIN] += cnt[VC_CONTAIN];
		vc[VC_FILTERED] += cnt[VC_FILTERED];
		vc[VC_TEMPLATES] += cnt[VC_TEMPLATES];
		if (j == 0) { /* (every share reads every pairs task's) */
			vc[VC_OVERSIZED] = cnt[VC_OVERSIZED];
			vc[VC_LARGEST] = cnt[VC_LARGEST];
			vc[VC_COMMON] = cnt[VC_COMMON];
			vc[VC_POSTING] = cnt[VC_POSTING];
		}
		for (uint64_t x = 0; x < np && !f->bad; x++) {
			GOTO_IF_ERROR(RP_GROW(vp, capvp, nvp + 1));
			vpair *v = &vp[nvp];
			const rp_pair *p = rp_sfr_array(f, 1, sizeof(rp_pair));
			v->nedits = (size_t)rp_sfr_u64(f);
			if (!p || p->a >= total || p->b >= total ||
			    dense[p->a] == UINT32_MAX || dense[p->b] == UINT32_MAX) {
				f->bad = 1;
				break;
			}
			memcpy(&v->p, p, sizeof(*p));
			v->pass = rp_sfr_array(f, v->p.passages, sizeof(rp_passage));
			v->edits = rp_sfr_array(f, v->nedits, sizeof(rp_edit));
			v->p.a = dense[v->p.a];
			v->p.b = dense[v->p.b];
			if (f->bad || v->p.a >= v->p.b || !sane_pair(c, v)) {
				f->bad = 1;
				break;
			}
			nvp++;
		}
		GOTO_IF(f->bad, corrupt(s, f));
	}
	sort_any(vp, nvp, sizeof(*vp), cmp_vpair);
	GOTO_IF_ERROR(texts_check(s, c, tx, first, m.n, vp, nvp));

	/* 4. The result: those pairs, their stories. */
	GOTO_IF_ERROR(rp_result_new(&r, c, &sq.q));
	r->npairs = nvp;
	r->pairs = calloc(nvp + 1, sizeof(*r->pairs));
	GOTO_IF(!r->pairs, RP_ENOMEM);
	GOTO_IF_ERROR(rp_result_alloc_pairs(r));
	for (size_t x = 0; x < nvp; x++) {
		r->pairs[x] = vp[x].p;
		size_t npass = vp[x].p.passages, ne = vp[x].nedits;
		if (npass) {
			r->pass[x] = reallocarray(NULL, npass, sizeof(rp_passage));
			r->edits[x] = reallocarray(NULL, ne ? ne : 1, sizeof(rp_edit));
			GOTO_IF(!r->pass[x] || !r->edits[x], RP_ENOMEM);
			memcpy(r->pass[x], vp[x].pass, npass * sizeof(rp_passage));
			if (ne)
				memcpy(r->edits[x], vp[x].edits, ne * sizeof(rp_edit));
			r->nedits[x] = ne;
		}
	}
	GOTO_IF_ERROR(rp_result_cluster_all(r));
	r->stats.bands = sq.bands;
	r->stats.rows = sq.rows;
	r->stats.recall_at_threshold = rp_lsh_probability(sq.q.threshold,
							  sq.bands, sq.rows);
	r->stats.recall_reached = r->stats.recall_at_threshold >=
				  sq.q.target_recall;
	r->stats.candidates = vc[VC_CANDIDATES];
	r->stats.contain_candidates = vc[VC_CONTAIN];
	r->stats.filtered = vc[VC_FILTERED];
	r->stats.templates = vc[VC_TEMPLATES];
	r->stats.oversized_buckets = vc[VC_OVERSIZED];
	r->stats.largest_bucket = vc[VC_LARGEST];
	r->stats.common_fingerprints = vc[VC_COMMON];
	r->stats.largest_posting = vc[VC_POSTING];
	r->stats.pairs = nvp;
	r->stats.documents = c->an->documents;
	r->stats.char_documents = c->an->char_documents;
	r->stats.shingles = shingles;
	r->stats.text_bytes = c->an->text_bytes;
	r->stats.rejected = c->nrejects;
	*out = r;
	r = NULL;
cleanup:
	docs_close(&df);
	for (unsigned j = 0; vr && j < nv; j++)
		rp_sfr_close(&vr[j]);
	for (unsigned j = 0; tx && j < m.n; j++) {
		tx[j].map = NULL; /* (the corpus's: docs_lend) */
		rp_sfr_close(&tx[j]);
	}
	free(tx);
	free(first);
	free(vr);
	free(vp);
	free(dense);
	free(active);
	free(chars);
	rp_result_free(r);
	model_close(&m);
	return err;
}
