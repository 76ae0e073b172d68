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

/* Signatures (sigs, K) or band-major keys: the pairs of their buckets. */
static int band_candidates(uint64_t **out, size_t *nout, rp_lsh_stats *stats,
			   const uint64_t *sigs, const uint64_t *keys,
			   rp_band_fill fill, void *ctx,
			   const uint8_t *active, size_t ndocs, unsigned K,
			   unsigned bands, unsigned rows, size_t cap)
{
	int err = RP_OK;
	rp_kv *kv = NULL, *tmp = NULL;
	uint64_t *pairs = NULL, *ptmp = NULL, *kb = NULL;
	size_t npairs = 0, pcap = 0, ptmpcap = 0, last_distinct = 0;

	*out = NULL;
	*nout = 0;
	memset(stats, 0, sizeof(*stats));
	GOTO_IF(bands == 0 || (!keys && !fill &&
			       ((size_t)bands * rows > K || rows == 0)),
		RP_EINVAL);
	GOTO_IF(ndocs >= UINT32_MAX, RP_ELIMIT);

	kv = reallocarray(NULL, ndocs ? ndocs : 1, sizeof(*kv));
	tmp = reallocarray(NULL, ndocs ? ndocs : 1, sizeof(*tmp));
	GOTO_IF(!kv || !tmp, RP_ENOMEM);

	if (fill) {
		kb = reallocarray(NULL, ndocs ? ndocs : 1, sizeof(*kb));
		GOTO_IF(!kb, RP_ENOMEM);
		keys = kb; /* one band at a time: keys[0 * ndocs + d] */
	}
	for (unsigned band = 0; band < bands; band++) {
		size_t n = 0;
		if (fill)
			GOTO_IF_ERROR(fill(ctx, band, kb));
		size_t at = fill ? 0 : (size_t)band * ndocs;
		for (size_t d = 0; d < ndocs; d++) {
			if (!active[d])
				continue;
			kv[n].key = keys ? keys[at + d]
					 : rp_band_key(sigs + d * K, band, rows);
			kv[n].val = d;
			n++;
		}
		rp_sort_kv(kv, tmp, n);
		GOTO_IF_ERROR(rp_pairs_of_runs(&pairs, &npairs, &pcap, kv, n, cap,
					       &stats->oversized,
					       &stats->largest));
		/* Keep the list distinct as it grows across bands. */
		if (band + 1 == bands ||
		    (npairs > 65536 && npairs > 2 * last_distinct)) {
			GOTO_IF_ERROR(RP_GROW(ptmp, ptmpcap, npairs));
			rp_sort_u64(pairs, ptmp, npairs);
			npairs = rp_unique_u64(pairs, npairs);
			last_distinct = npairs;
		}
	}
	*out = pairs;
	*nout = npairs;
	pairs = NULL;
cleanup:
	free(kv);
	free(tmp);
	free(pairs);
	free(ptmp);
	free(kb);
	return err;
}

int rp_lsh_candidates(uint64_t **out, size_t *nout, rp_lsh_stats *stats,
		      const uint64_t *sigs, const uint8_t *active,
		      size_t ndocs, unsigned K, unsigned bands, unsigned rows,
		      size_t cap)
{
	return band_candidates(out, nout, stats, sigs, NULL, NULL, NULL, active,
			       ndocs, K, bands, rows, cap);
}

int rp_lsh_candidates_keys(uint64_t **out, size_t *nout, rp_lsh_stats *stats,
			   const uint64_t *keys, const uint8_t *active,
			   size_t ndocs, unsigned bands, size_t cap)
{
	return band_candidates(out, nout, stats, NULL, keys, NULL, NULL, active,
			       ndocs, 0, bands, 0, cap);
}

int rp_lsh_candidates_fill(uint64_t **out, size_t *nout, rp_lsh_stats *stats,
			   rp_band_fill fill, void *ctx, const uint8_t *active,
			   size_t ndocs, unsigned bands, size_t cap)
{
	return band_candidates(out, nout, stats, NULL, NULL, fill, ctx, active,
			       ndocs, 0, bands, 0, cap);
}
