/*
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18
 * characters from the 31-character set 0-9A-HJ-NPQRTUWXY (no I, O, S, V,
 * Z); the last is a check character computed from the first 17.
 */
#ifndef REGISTRY_CREDITCODE_H
#define REGISTRY_CREDITCODE_H

#include <stddef.h>

#define CREDITCODE_LENGTH 18

/*
 * Returns 0 when `code` is a well-formed code with the right check
 * character, else -1 with the reason in `why` (e.g. "check character is
 * 'X', expected '3'").
 */
int creditcode_check(const char *code, char *why, size_t why_size);

/*
 * The check character for the first 17 characters of `code`, or '\0' when
 * one of them is outside the character set.
 */
char creditcode_check_char(const char *code);

#endif
