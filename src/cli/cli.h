/*
 * cli.h - what the reprint command's files share: exit codes, messages,
 * options, output files.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "reprint.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_FAIL = 3 };

extern const char *progname;
/* The command being run ("scan", ...), for messages; NULL before. */
extern const char *cur_cmd;

#define RP_CLI_MIN(a, b) ((a) < (b) ? (a) : (b))

/* The commands that share the option table (options.c). */
enum {
	CMD_SCAN = 1, CMD_COMPARE = 2, CMD_BOILERPLATE = 4, CMD_TUNE = 8,
	CMD_INDEX_ADD = 16, CMD_INDEX_QUERY = 32, CMD_INDEX_SCAN = 64,
	CMD_INDEX_REMOVE = 128, CMD_INDEX_STATS = 256, CMD_INDEX_CHECK = 512,
	CMD_DEDUP = 1024, CMD_SHARD_READ = 2048, CMD_SHARD_CHROME = 4096,
	CMD_SHARD_SIGN = 8192, CMD_SHARD_PAIRS = 16384,
	CMD_SHARD_VERIFY = 32768, CMD_SHARD_FINISH = 65536, CMD_SLURM = 131072
};
#define CMD_SHARD (CMD_SHARD_READ | CMD_SHARD_CHROME | CMD_SHARD_SIGN | \
		   CMD_SHARD_PAIRS | CMD_SHARD_VERIFY | CMD_SHARD_FINISH)
#define CMD_INDEX (CMD_INDEX_ADD | CMD_INDEX_QUERY | CMD_INDEX_SCAN | \
		   CMD_INDEX_REMOVE | CMD_INDEX_STATS | CMD_INDEX_CHECK)

/* "reprint: ..." on stderr. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage message on stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int parse_uint(const char *s, long long lo, long long hi, long long *out);
int parse_double(const char *s, double lo, double hi, double *out);
int parse_duration(const char *s, int64_t *out);
/* "0", "4096", "512K", "512M", "2G", "1T" (powers of 1024) -> bytes. */
int parse_size(const char *s, size_t *out);
/* The default memory bound: an eighth of the RAM, at most 1 GiB. */
size_t default_memory(void);


/* Options of every command. */
typedef struct cli {
	rp_analysis_options ao;
	rp_question q;
	rp_read_options ro;
	const char *output, *clusters, *in, *html, *syndication, *rejects,
		*dedup, *removed, *stats;
	int jsonl, singletons, quiet;
	int progress_lines;  /* --progress: a line every few seconds */
	int analysis_set;    /* an analysis option was given */
	int replace, add;    /* index add --replace, index query --add */
	size_t batch;        /* index add --batch (0: the library's) */
	size_t memory;       /* --memory (memory_set), else the default */
	int memory_set;
	const char *tmpdir;  /* --tmpdir */
	unsigned part_i, part_n; /* shard --shard I/N, --part I/N (0-based) */
	int part_set;
	const char *work;    /* slurm --work */
	unsigned tasks;      /* slurm --tasks */
	int wait, local;     /* slurm --wait, --local */
} cli;

/* Which options option_args keeps: the analysis, question and reading
 * options a run is made with (a shard folder's parameters), or those that
 * say where scan's results go (-o, --format, --clusters, ...). */
enum { ARGS_PARAMS = 1, ARGS_OUTPUT = 2 };

/* The options among argv[1..end) (as parse_opts left them: options
 * first) of the kind `which`, each with its value, appended to *out
 * (grown; *n entries; the strings are argv's). 0, or -1 out of memory. */
int option_args(int argc, char **argv, int end, int which, char ***out,
		size_t *n);
/* Is every option among argv[1..end) written in full (no abbreviated
 * long option, no short options run together), as option_args needs
 * them? 0, or a usage error's status (2) after its message. */
int options_in_full(int argc, char **argv, int end);

/* Parse the options of command cmd (argv[0] is the command); positional
 * arguments start at optind afterwards. Returns 0, 1 after printing the
 * command's help (exit 0), -1 after a usage error. */
int parse_opts(cli *cl, unsigned cmd, int argc, char **argv);
/* The command's name for its bit, the help of one command, of all. */
unsigned cmd_of(const char *name);
void print_help(FILE *fp, unsigned cmd);
void print_usage(FILE *fp);

/* A command's clock and progress line (run_start sets cl's progress
 * callback when stderr is a terminal, or a line every few seconds with
 * --progress). */
typedef struct run_state {
	struct timespec t0;
	void *ps;
} run_state;
void run_start(run_state *rs, cli *cl);
/* End the progress line, if any. */
void run_stop_progress(run_state *rs);
/* Seconds since t0 (CLOCK_MONOTONIC). */
double secs_since(const struct timespec *t0);

/* Read argv[first..argc) into c (files, directories, '-'); EXIT_OK, or
 * EXIT_FAIL after a message (memory, canceled). Rejects stay on c. */
int read_inputs(cli *cl, rp_corpus *c, int argc, char **argv, int first);

/* Print the rejects of c on stderr (their count when quiet), the count
 * of empty texts and of skipped files; the number of rejects that are
 * errors (empty texts are not). */
size_t print_rejects(const rp_corpus *c, int quiet);

/* Ask c cl's question (released as soon as used), list the rejects, write
 * the reports cl asks for and the summary; query_from != SIZE_MAX: the
 * pairs written are those of documents from query_from on with the ones
 * before (rp_result_pairs_across). Returns the exit status. */
int ask_and_report(cli *cl, rp_corpus *c, run_state *rs, size_t query_from);

/* The rest of ask_and_report for an answer r on c already had (freed
 * here); read_secs: the seconds reading took. */
int report_answer(cli *cl, rp_corpus *c, rp_result *r, run_state *rs,
		  size_t query_from, double read_secs);

/* A new corpus configured with cl's analysis options, and cl's question
 * checked; on error a message and NULL (exit status in *rc). */
rp_corpus *new_corpus(cli *cl, int *rc);

/* new_corpus under --memory and --tmpdir (or the default bound); on
 * error a message and NULL (exit status in *rc). */
rp_corpus *new_bounded_corpus(cli *cl, int *rc);

/* An output file written under a temporary name and renamed when complete
 * (regular files only; devices and pipes are written in place). */
typedef struct outfile {
	FILE *fp;
	const char *path;  /* NULL: stdout */
	char *tmp;
} outfile;

int out_open(outfile *o, const char *path);
int out_close(outfile *o, int ok);

int cmd_compare(cli *cl, int argc, char **argv);
/* reprint dedup INPUT... -o OUT (dedup.c). */
int cmd_dedup(cli *cl, int argc, char **argv);

/* --stats FILE: the run as one JSON object (counts, each stage's
 * seconds, peak memory, temporary bytes, parameters); extra counts of
 * the command (NULL-terminated names, values) are added. -1 after a
 * message. */
int write_stats(const char *path, const cli *cl, const rp_corpus *c,
		const rp_result *r, double read_secs, double total_secs,
		const char *const *names, const double *values);

/* Output compressed by the file's name: .gz (gzip), .zst (zstd), else
 * as it is (zout.c). */
typedef struct zout zout;
/* A writer over fp for path (NULL: plain); NULL when out of memory. */
zout *zout_new(FILE *fp, const char *path);
/* rp_write_fn: userdata is the zout. */
int zout_write(const char *data, size_t len, void *userdata);
/* Finish the stream (the compressor's end) and free z; -1 when a write
 * or the compressor failed. NULL is a no-op returning 0. */
int zout_end(zout *z);
/* reprint index SUB DB ...: argv[0] is SUB. */
int cmd_index(cli *cl, unsigned cmd, int argc, char **argv);
/* reprint shard STAGE (shard.c) and reprint slurm (slurm.c). */
int cmd_shard(cli *cl, unsigned cmd, int argc, char **argv);
int cmd_slurm(cli *cl, int argc, char **argv);
int cmd_boilerplate(cli *cl, int argc, char **argv);
/* reprint eval: scores pairs and clusters against ground truth (its own
 * options; argv[0] is "eval"). */
int cmd_eval(int argc, char **argv);

/* One report of a question into path (NULL or "-": stdout), written under
 * a temporary name and renamed; -1 after a message. */
enum { REPORT_PAIRS, REPORT_CLUSTERS, REPORT_SYNDICATION, REPORT_REJECTS,
       REPORT_DEDUP };
int write_report(const char *path, int what, const rp_corpus *c,
		 const rp_result *r, const cli *cl);

/* The static HTML report of a question into dir, as one whole: built
 * beside it and put in its place; only a missing or empty folder or an
 * earlier report is replaced. -1 after a message. */
int write_html(const char *dir, const rp_result *r);
/* Can dir take a report? -1 after a message (checked before a scan). */
int html_target_ok(const char *dir);

#endif
