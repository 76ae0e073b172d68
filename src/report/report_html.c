/*
 * report_html.c - a static, self-contained HTML report of a question.
 *
 * rp_report_html_index writes the list of clusters (representative first,
 * with outlet, date, title, size and each member's relation to the
 * representative) and every reported pair, linking pair N to
 * "pair-N.html"; rp_report_html_pair writes pair N's page: the two
 * originals side by side, reused passages highlighted (<mark
 * class="reused">), words of a that b deleted or replaced struck through
 * (<del>), words b inserted or put in their place underlined (<ins>).
 * Pages use inline CSS only: no script, no font, nothing fetched from the
 * network. Every text, title, id and outlet is HTML-escaped.
 */
#include "report.h"

static const char css[] =
	"body{font:15px/1.5 system-ui,sans-serif;margin:2em;color:#222;background:#fff}"
	"h1{font-size:1.5em}h2{font-size:1.2em}table{border-collapse:collapse}"
	"td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
	"th{background:#f2f2f2}.num{text-align:right;font-variant-numeric:tabular-nums}"
	".cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}"
	".doc{white-space:pre-wrap;border:1px solid #ccc;padding:1em;background:#fafafa}"
	"mark.reused{background:#fff1a8}del{background:#ffc9c9;color:#8a0000}"
	"ins{background:#c9f2c9;color:#005a00;text-decoration:underline}"
	".gap{color:#c00;font-weight:bold}.meta{color:#555}"
	".legend span{padding:0 .4em;margin-right:1em}";

static void esc(FILE *fp, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(s[i], fp);
		}
	}
}

static void escs(FILE *fp, const char *s)
{
	if (s)
		esc(fp, s, strlen(s));
}

static void head(FILE *fp, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\"><title>", fp);
	escs(fp, title);
	fprintf(fp, "</title><style>%s</style></head><body>\n", css);
}

/* One original with its passages and edits marked. */
static void marked_text(FILE *fp, const rp_doc_info *d, const rp_passage *ps,
			size_t np, const rp_edit *ed, int is_a)
{
	size_t at = 0;
	fputs("<div class=\"doc\">", fp);
	for (size_t k = 0; k < np; k++) {
		size_t s = is_a ? ps[k].a_start : ps[k].b_start;
		size_t e = is_a ? ps[k].a_end : ps[k].b_end;
		if (s < at || e > d->text_len)
			continue; /* overlapping passage (repeated text) */
		esc(fp, d->text + at, s - at);
		fprintf(fp, "<mark class=\"reused\" id=\"%c%zu\" data-passage=\"%zu\">",
			is_a ? 'a' : 'b', k + 1, k + 1);
		at = s;
		for (size_t x = 0; x < ps[k].edit_count; x++) {
			const rp_edit *ex = &ed[ps[k].first_edit + x];
			size_t es = is_a ? ex->a_start : ex->b_start;
			size_t ee = is_a ? ex->a_end : ex->b_end;
			size_t other = is_a ? ex->words_b : ex->words_a;
			if (es < at || ee > e)
				continue;
			esc(fp, d->text + at, es - at);
			if (ee > es) {
				fputs(is_a ? "<del>" : "<ins>", fp);
				esc(fp, d->text + es, ee - es);
				fputs(is_a ? "</del>" : "</ins>", fp);
			} else if (other) {
				fprintf(fp, "<span class=\"gap\" title=\"%zu word%s %s\">"
					    "&#8248;</span>", other, other == 1 ? "" : "s",
					is_a ? "inserted in b" : "deleted from a");
			}
			at = ee;
		}
		esc(fp, d->text + at, e - at);
		fputs("</mark>", fp);
		at = e;
	}
	esc(fp, d->text + at, d->text_len - at);
	fputs("</div>", fp);
}

static void doc_meta(FILE *fp, const rp_doc_info *d)
{
	fputs("<p><b>", fp);
	escs(fp, d->title ? d->title : d->id);
	fputs("</b><br><span class=\"meta\">", fp);
	escs(fp, d->id);
	if (d->outlet) {
		fputs(" &middot; ", fp);
		escs(fp, d->outlet);
	}
	if (d->date) {
		fputs(" &middot; ", fp);
		escs(fp, d->date);
	}
	fputs("</span></p>", fp);
}

int rp_report_html_pair(const rp_sink *sink, const rp_result *r, size_t i)
{
	FILE *fp;
	RETURN_ERROR_IF(!r || i >= r->npairs, RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	const rp_corpus *c = r->corpus;
	const rp_pair *p = &rp_result_pairs(r)[i];
	rp_doc_info da, db;
	const rp_passage *ps;
	const rp_edit *ed;
	size_t np, ne;
	rp_corpus_doc(&da, c, p->a);
	rp_corpus_doc(&db, c, p->b);
	rp_result_passages(&ps, &np, r, i);
	rp_result_edits(&ed, &ne, r, i);

	char title[512];
	snprintf(title, sizeof(title), "%s / %s", da.id, db.id);
	head(fp, title);
	fputs("<p><a href=\"index.html\">&larr; all clusters</a></p><h1>", fp);
	escs(fp, title);
	fprintf(fp, "</h1><table>"
		    "<tr><th>relation</th><td>%s</td></tr>"
		    "<tr><th>likely source</th><td>%s</td></tr>"
		    "<tr><th>Jaccard</th><td class=\"num\">%.6f</td></tr>"
		    "<tr><th>a in b</th><td class=\"num\">%.6f</td></tr>"
		    "<tr><th>b in a</th><td class=\"num\">%.6f</td></tr>"
		    "<tr><th>shared words</th><td class=\"num\">%zu</td></tr>"
		    "<tr><th>passages</th><td class=\"num\">%zu</td></tr></table>\n",
		rp_relation_name(p->relation), p->source < 0 ? "unknown" : p->source == 0 ? "a (left)" : "b (right)",
		p->jaccard, p->containment_a, p->containment_b, p->shared_words,
		np);
	fputs("<p class=\"legend\"><span><mark class=\"reused\">reused passage</mark></span>"
	      "<span><del>deleted or replaced in b</del></span>"
	      "<span><ins>inserted or replacing in b</ins></span></p>\n", fp);
	fputs("<div class=\"cols\"><div>", fp);
	doc_meta(fp, &da);
	marked_text(fp, &da, ps, np, ed, 1);
	fputs("</div><div>", fp);
	doc_meta(fp, &db);
	marked_text(fp, &db, ps, np, ed, 0);
	fputs("</div></div>\n</body></html>\n", fp);
	return rp_report_close(fp, RP_OK);
}

int rp_report_html_index(const rp_sink *sink, const rp_result *r)
{
	FILE *fp;
	RETURN_ERROR_IF(!r, RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	const rp_corpus *c = r->corpus;
	rp_scan_stats st;
	rp_result_stats(&st, r);
	head(fp, "reprint report");
	fprintf(fp, "<h1>reprint report</h1><p>%zu documents, %zu pairs, %zu "
		    "clusters of two or more.</p>\n<h2>Clusters</h2>\n",
		st.documents, st.pairs, st.clusters);
	size_t num = 0;
	for (size_t k = 0; k < rp_result_cluster_count(r); k++) {
		rp_cluster cl;
		rp_result_cluster(&cl, r, k);
		if (cl.count < 2)
			continue;
		fprintf(fp, "<h3>Cluster %zu (%zu documents)</h3><table class=\"cluster\">"
			    "<tr><th>id</th><th>outlet</th><th>date</th><th>title</th>"
			    "<th>relation to the first</th><th>Jaccard</th><th></th></tr>\n",
			++num, cl.count);
		for (size_t m = 0; m < cl.count; m++) {
			rp_doc_info d;
			rp_corpus_doc(&d, c, cl.members[m]);
			fputs("<tr><td>", fp);
			escs(fp, d.id);
			fputs("</td><td>", fp);
			escs(fp, d.outlet);
			fputs("</td><td>", fp);
			escs(fp, d.date);
			fputs("</td><td>", fp);
			escs(fp, d.title);
			fputs("</td>", fp);
			size_t pi = m ? rp_result_find_pair(r, cl.representative, cl.members[m])
				      : SIZE_MAX;
			if (pi == SIZE_MAX) {
				fputs(m ? "<td></td><td></td><td></td>"
					: "<td>representative</td><td></td><td></td>", fp);
			} else {
				const rp_pair *p = &rp_result_pairs(r)[pi];
				fprintf(fp, "<td>%s</td><td class=\"num\">%.3f</td>"
					    "<td><a href=\"pair-%zu.html\">compare</a></td>",
					rp_relation_name(p->relation), p->jaccard, pi + 1);
			}
			fputs("</tr>\n", fp);
		}
		fputs("</table>\n", fp);
	}
	fputs("<h2>All pairs</h2><table><tr><th>a</th><th>b</th><th>relation</th>"
	      "<th>source</th><th>Jaccard</th><th>a in b</th><th>b in a</th><th></th></tr>\n",
	      fp);
	const rp_pair *p = rp_result_pairs(r);
	for (size_t i = 0; i < rp_result_pair_count(r); i++) {
		rp_doc_info da, db;
		rp_corpus_doc(&da, c, p[i].a);
		rp_corpus_doc(&db, c, p[i].b);
		fputs("<tr><td>", fp);
		escs(fp, da.id);
		fputs("</td><td>", fp);
		escs(fp, db.id);
		fprintf(fp, "</td><td>%s</td><td>%s</td><td class=\"num\">%.3f</td>"
			    "<td class=\"num\">%.3f</td><td class=\"num\">%.3f</td>"
			    "<td><a href=\"pair-%zu.html\">compare</a></td></tr>\n",
			rp_relation_name(p[i].relation), rp_source_name(p[i].source),
			p[i].jaccard, p[i].containment_a, p[i].containment_b, i + 1);
	}
	fputs("</table>\n</body></html>\n", fp);
	return rp_report_close(fp, RP_OK);
}
