/* testutil.h - helpers shared by the Criterion tests. */
#ifndef RP_TESTUTIL_H
#define RP_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "reprint.h"

/* Directory of ../shared/data, or NULL when it is absent. */
const char *tu_shared_data(void);

/* Write len bytes to a fresh temporary file; returns its malloc'd path. */
char *tu_write_temp(const char *data, size_t len);

/* Run a shell command; capture stdout and stderr (malloc'd); return the
 * exit status (or -1). */
int tu_run(const char *cmd, char **out, char **err);

/* Run a printf-formatted shell command (at most 16 KiB) with tu_run;
 * *out and *err, when asked for, stay valid until the next call. */
int tu_runf(char **out, char **err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The built binary (REPRINT_BIN: the test fails without it), behind
 * REPRINT_WRAPPER when `wrapped` and that is set (the valgrind test setup
 * runs the commands of some tests under valgrind). */
const char *tu_bin(int wrapped);

/* The bundled samples/ (REPRINT_SAMPLES: the test fails without it). */
const char *tu_samples(void);

/* A corpus built from (id, text) string pairs; NULL-terminated list. */
rp_corpus *tu_corpus(const rp_options *o, const char *const *id_text);

/* Two corpora read from the same input hold the same documents (ids and
 * lines) and the same rejects (lines and reasons), each in line order. */
void tu_same_reading(const rp_corpus *x, const rp_corpus *y);

/* Deterministic 64-bit generator (splitmix64). */
uint64_t tu_rand(uint64_t *state);

#endif
