/* Tests of lsh.c: the S-curve, the (b, r) choice, and candidate pairs. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "keyspill.h"
#include "lsh.h"
#include "spool.h"
#include "minhash.h"
#include "sort.h"
#include "testutil.h"

Test(lsh, probability_follows_the_s_curve)
{
	cr_assert_float_eq(rp_lsh_probability(0.5, 35, 3),
			   1 - pow(1 - 0.125, 35), 1e-12);
	cr_assert_float_eq(rp_lsh_probability(1.0, 4, 4), 1.0, 1e-12);
	cr_assert_float_eq(rp_lsh_probability(0.0, 4, 4), 0.0, 1e-12);
}

Test(lsh, tuning_reaches_the_target_recall_at_the_threshold)
{
	for (double t = 0.3; t <= 0.951; t += 0.05) {
		unsigned b, r;
		int reached;
		cr_assert_eq(rp_lsh_tune(&b, &r, &reached, t, 128, 0.99), RP_OK);
		cr_assert(reached, "t=%.2f", t);
		cr_assert_leq(b * r, 128);
		cr_assert_geq(rp_lsh_probability(t, b, r), 0.99, "t=%.2f b=%u r=%u", t, b, r);
	}
}

Test(lsh, tuning_picks_fewest_false_candidates)
{
	unsigned b, r;
	int reached;
	rp_lsh_tune(&b, &r, &reached, 0.5, 128, 0.99);
	/* r = 3 is the largest row count that can reach 0.99 at 0.5 within
	 * 128 values (r = 4 would need 72 bands), and the fewest bands that do
	 * give the least area under the curve below the threshold. */
	cr_assert_eq(r, 3);
	cr_assert_eq(b, 35);
	rp_lsh_tune(&b, &r, &reached, 0.8, 128, 0.99);
	cr_assert_eq(r, 6);
	cr_assert_eq(b, 16);
}

Test(lsh, tuning_says_when_the_target_is_out_of_reach)
{
	unsigned b, r;
	int reached = 1;
	cr_assert_eq(rp_lsh_tune(&b, &r, &reached, 0.05, 16, 0.99), RP_OK);
	cr_assert_eq(reached, 0);
	cr_assert_leq(b * r, 16);
	cr_assert_eq(rp_lsh_tune(&b, &r, &reached, 0.0, 16, 0.99), RP_EINVAL);
}

/* Pairs of random sets with Jaccard s, signed with OPH: the share that
 * become candidates matches 1 - (1 - s^r)^b. */
static void empirical(size_t n, size_t inter, unsigned bands, unsigned rows)
{
	const size_t npairs = 1500;
	const unsigned K = 128;
	double s = (double)inter / (double)(2 * n - inter);
	uint64_t *sigs = malloc(2 * npairs * K * sizeof(uint64_t));
	uint8_t *active = malloc(2 * npairs);
	uint64_t a[400], b[400], tmp[400], st = 777;
	for (size_t p = 0; p < npairs; p++) {
		for (size_t i = 0; i < n; i++)
			a[i] = tu_rand(&st);
		for (size_t i = 0; i < n; i++)
			b[i] = i < inter ? a[i] : tu_rand(&st);
		rp_sort_u64(a, tmp, n);
		rp_sort_u64(b, tmp, n);
		rp_sign_oph(sigs + 2 * p * K, K, a, n, 3);
		rp_sign_oph(sigs + (2 * p + 1) * K, K, b, n, 3);
		active[2 * p] = active[2 * p + 1] = 1;
	}
	uint64_t *cand;
	size_t ncand;
	rp_lsh_stats ls;
	cr_assert_eq(rp_lsh_candidates(&cand, &ncand, &ls, sigs, active,
				       2 * npairs, K, bands, rows, 1000, 1), RP_OK);
	size_t hits = 0;
	for (size_t i = 0; i < ncand; i++) {
		size_t x = RP_PAIR_A(cand[i]), y = RP_PAIR_B(cand[i]);
		cr_assert_lt(x, y);
		if (i)
			cr_assert_lt(cand[i - 1], cand[i], "sorted and distinct");
		hits += x % 2 == 0 && y == x + 1;
	}
	/* Only the band keys, band-major (what a scan that frees its
	 * signatures keeps): the same candidates, byte for byte. */
	size_t nd = 2 * npairs;
	uint64_t *keys = malloc(nd * bands * sizeof(*keys)), *kc;
	size_t nkc;
	rp_lsh_stats lk;
	for (size_t d = 0; d < nd; d++)
		for (unsigned band = 0; band < bands; band++)
			keys[band * nd + d] = rp_band_key(sigs + d * K, band, rows);
	cr_assert_eq(rp_lsh_candidates_keys(&kc, &nkc, &lk, keys, active, nd,
					    bands, 1000, 1), RP_OK);
	cr_assert_eq(nkc, ncand);
	cr_assert(ncand == 0 || memcmp(kc, cand, ncand * sizeof(*kc)) == 0);
	cr_assert_eq(lk.largest, ls.largest);
	free(kc);
	/* The bands shared among threads (three: bands left over on some):
	 * the same candidates and stats, from signatures and from keys. */
	for (unsigned nt = 2; nt <= 3; nt++) {
		cr_assert_eq(rp_lsh_candidates_keys(&kc, &nkc, &lk, keys, active,
						    nd, bands, 1000, nt), RP_OK);
		cr_assert_eq(nkc, ncand);
		cr_assert(ncand == 0 || memcmp(kc, cand, ncand * sizeof(*kc)) == 0);
		cr_assert_eq(lk.largest, ls.largest);
		cr_assert_eq(lk.oversized, ls.oversized);
		free(kc);
		cr_assert_eq(rp_lsh_candidates(&kc, &nkc, &lk, sigs, active, nd,
					       K, bands, rows, 1000, nt), RP_OK);
		cr_assert_eq(nkc, ncand);
		cr_assert(ncand == 0 || memcmp(kc, cand, ncand * sizeof(*kc)) == 0);
		free(kc);
	}
	free(keys);
	double p = rp_lsh_probability(s, bands, rows);
	double sd = sqrt(p * (1 - p) / npairs);
	double got = (double)hits / npairs;
	cr_assert_leq(fabs(got - p), 4 * sd + 0.01,
		      "s=%.3f b=%u r=%u: expected %.4f, got %.4f", s, bands,
		      rows, p, got);
	free(cand);
	free(sigs);
	free(active);
}

Test(lsh, empirical_candidate_probability_matches_formula)
{
	empirical(300, 150, 8, 4);  /* s = 1/3 */
	empirical(300, 200, 8, 4);  /* s = 1/2 */
	empirical(300, 200, 20, 6); /* s = 1/2, steeper curve */
	empirical(300, 260, 16, 6); /* s = 0.765 */
}

Test(lsh, buckets_over_the_cap_are_counted_not_paired)
{
	const unsigned K = 8;
	uint64_t sigs[10 * 8];
	uint8_t active[10];
	for (int d = 0; d < 10; d++) {
		for (unsigned i = 0; i < K; i++)
			sigs[d * K + i] = 1000 + i; /* all identical */
		active[d] = 1;
	}
	uint64_t *cand;
	size_t n;
	rp_lsh_stats ls;
	cr_assert_eq(rp_lsh_candidates(&cand, &n, &ls, sigs, active, 10, K, 2, 4, 5, 1), RP_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(ls.oversized, 2);
	cr_assert_eq(ls.largest, 10);
	free(cand);
	/* A band a thread: the threads' counts add up. */
	cr_assert_eq(rp_lsh_candidates(&cand, &n, &ls, sigs, active, 10, K, 2, 4, 5, 2), RP_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(ls.oversized, 2);
	cr_assert_eq(ls.largest, 10);
	free(cand);
	cr_assert_eq(rp_lsh_candidates(&cand, &n, &ls, sigs, active, 10, K, 2, 4, 10, 2), RP_OK);
	cr_assert_eq(n, 45);
	cr_assert_eq(ls.oversized, 0);
	free(cand);
	/* Inactive documents never pair. */
	active[3] = 0;
	cr_assert_eq(rp_lsh_candidates(&cand, &n, &ls, sigs, active, 10, K, 2, 4, 10, 2), RP_OK);
	cr_assert_eq(n, 36);
	free(cand);
}

/* Band keys set aside by three threads in many small flushes come back
 * one band at a time, every document's in its place (zeros for a
 * document with no words): the threads take runs of 1-9 documents as a
 * pass's threads do, in no fixed turn, and a document not above the
 * thread's previous one is refused. */
Test(lsh, set_aside_band_keys_come_back_band_by_band)
{
	enum { ND = 1000, B = 5, NT = 3 };
	rp_tmpfile *tf;
	char why[512];
	cr_assert_eq(rp_tmpfile_open(&tf, NULL, why, sizeof(why)), RP_OK, "%s", why);
	rp_keyspill *ks;
	cr_assert_eq(rp_keyspill_new(&ks, tf, B, 3, ND, NT, 64 * B * 8), RP_OK);
	uint64_t want[B][ND], row[B], st = 77;
	size_t last[NT] = { 0 };
	for (size_t d = 0; d < ND;) {
		unsigned t = (unsigned)(tu_rand(&st) % NT);
		size_t end = d + 1 + tu_rand(&st) % 9;
		for (; d < end && d < ND; d++) {
			int words = d % 7 != 0;
			for (unsigned b = 0; b < B; b++)
				row[b] = want[b][d] = words ? d * 1000 + b + 1 : 0;
			cr_assert_eq(rp_keyspill_add(ks, t, d, words ? row : NULL), RP_OK);
			last[t] = d;
		}
	}
	cr_assert_eq(rp_keyspill_add(ks, 0, last[0], row), RP_EINVAL);
	cr_assert_eq(rp_keyspill_add(ks, 1, ND, row), RP_EINVAL);
	for (unsigned t = 0; t < NT; t++)
		cr_assert_gt(ks->part[t].nseg, 10, "thread %u took many runs", t);
	cr_assert_eq(rp_keyspill_finish(ks), RP_OK);
	cr_assert_gt(ks->part[0].nrun, B, "rows went to the file in several flushes");
	static uint64_t got[ND];
	for (unsigned b = 0; b < B; b++) {
		memset(got, 0xff, sizeof(got));
		cr_assert_eq(rp_keyspill_band(ks, b, got), RP_OK);
		for (size_t d = 0; d < ND; d++)
			cr_assert_eq(got[d], want[b][d], "band %u document %zu", b, d);
	}
	rp_keyspill_free(ks);
	rp_tmpfile_close(tf);
}

/* sort.h's merge of sorted runs (the shard pairs stage merges the parts'
 * band keys and fingerprints with it) orders as a stable sort of the runs
 * laid end to end: keys from a small range, so that most are tied, and
 * values naming the run and place, so that any other order of ties shows. */
#define KEY_OF(x) ((x).key)
RP_DEFINE_MERGE(merge_runs, rp_kv, KEY_OF)

Test(lsh, merging_sorted_runs_gives_the_stable_sort_order)
{
	uint64_t st = 4242;
	for (unsigned k = 1; k <= 9; k++) {
		for (unsigned round = 0; round < 20; round++) {
			rp_kv *runs[9], *all, *out, *tmp, *exp;
			size_t lens[9], total = 0;
			for (unsigned j = 0; j < k; j++) {
				/* some runs empty, some of one element */
				lens[j] = (size_t)(tu_rand(&st) % 4 == 0
							   ? tu_rand(&st) % 2
							   : tu_rand(&st) % 300);
				runs[j] = malloc((lens[j] + 1) * sizeof(rp_kv));
				rp_kv *t = malloc((lens[j] + 1) * sizeof(rp_kv));
				for (size_t x = 0; x < lens[j]; x++)
					runs[j][x] = (rp_kv){ tu_rand(&st) % 40, 0 };
				rp_sort_kv(runs[j], t, lens[j]);
				for (size_t x = 0; x < lens[j]; x++)
					runs[j][x].val = (uint64_t)j << 32 | x;
				free(t);
				total += lens[j];
			}
			all = malloc((total + 1) * sizeof(rp_kv));
			exp = malloc((total + 1) * sizeof(rp_kv));
			out = malloc((total + 1) * sizeof(rp_kv));
			tmp = malloc((total + 1) * sizeof(rp_kv));
			size_t at = 0;
			for (unsigned j = 0; j < k; j++) {
				memcpy(all + at, runs[j], lens[j] * sizeof(rp_kv));
				at += lens[j];
			}
			memcpy(exp, all, total * sizeof(rp_kv));
			rp_sort_kv(exp, tmp, total);
			merge_runs(out, tmp, (const rp_kv *const *)runs, lens, k);
			for (size_t x = 0; x < total; x++) {
				cr_assert_eq(out[x].key, exp[x].key, "k=%u x=%zu", k, x);
				cr_assert_eq(out[x].val, exp[x].val, "k=%u x=%zu", k, x);
			}
			for (unsigned j = 0; j < k; j++)
				free(runs[j]);
			free(all);
			free(exp);
			free(out);
			free(tmp);
		}
	}
}

/* Appends to one temporary file from several threads at once (it is
 * RP_TMP_FILES files, an append taking one no other append writes):
 * every chunk reads back as written, chunks whose space was given back
 * leave the others as they were, and the bytes appended are counted. */
typedef struct tmp_job {
	rp_tmpfile *tf;
	unsigned id;
	uint64_t off[400];
	int err;
} tmp_job;

static void fill_chunk(uint64_t *buf, unsigned id, unsigned i, size_t n)
{
	for (size_t x = 0; x < n; x++)
		buf[x] = (uint64_t)id << 40 | (uint64_t)i << 20 | x;
}

static void *tmp_worker(void *arg)
{
	tmp_job *j = arg;
	uint64_t buf[512];
	for (unsigned i = 0; i < 400 && !j->err; i++) {
		size_t n = 1 + (i * 37 + j->id) % 512;
		fill_chunk(buf, j->id, i, n);
		j->err = rp_tmpfile_append(j->tf, buf, n * sizeof(*buf),
					   &j->off[i]);
	}
	return NULL;
}

Test(lsh, a_temporary_file_appended_from_threads_reads_back_each_chunk)
{
	rp_tmpfile *tf;
	char why[512];
	cr_assert_eq(rp_tmpfile_open(&tf, NULL, why, sizeof(why)), RP_OK, "%s", why);
	enum { NT = 6 };
	tmp_job jobs[NT];
	for (unsigned t = 0; t < NT; t++)
		jobs[t] = (tmp_job){ tf, t, { 0 }, 0 };
	rp_run_jobs(tmp_worker, jobs, sizeof(jobs[0]), NT);
	uint64_t total = 0, buf[512], want[512];
	for (unsigned t = 0; t < NT; t++) {
		cr_assert_eq(jobs[t].err, RP_OK);
		for (unsigned i = 0; i < 400; i++)
			total += (1 + (i * 37 + t) % 512) * sizeof(uint64_t);
	}
	cr_assert_eq(tf->at, total);
	/* Give back every other chunk of thread 0, then read all others. */
	for (unsigned i = 0; i < 400; i += 2)
		rp_tmpfile_discard(tf, jobs[0].off[i],
				   (1 + (i * 37) % 512) * sizeof(uint64_t));
	for (unsigned t = 0; t < NT; t++)
		for (unsigned i = t ? 0 : 1; i < 400; i += t ? 1 : 2) {
			size_t n = 1 + (i * 37 + t) % 512;
			fill_chunk(want, t, i, n);
			cr_assert_eq(rp_tmpfile_read(tf, buf, n * sizeof(*buf),
						     jobs[t].off[i]), RP_OK);
			cr_assert_arr_eq(buf, want, n * sizeof(*buf),
					 "thread %u chunk %u", t, i);
		}
	rp_tmpfile_close(tf);

	/* One thread alone writes one file, its chunks one after another. */
	cr_assert_eq(rp_tmpfile_open(&tf, NULL, why, sizeof(why)), RP_OK, "%s", why);
	uint64_t prev_end = 0;
	for (unsigned i = 0; i < 50; i++) {
		uint64_t off;
		cr_assert_eq(rp_tmpfile_append(tf, buf, 8 * (i + 1), &off), RP_OK);
		if (i)
			cr_assert_eq(off, prev_end, "append %u follows the last", i);
		prev_end = off + 8 * (i + 1);
	}
	rp_tmpfile_close(tf);
}

/* rp_sort_hashes (shingle sets) sorts by the top halves first and mends
 * ties by the whole key: the order of rp_sort_u64 for hashes, for keys
 * whose top halves are mostly tied (a few distinct tops, low halves
 * random or equal), duplicates and every small size. */
Test(lsh, sorting_hashes_gives_the_order_of_the_full_sort)
{
	uint64_t st = 77;
	for (unsigned round = 0; round < 400; round++) {
		size_t n = round < 100 ? round : (size_t)(tu_rand(&st) % 5000);
		uint64_t *a = malloc((n + 1) * sizeof(*a));
		uint64_t *b = malloc((n + 1) * sizeof(*b));
		uint64_t *t = malloc((n + 1) * sizeof(*t));
		unsigned kind = round % 4;
		for (size_t x = 0; x < n; x++) {
			uint64_t r = tu_rand(&st);
			a[x] = kind == 0 ? r                               /* hashes */
			     : kind == 1 ? (r % 3) << 32 | (r >> 40)       /* tops tied */
			     : kind == 2 ? (r % 5) << 32 | (r >> 60)       /* duplicates */
			     : (uint64_t)(n - x) << 30;                    /* descending */
		}
		memcpy(b, a, n * sizeof(*a));
		rp_sort_hashes(a, t, n);
		rp_sort_u64(b, t, n);
		for (size_t x = 0; x < n; x++)
			cr_assert_eq(a[x], b[x], "round %u, n %zu, x %zu", round, n, x);
		free(a);
		free(b);
		free(t);
	}
}

/* A stable sort of n elements whose values were their places: keys in
 * order, ties in their old order, every place once. */
static void check_stable_kv(const rp_kv *a, const uint64_t *keys, size_t n)
{
	uint8_t *seen = calloc(n + 1, 1);
	cr_assert_not_null(seen);
	for (size_t i = 0; i < n; i++) {
		cr_assert_lt(a[i].val, n, "i=%zu", i);
		cr_assert_not(seen[a[i].val], "place %llu twice",
			      (unsigned long long)a[i].val);
		seen[a[i].val] = 1;
		cr_assert_eq(a[i].key, keys[a[i].val], "i=%zu: key moved", i);
		if (i > 0) {
			cr_assert_leq(a[i - 1].key, a[i].key, "i=%zu", i);
			if (a[i - 1].key == a[i].key)
				cr_assert_lt(a[i - 1].val, a[i].val,
					     "i=%zu: a tie out of order", i);
		}
	}
	free(seen);
}

/* Past RP_RADIX_MSD_FROM bytes the radix sorts scatter by the top
 * differing digit first and sort each bucket alone (and a bucket past it
 * again): the order must stay a stable sort's, for hashes with ties,
 * keys whose top bytes are all zero (pairs), two huge buckets, keys of a
 * few hundred values, and keys all equal; and rp_sort_u64 (past the line
 * too, at half the bytes) must agree. */
Test(lsh, radix_sorts_past_the_cache_give_the_stable_order)
{
	/* (1.5 times the line in 64-bit keys, 3 times in pairs: each of
	 * the two buckets below is past it again) */
	size_t n = 3 * RP_RADIX_MSD_FROM / sizeof(uint64_t) / 2;
	rp_kv *a = malloc(n * sizeof(*a)), *t = malloc(n * sizeof(*t));
	uint64_t *keys = malloc(n * sizeof(*keys));
	uint64_t *u = malloc(n * sizeof(*u)), *ut = malloc(n * sizeof(*ut));
	cr_assert(a && t && keys && u && ut);
	for (int kind = 0; kind < 5; kind++) {
		uint64_t st = 77 + (uint64_t)kind;
		for (size_t i = 0; i < n; i++) {
			uint64_t r = tu_rand(&st);
			switch (kind) {
			case 0: /* hashes, a fifth repeating an earlier one */
				keys[i] = i && r % 5 == 0 ? keys[r % i] : tu_rand(&st);
				break;
			case 1: /* pairs of documents below 2^20 */
				keys[i] = (r % (1u << 20)) << 32 | (r >> 40);
				break;
			case 2: /* two buckets, each past the line itself */
				keys[i] = (r & 1) << 63 | (r >> 48);
				break;
			case 3:
				keys[i] = r % 300;
				break;
			default:
				keys[i] = 42;
			}
			a[i] = (rp_kv){ keys[i], i };
			u[i] = keys[i];
		}
		rp_sort_kv(a, t, n);
		check_stable_kv(a, keys, n);
		rp_sort_u64(u, ut, n);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(u[i], a[i].key, "kind %d i=%zu", kind, i);
	}
	free(a);
	free(t);
	free(keys);
	free(u);
	free(ut);
}
