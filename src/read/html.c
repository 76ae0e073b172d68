/*
 * html.c - HTML pages as documents.
 *
 * libxml2's HTML parser (SAX: no tree is built) reads the page as a
 * browser would: unclosed tags, stray ampersands, attributes without
 * quotes. Its text callbacks give the characters, entities decoded; this
 * file keeps those of the body, collapses white space, puts each block
 * element on its own line and a blank line between paragraphs (p, h1,
 * ul, table, ...), so that chrome learning sees a page's lines
 * (a menu, a "Share" bar, a footer) as it sees those of a text file.
 *
 * Byte offsets: every byte of the text is traced to the byte of the file
 * it came from (an entity's bytes to its '&'), by following the file
 * alongside the parser's text: markup is skipped, characters match one
 * for one, entities by their decoded value. The trace is kept as anchors
 * where the offset between text and file changes. Were the file and the
 * parser's text ever to part (a construct this follower does not know),
 * the page is marked `lost` and reports give no file offsets for it,
 * rather than wrong ones.
 */
#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <utf8proc.h>

#include "html.h"

/* Elements whose text is not the page's. */
static const char *const SKIP[] = {
	"script", "style", "noscript", "template", "svg", "math", "iframe",
	"object", "canvas", "head", NULL
};
/* Elements that begin and end a paragraph (a blank line between them,
 * as between the paragraphs of a text file), and those that begin and
 * end a line. */
static const char *const PARA[] = {
	"address", "article", "aside", "blockquote", "body", "center",
	"details", "dialog", "dl", "fieldset", "figure", "footer", "form",
	"h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main",
	"menu", "nav", "ol", "p", "pre", "section", "table", "ul", NULL
};
static const char *const BLOCK[] = {
	"br", "caption", "dd", "div", "dt", "figcaption", "legend", "li",
	"option", "summary", "tbody", "td", "tfoot", "th", "thead", "tr", NULL
};
/* <meta name|property> holding a publication date. */
static const char *const DATE_META[] = {
	"article:published_time", "og:published_time", "date", "pubdate",
	"publishdate", "dc.date", "dcterms.date", "dc.date.issued",
	"datepublished", "sailthru.date", NULL
};

static int in_list(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i]; i++)
		if (strcasecmp(list[i], name) == 0)
			return 1;
	return 0;
}

typedef struct state {
	rp_html_page *pg;
	const char *src;
	size_t n, sp;          /* the file, and how far the follower is */
	int skip, pre, title;  /* depths: left out, <pre>, <title> */
	int brk, space;        /* pending: a line break (1) or a blank line
				  (2); a space */
	size_t space_src;      /* where the pending space's first blank is */
	char *tbuf;            /* the title as read */
	size_t tlen, tcap;
	int err;
} state;

/* ---- the text and its anchors ---- */

/* Where a byte of the parser's text is in the file. */
typedef struct where {
	size_t src, width;
} where;

static void anchor(state *s, where w)
{
	rp_html_page *pg = s->pg;
	if (pg->nmap) {
		rp_anchor *a = &pg->map[pg->nmap - 1];
		if (!a->width && !w.width && a->src + (pg->len - a->text) == w.src)
			return; /* still one for one */
		if (a->text == pg->len) {
			a->src = w.src;
			a->width = w.width;
			return;
		}
	}
	if (RP_GROW(pg->map, pg->capmap, pg->nmap + 1) < 0) {
		s->err = RP_ENOMEM;
		return;
	}
	pg->map[pg->nmap++] = (rp_anchor){ (uint32_t)pg->len, (uint32_t)w.src,
					   (uint32_t)w.width };
}

static void put(state *s, char ch, where w)
{
	rp_html_page *pg = s->pg;
	if (s->err)
		return;
	anchor(s, w);
	if (s->err || RP_GROW(pg->text, pg->cap, pg->len + 2) < 0) {
		s->err = RP_ENOMEM;
		return;
	}
	pg->text[pg->len++] = ch;
	pg->text[pg->len] = '\0';
}

/* ---- following the file ---- */

/* Skip the markup at s->sp ('<'): a comment, a doctype or processing
 * instruction, a tag with its quoted attributes. */
static void skip_markup(state *s)
{
	const char *p = s->src, *end = s->src + s->n;
	size_t i = s->sp;
	if (s->n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
		const char *e = memmem(p + i + 4, (size_t)(end - (p + i + 4)), "-->", 3);
		s->sp = e ? (size_t)(e - p) + 3 : s->n;
		return;
	}
	char q = 0;
	for (i++; i < s->n; i++) {
		char c = p[i];
		if (q) {
			if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			/* quotes only matter inside a tag's attributes */
			if (p[s->sp + 1] != '!' && p[s->sp + 1] != '?')
				q = c;
		} else if (c == '>') {
			break;
		}
	}
	s->sp = i < s->n ? i + 1 : s->n;
}

/* The UTF-8 bytes of the entity at s->sp ('&') into out (up to 8), and
 * its length in the file; 0 when it is not one. */
static size_t entity_at(const state *s, char *out, size_t *outlen)
{
	const char *p = s->src + s->sp;
	size_t max = RP_MIN(s->n - s->sp, (size_t)40), semi = 1;
	while (semi < max && (isalnum((unsigned char)p[semi]) || p[semi] == '#'))
		semi++;
	if (semi >= max || p[semi] != ';' || semi < 2)
		return 0;
	unsigned long cp = 0;
	if (p[1] == '#') {
		int hex = semi > 2 && (p[2] == 'x' || p[2] == 'X');
		size_t k = hex ? 3 : 2;
		if (k >= semi)
			return 0;
		for (; k < semi; k++) {
			char c = p[k];
			int d = c >= '0' && c <= '9' ? c - '0'
				: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
				: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0 || cp > 0x10FFFF)
				return 0;
			cp = cp * (hex ? 16 : 10) + (unsigned long)d;
		}
	} else {
		char name[40];
		memcpy(name, p + 1, semi - 1);
		name[semi - 1] = '\0';
		const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
		if (!e)
			return 0;
		cp = e->value;
	}
	if (cp == 0 || cp > 0x10FFFF)
		return 0;
	size_t k = (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
						(utf8proc_uint8_t *)out);
	if (!k)
		return 0;
	*outlen = k;
	return semi + 1;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Where in the file each byte of the parser's text t[0..n) is, into
 * off[]. */
static void follow(state *s, const char *t, size_t n, where *off)
{
	for (size_t i = 0; i < n;) {
		if (s->pg->lost || s->sp >= s->n) {
			s->pg->lost = 1;
			off[i++] = (where){ s->n, 0 };
			continue;
		}
		char c = s->src[s->sp];
		if (c == '&') {
			/* an entity first: "&amp;" is '&' too */
			char e[8];
			size_t elen = 0, flen = entity_at(s, e, &elen);
			if (flen && elen <= n - i && memcmp(t + i, e, elen) == 0) {
				for (size_t k = 0; k < elen; k++)
					off[i + k] = (where){ s->sp, flen };
				i += elen;
				s->sp += flen;
				continue;
			}
		}
		if (c == '<' && s->sp + 1 < s->n &&
		    (isalpha((unsigned char)s->src[s->sp + 1]) ||
		     s->src[s->sp + 1] == '/' || s->src[s->sp + 1] == '!' ||
		     s->src[s->sp + 1] == '?')) {
			/* markup, even where the text has a '<' (from &lt;) */
			skip_markup(s);
			continue;
		}
		if (c == t[i]) {
			off[i++] = (where){ s->sp++, 0 };
			continue;
		}
		if (c == '\r' && t[i] == '\n') {
			/* CR LF and a lone CR are a line feed to the parser */
			size_t w = s->sp + 1 < s->n && s->src[s->sp + 1] == '\n' ? 2 : 1;
			off[i++] = (where){ s->sp, w };
			s->sp += w;
			continue;
		}
		if (is_ws(c)) {
			/* white space the parser left out (between blocks) */
			s->sp++;
			continue;
		}
		s->pg->lost = 1;
	}
}

/* The raw text of a script or style element, t[0..n): in the file as it
 * is, after the element's tag; off[] one for one. */
static void follow_raw(state *s, const char *t, size_t n, where *off)
{
	while (!s->pg->lost) {
		if (s->sp <= s->n && n <= s->n - s->sp &&
		    memcmp(s->src + s->sp, t, n) == 0) {
			for (size_t i = 0; i < n; i++)
				off[i] = (where){ s->sp + i, 0 };
			s->sp += n;
			return;
		}
		if (s->sp < s->n && s->src[s->sp] == '<')
			skip_markup(s);
		else if (s->sp < s->n && is_ws(s->src[s->sp]))
			s->sp++;
		else
			s->pg->lost = 1;
	}
	for (size_t i = 0; i < n; i++)
		off[i] = (where){ s->n, 0 };
}

/* ---- the parser's callbacks ---- */

static void emit(state *s, const char *t, size_t n, const where *off)
{
	for (size_t i = 0; i < n && !s->err; i++) {
		char c = t[i];
		if (s->pre) {
			if (c == '\n') {
				s->brk = s->brk > 1 ? s->brk : 1;
				s->space = 0;
				continue;
			}
		} else if (is_ws(c)) {
			if (!s->space)
				s->space_src = off[i].src;
			s->space = 1;
			continue;
		}
		rp_html_page *pg = s->pg;
		/* (a line break or space of markup is the file's nothing,
		 * just before the next character) */
		where none = { off[i].src, 0 };
		if (pg->len && s->brk) {
			if (pg->text[pg->len - 1] != '\n')
				put(s, '\n', none);
			if (s->brk > 1 && pg->len > 1 && pg->text[pg->len - 2] != '\n')
				put(s, '\n', none);
		} else if (pg->len && s->space && pg->text[pg->len - 1] != '\n')
			/* (one blank between two words stays one for one) */
			put(s, ' ', (where){ s->space_src, 0 });
		s->brk = s->space = 0;
		put(s, c, off[i]);
	}
}

static void text(state *s, const xmlChar *ch, int len, int raw);

static void on_chars(void *ud, const xmlChar *ch, int len)
{
	text(ud, ch, len, 0);
}

/* The HTML parser's "CDATA": the content of script and style. */
static void on_raw(void *ud, const xmlChar *ch, int len)
{
	text(ud, ch, len, 1);
}

static void text(state *s, const xmlChar *ch, int len, int raw)
{
	if (s->err || len <= 0)
		return;
	size_t n = (size_t)len;
	where *off = malloc(n * sizeof(*off));
	if (!off) {
		s->err = RP_ENOMEM;
		return;
	}
	if (raw)
		follow_raw(s, (const char *)ch, n, off);
	else
		follow(s, (const char *)ch, n, off);
	if (s->title) {
		if (RP_GROW(s->tbuf, s->tcap, s->tlen + n + 1) < 0)
			s->err = RP_ENOMEM;
		else {
			memcpy(s->tbuf + s->tlen, ch, n);
			s->tlen += n;
			s->tbuf[s->tlen] = '\0';
		}
	} else if (!s->skip) {
		emit(s, (const char *)ch, n, off);
	}
	free(off);
}

static const char *attr(const xmlChar **atts, const char *name)
{
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (strcasecmp((const char *)atts[i], name) == 0)
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

static void set_once(state *s, char **slot, const char *v)
{
	if (*slot || !v || !*v)
		return;
	*slot = strdup(v);
	if (!*slot)
		s->err = RP_ENOMEM;
}

/* A block element's start or end: a line break or a blank line pending. */
static void block(state *s, const char *nm)
{
	int b = in_list(PARA, nm) ? 2 : in_list(BLOCK, nm) ? 1 : 0;
	if (b > s->brk)
		s->brk = b;
}

static void on_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
	state *s = ud;
	const char *nm = (const char *)name;
	if (strcasecmp(nm, "title") == 0 && !s->pg->title) {
		s->title++;
		return;
	}
	if (strcasecmp(nm, "meta") == 0) {
		const char *key = attr(atts, "property");
		if (!key)
			key = attr(atts, "name");
		if (!key)
			key = attr(atts, "itemprop");
		const char *content = attr(atts, "content");
		if (key && in_list(DATE_META, key))
			set_once(s, &s->pg->date, content);
		else if (key && strcasecmp(key, "og:site_name") == 0)
			set_once(s, &s->pg->site, content);
		return;
	}
	if (strcasecmp(nm, "time") == 0)
		set_once(s, &s->pg->date, attr(atts, "datetime"));
	if (in_list(SKIP, nm))
		s->skip++;
	else
		block(s, nm);
	if (strcasecmp(nm, "pre") == 0)
		s->pre++;
}

static void on_end(void *ud, const xmlChar *name)
{
	state *s = ud;
	const char *nm = (const char *)name;
	if (strcasecmp(nm, "title") == 0 && s->title) {
		s->title--;
		/* the first title, its white space collapsed */
		if (!s->title && !s->pg->title && s->tbuf) {
			size_t k = 0;
			int sp = 0;
			for (size_t i = 0; i < s->tlen; i++) {
				if (is_ws(s->tbuf[i])) {
					sp = k > 0;
					continue;
				}
				if (sp)
					s->tbuf[k++] = ' ';
				sp = 0;
				s->tbuf[k++] = s->tbuf[i];
			}
			s->tbuf[k] = '\0';
			if (k) {
				s->pg->title = s->tbuf;
				s->tbuf = NULL;
				s->tcap = 0;
			}
			s->tlen = 0;
		}
		return;
	}
	if (in_list(SKIP, nm) && s->skip)
		s->skip--;
	else
		block(s, nm);
	if (strcasecmp(nm, "pre") == 0 && s->pre)
		s->pre--;
}

/* libxml2's own complaints about the page are not ours to print. */
static void quiet(void *ud, const char *msg, ...)
{
	(void)ud;
	(void)msg;
}

static void quiet_structured(void *ud, xmlErrorPtr e)
{
	(void)ud;
	(void)e;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
	xmlInitParser();
}

int rp_html_parse(const char *src, size_t n, rp_html_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	/* (libxml2 is set up once, before any thread uses it) */
	pthread_once(&init_once, init_libxml);
	RETURN_ERROR_IF(n > INT32_MAX, RP_ELIMIT);
	state s;
	memset(&s, 0, sizeof(s));
	s.pg = pg;
	s.src = src;
	s.n = n;
	htmlSAXHandler sax;
	memset(&sax, 0, sizeof(sax));
	sax.startElement = on_start;
	sax.endElement = on_end;
	sax.characters = on_chars;
	sax.cdataBlock = on_raw;
	sax.ignorableWhitespace = on_chars;
	sax.warning = quiet;
	sax.error = quiet;
	sax.serror = quiet_structured;
	htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&sax, &s, NULL, 0, NULL,
							   XML_CHAR_ENCODING_UTF8);
	if (!ctxt)
		return RP_ENOMEM;
	/* UTF-8 whatever the page declares (the readers take UTF-8 only);
	 * nothing fetched; no messages. */
	htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					 HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
	/* A malformed page is read as far as it goes, as browsers do: the
	 * parser's status says nothing a reader could act on. */
	(void)htmlParseChunk(ctxt, src, (int)n, 1);
	htmlFreeParserCtxt(ctxt);
	free(s.tbuf);
	if (s.err) {
		rp_html_page_free(pg);
		return s.err;
	}
	if (!pg->text) {
		pg->text = strdup("");
		if (!pg->text)
			return RP_ENOMEM;
	}
	return RP_OK;
}

void rp_html_page_free(rp_html_page *pg)
{
	if (!pg)
		return;
	free(pg->text);
	free(pg->title);
	free(pg->date);
	free(pg->site);
	free(pg->map);
	memset(pg, 0, sizeof(*pg));
}

int rp_html_sniff(const char *buf, size_t n)
{
	size_t i = 0;
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && is_ws(buf[i]))
		i++;
	/* a leading comment is common before the doctype */
	while (n - i >= 4 && memcmp(buf + i, "<!--", 4) == 0) {
		const char *e = memmem(buf + i + 4, n - i - 4, "-->", 3);
		if (!e)
			return 0;
		i = (size_t)(e - buf) + 3;
		while (i < n && is_ws(buf[i]))
			i++;
	}
	return (n - i >= 14 && strncasecmp(buf + i, "<!doctype html", 14) == 0) ||
	       (n - i >= 5 && strncasecmp(buf + i, "<html", 5) == 0 &&
		(n - i == 5 || buf[i + 5] == '>' || is_ws(buf[i + 5])));
}

/* The anchor holding text byte at: its index; at >= map[0].text. */
static size_t anchor_of(const rp_anchor *map, size_t n, size_t at)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (map[mid].text <= at)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int rp_anchor_range(const rp_anchor *map, size_t n, size_t from, size_t to,
		    size_t *start, size_t *end)
{
	if (!n || from >= to || from < map[0].text)
		return 0;
	const rp_anchor *a = &map[anchor_of(map, n, from)];
	*start = a->width ? a->src : a->src + (from - a->text);
	a = &map[anchor_of(map, n, to - 1)];
	*end = a->width ? a->src + a->width : a->src + (to - 1 - a->text) + 1;
	return 1;
}
