/*
 * lsh.c - choosing bands x rows, and candidate pairs by sorted band keys.
 *
 * Design. The usual way to choose (b, r) minimises a weighted sum of the
 * false-positive and false-negative areas under the S-curve
 * P(s) = 1 - (1 - s^r)^b; with equal weights that puts the curve's midpoint
 * near the threshold, so only 31-58% of the pairs sitting exactly at the
 * threshold become candidates. reprint verifies every candidate exactly,
 * so false positives cost only time while false negatives are lost results.
 * We therefore require P(threshold) >= target recall (0.99 by default) and
 * among those choices take the one with the smallest false-positive area
 * integral_0^t P(s) ds, a proxy for the expected number of candidates below
 * the threshold (most pairs of a collection have s near 0).
 *
 * Candidate generation follows the batch approach: for each band, the key
 * of every document (XXH3 of its r rows, seeded by the band number) is
 * paired with the document number, the pairs are radix-sorted, and every run
 * of equal keys yields all of its pairs. The stable sort keeps documents of
 * a run in ascending order, so each emitted pair already has a < b.
 */
#include "lsh.h"

#include <math.h>

#include "sort.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

double rp_lsh_probability(double s, unsigned bands, unsigned rows)
{
	if (bands == 0 || rows == 0)
		return 0.0;
	if (s <= 0.0)
		return 0.0;
	if (s >= 1.0)
		return 1.0;
	return 1.0 - pow(1.0 - pow(s, (double)rows), (double)bands);
}

/* integral_0^t P(s) ds by Simpson's rule. */
static double fp_area(double t, unsigned b, unsigned r)
{
	const int n = 200;
	double h = t / n, sum = 0.0;
	for (int i = 0; i <= n; i++) {
		double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
		sum += w * rp_lsh_probability(i * h, b, r);
	}
	return sum * h / 3.0;
}

int rp_lsh_tune(unsigned *bands, unsigned *rows, int *reached,
		double threshold, unsigned num_perm, double target_recall)
{
	RETURN_ERROR_IF(!bands || !rows, RP_EINVAL);
	RETURN_ERROR_IF(!(threshold > 0.0 && threshold <= 1.0), RP_EINVAL);
	RETURN_ERROR_IF(num_perm == 0, RP_EINVAL);
	RETURN_ERROR_IF(!(target_recall > 0.0 && target_recall < 1.0), RP_EINVAL);

	unsigned best_b = 0, best_r = 0, top_b = 1, top_r = 1;
	double best_area = INFINITY, top_p = -1.0;
	for (unsigned r = 1; r <= num_perm; r++) {
		unsigned b = num_perm / r;
		/* Fewest bands that reach the target, if any do. */
		double p = rp_lsh_probability(threshold, b, r);
		if (p > top_p) {
			top_p = p;
			top_b = b;
			top_r = r;
		}
		if (p < target_recall)
			continue;
		unsigned lo = 1, hi = b;
		while (lo < hi) {
			unsigned mid = lo + (hi - lo) / 2;
			if (rp_lsh_probability(threshold, mid, r) >= target_recall)
				hi = mid;
			else
				lo = mid + 1;
		}
		double area = fp_area(threshold, lo, r);
		if (area < best_area) {
			best_area = area;
			best_b = lo;
			best_r = r;
		}
	}
	if (best_b) {
		*bands = best_b;
		*rows = best_r;
	} else {
		*bands = top_b;
		*rows = top_r;
	}
	if (reached)
		*reached = best_b != 0;
	return RP_OK;
}

uint64_t rp_band_key(const uint64_t *sig, unsigned band, unsigned rows)
{
	return XXH3_64bits_withSeed(sig + (size_t)band * rows,
				    rows * sizeof(uint64_t), band);
}

/* One thread's share of the bands: first, first + step, ... */
typedef struct band_job {
	const uint64_t *sigs, *keys;
	rp_band_fill fill;
	void *ctx;
	const uint8_t *active;
	size_t ndocs, cap;
	unsigned K, bands, rows, first, step;
	uint64_t *pairs; /* sorted, distinct */
	size_t npairs;
	rp_lsh_stats st;
	int err;
} band_job;

/* The pairs of the job's bands' buckets (sigs, K, or band-major keys, or
 * keys a band at a time from fill). */
static int band_sweep(band_job *j)
{
	int err = RP_OK;
	rp_kv *kv = NULL, *tmp = NULL;
	uint64_t *pairs = NULL, *ptmp = NULL, *kb = NULL;
	const uint64_t *keys = j->keys;
	size_t ndocs = j->ndocs, npairs = 0, pcap = 0, ptmpcap = 0,
	       last_distinct = 0;

	kv = reallocarray(NULL, ndocs ? ndocs : 1, sizeof(*kv));
	tmp = reallocarray(NULL, ndocs ? ndocs : 1, sizeof(*tmp));
	GOTO_IF(!kv || !tmp, RP_ENOMEM);

	if (j->fill) {
		kb = reallocarray(NULL, ndocs ? ndocs : 1, sizeof(*kb));
		GOTO_IF(!kb, RP_ENOMEM);
		keys = kb; /* one band at a time: keys[0 * ndocs + d] */
	}
	for (unsigned band = j->first; band < j->bands; band += j->step) {
		size_t n = 0;
		if (j->fill)
			GOTO_IF_ERROR(j->fill(j->ctx, band, kb));
		size_t at = j->fill ? 0 : (size_t)band * ndocs;
		for (size_t d = 0; d < ndocs; d++) {
			if (!j->active[d])
				continue;
			kv[n].key = keys ? keys[at + d]
					 : rp_band_key(j->sigs + d * j->K, band,
						       j->rows);
			kv[n].val = d;
			n++;
		}
		rp_sort_kv(kv, tmp, n);
		GOTO_IF_ERROR(rp_pairs_of_runs(&pairs, &npairs, &pcap, kv, n,
					       j->cap, &j->st.oversized,
					       &j->st.largest));
		/* Keep the list distinct as it grows across bands. */
		if (band + j->step >= j->bands ||
		    (npairs > 65536 && npairs > 2 * last_distinct)) {
			GOTO_IF_ERROR(RP_GROW(ptmp, ptmpcap, npairs));
			rp_sort_u64(pairs, ptmp, npairs);
			npairs = rp_unique_u64(pairs, npairs);
			last_distinct = npairs;
		}
	}
	j->pairs = pairs;
	j->npairs = npairs;
	pairs = NULL;
cleanup:
	free(kv);
	free(tmp);
	free(pairs);
	free(ptmp);
	free(kb);
	return err;
}

static void *band_worker(void *arg)
{
	band_job *j = arg;
	j->err = band_sweep(j);
	return NULL;
}

/* Signatures (sigs, K) or band-major keys: the pairs of their buckets,
 * the bands shared among `threads` threads (each sorts its own: a band's
 * buckets do not depend on another's), their lists merged. */
static int band_candidates(uint64_t **out, size_t *nout, rp_lsh_stats *stats,
			   const uint64_t *sigs, const uint64_t *keys,
			   rp_band_fill fill, void *ctx,
			   const uint8_t *active, size_t ndocs, unsigned K,
			   unsigned bands, unsigned rows, size_t cap,
			   unsigned threads)
{
	band_job jobs[RP_MAX_THREADS];
	int err = RP_OK;

	*out = NULL;
	*nout = 0;
	memset(stats, 0, sizeof(*stats));
	RETURN_ERROR_IF(bands == 0 || (!keys && !fill &&
				       ((size_t)bands * rows > K || rows == 0)),
			RP_EINVAL);
	RETURN_ERROR_IF(ndocs >= UINT32_MAX, RP_ELIMIT);
	unsigned nt = RP_MAX(1u, RP_MIN(RP_MIN(threads, bands),
					(unsigned)RP_MAX_THREADS));
	for (unsigned t = 0; t < nt; t++)
		jobs[t] = (band_job){ .sigs = sigs, .keys = keys, .fill = fill,
				      .ctx = ctx, .active = active,
				      .ndocs = ndocs, .cap = cap, .K = K,
				      .bands = bands, .rows = rows, .first = t,
				      .step = nt };
	rp_run_jobs(band_worker, jobs, sizeof(jobs[0]), nt);
	for (unsigned t = 0; t < nt; t++) {
		if (jobs[t].err < 0 && err == RP_OK)
			err = jobs[t].err;
		stats->oversized += jobs[t].st.oversized;
		stats->largest = RP_MAX(stats->largest, jobs[t].st.largest);
	}
	/* The threads' lists (each sorted and distinct) merged into the
	 * first. */
	uint64_t *pairs = jobs[0].pairs;
	size_t npairs = jobs[0].npairs;
	jobs[0].pairs = NULL;
	for (unsigned t = 1; t < nt && err == RP_OK; t++)
		err = rp_pairs_merge(&pairs, &npairs, jobs[t].pairs,
				     jobs[t].npairs);
	for (unsigned t = 0; t < nt; t++)
		free(jobs[t].pairs);
	if (err < 0) {
		free(pairs);
		return err;
	}
	*out = pairs;
	*nout = npairs;
	return RP_OK;
}

int rp_lsh_candidates(uint64_t **out, size_t *nout, rp_lsh_stats *stats,
		      const uint64_t *sigs, const uint8_t *active,
		      size_t ndocs, unsigned K, unsigned bands, unsigned rows,
		      size_t cap, unsigned threads)
{
	return band_candidates(out, nout, stats, sigs, NULL, NULL, NULL, active,
			       ndocs, K, bands, rows, cap, threads);
}

int rp_lsh_candidates_keys(uint64_t **out, size_t *nout, rp_lsh_stats *stats,
			   const uint64_t *keys, const uint8_t *active,
			   size_t ndocs, unsigned bands, size_t cap,
			   unsigned threads)
{
	return band_candidates(out, nout, stats, NULL, keys, NULL, NULL, active,
			       ndocs, 0, bands, 0, cap, threads);
}

int rp_lsh_candidates_fill(uint64_t **out, size_t *nout, rp_lsh_stats *stats,
			   rp_band_fill fill, void *ctx, const uint8_t *active,
			   size_t ndocs, unsigned bands, size_t cap,
			   unsigned threads)
{
	return band_candidates(out, nout, stats, NULL, NULL, fill, ctx, active,
			       ndocs, 0, bands, 0, cap, threads);
}
