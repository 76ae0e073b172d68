/*
 * html.h - HTML pages as documents (libxml2's HTML parser).
 */
#ifndef RP_HTML_H
#define RP_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

/* Where text byte `text` came from in the file: byte `src`. With width
 * 0, the bytes after it up to the next anchor follow one for one; a byte
 * of a decoded entity has its own anchor, its width the entity's length
 * in the file (&rsquo;: 7). */
typedef struct rp_anchor {
	uint32_t text, src, width;   /* (pages are parsed up to 2 GiB) */
} rp_anchor;

typedef struct rp_html_page {
	char *text;             /* the page's text, NUL-terminated */
	size_t len, cap;
	char *title;            /* <title>, spaces collapsed; NULL when none */
	char *date;             /* a publication date of its <meta> or <time> */
	char *site;             /* <meta property="og:site_name"> */
	rp_anchor *map;         /* text -> file offsets, ascending */
	size_t nmap, capmap;
	int lost;               /* the map could not follow the file */
} rp_html_page;

/*
 * Parse the UTF-8 HTML page src[0..n) (whatever its <meta charset>
 * says): text of the body, tags dropped, entities decoded, runs of
 * white space one space (kept inside <pre>), each block element (p, div,
 * li, h1-h6, tr, td, br, ...) on its own line; script, style, noscript,
 * template, svg and the rest of <head> left out. Returns RP_OK (also for
 * a page without text: len 0), RP_ENOMEM. Free with rp_html_page_free.
 */
RP_INTERNAL int rp_html_parse(const char *src, size_t n, rp_html_page *pg);
RP_INTERNAL void rp_html_page_free(rp_html_page *pg);

/* Does this file start like an HTML page (<!DOCTYPE html, <html, after
 * white space and a UTF-8 byte order mark)? */
RP_INTERNAL int rp_html_sniff(const char *buf, size_t n);

/* The file range [*start, *end) of the text range [from, to), from <
 * to, by a map; 0 when the map has no anchors. */
RP_INTERNAL int rp_anchor_range(const rp_anchor *map, size_t n, size_t from,
				size_t to, size_t *start, size_t *end);

#endif
