/*
 * options.c - the commands' options: one table, each option marked with
 * the commands it belongs to; per-command parsing and help.
 *
 * An option of another command is a usage error naming it and the
 * commands it belongs to; an unknown one gets a "did you mean" when an
 * option of the command is within two edits of it. Values are parsed here;
 * ranges that depend on the library (shingle size, signature length,
 * bands x rows) are checked by the library, whose message names the field.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_SHINGLE = 256, OPT_PERMS, OPT_MINHASH, OPT_SEED, OPT_RECALL,
	OPT_BANDS, OPT_ROWS, OPT_BUCKET_CAP, OPT_EXACT, OPT_INCLUDE_TITLE,
	OPT_MAX_BYTES, OPT_THREADS, OPT_ID_FIELD, OPT_TEXT_FIELD,
	OPT_TITLE_FIELD, OPT_OUTLET_FIELD, OPT_DATE_FIELD, OPT_OUTLET,
	OPT_FORMAT, OPT_CLUSTERS, OPT_SINGLETONS, OPT_CONTAINMENT,
	OPT_NO_ALIGN, OPT_IN, OPT_HTML, OPT_KEEP_TEMPLATES, OPT_BOILERPLATE,
	OPT_CHROME_PAGES, OPT_CROSS_OUTLET, OPT_WINDOW, OPT_SYNDICATION,
	OPT_REJECTS, OPT_MIN_PASSAGE, OPT_JACCARD_ONLY, OPT_REPLACE, OPT_BATCH,
	OPT_ADD, OPT_EXT, OPT_DEDUP, OPT_REMOVED, OPT_STATS, OPT_PROGRESS,
	OPT_MEMORY, OPT_TMPDIR, OPT_SHARD, OPT_PART, OPT_WORK, OPT_TASKS,
	OPT_WAIT, OPT_LOCAL
};

/* Which commands an option belongs to. */
#define S CMD_SCAN
#define C CMD_COMPARE
#define B CMD_BOILERPLATE
#define T CMD_TUNE
#define IA CMD_INDEX_ADD
#define IQ CMD_INDEX_QUERY
#define IS CMD_INDEX_SCAN
#define D CMD_DEDUP
/* The stage commands: read takes scan's analysis options (kept in the
 * folder for the others); finish writes scan's outputs. */
#define SR (CMD_SHARD_READ | CMD_SLURM)
#define SF (CMD_SHARD_FINISH | CMD_SLURM)
#define SH (CMD_SHARD | CMD_SLURM)
#define READING (S | C | B | IA | IQ | D | SR)
/* Options of a question, and of the analysis (checked against an index). */
#define ASK (S | C | IQ | IS | D | SR)
#define LEARN (S | C | IA | IQ | IS | D | SR)

typedef struct opt_def {
	const char *name;
	int shrt;           /* short letter, or 0 */
	const char *arg;    /* NULL: a flag */
	int id;
	unsigned cmds;
	const char *help;   /* lines after the first indented */
} opt_def;

static const opt_def OPTS[] = {
	/* What is reported. */
	{ "threshold", 't', "T", 't', ASK | T,
	  "report pairs with exact Jaccard >= T (0.5)" },
	{ "containment", 0, "C", OPT_CONTAINMENT, ASK,
	  "also report pairs where either containment >= C, for a\n"
	  "contained text of 20+ shingles: trimmed reprints (0.5; 0\n"
	  "turns it off; below 0.5 also scattered reuse)" },
	{ "min-passage", 0, "N", OPT_MIN_PASSAGE, ASK,
	  "also report pairs sharing a run of N consecutive words\n"
	  "outside chrome, or N unedited words in a passage with one\n"
	  "edited word in 30 at most: excerpts (25; 0: off)" },
	{ "jaccard-only", 0, NULL, OPT_JACCARD_ONLY, ASK,
	  "near duplicates only: --containment 0 --min-passage 0\n"
	  "(the fastest, for large dumps)" },
	{ "no-align", 0, NULL, OPT_NO_ALIGN, ASK,
	  "skip passage alignment (relations from scores)" },
	{ "keep-templates", 0, NULL, OPT_KEEP_TEMPLATES, ASK,
	  "report texts that differ only in figures, or whose\n"
	  "shared passages change a figure every 30 words (relation\n"
	  "template); by default they are dropped and counted" },
	{ "cross-outlet", 0, NULL, OPT_CROSS_OUTLET, ASK,
	  "only pairs from different outlets" },
	{ "window", 0, "DURATION", OPT_WINDOW, ASK,
	  "only pairs published within it (90m, 48h, 7d)" },
	/* What is learned. */
	{ "boilerplate", 0, "MODE", OPT_BOILERPLATE, LEARN,
	  "auto (default): leave out site chrome learned per outlet,\n"
	  "datelines and credits; off: shingle all text" },
	{ "chrome-min-pages", 0, "N", OPT_CHROME_PAGES, LEARN | B,
	  "a line on N pages of one outlet with a site template is\n"
	  "chrome (2)" },
	{ "shingle-size", 'k', "K", 'k', LEARN,
	  "words (default 5) or characters (default 7), 1..1024" },
	{ "shingle", 0, "KIND", OPT_SHINGLE, LEARN, "word | char (word)" },
	{ "include-title", 0, NULL, OPT_INCLUDE_TITLE, LEARN,
	  "shingle the title with the text" },
	{ "perms", 0, "K", OPT_PERMS, S | T | IA | IQ | IS | D | SR, "signature length, 1..4096 (128)" },
	{ "minhash", 0, "KIND", OPT_MINHASH, S | IA | IQ | IS | D | SR, "oph | classic (oph)" },
	{ "seed", 0, "N", OPT_SEED, S | IA | IQ | IS | D | SR, "seed of the signature hashes (N >= 1)" },
	{ "recall", 0, "R", OPT_RECALL, S | T | IQ | IS | D | SR,
	  "LSH candidate probability at T (0.99)" },
	{ "bands", 0, "B", OPT_BANDS, S | T | IQ | IS | D | SR,
	  "LSH bands (with --rows) instead of the tuned choice" },
	{ "rows", 0, "R", OPT_ROWS, S | T | IQ | IS | D | SR, "LSH rows per band (with --bands)" },
	{ "bucket-cap", 0, "N", OPT_BUCKET_CAP, S | IQ | IS | D | SR,
	  "skip LSH buckets larger than N (5000)" },
	{ "exact", 0, NULL, OPT_EXACT, ASK,
	  "all pairs by inverted index, no LSH and no passage search" },
	{ "threads", 0, "N", OPT_THREADS, READING | IS | SH,
	  "worker threads, 1..256 (online cores)" },
	/* How input is read. */
	{ "in", 0, "COLLECTION", OPT_IN, C,
	  "A and B are ids of documents of COLLECTION (a JSONL file\n"
	  "or a directory), compared as a scan of it sees them" },
	{ "max-bytes", 0, "N", OPT_MAX_BYTES, READING,
	  "reject texts larger than N bytes (64 MiB)" },
	{ "id-field", 0, "F", OPT_ID_FIELD, READING, "JSONL field of the id (id)" },
	{ "text-field", 0, "F", OPT_TEXT_FIELD, READING,
	  "JSONL field of the text (text)" },
	{ "title-field", 0, "F", OPT_TITLE_FIELD, READING,
	  "JSONL field of the title (title)" },
	{ "outlet-field", 0, "F", OPT_OUTLET_FIELD, READING,
	  "JSONL field of the outlet (outlet)" },
	{ "date-field", 0, "F", OPT_DATE_FIELD, READING,
	  "JSONL field of the date (date)" },
	{ "outlet", 0, "NAME", OPT_OUTLET, READING,
	  "outlet of every .txt file of a directory" },
	{ "ext", 0, "LIST", OPT_EXT, READING,
	  "extensions read as documents, comma-separated (txt,html,htm;\n"
	  "html and htm are parsed as HTML pages); also under .gz or\n"
	  ".zst; other files of a directory are counted and named by kind" },
	/* Where results go. */
	{ "output", 'o', "FILE", 'o', S | IQ | IS | D | SF | CMD_SHARD_READ,
	  "pairs (dedup: the kept records) to FILE instead of stdout;\n"
	  "a name ending in .gz or .zst is written compressed (shard\n"
	  "read: the work folder)" },
	{ "format", 0, "FMT", OPT_FORMAT, S | IQ | IS | SF, "tsv | jsonl (tsv)" },
	{ "clusters", 0, "FILE", OPT_CLUSTERS, S | IS | SF, "clusters as JSONL" },
	{ "singletons", 0, NULL, OPT_SINGLETONS, S | IS | SF,
	  "include one-document clusters" },
	{ "syndication", 0, "FILE", OPT_SYNDICATION, S | IS | SF,
	  "per story: first publication, reprints, delays; and who\n"
	  "reprinted whom (JSONL)" },
	{ "html", 0, "DIR", OPT_HTML, S | IS,
	  "write a static HTML report (index.html, pair-N.html)" },
	{ "dedup", 0, "FILE", OPT_DEDUP, S | IS | SF,
	  "the collection without its duplicates, as JSONL (each\n"
	  "cluster keeps its first publication; JSONL records copied as\n"
	  "they were); with --jaccard-only, near duplicates only" },
	{ "removed", 0, "FILE", OPT_REMOVED, D,
	  "each removed record as TSV: id, representative (the record\n"
	  "kept for its cluster), relation and Jaccard of the pair that\n"
	  "joined it to the cluster, and the other record of that pair" },
	{ "stats", 0, "FILE", OPT_STATS, S | D,
	  "the run as JSON: counts, each stage's seconds, peak memory,\n"
	  "temporary bytes, parameters" },
	{ "memory", 0, "SIZE", OPT_MEMORY, S | D | SH | IA | IS | IQ,
	  "keep the run's memory near SIZE (512M, 2G; default: an\n"
	  "eighth of RAM, at most 1G; 0: no bound): texts past a\n"
	  "64th of it are kept in a temporary file" },
	{ "tmpdir", 0, "DIR", OPT_TMPDIR, S | D | SH | IA | IS | IQ,
	  "temporary files there ($TMPDIR, else /tmp); they have no\n"
	  "name, so nothing is left behind on any exit" },
	{ "progress", 0, NULL, OPT_PROGRESS, S | D | IA | IS | IQ,
	  "a progress line every 5 s on stderr, also when it is not a\n"
	  "terminal (a batch job's log)" },
	{ "rejects", 0, "FILE", OPT_REJECTS, S | IA | IQ | IS | D | SF,
	  "every rejected record as JSONL (source, line, id, reason)" },
	{ "quiet", 'q', NULL, 'q', S | B | CMD_INDEX | D | SH,
	  "no summary on stderr; rejected records counted, not listed\n"
	  "(--rejects FILE lists them)" },
	/* The archive index. */
	{ "replace", 0, NULL, OPT_REPLACE, IA,
	  "a known id with another text takes the new text (else it is a\n"
	  "conflict, reported)" },
	{ "batch", 0, "N", OPT_BATCH, IA,
	  "documents per transaction (10000): a batch is stored wholly or\n"
	  "not at all" },
	{ "add", 0, NULL, OPT_ADD, IQ,
	  "add the queried documents to the index afterwards" },
	/* Stages over shards, and the driver that runs them. */
	{ "shard", 0, "I/N", OPT_SHARD, CMD_SHARD_READ | CMD_SHARD_SIGN,
	  "the I-th of N parts of the inputs (I from 0: a Slurm array's\n"
	  "$SLURM_ARRAY_TASK_ID)" },
	{ "part", 0, "I/N", OPT_PART, CMD_SHARD_PAIRS | CMD_SHARD_VERIFY,
	  "the I-th of N parts of the stage's work (I from 0)" },
	{ "work", 0, "DIR", OPT_WORK, CMD_SLURM,
	  "the work folder, on a file system every node sees" },
	{ "tasks", 0, "N", OPT_TASKS, CMD_SLURM,
	  "tasks per stage (the shards of the inputs)" },
	{ "wait", 0, NULL, OPT_WAIT, CMD_SLURM,
	  "return when the last stage has finished, with scan's exit\n"
	  "status" },
	{ "local", 0, NULL, OPT_LOCAL, CMD_SLURM,
	  "run the stages as processes on this machine, not as Slurm\n"
	  "jobs" },
	{ "help", 'h', NULL, 'h', S | C | B | T | CMD_INDEX | D | SH, "this help" },
};
#define NOPTS (sizeof(OPTS) / sizeof(OPTS[0]))

static const struct {
	unsigned cmd;
	const char *name, *usage, *about;
} CMDS[] = {
	{ CMD_SCAN, "scan", "reprint scan [options] INPUT...",
	  "Find every pair of documents that are reprints, trims, excerpts or\n"
	  "light edits of each other, and group them into stories.\n"
	  "INPUT is a JSONL file (one article per line), '-' for JSONL on\n"
	  "stdin, a .txt or .html file, or a directory walked for *.txt and\n"
	  "*.html files; gzip and zstd are read by their magic bytes." },
	{ CMD_DEDUP, "dedup", "reprint dedup [options] INPUT... [-o OUT]",
	  "Write the collection without its duplicates: every record except\n"
	  "the members of each story other than its first publication (else\n"
	  "its longest text), in input order, each JSONL line as it was read\n"
	  "(text files as JSON). Stories are scan's clusters: reprints, trims\n"
	  "and excerpts; --jaccard-only keeps excerpts and removes near\n"
	  "duplicates only. The summary says records read = kept + removed +\n"
	  "rejected." },
	{ CMD_COMPARE, "compare", "reprint compare [options] [--in COLLECTION] A B",
	  "One pair explained: relation, source, exact scores and the shared\n"
	  "passages side by side, edits coloured on a terminal (NO_COLOR turns\n"
	  "colour off; without colour, [-deleted-] and {+inserted+}).\n"
	  "A and B are text files, or with --in the ids of two documents of a\n"
	  "collection, seen with the chrome the collection taught." },
	{ CMD_BOILERPLATE, "boilerplate", "reprint boilerplate [options] INPUT...",
	  "List the lines learned as each outlet's site chrome (outlet, pages,\n"
	  "line)." },
	{ CMD_TUNE, "tune", "reprint tune [options]",
	  "Print the LSH banding chosen for a threshold and its S-curve." },
	{ CMD_INDEX_ADD, "index add", "reprint index add [options] DB INPUT...",
	  "Add documents to the archive index DB (an SQLite file, created\n"
	  "when missing with the analysis options given), in batches of one\n"
	  "transaction each. A known id with the same text is left alone." },
	{ CMD_INDEX_QUERY, "index query", "reprint index query [options] DB INPUT...",
	  "For each input document, the archived documents it shares text\n"
	  "with, as scan of the archive plus the inputs reports them (a = the\n"
	  "input document, b = the archived one)." },
	{ CMD_INDEX_SCAN, "index scan", "reprint index scan [options] DB",
	  "Every pair among the archived documents, with scan's outputs:\n"
	  "the same as scan of the same documents in the order they were added." },
	{ CMD_INDEX_REMOVE, "index remove", "reprint index remove DB ID...",
	  "Remove documents from the index, in one transaction." },
	{ CMD_INDEX_STATS, "index stats", "reprint index stats DB",
	  "What the index holds: documents, outlets, batches, size, and the\n"
	  "analysis options it was made with." },
	{ CMD_INDEX_CHECK, "index check", "reprint index check DB",
	  "Check the index: SQLite's integrity check, every table against\n"
	  "every other, every text against its hash. Exit 0 when sound, 1\n"
	  "with the first problem." },
	{ CMD_SHARD_READ, "shard read",
	  "reprint shard read --shard I/N [options] INPUT... -o DIR",
	  "Stage 1 of a run over shards (reprint slurm runs them all): read\n"
	  "the I-th of N parts of the inputs (whole files, and plain JSONL\n"
	  "files cut at line ends) and keep in DIR its documents and the\n"
	  "chrome evidence of its pages. The analysis and question options\n"
	  "given here are kept in DIR for every later stage." },
	{ CMD_SHARD_CHROME, "shard chrome", "reprint shard chrome DIR",
	  "Stage 2: merge the chrome evidence of every part into one model\n"
	  "(an outlet's chrome needs all its pages, wherever they fell), and\n"
	  "find ids that two parts both hold." },
	{ CMD_SHARD_SIGN, "shard sign", "reprint shard sign --shard I/N DIR",
	  "Stage 3: analyse part I with the merged chrome and write its\n"
	  "signature band keys and passage fingerprints, sorted." },
	{ CMD_SHARD_PAIRS, "shard pairs", "reprint shard pairs --part I/N DIR",
	  "Stage 4: merge every part's band keys of the I-th N-th of the\n"
	  "bands, and fingerprints of the I-th N-th of the hash space, into\n"
	  "candidate pairs." },
	{ CMD_SHARD_VERIFY, "shard verify", "reprint shard verify --part I/N DIR",
	  "Stage 5: verify exactly, relate and align the I-th N-th of the\n"
	  "candidate pairs, reading only their documents." },
	{ CMD_SHARD_FINISH, "shard finish", "reprint shard finish [options] DIR",
	  "Stage 6: merge the verified pairs, cluster them and write scan's\n"
	  "outputs: the same as reprint scan of the same inputs." },
	{ CMD_SLURM, "slurm",
	  "reprint slurm [options] INPUT... --work DIR --tasks N [-- SBATCH-OPTIONS]",
	  "Run scan as stages over N shards: each stage a Slurm job array\n"
	  "depending on the one before (afterok), or processes on this\n"
	  "machine with --local. Prints the job ids; the outputs land where\n"
	  "-o, --clusters, --syndication, --rejects and --dedup say." },
};

const char *cur_cmd = NULL;

static const char *cmd_name(unsigned cmd)
{
	for (size_t i = 0; i < sizeof(CMDS) / sizeof(CMDS[0]); i++)
		if (CMDS[i].cmd == cmd)
			return CMDS[i].name;
	return "?";
}

void print_help(FILE *fp, unsigned cmd)
{
	size_t c = 0;
	while (CMDS[c].cmd != cmd)
		c++;
	fprintf(fp, "usage: %s\n\n%s\n\noptions:\n", CMDS[c].usage, CMDS[c].about);
	for (size_t i = 0; i < NOPTS; i++) {
		const opt_def *o = &OPTS[i];
		if (!(o->cmds & cmd))
			continue;
		char left[64];
		if (o->shrt)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shrt,
				 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(fp, "  %-24s", left);
		if (strlen(left) >= 24)
			fprintf(fp, "\n  %24s", "");
		for (const char *h = o->help; *h; h++) {
			fputc(*h, fp);
			if (*h == '\n')
				fprintf(fp, "  %24s", "");
		}
		fputc('\n', fp);
	}
	fputs("\nexit status: 0 ok, 1 input errors (results for the rest written),\n"
	      "2 bad usage, 3 failure (memory, output, internal).\n", fp);
}

void print_usage(FILE *fp)
{
	for (size_t i = 0; i < sizeof(CMDS) / sizeof(CMDS[0]); i++)
		fprintf(fp, "%s %s\n", i ? "      " : "usage:", CMDS[i].usage);
	fputs("       reprint eval --truth DIR [--pairs FILE] [--clusters FILE]\n"
	      "       reprint --version | --help\n\n"
	      "'reprint COMMAND --help' lists the options of a command.\n\n"
	      "exit status: 0 ok, 1 input errors (results for the rest written),\n"
	      "2 bad usage, 3 failure (memory, output, internal).\n", fp);
}

unsigned cmd_of(const char *name)
{
	for (size_t i = 0; i < sizeof(CMDS) / sizeof(CMDS[0]); i++)
		if (strcmp(CMDS[i].name, name) == 0)
			return CMDS[i].cmd;
	return 0;
}

/* Edit distance of a and b, up to 3 (larger is 3). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 3;
	size_t d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = RP_CLI_MIN(sub, RP_CLI_MIN(del, ins));
		}
	return RP_CLI_MIN(d[la][lb], (size_t)3);
}

/* A usage error for the option argv[optind - 1] that getopt refused. */
static int bad_option(unsigned cmd, const char *tok, int shrt)
{
	char name[64];
	if (shrt) {
		for (size_t i = 0; i < NOPTS; i++)
			if (OPTS[i].shrt == shrt)
				return usage_error("-%c is not an option of %s",
						   shrt, cmd_name(cmd));
		return usage_error("unknown option -%c", shrt);
	}
	const char *s = tok;
	while (*s == '-')
		s++;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(s, "="), s);
	for (size_t i = 0; i < NOPTS; i++) {
		if (strcmp(OPTS[i].name, name) != 0)
			continue;
		char owners[256] = "";
		for (size_t c = 0; c < sizeof(CMDS) / sizeof(CMDS[0]); c++)
			if (OPTS[i].cmds & CMDS[c].cmd) {
				strlcat(owners, *owners ? ", " : "", sizeof(owners));
				strlcat(owners, CMDS[c].name, sizeof(owners));
			}
		return usage_error("--%s is not an option of %s (it is one of: %s)",
				   name, cmd_name(cmd), owners);
	}
	const char *best = NULL;
	size_t bestd = 3;
	for (size_t i = 0; i < NOPTS; i++) {
		if (!(OPTS[i].cmds & cmd))
			continue;
		size_t d = distance(name, OPTS[i].name);
		if (d < bestd) {
			bestd = d;
			best = OPTS[i].name;
		}
	}
	if (best)
		return usage_error("unknown option '%s'; did you mean --%s?", tok, best);
	return usage_error("unknown option '%s'", tok);
}

/* 0 when s is a, 1 when it is b, -1 otherwise. */
static int parse_choice(const char *s, const char *a, const char *b)
{
	return strcmp(s, a) == 0 ? 0 : strcmp(s, b) == 0 ? 1 : -1;
}

static int set_option(cli *cl, int id, const char *arg)
{
	long long v;
	int ch;
	switch (id) {
	case 't':
		if (parse_double(arg, 1e-6, 1.0, &cl->q.threshold) < 0)
			return usage_error("--threshold must be in (0, 1]: '%s'", arg);
		break;
	case 'k':
		cl->analysis_set = 1;
		if (parse_uint(arg, 1, UINT_MAX, &v) < 0)
			return usage_error("--shingle-size must be a positive number: '%s'", arg);
		cl->ao.k = (unsigned)v;
		break;
	case OPT_SHINGLE:
		cl->analysis_set = 1;
		if ((ch = parse_choice(arg, "word", "char")) < 0)
			return usage_error("--shingle must be word or char: '%s'", arg);
		cl->ao.shingle = ch ? RP_SHINGLE_CHAR : RP_SHINGLE_WORD;
		break;
	case OPT_PERMS:
		cl->analysis_set = 1;
		if (parse_uint(arg, 1, UINT_MAX, &v) < 0)
			return usage_error("--perms must be a positive number: '%s'", arg);
		cl->ao.num_perm = (unsigned)v;
		break;
	case OPT_MINHASH:
		cl->analysis_set = 1;
		if ((ch = parse_choice(arg, "oph", "classic")) < 0)
			return usage_error("--minhash must be oph or classic: '%s'", arg);
		cl->ao.minhash = ch ? RP_MINHASH_CLASSIC : RP_MINHASH_OPH;
		break;
	case OPT_SEED:
		cl->analysis_set = 1;
		if (parse_uint(arg, 1, LLONG_MAX, &v) < 0)
			return usage_error("--seed must be a positive integer: '%s'", arg);
		cl->ao.seed = (uint64_t)v;
		break;
	case OPT_RECALL:
		if (parse_double(arg, 1e-6, 0.999999, &cl->q.target_recall) < 0)
			return usage_error("--recall must be in (0, 1): '%s'", arg);
		break;
	case OPT_BANDS:
	case OPT_ROWS:
		if (parse_uint(arg, 1, UINT_MAX, &v) < 0)
			return usage_error("--%s must be a positive number: '%s'",
					   id == OPT_BANDS ? "bands" : "rows", arg);
		if (id == OPT_BANDS)
			cl->q.bands = (unsigned)v;
		else
			cl->q.rows = (unsigned)v;
		break;
	case OPT_BUCKET_CAP:
		if (parse_uint(arg, 2, LLONG_MAX, &v) < 0)
			return usage_error("--bucket-cap must be >= 2: '%s'", arg);
		cl->q.bucket_cap = (size_t)v;
		break;
	case OPT_EXACT: cl->q.exact = 1; break;
	case OPT_CONTAINMENT:
		if (parse_double(arg, 0.0, 1.0, &cl->q.containment) < 0)
			return usage_error("--containment must be in [0, 1]: '%s'", arg);
		if (cl->q.containment == 0)
			cl->q.containment = RP_OFF;
		break;
	case OPT_NO_ALIGN: cl->q.align = RP_OFF; break;
	case OPT_MIN_PASSAGE:
		if (parse_uint(arg, 0, 1000000, &v) < 0)
			return usage_error("--min-passage must be a number of words: '%s'", arg);
		cl->q.min_passage = v ? (int)v : RP_OFF;
		break;
	case OPT_JACCARD_ONLY:
		cl->q.containment = RP_OFF;
		cl->q.min_passage = RP_OFF;
		break;
	case OPT_IN: cl->in = arg; break;
	case OPT_HTML: cl->html = arg; break;
	case OPT_KEEP_TEMPLATES: cl->q.keep_templates = 1; break;
	case OPT_BOILERPLATE:
		cl->analysis_set = 1;
		if ((ch = parse_choice(arg, "off", "auto")) < 0)
			return usage_error("--boilerplate must be auto or off: '%s'", arg);
		cl->ao.boilerplate = ch ? RP_ON : RP_OFF;
		break;
	case OPT_CHROME_PAGES:
		cl->analysis_set = 1;
		if (parse_uint(arg, 2, 1000000, &v) < 0)
			return usage_error("--chrome-min-pages must be >= 2: '%s'", arg);
		cl->ao.chrome_min_pages = (unsigned)v;
		break;
	case OPT_CROSS_OUTLET: cl->q.cross_outlet = 1; break;
	case OPT_WINDOW:
		if (parse_duration(arg, &cl->q.window) < 0)
			return usage_error("--window must be a duration like 90m, 48h, 7d: '%s'", arg);
		break;
	case OPT_SYNDICATION: cl->syndication = arg; break;
	case OPT_REJECTS: cl->rejects = arg; break;
	case OPT_DEDUP: cl->dedup = arg; break;
	case OPT_REMOVED: cl->removed = arg; break;
	case OPT_STATS: cl->stats = arg; break;
	case OPT_PROGRESS: cl->progress_lines = 1; break;
	case OPT_MEMORY:
		if (parse_size(arg, &cl->memory) < 0)
			return usage_error("--memory must be a size (0, 512M, "
					   "2G): '%s'", arg);
		cl->memory_set = 1;
		break;
	case OPT_TMPDIR: cl->tmpdir = arg; break;
	case OPT_INCLUDE_TITLE:
		cl->analysis_set = 1;
		cl->ao.include_title = 1;
		break;
	case OPT_MAX_BYTES:
		if (parse_uint(arg, 1, (long long)UINT32_MAX - 1, &v) < 0)
			return usage_error("--max-bytes must be 1..4294967294: '%s'", arg);
		cl->ro.max_doc_bytes = (size_t)v;
		break;
	case OPT_THREADS:
		if (parse_uint(arg, 1, 256, &v) < 0)
			return usage_error("--threads must be 1..256: '%s'", arg);
		cl->ao.threads = (unsigned)v;
		break;
	case OPT_ID_FIELD: cl->ro.id_field = arg; break;
	case OPT_TEXT_FIELD: cl->ro.text_field = arg; break;
	case OPT_TITLE_FIELD: cl->ro.title_field = arg; break;
	case OPT_OUTLET_FIELD: cl->ro.outlet_field = arg; break;
	case OPT_DATE_FIELD: cl->ro.date_field = arg; break;
	case OPT_OUTLET: cl->ro.outlet = arg; break;
	case OPT_EXT:
		for (const char *p = arg; *p; p++)
			if (*p == '.' || *p == '/' || *p == ' ')
				return usage_error("--ext takes extensions without dots, "
						   "comma-separated (txt,md): '%s'", arg);
		if (!*arg)
			return usage_error("--ext needs at least one extension");
		cl->ro.extensions = arg;
		break;
	case 'o': cl->output = arg; break;
	case OPT_FORMAT:
		if ((cl->jsonl = parse_choice(arg, "tsv", "jsonl")) < 0)
			return usage_error("--format must be tsv or jsonl: '%s'", arg);
		break;
	case OPT_CLUSTERS: cl->clusters = arg; break;
	case OPT_SINGLETONS: cl->singletons = 1; break;
	case 'q': cl->quiet = 1; break;
	case OPT_REPLACE: cl->replace = 1; break;
	case OPT_ADD: cl->add = 1; break;
	case OPT_SHARD:
	case OPT_PART: {
		unsigned long i, n;
		char end;
		if (sscanf(arg, "%lu/%lu%c", &i, &n, &end) != 2 || n < 1 ||
		    n > 100000 || i >= n)
			return usage_error("--%s must be I/N with 0 <= I < N <= "
					   "100000: '%s'", id == OPT_SHARD
					   ? "shard" : "part", arg);
		cl->part_i = (unsigned)i;
		cl->part_n = (unsigned)n;
		cl->part_set = 1;
		break;
	}
	case OPT_WORK: cl->work = arg; break;
	case OPT_TASKS:
		if (parse_uint(arg, 1, 100000, &v) < 0)
			return usage_error("--tasks must be 1..100000: '%s'", arg);
		cl->tasks = (unsigned)v;
		break;
	case OPT_WAIT: cl->wait = 1; break;
	case OPT_LOCAL: cl->local = 1; break;
	case OPT_BATCH:
		if (parse_uint(arg, 1, 100000000, &v) < 0)
			return usage_error("--batch must be a number of documents: '%s'", arg);
		cl->batch = (size_t)v;
		break;
	}
	return 0;
}

/* The option named by token tok ("--name", "--name=v", "-k", "-kV"). */
static const opt_def *option_of(const char *tok, int *inline_value)
{
	*inline_value = 0;
	if (tok[0] != '-' || !tok[1])
		return NULL;
	if (tok[1] != '-') {
		for (size_t i = 0; i < NOPTS; i++)
			if (OPTS[i].shrt == tok[1]) {
				*inline_value = OPTS[i].arg && tok[2];
				return &OPTS[i];
			}
		return NULL;
	}
	size_t len = strcspn(tok + 2, "=");
	for (size_t i = 0; i < NOPTS; i++)
		if (strlen(OPTS[i].name) == len &&
		    strncmp(OPTS[i].name, tok + 2, len) == 0) {
			*inline_value = tok[2 + len] == '=';
			return &OPTS[i];
		}
	return NULL;
}

/* Is option id of the kind `which` (cli.h)? */
static int option_kind(int id, int which)
{
	switch (id) {
	case 'o': case OPT_FORMAT: case OPT_CLUSTERS: case OPT_SINGLETONS:
	case OPT_SYNDICATION: case OPT_REJECTS: case OPT_DEDUP:
		return which == ARGS_OUTPUT;
	case OPT_THREADS: case OPT_MEMORY: case OPT_TMPDIR: case 'q':
	case OPT_PROGRESS: case OPT_STATS: case OPT_HTML:
	case OPT_SHARD: case OPT_PART: case OPT_WORK: case OPT_TASKS:
	case OPT_WAIT: case OPT_LOCAL: case 'h': case OPT_IN:
		return 0;
	default:
		return which == ARGS_PARAMS;
	}
}

int option_args(int argc, char **argv, int end, int which, char ***out,
		size_t *n)
{
	for (int i = 1; i < end && i < argc; i++) {
		int inl;
		const opt_def *o = option_of(argv[i], &inl);
		if (!o)
			continue;
		int take = o->arg && !inl && i + 1 < end ? 2 : 1;
		if (option_kind(o->id, which))
			for (int k = 0; k < take; k++) {
				char **g = reallocarray(*out, *n + 2, sizeof(**out));
				if (!g)
					return -1;
				*out = g;
				(*out)[(*n)++] = argv[i + k];
				(*out)[*n] = NULL;
			}
		i += take - 1;
	}
	return 0;
}

int options_in_full(int argc, char **argv, int end)
{
	for (int i = 1; i < end && i < argc; i++) {
		int inl;
		const char *tok = argv[i];
		if (tok[0] != '-' || !tok[1] || strcmp(tok, "--") == 0)
			continue;
		const opt_def *o = option_of(tok, &inl);
		if (!o)
			return usage_error("write the option in full: '%s' (the "
					   "run's parameters are kept as written)",
					   tok);
		if (tok[1] != '-' && !o->arg && tok[2])
			return usage_error("write short options apart: '%s'", tok);
		if (o->arg && !inl)
			i++;
	}
	return 0;
}

int parse_opts(cli *cl, unsigned cmd, int argc, char **argv)
{
	struct option lo[NOPTS + 1];
	char shorts[2 * NOPTS + 2];
	size_t n = 0, ns = 0;

	cur_cmd = cmd_name(cmd);
	shorts[ns++] = ':'; /* a missing argument is ':' */
	for (size_t i = 0; i < NOPTS; i++) {
		if (!(OPTS[i].cmds & cmd))
			continue;
		lo[n++] = (struct option){ OPTS[i].name,
					   OPTS[i].arg ? required_argument
						       : no_argument,
					   NULL, OPTS[i].id };
		if (OPTS[i].shrt) {
			shorts[ns++] = (char)OPTS[i].shrt;
			if (OPTS[i].arg)
				shorts[ns++] = ':';
		}
	}
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	shorts[ns] = '\0';

	optind = 1;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (ch == 'h') {
			print_help(stdout, cmd);
			return 1;
		}
		if (ch == ':')
			return usage_error("option '%s' needs a value",
					   argv[optind - 1]), -1;
		if (ch == '?')
			return bad_option(cmd, argv[optind - 1], optopt), -1;
		if (set_option(cl, ch, optarg) != 0)
			return -1;
	}
	return 0;
}
