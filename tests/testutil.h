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

/* A corpus built from (id, text) string pairs; NULL-terminated list. */
rp_corpus *tu_corpus(const rp_options *o, const char *const *id_text);

/* Deterministic 64-bit generator (splitmix64). */
uint64_t tu_rand(uint64_t *state);

#endif
