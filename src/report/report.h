/*
 * report.h - what the report writers share (report.c, report_html.c,
 * report_view.c): a stdio stream over the caller's sink, JSON strings.
 */
#ifndef RP_REPORT_H
#define RP_REPORT_H

#include <stdio.h>

#include "result.h"

/* A stream that forwards every write to sink; RP_EINVAL for a sink with no
 * write function, RP_ENOMEM. */
RP_INTERNAL int rp_report_open(FILE **fp, const rp_sink *sink);

/* Flush and close fp: err when it is an error, RP_EIO when a write failed
 * (the sink returned non-zero), else RP_OK. */
RP_INTERNAL int rp_report_close(FILE *fp, int err);

/* s as a JSON string literal. */
RP_INTERNAL void rp_json_string(FILE *fp, const char *s);

/* "a", "b" or "" for a pair's source. */
RP_INTERNAL const char *rp_source_name(int source);

/* HTML: text escaped for elements and attributes; the page head with
 * the report's inline style. */
RP_INTERNAL void rp_html_esc(FILE *fp, const char *s, size_t n);
RP_INTERNAL void rp_html_escs(FILE *fp, const char *s);
RP_INTERNAL void rp_html_head(FILE *fp, const char *title);

#endif
