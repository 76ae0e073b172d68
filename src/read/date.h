/*
 * date.h - publication dates from the formats news collections use.
 *
 * ISO 8601 ("2026-11-28", "2026-11-28T09:15:00Z", "... +02:00"), RFC 2822
 * ("Sat, 28 Nov 2026 09:15:00 +0000", zone names UT/GMT/EST/...), and the
 * Reuters-21578 form ("26-FEB-1987 15:01:01.79"). A date without a zone is
 * taken as UTC; a date without a time as midnight.
 */
#ifndef RP_DATE_H
#define RP_DATE_H

#include "common.h"

/* Parse s[0..len) into seconds since the epoch; RP_OK or RP_EINVAL. */
RP_INTERNAL int rp_parse_date(int64_t *out, const char *s, size_t len);

#endif
