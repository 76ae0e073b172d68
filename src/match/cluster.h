/*
 * cluster.h - clusters of verified pairs without transitive chaining.
 *
 * Transitive closure chains unrelated documents together through shared
 * templates (A~B and B~C does not make A~C). Here a document joins a
 * cluster only when it was verified against the cluster's representative.
 * Representatives are chosen greedily in priority order: earliest date
 * (dated documents first), else longest text, else first seen.
 *
 * Invariant: every active document is in exactly one cluster, and every
 * member other than the representative has a verified pair with it.
 */
#ifndef RP_CLUSTER_H
#define RP_CLUSTER_H

#include "common.h"

typedef struct rp_cluster_doc {
	int64_t timestamp;
	int has_timestamp;
	size_t length;
	uint8_t active;
} rp_cluster_doc;

typedef struct rp_clusters {
	size_t n;             /* clusters */
	size_t *rep;          /* representative of cluster i */
	size_t *off;          /* members of cluster i: mem[off[i]..off[i+1]) */
	size_t *mem;          /* representative first, then ascending index */
} rp_clusters;

RP_INTERNAL int rp_cluster_build(rp_clusters *out, const rp_cluster_doc *docs,
			   size_t ndocs, const rp_pair *pairs, size_t npairs);
RP_INTERNAL void rp_clusters_free(rp_clusters *c);

#endif
