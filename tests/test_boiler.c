/* Tests of boiler.c: datelines, credits, learned site chrome. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "boiler.h"

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
			      "(Corrects figure in paragraph 1)", "Share" };
	const char *no[] = { "The minister said the plan was ready.",
			     "Sources said the talks failed.",
			     "Reporters were told to leave." };
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
		docs[i] = (rp_boiler_doc){ pages[i], strlen(pages[i]), 0 };
	}
	/* A page of another outlet with the same chrome words once. */
	snprintf(pages[4], sizeof(pages[4]), "Other outlet story.\nShare\n");
	docs[4] = (rp_boiler_doc){ pages[4], strlen(pages[4]), 1 };
	rp_boiler b;
	cr_assert_eq(rp_boiler_find(&b, docs, 5, 3, 1, 1, 2), RP_OK);
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
		docs[i] = (rp_boiler_doc){ story, strlen(story), 0 };
	rp_boiler b;
	cr_assert_eq(rp_boiler_find(&b, docs, 3, 3, 1, 0, 1), RP_OK);
	/* The story's lines are all of each page: they stay text, and only
	 * the "Share" line (chrome by its layout) is left out. */
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(b.off[i + 1] - b.off[i], 1);
		cr_assert_eq(strncmp(story + b.spans[b.off[i]].start, "Share\n", 6), 0);
	}
	rp_boiler_free(&b);
}
