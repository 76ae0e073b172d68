/*
 * news.c - the syndication summary (`scan --syndication FILE`) and
 * `reprint boilerplate`: what the news questions need from a scan.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void put_delay(FILE *fp, int64_t s)
{
	char buf[64];
	int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
	if (d)
		snprintf(buf, sizeof(buf), "%lldd %lldh %lldm", (long long)d,
			 (long long)h, (long long)m);
	else if (h)
		snprintf(buf, sizeof(buf), "%lldh %lldm", (long long)h, (long long)m);
	else
		snprintf(buf, sizeof(buf), "%lldm", (long long)m);
	json_string(fp, buf);
}

static void doc_ref(FILE *fp, const rp_doc_info *d)
{
	fputs("{\"id\":", fp);
	json_string(fp, d->id);
	fputs(",\"outlet\":", fp);
	if (d->outlet)
		json_string(fp, d->outlet);
	else
		fputs("null", fp);
	fputs(",\"date\":", fp);
	if (d->date)
		json_string(fp, d->date);
	else
		fputs("null", fp);
	fputs(",\"title\":", fp);
	if (d->title)
		json_string(fp, d->title);
	else
		fputs("null", fp);
}

typedef struct edge {
	const char *from, *to;
	size_t stories;
	int64_t delay_sum;
	size_t dated;
} edge;

static int cmp_edge(const void *x, const void *y)
{
	const edge *a = x, *b = y;
	int c = strcmp(a->from, b->from);
	return c ? c : strcmp(a->to, b->to);
}

void write_syndication(FILE *fp, const rp_corpus *c, const rp_result *r)
{
	edge *edges = NULL;
	size_t nedges = 0, capedges = 0, story = 0;
	for (size_t k = 0; k < rp_result_cluster_count(r); k++) {
		rp_cluster cl;
		rp_result_cluster(&cl, r, k);
		if (cl.count < 2)
			continue;
		rp_doc_info first;
		rp_corpus_doc(&first, c, cl.representative);
		/* How the first publication was chosen: by date when every
		 * document has one; otherwise the order is partly or wholly a
		 * guess (the earliest of the dated ones, or the longest text). */
		size_t undated = 0;
		for (size_t m = 0; m < cl.count; m++) {
			rp_doc_info d;
			rp_corpus_doc(&d, c, cl.members[m]);
			undated += !d.has_timestamp;
		}
		fprintf(fp, "{\"type\":\"story\",\"story\":%zu,\"documents\":%zu,"
			"\"first_by\":\"%s\",\"first_is_guess\":%s,\"first\":",
			++story, cl.count,
			!undated ? "date" : first.has_timestamp ? "date_of_dated_only"
								 : "longest_text",
			undated ? "true" : "false");
		doc_ref(fp, &first);
		fputs("},\"reprints\":[", fp);
		for (size_t m = 1; m < cl.count; m++) {
			rp_doc_info d;
			rp_corpus_doc(&d, c, cl.members[m]);
			size_t pi = find_pair(r, cl.representative, cl.members[m]);
			const rp_pair *p = pi == SIZE_MAX ? NULL : &rp_result_pairs(r)[pi];
			/* Share of the original the reprint carries. */
			double share = !p ? 0.0 : p->a == cl.representative
						 ? p->containment_a : p->containment_b;
			if (m > 1)
				fputc(',', fp);
			doc_ref(fp, &d);
			int dated = first.has_timestamp && d.has_timestamp;
			int64_t delay = dated ? d.timestamp - first.timestamp : 0;
			if (dated)
				fprintf(fp, ",\"delay_seconds\":%lld,\"delay\":",
					(long long)delay);
			else
				fputs(",\"delay_seconds\":null,\"delay\":null", fp);
			if (dated)
				put_delay(fp, delay);
			fprintf(fp, ",\"relation\":\"%s\",\"share_of_original\":%.4f,"
				    "\"jaccard\":%.6f}",
				p ? rp_relation_name(p->relation) : "unknown", share,
				p ? p->jaccard : 0.0);
			if (!first.outlet || !d.outlet)
				continue;
			size_t e = 0;
			while (e < nedges && !(strcmp(edges[e].from, first.outlet) == 0 &&
					       strcmp(edges[e].to, d.outlet) == 0))
				e++;
			if (e == nedges) {
				if (nedges == capedges) {
					size_t cap = capedges ? 2 * capedges : 16;
					edge *ne = reallocarray(edges, cap, sizeof(*ne));
					if (!ne)
						continue; /* the table loses a row, not the run */
					edges = ne;
					capedges = cap;
				}
				edges[nedges++] = (edge){ first.outlet, d.outlet, 0, 0, 0 };
			}
			edges[e].stories++;
			if (dated) {
				edges[e].delay_sum += delay;
				edges[e].dated++;
			}
		}
		fputs("]}\n", fp);
	}
	if (nedges)
		qsort(edges, nedges, sizeof(*edges), cmp_edge);
	for (size_t e = 0; e < nedges; e++) {
		fputs("{\"type\":\"outlet_pair\",\"first\":", fp);
		json_string(fp, edges[e].from);
		fputs(",\"reprinted_by\":", fp);
		json_string(fp, edges[e].to);
		fprintf(fp, ",\"stories\":%zu,\"mean_delay_seconds\":", edges[e].stories);
		if (edges[e].dated)
			fprintf(fp, "%lld}\n", (long long)(edges[e].delay_sum /
							   (int64_t)edges[e].dated));
		else
			fputs("null}\n", fp);
	}
	free(edges);
}

int cmd_boilerplate(cli *cl, int argc, char **argv)
{
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	int rc = EXIT_OK;

	if (optind >= argc)
		return usage_error("boilerplate needs at least one INPUT");
	cl->ao.boilerplate = RP_ON;
	if (!(c = new_corpus(cl, &rc)))
		return rc;
	for (int i = optind; i < argc; i++) {
		int err = strcmp(argv[i], "-") == 0
				  ? rp_corpus_read_jsonl(c, stdin, "(stdin)", &cl->ro)
				  : rp_corpus_read_path(c, argv[i], &cl->ro);
		if (err == RP_ENOMEM) {
			msg("out of memory reading %s", argv[i]);
			rc = EXIT_FAIL;
			goto done;
		}
	}
	for (size_t i = 0; i < rp_corpus_reject_count(c); i++) {
		rp_reject rj;
		rp_corpus_reject(&rj, c, i);
		fprintf(stderr, "%s: %s:%zu: rejected: %s\n", progname, rj.source,
			rj.line, rj.reason);
		rc = EXIT_INPUT;
	}
	if (rp_learn_boilerplate(&r, c) < 0) {
		msg("%s", rp_corpus_error(c));
		rc = EXIT_FAIL;
		goto done;
	}
	/* outlet, pages, line: the lines learned as each outlet's chrome. */
	puts("outlet\tpages\tline");
	for (size_t i = 0; i < rp_result_chrome_count(r); i++) {
		rp_chrome_line ch;
		rp_result_chrome(&ch, r, i);
		for (const char *p = ch.outlet; *p; p++)
			putchar(*p == '\t' || *p == '\n' ? ' ' : *p);
		printf("\t%zu\t", ch.pages);
		for (size_t k = 0; k < ch.line_len; k++)
			putchar(ch.line[k] == '\t' ? ' ' : ch.line[k]);
		putchar('\n');
	}
	rp_scan_stats st;
	rp_result_stats(&st, r);
	if (!cl->quiet)
		fprintf(stderr, "%s: %zu documents, %zu chrome lines learned, %zu "
			"documents with chrome left out, %zu bytes left out "
			"(chrome, datelines, credits)\n", progname,
			rp_corpus_count(c), st.chrome_lines, st.docs_stripped,
			st.bytes_excluded);
	if (fflush(stdout) != 0)
		rc = EXIT_FAIL;
done:
	rp_result_free(r);
	rp_corpus_free(c);
	return rc;
}
