/*
 * Checks on text that comes from outside (command lines, CSV files).
 */
#ifndef REGISTRY_TEXT_H
#define REGISTRY_TEXT_H

#include <stddef.h>

/*
 * 1 when the `len` bytes are well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF), else 0.  On 0, *bad_offset (when
 * not NULL) is the offset of the first bad byte.
 */
int text_valid_utf8(const char *text, size_t len, size_t *bad_offset);

/* 1 when the text contains a control character (below U+0020 or DEL). */
int text_has_control(const char *text);

#endif
