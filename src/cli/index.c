/*
 * index.c - `reprint index add|query|scan|remove|stats|check DB ...`: the
 * archive index (the library's rp_index) from the command line.
 *
 * Answers come from the library's questions over the archived documents,
 * loaded in the order they were added: `index scan` is `scan` of the same
 * documents, `index query` is `scan` of the archive plus the queried
 * documents, reporting only the pairs of a queried document with an
 * archived one (the queried document as a).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Open DB; with create, make it when missing. NULL after a message. */
static rp_index *open_index(cli *cl, const char *path, unsigned flags,
			    int *rc)
{
	rp_index *ix = NULL;
	if (rp_index_new(&ix) < 0) {
		msg("out of memory");
		*rc = EXIT_FAIL;
		return NULL;
	}
	int err = rp_index_open(ix, path, cl->analysis_set ? &cl->ao : NULL, flags);
	if (err < 0) {
		msg("%s", rp_index_error(ix));
		*rc = err == RP_EINVAL ? EXIT_USAGE
		      : err == RP_ENOMEM ? EXIT_FAIL : EXIT_INPUT;
		rp_index_free(ix);
		return NULL;
	}
	/* Questions are asked with the archive's analysis options; threads
	 * and progress stay the command's. */
	rp_analysis_options ao;
	rp_index_analysis(&ao, ix);
	ao.threads = cl->ao.threads;
	ao.progress = cl->ao.progress;
	ao.progress_userdata = cl->ao.progress_userdata;
	cl->ao = ao;
	return ix;
}

/* The archive in a new corpus; NULL after a message. */
static rp_corpus *load_archive(cli *cl, rp_index *ix, int *rc)
{
	/* Scan's memory bound: texts past a 64th of it in a temporary
	 * file as they are read from the DB. */
	rp_corpus *c = new_bounded_corpus(cl, rc);
	if (!c)
		return NULL;
	int err = rp_index_load(ix, c);
	if (err < 0) {
		msg("%s", rp_index_error(ix));
		*rc = err == RP_ENOMEM || err == RP_ETEMP ? EXIT_FAIL : EXIT_INPUT;
		rp_corpus_free(c);
		return NULL;
	}
	return c;
}

/* Add documents first.. of c; report conflicts. Returns the exit status. */
static int add_docs(cli *cl, rp_index *ix, const rp_corpus *c, size_t first,
		    run_state *rs)
{
	rp_index_add_stats st;
	int err = rp_index_add(ix, c, first, cl->replace, cl->batch, &st);
	if (rs)
		run_stop_progress(rs);
	const size_t *conf;
	size_t nconf;
	rp_index_conflicts(&conf, &nconf, ix);
	for (size_t i = 0; i < nconf; i++) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, conf[i]);
		msg("%s:%zu: '%s' is in the index with another text; not "
		    "replaced (--replace replaces it)", d.source ? d.source : "",
		    d.line, d.id);
	}
	if (!cl->quiet)
		fprintf(stderr, "%s: %zu added, %zu unchanged, %zu replaced, %zu "
			"conflicts, in %zu batches\n", progname, st.added,
			st.unchanged, st.replaced, st.conflicts, st.batches);
	if (err < 0) {
		msg("%s", rp_index_error(ix));
		return err == RP_ENOMEM ? EXIT_FAIL
		       : err == RP_ELIMIT ? EXIT_INPUT : EXIT_FAIL;
	}
	return nconf ? EXIT_INPUT : EXIT_OK;
}

static int index_add(cli *cl, const char *db, int argc, char **argv, int first)
{
	int rc = EXIT_OK;
	run_state rs;
	run_start(&rs, cl);
	rp_index *ix = open_index(cl, db, RP_INDEX_CREATE, &rc);
	if (!ix) {
		run_stop_progress(&rs);
		return rc;
	}
	rp_corpus *c = new_bounded_corpus(cl, &rc);
	if (c && (rc = read_inputs(cl, c, argc, argv, first)) == EXIT_OK) {
		size_t nrej = print_rejects(c, cl->quiet);
		if (cl->rejects) {
			rp_result *none = NULL;
			if (write_report(cl->rejects, REPORT_REJECTS, c, none, cl) < 0)
				rc = EXIT_FAIL;
		}
		int arc = add_docs(cl, ix, c, 0, &rs);
		if (arc > rc)
			rc = arc;
		if (rc == EXIT_OK && nrej)
			rc = EXIT_INPUT;
	}
	run_stop_progress(&rs);
	rp_corpus_free(c);
	rp_index_free(ix);
	return rc;
}

static int index_query(cli *cl, const char *db, int argc, char **argv, int first)
{
	int rc = EXIT_OK;
	run_state rs;
	run_start(&rs, cl);
	rp_index *ix = open_index(cl, db, cl->add ? 0 : RP_INDEX_READONLY, &rc);
	rp_corpus *c = ix ? new_bounded_corpus(cl, &rc) : NULL;
	if (c && (rc = read_inputs(cl, c, argc, argv, first)) == EXIT_OK) {
		double read_secs = secs_since(&rs.t0);
		rp_corpus *work = NULL;
		rp_result *r = NULL;
		rp_index_query_stats qs;
		cl->q.release = 1;
		int err = rp_index_query(ix, c, &cl->q, &work, &r, &qs);
		run_stop_progress(&rs);
		if (err < 0) {
			msg("%s", rp_index_error(ix));
			rc = err == RP_EINVAL ? EXIT_USAGE
			     : err == RP_EINPUT ? EXIT_INPUT : EXIT_FAIL;
		} else {
			if (!cl->quiet) {
				if (qs.why_whole)
					fprintf(stderr, "%s: the whole archive was read "
						"(%s)\n", progname, qs.why_whole);
				else
					fprintf(stderr, "%s: %zu archived documents read "
						"(%zu whose chrome the query changes), "
						"%zu candidate pairs\n", progname,
						qs.archived_read, qs.affected,
						qs.candidates);
			}
			rc = report_answer(cl, work, r, &rs, qs.first_query, read_secs);
		}
		rp_corpus_free(work);
		if (cl->add && err == RP_OK && rc != EXIT_FAIL) {
			int arc = add_docs(cl, ix, c, 0, NULL);
			if (arc > rc)
				rc = arc;
		}
	}
	free(rs.ps);
	rp_corpus_free(c);
	rp_index_free(ix);
	return rc;
}

static int index_scan(cli *cl, const char *db)
{
	int rc = EXIT_OK;
	if (cl->html && html_target_ok(cl->html) < 0)
		return EXIT_USAGE;
	run_state rs;
	run_start(&rs, cl);
	rp_index *ix = open_index(cl, db, RP_INDEX_READONLY, &rc);
	rp_corpus *c = ix ? load_archive(cl, ix, &rc) : NULL;
	if (c)
		rc = ask_and_report(cl, c, &rs, SIZE_MAX);
	free(rs.ps);
	rp_corpus_free(c);
	rp_index_free(ix);
	return rc;
}

static int index_remove(cli *cl, const char *db, int argc, char **argv,
			int first)
{
	int rc = EXIT_OK;
	if (first >= argc)
		return usage_error("index remove needs at least one ID");
	rp_index *ix = open_index(cl, db, 0, &rc);
	if (!ix)
		return rc;
	size_t removed = 0, n = (size_t)(argc - first);
	int err = rp_index_remove(ix, (const char *const *)(argv + first), n,
				  &removed);
	if (err < 0) {
		msg("%s", rp_index_error(ix));
		rc = EXIT_FAIL;
	} else {
		if (!cl->quiet)
			fprintf(stderr, "%s: %zu removed\n", progname, removed);
		if (removed < n) {
			msg("%zu of the ids given were not in the index", n - removed);
			rc = EXIT_INPUT;
		}
	}
	rp_index_free(ix);
	return rc;
}

static int index_stats(cli *cl, const char *db)
{
	int rc = EXIT_OK;
	rp_index *ix = open_index(cl, db, RP_INDEX_READONLY, &rc);
	if (!ix)
		return rc;
	rp_index_stats st;
	if (rp_index_get_stats(&st, ix) < 0) {
		msg("%s", rp_index_error(ix));
		rp_index_free(ix);
		return EXIT_FAIL;
	}
	const rp_analysis_options *a = &st.analysis;
	printf("documents\t%zu\noutlets\t%zu\nbatches\t%zu\ntext_bytes\t%llu\n"
	       "file_bytes\t%llu\n", st.documents, st.outlets, st.batches,
	       (unsigned long long)st.text_bytes,
	       (unsigned long long)st.file_bytes);
	if (st.documents)
		printf("bytes_per_document_beyond_text\t%.1f\n",
		       ((double)st.file_bytes - (double)st.text_bytes) /
			       (double)st.documents);
	printf("schema_version\t%d\nshingle\t%s\nk\t%u\nnum_perm\t%u\n"
	       "minhash\t%s\nseed\t%llu\ninclude_title\t%d\nboilerplate\t%s\n"
	       "chrome_min_pages\t%u\n", st.schema_version,
	       a->shingle == RP_SHINGLE_CHAR ? "char" : "word", a->k, a->num_perm,
	       a->minhash == RP_MINHASH_CLASSIC ? "classic" : "oph",
	       (unsigned long long)a->seed, a->include_title,
	       a->boilerplate ? "auto" : "off", a->chrome_min_pages);
	if (fflush(stdout) != 0)
		rc = EXIT_FAIL;
	rp_index_free(ix);
	return rc;
}

static int index_check(cli *cl, const char *db)
{
	int rc = EXIT_OK;
	rp_index *ix = open_index(cl, db, RP_INDEX_READONLY, &rc);
	if (!ix)
		return rc;
	int err = rp_index_check(ix);
	if (err < 0) {
		msg("%s", rp_index_error(ix));
		rc = err == RP_ENOMEM ? EXIT_FAIL : EXIT_INPUT;
	} else if (!cl->quiet) {
		fprintf(stderr, "%s: %s: ok\n", progname, db);
	}
	rp_index_free(ix);
	return rc;
}

int cmd_index(cli *cl, unsigned cmd, int argc, char **argv)
{
	if (optind >= argc)
		return usage_error("index %s needs a DB", cur_cmd + 6);
	const char *db = argv[optind];
	int first = optind + 1;
	switch (cmd) {
	case CMD_INDEX_ADD:
		if (first >= argc)
			return usage_error("index add needs at least one INPUT");
		return index_add(cl, db, argc, argv, first);
	case CMD_INDEX_QUERY:
		if (first >= argc)
			return usage_error("index query needs at least one INPUT");
		return index_query(cl, db, argc, argv, first);
	case CMD_INDEX_SCAN:
		if (first < argc)
			return usage_error("index scan takes only the DB: '%s'", argv[first]);
		return index_scan(cl, db);
	case CMD_INDEX_REMOVE:
		return index_remove(cl, db, argc, argv, first);
	case CMD_INDEX_STATS:
		if (first < argc)
			return usage_error("index stats takes only the DB: '%s'", argv[first]);
		return index_stats(cl, db);
	default:
		if (first < argc)
			return usage_error("index check takes only the DB: '%s'", argv[first]);
		return index_check(cl, db);
	}
}
