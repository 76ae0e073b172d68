/*
 * utf8.h - UTF-8 validation: the one check that readers and the corpus
 * share.
 */
#ifndef RP_UTF8_H
#define RP_UTF8_H

#include "common.h"

/*
 * Return the offset of the first byte that is not valid UTF-8 (overlongs,
 * surrogates and code points above U+10FFFF are invalid), or len when all
 * of [s, s+len) is valid.
 */
RP_INTERNAL size_t rp_utf8_invalid_at(const char *s, size_t len);

#endif
