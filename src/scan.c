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
 */
#include <pthread.h>
#include <unistd.h>

#include "cluster.h"
#include "corpus.h"
#include "lsh.h"
#include "minhash.h"
#include "relation.h"
#include "align.h"
#include "normalize.h"
#include "shingle.h"
#include "verify.h"

struct rp_result {
	rp_pair *pairs;
	size_t npairs;
	rp_passage **pass;     /* per pair */
	rp_edit **edits;       /* per pair */
	size_t *nedits;        /* per pair */
	rp_clusters clusters;
	uint8_t *scanned;
	size_t ndocs;
	rp_scan_stats stats;
};

enum { DOC_OK = 0, DOC_NO_WORDS = 1 };
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
	unsigned tid, nthreads;
	size_t *done;          /* documents finished, all threads (atomic) */
	int err;
} doc_job;

/* Shingle hashes of document d (text order, duplicates kept) into sb. */
static int shingle_doc(const rp_corpus *c, rp_tokbuf *tb, rp_shinglebuf *sb,
		       char **cat, size_t *catcap, size_t d)
{
	const rp_options *o = &c->opts;
	const rp_doc *doc = &c->docs[d];
	const char *text = doc->text;
	size_t len = doc->text_len;

	if (o->include_title && doc->title) {
		size_t tl = strlen(doc->title);
		FORWARD_IF_ERROR(RP_GROW(*cat, *catcap, tl + 2 + len + 1));
		memcpy(*cat, doc->title, tl);
		memcpy(*cat + tl, "\n\n", 2);
		memcpy(*cat + tl + 2, text, len);
		text = *cat;
		len += tl + 2;
	}
	FORWARD_IF_ERROR(rp_tokenize(tb, text, len,
				     o->shingle == RP_SHINGLE_CHAR));
	if (o->shingle == RP_SHINGLE_CHAR)
		return rp_shingle_chars(sb, tb, o->k);
	return rp_shingle_words(sb, tb, o->k);
}

static int doc_pass(doc_job *job, rp_tokbuf *tb, rp_shinglebuf *sb,
		    char **cat, size_t *catcap, size_t d)
{
	const rp_options *o = &job->c->opts;

	if (job->pass == PASS_SETS && !job->need[d])
		return RP_OK;
	FORWARD_IF_ERROR(shingle_doc(job->c, tb, sb, cat, catcap, d));
	if (job->pass == PASS_SIGN) {
		if (sb->n == 0) {
			job->status[d] = DOC_NO_WORDS;
			return RP_OK;
		}
		job->windows[job->tid] += sb->n;
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
	char *cat = NULL;
	size_t catcap = 0;

	memset(&tb, 0, sizeof(tb));
	memset(&sb, 0, sizeof(sb));
	const rp_options *o = &job->c->opts;
	size_t k = 0;
	for (size_t d = job->tid; d < job->c->ndocs; d += job->nthreads) {
		int err = doc_pass(job, &tb, &sb, &cat, &catcap, d);
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
	free(cat);
	return NULL;
}

#define MAX_THREADS 256

static unsigned thread_count(const rp_options *o, size_t ndocs)
{
	unsigned n = o->threads;
	if (n == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores > 0 ? (unsigned)cores : 1;
	}
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	if (ndocs < n)
		n = ndocs ? (unsigned)ndocs : 1;
	return n;
}

/* Run one pass over all documents on the configured number of threads.
 * A thread that cannot be started has its share done on this thread. */
static int run_pass(const doc_job *proto, size_t *windows)
{
	unsigned nt = thread_count(&proto->c->opts, proto->c->ndocs);
	doc_job jobs[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	uint8_t started[MAX_THREADS];
	size_t done = 0;

	for (unsigned t = 0; t < nt; t++) {
		jobs[t] = *proto;
		jobs[t].tid = t;
		jobs[t].nthreads = nt;
		jobs[t].windows = windows;
		jobs[t].done = &done;
		started[t] = t > 0 && pthread_create(&th[t], NULL, doc_worker,
						     &jobs[t]) == 0;
	}
	for (unsigned t = 0; t < nt; t++)
		if (!started[t])
			doc_worker(&jobs[t]);
	for (unsigned t = 1; t < nt; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	for (unsigned t = 0; t < nt; t++)
		if (jobs[t].err < 0)
			return jobs[t].err;
	return RP_OK;
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
	size_t cur_a = SIZE_MAX;
	unsigned k = o->shingle == RP_SHINGLE_WORD ? o->k : 5;

	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	memset(&al, 0, sizeof(al));
	for (size_t i = job->tid; i < r->npairs; i += job->nthreads) {
		rp_pair *p = &r->pairs[i];
		const rp_doc *da = &c->docs[p->a], *db = &c->docs[p->b];
		int err = RP_OK;
		if (p->a != cur_a) {
			err = rp_tokenize(&ta, da->text, da->text_len, 0);
			cur_a = err == RP_OK ? p->a : SIZE_MAX;
		}
		if (err == RP_OK)
			err = rp_tokenize(&tb, db->text, db->text_len, 0);
		if (err == RP_OK && o->align)
			err = rp_align_tokens(&al, ta.tok, ta.ntok, tb.tok,
					      tb.ntok, k, (uint64_t)p->a + 1);
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
					 al.trail_b };
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
	return NULL;
}

/* Remove template pairs (texts that differ only in figures), keeping the
 * per-pair passage arrays in step with the pairs. */
static void drop_templates(rp_result *r)
{
	size_t w = 0;
	for (size_t i = 0; i < r->npairs; i++) {
		if (r->pairs[i].relation == RP_REL_TEMPLATE) {
			free(r->pass[i]);
			free(r->edits[i]);
			r->stats.templates++;
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
	unsigned nt = thread_count(&c->opts, r->npairs);
	align_job jobs[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	uint8_t started[MAX_THREADS];

	for (unsigned t = 0; t < nt; t++) {
		jobs[t] = (align_job){ c, r, t, nt, 0 };
		started[t] = t > 0 && pthread_create(&th[t], NULL, align_worker,
						     &jobs[t]) == 0;
	}
	for (unsigned t = 0; t < nt; t++)
		if (!started[t])
			align_worker(&jobs[t]);
	for (unsigned t = 1; t < nt; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	for (unsigned t = 0; t < nt; t++)
		if (jobs[t].err < 0)
			return jobs[t].err;
	return RP_OK;
}

void rp_result_free(rp_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->pass && i < r->npairs; i++) {
		free(r->pass[i]);
		free(r->edits[i]);
	}
	free(r->pass);
	free(r->edits);
	free(r->nedits);
	free(r->pairs);
	rp_clusters_free(&r->clusters);
	free(r->scanned);
	free(r);
}

int rp_scan(rp_result **out, rp_corpus *c)
{
	int err = RP_OK;
	rp_result *r = NULL;
	uint64_t *sigs = NULL, **sets = NULL, *cand = NULL;
	uint32_t *nsets = NULL;
	uint8_t *need = NULL;
	size_t windows[MAX_THREADS] = { 0 };
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
	r->ndocs = nd;
	r->scanned = calloc(nd + 1, 1);
	sets = calloc(nd + 1, sizeof(*sets));
	nsets = calloc(nd + 1, sizeof(*nsets));
	need = calloc(nd + 1, 1);
	sigs = reallocarray(NULL, (nd ? nd : 1), (size_t)o->num_perm * sizeof(*sigs));
	GOTO_IF(!r->scanned || !sets || !nsets || !need || !sigs, RP_ENOMEM);

	/* 1. Sign. status doubles as the scanned flag (DOC_OK -> 1). */
	t0 = rp_now();
	doc_job job;
	memset(&job, 0, sizeof(job));
	job.c = c;
	job.pass = PASS_SIGN;
	job.sigs = sigs;
	job.status = r->scanned;
	GOTO_IF_ERROR(run_pass(&job, windows));
	for (unsigned t = 0; t < MAX_THREADS; t++)
		r->stats.shingles += windows[t];
	for (size_t d = 0; d < nd; d++) {
		if (r->scanned[d] == DOC_NO_WORDS) {
			GOTO_IF_ERROR(rp_corpus_reject_add(
				c, c->docs[d].source, c->docs[d].line,
				c->docs[d].id, "no words in text"));
			r->scanned[d] = 0;
		} else {
			r->scanned[d] = 1;
			r->stats.documents++;
			r->stats.text_bytes += c->docs[d].text_len;
		}
	}
	t1 = rp_now();
	r->stats.seconds_sign = t1 - t0;

	/* 2. Candidates, the sets they need, and verification. */
	rp_sets S = { (const uint64_t *const *)sets, nsets, nd };
	int exact = o->exact || o->containment > 0;
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
		for (size_t i = 0; i < ncand; i++)
			need[RP_PAIR_A(cand[i])] = need[RP_PAIR_B(cand[i])] = 1;
	} else {
		memcpy(need, r->scanned, nd);
	}
	free(sigs); /* signatures are not needed past banding */
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
		GOTO_IF_ERROR(rp_verify(&r->pairs, &r->npairs, &S, cand, ncand,
					o->threshold, o->containment));
		r->stats.seconds_verify = rp_now() - t2;
	}
	r->stats.candidates = ncand;
	r->stats.pairs = r->npairs;

	/* 3. Relations, sources and, unless turned off, aligned passages. */
	t1 = rp_now();
	r->pass = calloc(r->npairs + 1, sizeof(*r->pass));
	r->edits = calloc(r->npairs + 1, sizeof(*r->edits));
	r->nedits = calloc(r->npairs + 1, sizeof(*r->nedits));
	GOTO_IF(!r->pass || !r->edits || !r->nedits, RP_ENOMEM);
	GOTO_IF_ERROR(align_all(c, r));
	if (!o->keep_templates)
		drop_templates(r);
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
