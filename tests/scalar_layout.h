/* The scalar rp_layout_spans (scalar_layout.c), for comparison. */
#ifndef RP_SCALAR_LAYOUT_H
#define RP_SCALAR_LAYOUT_H
#include "boiler.h"
RP_INTERNAL int rp_scalar_layout_spans(rp_span **sp, size_t *nsp,
				       size_t *capsp, const char *text,
				       size_t len, int layout, int notices,
				       rp_layout_scratch *sc);
#endif
