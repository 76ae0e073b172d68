/* Tests of boiler.c: datelines, credits, learned site chrome. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "boiler.h"
#include "corpus.h"
#include "scalar_layout.h"
#include "spool.h"
#include "testutil.h"
#include "reprint.h"

static size_t dl(const char *s)
{
	return rp_dateline_len(s, strlen(s));
}

Test(boiler, datelines_of_several_agencies)
{
	cr_assert_eq(dl("VILNIUS (BNS) - The president said"), strlen("VILNIUS (BNS) - "));
	cr_assert_eq(dl("KLAIPEDA (Baltic Wire) \xe2\x80\x93 The port"), strlen("KLAIPEDA (Baltic Wire) \xe2\x80\x93 "));
	cr_assert_eq(dl("WASHINGTON, Nov 28 (Reuters) - The Fed"), strlen("WASHINGTON, Nov 28 (Reuters) - "));
	cr_assert_eq(dl("(AP) \xe2\x80\x94 Officials said"), strlen("(AP) \xe2\x80\x94 "));
	cr_assert_eq(dl("BERLIN -- Chancellor"), strlen("BERLIN -- "));
	cr_assert_eq(dl("KLAIP\xc4\x96" "DA (ELTA) - Uostas"), strlen("KLAIP\xc4\x96" "DA (ELTA) - "));
}

Test(boiler, ordinary_sentences_are_not_datelines)
{
	cr_assert_eq(dl("The president (who spoke) - said nothing"), 0);
	cr_assert_eq(dl("It was a long day - and then"), 0);
	cr_assert_eq(dl("NATO won't trade security for help"), 0);
	cr_assert_eq(dl(""), 0);
	cr_assert_eq(dl("A B C D E F G H I J K - too many words"), 0);
}

Test(boiler, credit_and_notice_lines)
{
	const char *yes[] = { "Reporting by Jane Roe; Editing by John Doe",
			      "(Additional reporting by X)", "(c) 2026 Baltic Wire",
			      "\xc2\xa9 Copyright 2026", "Reuter", "REUTER",
			      "Share this article", "Quelle: dpa", "Fuente: EFE",
			      "(Corrects figure in paragraph 1)", "Share",
			      "This article was originally published by Reuters "
			      "and is republished here with permission.",
			      "This article originally appeared in The Daily "
			      "Post. Republished with permission.",
			      "This article is republished from The "
			      "Conversation under a Creative Commons license." };
	const char *no[] = { "The minister said the plan was ready.",
			     "Sources said the talks failed.",
			     "Reporters were told to leave.",
			     "The article was published in March.",
			     ("Originally published in 1851, the novel sold "
			      "poorly.") };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		cr_assert(rp_is_credit_line(yes[i], strlen(yes[i])), "'%s'", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert(!rp_is_credit_line(no[i], strlen(no[i])), "'%s'", no[i]);
}

/* Four pages of one outlet: chrome lines on each, different stories. */
Test(boiler, chrome_is_learned_per_outlet_and_left_out)
{
	char pages[5][1024];
	rp_boiler_doc docs[5];
	for (int i = 0; i < 4; i++) {
		snprintf(pages[i], sizeof(pages[i]),
			 "Story number %d is about topic %d and nothing else at all, "
			 "with enough words to be most of the page.\n"
			 "It goes on for a second paragraph about matter %d, which "
			 "is long as well and says a lot.\n"
			 "Related Post\nShare\nRecent Posts\n"
			 "Another headline from this site\n3 days ago\n", i, i * 7, i * 3);
		docs[i] = (rp_boiler_doc){ pages[i], strlen(pages[i]), 0, 0 + 1, NULL };
	}
	/* A page of another outlet with the same chrome words once. */
	snprintf(pages[4], sizeof(pages[4]), "Other outlet story.\nShare\n");
	docs[4] = (rp_boiler_doc){ pages[4], strlen(pages[4]), 1, 1 + 1, NULL };
	rp_boiler b;
	cr_assert_eq(rp_boiler_find(&b, docs, 5, 3, 1, 1, 2, NULL, NULL, NULL, NULL), RP_OK);
	cr_assert_eq(b.chrome_lines, 5, "five chrome lines of outlet 0");
	cr_assert_eq(b.docs_stripped, 5, "four pages, and the other outlet's Share");
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(b.off[i + 1] - b.off[i], 5, "the five chrome lines");
		const rp_span *s = &b.spans[b.off[i]];
		cr_assert_eq(strncmp(pages[i] + s->start, "Related Post", 12), 0);
	}
	/* Outlet 1 learned no chrome; its "Share" is chrome by layout. */
	cr_assert_eq(b.off[5] - b.off[4], 1);
	cr_assert_eq(strncmp(pages[4] + b.spans[b.off[4]].start, "Share", 5), 0);
	rp_boiler_free(&b);
}

Test(boiler, a_story_repeated_by_one_outlet_is_not_chrome)
{
	const char *story = "The whole story paragraph one.\nParagraph two of it.\n"
			    "Paragraph three, the last one.\nShare\n";
	rp_boiler_doc docs[3];
	for (int i = 0; i < 3; i++)
		docs[i] = (rp_boiler_doc){ story, strlen(story), 0, 0 + 1, NULL };
	rp_boiler b;
	cr_assert_eq(rp_boiler_find(&b, docs, 3, 3, 1, 0, 1, NULL, NULL, NULL, NULL), RP_OK);
	/* The story's lines are all of each page: they stay text, and only
	 * the "Share" line (chrome by its layout) is left out. */
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(b.off[i + 1] - b.off[i], 1);
		cr_assert_eq(strncmp(story + b.spans[b.off[i]].start, "Share\n", 6), 0);
	}
	rp_boiler_free(&b);
}

/* The lines of text that rp_layout_spans leaves out, joined by '|'. */
static void layout_lines(char *out, size_t cap, const char *text)
{
	rp_span *sp = NULL;
	size_t n = 0, c = 0;
	rp_layout_scratch sc = { NULL, 0, 0 };
	cr_assert_eq(rp_layout_spans(&sp, &n, &c, text, strlen(text), 1, 1, &sc), RP_OK);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, cap - len, "%s%.*s", i ? "|" : "",
			 (int)(sp[i].end - sp[i].start), text + sp[i].start);
	}
	free(sp);
	free(sc.lines);
}

Test(boiler, relative_times_in_six_languages)
{
	const char *yes[] = { "3 days ago", "an hour ago", "1 week ago", "yesterday",
			      "vor 2 Stunden", "vor einem Tag", "prie\xc5\xa1 3 dienas",
			      "il y a 5 jours", "hace 2 horas",
			      "3 \xd0\xb4\xd0\xbd\xd1\x8f \xd0\xbd\xd0\xb0\xd0\xb7\xd0\xb0\xd0\xb4" };
	const char *no[] = { "3 days", "days ago", "He left 3 days ago.", "vor dem Haus",
			     "hace frio" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		cr_assert(rp_is_relative_time(yes[i], strlen(yes[i])), "'%s'", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert(!rp_is_relative_time(no[i], strlen(no[i])), "'%s'", no[i]);
}

Test(boiler, sidebar_items_headings_and_notices_are_chrome_on_one_page)
{
	char got[2048];
	layout_lines(got, sizeof(got),
		"The harbour board approved the plan on Monday after a long debate about costs.\n\n"
		"Related Post\n\n"
		"The second paragraph of the story goes on about the terminal and its cranes.\n\n"
		"Share\n\nRecent Posts\n\n  \xe2\x80\xa2 Tribune\n\n"
		"Novel presented in Vilnius\n\n"
		"On the eve of the Independence Day of the Republic, on December 13,\xe2\x80\xa6\n\n"
		"3 days ago\n\n"
		"Sign up for our daily newsletter and get the top stories every morning.\n\n"
		"News | World | Business | Sport\n\n"
		"\xc2\xa9 2026 The Harbour Times. All rights reserved.\n");
	cr_assert_str_eq(got, "Related Post|Share|Recent Posts|\xe2\x80\xa2 Tribune|"
		"Novel presented in Vilnius|"
		"On the eve of the Independence Day of the Republic, on December 13,\xe2\x80\xa6|"
		"3 days ago|"
		"Sign up for our daily newsletter and get the top stories every morning.|"
		"News | World | Business | Sport|"
		"\xc2\xa9 2026 The Harbour Times. All rights reserved.");
}

Test(boiler, notice_words_inside_a_wrapped_paragraph_are_story)
{
	char got[1024];
	layout_lines(got, sizeof(got),
		"The company said it would report a gain of 2.9 mln dlrs or 89 cts per\n"
		"share on sales of 14 billion dlrs, and shareholders may subscribe\n"
		"to the new issue, the Oil World newsletter said.\n");
	cr_assert_str_eq(got, "");
	layout_lines(got, sizeof(got), "Story text ends here.\n\nLithuanian Times uses cookies to "
		     "improve your experience. Read our cookie policy.\n");
	cr_assert_str_eq(got, "Lithuanian Times uses cookies to improve your experience. "
		     "Read our cookie policy.");
}

/* Republication and reporting credits are chrome on a line of their own,
 * also after other words; the same words inside a story's paragraph (a
 * wrapped one, or one of more than 40 words) are story. */
Test(boiler, republication_credits_are_notices_on_a_line_of_their_own)
{
	char got[1024];
	layout_lines(got, sizeof(got),
		"The port handled a record tonnage in the year, the board said.\n\n"
		"Harbour Times reporters contributed to this report. This story "
		"was originally published by the Baltic Post.\n\n"
		"This article originally appeared in The Harbour Times. "
		"Republished with permission.\n");
	cr_assert_str_eq(got, "Harbour Times reporters contributed to this report. "
		"This story was originally published by the Baltic Post.|"
		"This article originally appeared in The Harbour Times. "
		"Republished with permission.");
	layout_lines(got, sizeof(got),
		"The novel, which was originally published by a small press in\n"
		"Vilnius, sold out in a week, the publisher said.\n\n"
		"The memoir was originally published in 1951 and has been out of print "
		"for decades, but a new edition with letters, photographs and an essay "
		"by the author's daughter reaches the shops next week, the publisher "
		"said on Tuesday.\n");
	cr_assert_str_eq(got, "");
}

/* An outlet whose pages share no template line (a wire archive) learns
 * nothing from recurrence: its repeated lines are stories and formulas. */
Test(boiler, an_outlet_without_a_site_template_learns_no_chrome)
{
	const char *pages[] = { "Qtly div 12 cts vs 12 cts\nPay March 31\nRecord March 16\n",
				"Qtly div 12 cts vs 12 cts\nPay March 31\nRecord March 20\n",
				"Qtly div 15 cts vs 15 cts\nPay March 31\nRecord March 16\n",
				"Another story entirely, with its own words.\n",
				"And a fifth, of other words again.\n",
				"A sixth page, unrelated to all the others.\n",
				"The seventh and last page of this outlet.\n" };
	rp_boiler_doc docs[7];
	for (int i = 0; i < 7; i++)
		docs[i] = (rp_boiler_doc){ pages[i], strlen(pages[i]), 0, 0 + 1, NULL };
	rp_boiler b;
	cr_assert_eq(rp_boiler_find(&b, docs, 7, 2, 1, 1, 1, NULL, NULL, NULL, NULL), RP_OK);
	cr_assert_eq(b.chrome_lines, 0, "no line is on half of the pages");
	cr_assert_eq(b.off[7], 0, "nothing left out");
	rp_boiler_free(&b);
}

/* A site template (header on every page) and a sidebar that a crawl
 * session put on three short pages: the sidebar is chrome there too,
 * however much of each page it is. */
Test(boiler, a_session_sidebar_is_chrome_on_short_pages)
{
	char pages[8][512];
	rp_boiler_doc docs[8];
	for (int i = 0; i < 8; i++) {
		snprintf(pages[i], sizeof(pages[i]),
			 "The Daily Site - news for everyone\n"
			 "Short story %d about topic %d.\n%s", i, i * 13,
			 i < 3 ? "Parliament passes the budget for next year after a night\n"
				 "Bakeries struggle as flour prices climb for a third month\n"
				 "Old Town festival brings street theatre back to squares\n" : "");
		docs[i] = (rp_boiler_doc){ pages[i], strlen(pages[i]), 0, 0 + 1, NULL };
	}
	rp_boiler b;
	cr_assert_eq(rp_boiler_find(&b, docs, 8, 2, 1, 1, 1, NULL, NULL, NULL, NULL), RP_OK);
	for (int i = 0; i < 8; i++) {
		/* The header and, on the session's pages, its three lines. */
		cr_assert_eq(b.off[i + 1] - b.off[i], i < 3 ? 4 : 1, "page %d", i);
		const rp_span *s = &b.spans[b.off[i]];
		cr_assert_eq(strncmp(pages[i] + s[0].start, "The Daily Site", 14), 0);
		if (i < 3)
			cr_assert_eq(strncmp(pages[i] + s[1].start, "Parliament", 10), 0);
	}
	rp_boiler_free(&b);
}

Test(boiler, capitals_before_a_dash_are_a_dateline_only_before_a_sentence)
{
	cr_assert_eq(dl("LONDON METAL INDICATIONS AT 0900 - APR 7 COPPER 875"), 0);
	cr_assert_eq(dl("JOHANNESBURG EXCHS CLOSING - APRIL 7 US 0.4920"), 0);
	cr_assert_eq(dl("BERLIN -- Chancellor"), strlen("BERLIN -- "));
}

Test(boiler, notice_phrases_in_other_languages)
{
	const char *lines[] = {
		"\xc2\xa9 2026 Vilniaus diena. Visos teis\xc4\x97s saugomos.",
		"Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.",
		"\xc2\xa9 Le Quotidien. Tous droits r\xc3\xa9serv\xc3\xa9s.",
		"Todos los derechos reservados.",
		("\xd0\x9f\xd0\xbe\xd0\xb4\xd0\xbf\xd0\xb8\xd1\x88\xd0\xb8\xd1\x82\xd0\xb5\xd1\x81\xd1\x8c "
		 "\xd0\xbd\xd0\xb0 \xd1\x80\xd0\xb0\xd1\x81\xd1\x81\xd1\x8b\xd0\xbb\xd0\xba\xd1\x83."),
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char text[512], got[512];
		snprintf(text, sizeof(text), "The story ends here.\n\n%s\n", lines[i]);
		layout_lines(got, sizeof(got), text);
		cr_assert_str_eq(got, lines[i]);
	}
}

Test(boiler, publication_time_lines)
{
	const char *yes[] = { "Updated 09:27, 01/01/2026", "Published: 04.07.2024 9:30 pm",
			      "Posted on 12.03.2024 by AFP", "Posted on 02.01.2024 by Associated Press",
			      "Last updated on 3 March 2026 at 10:02 GMT", "Updated 5:23 pm, 29 March 2024",
			      "Published: 2024-10-05 4:10 am", "Updated April 17, 1993.",
			      "Aktualisiert: 03.12.2026, 14:05 Uhr", "Atnaujinta 2026-12-05 10:47" };
	const char *no[] = { "Updated figures show a 5 pct rise", "Posted county prices in 12 southern",
			     "Published by NBME in 1990", "Published by Samuel Weiser, 1984.",
			     "Updated", "Posted on the board", "Updatedness 12:00",
			     "Updated 12:00 after the council met to discuss the new harbour budget plan" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		cr_assert(rp_is_timestamp_line(yes[i], strlen(yes[i])), "'%s'", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert(!rp_is_timestamp_line(no[i], strlen(no[i])), "'%s'", no[i]);
}

/* The same wire story in two outlets' pages whose chrome is left out but
 * for the "Updated" line: a verbatim reprint, not a template (texts that
 * differ only in figures). */
Test(boiler, a_reprint_that_differs_in_its_update_time_is_not_a_template)
{
	char story[4096];
	size_t n = 0;
	for (int i = 0; i < 120; i++)
		n += (size_t)snprintf(story + n, sizeof(story) - n, "%s%s", i ? " " : "",
				      (const char *[]){ "the", "harbour", "board", "said",
							"ferries", "would", "sail", "again",
							"after", "repairs", "to", "quay",
							"seven" }[(i * 7 + i / 13) % 13]);
	const char *outlets[] = { "The Harbour Post", "The Lake Times" };
	const char *times[] = { "Updated 09:27, 01/01/2026", "Updated 18:00, 02/01/2026" };
	rp_corpus *c = NULL;
	cr_assert_eq(rp_corpus_new(&c, NULL), RP_OK);
	for (int k = 0; k < 2; k++) {
		char text[8192], id[8];
		snprintf(text, sizeof(text), "%s\nHome | World | Business | Sport\n%s\n\n"
			 "RIGA (Wire) \xe2\x80\x93 %s.\n\nShare on Facebook | Share on X | Email",
			 outlets[k], times[k], story);
		snprintf(id, sizeof(id), "p%d", k);
		rp_doc_input in = { id, strlen(id), text, strlen(text), NULL, 0,
				    outlets[k], strlen(outlets[k]), NULL, 0, NULL, 0 };
		cr_assert_eq(rp_corpus_add(c, &in), RP_OK);
	}
	rp_result *r = NULL;
	cr_assert_eq(rp_scan(&r, c), RP_OK);
	cr_assert_eq(rp_result_pair_count(r), 1, "the reprint is reported");
	const rp_pair *p = rp_result_pairs(r);
	cr_assert(p[0].relation == RP_REL_EXACT || p[0].relation == RP_REL_NEAR_VERBATIM,
		  "%s", rp_relation_name(p[0].relation));
	rp_result_free(r);
	rp_corpus_free(c);
}

/* Random words, n of them, ending with a full stop when sentence. */
static size_t words(char *out, size_t cap, uint64_t *rng, int n, int sentence)
{
	static const char *w[] = { "port", "minister", "budget", "council",
				   "river", "strike", "market", "school", "bridge",
				   "festival", "court", "harbour", "union", "price" };
	size_t len = 0;
	for (int i = 0; i < n && len + 16 < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s%u", i ? " " : "",
					w[tu_rand(rng) % 14], (unsigned)(tu_rand(rng) % 1000));
	len += (size_t)snprintf(out + len, cap - len, "%s\n", sentence ? "." : "");
	return len;
}

/*
 * Under a memory bound the lines on one page are let go after a first
 * sweep (line_filter): the spans, the chrome lines and the counters must
 * be those of the whole table. Three templated outlets (a header on every
 * page, sidebar headlines from a pool of twelve, a story run again on four
 * pages: on two it is the page's body, on two it is less than the page's
 * own story, which only the let-go lines' bytes tell), an outlet without
 * a template, pages without an outlet, a line twice on one page, layout
 * chrome. The texts read twice, or the lines written to a temporary file
 * and read back, or the pages' facts found as a reader finds them and
 * kept (held, or through the file); on one thread and on two.
 */
/* The same spans, chrome lines and counters (not lines_let_go). */
static void same_boiler(const rp_boiler *a, const rp_boiler *b, size_t np)
{
	cr_assert_eq(a->chrome_lines, b->chrome_lines);
	cr_assert_eq(a->docs_stripped, b->docs_stripped);
	cr_assert_eq(a->bytes_excluded, b->bytes_excluded);
	cr_assert_eq(a->nlines, b->nlines);
	cr_assert_eq(memcmp(a->lines, b->lines, b->nlines * sizeof(*b->lines)), 0);
	cr_assert_eq(memcmp(a->off, b->off, (np + 1) * sizeof(*b->off)), 0);
	cr_assert_eq(memcmp(a->spans, b->spans, b->off[np] * sizeof(*b->spans)), 0);
}

Test(boiler, lines_let_go_under_a_bound_change_nothing)
{
	enum { NP = 640, CAP = 4096 };
	char(*pages)[CAP] = malloc(sizeof(*pages) * NP);
	rp_boiler_doc *docs = malloc(sizeof(*docs) * NP);
	cr_assert(pages && docs);
	uint64_t rng = 77;
	static const char *const names[4] = { "Site 0", "Site 1", "Site 2",
					      "No template" };
	char rerun[3][512];
	for (int o = 0; o < 3; o++)
		words(rerun[o], sizeof(rerun[o]), &rng, 20, 1);
	for (int d = 0; d < NP; d++) {
		char *p = pages[d];
		size_t len = 0;
		uint32_t ot = d < 600 ? (uint32_t)(d % 4) : UINT32_MAX;
		if (ot < 3) {
			len += (size_t)snprintf(p + len, CAP - len,
						"Site %u - the daily news\n", ot);
			for (int k = 0; k < 3; k++)
				len += (size_t)snprintf(p + len, CAP - len,
							"Sidebar headline %u of site %u\n",
							(unsigned)(tu_rand(&rng) % 12), ot);
		}
		int slot = d / 4; /* the outlet's page number */
		int body = ot < 3 && slot < 2, mixed = ot < 3 && slot >= 2 && slot < 4;
		if (body || mixed)
			len += (size_t)snprintf(p + len, CAP - len, "%s", rerun[ot]);
		int own = body ? 1 : mixed ? 9 : 2 + (int)(tu_rand(&rng) % 6);
		for (int k = 0; k < own; k++)
			len += words(p + len, CAP - len, &rng, 8 + (int)(tu_rand(&rng) % 10), 1);
		if (d % 7 == 0) /* one line twice on a page */
			len += (size_t)snprintf(p + len, CAP - len, "Echo %d.\nEcho %d.\n", d, d);
		len += (size_t)snprintf(p + len, CAP - len, "Share\n3 days ago\n");
		docs[d] = (rp_boiler_doc){ p, len, ot,
					   ot < 4 ? rp_outlet_salt(names[ot]) : 0,
					   NULL };
	}
	rp_corpus *bound;
	cr_assert_eq(rp_corpus_new(&bound, NULL), RP_OK);
	cr_assert_eq(rp_corpus_set_memory(bound, 4096, NULL), RP_OK);
	rp_tmpfile *tf;
	char why[512];
	cr_assert_eq(rp_tmpfile_open(&tf, NULL, why, sizeof(why)), RP_OK, "%s", why);
	/* Texts read twice (no file), then lines through the file. */
	for (unsigned run = 0; run < 4; run++) {
		unsigned threads = 1 + run % 2;
		rp_tmpfile *through = run >= 2 ? tf : NULL;
		uint64_t before = tf->at;
		rp_boiler whole, let;
		cr_assert_eq(rp_boiler_find(&whole, docs, NP, 2, 1, 1, threads, NULL, NULL, NULL, NULL), RP_OK);
		cr_assert_eq(rp_boiler_find(&let, docs, NP, 2, 1, 1, threads, NULL, bound, through, NULL), RP_OK);
		cr_assert_eq(tf->at > before, through != NULL, "lines written to the file");
		cr_assert_eq(whole.lines_let_go, 0);
		cr_assert_gt(let.lines_let_go, 1000, "most story lines are let go");
		cr_assert_gt(whole.chrome_lines, 36, "headers and sidebars learned");
		same_boiler(&let, &whole, NP);
		/* The pages' facts found as a reader finds them and kept:
		 * every line held (no bound), or past a quarter of the bound
		 * written to the bound corpus's file and marked from there. */
		for (int kept_bound = 0; kept_bound < 2; kept_bound++) {
			rp_corpus *kc = kept_bound ? bound : NULL;
			rp_boiler_pages pg = { .on = 1 };
			rp_page_facts_buf fb = { 0 };
			for (int d = 0; d < NP; d++) {
				rp_page_facts f;
				const char *name = docs[d].outlet < 4 ? names[docs[d].outlet] : NULL;
				rp_page_facts_buf_reset(&fb);
				cr_assert_eq(rp_page_facts_find(&fb, &f, docs[d].text, docs[d].len,
								name, name ? strlen(name) : 0), RP_OK);
				cr_assert(f.found);
				cr_assert_eq(rp_boiler_pages_add(&pg, kc, &fb, &f, name != NULL), RP_OK);
			}
			cr_assert_eq(pg.nch > 0, kept_bound, "lines past the bound written");
			rp_boiler kept;
			cr_assert_eq(rp_boiler_find(&kept, docs, NP, 2, 1, 1, threads, NULL, kc,
						    NULL, &pg), RP_OK);
			cr_assert_eq(pg.on, 0, "the pages are taken");
			cr_assert_null(pg.loff);
			if (kept_bound)
				cr_assert_gt(kept.lines_let_go, 1000);
			else
				cr_assert_eq(kept.lines_let_go, 0);
			same_boiler(&kept, &whole, NP);
			rp_boiler_free(&kept);
			rp_page_facts_buf_free(&fb);
		}
		/* The rerun story: text where it is the body, chrome where the
		 * page's own story is longer. */
		for (int d = 0; d < 16; d++) {
			if (d % 4 == 3)
				continue;
			const char *at = strstr(pages[d], rerun[d % 4]);
			cr_assert(at);
			size_t start = (size_t)(at - pages[d]);
			int left_out = 0;
			for (size_t s = whole.off[d]; s < whole.off[d + 1]; s++)
				left_out |= whole.spans[s].start <= start && whole.spans[s].end > start;
			cr_assert_eq(left_out, d >= 8, "page %d", d);
		}
		rp_boiler_free(&whole);
		rp_boiler_free(&let);
	}
	rp_tmpfile_close(tf);
	rp_corpus_free(bound);
	free(pages);
	free(docs);
}

/* Layout rules count a line's words and look for notice phrases sixteen
 * bytes at a time; built without that (scalar_layout.c) they must mark
 * the same lines. Pages of 1-30 lines from pieces: notice phrases, words,
 * spaces and tabs and control spaces, '(' before a phrase, headings,
 * times, bullets, long and short lines, lines of exactly 16 and 32
 * bytes. */
Test(boiler, layout_rules_are_the_same_sixteen_bytes_at_a_time)
{
	static const char *parts[] = {
		"Share on Facebook", "share via email", "(privacy policy)",
		"All rights reserved", "Subscribe now", "follow us on",
		"the", "minister", "said", "on Tuesday.", "\t", "  ", "\v",
		"\f", "\r", "Recent Posts", "3 days ago", "\xe2\x80\xa2 Politics",
		"Read also: more", "News | World | Sport", "1.", "...",
		"\xe2\x80\xa6", "Updated 09:27, 01/01/2026", "(", "word(",
		"0123456789abcdef", "abcdefghijklmnopqrstuvwxyz012345",
		"use cookies", "our newsletter", "\xd0\x9f\xd0\xbe\xd0\xb4\xd0\xbf\xd0\xb8\xd1\x88\xd0\xb8\xd1\x82\xd0\xb5\xd1\x81\xd1\x8c",
	};
	size_t np = sizeof(parts) / sizeof(parts[0]);
	char text[8192];
	rp_span *a = NULL, *b = NULL;
	size_t na, nb, capa = 0, capb = 0;
	rp_layout_scratch sa, sb;
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	uint64_t st = 5;
	size_t marked = 0;
	for (int round = 0; round < 3000; round++) {
		size_t len = 0, lines = 1 + tu_rand(&st) % 30;
		for (size_t l = 0; l < lines; l++) {
			size_t n = tu_rand(&st) % 3 ? 1 + tu_rand(&st) % 12
						    : 20 + tu_rand(&st) % 50;
			for (size_t x = 0; x < n && len < sizeof(text) - 80; x++) {
				const char *p = parts[tu_rand(&st) % np];
				size_t pl = strlen(p);
				memcpy(text + len, p, pl);
				len += pl;
				if (tu_rand(&st) % 4)
					text[len++] = ' ';
			}
			text[len++] = '\n';
			if (tu_rand(&st) % 3 == 0)
				text[len++] = '\n';
		}
		int layout = round % 4 != 3, notices = round % 2;
		na = nb = 0;
		cr_assert_eq(rp_layout_spans(&a, &na, &capa, text, len, layout,
					     notices, &sa), RP_OK);
		cr_assert_eq(rp_scalar_layout_spans(&b, &nb, &capb, text, len,
						    layout, notices, &sb), RP_OK);
		cr_assert_eq(na, nb, "round %d: %zu lines, scalar %zu", round,
			     na, nb);
		for (size_t k = 0; k < na; k++)
			cr_assert(a[k].start == b[k].start && a[k].end == b[k].end,
				  "round %d: span %zu differs", round, k);
		marked += na;
	}
	cr_assert_gt(marked, 3000, "lines were marked: %zu", marked);
	free(a);
	free(b);
	free(sa.lines);
	free(sb.lines);
}

/* Read samples/ (text files: their facts found as each is added) and a
 * generated JSONL of three chromed outlets (facts found by the threads
 * that parse it) into c. */
static void read_facts_inputs(rp_corpus *c, const char *jsonl)
{
	const char *samples = getenv("REPRINT_SAMPLES");
	cr_assert_not_null(samples);
	cr_assert_eq(rp_corpus_read_path(c, samples, NULL), RP_OK);
	cr_assert_eq(rp_corpus_read_path(c, jsonl, NULL), RP_OK);
}

/*
 * Chrome learned from the facts a reader found while it had each text
 * (rp_boiler_pages) is the chrome learned by reading every text again:
 * the same spans, chrome lines and pairs, with no bound and under a bound
 * that sends the texts to the spool and the lines past a quarter of it to
 * the temporary file.
 */
Test(boiler, facts_found_while_reading_learn_what_the_texts_learn)
{
	enum { NDOC = 900, CAP = 4096 };
	uint64_t rng = 5;
	char story[6][1024];
	for (int s = 0; s < 6; s++) {
		size_t n = 0;
		for (int k = 0; k < 4; k++)
			n += words(story[s] + n, sizeof(story[s]) - n, &rng, 14, 1);
	}
	size_t cap = (size_t)NDOC * CAP * 2, len = 0;
	char *data = malloc(cap);
	cr_assert_not_null(data);
	for (int d = 0; d < NDOC; d++) {
		char page[CAP];
		size_t n = 0;
		unsigned ot = (unsigned)d % 3;
		n += (size_t)snprintf(page + n, CAP - n, "Site %u - the daily news\\n", ot);
		for (int k = 0; k < 3; k++)
			n += (size_t)snprintf(page + n, CAP - n, "Sidebar headline %u of site %u\\n",
					      (unsigned)(tu_rand(&rng) % 12), ot);
		if (d % 50 < 6) { /* a story several outlets carry */
			const char *s = story[d % 50];
			for (const char *q = s; *q; q++) {
				if (*q == '\n') {
					page[n++] = '\\';
					page[n++] = 'n';
				} else {
					page[n++] = *q;
				}
			}
		}
		char para[512];
		for (int k = 0; k < 3; k++) {
			size_t m = words(para, sizeof(para), &rng, 10 + (int)(tu_rand(&rng) % 10), 1);
			para[m - 1] = '\0'; /* (the newline) */
			n += (size_t)snprintf(page + n, CAP - n, "%s\\n", para);
		}
		n += (size_t)snprintf(page + n, CAP - n, "Share\\n3 days ago");
		page[n] = '\0';
		len += (size_t)snprintf(data + len, cap - len,
					"{\"id\":\"g%d\",\"outlet\":\"site%u\",\"text\":\"%s\"}\n",
					d, ot, page);
	}
	char *jsonl = tu_write_temp(data, len);
	free(data);
	rp_options o = RP_OPTIONS_INIT;
	o.threads = 2;
	for (int bounded = 0; bounded < 2; bounded++) {
		rp_corpus *kept, *texts;
		cr_assert_eq(rp_corpus_new(&kept, &o), RP_OK);
		cr_assert_eq(rp_corpus_new(&texts, &o), RP_OK);
		texts->pages.on = 0; /* chrome learned by reading the texts */
		if (bounded) {
			cr_assert_eq(rp_corpus_set_memory(kept, (size_t)1 << 20, NULL), RP_OK);
			cr_assert_eq(rp_corpus_set_memory(texts, (size_t)1 << 20, NULL), RP_OK);
		}
		read_facts_inputs(kept, jsonl);
		read_facts_inputs(texts, jsonl);
		cr_assert_gt(kept->ndocs, NDOC);
		cr_assert(kept->pages.on, "every page has its facts");
		cr_assert_eq(kept->pages.ndocs, kept->ndocs);
		cr_assert_eq(texts->pages.ndocs, 0);
		cr_assert_eq(kept->pages.nch > 0, bounded, "lines written past the bound");
		cr_assert_eq(kept->spool != NULL, bounded, "texts in the spool");
		rp_result *rk, *rt;
		cr_assert_eq(rp_scan(&rk, kept), RP_OK);
		cr_assert_eq(rp_scan(&rt, texts), RP_OK);
		cr_assert_eq(kept->pages.on, 0, "the facts are taken");
		const rp_boiler *bk = &kept->an->boil, *bt = &texts->an->boil;
		cr_assert_gt(bt->chrome_lines, 30, "headers and sidebars learned");
		cr_assert_gt(bt->docs_stripped, NDOC);
		same_boiler(bk, bt, kept->ndocs);
		size_t np = rp_result_pair_count(rk);
		cr_assert_gt(np, 100, "the stories the outlets share");
		cr_assert_eq(rp_result_pair_count(rt), np);
		const rp_pair *pk = rp_result_pairs(rk), *pt = rp_result_pairs(rt);
		for (size_t i = 0; i < np; i++) {
			cr_assert_eq(pk[i].a, pt[i].a);
			cr_assert_eq(pk[i].b, pt[i].b);
			cr_assert_eq(pk[i].shared, pt[i].shared);
			cr_assert_eq(pk[i].relation, pt[i].relation);
		}
		rp_result_free(rk);
		rp_result_free(rt);
		rp_corpus_free(kept);
		rp_corpus_free(texts);
	}
	unlink(jsonl);
	free(jsonl);
}
