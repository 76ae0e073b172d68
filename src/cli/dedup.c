/*
 * dedup.c - reprint dedup: the collection without its duplicates, the
 * list of what went, and --stats (shared with scan).
 *
 * What goes is what scan clusters: every member of a story but its
 * representative (the first publication, else the longest text). Records
 * read = kept + removed + rejected, and the summary says so: what the
 * dump writer kept and left out is checked against what the scan
 * scanned, and a run where they differ is a failure (exit 3), never a
 * silent loss.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* ---- --removed ---- */

static void tsv_field(FILE *fp, const char *s)
{
	/* ids are written as read; a tab or a newline in one would break
	 * the columns */
	for (; s && *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
}

/*
 * Each removed document: id, representative, and the pair that put it
 * in the cluster: with the representative when they are a pair, else the
 * pair of highest Jaccard it has inside the cluster (a chain: a trim of a
 * trim) - relation, Jaccard and the other document of that pair.
 */
static int write_removed(const char *path, const rp_corpus *c, const rp_result *r)
{
	size_t nd = rp_corpus_count(c), np = rp_result_pair_count(r);
	const rp_pair *p = rp_result_pairs(r);
	size_t *cid = malloc((nd + 1) * sizeof(*cid));
	ptrdiff_t *best = malloc((nd + 1) * sizeof(*best));
	if (!cid || !best) {
		free(cid);
		free(best);
		msg("out of memory");
		return -1;
	}
	for (size_t d = 0; d < nd; d++) {
		cid[d] = SIZE_MAX;
		best[d] = -1;
	}
	size_t ncl = rp_result_cluster_count(r);
	for (size_t k = 0; k < ncl; k++) {
		rp_cluster cl;
		rp_result_cluster(&cl, r, k);
		for (size_t m = 0; m < cl.count; m++)
			cid[cl.members[m]] = k;
	}
	for (size_t i = 0; i < np; i++) {
		size_t a = p[i].a, b = p[i].b;
		if (cid[a] == SIZE_MAX || cid[a] != cid[b])
			continue;
		if (best[a] < 0 || p[i].jaccard > p[best[a]].jaccard)
			best[a] = (ptrdiff_t)i;
		if (best[b] < 0 || p[i].jaccard > p[best[b]].jaccard)
			best[b] = (ptrdiff_t)i;
	}
	outfile o;
	int rc = out_open(&o, path);
	if (rc == 0) {
		fputs("id\trepresentative\trelation\tjaccard\tpaired_with\n", o.fp);
		for (size_t k = 0; k < ncl; k++) {
			rp_cluster cl;
			rp_result_cluster(&cl, r, k);
			size_t rep = cl.members[0];
			rp_doc_info dr;
			rp_corpus_doc(&dr, c, rep);
			for (size_t m = 1; m < cl.count; m++) {
				size_t d = cl.members[m];
				size_t f = rp_result_find_pair(r, d, rep);
				ptrdiff_t i = f != SIZE_MAX ? (ptrdiff_t)f : best[d];
				rp_doc_info dd, dw;
				rp_corpus_doc(&dd, c, d);
				tsv_field(o.fp, dd.id);
				fputc('\t', o.fp);
				tsv_field(o.fp, dr.id);
				if (i < 0) {
					fputs("\t-\t-\t-\n", o.fp);
					continue;
				}
				size_t w = p[i].a == d ? p[i].b : p[i].a;
				rp_corpus_doc(&dw, c, w);
				fprintf(o.fp, "\t%s\t%.4f\t", rp_relation_name(p[i].relation),
					p[i].jaccard);
				tsv_field(o.fp, dw.id);
				fputc('\n', o.fp);
			}
		}
		rc = out_close(&o, 1);
	}
	free(cid);
	free(best);
	return rc;
}

/* ---- --stats ---- */

static double peak_rss_mb(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_maxrss / 1024.0;   /* ru_maxrss is in KB */
}

int write_stats(const char *path, const cli *cl, const rp_corpus *c,
		const rp_result *r, double read_secs, double total_secs,
		const char *const *names, const double *values)
{
	rp_scan_stats st;
	memset(&st, 0, sizeof(st));
	rp_result_stats(&st, r);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "command", cur_cmd ? cur_cmd : "");
	cJSON_AddStringToObject(o, "version", rp_version());
	cJSON *counts = cJSON_AddObjectToObject(o, "counts"),
	      *secs = cJSON_AddObjectToObject(o, "seconds"),
	      *par = cJSON_AddObjectToObject(o, "parameters");
	if (!o || !counts || !secs || !par) {
		cJSON_Delete(o);
		msg("out of memory");
		return -1;
	}
	cJSON_AddNumberToObject(counts, "records_read", (double)rp_corpus_records_seen(c));
	cJSON_AddNumberToObject(counts, "documents", (double)rp_corpus_count(c));
	cJSON_AddNumberToObject(counts, "rejected", (double)rp_corpus_reject_count(c));
	cJSON_AddNumberToObject(counts, "scanned", (double)st.documents);
	cJSON_AddNumberToObject(counts, "text_bytes", (double)st.text_bytes);
	cJSON_AddNumberToObject(counts, "candidates", (double)st.candidates);
	cJSON_AddNumberToObject(counts, "contain_candidates", (double)st.contain_candidates);
	cJSON_AddNumberToObject(counts, "pairs", (double)st.pairs);
	cJSON_AddNumberToObject(counts, "clusters", (double)st.clusters);
	cJSON_AddNumberToObject(counts, "templates_dropped", (double)st.templates);
	cJSON_AddNumberToObject(counts, "chrome_lines", (double)st.chrome_lines);
	cJSON_AddNumberToObject(counts, "skipped_buckets", (double)st.oversized_buckets);
	cJSON_AddNumberToObject(counts, "common_fingerprints",
				(double)st.common_fingerprints);
	for (size_t i = 0; names && names[i]; i++)
		cJSON_AddNumberToObject(counts, names[i], values[i]);
	cJSON_AddNumberToObject(secs, "read", read_secs);
	cJSON_AddNumberToObject(secs, "boilerplate", st.seconds_boilerplate);
	cJSON_AddNumberToObject(secs, "sign", st.seconds_sign);
	cJSON_AddNumberToObject(secs, "candidates", st.seconds_candidates);
	cJSON_AddNumberToObject(secs, "verify", st.seconds_verify);
	cJSON_AddNumberToObject(secs, "align", st.seconds_align);
	cJSON_AddNumberToObject(secs, "cluster", st.seconds_cluster);
	cJSON_AddNumberToObject(secs, "total", total_secs);
	cJSON_AddNumberToObject(o, "peak_rss_mb", peak_rss_mb());
	/* The texts kept in a temporary file under --memory. */
	cJSON_AddNumberToObject(o, "temporary_bytes",
				(double)rp_corpus_temp_bytes(c));
	cJSON_AddNumberToObject(o, "memory_bound",
				(double)(cl->memory_set ? cl->memory
							: default_memory()));
	double t = cl->q.threshold ? cl->q.threshold : 0.5;
	double cont = cl->q.containment == 0 ? 0.5
		      : cl->q.containment < 0 ? 0 : cl->q.containment;
	int pass = cl->q.min_passage == 0 ? 25
		   : cl->q.min_passage < 0 ? 0 : cl->q.min_passage;
	cJSON_AddNumberToObject(par, "threshold", t);
	cJSON_AddNumberToObject(par, "containment", cont);
	cJSON_AddNumberToObject(par, "min_passage", pass);
	cJSON_AddBoolToObject(par, "exact", cl->q.exact != 0);
	cJSON_AddNumberToObject(par, "bands", st.bands);
	cJSON_AddNumberToObject(par, "rows", st.rows);
	cJSON_AddNumberToObject(par, "perms", cl->ao.num_perm ? cl->ao.num_perm : 128);
	cJSON_AddNumberToObject(par, "shingle_size", cl->ao.k ? cl->ao.k
						     : cl->ao.shingle == RP_SHINGLE_CHAR ? 7 : 5);
	cJSON_AddStringToObject(par, "shingle", cl->ao.shingle == RP_SHINGLE_CHAR ? "char"
						     : "word");
	cJSON_AddBoolToObject(par, "boilerplate", cl->ao.boilerplate != RP_OFF);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cJSON_AddNumberToObject(par, "threads", cl->ao.threads ? (double)cl->ao.threads
						: (double)(cores > 0 ? cores : 1));
	char *text = cJSON_Print(o);
	cJSON_Delete(o);
	if (!text) {
		msg("out of memory");
		return -1;
	}
	outfile f;
	int rc = out_open(&f, path);
	if (rc == 0) {
		fputs(text, f.fp);
		fputc('\n', f.fp);
		rc = out_close(&f, 1);
	}
	free(text);
	return rc;
}

/* ---- reprint dedup ---- */

int cmd_dedup(cli *cl, int argc, char **argv)
{
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	run_state rs;
	int rc = EXIT_OK;

	if (optind >= argc)
		return usage_error("dedup needs at least one INPUT");
	run_start(&rs, cl);
	if (!(c = new_bounded_corpus(cl, &rc)))
		goto done;
	if ((rc = read_inputs(cl, c, argc, argv, optind)) != EXIT_OK)
		goto done;
	double read_secs = secs_since(&rs.t0);
	cl->q.release = 1;
	int err = rp_corpus_ask(&r, c, &cl->q);
	run_stop_progress(&rs);
	if (err < 0) {
		msg("%s", rp_corpus_error(c));
		rc = EXIT_FAIL;
		goto done;
	}
	size_t errors = print_rejects(c, cl->quiet);
	if (cl->rejects && write_report(cl->rejects, REPORT_REJECTS, c, r, cl) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	/* The kept records, compressed by the name's extension. */
	outfile o;
	if (out_open(&o, cl->output) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	zout *z = zout_new(o.fp, cl->output);
	rp_sink sink = { zout_write, z };
	rp_dedup_stats ds;
	memset(&ds, 0, sizeof(ds));
	err = z ? rp_report_dedup(&sink, r, &ds) : RP_ENOMEM;
	if (zout_end(z) < 0 && err == RP_OK)
		err = RP_EIO;
	const char *oname = cl->output && strcmp(cl->output, "-") ? cl->output
								  : "standard output";
	if (err < 0 && err != RP_EIO)
		msg("cannot write %s: %s", oname, rp_strerror(err));
	if (out_close(&o, err == RP_OK) < 0 || err < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	if (cl->removed && write_removed(cl->removed, c, r) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	/* What was written and left out must be what was scanned; the
	 * rest of the records read were rejected: by the readers (records
	 * read that are not documents) or at scan (no words); both are
	 * listed by --rejects and kept out of the dump. */
	size_t seen = rp_corpus_records_seen(c), ndocs = rp_corpus_count(c);
	rp_scan_stats st;
	rp_result_stats(&st, r);
	if (ds.kept + ds.dropped != st.documents || st.documents > ndocs ||
	    ndocs > seen) {
		msg("internal error: %zu kept and %zu removed of %zu documents "
		    "scanned (%zu read, %zu records)", ds.kept, ds.dropped,
		    st.documents, ndocs, seen);
		rc = EXIT_FAIL;
		goto done;
	}
	size_t rejected = (seen - ndocs) + (ndocs - st.documents);
	if (!cl->quiet)
		fprintf(stderr, "%s: %zu records read = %zu kept + %zu removed + %zu "
			"rejected; %zu stories; %.3f s\n", progname, seen, ds.kept,
			ds.dropped, rejected, st.clusters, secs_since(&rs.t0));
	if (cl->stats) {
		const char *names[] = { "kept", "removed", "rejected_total", NULL };
		double values[] = { (double)ds.kept, (double)ds.dropped,
				    (double)rejected };
		if (write_stats(cl->stats, cl, c, r, read_secs, secs_since(&rs.t0),
				names, values) < 0) {
			rc = EXIT_FAIL;
			goto done;
		}
	}
	if (errors)
		rc = EXIT_INPUT;
done:
	run_stop_progress(&rs);
	rp_result_free(r);
	rp_corpus_free(c);
	return rc;
}
