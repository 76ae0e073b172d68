/*
 * report_story.c - the pages of the HTML report a journalist reads: the
 * front page, the lists of stories (by size and by first publication,
 * paged), a page per story (who published first, who reprinted it, how
 * fast, how much of it, with a timeline), who reprints whom, and the list
 * of pairs (paged).
 *
 * A story is a cluster of two or more documents; its representative is
 * the first publication (the earliest date; without dates the longest
 * text, and the page says the order is a guess and from what). Every page
 * is self-contained: inline CSS, inline SVG, no script, nothing fetched.
 *
 * File names the pages link to: index.html, stories-size-N.html,
 * stories-date-N.html, story-K.html, outlets.html, pairs-N.html,
 * pair-N.html (N and K from 1).
 */
#include "report.h"

#include <time.h>

#define PER_PAGE 100

size_t rp_report_html_story_count(const rp_result *r)
{
	return r ? r->nstories : 0;
}

size_t rp_report_html_pages(const rp_result *r, rp_html_list list)
{
	if (!r)
		return 0;
	size_t n = list == RP_HTML_PAIRS ? r->npairs : rp_report_html_story_count(r);
	return n ? (n + PER_PAGE - 1) / PER_PAGE : 1;
}

static void put_delay(FILE *fp, int64_t s)
{
	if (s < 0) {
		fputs("before the first", fp);
		return;
	}
	int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
	if (d)
		fprintf(fp, "%lld d %lld h later", (long long)d, (long long)h);
	else if (h)
		fprintf(fp, "%lld h %lld min later", (long long)h, (long long)m);
	else if (m)
		fprintf(fp, "%lld min later", (long long)m);
	else
		fputs("at the same time", fp);
}

/* How the first publication of a story was chosen, as a phrase. */
static const char *first_by(const rp_corpus *c, const rp_cluster *cl,
			    size_t *undated)
{
	rp_doc_info first;
	rp_corpus_doc(&first, c, cl->representative);
	*undated = 0;
	for (size_t m = 0; m < cl->count; m++) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, cl->members[m]);
		*undated += !d.has_timestamp;
	}
	if (!*undated)
		return NULL;
	return first.has_timestamp
		       ? "the earliest of the dated publications; some have no date"
		       : "no publication has a date it could read: the longest "
			 "text is taken as the original";
}

static void nav(FILE *fp)
{
	fputs("<p class=\"nav\"><a href=\"index.html\">report</a>"
	      "<a href=\"stories-size-1.html\">stories by size</a>"
	      "<a href=\"stories-date-1.html\">stories by first publication</a>"
	      "<a href=\"outlets.html\">outlets</a>"
	      "<a href=\"pairs-1.html\">all pairs</a></p>\n", fp);
}

static void date_cell(FILE *fp, const rp_doc_info *d)
{
	if (d->has_timestamp) {
		time_t t = (time_t)d->timestamp;
		struct tm tm;
		char buf[32];
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm);
		fputs(buf, fp);
	} else if (d->date) {
		rp_html_escs(fp, d->date);
		fputs(" <span class=\"guess\">(not understood)</span>", fp);
	} else {
		fputs("<span class=\"guess\">no date</span>", fp);
	}
}

/* The timeline of a story: one mark per publication, dated ones along a
 * time axis, undated ones in a row of their own. */
static void timeline(FILE *fp, const rp_corpus *c, const rp_cluster *cl)
{
	int64_t t0 = INT64_MAX, t1 = INT64_MIN;
	size_t undated = 0;
	for (size_t m = 0; m < cl->count; m++) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, cl->members[m]);
		if (d.has_timestamp) {
			t0 = RP_MIN(t0, d.timestamp);
			t1 = RP_MAX(t1, d.timestamp);
		} else {
			undated++;
		}
	}
	const int W = 760, L = 20, R = 20;
	int h = undated ? 90 : 60;
	fprintf(fp, "<svg class=\"timeline\" role=\"img\" aria-label=\"timeline\" "
		    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
		    "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"30\" stroke=\"#888\"/>",
		W, h, W, h, L, W - R);
	size_t ui = 0;
	for (size_t m = 0; m < cl->count; m++) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, cl->members[m]);
		double x, y;
		const char *cls;
		if (d.has_timestamp) {
			double f = t1 > t0 ? (double)(d.timestamp - t0) / (double)(t1 - t0)
					   : 0.0;
			x = L + f * (W - L - R);
			y = 30;
			cls = m == 0 ? "mark first" : "mark";
		} else {
			x = L + (double)(ui++ + 1) * (W - L - R) / (double)(undated + 1);
			y = 70;
			cls = m == 0 ? "mark first undated" : "mark undated";
		}
		fprintf(fp, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" "
			    "data-doc=\"", cls, x, y, m == 0 ? 7 : 5);
		rp_html_escs(fp, d.id);
		fputs("\"><title>", fp);
		rp_html_escs(fp, d.outlet ? d.outlet : d.id);
		fputs(", ", fp);
		if (d.date)
			rp_html_escs(fp, d.date);
		else
			fputs("no date", fp);
		fputs("</title></circle>", fp);
	}
	if (t0 != INT64_MAX) {
		char a[32], b[32];
		time_t ta = (time_t)t0, tb = (time_t)t1;
		struct tm tm;
		gmtime_r(&ta, &tm);
		strftime(a, sizeof(a), "%Y-%m-%d %H:%M", &tm);
		gmtime_r(&tb, &tm);
		strftime(b, sizeof(b), "%Y-%m-%d %H:%M", &tm);
		fprintf(fp, "<text x=\"%d\" y=\"52\">%s</text>"
			    "<text x=\"%d\" y=\"52\" text-anchor=\"end\">%s</text>",
			L, a, W - R, b);
	}
	if (undated)
		fprintf(fp, "<text x=\"%d\" y=\"88\">no date</text>", L);
	fputs("</svg>\n", fp);
}

int rp_report_html_story(const rp_sink *sink, const rp_result *r, size_t story)
{
	FILE *fp;
	RETURN_ERROR_IF(!r || story >= r->nstories, RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	const rp_corpus *c = r->corpus;
	rp_cluster cl;
	rp_result_cluster(&cl, r, r->story[story]);
	rp_doc_info first;
	rp_corpus_doc(&first, c, cl.representative);
	char title[600];
	snprintf(title, sizeof(title), "Story %zu: %s", story + 1,
		 first.title ? first.title : first.id);
	rp_html_head(fp, title);
	nav(fp);
	fprintf(fp, "<h1>Story %zu: ", story + 1);
	rp_html_escs(fp, first.title ? first.title : first.id);
	fprintf(fp, "</h1>\n<p>%zu publications.</p>\n", cl.count);
	size_t undated;
	const char *guess = first_by(c, &cl, &undated);
	if (guess) {
		fprintf(fp, "<p class=\"guess\" id=\"order-guess\">The order is a guess: "
			    "%zu of %zu publications have no date it could read; "
			    "the first is %s.</p>\n", undated, cl.count, guess);
	}
	fputs("<h2>First published</h2><table class=\"first\"><tr><th>outlet</th>"
	      "<th>date</th><th>headline</th><th>id</th></tr><tr><td>", fp);
	rp_html_escs(fp, first.outlet ? first.outlet : "");
	fputs("</td><td>", fp);
	date_cell(fp, &first);
	fputs("</td><td>", fp);
	rp_html_escs(fp, first.title ? first.title : "");
	fputs("</td><td>", fp);
	rp_html_escs(fp, first.id);
	fputs("</td></tr></table>\n<h2>Timeline</h2>\n", fp);
	timeline(fp, c, &cl);
	fputs("<h2>Reprints</h2><table class=\"reprints\"><tr><th>outlet</th>"
	      "<th>date</th><th>delay</th><th>relation</th><th>share of the "
	      "original</th><th>headline as run</th><th></th></tr>\n", fp);
	for (size_t m = 1; m < cl.count; m++) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, cl.members[m]);
		size_t pi = rp_result_find_pair(r, cl.representative, cl.members[m]);
		const rp_pair *p = pi == SIZE_MAX ? NULL : &r->pairs[pi];
		double share = !p ? 0.0 : p->a == cl.representative
					? p->containment_a : p->containment_b;
		fputs("<tr class=\"reprint\"><td>", fp);
		rp_html_escs(fp, d.outlet ? d.outlet : "");
		fputs("</td><td>", fp);
		date_cell(fp, &d);
		fputs("</td><td class=\"delay\">", fp);
		if (d.has_timestamp && first.has_timestamp)
			put_delay(fp, d.timestamp - first.timestamp);
		else
			fputs("<span class=\"guess\">unknown</span>", fp);
		fprintf(fp, "</td><td>%s</td><td class=\"num\">%.0f%%</td><td>",
			p ? rp_relation_name(p->relation) : "unknown", 100.0 * share);
		rp_html_escs(fp, d.title ? d.title : "");
		fputs("</td><td>", fp);
		if (p)
			fprintf(fp, "<a href=\"pair-%zu.html\">side by side</a>", pi + 1);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n</body></html>\n", fp);
	return rp_report_close(fp, RP_OK);
}

/* Story order for the lists. */
typedef struct story_key {
	size_t story, count;
	int dated;
	int64_t t;
} story_key;

static int by_size(const void *x, const void *y)
{
	const story_key *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->story < b->story ? -1 : a->story > b->story;
}

static int by_date(const void *x, const void *y)
{
	const story_key *a = x, *b = y;
	if (a->dated != b->dated)
		return a->dated ? -1 : 1;
	if (a->dated && a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->story < b->story ? -1 : a->story > b->story;
}

static void pager(FILE *fp, const char *stem, size_t page, size_t pages)
{
	fputs("<p class=\"pager\">", fp);
	if (page > 0)
		fprintf(fp, "<a rel=\"prev\" href=\"%s-%zu.html\">&larr; previous</a> ",
			stem, page);
	fprintf(fp, "page %zu of %zu", page + 1, pages);
	if (page + 1 < pages)
		fprintf(fp, " <a rel=\"next\" href=\"%s-%zu.html\">next &rarr;</a>",
			stem, page + 2);
	fputs("</p>\n", fp);
}

int rp_report_html_list(const rp_sink *sink, const rp_result *r,
			rp_html_list list, size_t page)
{
	FILE *fp;
	RETURN_ERROR_IF(!r || list < RP_HTML_BY_SIZE || list > RP_HTML_PAIRS,
			RP_EINVAL);
	size_t pages = rp_report_html_pages(r, list);
	RETURN_ERROR_IF(page >= pages, RP_EINVAL);
	const rp_corpus *c = r->corpus;
	if (list == RP_HTML_PAIRS) {
		FORWARD_IF_ERROR(rp_report_open(&fp, sink));
		rp_html_head(fp, "reprint: all pairs");
		nav(fp);
		fprintf(fp, "<h1>All pairs</h1>\n");
		pager(fp, "pairs", page, pages);
		fputs("<table><tr><th>a</th><th>b</th><th>relation</th><th>source</th>"
		      "<th>Jaccard</th><th>a in b</th><th>b in a</th><th></th></tr>\n", fp);
		size_t end = RP_MIN(r->npairs, (page + 1) * PER_PAGE);
		for (size_t i = page * PER_PAGE; i < end; i++) {
			const rp_pair *p = &r->pairs[i];
			rp_doc_info da, db;
			rp_corpus_doc(&da, c, p->a);
			rp_corpus_doc(&db, c, p->b);
			fputs("<tr><td>", fp);
			rp_html_escs(fp, da.id);
			fputs("</td><td>", fp);
			rp_html_escs(fp, db.id);
			fprintf(fp, "</td><td>%s</td><td>%s</td><td class=\"num\">%.3f</td>"
				    "<td class=\"num\">%.3f</td><td class=\"num\">%.3f</td>"
				    "<td><a href=\"pair-%zu.html\">compare</a></td></tr>\n",
				rp_relation_name(p->relation), rp_source_name(p->source),
				p->jaccard, p->containment_a, p->containment_b, i + 1);
		}
		fputs("</table>\n", fp);
		pager(fp, "pairs", page, pages);
		fputs("</body></html>\n", fp);
		return rp_report_close(fp, RP_OK);
	}
	const size_t *st = r->story;
	size_t n = r->nstories;
	story_key *keys = malloc((n + 1) * sizeof(*keys));
	RETURN_ERROR_IF(!keys, RP_ENOMEM);
	for (size_t i = 0; i < n; i++) {
		rp_cluster cl;
		rp_doc_info d;
		rp_result_cluster(&cl, r, st[i]);
		rp_corpus_doc(&d, c, cl.representative);
		keys[i] = (story_key){ i, cl.count, d.has_timestamp, d.timestamp };
	}
	qsort(keys, n, sizeof(*keys), list == RP_HTML_BY_SIZE ? by_size : by_date);
	int err = rp_report_open(&fp, sink);
	if (err < 0) {
		free(keys);
		return err;
	}
	const char *stem = list == RP_HTML_BY_SIZE ? "stories-size" : "stories-date";
	rp_html_head(fp, list == RP_HTML_BY_SIZE ? "reprint: stories by size"
						 : "reprint: stories by first publication");
	nav(fp);
	fprintf(fp, "<h1>Stories by %s</h1>\n", list == RP_HTML_BY_SIZE
		? "size" : "first publication");
	pager(fp, stem, page, pages);
	fputs("<table class=\"stories\"><tr><th>story</th><th>publications</th>"
	      "<th>first published</th><th>by</th><th>headline</th></tr>\n", fp);
	size_t end = RP_MIN(n, (page + 1) * PER_PAGE);
	for (size_t i = page * PER_PAGE; i < end; i++) {
		rp_cluster cl;
		rp_doc_info d;
		rp_result_cluster(&cl, r, st[keys[i].story]);
		rp_corpus_doc(&d, c, cl.representative);
		fprintf(fp, "<tr><td><a href=\"story-%zu.html\">story %zu</a></td>"
			    "<td class=\"num\">%zu</td><td>", keys[i].story + 1,
			keys[i].story + 1, cl.count);
		date_cell(fp, &d);
		fputs("</td><td>", fp);
		rp_html_escs(fp, d.outlet ? d.outlet : "");
		fputs("</td><td>", fp);
		rp_html_escs(fp, d.title ? d.title : d.id);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
	pager(fp, stem, page, pages);
	fputs("</body></html>\n", fp);
	free(keys);
	return rp_report_close(fp, RP_OK);
}

/* Who reprints whom. */
typedef struct outlet_row {
	const char *name;
	size_t first, reprinted;
} outlet_row;

typedef struct edge_row {
	const char *from, *to;
	int64_t *delays;
	size_t stories, ndelays, cap;
} edge_row;

static int cmp_outlet(const void *x, const void *y)
{
	const outlet_row *a = x, *b = y;
	size_t ta = a->first + a->reprinted, tb = b->first + b->reprinted;
	if (ta != tb)
		return ta > tb ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_edge(const void *x, const void *y)
{
	const edge_row *a = x, *b = y;
	if (a->stories != b->stories)
		return a->stories > b->stories ? -1 : 1;
	int k = strcmp(a->from, b->from);
	return k ? k : strcmp(a->to, b->to);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

static int outlet_at(outlet_row **rows, size_t *n, size_t *cap, const char *name,
		     size_t *at)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*rows)[i].name, name) == 0) {
			*at = i;
			return RP_OK;
		}
	FORWARD_IF_ERROR(RP_GROW(*rows, *cap, *n + 1));
	(*rows)[*n] = (outlet_row){ name, 0, 0 };
	*at = (*n)++;
	return RP_OK;
}

int rp_report_html_outlets(const rp_sink *sink, const rp_result *r)
{
	FILE *fp = NULL;
	RETURN_ERROR_IF(!r, RP_EINVAL);
	const rp_corpus *c = r->corpus;
	outlet_row *rows = NULL;
	edge_row *edges = NULL;
	size_t nrows = 0, caprows = 0, nedges = 0, capedges = 0;
	int err = RP_OK;
	for (size_t k = 0; k < rp_result_cluster_count(r); k++) {
		rp_cluster cl;
		rp_result_cluster(&cl, r, k);
		if (cl.count < 2)
			continue;
		rp_doc_info first;
		rp_corpus_doc(&first, c, cl.representative);
		size_t at;
		if (first.outlet) {
			GOTO_IF_ERROR(outlet_at(&rows, &nrows, &caprows, first.outlet, &at));
			rows[at].first++;
		}
		for (size_t m = 1; m < cl.count; m++) {
			rp_doc_info d;
			rp_corpus_doc(&d, c, cl.members[m]);
			if (!d.outlet)
				continue;
			GOTO_IF_ERROR(outlet_at(&rows, &nrows, &caprows, d.outlet, &at));
			rows[at].reprinted++;
			if (!first.outlet)
				continue;
			size_t e = 0;
			while (e < nedges && !(strcmp(edges[e].from, first.outlet) == 0 &&
					       strcmp(edges[e].to, d.outlet) == 0))
				e++;
			if (e == nedges) {
				GOTO_IF_ERROR(RP_GROW(edges, capedges, nedges + 1));
				edges[nedges++] = (edge_row){ first.outlet, d.outlet,
							      NULL, 0, 0, 0 };
			}
			edges[e].stories++;
			if (first.has_timestamp && d.has_timestamp) {
				GOTO_IF_ERROR(RP_GROW(edges[e].delays, edges[e].cap,
						      edges[e].ndelays + 1));
				edges[e].delays[edges[e].ndelays++] =
					d.timestamp - first.timestamp;
			}
		}
	}
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), cmp_outlet);
	if (nedges)
		qsort(edges, nedges, sizeof(*edges), cmp_edge);
	GOTO_IF_ERROR(rp_report_open(&fp, sink));
	rp_html_head(fp, "reprint: who reprints whom");
	nav(fp);
	fputs("<h1>Who reprints whom</h1>\n<h2>Outlets</h2>\n", fp);
	/* A bar chart: stories first published (red) and reprinted (blue). */
	size_t shown = RP_MIN(nrows, (size_t)30), top = 1;
	for (size_t i = 0; i < shown; i++)
		top = RP_MAX(top, RP_MAX(rows[i].first, rows[i].reprinted));
	int H = 16 * (int)shown + 20;
	fprintf(fp, "<svg class=\"outlets-chart\" role=\"img\" aria-label=\"stories "
		    "first published and reprinted per outlet\" width=\"760\" "
		    "height=\"%d\" viewBox=\"0 0 760 %d\">", H, H);
	for (size_t i = 0; i < shown; i++) {
		int y = 10 + 16 * (int)i;
		double w1 = 260.0 * (double)rows[i].first / (double)top;
		double w2 = 260.0 * (double)rows[i].reprinted / (double)top;
		fprintf(fp, "<text x=\"0\" y=\"%d\">", y + 10);
		rp_html_escs(fp, rows[i].name);
		fprintf(fp, "</text><rect class=\"bar first\" x=\"220\" y=\"%d\" "
			    "width=\"%.1f\" height=\"6\" fill=\"#c00\"><title>%zu "
			    "first</title></rect><rect class=\"bar reprinted\" "
			    "x=\"220\" y=\"%d\" width=\"%.1f\" height=\"6\" "
			    "fill=\"#3465a4\"><title>%zu reprinted</title></rect>",
			y, w1, rows[i].first, y + 7, w2, rows[i].reprinted);
	}
	fputs("</svg>\n<table class=\"outlets\"><tr><th>outlet</th><th>stories "
	      "first published</th><th>reprints</th></tr>\n", fp);
	for (size_t i = 0; i < nrows; i++) {
		fputs("<tr><td>", fp);
		rp_html_escs(fp, rows[i].name);
		fprintf(fp, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n",
			rows[i].first, rows[i].reprinted);
	}
	fputs("</table>\n<h2>Pairs of outlets</h2><table class=\"edges\"><tr>"
	      "<th>first published by</th><th>reprinted by</th><th>stories</th>"
	      "<th>median delay</th></tr>\n", fp);
	for (size_t e = 0; e < nedges; e++) {
		fputs("<tr><td>", fp);
		rp_html_escs(fp, edges[e].from);
		fputs("</td><td>", fp);
		rp_html_escs(fp, edges[e].to);
		fprintf(fp, "</td><td class=\"num\">%zu</td><td>", edges[e].stories);
		if (edges[e].ndelays) {
			qsort(edges[e].delays, edges[e].ndelays, sizeof(int64_t), cmp_i64);
			size_t nd = edges[e].ndelays;
			int64_t med = nd % 2 ? edges[e].delays[nd / 2]
					     : (edges[e].delays[nd / 2 - 1] +
						edges[e].delays[nd / 2]) / 2;
			put_delay(fp, med);
		} else {
			fputs("<span class=\"guess\">no dates</span>", fp);
		}
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n</body></html>\n", fp);
	err = rp_report_close(fp, RP_OK);
cleanup:
	for (size_t e = 0; e < nedges; e++)
		free(edges[e].delays);
	free(edges);
	free(rows);
	return err;
}

int rp_report_html_index(const rp_sink *sink, const rp_result *r)
{
	FILE *fp;
	RETURN_ERROR_IF(!r, RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	rp_scan_stats st;
	rp_result_stats(&st, r);
	size_t nst = rp_report_html_story_count(r);
	rp_html_head(fp, "reprint report");
	nav(fp);
	fprintf(fp, "<h1>reprint report</h1><p>%zu documents, %zu pairs, %zu "
		    "stories published more than once.</p>\n", st.documents,
		st.pairs, nst);
	fprintf(fp, "<ul><li><a href=\"stories-size-1.html\">Stories by size</a> "
		    "(%zu pages)</li><li><a href=\"stories-date-1.html\">Stories by "
		    "first publication</a></li><li><a href=\"outlets.html\">Who "
		    "reprints whom</a></li><li><a href=\"pairs-1.html\">All pairs</a> "
		    "(%zu pages)</li></ul>\n",
		rp_report_html_pages(r, RP_HTML_BY_SIZE),
		rp_report_html_pages(r, RP_HTML_PAIRS));
	fputs("<h2>How to read this report</h2><p>A story is a group of "
	      "publications that are copies of one another. Its page names the "
	      "first publication (the earliest date; where dates are missing it "
	      "says the order is a guess), then every reprint with its outlet, "
	      "date, delay, relation (exact, near_verbatim, light_edit, "
	      "trimmed, excerpt) and the share of the original it carries; "
	      "the side-by-side page shows reused passages highlighted, edits "
	      "marked, and site chrome, datelines and credits dimmed.</p>\n", fp);
	fputs("</body></html>\n", fp);
	return rp_report_close(fp, RP_OK);
}
