/*
 * date.c - date parsing (see date.h). Hand-written because strptime is
 * locale-dependent and does not parse zones portably; each format is a
 * small fixed grammar.
 */
#include "date.h"

#include <ctype.h>
#include <strings.h>

typedef struct cur {
	const char *s;
	size_t len, i;
} cur;

static int at_end(const cur *c) { return c->i >= c->len; }
static int peek(const cur *c) { return at_end(c) ? -1 : (unsigned char)c->s[c->i]; }

static void skip_space(cur *c)
{
	while (!at_end(c) && (peek(c) == ' ' || peek(c) == '\t'))
		c->i++;
}

/* Exactly `digits` digits (or 1..digits when `atmost`). */
static int num(cur *c, int digits, int atmost, int *out)
{
	int v = 0, n = 0;
	while (n < digits && !at_end(c) && isdigit(peek(c))) {
		v = v * 10 + (peek(c) - '0');
		c->i++;
		n++;
	}
	if (n == 0 || (!atmost && n != digits))
		return -1;
	*out = v;
	return 0;
}

static int eat(cur *c, int ch)
{
	if (peek(c) != ch)
		return 0;
	c->i++;
	return 1;
}

static int month_of(cur *c, int *out)
{
	static const char *names[] = { "jan", "feb", "mar", "apr", "may", "jun",
				       "jul", "aug", "sep", "oct", "nov", "dec" };
	if (c->len - c->i < 3)
		return -1;
	for (int m = 0; m < 12; m++)
		if (strncasecmp(c->s + c->i, names[m], 3) == 0) {
			c->i += 3;
			while (!at_end(c) && isalpha(peek(c))) /* "February" */
				c->i++;
			*out = m + 1;
			return 0;
		}
	return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int valid_ymd(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

/* [H]H:MM[:SS[.frac]] */
static int hms(cur *c, int *h, int *mi, int *sec)
{
	*sec = 0;
	if (num(c, 2, 1, h) < 0 || !eat(c, ':') || num(c, 2, 0, mi) < 0)
		return -1;
	if (eat(c, ':')) {
		if (num(c, 2, 0, sec) < 0)
			return -1;
		if (eat(c, '.') || eat(c, ','))
			while (!at_end(c) && isdigit(peek(c)))
				c->i++;
	}
	return (*h <= 23 && *mi <= 59 && *sec <= 60) ? 0 : -1;
}

/* Z, +HH:MM, +HHMM, +HH, or a zone name; absent = UTC. Offset in seconds. */
static int zone(cur *c, int *off)
{
	static const struct { const char *name; int hours; } names[] = {
		{ "UTC", 0 }, { "UT", 0 }, { "GMT", 0 }, { "Z", 0 },
		{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
		{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
	};
	*off = 0;
	skip_space(c);
	if (at_end(c))
		return 0;
	int ch = peek(c);
	if (ch == '+' || ch == '-') {
		int hh, mm = 0;
		c->i++;
		if (num(c, 2, 0, &hh) < 0)
			return -1;
		eat(c, ':');
		if (!at_end(c) && isdigit(peek(c)) && num(c, 2, 0, &mm) < 0)
			return -1;
		if (hh > 23 || mm > 59)
			return -1;
		*off = (ch == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
		return 0;
	}
	size_t start = c->i;
	while (!at_end(c) && isalpha(peek(c)))
		c->i++;
	size_t n = c->i - start;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k].name) == n &&
		    strncasecmp(c->s + start, names[k].name, n) == 0) {
			*off = names[k].hours * 3600;
			return 0;
		}
	return -1;
}

static int finish(int64_t *out, cur *c, int y, int m, int d, int h, int mi,
		  int sec, int off)
{
	skip_space(c);
	if (!at_end(c) || !valid_ymd(y, m, d))
		return RP_EINVAL;
	*out = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + sec - off;
	return RP_OK;
}

static int iso8601(int64_t *out, cur *c)
{
	int y, m, d, h = 0, mi = 0, sec = 0, off = 0;
	if (num(c, 4, 0, &y) < 0 || !eat(c, '-') || num(c, 2, 0, &m) < 0 ||
	    !eat(c, '-') || num(c, 2, 0, &d) < 0)
		return RP_EINVAL;
	if (eat(c, 'T') || eat(c, 't') || eat(c, ' ')) {
		if (hms(c, &h, &mi, &sec) < 0 || zone(c, &off) < 0)
			return RP_EINVAL;
	}
	return finish(out, c, y, m, d, h, mi, sec, off);
}

/* 26-FEB-1987 15:01:01.79 */
static int reuters(int64_t *out, cur *c)
{
	int y, m, d, h = 0, mi = 0, sec = 0;
	if (num(c, 2, 1, &d) < 0 || !eat(c, '-') || month_of(c, &m) < 0 ||
	    !eat(c, '-') || num(c, 4, 0, &y) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (!at_end(c) && hms(c, &h, &mi, &sec) < 0)
		return RP_EINVAL;
	return finish(out, c, y, m, d, h, mi, sec, 0);
}

/* [Sat, ]28 Nov 2026 09:15[:00] [+0000|GMT] */
static int rfc2822(int64_t *out, cur *c)
{
	int y, m, d, h = 0, mi = 0, sec = 0, off = 0;
	if (!at_end(c) && isalpha(peek(c))) {
		while (!at_end(c) && isalpha(peek(c)))
			c->i++;
		eat(c, ',');
		skip_space(c);
	}
	if (num(c, 2, 1, &d) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (month_of(c, &m) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (num(c, 4, 0, &y) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (!at_end(c)) {
		if (hms(c, &h, &mi, &sec) < 0 || zone(c, &off) < 0)
			return RP_EINVAL;
	}
	return finish(out, c, y, m, d, h, mi, sec, off);
}

int rp_parse_date(int64_t *out, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	RETURN_ERROR_IF(len == 0, RP_EINVAL);
	int (*const parsers[])(int64_t *, cur *) = { iso8601, reuters, rfc2822 };
	for (size_t k = 0; k < sizeof(parsers) / sizeof(parsers[0]); k++) {
		cur c = { s, len, 0 };
		if (parsers[k](out, &c) == RP_OK)
			return RP_OK;
	}
	return RP_EINVAL;
}
