/*
 * result.c - the answer to a question: its accessors and its end.
 */
#include "result.h"

void rp_result_free(rp_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->npairs; i++) {
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
