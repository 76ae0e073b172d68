/*
 * result.c - the answer to a question: its accessors and its end.
 */
#include "result.h"

void rp_result_free(rp_result *r)
{
	if (!r)
		return;
	/* (pairs verified in runs may outnumber the per-pair entries when
	 * growing them failed) */
	for (size_t i = 0; i < RP_MIN(r->npairs, r->cappass); i++) {
		if (r->pass)
			free(r->pass[i]);
		if (r->edits)
			free(r->edits[i]);
	}
	free(r->pass);
	free(r->edits);
	free(r->nedits);
	free(r->pairs);
	free(r->tent);
	rp_clusters_free(&r->clusters);
	free(r->story);
	free(r);
}

int rp_result_verdict(const rp_result *r, const char **why)
{
	if (why)
		*why = r && r->compared ? r->why : "";
	RETURN_ERROR_IF(!r || !r->compared, RP_EINVAL);
	return r->verdict;
}

size_t rp_result_chrome_count(const rp_result *r)
{
	return r ? r->an->boil.nlines : 0;
}

int rp_result_chrome(rp_chrome_line *out, const rp_result *r, size_t i)
{
	RETURN_ERROR_IF(!out || !r || i >= r->an->boil.nlines, RP_EINVAL);
	const rp_boiler_line_info *l = &r->an->boil.lines[i];
	const rp_doc *d = &r->corpus->docs[l->doc];
	out->outlet = r->an->outlet_name[l->outlet];
	out->line = d->text + l->start;
	out->line_len = l->end - l->start;
	out->pages = l->pages;
	return RP_OK;
}

int rp_result_excluded(const uint32_t **ranges, size_t *count,
		       const rp_result *r, size_t i)
{
	RETURN_ERROR_IF(!ranges || !count || !r || i >= r->ndocs, RP_EINVAL);
	const rp_boiler *b = &r->an->boil;
	if (!b->spans || b->off[i + 1] == b->off[i]) {
		*ranges = NULL;
		*count = 0;
		return RP_OK;
	}
	*ranges = (const uint32_t *)(b->spans + b->off[i]);
	*count = b->off[i + 1] - b->off[i];
	return RP_OK;
}

size_t rp_result_pair_count(const rp_result *r)
{
	return r ? r->npairs : 0;
}

const rp_pair *rp_result_pairs(const rp_result *r)
{
	return r ? r->pairs : NULL;
}

int rp_result_passages(const rp_passage **out, size_t *count,
		       const rp_result *r, size_t i)
{
	RETURN_ERROR_IF(!out || !count || !r || i >= r->npairs, RP_EINVAL);
	*out = r->pass[i];
	*count = r->pairs[i].passages;
	return RP_OK;
}

int rp_result_edits(const rp_edit **out, size_t *count, const rp_result *r,
		    size_t i)
{
	RETURN_ERROR_IF(!out || !count || !r || i >= r->npairs, RP_EINVAL);
	*out = r->edits[i];
	*count = r->nedits[i];
	return RP_OK;
}

size_t rp_result_cluster_count(const rp_result *r)
{
	return r ? r->clusters.n : 0;
}

int rp_result_cluster(rp_cluster *out, const rp_result *r, size_t i)
{
	RETURN_ERROR_IF(!out || !r || i >= r->clusters.n, RP_EINVAL);
	out->representative = r->clusters.rep[i];
	out->members = r->clusters.mem + r->clusters.off[i];
	out->count = r->clusters.off[i + 1] - r->clusters.off[i];
	return RP_OK;
}

int rp_result_doc_scanned(const rp_result *r, size_t i)
{
	return r && i < r->ndocs && r->an->based && r->an->active[i];
}

int rp_result_stats(rp_scan_stats *out, const rp_result *r)
{
	RETURN_ERROR_IF(!out || !r, RP_EINVAL);
	*out = r->stats;
	return RP_OK;
}

size_t rp_result_find_pair(const rp_result *r, size_t a, size_t b)
{
	if (!r)
		return SIZE_MAX;
	if (a > b) {
		size_t t = a;
		a = b;
		b = t;
	}
	const rp_pair *p = r->pairs;
	size_t lo = 0, hi = r->npairs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p[mid].a < a || (p[mid].a == a && p[mid].b < b))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->npairs && p[lo].a == a && p[lo].b == b ? lo : SIZE_MAX;
}

/* Pair p turned round: b becomes a. */
static void turn_pair(rp_pair *p)
{
	size_t t = p->a;
	p->a = p->b;
	p->b = t;
	double c = p->containment_a;
	p->containment_a = p->containment_b;
	p->containment_b = c;
	t = p->size_a;
	p->size_a = p->size_b;
	p->size_b = t;
	if (p->source >= 0)
		p->source = 1 - p->source;
}

#define SWAP(x, y)              \
	do {                    \
		size_t t_ = (x); \
		(x) = (y);      \
		(y) = t_;       \
	} while (0)

static int cmp_pair_ab(const void *x, const void *y)
{
	const rp_pair *const *a = x, *const *b = y;
	if ((*a)->a != (*b)->a)
		return (*a)->a < (*b)->a ? -1 : 1;
	return (*a)->b < (*b)->b ? -1 : (*a)->b > (*b)->b;
}

int rp_result_pairs_across(rp_result **out, const rp_result *r, size_t first)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	RETURN_ERROR_IF(!r, RP_EINVAL);
	int err = RP_OK;
	rp_result *x = NULL;
	const rp_pair **order = NULL;
	size_t n = 0;
	for (size_t i = 0; i < r->npairs; i++)
		n += (r->pairs[i].a < first) != (r->pairs[i].b < first);
	GOTO_IF_ERROR(rp_result_new(&x, r->corpus, &r->q));
	x->stats = r->stats;
	x->stats.pairs = n;
	x->stats.clusters = 0;
	x->pairs = calloc(n + 1, sizeof(*x->pairs));
	order = calloc(n + 1, sizeof(*order));
	GOTO_IF(!x->pairs || !order, RP_ENOMEM);
	/* Turned round, a query document (>= first) is a; sorted by it. */
	size_t m = 0;
	for (size_t i = 0; i < r->npairs; i++)
		if ((r->pairs[i].a < first) != (r->pairs[i].b < first))
			order[m++] = &r->pairs[i];
	for (size_t i = 0; i < n; i++) {
		x->pairs[i] = *order[i];
		if (x->pairs[i].a < first)
			turn_pair(&x->pairs[i]);
		order[i] = &x->pairs[i];
	}
	/* Sort a copy of the turned pairs, then take their passages. */
	rp_pair *turned = x->pairs;
	const rp_pair **idx = order;
	qsort(idx, n, sizeof(*idx), cmp_pair_ab);
	x->pairs = calloc(n + 1, sizeof(*x->pairs));
	x->npairs = n;
	if (!x->pairs) {
		x->pairs = turned;
		GOTO_IF(1, RP_ENOMEM);
	}
	GOTO_IF_ERROR(rp_result_alloc_pairs(x));
	for (size_t i = 0; i < n; i++) {
		const rp_pair *t = idx[i];
		x->pairs[i] = *t;
		/* The original pair: same documents, in r's order. */
		size_t lo = RP_MIN(t->a, t->b), hi = RP_MAX(t->a, t->b);
		size_t k = rp_result_find_pair(r, lo, hi);
		int swap = t->a != r->pairs[k].a;
		size_t np = r->pairs[k].passages, ne = r->nedits[k];
		if (np) {
			x->pass[i] = reallocarray(NULL, np, sizeof(rp_passage));
			x->edits[i] = reallocarray(NULL, ne ? ne : 1, sizeof(rp_edit));
			if (!x->pass[i] || !x->edits[i]) {
				free(turned);
				GOTO_IF(1, RP_ENOMEM);
			}
			memcpy(x->pass[i], r->pass[k], np * sizeof(rp_passage));
			if (ne)
				memcpy(x->edits[i], r->edits[k], ne * sizeof(rp_edit));
			x->nedits[i] = ne;
		}
		for (size_t j = 0; swap && j < np; j++) {
			rp_passage *p = &x->pass[i][j];
			SWAP(p->a_start, p->b_start);
			SWAP(p->a_end, p->b_end);
			SWAP(p->words_a, p->words_b);
			SWAP(p->a_word, p->b_word);
			SWAP(p->inserted, p->deleted);
		}
		for (size_t j = 0; swap && j < ne; j++) {
			rp_edit *e = &x->edits[i][j];
			SWAP(e->a_start, e->b_start);
			SWAP(e->a_end, e->b_end);
			SWAP(e->words_a, e->words_b);
		}
	}
	free(turned);
	*out = x;
	x = NULL;
cleanup:
	free(order);
	rp_result_free(x);
	return err;
}
