/*
 * main.c - the reprint command line: a thin client of reprint.h.
 *
 * It parses options, feeds inputs to the library, writes the results and
 * turns statuses into messages and exit codes. It never reaches past the
 * public header.
 *
 * Exit codes: 0 ok; 1 input errors (some records or files rejected; results
 * for the rest were written); 2 bad usage; 3 failure (out of memory, an
 * output that could not be written, an internal error).
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"


const char *progname = "reprint";

void msg(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cur_cmd)
		fprintf(stderr, "\nTry 'reprint %s --help'.\n", cur_cmd);
	else
		fprintf(stderr, "\nTry 'reprint --help'.\n");
	return EXIT_USAGE;
}

int parse_uint(const char *s, long long lo, long long hi,
		      long long *out)
{
	const char *err = NULL;
	long long v = strtonum(s, lo, hi, &err);
	if (err)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	if (!(*s >= '0' && *s <= '9'))
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	unsigned shift = 0;
	if (*end) {
		const char *units = "KMGT";
		const char *u = strchr(units, *end & ~0x20);
		if (!u || !*u || (end[1] && !((end[1] == 'B' || end[1] == 'b') &&
					      !end[2])))
			return -1;
		shift = 10 * (unsigned)(u - units + 1);
	}
	if (v > (SIZE_MAX >> shift))
		return -1;
	*out = (size_t)v << shift;
	return 0;
}

size_t default_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	size_t ram = pages > 0 && page > 0 ? (size_t)pages * (size_t)page
					   : (size_t)8 << 30;
	return ram / 8 < ((size_t)1 << 30) ? ram / 8 : (size_t)1 << 30;
}

/* "3600", "3600s", "90m", "48h", "7d", "2w" -> seconds (> 0). */
int parse_duration(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !(v > 0))
		return -1;
	double mult = 1;
	if (*end && end[1] == '\0') {
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 7 * 86400; break;
		default: return -1;
		}
	} else if (*end) {
		return -1;
	}
	if (v * mult > 9e15)
		return -1;
	*out = (int64_t)(v * mult);
	return *out > 0 ? 0 : -1;
}

int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

/* An output file written under a temporary name and renamed when complete. */

int out_open(outfile *o, const char *path)
{
	o->path = path;
	o->tmp = NULL;
	if (!path || strcmp(path, "-") == 0) {
		o->path = NULL;
		o->fp = stdout;
		return 0;
	}
	/* Devices, pipes and links (/dev/stdout, a FIFO) are written in
	 * place; only regular files get the temporary name and rename. */
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->fp = fopen(path, "w");
		if (!o->fp) {
			msg("cannot write %s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	size_t n = strlen(path) + 32;
	o->tmp = malloc(n);
	if (!o->tmp)
		return -1;
	snprintf(o->tmp, n, "%s.tmp.%ld", path, (long)getpid());
	o->fp = fopen(o->tmp, "w");
	if (!o->fp) {
		msg("cannot write %s: %s", o->tmp, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	return 0;
}

/* Flush and publish; on failure remove the temporary file. */
int out_close(outfile *o, int ok)
{
	int rc = 0;
	const char *name = o->path ? o->path : "standard output";
	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		msg("cannot write %s: %s", name, strerror(errno));
		rc = -1;
	}
	if (o->path && !o->tmp) {
		if (fclose(o->fp) != 0 && rc == 0) {
			msg("cannot write %s: %s", name, strerror(errno));
			rc = -1;
		}
	} else if (o->path) {
		if (fclose(o->fp) != 0 && rc == 0) {
			msg("cannot write %s: %s", name, strerror(errno));
			rc = -1;
		}
		if (rc == 0 && ok && rename(o->tmp, o->path) != 0) {
			msg("cannot rename %s to %s: %s", o->tmp, o->path,
			    strerror(errno));
			rc = -1;
		}
		if (rc != 0 || !ok)
			remove(o->tmp);
		free(o->tmp);
	}
	return rc;
}

/* ---- progress line (terminal only) ---- */

typedef struct progress_state {
	struct timespec start;
	double last, stage_start;
	char stage[16];
	int shown;
} progress_state;

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static int show_progress(const rp_progress *p, void *ud)
{
	progress_state *ps = ud;
	double el = since(&ps->start);
	if (strcmp(ps->stage, p->stage) != 0) {
		snprintf(ps->stage, sizeof(ps->stage), "%s", p->stage);
		ps->stage_start = el;
	}
	if (el - ps->last < 0.2)
		return 0;
	ps->last = el;
	ps->shown = 1;
	if (strcmp(p->stage, "read") == 0) {
		fprintf(stderr, "\r\033[K%s: read %zu records, %.1f MB, %.1f MB/s, %.1f s",
			progname, p->done, (double)p->bytes / 1e6,
			el > 0 ? (double)p->bytes / 1e6 / el : 0.0, el);
	} else {
		fprintf(stderr, "\r\033[K%s: %s %zu/%zu documents, %.1f s elapsed",
			progname, p->stage, p->done, p->total, el);
		double st = el - ps->stage_start;
		if (p->done && p->total > p->done && st > 0)
			fprintf(stderr, ", about %.0f s left in this stage",
				(double)(p->total - p->done) * st / (double)p->done);
	}
	fflush(stderr);
	return 0;
}

/* --progress: a whole line every 5 s (and when a stage starts, after the
 * first 5 s), for logs that are not terminals. */
static int log_progress(const rp_progress *p, void *ud)
{
	progress_state *ps = ud;
	double el = since(&ps->start);
	int new_stage = strcmp(ps->stage, p->stage) != 0;
	if (new_stage) {
		snprintf(ps->stage, sizeof(ps->stage), "%s", p->stage);
		ps->stage_start = el;
	}
	if (el - ps->last < 5.0 && !(new_stage && el >= 5.0))
		return 0;
	ps->last = el;
	if (strcmp(p->stage, "read") == 0)
		fprintf(stderr, "%s: progress: read %zu records, %.1f MB, %.1f s\n",
			progname, p->done, (double)p->bytes / 1e6, el);
	else
		fprintf(stderr, "%s: progress: %s %zu/%zu, %.1f s\n", progname,
			p->stage, p->done, p->total, el);
	fflush(stderr);
	return 0;
}

static void end_progress(progress_state *ps)
{
	if (ps->shown)
		fputs("\r\033[K", stderr);
	ps->shown = 0;
}

/* ---- reports ---- */

int write_report(const char *path, int what, const rp_corpus *c,
		 const rp_result *r, const cli *cl)
{
	outfile o;
	if (out_open(&o, path) < 0)
		return -1;
	/* (compressed when the name ends in .gz or .zst) */
	zout *z = zout_new(o.fp, path);
	if (!z) {
		msg("out of memory");
		out_close(&o, 0);
		return -1;
	}
	rp_sink sink = { zout_write, z };
	int err = RP_OK;
	switch (what) {
	case REPORT_PAIRS:
		err = rp_report_pairs(&sink, r, cl->jsonl ? RP_PAIRS_JSONL
							   : RP_PAIRS_TSV);
		break;
	case REPORT_CLUSTERS:
		err = rp_report_clusters(&sink, r, cl->singletons);
		break;
	case REPORT_SYNDICATION:
		err = rp_report_syndication(&sink, r);
		break;
	case REPORT_REJECTS:
		err = rp_report_rejects(&sink, c);
		break;
	case REPORT_DEDUP: {
		rp_dedup_stats ds;
		err = rp_report_dedup(&sink, r, &ds);
		if (err == RP_OK && !cl->quiet)
			fprintf(stderr, "%s: %s: %zu documents kept, %zu duplicates "
				"left out\n", progname, path ? path : "standard output",
				ds.kept, ds.dropped);
		break;
	}
	}
	if (zout_end(z) < 0 && err == RP_OK)
		err = RP_EIO;
	/* A write error is out_close's to name (with errno); anything else
	 * is said here. */
	if (err < 0 && err != RP_EIO)
		msg("cannot write %s: %s", path ? path : "standard output",
		    rp_strerror(err));
	return out_close(&o, err == RP_OK) < 0 || err < 0 ? -1 : 0;
}

/* ---- the corpus of a command ---- */

rp_corpus *new_corpus(cli *cl, int *rc)
{
	rp_corpus *c = NULL;
	int err = rp_corpus_new(&c, NULL);
	if (err < 0) {
		msg("cannot start: %s", rp_strerror(err));
		*rc = EXIT_FAIL;
		return NULL;
	}
	if (rp_corpus_configure(c, &cl->ao) < 0) {
		*rc = usage_error("%s", rp_corpus_error(c));
		rp_corpus_free(c);
		return NULL;
	}
	if (rp_question_check(c, &cl->q) < 0) {
		*rc = usage_error("%s", rp_corpus_error(c));
		rp_corpus_free(c);
		return NULL;
	}
	return c;
}
/* Below this bound the run allocates from one malloc arena. glibc gives
 * each thread that allocates its own arena, and what a thread frees stays
 * in its arena: a few MB per thread that no share of the bound sees (on
 * test_cli's 4 MB run with two threads and three busy loops beside, peak
 * RSS 16.1-19.2 MB with an arena per thread, 16.3-17.4 MB with one; the
 * test allows 20). One arena costs about 5% of
 * the wall time where threads allocate (news 100k, default bound: 9.7 s
 * against 9.2 s), so it is taken only where those MB are a real part of
 * the bound. */
#define ONE_ARENA_BELOW ((size_t)256 << 20)

static int bound_memory(cli *cl, rp_corpus *c)
{
	size_t bound = cl->memory_set ? cl->memory : default_memory();

	if (bound && bound < ONE_ARENA_BELOW) {
		mallopt(M_ARENA_MAX, 1);
	} else {
		/* Memory freed between stages is kept for the next rather
		 * than handed back and faulted in afresh (page zeroing was a
		 * sixth of a news scan's kernel time): blocks under glibc's
		 * largest mapping threshold come from the heaps, whose top is
		 * trimmed only past 1 GiB; larger blocks are mapped and
		 * unmapped as before. News 100k: 55,000 -> 39,000 page
		 * faults, system time 1.22 -> 1.03 s, the same peak
		 * (bench/README.md, session 19). */
		mallopt(M_MMAP_THRESHOLD, 32 << 20);
		mallopt(M_TRIM_THRESHOLD, 1 << 30);
	}
	if (rp_corpus_set_memory(c, bound, cl->tmpdir) < 0) {
		msg("cannot start: %s", rp_corpus_error(c));
		return -1;
	}
	return 0;
}

rp_corpus *new_bounded_corpus(cli *cl, int *rc)
{
	rp_corpus *c = new_corpus(cl, rc);
	if (c && bound_memory(cl, c) < 0) {
		rp_corpus_free(c);
		*rc = EXIT_FAIL;
		return NULL;
	}
	return c;
}

/* ---- tune ---- */

static int cmd_tune(cli *cl)
{
	double t = cl->q.threshold ? cl->q.threshold : 0.5;
	double recall = cl->q.target_recall ? cl->q.target_recall : 0.99;
	unsigned perms = cl->ao.num_perm ? cl->ao.num_perm : 128;
	unsigned b = cl->q.bands, r = cl->q.rows;
	int reached = 1;
	if ((b == 0) != (r == 0))
		return usage_error("--bands and --rows go together");
	if (perms > 4096)
		return usage_error("--perms must be 1..4096: %u", perms);
	if ((size_t)b * r > perms)
		return usage_error("--bands x --rows (%u x %u) exceeds --perms %u",
				   b, r, perms);
	if (b == 0 && rp_lsh_tune(&b, &r, &reached, t, perms, recall) < 0) {
		msg("cannot tune for these values");
		return EXIT_USAGE;
	}
	double p = rp_lsh_probability(t, b, r);
	printf("threshold\t%.4f\nperms\t%u\nbands\t%u\nrows\t%u\n",
	       t, perms, b, r);
	printf("recall_at_threshold\t%.6f\n", p);
	if (!reached)
		msg("warning: no bands x rows within %u perms reaches recall %.3f at %.3f; "
		    "using the best (%.4f); raise --perms",
		    perms, recall, t, p);
	printf("\njaccard\tp_candidate\n");
	for (int i = 1; i <= 10; i++)
		printf("%.1f\t%.6f\n", i / 10.0, rp_lsh_probability(i / 10.0, b, r));
	return EXIT_OK;
}

/* Every rejected record with file, line and reason on stderr (unless
 * quiet: then their count), and a count of empty texts (never an error);
 * the number of rejects that are errors. */
size_t print_rejects(const rp_corpus *c, int quiet)
{
	size_t nrej = rp_corpus_reject_count(c), errors = 0, empty = 0;
	for (size_t i = 0; i < nrej; i++) {
		rp_reject rj;
		rp_corpus_reject(&rj, c, i);
		if (rj.empty) {
			empty++;
			continue;
		}
		errors++;
		if (quiet)
			continue;
		if (rj.line)
			fprintf(stderr, "%s: %s:%zu: rejected%s%s%s: %s\n", progname,
				rj.source, rj.line, rj.id ? " '" : "",
				rj.id ? rj.id : "", rj.id ? "'" : "", rj.reason);
		else
			fprintf(stderr, "%s: %s: rejected%s%s%s: %s\n", progname,
				rj.source, rj.id ? " '" : "", rj.id ? rj.id : "",
				rj.id ? "'" : "", rj.reason);
	}
	if (quiet && errors)
		fprintf(stderr, "%s: %zu records rejected (--rejects FILE lists "
			"them with their reasons)\n", progname, errors);
	if (empty && !quiet)
		fprintf(stderr, "%s: %zu empty texts (or texts with no words) "
			"skipped; --rejects FILE lists them\n", progname, empty);
	/* Files of directories that were not read, by kind. */
	size_t nk = rp_corpus_skipped_count(c), files = 0;
	char kinds[512] = "";
	for (size_t i = 0; i < nk; i++) {
		rp_skipped k;
		rp_corpus_skipped(&k, c, i);
		files += k.files;
		char one[80];
		snprintf(one, sizeof(one), "%s%zu %s", i ? ", " : "", k.files, k.kind);
		strlcat(kinds, one, sizeof(kinds));
	}
	if (files && !quiet)
		fprintf(stderr, "%s: skipped %zu file%s: %s (--ext names the "
			"extensions to read)\n", progname, files,
			files == 1 ? "" : "s", kinds);
	return errors;
}

int read_inputs(cli *cl, rp_corpus *c, int argc, char **argv, int first)
{
	int stdin_used = 0, dirs = 0;
	/* Several directory roots: ids keep the root's name, so that the same
	 * relative path under two roots names two documents. */
	for (int i = first; i < argc; i++) {
		struct stat st;
		dirs += stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode);
	}
	cl->ro.root_names = dirs > 1;
	for (int i = first; i < argc; i++) {
		const char *in = argv[i];
		int err;
		if (strcmp(in, "-") == 0) {
			if (stdin_used++) {
				msg("'-' given twice; standard input read once");
				continue;
			}
			err = rp_corpus_read_jsonl(c, stdin, "(stdin)", &cl->ro);
		} else {
			err = rp_corpus_read_path(c, in, &cl->ro);
		}
		if (err == RP_ENOMEM) {
			msg("out of memory reading %s", in);
			return EXIT_FAIL;
		}
		if (err == RP_ECANCELED) {
			msg("canceled while reading %s", in);
			return EXIT_FAIL;
		}
		if (err == RP_ETEMP) {
			msg("reading %s: %s", in, rp_corpus_error(c));
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

double secs_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

void run_start(run_state *rs, cli *cl)
{
	memset(rs, 0, sizeof(*rs));
	clock_gettime(CLOCK_MONOTONIC, &rs->t0);
	rs->ps = calloc(1, sizeof(progress_state));
	if (rs->ps && cl->progress_lines) {
		((progress_state *)rs->ps)->start = rs->t0;
		cl->ao.progress = log_progress;
		cl->ao.progress_userdata = rs->ps;
	} else if (rs->ps && !cl->quiet && isatty(STDERR_FILENO)) {
		((progress_state *)rs->ps)->start = rs->t0;
		cl->ao.progress = show_progress;
		cl->ao.progress_userdata = rs->ps;
	}
}

void run_stop_progress(run_state *rs)
{
	if (rs->ps)
		end_progress(rs->ps);
	free(rs->ps);
	rs->ps = NULL;
}

int ask_and_report(cli *cl, rp_corpus *c, run_state *rs, size_t query_from)
{
	rp_result *r = NULL;
	double read_secs = secs_since(&rs->t0);
	/* One question: what it computes is freed as soon as used. */
	cl->q.release = 1;
	int err = rp_corpus_ask(&r, c, &cl->q);
	if (rs->ps)
		end_progress(rs->ps);
	free(rs->ps);
	rs->ps = NULL;
	if (err < 0) {
		msg("%s", rp_corpus_error(c));
		return EXIT_FAIL;
	}
	return report_answer(cl, c, r, rs, query_from, read_secs);
}

int report_answer(cli *cl, rp_corpus *c, rp_result *r, run_state *rs,
		  size_t query_from, double read_secs)
{
	rp_result *across = NULL;
	int rc = EXIT_OK;
	size_t nrej = print_rejects(c, cl->quiet);
	if (nrej)
		rc = EXIT_INPUT;
	/* Dates given in a form the readers do not understand are counted,
	 * never dropped silently. */
	size_t undated = 0, first = SIZE_MAX;
	for (size_t i = 0; i < rp_corpus_count(c); i++) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, i);
		if (d.date && !d.has_timestamp && undated++ == 0)
			first = i;
	}
	if (undated) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, first);
		msg("warning: %zu dates not understood (the first: '%s' of %s); "
		    "those documents count as undated", undated, d.date, d.id);
	}
	if (cl->rejects && write_report(cl->rejects, REPORT_REJECTS, c, r, cl) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}

	rp_scan_stats st;
	rp_result_stats(&st, r);
	if (st.oversized_buckets)
		msg("warning: %zu LSH buckets over --bucket-cap %zu documents were "
		    "skipped (the largest: %zu); pairs only they would find may be "
		    "missed; --bucket-cap raises the cap",
		    st.oversized_buckets, cl->q.bucket_cap ? cl->q.bucket_cap : 5000,
		    st.largest_bucket);
	if (!cl->q.exact && !st.recall_reached)
		msg("warning: LSH recall at the threshold is only %.4f; raise --perms",
		    st.recall_at_threshold);

	/* A query reports the pairs of its documents with the archive, each
	 * with the query document as a. */
	if (query_from != SIZE_MAX &&
	    rp_result_pairs_across(&across, r, query_from) < 0) {
		msg("out of memory");
		rc = EXIT_FAIL;
		goto done;
	}
	const rp_result *out = across ? across : r;
	if (write_report(cl->output, REPORT_PAIRS, c, out, cl) < 0 ||
	    (cl->clusters &&
	     write_report(cl->clusters, REPORT_CLUSTERS, c, r, cl) < 0) ||
	    (cl->syndication &&
	     write_report(cl->syndication, REPORT_SYNDICATION, c, r, cl) < 0) ||
	    (cl->dedup && write_report(cl->dedup, REPORT_DEDUP, c, r, cl) < 0) ||
	    (cl->html && write_html(cl->html, r) < 0)) {
		rc = EXIT_FAIL;
		goto done;
	}

	double secs = secs_since(&rs->t0);
	if (cl->stats && write_stats(cl->stats, cl, c, r, read_secs, secs, NULL,
				     NULL) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	if (!cl->quiet) {
		fprintf(stderr,
			"%s: %zu records read, %zu documents scanned, %zu rejected\n",
			progname, rp_corpus_records_seen(c), st.documents, nrej);
		if (st.char_documents)
			fprintf(stderr, "%s: %zu of %zu documents are in scripts "
				"without word separators and were shingled by "
				"characters%s\n", progname, st.char_documents,
				st.documents, 2 * st.char_documents > st.documents
				? "; --shingle char is not needed" : "");
		double t = cl->q.threshold ? cl->q.threshold : 0.5;
		if (cl->q.exact)
			fprintf(stderr, "%s: exact search (no LSH), threshold %.3f\n",
				progname, t);
		else
			fprintf(stderr,
				"%s: LSH %u bands x %u rows, P(candidate | J=%.3f) = %.4f\n",
				progname, st.bands, st.rows, t,
				st.recall_at_threshold);
		if (st.templates)
			fprintf(stderr, "%s: %zu template pairs (texts that differ only "
				"in figures) not reported; --keep-templates reports them\n",
				progname, st.templates);
		double cont = cl->q.containment == 0 ? 0.5
			      : cl->q.containment < 0 ? 0 : cl->q.containment;
		int pass = cl->q.min_passage == 0 ? 25
			   : cl->q.min_passage < 0 ? 0 : cl->q.min_passage;
		if ((cont > 0 || pass > 0) && !cl->q.exact)
			fprintf(stderr, "%s: containment %.3f, passages of %d words: "
				"%zu candidates from shared fingerprints\n", progname,
				cont, pass, st.contain_candidates);
		/* (Not a warning: a passage is many fingerprints, and one on
		 * hundreds of pages is a stock phrase.) */
		if (st.common_fingerprints)
			fprintf(stderr, "%s: %zu fingerprints of common phrases (on "
				"over 256 places, the most on %zu) not used to find "
				"passages\n", progname, st.common_fingerprints,
				st.largest_posting);
		if (across)
			fprintf(stderr, "%s: %zu query documents, %zu pairs with the "
				"archive\n", progname,
				rp_corpus_count(c) - query_from,
				rp_result_pair_count(across));
		else
			fprintf(stderr,
				"%s: %zu candidates, %zu pairs, %zu clusters; %.3f s, %.1f MB/s\n",
				progname, st.candidates, st.pairs, st.clusters, secs,
				secs > 0 ? (double)st.text_bytes / 1e6 / secs : 0.0);
		/* (none for shard finish: its stages ran as other tasks) */
		if (read_secs + st.seconds_boilerplate + st.seconds_sign +
		    st.seconds_candidates + st.seconds_verify + st.seconds_align +
		    st.seconds_cluster > 0)
			fprintf(stderr,
				"%s: stages: read %.3f s, boilerplate %.3f s, sign %.3f s, "
				"candidates %.3f s, verify %.3f s, align %.3f s, cluster %.3f s\n",
				progname, read_secs, st.seconds_boilerplate, st.seconds_sign,
				st.seconds_candidates,
				st.seconds_verify, st.seconds_align, st.seconds_cluster);
	}
done:
	rp_result_free(across);
	rp_result_free(r);
	return rc;
}

static int cmd_scan(cli *cl, int argc, char **argv)
{
	rp_corpus *c = NULL;
	run_state rs;
	int rc = EXIT_OK;

	if (optind >= argc)
		return usage_error("scan needs at least one INPUT");
	/* A folder --html may not replace is refused before any work. */
	if (cl->html && html_target_ok(cl->html) < 0)
		return EXIT_USAGE;
	run_start(&rs, cl);
	if ((c = new_bounded_corpus(cl, &rc)) &&
	    (rc = read_inputs(cl, c, argc, argv, optind)) == EXIT_OK) {
		/* One question, and unless a report quotes texts (the HTML
		 * report, the deduplicated collection) none read after it:
		 * their temporary files go while the reports are written. */
		if (!cl->html && !cl->dedup)
			rp_corpus_set_last_reading(c);
		rc = ask_and_report(cl, c, &rs, SIZE_MAX);
	}
	if (rs.ps)
		end_progress(rs.ps);
	free(rs.ps);
	rp_corpus_free(c);
	return rc;
}

int main(int argc, char **argv)
{
	/* A closed pipe (reprint scan ... | head -1) is a write error with a
	 * message and exit status 3, not a silent death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* Likewise a file size limit: EFBIG, not SIGXFSZ. */
	signal(SIGXFSZ, SIG_IGN);
	cli cl;
	rp_read_options rdef = RP_READ_OPTIONS_INIT;

	memset(&cl, 0, sizeof(cl));
	rp_analysis_options_init(&cl.ao, RP_ANALYSIS_OPTIONS_VERSION);
	rp_question_init(&cl.q, RP_QUESTION_VERSION);
	cl.ro = rdef;
	if (argc < 2)
		return usage_error("no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		unsigned c = argc > 2 ? cmd_of(argv[2]) : 0;
		if (c)
			print_help(stdout, c);
		else
			print_usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("reprint %s\n", rp_version());
		return EXIT_OK;
	}
	if (strcmp(cmd, "eval") == 0)
		return cmd_eval(argc - 1, argv + 1);
	/* reprint index SUB: the subcommand is the command. */
	char name[64];
	int shift = 1;
	int sharded = strcmp(cmd, "shard") == 0;
	if (strcmp(cmd, "index") == 0 || sharded) {
		if (argc < 3 || argv[2][0] == '-') {
			if (argc >= 3 && (strcmp(argv[2], "-h") == 0 ||
					  strcmp(argv[2], "--help") == 0)) {
				print_usage(stdout);
				return EXIT_OK;
			}
			return usage_error(sharded
				? "shard needs a stage: read, chrome, sign, "
				  "pairs, verify or finish"
				: "index needs a subcommand: add, query, "
				  "scan, remove, stats or check");
		}
		snprintf(name, sizeof(name), "%s %s", cmd, argv[2]);
		cmd = name;
		shift = 2;
	}
	unsigned c = cmd_of(cmd);
	if (!c)
		return usage_error("unknown command '%s'", cmd);
	int p = parse_opts(&cl, c, argc - shift, argv + shift);
	if (p != 0)
		return p > 0 ? EXIT_OK : EXIT_USAGE;
	if (c & CMD_INDEX)
		return cmd_index(&cl, c, argc - shift, argv + shift);
	if (c & CMD_SHARD)
		return cmd_shard(&cl, c, argc - shift, argv + shift);
	if (c == CMD_SLURM)
		return cmd_slurm(&cl, argc - 1, argv + 1);
	switch (c) {
	case CMD_TUNE:
		if (optind < argc - 1)
			return usage_error("tune takes no arguments: '%s'",
					   argv[optind + 1]);
		return cmd_tune(&cl);
	case CMD_COMPARE: return cmd_compare(&cl, argc - 1, argv + 1);
	case CMD_BOILERPLATE: return cmd_boilerplate(&cl, argc - 1, argv + 1);
	case CMD_DEDUP: return cmd_dedup(&cl, argc - 1, argv + 1);
	default: return cmd_scan(&cl, argc - 1, argv + 1);
	}
}
