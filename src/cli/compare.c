/*
 * compare.c - `reprint compare A B`: one pair, explained for a person, by
 * the library's terminal view (rp_report_view): relation, whether the
 * question reports it and why, source, exact scores, and the shared
 * passages side by side. Colour on a terminal unless NO_COLOR is set.
 * With --in, A and B are documents of a collection, seen with what it
 * taught; two loose files learn no site chrome, and the view says so.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

int cmd_compare(cli *cl, int argc, char **argv)
{
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	int rc = EXIT_OK, err;
	size_t ia = 0, ib = 1;

	if (argc - optind != 2)
		return usage_error("compare needs two documents: A B");
	const char *A = argv[optind], *B = argv[optind + 1];
	if (!(c = new_corpus(cl, &rc)))
		return rc;
	if (cl->in) {
		if (rp_corpus_read_path(c, cl->in, &cl->ro) == RP_ENOMEM) {
			msg("out of memory reading %s", cl->in);
			rc = EXIT_FAIL;
			goto done;
		}
		print_rejects(c, cl->quiet);
		const char *missing = rp_corpus_find(&ia, c, A) < 0 ? A
				      : rp_corpus_find(&ib, c, B) < 0 ? B : NULL;
		if (missing) {
			msg("no document with id '%s' in %s", missing, cl->in);
			rc = EXIT_INPUT;
			goto done;
		}
		if (ia == ib)
			return rp_corpus_free(c),
			       usage_error("compare needs two different documents");
	} else if (rp_corpus_read_text(c, A, &cl->ro) < 0 ||
		   rp_corpus_read_text(c, B, &cl->ro) < 0) {
		print_rejects(c, cl->quiet);
		rc = EXIT_INPUT;
		goto done;
	}

	err = rp_corpus_compare(&r, c, ia, ib, &cl->q);
	if (err < 0) {
		msg("cannot compare: %s", rp_corpus_error(c));
		rc = err == RP_EINPUT ? EXIT_INPUT : EXIT_FAIL;
		goto done;
	}

	const char *nc = getenv("NO_COLOR");
	rp_view_options v = { RP_VIEW_OPTIONS_VERSION, 0, 100 };
	v.color = isatty(STDOUT_FILENO) && !(nc && *nc);
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 40)
		v.width = ws.ws_col;
	if (!cl->in)
		printf("chrome        none learned: two loose files (layout chrome, "
		       "datelines and credits are left out; --in COLLECTION "
		       "compares with what a collection teaches)\n");
	rp_sink sink = { rp_sink_stdio, stdout };
	err = rp_report_view(&sink, r, 0, &v);
	if (err < 0) {
		if (err != RP_EIO)
			msg("cannot show the pair: %s", rp_strerror(err));
		rc = EXIT_FAIL;
	}
done:
	if (fflush(stdout) != 0 && rc == EXIT_OK)
		rc = EXIT_FAIL;
	rp_result_free(r);
	rp_corpus_free(c);
	return rc;
}
