/* Tests of cluster.c: representatives, no chaining, full coverage. */
#include <criterion/criterion.h>
#include <string.h>

#include "cluster.h"

static rp_pair pair(size_t a, size_t b, double j)
{
	rp_pair p;
	memset(&p, 0, sizeof(p));
	p.a = a;
	p.b = b;
	p.jaccard = j;
	return p;
}

static void doc(rp_cluster_doc *d, int64_t ts, int has_ts, size_t len)
{
	d->timestamp = ts;
	d->has_timestamp = has_ts;
	d->length = len;
	d->active = 1;
}

Test(cluster, chains_are_not_followed)
{
	/* 0~1 and 1~2, but 0 and 2 are unrelated: no cluster {0,1,2}. */
	rp_cluster_doc d[3];
	doc(&d[0], 0, 0, 300);
	doc(&d[1], 0, 0, 200);
	doc(&d[2], 0, 0, 100);
	rp_pair p[] = { pair(0, 1, 0.6), pair(1, 2, 0.6) };
	rp_clusters c;
	cr_assert_eq(rp_cluster_build(&c, d, 3, p, 2), RP_OK);
	cr_assert_eq(c.n, 2);
	cr_assert_eq(c.rep[0], 0);
	cr_assert_eq(c.off[1] - c.off[0], 2);
	cr_assert_eq(c.mem[0], 0);
	cr_assert_eq(c.mem[1], 1);
	cr_assert_eq(c.rep[1], 2);
	rp_clusters_free(&c);
}

Test(cluster, earliest_date_is_the_representative)
{
	rp_cluster_doc d[3];
	doc(&d[0], 300, 1, 900);
	doc(&d[1], 100, 1, 100); /* earliest, shortest */
	doc(&d[2], 200, 1, 500);
	rp_pair p[] = { pair(0, 1, 0.9), pair(0, 2, 0.9), pair(1, 2, 0.9) };
	rp_clusters c;
	cr_assert_eq(rp_cluster_build(&c, d, 3, p, 3), RP_OK);
	cr_assert_eq(c.n, 1);
	cr_assert_eq(c.rep[0], 1);
	cr_assert_eq(c.mem[0], 1);
	cr_assert_eq(c.mem[1], 0);
	cr_assert_eq(c.mem[2], 2);
	rp_clusters_free(&c);
}

Test(cluster, without_dates_the_longest_text_represents)
{
	rp_cluster_doc d[2];
	doc(&d[0], 0, 0, 100);
	doc(&d[1], 0, 0, 400);
	rp_pair p[] = { pair(0, 1, 0.7) };
	rp_clusters c;
	cr_assert_eq(rp_cluster_build(&c, d, 2, p, 1), RP_OK);
	cr_assert_eq(c.n, 1);
	cr_assert_eq(c.rep[0], 1);
	rp_clusters_free(&c);
}

Test(cluster, member_joins_the_most_similar_representative)
{
	/* Reps 0 and 1 (unrelated); 2 is verified against both. */
	rp_cluster_doc d[3];
	doc(&d[0], 1, 1, 100);
	doc(&d[1], 2, 1, 100);
	doc(&d[2], 3, 1, 100);
	rp_pair p[] = { pair(0, 2, 0.55), pair(1, 2, 0.75) };
	rp_clusters c;
	cr_assert_eq(rp_cluster_build(&c, d, 3, p, 2), RP_OK);
	cr_assert_eq(c.n, 2);
	cr_assert_eq(c.rep[1], 1);
	cr_assert_eq(c.off[2] - c.off[1], 2);
	cr_assert_eq(c.mem[c.off[1] + 1], 2);
	rp_clusters_free(&c);
}

Test(cluster, every_active_document_is_in_exactly_one_cluster)
{
	enum { N = 50 };
	rp_cluster_doc d[N];
	rp_pair p[N];
	size_t np = 0;
	for (size_t i = 0; i < N; i++)
		doc(&d[i], (int64_t)(i * 7 % 13), (int)(i % 3 != 0), 100 + i);
	d[10].active = 0;
	for (size_t i = 0; i + 3 < N; i += 2)
		if (i != 10 && i + 3 != 10)
			p[np++] = pair(i, i + 3, 0.5 + (double)(i % 5) / 10);
	rp_clusters c;
	cr_assert_eq(rp_cluster_build(&c, d, N, p, np), RP_OK);
	int seen[N] = { 0 };
	for (size_t k = 0; k < c.n; k++) {
		cr_assert_eq(c.mem[c.off[k]], c.rep[k]);
		for (size_t x = c.off[k]; x < c.off[k + 1]; x++)
			seen[c.mem[x]]++;
	}
	for (size_t i = 0; i < N; i++)
		cr_assert_eq(seen[i], i == 10 ? 0 : 1, "doc %zu", i);
	rp_clusters_free(&c);
}
