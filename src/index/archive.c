/*
 * archive.c - what the index keeps so that a query reads only what it
 * needs, and how a query uses it.
 *
 * A scan of the archive plus one new article reports the article's pairs
 * from three things: the chrome of every page involved (learned from
 * line counts over each outlet's pages), the candidates (documents sharing
 * a band key of the signature, in a bucket of at most bucket_cap
 * documents, or RP_PASSAGE_FPS fingerprints on one diagonal, in postings
 * of at most RP_PASSAGE_POSTING_CAP entries), and exact verification of
 * each candidate pair. The index keeps each of them so that a query
 * computes the same answer without the archive:
 *
 *   outlet(name, pages, top)    pages per outlet; top: the most pages of
 *                               any of its lines on three pages or more
 *                               that is not a credit, else 0 (whether
 *                               the outlet has a site template)
 *   linetot(outlet, h, pages, credit)
 *                               the lines on three pages or more (the
 *                               rerun cap is 3 at least: only those can
 *                               change kind when it moves)
 *   runs (runs.c), a generation per batch; an add's own merged in
 *   tiers and into one at its end, then fourfold with the older ones:
 *     line postings             every distinct line of every page with an
 *                               outlet, hashed as chrome learning hashes
 *                               it (salted by the outlet's name): a line's
 *                               pages are its live postings
 *     band keys                 of the kept question's banding (meta:
 *                               bands x rows), one kind per band
 *     fingerprints              winnowing fingerprints (meta: winnow_w)
 *                               with how often each is in a document
 *   docgen(n, gen)              the generation holding a page's band keys
 *                               and fingerprints; dead(gen, class, doc)
 *                               the entries no longer a page's
 *
 * A query analyses its pages with the archive's counts as a prior
 * (boiler.h): their chrome is what the whole archive teaches. New pages
 * can change the chrome of archived pages (a line of one archived page
 * seen again is chrome now; the outlet's page count moves the rerun
 * cap; the outlet gains or loses its template): those archived pages
 * ("affected") are found from the counts and postings, analysed again,
 * and their new band keys and fingerprints stand in for the kept ones
 * (an add writes them to its generation and marks the old ones dead). Bucket and
 * posting sizes are the kept ones with the affected and new documents
 * taken into account, so a bucket over the cap is skipped exactly when a
 * scan would skip it. The candidates' documents are then read and the
 * library's question verifies, relates and aligns the candidate pairs.
 * An add does the same, and writes what it computed.
 *
 * A question other than the kept one (another threshold or banding,
 * another passage length, containment below RP_CONTAIN_SCATTERED, exact
 * search), or more than MAX_AFFECTED affected pages, is answered from the
 * whole archive, as before: the same answer, at a scan's cost. A removal
 * or a replaced text recomputes everything (rp_index_rebuild).
 */
#include <string.h>

#include "analysis.h"
#include "boiler.h"
#include "contain.h"
#include "index_int.h"
#include "runs.h"
#include "lsh.h"
#include "minhash.h"
#include "result.h"
#include "shingle.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Affected archived pages beyond this are not worth a partial answer: the
 * query reads the archive, the add recomputes everything. */
#define MAX_AFFECTED 20000u

/* ---- statements ---- */

/* Step a statement that returns no row. */
static int step_done(rp_index *ix, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? RP_OK : rp_index_db_fail(ix, what, rc);
}

int rp_index_load_docs(rp_index *ix, rp_corpus *c, const int64_t *ns, size_t n)
{
	sqlite3_stmt *st = NULL;
	int err = RP_OK;
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, "SELECT id, outlet, date, title, text,"
					  " source, line FROM doc WHERE n = ?1"));
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ns[i]);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			GOTO_IF_ERROR(rc == SQLITE_DONE
					      ? (rp_index_set_err(ix, "%s: document %lld "
								  "is missing: run "
								  "'reprint index check'",
								  ix->path, (long long)ns[i]),
						 RP_EINPUT)
					      : rp_index_db_fail(ix, "reading a document", rc));
		size_t before = rp_corpus_count(c);
		GOTO_IF_ERROR(rp_index_add_row(ix, c, st));
		if (rp_corpus_count(c) != before + 1) {
			rp_index_set_err(ix, "%s: document %lld cannot be read "
					 "back: run 'reprint index check'",
					 ix->path, (long long)ns[i]);
			GOTO_IF(1, RP_EINPUT);
		}
	}
cleanup:
	sqlite3_finalize(st);
	return err;
}

/* ---- the prior: the archive's chrome counts ---- */

/* A line of new pages and the archived pages it is on (line_counts). */
typedef struct hcount {
	uint64_t h;
	size_t pages;
} hcount;

/* Line h in counts sorted by hash, or NULL. */
static const hcount *find_line(const hcount *hc, size_t n, uint64_t h)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hc[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && hc[lo].h == h ? &hc[lo] : NULL;
}

/* The archived pages of line h, from counts (0 when not there). */
static size_t pages_of(const hcount *hc, size_t n, uint64_t h)
{
	const hcount *x = find_line(hc, n, h);
	return x ? x->pages : 0;
}

/* hc: the counts line_counts looked up for the new pages' lines, in
 * the same transaction; the prior answers from them (most lines a page
 * analysis asks about are the new pages'), and looks up the others
 * (lines only affected archived pages have). */
typedef struct prior_ctx {
	rp_index *ix;
	sqlite3_stmt *outlet;
	rp_runvec v;
	const hcount *hc;
	size_t nhc;
} prior_ctx;

static int prior_outlet(void *ctx, const char *name, size_t *pages, size_t *top)
{
	prior_ctx *p = ctx;
	*pages = *top = 0;
	sqlite3_reset(p->outlet);
	sqlite3_bind_text(p->outlet, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(p->outlet);
	if (rc == SQLITE_ROW) {
		*pages = (size_t)sqlite3_column_int64(p->outlet, 0);
		*top = (size_t)sqlite3_column_int64(p->outlet, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(p->outlet);
	return rc == SQLITE_DONE ? RP_OK
				 : rp_index_db_fail(p->ix, "reading outlets", rc);
}

static int prior_line(void *ctx, const char *name, uint64_t h, size_t *pages)
{
	prior_ctx *p = ctx;
	(void)name; /* (the hash is salted by the outlet's name) */
	const hcount *x = find_line(p->hc, p->nhc, h);
	if (x) {
		*pages = x->pages;
		return RP_OK;
	}
	p->v.n = 0;
	FORWARD_IF_ERROR(rp_runs_lookup(p->ix, RP_KIND_LINE, h, &p->v));
	*pages = p->v.n;
	return RP_OK;
}

static int prior_open(rp_index *ix, prior_ctx *p, const hcount *hc, size_t nhc)
{
	memset(p, 0, sizeof(*p));
	p->ix = ix;
	p->hc = hc;
	p->nhc = nhc;
	return rp_index_prepare(ix, &p->outlet, "SELECT pages, top FROM outlet"
				       " WHERE name = ?1");
}

static void prior_close(prior_ctx *p)
{
	sqlite3_finalize(p->outlet);
	free(p->v.e);
	memset(p, 0, sizeof(*p));
}

/* ---- features of analysed documents ---- */

typedef rp_fpent fpent;
typedef rp_dfeat dfeat;

static void feats_free(dfeat *f, size_t n)
{
	rp_dfeats_free(f, n);
}

/* Analyse c (its prior set by the caller) and compute the features of
 * its documents into *out (c->ndocs). */
static int features(rp_index *ix, rp_corpus *c,
		    dfeat **out)
{
	*out = NULL;
	int err = rp_corpus_analyze(c);
	if (err < 0) {
		rp_index_set_err(ix, "%s", rp_corpus_error(c));
		return err;
	}
	return rp_analysis_features(c, ix->bands, ix->rows, ix->winnow_w, out);
}

/* ---- writing what is kept ---- */

/* The kept features of documents ns[0..n) are no longer theirs: marked
 * removed in the generation that holds them (lookups skip them, merges
 * drop them). */
static int forget(rp_index *ix, const int64_t *ns, size_t n)
{
	sqlite3_stmt *st = NULL;
	int err = RP_OK;
	GOTO_IF_ERROR(rp_index_prepare(ix, &st, "INSERT OR IGNORE INTO dead SELECT gen, 0, n"
				       " FROM docgen WHERE n = ?1"));
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ns[i]);
		GOTO_IF_ERROR(step_done(ix, st, "removing features"));
	}
cleanup:
	sqlite3_finalize(st);
	return err;
}

/* Write the features f[i] of documents ns[i], i < n, as the current
 * generation's runs (none of theirs is live now). */
static int write_feats(rp_index *ix, const dfeat *f, const int64_t *ns, size_t n)
{
	sqlite3_stmt *fg = NULL;
	int err = RP_OK;
	if (n > UINT32_MAX) {
		rp_index_set_err(ix, "%s: more than %u documents in one batch",
				 ix->path, UINT32_MAX);
		return RP_ELIMIT;
	}
	GOTO_IF_ERROR(rp_index_prepare(ix, &fg, "INSERT OR REPLACE INTO docgen VALUES(?1, ?2)"));
	size_t nfp = 0;
	for (size_t i = 0; i < n; i++) {
		if (!f[i].active)
			continue;
		nfp += f[i].nfp;
		sqlite3_bind_int64(fg, 1, ns[i]);
		sqlite3_bind_int64(fg, 2, ix->gen);
		GOTO_IF_ERROR(step_done(ix, fg, "writing documents"));
	}
	GOTO_IF_ERROR(rp_runs_reserve(ix, RP_MAX(n, nfp)));
	rp_kv *kv = ix->kv;
	for (unsigned b = 0; b < ix->bands; b++) {
		size_t ne = 0;
		for (size_t i = 0; i < n; i++)
			if (f[i].active)
				kv[ne++] = (rp_kv){ f[i].keys[b], RP_RUNS_VAL(i, 1) };
		GOTO_IF_ERROR(rp_runs_write(ix, ix->gen, (int)b, ne, ns, n, 0));
	}
	/* Fingerprints by hash with their count in the document (a
	 * document's are sorted by hash). */
	size_t ne = 0;
	for (size_t i = 0; i < n; i++) {
		size_t first = ne;
		for (size_t k = 0; f[i].active && k < f[i].nfp; k++) {
			if (ne > first && kv[ne - 1].key == f[i].fp[k].h) {
				/* (under 2^32: a text is under 2 GiB) */
				kv[ne - 1].val++;
				continue;
			}
			kv[ne++] = (rp_kv){ f[i].fp[k].h, RP_RUNS_VAL(i, 1) };
		}
	}
	GOTO_IF_ERROR(rp_runs_write(ix, ix->gen, RP_KIND_FP, ne, ns, n, 0));
cleanup:
	sqlite3_finalize(fg);
	return err;
}

/* One line of one new page, to be counted. */
typedef struct lrow {
	int64_t outlet, doc;       /* doc: the page's index from `from` */
	uint64_t h;
	uint8_t credit;
} lrow;

static int cmp_lrow(const void *x, const void *y)
{
	const lrow *a = x, *b = y;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* The distinct lines of pages docs[0..n) of c (those with an outlet)
 * with their archived pages, sorted by hash, into *out. */
/* c's texts readable in place (its spooled ones written out first), or
 * the index's error says why not. */
static int texts_ready(rp_index *ix, const rp_corpus *c)
{
	int err = rp_corpus_texts_ready(c);
	return err < 0 ? rp_index_corpus_fail(ix, c, err) : RP_OK;
}

static int line_counts(rp_index *ix, const rp_corpus *c, const size_t *docs,
		       size_t n, hcount **out, size_t *nout)
{
	uint64_t *hs = NULL;
	rp_page_line *pl = NULL;
	size_t nh = 0, caph = 0, npl = 0, cappl = 0, *counts = NULL;
	int err = RP_OK;
	*out = NULL;
	*nout = 0;
	if (!ix->ao.boilerplate)
		return RP_OK;
	/* (texts read here in place: spooled ones written first) */
	FORWARD_IF_ERROR(texts_ready(ix, c));
	for (size_t i = 0; i < n; i++) {
		const rp_doc *d = &c->docs[docs ? docs[i] : i];
		if (!d->outlet)
			continue;
		npl = 0;
		GOTO_IF_ERROR(rp_page_lines(&pl, &npl, &cappl, d->text, d->text_len,
					    rp_outlet_salt(d->outlet)));
		GOTO_IF_ERROR(RP_GROW(hs, caph, nh + npl));
		for (size_t k = 0; k < npl; k++)
			hs[nh++] = pl[k].h;
	}
	if (nh > 1) {
		uint64_t *tmp = reallocarray(NULL, nh, sizeof(*tmp));
		GOTO_IF(!tmp, RP_ENOMEM);
		rp_sort_u64(hs, tmp, nh);
		free(tmp);
	}
	size_t w = rp_unique_u64(hs, nh);
	*out = reallocarray(NULL, w + 1, sizeof(**out));
	counts = reallocarray(NULL, w + 1, sizeof(*counts));
	GOTO_IF(!*out || !counts, RP_ENOMEM);
	GOTO_IF_ERROR(rp_runs_count(ix, RP_KIND_LINE, hs, w, counts));
	for (size_t k = 0; k < w; k++)
		(*out)[k] = (hcount){ hs[k], counts[k] };
	*nout = w;
cleanup:
	if (err < 0) {
		free(*out);
		*out = NULL;
	}
	free(hs);
	free(pl);
	free(counts);
	return err;
}

/* Count the lines of the pages c[from..to) (doc.n ns[d - from]): their
 * postings as the current generation's line run, the pages of each
 * outlet, and in linetot the lines now on three pages or more. */
static int write_lines(rp_index *ix, const rp_corpus *c, size_t from,
		       size_t to, const int64_t *ns, const hcount *hc, size_t nhc)
{
	sqlite3_stmt *get = NULL, *mk = NULL, *pg = NULL, *tp = NULL, *tot = NULL;
	rp_page_line *pl = NULL;
	lrow *rows = NULL;
	size_t npl = 0, cappl = 0, nrows = 0, caprows = 0, ne = 0;
	int err = RP_OK;
	if (!ix->ao.boilerplate)
		return RP_OK;
	FORWARD_IF_ERROR(texts_ready(ix, c));
	GOTO_IF_ERROR(rp_index_prepare(ix, &get, "SELECT id FROM outlet WHERE name = ?1"));
	GOTO_IF_ERROR(rp_index_prepare(ix, &mk, "INSERT INTO outlet(name, pages, top)"
				       " VALUES(?1, 0, 0)"));
	GOTO_IF_ERROR(rp_index_prepare(ix, &pg, "UPDATE outlet SET pages = pages + 1"
				       " WHERE id = ?1"));
	GOTO_IF_ERROR(rp_index_prepare(ix, &tot, "INSERT INTO linetot VALUES(?1, ?2, ?3, ?4)"
					" ON CONFLICT(outlet, h) DO UPDATE SET"
					" pages = excluded.pages"));
	GOTO_IF_ERROR(rp_index_prepare(ix, &tp, "UPDATE outlet SET top = ?2 WHERE id = ?1"
				       " AND top < ?2"));
	const char *last = NULL;
	int64_t id = -1;
	for (size_t d = from; d < to; d++) {
		const rp_doc *doc = &c->docs[d];
		if (!doc->outlet)
			continue;
		if (!last || strcmp(last, doc->outlet) != 0) {
			sqlite3_bind_text(get, 1, doc->outlet, -1, SQLITE_STATIC);
			int rc = sqlite3_step(get);
			if (rc == SQLITE_ROW) {
				id = sqlite3_column_int64(get, 0);
				sqlite3_reset(get);
			} else {
				sqlite3_reset(get);
				if (rc != SQLITE_DONE)
					GOTO_IF_ERROR(rp_index_db_fail(ix, "reading outlets", rc));
				sqlite3_bind_text(mk, 1, doc->outlet, -1, SQLITE_STATIC);
				GOTO_IF_ERROR(step_done(ix, mk, "adding an outlet"));
				id = sqlite3_last_insert_rowid(ix->db);
			}
			last = doc->outlet;
		}
		sqlite3_bind_int64(pg, 1, id);
		GOTO_IF_ERROR(step_done(ix, pg, "counting pages"));
		npl = 0;
		GOTO_IF_ERROR(rp_page_lines(&pl, &npl, &cappl, doc->text,
					    doc->text_len,
					    rp_outlet_salt(doc->outlet)));
		GOTO_IF_ERROR(RP_GROW(rows, caprows, nrows + npl));
		for (size_t k = 0; k < npl; k++)
			rows[nrows++] = (lrow){ id, (int64_t)(d - from), pl[k].h,
						pl[k].credit };
	}
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), cmp_lrow);
	GOTO_IF_ERROR(rp_runs_reserve(ix, nrows));
	for (size_t i = 0; i < nrows;) {
		size_t j = i + 1;
		while (j < nrows && rows[j].h == rows[i].h)
			j++;
		/* Its pages before this batch, then with it. */
		int64_t pages = (int64_t)(pages_of(hc, nhc, rows[i].h) + (j - i));
		if (pages >= 3) {
			sqlite3_bind_int64(tot, 1, rows[i].outlet);
			sqlite3_bind_int64(tot, 2, (int64_t)rows[i].h);
			sqlite3_bind_int64(tot, 3, pages);
			sqlite3_bind_int64(tot, 4, rows[i].credit);
			GOTO_IF_ERROR(step_done(ix, tot, "counting lines"));
			if (!rows[i].credit) {
				sqlite3_bind_int64(tp, 1, rows[i].outlet);
				sqlite3_bind_int64(tp, 2, pages);
				GOTO_IF_ERROR(step_done(ix, tp, "counting lines"));
			}
		}
		for (size_t k = i; k < j; k++)
			ix->kv[ne++] = (rp_kv){ rows[k].h,
						RP_RUNS_VAL(rows[k].doc, 1) };
		i = j;
	}
	GOTO_IF_ERROR(rp_runs_write(ix, ix->gen, RP_KIND_LINE, ne, ns,
				    to - from, 1));
cleanup:
	sqlite3_finalize(get);
	sqlite3_finalize(mk);
	sqlite3_finalize(pg);
	sqlite3_finalize(tp);
	sqlite3_finalize(tot);
	free(pl);
	free(rows);
	return err;
}

/* ---- archived pages whose chrome new pages change ---- */

typedef struct qline {
	uint64_t h;
	uint32_t rank;         /* of its outlet among the batch's, by name */
	uint8_t credit, prose;
} qline;

/* By outlet name, then hash: sorted by hash, then stably by the outlet's
 * rank (two radix sorts; this qsort with strcmp and the one of line
 * hashes in line_counts were 4% of an add's cycles). */
#define QL_H(x) ((x).h)
#define QL_RANK(x) ((uint64_t)(x).rank)
static RP_DEFINE_RADIX(sort_ql_h, qline, QL_H)
static RP_DEFINE_RADIX(sort_ql_rank, qline, QL_RANK)

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* Append the doc column of every row of st (bound by the caller) below
 * `below` to *x. */
static int collect_docs(rp_index *ix, sqlite3_stmt *st, int64_t below,
			int64_t **x, size_t *nx, size_t *cap)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(st, 0);
		if (n >= below)
			continue;
		if (*nx > MAX_AFFECTED)
			break;
		if (rp_grow((void **)x, cap, *nx + 1, sizeof(**x)) < 0) {
			sqlite3_reset(st);
			return RP_ENOMEM;
		}
		(*x)[(*nx)++] = n;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? RP_OK : rp_index_db_fail(ix, "finding pages", rc);
}

/* Append the archived pages (below `below`) holding line h to *x. */
static int line_docs(rp_index *ix, uint64_t h, int64_t below, rp_runvec *v,
		     int64_t **x, size_t *nx, size_t *cap)
{
	v->n = 0;
	FORWARD_IF_ERROR(rp_runs_lookup(ix, RP_KIND_LINE, h, v));
	for (size_t i = 0; i < v->n && *nx <= MAX_AFFECTED; i++) {
		if (v->e[i].doc >= below)
			continue;
		FORWARD_IF_ERROR(rp_grow((void **)x, cap, *nx + 1, sizeof(**x)));
		(*x)[(*nx)++] = v->e[i].doc;
	}
	return RP_OK;
}

/*
 * The archived pages (doc.n below `below`) whose chrome changes when the
 * pages docs[0..n) of c join the archive, sorted and distinct, into *x;
 * *many is set when there are more than MAX_AFFECTED.
 */
static int affected(rp_index *ix, const rp_corpus *c, const size_t *docs,
		    size_t n, const hcount *hc, size_t nhc, int64_t below,
		    int64_t **x, size_t *nx, int *many)
{
	qline *ql = NULL;
	rp_page_line *pl = NULL;
	const char **names = NULL, **uniq = NULL;
	size_t nql = 0, capql = 0, npl = 0, cappl = 0, nn = 0, nu = 0, capx = 0;
	sqlite3_stmt *so = NULL, *all = NULL, *range = NULL;
	rp_runvec v;
	int err = RP_OK;
	memset(&v, 0, sizeof(v));
	*x = NULL;
	*nx = 0;
	*many = 0;
	FORWARD_IF_ERROR(texts_ready(ix, c));
	if (!ix->ao.boilerplate)
		return RP_OK;
	unsigned minp = RP_MAX(ix->ao.chrome_min_pages, 2u);
	names = reallocarray(NULL, n + 1, sizeof(*names));
	uniq = reallocarray(NULL, n + 1, sizeof(*uniq));
	GOTO_IF(!names || !uniq, RP_ENOMEM);
	for (size_t i = 0; i < n; i++) {
		const rp_doc *d = &c->docs[docs[i]];
		if (d->outlet)
			names[nn++] = d->outlet;
	}
	if (nn > 1)
		qsort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn; i++)
		if (!nu || strcmp(uniq[nu - 1], names[i]) != 0)
			uniq[nu++] = names[i];
	for (size_t i = 0; i < n; i++) {
		const rp_doc *d = &c->docs[docs[i]];
		if (!d->outlet)
			continue;
		const char **at = bsearch(&d->outlet, uniq, nu, sizeof(*uniq),
					  cmp_str);
		npl = 0;
		GOTO_IF_ERROR(rp_page_lines(&pl, &npl, &cappl, d->text, d->text_len,
					    rp_outlet_salt(d->outlet)));
		GOTO_IF_ERROR(RP_GROW(ql, capql, nql + npl));
		for (size_t k = 0; k < npl; k++)
			ql[nql++] = (qline){ pl[k].h, (uint32_t)(at - uniq),
					     pl[k].credit, pl[k].prose };
	}
	if (nql > 1) {
		qline *tmp = reallocarray(NULL, nql, sizeof(*tmp));
		GOTO_IF(!tmp, RP_ENOMEM);
		sort_ql_h(ql, tmp, nql);
		sort_ql_rank(ql, tmp, nql);
		free(tmp);
	}
	GOTO_IF_ERROR(rp_index_prepare(ix, &so, "SELECT id, pages, top FROM outlet"
				       " WHERE name = ?1"));
	GOTO_IF_ERROR(rp_index_prepare(ix, &all, "SELECT n FROM doc WHERE outlet = ?1"));
	GOTO_IF_ERROR(rp_index_prepare(ix, &range, "SELECT h FROM linetot WHERE outlet = ?1"
					  " AND pages > ?2 AND pages <= ?3"));
	size_t q = 0; /* into ql */
	/* (names[i..j) is the outlet uniq[u]: its lines have rank u) */
	for (size_t i = 0, u = 0; i < nn && !*many; u++) {
		size_t j = i + 1;
		while (j < nn && strcmp(names[j], names[i]) == 0)
			j++;
		const char *name = names[i];
		size_t qpages = j - i;
		i = j;
		int64_t id = -1;
		size_t n_old = 0, top_old = 0;
		sqlite3_bind_text(so, 1, name, -1, SQLITE_STATIC);
		int rc = sqlite3_step(so);
		if (rc == SQLITE_ROW) {
			id = sqlite3_column_int64(so, 0);
			n_old = (size_t)sqlite3_column_int64(so, 1);
			top_old = (size_t)sqlite3_column_int64(so, 2);
		} else if (rc != SQLITE_DONE) {
			sqlite3_reset(so);
			GOTO_IF_ERROR(rp_index_db_fail(ix, "reading outlets", rc));
		}
		sqlite3_reset(so);
		size_t n_new = n_old + qpages, top_new = top_old;
		/* This outlet's lines: their counts before and after. */
		while (q < nql && ql[q].rank < u)
			q++;
		typedef struct { size_t old, new_; uint64_t h; int prose; } cnt;
		cnt *lc = NULL;
		size_t nlc = 0, caplc = 0;
		while (q < nql && ql[q].rank == u) {
			size_t r = q + 1;
			while (r < nql && ql[r].rank == u && ql[r].h == ql[q].h)
				r++;
			size_t p_old = 0;
			if (id >= 0)
				p_old = pages_of(hc, nhc, ql[q].h);
			size_t p_new = p_old + (r - q);
			if (!ql[q].credit && p_new > top_new)
				top_new = p_new;
			if (p_old) {
				if (rp_grow((void **)&lc, &caplc, nlc + 1, sizeof(*lc)) < 0) {
					free(lc);
					GOTO_IF(1, RP_ENOMEM);
				}
				lc[nlc++] = (cnt){ p_old, p_new, ql[q].h, ql[q].prose };
			}
			q = r;
		}
		int t_old = rp_outlet_templated(n_old, top_old);
		int t_new = rp_outlet_templated(n_new, top_new);
		if (id < 0) {
			free(lc);
			continue; /* nothing archived of this outlet */
		}
		if (t_old != t_new) {
			/* Every page of the outlet gains or loses its chrome. */
			sqlite3_bind_text(all, 1, name, -1, SQLITE_STATIC);
			err = collect_docs(ix, all, below, x, nx, &capx);
		} else if (t_new) {
			size_t c_old = rp_rerun_cap(n_old), c_new = rp_rerun_cap(n_new);
			if (c_old != c_new) {
				/* Lines whose kind the new cap changes: on more
				 * than 3 pages (the least cap), so in linetot. */
				sqlite3_bind_int64(range, 1, id);
				sqlite3_bind_int64(range, 2, (int64_t)RP_MIN(c_old, c_new));
				sqlite3_bind_int64(range, 3, (int64_t)RP_MAX(c_old, c_new));
				while (err == RP_OK && (rc = sqlite3_step(range)) == SQLITE_ROW) {
					err = line_docs(ix, (uint64_t)sqlite3_column_int64(range, 0),
							below, &v, x, nx, &capx);
				}
				if (err == RP_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
					err = rp_index_db_fail(ix, "reading lines", rc);
				sqlite3_reset(range);
			}
			for (size_t k = 0; k < nlc && err == RP_OK; k++) {
				int k_old = rp_line_kind(lc[k].old, n_old, minp, lc[k].prose);
				int k_new = rp_line_kind(lc[k].new_, n_new, minp, lc[k].prose);
				if (k_old == k_new)
					continue;
				err = line_docs(ix, lc[k].h, below, &v, x, nx, &capx);
			}
		}
		free(lc);
		GOTO_IF_ERROR(err);
		if (*nx > MAX_AFFECTED)
			*many = 1;
	}
	if (*nx > 1) {
		qsort(*x, *nx, sizeof(**x), cmp_i64);
		size_t w = 0;
		for (size_t k = 0; k < *nx; k++)
			if (w == 0 || (*x)[k] != (*x)[w - 1])
				(*x)[w++] = (*x)[k];
		*nx = w;
	}
	*many = *many || *nx > MAX_AFFECTED;
cleanup:
	sqlite3_finalize(so);
	sqlite3_finalize(all);
	sqlite3_finalize(range);
	free(v.e);
	free(ql);
	free(pl);
	free(names);
	free(uniq);
	if (err < 0) {
		free(*x);
		*x = NULL;
		*nx = 0;
	}
	return err;
}

/* ---- generations ---- */

/* A new generation for the rows of `docs` documents: ix->gen. */
static int new_gen(rp_index *ix, size_t docs)
{
	sqlite3_stmt *st = NULL;
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, "INSERT INTO gen(docs) VALUES(?1)"));
	sqlite3_bind_int64(st, 1, (int64_t)docs);
	int err = step_done(ix, st, "starting a generation");
	sqlite3_finalize(st);
	ix->gen = err == RP_OK ? sqlite3_last_insert_rowid(ix->db) : 0;
	return err;
}

/* The generations (ids ascending) and their documents. */
typedef struct gen_row {
	int64_t id, docs;
} gen_row;

typedef struct gens {
	gen_row *r;
	size_t n, cap;
} gens;

static int read_gens(rp_index *ix, gens *g)
{
	sqlite3_stmt *st = NULL;
	int rc;
	g->n = 0;
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, "SELECT id, docs FROM gen ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (RP_GROW(g->r, g->cap, g->n + 1) < 0) {
			sqlite3_finalize(st);
			return RP_ENOMEM;
		}
		g->r[g->n++] = (gen_row){ sqlite3_column_int64(st, 0),
					  sqlite3_column_int64(st, 1) };
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? RP_OK : rp_index_db_fail(ix, "reading generations", rc);
}

static void gens_free(gens *g)
{
	free(g->r);
}

/* Merge the generations g[i..n) (the newest) into a new one: their live
 * entries rewritten once, in key order, without the removed ones. */
static int merge_from(rp_index *ix, const gens *g, size_t i)
{
	static const char *const steps[] = {
		"UPDATE docgen SET gen = ?2 WHERE gen >= ?1 AND gen < ?2",
		"DELETE FROM gen WHERE id >= ?1 AND id < ?2",
	};
	int64_t docs = 0;
	for (size_t k = i; k < g->n; k++)
		docs += g->r[k].docs;
	/* (the merge reads what is removed as of now) */
	FORWARD_IF_ERROR(rp_runs_begin(ix));
	FORWARD_IF_ERROR(new_gen(ix, (size_t)docs));
	int64_t c = ix->gen;
	int err = rp_runs_merge(ix, g->r[i].id, c);
	for (size_t k = 0; err == RP_OK && k < sizeof(steps) / sizeof(steps[0]); k++) {
		sqlite3_stmt *st = NULL;
		err = rp_index_prepare(ix, &st, steps[k]);
		if (err == RP_OK) {
			sqlite3_bind_int64(st, 1, g->r[i].id);
			sqlite3_bind_int64(st, 2, c);
			err = step_done(ix, st, "merging generations");
		}
		sqlite3_finalize(st);
	}
	ix->gen = 0;
	return err;
}

/*
 * Keep few generations: a query seeks each one. The newest generations
 * are merged into the one before them while together they hold a
 * quarter of its documents or more, so generations shrink fourfold from
 * the oldest to the newest: about log4(archive / batch) + 1 of them. A
 * batch added to a large archive is merged into the newest of the small
 * ones until they reach a quarter of the next: each entry is rewritten
 * about as often as it takes the small ones to grow fourfold.
 */
static int compact(rp_index *ix)
{
	gens g;
	memset(&g, 0, sizeof(g));
	int err = read_gens(ix, &g);
	if (err == RP_OK && g.n >= 2) {
		/* The longest run of newest generations whose merge the
		 * rule would make one pair at a time, merged at once. */
		size_t i = g.n - 1;
		int64_t sum = g.r[i].docs;
		while (i > 0 && 4 * sum >= g.r[i - 1].docs)
			sum += g.r[--i].docs;
		if (i < g.n - 1)
			err = merge_from(ix, &g, i);
	}
	gens_free(&g);
	return err;
}

/*
 * Within one add of many batches, a batch's generation is merged only
 * with the add's own, in tiers: the newest four when they hold about as
 * many documents each (the oldest of them at most twice the newest).
 * An entry is then rewritten about log4(batches) times during the add
 * (the fourfold rule against a growing generation rewrote the add's
 * largest one every quarter of growth: 4.4 rewrites an entry for 10
 * batches, 8.6 for 100), while the add's lookups (every line of a batch,
 * in every generation) see at most three generations a tier.
 */
static int compact_add(rp_index *ix, int64_t after)
{
	gens g;
	memset(&g, 0, sizeof(g));
	int err = RP_OK;
	for (;;) {
		GOTO_IF_ERROR(read_gens(ix, &g));
		size_t n = g.n;
		if (n < 4 || g.r[n - 4].id <= after || g.r[n - 4].docs > 2 * g.r[n - 1].docs)
			break;
		GOTO_IF_ERROR(merge_from(ix, &g, n - 4));
	}
cleanup:
	gens_free(&g);
	return err;
}

int rp_index_last_gen(rp_index *ix, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	*id = 0;
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, "SELECT coalesce(max(id), 0) FROM gen"));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? RP_OK : rp_index_db_fail(ix, "reading generations", rc);
}

/*
 * An add of many batches leaves generations of its own, and a query
 * seeks each: one generation per add, as if it had been one batch, costs
 * one more rewrite of what the add wrote (all of its generations merged
 * in one pass) and makes a query's lookups as few as a single batch's
 * would. Generations are numbered in the order they are made (a merge's
 * result after its parts), so those of this add are the ones after
 * `after`. Then the fourfold rule against the older ones.
 */
int rp_index_merge_since(rp_index *ix, int64_t after)
{
	gens g;
	memset(&g, 0, sizeof(g));
	int err = read_gens(ix, &g);
	size_t i = g.n;
	while (err == RP_OK && i > 0 && g.r[i - 1].id > after)
		i--;
	if (err == RP_OK && g.n - i >= 2)
		err = merge_from(ix, &g, i);
	gens_free(&g);
	return err == RP_OK ? compact(ix) : err;
}

/* ---- add, rebuild ---- */

/* A new corpus with the index's analysis options; with like, under its
 * memory bound (a query's: the archive's texts read past a 64th of it
 * in a temporary file, as the query's own). */
static int work_corpus(rp_index *ix, rp_corpus **out, const rp_corpus *like)
{
	FORWARD_IF_ERROR(rp_corpus_new(out, NULL));
	int err = rp_corpus_configure(*out, &ix->ao);
	if (err == RP_OK && like && like->memory)
		err = rp_corpus_set_memory(*out, like->memory, like->tmpdir);
	if (err < 0) {
		rp_index_corpus_fail(ix, *out, err);
		rp_corpus_free(*out);
		*out = NULL;
	}
	return err;
}

/* Copy document i of src into dst; a failure other than the document's
 * own (RP_EINPUT: on dst's reject list) is ix's error. */
static int copy_doc(rp_index *ix, rp_corpus *dst, const rp_corpus *src,
		    size_t i)
{
	/* (src's text read in place: a spooled one written first) */
	FORWARD_IF_ERROR(texts_ready(ix, src));
	const rp_doc *d = &src->docs[i];
	rp_doc_input in = { d->id, strlen(d->id), d->text, d->text_len,
			    d->title, d->title ? strlen(d->title) : 0,
			    d->outlet, d->outlet ? strlen(d->outlet) : 0,
			    d->date, d->date ? strlen(d->date) : 0,
			    d->source, d->line };
	size_t before = dst->ndocs;
	int err = rp_corpus_add(dst, &in);
	if (err == RP_OK && dst->ndocs != before + 1)
		err = RP_EINPUT;
	if (err < 0 && err != RP_EINPUT)
		rp_index_corpus_fail(ix, dst, err);
	return err;
}

int rp_index_rebuild(rp_index *ix)
{
	rp_corpus *c = NULL;
	dfeat *f = NULL;
	int64_t *ns = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	int err = RP_OK;
	GOTO_IF_ERROR(rp_index_exec(ix, "DELETE FROM outlet; DELETE FROM linetot;"
				    " DELETE FROM run; DELETE FROM dead;"
				    " DELETE FROM gen; DELETE FROM docgen;"));
	GOTO_IF_ERROR(rp_runs_begin(ix));
	GOTO_IF_ERROR(rp_index_prepare(ix, &st, "SELECT n FROM doc ORDER BY n"));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GOTO_IF_ERROR(RP_GROW(ns, cap, n + 1));
		ns[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE)
		GOTO_IF_ERROR(rp_index_db_fail(ix, "reading documents", rc));
	GOTO_IF_ERROR(work_corpus(ix, &c, NULL));
	GOTO_IF_ERROR(rp_index_load_docs(ix, c, ns, n));
	GOTO_IF_ERROR(features(ix, c, &f));
	GOTO_IF_ERROR(new_gen(ix, n));
	GOTO_IF_ERROR(write_lines(ix, c, 0, n, ns, NULL, 0));
	GOTO_IF_ERROR(write_feats(ix, f, ns, n));
	ix->rebuilt = ix->gen;
cleanup:
	ix->gen = 0;
	sqlite3_finalize(st);
	feats_free(f, c ? c->ndocs : 0);
	rp_corpus_free(c);
	free(ns);
	return err;
}

int rp_index_added(rp_index *ix, const rp_corpus *src, const size_t *idx,
		   const int64_t *ns, size_t n, int64_t after)
{
	hcount *hc = NULL;
	size_t nhc = 0;
	int64_t *x = NULL, *all = NULL;
	uint8_t *counted = NULL;
	rp_corpus *c = NULL;
	dfeat *f = NULL;
	prior_ctx pc;
	int many = 0, err = RP_OK;
	size_t nx = 0;
	memset(&pc, 0, sizeof(pc));
	GOTO_IF_ERROR(rp_runs_begin(ix));
	GOTO_IF_ERROR(line_counts(ix, src, idx, n, &hc, &nhc));
	GOTO_IF_ERROR(affected(ix, src, idx, n, hc, nhc, ns[0], &x, &nx, &many));
	if (many) {
		err = rp_index_rebuild(ix);
		goto cleanup;
	}
	GOTO_IF_ERROR(prior_open(ix, &pc, hc, nhc));
	/* The affected archived pages (counted in the archive's numbers)
	 * and the new ones (not yet), analysed with those numbers. */
	GOTO_IF_ERROR(work_corpus(ix, &c, NULL));
	GOTO_IF_ERROR(rp_index_load_docs(ix, c, x, nx));
	/* The new pages' texts are src's, checked when src took them and
	 * held until the add returns: borrowed, not copied (a batch's
	 * texts copied were fresh pages, a page fault each). */
	c->borrow_texts = 1;
	for (size_t i = 0; i < n; i++)
		GOTO_IF_ERROR(copy_doc(ix, c, src, idx[i]));
	c->borrow_texts = 0;
	counted = calloc(nx + n + 1, 1);
	all = reallocarray(NULL, nx + n + 1, sizeof(*all));
	GOTO_IF(!counted || !all, RP_ENOMEM);
	memset(counted, 1, nx);
	if (nx)
		memcpy(all, x, nx * sizeof(*all));
	memcpy(all + nx, ns, n * sizeof(*all));
	rp_boiler_prior prior = { prior_outlet, prior_line, counted, &pc,
				  NULL, 0, 0 };
	c->prior = &prior;
	err = features(ix, c, &f);
	c->prior = NULL;
	GOTO_IF_ERROR(err);
	/* Then the new pages join the counts, and the affected pages'
	 * features are replaced. */
	GOTO_IF_ERROR(forget(ix, x, nx));
	GOTO_IF_ERROR(new_gen(ix, n));
	GOTO_IF_ERROR(write_lines(ix, c, nx, nx + n, ns, hc, nhc));
	GOTO_IF_ERROR(write_feats(ix, f, all, nx + n));
	GOTO_IF_ERROR(compact_add(ix, after));
cleanup:
	ix->gen = 0;
	prior_close(&pc);
	feats_free(f, c ? c->ndocs : 0);
	rp_corpus_free(c);
	free(hc);
	free(x);
	free(all);
	free(counted);
	return err;
}

/* ---- query ---- */

/* A candidate: archived doc.n, query document (index in the work corpus
 * minus the archived ones), how it was found. */
typedef struct qcand {
	int64_t n;
	uint32_t q;
	uint8_t lsh;
	uint32_t score;        /* shared fingerprint entries */
} qcand;

static int cmp_qcand(const void *x, const void *y)
{
	const qcand *a = x, *b = y;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return a->q < b->q ? -1 : a->q > b->q;
}

/* Is doc.n in the sorted x[0..nx)? Its index or -1. */
static ptrdiff_t find_n(const int64_t *x, size_t nx, int64_t n)
{
	size_t lo = 0, hi = nx;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x[mid] < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nx && x[lo] == n ? (ptrdiff_t)lo : -1;
}

/* How often fingerprint h is in f (binary search on the sorted list). */
static uint32_t fp_count(const dfeat *f, uint32_t h)
{
	if (!f->active || !f->nfp)
		return 0;
	size_t lo = 0, hi = f->nfp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->fp[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t k = 0;
	while (lo + k < f->nfp && f->fp[lo + k].h == h)
		k++;
	return k;
}

typedef struct query_state {
	rp_index *ix;
	const rp_question *q;
	int passages;           /* fingerprints are used */
	size_t nx, nq;          /* affected, query documents in s1 */
	const int64_t *x;
	const dfeat *f;         /* s1: affected, then query documents */
	qcand *cand;
	size_t ncand, capcand;
	rp_runvec v;            /* one lookup's entries */
	/* Buckets and postings over their caps that a query document is in,
	 * skipped as scan skips them: (kind, key) - a band, or RP_KIND_FP -
	 * for the counts scan gives; the largest bucket's and posting's
	 * sizes. */
	uint64_t (*skipped)[2];
	size_t nskipped, capskipped, largest, lpost;
} query_state;

/* A bucket or posting of size `size` skipped (counted once per key). */
static int skip(query_state *s, int kind, uint64_t key, size_t size)
{
	if (kind == RP_KIND_FP)
		s->lpost = RP_MAX(s->lpost, size);
	else
		s->largest = RP_MAX(s->largest, size);
	for (size_t i = 0; i < s->nskipped; i++)
		if (s->skipped[i][0] == (uint64_t)kind && s->skipped[i][1] == key)
			return RP_OK;
	FORWARD_IF_ERROR(RP_GROW(s->skipped, s->capskipped, s->nskipped + 1));
	s->skipped[s->nskipped][0] = (uint64_t)kind;
	s->skipped[s->nskipped++][1] = key;
	return RP_OK;
}

static int add_cand(query_state *s, int64_t n, uint32_t q, int lsh,
		    uint32_t score)
{
	FORWARD_IF_ERROR(RP_GROW(s->cand, s->capcand, s->ncand + 1));
	s->cand[s->ncand++] = (qcand){ n, q, (uint8_t)lsh, score };
	return RP_OK;
}

/* LSH candidates of query document qi: the archived documents in each of
 * its buckets, when the bucket (kept rows, affected documents by their
 * new keys, query documents) holds at most bucket_cap documents. */
static int lsh_cands(query_state *s, size_t qi)
{
	const dfeat *fq = &s->f[s->nx + qi];
	size_t cap = s->q->bucket_cap;
	int64_t *mem = NULL;
	size_t nmem = 0, capmem = 0;
	int err = RP_OK;
	for (unsigned b = 0; b < s->ix->bands; b++) {
		uint64_t key = fq->keys[b];
		nmem = 0;
		s->v.n = 0;
		GOTO_IF_ERROR(rp_runs_lookup(s->ix, (int)b, key, &s->v));
		if (s->v.n > cap + s->nx) {
			/* over the cap whatever the affected do */
			GOTO_IF_ERROR(skip(s, (int)b, key, s->v.n));
			continue;
		}
		GOTO_IF_ERROR(rp_grow((void **)&mem, &capmem, s->v.n + s->nx + 1,
				      sizeof(*mem)));
		for (size_t k = 0; k < s->v.n; k++)
			if (find_n(s->x, s->nx, s->v.e[k].doc) < 0)
				mem[nmem++] = s->v.e[k].doc;
		size_t size = nmem;
		for (size_t k = 0; k < s->nx; k++)
			if (s->f[k].active && s->f[k].keys[b] == key) {
				GOTO_IF_ERROR(rp_grow((void **)&mem, &capmem, nmem + 1,
						      sizeof(*mem)));
				mem[nmem++] = s->x[k];
				size++;
			}
		for (size_t k = 0; k < s->nq; k++)
			size += s->f[s->nx + k].active &&
				s->f[s->nx + k].keys[b] == key;
		if (size > cap)
			GOTO_IF_ERROR(skip(s, (int)b, key, size));
		if (size > cap || size < 2)
			continue;
		for (size_t k = 0; k < nmem; k++)
			GOTO_IF_ERROR(add_cand(s, mem[k], (uint32_t)qi, 1, 0));
	}
cleanup:
	free(mem);
	return err;
}

/* Fingerprint candidates of query document qi: archived documents with
 * RP_PASSAGE_FPS shared entries or more in postings of at most
 * RP_PASSAGE_POSTING_CAP entries; live[k] marks the hashes of fq whose
 * postings are within the cap. */
static int fp_cands(query_state *s, size_t qi, uint8_t *live)
{
	const dfeat *fq = &s->f[s->nx + qi];
	const size_t cap = RP_PASSAGE_POSTING_CAP;
	qcand *hit = NULL;
	size_t nhit = 0, caphit = 0;
	int err = RP_OK;
	for (size_t i = 0; i < fq->nfp;) {
		uint32_t h = fq->fp[i].h;
		size_t j = i + 1;
		while (j < fq->nfp && fq->fp[j].h == h)
			j++;
		uint32_t cq = (uint32_t)(j - i);
		size_t first = nhit, entries = 0;
		for (size_t k = 0; k < s->nq; k++)
			entries += fp_count(&s->f[s->nx + k], h);
		for (size_t k = 0; k < s->nx; k++) {
			uint32_t ca = fp_count(&s->f[k], h);
			if (ca) {
				entries += ca;
				GOTO_IF_ERROR(RP_GROW(hit, caphit, nhit + 1));
				hit[nhit++] = (qcand){ s->x[k], (uint32_t)qi, 0, ca * cq };
			}
		}
		s->v.n = 0;
		GOTO_IF_ERROR(rp_runs_lookup(s->ix, RP_KIND_FP, h, &s->v));
		for (size_t k = 0; k < s->v.n && entries <= cap; k++) {
			int64_t n = s->v.e[k].doc;
			uint32_t ca = s->v.e[k].cnt;
			if (find_n(s->x, s->nx, n) >= 0)
				continue;
			entries += ca;
			GOTO_IF_ERROR(RP_GROW(hit, caphit, nhit + 1));
			hit[nhit++] = (qcand){ n, (uint32_t)qi, 0, ca * cq };
		}
		if (entries > cap)
			GOTO_IF_ERROR(skip(s, RP_KIND_FP, h, entries));
		if (entries > cap || entries < 2)
			nhit = first; /* skipped, as the scan skips it */
		else
			for (size_t k = i; k < j; k++)
				live[k] = 1;
		i = j;
	}
	if (nhit > 1)
		qsort(hit, nhit, sizeof(*hit), cmp_qcand);
	for (size_t i = 0; i < nhit;) {
		size_t j = i + 1;
		uint32_t score = hit[i].score;
		while (j < nhit && hit[j].n == hit[i].n)
			score += hit[j++].score;
		if (score >= RP_PASSAGE_FPS)
			GOTO_IF_ERROR(add_cand(s, hit[i].n, (uint32_t)qi, 0, score));
		i = j;
	}
cleanup:
	free(hit);
	return err;
}

/* Does the pair (archived fa, query fq) hold a passage by the scan's
 * rule, over the live fingerprints of fq? */
static int passage_pair(const dfeat *fa, const dfeat *fq, const uint8_t *live,
			unsigned w, uint64_t **v, size_t *capv, int *yes)
{
	size_t m = 0, i = 0, k = 0;
	*yes = 0;
	while (i < fa->nfp && k < fq->nfp) {
		uint32_t h = fa->fp[i].h;
		if (h < fq->fp[k].h) {
			i++;
			continue;
		}
		if (h > fq->fp[k].h) {
			k++;
			continue;
		}
		size_t i2 = i, k2 = k;
		while (i2 < fa->nfp && fa->fp[i2].h == h)
			i2++;
		while (k2 < fq->nfp && fq->fp[k2].h == h)
			k2++;
		if (live[k]) {
			FORWARD_IF_ERROR(rp_grow((void **)v, capv,
						 m + (i2 - i) * (k2 - k),
						 sizeof(**v)));
			for (size_t a = i; a < i2; a++)
				for (size_t b = k; b < k2; b++) {
					uint32_t diag = fa->fp[a].pos - fq->fp[b].pos;
					(*v)[m++] = (uint64_t)diag << 32 | fa->fp[a].pos;
				}
		}
		i = i2;
		k = k2;
	}
	FORWARD_IF_ERROR(rp_grow((void **)v, capv, 2 * m + 1, sizeof(**v)));
	*yes = rp_passage_diagonal(*v, m, w);
	return RP_OK;
}

/* Copy the rejects of src into dst (as records of dst). */
static int copy_rejects(rp_corpus *dst, const rp_corpus *src)
{
	for (size_t i = 0; i < src->nrejects; i++) {
		const rp_reject *r = &src->rejects[i];
		FORWARD_IF_ERROR(rp_corpus_reject_add_kind(dst, r->empty, r->source,
							   r->line, r->id, "%s",
							   r->reason));
	}
	return RP_OK;
}

/* The slow way: the whole archive, then the query's documents. */
static int query_whole(rp_index *ix, const rp_corpus *qc, const rp_question *q,
		       rp_corpus **work, rp_result **out, size_t *first)
{
	rp_corpus *c = NULL;
	int err = RP_OK;
	GOTO_IF_ERROR(work_corpus(ix, &c, qc));
	GOTO_IF_ERROR(rp_index_load(ix, c));
	*first = c->ndocs;
	size_t seen = c->records_seen;
	for (size_t i = 0; i < qc->ndocs; i++) {
		err = copy_doc(ix, c, qc, i);
		if (err == RP_EINPUT)
			err = RP_OK; /* a duplicate id: on the reject list */
		GOTO_IF_ERROR(err);
	}
	GOTO_IF_ERROR(copy_rejects(c, qc));
	c->records_seen = seen + qc->records_seen;
	err = rp_corpus_ask(out, c, q);
	if (err < 0)
		rp_index_set_err(ix, "%s", rp_corpus_error(c));
cleanup:
	if (err < 0) {
		rp_corpus_free(c);
		c = NULL;
	}
	*work = c;
	return err;
}

int rp_index_query(rp_index *ix, const rp_corpus *qc, const rp_question *qin,
		   rp_corpus **work, rp_result **out, rp_index_query_stats *stats)
{
	rp_corpus *s1 = NULL, *s2 = NULL;
	int64_t *x = NULL, *cn = NULL;
	size_t *keep = NULL, nkeep = 0, nx = 0, ncn = 0;
	uint8_t *counted = NULL, **live = NULL;
	uint64_t *cand = NULL, *pcand = NULL, *v = NULL;
	size_t ncand = 0, npcand = 0, capv = 0, capcn = 0, capcand = 0,
	       cappcand = 0, n2 = 0;
	hcount *hc = NULL;
	size_t nhc = 0;
	char **dups = NULL;        /* query documents with archived ids */
	size_t *dupi = NULL, ndup = 0;
	dfeat *f1 = NULL, *f2 = NULL;
	sqlite3_stmt *dup = NULL;
	prior_ctx pc;
	query_state s;
	rp_index_query_stats st;
	rp_question q;
	int err = RP_OK, many = 0, in_tx = 0;

	RETURN_ERROR_IF(!ix || !qc || !work || !out, RP_EINVAL);
	RETURN_ERROR_IF(!ix->db, RP_ESTATE);
	*work = NULL;
	*out = NULL;
	memset(&pc, 0, sizeof(pc));
	memset(&s, 0, sizeof(s));
	memset(&st, 0, sizeof(st));

	/* One read transaction: the query sees one state of the archive
	 * (an add committing meanwhile is not half seen), and its many
	 * statements do not each take and drop the log's read lock. */
	GOTO_IF_ERROR(rp_index_exec(ix, "BEGIN"));
	in_tx = 1;
	GOTO_IF_ERROR(rp_runs_begin(ix));

	/* 1. Can the kept candidates answer this question? */
	GOTO_IF_ERROR(work_corpus(ix, &s1, NULL));
	err = rp_question_resolve(&q, s1, qin);
	if (err < 0) {
		rp_index_set_err(ix, "%s", rp_corpus_error(s1));
		goto cleanup;
	}
	unsigned b = q.bands, r = q.rows;
	int reached = 1;
	if (!q.exact && b == 0)
		GOTO_IF_ERROR(rp_lsh_tune(&b, &r, &reached, q.threshold,
					  ix->ao.num_perm, q.target_recall));
	int passages = q.containment > 0 || q.min_passage > 0;
	unsigned w = passages ? rp_winnow_window(q.min_passage > 0
							 ? (unsigned)q.min_passage
							 : RP_CONTAIN_RUN_WORDS,
						 ix->ao.k)
			      : 0;
	if (q.exact)
		st.why_whole = "an exact search";
	else if (b != ix->bands || r != ix->rows)
		st.why_whole = "a banding other than the kept one";
	else if (passages && w != ix->winnow_w)
		st.why_whole = "a passage length other than the kept one";
	else if (q.containment > 0 && q.containment < RP_CONTAIN_SCATTERED)
		st.why_whole = "containment below 0.5 (sampled shingles are not kept)";

	/* 2. Query documents whose ids are archived are duplicates. */
	if (!st.why_whole) {
		keep = reallocarray(NULL, qc->ndocs + 1, sizeof(*keep));
		dups = calloc(qc->ndocs + 1, sizeof(*dups));
		dupi = calloc(qc->ndocs + 1, sizeof(*dupi));
		GOTO_IF(!keep || !dups || !dupi, RP_ENOMEM);
		GOTO_IF_ERROR(rp_index_prepare(ix, &dup, "SELECT source, line FROM doc"
						" WHERE id = ?1"));
		for (size_t i = 0; i < qc->ndocs; i++) {
			sqlite3_bind_text(dup, 1, qc->docs[i].id, -1, SQLITE_STATIC);
			int rc = sqlite3_step(dup);
			if (rc == SQLITE_ROW) {
				const char *src = (const char *)sqlite3_column_text(dup, 0);
				char buf[1200];
				snprintf(buf, sizeof(buf), "duplicate id (first seen at "
					 "%s:%lld)", src ? src : ix->path,
					 (long long)sqlite3_column_int64(dup, 1));
				sqlite3_reset(dup);
				dups[ndup] = rp_strndup(buf, strlen(buf));
				GOTO_IF(!dups[ndup], RP_ENOMEM);
				dupi[ndup++] = i;
				continue;
			}
			sqlite3_reset(dup);
			if (rc != SQLITE_DONE)
				GOTO_IF_ERROR(rp_index_db_fail(ix, "looking up an id", rc));
			keep[nkeep++] = i;
		}
		/* 3. Archived pages whose chrome the query's pages change. */
		GOTO_IF_ERROR(line_counts(ix, qc, keep, nkeep, &hc, &nhc));
		GOTO_IF_ERROR(affected(ix, qc, keep, nkeep, hc, nhc, INT64_MAX, &x,
				       &nx, &many));
		if (many)
			st.why_whole = "the query changes the chrome of too many "
				       "archived pages";
	}
	if (st.why_whole) {
		rp_corpus_free(s1);
		s1 = NULL;
		size_t first = 0;
		err = query_whole(ix, qc, qin, work, out, &first);
		st.archived_read = first;
		st.first_query = first;
		goto cleanup;
	}

	/* 4. The affected pages and the query's, with the archive's chrome
	 * counts; their band keys and fingerprints. */
	GOTO_IF_ERROR(rp_index_load_docs(ix, s1, x, nx));
	for (size_t i = 0; i < nkeep; i++)
		GOTO_IF_ERROR(copy_doc(ix, s1, qc, keep[i]));
	counted = calloc(nx + nkeep + 1, 1);
	GOTO_IF(!counted, RP_ENOMEM);
	memset(counted, 1, nx);
	GOTO_IF_ERROR(prior_open(ix, &pc, hc, nhc));
	rp_boiler_prior prior = { prior_outlet, prior_line, counted, &pc,
				  NULL, 0, 0 };
	s1->prior = &prior;
	err = features(ix, s1, &f1);
	s1->prior = NULL;
	GOTO_IF_ERROR(err);

	/* 5. Candidates from the kept keys and fingerprints. */
	s = (query_state){ ix, &q, passages, nx, nkeep, x, f1, NULL, 0, 0,
			   { NULL, 0, 0 }, NULL, 0, 0, 0, 0 };
	live = calloc(nkeep + 1, sizeof(*live));
	GOTO_IF(!live, RP_ENOMEM);
	for (size_t i = 0; i < nkeep; i++) {
		const dfeat *fq = &f1[nx + i];
		if (!fq->active)
			continue;
		GOTO_IF_ERROR(lsh_cands(&s, i));
		if (passages) {
			live[i] = calloc(fq->nfp + 1, 1);
			GOTO_IF(!live[i], RP_ENOMEM);
			GOTO_IF_ERROR(fp_cands(&s, i, live[i]));
		}
	}
	if (s.ncand > 1)
		qsort(s.cand, s.ncand, sizeof(*s.cand), cmp_qcand);
	/* The archived documents named, in archive order. */
	for (size_t i = 0; i < s.ncand; i++)
		if (ncn == 0 || cn[ncn - 1] != s.cand[i].n) {
			GOTO_IF_ERROR(RP_GROW(cn, capcn, ncn + 1));
			cn[ncn++] = s.cand[i].n;
		}

	/* 6. The candidates' documents, then the query's, analysed with the
	 * archive's counts; passages checked on their fingerprints. */
	GOTO_IF_ERROR(work_corpus(ix, &s2, qc));
	GOTO_IF_ERROR(rp_index_load_docs(ix, s2, cn, ncn));
	for (size_t i = 0; i < nkeep; i++)
		GOTO_IF_ERROR(copy_doc(ix, s2, qc, keep[i]));
	free(counted);
	counted = calloc(ncn + nkeep + 1, 1);
	GOTO_IF(!counted, RP_ENOMEM);
	memset(counted, 1, ncn);
	prior.counted = counted;
	s2->prior = &prior;
	err = features(ix, s2, &f2);
	s2->prior = NULL;
	GOTO_IF_ERROR(err);
	for (size_t i = 0; i < s.ncand;) {
		/* Every entry of one (archived, query) pair. */
		size_t j = i + 1;
		int lsh = s.cand[i].lsh, fpc = !s.cand[i].lsh;
		while (j < s.ncand && s.cand[j].n == s.cand[i].n &&
		       s.cand[j].q == s.cand[i].q) {
			lsh |= s.cand[j].lsh;
			fpc |= !s.cand[j].lsh;
			j++;
		}
		size_t ia = (size_t)find_n(cn, ncn, s.cand[i].n);
		size_t iq = ncn + s.cand[i].q;
		int pass = 0;
		/* (the query document's fingerprints as step 5 saw them: the
		 * same text and chrome, so the same as f2's) */
		const dfeat *fq = &f1[nx + s.cand[i].q];
		if (fpc && f2[ia].active && fq->active)
			GOTO_IF_ERROR(passage_pair(&f2[ia], fq, live[s.cand[i].q],
						   ix->winnow_w, &v, &capv, &pass));
		if (lsh || pass) {
			GOTO_IF_ERROR(RP_GROW(cand, capcand, ncand + 1));
			cand[ncand++] = RP_PAIR(ia, iq);
		}
		if (pass) {
			GOTO_IF_ERROR(RP_GROW(pcand, cappcand, npcand + 1));
			pcand[npcand++] = RP_PAIR(ia, iq);
		}
		i = j;
	}
	/* (sorted: by archived document, then query document) */

	/* 7. The question on those pairs. */
	GOTO_IF_ERROR(copy_rejects(s2, qc));
	for (size_t i = 0; i < ndup; i++) {
		const rp_doc *d = &qc->docs[dupi[i]];
		GOTO_IF_ERROR(rp_corpus_reject_add(s2, d->source, d->line, d->id,
						   "%s", dups[i]));
	}
	s2->records_seen = qc->records_seen;
	err = rp_corpus_ask_given(out, s2, &q, cand, ncand, pcand, npcand);
	if (err < 0) {
		rp_index_set_err(ix, "%s", rp_corpus_error(s2));
		goto cleanup;
	}
	/* The skipped buckets and postings a query document is in, for
	 * scan's warning and counts (scan counts those of the whole
	 * collection). */
	(*out)->stats.oversized_buckets = 0;
	(*out)->stats.common_fingerprints = 0;
	for (size_t i = 0; i < s.nskipped; i++) {
		if (s.skipped[i][0] == (uint64_t)RP_KIND_FP)
			(*out)->stats.common_fingerprints++;
		else
			(*out)->stats.oversized_buckets++;
	}
	(*out)->stats.largest_bucket = s.largest;
	(*out)->stats.largest_posting = s.lpost;
	st.archived_read = nx + ncn;
	st.affected = nx;
	st.candidates = ncand;
	st.first_query = ncn;
	n2 = s2->ndocs;
	*work = s2;
	s2 = NULL;
cleanup:
	if (stats)
		*stats = st;
	prior_close(&pc);
	sqlite3_finalize(dup);
	free(s.v.e);
	rp_runs_end(ix);
	if (in_tx)
		sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL);
	free(s.cand);
	free(s.skipped);
	for (size_t i = 0; live && i < nkeep; i++)
		free(live[i]);
	free(live);
	feats_free(f1, s1 ? s1->ndocs : 0);
	feats_free(f2, s2 ? s2->ndocs : n2);
	for (size_t i = 0; dups && i < ndup; i++)
		free(dups[i]);
	free(dups);
	free(dupi);
	free(hc);
	rp_corpus_free(s1);
	rp_corpus_free(s2);
	free(x);
	free(cn);
	free(keep);
	free(counted);
	free(cand);
	free(pcand);
	free(v);
	return err;
}

/* ---- check ---- */

/* One integer from a query with no parameters, into *v. */
static int one_int(rp_index *ix, const char *sql, int64_t *v)
{
	sqlite3_stmt *st = NULL;
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, sql));
	int rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? RP_OK
						     : rp_index_db_fail(ix, sql, rc);
}

/* The kept tables' own consistency, by SQL. */
static int check_tables(rp_index *ix)
{
	static const struct {
		const char *sql, *what;
	} rules[] = {
		{ "SELECT count(*) FROM docgen WHERE gen NOT IN (SELECT id FROM gen)"
		  " OR n NOT IN (SELECT n FROM doc)",
		  "documents of a generation that is not, or not in the index" },
		{ "SELECT count(*) FROM run WHERE gen NOT IN (SELECT id FROM gen)",
		  "blocks of kept keys of a generation that is not" },
		{ "SELECT count(*) FROM dead WHERE gen NOT IN (SELECT id FROM gen)",
		  "removed entries of a generation that is not" },
		{ "SELECT count(*) FROM outlet o WHERE pages != (SELECT count(*)"
		  " FROM doc WHERE doc.outlet = o.name)",
		  "outlets whose page count is not their documents'" },
		{ "SELECT count(*) FROM outlet o WHERE top != coalesce((SELECT"
		  " max(pages) FROM linetot l WHERE l.outlet = o.id AND credit = 0), 0)",
		  "outlets whose most frequent line is not the one counted" },
		{ "SELECT (SELECT count(DISTINCT outlet) FROM doc) - (SELECT count(*)"
		  " FROM outlet)", "outlets of documents not counted" },
	};
	if (!ix->ao.boilerplate) {
		int64_t v = 0;
		FORWARD_IF_ERROR(one_int(ix, "SELECT (SELECT count(*) FROM linetot) +"
					     " (SELECT count(*) FROM outlet) +"
					     " (SELECT count(*) FROM run WHERE kind ="
					     " 4097)", &v));
		if (v) {
			rp_index_set_err(ix, "%s: chrome counts kept by an index "
					 "without chrome learning", ix->path);
			return RP_EINPUT;
		}
	}
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (!ix->ao.boilerplate && i >= 3)
			break;
		int64_t v = 0;
		FORWARD_IF_ERROR(one_int(ix, rules[i].sql, &v));
		if (v) {
			rp_index_set_err(ix, "%s: %lld %s", ix->path, (long long)v,
					 rules[i].what);
			return RP_EINPUT;
		}
	}
	return RP_OK;
}

/* An entry's share of its document's digest. */
static uint64_t ent_hash(int kind, uint64_t key, uint32_t cnt)
{
	uint64_t v[2] = { key, (uint64_t)kind << 32 | cnt };
	return XXH3_64bits(v, sizeof(v));
}

/* Index of doc.n in the sorted ns[0..n), or n. */
static size_t index_of(const int64_t *ns, size_t n, int64_t doc)
{
	ptrdiff_t i = find_n(ns, n, doc);
	return i < 0 ? n : (size_t)i;
}

typedef struct hline {
	uint64_t h;
	const char *outlet;
	uint8_t credit;
} hline;

static int cmp_hline(const void *x, const void *y)
{
	const hline *a = x, *b = y;
	return a->h < b->h ? -1 : a->h > b->h;
}

int rp_index_check_kept(rp_index *ix)
{
	rp_corpus *c = NULL;
	dfeat *f = NULL;
	int64_t *ns = NULL, *dg = NULL;
	uint64_t *want = NULL, *have = NULL;
	hline *hl = NULL;
	rp_page_line *pl = NULL;
	int *kinds = NULL;
	rp_runvec v;
	size_t n = 0, cap = 0, nhl = 0, caphl = 0, npl = 0, cappl = 0, nk = 0;
	sqlite3_stmt *st = NULL, *tot = NULL;
	int err = RP_OK, rc;
	const char *bad = NULL;
	size_t bad_d = SIZE_MAX;
	memset(&v, 0, sizeof(v));

	FORWARD_IF_ERROR(check_tables(ix));
	GOTO_IF_ERROR(rp_runs_begin(ix));
	/* The documents, and the generation each one's features are in. */
	GOTO_IF_ERROR(rp_index_prepare(ix, &st, "SELECT d.n, coalesce(g.gen, 0) FROM doc d"
				       " LEFT JOIN docgen g ON g.n = d.n ORDER BY d.n"));
	size_t capdg = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GOTO_IF_ERROR(RP_GROW(ns, cap, n + 1));
		GOTO_IF_ERROR(RP_GROW(dg, capdg, n + 1));
		ns[n] = sqlite3_column_int64(st, 0);
		dg[n++] = sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		GOTO_IF_ERROR(rp_index_db_fail(ix, "reading documents", rc));
	/* What the texts give, computed from scratch, as a digest per
	 * document (a sum of its entries' hashes and their number)... */
	GOTO_IF_ERROR(work_corpus(ix, &c, NULL));
	GOTO_IF_ERROR(rp_index_load_docs(ix, c, ns, n));
	GOTO_IF_ERROR(features(ix, c, &f));
	want = calloc(2 * (n + 1), sizeof(*want));
	have = calloc(2 * (n + 1), sizeof(*have));
	GOTO_IF(!want || !have, RP_ENOMEM);
	for (size_t d = 0; d < n; d++) {
		if (!f[d].active)
			continue;
		if (dg[d] == 0 && !bad)
			bad = "features", bad_d = d;
		for (unsigned b = 0; b < ix->bands; b++) {
			want[2 * d] += ent_hash((int)b, f[d].keys[b], 1);
			want[2 * d + 1]++;
		}
		for (size_t k = 0; k < f[d].nfp;) {
			size_t j = k + 1;
			while (j < f[d].nfp && f[d].fp[j].h == f[d].fp[k].h)
				j++;
			want[2 * d] += ent_hash(RP_KIND_FP, f[d].fp[k].h,
						(uint32_t)(j - k));
			want[2 * d + 1]++;
			k = j;
		}
	}
	if (ix->ao.boilerplate)
		GOTO_IF_ERROR(texts_ready(ix, c));
	if (ix->ao.boilerplate)
		for (size_t d = 0; d < n; d++) {
			const rp_doc *doc = &c->docs[d];
			if (!doc->outlet)
				continue;
			npl = 0;
			GOTO_IF_ERROR(rp_page_lines(&pl, &npl, &cappl, doc->text,
						    doc->text_len,
						    rp_outlet_salt(doc->outlet)));
			GOTO_IF_ERROR(RP_GROW(hl, caphl, nhl + npl));
			for (size_t k = 0; k < npl; k++) {
				want[2 * d] += ent_hash(RP_KIND_LINE, pl[k].h, 1);
				want[2 * d + 1]++;
				hl[nhl++] = (hline){ pl[k].h, doc->outlet, pl[k].credit };
			}
		}
	/* ... against every live entry kept, each in its document's
	 * generation (features) and of a document of the index. */
	GOTO_IF_ERROR(rp_runs_kinds(ix, &kinds, &nk));
	for (size_t g = 0; g < ix->ngens && !bad; g++)
		for (size_t k = 0; k < nk && !bad; k++) {
			int kind = kinds[k];
			if (kind != RP_KIND_FP && kind != RP_KIND_LINE &&
			    (kind < 0 || kind >= (int)ix->bands)) {
				bad = "keys of an unknown kind";
				break;
			}
			v.n = 0;
			GOTO_IF_ERROR(rp_runs_all(ix, ix->gens[g], kind, &v));
			for (size_t i = 0; i < v.n; i++) {
				size_t d = index_of(ns, n, v.e[i].doc);
				if (d == n) {
					bad = "entries of no document";
					break;
				}
				if (kind != RP_KIND_LINE && dg[d] != ix->gens[g]) {
					bad = "features", bad_d = d;
					break;
				}
				have[2 * d] += ent_hash(kind, v.e[i].key, v.e[i].cnt);
				have[2 * d + 1]++;
			}
		}
	for (size_t d = 0; d < n && !bad; d++)
		if (want[2 * d] != have[2 * d] || want[2 * d + 1] != have[2 * d + 1])
			bad = "features or lines", bad_d = d;
	/* The totals of lines on three pages or more. */
	if (!bad && ix->ao.boilerplate) {
		if (nhl > 1)
			qsort(hl, nhl, sizeof(*hl), cmp_hline);
		GOTO_IF_ERROR(rp_index_prepare(ix, &tot, "SELECT t.pages, t.credit FROM"
						" linetot t JOIN outlet o ON o.id ="
						" t.outlet WHERE o.name = ?1 AND t.h = ?2"));
		int64_t lines3 = 0, kept = 0;
		for (size_t i = 0; i < nhl && !bad;) {
			size_t j = i + 1;
			while (j < nhl && hl[j].h == hl[i].h)
				j++;
			if (j - i >= 3) {
				lines3++;
				sqlite3_bind_text(tot, 1, hl[i].outlet, -1, SQLITE_STATIC);
				sqlite3_bind_int64(tot, 2, (int64_t)hl[i].h);
				rc = sqlite3_step(tot);
				int ok = rc == SQLITE_ROW &&
					 sqlite3_column_int64(tot, 0) == (int64_t)(j - i) &&
					 sqlite3_column_int64(tot, 1) == hl[i].credit;
				sqlite3_reset(tot);
				if (rc != SQLITE_ROW && rc != SQLITE_DONE)
					GOTO_IF_ERROR(rp_index_db_fail(ix, "reading lines", rc));
				if (!ok)
					bad = "line totals";
			}
			i = j;
		}
		if (!bad) {
			GOTO_IF_ERROR(one_int(ix, "SELECT count(*) FROM linetot", &kept));
			if (kept != lines3)
				bad = "line totals";
		}
	}
	if (bad) {
		if (bad_d < n)
			rp_index_set_err(ix, "%s: the %s kept for '%s' are not those "
					 "of its text", ix->path, bad, c->docs[bad_d].id);
		else
			rp_index_set_err(ix, "%s: the %s kept are not those of the "
					 "documents' texts", ix->path, bad);
		GOTO_IF(1, RP_EINPUT);
	}
cleanup:
	rp_runs_end(ix);
	sqlite3_finalize(st);
	sqlite3_finalize(tot);
	feats_free(f, c ? c->ndocs : 0);
	rp_corpus_free(c);
	free(ns);
	free(dg);
	free(want);
	free(have);
	free(hl);
	free(pl);
	free(kinds);
	free(v.e);
	return err;
}
