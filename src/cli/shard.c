/*
 * shard.c - `reprint shard read|chrome|sign|pairs|verify|finish`: scan as
 * stages over shards (the library's rp_shard) from the command line.
 *
 * The first stage keeps the run's parameters in the work folder: the
 * analysis, question and reading options it was given and the inputs, as
 * NUL-separated tokens (options, "--", inputs). Every later stage parses
 * them as scan would, so that all stages ask the same question; its own
 * options are only how to run (threads, memory) and, for finish, where
 * the outputs go.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* The run's parameters from the read stage's command line. */
static int make_params(int argc, char **argv, char **out, size_t *len)
{
	char **tok = NULL;
	size_t n = 0, total = 0;
	if (option_args(argc, argv, optind, ARGS_PARAMS, &tok, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		total += strlen(tok[i]) + 1;
	total += 3;
	for (int i = optind; i < argc; i++)
		total += strlen(argv[i]) + 1;
	char *p = malloc(total + 1);
	if (!p) {
		free(tok);
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(p + k, tok[i], strlen(tok[i]) + 1);
		k += strlen(tok[i]) + 1;
	}
	memcpy(p + k, "--", 3);
	k += 3;
	for (int i = optind; i < argc; i++) {
		memcpy(p + k, argv[i], strlen(argv[i]) + 1);
		k += strlen(argv[i]) + 1;
	}
	free(tok);
	*out = p;
	*len = k;
	return 0;
}

/* Parse the parameters kept in the folder into cl (as scan's options);
 * *keep holds the strings cl points to (the caller frees it). */
static int take_params(cli *cl, rp_shard *s, char **keep)
{
	const void *pv;
	size_t len;
	rp_shard_params(&pv, &len, s);
	const char *p = pv;
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += p[i] == '\0';
	char **argv = calloc(n + 2, sizeof(*argv));
	char *copy = malloc(len + 1);
	if (!argv || !copy) {
		free(argv);
		free(copy);
		msg("out of memory");
		return -1;
	}
	memcpy(copy, p, len);
	copy[len] = '\0';
	int argc = 0;
	argv[argc++] = "scan";
	for (size_t i = 0; i < len; i += strlen(copy + i) + 1) {
		if (strcmp(copy + i, "--") == 0)
			break;
		argv[argc++] = copy + i;
	}
	const char *cmd = cur_cmd;
	int rc = parse_opts(cl, CMD_SCAN, argc, argv);
	cur_cmd = cmd;
	free(argv);
	*keep = copy;
	if (rc != 0) {
		msg("the run's parameters in the work folder do not parse");
		return -1;
	}
	return 0;
}

/* The exit status of a failed stage. */
static int stage_fail(rp_shard *s, int err)
{
	msg("%s", s && *rp_shard_error(s) ? rp_shard_error(s) : rp_strerror(err));
	return err == RP_EINVAL ? EXIT_USAGE : EXIT_FAIL;
}

static int stage_read(cli *cl, int argc, char **argv)
{
	if (!cl->part_set)
		return usage_error("shard read needs --shard I/N");
	if (!cl->output)
		return usage_error("shard read needs -o DIR (the work folder)");
	if (optind >= argc)
		return usage_error("shard read needs at least one INPUT");
	if (options_in_full(argc, argv, optind))
		return EXIT_USAGE;
	char *params = NULL;
	size_t plen = 0;
	rp_shard *s = NULL;
	rp_corpus *c = NULL;
	int rc = EXIT_OK, dirs = 0;
	if (make_params(argc, argv, &params, &plen) < 0) {
		msg("out of memory");
		return EXIT_FAIL;
	}
	/* Several directory roots: ids keep the root's name (as scan). */
	for (int i = optind; i < argc; i++) {
		struct stat st;
		dirs += stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode);
	}
	cl->ro.root_names = dirs > 1;
	int err = rp_shard_open(&s, cl->output, params, plen);
	if (err < 0) {
		rc = stage_fail(s, err);
		goto done;
	}
	if (!(c = new_bounded_corpus(cl, &rc)))
		goto done;
	err = rp_shard_read(s, c, &cl->q, (const char *const *)argv + optind,
			    (size_t)(argc - optind), cl->part_i, cl->part_n,
			    &cl->ro);
	if (err < 0) {
		rc = stage_fail(s, err);
		goto done;
	}
	if (!cl->quiet)
		fprintf(stderr, "%s: shard read %u/%u: %zu records, %zu documents, "
			"%zu rejected (listed by finish)\n", progname, cl->part_i,
			cl->part_n, rp_corpus_records_seen(c), rp_corpus_count(c),
			rp_corpus_reject_count(c));
done:
	free(params);
	rp_corpus_free(c);
	rp_shard_free(s);
	return rc;
}

int cmd_shard(cli *cl, unsigned cmd, int argc, char **argv)
{
	if (cmd == CMD_SHARD_READ)
		return stage_read(cl, argc, argv);
	if (optind != argc - 1)
		return usage_error("%s needs the work folder DIR (and nothing else)",
				   cur_cmd);
	if ((cmd == CMD_SHARD_SIGN || cmd == CMD_SHARD_PAIRS ||
	     cmd == CMD_SHARD_VERIFY) && !cl->part_set)
		return usage_error("%s needs --%s I/N", cur_cmd,
				   cmd == CMD_SHARD_SIGN ? "shard" : "part");
	const char *dir = argv[optind];
	rp_shard *s = NULL;
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	char *keep = NULL;
	int rc = EXIT_OK;
	run_state rs;
	memset(&rs, 0, sizeof(rs));
	int err = rp_shard_open(&s, dir, NULL, 0);
	if (err < 0) {
		rc = stage_fail(s, err);
		goto done;
	}
	if (cmd == CMD_SHARD_CHROME) {
		err = rp_shard_chrome(s);
		rc = err < 0 ? stage_fail(s, err) : EXIT_OK;
		goto done;
	}
	if (take_params(cl, s, &keep) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	if (cmd == CMD_SHARD_FINISH)
		run_start(&rs, cl);
	if (!(c = new_bounded_corpus(cl, &rc)))
		goto done;
	switch (cmd) {
	case CMD_SHARD_SIGN:
		err = rp_shard_sign(s, c, &cl->q, cl->part_i);
		break;
	case CMD_SHARD_PAIRS:
		err = rp_shard_pairs(s, c, &cl->q, cl->part_i, cl->part_n);
		break;
	case CMD_SHARD_VERIFY:
		err = rp_shard_verify(s, c, &cl->q, cl->part_i, cl->part_n);
		break;
	default:
		/* (only the HTML report prints the pairs' texts) */
		rp_shard_print_texts(s, cl->html != NULL);
		err = rp_shard_finish(s, c, &cl->q, &r);
		break;
	}
	if (err < 0) {
		rc = stage_fail(s, err);
		goto done;
	}
	if (cmd == CMD_SHARD_FINISH) {
		run_stop_progress(&rs);
		rc = report_answer(cl, c, r, &rs, SIZE_MAX, 0.0);
	}
done:
	free(rs.ps);
	rp_corpus_free(c);
	rp_shard_free(s);
	free(keep);
	return rc;
}
