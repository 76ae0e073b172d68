/*
 * slurm.c - reprint slurm: scan as six stages over N shards (read, chrome,
 * sign, pairs, verify, finish; reprint shard STAGE runs one task of one),
 * each stage a Slurm job array that waits for the one before (afterok), or
 * with --local the same commands as processes on this machine.
 *
 * Slurm: one shell script per stage in WORK/jobs, submitted with sbatch;
 * each task's output goes to WORK/logs/STAGE-I.log. The job ids are
 * printed on stdout ("STAGE JOBID"). read's exit status 1 (input records
 * rejected) is not a failure, so later stages still run (any other
 * stage's is); finish records its exit status in WORK/finish.status, and
 * --wait returns it.
 * With --wait the jobs are watched with scontrol (no accounting needed):
 * a stage whose task failed or was cancelled is named with that task's
 * log, the later stages are cancelled, and the exit status is 3.
 *
 * Running the same command again with the same --work re-runs every stage:
 * a task gives the same files whenever it runs.
 *
 * Arguments: GNU getopt has moved the options before the positional
 * arguments, and a "--" it met goes before the positional arguments too,
 * so argv no longer tells which positional arguments (INPUTs) came before
 * "--" and which (SBATCH-OPTIONS) after. Their strings still lie in
 * memory in the order they were given (the kernel copies them in order),
 * which tells.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

/* How a stage's tasks divide the work: one task, --shard I/N, --part I/N. */
enum { ONE, SHARDS, PARTS };

static const struct {
	const char *name;
	int split;
} STAGES[] = {
	{ "read", SHARDS }, { "chrome", ONE }, { "sign", SHARDS },
	{ "pairs", PARTS }, { "verify", PARTS }, { "finish", ONE },
};
#define NSTAGES ((int)(sizeof(STAGES) / sizeof(STAGES[0])))
#define FINISH (NSTAGES - 1)

/* ---- string vectors (NULL-terminated, owned strings) ---- */

typedef struct strv {
	char **v;
	char *raw;   /* per string: written into a script unquoted */
	size_t n, cap;
	int oom;
} strv;

static void sv_push(strv *s, char *str, int raw)
{
	if (!str) {
		s->oom = 1;
		return;
	}
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		char **v = reallocarray(s->v, cap, sizeof(*v));
		if (v)
			s->v = v;
		char *r = v ? realloc(s->raw, cap) : NULL;
		if (r)
			s->raw = r;
		if (!v || !r) {
			free(str);
			s->oom = 1;
			return;
		}
		s->cap = cap;
	}
	s->raw[s->n] = (char)raw;
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

static void sv_add(strv *s, const char *str)
{
	sv_push(s, strdup(str), 0);
}

static void sv_addf(strv *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sv_addf(strv *s, const char *fmt, ...)
{
	va_list ap;
	char *str;
	va_start(ap, fmt);
	int len = vasprintf(&str, fmt, ap);
	va_end(ap);
	sv_push(s, len < 0 ? NULL : str, 0);
}

static void sv_free(strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s->raw);
	memset(s, 0, sizeof(*s));
}

/* ---- the run ---- */

typedef struct run {
	cli *cl;
	char *bin;          /* this program, for the jobs */
	char *cwd;
	char *work;         /* absolute */
	unsigned tasks;
	strv inputs;        /* as given: they name records ("FILE:LINE") */
	strv params;        /* shard read's analysis/question/reading options */
	strv outputs;       /* shard finish's output options */
	strv sbatch;        /* SBATCH-OPTIONS */
	int quiet;
} run;

static char *absolute(const char *cwd, const char *path)
{
	char *s;
	if (path[0] == '/' || strcmp(path, "-") == 0)
		return strdup(path);
	if (asprintf(&s, "%s/%s", cwd, path) < 0)
		return NULL;
	return s;
}

static char *path_in(const run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *path_in(const run *r, const char *fmt, ...)
{
	char *name, *s;
	va_list ap;
	va_start(ap, fmt);
	int len = vasprintf(&name, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	if (asprintf(&s, "%s/%s", r->work, name) < 0)
		s = NULL;
	free(name);
	return s;
}

static unsigned stage_tasks(const run *r, int s)
{
	return STAGES[s].split == ONE ? 1 : r->tasks;
}

/* mkdir -p. */
static int make_dirs(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return -1;
	for (char *q = p + 1;; q++) {
		if (*q != '/' && *q)
			continue;
		char c = *q;
		*q = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		if (!c)
			break;
		*q = c;
	}
	free(p);
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* The command of task `task` of stage s (task < 0: for the job script,
 * where the task is $SLURM_ARRAY_TASK_ID and, without --threads, the
 * threads $threads, set by the script). */
static void stage_argv(const run *r, int s, int task, strv *a)
{
	const cli *cl = r->cl;
	sv_add(a, r->bin);
	sv_add(a, "shard");
	sv_add(a, STAGES[s].name);
	if (STAGES[s].split != ONE) {
		sv_add(a, STAGES[s].split == SHARDS ? "--shard" : "--part");
		if (task < 0) {
			char *v;
			if (asprintf(&v, "\"$SLURM_ARRAY_TASK_ID/%u\"", r->tasks) < 0)
				v = NULL;
			sv_push(a, v, 1);
		} else {
			sv_addf(a, "%d/%u", task, r->tasks);
		}
	}
	if (s == 0)
		for (size_t i = 0; i < r->params.n; i++)
			sv_add(a, r->params.v[i]);
	if (s == FINISH)
		for (size_t i = 0; i < r->outputs.n; i++)
			sv_add(a, r->outputs.v[i]);
	sv_add(a, "--threads");
	if (cl->ao.threads)
		sv_addf(a, "%u", cl->ao.threads);
	else if (task < 0)
		sv_push(a, strdup("\"$threads\""), 1);
	else
		sv_add(a, "1");
	if (cl->memory_set) {
		sv_add(a, "--memory");
		sv_addf(a, "%zu", cl->memory);
	}
	if (cl->tmpdir) {
		sv_add(a, "--tmpdir");
		sv_push(a, absolute(r->cwd, cl->tmpdir), 0);
	}
	if (cl->quiet)
		sv_add(a, "-q");
	if (s == 0) {
		sv_add(a, "-o");
		sv_add(a, r->work);
		sv_add(a, "--");
		for (size_t i = 0; i < r->inputs.n; i++)
			sv_add(a, r->inputs.v[i]);
	} else {
		sv_add(a, r->work);
	}
}

/* ---- arguments ---- */

/* Is p one of the strings of v (the same pointer)? */
static int among(char **v, size_t n, const char *p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p)
			return 1;
	return 0;
}

/* The INPUTs are argv[optind .. optind + *ninputs), the SBATCH-OPTIONS
 * argv[*sbatch .. argc). 0, or an exit status after a message. */
static int split_args(cli *cl, int argc, char **argv, int *ninputs,
		      int *sbatch)
{
	*ninputs = argc - optind;
	*sbatch = argc;
	int dash = optind >= 2 && strcmp(argv[optind - 1], "--") == 0;
	/* A "--" just before the positional arguments: the end of the
	 * options, unless it was an option's value (--work --). */
	if (dash && (argv[optind - 1] == cl->work ||
		     argv[optind - 1] == cl->tmpdir))
		dash = 0;
	for (int which = ARGS_PARAMS; dash && which <= ARGS_OUTPUT; which++) {
		char **v = NULL;
		size_t n = 0;
		if (option_args(argc, argv, optind, which, &v, &n) < 0) {
			free(v);
			msg("out of memory");
			return EXIT_FAIL;
		}
		if (among(v, n, argv[optind - 1]))
			dash = 0;
		free(v);
	}
	if (!dash) {
		/* Options not moved (POSIXLY_CORRECT): "--" is still among
		 * the positional arguments. */
		for (int i = optind; i < argc; i++)
			if (strcmp(argv[i], "--") == 0) {
				*ninputs = i - optind;
				*sbatch = i + 1;
				break;
			}
		return 0;
	}
	/* getopt kept the order of the arguments before "--" and of those
	 * after it, and put the former first; their strings lie in memory in
	 * the order given. */
	uintptr_t at = (uintptr_t)argv[optind - 1];
	int k = 0;
	while (optind + k < argc && (uintptr_t)argv[optind + k] < at)
		k++;
	for (int i = optind + 1; i < argc; i++)
		if ((uintptr_t)argv[i] <= (uintptr_t)argv[i - 1])
			return usage_error("cannot tell the INPUTs from the "
					   "SBATCH-OPTIONS after '--'");
	*ninputs = k;
	*sbatch = optind + k;
	return 0;
}

/* The options are passed on to the stages as given, as option_args finds
 * them: by their full names. getopt also took an abbreviation (--thresh)
 * or short options run together (-qk5), which option_args would not
 * find, and the stages would run without them: refused. 0, or an exit
 * status after a message. */
static int options_passable(int argc, char **argv)
{
	/* slurm's own options, which it passes on itself. */
	static const char *const OWN[] = { "threads", "memory", "tmpdir",
		"work", "tasks", "quiet", "wait", "local", "help" };
	enum { OWN_WITH_VALUE = 5 };
	char **v = NULL;
	size_t n = 0;
	if (option_args(argc, argv, optind, ARGS_PARAMS, &v, &n) < 0 ||
	    option_args(argc, argv, optind, ARGS_OUTPUT, &v, &n) < 0) {
		free(v);
		msg("out of memory");
		return EXIT_FAIL;
	}
	int rc = 0;
	for (int i = 1; i < optind && !rc; i++) {
		const char *tok = argv[i];
		if (among(v, n, tok) || tok[0] != '-' || !tok[1] ||
		    strcmp(tok, "--") == 0 || strcmp(tok, "-q") == 0 ||
		    strcmp(tok, "-h") == 0)
			continue;
		size_t len = strcspn(tok + 2, "=");
		size_t k = 0;
		while (tok[1] == '-' && k < sizeof(OWN) / sizeof(OWN[0]) &&
		       !(strlen(OWN[k]) == len && strncmp(tok + 2, OWN[k], len) == 0))
			k++;
		if (tok[1] == '-' && k < sizeof(OWN) / sizeof(OWN[0])) {
			if (k < OWN_WITH_VALUE && !tok[2 + len])
				i++; /* its value */
			continue;
		}
		rc = usage_error("write '%s' %s: slurm passes options on to the "
				 "stages by their full names", tok, tok[1] == '-'
				 ? "in full" : "as separate options");
	}
	free(v);
	return rc;
}

/* Is tok the option --name (or --name=...)? *value: its inline value. */
static int long_opt(const char *tok, const char *name, const char **value)
{
	size_t n = strlen(name);
	if (strncmp(tok, "--", 2) != 0 || strncmp(tok + 2, name, n) != 0)
		return 0;
	if (tok[2 + n] == '=') {
		*value = tok + 3 + n;
		return 1;
	}
	*value = NULL;
	return tok[2 + n] == '\0';
}

/* finish's output options: those given, paths made absolute; without
 * -o, Slurm's finish writes the pairs into WORK (a job has no terminal). */
static int output_args(run *r, int argc, char **argv)
{
	static const char *const PATHS[] = { "output", "clusters",
					     "syndication", "rejects", "dedup" };
	char **v = NULL;
	size_t n = 0;
	if (option_args(argc, argv, optind, ARGS_OUTPUT, &v, &n) < 0) {
		free(v);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *value = NULL;
		int path = 0;
		for (size_t p = 0; p < sizeof(PATHS) / sizeof(PATHS[0]); p++)
			if (long_opt(v[i], PATHS[p], &value)) {
				path = 1;
				break;
			}
		if (!path && v[i][0] == '-' && v[i][1] == 'o') {
			path = 1;
			value = v[i][2] ? v[i] + 2 : NULL;
		}
		if (!path) {
			sv_add(&r->outputs, v[i]);
			continue;
		}
		/* "--clusters=x" -> "--clusters" "/cwd/x"; "-ox" -> "-o" ... */
		if (value && v[i][1] == '-') {
			sv_addf(&r->outputs, "%.*s", (int)(value - 1 - v[i]), v[i]);
		} else if (value) {
			sv_add(&r->outputs, "-o");
		} else {
			sv_add(&r->outputs, v[i]);
			if (++i >= n)
				break;
			value = v[i];
		}
		sv_push(&r->outputs, absolute(r->cwd, value), 0);
	}
	free(v);
	if (!r->cl->output && !r->cl->local) {
		sv_add(&r->outputs, "-o");
		sv_push(&r->outputs, path_in(r, "pairs.%s",
					     r->cl->jsonl ? "jsonl" : "tsv"), 0);
	}
	return r->outputs.oom ? -1 : 0;
}

/* ---- processes ---- */

/* Default dispositions in a child (main ignores SIGPIPE and SIGXFSZ). */
static int spawn_attr(posix_spawnattr_t *at)
{
	sigset_t def;
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGXFSZ);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	if (posix_spawnattr_init(at) != 0)
		return -1;
	posix_spawnattr_setsigdefault(at, &def);
	posix_spawnattr_setflags(at, POSIX_SPAWN_SETSIGDEF);
	return 0;
}

/* Append what fd gives to a growing buffer; 0 at its end, 1 more to come,
 * -1 on error. */
static int drain(int fd, char **buf, size_t *len)
{
	char tmp[4096];
	ssize_t got = read(fd, tmp, sizeof(tmp));
	if (got < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (got == 0)
		return 0;
	char *b = realloc(*buf, *len + (size_t)got + 1);
	if (!b)
		return -1;
	memcpy(b + *len, tmp, (size_t)got);
	*len += (size_t)got;
	b[*len] = '\0';
	*buf = b;
	return 1;
}

/* Run argv[0] (found on PATH) with stdin from /dev/null; its stdout and
 * stderr in *out and *err (NUL-terminated, never NULL on success), its
 * wait status in *status. 0, or -1 with errno when it could not be run. */
static int run_capture(char *const argv[], char **out, char **err, int *status)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid;
	int rc = -1, e = 0;

	*out = calloc(1, 1);
	*err = calloc(1, 1);
	if (!*out || !*err || pipe2(po, O_CLOEXEC) < 0 ||
	    pipe2(pe, O_CLOEXEC) < 0) {
		e = errno ? errno : ENOMEM;
		goto fail;
	}
	if (posix_spawn_file_actions_init(&fa) != 0) {
		e = ENOMEM;
		goto fail;
	}
	if (spawn_attr(&at) < 0) {
		posix_spawn_file_actions_destroy(&fa);
		e = ENOMEM;
		goto fail;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	e = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (e != 0)
		goto fail;
	size_t lo = 0, le = 0;
	struct pollfd pf[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
	int open_fds = 2;
	while (open_fds > 0) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			int d = drain(pf[i].fd, i ? err : out, i ? &le : &lo);
			if (d <= 0) {
				pf[i].fd = -1;
				open_fds--;
			}
		}
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR) {
			e = errno;
			goto fail;
		}
	rc = 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	if (rc < 0) {
		free(*out);
		free(*err);
		*out = *err = NULL;
		errno = e;
	}
	return rc;
}

/* Is name an executable file in a folder of PATH? */
static int on_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		char *f;
		if (asprintf(&f, "%.*s/%s", (int)(len ? len : 1),
			     len ? path : ".", name) >= 0) {
			int ok = access(f, X_OK) == 0;
			free(f);
			if (ok)
				return 1;
		}
		path += len + (path[len] == ':');
	}
	return 0;
}

/* The last lines of a log on stderr, indented. */
static void show_tail(const char *path, int lines)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return;
	char buf[8192];
	long off = 0;
	if (fseek(fp, 0, SEEK_END) == 0 && (off = ftell(fp)) > (long)sizeof(buf) - 1)
		off -= (long)sizeof(buf) - 1;
	else
		off = 0;
	fseek(fp, off, SEEK_SET);
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	char *start = buf + n;
	for (int k = 0; k < lines && start > buf;) {
		start--;
		if (*start == '\n' && ++k == lines) {
			start++;
			break;
		}
	}
	if (start == buf && off > 0)
		start += strcspn(start, "\n") + (start[strcspn(start, "\n")] != 0);
	if (!*start)
		return;
	for (char *line = start; line && *line;) {
		char *nl = strchr(line, '\n');
		fprintf(stderr, "  | %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
		line = nl ? nl + 1 : NULL;
	}
}

static double now_secs(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- --local ---- */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

typedef struct child {
	pid_t pid;
	unsigned task;
} child;

/* Start task t of stage s: stdout and stderr into its log, except finish's
 * (scan's outputs and summary go where scan's go). */
static pid_t local_spawn(const run *r, int s, unsigned t, char **logp)
{
	strv a = { 0 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid = -1;
	int e;

	stage_argv(r, s, (int)t, &a);
	*logp = path_in(r, "logs/%s-%u.log", STAGES[s].name, t);
	if (a.oom || !*logp) {
		sv_free(&a);
		errno = ENOMEM;
		return -1;
	}
	if (posix_spawn_file_actions_init(&fa) != 0) {
		sv_free(&a);
		errno = ENOMEM;
		return -1;
	}
	if (spawn_attr(&at) < 0) {
		posix_spawn_file_actions_destroy(&fa);
		sv_free(&a);
		errno = ENOMEM;
		return -1;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (s != FINISH) {
		posix_spawn_file_actions_addopen(&fa, 1, *logp, O_WRONLY |
						 O_CREAT | O_TRUNC, 0644);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	e = posix_spawn(&pid, a.v[0], &fa, &at, a.v, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	sv_free(&a);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return pid;
}

static void describe_status(char *buf, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "wait status %d", status);
}

/* Stop the running tasks (TERM) and reap them. */
static void stop_children(child *run_, unsigned *nrun)
{
	for (unsigned i = 0; i < *nrun; i++)
		kill(run_[i].pid, SIGTERM);
	for (unsigned i = 0; i < *nrun; i++)
		while (waitpid(run_[i].pid, NULL, 0) < 0 && errno == EINTR)
			;
	*nrun = 0;
}

/* One stage: its tasks at most `par` at a time. EXIT_OK, finish's exit
 * status, or EXIT_FAIL after a message; *peak_kb: the largest peak RSS of
 * its tasks. */
static int local_stage(const run *r, int s, unsigned par, long *peak_kb)
{
	unsigned n = stage_tasks(r, s), next = 0, nrun = 0;
	child *kids = calloc(par, sizeof(*kids));
	int rc = EXIT_OK;
	if (!kids) {
		msg("out of memory");
		return EXIT_FAIL;
	}
	while (next < n || nrun > 0) {
		while (next < n && nrun < par && !stop_signal) {
			char *log = NULL;
			pid_t pid = local_spawn(r, s, next, &log);
			free(log);
			if (pid < 0) {
				msg("stage %s, task %u: cannot run %s: %s",
				    STAGES[s].name, next, r->bin, strerror(errno));
				stop_children(kids, &nrun);
				free(kids);
				return EXIT_FAIL;
			}
			kids[nrun++] = (child){ pid, next++ };
		}
		if (stop_signal) {
			stop_children(kids, &nrun);
			msg("stopped by signal %d (%s) in stage %s",
			    (int)stop_signal, strsignal(stop_signal), STAGES[s].name);
			free(kids);
			return EXIT_FAIL;
		}
		int status;
		struct rusage ru;
		pid_t pid = wait4(-1, &status, WNOHANG, &ru);
		if (pid > 0 && ru.ru_maxrss > *peak_kb)
			*peak_kb = ru.ru_maxrss;
		if (pid == 0 || (pid < 0 && errno == EINTR)) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			continue;
		}
		if (pid < 0) {
			msg("waiting for stage %s: %s", STAGES[s].name, strerror(errno));
			stop_children(kids, &nrun);
			free(kids);
			return EXIT_FAIL;
		}
		unsigned k = 0;
		while (k < nrun && kids[k].pid != pid)
			k++;
		if (k == nrun)
			continue;
		unsigned task = kids[k].task;
		kids[k] = kids[--nrun];
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (s == FINISH) {
			if (code < 0) {
				char what[96];
				describe_status(what, sizeof(what), status);
				msg("stage finish was %s", what);
				rc = EXIT_FAIL;
			} else {
				rc = code;
			}
			continue;
		}
		/* read's 1 is input records rejected (finish reports them);
		 * any other stage's 1 is a failure (a damaged stage file). */
		if (code == 0 || (code == 1 && s == 0))
			continue;
		/* A task failed: the run stops here. */
		char what[96], *log = path_in(r, "logs/%s-%u.log", STAGES[s].name, task);
		describe_status(what, sizeof(what), status);
		stop_children(kids, &nrun);
		char which[48];
		if (n > 1)
			snprintf(which, sizeof(which), "task %u (of 0..%u)", task,
				 n - 1);
		else
			snprintf(which, sizeof(which), "its task");
		msg("stage %s failed: %s %s %s; its log, %s:", STAGES[s].name,
		    which, strncmp(what, "exit", 4) == 0 ? "ended with" : "was",
		    what, log ? log : "?");
		if (log)
			show_tail(log, 15);
		free(log);
		free(kids);
		return EXIT_FAIL;
	}
	free(kids);
	return rc;
}

static int run_local(const run *r)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = r->cl->ao.threads ? r->cl->ao.threads : 1;
	unsigned par = cores > 0 ? (unsigned)cores / threads : 1;
	if (par < 1)
		par = 1;
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	stop_signal = 0;

	int rc = EXIT_OK;
	double t0 = now_secs();
	for (int s = 0; s < NSTAGES; s++) {
		double ts = now_secs();
		unsigned n = stage_tasks(r, s);
		long peak = 0;
		rc = local_stage(r, s, RP_CLI_MIN(par, n), &peak);
		if (s < FINISH && rc != EXIT_OK)
			break;
		if (!r->quiet && s < FINISH)
			msg("stage %s: %u task%s done in %.1f s, the largest "
			    "peak RSS %.0f MB", STAGES[s].name, n, n == 1 ? "" : "s",
			    now_secs() - ts, (double)peak / 1024);
	}
	if (!r->quiet && rc != EXIT_FAIL)
		msg("slurm --local: 6 stages in %.1f s", now_secs() - t0);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return rc;
}

/* ---- Slurm ---- */

static void sh_word(FILE *fp, const char *s, int raw)
{
	if (raw) {
		fputs(s, fp);
		return;
	}
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789_/.,:=+@%-") == strlen(s)) {
		fputs(s, fp);
		return;
	}
	fputc('\'', fp);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", fp);
		else
			fputc(*s, fp);
	fputc('\'', fp);
}

/* Write WORK/jobs/STAGE.sh (under a temporary name, then renamed); its
 * path, or NULL after a message. */
static char *write_script(const run *r, int s)
{
	char *path = path_in(r, "jobs/%s.sh", STAGES[s].name);
	char *tmp = path_in(r, "jobs/.%s.sh.tmp", STAGES[s].name);
	char *status = path_in(r, "finish.status");
	char *status_tmp = path_in(r, ".finish.status.tmp");
	strv a = { 0 };
	FILE *fp = NULL;

	stage_argv(r, s, -1, &a);
	if (!path || !tmp || !status || !status_tmp || a.oom) {
		msg("out of memory");
		goto fail;
	}
	if (!(fp = fopen(tmp, "w"))) {
		msg("cannot write %s: %s", tmp, strerror(errno));
		goto fail;
	}
	fprintf(fp, "#!/bin/sh\n"
		"# reprint slurm: stage %d of %d (%s), task $SLURM_ARRAY_TASK_ID "
		"of %u.\n# Written by reprint slurm; a task run again gives "
		"the same files.\n", s + 1, NSTAGES, STAGES[s].name,
		stage_tasks(r, s));
	/* The INPUTs are named as given, relative to the folder the command
	 * was run in (sbatch --chdir; Slurm runs a job in /tmp when that
	 * fails, where they would be missing: read's exit status 1). */
	fputs("cd ", fp);
	sh_word(fp, r->cwd, 0);
	fputs(" || exit 3\n", fp);
	if (!r->cl->ao.threads)
		fputs("# Threads: the CPUs Slurm gave the task (no --threads "
		      "given).\nthreads=${SLURM_JOB_CPUS_PER_NODE%%[!0-9]*}\n"
		      "[ -n \"$threads\" ] && [ \"$threads\" -ge 1 ] || "
		      "threads=1\n[ \"$threads\" -le 256 ] || threads=256\n", fp);
	/* Lines of about 72 columns, broken before an option. The stages
	 * between read and finish are the task itself (exec): a signal that
	 * ends it ends the job. */
	size_t col = 0;
	if (s != 0 && s != FINISH) {
		fputs("exec ", fp);
		col = 5;
	}
	for (size_t i = 0; i < a.n; i++) {
		size_t len = strlen(a.v[i]);
		if (i && ((a.v[i][0] == '-' && col > 48) || col + len > 96)) {
			fputs(" \\\n\t", fp);
			col = 8;
		} else if (i) {
			fputc(' ', fp);
			col++;
		}
		sh_word(fp, a.v[i], a.raw[i]);
		col += len;
	}
	fputs(s == 0 || s == FINISH ? "\nrc=$?\n" : "\n", fp);
	if (s == FINISH) {
		fputs("# reprint slurm --wait returns this.\necho \"$rc\" >", fp);
		sh_word(fp, status_tmp, 0);
		fputs(" && mv -f ", fp);
		sh_word(fp, status_tmp, 0);
		fputc(' ', fp);
		sh_word(fp, status, 0);
		fputc('\n', fp);
	} else if (s == 0) {
		fputs("# 1: input records rejected (finish reports them), not a "
		      "failure.\n[ \"$rc\" -eq 1 ] && rc=0\n", fp);
	}
	if (s == 0 || s == FINISH)
		fputs("exit \"$rc\"\n", fp);
	if (fchmod(fileno(fp), 0755) < 0 || fflush(fp) != 0 || ferror(fp)) {
		msg("cannot write %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (fclose(fp) != 0) {
		fp = NULL;
		msg("cannot write %s: %s", tmp, strerror(errno));
		goto fail;
	}
	fp = NULL;
	if (rename(tmp, path) < 0) {
		msg("cannot rename %s to %s: %s", tmp, path, strerror(errno));
		goto fail;
	}
	free(tmp);
	free(status);
	free(status_tmp);
	sv_free(&a);
	return path;
fail:
	if (fp) {
		fclose(fp);
		unlink(tmp);
	}
	free(path);
	free(tmp);
	free(status);
	free(status_tmp);
	sv_free(&a);
	return NULL;
}

/* Cancel jobs ids[from..to) (best effort). */
static void cancel_jobs(char ids[][32], int from, int to)
{
	strv a = { 0 };
	sv_add(&a, "scancel");
	for (int s = from; s < to; s++)
		if (ids[s][0])
			sv_add(&a, ids[s]);
	if (!a.oom && a.n > 1) {
		char *out, *err;
		int status;
		if (run_capture(a.v, &out, &err, &status) == 0) {
			free(out);
			free(err);
		}
	}
	sv_free(&a);
}

/* Slurm's log name pattern: '%' in the folder's name doubled. */
static char *log_pattern(const run *r, int s)
{
	size_t len = strlen(r->work);
	char *p = malloc(2 * len + strlen(STAGES[s].name) + 16);
	if (!p)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < len; i++) {
		if (r->work[i] == '%')
			p[k++] = '%';
		p[k++] = r->work[i];
	}
	sprintf(p + k, "/logs/%s-%%a.log", STAGES[s].name);
	return p;
}

/* Submit stage s (after job `after`, if any); its job id into id. */
static int submit(const run *r, int s, const char *script, const char *after,
		  char id[32])
{
	strv a = { 0 };
	char *out = NULL, *err = NULL;
	int status, rc = -1;

	sv_add(&a, "sbatch");
	sv_add(&a, "--parsable");
	sv_addf(&a, "--array=0-%u", stage_tasks(r, s) - 1);
	sv_addf(&a, "--job-name=reprint-%s", STAGES[s].name);
	char *pat = log_pattern(r, s);
	if (pat)
		sv_addf(&a, "--output=%s", pat);
	else
		a.oom = 1;
	free(pat);
	sv_addf(&a, "--chdir=%s", r->cwd);
	if (r->cl->ao.threads)
		sv_addf(&a, "--cpus-per-task=%u", r->cl->ao.threads);
	/* Each task keeps near --memory; past it are its libraries and
	 * per-document tables: 30 MB over in the runs measured (news 100k
	 * under 128M: largest task 158 MB), none at 1M under 1 GiB (794
	 * MB), so the job asks for the bound and a quarter more, at least
	 * 256 MiB more (parts of up to 500,000 documents; a task keeps
	 * 0.1-0.2 KB a document beyond the bound, which larger parts under
	 * a small bound may need more for: README says so). SBATCH-OPTIONS
	 * (a --mem of the user's) come after and win. */
	if (r->cl->memory_set && r->cl->memory) {
		size_t mib = r->cl->memory >> 20;
		sv_addf(&a, "--mem=%zuM", mib + (mib / 4 > 256 ? mib / 4 : 256) + 1);
	}
	if (after) {
		sv_addf(&a, "--dependency=afterok:%s", after);
		sv_add(&a, "--kill-on-invalid-dep=yes");
	}
	for (size_t i = 0; i < r->sbatch.n; i++)
		sv_add(&a, r->sbatch.v[i]);
	sv_add(&a, script);
	if (a.oom) {
		msg("out of memory");
		goto done;
	}
	if (run_capture(a.v, &out, &err, &status) < 0) {
		msg("stage %s: cannot run sbatch: %s", STAGES[s].name, strerror(errno));
		goto done;
	}
	size_t e = strlen(err);
	while (e && (err[e - 1] == '\n' || err[e - 1] == ' '))
		err[--e] = '\0';
	size_t idlen = strspn(out, "0123456789");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || idlen == 0 ||
	    idlen >= 32) {
		char what[96];
		describe_status(what, sizeof(what), status);
		msg("stage %s: sbatch failed (%s)%s%s", STAGES[s].name,
		    idlen ? what : "no job id", *err ? ": " : "", err);
		goto done;
	}
	memcpy(id, out, idlen);
	id[idlen] = '\0';
	rc = 0;
done:
	free(out);
	free(err);
	sv_free(&a);
	return rc;
}

/* The value of "KEY=" in a line of scontrol -o (KEY at the start or after
 * a space), its length in *len; NULL when absent. */
static const char *field(const char *line, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	for (const char *p = line; (p = strstr(p, key)); p += kl)
		if (p == line || p[-1] == ' ') {
			*len = strcspn(p + kl, " \n");
			return p + kl;
		}
	*len = 0;
	return NULL;
}

static int is_state(const char *v, size_t len, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == len && strncmp(v, *set, len) == 0)
			return 1;
	return 0;
}

/* Read WORK/finish.status: finish's exit status, or -1. */
static int finish_status(const run *r)
{
	char *path = path_in(r, "finish.status");
	FILE *fp = path ? fopen(path, "r") : NULL;
	int v = -1;
	if (fp) {
		if (fscanf(fp, "%d", &v) != 1)
			v = -1;
		fclose(fp);
	}
	free(path);
	return v;
}

/* What the tasks of one job are doing. */
enum { JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_GONE, JOB_UNKNOWN };

/* Look at job id; for JOB_FAILED, the failing task's ArrayTaskId in task
 * and what happened to it in what (a failed task is told rather than one
 * cancelled, which may have been cancelled for it). */
static int job_state(const char *id, char *task, size_t tlen, char *what,
		     size_t wlen)
{
	static const char *const BAD[] = { "FAILED", "CANCELLED", "TIMEOUT",
		"NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE",
		"PREEMPTED", "REVOKED", "SPECIAL_EXIT", NULL };
	char *argv[] = { "scontrol", "-o", "show", "job", (char *)id, NULL };
	char *out, *err;
	int status, rc = JOB_UNKNOWN, running = 0, lines = 0, told = 0;
	if (run_capture(argv, &out, &err, &status) < 0) {
		snprintf(what, wlen, "cannot run scontrol: %s", strerror(errno));
		return JOB_UNKNOWN;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = strstr(err, "Invalid job id") ? JOB_GONE : JOB_UNKNOWN;
		snprintf(what, wlen, "%.*s", (int)strcspn(err, "\n"), err);
		goto done;
	}
	for (char *line = out; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t sl, tl, rl, el;
		const char *st = field(line, "JobState=", &sl);
		const char *tk = field(line, "ArrayTaskId=", &tl);
		const char *re = field(line, "Reason=", &rl);
		const char *ec = field(line, "ExitCode=", &el);
		line = nl ? nl + 1 : NULL;
		if (!st)
			continue;
		lines++;
		int bad = is_state(st, sl, BAD);
		int never = re && rl == 24 &&
			strncmp(re, "DependencyNeverSatisfied", 24) == 0;
		if (!bad && !never) {
			if (!(sl == 9 && strncmp(st, "COMPLETED", 9) == 0))
				running = 1;
			continue;
		}
		rc = JOB_FAILED;
		int cancelled = !bad || (sl == 9 && strncmp(st, "CANCELLED", 9) == 0);
		if (told && (told == 2 || cancelled))
			continue;
		told = cancelled ? 1 : 2;
		snprintf(task, tlen, "%.*s", tk ? (int)tl : 1, tk ? tk : "0");
		if (!bad)
			snprintf(what, wlen, "will never run: a job it depends on "
				 "failed");
		else if (re && !(rl == 4 && strncmp(re, "None", 4) == 0))
			snprintf(what, wlen, "%.*s (exit code %.*s, reason %.*s)",
				 (int)sl, st, (int)el, ec ? ec : "", (int)rl, re);
		else
			snprintf(what, wlen, "%.*s (exit code %.*s)", (int)sl, st,
				 (int)el, ec ? ec : "");
	}
	if (rc != JOB_FAILED)
		rc = running ? JOB_RUNNING : lines ? JOB_DONE : JOB_UNKNOWN;
	if (!lines)
		snprintf(what, wlen, "scontrol -o show job %s printed no job", id);
done:
	free(out);
	free(err);
	return rc;
}

/* finish's log on stderr: scan's summary, where scan says it. */
static void show_finish_log(const run *r)
{
	char *log = path_in(r, "logs/finish-0.log");
	FILE *fp = log ? fopen(log, "r") : NULL;
	char buf[4096];
	size_t n;
	fflush(stdout);
	while (fp && (n = fread(buf, 1, sizeof(buf), fp)) > 0)
		fwrite(buf, 1, n, stderr);
	if (fp)
		fclose(fp);
	free(log);
}

/* --wait: watch the stages in turn. finish's exit status, or EXIT_FAIL
 * after a message. */
static int slurm_wait(const run *r, char ids[][32])
{
	int s = 0, unknown = 0, no_status = 0;
	double t0 = now_secs(), ts = t0;
	while (s < NSTAGES) {
		char task[32] = "0", what[512] = "";
		int st = job_state(ids[s], task, sizeof(task), what,
				   sizeof(what));
		if (s == FINISH && st != JOB_RUNNING && st != JOB_UNKNOWN) {
			/* finish ran when it wrote its status (its exit status 1
			 * or 3 makes the job FAILED). */
			int code = finish_status(r);
			if (code >= 0) {
				show_finish_log(r);
				if (!r->quiet)
					msg("slurm: 6 stages done in %.1f s",
					    now_secs() - t0);
				return code;
			}
			/* A file written on another node may take a while to
			 * show here (NFS). */
			if (st == JOB_DONE && ++no_status <= 30) {
				sleep(1);
				continue;
			}
			if (st == JOB_DONE) {
				msg("stage finish (job %s) completed but wrote no "
				    "%s/finish.status", ids[s], r->work);
				return EXIT_FAIL;
			}
		} else if (st == JOB_DONE) {
			if (!r->quiet)
				msg("stage %s: %u task%s done in %.1f s",
				    STAGES[s].name, stage_tasks(r, s),
				    stage_tasks(r, s) == 1 ? "" : "s",
				    now_secs() - ts);
			ts = now_secs();
			s++;
			unknown = 0;
			continue;
		}
		if (st == JOB_FAILED || st == JOB_GONE) {
			/* The run is over: its other tasks would work for
			 * nothing (running the command again re-runs them). */
			cancel_jobs(ids, s, NSTAGES);
			if (st == JOB_GONE) {
				msg("stage %s: Slurm no longer knows job %s; the "
				    "run's other jobs were cancelled",
				    STAGES[s].name, ids[s]);
				return EXIT_FAIL;
			}
			char *log = path_in(r, "logs/%s-%ld.log", STAGES[s].name,
					    strtol(task, NULL, 10));
			struct stat lst;
			int has_log = log && stat(log, &lst) == 0 && lst.st_size > 0;
			msg("stage %s (job %s) failed: task%s %s %s; the run's other "
			    "jobs were cancelled. %s%s%s", STAGES[s].name, ids[s],
			    strpbrk(task, "-,") ? "s" : "", task, what, has_log ? "Its log, " : "It wrote no log",
			    has_log ? log : "", has_log ? ":" : ".");
			if (has_log)
				show_tail(log, 15);
			free(log);
			return EXIT_FAIL;
		}
		if (st == JOB_UNKNOWN && ++unknown > 60) {
			msg("stage %s: scontrol cannot tell the state of job %s: %s",
			    STAGES[s].name, ids[s], what);
			return EXIT_FAIL;
		}
		if (st == JOB_RUNNING)
			unknown = 0;
		sleep(1);
	}
	return EXIT_FAIL;
}

static int run_slurm(const run *r)
{
	char ids[NSTAGES][32];
	memset(ids, 0, sizeof(ids));
	for (size_t i = 0; i < 3; i++) {
		static const char *const TOOLS[] = { "sbatch", "scontrol", "scancel" };
		if (!on_path(TOOLS[i])) {
			msg("%s is not on PATH: reprint slurm needs Slurm's commands "
			    "(or --local to run the stages on this machine)", TOOLS[i]);
			return EXIT_FAIL;
		}
	}
	char *dirs[2] = { path_in(r, "jobs"), path_in(r, "logs") };
	char *status = path_in(r, "finish.status");
	int rc = EXIT_OK;
	for (int i = 0; i < 2 && rc == EXIT_OK; i++)
		if (!dirs[i] || make_dirs(dirs[i]) < 0) {
			msg("cannot make %s: %s", dirs[i] ? dirs[i] : "a folder",
			    strerror(errno));
			rc = EXIT_FAIL;
		}
	/* An earlier run's status must not be taken for this one's. */
	if (rc == EXIT_OK && (!status || (unlink(status) < 0 && errno != ENOENT))) {
		msg("cannot remove %s: %s", status ? status : "finish.status",
		    strerror(errno));
		rc = EXIT_FAIL;
	}
	free(dirs[0]);
	free(dirs[1]);
	free(status);
	for (int s = 0; s < NSTAGES && rc == EXIT_OK; s++) {
		char *script = write_script(r, s);
		if (!script || submit(r, s, script, s ? ids[s - 1] : NULL, ids[s]) < 0) {
			if (s > 0) {
				cancel_jobs(ids, 0, s);
				msg("the stages submitted before were cancelled");
			}
			rc = EXIT_FAIL;
		} else {
			printf("%s %s\n", STAGES[s].name, ids[s]);
			fflush(stdout);
		}
		free(script);
	}
	if (rc != EXIT_OK)
		return rc;
	if (!r->quiet)
		msg("slurm: 6 stages submitted (%u tasks each); logs in %s/logs",
		    r->tasks, r->work);
	return r->cl->wait ? slurm_wait(r, ids) : EXIT_OK;
}

int cmd_slurm(cli *cl, int argc, char **argv)
{
	run r;
	int ninputs = 0, sbatch = argc, rc;
	memset(&r, 0, sizeof(r));
	r.cl = cl;
	r.quiet = cl->quiet;

	if ((rc = split_args(cl, argc, argv, &ninputs, &sbatch)) != 0 ||
	    (rc = options_passable(argc, argv)) != 0)
		return rc;
	if (!cl->work)
		return usage_error("slurm needs --work DIR (a folder every node sees)");
	if (!cl->tasks)
		return usage_error("slurm needs --tasks N");
	if (ninputs < 1)
		return usage_error("slurm needs at least one INPUT");
	for (int i = 0; i < ninputs; i++)
		if (strcmp(argv[optind + i], "-") == 0)
			return usage_error("slurm cannot read standard input "
					   "('-'): the tasks read files");
	if (cl->local && sbatch < argc)
		return usage_error("--local runs no Slurm jobs: SBATCH-OPTIONS "
				   "after '--' ('%s') mean nothing", argv[sbatch]);
	if (!cl->local) {
		const char *outs[] = { cl->output, cl->clusters,
				       cl->syndication, cl->rejects, cl->dedup };
		for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
			if (outs[i] && strcmp(outs[i], "-") == 0)
				return usage_error("a Slurm job has no terminal: "
						   "name a file for each output, "
						   "not '-'");
	}

	rc = EXIT_FAIL;
	char exe[PATH_MAX];
	if (!realpath("/proc/self/exe", exe)) {
		msg("cannot find this program's path (/proc/self/exe): %s",
		    strerror(errno));
		return EXIT_FAIL;
	}
	r.tasks = cl->tasks;
	r.bin = strdup(exe);
	r.cwd = getcwd(NULL, 0);
	if (!r.cwd) {
		msg("cannot tell the current folder: %s", strerror(errno));
		free(r.bin);
		return EXIT_FAIL;
	}
	r.work = absolute(r.cwd, cl->work);
	if (!r.bin || !r.work)
		goto oom;
	/* A trailing '/' would give WORK//logs in messages. */
	for (size_t l = strlen(r.work); l > 1 && r.work[l - 1] == '/';)
		r.work[--l] = '\0';
	for (int i = 0; i < ninputs; i++)
		sv_add(&r.inputs, argv[optind + i]);
	for (int i = sbatch; i < argc; i++)
		sv_add(&r.sbatch, argv[i]);
	{
		char **v = NULL;
		size_t n = 0;
		int e = option_args(argc, argv, optind, ARGS_PARAMS, &v, &n);
		for (size_t i = 0; i < n; i++)
			sv_add(&r.params, v[i]);
		free(v);
		if (e < 0)
			goto oom;
	}
	if (output_args(&r, argc, argv) < 0 || r.inputs.oom || r.sbatch.oom ||
	    r.params.oom)
		goto oom;
	{
		char *logs = path_in(&r, "logs");
		if (!logs || make_dirs(logs) < 0) {
			msg("cannot make %s: %s", logs ? logs : "the logs folder",
			    strerror(errno));
			free(logs);
			goto out;
		}
		free(logs);
	}
	if (!cl->local && !cl->output && !r.quiet)
		msg("no -o: the pairs go to %s/pairs.%s", r.work,
		    cl->jsonl ? "jsonl" : "tsv");
	rc = cl->local ? run_local(&r) : run_slurm(&r);
	goto out;
oom:
	msg("out of memory");
	rc = EXIT_FAIL;
out:
	free(r.bin);
	free(r.cwd);
	free(r.work);
	sv_free(&r.inputs);
	sv_free(&r.params);
	sv_free(&r.outputs);
	sv_free(&r.sbatch);
	return rc;
}
