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
