/*
 * scan.c - the scan driver: connects the stages, owns the result.
 *
 *   sign (threads) -> candidates (LSH or exact) -> sets (threads) -> verify
 *   -> cluster
 *
 * Stages do not call each other; this file hands each one plain arrays.
 *
 * Signing needs only the shingle hashes in any order (duplicates do not
 * change a minimum), so the signing pass neither sorts nor keeps them.
 * The sorted shingle sets that exact verification needs are then built only
 * for the documents that appear in a candidate pair (all documents in
 * --exact mode): in a typical collection that is a small share, which saves
 * both the sorting time and the memory of holding every set.
 *
 * Both passes run on opts.threads threads, each taking every T-th document
 * with its own buffers; a document's outputs depend only on the document,
 * so results are identical for any number of threads.
 *
 * Character texts. In the default word mode the sign pass decides, from
 * each text alone, whether it is mostly in a script written without spaces
 * (rp_is_char_text) and keeps the answer in r->chars; every later stage
 * that tokenizes a document (the sets pass, alignment) reads it from
 * there, so a document is shingled, verified and aligned in one mode. Such
 * a text is tokenized a character a token and shingled by RP_CHAR_TEXT_K
 * characters (shingle.h); a pair of two of them is aligned on those
 * tokens, with anchors of RP_CHAR_TEXT_K characters, and its passage rule
 * is counted in characters (r->char_passage, set in rp_scan).
 */
#include <string.h>

#include "cluster.h"
#include "corpus.h"
#include "lsh.h"
#include "minhash.h"
#include "relation.h"
#include "align.h"
#include "boiler.h"
#include "contain.h"
#include "normalize.h"
#include "shingle.h"
#include "verify.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

struct rp_result {
	const rp_corpus *corpus;
	rp_boiler boil;        /* excluded ranges; empty when turned off */
	uint32_t *outlet_of;   /* outlet number of each document, or NONE */
	const char **outlet_name;
	rp_pair *pairs;
	size_t npairs;
	rp_passage **pass;     /* per pair */
	rp_edit **edits;       /* per pair */
	size_t *nedits;        /* per pair */
	uint8_t *tent;         /* per pair: reported only if it shares a
				  passage of min_passage words (alignment) */
	uint8_t *chars;        /* per document: a character text, tokenized
				  and shingled by characters (word mode) */
	size_t char_passage;   /* the passage rule for a pair of character
				  texts, in characters */
	rp_clusters clusters;
	uint8_t *scanned;
	size_t ndocs;
	rp_scan_stats stats;
};

/* Sign pass status: DOC_WHOLE, a text whose chrome, dateline and credits
 * covered all of it, keeps all of its words. */
enum { DOC_OK = 0, DOC_NO_WORDS = 1, DOC_WHOLE = 2 };
/* r->tent: a pair that passed the thresholds, one kept for a possible
 * passage, one whose passage alignment confirmed or did not find. */
enum { TENT_NONE = 0, TENT_PASSAGE = 1, TENT_CONFIRMED = 2, TENT_DROP = 3 };
enum { PASS_SIGN, PASS_SETS };

typedef struct doc_job {
	rp_corpus *c;
	int pass;
	uint64_t *sigs;        /* PASS_SIGN: ndocs x K */
	uint8_t *status;       /* PASS_SIGN: out; DOC_NO_WORDS */
	size_t *windows;       /* PASS_SIGN: per-thread count of shingles */
	const uint8_t *need;   /* PASS_SETS: which documents */
	uint64_t **sets;       /* PASS_SETS: out */
	uint32_t *nsets;
	uint8_t *chars;        /* PASS_SIGN: out; PASS_SETS: in (r->chars) */
	const rp_boiler *boil;
	rp_fpbuf *fbuf;        /* PASS_SIGN with passages: per thread */
	unsigned winnow_w;     /* winnowing window */
	struct sample_vec *svec; /* PASS_SIGN with scattered containment */
	uint32_t *nsamp;       /* samples per document */
	unsigned tid, nthreads;
	size_t *done;          /* documents finished, all threads (atomic) */
	int err;
} doc_job;

/* Containment samples gathered by one thread. */
typedef struct sample_vec {
	rp_kv *kv;
	size_t n, cap;
} sample_vec;

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

/* Per-thread scratch for doc_tokens. */
typedef struct scratch {
	char *cat;
	size_t catcap;
	uint32_t *skip;
	size_t skipcap;
} scratch;

/* Tokens of document d, leaving out its boilerplate ranges; with_title
 * shingles "title\n\ntext" (offsets then count from the title). flags:
 * RP_TOK_NORM, RP_TOK_CHARS (normalize.h). */
static int doc_tokens(const rp_corpus *c, const rp_boiler *bo, rp_tokbuf *tb,
		      scratch *sc, size_t d, int flags, int with_title)
{
	const rp_doc *doc = &c->docs[d];
	const char *text = doc->text;
	size_t len = doc->text_len, nskip = 0;
	const uint32_t *skip = NULL;

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

/* Shingle hashes of document d (text order, duplicates kept) into sb;
 * chars: d is a character text (r->chars). */
static int shingle_doc(const rp_corpus *c, const rp_boiler *bo, rp_tokbuf *tb,
		       rp_shinglebuf *sb, scratch *sc, size_t d, int chars)
{
	const rp_options *o = &c->opts;
	if (chars) {
		FORWARD_IF_ERROR(doc_tokens(c, bo, tb, sc, d, RP_TOK_CHARS,
					    o->include_title));
		return rp_shingle_words(sb, tb, RP_CHAR_TEXT_K);
	}
	FORWARD_IF_ERROR(doc_tokens(c, bo, tb, sc, d,
				    o->shingle == RP_SHINGLE_CHAR ? RP_TOK_NORM : 0,
				    o->include_title));
	if (o->shingle == RP_SHINGLE_CHAR)
		return rp_shingle_chars(sb, tb, o->k);
	return rp_shingle_words(sb, tb, o->k);
}

static int doc_pass(doc_job *job, rp_tokbuf *tb, rp_shinglebuf *sb,
		    scratch *sc, size_t d)
{
	const rp_options *o = &job->c->opts;

	if (job->pass == PASS_SETS && !job->need[d])
		return RP_OK;
	/* The mode is decided here, once, from the text alone. */
	if (job->pass == PASS_SIGN)
		job->chars[d] = o->shingle == RP_SHINGLE_WORD &&
				rp_is_char_text(job->c->docs[d].text,
						job->c->docs[d].text_len);
	int chars = job->chars[d];
	FORWARD_IF_ERROR(shingle_doc(job->c, job->boil, tb, sb, sc, d, chars));
	if (job->pass == PASS_SIGN) {
		const rp_boiler *bo = job->boil;
		if (sb->n == 0 && bo->off && bo->off[d + 1] > bo->off[d]) {
			static const rp_boiler none; /* nothing left out */
			FORWARD_IF_ERROR(shingle_doc(job->c, &none, tb, sb, sc, d,
						     chars));
			job->status[d] = DOC_WHOLE;
		}
		if (sb->n == 0) {
			job->status[d] = DOC_NO_WORDS;
			return RP_OK;
		}
		job->windows[job->tid] += sb->n;
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
		uint64_t *sig = job->sigs + d * o->num_perm;
		if (o->minhash == RP_MINHASH_CLASSIC)
			rp_sign_classic(sig, o->num_perm, sb->h, sb->n, o->seed);
		else
			rp_sign_oph(sig, o->num_perm, sb->h, sb->n, o->seed);
		return RP_OK;
	}
	FORWARD_IF_ERROR(rp_shingle_set(sb));
	RETURN_ERROR_IF(sb->n >= UINT32_MAX, RP_ELIMIT);
	uint64_t *set = reallocarray(NULL, sb->n ? sb->n : 1, sizeof(*set));
	RETURN_ERROR_IF(!set, RP_ENOMEM);
	memcpy(set, sb->h, sb->n * sizeof(*set));
	job->sets[d] = set;
	job->nsets[d] = (uint32_t)sb->n;
	return RP_OK;
}

static void *doc_worker(void *arg)
{
	doc_job *job = arg;
	rp_tokbuf tb;
	rp_shinglebuf sb;
	scratch sc;

	memset(&tb, 0, sizeof(tb));
	memset(&sb, 0, sizeof(sb));
	memset(&sc, 0, sizeof(sc));
	const rp_options *o = &job->c->opts;
	size_t k = 0;
	for (size_t d = job->tid; d < job->c->ndocs; d += job->nthreads) {
		int err = doc_pass(job, &tb, &sb, &sc, d);
		if (err < 0) {
			job->err = err;
			break;
		}
		if (++k % 1024 == 0 && o->progress) {
			size_t done = __atomic_add_fetch(job->done, 1024,
							 __ATOMIC_RELAXED);
			if (job->tid == 0) { /* report from the calling thread */
				rp_progress p = { job->pass == PASS_SIGN ? "sign"
									 : "sets",
						  done, job->c->ndocs, 0 };
				o->progress(o->progress_userdata, &p);
			}
		}
	}
	rp_tokbuf_free(&tb);
	rp_shinglebuf_free(&sb);
	free(sc.cat);
	free(sc.skip);
	return NULL;
}


/* Run one pass over all documents on the configured number of threads. */
static int run_pass(const doc_job *proto, size_t *windows)
{
	unsigned nt = rp_thread_count(&proto->c->opts, proto->c->ndocs);
	doc_job jobs[RP_MAX_THREADS];
	size_t done = 0;

	for (unsigned t = 0; t < nt; t++) {
		jobs[t] = *proto;
		jobs[t].tid = t;
		jobs[t].nthreads = nt;
		jobs[t].windows = windows;
		jobs[t].done = &done;
	}
	rp_run_jobs(doc_worker, jobs, sizeof(jobs[0]), nt);
	for (unsigned t = 0; t < nt; t++)
		if (jobs[t].err < 0)
			return jobs[t].err;
	return RP_OK;
}

/* Does a document say it corrects an earlier version (title or text)? */
static int speaks_of_correction(const rp_doc *d)
{
	static const char *words[] = { "corrected", "corrects", "correction" };
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if ((d->title && strcasestr(d->title, words[k])) ||
		    strcasestr(d->text, words[k]))
			return 1;
	return 0;
}

typedef struct align_job {
	const rp_corpus *c;
	rp_result *r;
	unsigned tid, nthreads;
	int err;
} align_job;

/* Align, classify and attribute pairs tid, tid + T, ... Pairs are sorted by
 * a, so the tokens of a are kept while consecutive pairs share it. */
static void *align_worker(void *arg)
{
	align_job *job = arg;
	const rp_corpus *c = job->c;
	const rp_options *o = &c->opts;
	rp_result *r = job->r;
	rp_tokbuf ta, tb;
	rp_align al;
	scratch sc;
	size_t cur_a = SIZE_MAX;

	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	memset(&al, 0, sizeof(al));
	memset(&sc, 0, sizeof(sc));
	for (size_t i = job->tid; i < r->npairs; i += job->nthreads) {
		rp_pair *p = &r->pairs[i];
		const rp_doc *da = &c->docs[p->a], *db = &c->docs[p->b];
		int err = RP_OK;
		/* Each text in the mode it was shingled in; a pair of two
		 * character texts anchors on characters and measures its
		 * passage in them. Any other pair can share only words (a
		 * character text keeps its Latin words and figures whole). */
		int ca = r->chars[p->a], cb = r->chars[p->b];
		unsigned k = ca && cb ? RP_CHAR_TEXT_K
			     : o->shingle == RP_SHINGLE_WORD ? o->k : 5;
		size_t min_run = ca && cb ? r->char_passage : o->min_passage;
		if (p->a != cur_a) {
			err = doc_tokens(c, &r->boil, &ta, &sc, p->a,
					 ca ? RP_TOK_CHARS : 0, 0);
			cur_a = err == RP_OK ? p->a : SIZE_MAX;
		}
		if (err == RP_OK)
			err = doc_tokens(c, &r->boil, &tb, &sc, p->b,
					 cb ? RP_TOK_CHARS : 0, 0);
		/* A pair kept only for a passage is aligned to find it, even
		 * with alignment turned off, and dropped without one. */
		int tentative = r->tent && r->tent[i] == TENT_PASSAGE;
		if (err == RP_OK && (o->align || tentative))
			err = rp_align_tokens(&al, ta.tok, ta.ntok, tb.tok,
					      tb.ntok, k, (uint64_t)p->a + 1);
		/* Its passage must run on for min_passage words (or
		 * r->char_passage characters) with no edit, and carry the
		 * same figures: a passage whose figures changed is a formula
		 * filled with other data (a market report, a filing notice),
		 * not an excerpt. */
		if (err == RP_OK && tentative) {
			int found = al.longest_run >= min_run &&
				    al.figure_edits == 0;
			r->tent[i] = found ? TENT_CONFIRMED : TENT_DROP;
			if (!found)
				continue;
		}
		if (err == RP_OK && o->align && al.npass) {
			r->pass[i] = reallocarray(NULL, al.npass, sizeof(rp_passage));
			r->edits[i] = reallocarray(NULL, al.nedits ? al.nedits : 1,
						   sizeof(rp_edit));
			if (!r->pass[i] || !r->edits[i]) {
				err = RP_ENOMEM;
			} else {
				memcpy(r->pass[i], al.pass, al.npass * sizeof(rp_passage));
				if (al.nedits)
					memcpy(r->edits[i], al.edits,
					       al.nedits * sizeof(rp_edit));
				r->nedits[i] = al.nedits;
				p->passages = al.npass;
				p->shared_words = al.shared_words;
			}
		}
		if (err < 0) {
			job->err = err;
			break;
		}
		rp_align_summary sum = { ta.ntok, tb.ntok, 0, 0, 0,
					 al.figure_edits, al.word_edits,
					 al.lead_a, al.lead_b, al.trail_a,
					 al.trail_b, 0 };
		/* Only a would-be template needs the (text-long) look. */
		if (o->align && al.word_edits == 0 && al.figure_edits > 0)
			sum.correction = speaks_of_correction(da) ||
					 speaks_of_correction(db);
		for (size_t x = 0; o->align && x < al.npass; x++) {
			sum.covered_a += al.pass[x].words_a;
			sum.covered_b += al.pass[x].words_b;
			sum.edited += al.pass[x].inserted + al.pass[x].deleted +
				      al.pass[x].substituted;
		}
		p->relation = rp_classify(p->containment_a, p->containment_b,
					  rp_tokens_equal(ta.tok, ta.ntok,
							  tb.tok, tb.ntok),
					  o->align ? &sum : NULL);
		p->source = rp_source_of(p->relation, p->containment_a,
					 p->containment_b, da->has_timestamp,
					 da->timestamp, db->has_timestamp,
					 db->timestamp);
	}
	rp_tokbuf_free(&ta);
	rp_tokbuf_free(&tb);
	rp_align_free(&al);
	free(sc.cat);
	free(sc.skip);
	return NULL;
}

/* Remove template pairs (texts that differ only in figures) and the
 * pairs kept only for a passage that alignment did not find, keeping the
 * per-pair arrays in step. */
static void drop_pairs(rp_result *r, int keep_templates)
{
	size_t w = 0;
	for (size_t i = 0; i < r->npairs; i++) {
		int tpl = r->pairs[i].relation == RP_REL_TEMPLATE && !keep_templates;
		if (tpl || (r->tent && r->tent[i] == TENT_DROP)) {
			free(r->pass[i]);
			free(r->edits[i]);
			r->stats.templates += tpl;
			continue;
		}
		r->pairs[w] = r->pairs[i];
		r->pass[w] = r->pass[i];
		r->edits[w] = r->edits[i];
		r->nedits[w] = r->nedits[i];
		w++;
	}
	r->npairs = w;
}

static int align_all(const rp_corpus *c, rp_result *r)
{
	unsigned nt = rp_thread_count(&c->opts, r->npairs);
	align_job jobs[RP_MAX_THREADS];

	for (unsigned t = 0; t < nt; t++)
		jobs[t] = (align_job){ c, r, t, nt, 0 };
	rp_run_jobs(align_worker, jobs, sizeof(jobs[0]), nt);
	for (unsigned t = 0; t < nt; t++)
		if (jobs[t].err < 0)
			return jobs[t].err;
	return RP_OK;
}

void rp_result_free(rp_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->npairs; i++) {
		if (r->pass)
			free(r->pass[i]);
		if (r->edits)
			free(r->edits[i]);
	}
	free(r->pass);
	free(r->edits);
	free(r->nedits);
	free(r->pairs);
	free(r->tent);
	free(r->chars);
	rp_clusters_free(&r->clusters);
	free(r->scanned);
	rp_boiler_free(&r->boil);
	free(r->outlet_of);
	free(r->outlet_name);
	free(r);
}

#define NO_OUTLET UINT32_MAX

/* Number the outlets (first seen first); r->outlet_name[n] is outlet n. */
static int intern_outlets(rp_result *r, const rp_corpus *c)
{
	int err = RP_OK;
	size_t nd = c->ndocs, cap = 16, n = 0;
	while (cap < 2 * nd)
		cap *= 2;
	uint32_t *tab = calloc(cap, sizeof(*tab)); /* outlet number + 1 */
	r->outlet_of = reallocarray(NULL, nd + 1, sizeof(*r->outlet_of));
	r->outlet_name = reallocarray(NULL, nd + 1, sizeof(*r->outlet_name));
	GOTO_IF(!tab || !r->outlet_of || !r->outlet_name, RP_ENOMEM);
	for (size_t d = 0; d < nd; d++) {
		const char *name = c->docs[d].outlet;
		r->outlet_of[d] = NO_OUTLET;
		if (!name)
			continue;
		size_t slot = (size_t)XXH3_64bits(name, strlen(name)) & (cap - 1);
		while (tab[slot] && strcmp(r->outlet_name[tab[slot] - 1], name) != 0)
			slot = (slot + 1) & (cap - 1);
		if (!tab[slot]) {
			r->outlet_name[n] = name;
			tab[slot] = (uint32_t)++n;
		}
		r->outlet_of[d] = tab[slot] - 1;
	}
cleanup:
	free(tab);
	return err;
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

/* Merge the sorted, distinct cc[0..ncc) into *cand (sorted, distinct). */
static int merge_candidates(uint64_t **cand, size_t *ncand, const uint64_t *cc,
			    size_t ncc)
{
	uint64_t *merged = reallocarray(NULL, *ncand + ncc + 1, sizeof(*merged));
	RETURN_ERROR_IF(!merged, RP_ENOMEM);
	size_t i = 0, j = 0, m = 0;
	while (i < *ncand || j < ncc) {
		uint64_t x = i < *ncand ? (*cand)[i] : UINT64_MAX;
		uint64_t y = j < ncc ? cc[j] : UINT64_MAX;
		merged[m++] = x < y ? x : y;
		i += x <= y;
		j += y <= x;
	}
	free(*cand);
	*cand = merged;
	*ncand = m;
	return RP_OK;
}

/* Passage candidates from the threads' fingerprints (*pc, sorted,
 * distinct) and, when sampled, containment candidates from the threads'
 * samples, merged into the sorted, distinct LSH candidates. */
static int add_contain_candidates(rp_result *r, rp_fpbuf *fbuf, unsigned w,
				  sample_vec *svec, const uint32_t *nsamp,
				  uint64_t **cand,
				  size_t *ncand, uint64_t **pc, size_t *npc)
{
	int err = RP_OK;
	size_t n = 0, ncc = 0;
	rp_kv *all = NULL;
	uint64_t *cc = NULL;
	rp_contain_stats cs;

	GOTO_IF_ERROR(rp_contain_candidates(pc, npc, &cs, fbuf, RP_MAX_THREADS, w,
					    RP_PASSAGE_POSTING_CAP));
	for (unsigned t = 0; t < RP_MAX_THREADS; t++)
		rp_fpbuf_free(&fbuf[t]);
	r->stats.contain_candidates = *npc;
	r->stats.oversized_buckets += cs.postings_skipped;
	r->stats.largest_bucket = RP_MAX(r->stats.largest_bucket, cs.largest_posting);
	GOTO_IF_ERROR(merge_candidates(cand, ncand, *pc, *npc));
	if (svec) {
		GOTO_IF_ERROR(gather_samples(&all, &n, svec));
		GOTO_IF_ERROR(rp_sample_candidates(&cc, &ncc, &cs, all, n, nsamp,
						   r->corpus->opts.bucket_cap));
		r->stats.contain_candidates += ncc;
		r->stats.oversized_buckets += cs.postings_skipped;
		r->stats.largest_bucket = RP_MAX(r->stats.largest_bucket,
						 cs.largest_posting);
		GOTO_IF_ERROR(merge_candidates(cand, ncand, cc, ncc));
	}
cleanup:
	free(all);
	free(cc);
	return err;
}

/* Outlets, then boilerplate (when turned on). */
static int learn(rp_result *r, const rp_corpus *c)
{
	const rp_options *o = &c->opts;
	FORWARD_IF_ERROR(intern_outlets(r, c));
	if (!o->boilerplate)
		return RP_OK;
	rp_boiler_doc *bd = reallocarray(NULL, c->ndocs + 1, sizeof(*bd));
	RETURN_ERROR_IF(!bd, RP_ENOMEM);
	for (size_t d = 0; d < c->ndocs; d++)
		bd[d] = (rp_boiler_doc){ c->docs[d].text, c->docs[d].text_len,
					 r->outlet_of[d] };
	int err = rp_boiler_find(&r->boil, bd, c->ndocs, o->chrome_min_pages,
				 1, 1, rp_thread_count(o, c->ndocs));
	free(bd);
	r->stats.chrome_lines = r->boil.chrome_lines;
	r->stats.docs_stripped = r->boil.docs_stripped;
	r->stats.bytes_excluded = r->boil.bytes_excluded;
	return err;
}

/* Leave out pairs of one outlet (cross_outlet) or published further apart
 * than the window. */
static void filter_pairs(rp_result *r, const rp_corpus *c)
{
	const rp_options *o = &c->opts;
	size_t w = 0;
	if (!o->cross_outlet && o->window <= 0)
		return;
	for (size_t i = 0; i < r->npairs; i++) {
		const rp_pair *p = &r->pairs[i];
		const rp_doc *da = &c->docs[p->a], *db = &c->docs[p->b];
		int drop = o->cross_outlet && r->outlet_of[p->a] != NO_OUTLET &&
			   r->outlet_of[p->a] == r->outlet_of[p->b];
		if (o->window > 0 && da->has_timestamp && db->has_timestamp) {
			int64_t dt = da->timestamp - db->timestamp;
			drop |= (dt < 0 ? -dt : dt) > o->window;
		}
		if (drop) {
			r->stats.filtered++;
			continue;
		}
		if (r->tent)
			r->tent[w] = r->tent[i];
		r->pairs[w++] = *p;
	}
	r->npairs = w;
}

int rp_learn_boilerplate(rp_result **out, rp_corpus *c)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	RETURN_ERROR_IF(!c, RP_EINVAL);
	RETURN_ERROR_IF(c->scanned, RP_ESTATE);
	c->scanned = 1;
	rp_result *r = calloc(1, sizeof(*r));
	RETURN_ERROR_IF(!r, RP_ENOMEM);
	r->corpus = c;
	r->ndocs = c->ndocs;
	r->scanned = calloc(c->ndocs + 1, 1);
	int err = r->scanned ? learn(r, c) : RP_ENOMEM;
	if (err < 0) {
		rp_result_free(r);
		return err;
	}
	r->stats.documents = c->ndocs;
	*out = r;
	return RP_OK;
}

size_t rp_result_chrome_count(const rp_result *r)
{
	return r ? r->boil.nlines : 0;
}

int rp_result_chrome(rp_chrome_line *out, const rp_result *r, size_t i)
{
	RETURN_ERROR_IF(!out || !r || i >= r->boil.nlines, RP_EINVAL);
	const rp_boiler_line_info *l = &r->boil.lines[i];
	const rp_doc *d = &r->corpus->docs[l->doc];
	out->outlet = r->outlet_name[l->outlet];
	out->line = d->text + l->start;
	out->line_len = l->end - l->start;
	out->pages = l->pages;
	return RP_OK;
}

int rp_result_excluded(const uint32_t **ranges, size_t *count,
		       const rp_result *r, size_t i)
{
	RETURN_ERROR_IF(!ranges || !count || !r || i >= r->ndocs, RP_EINVAL);
	if (!r->boil.spans || r->boil.off[i + 1] == r->boil.off[i]) {
		*ranges = NULL;
		*count = 0;
		return RP_OK;
	}
	*ranges = (const uint32_t *)(r->boil.spans + r->boil.off[i]);
	*count = r->boil.off[i + 1] - r->boil.off[i];
	return RP_OK;
}

int rp_scan(rp_result **out, rp_corpus *c)
{
	int err = RP_OK;
	rp_result *r = NULL;
	uint64_t *sigs = NULL, **sets = NULL, *cand = NULL;
	uint32_t *nsets = NULL;
	uint8_t *need = NULL;
	rp_fpbuf *fbuf = NULL;
	sample_vec *svec = NULL;
	uint32_t *nsamp = NULL;
	uint64_t *pcand = NULL;
	size_t npcand = 0;
	size_t windows[RP_MAX_THREADS] = { 0 };
	rp_cluster_doc *cdocs = NULL;
	size_t nd, ncand = 0;
	double t0, t1;

	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	RETURN_ERROR_IF(!c, RP_EINVAL);
	RETURN_ERROR_IF(c->scanned, RP_ESTATE);
	c->scanned = 1;
	nd = c->ndocs;
	const rp_options *o = &c->opts;

	r = calloc(1, sizeof(*r));
	GOTO_IF(!r, RP_ENOMEM);
	r->corpus = c;
	r->ndocs = nd;
	r->scanned = calloc(nd + 1, 1);
	r->chars = calloc(nd + 1, 1);
	sets = calloc(nd + 1, sizeof(*sets));
	nsets = calloc(nd + 1, sizeof(*nsets));
	need = calloc(nd + 1, 1);
	sigs = reallocarray(NULL, (nd ? nd : 1), (size_t)o->num_perm * sizeof(*sigs));
	GOTO_IF(!r->scanned || !r->chars || !sets || !nsets || !need || !sigs,
		RP_ENOMEM);

	/* 0. Outlets and boilerplate. */
	t0 = rp_now();
	GOTO_IF_ERROR(learn(r, c));
	r->stats.seconds_boilerplate = rp_now() - t0;
	t0 = rp_now();

	/* 1. Sign. status doubles as the scanned flag (DOC_OK -> 1). */
	doc_job job;
	memset(&job, 0, sizeof(job));
	job.c = c;
	job.boil = &r->boil;
	if ((o->containment > 0 || o->min_passage > 0) && !o->exact) {
		fbuf = calloc(RP_MAX_THREADS, sizeof(*fbuf));
		GOTO_IF(!fbuf, RP_ENOMEM);
		for (unsigned t = 0; t < RP_MAX_THREADS; t++)
			fbuf[t].bits = rp_fpbuf_bits(nd);
		job.fbuf = fbuf;
		job.winnow_w = rp_winnow_window(o->min_passage ? o->min_passage
							       : RP_CONTAIN_RUN_WORDS,
						o->k);
		if (o->containment > 0 && o->containment < RP_CONTAIN_SCATTERED) {
			svec = calloc(RP_MAX_THREADS, sizeof(*svec));
			nsamp = calloc(nd + 1, sizeof(*nsamp));
			GOTO_IF(!svec || !nsamp, RP_ENOMEM);
			job.svec = svec;
			job.nsamp = nsamp;
		}
	}
	/* The passage rule of a pair of character texts, in characters:
	 * RP_CHAR_PASSAGE_FACTOR x min_passage, and never less than the run
	 * the winnowing window guarantees to find. The window w is the one
	 * of word texts (the same fingerprints index serves every document),
	 * and a run of L characters holds L - RP_CHAR_TEXT_K + 1 shingles, so
	 * it is found for L >= RP_PASSAGE_FPS w + RP_CHAR_TEXT_K - 1. With
	 * the defaults (P = 25 words, k = 5) w = 7 and that is 25 characters,
	 * under the 50 of the rule; since w <= (P - k + 1) / 3 it is at most
	 * P - k + 5 <= 2P whenever P >= 5 - k, and the max covers the rest.
	 * The verify stage keeps a tentative pair sharing P - k + 1 shingles
	 * (the word figure); a run of char_passage characters holds
	 * char_passage - 4 >= P - k + 1 of them, so it keeps every character
	 * pair that can pass, and alignment decides. */
	if (o->min_passage > 0) {
		unsigned w = rp_winnow_window(o->min_passage, o->k);
		r->char_passage = RP_MAX((size_t)RP_CHAR_PASSAGE_FACTOR *
						 o->min_passage,
					 (size_t)RP_PASSAGE_FPS * w +
						 RP_CHAR_TEXT_K - 1);
	}
	job.chars = r->chars;
	job.pass = PASS_SIGN;
	job.sigs = sigs;
	job.status = r->scanned;
	GOTO_IF_ERROR(run_pass(&job, windows));
	for (unsigned t = 0; t < RP_MAX_THREADS; t++)
		r->stats.shingles += windows[t];
	rp_boiler_keep_whole(&r->boil, r->scanned, DOC_WHOLE);
	for (size_t d = 0; d < nd; d++) {
		if (r->scanned[d] == DOC_NO_WORDS) {
			GOTO_IF_ERROR(rp_corpus_reject_add(
				c, c->docs[d].source, c->docs[d].line,
				c->docs[d].id, "no words in text"));
			r->scanned[d] = 0;
		} else {
			r->scanned[d] = 1;
			r->stats.documents++;
			r->stats.char_documents += r->chars[d];
			r->stats.text_bytes += c->docs[d].text_len;
		}
	}
	t1 = rp_now();
	r->stats.seconds_sign = t1 - t0;

	/* 2. Candidates, the sets they need, and verification. */
	rp_sets S = { (const uint64_t *const *)sets, nsets, nd };
	int exact = o->exact;
	if (!exact) {
		unsigned b = o->bands, rw = o->rows;
		int reached = 1;
		if (b == 0)
			GOTO_IF_ERROR(rp_lsh_tune(&b, &rw, &reached,
						  o->threshold, o->num_perm,
						  o->target_recall));
		r->stats.bands = b;
		r->stats.rows = rw;
		r->stats.recall_at_threshold =
			rp_lsh_probability(o->threshold, b, rw);
		r->stats.recall_reached =
			r->stats.recall_at_threshold >= o->target_recall;
		rp_lsh_stats ls;
		GOTO_IF_ERROR(rp_lsh_candidates(&cand, &ncand, &ls, sigs,
						r->scanned, nd, o->num_perm, b,
						rw, o->bucket_cap));
		r->stats.oversized_buckets = ls.oversized;
		r->stats.largest_bucket = ls.largest;
		free(sigs); /* signatures are not needed past banding */
		sigs = NULL;
		if (fbuf) {
			GOTO_IF_ERROR(add_contain_candidates(r, fbuf, job.winnow_w,
							     svec, nsamp,
							     &cand, &ncand, &pcand,
							     &npcand));
			free_fpbufs(fbuf);
			free_samples(svec);
			fbuf = NULL;
			svec = NULL;
		}
		for (size_t i = 0; i < ncand; i++)
			need[RP_PAIR_A(cand[i])] = need[RP_PAIR_B(cand[i])] = 1;
	} else {
		memcpy(need, r->scanned, nd);
	}
	free(sigs);
	sigs = NULL;
	job.pass = PASS_SETS;
	job.need = need;
	job.sets = sets;
	job.nsets = nsets;
	GOTO_IF_ERROR(run_pass(&job, windows));
	double t2 = rp_now();
	if (exact) {
		GOTO_IF_ERROR(rp_exact_pairs(&r->pairs, &r->npairs, &ncand, &S,
					     o->threshold, o->containment));
		r->stats.seconds_candidates = rp_now() - t1;
	} else {
		r->stats.seconds_candidates = t2 - t1;
		GOTO_IF_ERROR(rp_verify(&r->pairs, &r->npairs,
					o->min_passage ? &r->tent : NULL, &S,
					cand, ncand, pcand, npcand,
					/* a run of P words holds P - k + 1
					 * shingles */
					o->min_passage >= o->k ? o->min_passage - o->k + 1 : 1,
					o->threshold, o->containment));
		r->stats.seconds_verify = rp_now() - t2;
	}
	r->stats.candidates = ncand;
	filter_pairs(r, c);

	/* 3. Relations, sources and, unless turned off, aligned passages. */
	t1 = rp_now();
	r->pass = calloc(r->npairs + 1, sizeof(*r->pass));
	r->edits = calloc(r->npairs + 1, sizeof(*r->edits));
	r->nedits = calloc(r->npairs + 1, sizeof(*r->nedits));
	GOTO_IF(!r->pass || !r->edits || !r->nedits, RP_ENOMEM);
	GOTO_IF_ERROR(align_all(c, r));
	drop_pairs(r, o->keep_templates);
	free(r->tent);
	r->tent = NULL;
	r->stats.pairs = r->npairs;
	r->stats.seconds_align = rp_now() - t1;

	/* 4. Cluster. */
	t1 = rp_now();
	cdocs = reallocarray(NULL, nd + 1, sizeof(*cdocs));
	GOTO_IF(!cdocs, RP_ENOMEM);
	for (size_t d = 0; d < nd; d++)
		cdocs[d] = (rp_cluster_doc){ c->docs[d].timestamp,
					     c->docs[d].has_timestamp,
					     c->docs[d].text_len,
					     r->scanned[d] };
	GOTO_IF_ERROR(rp_cluster_build(&r->clusters, cdocs, nd, r->pairs, r->npairs));
	for (size_t i = 0; i < r->clusters.n; i++)
		if (r->clusters.off[i + 1] - r->clusters.off[i] > 1)
			r->stats.clusters++;
	r->stats.seconds_cluster = rp_now() - t1;
	r->stats.rejected = c->nrejects;

	*out = r;
	r = NULL;
cleanup:
	if (err < 0)
		snprintf(c->err, sizeof(c->err), "scan failed: %s",
			 rp_strerror(err));
	rp_result_free(r);
	if (sets)
		for (size_t d = 0; d < nd; d++)
			free(sets[d]);
	free(sets);
	free(nsets);
	free(need);
	free_fpbufs(fbuf);
	free_samples(svec);
	free(nsamp);
	free(pcand);
	free(sigs);
	free(cand);
	free(cdocs);
	return err;
}

size_t rp_result_pair_count(const rp_result *r)
{
	return r ? r->npairs : 0;
}

const rp_pair *rp_result_pairs(const rp_result *r)
{
	return r ? r->pairs : NULL;
}

int rp_result_passages(const rp_passage **out, size_t *count,
		       const rp_result *r, size_t i)
{
	RETURN_ERROR_IF(!out || !count || !r || i >= r->npairs, RP_EINVAL);
	*out = r->pass[i];
	*count = r->pairs[i].passages;
	return RP_OK;
}

int rp_result_edits(const rp_edit **out, size_t *count, const rp_result *r,
		    size_t i)
{
	RETURN_ERROR_IF(!out || !count || !r || i >= r->npairs, RP_EINVAL);
	*out = r->edits[i];
	*count = r->nedits[i];
	return RP_OK;
}

size_t rp_result_cluster_count(const rp_result *r)
{
	return r ? r->clusters.n : 0;
}

int rp_result_cluster(rp_cluster *out, const rp_result *r, size_t i)
{
	RETURN_ERROR_IF(!out || !r || i >= r->clusters.n, RP_EINVAL);
	out->representative = r->clusters.rep[i];
	out->members = r->clusters.mem + r->clusters.off[i];
	out->count = r->clusters.off[i + 1] - r->clusters.off[i];
	return RP_OK;
}

int rp_result_doc_scanned(const rp_result *r, size_t i)
{
	return r && i < r->ndocs && r->scanned[i];
}

int rp_result_stats(rp_scan_stats *out, const rp_result *r)
{
	RETURN_ERROR_IF(!out || !r, RP_EINVAL);
	*out = r->stats;
	return RP_OK;
}
