/* Tests of date.c: the formats news collections use. */
#include <criterion/criterion.h>
#include <string.h>

#include "date.h"

static int64_t parse(const char *s)
{
	int64_t t = -1;
	cr_assert_eq(rp_parse_date(&t, s, strlen(s)), RP_OK, "'%s' must parse", s);
	return t;
}

Test(date, iso8601_forms)
{
	cr_assert_eq(parse("1970-01-01"), 0);
	cr_assert_eq(parse("2026-11-28T09:15:00Z"), 1795857300);
	cr_assert_eq(parse("2026-11-28 09:15"), 1795857300);
	cr_assert_eq(parse("2026-11-28T11:15:00+02:00"), 1795857300);
	cr_assert_eq(parse("2026-11-28T04:15:00.123-0500"), 1795857300);
}

Test(date, rfc2822_forms)
{
	cr_assert_eq(parse("Sat, 28 Nov 2026 09:15:00 +0000"), 1795857300);
	cr_assert_eq(parse("28 Nov 2026 09:15:00 GMT"), 1795857300);
	cr_assert_eq(parse("Sat, 28 Nov 2026 04:15:00 EST"), 1795857300);
}

Test(date, reuters_form)
{
	cr_assert_eq(parse("26-FEB-1987 15:01:01.79"), 541350061);
	cr_assert_eq(parse(" 5-MAR-1987 09:00:00.00 "), 541933200);
}

Test(date, garbage_and_impossible_dates_are_refused)
{
	int64_t t;
	const char *bad[] = { "", "yesterday", "2026-02-30", "2026-13-01",
			      "2026-11-28T25:00", "31-FOO-1987", "2026-11-28 junk" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(rp_parse_date(&t, bad[i], strlen(bad[i])), RP_EINVAL,
			     "'%s' must be refused", bad[i]);
}

/* The forms news pages print (issue 14): written-out months in English,
 * German and Lithuanian, day-first dotted dates, 12-hour times. */
Test(date, written_out_and_dotted_forms)
{
	int64_t dec1 = parse("2015-12-01 14:15");
	cr_assert_eq(parse("December 1, 2015 2:15 PM"), dec1);
	cr_assert_eq(parse("Dec. 1, 2015, 2:15 p.m."), dec1);
	cr_assert_eq(parse("December 1, 2015 at 2:15 PM UTC"), dec1);
	cr_assert_eq(parse("01.12.2015 14:15"), dec1);
	cr_assert_eq(parse("1.12.2015 14:15"), dec1);
	cr_assert_eq(parse("1. Dezember 2015 14:15"), dec1);
	cr_assert_eq(parse("1. Dezember 2015, 14:15 Uhr"), dec1);
	cr_assert_eq(parse("1 December 2015 14:15"), dec1);
	cr_assert_eq(parse("2015 m. gruodžio 1 d. 14:15"), dec1);
	cr_assert_eq(parse("1 gruodžio 2015 14:15"), dec1);
	cr_assert_eq(parse("3. März 2016"), parse("2016-03-03"));
	cr_assert_eq(parse("2016 m. gegužės 9 d."), parse("2016-05-09"));
	cr_assert_eq(parse("May 2, 2016 12:05 AM"), parse("2016-05-02 00:05"));
	int64_t t;
	const char *bad[] = { "13.13.2015", "Smarch 1, 2015", "1. Dezember", "2:15 PM",
			      "December 1, 2015 13:15 PM", "2015 m. gruodžio 32 d." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(rp_parse_date(&t, bad[i], strlen(bad[i])), RP_EINVAL,
			     "'%s' must not parse", bad[i]);
}
