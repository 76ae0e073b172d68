/* Allocation failure injection: make each allocation of a whole scan of
 * the samples fail in turn; every failure must come back as RP_ENOMEM,
 * with no crash (and, under ASan, no leak). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "testutil.h"

static int run_once(const char *samples, const char *jsonl, unsigned threads)
{
	rp_options o = RP_OPTIONS_INIT;
	o.threads = threads;      /* 1: one allocation order */
	o.containment = 0.8;      /* the sampled index too */
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	int err = rp_corpus_new(&c, &o);
	if (err < 0)
		return err;
	if ((err = rp_corpus_read_path(c, samples, NULL)) < 0 ||
	    (err = rp_corpus_read_path(c, jsonl, NULL)) < 0)
		goto out;
	err = rp_scan(&r, c);
	if (err == RP_OK && rp_result_pair_count(r) == 0)
		err = -100; /* the samples have pairs: a failure went unseen */
out:
	rp_result_free(r);
	rp_corpus_free(c);
	return err;
}

Test(alloc, every_allocation_failure_of_a_samples_scan_is_reported)
{
	const char *samples = getenv("REPRINT_SAMPLES");
	cr_assert_not_null(samples);
	const char data[] =
		"{\"id\":\"j1\",\"text\":\"caf\\u00e9 \\u201cquoted\\u201d story about a port and its ships\"}\n"
		"{\"id\":\"j2\",\"text\":\"CAF\\u00c9 quoted story about a port and its ships!\",\"date\":\"2026-01-01\"}\n"
		"not json\n{\"id\":\"j1\",\"text\":\"dup\"}\n";
	char *jsonl = tu_write_temp(data, sizeof(data) - 1);

	/* One thread walks every allocation in a fixed order; two threads
	 * reach the workers' error paths (in whatever order they run). */
	for (unsigned threads = 1; threads <= 2; threads++) {
		rp_alloc_fail_at(0);
		cr_assert_eq(run_once(samples, jsonl, threads), RP_OK);
		long total = rp_alloc_fail_at(0);
		cr_assert_gt(total, 100, "a scan makes many allocations (%ld)", total);
		for (long n = 1; n <= total; n++) {
			rp_alloc_fail_at(n);
			int err = run_once(samples, jsonl, threads);
			int fired = rp_alloc_failed();
			rp_alloc_fail_at(0);
			if (fired)
				cr_assert_eq(err, RP_ENOMEM,
					     "%u threads: allocation %ld of %ld failed, status %d",
					     threads, n, total, err);
			else
				cr_assert_eq(err, RP_OK, "allocation %ld: status %d", n, err);
		}
		fprintf(stderr, "%u thread(s): allocation failures walked: %ld\n",
			threads, total);
	}
	unlink(jsonl);
	free(jsonl);
}
