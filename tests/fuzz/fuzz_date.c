/* Fuzz target: the date parser on any bytes (a record's date field).
 * Invariants: it refuses or gives a time between the years 0 and 9999;
 * the same text with spaces around it parses the same. */
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	int64_t t = 0, u = 0;
	int err = rp_parse_date(&t, (const char *)data, size);
	if (err == RP_OK && (t < -62167219200LL - 86400 || t > 253402300800LL + 86400))
		abort();
	if (size > 4096)
		return 0;
	char buf[4100];
	buf[0] = ' ';
	memcpy(buf + 1, data, size);
	buf[size + 1] = ' ';
	int err2 = rp_parse_date(&u, buf, size + 2);
	if (err2 != err || (err == RP_OK && u != t))
		abort();
	return 0;
}
