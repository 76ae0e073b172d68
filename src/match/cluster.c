/*
 * cluster.c - greedy representative clustering (see cluster.h).
 *
 * Documents are visited in priority order. A document with a verified pair
 * to an existing representative joins the representative it is most
 * similar to (ties: the representative created first); otherwise it starts
 * a new cluster as its representative. Because representatives are created
 * in priority order, each is the earliest (else longest, else first) of its
 * cluster. Clusters are then numbered by their representative's index.
 */
#include "cluster.h"

#include <stdlib.h>

#include "sort.h"

/* Priority order: dated first by date, then longer, then earlier index,
 * as three stable radix sorts of (key, document) from the last rule
 * up: a comparison sort of every document was most of the clustering
 * (1M bench: 0.1 s of glibc's merge sort and its comparisons). */
static void priority_order(rp_kv *order, rp_kv *tmp, size_t n,
			   const rp_cluster_doc *docs)
{
	rp_sort_kv(order, tmp, n); /* longer first (key ~length) */
	for (size_t k = 0; k < n; k++) {
		const rp_cluster_doc *d = &docs[order[k].val];
		order[k].key = d->has_timestamp
				       ? (uint64_t)d->timestamp ^ ((uint64_t)1 << 63)
				       : 0;
	}
	rp_sort_kv(order, tmp, n); /* by date */
	for (size_t k = 0; k < n; k++)
		order[k].key = !docs[order[k].val].has_timestamp;
	rp_sort_kv(order, tmp, n); /* dated first */
}

void rp_clusters_free(rp_clusters *c)
{
	if (!c)
		return;
	free(c->rep);
	free(c->off);
	free(c->mem);
	memset(c, 0, sizeof(*c));
}

int rp_cluster_build(rp_clusters *out, const rp_cluster_doc *docs, size_t ndocs,
	       const rp_pair *pairs, size_t npairs)
{
	int err = RP_OK;
	rp_kv *order = NULL, *tmp = NULL;
	size_t *adj_off = NULL, *adj = NULL, *fill = NULL;
	size_t *cluster_of = NULL, *rep_rank = NULL, *count = NULL;
	const size_t NONE = SIZE_MAX;

	memset(out, 0, sizeof(*out));
	order = reallocarray(NULL, ndocs + 1, sizeof(*order));
	tmp = reallocarray(NULL, ndocs + 1, sizeof(*tmp));
	adj_off = calloc(ndocs + 2, sizeof(*adj_off));
	adj = reallocarray(NULL, 2 * npairs + 1, sizeof(*adj));
	fill = reallocarray(NULL, ndocs + 1, sizeof(*fill));
	cluster_of = reallocarray(NULL, ndocs + 1, sizeof(*cluster_of));
	rep_rank = reallocarray(NULL, ndocs + 1, sizeof(*rep_rank));
	GOTO_IF(!order || !tmp || !adj_off || !adj || !fill || !cluster_of ||
			!rep_rank,
		RP_ENOMEM);

	/* Adjacency (CSR) holding pair indexes. */
	for (size_t i = 0; i < npairs; i++) {
		adj_off[pairs[i].a + 1]++;
		adj_off[pairs[i].b + 1]++;
	}
	for (size_t d = 0; d < ndocs; d++) {
		adj_off[d + 1] += adj_off[d];
		fill[d] = adj_off[d];
	}
	for (size_t i = 0; i < npairs; i++) {
		adj[fill[pairs[i].a]++] = i;
		adj[fill[pairs[i].b]++] = i;
	}

	size_t nact = 0;
	for (size_t d = 0; d < ndocs; d++) {
		cluster_of[d] = NONE;
		rep_rank[d] = NONE;
		if (docs[d].active)
			order[nact++] = (rp_kv){ ~(uint64_t)docs[d].length, d };
	}
	priority_order(order, tmp, nact, docs);

	size_t nclusters = 0;
	for (size_t k = 0; k < nact; k++) {
		size_t d = (size_t)order[k].val, best = NONE;
		double best_j = -1.0;
		for (size_t x = adj_off[d]; x < adj_off[d + 1]; x++) {
			const rp_pair *p = &pairs[adj[x]];
			size_t e = p->a == d ? p->b : p->a;
			if (rep_rank[e] == NONE)
				continue;
			if (p->jaccard > best_j ||
			    (p->jaccard == best_j && rep_rank[e] < rep_rank[best])) {
				best = e;
				best_j = p->jaccard;
			}
		}
		if (best != NONE) {
			cluster_of[d] = cluster_of[best];
		} else {
			rep_rank[d] = nclusters;
			cluster_of[d] = d; /* provisional: the rep's own index */
			nclusters++;
		}
	}

	/* Number clusters by representative index, members ascending. */
	out->rep = reallocarray(NULL, nclusters + 1, sizeof(*out->rep));
	out->off = calloc(nclusters + 2, sizeof(*out->off));
	out->mem = reallocarray(NULL, nact + 1, sizeof(*out->mem));
	count = fill; /* reuse: rep index -> cluster number */
	GOTO_IF(!out->rep || !out->off || !out->mem, RP_ENOMEM);
	size_t c = 0;
	for (size_t d = 0; d < ndocs; d++)
		if (docs[d].active && cluster_of[d] == d) {
			count[d] = c;
			out->rep[c++] = d;
		}
	for (size_t d = 0; d < ndocs; d++)
		if (docs[d].active)
			out->off[count[cluster_of[d]] + 1]++;
	for (size_t i = 0; i < nclusters; i++)
		out->off[i + 1] += out->off[i];
	for (size_t i = 0; i < nclusters; i++)
		out->mem[out->off[i]] = out->rep[i];
	for (size_t i = 0; i < nclusters; i++)
		rep_rank[i] = out->off[i] + 1; /* reuse: next free slot */
	for (size_t d = 0; d < ndocs; d++)
		if (docs[d].active && cluster_of[d] != d)
			out->mem[rep_rank[count[cluster_of[d]]]++] = d;
	out->n = nclusters;
cleanup:
	if (err < 0)
		rp_clusters_free(out);
	free(order);
	free(tmp);
	free(adj_off);
	free(adj);
	free(fill);
	free(cluster_of);
	free(rep_rank);
	return err;
}
