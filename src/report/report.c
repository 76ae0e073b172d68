/*
 * report.c - the reports of a question, one writer per format, written to
 * a caller's sink: pairs (TSV, JSONL), clusters, the syndication summary,
 * rejects. The HTML pages are in report_html.c, the terminal view in
 * report_view.c.
 *
 * Writers format into a stdio stream that forwards to the sink
 * (fopencookie), so a sink may be a file, a socket, a buffer or a pipe to
 * another program; the library itself never opens, prints or exits.
 */
#include "report.h"

#include "input.h"

#include <stdarg.h>

int rp_sink_stdio(const char *data, size_t len, void *fp)
{
	return len && fwrite(data, 1, len, (FILE *)fp) != len ? -1 : 0;
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
	const rp_sink *s = cookie;
	return s->write(buf, size, s->userdata) != 0 ? -1 : (ssize_t)size;
}

int rp_report_open(FILE **fp, const rp_sink *sink)
{
	*fp = NULL;
	RETURN_ERROR_IF(!sink || !sink->write, RP_EINVAL);
	cookie_io_functions_t io = { NULL, cookie_write, NULL, NULL };
	*fp = fopencookie((void *)sink, "w", io);
	RETURN_ERROR_IF(!*fp, RP_ENOMEM);
	return RP_OK;
}

int rp_report_close(FILE *fp, int err)
{
	int bad = ferror(fp);
	if (fclose(fp) != 0)
		bad = 1;
	if (err < 0)
		return err;
	return bad ? RP_EIO : RP_OK;
}

/* (the runs between characters to escape written whole: a character
 * at a time, each a locked fputc, was most of writing the pairs) */
static void tsv_field(FILE *fp, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "\t\n\r\\");
		fwrite(s, 1, n, fp);
		s += n;
		switch (*s) {
		case '\0': return;
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		default: fputs("\\\\", fp); break;
		}
		s++;
	}
}

void rp_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (ch < 0x20)
				fprintf(fp, "\\u%04x", ch);
			else
				fputc(ch, fp);
		}
	}
	fputc('"', fp);
}

const char *rp_source_name(int source)
{
	return source == 0 ? "a" : source == 1 ? "b" : "";
}

static void write_pairs(FILE *fp, const rp_corpus *c, const rp_result *r,
			int jsonl)
{
	size_t n = rp_result_pair_count(r);
	const rp_pair *p = rp_result_pairs(r);
	if (!jsonl)
		fputs("a\tb\tjaccard\tcontainment_a_in_b\tcontainment_b_in_a\t"
		      "relation\tsource\tshared_words\tpassages\n", fp);
	for (size_t i = 0; i < n; i++) {
		rp_doc_info da, db;
		rp_corpus_doc(&da, c, p[i].a);
		rp_corpus_doc(&db, c, p[i].b);
		if (!jsonl) {
			tsv_field(fp, da.id);
			fputc('\t', fp);
			tsv_field(fp, db.id);
			fprintf(fp, "\t%.6f\t%.6f\t%.6f\t%s\t%s\t%zu\t%zu\n",
				p[i].jaccard, p[i].containment_a,
				p[i].containment_b, rp_relation_name(p[i].relation),
				rp_source_name(p[i].source), p[i].shared_words,
				p[i].passages);
			continue;
		}
		fputs("{\"a\":", fp);
		rp_json_string(fp, da.id);
		fputs(",\"b\":", fp);
		rp_json_string(fp, db.id);
		fprintf(fp,
			",\"jaccard\":%.6f,\"containment_a_in_b\":%.6f,"
			"\"containment_b_in_a\":%.6f,\"relation\":\"%s\","
			"\"source\":\"%s\",\"shared_words\":%zu,\"shared\":%zu,"
			"\"shingles_a\":%zu,\"shingles_b\":%zu,\"passages\":[",
			p[i].jaccard, p[i].containment_a, p[i].containment_b,
			rp_relation_name(p[i].relation), rp_source_name(p[i].source),
			p[i].shared_words, p[i].shared, p[i].size_a, p[i].size_b);
		const rp_passage *ps;
		const rp_edit *ed;
		size_t np, ne;
		rp_result_passages(&ps, &np, r, i);
		rp_result_edits(&ed, &ne, r, i);
		for (size_t k = 0; k < np; k++) {
			/* Where the passage is in the files read, when the texts
			 * are traced to them (text files, HTML pages). */
			size_t fs, fe;
			if (ps[k].a_end > ps[k].a_start &&
			    rp_corpus_source_range(&fs, &fe, c, p[i].a, ps[k].a_start,
						   ps[k].a_end) == RP_OK)
				fprintf(fp, "%s{\"a_file\":[%zu,%zu],", k ? "," : "",
					fs, fe);
			else
				fprintf(fp, "%s{", k ? "," : "");
			if (ps[k].b_end > ps[k].b_start &&
			    rp_corpus_source_range(&fs, &fe, c, p[i].b, ps[k].b_start,
						   ps[k].b_end) == RP_OK)
				fprintf(fp, "\"b_file\":[%zu,%zu],", fs, fe);
			fprintf(fp,
				"\"a\":[%zu,%zu],\"b\":[%zu,%zu],\"words_a\":%zu,"
				"\"words_b\":%zu,\"inserted\":%zu,\"deleted\":%zu,"
				"\"substituted\":%zu,\"edits\":[",
				ps[k].a_start, ps[k].a_end,
				ps[k].b_start, ps[k].b_end, ps[k].words_a,
				ps[k].words_b, ps[k].inserted, ps[k].deleted,
				ps[k].substituted);
			for (size_t e = 0; e < ps[k].edit_count; e++) {
				const rp_edit *x = &ed[ps[k].first_edit + e];
				fprintf(fp, "%s{\"a\":[%zu,%zu],\"b\":[%zu,%zu]}",
					e ? "," : "", x->a_start, x->a_end,
					x->b_start, x->b_end);
			}
			fputs("]}", fp);
		}
		fputs("]}\n", fp);
	}
}

static void write_clusters(FILE *fp, const rp_corpus *c, const rp_result *r,
			   int singletons)
{
	size_t n = rp_result_cluster_count(r), num = 0;
	for (size_t i = 0; i < n; i++) {
		rp_cluster cl;
		rp_doc_info d;
		rp_result_cluster(&cl, r, i);
		if (cl.count < 2 && !singletons)
			continue;
		rp_corpus_doc(&d, c, cl.representative);
		fprintf(fp, "{\"cluster\":%zu,\"representative\":", ++num);
		rp_json_string(fp, d.id);
		fputs(",\"ids\":[", fp);
		for (size_t k = 0; k < cl.count; k++) {
			rp_corpus_doc(&d, c, cl.members[k]);
			if (k)
				fputc(',', fp);
			rp_json_string(fp, d.id);
		}
		fputs("]}\n", fp);
	}
}

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
	rp_json_string(fp, buf);
}

static void doc_ref(FILE *fp, const rp_doc_info *d)
{
	fputs("{\"id\":", fp);
	rp_json_string(fp, d->id);
	fputs(",\"outlet\":", fp);
	if (d->outlet)
		rp_json_string(fp, d->outlet);
	else
		fputs("null", fp);
	fputs(",\"date\":", fp);
	if (d->date)
		rp_json_string(fp, d->date);
	else
		fputs("null", fp);
	fputs(",\"title\":", fp);
	if (d->title)
		rp_json_string(fp, d->title);
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

static int write_syndication(FILE *fp, const rp_corpus *c, const rp_result *r)
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
			size_t pi = rp_result_find_pair(r, cl.representative, cl.members[m]);
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
					if (!ne) {
						free(edges);
						return RP_ENOMEM;
					}
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
		rp_json_string(fp, edges[e].from);
		fputs(",\"reprinted_by\":", fp);
		rp_json_string(fp, edges[e].to);
		fprintf(fp, ",\"stories\":%zu,\"mean_delay_seconds\":", edges[e].stories);
		if (edges[e].dated)
			fprintf(fp, "%lld}\n", (long long)(edges[e].delay_sum /
							   (int64_t)edges[e].dated));
		else
			fputs("null}\n", fp);
	}
	free(edges);
	return RP_OK;
}

static void write_rejects(FILE *fp, const rp_corpus *c)
{
	for (size_t i = 0; i < rp_corpus_reject_count(c); i++) {
		rp_reject rj;
		rp_corpus_reject(&rj, c, i);
		fputs("{\"source\":", fp);
		rp_json_string(fp, rj.source);
		fprintf(fp, ",\"line\":%zu,\"id\":", rj.line);
		if (rj.id)
			rp_json_string(fp, rj.id);
		else
			fputs("null", fp);
		fputs(",\"reason\":", fp);
		rp_json_string(fp, rj.reason);
		fputs("}\n", fp);
	}
}

/* ---- the public writers ---- */

int rp_report_pairs(const rp_sink *sink, const rp_result *r,
		    rp_pairs_format format)
{
	FILE *fp;
	RETURN_ERROR_IF(!r || (format != RP_PAIRS_TSV && format != RP_PAIRS_JSONL),
			RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	write_pairs(fp, r->corpus, r, format == RP_PAIRS_JSONL);
	return rp_report_close(fp, RP_OK);
}

int rp_report_clusters(const rp_sink *sink, const rp_result *r, int singletons)
{
	FILE *fp;
	RETURN_ERROR_IF(!r, RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	write_clusters(fp, r->corpus, r, singletons);
	return rp_report_close(fp, RP_OK);
}

int rp_report_syndication(const rp_sink *sink, const rp_result *r)
{
	FILE *fp;
	RETURN_ERROR_IF(!r, RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	return rp_report_close(fp, write_syndication(fp, r->corpus, r));
}

int rp_report_rejects(const rp_sink *sink, const rp_corpus *c)
{
	FILE *fp;
	RETURN_ERROR_IF(!c, RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	write_rejects(fp, c);
	return rp_report_close(fp, RP_OK);
}

/* ---- the deduplicated collection ---- */

/* A document as one JSON line of its fields. */
static void doc_json(FILE *fp, const rp_doc_info *d)
{
	fputs("{\"id\":", fp);
	rp_json_string(fp, d->id);
	const char *names[] = { "title", "outlet", "date" };
	const char *vals[] = { d->title, d->outlet, d->date };
	for (int k = 0; k < 3; k++)
		if (vals[k]) {
			fprintf(fp, ",\"%s\":", names[k]);
			rp_json_string(fp, vals[k]);
		}
	fputs(",\"text\":", fp);
	rp_json_string(fp, d->text);
	fputs("}\n", fp);
}

/* The JSONL file a run of documents came from, read again line by line. */
typedef struct source_reader {
	const char *name;
	FILE *raw;
	rp_input in;
	char *line;
	size_t cap, lineno;
	ssize_t len;
} source_reader;

static void source_close(source_reader *s)
{
	if (s->in.fp)
		rp_input_close(&s->in);
	if (s->raw)
		fclose(s->raw);
	free(s->line);
	memset(s, 0, sizeof(*s));
}

/* Line `line` of the source (forward only); NULL when it cannot be read
 * or is not the record (the file changed since). */
static const char *source_line(source_reader *s, const char *name, size_t line,
			       size_t *len)
{
	if (!s->name || strcmp(s->name, name) != 0 || line <= s->lineno) {
		source_close(s);
		s->name = name;
		s->raw = fopen(name, "rb");
		if (!s->raw || rp_input_open(&s->in, s->raw) < 0 ||
		    s->in.kind == RP_INPUT_UTF16 || s->in.kind == RP_INPUT_BINARY) {
			source_close(s);
			s->name = name;
			return NULL;
		}
	}
	if (!s->in.fp)
		return NULL;
	while (s->lineno < line) {
		s->len = getline(&s->line, &s->cap, s->in.fp);
		if (s->len < 0) {
			source_close(s);
			s->name = name;
			return NULL;
		}
		s->lineno++;
	}
	*len = (size_t)s->len;
	return s->line;
}

int rp_report_dedup(const rp_sink *sink, const rp_result *r,
		    rp_dedup_stats *stats)
{
	FILE *fp;
	RETURN_ERROR_IF(!r, RP_EINVAL);
	const rp_corpus *c = r->corpus;
	size_t nd = c->ndocs;
	uint8_t *keep = calloc(nd + 1, 1);
	RETURN_ERROR_IF(!keep, RP_ENOMEM);
	for (size_t d = 0; d < nd; d++)
		keep[d] = (uint8_t)rp_result_doc_scanned(r, d);
	for (size_t k = 0; k < rp_result_cluster_count(r); k++) {
		rp_cluster cl;
		rp_result_cluster(&cl, r, k);
		for (size_t m = 1; m < cl.count; m++)
			keep[cl.members[m]] = 0;
	}
	int err = rp_report_open(&fp, sink);
	if (err < 0) {
		free(keep);
		return err;
	}
	rp_dedup_stats st = { 0, 0, 0 };
	source_reader src;
	memset(&src, 0, sizeof(src));
	for (size_t d = 0; d < nd; d++) {
		if (!keep[d]) {
			st.dropped += rp_result_doc_scanned(r, d);
			continue;
		}
		st.kept++;
		rp_doc_info di;
		rp_corpus_doc(&di, c, d);
		size_t len = 0;
		const char *line = di.line && di.source
					   ? source_line(&src, di.source, di.line, &len)
					   : NULL;
		if (line) {
			/* The record as it was, every field kept. */
			while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				len--;
			fwrite(line, 1, len, fp);
			fputc('\n', fp);
			st.verbatim++;
		} else {
			doc_json(fp, &di);
		}
	}
	source_close(&src);
	free(keep);
	if (stats)
		*stats = st;
	return rp_report_close(fp, RP_OK);
}
