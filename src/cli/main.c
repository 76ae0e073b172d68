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

static const char usage_text[] =
	"usage: reprint scan [options] INPUT...\n"
	"       reprint compare [--in COLLECTION] A B\n"
	"       reprint boilerplate [options] INPUT...\n"
	"       reprint tune [--threshold T] [--perms K] [--bands B --rows R]\n"
	"       reprint eval --truth DIR [--pairs FILE] [--clusters FILE]\n"
	"       reprint --version | --help\n"
	"\n"
	"INPUT is a JSONL file (one article per line), '-' for JSONL on stdin,\n"
	"or a directory walked for *.txt files.\n"
	"\n"
	"scan options:\n"
	"  -t, --threshold T      report pairs with exact Jaccard >= T (0.5)\n"
	"      --containment C    also report pairs where either containment >= C,\n"
	"                         for a contained text of 20+ shingles: trimmed\n"
	"                         reprints (0.5; 0 turns it off; below 0.5 also\n"
	"                         scattered reuse, as plagiarism needs)\n"
	"      --min-passage N    also report pairs sharing a run of N consecutive\n"
	"                         words outside chrome: excerpts (25; 0: off)\n"
	"      --jaccard-only     near duplicates only: --containment 0\n"
	"                         --min-passage 0 (the fastest, for large dumps)\n"
	"      --no-align         skip passage alignment (relations from scores)\n"
	"      --keep-templates   report texts that differ only in figures (relation\n"
	"                         template); by default they are dropped and counted\n"
	"      --boilerplate MODE auto (default): leave out site chrome learned per\n"
	"                         outlet, datelines and credits; off: shingle all text\n"
	"      --chrome-min-pages N  a line on N pages of one outlet with a site\n"
	"                         template is chrome (2)\n"
	"      --cross-outlet     only pairs from different outlets\n"
	"      --window DURATION  only pairs published within it (90m, 48h, 7d)\n"
	"      --syndication FILE per story: first publication, reprints, delays;\n"
	"                         and who reprinted whom (JSONL)\n"
	"  -k, --shingle-size K   words (default 5) or characters (default 7)\n"
	"      --shingle KIND     word | char (word)\n"
	"      --perms K          signature length (128)\n"
	"      --minhash KIND     oph | classic (oph)\n"
	"      --seed N           seed of the signature hashes\n"
	"      --recall R         LSH candidate probability at T (0.99)\n"
	"      --bands B --rows R LSH banding instead of the tuned choice\n"
	"      --bucket-cap N     skip LSH buckets larger than N (5000)\n"
	"      --exact            all pairs by inverted index, no LSH\n"
	"      --include-title    shingle the title with the text\n"
	"      --max-bytes N      reject texts larger than N bytes (64 MiB)\n"
	"      --threads N        worker threads (online cores)\n"
	"      --id-field F, --text-field F, --title-field F,\n"
	"      --outlet-field F, --date-field F   JSONL field names\n"
	"      --outlet NAME      outlet of every .txt file of a directory\n"
	"  -o, --output FILE      pairs to FILE instead of stdout\n"
	"      --format FMT       tsv | jsonl (tsv)\n"
	"      --clusters FILE    clusters as JSONL\n"
	"      --singletons       include one-document clusters\n"
	"      --html DIR         write a static HTML report (index.html, pair-N.html)\n"
	"      --rejects FILE     every rejected record as JSONL (source, line, id, reason)\n"
	"  -q, --quiet            no summary on stderr (rejects are still listed)\n"
	"\n"
	"compare: A and B are text files, or ids of documents in --in COLLECTION\n"
	"(a JSONL file or a directory); prints the relation, the scores and the\n"
	"shared passages side by side, edits coloured on a terminal (NO_COLOR\n"
	"turns colour off; without colour, [-deleted-] and {+inserted+}).\n"
	"\n"
	"eval: scores a scan's pairs and clusters against DIR/truth.tsv (id, story)\n"
	"and DIR/truth_pairs.tsv; 'reprint eval --help' lists its options.\n"
	"\n"
	"exit status: 0 ok, 1 input errors (results for the rest written),\n"
	"2 bad usage, 3 failure (memory, output, internal).\n";

int usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
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

/* 0 when s is a, 1 when it is b, -1 otherwise. */
static int parse_choice(const char *s, const char *a, const char *b)
{
	return strcmp(s, a) == 0 ? 0 : strcmp(s, b) == 0 ? 1 : -1;
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

/* ---- output helpers ---- */

static void tsv_field(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\\': fputs("\\\\", fp); break;
		default: fputc(*s, fp);
		}
	}
}

void json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (ch < 0x20)
				fprintf(fp, "\\u%04x", ch);
			else
				fputc(ch, fp);
		}
	}
	fputc('"', fp);
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

const char *source_name(int source)
{
	return source == 0 ? "a" : source == 1 ? "b" : "";
}

static void write_pairs(FILE *fp, const rp_corpus *c, const rp_result *r,
			int jsonl)
{
	size_t n = rp_result_pair_count(r);
	const rp_pair *p = rp_result_pairs(r);
	if (!jsonl)
		fputs("a\tb\tjaccard\tcontainment_a_in_b\tcontainment_b_in_a\t"
		      "relation\tsource\tshared_words\tpassages\n", fp);
	for (size_t i = 0; i < n; i++) {
		rp_doc_info da, db;
		rp_corpus_doc(&da, c, p[i].a);
		rp_corpus_doc(&db, c, p[i].b);
		if (!jsonl) {
			tsv_field(fp, da.id);
			fputc('\t', fp);
			tsv_field(fp, db.id);
			fprintf(fp, "\t%.6f\t%.6f\t%.6f\t%s\t%s\t%zu\t%zu\n",
				p[i].jaccard, p[i].containment_a,
				p[i].containment_b, rp_relation_name(p[i].relation),
				source_name(p[i].source), p[i].shared_words,
				p[i].passages);
			continue;
		}
		fputs("{\"a\":", fp);
		json_string(fp, da.id);
		fputs(",\"b\":", fp);
		json_string(fp, db.id);
		fprintf(fp,
			",\"jaccard\":%.6f,\"containment_a_in_b\":%.6f,"
			"\"containment_b_in_a\":%.6f,\"relation\":\"%s\","
			"\"source\":\"%s\",\"shared_words\":%zu,\"shared\":%zu,"
			"\"shingles_a\":%zu,\"shingles_b\":%zu,\"passages\":[",
			p[i].jaccard, p[i].containment_a, p[i].containment_b,
			rp_relation_name(p[i].relation), source_name(p[i].source),
			p[i].shared_words, p[i].shared, p[i].size_a, p[i].size_b);
		const rp_passage *ps;
		const rp_edit *ed;
		size_t np, ne;
		rp_result_passages(&ps, &np, r, i);
		rp_result_edits(&ed, &ne, r, i);
		for (size_t k = 0; k < np; k++) {
			fprintf(fp,
				"%s{\"a\":[%zu,%zu],\"b\":[%zu,%zu],\"words_a\":%zu,"
				"\"words_b\":%zu,\"inserted\":%zu,\"deleted\":%zu,"
				"\"substituted\":%zu,\"edits\":[",
				k ? "," : "", ps[k].a_start, ps[k].a_end,
				ps[k].b_start, ps[k].b_end, ps[k].words_a,
				ps[k].words_b, ps[k].inserted, ps[k].deleted,
				ps[k].substituted);
			for (size_t e = 0; e < ps[k].edit_count; e++) {
				const rp_edit *x = &ed[ps[k].first_edit + e];
				fprintf(fp, "%s{\"a\":[%zu,%zu],\"b\":[%zu,%zu]}",
					e ? "," : "", x->a_start, x->a_end,
					x->b_start, x->b_end);
			}
			fputs("]}", fp);
		}
		fputs("]}\n", fp);
	}
}

static void write_clusters(FILE *fp, const rp_corpus *c, const rp_result *r,
			   int singletons)
{
	size_t n = rp_result_cluster_count(r), num = 0;
	for (size_t i = 0; i < n; i++) {
		rp_cluster cl;
		rp_doc_info d;
		rp_result_cluster(&cl, r, i);
		if (cl.count < 2 && !singletons)
			continue;
		rp_corpus_doc(&d, c, cl.representative);
		fprintf(fp, "{\"cluster\":%zu,\"representative\":", ++num);
		json_string(fp, d.id);
		fputs(",\"ids\":[", fp);
		for (size_t k = 0; k < cl.count; k++) {
			rp_corpus_doc(&d, c, cl.members[k]);
			if (k)
				fputc(',', fp);
			json_string(fp, d.id);
		}
		fputs("]}\n", fp);
	}
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

static void show_progress(void *ud, const rp_progress *p)
{
	progress_state *ps = ud;
	double el = since(&ps->start);
	if (strcmp(ps->stage, p->stage) != 0) {
		snprintf(ps->stage, sizeof(ps->stage), "%s", p->stage);
		ps->stage_start = el;
	}
	if (el - ps->last < 0.2)
		return;
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
}

static void end_progress(progress_state *ps)
{
	if (ps->shown)
		fputs("\r\033[K", stderr);
	ps->shown = 0;
}

/* ---- tune ---- */

enum {
	OPT_SHINGLE = 256, OPT_PERMS, OPT_MINHASH, OPT_SEED, OPT_RECALL,
	OPT_BANDS, OPT_ROWS, OPT_BUCKET_CAP, OPT_EXACT, OPT_INCLUDE_TITLE,
	OPT_MAX_BYTES, OPT_THREADS, OPT_ID_FIELD, OPT_TEXT_FIELD,
	OPT_TITLE_FIELD, OPT_OUTLET_FIELD, OPT_DATE_FIELD, OPT_OUTLET,
	OPT_FORMAT, OPT_CLUSTERS, OPT_SINGLETONS, OPT_HELP, OPT_CONTAINMENT,
	OPT_NO_ALIGN, OPT_IN, OPT_HTML, OPT_KEEP_TEMPLATES, OPT_BOILERPLATE,
	OPT_CHROME_PAGES, OPT_CROSS_OUTLET, OPT_WINDOW, OPT_SYNDICATION,
	OPT_REJECTS, OPT_MIN_PASSAGE, OPT_JACCARD_ONLY
};

static const struct option long_opts[] = {
	{ "threshold", required_argument, NULL, 't' },
	{ "shingle-size", required_argument, NULL, 'k' },
	{ "shingle", required_argument, NULL, OPT_SHINGLE },
	{ "perms", required_argument, NULL, OPT_PERMS },
	{ "minhash", required_argument, NULL, OPT_MINHASH },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "recall", required_argument, NULL, OPT_RECALL },
	{ "bands", required_argument, NULL, OPT_BANDS },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "bucket-cap", required_argument, NULL, OPT_BUCKET_CAP },
	{ "exact", no_argument, NULL, OPT_EXACT },
	{ "include-title", no_argument, NULL, OPT_INCLUDE_TITLE },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "id-field", required_argument, NULL, OPT_ID_FIELD },
	{ "text-field", required_argument, NULL, OPT_TEXT_FIELD },
	{ "title-field", required_argument, NULL, OPT_TITLE_FIELD },
	{ "outlet-field", required_argument, NULL, OPT_OUTLET_FIELD },
	{ "date-field", required_argument, NULL, OPT_DATE_FIELD },
	{ "outlet", required_argument, NULL, OPT_OUTLET },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "clusters", required_argument, NULL, OPT_CLUSTERS },
	{ "singletons", no_argument, NULL, OPT_SINGLETONS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "containment", required_argument, NULL, OPT_CONTAINMENT },
	{ "no-align", no_argument, NULL, OPT_NO_ALIGN },
	{ "min-passage", required_argument, NULL, OPT_MIN_PASSAGE },
	{ "jaccard-only", no_argument, NULL, OPT_JACCARD_ONLY },
	{ "in", required_argument, NULL, OPT_IN },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "keep-templates", no_argument, NULL, OPT_KEEP_TEMPLATES },
	{ "boilerplate", required_argument, NULL, OPT_BOILERPLATE },
	{ "chrome-min-pages", required_argument, NULL, OPT_CHROME_PAGES },
	{ "cross-outlet", no_argument, NULL, OPT_CROSS_OUTLET },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "syndication", required_argument, NULL, OPT_SYNDICATION },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};


/* Parse options shared by scan and tune; returns -1 after a usage error. */
int parse_opts(cli *cl, int argc, char **argv)
{
	long long v;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "t:k:o:q", long_opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (parse_double(optarg, 1e-6, 1.0, &cl->o.threshold) < 0)
				return usage_error("--threshold must be in (0, 1]: '%s'", optarg), -1;
			break;
		case 'k':
			if (parse_uint(optarg, 1, 1024, &v) < 0)
				return usage_error("--shingle-size must be 1..1024: '%s'", optarg), -1;
			cl->o.k = (unsigned)v;
			break;
		case OPT_SHINGLE:
			if ((ch = parse_choice(optarg, "word", "char")) < 0)
				return usage_error("--shingle must be word or char: '%s'", optarg), -1;
			cl->o.shingle = ch ? RP_SHINGLE_CHAR : RP_SHINGLE_WORD;
			break;
		case OPT_PERMS:
			if (parse_uint(optarg, 1, 4096, &v) < 0)
				return usage_error("--perms must be 1..4096: '%s'", optarg), -1;
			cl->o.num_perm = (unsigned)v;
			break;
		case OPT_MINHASH:
			if ((ch = parse_choice(optarg, "oph", "classic")) < 0)
				return usage_error("--minhash must be oph or classic: '%s'", optarg), -1;
			cl->o.minhash = ch ? RP_MINHASH_CLASSIC : RP_MINHASH_OPH;
			break;
		case OPT_SEED:
			if (parse_uint(optarg, 0, LLONG_MAX, &v) < 0)
				return usage_error("--seed must be a non-negative integer: '%s'", optarg), -1;
			cl->o.seed = (uint64_t)v;
			break;
		case OPT_RECALL:
			if (parse_double(optarg, 1e-6, 0.999999, &cl->o.target_recall) < 0)
				return usage_error("--recall must be in (0, 1): '%s'", optarg), -1;
			break;
		case OPT_BANDS:
		case OPT_ROWS:
			if (parse_uint(optarg, 1, 4096, &v) < 0)
				return usage_error("--%s must be 1..4096: '%s'",
						   ch == OPT_BANDS ? "bands" : "rows", optarg), -1;
			if (ch == OPT_BANDS)
				cl->o.bands = (unsigned)v;
			else
				cl->o.rows = (unsigned)v;
			break;
		case OPT_BUCKET_CAP:
			if (parse_uint(optarg, 2, LLONG_MAX, &v) < 0)
				return usage_error("--bucket-cap must be >= 2: '%s'", optarg), -1;
			cl->o.bucket_cap = (size_t)v;
			break;
		case OPT_EXACT: cl->o.exact = 1; break;
		case OPT_CONTAINMENT:
			if (parse_double(optarg, 0.0, 1.0, &cl->o.containment) < 0)
				return usage_error("--containment must be in [0, 1]: '%s'", optarg), -1;
			break;
		case OPT_NO_ALIGN: cl->o.align = 0; break;
		case OPT_MIN_PASSAGE:
			if (parse_uint(optarg, 0, 1000000, &v) < 0)
				return usage_error("--min-passage must be a number of words: '%s'", optarg), -1;
			cl->o.min_passage = (unsigned)v;
			break;
		case OPT_JACCARD_ONLY:
			cl->o.containment = 0;
			cl->o.min_passage = 0;
			break;
		case OPT_IN: cl->in = optarg; break;
		case OPT_HTML: cl->html = optarg; break;
		case OPT_KEEP_TEMPLATES: cl->o.keep_templates = 1; break;
		case OPT_BOILERPLATE:
			if ((ch = parse_choice(optarg, "off", "auto")) < 0)
				return usage_error("--boilerplate must be auto or off: '%s'", optarg), -1;
			cl->o.boilerplate = ch;
			break;
		case OPT_CHROME_PAGES:
			if (parse_uint(optarg, 2, 1000000, &v) < 0)
				return usage_error("--chrome-min-pages must be >= 2: '%s'", optarg), -1;
			cl->o.chrome_min_pages = (unsigned)v;
			break;
		case OPT_CROSS_OUTLET: cl->o.cross_outlet = 1; break;
		case OPT_WINDOW:
			if (parse_duration(optarg, &cl->o.window) < 0)
				return usage_error("--window must be a duration like 90m, 48h, 7d: '%s'", optarg), -1;
			break;
		case OPT_SYNDICATION: cl->syndication = optarg; break;
		case OPT_REJECTS: cl->rejects = optarg; break;
		case OPT_INCLUDE_TITLE: cl->o.include_title = 1; break;
		case OPT_MAX_BYTES:
			if (parse_uint(optarg, 1, (long long)UINT32_MAX - 1, &v) < 0)
				return usage_error("--max-bytes must be 1..4294967294: '%s'", optarg), -1;
			cl->o.max_doc_bytes = (size_t)v;
			break;
		case OPT_THREADS:
			if (parse_uint(optarg, 1, 256, &v) < 0)
				return usage_error("--threads must be 1..256: '%s'", optarg), -1;
			cl->o.threads = (unsigned)v;
			break;
		case OPT_ID_FIELD: cl->ro.id_field = optarg; break;
		case OPT_TEXT_FIELD: cl->ro.text_field = optarg; break;
		case OPT_TITLE_FIELD: cl->ro.title_field = optarg; break;
		case OPT_OUTLET_FIELD: cl->ro.outlet_field = optarg; break;
		case OPT_DATE_FIELD: cl->ro.date_field = optarg; break;
		case OPT_OUTLET: cl->ro.outlet = optarg; break;
		case 'o': cl->output = optarg; break;
		case OPT_FORMAT:
			if ((cl->jsonl = parse_choice(optarg, "tsv", "jsonl")) < 0)
				return usage_error("--format must be tsv or jsonl: '%s'", optarg), -1;
			break;
		case OPT_CLUSTERS: cl->clusters = optarg; break;
		case OPT_SINGLETONS: cl->singletons = 1; break;
		case 'q': cl->quiet = 1; break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		default:
			return usage_error("bad option"), -1;
		}
	}
	if ((cl->o.bands == 0) != (cl->o.rows == 0))
		return usage_error("--bands and --rows go together"), -1;
	if ((size_t)cl->o.bands * cl->o.rows > cl->o.num_perm)
		return usage_error("--bands x --rows (%u x %u) exceeds --perms %u",
				   cl->o.bands, cl->o.rows, cl->o.num_perm), -1;
	return 0;
}

static int cmd_tune(cli *cl)
{
	unsigned b = cl->o.bands, r = cl->o.rows;
	int reached = 1;
	if (b == 0 && rp_lsh_tune(&b, &r, &reached, cl->o.threshold,
				  cl->o.num_perm, cl->o.target_recall) < 0) {
		msg("cannot tune for these values");
		return EXIT_USAGE;
	}
	double p = rp_lsh_probability(cl->o.threshold, b, r);
	printf("threshold\t%.4f\nperms\t%u\nbands\t%u\nrows\t%u\n",
	       cl->o.threshold, cl->o.num_perm, b, r);
	printf("recall_at_threshold\t%.6f\n", p);
	if (!reached)
		msg("warning: no bands x rows within %u perms reaches recall %.3f at %.3f; "
		    "using the best (%.4f); raise --perms",
		    cl->o.num_perm, cl->o.target_recall, cl->o.threshold, p);
	printf("\njaccard\tp_candidate\n");
	for (int i = 1; i <= 10; i++)
		printf("%.1f\t%.6f\n", i / 10.0, rp_lsh_probability(i / 10.0, b, r));
	return EXIT_OK;
}

static int cmd_scan(cli *cl, int argc, char **argv)
{
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	int rc = EXIT_OK, err;
	struct timespec ts0, ts1;

	progress_state ps;

	clock_gettime(CLOCK_MONOTONIC, &ts0);
	if (optind >= argc)
		return usage_error("scan needs at least one INPUT");
	memset(&ps, 0, sizeof(ps));
	ps.start = ts0;
	if (!cl->quiet && isatty(STDERR_FILENO)) {
		cl->o.progress = show_progress;
		cl->o.progress_userdata = &ps;
	}
	if ((err = rp_corpus_new(&c, &cl->o)) < 0) {
		msg("bad options: %s", rp_strerror(err));
		return EXIT_USAGE;
	}
	int stdin_used = 0;
	for (int i = optind; i < argc; i++) {
		const char *in = argv[i];
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
			end_progress(&ps);
			msg("out of memory reading %s", in);
			rc = EXIT_FAIL;
			goto done;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &ts1);
	double read_secs = (double)(ts1.tv_sec - ts0.tv_sec) +
			   (double)(ts1.tv_nsec - ts0.tv_nsec) * 1e-9;
	err = rp_scan(&r, c);
	end_progress(&ps);
	if (err < 0) {
		msg("%s", rp_corpus_error(c));
		rc = EXIT_FAIL;
		goto done;
	}

	/* Every rejected record, with file, line and reason. */
	size_t nrej = rp_corpus_reject_count(c);
	for (size_t i = 0; i < nrej; i++) {
		rp_reject rj;
		rp_corpus_reject(&rj, c, i);
		if (rj.line)
			fprintf(stderr, "%s: %s:%zu: rejected%s%s%s: %s\n", progname,
				rj.source, rj.line, rj.id ? " '" : "",
				rj.id ? rj.id : "", rj.id ? "'" : "", rj.reason);
		else
			fprintf(stderr, "%s: %s: rejected%s%s%s: %s\n", progname,
				rj.source, rj.id ? " '" : "", rj.id ? rj.id : "",
				rj.id ? "'" : "", rj.reason);
	}
	if (nrej)
		rc = EXIT_INPUT;
	if (cl->rejects) {
		outfile ro;
		if (out_open(&ro, cl->rejects) < 0) {
			rc = EXIT_FAIL;
			goto done;
		}
		for (size_t i = 0; i < nrej; i++) {
			rp_reject rj;
			rp_corpus_reject(&rj, c, i);
			fputs("{\"source\":", ro.fp);
			json_string(ro.fp, rj.source);
			fprintf(ro.fp, ",\"line\":%zu,\"id\":", rj.line);
			if (rj.id)
				json_string(ro.fp, rj.id);
			else
				fputs("null", ro.fp);
			fputs(",\"reason\":", ro.fp);
			json_string(ro.fp, rj.reason);
			fputs("}\n", ro.fp);
		}
		if (out_close(&ro, 1) < 0) {
			rc = EXIT_FAIL;
			goto done;
		}
	}

	rp_scan_stats st;
	rp_result_stats(&st, r);
	if (st.oversized_buckets)
		msg("warning: %zu LSH buckets larger than --bucket-cap %zu were "
		    "skipped (largest: %zu documents); pairs inside them may be "
		    "missed; raise --bucket-cap to include them",
		    st.oversized_buckets, cl->o.bucket_cap, st.largest_bucket);
	if (!cl->o.exact && !st.recall_reached)
		msg("warning: LSH recall at the threshold is only %.4f; raise --perms",
		    st.recall_at_threshold);

	outfile po;
	if (out_open(&po, cl->output) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	write_pairs(po.fp, c, r, cl->jsonl);
	if (out_close(&po, 1) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}
	if (cl->clusters) {
		outfile co;
		if (out_open(&co, cl->clusters) < 0) {
			rc = EXIT_FAIL;
			goto done;
		}
		write_clusters(co.fp, c, r, cl->singletons);
		if (out_close(&co, 1) < 0) {
			rc = EXIT_FAIL;
			goto done;
		}
	}

	if (cl->syndication) {
		outfile so;
		if (out_open(&so, cl->syndication) < 0) {
			rc = EXIT_FAIL;
			goto done;
		}
		write_syndication(so.fp, c, r);
		if (out_close(&so, 1) < 0) {
			rc = EXIT_FAIL;
			goto done;
		}
	}
	if (cl->html && write_html(cl->html, c, r) < 0) {
		rc = EXIT_FAIL;
		goto done;
	}

	clock_gettime(CLOCK_MONOTONIC, &ts1);
	double secs = (double)(ts1.tv_sec - ts0.tv_sec) +
		      (double)(ts1.tv_nsec - ts0.tv_nsec) * 1e-9;
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
		if (cl->o.exact)
			fprintf(stderr, "%s: exact search (no LSH), threshold %.3f\n",
				progname, cl->o.threshold);
		else
			fprintf(stderr,
				"%s: LSH %u bands x %u rows, P(candidate | J=%.3f) = %.4f\n",
				progname, st.bands, st.rows, cl->o.threshold,
				st.recall_at_threshold);
		if (st.templates)
			fprintf(stderr, "%s: %zu template pairs (texts that differ only "
				"in figures) not reported; --keep-templates reports them\n",
				progname, st.templates);
		if ((cl->o.containment > 0 || cl->o.min_passage > 0) && !cl->o.exact)
			fprintf(stderr, "%s: containment %.3f, passages of %u words: "
				"%zu candidates from shared fingerprints\n", progname,
				cl->o.containment, cl->o.min_passage,
				st.contain_candidates);
		fprintf(stderr,
			"%s: %zu candidates, %zu pairs, %zu clusters; %.3f s, %.1f MB/s\n",
			progname, st.candidates, st.pairs, st.clusters, secs,
			secs > 0 ? (double)st.text_bytes / 1e6 / secs : 0.0);
		fprintf(stderr,
			"%s: stages: read %.3f s, boilerplate %.3f s, sign %.3f s, "
			"candidates %.3f s, verify %.3f s, align %.3f s, cluster %.3f s\n",
			progname, read_secs, st.seconds_boilerplate, st.seconds_sign,
			st.seconds_candidates,
			st.seconds_verify, st.seconds_align, st.seconds_cluster);
	}
done:
	rp_result_free(r);
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
	rp_options def = RP_OPTIONS_INIT;
	rp_read_options rdef = RP_READ_OPTIONS_INIT;

	memset(&cl, 0, sizeof(cl));
	cl.o = def;
	cl.ro = rdef;
	if (argc < 2)
		return usage_error("no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("reprint %s\n", rp_version());
		return EXIT_OK;
	}
	if (strcmp(cmd, "eval") == 0)
		return cmd_eval(argc - 1, argv + 1);
	if (strcmp(cmd, "scan") != 0 && strcmp(cmd, "tune") != 0 &&
	    strcmp(cmd, "compare") != 0 && strcmp(cmd, "boilerplate") != 0)
		return usage_error("unknown command '%s'", cmd);
	if (parse_opts(&cl, argc - 1, argv + 1) < 0)
		return EXIT_USAGE;
	if (strcmp(cmd, "tune") == 0)
		return cmd_tune(&cl);
	if (strcmp(cmd, "compare") == 0)
		return cmd_compare(&cl, argc - 1, argv + 1);
	if (strcmp(cmd, "boilerplate") == 0)
		return cmd_boilerplate(&cl, argc - 1, argv + 1);
	return cmd_scan(&cl, argc - 1, argv + 1);
}
