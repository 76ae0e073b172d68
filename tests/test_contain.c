/* Tests of contain.c: containment candidates from sampled shingles. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "contain.h"
#include "lsh.h"

Test(contain, pairs_need_two_shared_samples_unless_small)
{
	/* Docs 0 and 1 share two sampled shingles (100, 200); docs 0 and 2
	 * share one (300); doc 3 is small and shares one (400) with doc 1. */
	rp_kv s[] = { { 100, 0 }, { 200, 0 }, { 300, 0 }, { 100, 1 },
		      { 200, 1 }, { 400, 1 }, { 300, 2 }, { 400, 3 } };
	rp_kv tmp[8];
	uint32_t nsamp[] = { 10, 10, 10, 1 };
	uint64_t *out;
	size_t n;
	rp_contain_stats st;
	cr_assert_eq(rp_contain_candidates(&out, &n, &st, s, tmp, 8, nsamp, 100), RP_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(out[0], RP_PAIR(0, 1));
	cr_assert_eq(out[1], RP_PAIR(1, 3));
	free(out);
}

Test(contain, postings_over_the_cap_are_counted_not_paired)
{
	rp_kv s[6], tmp[6];
	uint32_t nsamp[6];
	for (int d = 0; d < 6; d++) {
		s[d] = (rp_kv){ 7, (uint64_t)d };
		nsamp[d] = 1;
	}
	uint64_t *out;
	size_t n;
	rp_contain_stats st;
	cr_assert_eq(rp_contain_candidates(&out, &n, &st, s, tmp, 6, nsamp, 5), RP_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(st.postings_skipped, 1);
	cr_assert_eq(st.largest_posting, 6);
	free(out);
}

Test(contain, sampling_is_consistent)
{
	cr_assert(rp_contain_sampled(0x1234567812345678ULL & ~3ULL));
	cr_assert(!rp_contain_sampled(0x1234567812345679ULL));
}
