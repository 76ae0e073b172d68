/*
 * html.c - `reprint scan --html DIR`: the library's HTML report pages
 * written into DIR (index.html, pair-N.html).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* One page of the report into dir/name; -1 after a message. */
static int page(const char *dir, const char *name, const rp_result *r,
		size_t pair, int index)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	if (!fp) {
		msg("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	rp_sink sink = { rp_sink_stdio, fp };
	int err = index ? rp_report_html_index(&sink, r)
			: rp_report_html_pair(&sink, r, pair);
	int bad = ferror(fp);
	if (fclose(fp) != 0 || bad || err < 0) {
		msg("cannot write %s: %s", path,
		    err < 0 && err != RP_EIO ? rp_strerror(err) : strerror(errno));
		return -1;
	}
	return 0;
}

int write_html(const char *dir, const rp_result *r)
{
	char name[64];
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		msg("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < rp_result_pair_count(r); i++) {
		snprintf(name, sizeof(name), "pair-%zu.html", i + 1);
		if (page(dir, name, r, i, 0) < 0)
			return -1;
	}
	return page(dir, "index.html", r, 0, 1);
}
