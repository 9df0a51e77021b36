/*
 * Runs the registry's unit-test groups (cmocka; TAP when
 * CMOCKA_MESSAGE_OUTPUT=TAP).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/test_registry.h"

int
main(void)
{
	int failed = 0;

	failed += test_registry_rules();
	failed += test_registry_csv();
	failed += test_registry_db();
	failed += test_registry_runs();
	failed += test_registry_grams();
	failed += test_registry_queue();
	return failed ? 1 : 0;
}
