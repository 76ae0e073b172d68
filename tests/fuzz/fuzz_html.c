/* Fuzz target: bytes as an HTML page. rp_html_parse directly, with its
 * promises checked: the text is NUL-free and as long as it says; unless
 * the page is marked lost, every anchor is inside the file and ascending,
 * a one-for-one text byte other than an inserted space or line break is
 * the file's byte, and a wide one (an entity, CR LF) starts at '&' or CR;
 * valid UTF-8 in, valid UTF-8 out. Then the same bytes through the text
 * reader (a page starting like HTML is read as one): one document or one
 * rejection, and every source range it gives is inside the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "html.h"
#include "reprint.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *src = (const char *)data;
	rp_html_page pg;
	if (rp_html_parse(src, size, &pg) == RP_OK) {
		if (strlen(pg.text) != pg.len)
			abort();
		if (!pg.lost) {
			for (size_t i = 0; i < pg.nmap; i++) {
				const rp_anchor *a = &pg.map[i];
				if (a->text >= pg.len || a->src + a->width > size ||
				    (i && a->text <= pg.map[i - 1].text))
					abort();
				if (a->width && src[a->src] != '&' && src[a->src] != '\r')
					abort();
			}
			for (size_t k = 0; k < pg.len; k++) {
				size_t s, e;
				if (!rp_anchor_range(pg.map, pg.nmap, k, k + 1, &s, &e))
					abort();
				if (e > size || s >= e)
					abort();
				char ch = pg.text[k];
				if (e - s == 1 && ch != ' ' && ch != '\n' && src[s] != ch)
					abort();
			}
		}
		if (rp_utf8_invalid_at(src, size) == size &&
		    rp_utf8_invalid_at(pg.text, pg.len) != pg.len)
			abort();
		rp_html_page_free(&pg);
	}

	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("fuzz-html", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	rp_corpus *c = NULL;
	if (rp_corpus_new(&c, NULL) < 0)
		return 0;
	int err = rp_corpus_read_text(c, path, NULL);
	if (err == RP_OK && rp_corpus_count(c) != 1)
		abort();
	if (err == RP_EIO && rp_corpus_reject_count(c) != 1)
		abort();
	if (rp_corpus_count(c) == 1) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, 0);
		if (!d.text || strlen(d.text) != d.text_len)
			abort();
		size_t s, e;
		if (d.text_len && rp_corpus_source_range(&s, &e, c, 0, 0, d.text_len) == RP_OK &&
		    (s >= e || e > size))
			abort();
	}
	rp_corpus_free(c);
	return 0;
}
