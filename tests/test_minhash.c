/* Tests of minhash.c: the OPH and classic estimators, determinism, golden
 * vectors. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "minhash.h"
#include "sort.h"
#include "testutil.h"

/* Two sets of n elements sharing `inter`: J = inter / (2n - inter).
 * Elements are pseudo-random 64-bit values that depend on `trial`. */
static void make_pair(uint64_t *a, uint64_t *b, size_t n, size_t inter,
		      uint64_t trial)
{
	uint64_t st = trial * 0x1234567ULL + 99;
	for (size_t i = 0; i < n; i++)
		a[i] = tu_rand(&st);
	for (size_t i = 0; i < inter; i++)
		b[i] = a[n - inter + i];
	for (size_t i = inter; i < n; i++)
		b[i] = tu_rand(&st);
	uint64_t tmp[4096];
	rp_sort_u64(a, tmp, n);
	rp_sort_u64(b, tmp, n);
}

typedef void (*signer)(uint64_t *, unsigned, const uint64_t *, size_t, uint64_t);

/* Over `trials` seeds: mean estimate and share of estimates within 3 SE. */
static void estimate(signer sign, size_t n, size_t inter, unsigned K,
		     int trials, double *mean, double *within)
{
	static uint64_t a[4096], b[4096], sa[4096], sb[4096];
	double J = (double)inter / (double)(2 * n - inter);
	double se = sqrt(J * (1 - J) / K);
	double sum = 0;
	int ok = 0;
	for (int t = 0; t < trials; t++) {
		make_pair(a, b, n, inter, (uint64_t)t);
		sign(sa, K, a, n, (uint64_t)t * 7919u);
		sign(sb, K, b, n, (uint64_t)t * 7919u);
		double e = rp_sig_similarity(sa, sb, K);
		sum += e;
		ok += fabs(e - J) <= 3 * se;
	}
	*mean = sum / trials;
	*within = (double)ok / trials;
}

static void check_estimator(signer sign, size_t n, size_t inter, unsigned K)
{
	const int trials = 400;
	double J = (double)inter / (double)(2 * n - inter);
	double se = sqrt(J * (1 - J) / K), mean, within;
	estimate(sign, n, inter, K, trials, &mean, &within);
	cr_assert_leq(fabs(mean - J), 3 * se / sqrt(trials),
		      "n=%zu J=%.3f: mean estimate %.4f is biased", n, J, mean);
	cr_assert_geq(within, 0.98,
		      "n=%zu J=%.3f: only %.3f of estimates within 3 SE", n, J,
		      within);
}

Test(minhash, oph_estimates_jaccard_within_three_standard_errors)
{
	check_estimator(rp_sign_oph, 1000, 667, 128);  /* J = 0.5 */
	check_estimator(rp_sign_oph, 1000, 333, 128);  /* J = 0.2 */
	check_estimator(rp_sign_oph, 1000, 889, 128);  /* J = 0.8 */
	check_estimator(rp_sign_oph, 300, 200, 256);   /* J = 0.5, K = 256 */
}

Test(minhash, oph_densification_keeps_small_sets_unbiased)
{
	/* 40 elements in 128 bins: most bins are filled by densification. */
	check_estimator(rp_sign_oph, 40, 27, 128);     /* J = 0.509 */
	check_estimator(rp_sign_oph, 12, 8, 128);      /* J = 0.5 */
}

Test(minhash, classic_estimates_jaccard_within_three_standard_errors)
{
	check_estimator(rp_sign_classic, 300, 200, 128);
	check_estimator(rp_sign_classic, 300, 100, 128);
}

Test(minhash, identical_sets_give_identical_signatures)
{
	uint64_t a[500], tmp[500], s1[128], s2[128];
	uint64_t st = 5;
	for (int i = 0; i < 500; i++)
		a[i] = tu_rand(&st);
	rp_sort_u64(a, tmp, 500);
	rp_sign_oph(s1, 128, a, 500, 42);
	rp_sign_oph(s2, 128, a, 500, 42);
	cr_assert_arr_eq(s1, s2, sizeof(s1));
	rp_sign_oph(s2, 128, a, 500, 43);
	cr_assert_lt(rp_sig_similarity(s1, s2, 128), 0.1,
		     "another seed must give another permutation");
}

Test(minhash, single_element_fills_every_bin)
{
	uint64_t one = 12345, sig[64];
	rp_sign_oph(sig, 64, &one, 1, 1);
	for (int i = 1; i < 64; i++)
		cr_assert_eq(sig[i], sig[0]);
}

/* Golden vector: a format change (hash, mixing, bins, densification) must
 * be deliberate, because stored signatures and band keys depend on it. */
Test(minhash, golden_signature)
{
	uint64_t set[] = { 1, 2, 3, 5, 8, 13, 21, 34, 55, 89 }, sig[8];
	rp_sign_oph(sig, 8, set, 10, 0x52455052494e54ULL);
	const uint64_t expect[8] = {
		0x10d9ae8417e32dd3ULL, 0x28a724f15d9f18a8ULL,
		0xe25a2e4180a449eeULL, 0x65888262f3bc689eULL,
		0x918c3992ee48b3ceULL, 0xb91d7bfe48182d06ULL,
		0xd40caaf177486923ULL, 0xe25a2e4180a449eeULL,
	};
	for (int i = 0; i < 8; i++)
		cr_assert_eq(sig[i], expect[i], "bin %d: %#llx", i,
			     (unsigned long long)sig[i]);
}
