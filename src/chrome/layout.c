/*
 * layout.c - site chrome recognised by its layout, on any single page.
 *
 * Design. Learning chrome from recurrence (boiler.c) needs several pages
 * of one outlet; a journalist's folder has one or two. Yet the blocks that
 * make up most of a news page's chrome have a shape that gives them away
 * on one page, in every language the readers meet:
 *
 *   - sidebar items: a headline, a teaser cut off with an ellipsis, and a
 *     relative time ("3 days ago", "vor 3 Tagen", "prieš 3 dienas",
 *     "il y a 3 jours", "hace 3 días", "3 дня назад"), often after a
 *     category line ("  • Politics"). A relative time is never story text
 *     on its own line, and a line cut off with an ellipsis just before it
 *     is a teaser;
 *   - list headings ("Recent Posts", "Most Read", "Related", "Skaitomiausi",
 *     "Meistgelesen", "Les plus lus", "Lo más leído", "Самое читаемое"),
 *     and the short, unpunctuated or numbered headline items after them;
 *   - link lines ("See also: ...", "READ ALSO: ...", "Tags: ...");
 *   - navigation and meta bars ("News | World | Sport", "Politics | 8/5/2024
 *     | 1 min read");
 *   - share, comment, newsletter, cookie and footer lines, told by their
 *     words ("Share on", "newsletter", "cookies", "All rights reserved",
 *     "Visos teisės saugomos", "Alle Rechte vorbehalten", ...), only on
 *     short lines (40 words at most), never on a paragraph.
 *
 * Everything here is a shape, not a word list to be tuned: a rule must hold
 * for a line that stands alone (a heading, a time), or for a short line in
 * a position that only chrome takes (after a heading, before a time). A
 * story line is left alone unless it is short and sits where chrome sits;
 * what is missed is left to recurrence and to the passage rule, which needs
 * a run of story text longer than any of these items.
 *
 * Invariant: spans are whole trimmed lines, in text order, disjoint.
 */
#include "boiler.h"

#include <pthread.h>
#include <strings.h>
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
#include <emmintrin.h>
#endif

static int is_sp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
	       c == '\n';
}

#if defined(__SSE2__) && !defined(RP_NO_SIMD)
/* Of sixteen bytes, the spaces of is_sp (' ' and \t \n \v \f \r, 9-13;
 * signed compares: bytes from 0x80 on are negative), a bit each. */
static inline unsigned space_mask(__m128i x)
{
	__m128i ctl = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(8)),
				    _mm_cmplt_epi8(x, _mm_set1_epi8(14)));
	return (unsigned)_mm_movemask_epi8(
		_mm_or_si128(ctl, _mm_cmpeq_epi8(x, _mm_set1_epi8(' '))));
}
#endif

/* Words (runs of non-space bytes) of a line, counted up to cap: the
 * smaller of its words and cap. */
static size_t words_of(const char *s, size_t n, size_t cap)
{
	size_t w = 0, i = 0;
	int in = 0;
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
	/* Sixteen bytes at once: a word starts at a non-space byte after a
	 * space (or after the last block's last byte, when that was one). */
	for (; i + 16 <= n && w < cap; i += 16) {
		unsigned sp = space_mask(_mm_loadu_si128((const __m128i *)(s + i)));
		unsigned word = ~sp & 0xFFFFu;
		unsigned before = (sp << 1 | (unsigned)!in) & 0xFFFFu;
		w += (size_t)rp_popcount16(word & before);
		in = (int)(word >> 15);
	}
	if (w >= cap)
		return cap;
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int sp = c <= ' ' && is_sp(c);
		if (!sp && !in && ++w >= cap)
			break;
		in = !sp;
	}
	return w;
}

/* A copy of the line in ASCII lower case (other bytes as they are), at
 * most cap - 1 bytes, NUL-terminated. */
static void lower_copy(char *dst, size_t cap, const char *s, size_t n)
{
	size_t m = RP_MIN(n, cap - 1), i = 0;
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
	/* A-Z sixteen bytes at once (signed compares: bytes over 0x7f are
	 * negative, never in range, kept as they are). */
	for (; i + 16 <= m; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i up = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
					   _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
		_mm_storeu_si128((__m128i *)(void *)(dst + i),
				 _mm_add_epi8(x, _mm_and_si128(up, _mm_set1_epi8(32))));
	}
#endif
	for (; i < m; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	dst[m] = '\0';
}

/* Bullets and list marks a line may start with: "•", "·", "▪", "►", "-",
 * "*", "1.", "2)". Returns the length of the mark with its spaces. */
static size_t bullet_len(const char *s, size_t n)
{
	static const char *marks[] = { "\xe2\x80\xa2", "\xc2\xb7", "\xe2\x96\xaa",
				       "\xe2\x96\xba", "- ", "* " };
	for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
		size_t m = strlen(marks[k]);
		if (n > m && memcmp(s, marks[k], m) == 0) {
			while (m < n && is_sp((unsigned char)s[m]))
				m++;
			return m;
		}
	}
	size_t d = 0;
	while (d < n && d < 3 && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d && d + 1 < n && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ')
		return d + 2;
	return 0;
}

static int ends_with_ellipsis(const char *s, size_t n)
{
	return (n >= 3 && memcmp(s + n - 3, "...", 3) == 0) ||
	       (n >= 3 && memcmp(s + n - 3, "\xe2\x80\xa6", 3) == 0);
}

/* Does word w (lower case) start with one of the stems? */
static int has_stem(const char *w, const char *const *stems, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (strncmp(w, stems[k], strlen(stems[k])) == 0)
			return 1;
	return 0;
}

/* "3 days ago", "an hour ago", "vor 2 Stunden", "prieš 3 dienas",
 * "il y a 5 jours", "hace 2 horas", "3 дня назад", "yesterday". */
/* Is [p, p + n) "09:27", "9:30", "10:02:11", "9:30pm"? */
static int is_clock(const char *p, size_t n)
{
	size_t i = 0, d = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++, d++;
	if (d < 1 || d > 2 || i >= n || p[i] != ':')
		return 0;
	for (int part = 0; part < 2 && i < n && p[i] == ':'; part++) {
		i++;
		size_t m = 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++, m++;
		if (m != 2)
			return 0;
	}
	return i == n || (n - i == 2 && (strncmp(p + i, "am", 2) == 0 ||
					 strncmp(p + i, "pm", 2) == 0));
}

/* Is [p, p + n) "04.07.2024", "2024-02-24", "2/24/2024"? */
static int is_numeric_date(const char *p, size_t n)
{
	int groups = 0, sep = 0;
	size_t i = 0;
	while (i < n) {
		size_t d = 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++, d++;
		if (d < 1 || d > 4)
			return 0;
		groups++;
		if (i == n)
			break;
		if (p[i] != '.' && p[i] != '/' && p[i] != '-')
			return 0;
		sep++;
		i++;
	}
	return groups == 3 && sep == 2;
}

static int in_words(const char *const *list, size_t nl, const char *p, size_t n)
{
	for (size_t k = 0; k < nl; k++)
		if (strlen(list[k]) == n && strncmp(list[k], p, n) == 0)
			return 1;
	return 0;
}

/*
 * "Updated 09:27, 01/01/2026", "Published: 04.07.2024 9:30 pm", "Posted on
 * 12.03.2024 by AFP", "Last updated on 3 March 2026 at 10:02 GMT": a line
 * that is the page's publication time. A marker opens it (with a
 * capital); the rest holds a clock time or a whole date (numeric, or a
 * month's name with a number) and otherwise only the words such lines
 * use (months, weekdays, on, at, by, am, pm, time zones) and at most three
 * others (an agency's name), ten words in all - so "Posted county prices in 12
 * southern" (Reuters) and "Published by NBME in 1990" (a citation in 20
 * Newsgroups) are text. Two outlets' copies of a story can differ in
 * this line alone: left in, its figures made a verbatim reprint look
 * like a template (gen_corpus --news: 97 of 2,762 full reprints lost).
 */
int rp_is_timestamp_line(const char *s, size_t n)
{
	static const char *const markers[] = {
		"last updated", "updated", "first published", "published",
		"posted", "last modified", "modified", "aktualisiert",
		("ver\xc3\xb6" "ffentlicht"), "atnaujinta", "paskelbta",
		"publi\xc3\xa9", "mis \xc3\xa0 jour", "actualizado", "publicado",
		"\xd0\xbe\xd0\xb1\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xbe",             /* обновлено */
		"\xd0\xbe\xd0\xbf\xd1\x83\xd0\xb1\xd0\xbb\xd0\xb8\xd0\xba\xd0\xbe\xd0\xb2\xd0\xb0\xd0\xbd\xd0\xbe", /* опубликовано */
	};
	static const char *const months[] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december", "jan",
		"feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
		"nov", "dec", "januar", "februar", "m\xc3\xa4rz", "juni", "juli",
		"oktober", "dezember", "janvier", "f\xc3\xa9vrier", "mars",
		"avril", "mai", "juin", "juillet", "ao\xc3\xbbt", "septembre",
		"octobre", "novembre", ("d\xc3\xa9" "cembre"), "enero", "febrero",
		"marzo", "abril", "mayo", "junio", "julio", "agosto",
		"septiembre", "octubre", "noviembre", "diciembre",
	};
	static const char *const fillers[] = {
		"on", "at", "by", "am", "pm", "a.m.", "p.m.", "um", "am", "le",
		"\xc3\xa0", "de", "el", "the", "gmt", "utc", "cet", "cest", "eet",
		"eest", "bst", "est", "edt", "pst", "pdt", "mez", "mesz",
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat",
		"sun",
	};
	char buf[128];
	if (n == 0 || n >= sizeof(buf))
		return 0;
	lower_copy(buf, sizeof(buf), s, n);
	size_t at = 0;
	for (size_t k = 0; k < sizeof(markers) / sizeof(markers[0]) && !at; k++) {
		size_t m = strlen(markers[k]);
		if (strncmp(buf, markers[k], m) == 0 &&
		    (buf[m] == ' ' || buf[m] == ':' || buf[m] == '\0'))
			at = m;
	}
	if (!at)
		return 0;
	int when = 0, month = 0, number = 0;
	size_t tokens = 0, other = 0;
	for (size_t i = at; i < n;) {
		while (i < n && (is_sp((unsigned char)buf[i]) || buf[i] == ',' ||
				 buf[i] == '|' || (i == at && buf[i] == ':')))
			i++;
		if (i >= n)
			break;
		size_t j = i;
		while (j < n && !is_sp((unsigned char)buf[j]) && buf[j] != ',' &&
		       buf[j] != '|')
			j++;
		size_t len = j - i;
		while (len > 1 && (buf[i + len - 1] == '.' || buf[i + len - 1] == ':'))
			len--; /* "2024." "Published:" */
		const char *w = buf + i;
		tokens++;
		if (is_clock(w, len) || is_numeric_date(w, len)) {
			when = 1;
		} else if (w[0] >= '0' && w[0] <= '9') {
			number = 1;
		} else if (in_words(months, sizeof(months) / sizeof(months[0]), w, len)) {
			month = 1;
		} else if (!in_words(fillers, sizeof(fillers) / sizeof(fillers[0]), w,
				     len)) {
			other++;
		}
		i = j;
	}
	return (when || (month && number)) && other <= 3 && tokens <= 10;
}

int rp_is_relative_time(const char *s, size_t n)
{
	static const char *const units[] = {
		"sec", "min", "hour", "hr", "day", "week", "month", "year",
		"sekund", "minut", "stunde", "tag", "woche", "monat", "jahr",
		"valand", "val", "dien", "savait", "m\xc4\x97n", "met",
		"seconde", "heure", "jour", "semaine", "mois", "an",
		"segundo", "minuto", "hora", ("d\xc3\xad" "a"), "dia", "semana",
		"mes", "a\xc3\xb1o",
		"\xd1\x81\xd0\xb5\xd0\xba",             /* сек */
		"\xd0\xbc\xd0\xb8\xd0\xbd",             /* мин */
		"\xd1\x87\xd0\xb0\xd1\x81",             /* час */
		"\xd0\xb4\xd0\xbd",                     /* дн */
		"\xd0\xb4\xd0\xb5\xd0\xbd\xd1\x8c",     /* день */
		"\xd0\xbd\xd0\xb5\xd0\xb4",             /* нед */
		"\xd0\xbc\xd0\xb5\xd1\x81",             /* мес */
		"\xd0\xb3\xd0\xbe\xd0\xb4",             /* год */
		"\xd0\xbb\xd0\xb5\xd1\x82",             /* лет */
	};
	static const char *const one_words[] = {
		"yesterday", "gestern", "vakar", "hier", "ayer",
		"\xd0\xb2\xd1\x87\xd0\xb5\xd1\x80\xd0\xb0", /* вчера */
	};
	static const char *const counts[] = { "a", "an", "one", "ein", "einer",
					      "einem", "un", "une", "una" };
	char buf[96], *w[6];
	size_t nw = 0;
	if (n == 0 || n >= sizeof(buf))
		return 0;
	lower_copy(buf, sizeof(buf), s, n);
	char *save = NULL; /* strtok_r: the layout rules run on threads */
	for (char *p = strtok_r(buf, " \t", &save); p && nw < 6;
	     p = strtok_r(NULL, " \t", &save))
		w[nw++] = p;
	if (nw == 1 || (nw == 2 && strcmp(w[0], "just") == 0)) {
		for (size_t k = 0; k < sizeof(one_words) / sizeof(one_words[0]); k++)
			if (strcmp(w[0], one_words[k]) == 0)
				return 1;
		return nw == 2 && strcmp(w[1], "now") == 0;
	}
	/* The marker and where the count and unit stand. */
	size_t c;
	if (nw == 3 && (strcmp(w[2], "ago") == 0 ||
			strcmp(w[2], "\xd0\xbd\xd0\xb0\xd0\xb7\xd0\xb0\xd0\xb4") == 0))
		c = 0; /* "3 days ago", "3 дня назад" */
	else if (nw == 3 && (strcmp(w[0], "vor") == 0 ||
			     strcmp(w[0], "prie\xc5\xa1") == 0 ||
			     strcmp(w[0], "hace") == 0))
		c = 1;
	else if (nw == 5 && strcmp(w[0], "il") == 0 && strcmp(w[1], "y") == 0 &&
		 strcmp(w[2], "a") == 0)
		c = 3;
	else
		return 0;
	int count = w[c][0] >= '0' && w[c][0] <= '9';
	for (size_t k = 0; !count && k < sizeof(counts) / sizeof(counts[0]); k++)
		count = strcmp(w[c], counts[k]) == 0;
	return count && has_stem(w[c + 1], units, sizeof(units) / sizeof(units[0]));
}

/* Headings of lists of other stories, and of share and comment blocks
 * (lower case; a trailing ':' is ignored). list: 1 when short headline
 * items follow it. */
static int heading_kind(const char *s, size_t n, int *list)
{
	static const char *const lists[] = {
		"recent posts", "recent news", "recent stories", "most read",
		"most popular", "popular", "popular now", "trending",
		"trending now", "related", "related post", "related posts",
		"related articles", "related stories", "related news",
		"read also", "read more", "see also", "also read",
		"you may also like", "you might also like", "more stories",
		"more news", "latest", "latest news", "latest stories",
		"top stories", "editor's picks", "recommended",
		"recommended for you", "don't miss", "more from this section",
		"naujausi", "naujausios naujienos", "skaitomiausi",
		"populiariausi", "susij\xc4\x99 straipsniai",
		"taip pat skaitykite", "skaitykite taip pat",
		"meistgelesen", "am meisten gelesen", "neueste beitr\xc3\xa4ge",
		"neueste artikel", "aktuelle beitr\xc3\xa4ge",
		"das k\xc3\xb6nnte sie auch interessieren", "auch interessant",
		"mehr zum thema", "lesen sie auch",
		"les plus lus", "articles r\xc3\xa9" "cents", "derniers articles",
		"\xc3\xa0 lire aussi", "lire aussi", "\xc3\xa0 lire \xc3\xa9galement",
		"sur le m\xc3\xaame sujet",
		"lo m\xc3\xa1s le\xc3\xad" "do", "m\xc3\xa1s le\xc3\xad" "das",
		"entradas recientes", "\xc3\xbaltimas noticias",
		"te puede interesar", "lee tambi\xc3\xa9n", "noticias relacionadas",
		/* самое читаемое, популярное, последние новости, читайте
		 * также, похожие статьи, по теме (Cyrillic has no ASCII case:
		 * both the capitalised and the lower-case first letter) */
		"\xd0\xa1\xd0\xb0\xd0\xbc\xd0\xbe\xd0\xb5 \xd1\x87\xd0\xb8\xd1\x82\xd0\xb0\xd0\xb5\xd0\xbc\xd0\xbe\xd0\xb5",
		"\xd0\x9f\xd0\xbe\xd0\xbf\xd1\x83\xd0\xbb\xd1\x8f\xd1\x80\xd0\xbd\xd0\xbe\xd0\xb5",
		"\xd0\x9f\xd0\xbe\xd1\x81\xd0\xbb\xd0\xb5\xd0\xb4\xd0\xbd\xd0\xb8\xd0\xb5 \xd0\xbd\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8",
		"\xd0\xa7\xd0\xb8\xd1\x82\xd0\xb0\xd0\xb9\xd1\x82\xd0\xb5 \xd1\x82\xd0\xb0\xd0\xba\xd0\xb6\xd0\xb5",
		"\xd0\x9f\xd0\xbe\xd1\x85\xd0\xbe\xd0\xb6\xd0\xb8\xd0\xb5 \xd1\x81\xd1\x82\xd0\xb0\xd1\x82\xd1\x8c\xd0\xb8",
		"\xd0\x9f\xd0\xbe \xd1\x82\xd0\xb5\xd0\xbc\xd0\xb5",
	};
	static const char *const blocks[] = {
		"share", "share this", "share this article", "share this story",
		"comments", "leave a comment", "leave a reply", "advertisement",
		"sponsored", "newsletter", "tags", "follow us", "dalintis",
		"komentarai", "reklama", ("\xc5\xbe" "ym\xc4\x97s"), "teilen",
		"kommentare", "anzeige", "werbung", "partager", "commentaires",
		"publicit\xc3\xa9", "compartir", "comentarios", "publicidad",
		"\xd0\x9f\xd0\xbe\xd0\xb4\xd0\xb5\xd0\xbb\xd0\xb8\xd1\x82\xd1\x8c\xd1\x81\xd1\x8f",
		"\xd0\x9a\xd0\xbe\xd0\xbc\xd0\xbc\xd0\xb5\xd0\xbd\xd1\x82\xd0\xb0\xd1\x80\xd0\xb8\xd0\xb8",
		"\xd0\xa0\xd0\xb5\xd0\xba\xd0\xbb\xd0\xb0\xd0\xbc\xd0\xb0",
	};
	char buf[64];
	size_t b = bullet_len(s, n);
	s += b;
	n -= b;
	while (n && (s[n - 1] == ':' || is_sp((unsigned char)s[n - 1])))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return 0;
	lower_copy(buf, sizeof(buf), s, n);
	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
		if (strcmp(buf, lists[k]) == 0)
			return *list = 1;
	for (size_t k = 0; k < sizeof(blocks) / sizeof(blocks[0]); k++)
		if (strcmp(buf, blocks[k]) == 0) {
			*list = 0;
			return 1;
		}
	return 0;
}

/* "See also: <headline>", "READ ALSO: ...", "Tags: a, b": a heading word,
 * a colon, and a short rest. */
static int is_link_line(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', RP_MIN(n, (size_t)40));
	int list;
	if (!colon || colon == s)
		return 0;
	size_t hn = (size_t)(colon - s);
	return heading_kind(s, hn, &list) && words_of(s, n, 30) <= 25;
}

/* Navigation or meta bars: three or more " | " (or " · ", " • ")
 * separators between segments of at most four words on average. */
static int is_nav_bar(const char *s, size_t n)
{
	static const char *const seps[] = { " | ", " \xc2\xb7 ", " \xe2\x80\xa2 " };
	size_t nsep = 0;
	if (!memchr(s, '|', n) && !memchr(s, 0xc2, n) && !memchr(s, 0xe2, n))
		return 0;
	for (size_t i = 0; i + 3 <= n; i++)
		for (size_t k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
			size_t m = strlen(seps[k]);
			if (i + m <= n && memcmp(s + i, seps[k], m) == 0)
				nsep++;
		}
	if (nsep < 2)
		return 0;
	size_t w = words_of(s, n, 200) - nsep;
	return w <= 4 * (nsep + 1);
}

/* Share, comment, newsletter, cookie, sign-in and footer lines, by the
 * phrases such notices are made of, from the start of a word (ASCII lower
 * case; Cyrillic has no ASCII case, so a phrase that may open a line is
 * listed capitalised too), not by single words that news also uses
 * ("subscribe to the issue", "per share on sales", "cookies, candy and
 * bakery trays"). Only lines of at most 40 words. Each phrase is four
 * bytes or more (phrase_at looks at four first). */
static const char *const phrases_all[] = {
	"use cookies", "uses cookies", "cookie policy", "cookie settings",
	"accept cookies", "accept all cookies", "our newsletter",
	"sign up for our", "daily newsletter", "morning newsletter",
	"weekly newsletter", "newsletter to get", "all rights reserved",
	"privacy policy", "terms of use", "terms of service",
	"subscribe to our", "subscribe now", "follow us on",
	"share on facebook", "share on x", "share on twitter",
	"share on linkedin", "share via email", "share via e-mail",
	"leave a comment", "log in to comment", "got a story?",
	"support independent journalism",
	/* credits: republication ("... This story was originally published
	 * by ...", after the site's own footer words), a wire story's
	 * reporters; not the words a story uses of a book or an essay */
	"this story was originally published",
	"this article was originally published",
	"this story originally appeared", "this article originally appeared",
	"this story first appeared", "this article first appeared",
	"this article is republished", "republished with permission",
	"republished here with permission", "contributed to this report",
	"slapuk", "naujienlai\xc5\xa1k", "teis\xc4\x97s saugomos",
	"prenumeruokite", "rechte vorbehalten", "verwenden cookies",
	"datenschutzerkl\xc3\xa4rung", "newsletter abonnieren",
	"jetzt abonnieren", "droits r\xc3\xa9serv\xc3\xa9s",
	"abonnez-vous", "inscrivez-vous", "des cookies",
	"politique de confidentialit\xc3\xa9", "derechos reservados",
	"suscr\xc3\xad" "bete", "utiliza cookies", "usamos cookies",
	"pol\xc3\xad" "tica de privacidad",
	"\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb0 \xd0\xb7\xd0\xb0\xd1\x89\xd0\xb8\xd1\x89\xd0\xb5\xd0\xbd\xd1\x8b", /* права защищены */
	"\xd0\xbf\xd0\xbe\xd0\xb4\xd0\xbf\xd0\xb8\xd1\x88\xd0\xb8\xd1\x82\xd0\xb5\xd1\x81\xd1\x8c", /* подпишитесь */
	"\xd0\x9f\xd0\xbe\xd0\xb4\xd0\xbf\xd0\xb8\xd1\x88\xd0\xb8\xd1\x82\xd0\xb5\xd1\x81\xd1\x8c", /* Подпишитесь */
	"\xd0\xbd\xd0\xb0 \xd1\x80\xd0\xb0\xd1\x81\xd1\x81\xd1\x8b\xd0\xbb\xd0\xba", /* на рассылк */
	"\xd0\xba\xd0\xbe\xd0\xbd\xd1\x84\xd0\xb8\xd0\xb4\xd0\xb5\xd0\xbd\xd1\x86\xd0\xb8\xd0\xb0\xd0\xbb\xd1\x8c\xd0\xbd\xd0\xbe\xd1\x81\xd1\x82", /* конфиденциальност */
	"\xd1\x84\xd0\xb0\xd0\xb9\xd0\xbb\xd1\x8b cookie", /* файлы cookie */
};

enum { NPHRASES = sizeof(phrases_all) / sizeof(phrases_all[0]) };
/* For each first byte, the phrases that start with it (0xff ends); a bit
 * for each hash of the first four bytes some phrase starts with. Two
 * bytes were too few: "th", "co", "su" and "re" begin a fifth of English
 * words and a dozen phrases each, and comparing those was most of this
 * rule's time; four ("this", "cook") rule out nearly every word. */
static uint8_t phrase_index[256][NPHRASES + 1];
static size_t phrase_len[NPHRASES];
static uint32_t phrase_four[NPHRASES];
static uint64_t phrase_bits[65536 / 64];

static inline uint32_t four_bytes(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline unsigned four_hash(uint32_t v)
{
	return (unsigned)((v * 2654435761u) >> 16);
}

static void init_phrase_index(void)
{
	for (size_t k = 0; k < (size_t)NPHRASES; k++) {
		phrase_len[k] = strlen(phrases_all[k]);
		phrase_four[k] = four_bytes(phrases_all[k]);
		unsigned t = four_hash(phrase_four[k]);
		phrase_bits[t >> 6] |= (uint64_t)1 << (t & 63);
	}
	for (int c = 0; c < 256; c++) {
		size_t m = 0;
		for (size_t k = 0; k < (size_t)NPHRASES; k++)
			if ((unsigned char)phrases_all[k][0] == c)
				phrase_index[c][m++] = (uint8_t)k;
		phrase_index[c][m] = 0xff;
	}
}

/* Does a phrase start at buf[i] (buf: n bytes)? */
static inline int phrase_at(const char *buf, size_t n, size_t i)
{
	/* (Every phrase is four bytes or more: a place with fewer left
	 * holds none, and its first four bytes rule most places out.) */
	if (n - i < 4)
		return 0;
	uint32_t v = four_bytes(buf + i);
	unsigned t = four_hash(v);
	if (!(phrase_bits[t >> 6] >> (t & 63) & 1))
		return 0;
	const uint8_t *k = phrase_index[(unsigned char)buf[i]];
	for (; *k != 0xff; k++)
		if (v == phrase_four[*k] && phrase_len[*k] <= n - i &&
		    memcmp(buf + i, phrases_all[*k], phrase_len[*k]) == 0)
			return 1;
	return 0;
}

static int is_notice_line(const char *s, size_t n, size_t nwords)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	char buf[512];
	if (n >= sizeof(buf) || nwords > 40)
		return 0;
	/* Phrases start at a word: only those whose first byte is the
	 * word's are compared there. */
	(void)pthread_once(&once, init_phrase_index);
	lower_copy(buf, sizeof(buf), s, n);
	size_t i = 0;
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
	/* Sixteen bytes at once: the places after a space or a '(' (and
	 * the first) are looked at, no others. */
	unsigned carry = 1;
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(buf + i));
		unsigned after = space_mask(x) |
				 (unsigned)_mm_movemask_epi8(
					 _mm_cmpeq_epi8(x, _mm_set1_epi8('(')));
		unsigned at = (after << 1 | carry) & 0xFFFFu;
		carry = after >> 15 & 1;
		for (; at; at &= at - 1)
			if (phrase_at(buf, n, i + (size_t)__builtin_ctz(at)))
				return 1;
	}
#endif
	for (; i < n; i++) {
		if (i > 0 && !is_sp((unsigned char)buf[i - 1]) && buf[i - 1] != '(')
			continue;
		if (phrase_at(buf, n, i))
			return 1;
	}
	return 0;
}

/* Does a line end a sentence or stand alone (no wrapped continuation)? */
static int ends_sentence(const char *s, size_t n)
{
	static const char *const closers[] = { "\xe2\x80\x9d", "\xc2\xbb",
					       "\xe2\x80\xa6" };
	unsigned char c = (unsigned char)s[n - 1];
	if (c == '.' || c == '!' || c == '?' || c == '"' || c == ':' || c == ')')
		return 1;
	for (size_t k = 0; k < sizeof(closers) / sizeof(closers[0]); k++) {
		size_t m = strlen(closers[k]);
		if (n >= m && memcmp(s + n - m, closers[k], m) == 0)
			return 1;
	}
	return 0;
}

int rp_line_is_prose(const char *s, size_t n)
{
	return n && (ends_sentence(s, n) || words_of(s, n, 16) > 15);
}

/* A headline-like list item: a bullet or number, or a short line (at
 * most 15 words) that does not end a sentence. */
static int is_item_line(const char *s, size_t n, size_t words)
{
	if (bullet_len(s, n) && words <= 25)
		return 1;
	if (ends_with_ellipsis(s, n) && words <= 40)
		return 1;
	unsigned char last = (unsigned char)s[n - 1];
	return words <= 15 && last != '.' && last != '!' &&
	       last != '?' && last != '"' && last != ':' && last != ';' &&
	       !(n >= 3 && (memcmp(s + n - 3, "\xe2\x80\x9d", 3) == 0 ||
			    memcmp(s + n - 3, "\xc2\xbb", 2) == 0));
}

typedef rp_layout_line line; /* (words: counted up to LONG_LINE + 1) */

/* No rule applies to a line of more words than this, or of more bytes
 * than LONG_BYTES (ten bytes a word): a paragraph. */
#define LONG_LINE 40
#define LONG_BYTES 400

int rp_layout_spans(rp_span **sp, size_t *nsp, size_t *capsp,
		    const char *t, size_t len, int layout, int notices,
		    rp_layout_scratch *sc)
{
	size_t nl = 0;
	int blank = 0;
	/* Non-blank lines, trimmed. */
	for (size_t i = 0; i < len;) {
		const char *nlp = memchr(t + i, '\n', len - i);
		size_t e = nlp ? (size_t)(nlp - t) : len;
		size_t a = i, b = e;
		while (a < b && is_sp((unsigned char)t[a]))
			a++;
		while (b > a && is_sp((unsigned char)t[b - 1]))
			b--;
		if (b > a) {
			FORWARD_IF_ERROR(RP_GROW(sc->lines, sc->cap, nl + 1));
			size_t w = b - a > LONG_BYTES ? LONG_LINE + 1
						      : words_of(t + a, b - a, LONG_LINE + 1);
			sc->lines[nl++] = (line){ (uint32_t)a, (uint32_t)b,
						  (uint8_t)w, 0, 0,
						  (uint8_t)blank };
			blank = 0;
		} else {
			blank = 1;
		}
		i = e + 1;
	}
	sc->nlines = nl;
	line *L = sc->lines;
#define LS(x) (t + L[x].a)
#define LN(x) ((size_t)(L[x].b - L[x].a))
	/* Lines of a hard-wrapped paragraph: no blank line between them, and
	 * the first does not end a sentence (so it runs on into the next).
	 * Words and prefixes that notices use are only trusted on a line
	 * that stands alone. */
	for (size_t x = 1; x < nl; x++) {
		/* (one line break between them: no blank line) */
		int adjacent = !L[x].after_blank;
		if (adjacent && !ends_sentence(LS(x - 1), LN(x - 1)))
			L[x - 1].wrapped = L[x].wrapped = 1;
	}
	int in_list = 0;
	for (size_t x = 0; x < nl; x++) {
		int list = 0;
		if (L[x].words > LONG_LINE) {
			in_list = 0;
			continue;
		}
		if (notices && (!L[x].wrapped || x + 1 == nl) &&
		    rp_is_credit_line(LS(x), LN(x)))
			L[x].chrome = 1;
		if (!layout)
			continue;
		if (!L[x].chrome && heading_kind(LS(x), LN(x), &list)) {
			L[x].chrome = 1;
			in_list = list;
			continue;
		}
		/* (a line of a paragraph may begin "updated 5 times in 2024"
		 * but not with the capital a heading has) */
		if (!(*LS(x) >= 'a' && *LS(x) <= 'z') &&
		    rp_is_timestamp_line(LS(x), LN(x))) {
			L[x].chrome = 1;
			continue;
		}
		if (rp_is_relative_time(LS(x), LN(x))) {
			L[x].chrome = 1;
			/* The item before it: teaser (cut off), headline,
			 * category line. */
			size_t y = x;
			if (y > 0 && !L[y - 1].chrome && ends_with_ellipsis(LS(y - 1), LN(y - 1)) &&
			    L[y - 1].words <= LONG_LINE)
				L[--y].chrome = 1;
			if (y > 0 && !L[y - 1].chrome && L[y - 1].words <= 25 &&
			    (y < x || is_item_line(LS(y - 1), LN(y - 1), L[y - 1].words)))
				L[--y].chrome = 1;
			if (y > 0 && !L[y - 1].chrome && bullet_len(LS(y - 1), LN(y - 1)) &&
			    L[y - 1].words <= 4)
				L[--y].chrome = 1;
			in_list = 1;
			continue;
		}
		if (in_list && is_item_line(LS(x), LN(x), L[x].words)) {
			L[x].chrome = 1;
			continue;
		}
		in_list = 0;
		if (is_link_line(LS(x), LN(x)) || is_nav_bar(LS(x), LN(x)) ||
		    (!L[x].wrapped && is_notice_line(LS(x), LN(x), L[x].words)))
			L[x].chrome = 1;
	}
#undef LS
#undef LN
	for (size_t x = 0; x < nl; x++) {
		if (!L[x].chrome)
			continue;
		FORWARD_IF_ERROR(RP_GROW(*sp, *capsp, *nsp + 1));
		(*sp)[(*nsp)++] = (rp_span){ L[x].a, L[x].b };
	}
	return RP_OK;
}
