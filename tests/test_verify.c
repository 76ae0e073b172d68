/* Tests of verify.c: exact scores and the exact all-pairs search. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lsh.h"
#include "sort.h"
#include "testutil.h"
#include "verify.h"

Test(verify, scores_are_exact_ratios)
{
	uint64_t a[] = { 1, 2, 3, 4 }, b[] = { 3, 4, 5, 6, 7, 8 };
	const uint64_t *h[] = { a, b };
	uint32_t n[] = { 4, 6 };
	rp_sets S = { h, n, 2 };
	rp_pair p;
	rp_score_pair(&p, &S, 0, 1);
	cr_assert_eq(p.shared, 2);
	cr_assert_float_eq(p.jaccard, 2.0 / 8.0, 1e-15);
	cr_assert_float_eq(p.containment_a, 2.0 / 4.0, 1e-15);
	cr_assert_float_eq(p.containment_b, 2.0 / 6.0, 1e-15);
}

Test(verify, threshold_is_inclusive)
{
	uint64_t a[] = { 1, 2, 3 }, b[] = { 2, 3, 4 };
	const uint64_t *h[] = { a, b };
	uint32_t n[] = { 3, 3 };
	rp_sets S = { h, n, 2 };
	uint64_t cand = RP_PAIR(0, 1);
	rp_pair *out;
	size_t nout;
	cr_assert_eq(rp_verify(&out, &nout, NULL, &S, &cand, 1, NULL, 0, 0, 0.5, 0, 1), RP_OK); /* J = 2/4 */
	cr_assert_eq(nout, 1);
	free(out);
	cr_assert_eq(rp_verify(&out, &nout, NULL, &S, &cand, 1, NULL, 0, 0, 0.51, 0, 1), RP_OK);
	cr_assert_eq(nout, 0);
	free(out);
	/* No candidates at all (no array): nothing, on any threads. */
	uint8_t *tent;
	cr_assert_eq(rp_verify(&out, &nout, &tent, &S, NULL, 0, NULL, 0, 0, 0.5, 0, 2), RP_OK);
	cr_assert_eq(nout, 0);
	free(out);
	free(tent);
}

/* A collection of families: each family is a base set with documents that
 * keep a random share of it and add noise, so all similarities occur. */
static void random_collection(uint64_t ***h, uint32_t **n, size_t nd, uint64_t seed)
{
	*h = calloc(nd, sizeof(**h));
	*n = calloc(nd, sizeof(**n));
	uint64_t st = seed, base[200], tmp[400];
	for (size_t d = 0; d < nd; d++) {
		if (d % 8 == 0)
			for (int i = 0; i < 200; i++)
				base[i] = tu_rand(&st) % 5000; /* shared vocabulary */
		size_t len = 20 + tu_rand(&st) % 180;
		uint64_t *set = malloc(400 * sizeof(uint64_t));
		size_t m = 0;
		if (d % 10 == 9) { /* an exact duplicate of the previous set */
			memcpy(set, (*h)[d - 1], (*n)[d - 1] * sizeof(uint64_t));
			(*h)[d] = set;
			(*n)[d] = (*n)[d - 1];
			continue;
		}
		unsigned keep = (unsigned)(tu_rand(&st) % 101);
		for (size_t i = 0; i < len; i++)
			set[m++] = (tu_rand(&st) % 100 < keep) ? base[i]
							      : tu_rand(&st) % 5000;
		rp_sort_u64(set, tmp, m);
		m = rp_unique_u64(set, m);
		(*h)[d] = set;
		(*n)[d] = (uint32_t)m;
	}
}

static int brute_passes(const rp_pair *p, double t, double c)
{
	size_t uni = p->size_a + p->size_b - p->shared;
	if ((double)p->shared >= t * (double)uni - 1e-9 * uni)
		return 1;
	return c > 0 && ((p->size_a >= RP_CONTAIN_MIN_SHINGLES &&
			  (double)p->shared >= c * p->size_a - 1e-9 * p->size_a) ||
			 (p->size_b >= RP_CONTAIN_MIN_SHINGLES &&
			  (double)p->shared >= c * p->size_b - 1e-9 * p->size_b));
}

static void check_against_brute_force(double t, double c)
{
	const size_t nd = 400;
	uint64_t **h;
	uint32_t *n;
	random_collection(&h, &n, nd, 11);
	rp_sets S = { (const uint64_t *const *)h, n, nd };
	rp_pair *got;
	size_t ngot, ncand;
	cr_assert_eq(rp_exact_pairs(&got, &ngot, &ncand, &S, t, c), RP_OK);
	size_t nexp = 0, gi = 0;
	for (size_t a = 0; a < nd; a++)
		for (size_t b = a + 1; b < nd; b++) {
			rp_pair p;
			rp_score_pair(&p, &S, a, b);
			if (!brute_passes(&p, t, c))
				continue;
			nexp++;
			cr_assert_lt(gi, ngot, "t=%.2f c=%.2f: pair (%zu,%zu) J=%.3f missing",
				     t, c, a, b, p.jaccard);
			cr_assert(got[gi].a == a && got[gi].b == b,
				  "t=%.2f c=%.2f: expected (%zu,%zu), got (%zu,%zu)",
				  t, c, a, b, got[gi].a, got[gi].b);
			gi++;
		}
	cr_assert_eq(ngot, nexp, "t=%.2f c=%.2f", t, c);
	cr_assert_gt(nexp, 0, "t=%.2f c=%.2f: the collection must have pairs", t, c);
	free(got);
	for (size_t d = 0; d < nd; d++)
		free(h[d]);
	free(h);
	free(n);
}

Test(verify, exact_search_equals_brute_force)
{
	const double ts[] = { 0.2, 0.35, 0.5, 0.8, 1.0 };
	for (size_t k = 0; k < sizeof(ts) / sizeof(ts[0]); k++)
		check_against_brute_force(ts[k], 0);
}

Test(verify, containment_search_equals_brute_force)
{
	check_against_brute_force(0.5, 0.3);
	check_against_brute_force(0.8, 0.6);
	check_against_brute_force(1.0, 0.9);
}

/* Verification on several threads, each a contiguous share of the
 * candidates, gives what one thread gives: the same pairs, in the same
 * order, with the same tentative marks (every pair of 400 documents is a
 * candidate; every third one may share a passage). */
Test(verify, threads_give_what_one_thread_gives)
{
	const size_t nd = 400;
	uint64_t **h;
	uint32_t *n;
	random_collection(&h, &n, nd, 5);
	rp_sets S = { (const uint64_t *const *)h, n, nd };
	size_t ncand = 0, nkeep = 0;
	uint64_t *cand = malloc(nd * nd / 2 * sizeof(*cand));
	uint64_t *keep = malloc(nd * nd / 2 * sizeof(*keep));
	for (size_t a = 0; a < nd; a++)
		for (size_t b = a + 1; b < nd; b++) {
			if (ncand % 3 == 0)
				keep[nkeep++] = RP_PAIR(a, b);
			cand[ncand++] = RP_PAIR(a, b);
		}
	rp_pair *one, *many;
	uint8_t *t1, *tm;
	size_t n1, nm;
	cr_assert_eq(rp_verify(&one, &n1, &t1, &S, cand, ncand, keep, nkeep, 3,
			       0.5, 0.5, 1), RP_OK);
	size_t tent = 0;
	for (size_t i = 0; i < n1; i++)
		tent += t1[i];
	cr_assert_gt(n1, 100);
	cr_assert_gt(tent, 0, "some pairs are kept for alignment only");
	cr_assert_lt(tent, n1);
	const unsigned threads[] = { 2, 3, 7 };
	for (size_t k = 0; k < 3; k++) {
		cr_assert_eq(rp_verify(&many, &nm, &tm, &S, cand, ncand, keep,
				       nkeep, 3, 0.5, 0.5, threads[k]), RP_OK);
		cr_assert_eq(nm, n1, "%u threads", threads[k]);
		cr_assert_eq(memcmp(many, one, n1 * sizeof(*one)), 0,
			     "%u threads", threads[k]);
		cr_assert_eq(memcmp(tm, t1, n1), 0, "%u threads", threads[k]);
		free(many);
		free(tm);
	}
	free(one);
	free(t1);
	free(cand);
	free(keep);
	for (size_t d = 0; d < nd; d++)
		free(h[d]);
	free(h);
	free(n);
}
