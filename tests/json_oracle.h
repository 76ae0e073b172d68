/* rp_json_fields held to cJSON (json_oracle.c), for test_read and
 * fuzz_jsonfields. */
#ifndef RP_JSON_ORACLE_H
#define RP_JSON_ORACLE_H
#include <stddef.h>

/* Runs rp_json_fields on a copy of line[0..len) (no NUL byte in it) for
 * names[0..n) and need, and checks what it says against cJSON: when it
 * answers, cJSON parses the line into an object ending at the same byte
 * whose first member of each name is that string (or null or absent);
 * when it is not sure, the copy is unchanged. Returns NULL when they
 * agree, else what differs (a static string); *took says whether
 * rp_json_fields answered. */
const char *json_oracle(const char *line, size_t len,
			const char *const *names, size_t n, size_t need,
			int *took);

#endif
