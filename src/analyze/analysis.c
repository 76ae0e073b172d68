/*
 * analysis.c - learning from a collection once: outlets, chrome, the base
 * pass, and what questions need computed over every document (see
 * analysis.h for what is kept and why).
 *
 * Passes run on the analysis's number of threads, each taking every T-th
 * document with its own buffers; a document's outputs depend only on the
 * document, so results are identical for any number of threads.
 *
 * Signing needs only the shingle hashes in any order (duplicates do not
 * change a minimum), so the document pass neither sorts nor keeps them.
 * Sorted shingle sets are built only for the documents a question's
 * candidates name (every document in exact mode): in a typical collection
 * that is a small share, which saves both the sorting time and the memory
 * of holding every set.
 *
 * Character texts. In the default word mode the base pass decides, from
 * each text alone, whether it is mostly in a script written without spaces
 * (rp_is_char_text, or the reader's answer: rp_doc.text_kind) and keeps
 * the answer in chars[]; every later stage that tokenizes a document
 * (later passes, sets, alignment) reads it from there, so a document is
 * shingled, verified and aligned in one mode.
 */
#include "analysis.h"
#include "spool.h"

#include <string.h>

#include "corpus.h"
#include "keyspill.h"
#include "lsh.h"
#include "minhash.h"
#include "sort.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Base pass status: DOC_WHOLE, a text whose chrome, dateline and credits
 * covered all of it, keeps all of its words. */
enum { DOC_OK = 0, DOC_NO_WORDS = 1, DOC_WHOLE = 2 };
enum { PASS_DOCS, PASS_SETS };
/* Documents a pass's threads take at a time (doc_worker). */
enum { DOC_RUN = 256 };

/* Containment samples gathered by one thread. */
typedef struct sample_vec {
	rp_kv *kv;
	size_t n, cap;
} sample_vec;

typedef struct doc_job {
	rp_corpus *c;
	rp_analysis *an;
	int pass;
	int base;              /* PASS_DOCS: decide status and chars */
	uint8_t *status;       /* base: out */
	uint64_t *sigs;        /* PASS_DOCS: sign into these (NULL: no) */
	uint64_t *keys;        /* or keep only their band keys (NULL: no) */
	rp_keyspill *kspill;   /* or set those aside (NULL: no) */
	unsigned kbands, krows;
	rp_fpbuf *fbuf;        /* PASS_DOCS: winnow, per thread (NULL: no) */
	unsigned winnow_w;
	sample_vec *svec;      /* PASS_DOCS: sample, per thread (NULL: no) */
	uint32_t *nsamp;
	const uint8_t *want;   /* PASS_SETS: which documents */
	unsigned tid;
	size_t *done;          /* documents finished, all threads (atomic) */
	size_t *next;          /* the next run to take (atomic) */
	int *cancel;           /* set when the progress callback says stop */
	size_t shingles, shingled, signed_, built; /* this thread's counts */
	rp_arena sets;         /* PASS_SETS: this thread's sets */
	int err;
} doc_job;

void rp_scratch_free(rp_scratch *sc)
{
	free(sc->cat);
	free(sc->skip);
	free(sc->sig);
	free(sc->row);
	free(sc->text);
	rp_text_window_free(&sc->win);
	memset(sc, 0, sizeof(*sc));
}

int rp_doc_tokens(const rp_corpus *c, const rp_boiler *bo, rp_tokbuf *tb,
		  rp_scratch *sc, size_t d, int flags, int with_title)
{
	const rp_doc *doc = &c->docs[d];
	const char *text = doc->text;
	size_t len = doc->text_len, nskip = 0;
	const uint32_t *skip = NULL;

	if (flags & RP_DOC_APART) {
		text = rp_corpus_text_at(c, d, &sc->text, &sc->textcap,
					 &sc->paced);
		RETURN_ERROR_IF(!text, RP_ENOMEM);
		flags &= ~RP_DOC_APART;
	} else if (flags & RP_DOC_SEQ) {
		text = rp_corpus_text_window(c, text, len, &sc->win);
		RETURN_ERROR_IF(!text, RP_ENOMEM);
		flags &= ~RP_DOC_SEQ;
	}

	if (bo->spans && bo->off[d + 1] > bo->off[d]) {
		skip = (const uint32_t *)(bo->spans + bo->off[d]);
		nskip = bo->off[d + 1] - bo->off[d];
	}
	if (with_title && doc->title) {
		size_t tl = strlen(doc->title);
		FORWARD_IF_ERROR(RP_GROW(sc->cat, sc->catcap, tl + 2 + len + 1));
		memcpy(sc->cat, doc->title, tl);
		memcpy(sc->cat + tl, "\n\n", 2);
		memcpy(sc->cat + tl + 2, text, len);
		FORWARD_IF_ERROR(RP_GROW(sc->skip, sc->skipcap, 2 * nskip + 1));
		for (size_t k = 0; k < 2 * nskip; k++)
			sc->skip[k] = skip[k] + (uint32_t)(tl + 2);
		skip = sc->skip;
		text = sc->cat;
		len += tl + 2;
	}
	return rp_tokenize_skip(tb, text, len, flags, skip, nskip);
}

/* The tokenizer's flags for document d's shingles (chars: a character
 * text). */
static int set_flags(const rp_analysis_options *o, int chars)
{
	return chars ? RP_TOK_CHARS
		     : o->shingle == RP_SHINGLE_CHAR ? RP_TOK_NORM : 0;
}

/* Shingle hashes of tokens tb, in the document's mode, into sb. */
static int shingles_of(const rp_analysis_options *o, rp_shinglebuf *sb,
		       const rp_tokbuf *tb, int chars)
{
	if (chars)
		return rp_shingle_words(sb, tb, RP_CHAR_TEXT_K);
	if (o->shingle == RP_SHINGLE_CHAR)
		return rp_shingle_chars(sb, tb, o->k);
	return rp_shingle_words(sb, tb, o->k);
}

/* Shingle hashes of document d (text order, duplicates kept) into sb;
 * chars: d is a character text; apart: RP_DOC_APART, RP_DOC_SEQ or 0. */
static int shingle_doc(const rp_corpus *c, const rp_boiler *bo, rp_tokbuf *tb,
		       rp_shinglebuf *sb, rp_scratch *sc, size_t d, int chars,
		       int apart)
{
	const rp_analysis_options *o = &c->ao;
	FORWARD_IF_ERROR(rp_doc_tokens(c, bo, tb, sc, d,
				       set_flags(o, chars) | apart,
				       o->include_title));
	return shingles_of(o, sb, tb, chars);
}

int rp_analysis_set_tokens(const rp_corpus *c, size_t d, rp_tokbuf *tb,
			   rp_scratch *sc)
{
	const rp_analysis *an = c->an;
	RETURN_ERROR_IF(!an || !an->based || d >= c->ndocs, RP_ESTATE);
	return rp_doc_tokens(c, &an->boil, tb, sc, d,
			     set_flags(&c->ao, an->chars[d]) | RP_DOC_APART,
			     c->ao.include_title);
}

int rp_analysis_tokens_shared(const rp_corpus *c, size_t d)
{
	return !(c->ao.include_title && c->docs[d].title);
}

/* sb's shingles made a set (sorted, distinct), of at most UINT32_MAX - 1
 * members (the sets' counts are 32 bits). */
static int made_set(rp_shinglebuf *sb)
{
	FORWARD_IF_ERROR(rp_shingle_set(sb));
	RETURN_ERROR_IF(sb->n >= UINT32_MAX, RP_ELIMIT);
	return RP_OK;
}

int rp_analysis_set_of(const rp_corpus *c, size_t d, const rp_tokbuf *tb,
		       rp_shinglebuf *sb)
{
	FORWARD_IF_ERROR(shingles_of(&c->ao, sb, tb, c->an->chars[d]));
	return made_set(sb);
}

int rp_analysis_shingles(const rp_corpus *c, size_t d, rp_tokbuf *tb,
			 rp_shinglebuf *sb, rp_scratch *sc)
{
	const rp_analysis *an = c->an;
	RETURN_ERROR_IF(!an || !an->based || d >= c->ndocs, RP_ESTATE);
	return shingle_doc(c, &an->boil, tb, sb, sc, d, an->chars[d],
			   RP_DOC_APART);
}

static int doc_pass(doc_job *job, rp_tokbuf *tb, rp_shinglebuf *sb,
		    rp_scratch *sc, size_t d)
{
	const rp_analysis_options *o = &job->c->ao;
	rp_analysis *an = job->an;

	if (job->pass == PASS_SETS) {
		if (!job->want[d] || an->sets[d])
			return RP_OK;
	} else if (!job->base && !an->active[d]) {
		return RP_OK;
	}
	/* The mode is decided here, once, from the text alone (or as the
	 * reader found it, the same function on the same bytes). */
	if (job->base) {
		const rp_doc *doc = &job->c->docs[d];
		an->chars[d] = 0; /* (only word mode has character texts) */
		if (o->shingle == RP_SHINGLE_WORD &&
		    doc->text_kind != RP_TEXT_UNKNOWN) {
			an->chars[d] = doc->text_kind == RP_TEXT_CHARS;
		} else if (o->shingle == RP_SHINGLE_WORD) {
			const char *t = rp_corpus_text_window(
				job->c, doc->text, doc->text_len, &sc->win);
			RETURN_ERROR_IF(!t, RP_ENOMEM);
			an->chars[d] = (uint8_t)rp_is_char_text(t, doc->text_len);
		}
	}
	int chars = an->chars[d];
	/* (the sets pass reads some texts, out of order: apart; the
	 * others read every text, in file order) */
	int order = job->pass == PASS_SETS ? RP_DOC_APART : RP_DOC_SEQ;
	FORWARD_IF_ERROR(shingle_doc(job->c, &an->boil, tb, sb, sc, d, chars,
				     order));
	if (job->pass == PASS_DOCS) {
		const rp_boiler *bo = &an->boil;
		if (job->base && sb->n == 0 && bo->off &&
		    bo->off[d + 1] > bo->off[d]) {
			static const rp_boiler none; /* nothing left out */
			FORWARD_IF_ERROR(shingle_doc(job->c, &none, tb, sb, sc,
						     d, chars, order));
			job->status[d] = DOC_WHOLE;
		}
		job->shingled++;
		if (sb->n == 0) {
			job->status[d] = DOC_NO_WORDS;
			return RP_OK;
		}
		job->shingles += sb->n;
		if (job->fbuf)
			FORWARD_IF_ERROR(rp_winnow_pack(&job->fbuf[job->tid], sb->h,
							sb->n, job->winnow_w,
							(uint32_t)d));
		if (job->svec) {
			sample_vec *v = &job->svec[job->tid];
			FORWARD_IF_ERROR(rp_contain_sample(&v->kv, &v->n, &v->cap,
							   &job->nsamp[d], sb->h,
							   sb->n, (uint32_t)d));
		}
		if (job->sigs || job->keys || job->kspill) {
			uint64_t *sig;
			if (job->sigs) {
				sig = job->sigs + d * o->num_perm;
			} else {
				FORWARD_IF_ERROR(RP_GROW(sc->sig, sc->sigcap,
							 o->num_perm));
				sig = sc->sig;
			}
			if (o->minhash == RP_MINHASH_CLASSIC)
				rp_sign_classic(sig, o->num_perm, sb->h, sb->n,
						o->seed);
			else
				rp_sign_oph(sig, o->num_perm, sb->h, sb->n,
					    o->seed);
			/* Band keys: in place, or in the row set aside. */
			size_t nd = job->c->ndocs;
			if (job->kspill)
				FORWARD_IF_ERROR(RP_GROW(sc->row, sc->rowcap,
							 job->kbands));
			for (unsigned b = 0; !job->sigs && b < job->kbands; b++) {
				uint64_t key = rp_band_key(sig, b, job->krows);
				if (job->kspill)
					sc->row[b] = key;
				else
					job->keys[(size_t)b * nd + d] = key;
			}
			sc->row_set = job->kspill != NULL;
			job->signed_++;
		}
		return RP_OK;
	}
	FORWARD_IF_ERROR(made_set(sb));
	/* Sets fill the thread's arena blocks, freed together: a set of its
	 * own per document was a fresh allocation faulted a 4 KiB page at a
	 * time and freed one by one (a third of a news scan's faults). */
	uint64_t *set = rp_arena_alloc(&job->sets,
				       (sb->n ? sb->n : 1) * sizeof(*set));
	RETURN_ERROR_IF(!set, RP_ENOMEM);
	memcpy(set, sb->h, sb->n * sizeof(*set));
	an->sets[d] = set;
	an->nsets[d] = (uint32_t)sb->n;
	job->built++;
	return RP_OK;
}

static void *doc_worker(void *arg)
{
	doc_job *job = arg;
	rp_tokbuf tb;
	rp_shinglebuf sb;
	rp_scratch sc;

	memset(&tb, 0, sizeof(tb));
	memset(&sb, 0, sizeof(sb));
	memset(&sc, 0, sizeof(sc));
	size_t k = 0, nd = job->c->ndocs;
	/* Threads take runs of DOC_RUN documents as they come free (each
	 * thread's documents ascend, as its fingerprints and set-aside keys
	 * want). Every nthreads-th document, as the signing pass took them
	 * before, left the helper thread working alone for the last 0.3 s
	 * of a 1.2 s pass (news 100k): its first fingerprints and sets land
	 * on fresh pages that the calling thread's, in memory malloc had
	 * already, do not. */
	size_t d = 0, end = 0;
	for (;; d++) {
		if (d >= end) {
			d = __atomic_fetch_add(job->next, DOC_RUN,
					       __ATOMIC_RELAXED);
			end = RP_MIN(d + DOC_RUN, nd);
			/* (texts read in order: a window no further than
			 * the run's last) */
			const rp_doc *last = d < nd ? &job->c->docs[end - 1]
						    : NULL;
			sc.win.until = last ? last->text + last->text_len + 1
					    : NULL;
		}
		if (d >= nd)
			break;
		if (__atomic_load_n(job->cancel, __ATOMIC_RELAXED))
			break;
		/* A pass over every text reads them in order, a window at
		 * a time; the sets pass reads some, apart (rp_doc_tokens). */
		int err = doc_pass(job, &tb, &sb, &sc, d);
		/* Every document has a row, in the pass's order. */
		if (err == RP_OK && job->kspill)
			err = rp_keyspill_add(job->kspill, job->tid, d,
					      sc.row_set ? sc.row : NULL);
		sc.row_set = 0;
		if (err < 0) {
			job->err = err;
			break;
		}
		if (++k % 1024 == 0 && job->c->ao.progress) {
			size_t done = __atomic_add_fetch(job->done, 1024,
							 __ATOMIC_RELAXED);
			/* Reported from the calling thread only. */
			if (job->tid == 0 &&
			    rp_progress_report(job->c, job->pass == PASS_SETS
							       ? "sets" : "sign",
					       done, nd, 0))
				__atomic_store_n(job->cancel, 1, __ATOMIC_RELAXED);
		}
	}
	rp_tokbuf_free(&tb);
	rp_shinglebuf_free(&sb);
	rp_scratch_free(&sc);
	return NULL;
}

/* Run one pass over all documents; adds the threads' counts to *sum. */
static int run_pass(const doc_job *proto, doc_job *sum)
{
	unsigned nt = rp_thread_count(proto->c->ao.threads, proto->c->ndocs);
	doc_job jobs[RP_MAX_THREADS];
	size_t done = 0, next = 0;
	int cancel = 0;

	for (unsigned t = 0; t < nt; t++) {
		jobs[t] = *proto;
		jobs[t].tid = t;
		jobs[t].done = &done;
		jobs[t].next = &next;
		jobs[t].cancel = &cancel;
	}
	rp_run_jobs(doc_worker, jobs, sizeof(jobs[0]), nt);
	int err = RP_OK;
	for (unsigned t = 0; t < nt; t++) {
		if (jobs[t].err < 0 && err == RP_OK)
			err = jobs[t].err;
		sum->shingles += jobs[t].shingles;
		sum->shingled += jobs[t].shingled;
		sum->signed_ += jobs[t].signed_;
		sum->built += jobs[t].built;
		/* A thread's sets go to the analysis's arena (freed with
		 * them), whatever the pass's outcome. */
		rp_arena_join(&proto->an->set_arena, &jobs[t].sets);
	}
	if (err == RP_OK && cancel)
		err = RP_ECANCELED;
	return err;
}

/* Number the outlets (first seen first); outlet_name[n] is outlet n. */
static int intern_outlets(rp_analysis *an, const rp_corpus *c)
{
	int err = RP_OK;
	size_t nd = c->ndocs, cap = 16, n = 0;
	while (cap < 2 * nd)
		cap *= 2;
	uint32_t *tab = calloc(cap, sizeof(*tab)); /* outlet number + 1 */
	an->outlet_of = reallocarray(NULL, nd + 1, sizeof(*an->outlet_of));
	an->outlet_name = reallocarray(NULL, nd + 1, sizeof(*an->outlet_name));
	GOTO_IF(!tab || !an->outlet_of || !an->outlet_name, RP_ENOMEM);
	for (size_t d = 0; d < nd; d++) {
		const char *name = c->docs[d].outlet;
		an->outlet_of[d] = RP_NO_OUTLET;
		if (!name)
			continue;
		size_t slot = (size_t)XXH3_64bits(name, strlen(name)) & (cap - 1);
		while (tab[slot] && strcmp(an->outlet_name[tab[slot] - 1], name) != 0)
			slot = (slot + 1) & (cap - 1);
		if (!tab[slot]) {
			an->outlet_name[n] = name;
			tab[slot] = (uint32_t)++n;
		}
		an->outlet_of[d] = tab[slot] - 1;
	}
cleanup:
	free(tab);
	return err;
}

/* Outlets, then boilerplate (when turned on). */
static int learn(rp_analysis *an, rp_corpus *c)
{
	const rp_analysis_options *o = &c->ao;
	FORWARD_IF_ERROR(intern_outlets(an, c));
	if (!o->boilerplate) {
		rp_boiler_pages_free(&c->pages);
		return RP_OK;
	}
	rp_boiler_doc *bd = reallocarray(NULL, c->ndocs + 1, sizeof(*bd));
	RETURN_ERROR_IF(!bd, RP_ENOMEM);
	/* Each outlet's salt once (outlets are numbered as first seen). */
	uint64_t *salt = reallocarray(NULL, c->ndocs + 1, sizeof(*salt));
	if (!salt) {
		free(bd);
		return RP_ENOMEM;
	}
	uint32_t nout = 0;
	for (size_t d = 0; d < c->ndocs; d++) {
		uint32_t ot = an->outlet_of[d];
		if (ot != RP_NO_OUTLET && ot == nout)
			salt[nout++] = rp_outlet_salt(an->outlet_name[ot]);
		bd[d] = (rp_boiler_doc){ c->docs[d].text, c->docs[d].text_len,
					 ot, ot == RP_NO_OUTLET ? 0 : salt[ot],
					 ot == RP_NO_OUTLET ? NULL
							    : an->outlet_name[ot] };
	}
	free(salt);
	/* Under a bound, the lines chrome learning lets go pass through
	 * the temporary file (rp_boiler_find). */
	rp_tmpfile *tf = NULL;
	int err = c->memory ? rp_corpus_tmpfile(c, &tf) : RP_OK;
	if (err == RP_OK)
		err = rp_corpus_temp_error(
			c, rp_boiler_find(&an->boil, bd, c->ndocs,
					  o->chrome_min_pages, 1, 1,
					  rp_thread_count(o->threads, c->ndocs),
					  c->prior, c, tf, &c->pages));
	free(bd);
	return err;
}

static void free_fpbufs(rp_fpbuf *fbuf)
{
	for (unsigned t = 0; fbuf && t < RP_MAX_THREADS; t++)
		rp_fpbuf_free(&fbuf[t]);
	free(fbuf);
}

static void free_samples(sample_vec *svec)
{
	for (unsigned t = 0; svec && t < RP_MAX_THREADS; t++)
		free(svec[t].kv);
	free(svec);
}

/* The threads' samples in one array (*all, *n): the first thread's
 * grown in place, each other's appended and freed at once. */
static int gather_samples(rp_kv **all, size_t *n, sample_vec *vec)
{
	size_t total = 0;
	for (unsigned t = 0; t < RP_MAX_THREADS; t++)
		total += vec[t].n;
	*all = vec[0].kv;
	*n = vec[0].n;
	vec[0].kv = NULL;
	vec[0].n = vec[0].cap = 0;
	rp_kv *grown = reallocarray(*all, total + 1, sizeof(**all));
	if (!grown) {
		free(*all);
		*all = NULL;
		return RP_ENOMEM;
	}
	*all = grown;
	for (unsigned t = 1; t < RP_MAX_THREADS; t++) {
		if (vec[t].n)
			memcpy(*all + *n, vec[t].kv, vec[t].n * sizeof(**all));
		*n += vec[t].n;
		free(vec[t].kv);
		vec[t].kv = NULL;
		vec[t].n = vec[t].cap = 0;
	}
	return RP_OK;
}

/* The base pass is done: keep whole texts whole, reject the documents
 * with no words, count the rest. */
static int finish_base(rp_corpus *c, rp_analysis *an, uint8_t *status)
{
	rp_boiler_keep_whole(&an->boil, status, DOC_WHOLE);
	for (size_t d = 0; d < c->ndocs; d++) {
		if (status[d] == DOC_NO_WORDS) {
			FORWARD_IF_ERROR(rp_corpus_reject_empty(
				c, c->docs[d].source, c->docs[d].line,
				c->docs[d].id, "no words in text"));
			an->active[d] = 0;
		} else {
			an->active[d] = 1;
			an->documents++;
			an->char_documents += an->chars[d];
			an->text_bytes += c->docs[d].text_len;
		}
	}
	an->based = 1;
	return RP_OK;
}

int rp_analysis_learn(rp_corpus *c, rp_work *w)
{
	size_t nd = c->ndocs;
	c->analysed = 1;
	if (!c->an) {
		c->an = calloc(1, sizeof(*c->an));
		RETURN_ERROR_IF(!c->an, RP_ENOMEM);
	}
	rp_analysis *an = c->an;
	if (an->learned)
		return RP_OK;
	FORWARD_IF_ERROR(rp_corpus_texts_ready(c));
	double t0 = rp_now();
	/* Each allocated once; a call after a failure allocates the rest. */
	if (!an->active)
		an->active = calloc(nd + 1, 1);
	if (!an->chars)
		an->chars = calloc(nd + 1, 1);
	if (!an->sets)
		an->sets = calloc(nd + 1, sizeof(*an->sets));
	if (!an->nsets)
		an->nsets = calloc(nd + 1, sizeof(*an->nsets));
	RETURN_ERROR_IF(!an->active || !an->chars || !an->sets || !an->nsets,
			RP_ENOMEM);
	int err = learn(an, c);
	if (err < 0) {
		free(an->outlet_of);
		free(an->outlet_name);
		an->outlet_of = NULL;
		an->outlet_name = NULL;
		rp_boiler_free(&an->boil);
		return err;
	}
	an->learned = 1;
	w->seconds_boilerplate += rp_now() - t0;
	return RP_OK;
}

int rp_analysis_given(rp_corpus *c, const uint8_t *active,
		      const uint8_t *chars, rp_span *spans, size_t *off)
{
	size_t nd = c->ndocs;
	rp_analysis *an = c->an ? NULL : calloc(1, sizeof(*c->an));
	if (!an) {
		free(spans);
		free(off);
		return c->an ? RP_ESTATE : RP_ENOMEM;
	}
	c->an = an;
	c->analysed = 1;
	if (off) {
		an->boil.spans = spans;
		an->boil.off = off;
		an->boil.ndocs = nd;
	} else {
		free(spans);
	}
	an->active = calloc(nd + 1, 1);
	an->chars = calloc(nd + 1, 1);
	an->sets = calloc(nd + 1, sizeof(*an->sets));
	an->nsets = calloc(nd + 1, sizeof(*an->nsets));
	RETURN_ERROR_IF(!an->active || !an->chars || !an->sets || !an->nsets,
			RP_ENOMEM);
	FORWARD_IF_ERROR(intern_outlets(an, c));
	an->learned = 1;
	for (size_t d = 0; d < nd; d++) {
		an->active[d] = active[d] != 0;
		an->chars[d] = chars[d] != 0;
		if (active[d]) {
			an->documents++;
			an->char_documents += an->chars[d];
			an->text_bytes += c->docs[d].text_len;
		}
	}
	an->based = 1;
	return RP_OK;
}

int rp_analysis_ensure(rp_corpus *c, const rp_need *need, rp_work *w)
{
	int err = RP_OK;
	size_t nd = c->ndocs;
	uint8_t *status = NULL;
	uint64_t *sigs = NULL, *keys = NULL;
	rp_keyspill *kspill = NULL;
	rp_fpbuf *fbuf = NULL;
	sample_vec *svec = NULL;
	uint32_t *nsamp = NULL;
	double t0;

	FORWARD_IF_ERROR(rp_analysis_learn(c, w));
	rp_analysis *an = c->an;
	/* What an interrupted question left pending first. */
	FORWARD_IF_ERROR(rp_analysis_candidates(c, w));
	int keyed = need && need->sign && need->bands;
	int sign = need && need->sign && !an->sigs &&
		   !(keyed && (an->keys || an->kspill) &&
		     an->key_bands == need->bands && an->key_rows == need->rows);
	unsigned ww = need && need->winnow_w && an->fp_w != need->winnow_w
			      ? need->winnow_w : 0;
	size_t scap = need && need->sample_cap && an->samp_cap != need->sample_cap
			      ? need->sample_cap : 0;
	if (an->based && !sign && !ww && !scap)
		return RP_OK;

	t0 = rp_now();
	doc_job job, sum;
	memset(&job, 0, sizeof(job));
	memset(&sum, 0, sizeof(sum));
	job.c = c;
	job.an = an;
	job.pass = PASS_DOCS;
	job.base = !an->based;
	if (job.base) {
		status = calloc(nd + 1, 1);
		GOTO_IF(!status, RP_ENOMEM);
		job.status = status;
	}
	if (sign && keyed && c->memory &&
	    (uint64_t)nd * need->bands * sizeof(*keys) > c->memory / 4) {
		/* More keys than a quarter of the bound: set aside, each
		 * thread holding an eighth of it at most. */
		rp_tmpfile *tf;
		unsigned nt = rp_thread_count(c->ao.threads, nd);
		GOTO_IF_ERROR(rp_corpus_tmpfile(c, &tf));
		GOTO_IF_ERROR(rp_keyspill_new(&kspill, tf, need->bands,
					      need->rows, nd, nt,
					      c->memory / 8 / nt));
		job.kspill = kspill;
		job.kbands = need->bands;
		job.krows = need->rows;
	} else if (sign && keyed) {
		/* A question that releases its signatures after banding
		 * needs only their band keys: bands x 8 bytes a document,
		 * not num_perm x 8. */
		keys = reallocarray(NULL, nd ? nd : 1,
				    (size_t)need->bands * sizeof(*keys));
		GOTO_IF(!keys, RP_ENOMEM);
		job.keys = keys;
		job.kbands = need->bands;
		job.krows = need->rows;
	} else if (sign) {
		sigs = reallocarray(NULL, nd ? nd : 1,
				    (size_t)c->ao.num_perm * sizeof(*sigs));
		GOTO_IF(!sigs, RP_ENOMEM);
		job.sigs = sigs;
	}
	if (ww) {
		fbuf = calloc(RP_MAX_THREADS, sizeof(*fbuf));
		GOTO_IF(!fbuf, RP_ENOMEM);
		uint64_t text = c->held_text + rp_corpus_temp_bytes(c);
		unsigned bits = rp_fpbuf_bits_within(nd, text, ww, c->memory);
		unsigned nt = rp_thread_count(c->ao.threads, nd);
		/* Under a bound, a quarter of it held, the rest set aside. */
		size_t spill_at = c->memory ? RP_MAX(c->memory / 4 / nt,
						     (size_t)1 << 20) : 0;
		/* Each thread's parts sized once for what they will hold:
		 * six bytes a fingerprint packed, an eighth more for the
		 * spread, at most until the spill. */
		uint64_t held = rp_fp_estimate(text, ww) * 6 / nt;
		if (spill_at)
			held = RP_MIN(held, spill_at);
		size_t hint = (size_t)((held + held / 8) >> bits);
		for (unsigned t = 0; t < RP_MAX_THREADS; t++) {
			fbuf[t].bits = bits;
			fbuf[t].part_hint = hint;
		}
		if (spill_at) {
			rp_tmpfile *tf;
			GOTO_IF_ERROR(rp_corpus_tmpfile(c, &tf));
			for (unsigned t = 0; t < RP_MAX_THREADS; t++) {
				fbuf[t].spill = tf;
				fbuf[t].spill_at = spill_at;
			}
		}
		job.fbuf = fbuf;
		job.winnow_w = ww;
	}
	if (scap) {
		svec = calloc(RP_MAX_THREADS, sizeof(*svec));
		nsamp = calloc(nd + 1, sizeof(*nsamp));
		GOTO_IF(!svec || !nsamp, RP_ENOMEM);
		job.svec = svec;
		job.nsamp = nsamp;
	}
	GOTO_IF_ERROR(rp_corpus_temp_error(c, run_pass(&job, &sum)));
	if (job.base) {
		GOTO_IF_ERROR(finish_base(c, an, status));
		an->shingles = sum.shingles;
	}
	w->docs_shingled += sum.shingled;
	w->docs_signed += sum.signed_;
	if (kspill)
		GOTO_IF_ERROR(rp_corpus_temp_error(c, rp_keyspill_finish(kspill)));
	if (sign && keyed) {
		rp_analysis_release_sigs(an);
		an->keys = keys;
		an->kspill = kspill;
		an->key_bands = need->bands;
		an->key_rows = need->rows;
		keys = NULL;
		kspill = NULL;
	} else if (sign) {
		an->sigs = sigs;
		sigs = NULL;
	}
	w->seconds_sign += rp_now() - t0;

	/* Fingerprints and samples wait for rp_analysis_candidates, which
	 * the question calls once it has banded and freed what banding
	 * needed: the candidate search is the peak of memory. */
	if (ww) {
		an->pend_fbuf = fbuf;
		an->pend_w = ww;
		fbuf = NULL;
	}
	if (scap) {
		an->pend_svec = svec;
		an->pend_nsamp = nsamp;
		an->pend_scap = scap;
		svec = NULL;
		nsamp = NULL;
	}
cleanup:
	free(status);
	free(sigs);
	free(keys);
	rp_keyspill_free(kspill);
	free_fpbufs(fbuf);
	free_samples(svec);
	free(nsamp);
	return err;
}

int rp_analysis_candidates(rp_corpus *c, rp_work *w)
{
	rp_analysis *an = c->an;
	int err = RP_OK;
	rp_kv *all = NULL;
	if (!an || (!an->pend_fbuf && !an->pend_svec))
		return RP_OK;
	double t0 = rp_now();
	if (an->pend_fbuf) {
		uint64_t *pc = NULL;
		size_t npc = 0;
		rp_contain_stats cs;
		GOTO_IF_ERROR(rp_corpus_temp_error(c, rp_contain_candidates(
			&pc, &npc, &cs, an->pend_fbuf, RP_MAX_THREADS,
			an->pend_w, RP_PASSAGE_POSTING_CAP, c->memory,
			rp_thread_count(c->ao.threads, c->ndocs))));
		free(an->pcand);
		an->pcand = pc;
		an->npcand = npc;
		an->pstats = cs;
		an->fp_w = an->pend_w;
		free_fpbufs(an->pend_fbuf); /* before the samples' peak */
		an->pend_fbuf = NULL;
	}
	if (an->pend_svec) {
		uint64_t *sc = NULL;
		size_t nsc = 0, n = 0;
		rp_contain_stats cs;
		GOTO_IF_ERROR(gather_samples(&all, &n, an->pend_svec));
		GOTO_IF_ERROR(rp_sample_candidates(&sc, &nsc, &cs, all, n,
						   an->pend_nsamp, an->pend_scap));
		free(an->scand);
		an->scand = sc;
		an->nscand = nsc;
		an->sstats = cs;
		an->samp_cap = an->pend_scap;
	}
cleanup:
	/* On failure too: what is pending is dropped, a later question
	 * computes it again. */
	free_fpbufs(an->pend_fbuf);
	free_samples(an->pend_svec);
	free(an->pend_nsamp);
	an->pend_fbuf = NULL;
	an->pend_svec = NULL;
	an->pend_nsamp = NULL;
	free(all);
	w->seconds_candidates += rp_now() - t0;
	return err;
}

int rp_analysis_sets(rp_corpus *c, const uint8_t *want, rp_work *w)
{
	rp_analysis *an = c->an;
	RETURN_ERROR_IF(!an || !an->based, RP_ESTATE);
	size_t missing = 0;
	for (size_t d = 0; d < c->ndocs && !missing; d++)
		missing += want[d] && !an->sets[d];
	if (!missing)
		return RP_OK;
	double t0 = rp_now();
	doc_job job, sum;
	memset(&job, 0, sizeof(job));
	memset(&sum, 0, sizeof(sum));
	job.c = c;
	job.an = an;
	job.pass = PASS_SETS;
	job.want = want;
	int err = run_pass(&job, &sum);
	w->sets_built += sum.built;
	w->seconds_sets += rp_now() - t0;
	return err;
}

void rp_analysis_release_sigs(rp_analysis *an)
{
	free(an->sigs);
	an->sigs = NULL;
	free(an->keys);
	an->keys = NULL;
	rp_keyspill_free(an->kspill);
	an->kspill = NULL;
	an->key_bands = an->key_rows = 0;
}

void rp_analysis_release_sets(rp_analysis *an, size_t ndocs)
{
	if (an->sets)
		memset(an->sets, 0, ndocs * sizeof(*an->sets));
	rp_arena_free(&an->set_arena);
	if (an->nsets)
		memset(an->nsets, 0, ndocs * sizeof(*an->nsets));
}

void rp_analysis_free(rp_analysis *an, size_t ndocs)
{
	if (!an)
		return;
	rp_analysis_release_sets(an, ndocs);
	free_fpbufs(an->pend_fbuf);
	free_samples(an->pend_svec);
	free(an->pend_nsamp);
	free(an->sets);
	free(an->nsets);
	free(an->sigs);
	free(an->keys);
	rp_keyspill_free(an->kspill);
	free(an->pcand);
	free(an->scand);
	free(an->active);
	free(an->chars);
	free(an->outlet_of);
	free(an->outlet_name);
	rp_boiler_free(&an->boil);
	memset(an, 0, sizeof(*an));
}

/* ---- per-document features (the archive index, the shard stages) ---- */




void rp_dfeats_free(rp_dfeat *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		free(f[i].keys);
		free(f[i].fp);
	}
	free(f);
}

/* A document's fingerprints by (hash, position): a radix sort (glibc's
 * qsort with a comparison was 7% of an index add's cycles). */
#define KEY_FPENT(x) ((uint64_t)(x).h << 32 | (x).pos)
static RP_DEFINE_RADIX(sort_fpent, rp_fpent, KEY_FPENT)

typedef struct feat_job {
	rp_corpus *c;
	rp_dfeat *out;
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
	rp_fpent *tmp = NULL;
	size_t capfp = 0, captmp = 0;
	const rp_analysis_options *o = &j->c->ao;
	uint64_t *sig = reallocarray(NULL, o->num_perm, sizeof(*sig));
	memset(&tb, 0, sizeof(tb));
	memset(&sb, 0, sizeof(sb));
	memset(&sc, 0, sizeof(sc));
	if (!sig)
		j->err = RP_ENOMEM;
	for (size_t d = j->tid; !j->err && d < j->c->ndocs; d += j->nthreads) {
		rp_dfeat *f = &j->out[d];
		if (!j->c->an->active[d])
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
			f->keys[b] = rp_band_key(sig, b, j->rows);
		size_t nfp = 0;
		err = rp_winnow(&fp, &nfp, &capfp, sb.h, sb.n, j->w, (uint32_t)d);
		f->fp = reallocarray(NULL, nfp + 1, sizeof(*f->fp));
		if (err == RP_OK && !f->fp)
			err = RP_ENOMEM;
		if (err == RP_OK)
			err = RP_GROW(tmp, captmp, nfp + 1);
		if (err < 0) {
			j->err = err;
			break;
		}
		for (size_t i = 0; i < nfp; i++)
			f->fp[i] = (rp_fpent){ fp[i].h, fp[i].pos };
		f->nfp = nfp;
		sort_fpent(f->fp, tmp, nfp);
		f->active = 1;
	}
	free(sig);
	free(fp);
	free(tmp);
	rp_tokbuf_free(&tb);
	rp_shinglebuf_free(&sb);
	rp_scratch_free(&sc);
	return NULL;
}

int rp_analysis_features(rp_corpus *c, unsigned bands, unsigned rows,
			 unsigned w, rp_dfeat **out)
{
	*out = NULL;
	RETURN_ERROR_IF(!c->an || !c->an->based, RP_ESTATE);
	rp_dfeat *f = calloc(c->ndocs + 1, sizeof(*f));
	RETURN_ERROR_IF(!f, RP_ENOMEM);
	unsigned nt = rp_thread_count(c->ao.threads, c->ndocs);
	feat_job jobs[RP_MAX_THREADS];
	for (unsigned t = 0; t < nt; t++)
		jobs[t] = (feat_job){ c, f, bands, rows, w, t, nt, RP_OK };
	rp_run_jobs(feat_worker, jobs, sizeof(jobs[0]), nt);
	int err = RP_OK;
	for (unsigned t = 0; t < nt; t++)
		if (jobs[t].err < 0 && err == RP_OK)
			err = jobs[t].err;
	if (err < 0) {
		rp_dfeats_free(f, c->ndocs);
		return err;
	}
	*out = f;
	return RP_OK;
}
