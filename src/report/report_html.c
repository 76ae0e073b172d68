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
	".chrome{color:#999;background:#f0f0f0}.chrome::before{content:attr(data-label);"
	"font-size:.7em;color:#777;border:1px solid #ccc;border-radius:3px;padding:0 .3em;"
	"margin-right:.3em}.guess{color:#8a5a00}.nav a{margin-right:1em}"
	"svg text{font:11px system-ui,sans-serif;fill:#444}"
	".mark{fill:#3465a4}.mark.first{fill:#c00}.mark.undated{fill:#999}"
	"ins{background:#c9f2c9;color:#005a00;text-decoration:underline}"
	".gap{color:#c00;font-weight:bold}.meta{color:#555}"
	".legend span{padding:0 .4em;margin-right:1em}";

void rp_html_esc(FILE *fp, const char *s, size_t n)
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

void rp_html_escs(FILE *fp, const char *s)
{
	if (s)
		rp_html_esc(fp, s, strlen(s));
}

void rp_html_head(FILE *fp, const char *title)
{
	/* The policy forbids every fetch: a page reads nothing but itself. */
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	      "'none'; style-src 'unsafe-inline'\">"
	      "<meta name=\"viewport\" content=\"width=device-width\"><title>", fp);
	rp_html_escs(fp, title);
	fprintf(fp, "</title><style>%s</style></head><body>\n", css);
}

/* One original with its passages and edits marked. */
/* Text [from, to) escaped, the parts of it left out of the comparison
 * (chrome, datelines, credits: ex[0..2 nex) as start, end pairs) dimmed
 * and labelled. */
static void text_run(FILE *fp, const char *text, size_t from, size_t to,
		     const uint32_t *ex, size_t nex)
{
	size_t at = from;
	for (size_t k = 0; k < nex && at < to; k++) {
		size_t s = ex[2 * k], e = ex[2 * k + 1];
		if (e <= at || s >= to)
			continue;
		s = RP_MAX(s, at);
		e = RP_MIN(e, to);
		rp_html_esc(fp, text + at, s - at);
		fputs("<span class=\"chrome\" data-label=\"not the story\" "
		      "title=\"left out of the comparison: site chrome, a dateline "
		      "or a credit\">", fp);
		rp_html_esc(fp, text + s, e - s);
		fputs("</span>", fp);
		at = e;
	}
	if (at < to)
		rp_html_esc(fp, text + at, to - at);
}

static void marked_text(FILE *fp, const rp_doc_info *d, const rp_passage *ps,
			size_t np, const rp_edit *ed, int is_a,
			const uint32_t *ex, size_t nex)
{
	size_t at = 0;
	fputs("<div class=\"doc\">", fp);
	for (size_t k = 0; k < np; k++) {
		size_t s = is_a ? ps[k].a_start : ps[k].b_start;
		size_t e = is_a ? ps[k].a_end : ps[k].b_end;
		if (s < at || e > d->text_len)
			continue; /* overlapping passage (repeated text) */
		text_run(fp, d->text, at, s, ex, nex);
		fprintf(fp, "<mark class=\"reused\" id=\"%c%zu\" data-passage=\"%zu\">",
			is_a ? 'a' : 'b', k + 1, k + 1);
		at = s;
		for (size_t x = 0; x < ps[k].edit_count; x++) {
			const rp_edit *ed1 = &ed[ps[k].first_edit + x];
			size_t es = is_a ? ed1->a_start : ed1->b_start;
			size_t ee = is_a ? ed1->a_end : ed1->b_end;
			size_t other = is_a ? ed1->words_b : ed1->words_a;
			if (es < at || ee > e)
				continue;
			text_run(fp, d->text, at, es, ex, nex);
			if (ee > es) {
				fputs(is_a ? "<del>" : "<ins>", fp);
				text_run(fp, d->text, es, ee, ex, nex);
				fputs(is_a ? "</del>" : "</ins>", fp);
			} else if (other) {
				fprintf(fp, "<span class=\"gap\" title=\"%zu word%s %s\">"
					    "&#8248;</span>", other, other == 1 ? "" : "s",
					is_a ? "inserted in b" : "deleted from a");
			}
			at = ee;
		}
		text_run(fp, d->text, at, e, ex, nex);
		fputs("</mark>", fp);
		at = e;
	}
	text_run(fp, d->text, at, d->text_len, ex, nex);
	fputs("</div>", fp);
}

static void doc_meta(FILE *fp, const rp_doc_info *d)
{
	fputs("<p><b>", fp);
	rp_html_escs(fp, d->title ? d->title : d->id);
	fputs("</b><br><span class=\"meta\">", fp);
	rp_html_escs(fp, d->id);
	if (d->outlet) {
		fputs(" &middot; ", fp);
		rp_html_escs(fp, d->outlet);
	}
	if (d->date) {
		fputs(" &middot; ", fp);
		rp_html_escs(fp, d->date);
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
	rp_html_head(fp, title);
	fputs("<p><a href=\"index.html\">&larr; all clusters</a></p><h1>", fp);
	rp_html_escs(fp, title);
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
	      "<span class=\"chrome\" data-label=\"not the story\">site chrome, "
	      "datelines, credits</span>"
	      "<span><del>deleted or replaced in b</del></span>"
	      "<span><ins>inserted or replacing in b</ins></span></p>\n", fp);
	fputs("<div class=\"cols\"><div>", fp);
	doc_meta(fp, &da);
	const uint32_t *exa, *exb;
	size_t nexa, nexb;
	rp_result_excluded(&exa, &nexa, r, p->a);
	rp_result_excluded(&exb, &nexb, r, p->b);
	marked_text(fp, &da, ps, np, ed, 1, exa, nexa);
	fputs("</div><div>", fp);
	doc_meta(fp, &db);
	marked_text(fp, &db, ps, np, ed, 0, exb, nexb);
	fputs("</div></div>\n</body></html>\n", fp);
	return rp_report_close(fp, RP_OK);
}

