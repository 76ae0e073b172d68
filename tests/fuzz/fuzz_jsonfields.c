/* Fuzz target: rp_json_fields, the reader's way to a record's string
 * fields without cJSON's tree, against cJSON on every input (one line, up
 * to its first NUL byte: the reader rejects a line with one before
 * parsing). Invariant (json_oracle.h): where it answers, cJSON parses an
 * object ending at the same byte with the same first member of each name
 * (a string, null or absent); where it is not sure, the line is
 * unchanged. Asked twice: for the reader's five fields (the text needed),
 * and for a list naming one field twice (nothing needed). */
#include <stdlib.h>
#include <string.h>

#include "../json_oracle.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const names[] = { "id", "text", "title", "outlet",
					     "date" };
	static const char *const twice[] = { "text", "x", "text", NULL };
	const unsigned char *nul = memchr(data, 0, size);
	size_t len = nul ? (size_t)(nul - data) : size;
	int took;
	if (json_oracle((const char *)data, len, names, 5, 1, &took) ||
	    json_oracle((const char *)data, len, twice, 4, 4, &took))
		abort();
	return 0;
}
