/*
 * scalar_layout.c - layout.c built without its SIMD paths (RP_NO_SIMD),
 * under other names: the oracle test_boiler compares rp_layout_spans
 * with.
 */
#define RP_NO_SIMD 1
#define rp_is_timestamp_line rp_scalar_is_timestamp_line
#define rp_is_relative_time rp_scalar_is_relative_time
#define rp_line_is_prose rp_scalar_line_is_prose
#define rp_layout_spans rp_scalar_layout_spans
#include "../src/chrome/layout.c"
