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
 *                               any of its lines that is not a credit
 *                               (whether the outlet has a site template)
 *   line(outlet, h, pages, credit), line_doc(outlet, h, doc)
 *                               every distinct line of every page, hashed
 *                               as chrome learning hashes it, with the
 *                               pages it is on
 *   band(band, key, doc)        the band keys of the kept question's
 *                               banding (meta: bands x rows)
 *   fp(h, doc, cnt)             winnowing fingerprints (meta: winnow_w),
 *                               with how often each is in a document
 *
 * A query analyses its pages with the archive's counts as a prior
 * (boiler.h): their chrome is what the whole archive teaches. New pages
 * can change the chrome of archived pages (a line of one archived page
 * seen again is chrome now; the outlet's page count moves the rerun
 * cap; the outlet gains or loses its template): those archived pages
 * ("affected") are found from the counts, analysed again, and their new
 * band keys and fingerprints stand in for the kept ones. Bucket and
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

static int prepare(rp_index *ix, sqlite3_stmt **st, const char *sql)
{
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, st, NULL);
	return rc == SQLITE_OK ? RP_OK : rp_index_db_fail(ix, sql, rc);
}

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
	FORWARD_IF_ERROR(prepare(ix, &st, "SELECT id, outlet, date, title, text,"
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
		const char *f[6];
		int len[6];
		for (int k = 0; k < 6; k++) {
			f[k] = (const char *)sqlite3_column_text(st, k);
			len[k] = sqlite3_column_bytes(st, k);
		}
		size_t before = rp_corpus_count(c);
		if (f[0] && f[4]) {
			rp_doc_input in = { f[0], (size_t)len[0], f[4], (size_t)len[4],
					    f[3], f[3] ? (size_t)len[3] : 0,
					    f[1], f[1] ? (size_t)len[1] : 0,
					    f[2], f[2] ? (size_t)len[2] : 0,
					    f[5] ? f[5] : ix->path,
					    (size_t)sqlite3_column_int64(st, 6) };
			err = rp_corpus_add(c, &in);
			if (err == RP_EINPUT)
				err = RP_OK;
			GOTO_IF_ERROR(err);
		}
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

typedef struct prior_ctx {
	rp_index *ix;
	sqlite3_stmt *outlet, *line;
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
	*pages = 0;
	sqlite3_reset(p->line);
	sqlite3_bind_text(p->line, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(p->line, 2, (int64_t)h);
	int rc = sqlite3_step(p->line);
	if (rc == SQLITE_ROW) {
		*pages = (size_t)sqlite3_column_int64(p->line, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(p->line);
	return rc == SQLITE_DONE ? RP_OK
				 : rp_index_db_fail(p->ix, "reading lines", rc);
}

static int prior_open(rp_index *ix, prior_ctx *p)
{
	memset(p, 0, sizeof(*p));
	p->ix = ix;
	FORWARD_IF_ERROR(prepare(ix, &p->outlet, "SELECT pages, top FROM outlet"
						 " WHERE name = ?1"));
	return prepare(ix, &p->line, "SELECT sum(pages) FROM line WHERE gen IN"
				     " (SELECT id FROM gen) AND outlet = (SELECT id"
				     " FROM outlet WHERE name = ?1) AND h = ?2");
}

static void prior_close(prior_ctx *p)
{
	sqlite3_finalize(p->outlet);
	sqlite3_finalize(p->line);
	memset(p, 0, sizeof(*p));
}

/* ---- features of analysed documents ---- */

typedef struct fpent {
	uint32_t h, pos;
} fpent;

/* What is kept of one document: its band keys and fingerprints (by
 * hash, then position); none for a document with no words. */
typedef struct dfeat {
	int active;
	uint64_t *keys;
	fpent *fp;
	size_t nfp;
} dfeat;

static void feats_free(dfeat *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		free(f[i].keys);
		free(f[i].fp);
	}
	free(f);
}

static int cmp_fpent(const void *x, const void *y)
{
	const fpent *a = x, *b = y;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

typedef struct feat_job {
	rp_corpus *c;
	dfeat *out;
	const uint8_t *want;   /* NULL: every document */
	unsigned bands, rows, w, tid, nthreads;
	int err;
} feat_job;

static void *feat_worker(void *arg)
{
	feat_job *j = arg;
	rp_tokbuf tb;
	rp_shinglebuf sb;
	rp_scratch sc;
	rp_fp *fp = NULL;
	size_t capfp = 0;
	const rp_analysis_options *o = &j->c->ao;
	uint64_t *sig = reallocarray(NULL, o->num_perm, sizeof(*sig));
	memset(&tb, 0, sizeof(tb));
	memset(&sb, 0, sizeof(sb));
	memset(&sc, 0, sizeof(sc));
	if (!sig)
		j->err = RP_ENOMEM;
	for (size_t d = j->tid; !j->err && d < j->c->ndocs; d += j->nthreads) {
		dfeat *f = &j->out[d];
		if (!j->c->an->active[d] || (j->want && !j->want[d]))
			continue;
		int err = rp_analysis_shingles(j->c, d, &tb, &sb, &sc);
		if (err == RP_OK && sb.n == 0)
			continue; /* (the base pass made it inactive) */
		f->keys = reallocarray(NULL, j->bands, sizeof(*f->keys));
		if (err == RP_OK && !f->keys)
			err = RP_ENOMEM;
		if (err < 0) {
			j->err = err;
			break;
		}
		if (o->minhash == RP_MINHASH_CLASSIC)
			rp_sign_classic(sig, o->num_perm, sb.h, sb.n, o->seed);
		else
			rp_sign_oph(sig, o->num_perm, sb.h, sb.n, o->seed);
		for (unsigned b = 0; b < j->bands; b++)
			f->keys[b] = XXH3_64bits_withSeed(
				sig + (size_t)b * j->rows,
				j->rows * sizeof(uint64_t), b);
		size_t nfp = 0;
		err = rp_winnow(&fp, &nfp, &capfp, sb.h, sb.n, j->w, (uint32_t)d);
		f->fp = reallocarray(NULL, nfp + 1, sizeof(*f->fp));
		if (err == RP_OK && !f->fp)
			err = RP_ENOMEM;
		if (err < 0) {
			j->err = err;
			break;
		}
		for (size_t i = 0; i < nfp; i++)
			f->fp[i] = (fpent){ fp[i].h, fp[i].pos };
		f->nfp = nfp;
		qsort(f->fp, nfp, sizeof(*f->fp), cmp_fpent);
		f->active = 1;
	}
	free(sig);
	free(fp);
	rp_tokbuf_free(&tb);
	rp_shinglebuf_free(&sb);
	rp_scratch_free(&sc);
	return NULL;
}

/* Analyse c (its prior set by the caller) and compute the features of
 * its documents (those with want[d], or all) into *out (c->ndocs). */
static int features(rp_index *ix, rp_corpus *c, const uint8_t *want,
		    dfeat **out)
{
	*out = NULL;
	int err = rp_corpus_analyze(c);
	if (err < 0) {
		rp_index_set_err(ix, "%s", rp_corpus_error(c));
		return err;
	}
	dfeat *f = calloc(c->ndocs + 1, sizeof(*f));
	RETURN_ERROR_IF(!f, RP_ENOMEM);
	unsigned nt = rp_thread_count(c->ao.threads, c->ndocs);
	feat_job jobs[RP_MAX_THREADS];
	for (unsigned t = 0; t < nt; t++)
		jobs[t] = (feat_job){ c, f, want, ix->bands, ix->rows,
				      ix->winnow_w, t, nt, RP_OK };
	rp_run_jobs(feat_worker, jobs, sizeof(jobs[0]), nt);
	for (unsigned t = 0; t < nt; t++)
		if (jobs[t].err < 0 && err == RP_OK)
			err = jobs[t].err;
	if (err < 0) {
		feats_free(f, c->ndocs);
		return err;
	}
	*out = f;
	return RP_OK;
}

/* ---- writing what is kept ---- */

typedef struct band_row {
	uint64_t key;
	int64_t doc;
	uint32_t band;
} band_row;

typedef struct fp_row {
	uint32_t h, cnt;
	int64_t doc;
} fp_row;

static int cmp_band_row(const void *x, const void *y)
{
	const band_row *a = x, *b = y;
	if (a->band != b->band)
		return a->band < b->band ? -1 : 1;
	if (a->key != b->key)
		return (int64_t)a->key < (int64_t)b->key ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int cmp_fp_row(const void *x, const void *y)
{
	const fp_row *a = x, *b = y;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* Remove the rows of features f[i] of documents ns[i], i < n: what was
 * kept of them (computed again: kept features are always those of the
 * archive's current counts). */
static int forget(rp_index *ix, const dfeat *f, const int64_t *ns, size_t n)
{
	sqlite3_stmt *db = NULL, *df = NULL, *fg = NULL;
	int err = RP_OK;
	GOTO_IF_ERROR(prepare(ix, &fg, "SELECT gen FROM docgen WHERE n = ?1"));
	GOTO_IF_ERROR(prepare(ix, &db, "DELETE FROM band WHERE gen = ?4 AND"
				       " band = ?1 AND key = ?2 AND doc = ?3"));
	GOTO_IF_ERROR(prepare(ix, &df, "DELETE FROM fp WHERE gen = ?3 AND h = ?1"
				       " AND doc = ?2"));
	for (size_t i = 0; i < n; i++) {
		if (!f[i].active)
			continue;
		sqlite3_bind_int64(fg, 1, ns[i]);
		int rc = sqlite3_step(fg);
		int64_t gen = rc == SQLITE_ROW ? sqlite3_column_int64(fg, 0) : 0;
		sqlite3_reset(fg);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			GOTO_IF_ERROR(rp_index_db_fail(ix, "reading documents", rc));
		for (unsigned b = 0; b < ix->bands; b++) {
			sqlite3_bind_int64(db, 1, b);
			sqlite3_bind_int64(db, 2, (int64_t)f[i].keys[b]);
			sqlite3_bind_int64(db, 3, ns[i]);
			sqlite3_bind_int64(db, 4, gen);
			GOTO_IF_ERROR(step_done(ix, db, "removing band keys"));
		}
		for (size_t k = 0; k < f[i].nfp; k++) {
			if (k && f[i].fp[k].h == f[i].fp[k - 1].h)
				continue;
			sqlite3_bind_int64(df, 1, f[i].fp[k].h);
			sqlite3_bind_int64(df, 2, ns[i]);
			sqlite3_bind_int64(df, 3, gen);
			GOTO_IF_ERROR(step_done(ix, df, "removing fingerprints"));
		}
	}
cleanup:
	sqlite3_finalize(fg);
	sqlite3_finalize(db);
	sqlite3_finalize(df);
	return err;
}

/* Write the features f[i] of documents ns[i], i < n (none kept now):
 * rows sorted by key, so that the trees are written in order. */
static int write_feats(rp_index *ix, const dfeat *f, const int64_t *ns, size_t n)
{
	band_row *br = NULL;
	fp_row *fr = NULL;
	size_t nbr = 0, nfr = 0, capbr = 0, capfr = 0;
	sqlite3_stmt *ib = NULL, *ifp = NULL, *fg = NULL;
	int err = RP_OK;
	GOTO_IF_ERROR(prepare(ix, &ib, "INSERT INTO band VALUES(?4, ?1, ?2, ?3)"));
	GOTO_IF_ERROR(prepare(ix, &ifp, "INSERT INTO fp VALUES(?4, ?1, ?2, ?3)"));
	GOTO_IF_ERROR(prepare(ix, &fg, "INSERT OR REPLACE INTO docgen VALUES(?1, ?2)"));
	for (size_t i = 0; i < n; i++) {
		if (!f[i].active)
			continue;
		sqlite3_bind_int64(fg, 1, ns[i]);
		sqlite3_bind_int64(fg, 2, ix->gen);
		GOTO_IF_ERROR(step_done(ix, fg, "writing documents"));
		GOTO_IF_ERROR(RP_GROW(br, capbr, nbr + ix->bands));
		for (unsigned b = 0; b < ix->bands; b++)
			br[nbr++] = (band_row){ f[i].keys[b], ns[i], b };
		/* Fingerprints by hash with their count in the document. */
		size_t first = nfr;
		for (size_t k = 0; k < f[i].nfp; k++) {
			if (nfr > first && fr[nfr - 1].h == f[i].fp[k].h) {
				fr[nfr - 1].cnt++;
				continue;
			}
			GOTO_IF_ERROR(RP_GROW(fr, capfr, nfr + 1));
			fr[nfr++] = (fp_row){ f[i].fp[k].h, 1, ns[i] };
		}
	}
	if (nbr > 1)
		qsort(br, nbr, sizeof(*br), cmp_band_row);
	for (size_t k = 0; k < nbr; k++) {
		sqlite3_bind_int64(ib, 1, br[k].band);
		sqlite3_bind_int64(ib, 2, (int64_t)br[k].key);
		sqlite3_bind_int64(ib, 3, br[k].doc);
		sqlite3_bind_int64(ib, 4, ix->gen);
		GOTO_IF_ERROR(step_done(ix, ib, "writing band keys"));
	}
	if (nfr > 1)
		qsort(fr, nfr, sizeof(*fr), cmp_fp_row);
	for (size_t k = 0; k < nfr; k++) {
		sqlite3_bind_int64(ifp, 1, fr[k].h);
		sqlite3_bind_int64(ifp, 2, fr[k].doc);
		sqlite3_bind_int64(ifp, 3, fr[k].cnt);
		sqlite3_bind_int64(ifp, 4, ix->gen);
		GOTO_IF_ERROR(step_done(ix, ifp, "writing fingerprints"));
	}
cleanup:
	sqlite3_finalize(fg);
	sqlite3_finalize(ib);
	sqlite3_finalize(ifp);
	free(br);
	free(fr);
	return err;
}

/* One line of one new page, to be counted. */
typedef struct lrow {
	int64_t outlet, doc;
	uint64_t h;
	uint8_t credit;
} lrow;

static int cmp_lrow(const void *x, const void *y)
{
	const lrow *a = x, *b = y;
	if (a->outlet != b->outlet)
		return a->outlet < b->outlet ? -1 : 1;
	if (a->h != b->h)
		return (int64_t)a->h < (int64_t)b->h ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* Count the lines of the pages c[from..to) (doc.n ns[d - from]) into
 * outlet, line and line_doc: gathered, sorted by key and written once
 * per distinct line. */
static int write_lines(rp_index *ix, const rp_corpus *c, size_t from,
		       size_t to, const int64_t *ns)
{
	sqlite3_stmt *get = NULL, *mk = NULL, *pg = NULL, *ln = NULL,
		     *ld = NULL, *tp = NULL, *old = NULL, *tot = NULL;
	rp_page_line *pl = NULL;
	lrow *rows = NULL;
	size_t npl = 0, cappl = 0, nrows = 0, caprows = 0;
	int err = RP_OK;
	if (!ix->ao.boilerplate)
		return RP_OK;
	GOTO_IF_ERROR(prepare(ix, &get, "SELECT id FROM outlet WHERE name = ?1"));
	GOTO_IF_ERROR(prepare(ix, &mk, "INSERT INTO outlet(name, pages, top)"
				       " VALUES(?1, 0, 0)"));
	GOTO_IF_ERROR(prepare(ix, &pg, "UPDATE outlet SET pages = pages + 1"
				       " WHERE id = ?1"));
	GOTO_IF_ERROR(prepare(ix, &old, "SELECT sum(pages) FROM line WHERE gen IN"
					" (SELECT id FROM gen) AND outlet = ?1 AND"
					" h = ?2"));
	GOTO_IF_ERROR(prepare(ix, &ln, "INSERT INTO line VALUES(?5, ?1, ?2, ?3, ?4)"));
	GOTO_IF_ERROR(prepare(ix, &tot, "INSERT INTO linetot VALUES(?1, ?2, ?3, ?4)"
					" ON CONFLICT(outlet, h) DO UPDATE SET"
					" pages = excluded.pages"));
	GOTO_IF_ERROR(prepare(ix, &ld, "INSERT INTO line_doc VALUES(?4, ?1, ?2, ?3)"));
	GOTO_IF_ERROR(prepare(ix, &tp, "UPDATE outlet SET top = ?2 WHERE id = ?1"
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
			rows[nrows++] = (lrow){ id, ns[d - from], pl[k].h,
						pl[k].credit };
	}
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), cmp_lrow);
	int64_t top = 0;
	for (size_t i = 0; i < nrows;) {
		size_t j = i + 1;
		while (j < nrows && rows[j].outlet == rows[i].outlet &&
		       rows[j].h == rows[i].h)
			j++;
		/* Its pages before this batch (every generation), then
		 * this batch's row; a line on three pages or more is also
		 * in linetot, with its total (the rerun cap and the
		 * template test look there). */
		sqlite3_bind_int64(old, 1, rows[i].outlet);
		sqlite3_bind_int64(old, 2, (int64_t)rows[i].h);
		int rc = sqlite3_step(old);
		int64_t pages = rc == SQLITE_ROW ? sqlite3_column_int64(old, 0) : 0;
		sqlite3_reset(old);
		if (rc != SQLITE_ROW)
			GOTO_IF_ERROR(rp_index_db_fail(ix, "counting lines", rc));
		pages += (int64_t)(j - i);
		sqlite3_bind_int64(ln, 1, rows[i].outlet);
		sqlite3_bind_int64(ln, 2, (int64_t)rows[i].h);
		sqlite3_bind_int64(ln, 3, (int64_t)(j - i));
		sqlite3_bind_int64(ln, 4, rows[i].credit);
		sqlite3_bind_int64(ln, 5, ix->gen);
		GOTO_IF_ERROR(step_done(ix, ln, "counting lines"));
		if (pages >= 3) {
			sqlite3_bind_int64(tot, 1, rows[i].outlet);
			sqlite3_bind_int64(tot, 2, (int64_t)rows[i].h);
			sqlite3_bind_int64(tot, 3, pages);
			sqlite3_bind_int64(tot, 4, rows[i].credit);
			GOTO_IF_ERROR(step_done(ix, tot, "counting lines"));
			if (!rows[i].credit && pages > top)
				top = pages;
		}
		for (size_t k = i; k < j; k++) {
			sqlite3_bind_int64(ld, 1, rows[k].outlet);
			sqlite3_bind_int64(ld, 2, (int64_t)rows[k].h);
			sqlite3_bind_int64(ld, 3, rows[k].doc);
			sqlite3_bind_int64(ld, 4, ix->gen);
			GOTO_IF_ERROR(step_done(ix, ld, "listing lines"));
		}
		/* The outlet's most frequent line, once its lines are done. */
		if (j == nrows || rows[j].outlet != rows[i].outlet) {
			sqlite3_bind_int64(tp, 1, rows[i].outlet);
			sqlite3_bind_int64(tp, 2, top);
			GOTO_IF_ERROR(step_done(ix, tp, "counting lines"));
			top = 0;
		}
		i = j;
	}
cleanup:
	sqlite3_finalize(get);
	sqlite3_finalize(mk);
	sqlite3_finalize(pg);
	sqlite3_finalize(ln);
	sqlite3_finalize(ld);
	sqlite3_finalize(tp);
	sqlite3_finalize(old);
	sqlite3_finalize(tot);
	free(pl);
	free(rows);
	return err;
}

/* ---- archived pages whose chrome new pages change ---- */

typedef struct qline {
	const char *outlet;
	uint64_t h;
	uint8_t credit, prose;
} qline;

static int cmp_qline(const void *x, const void *y)
{
	const qline *a = x, *b = y;
	int s = strcmp(a->outlet, b->outlet);
	if (s)
		return s;
	return a->h < b->h ? -1 : a->h > b->h;
}

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

/*
 * The archived pages (doc.n below `below`) whose chrome changes when the
 * pages docs[0..n) of c join the archive, sorted and distinct, into *x;
 * *many is set when there are more than MAX_AFFECTED.
 */
static int affected(rp_index *ix, const rp_corpus *c, const size_t *docs,
		    size_t n, int64_t below, int64_t **x, size_t *nx, int *many)
{
	qline *ql = NULL;
	rp_page_line *pl = NULL;
	const char **names = NULL;
	size_t nql = 0, capql = 0, npl = 0, cappl = 0, nn = 0, capx = 0;
	sqlite3_stmt *so = NULL, *sl = NULL, *all = NULL, *range = NULL,
		     *post = NULL;
	int err = RP_OK;
	*x = NULL;
	*nx = 0;
	*many = 0;
	if (!ix->ao.boilerplate)
		return RP_OK;
	unsigned minp = RP_MAX(ix->ao.chrome_min_pages, 2u);
	names = reallocarray(NULL, n + 1, sizeof(*names));
	GOTO_IF(!names, RP_ENOMEM);
	for (size_t i = 0; i < n; i++) {
		const rp_doc *d = &c->docs[docs[i]];
		if (!d->outlet)
			continue;
		names[nn++] = d->outlet;
		npl = 0;
		GOTO_IF_ERROR(rp_page_lines(&pl, &npl, &cappl, d->text, d->text_len,
					    rp_outlet_salt(d->outlet)));
		GOTO_IF_ERROR(RP_GROW(ql, capql, nql + npl));
		for (size_t k = 0; k < npl; k++)
			ql[nql++] = (qline){ d->outlet, pl[k].h, pl[k].credit,
					     pl[k].prose };
	}
	if (nn > 1)
		qsort(names, nn, sizeof(*names), cmp_str);
	if (nql > 1)
		qsort(ql, nql, sizeof(*ql), cmp_qline);
	GOTO_IF_ERROR(prepare(ix, &so, "SELECT id, pages, top FROM outlet"
				       " WHERE name = ?1"));
	GOTO_IF_ERROR(prepare(ix, &sl, "SELECT sum(pages) FROM line WHERE gen IN"
				       " (SELECT id FROM gen) AND outlet = ?1 AND"
				       " h = ?2"));
	GOTO_IF_ERROR(prepare(ix, &all, "SELECT n FROM doc WHERE outlet = ?1"));
	GOTO_IF_ERROR(prepare(ix, &range, "SELECT h FROM linetot WHERE outlet = ?1"
					  " AND pages > ?2 AND pages <= ?3"));
	GOTO_IF_ERROR(prepare(ix, &post, "SELECT doc FROM line_doc WHERE gen IN"
					 " (SELECT id FROM gen) AND outlet = ?1 AND"
					 " h = ?2"));
	size_t q = 0; /* into ql */
	for (size_t i = 0; i < nn && !*many;) {
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
		while (q < nql && strcmp(ql[q].outlet, name) < 0)
			q++;
		size_t q0 = q;
		typedef struct { size_t old, new_; uint64_t h; int prose; } cnt;
		cnt *lc = NULL;
		size_t nlc = 0, caplc = 0;
		while (q < nql && strcmp(ql[q].outlet, name) == 0) {
			size_t r = q + 1;
			while (r < nql && strcmp(ql[r].outlet, name) == 0 &&
			       ql[r].h == ql[q].h)
				r++;
			size_t p_old = 0;
			if (id >= 0) {
				sqlite3_bind_int64(sl, 1, id);
				sqlite3_bind_int64(sl, 2, (int64_t)ql[q].h);
				rc = sqlite3_step(sl);
				if (rc == SQLITE_ROW)
					p_old = (size_t)sqlite3_column_int64(sl, 0);
				/* (sum() always gives one row) */
				sqlite3_reset(sl);
				if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
					free(lc);
					GOTO_IF_ERROR(rp_index_db_fail(ix, "reading lines", rc));
				}
			}
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
		(void)q0;
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
					sqlite3_bind_int64(post, 1, id);
					sqlite3_bind_int64(post, 2, sqlite3_column_int64(range, 0));
					err = collect_docs(ix, post, below, x, nx, &capx);
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
				sqlite3_bind_int64(post, 1, id);
				sqlite3_bind_int64(post, 2, (int64_t)lc[k].h);
				err = collect_docs(ix, post, below, x, nx, &capx);
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
	sqlite3_finalize(sl);
	sqlite3_finalize(all);
	sqlite3_finalize(range);
	sqlite3_finalize(post);
	free(ql);
	free(pl);
	free(names);
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
	FORWARD_IF_ERROR(prepare(ix, &st, "INSERT INTO gen(docs) VALUES(?1)"));
	sqlite3_bind_int64(st, 1, (int64_t)docs);
	int err = step_done(ix, st, "starting a generation");
	sqlite3_finalize(st);
	ix->gen = err == RP_OK ? sqlite3_last_insert_rowid(ix->db) : 0;
	return err;
}

/* Merge generations a and b into a new one (rows rewritten in key
 * order, appended after every other generation's). */
static int merge_gens(rp_index *ix, int64_t a, int64_t b, int64_t docs)
{
	static const char *const steps[] = {
		"INSERT INTO band SELECT ?3, band, key, doc FROM band WHERE gen"
		" IN (?1, ?2) ORDER BY band, key, doc",
		"DELETE FROM band WHERE gen IN (?1, ?2)",
		"INSERT INTO fp SELECT ?3, h, doc, cnt FROM fp WHERE gen IN"
		" (?1, ?2) ORDER BY h, doc",
		"DELETE FROM fp WHERE gen IN (?1, ?2)",
		"INSERT INTO line SELECT ?3, outlet, h, sum(pages), max(credit)"
		" FROM line WHERE gen IN (?1, ?2) GROUP BY outlet, h"
		" ORDER BY outlet, h",
		"DELETE FROM line WHERE gen IN (?1, ?2)",
		"INSERT INTO line_doc SELECT ?3, outlet, h, doc FROM line_doc"
		" WHERE gen IN (?1, ?2) ORDER BY outlet, h, doc",
		"DELETE FROM line_doc WHERE gen IN (?1, ?2)",
		"UPDATE docgen SET gen = ?3 WHERE gen IN (?1, ?2)",
		"DELETE FROM gen WHERE id IN (?1, ?2)",
	};
	FORWARD_IF_ERROR(new_gen(ix, (size_t)docs));
	int64_t c = ix->gen;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sqlite3_stmt *st = NULL;
		FORWARD_IF_ERROR(prepare(ix, &st, steps[i]));
		sqlite3_bind_int64(st, 1, a);
		sqlite3_bind_int64(st, 2, b);
		if (sqlite3_bind_parameter_count(st) >= 3)
			sqlite3_bind_int64(st, 3, c);
		int err = step_done(ix, st, "merging generations");
		sqlite3_finalize(st);
		FORWARD_IF_ERROR(err);
	}
	return RP_OK;
}

/*
 * Keep few generations: a query seeks each one. The newest is merged
 * into the one before it while it holds a quarter of its documents or
 * more, so generations shrink fourfold from the oldest to the newest:
 * about log4(archive / batch) + 1 of them, each row rewritten about as
 * often.
 */
static int compact(rp_index *ix)
{
	for (;;) {
		sqlite3_stmt *st = NULL;
		int64_t id[2] = { 0, 0 }, docs[2] = { 0, 0 };
		int k = 0, rc;
		FORWARD_IF_ERROR(prepare(ix, &st, "SELECT id, docs FROM gen ORDER BY"
						  " id DESC LIMIT 2"));
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < 2) {
			id[k] = sqlite3_column_int64(st, 0);
			docs[k++] = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			return rp_index_db_fail(ix, "reading generations", rc);
		if (k < 2 || 4 * docs[0] < docs[1])
			return RP_OK;
		FORWARD_IF_ERROR(merge_gens(ix, id[1], id[0], docs[0] + docs[1]));
	}
}

/* ---- add, rebuild ---- */

/* A new corpus with the index's analysis options. */
static int work_corpus(rp_index *ix, rp_corpus **out)
{
	FORWARD_IF_ERROR(rp_corpus_new(out, NULL));
	int err = rp_corpus_configure(*out, &ix->ao);
	if (err < 0) {
		rp_index_set_err(ix, "%s", rp_corpus_error(*out));
		rp_corpus_free(*out);
		*out = NULL;
	}
	return err;
}

/* Copy document i of src into dst. */
static int copy_doc(rp_corpus *dst, const rp_corpus *src, size_t i)
{
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
	GOTO_IF_ERROR(rp_index_exec(ix, "DELETE FROM outlet; DELETE FROM line;"
				    " DELETE FROM linetot; DELETE FROM line_doc;"
				    " DELETE FROM band; DELETE FROM fp;"
				    " DELETE FROM gen; DELETE FROM docgen;"));
	GOTO_IF_ERROR(prepare(ix, &st, "SELECT n FROM doc ORDER BY n"));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GOTO_IF_ERROR(RP_GROW(ns, cap, n + 1));
		ns[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE)
		GOTO_IF_ERROR(rp_index_db_fail(ix, "reading documents", rc));
	GOTO_IF_ERROR(work_corpus(ix, &c));
	GOTO_IF_ERROR(rp_index_load_docs(ix, c, ns, n));
	GOTO_IF_ERROR(features(ix, c, NULL, &f));
	GOTO_IF_ERROR(new_gen(ix, n));
	GOTO_IF_ERROR(write_lines(ix, c, 0, n, ns));
	GOTO_IF_ERROR(write_feats(ix, f, ns, n));
cleanup:
	ix->gen = 0;
	sqlite3_finalize(st);
	feats_free(f, c ? c->ndocs : 0);
	rp_corpus_free(c);
	free(ns);
	return err;
}

int rp_index_added(rp_index *ix, const rp_corpus *src, const size_t *idx,
		   const int64_t *ns, size_t n)
{
	int64_t *x = NULL, *all = NULL;
	uint8_t *counted = NULL;
	rp_corpus *c = NULL;
	dfeat *f = NULL;
	prior_ctx pc;
	int many = 0, err = RP_OK;
	size_t nx = 0;
	memset(&pc, 0, sizeof(pc));
	GOTO_IF_ERROR(affected(ix, src, idx, n, ns[0], &x, &nx, &many));
	if (many) {
		err = rp_index_rebuild(ix);
		goto cleanup;
	}
	GOTO_IF_ERROR(prior_open(ix, &pc));
	if (nx) {
		/* What is kept of the affected pages now, to be removed. */
		GOTO_IF_ERROR(work_corpus(ix, &c));
		GOTO_IF_ERROR(rp_index_load_docs(ix, c, x, nx));
		counted = calloc(nx + 1, 1);
		GOTO_IF(!counted, RP_ENOMEM);
		memset(counted, 1, nx);
		rp_boiler_prior old = { prior_outlet, prior_line, counted, &pc };
		c->prior = &old;
		err = features(ix, c, NULL, &f);
		c->prior = NULL;
		GOTO_IF_ERROR(err);
		GOTO_IF_ERROR(forget(ix, f, x, nx));
		feats_free(f, c->ndocs);
		f = NULL;
		rp_corpus_free(c);
		c = NULL;
		free(counted);
		counted = NULL;
	}
	/* The affected archived pages (counted in the archive's numbers)
	 * and the new ones (not yet), analysed with those numbers. */
	GOTO_IF_ERROR(work_corpus(ix, &c));
	GOTO_IF_ERROR(rp_index_load_docs(ix, c, x, nx));
	for (size_t i = 0; i < n; i++)
		GOTO_IF_ERROR(copy_doc(c, src, idx[i]));
	counted = calloc(nx + n + 1, 1);
	all = reallocarray(NULL, nx + n + 1, sizeof(*all));
	GOTO_IF(!counted || !all, RP_ENOMEM);
	memset(counted, 1, nx);
	if (nx)
		memcpy(all, x, nx * sizeof(*all));
	memcpy(all + nx, ns, n * sizeof(*all));
	rp_boiler_prior prior = { prior_outlet, prior_line, counted, &pc };
	c->prior = &prior;
	err = features(ix, c, NULL, &f);
	c->prior = NULL;
	GOTO_IF_ERROR(err);
	/* Then the new pages join the counts, and the affected pages'
	 * features are replaced. */
	GOTO_IF_ERROR(new_gen(ix, n));
	GOTO_IF_ERROR(write_lines(ix, c, nx, nx + n, ns));
	GOTO_IF_ERROR(write_feats(ix, f, all, nx + n));
	GOTO_IF_ERROR(compact(ix));
cleanup:
	ix->gen = 0;
	prior_close(&pc);
	feats_free(f, c ? c->ndocs : 0);
	rp_corpus_free(c);
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
	sqlite3_stmt *band, *fp;
} query_state;

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
		sqlite3_bind_int64(s->band, 1, b);
		sqlite3_bind_int64(s->band, 2, (int64_t)key);
		sqlite3_bind_int64(s->band, 3, (int64_t)(cap + s->nx + 1));
		int rc;
		size_t stored = 0;
		while ((rc = sqlite3_step(s->band)) == SQLITE_ROW) {
			int64_t n = sqlite3_column_int64(s->band, 0);
			stored++;
			if (find_n(s->x, s->nx, n) >= 0)
				continue;
			if (rp_grow((void **)&mem, &capmem, nmem + 1, sizeof(*mem)) < 0) {
				sqlite3_reset(s->band);
				GOTO_IF(1, RP_ENOMEM);
			}
			mem[nmem++] = n;
		}
		sqlite3_reset(s->band);
		if (rc != SQLITE_DONE)
			GOTO_IF_ERROR(rp_index_db_fail(s->ix, "reading band keys", rc));
		if (stored > cap + s->nx)
			continue; /* over the cap whatever the affected do */
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
		sqlite3_bind_int64(s->fp, 1, h);
		int rc;
		while (entries <= cap &&
		       (rc = sqlite3_step(s->fp)) == SQLITE_ROW) {
			int64_t n = sqlite3_column_int64(s->fp, 0);
			uint32_t ca = (uint32_t)sqlite3_column_int64(s->fp, 1);
			if (find_n(s->x, s->nx, n) >= 0)
				continue;
			entries += ca;
			if (rp_grow((void **)&hit, &caphit, nhit + 1, sizeof(*hit)) < 0) {
				sqlite3_reset(s->fp);
				GOTO_IF(1, RP_ENOMEM);
			}
			hit[nhit++] = (qcand){ n, (uint32_t)qi, 0, ca * cq };
		}
		sqlite3_reset(s->fp);
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
	GOTO_IF_ERROR(work_corpus(ix, &c));
	GOTO_IF_ERROR(rp_index_load(ix, c));
	*first = c->ndocs;
	size_t seen = c->records_seen;
	for (size_t i = 0; i < qc->ndocs; i++) {
		err = copy_doc(c, qc, i);
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

	/* 1. Can the kept candidates answer this question? */
	GOTO_IF_ERROR(work_corpus(ix, &s1));
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
		GOTO_IF_ERROR(prepare(ix, &dup, "SELECT source, line FROM doc"
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
		GOTO_IF_ERROR(affected(ix, qc, keep, nkeep, INT64_MAX, &x, &nx, &many));
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
		GOTO_IF_ERROR(copy_doc(s1, qc, keep[i]));
	counted = calloc(nx + nkeep + 1, 1);
	GOTO_IF(!counted, RP_ENOMEM);
	memset(counted, 1, nx);
	GOTO_IF_ERROR(prior_open(ix, &pc));
	rp_boiler_prior prior = { prior_outlet, prior_line, counted, &pc };
	s1->prior = &prior;
	err = features(ix, s1, NULL, &f1);
	s1->prior = NULL;
	GOTO_IF_ERROR(err);

	/* 5. Candidates from the kept keys and fingerprints. */
	s = (query_state){ ix, &q, passages, nx, nkeep, x, f1, NULL, 0, 0,
			   NULL, NULL };
	GOTO_IF_ERROR(prepare(ix, &s.band, "SELECT doc FROM band WHERE gen IN"
					   " (SELECT id FROM gen) AND band = ?1 AND"
					   " key = ?2 LIMIT ?3"));
	GOTO_IF_ERROR(prepare(ix, &s.fp, "SELECT doc, cnt FROM fp WHERE gen IN"
					 " (SELECT id FROM gen) AND h = ?1"));
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
	GOTO_IF_ERROR(work_corpus(ix, &s2));
	GOTO_IF_ERROR(rp_index_load_docs(ix, s2, cn, ncn));
	for (size_t i = 0; i < nkeep; i++)
		GOTO_IF_ERROR(copy_doc(s2, qc, keep[i]));
	free(counted);
	counted = calloc(ncn + nkeep + 1, 1);
	GOTO_IF(!counted, RP_ENOMEM);
	memset(counted, 1, ncn);
	prior.counted = counted;
	s2->prior = &prior;
	err = features(ix, s2, NULL, &f2);
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
	sqlite3_finalize(s.band);
	sqlite3_finalize(s.fp);
	if (in_tx)
		sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL);
	free(s.cand);
	for (size_t i = 0; live && i < nkeep; i++)
		free(live[i]);
	free(live);
	feats_free(f1, s1 ? s1->ndocs : 0);
	feats_free(f2, s2 ? s2->ndocs : n2);
	for (size_t i = 0; dups && i < ndup; i++)
		free(dups[i]);
	free(dups);
	free(dupi);
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
	FORWARD_IF_ERROR(prepare(ix, &st, sql));
	int rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? RP_OK
						     : rp_index_db_fail(ix, sql, rc);
}

/* The kept tables' own consistency (counts against rows), by SQL. */
static int check_tables(rp_index *ix)
{
	static const struct {
		const char *sql, *what;
	} rules[] = {
		{ "SELECT count(*) FROM band b WHERE NOT EXISTS (SELECT 1 FROM docgen"
		  " d WHERE d.n = b.doc AND d.gen = b.gen)",
		  "band keys of no document, or in another generation than its" },
		{ "SELECT count(*) FROM fp f WHERE NOT EXISTS (SELECT 1 FROM docgen"
		  " d WHERE d.n = f.doc AND d.gen = f.gen)",
		  "fingerprints of no document, or in another generation than its" },
		{ "SELECT count(*) FROM docgen WHERE gen NOT IN (SELECT id FROM gen)"
		  " OR n NOT IN (SELECT n FROM doc)",
		  "documents of a generation that is not, or not in the index" },
		{ "SELECT count(*) FROM line_doc WHERE doc NOT IN (SELECT n FROM doc)"
		  " OR gen NOT IN (SELECT id FROM gen)",
		  "lines of documents or generations that are not in the index" },
		{ "SELECT count(*) FROM line l WHERE pages != (SELECT count(*) FROM"
		  " line_doc d WHERE d.gen = l.gen AND d.outlet = l.outlet AND"
		  " d.h = l.h)", "lines whose page count is not the pages listed for them" },
		{ "SELECT (SELECT count(*) FROM linetot) + (SELECT count(*) FROM"
		  " (SELECT outlet, h, sum(pages) AS p FROM line GROUP BY outlet, h"
		  " HAVING p >= 3) x WHERE NOT EXISTS (SELECT 1 FROM linetot t WHERE"
		  " t.outlet = x.outlet AND t.h = x.h AND t.pages = x.p)) - (SELECT"
		  " count(*) FROM (SELECT outlet, h FROM line GROUP BY outlet, h"
		  " HAVING sum(pages) >= 3))",
		  "lines on three pages or more whose total is not kept as it is" },
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
		FORWARD_IF_ERROR(one_int(ix, "SELECT (SELECT count(*) FROM line) +"
					     " (SELECT count(*) FROM linetot) +"
					     " (SELECT count(*) FROM line_doc) +"
					     " (SELECT count(*) FROM outlet)", &v));
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

int rp_index_check_kept(rp_index *ix)
{
	rp_corpus *c = NULL;
	dfeat *f = NULL;
	int64_t *ns = NULL;
	qline *ql = NULL;
	rp_page_line *pl = NULL;
	size_t n = 0, cap = 0, nql = 0, capql = 0, npl = 0, cappl = 0;
	sqlite3_stmt *st = NULL, *band = NULL, *fp = NULL, *line = NULL;
	int err = RP_OK;
	const char *bad = NULL;
	int64_t bad_n = 0;

	FORWARD_IF_ERROR(check_tables(ix));
	/* What the documents give, computed from scratch... */
	GOTO_IF_ERROR(prepare(ix, &st, "SELECT n FROM doc ORDER BY n"));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GOTO_IF_ERROR(RP_GROW(ns, cap, n + 1));
		ns[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE)
		GOTO_IF_ERROR(rp_index_db_fail(ix, "reading documents", rc));
	GOTO_IF_ERROR(work_corpus(ix, &c));
	GOTO_IF_ERROR(rp_index_load_docs(ix, c, ns, n));
	GOTO_IF_ERROR(features(ix, c, NULL, &f));
	/* ... against what is kept: every row there, and no other. */
	GOTO_IF_ERROR(prepare(ix, &band, "SELECT 1 FROM band WHERE gen = (SELECT"
					 " gen FROM docgen WHERE n = ?3) AND band = ?1"
					 " AND key = ?2 AND doc = ?3"));
	GOTO_IF_ERROR(prepare(ix, &fp, "SELECT cnt FROM fp WHERE gen = (SELECT"
				       " gen FROM docgen WHERE n = ?2) AND h = ?1 AND"
				       " doc = ?2"));
	int64_t want_band = 0, want_fp = 0, have = 0;
	for (size_t d = 0; d < n && !bad; d++) {
		if (!f[d].active)
			continue;
		for (unsigned b = 0; b < ix->bands && !bad; b++) {
			sqlite3_bind_int64(band, 1, b);
			sqlite3_bind_int64(band, 2, (int64_t)f[d].keys[b]);
			sqlite3_bind_int64(band, 3, ns[d]);
			rc = sqlite3_step(band);
			sqlite3_reset(band);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				GOTO_IF_ERROR(rp_index_db_fail(ix, "reading band keys", rc));
			if (rc != SQLITE_ROW)
				bad = "band keys", bad_n = ns[d];
			want_band++;
		}
		for (size_t k = 0; k < f[d].nfp && !bad;) {
			size_t j = k + 1;
			while (j < f[d].nfp && f[d].fp[j].h == f[d].fp[k].h)
				j++;
			sqlite3_bind_int64(fp, 1, f[d].fp[k].h);
			sqlite3_bind_int64(fp, 2, ns[d]);
			rc = sqlite3_step(fp);
			int64_t cnt = rc == SQLITE_ROW ? sqlite3_column_int64(fp, 0) : 0;
			sqlite3_reset(fp);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				GOTO_IF_ERROR(rp_index_db_fail(ix, "reading fingerprints", rc));
			if (cnt != (int64_t)(j - k))
				bad = "fingerprints", bad_n = ns[d];
			want_fp++;
			k = j;
		}
	}
	if (!bad) {
		GOTO_IF_ERROR(one_int(ix, "SELECT count(*) FROM band", &have));
		if (have != want_band)
			bad = "band keys", bad_n = -1;
	}
	if (!bad) {
		GOTO_IF_ERROR(one_int(ix, "SELECT count(*) FROM fp", &have));
		if (have != want_fp)
			bad = "fingerprints", bad_n = -1;
	}
	/* The chrome counts: every line of every page with an outlet. */
	if (!bad && ix->ao.boilerplate) {
		GOTO_IF_ERROR(prepare(ix, &line, "SELECT sum(l.pages), min(l.credit),"
						 " max(l.credit) FROM outlet o JOIN line l"
						 " ON l.outlet = o.id WHERE o.name = ?1"
						 " AND l.h = ?2 AND l.gen IN (SELECT id"
						 " FROM gen)"));
		for (size_t d = 0; d < n; d++) {
			const rp_doc *doc = &c->docs[d];
			if (!doc->outlet)
				continue;
			npl = 0;
			GOTO_IF_ERROR(rp_page_lines(&pl, &npl, &cappl, doc->text,
						    doc->text_len,
						    rp_outlet_salt(doc->outlet)));
			GOTO_IF_ERROR(RP_GROW(ql, capql, nql + npl));
			for (size_t k = 0; k < npl; k++)
				ql[nql++] = (qline){ doc->outlet, pl[k].h,
						     pl[k].credit, 0 };
		}
		if (nql > 1)
			qsort(ql, nql, sizeof(*ql), cmp_qline);
		int64_t want_lines = 0;
		for (size_t i = 0; i < nql && !bad;) {
			size_t j = i + 1;
			while (j < nql && ql[j].h == ql[i].h &&
			       strcmp(ql[j].outlet, ql[i].outlet) == 0)
				j++;
			sqlite3_bind_text(line, 1, ql[i].outlet, -1, SQLITE_STATIC);
			sqlite3_bind_int64(line, 2, (int64_t)ql[i].h);
			rc = sqlite3_step(line);
			int64_t pages = rc == SQLITE_ROW ? sqlite3_column_int64(line, 0) : 0;
			int64_t credit = rc == SQLITE_ROW ? sqlite3_column_int64(line, 1) : -1;
			if (rc == SQLITE_ROW && sqlite3_column_int64(line, 2) != credit)
				credit = -1;
			sqlite3_reset(line);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				GOTO_IF_ERROR(rp_index_db_fail(ix, "reading lines", rc));
			if (pages != (int64_t)(j - i) || credit != ql[i].credit)
				bad = "chrome line counts", bad_n = -1;
			want_lines++;
			i = j;
		}
		if (!bad) {
			GOTO_IF_ERROR(one_int(ix, "SELECT count(*) FROM (SELECT 1 FROM"
						  " line GROUP BY outlet, h)", &have));
			if (have != want_lines)
				bad = "chrome line counts", bad_n = -1;
		}
	}
	if (bad) {
		const char *id = NULL;
		for (size_t d = 0; bad_n >= 0 && d < n && !id; d++)
			if (ns[d] == bad_n)
				id = c->docs[d].id;
		if (id)
			rp_index_set_err(ix, "%s: the %s kept for '%s' are not "
					 "those of its text", ix->path, bad, id);
		else
			rp_index_set_err(ix, "%s: the %s kept are not those of "
					 "the documents' texts", ix->path, bad);
		GOTO_IF(1, RP_EINPUT);
	}
cleanup:
	sqlite3_finalize(st);
	sqlite3_finalize(band);
	sqlite3_finalize(fp);
	sqlite3_finalize(line);
	feats_free(f, c ? c->ndocs : 0);
	rp_corpus_free(c);
	free(ns);
	free(ql);
	free(pl);
	return err;
}
