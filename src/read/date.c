/*
 * date.c - date parsing (see date.h). Hand-written because strptime is
 * locale-dependent and does not parse zones portably; each format is a
 * small fixed grammar.
 */
#include "date.h"

#include <ctype.h>
#include <string.h>
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

/* A month written out, in English (any abbreviation of 3 letters or more,
 * "Sept.", "December"), German or Lithuanian (nominative or genitive, as
 * in "gruodžio 1 d."). */
static int month_word(cur *c, int *out)
{
	static const struct { const char *w; int m; } words[] = {
		{ "januar", 1 }, { "jänner", 1 }, { "februar", 2 }, { "märz", 3 },
		{ "maerz", 3 }, { "mai", 5 }, { "juni", 6 }, { "juli", 7 },
		{ "oktober", 10 }, { "okt", 10 }, { "dezember", 12 }, { "dez", 12 },
		{ "sausio", 1 }, { "sausis", 1 }, { "vasario", 2 }, { "vasaris", 2 },
		{ "kovo", 3 }, { "kovas", 3 }, { "balandžio", 4 }, { "balandis", 4 },
		{ "gegužės", 5 }, { "gegužė", 5 }, { "birželio", 6 }, { "birželis", 6 },
		{ "liepos", 7 }, { "liepa", 7 }, { "rugpjūčio", 8 }, { "rugpjūtis", 8 },
		{ "rugsėjo", 9 }, { "rugsėjis", 9 }, { "spalio", 10 }, { "spalis", 10 },
		{ "lapkričio", 11 }, { "lapkritis", 11 }, { "gruodžio", 12 },
		{ "gruodis", 12 },
	};
	static const char *en[] = { "january", "february", "march", "april", "may",
				    "june", "july", "august", "september",
				    "october", "november", "december" };
	size_t start = c->i;
	char w[32];
	size_t n = 0;
	while (!at_end(c) && (isalpha(peek(c)) || peek(c) >= 0x80)) {
		if (n + 1 < sizeof(w))
			w[n++] = (char)tolower(peek(c));
		c->i++;
	}
	w[n] = '\0';
	if (n < 3 || c->i - start >= sizeof(w) - 1) {
		c->i = start;
		return -1;
	}
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strcmp(w, words[k].w) == 0) {
			*out = words[k].m;
			eat(c, '.');
			return 0;
		}
	for (int m = 0; m < 12; m++)
		if (strncmp(en[m], w, n) == 0 ||
		    (m == 8 && strcmp(w, "sept") == 0)) {
			*out = m + 1;
			eat(c, '.');
			return 0;
		}
	c->i = start;
	return -1;
}

/* An optional "AM" / "PM" (also "a.m.", "p.m.") after a time. */
static int ampm(cur *c, int *h)
{
	skip_space(c);
	if (c->len - c->i < 2)
		return 0;
	int ch = tolower(peek(c));
	if (ch != 'a' && ch != 'p')
		return 0;
	size_t save = c->i;
	c->i++;
	eat(c, '.');
	if (tolower(peek(c)) != 'm') {
		c->i = save;
		return 0;
	}
	c->i++;
	eat(c, '.');
	if (*h < 1 || *h > 12)
		return -1;
	if (ch == 'a' && *h == 12)
		*h = 0;
	else if (ch == 'p' && *h < 12)
		*h += 12;
	return 0;
}

/* The time of day after a date, if any: [,|at|um] HH:MM[:SS] [AM|PM]
 * [Uhr] [zone]. */
static int time_of_day(cur *c, int *h, int *mi, int *sec, int *off)
{
	*h = *mi = *sec = *off = 0;
	skip_space(c);
	eat(c, ',');
	skip_space(c);
	if (at_end(c))
		return 0;
	if (c->len - c->i > 3 && (strncasecmp(c->s + c->i, "at ", 3) == 0 ||
				  strncasecmp(c->s + c->i, "um ", 3) == 0))
		c->i += 3;
	if (hms(c, h, mi, sec) < 0 || ampm(c, h) < 0)
		return -1;
	skip_space(c);
	if (c->len - c->i >= 3 && strncasecmp(c->s + c->i, "uhr", 3) == 0)
		c->i += 3;
	return zone(c, off);
}

/* December 1, 2015 2:15 PM */
static int named_mdy(int64_t *out, cur *c)
{
	int y, m, d, h, mi, sec, off;
	if (month_word(c, &m) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (num(c, 2, 1, &d) < 0)
		return RP_EINVAL;
	eat(c, ',');
	skip_space(c);
	if (num(c, 4, 0, &y) < 0 || time_of_day(c, &h, &mi, &sec, &off) < 0)
		return RP_EINVAL;
	return finish(out, c, y, m, d, h, mi, sec, off);
}

/* 1. Dezember 2015 15:40, 1 December 2015, 1 gruodžio 2015 */
static int named_dmy(int64_t *out, cur *c)
{
	int y, m, d, h, mi, sec, off;
	if (num(c, 2, 1, &d) < 0)
		return RP_EINVAL;
	eat(c, '.');
	skip_space(c);
	if (month_word(c, &m) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (num(c, 4, 0, &y) < 0 || time_of_day(c, &h, &mi, &sec, &off) < 0)
		return RP_EINVAL;
	return finish(out, c, y, m, d, h, mi, sec, off);
}

/* Lithuanian: 2015 m. gruodžio 1 d. 15:40 */
static int lt_ymd(int64_t *out, cur *c)
{
	int y, m, d, h, mi, sec, off;
	if (num(c, 4, 0, &y) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (!eat(c, 'm') || !eat(c, '.'))
		return RP_EINVAL;
	skip_space(c);
	if (month_word(c, &m) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (num(c, 2, 1, &d) < 0)
		return RP_EINVAL;
	skip_space(c);
	if (eat(c, 'd'))
		eat(c, '.');
	if (time_of_day(c, &h, &mi, &sec, &off) < 0)
		return RP_EINVAL;
	return finish(out, c, y, m, d, h, mi, sec, off);
}

/* 01.12.2015 15:40 (day first, as in Lithuania and Germany) */
static int dotted(int64_t *out, cur *c)
{
	int y, m, d, h, mi, sec, off;
	if (num(c, 2, 1, &d) < 0 || !eat(c, '.') || num(c, 2, 1, &m) < 0 ||
	    !eat(c, '.') || num(c, 4, 0, &y) < 0 ||
	    time_of_day(c, &h, &mi, &sec, &off) < 0)
		return RP_EINVAL;
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
	int (*const parsers[])(int64_t *, cur *) = { iso8601, reuters, rfc2822,
						     named_mdy, named_dmy, lt_ymd,
						     dotted };
	for (size_t k = 0; k < sizeof(parsers) / sizeof(parsers[0]); k++) {
		cur c = { s, len, 0 };
		if (parsers[k](out, &c) == RP_OK)
			return RP_OK;
	}
	return RP_EINVAL;
}
