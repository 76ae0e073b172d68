/* Tests of contain.c: winnowing fingerprints and passage candidates. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "contain.h"
#include "spool.h"
#include "lsh.h"

static uint64_t rng(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15ULL;
	uint64_t z = *s;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

Test(contain, the_window_follows_from_the_passage_length)
{
	/* RP_PASSAGE_FPS = 3 disjoint windows in the run's shingles */
	cr_assert_eq(rp_winnow_window(25, 5), 7);
	cr_assert_eq(rp_winnow_window(24, 5), 6);
	cr_assert_eq(rp_winnow_window(40, 5), 12);
	cr_assert_eq(rp_winnow_window(3, 5), 1);
}

Test(contain, winnowing_keeps_the_rightmost_minimum_of_each_window)
{
	uint64_t h[] = { 5, 3, 7, 3, 9, 8, 6 };
	rp_fp *fp = NULL;
	size_t n = 0, cap = 0;
	cr_assert_eq(rp_winnow(&fp, &n, &cap, h, 7, 3, 4), RP_OK);
	/* windows [5 3 7] [3 7 3] [7 3 9] [3 9 8] [9 8 6]: positions 1, 3,
	 * 3, 3, 6 -> 1, 3, 6 */
	cr_assert_eq(n, 3);
	cr_assert_eq(fp[0].pos, 1);
	cr_assert_eq(fp[1].pos, 3);
	cr_assert_eq(fp[2].pos, 6);
	cr_assert_eq(fp[2].h, 6);
	cr_assert_eq(fp[0].doc, 4);
	free(fp);
}

/* Against the definition (each window's rightmost minimum, kept when it
 * differs from the window before's), on values from small ranges so that
 * ties are everywhere, at every window up to 12 and lengths around it. */
Test(contain, winnowing_matches_its_definition_with_ties)
{
	uint64_t st = 3, h[200];
	for (int round = 0; round < 3000; round++) {
		unsigned w = 1 + (unsigned)(round % 12);
		size_t n = 1 + (size_t)(rng(&st) % (round % 3 ? 40 : 200));
		uint64_t range = round % 4 == 0 ? 2 : round % 4 == 1 ? 5 : ~0ULL;
		for (size_t i = 0; i < n; i++)
			h[i] = rng(&st) % range;
		rp_fp *fp = malloc(sizeof(*fp)); /* a fingerprint there already */
		fp[0] = (rp_fp){ 99, 9, 9 };
		size_t nf = 1, cap = 1;
		cr_assert_eq(rp_winnow(&fp, &nf, &cap, h, n, w, 4), RP_OK);
		size_t want[200], nw = 0, last = SIZE_MAX;
		size_t win = n < w ? n : w;
		for (size_t s = 0; s + win <= n; s++) {
			size_t m = s;
			for (size_t i = s; i < s + win; i++)
				if (h[i] <= h[m])
					m = i;
			if (m != last)
				want[nw++] = m;
			last = m;
		}
		cr_assert_eq(nf, 1 + nw, "round %d: %zu fingerprints, want %zu", round, nf - 1, nw);
		cr_assert_eq(fp[0].h, 99);
		for (size_t x = 0; x < nw; x++) {
			cr_assert_eq(fp[1 + x].pos, want[x], "round %d, fingerprint %zu", round, x);
			cr_assert_eq(fp[1 + x].h, (uint32_t)h[want[x]]);
			cr_assert_eq(fp[1 + x].doc, 4);
		}
		free(fp);
	}
}

Test(contain, density_is_about_two_in_w_plus_one)
{
	uint64_t s = 1, *h = malloc(100000 * sizeof(*h));
	for (int i = 0; i < 100000; i++)
		h[i] = rng(&s);
	rp_fp *fp = NULL;
	size_t n = 0, cap = 0;
	cr_assert_eq(rp_winnow(&fp, &n, &cap, h, 100000, 7, 0), RP_OK);
	double d = (double)n / 100000.0;
	cr_assert(d > 0.235 && d < 0.265, "density %f, expected about 2/8", d);
	free(fp);
	free(h);
}

/* Candidates of hand-made fingerprints (grouped by document, ascending). */
static int candidates(uint64_t **out, size_t *n, rp_contain_stats *st,
		      const rp_fp *f, size_t nf, unsigned w, size_t cap)
{
	rp_fpbuf b[2];
	memset(b, 0, sizeof(b));
	/* Half the documents in each of two buffers, as two threads. */
	for (size_t i = 0; i < nf;) {
		size_t j = i;
		while (j < nf && f[j].doc == f[i].doc)
			j++;
		cr_assert_eq(rp_fpbuf_add(&b[f[i].doc % 2], f[i].doc, f + i, j - i, NULL), RP_OK);
		i = j;
	}
	int err = rp_contain_candidates(out, n, st, b, 2, w, cap, 0, 1);
	rp_fpbuf_free(&b[0]);
	rp_fpbuf_free(&b[1]);
	return err;
}

/* Two random texts of 300 shingles sharing one run of `run` shingles at
 * other offsets: is the pair a candidate? */
static int shares_candidate(uint64_t seed, size_t run, unsigned w)
{
	uint64_t s = seed, a[300], b[300];
	for (int i = 0; i < 300; i++) {
		a[i] = rng(&s);
		b[i] = rng(&s);
	}
	size_t oa = rng(&s) % (300 - run), ob = rng(&s) % (300 - run);
	for (size_t i = 0; i < run; i++)
		b[ob + i] = a[oa + i];
	rp_fpbuf fb[2];
	memset(fb, 0, sizeof(fb));
	cr_assert_eq(rp_winnow_pack(&fb[0], a, 300, w, 0), RP_OK);
	cr_assert_eq(rp_winnow_pack(&fb[1], b, 300, w, 1), RP_OK);
	uint64_t *c = NULL;
	size_t nc = 0;
	rp_contain_stats st;
	cr_assert_eq(rp_contain_candidates(&c, &nc, &st, fb, 2, w, 100, 0, 1), RP_OK);
	int found = nc == 1 && c[0] == RP_PAIR(0, 1);
	cr_assert(nc <= 1);
	free(c);
	rp_fpbuf_free(&fb[0]);
	rp_fpbuf_free(&fb[1]);
	return found;
}

Test(contain, every_run_of_three_windows_is_a_candidate)
{
	/* w = 7: 21 shingles (25 words of 5-word shingles) always. */
	for (uint64_t seed = 1; seed <= 2000; seed++)
		cr_assert(shares_candidate(seed, 21, 7), "seed %llu",
			  (unsigned long long)seed);
}

/* Is (0, 1) a candidate of the texts a and b (300 shingles each), packed
 * into buffers of 2^bits parts? */
static int pair_in_parts(const uint64_t *a, const uint64_t *b, unsigned bits)
{
	rp_fpbuf fb[2];
	memset(fb, 0, sizeof(fb));
	fb[0].bits = fb[1].bits = bits;
	cr_assert_eq(rp_winnow_pack(&fb[0], a, 300, 7, 0), RP_OK);
	cr_assert_eq(rp_winnow_pack(&fb[1], b, 300, 7, 1), RP_OK);
	uint64_t *c = NULL;
	size_t nc = 0;
	rp_contain_stats st;
	cr_assert_eq(rp_contain_candidates(&c, &nc, &st, fb, 2, 7, 100, 0, 1),
		     RP_OK);
	int found = nc == 1 && c[0] == RP_PAIR(0, 1);
	free(c);
	rp_fpbuf_free(&fb[0]);
	rp_fpbuf_free(&fb[1]);
	return found;
}

/* Fingerprints keep 32 bits of a shingle's hash; in a collection cut
 * into parts by those bits' top ones, the part says them and the search
 * compares as many bits of the rest of the hash instead: two texts whose
 * shingles agree in the low 32 bits alone (a chance collision of 32-bit
 * hashes) are then no candidate, while the fingerprints read back for
 * the shard stages are the 32-bit hashes still. */
Test(contain, parts_compare_more_than_32_bits_of_the_hash)
{
	uint64_t s = 11, a[300], b[300];
	for (int i = 0; i < 300; i++) {
		a[i] = rng(&s);
		b[i] = a[i] ^ ((uint64_t)1 << 32); /* same low 32 bits */
	}
	cr_assert(pair_in_parts(a, b, 0), "one part: 32 bits compared");
	cr_assert(!pair_in_parts(a, b, 4), "16 parts: 36 bits compared");
	cr_assert(pair_in_parts(a, a, 4), "the same text is a candidate");

	rp_fpbuf fb;
	memset(&fb, 0, sizeof(fb));
	fb.bits = 4;
	cr_assert_eq(rp_winnow_pack(&fb, b, 300, 7, 0), RP_OK);
	rp_fp *fp = NULL;
	size_t nfp = 0, cap = 0, seen = 0;
	for (size_t p = 0; p < 16; p++) {
		nfp = 0;
		cr_assert_eq(rp_fpbuf_unpack_part(&fp, &nfp, &cap, &fb, 1, p),
			     RP_OK);
		for (size_t i = 0; i < nfp; i++) {
			cr_assert_eq(fp[i].h, (uint32_t)b[fp[i].pos]);
			cr_assert_eq(fp[i].h >> 28, p);
		}
		seen += nfp;
	}
	cr_assert_eq(seen, fb.nfp);
	cr_assert_gt(seen, 50);
	free(fp);
	rp_fpbuf_free(&fb);
}

/* Documents packed with a part hint (the parts side by side in one
 * block, a part that outgrows its place moved out) unpack to the same
 * fingerprints as packed without one. */
Test(contain, parts_placed_in_one_block_unpack_the_same)
{
	enum { ND = 60, NS = 400, BITS = 3 };
	static uint64_t h[ND * NS];
	uint64_t s = 7;
	for (size_t i = 0; i < ND * NS; i++)
		h[i] = rng(&s);
	/* no hint; a hint every part outgrows; one some parts outgrow;
	 * one no part outgrows */
	size_t hints[4] = { 0, 16, 600, 1 << 20 };
	rp_fp *want[1 << BITS] = { 0 };
	size_t nwant[1 << BITS] = { 0 };
	int moved = 0, stayed = 0;
	for (int x = 0; x < 4; x++) {
		rp_fpbuf fb;
		memset(&fb, 0, sizeof(fb));
		fb.bits = BITS;
		fb.part_hint = hints[x];
		for (size_t d = 0; d < ND; d++)
			cr_assert_eq(rp_winnow_pack(&fb, h + d * NS, NS, 7,
						    (uint32_t)d), RP_OK);
		for (size_t p = 0; x && p < (1 << BITS); p++) {
			cr_assert(fb.block);
			if (fb.part[p].own)
				moved++;
			else
				stayed++;
		}
		for (size_t p = 0; p < (1 << BITS); p++) {
			rp_fp *fp = NULL;
			size_t n = 0, cap = 0;
			cr_assert_eq(rp_fpbuf_unpack_part(&fp, &n, &cap, &fb, 1, p),
				     RP_OK);
			cr_assert_gt(n, 0);
			if (!x) {
				want[p] = fp;
				nwant[p] = n;
				continue;
			}
			cr_assert_eq(n, nwant[p], "hint %zu part %zu", hints[x], p);
			cr_assert_eq(memcmp(fp, want[p], n * sizeof(*fp)), 0,
				     "hint %zu part %zu", hints[x], p);
			free(fp);
		}
		rp_fpbuf_free(&fb);
	}
	cr_assert_gt(moved, 0);
	cr_assert_gt(stayed, 0);
	for (size_t p = 0; p < (1 << BITS); p++)
		free(want[p]);
}

Test(contain, unrelated_texts_and_short_runs_are_rarely_candidates)
{
	/* A run of w + 1 shingles (w + k words) cannot hold three
	 * fingerprints more than w apart: never a candidate. */
	int found = 0;
	for (uint64_t seed = 1; seed <= 2000; seed++)
		found += shares_candidate(seed, 8, 7);
	cr_assert_eq(found, 0);
	for (uint64_t seed = 1; seed <= 500; seed++)
		found += shares_candidate(seed, 0, 7);
	cr_assert_eq(found, 0);
}

Test(contain, shared_fingerprints_must_lie_on_one_diagonal_and_span_a_window)
{
	/* Docs 0 and 1 share 100, 200, 300 at the same offset (40), spanning
	 * 20 shingles; docs 0 and 2 share them at other offsets; docs 0 and
	 * 3 at one offset, but only 5 shingles apart (w = 7). */
	rp_fp f[] = { { 100, 0, 10 }, { 200, 0, 20 }, { 300, 0, 30 },
		      { 400, 0, 40 }, { 500, 0, 42 }, { 600, 0, 45 },
		      { 100, 1, 50 }, { 200, 1, 60 }, { 300, 1, 70 },
		      { 100, 2, 5 },  { 200, 2, 40 }, { 300, 2, 41 },
		      { 400, 3, 0 },  { 500, 3, 2 },  { 600, 3, 5 } };
	uint64_t *out;
	size_t n;
	rp_contain_stats st;
	cr_assert_eq(candidates(&out, &n, &st, f, 15, 7, 100), RP_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(out[0], RP_PAIR(0, 1));
	free(out);
}

Test(contain, postings_over_the_cap_are_counted_not_paired)
{
	rp_fp f[18];
	for (uint32_t d = 0; d < 6; d++) {
		f[3 * d] = (rp_fp){ 7, d, 3 };
		f[3 * d + 1] = (rp_fp){ 8, d, 9 };
		f[3 * d + 2] = (rp_fp){ 9, d, 19 };
	}
	uint64_t *out;
	size_t n;
	rp_contain_stats st;
	cr_assert_eq(candidates(&out, &n, &st, f, 18, 7, 5), RP_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(st.postings_skipped, 3);
	cr_assert_eq(st.largest_posting, 6);
	free(out);
	cr_assert_eq(candidates(&out, &n, &st, f, 18, 7, 6), RP_OK);
	cr_assert_eq(n, 15, "every pair of the six at the same diagonal");
	free(out);
}

/* nd texts of ns random shingle hashes each, from seed. */
static uint64_t *random_texts(size_t nd, size_t ns, uint64_t seed)
{
	uint64_t *h = malloc(nd * ns * sizeof(*h));
	cr_assert_not_null(h);
	for (size_t x = 0; x < nd * ns; x++)
		h[x] = rng(&seed);
	return h;
}

/* A temporary file for what a bounded search sets aside. */
static rp_tmpfile *open_tmp(void)
{
	rp_tmpfile *tf;
	char why[512];
	cr_assert_eq(rp_tmpfile_open(&tf, NULL, why, sizeof(why)), RP_OK, "%s", why);
	return tf;
}

/* Shingle hashes h of nd texts of ns each, winnowed (window 7) into two
 * buffers, documents alternating; with tf, into 2^bits parts set aside in
 * tf past spill_at bytes; then the candidates under `memory` (cap 100),
 * on `threads` threads. */
static void pack_and_search(const uint64_t *h, size_t nd, size_t ns,
			    rp_tmpfile *tf, unsigned bits, size_t spill_at,
			    size_t memory, unsigned threads, uint64_t **c,
			    size_t *nc, rp_contain_stats *st, size_t *chunks)
{
	rp_fpbuf fb[2];
	memset(fb, 0, sizeof(fb));
	for (int t = 0; t < 2; t++) {
		fb[t].bits = tf ? bits : 0;
		if (tf) {
			fb[t].spill = tf;
			fb[t].spill_at = spill_at;
		}
	}
	for (size_t d = 0; d < nd; d++)
		cr_assert_eq(rp_winnow_pack(&fb[d % 2], h + d * ns, ns, 7,
					    (uint32_t)d), RP_OK);
	*chunks = fb[0].nchunk;
	cr_assert_eq(rp_contain_candidates(c, nc, st, fb, 2, 7, 100, memory,
					   threads), RP_OK);
	rp_fpbuf_free(&fb[0]);
	rp_fpbuf_free(&fb[1]);
}

/* Fingerprints set aside in a temporary file as they are packed (a
 * memory bound), read back a part at a time, and pairs made in many
 * small passes: the candidates of the same texts, byte for byte. */
Test(contain, spilled_fingerprints_give_the_same_candidates)
{
	enum { ND = 400, NS = 300 };
	uint64_t *h = random_texts(ND, NS, 5);
	/* Every fourth text shares a run of 40 shingles with the one before. */
	for (size_t d = 1; d < ND; d += 4)
		memcpy(h + d * NS + 100, h + (d - 1) * NS + 50, 40 * sizeof(*h));
	uint64_t *c[2];
	size_t nc[2];
	rp_contain_stats st[2];
	rp_tmpfile *tf = open_tmp();
	for (int spill = 0; spill < 2; spill++) {
		size_t chunks;
		pack_and_search(h, ND, NS, spill ? tf : NULL, 3, 4096,
				spill ? 4096 : 0, 2, &c[spill], &nc[spill],
				&st[spill], &chunks);
		if (spill)
			cr_assert_gt(chunks, 10, "chunks were set aside");
	}
	cr_assert_geq(nc[0], ND / 4, "the planted runs are candidates");
	cr_assert_eq(nc[0], nc[1]);
	cr_assert_eq(memcmp(c[0], c[1], nc[0] * sizeof(*c[0])), 0);
	cr_assert_eq(st[0].largest_posting, st[1].largest_posting);
	rp_tmpfile_close(tf);
	free(c[0]);
	free(c[1]);
	free(h);
}

/* More pair entries than the memory bound's share (40 groups of 10 texts
 * sharing 200 shingles: about 90,000 entries against 32,768): with a
 * spill file they are set aside by share and each share searched on its
 * own, in one pass over the fingerprints; the candidates are those of the
 * unbounded search, byte for byte. */
Test(contain, entries_past_the_bound_are_set_aside_and_give_the_same_candidates)
{
	enum { ND = 400, NS = 300, GROUP = 10 };
	uint64_t *h = random_texts(ND, NS, 11);
	for (size_t d = 0; d < ND; d++)
		if (d % GROUP)
			memcpy(h + d * NS + 50 + d % GROUP,
			       h + (d - d % GROUP) * NS + 20, 200 * sizeof(*h));
	uint64_t *c[2];
	size_t nc[2];
	rp_contain_stats st[2];
	rp_tmpfile *tf = open_tmp();
	uint64_t before = 0;
	for (int bound = 0; bound < 2; bound++) {
		size_t chunks;
		before = tf->at;
		pack_and_search(h, ND, NS, bound ? tf : NULL, 2, 1 << 20,
				bound ? 4096 : 0, 2, &c[bound], &nc[bound],
				&st[bound], &chunks);
		/* (the fingerprints stay in memory: what grows the file
		 * below is the entries) */
		cr_assert_eq(chunks, 0);
	}
	/* 16 bytes an entry went to the file, more than the bound holds. */
	cr_assert_gt(tf->at - before, (uint64_t)32768 * 16,
		     "the entries were set aside (%llu bytes)",
		     (unsigned long long)(tf->at - before));
	cr_assert_geq(nc[0], ND / GROUP * (GROUP * (GROUP - 1) / 2),
		      "every pair of every group is a candidate");
	cr_assert_eq(nc[0], nc[1]);
	cr_assert_eq(memcmp(c[0], c[1], nc[0] * sizeof(*c[0])), 0);
	for (size_t x = 1; x < nc[1]; x++)
		cr_assert_lt(c[1][x - 1], c[1][x], "sorted and distinct");
	rp_tmpfile_close(tf);
	free(c[0]);
	free(c[1]);
	free(h);
}

static int cmp_fp_hash(const void *x, const void *y)
{
	const rp_fp *a = x, *b = y;
	return a->h < b->h ? -1 : a->h > b->h;
}

/* The pair entries the search makes of these texts (packed as
 * pack_and_search packs them, postings of 2 .. 100). */
static size_t count_entries(const uint64_t *h, size_t nd, size_t ns)
{
	rp_fpbuf fb[2];
	memset(fb, 0, sizeof(fb));
	for (size_t d = 0; d < nd; d++)
		cr_assert_eq(rp_winnow_pack(&fb[d % 2], h + d * ns, ns, 7,
					    (uint32_t)d), RP_OK);
	rp_fp *fp = NULL;
	size_t n = 0, cap = 0, entries = 0;
	cr_assert_eq(rp_fpbuf_unpack_part(&fp, &n, &cap, fb, 2, 0), RP_OK);
	qsort(fp, n, sizeof(*fp), cmp_fp_hash);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && fp[j].h == fp[i].h)
			j++;
		for (size_t x = i; j - i <= 100 && x < j; x++)
			for (size_t y = x + 1; y < j; y++)
				entries += fp[x].doc != fp[y].doc;
		i = j;
	}
	free(fp);
	rp_fpbuf_free(&fb[0]);
	rp_fpbuf_free(&fb[1]);
	return entries;
}

/* Far more entries than the bound's budget (texts drawing half of their
 * shingles from 2,000 common ones: 1.36M entries, 41 budgets of chance
 * pairs), and planted runs of 20 to 44 shingles, which give a pair 2 to 6
 * fingerprints on its diagonal: the search counts (pair, diagonal) first,
 * setting aside the postings it pairs, then reads those back (not every
 * part again) and keeps only entries whose count may reach three (a
 * posting lost on the way loses planted pairs). On one thread and
 * on two, the candidates are the unbounded search's byte for byte, and
 * what was set aside is a fraction of the entries. */
Test(contain, counted_diagonals_keep_only_entries_that_may_make_a_passage)
{
	enum { ND = 1000, NS = 400 };
	uint64_t *h = random_texts(ND, NS, 23);
	for (size_t x = 0; x < (size_t)ND * NS; x++)
		if (h[x] % 10 < 5)
			h[x] = ((h[x] >> 8) % 2000 + 1) * 0x9e3779b97f4a7c15ULL;
	for (size_t d = 0; d + 1 < ND; d += 10)
		memcpy(h + (d + 1) * NS + 200, h + d * NS + 30,
		       (20 + d / 10 % 25) * sizeof(*h));
	size_t entries = count_entries(h, ND, NS);
	cr_assert_gt(entries, (size_t)16 * 32768, "%zu entries", entries);
	rp_tmpfile *tf = open_tmp();
	/* Unbounded; bounded on one thread; bounded on two. */
	uint64_t *c[3];
	size_t nc[3];
	rp_contain_stats st[3];
	for (int run = 0; run < 3; run++) {
		size_t chunks;
		uint64_t before = tf->at;
		pack_and_search(h, ND, NS, run ? tf : NULL, 4, 1 << 24,
				run ? 4096 : 0, run == 2 ? 2 : 1, &c[run], &nc[run],
				&st[run], &chunks);
		cr_assert_eq(chunks, 0);
		cr_assert_lt(tf->at - before, (uint64_t)entries * 16 / 8,
			     "%llu bytes set aside of %zu entries",
			     (unsigned long long)(tf->at - before), entries);
	}
	cr_assert_geq(nc[0], 50, "planted runs of 3 fingerprints or more");
	for (int run = 1; run < 3; run++) {
		cr_assert_eq(nc[0], nc[run]);
		cr_assert_eq(memcmp(c[0], c[run], nc[0] * sizeof(*c[0])), 0);
		cr_assert_eq(st[0].largest_posting, st[run].largest_posting);
		cr_assert_eq(st[0].postings_skipped, st[run].postings_skipped);
		/* Every entry counted, and checked again by the search,
		 * however many threads (each holds some back while their
		 * counts are fetched, and must let them all out): the
		 * entries above, but for keys the parts tell apart that
		 * 32-bit hashes did not. */
		cr_assert_eq(st[run].entries_counted, st[run].entries_checked,
			     "run %d", run);
		cr_assert_eq(st[run].entries_counted, st[1].entries_counted,
			     "run %d", run);
		cr_assert_leq(st[run].entries_counted, entries);
		cr_assert_geq(st[run].entries_counted, entries - entries / 100,
			      "%zu of %zu entries", st[run].entries_counted,
			      entries);
	}
	rp_tmpfile_close(tf);
	for (int run = 0; run < 3; run++)
		free(c[run]);
	free(h);
}

/* rp_sort_fp sorts a part's fingerprints by hash, in a stable sort's
 * order (the search pairs a posting's fingerprints in the order they were
 * unpacked): hashes with ties (every third repeats an earlier one), and
 * hashes of a few values. */
Test(contain, sorting_fingerprints_keeps_a_stable_order)
{
	/* (no fingerprints yet: no array either, and nothing to do) */
	cr_assert_eq(rp_sort_fp(NULL, 0), RP_OK);
	const size_t sizes[] = { 0, 1, 47, 5000, ((size_t)1 << 18) - 1,
				 ((size_t)1 << 18) + 12345 };
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int few = 0; few < 2; few++) {
			size_t n = sizes[s];
			uint64_t st = 99 + n + (uint64_t)few;
			rp_fp *fp = malloc((n + 1) * sizeof(*fp));
			uint32_t *h = malloc((n + 1) * sizeof(*h));
			uint8_t *seen = calloc(n + 1, 1);
			cr_assert(fp && h && seen);
			for (size_t i = 0; i < n; i++) {
				uint64_t r = rng(&st);
				h[i] = few ? (uint32_t)(r % 7) << 29
					   : i && r % 3 == 0 ? h[r % i]
							     : (uint32_t)(r >> 32);
				fp[i] = (rp_fp){ h[i], (uint32_t)i, (uint32_t)(r & 0xffff) };
			}
			cr_assert_eq(rp_sort_fp(fp, n), RP_OK);
			for (size_t i = 0; i < n; i++) {
				uint32_t d = fp[i].doc;
				cr_assert_lt(d, n);
				cr_assert_not(seen[d], "n=%zu: %u twice", n, d);
				seen[d] = 1;
				cr_assert_eq(fp[i].h, h[d], "n=%zu i=%zu", n, i);
				if (i > 0) {
					cr_assert_leq(fp[i - 1].h, fp[i].h, "n=%zu i=%zu", n, i);
					if (fp[i - 1].h == fp[i].h)
						cr_assert_lt(fp[i - 1].doc, d,
							     "n=%zu i=%zu: a tie out of order", n, i);
				}
			}
			free(fp);
			free(h);
			free(seen);
		}
	}
}
