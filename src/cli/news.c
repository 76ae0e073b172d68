/*
 * news.c - `reprint boilerplate`: the lines learned as each outlet's
 * site chrome.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_boilerplate(cli *cl, int argc, char **argv)
{
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	int rc = EXIT_OK;

	if (optind >= argc)
		return usage_error("boilerplate needs at least one INPUT");
	cl->ao.boilerplate = RP_ON;
	if (!(c = new_corpus(cl, &rc)))
		return rc;
	for (int i = optind; i < argc; i++) {
		int err = strcmp(argv[i], "-") == 0
				  ? rp_corpus_read_jsonl(c, stdin, "(stdin)", &cl->ro)
				  : rp_corpus_read_path(c, argv[i], &cl->ro);
		if (err == RP_ENOMEM) {
			msg("out of memory reading %s", argv[i]);
			rc = EXIT_FAIL;
			goto done;
		}
	}
	for (size_t i = 0; i < rp_corpus_reject_count(c); i++) {
		rp_reject rj;
		rp_corpus_reject(&rj, c, i);
		fprintf(stderr, "%s: %s:%zu: rejected: %s\n", progname, rj.source,
			rj.line, rj.reason);
		rc = EXIT_INPUT;
	}
	if (rp_learn_boilerplate(&r, c) < 0) {
		msg("%s", rp_corpus_error(c));
		rc = EXIT_FAIL;
		goto done;
	}
	/* outlet, pages, line: the lines learned as each outlet's chrome. */
	puts("outlet\tpages\tline");
	for (size_t i = 0; i < rp_result_chrome_count(r); i++) {
		rp_chrome_line ch;
		rp_result_chrome(&ch, r, i);
		for (const char *p = ch.outlet; *p; p++)
			putchar(*p == '\t' || *p == '\n' ? ' ' : *p);
		printf("\t%zu\t", ch.pages);
		for (size_t k = 0; k < ch.line_len; k++)
			putchar(ch.line[k] == '\t' ? ' ' : ch.line[k]);
		putchar('\n');
	}
	rp_scan_stats st;
	rp_result_stats(&st, r);
	if (!cl->quiet)
		fprintf(stderr, "%s: %zu documents, %zu chrome lines learned, %zu "
			"documents with chrome left out, %zu bytes left out "
			"(chrome, datelines, credits)\n", progname,
			rp_corpus_count(c), st.chrome_lines, st.docs_stripped,
			st.bytes_excluded);
	if (fflush(stdout) != 0)
		rc = EXIT_FAIL;
done:
	rp_result_free(r);
	rp_corpus_free(c);
	return rc;
}
