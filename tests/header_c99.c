/* Compile-only check: reprint.h is clean C99 under -pedantic-errors. */
#include "reprint.h"

int main(void)
{
	rp_options o = RP_OPTIONS_INIT;
	rp_read_options r = RP_READ_OPTIONS_INIT;
	return (o.version == RP_OPTIONS_VERSION &&
		r.version == RP_READ_OPTIONS_VERSION) ? 0 : 1;
}
