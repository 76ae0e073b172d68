/*
 * verify.c - exact verification, and the exact all-pairs search.
 *
 * Design of the exact search. Order all distinct shingles by ascending
 * document frequency (ties by hash) and write each set in that order. If
 * J(A, B) >= t then |A and B| >= ceil(t * max(|A|, |B|)) >= ceil(t |A|), so
 * at most |A| - ceil(t |A|) shingles of A are outside B, and the first
 * p(A) = |A| - ceil(t |A|) + 1 shingles of A (its prefix) contain a shared
 * shingle; the same holds for B, and because both prefixes are taken in the
 * same global order, the first shared shingle lies in both prefixes. So
 * indexing only prefixes finds every pair at or above t, and putting rare
 * shingles first keeps posting lists short. Candidates are then verified
 * on the full sets like LSH candidates, so the filter affects speed only.
 */
#include "verify.h"

#include <math.h>

#include "pairs.h"
#include "shingle.h"
#include "sort.h"

void rp_score_pair(rp_pair *out, const rp_sets *sets, size_t a, size_t b)
{
	rp_score_sets(out, a, sets->h[a], sets->n[a], b, sets->h[b],
		      sets->n[b]);
}

void rp_score_sets(rp_pair *out, size_t a, const uint64_t *ha, size_t na,
		   size_t b, const uint64_t *hb, size_t nb)
{
	size_t inter = rp_intersect_count(ha, na, hb, nb);
	size_t uni = na + nb - inter;

	memset(out, 0, sizeof(*out));
	out->source = -1;
	out->a = a;
	out->b = b;
	out->shared = inter;
	out->size_a = na;
	out->size_b = nb;
	out->jaccard = uni ? (double)inter / (double)uni : 0.0;
	out->containment_a = na ? (double)inter / (double)na : 0.0;
	out->containment_b = nb ? (double)inter / (double)nb : 0.0;
}

/* x / y >= t, decided without trusting a borderline double. */
static int ratio_at_least(size_t x, size_t y, double t)
{
	return y && (double)x >= t * (double)y - 1e-9 * (double)y;
}

/* Jaccard >= t, or (c > 0) either containment >= c for a contained text
 * of at least RP_CONTAIN_MIN_SHINGLES (a few words inside a long text
 * are a phrase, not a reprint). */
int rp_pair_passes(const rp_pair *p, double t, double c)
{
	size_t uni = p->size_a + p->size_b - p->shared;
	if (ratio_at_least(p->shared, uni, t))
		return 1;
	return c > 0 &&
	       ((p->size_a >= RP_CONTAIN_MIN_SHINGLES &&
		 ratio_at_least(p->shared, p->size_a, c)) ||
		(p->size_b >= RP_CONTAIN_MIN_SHINGLES &&
		 ratio_at_least(p->shared, p->size_b, c)));
}

/* One thread's share of rp_verify: candidates cand[0..ncand), with the
 * part of keep that falls among them. */
typedef struct verify_job {
	const rp_sets *sets;
	const uint64_t *cand, *keep;
	size_t ncand, nkeep, keep_shared;
	double threshold, containment;
	int tentative;
	rp_pair *res; /* out (malloc'd; NULL when none passed) */
	uint8_t *tent;
	size_t n;
	int err;
} verify_job;

static int verify_range(verify_job *j)
{
	size_t cap = 0, capt = 0, k = 0;
	for (size_t i = 0; i < j->ncand; i++) {
		rp_pair p;
		rp_score_pair(&p, j->sets, RP_PAIR_A(j->cand[i]),
			      RP_PAIR_B(j->cand[i]));
		while (k < j->nkeep && j->keep[k] < j->cand[i])
			k++;
		int passed = rp_pair_passes(&p, j->threshold, j->containment);
		int kept = !passed && j->tentative && k < j->nkeep &&
			   j->keep[k] == j->cand[i] && p.shared >= j->keep_shared;
		if (!passed && !kept)
			continue;
		RETURN_ERROR_IF(RP_GROW(j->res, cap, j->n + 1) < 0 ||
					(j->tentative &&
					 RP_GROW(j->tent, capt, j->n + 1) < 0),
				RP_ENOMEM);
		if (j->tentative)
			j->tent[j->n] = (uint8_t)kept;
		j->res[j->n++] = p;
	}
	return RP_OK;
}

static void *verify_worker(void *arg)
{
	verify_job *j = arg;
	j->err = verify_range(j);
	return NULL;
}

/* Candidates per thread before a second one pays for its start. */
#define VERIFY_PER_THREAD 4096

int rp_verify(rp_pair **out, size_t *nout, uint8_t **tentative,
	      const rp_sets *sets, const uint64_t *cand, size_t ncand,
	      const uint64_t *keep, size_t nkeep, size_t keep_shared,
	      double threshold, double containment, unsigned threads)
{
	verify_job jobs[RP_MAX_THREADS];
	unsigned nt = rp_thread_count(threads, ncand / VERIFY_PER_THREAD + 1);
	int err = RP_OK;

	*out = NULL;
	*nout = 0;
	if (tentative)
		*tentative = NULL;
	/* Contiguous shares of about equal work (a pair costs about its two
	 * sets' sizes), so the shares' results, appended, are in order. */
	uint64_t total = 0, sum = 0;
	for (size_t i = 0; nt > 1 && i < ncand; i++)
		total += sets->n[RP_PAIR_A(cand[i])] + sets->n[RP_PAIR_B(cand[i])];
	size_t from = 0;
	for (unsigned t = 0; t < nt; t++) {
		size_t to = from;
		if (t + 1 == nt) {
			to = ncand;
		} else {
			uint64_t upto = total / nt * (t + 1);
			while (to < ncand && sum < upto) {
				sum += sets->n[RP_PAIR_A(cand[to])] +
				       sets->n[RP_PAIR_B(cand[to])];
				to++;
			}
		}
		size_t k0 = from ? rp_lower_u64(keep, nkeep, cand[from]) : 0;
		size_t k1 = to < ncand ? rp_lower_u64(keep, nkeep, cand[to])
				       : nkeep;
		jobs[t] = (verify_job){ sets, cand ? cand + from : NULL,
					keep ? keep + k0 : NULL,
					to - from, k1 - k0, keep_shared,
					threshold, containment, tentative != NULL,
					NULL, NULL, 0, RP_OK };
		from = to;
	}
	rp_run_jobs(verify_worker, jobs, sizeof(jobs[0]), nt);
	size_t n = 0;
	for (unsigned t = 0; t < nt; t++) {
		if (jobs[t].err < 0 && err == RP_OK)
			err = jobs[t].err;
		n += jobs[t].n;
	}
	if (err == RP_OK && nt > 1 && n) {
		/* The first share's arrays take the others'. */
		verify_job *j = &jobs[0];
		size_t cap = j->n, capt = j->n;
		if (RP_GROW(j->res, cap, n) < 0 ||
		    (tentative && RP_GROW(j->tent, capt, n) < 0)) {
			err = RP_ENOMEM;
		} else {
			for (unsigned t = 1; t < nt; t++) {
				if (!jobs[t].n)
					continue;
				memcpy(j->res + j->n, jobs[t].res,
				       jobs[t].n * sizeof(*j->res));
				if (tentative)
					memcpy(j->tent + j->n, jobs[t].tent,
					       jobs[t].n);
				j->n += jobs[t].n;
			}
		}
	}
	for (unsigned t = err == RP_OK ? 1 : 0; t < nt; t++) {
		free(jobs[t].res);
		free(jobs[t].tent);
	}
	if (err < 0)
		return err;
	*out = jobs[0].res;
	*nout = jobs[0].n;
	if (tentative)
		*tentative = jobs[0].tent;
	return RP_OK;
}

static size_t prefix_len(size_t n, double t)
{
	if (n == 0)
		return 0;
	size_t need = (size_t)ceil(t * (double)n - 1e-9);
	if (need < 1)
		need = 1;
	return n - need + 1;
}

/* How much of a set goes into the index, and how much is probed. */
static size_t index_len(size_t n, double t, double c)
{
	return c > 0 ? n : prefix_len(n, t);
}

static size_t probe_len(size_t n, double t, double c)
{
	size_t p = prefix_len(n, t);
	return c > 0 ? RP_MAX(p, prefix_len(n, c)) : p;
}

int rp_exact_pairs(rp_pair **out, size_t *nout, size_t *ncand,
		   const rp_sets *sets, double threshold, double containment)
{
	int err = RP_OK;
	size_t nd = sets->ndocs, total = 0;
	rp_kv *kv = NULL, *kvtmp = NULL;
	uint32_t *rank_of = NULL;     /* per (doc, position): global rank */
	size_t *doc_off = NULL;       /* start of each doc in rank_of */
	uint32_t *df = NULL;
	rp_kv *order = NULL, *ordtmp = NULL;
	size_t *post_off = NULL;
	uint32_t *post = NULL;
	uint32_t *seen = NULL;
	uint64_t *cand = NULL;
	size_t ncd = 0, candcap = 0;
	uint64_t *utmp = NULL;

	*out = NULL;
	*nout = 0;
	*ncand = 0;
	GOTO_IF(nd >= UINT32_MAX, RP_ELIMIT);
	GOTO_IF(!(threshold > 0.0), RP_EINVAL);

	doc_off = reallocarray(NULL, nd + 1, sizeof(*doc_off));
	GOTO_IF(!doc_off, RP_ENOMEM);
	for (size_t d = 0; d < nd; d++) {
		doc_off[d] = total;
		total += sets->n[d];
	}
	doc_off[nd] = total;
	GOTO_IF(total >= UINT32_MAX, RP_ELIMIT);

	/* 1. (shingle, position) sorted by shingle: distinct shingles + df. */
	kv = reallocarray(NULL, total + 1, sizeof(*kv));
	kvtmp = reallocarray(NULL, total + 1, sizeof(*kvtmp));
	rank_of = reallocarray(NULL, total + 1, sizeof(*rank_of));
	GOTO_IF(!kv || !kvtmp || !rank_of, RP_ENOMEM);
	for (size_t d = 0; d < nd; d++)
		for (size_t i = 0; i < sets->n[d]; i++)
			kv[doc_off[d] + i] = (rp_kv){ sets->h[d][i],
						      doc_off[d] + i };
	rp_sort_kv(kv, kvtmp, total);

	size_t ndistinct = 0;
	for (size_t i = 0; i < total; i++)
		if (i == 0 || kv[i].key != kv[i - 1].key)
			ndistinct++;
	df = reallocarray(NULL, ndistinct + 1, sizeof(*df));
	order = reallocarray(NULL, ndistinct + 1, sizeof(*order));
	ordtmp = reallocarray(NULL, ndistinct + 1, sizeof(*ordtmp));
	GOTO_IF(!df || !order || !ordtmp, RP_ENOMEM);
	/* 2. Rank distinct shingles by (df, first position): key df<<32|id. */
	for (size_t i = 0, id = 0; i < total;) {
		size_t j = i + 1;
		while (j < total && kv[j].key == kv[i].key)
			j++;
		df[id] = (uint32_t)(j - i);
		order[id] = (rp_kv){ ((uint64_t)df[id] << 32) | id, id };
		for (size_t x = i; x < j; x++)
			rank_of[kv[x].val] = (uint32_t)id; /* id for now */
		id++;
		i = j;
	}
	rp_sort_kv(order, ordtmp, ndistinct);
	/* id -> rank */
	for (size_t r = 0; r < ndistinct; r++)
		df[order[r].val] = (uint32_t)r; /* reuse df as id->rank */
	for (size_t i = 0; i < total; i++)
		rank_of[i] = df[rank_of[i]];
	free(kv);
	kv = NULL;

	/* 3. Each document's ranks ascending (rarest shingles first). */
	for (size_t d = 0; d < nd; d++) {
		size_t n = sets->n[d];
		uint32_t *r = rank_of + doc_off[d];
		uint64_t *tmp64 = (uint64_t *)kvtmp; /* >= total u64 of room */
		for (size_t i = 0; i < n; i++)
			tmp64[i] = r[i];
		rp_sort_u64(tmp64, tmp64 + n, n);
		for (size_t i = 0; i < n; i++)
			r[i] = (uint32_t)tmp64[i];
	}

	/* 4. Posting lists, CSR by rank: prefixes only for Jaccard; whole
	 * sets when containment is asked (a short text inside a long one
	 * shares a shingle with the long one's set, not its prefix). */
	post_off = calloc(ndistinct + 2, sizeof(*post_off));
	GOTO_IF(!post_off, RP_ENOMEM);
	size_t npost = 0;
	for (size_t d = 0; d < nd; d++) {
		size_t p = index_len(sets->n[d], threshold, containment);
		for (size_t i = 0; i < p; i++)
			post_off[rank_of[doc_off[d] + i] + 1]++;
		npost += p;
	}
	for (size_t r = 0; r < ndistinct; r++)
		post_off[r + 1] += post_off[r];
	post = reallocarray(NULL, npost + 1, sizeof(*post));
	GOTO_IF(!post, RP_ENOMEM);
	{
		size_t *fill = (size_t *)ordtmp; /* 16-byte slots, ndistinct+1 */
		for (size_t r = 0; r < ndistinct; r++)
			fill[r] = post_off[r];
		for (size_t d = 0; d < nd; d++) {
			size_t p = index_len(sets->n[d], threshold, containment);
			for (size_t i = 0; i < p; i++) {
				uint32_t r = rank_of[doc_off[d] + i];
				post[fill[r]++] = (uint32_t)d;
			}
		}
	}

	/* 5. Probe each document's prefix. Jaccard only: partners b < a
	 * (postings ascend, so stop at a). With containment: every b != a,
	 * each pair found from either side, deduplicated below. */
	seen = reallocarray(NULL, nd + 1, sizeof(*seen));
	GOTO_IF(!seen, RP_ENOMEM);
	for (size_t d = 0; d < nd; d++)
		seen[d] = UINT32_MAX;
	for (size_t a = 0; a < nd; a++) {
		size_t p = probe_len(sets->n[a], threshold, containment);
		for (size_t i = 0; i < p; i++) {
			uint32_t r = rank_of[doc_off[a] + i];
			for (size_t x = post_off[r]; x < post_off[r + 1]; x++) {
				uint32_t b = post[x];
				if (b >= a && containment <= 0)
					break;
				if (b == a || seen[b] == a)
					continue;
				seen[b] = (uint32_t)a;
				GOTO_IF_ERROR(RP_GROW(cand, candcap, ncd + 1));
				cand[ncd++] = b < a ? RP_PAIR(b, a) : RP_PAIR(a, b);
			}
		}
	}
	utmp = reallocarray(NULL, ncd + 1, sizeof(*utmp));
	GOTO_IF(!utmp, RP_ENOMEM);
	rp_sort_u64(cand, utmp, ncd);
	ncd = rp_unique_u64(cand, ncd);
	*ncand = ncd;
	GOTO_IF_ERROR(rp_verify(out, nout, NULL, sets, cand, ncd, NULL, 0, 0,
				threshold, containment, 1));
cleanup:
	free(kv);
	free(kvtmp);
	free(rank_of);
	free(doc_off);
	free(df);
	free(order);
	free(ordtmp);
	free(post_off);
	free(post);
	free(seen);
	free(cand);
	free(utmp);
	return err;
}
