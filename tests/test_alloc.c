/* Allocation failure injection: make each allocation of a whole scan of
 * the samples fail in turn; every failure must come back as RP_ENOMEM,
 * with no crash (and, under ASan, no leak). */
#include <criterion/criterion.h>
#include <stdint.h>
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

/* The VmFlags of the mapping holding address p ("" when not found). */
static void vm_flags(const void *p, char *out, size_t outlen)
{
	FILE *fp = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0;
	out[0] = '\0';
	cr_assert_not_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') &&
		    line[0] != 'V') {
			inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			continue;
		}
		if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(out, outlen, "%s", line + 8);
			break;
		}
	}
	fclose(fp);
}

static int thp_kernel(void)
{
	return access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) == 0;
}

#define MiB ((size_t)1 << 20)

Test(alloc, a_block_grown_past_a_huge_page_keeps_its_bytes_and_is_advised)
{
	/* 1 MiB written, grown to 9 and then 33 MiB (moved by hand, not by
	 * realloc), shrunk back: the bytes are the same each time. */
	size_t n = MiB;
	unsigned char *p = rp_malloc(n);
	cr_assert_not_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + i / 4096);
	size_t sizes[] = { 9 * MiB, 33 * MiB, 3 * MiB };
	for (size_t k = 0; k < 3; k++) {
		p = k == 1 ? rp_reallocarray(p, sizes[k] / 8, 8)
			   : rp_realloc(p, sizes[k]);
		cr_assert_not_null(p);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(p[i], (unsigned char)(i * 7 + i / 4096),
				     "byte %zu after growing to %zu", i, sizes[k]);
		if (k == 1) {
			memset(p + n, 0xAB, sizes[k] - n); /* all of it usable */
			if (thp_kernel()) {
				char fl[512];
				/* a whole huge page inside the block */
				uintptr_t a = ((uintptr_t)p + 2 * MiB) &
					      ~(uintptr_t)(2 * MiB - 1);
				vm_flags((void *)a, fl, sizeof(fl));
				cr_assert(strstr(fl, " hg") != NULL,
					  "the grown block is advised: %s", fl);
			}
		}
	}
	free(p);
	/* An overflowing count is an allocation failure, not a wrap. */
	cr_assert_null(rp_reallocarray(NULL, SIZE_MAX / 2, 4));
	cr_assert(rp_oom_take());
}

Test(alloc, a_memory_bound_under_256_MiB_turns_huge_pages_off)
{
	cr_assert(rp_huge_pages_advised(2 * MiB));
	cr_assert(!rp_huge_pages_advised(MiB), "small blocks never");
	rp_options o = RP_OPTIONS_INIT;
	rp_corpus *c = NULL;
	cr_assert_eq(rp_corpus_new(&c, &o), RP_OK);
	/* No bound and a large one leave it on. */
	cr_assert_eq(rp_corpus_set_memory(c, 0, NULL), RP_OK);
	cr_assert_eq(rp_corpus_set_memory(c, 1024 * MiB, NULL), RP_OK);
	cr_assert(rp_huge_pages_advised(8 * MiB));
	unsigned char *p = rp_malloc(8 * MiB);
	cr_assert_not_null(p);
	char fl[512];
	uintptr_t a = ((uintptr_t)p + 2 * MiB) & ~(uintptr_t)(2 * MiB - 1);
	if (thp_kernel()) {
		vm_flags((void *)a, fl, sizeof(fl));
		cr_assert(strstr(fl, " hg") != NULL, "advised: %s", fl);
	}
	free(p);
	cr_assert_eq(rp_corpus_set_memory(c, 64 * MiB, NULL), RP_OK);
	cr_assert(!rp_huge_pages_advised(8 * MiB));
	cr_assert(!rp_huge_pages_advised(SIZE_MAX - 1));
	p = rp_malloc(8 * MiB);
	cr_assert_not_null(p);
	a = ((uintptr_t)p + 2 * MiB) & ~(uintptr_t)(2 * MiB - 1);
	vm_flags((void *)a, fl, sizeof(fl));
	cr_assert(strstr(fl, " hg") == NULL, "not advised: %s", fl);
	free(p);
	/* and it stays off */
	cr_assert_eq(rp_corpus_set_memory(c, 1024 * MiB, NULL), RP_OK);
	cr_assert(!rp_huge_pages_advised(8 * MiB));
	rp_corpus_free(c);
}
