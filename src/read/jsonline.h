/*
 * jsonline.h - the string fields of a JSONL record, read without a tree.
 *
 * cJSON stays the parser of record (read.c): it builds a node and an
 * allocation for every value of a line, where a reader wants five fields.
 * rp_json_fields answers for the lines cJSON would parse into an object
 * whose wanted members are strings (or null, or absent) -- nearly every
 * line of a real collection -- and says "not sure" for anything else, which
 * cJSON then parses as before. tests/test_read.c and fuzz_jsonfields hold
 * it to cJSON on every line they make.
 */
#ifndef RP_JSONLINE_H
#define RP_JSONLINE_H

#include "common.h"

/* A wanted member: its decoded bytes (in the line), or s == NULL when the
 * object has no member of that name or its first one is null. */
typedef struct rp_jfield {
	const char *s;
	size_t len;
} rp_jfield;

/*
 * The members names[0..n) (NULL: not wanted) of the JSON object that
 * opens line[0..len). Returns the offset just past the object when
 * cJSON_ParseWithLengthOpts(line, len, &end, 0) would parse that object
 * (end = line + the offset) and the first member of each wanted name is
 * a string, null or absent: out[k] is then that string as cJSON decodes
 * it, its escapes decoded in place (the line's bytes change; each field
 * stays within its own quotes). Returns 0 -- the line untouched -- when it
 * is not sure: a wanted member of another type, a line not opening with
 * '{', an escape cJSON reads leniently (\u0000, bad hex digits, unpaired
 * surrogates), a key with an escape, a number outside JSON's grammar or
 * over 63 bytes, values nested over 64 deep, the line's end before the
 * object's, and when names[need] (need < n) is not a string member: the
 * reader lets cJSON name what is wrong. At most 16 names. The line holds
 * no NUL byte (the reader rejects those first).
 */
RP_INTERNAL size_t rp_json_fields(char *line, size_t len, const char *const *names,
				  size_t n, size_t need, rp_jfield *out);

#endif
