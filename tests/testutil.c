/* testutil.c - helpers shared by the Criterion tests. */
#include "testutil.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *tu_shared_data(void)
{
	const char *d = getenv("REPRINT_SHARED_DATA");
	struct stat st;
	if (!d || stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return d;
}

char *tu_write_temp(const char *data, size_t len)
{
	char *path = strdup("/tmp/reprint-test-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	return path;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return strdup("");
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	size_t got = fread(buf, 1, (size_t)n, fp);
	buf[got] = '\0';
	fclose(fp);
	return buf;
}

int tu_run(const char *cmd, char **out, char **err)
{
	char of[] = "/tmp/reprint-out-XXXXXX", ef[] = "/tmp/reprint-err-XXXXXX";
	int fo = mkstemp(of), fe = mkstemp(ef);
	if (fo < 0 || fe < 0)
		return -1;
	close(fo);
	close(fe);
	size_t n = strlen(cmd) + strlen(of) + strlen(ef) + 32;
	char *full = malloc(n);
	snprintf(full, n, "( %s ) >%s 2>%s", cmd, of, ef);
	int st = system(full);
	free(full);
	if (out)
		*out = slurp(of);
	if (err)
		*err = slurp(ef);
	unlink(of);
	unlink(ef);
	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

rp_corpus *tu_corpus(const rp_options *o, const char *const *id_text)
{
	rp_corpus *c = NULL;
	if (rp_corpus_new(&c, o) < 0)
		return NULL;
	for (size_t i = 0; id_text[i]; i += 2) {
		rp_doc_input in;
		memset(&in, 0, sizeof(in));
		in.id = id_text[i];
		in.id_len = strlen(id_text[i]);
		in.text = id_text[i + 1];
		in.text_len = strlen(id_text[i + 1]);
		in.source = "test";
		in.line = i / 2 + 1;
		rp_corpus_add(c, &in);
	}
	return c;
}

uint64_t tu_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int tu_runf(char **out, char **err, const char *fmt, ...)
{
	static char *last_out, *last_err;
	static char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	cr_assert(n >= 0 && (size_t)n < sizeof(cmd), "a test command over %zu "
		  "bytes", sizeof(cmd));
	free(last_out);
	free(last_err);
	int rc = tu_run(cmd, &last_out, &last_err);
	if (out)
		*out = last_out;
	if (err)
		*err = last_err;
	return rc;
}

const char *tu_bin(int wrapped)
{
	static char cmd[1024];
	const char *b = getenv("REPRINT_BIN");
	const char *w = wrapped ? getenv("REPRINT_WRAPPER") : NULL;
	cr_assert_not_null(b, "REPRINT_BIN must name the built binary");
	snprintf(cmd, sizeof(cmd), "%s%s%s", w ? w : "", w ? " " : "", b);
	return cmd;
}

const char *tu_samples(void)
{
	const char *s = getenv("REPRINT_SAMPLES");
	cr_assert_not_null(s, "REPRINT_SAMPLES must name samples/");
	return s;
}

void tu_same_reading(const rp_corpus *x, const rp_corpus *y)
{
	size_t nd = rp_corpus_count(x), nr = rp_corpus_reject_count(x);
	cr_assert_eq(rp_corpus_count(y), nd);
	cr_assert_eq(rp_corpus_reject_count(y), nr);
	size_t line = 0;
	for (size_t i = 0; i < nd; i++) {
		rp_doc_info a, b;
		cr_assert_eq(rp_corpus_doc(&a, x, i), RP_OK);
		cr_assert_eq(rp_corpus_doc(&b, y, i), RP_OK);
		cr_assert_str_eq(a.id, b.id);
		cr_assert_eq(a.line, b.line);
		cr_assert_gt(a.line, line, "documents in line order");
		line = a.line;
	}
	line = 0;
	for (size_t i = 0; i < nr; i++) {
		rp_reject a, b;
		cr_assert_eq(rp_corpus_reject(&a, x, i), RP_OK);
		cr_assert_eq(rp_corpus_reject(&b, y, i), RP_OK);
		cr_assert_eq(a.line, b.line);
		cr_assert_str_eq(a.reason, b.reason);
		cr_assert_gt(a.line, line, "rejects in line order");
		line = a.line;
	}
}
