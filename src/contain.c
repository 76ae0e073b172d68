/*
 * contain.c - containment candidates by a consistently sampled inverted
 * index (see contain.h).
 *
 * Design. Banding finds pairs by Jaccard, and a third of a story inside
 * the whole scores only about 0.33; LSH Ensemble (Zhu et al., VLDB 2016)
 * answers this by partitioning by size and banding each partition for a
 * lower Jaccard. A simpler scheme fits batch work: keep from every
 * document the shingles whose hash is 0 modulo M (Broder's mod-m
 * sampling, 1997). Sampling is consistent, so a shingle shared by A and B
 * is sampled in both or in neither, and A and B share about |A and B| / M
 * sampled shingles. A pair sharing s shingles is missed only when fewer
 * than RP_CONTAIN_MIN_SHARED of them are sampled:
 *     P(miss) = P(Binomial(s, 1/M) < 2),
 * for M = 4 about 2% at s = 20 shared shingles and below 0.01% at s = 40
 * (a 40-word excerpt). Requiring two shared samples (one for documents
 * with fewer than RP_CONTAIN_SMALL samples) keeps pairs that share one
 * common phrase out of verification. Texts of fewer than RP_CONTAIN_ALL
 * shingles (one-sentence bulletins) would often have no sample at all, so
 * they index every shingle: two short texts then meet on any shared
 * shingle, a short text inside a long one still only on samples. Memory
 * is about a quarter of the shingles, and postings are walked like LSH
 * buckets, with the same cap.
 */
#include "contain.h"

#include "lsh.h"

int rp_contain_candidates(uint64_t **out, size_t *nout,
			  rp_contain_stats *stats, rp_kv *s, rp_kv *tmp,
			  size_t n, const uint32_t *nsamp, size_t cap)
{
	uint64_t *pairs = NULL, *ptmp = NULL;
	size_t np = 0, capp = 0, captmp = 0;
	int err = RP_OK;

	*out = NULL;
	*nout = 0;
	memset(stats, 0, sizeof(*stats));
	rp_sort_kv(s, tmp, n);
	GOTO_IF_ERROR(rp_pairs_of_runs(&pairs, &np, &capp, s, n, cap,
				       &stats->postings_skipped,
				       &stats->largest_posting));
	/* Count how many sampled shingles each pair shares. */
	GOTO_IF_ERROR(RP_GROW(ptmp, captmp, np + 1));
	rp_sort_u64(pairs, ptmp, np);
	size_t w = 0;
	for (size_t i = 0; i < np;) {
		size_t j = i + 1;
		while (j < np && pairs[j] == pairs[i])
			j++;
		size_t a = RP_PAIR_A(pairs[i]), b = RP_PAIR_B(pairs[i]);
		size_t need = RP_MIN(nsamp[a], nsamp[b]) < RP_CONTAIN_SMALL
				      ? 1 : RP_CONTAIN_MIN_SHARED;
		if (j - i >= need)
			pairs[w++] = pairs[i];
		i = j;
	}
	*out = pairs;
	*nout = w;
	pairs = NULL;
cleanup:
	free(pairs);
	free(ptmp);
	return err;
}
